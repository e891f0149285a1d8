/*
** trace.c -- the trace monitor: one record per executed instruction
** (function, offset; the opcode is looked up when reporting), reported as
** text, JSON, or Chrome trace events (trace:chrome, for Perfetto and
** chrome://tracing): the calls, as spans over a clock of one microsecond
** per traced instruction.
**
** Probes: a record probe (inro_probe_records) at the start of every run
** (monitor/runs.c), or with trace=FUNC (a name or an index) of that
** function's runs only, so the rest of the program runs untouched: it
** writes the records of the whole run into the ring with no callback.
** What a run recorded ahead of the program (mon_ahead_of) comes off a
** report made there and off the ring when the monitor stops there or a
** trap ends the run; a start there records the rest of the run.  A
** snapshot keeps the ring as it is, ahead included: the restored program
** resumes after the record probe.  Under a window that ends it ticks
** with the dispatcher instead, or with a local probe per instruction of
** FUNC, which know the instruction clock.  Records are 8 bytes, in a ring of
** TRACE_MAX (64 MiB, allocated at the first start; the pages a short run
** does not reach stay untouched) that keeps the latest ones, formatted
** only at the report; older ones are counted as dropped.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/opcodes.h"
#include "monitor/mon.h"
#include "util/json.h"

#define TRACE_MAX ((uint64_t)1 << 23)
#define TRACE_MIN ((uint64_t)1 << 16)

typedef struct tr_event {
  uint32_t func, offset;
} tr_event;

typedef struct tr_site {
  monitor *m;
  uint32_t offset;
} tr_site;

typedef struct tr_st {
  inro_ring ring;      /* records func << 32 | offset; ring.next counts all */
  int recording;       /* record probes in (not ticking) */
  uint64_t *values;    /* per instruction of the module: its record */
  uint64_t lost;       /* records dropped before the ring (a loaded count) */
  uint32_t filter;     /* function index, or UINT32_MAX for all */
  tr_site *sites;      /* ticking with a filter: one per instruction of it */
  size_t nsites;
} tr_st;

static void *tr_create(void) { return calloc(1, sizeof(tr_st)); }

static void tr_destroy(void *p) {
  tr_st *st = p;
  free(st->ring.buf);
  free(st->values);
  free(st->sites);
  free(st);
}

/* The ring, as large as memory allows between TRACE_MIN and TRACE_MAX. */
static int ring_alloc(tr_st *st) {
  for (uint64_t cap = TRACE_MAX; !st->ring.buf && cap >= TRACE_MIN; cap /= 2) {
    st->ring.buf = malloc((size_t)cap * sizeof *st->ring.buf);
    st->ring.cap = cap;
  }
  return st->ring.buf != NULL;
}

static void record(tr_st *st, uint32_t func, uint32_t offset) {
  st->ring.buf[st->ring.next++ & (st->ring.cap - 1)] = (uint64_t)func << 32 | offset;
}

/* What the current run recorded ahead of the program standing at f: the
** instructions [*a, *b) of the module (none if f is not traced). */
static void ahead(const monitor *m, inro_frame *f, int past, size_t *a, size_t *b) {
  const tr_st *st = m->st;
  *a = *b = 0;
  if (!st->recording || !f ||
      (st->filter != UINT32_MAX && inro_frame_func_index(f) != st->filter))
    return;
  mon_ahead_of(&m->set->mm, f, past, a, b);
}

/* The records a report shows: those written, less what the program
** standing at a probe (a report by control) has not run yet. */
static uint64_t shown(const monitor *m) {
  const tr_st *st = m->st;
  size_t a, b;
  ahead(m, m->set->here, 0, &a, &b);
  return st->ring.next - (b - a);
}

/* Records kept, and dropped, of the first `end` written. */
static size_t kept(const tr_st *st, uint64_t end) {
  return (size_t)(end < st->ring.cap ? end : st->ring.cap);
}
static uint64_t dropped(const tr_st *st, uint64_t end) { return st->lost + (end - kept(st, end)); }

