/*
** calls.c -- the calls monitor: the dynamic call graph, caller -> callee
** edges with counts.
**
** Probes: one local probe per call site, nothing else.  A `call` knows its
** callee statically, so its probe only increments the edge it was bound to
** at start.  A `call_indirect` reads the element index (its top operand)
** and asks the instance's table which function that is
** (inro_frame_table_func); a one-entry cache per site skips the map
** lookup when a site keeps calling the same function.  Calls to imported
** functions are host calls.  Calls made by the host (_start itself, or
** callbacks) have no call site and are not edges.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/opcodes.h"
#include "monitor/mon.h"

enum { CALL_DIRECT, CALL_INDIRECT };
#define NO_FUNC UINT32_MAX

typedef struct edge {
  uint32_t caller, callee;  /* callee NO_FUNC: unknown (the call traps) */
  uint8_t kind;
  uint64_t count;
} edge;

typedef struct call_site {
  monitor *m;
  uint32_t caller;
  uint32_t edge;            /* direct: its edge; indirect: the last one */
  uint32_t table;           /* indirect */
  int indirect;
} call_site;

typedef struct calls_st {
  edge *edges;
  size_t nedges, capedges;
  mon_map map[2];           /* per kind: caller << 32 | callee -> edge */
  call_site *sites;
  size_t nsites;
} calls_st;

static void *calls_create(void) { return calloc(1, sizeof(calls_st)); }

static void calls_destroy(void *p) {
  calls_st *st = p;
  free(st->edges);
  mon_map_free(&st->map[0]);
  mon_map_free(&st->map[1]);
  free(st->sites);
  free(st);
}

/* The edge's index, created with count 0 if new; UINT32_MAX without memory. */
static uint32_t edge_of(calls_st *st, uint32_t caller, uint32_t callee, int kind) {
  uint64_t key = (uint64_t)caller << 32 | callee;
  uint32_t e = mon_map_get(&st->map[kind], key);
  if (e != UINT32_MAX) return e;
  if (st->nedges >= UINT32_MAX - 1 || !MON_GROW(st->edges, st->capedges, st->nedges, 1))
    return UINT32_MAX;
  e = (uint32_t)st->nedges;
  if (!mon_map_put(&st->map[kind], key, e)) return UINT32_MAX;
  st->edges[st->nedges++] = (edge){caller, callee, (uint8_t)kind, 0};
  return e;
}

static int on_call(inro_frame *f, void *env) {
  call_site *site = env;
  if (mon_done_ahead(site->m) || !mon_in_now(site->m)) return 1;
  calls_st *st = site->m->st;
  if (!site->indirect) {
    st->edges[site->edge].count++;
    return 1;
  }
  uint32_t callee;
  if (!inro_frame_table_func(f, site->table, (uint32_t)inro_frame_operand_bits(f, 0), &callee))
    callee = NO_FUNC;
  if (st->edges[site->edge].callee != callee) {
    uint32_t e = edge_of(st, site->caller, callee, CALL_INDIRECT);
    if (e == UINT32_MAX) return inro_frame_trap(f, "calls monitor: out of memory");
    site->edge = e;
  }
  st->edges[site->edge].count++;
  return 1;
}

/* A call site: bound to its edge (direct) or a placeholder edge with an
** unknown callee (indirect). */
static int pick_call(monitor *m, uint32_t funcidx, const mon_instr *in, void **env) {
  calls_st *st = m->st;
  if (in->op != OP_CALL && in->op != OP_CALL_INDIRECT) return 0;
  uint64_t a, b;
  mon_imm(&m->set->mm, in->offset, &a, &b, NULL);
  call_site *site = &st->sites[st->nsites];
  site->m = m;
  site->caller = funcidx;
  site->table = (uint32_t)b;
  site->indirect = in->op == OP_CALL_INDIRECT;
  site->edge = edge_of(st, funcidx, site->indirect ? NO_FUNC : (uint32_t)a,
                       site->indirect ? CALL_INDIRECT : CALL_DIRECT);
  if (site->edge == UINT32_MAX) return -1;
  st->nsites++;
  *env = site;
  return 1;
}

static int calls_start(monitor *m, inro_error *err) {
  calls_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  size_t n = 0;
  for (size_t i = 0; i < mm->ninstrs; i++)
    n += mm->instrs[i].op == OP_CALL || mm->instrs[i].op == OP_CALL_INDIRECT;
  free(st->sites);
  st->sites = calloc(n + 1, sizeof *st->sites);
  st->nsites = 0;
  return st->sites && mon_probe_sites(m, pick_call, on_call, err);
}

static void calls_stopped(monitor *m) {
  calls_st *st = m->st;
  free(st->sites);
  st->sites = NULL;
  st->nsites = 0;
}

static int by_edge(const void *a, const void *b) {
  const edge *x = a, *y = b;
  if (x->caller != y->caller) return x->caller < y->caller ? -1 : 1;
  if (x->callee != y->callee) return x->callee < y->callee ? -1 : 1;
  return x->kind - y->kind;
}

static int by_count(const void *a, const void *b) {
  const edge *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return by_edge(a, b);
}

