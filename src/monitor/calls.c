/*
** calls.c -- the calls monitor: the dynamic call graph, caller -> callee
** edges with counts, and the exceptions each function throws and catches.
**
** Probes: one per call site and per throw, and one catch probe.  A
** `call` (or `return_call`) knows its callee statically, and a throw its
** function: a counter probe counts them (into a counter per direct edge,
** added to the edge when reporting; what one counted ahead of the
** program standing at a probe there comes off a report and a stop there,
** and a start there counts it; under a window that ends a local probe
** instead, which knows the instruction clock).  A
** `call_indirect` reads the element index (its top operand) and asks the
** instance's table which function that is (inro_frame_table_func); a
** `call_ref` reads the function reference on top and asks the instance
** for its index (inro_instance_func_index); a one-entry cache per site
** skips the map lookup when a site keeps calling the same function.  A
** tail call (`return_call*`) is an edge of its own kind: the caller's
** frame is gone once it is made.  Calls to imported functions are host
** calls.  Calls made by the host (_start itself, or callbacks) have no
** call site and are not edges.  A throw, throw_ref or rethrow counts for
** its function; a catch for the function whose handler caught.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/opcodes.h"
#include "monitor/mon.h"

/* Edge kinds: how the call site names its callee, and whether it is a
** tail call.  Saved as numbers: keep the order. */
enum { CALL_DIRECT, CALL_INDIRECT, CALL_REF, TAIL_DIRECT, TAIL_INDIRECT, TAIL_REF, NKINDS };
static const char *const kind_names[NKINDS] = {
  "direct", "indirect", "ref", "tail", "tail_indirect", "tail_ref"};
#define NO_FUNC UINT32_MAX
#define SITE_THROW NKINDS /* a site that throws */

typedef struct edge {
  uint32_t caller, callee;  /* callee NO_FUNC: unknown (the call traps) */
  uint8_t kind;
  uint64_t count;
} edge;

typedef struct call_site {
  monitor *m;
  uint32_t caller;
  uint32_t edge;            /* direct: its edge; indirect, ref: the last one */
  uint32_t table;           /* indirect */
  uint8_t kind;             /* an edge kind, or SITE_THROW */
} call_site;

typedef struct calls_st {
  edge *edges;
  size_t nedges, capedges;
  int counting;             /* counter probes on the direct calls and throws */
  uint64_t *direct;         /* their counts per edge [0, ndirect), not yet in edges */
  size_t ndirect;
  mon_map map[NKINDS];      /* per kind: caller << 32 | callee -> edge */
  call_site *sites;
  size_t nsites;
  uint64_t *throws, *catches; /* per function index */
  uint32_t nfuncs;
} calls_st;

static void *calls_create(void) { return calloc(1, sizeof(calls_st)); }