/* The i-th oldest record kept. */
static tr_event event(const tr_st *st, uint64_t end, size_t i) {
  uint64_t r = st->ring.buf[(end - kept(st, end) + i) & (st->ring.cap - 1)];
  return (tr_event){(uint32_t)(r >> 32), (uint32_t)r};
}

static void tr_tick(monitor *m, inro_frame *f, uint32_t offset) {
  record(m->st, inro_frame_func_index(f), offset);
}

static int on_instr(inro_frame *f, void *env) {
  (void)f;
  tr_site *site = env;
  if (!mon_done_ahead(site->m) && mon_in_now(site->m)) record(site->m->st, ((tr_st *)site->m->st)->filter, site->offset);
  return 1;
}

static int pick_instr(monitor *m, uint32_t funcidx, const mon_instr *in, void **env) {
  tr_st *st = m->st;
  if (funcidx != st->filter) return 0;
  tr_site *site = &st->sites[st->nsites++];
  site->m = m;
  site->offset = in->offset;
  *env = site;
  return 1;
}

/* The records of every instruction, and a record probe at the start of
** every run of the functions traced, writing those of the run. */
static int record_probes(monitor *m, inro_error *err) {
  tr_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  free(st->values);
  st->values = malloc((mm->ninstrs + 1) * sizeof *st->values);
  uint32_t *offsets = malloc(mm->most_instrs * sizeof *offsets);
  uint32_t *counts = malloc(mm->most_instrs * sizeof *counts);
  const uint64_t **values = malloc(mm->most_instrs * sizeof *values);
  int ok = st->values && offsets && counts && values;
  for (uint32_t d = 0; ok && d < mm->nfuncs - mm->nimports; d++) {
    uint32_t func = mm->nimports + d;
    const mon_func *fn = &mm->funcs[d];
    size_t n = 0;
    for (uint32_t i = fn->first; i < fn->first + fn->count; i++) {
      st->values[i] = (uint64_t)func << 32 | mm->instrs[i].offset;
      if (i == fn->first || mon_run_starts(mm, i)) {
        offsets[n] = mm->instrs[i].offset;
        values[n] = &st->values[i];
        counts[n++] = 0;
      }
      counts[n - 1]++;
    }
    if (st->filter == UINT32_MAX || func == st->filter)
      ok = mon_probe_records(m, func, offsets, values, counts, n, &st->ring, err);
  }
  free(offsets);
  free(counts);
  free(values);
  return ok;
}

static int tr_start(monitor *m, inro_error *err) {
  tr_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  if (!ring_alloc(st)) return 0;
  st->filter = UINT32_MAX;
  if (m->arg) {
    st->filter = mon_func_find(mm, m->arg);
    if (st->filter == UINT32_MAX || st->filter < mm->nimports) {
      if (err) {
        err->kind = INRO_ERR_ARG;
        snprintf(err->message, sizeof err->message,
                 "trace: no function '%.200s' defined in the module", m->arg);
      }
      return 0;
    }
  }
  if (!m->windowed) {
    if (!record_probes(m, err)) return 0;
    st->recording = 1;
    /* under way: the rest of this run is not recorded by its probe */
    size_t a, b;
    ahead(m, m->set->here, m->set->here_past, &a, &b);
    for (size_t i = a; i < b; i++)
      record(st, (uint32_t)(st->values[i] >> 32), mm->instrs[i].offset);
    return 1;
  }
  if (!m->arg) {
    m->ticking = 1;
    return 1;
  }
  free(st->sites);
  st->sites = calloc((size_t)mm->funcs[st->filter - mm->nimports].count + 1, sizeof *st->sites);
  st->nsites = 0;
  return st->sites && mon_probe_sites(m, pick_instr, on_instr, err);
}

static void tr_stopped(monitor *m) {
  tr_st *st = m->st;
  size_t a, b; /* what the run recorded ahead does not happen now */
  ahead(m, m->set->here, 0, &a, &b);
  st->ring.next -= b - a;
  st->recording = 0;
  free(st->sites);
  st->sites = NULL;
  st->nsites = 0;
}

