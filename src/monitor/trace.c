/*
** trace.c -- the trace monitor: one record per executed instruction
** (function, offset; the opcode is looked up when reporting), reported as
** text, JSON, or Chrome trace events (trace:chrome, for Perfetto and
** chrome://tracing): the calls, as spans over a clock of one microsecond
** per traced instruction.
**
** Probes: without a filter it ticks with the dispatcher (every
** instruction).  With trace=FUNC (a name or an index) only that function
** gets probes, a local probe per instruction, so the rest of the program
** runs untouched.  Records are 8 bytes in a ring buffer of TRACE_MAX (64
** MiB) that keeps the latest ones, formatted only at the report; older
** ones are counted as dropped.  A window (trace@START..END) or a filter
** selects what to keep in long runs.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/opcodes.h"
#include "monitor/mon.h"
#include "util/json.h"

#define TRACE_MAX ((size_t)1 << 23)

typedef struct tr_event {
  uint32_t func, offset;
} tr_event;

typedef struct tr_site {
  monitor *m;
  uint32_t offset;
} tr_site;

typedef struct tr_st {
  tr_event *ev;        /* the ring: ev[(head + i) % n] is the i-th oldest */
  size_t n, cap, head;
  uint64_t dropped;    /* records overwritten (the oldest ones) */
  uint32_t filter;     /* function index, or UINT32_MAX for all */
  tr_site *sites;      /* with a filter: one per instruction of it */
  size_t nsites;
} tr_st;

static void *tr_create(void) { return calloc(1, sizeof(tr_st)); }

static void tr_destroy(void *p) {
  tr_st *st = p;
  free(st->ev);
  free(st->sites);
  free(st);
}

static void record(tr_st *st, uint32_t func, uint32_t offset) {
  if (st->n < TRACE_MAX && MON_GROW(st->ev, st->cap, st->n, 1)) {
    st->ev[st->n++] = (tr_event){func, offset};
  } else if (st->n) { /* full (or no memory to grow): overwrite the oldest */
    st->ev[st->head] = (tr_event){func, offset};
    st->head = st->head + 1 == st->n ? 0 : st->head + 1;
    st->dropped++;
  } else {
    st->dropped++;
  }
}

/* The i-th oldest record kept. */
static const tr_event *event(const tr_st *st, size_t i) {
  size_t k = st->head + i;
  return &st->ev[k >= st->n ? k - st->n : k];
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

static int tr_start(monitor *m, inro_error *err) {
  tr_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  st->filter = UINT32_MAX;
  if (!m->arg) {
    m->ticking = 1;
    return 1;
  }
  st->filter = mon_func_find(mm, m->arg);
  if (st->filter == UINT32_MAX || st->filter < mm->nimports) {
    if (err) {
      err->kind = INRO_ERR_ARG;
      snprintf(err->message, sizeof err->message,
               "trace: no function '%.200s' defined in the module", m->arg);
    }
    return 0;
  }
  free(st->sites);
  st->sites = calloc((size_t)mm->funcs[st->filter - mm->nimports].count + 1, sizeof *st->sites);
  st->nsites = 0;
  return st->sites && mon_probe_sites(m, pick_instr, on_instr, err);
}

static void tr_stopped(monitor *m) {
  tr_st *st = m->st;
  free(st->sites);
  st->sites = NULL;
  st->nsites = 0;
}

static const char *op_at(const monitor *m, uint32_t offset) {
  const mon_instr *in = mon_instr_at(&m->set->mm, offset);
  return in ? mon_op_name(in->op) : "?";
}

static void tr_text(monitor *m, FILE *out) {
  tr_st *st = m->st;
  fprintf(out, "%zu instructions traced", st->n);
  if (st->dropped) fprintf(out, ", %llu more dropped", (unsigned long long)st->dropped);
  fputs("\n", out);
  for (size_t i = 0; i < st->n; i++)
    fprintf(out, "  0x%06x  %-24s %s\n", (unsigned)event(st, i)->offset,
            mon_func_name(&m->set->mm, event(st, i)->func), op_at(m, event(st, i)->offset));
}

/* "dropped", "events": [[func, offset, "op"]], "filter": name | null */
static void tr_json(monitor *m, mon_json *j) {
  tr_st *st = m->st;
  js_key(j, "dropped");
  js_u64(j, st->dropped);
  js_key(j, "events");
  js_begin_arr(j);
  for (size_t i = 0; i < st->n; i++) {
    char buf[96];
    snprintf(buf, sizeof buf, "[%u, %u, \"%s\"]", (unsigned)event(st, i)->func,
             (unsigned)event(st, i)->offset, op_at(m, event(st, i)->offset));
    js_raw(j, buf);
  }
  js_end_arr(j);
  js_key(j, "filter");
  js_str(j, m->arg);
}

static void tr_save(const monitor *m, mon_buf *b) {
  const tr_st *st = m->st;
  mon_put_u64(b, st->dropped);
  mon_put_u32(b, (uint32_t)st->n);
  for (size_t i = 0; i < st->n; i++) {
    mon_put_u32(b, event(st, i)->func);
    mon_put_u32(b, event(st, i)->offset);
  }
}

static int tr_load(monitor *m, mon_rd *r) {
  tr_st *st = m->st;
  st->dropped = mon_get_u64(r);
  uint32_t n = mon_get_count(r, 8);
  if (r->failed || n > TRACE_MAX || !MON_GROW(st->ev, st->cap, 0, (size_t)n + 1)) return 0;
  for (uint32_t i = 0; i < n; i++) {
    st->ev[i].func = mon_get_u32(r);
    st->ev[i].offset = mon_get_u32(r);
  }
  st->n = n;
  st->head = 0;
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
  chrome c = {out, &m->set->mm, NULL, 0, 0, 0};
  const mon_module *mm = c.mm;
  fputs("{\"otherData\": {\"clock\": \"1 us = 1 traced instruction\", \"dropped\": ", out);
  fprintf(out, "%llu, \"filter\": ", (unsigned long long)st->dropped);
  if (m->arg) json_write_string(out, m->arg);
  else fputs("null", out);
  fputs("},\n\"traceEvents\": [\n"
        "{\"args\": {\"name\": \"inro\"}, \"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 1},\n"
        "{\"args\": {\"name\": \"wasm\"}, \"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 1}",
        out);
  uint64_t ts = st->dropped;
  for (size_t i = 0; i < st->n && !c.failed && m->set->have_mm; i++, ts++) {
    const tr_event *e = event(st, i);
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

static const mon_format tr_formats[] = {{"chrome", tr_chrome}, {NULL, NULL}};

const mon_ops mon_trace_ops = {
  .name = "trace",
  .takes_arg = 1,
  .wants_offset = 1,
  .create = tr_create,
  .start = tr_start,
  .stopped = tr_stopped,
  .tick = tr_tick,
  .text = tr_text,
  .json = tr_json,
  .save = tr_save,
  .load = tr_load,
  .destroy = tr_destroy,
  .formats = tr_formats,
};