static void calls_destroy(void *p) {
  calls_st *st = p;
  free(st->edges);
  free(st->direct);
  for (int k = 0; k < NKINDS; k++) mon_map_free(&st->map[k]);
  free(st->sites);
  free(st->throws);
  free(st->catches);
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

/* The per-function counters, for a module of n functions. */
static int counters(calls_st *st, uint32_t n) {
  if (st->throws && st->nfuncs >= n) return 1;
  if (n < st->nfuncs) n = st->nfuncs;
  uint64_t *t = realloc(st->throws, (n + 1) * sizeof *t), *c;
  if (!t) return 0;
  st->throws = t;
  if (!(c = realloc(st->catches, (n + 1) * sizeof *c))) return 0;
  st->catches = c;
  memset(t + st->nfuncs, 0, (n + 1 - st->nfuncs) * sizeof *t);
  memset(c + st->nfuncs, 0, (n + 1 - st->nfuncs) * sizeof *c);
  st->nfuncs = n;
  return 1;
}

static int on_site(inro_frame *f, void *env) {
  call_site *site = env;
  if (mon_done_ahead(site->m) || !mon_in_now(site->m)) return 1;
  calls_st *st = site->m->st;
  uint32_t callee;
  switch (site->kind) {
  case SITE_THROW:
    st->throws[site->caller]++;
    return 1;
  case CALL_DIRECT: case TAIL_DIRECT:
    st->edges[site->edge].count++;
    return 1;
  case CALL_INDIRECT: case TAIL_INDIRECT:
    if (!inro_frame_table_func(f, site->table, (uint32_t)inro_frame_operand_bits(f, 0), &callee))
      callee = NO_FUNC;
    break;
  default: { /* call_ref: the function reference on top */
    const inro_func *fn = (const inro_func *)(uintptr_t)inro_frame_operand_bits(f, 0);
    if (!fn || !inro_instance_func_index(inro_frame_instance(f), fn, &callee)) callee = NO_FUNC;
    break;
  }
  }
  if (st->edges[site->edge].callee != callee) {
    uint32_t e = edge_of(st, site->caller, callee, site->kind);
    if (e == UINT32_MAX) return inro_frame_trap(f, "calls monitor: out of memory");
    site->edge = e;
  }
  st->edges[site->edge].count++;
  return 1;
}

static int on_catch(inro_frame *f, void *env) {
  monitor *m = env;
  calls_st *st = m->st;
  uint32_t func = inro_frame_func_index(f);
  if (mon_in_now(m) && func < st->nfuncs) st->catches[func]++;
  return 1;
}

/* The kind of a site's instruction, or -1 for none. */
static int site_kind(int op) {
  switch (op) {
  case OP_CALL: return CALL_DIRECT;
  case OP_CALL_INDIRECT: return CALL_INDIRECT;
  case OP_CALL_REF: return CALL_REF;
  case OP_RETURN_CALL: return TAIL_DIRECT;
  case OP_RETURN_CALL_INDIRECT: return TAIL_INDIRECT;
  case OP_RETURN_CALL_REF: return TAIL_REF;
  case OP_THROW: case OP_THROW_REF: case OP_RETHROW: return SITE_THROW;
  default: return -1;
  }
}

/* A site: a call bound to its edge (direct) or a placeholder edge with an
** unknown callee (indirect, ref), or a throw. */
static int pick_site(monitor *m, uint32_t funcidx, const mon_instr *in, void **env) {
  calls_st *st = m->st;
  int kind = site_kind(in->op);
  if (kind < 0) return 0;
  uint64_t a, b;
  mon_imm(&m->set->mm, in->offset, &a, &b, NULL);
  call_site *site = &st->sites[st->nsites];
  site->m = m;
  site->caller = funcidx;
  site->table = (uint32_t)b;
  site->kind = (uint8_t)kind;
  site->edge = 0;
  if (kind != SITE_THROW) {
    int direct = kind == CALL_DIRECT || kind == TAIL_DIRECT;
    site->edge = edge_of(st, funcidx, direct ? (uint32_t)a : NO_FUNC, kind);
    if (site->edge == UINT32_MAX) return -1;
  }
  st->nsites++;
  *env = site;
  return 1;
}

static int counted(int kind) {
  return kind == CALL_DIRECT || kind == TAIL_DIRECT || kind == SITE_THROW;
}

/* Sites the callback sees while counting: the indirect calls and calls
** by reference (built sites are in offset order, as visited). */
static int pick_called_back(monitor *m, uint32_t funcidx, const mon_instr *in, void **env) {
  (void)funcidx;
  calls_st *st = m->st;
  if (site_kind(in->op) < 0) return 0;
  call_site *site = &st->sites[st->nsites++];
  if (counted(site->kind)) return 0;
  *env = site;
  return 1;
}

/* The count of the site the program standing at f is at, if its counter
** counted it ahead: f stands at a probe before a direct call or a throw
** (not at a call in progress, the end of a slice or a catch, where the
** counter has not run or the instruction has).  With `folded`, a direct
** call's count is its edge's. */
static uint64_t *ahead_count(monitor *m, inro_frame *f, int past, int folded) {
  calls_st *st = m->st;
  if (!st->counting || !f || past ||
      (inro_frame_reason(f) & (INRO_PROBE_AT_CALL | INRO_PROBE_AT_SLICE | INRO_PROBE_AT_CATCH)))
    return NULL;
  const mon_instr *in = mon_instr_at(&m->set->mm, inro_frame_offset(f));
  int kind = in ? site_kind(in->op) : -1;
  uint32_t caller = inro_frame_func_index(f);
  if (kind < 0 || !counted(kind) || caller >= st->nfuncs) return NULL;
  if (kind == SITE_THROW) return &st->throws[caller];
  uint64_t callee;
  mon_imm(&m->set->mm, in->offset, &callee, NULL, NULL);
  uint32_t e = mon_map_get(&st->map[kind], (uint64_t)caller << 32 | (uint32_t)callee);
  if (e >= st->ndirect) return NULL;
  return folded ? &st->edges[e].count : &st->direct[e];
}

/* Counter probes on the direct calls and throws, function by function;
** the other sites get their local probes after. */
static int count_sites(monitor *m, inro_error *err) {
  calls_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  free(st->direct);
  st->ndirect = st->nedges;
  st->direct = calloc(st->ndirect + 1, sizeof *st->direct);
  uint32_t *offsets = malloc(mm->most_instrs * sizeof *offsets);
  uint64_t **cells = malloc(mm->most_instrs * sizeof *cells);
  int ok = st->direct && offsets && cells;
  size_t s = 0;
  for (uint32_t d = 0; ok && d < mm->nfuncs - mm->nimports; d++) {
    const mon_func *fn = &mm->funcs[d];
    size_t n = 0;
    for (uint32_t i = fn->first; i < fn->first + fn->count; i++) {
      if (site_kind(mm->instrs[i].op) < 0) continue;
      const call_site *site = &st->sites[s++];
      if (!counted(site->kind)) continue;
      offsets[n] = mm->instrs[i].offset;
      cells[n++] = site->kind == SITE_THROW ? &st->throws[site->caller] : &st->direct[site->edge];
    }
    ok = mon_probe_counters(m, mm->nimports + d, offsets, cells, NULL, n, err);
  }
  free(offsets);
  free(cells);
  return ok;
}

/* Move the direct counts into their edges. */
static void fold(calls_st *st) {
  for (size_t e = 0; st->counting && e < st->ndirect; e++) {
    st->edges[e].count += st->direct[e];
    st->direct[e] = 0;
  }
}

static int calls_start(monitor *m, inro_error *err) {
  calls_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  size_t n = 0;
  for (size_t i = 0; i < mm->ninstrs; i++) n += site_kind(mm->instrs[i].op) >= 0;
  free(st->sites);
  st->sites = calloc(n + 1, sizeof *st->sites);
  st->nsites = 0;
  if (!st->sites || !counters(st, mm->nfuncs)) return 0;
  if (m->windowed)
    return mon_probe_sites(m, pick_site, on_site, err) && mon_probe_catch(m, on_catch, m, err);
  /* the sites (and the edges of the direct ones) first, then the probes */
  for (uint32_t d = 0; d < mm->nfuncs - mm->nimports; d++) {
    const mon_func *fn = &mm->funcs[d];
    for (uint32_t i = fn->first; i < fn->first + fn->count; i++) {
      void *env;
      if (pick_site(m, mm->nimports + d, &mm->instrs[i], &env) < 0) return 0;
    }
  }
  if (!count_sites(m, err)) return 0;
  st->counting = 1;
  uint64_t *c = ahead_count(m, m->set->here, m->set->here_past, 0);
  if (c) ++*c; /* under way at a counted site: its counter has run */
  st->nsites = 0;
  return mon_probe_sites(m, pick_called_back, on_site, err) && mon_probe_catch(m, on_catch, m, err);
}

static void calls_stopped(monitor *m) {
  calls_st *st = m->st;
  uint64_t *c = ahead_count(m, m->set->here, 0, 0);
  if (c) --*c; /* counted ahead (modulo 2^64): does not happen now */
  fold(st);
  st->counting = 0;
  free(st->sites);
  st->sites = NULL;
  st->nsites = 0;
}

/* Before a report: the counts in their edges, less what a counter counted
** ahead of the program standing at a probe (sign -1), and back (+1). */
static void settle(monitor *m, int sign) {
  fold(m->st);
  uint64_t *c = ahead_count(m, m->set->here, 0, 1);
  if (c) *c = sign < 0 ? *c - 1 : *c + 1;
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

/* Calls by kind: direct, indirect, by reference (tail calls among them
** too), tail calls, and to the host. */
enum { T_DIRECT, T_INDIRECT, T_REF, T_TAIL, T_HOST, NTOTALS };

static void totals(const monitor *m, const edge *e, size_t n, uint64_t t[NTOTALS]) {
  memset(t, 0, NTOTALS * sizeof *t);
  for (size_t i = 0; i < n; i++) {
    int k = e[i].kind, tail = k >= TAIL_DIRECT;
    t[tail ? k - TAIL_DIRECT : k] += e[i].count;
    if (tail) t[T_TAIL] += e[i].count;
    if (is_host(m, e[i].callee)) t[T_HOST] += e[i].count;
  }
}

static const char *callee_name(const monitor *m, uint32_t callee) {
  return callee == NO_FUNC ? NULL : mon_func_name(&m->set->mm, callee);
}

static void exception_totals(const calls_st *st, uint64_t *throws, uint64_t *catches) {
  *throws = *catches = 0;
  for (uint32_t i = 0; i < st->nfuncs; i++) {
    *throws += st->throws[i];
    *catches += st->catches[i];
  }
}

static void report_text(monitor *m, FILE *out) {
  size_t n;
  uint64_t t[NTOTALS], throws, catches;
  const calls_st *st = m->st;
  edge *e = taken(st, &n, by_count);
  if (!e) return;
  totals(m, e, n, t);
  fprintf(out, "%llu calls: %llu direct, %llu indirect, %llu by reference, %llu tail calls, "
               "%llu to the host; %zu edges\n",
          (unsigned long long)(t[T_DIRECT] + t[T_INDIRECT] + t[T_REF]),
          (unsigned long long)t[T_DIRECT], (unsigned long long)t[T_INDIRECT],
          (unsigned long long)t[T_REF], (unsigned long long)t[T_TAIL],
          (unsigned long long)t[T_HOST], n);
  for (size_t i = 0; i < n; i++) {
    const char *callee = callee_name(m, e[i].callee);
    int plain = e[i].kind == CALL_DIRECT;
    fprintf(out, "  %14llu  %s -> %s%s%s%s%s\n", (unsigned long long)e[i].count,
            mon_func_name(&m->set->mm, e[i].caller), callee ? callee : "?",
            plain ? "" : " (", plain ? "" : kind_names[e[i].kind], plain ? "" : ")",
            is_host(m, e[i].callee) ? " (host)" : "");
  }
  free(e);
  exception_totals(st, &throws, &catches);
  if (!throws && !catches) return;
  fprintf(out, "exceptions: %llu thrown, %llu caught\n", (unsigned long long)throws,
          (unsigned long long)catches);
  for (uint32_t i = 0; i < st->nfuncs; i++)
    if (st->throws[i] || st->catches[i])
      fprintf(out, "  %s: %llu thrown, %llu caught\n", mon_func_name(&m->set->mm, i),
              (unsigned long long)st->throws[i], (unsigned long long)st->catches[i]);
}

/* "edges": [{"callee", "callee_name", "caller", "caller_name", "count",
** "host", "kind"}], "exceptions": {"by_function": [{"catches", "func",
** "func_name", "throws"}], "catches", "throws"}, "totals": {"direct",
** "host", "indirect", "ref", "tail"} */
static void report_json(monitor *m, mon_json *j) {
  size_t n;
  uint64_t t[NTOTALS], throws, catches;
  const calls_st *st = m->st;
  edge *e = taken(st, &n, by_edge);
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
    js_str(j, kind_names[e[i].kind]);
    js_end_obj(j);
  }
  js_end_arr(j);
  free(e);
  exception_totals(st, &throws, &catches);
  js_key(j, "exceptions");
  js_begin_obj(j);
  js_key(j, "by_function");
  js_begin_arr(j);
  for (uint32_t i = 0; i < st->nfuncs; i++) {
    if (!st->throws[i] && !st->catches[i]) continue;
    js_begin_obj(j);
    js_key(j, "catches");
    js_u64(j, st->catches[i]);
    js_key(j, "func");
    js_u64(j, i);
    js_key(j, "func_name");
    js_str(j, mon_func_name(&m->set->mm, i));
    js_key(j, "throws");
    js_u64(j, st->throws[i]);
    js_end_obj(j);
  }
  js_end_arr(j);
  js_key(j, "catches");
  js_u64(j, catches);
  js_key(j, "throws");
  js_u64(j, throws);
  js_end_obj(j);
  js_key(j, "totals");
  js_begin_obj(j);
  js_key(j, "direct");
  js_u64(j, t[T_DIRECT]);
  js_key(j, "host");
  js_u64(j, t[T_HOST]);
  js_key(j, "indirect");
  js_u64(j, t[T_INDIRECT]);
  js_key(j, "ref");
  js_u64(j, t[T_REF]);
  js_key(j, "tail");
  js_u64(j, t[T_TAIL]);
  js_end_obj(j);
}

/* Saved: the edges, then (since tail calls and exceptions came) the
** functions that threw or caught; a state saved before has no such part. */
static void calls_text(monitor *m, FILE *out) {
  settle(m, -1);
  report_text(m, out);
  settle(m, 1);
}

static void calls_json(monitor *m, mon_json *j) {
  settle(m, -1);
  report_json(m, j);
  settle(m, 1);
}

/* The counts as they are, ahead included (the restored program goes on
** after the counter). */
static void calls_save(const monitor *m, mon_buf *b) {
  fold(m->st);
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
  n = 0;
  for (uint32_t i = 0; i < st->nfuncs; i++) n += st->throws[i] || st->catches[i];
  mon_put_u32(b, n);
  for (uint32_t i = 0; i < st->nfuncs; i++) {
    if (!st->throws[i] && !st->catches[i]) continue;
    mon_put_u32(b, i);
    mon_put_u64(b, st->throws[i]);
    mon_put_u64(b, st->catches[i]);
  }
}

static int calls_load(monitor *m, mon_rd *r) {
  calls_st *st = m->st;
  uint32_t n = mon_get_count(r, 17);
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    uint32_t caller = mon_get_u32(r), callee = mon_get_u32(r);
    uint8_t kind = mon_get_u8(r);
    uint64_t count = mon_get_u64(r);
    if (r->failed || kind >= NKINDS) return 0;
    uint32_t e = edge_of(st, caller, callee, kind);
    if (e == UINT32_MAX) return 0;
    st->edges[e].count += count;
  }
  if (r->failed || r->p == r->end) return !r->failed;
  n = mon_get_count(r, 20);
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    uint32_t func = mon_get_u32(r);
    uint64_t throws = mon_get_u64(r), catches = mon_get_u64(r);
    /* Loaded before the module is known: grow to the function named
    ** (a module has at most that many functions' worth of bytes). */
    if (r->failed || func >= (1u << 24) || !counters(st, func + 1)) return 0;
    st->throws[func] += throws;
    st->catches[func] += catches;
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