/* A trap at the instruction at offset of funcidx ran it; the rest of its
** run comes off. */
static void tr_trapped(monitor *m, uint32_t funcidx, uint32_t offset) {
  tr_st *st = m->st;
  if (!st->recording || (st->filter != UINT32_MAX && funcidx != st->filter)) return;
  size_t a, b;
  mon_ahead_at(&m->set->mm, funcidx, offset, 1, &a, &b);
  st->ring.next -= b - a;
}

static const char *op_at(const monitor *m, uint32_t offset) {
  const mon_instr *in = mon_instr_at(&m->set->mm, offset);
  return in ? mon_op_name(in->op) : "?";
}

static void tr_text(monitor *m, FILE *out) {
  tr_st *st = m->st;
  uint64_t end = shown(m);
  fprintf(out, "%zu instructions traced", kept(st, end));
  if (dropped(st, end)) fprintf(out, ", %llu more dropped", (unsigned long long)dropped(st, end));
  fputs("\n", out);
  for (size_t i = 0; i < kept(st, end); i++) {
    tr_event e = event(st, end, i);
    fprintf(out, "  0x%06x  %-24s %s\n", (unsigned)e.offset, mon_func_name(&m->set->mm, e.func),
            op_at(m, e.offset));
  }
}

/* "dropped", "events": [[func, offset, "op"]], "filter": name | null */
static void tr_json(monitor *m, mon_json *j) {
  tr_st *st = m->st;
  uint64_t end = shown(m);
  js_key(j, "dropped");
  js_u64(j, dropped(st, end));
  js_key(j, "events");
  js_begin_arr(j);
  for (size_t i = 0; i < kept(st, end); i++) {
    char buf[96];
    tr_event e = event(st, end, i);
    snprintf(buf, sizeof buf, "[%u, %u, \"%s\"]", (unsigned)e.func, (unsigned)e.offset,
             op_at(m, e.offset));
    js_raw(j, buf);
  }
  js_end_arr(j);
  js_key(j, "filter");
  js_str(j, m->arg);
}

static void tr_save(const monitor *m, mon_buf *b) {
  const tr_st *st = m->st;
  uint64_t end = st->ring.next;
  mon_put_u64(b, dropped(st, end));
  mon_put_u32(b, (uint32_t)kept(st, end));
  for (size_t i = 0; i < kept(st, end); i++) {
    tr_event e = event(st, end, i);
    mon_put_u32(b, e.func);
    mon_put_u32(b, e.offset);
  }
}

static int tr_load(monitor *m, mon_rd *r) {
  tr_st *st = m->st;
  st->lost = mon_get_u64(r);
  uint32_t n = mon_get_count(r, 8);
  if (r->failed || n > TRACE_MAX || !ring_alloc(st)) return 0;
  st->ring.next = 0; /* a ring smaller than n drops the oldest */
  for (uint32_t i = 0; i < n; i++) {
    uint32_t func = mon_get_u32(r);
    record(st, func, mon_get_u32(r));
  }
  return !r->failed;
}

/* ---------------------------------------------------- Chrome trace events */

typedef struct chrome {
  FILE *out;
  const mon_module *mm;
  uint32_t *stack;     /* function indices of the open spans */
  size_t depth, cap;
  int failed;
} chrome;

static void span_event(chrome *c, char ph, uint32_t func, uint64_t ts) {
  fprintf(c->out, ",\n{\"args\": {\"func\": %u}, \"cat\": \"wasm\", \"name\": ", (unsigned)func);
  json_write_string(c->out, mon_func_name(c->mm, func));
  fprintf(c->out, ", \"ph\": \"%c\", \"pid\": 1, \"tid\": 1, \"ts\": %llu}", ph,
          (unsigned long long)ts);
}

static void enter(chrome *c, uint32_t func, uint64_t ts) {
  if (!MON_GROW(c->stack, c->cap, c->depth, 1)) {
    c->failed = 1;
    return;
  }
  c->stack[c->depth++] = func;
  span_event(c, 'B', func, ts);
}

static void leave(chrome *c, uint64_t ts) {
  if (c->depth) span_event(c, 'E', c->stack[--c->depth], ts);
}