/* The edges that were taken, sorted by cmp (malloc'd; *n of them). */
static edge *taken(const calls_st *st, size_t *n, int (*cmp)(const void *, const void *)) {
  edge *e = malloc((st->nedges + 1) * sizeof *e);
  *n = 0;
  if (!e) return NULL;
  for (size_t i = 0; i < st->nedges; i++)
    if (st->edges[i].count) e[(*n)++] = st->edges[i];
  qsort(e, *n, sizeof *e, cmp);
  return e;
}

static int is_host(const monitor *m, uint32_t callee) {
  return callee != NO_FUNC && callee < m->set->mm.nimports;
}

static void totals(const monitor *m, const edge *e, size_t n, uint64_t t[3]) {
  t[0] = t[1] = t[2] = 0;
  for (size_t i = 0; i < n; i++) {
    t[e[i].kind] += e[i].count;
    if (is_host(m, e[i].callee)) t[2] += e[i].count;
  }
}

static const char *callee_name(const monitor *m, uint32_t callee) {
  return callee == NO_FUNC ? NULL : mon_func_name(&m->set->mm, callee);
}

static void calls_text(monitor *m, FILE *out) {
  size_t n;
  uint64_t t[3];
  edge *e = taken(m->st, &n, by_count);
  if (!e) return;
  totals(m, e, n, t);
  fprintf(out, "%llu calls: %llu direct, %llu indirect, %llu to the host; %zu edges\n",
          (unsigned long long)(t[0] + t[1]), (unsigned long long)t[0],
          (unsigned long long)t[1], (unsigned long long)t[2], n);
  for (size_t i = 0; i < n; i++) {
    const char *callee = callee_name(m, e[i].callee);
    fprintf(out, "  %14llu  %s -> %s%s%s\n", (unsigned long long)e[i].count,
            mon_func_name(&m->set->mm, e[i].caller), callee ? callee : "?",
            e[i].kind == CALL_INDIRECT ? " (indirect)" : "",
            is_host(m, e[i].callee) ? " (host)" : "");
  }
  free(e);
}

/* "edges": [{"callee", "callee_name", "caller", "caller_name", "count",
** "host", "kind"}], "totals": {"direct", "host", "indirect"} */
static void calls_json(monitor *m, mon_json *j) {
  size_t n;
  uint64_t t[3];
  edge *e = taken(m->st, &n, by_edge);
  if (!e) {
    j->failed = 1;
    return;
  }
  totals(m, e, n, t);
  js_key(j, "edges");
  js_begin_arr(j);
  for (size_t i = 0; i < n; i++) {
    js_begin_obj(j);
    js_key(j, "callee");
    if (e[i].callee == NO_FUNC) js_null(j);
    else js_u64(j, e[i].callee);
    js_key(j, "callee_name");
    js_str(j, callee_name(m, e[i].callee));
    js_key(j, "caller");
    js_u64(j, e[i].caller);
    js_key(j, "caller_name");
    js_str(j, mon_func_name(&m->set->mm, e[i].caller));
    js_key(j, "count");
    js_u64(j, e[i].count);
    js_key(j, "host");
    js_raw(j, is_host(m, e[i].callee) ? "true" : "false");
    js_key(j, "kind");
    js_str(j, e[i].kind == CALL_DIRECT ? "direct" : "indirect");
    js_end_obj(j);
  }
  js_end_arr(j);
  js_key(j, "totals");
  js_begin_obj(j);
  js_key(j, "direct");
  js_u64(j, t[0]);
  js_key(j, "host");
  js_u64(j, t[2]);
  js_key(j, "indirect");
  js_u64(j, t[1]);
  js_end_obj(j);
  free(e);
}

static void calls_save(const monitor *m, mon_buf *b) {
  const calls_st *st = m->st;
  uint32_t n = 0;
  for (size_t i = 0; i < st->nedges; i++) n += st->edges[i].count != 0;
  mon_put_u32(b, n);
  for (size_t i = 0; i < st->nedges; i++) {
    const edge *e = &st->edges[i];
    if (!e->count) continue;
    mon_put_u32(b, e->caller);
    mon_put_u32(b, e->callee);
    mon_put_u8(b, e->kind);
    mon_put_u64(b, e->count);
  }
}

static int calls_load(monitor *m, mon_rd *r) {
  calls_st *st = m->st;
  uint32_t n = mon_get_count(r, 17);
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    uint32_t caller = mon_get_u32(r), callee = mon_get_u32(r);
    uint8_t kind = mon_get_u8(r);
    uint64_t count = mon_get_u64(r);
    if (r->failed || kind > CALL_INDIRECT) return 0;
    uint32_t e = edge_of(st, caller, callee, kind);
    if (e == UINT32_MAX) return 0;
    st->edges[e].count += count;
  }
  return !r->failed;
}

const mon_ops mon_calls_ops = {
  .name = "calls",
  .create = calls_create,
  .start = calls_start,
  .stopped = calls_stopped,
  .text = calls_text,
  .json = calls_json,
  .save = calls_save,
  .load = calls_load,
  .destroy = calls_destroy,
};
