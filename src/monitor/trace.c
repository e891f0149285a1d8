/*
** trace.c -- the trace monitor: one record per executed instruction
** (function, offset; the opcode is looked up when reporting).
**
** Probes: without a filter it ticks with the dispatcher (every
** instruction).  With trace=FUNC (a name or an index) only that function
** gets probes, a local probe per instruction, so the rest of the program
** runs untouched.  Records are kept in memory until the report, at most
** TRACE_MAX of them (64 MiB); later ones are only counted as dropped, so
** use a window (trace@START..END) or a filter for long runs.
*/
#include <stdlib.h>
#include <string.h>

#include "monitor/mon.h"

#define TRACE_MAX ((size_t)1 << 23)

typedef struct tr_event {
  uint32_t func, offset;
} tr_event;

typedef struct tr_site {
  monitor *m;
  uint32_t offset;
} tr_site;

typedef struct tr_st {
  tr_event *ev;
  size_t n, cap;
  uint64_t dropped;
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
  if (st->n >= TRACE_MAX || !MON_GROW(st->ev, st->cap, st->n, 1)) {
    st->dropped++;
    return;
  }
  st->ev[st->n++] = (tr_event){func, offset};
}

static void tr_tick(monitor *m, inro_frame *f, uint32_t offset) {
  record(m->st, inro_frame_func_index(f), offset);
}

static int on_instr(inro_frame *f, void *env) {
  (void)f;
  tr_site *site = env;
  if (mon_in_now(site->m)) record(site->m->st, ((tr_st *)site->m->st)->filter, site->offset);
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
    fprintf(out, "  0x%06x  %-24s %s\n", (unsigned)st->ev[i].offset,
            mon_func_name(&m->set->mm, st->ev[i].func), op_at(m, st->ev[i].offset));
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
    snprintf(buf, sizeof buf, "[%u, %u, \"%s\"]", (unsigned)st->ev[i].func,
             (unsigned)st->ev[i].offset, op_at(m, st->ev[i].offset));
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
    mon_put_u32(b, st->ev[i].func);
    mon_put_u32(b, st->ev[i].offset);
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
  return !r->failed;
}

const mon_ops mon_trace_ops = {
  "trace", 1, 1, tr_create, tr_start, tr_stopped, tr_tick,
  tr_text, tr_json, tr_save, tr_load, tr_destroy,
};