/* The calls seen in the records: a span from a function's first
** instruction to its `return` or final `end`.  A record in a function
** that is not on top of the spans is a return into a caller whose call
** the trace did not see, or came before the records kept: a span starts
** there (or the spans above the caller end there). */
static int tr_chrome(monitor *m, FILE *out) {
  const tr_st *st = m->st;
  uint64_t end = shown(m);
  chrome c = {out, &m->set->mm, NULL, 0, 0, 0};
  const mon_module *mm = c.mm;
  fputs("{\"otherData\": {\"clock\": \"1 us = 1 traced instruction\", \"dropped\": ", out);
  fprintf(out, "%llu, \"filter\": ", (unsigned long long)dropped(st, end));
  if (m->arg) json_write_string(out, m->arg);
  else fputs("null", out);
  fputs("},\n\"traceEvents\": [\n"
        "{\"args\": {\"name\": \"inro\"}, \"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 1},\n"
        "{\"args\": {\"name\": \"wasm\"}, \"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 1}",
        out);
  uint64_t ts = dropped(st, end);
  for (size_t i = 0; i < kept(st, end) && !c.failed && m->set->have_mm; i++, ts++) {
    tr_event ev = event(st, end, i);
    const tr_event *e = &ev;
    if (e->func < mm->nimports || e->func >= mm->nfuncs) continue;
    const mon_func *f = &mm->funcs[e->func - mm->nimports];
    if (!f->count) continue;
    if (e->offset == mm->instrs[f->first].offset) {
      enter(&c, e->func, ts);
    } else if (!c.depth || c.stack[c.depth - 1] != e->func) {
      size_t k = c.depth;
      while (k && c.stack[k - 1] != e->func) k--;
      if (k) while (c.depth > k) leave(&c, ts);
      else enter(&c, e->func, ts);
    }
    const mon_instr *in = mon_instr_at(mm, e->offset);
    /* A tail call leaves too: the callee replaces the frame. */
    if ((in && (in->op == OP_RETURN || in->op == OP_RETURN_CALL ||
                in->op == OP_RETURN_CALL_INDIRECT || in->op == OP_RETURN_CALL_REF)) ||
        e->offset == mm->instrs[f->first + f->count - 1].offset)
      leave(&c, ts + 1);
  }
  while (c.depth) leave(&c, ts);
  fputs("\n]}\n", out);
  free(c.stack);
  return !c.failed;
}

/* trace:binary: "INROTRC1", the dropped count and the count of records
** (u64 each), then the records, oldest first: function index and offset,
** u32 each; all little-endian. */
static int tr_binary(monitor *m, FILE *out) {
  const tr_st *st = m->st;
  uint64_t end = shown(m);
  uint8_t buf[4096];
  size_t len = 0, n = kept(st, end);
  uint64_t head[2] = {dropped(st, end), n};
  memcpy(buf, "INROTRC1", 8);
  for (int k = 0; k < 16; k++) buf[8 + k] = (uint8_t)(head[k / 8] >> (8 * (k % 8)));
  len = 24;
  int ok = 1;
  for (size_t i = 0; ok && i <= n; i++) {
    if (len + 8 > sizeof buf || i == n) {
      ok = fwrite(buf, 1, len, out) == len;
      len = 0;
      if (i == n) break;
    }
    tr_event e = event(st, end, i);
    for (int k = 0; k < 4; k++) {
      buf[len + k] = (uint8_t)(e.func >> (8 * k));
      buf[len + 4 + k] = (uint8_t)(e.offset >> (8 * k));
    }
    len += 8;
  }
  return ok;
}

static const mon_format tr_formats[] = {{"chrome", tr_chrome}, {"binary", tr_binary},
                                        {NULL, NULL}};

const mon_ops mon_trace_ops = {
  .name = "trace",
  .takes_arg = 1,
  .wants_offset = 1,
  .create = tr_create,
  .start = tr_start,
  .stopped = tr_stopped,
  .trapped = tr_trapped,
  .tick = tr_tick,
  .text = tr_text,
  .json = tr_json,
  .save = tr_save,
  .load = tr_load,
  .destroy = tr_destroy,
  .formats = tr_formats,
};
