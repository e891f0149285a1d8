/*
** profile.c -- the profile monitor: instructions per function, self (at
** the top of the stack) and total (anywhere on it, counted once per
** instruction however deep the recursion), in a calling-context tree, and
** as folded stacks ("main;f;g 1234") for flamegraph.pl.
**
** Probes: a context probe (inro.h) keeps the tree and its top, the node
** of the innermost call, with no callback.  The instructions between two of its
** events go to the self count of the top node: counted by a clock, one
** counter probe per run (monitor/runs.c) adding the run's length.  A
** run's counter goes ahead of the program (runs.c): at an entry the
** callee's first run is counted already (the probe's ahead), at an exit
** (a `return` or the final `end`, the last of their run) nothing more,
** nor at a catch probe (the handler's run is yet to come).  With a window
** that ends the dispatcher's tick counts instead, and entry and exit
** probes do what the context probe does (inro_contexts_enter).  When the
** probes go in (attach, a window opening, a restored snapshot) the frames
** already running are unknown, so the first event rebuilds the top from
** the frames (the tree's sync); so does a catch, since the
** frames an exception unwound left without their exit events.  A tail
** call is an exit, then an entry.
*/
#include <stdlib.h>
#include <string.h>

#include "monitor/mon.h"

#define ROOT 0  /* the host: the tree's root, no function */

typedef struct prof_st {
  inro_contexts t;          /* nodes and top (inro.h) */
  size_t n, cap;
  mon_map children;         /* parent << 32 | func -> node */
  /* By counters: the clock; per instruction of the module its run, per
  ** run its length, per defined function its first run's length (what
  ** the clock is ahead at its entry). */
  int counting;
  uint64_t clock;
  uint32_t *run, *run_len, nruns;
  uint32_t *first_len;
} prof_st;

static uint32_t child_of_top(inro_contexts *t, uint32_t func);

static void *prof_create(void) {
  prof_st *st = calloc(1, sizeof *st);
  if (st && !MON_GROW(st->t.nodes, st->cap, 0, 1)) {
    free(st);
    return NULL;
  }
  if (st) {
    st->t.nodes[0] = (inro_context_node){ROOT, UINT32_MAX, 0, 0, UINT32_MAX, 0};
    st->n = 1;
    st->t.top = ROOT;
    st->t.child = child_of_top;
    st->t.env = st;
  }
  return st;
}

static void prof_destroy(void *p) {
  prof_st *st = p;
  free(st->t.nodes);
  free(st->run);
  free(st->run_len);
  free(st->first_len);
  mon_map_free(&st->children);
  free(st);
}

/* The child of parent for func, created if new; UINT32_MAX without memory. */
static uint32_t child(prof_st *st, uint32_t parent, uint32_t func) {
  uint64_t key = (uint64_t)parent << 32 | func;
  uint32_t c = mon_map_get(&st->children, key);
  if (c == UINT32_MAX) {
    if (st->n >= UINT32_MAX - 1 || !MON_GROW(st->t.nodes, st->cap, st->n, 1)) return UINT32_MAX;
    c = (uint32_t)st->n;
    if (!mon_map_put(&st->children, key, c)) return UINT32_MAX;
    st->t.nodes[st->n++] = (inro_context_node){parent, func, 0, 0, UINT32_MAX, 0};
  }
  return c;
}

/* The context probe's callback: the top's child. */
static uint32_t child_of_top(inro_contexts *t, uint32_t func) {
  return child(t->env, t->top, func);
}

/* By counters: the instructions up to `now` go to the top node. */
static void due(prof_st *st, uint64_t now) {
  st->t.nodes[st->t.top].self += now - st->t.last;
  st->t.last = now;
}

/* The clock less what runs counted ahead of frame f's instruction. */
static uint64_t clock_at(const monitor *m, inro_frame *f, int past) {
  const prof_st *st = m->st;
  size_t a = 0, b = 0;
  if (f) mon_ahead_of(&m->set->mm, f, past, &a, &b);
  return st->clock - (b - a);
}

/* Entry and exit probes while a window with an end is open (counted by
** ticks), and the entry of a tree started at an entry probe: what the
** context probe does. */
static int on_entry(inro_frame *f, void *env) {
  monitor *m = env;
  if (!mon_in_now(m)) return 1;
  prof_st *st = m->st;
  return inro_contexts_enter(&st->t, f) || inro_frame_trap(f, "profile monitor: out of memory");
}

static int on_exit(inro_frame *f, void *env) {
  monitor *m = env;
  prof_st *st = m->st;
  if (mon_in_exit(m)) inro_contexts_exit(&st->t, f);
  return 1;
}

/* An exception left the frames it unwound without their exit events:
** what ran since the last event goes to the top node (the thrower, or one
** it called), then the top is rebuilt from the catching frame. */
static int on_catch(inro_frame *f, void *env) {
  monitor *m = env;
  prof_st *st = m->st;
  if (st->counting) {
    due(st, st->clock);
    inro_contexts_sync(&st->t, f);
  } else {
    st->t.sync = 1;
  }
  return 1;
}

static void prof_tick(monitor *m, inro_frame *f, uint32_t offset) {
  (void)offset;
  prof_st *st = m->st;
  if (st->t.sync) inro_contexts_sync(&st->t, f); /* without memory: counted at the root */
  st->t.nodes[st->t.top].self++;
}

/* Counter probes: at each run's start, the run's length onto the clock. */
static int probe_runs(monitor *m, inro_error *err) {
  prof_st *st = m->st;
  const mon_module *mm = &m->set->mm;
  free(st->run);
  free(st->run_len);
  free(st->first_len);
  st->run = mon_runs(mm, &st->nruns);
  st->run_len = calloc(st->nruns + 1, sizeof *st->run_len);
  st->first_len = calloc(mm->nfuncs - mm->nimports + 1, sizeof *st->first_len);
  if (!st->run || !st->run_len || !st->first_len) return 0;
  for (size_t i = 0; i < mm->ninstrs; i++) st->run_len[st->run[i]]++;
  for (uint32_t d = 0; d < mm->nfuncs - mm->nimports; d++)
    if (mm->funcs[d].count) st->first_len[d] = st->run_len[st->run[mm->funcs[d].first]];
  return mon_probe_runs(m, st->run, &st->clock, 0, st->run_len, err);
}

static int prof_start(monitor *m, inro_error *err) {
  prof_st *st = m->st;
  st->t.sync = 1;
  st->counting = !m->windowed;
  m->ticking = !st->counting;
  st->t.clock = NULL;
  if (!st->counting)
    return mon_probe_entry(m, on_entry, m, err) && mon_probe_exit(m, on_exit, m, err) &&
           mon_probe_catch(m, on_catch, m, err);
  /* Under way: the rest of the run at `here` is not on the clock. */
  st->t.last = st->clock;
  if (m->set->here) st->clock += st->clock - clock_at(m, m->set->here, m->set->here_past);
  if (!probe_runs(m, err)) return 0;
  st->t.clock = &st->clock;
  st->t.ahead = st->first_len;
  return mon_probe_contexts(m, &st->t, on_entry, m, err) && mon_probe_catch(m, on_catch, m, err);
}

static void prof_settle(monitor *m, inro_frame *f) {
  prof_st *st = m->st;
  if (!st->counting) return;
  if (st->t.sync && f) inro_contexts_sync(&st->t, f); /* without a frame: to the root */
  due(st, clock_at(m, f, 0));
}

static void prof_stopped(monitor *m) {
  prof_st *st = m->st;
  prof_settle(m, m->set->here);
  st->counting = 0;
}

static void prof_trapped(monitor *m, uint32_t funcidx, uint32_t offset) {
  prof_st *st = m->st;
  size_t a, b;
  if (!st->counting) return;
  mon_ahead_at(&m->set->mm, funcidx, offset, 1, &a, &b);
  st->clock -= b - a; /* never run */
}

/* ------------------------------------------------------------ reporting */

/* The tree in a canonical order: preorder, children by function index. */
typedef struct walk {
  uint32_t *order;      /* node ids in preorder */
  uint32_t *first;      /* children of node k: kids[first[k] .. first[k+1]) */
  uint32_t *kids;
  uint64_t *incl;       /* inclusive instructions per node */
  uint64_t *total;      /* per function index: total, recursion counted once */
  uint64_t *calls, *self; /* per function index */
  uint32_t nfuncs;
} walk;

static int by_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void walk_free(walk *w) {
  free(w->order);
  free(w->first);
  free(w->kids);
  free(w->incl);
  free(w->total);
  free(w->calls);
  free(w->self);
}

static int walk_make(const monitor *m, walk *w) {
  const prof_st *st = m->st;
  size_t n = st->n;
  memset(w, 0, sizeof *w);
  w->nfuncs = 1;
  for (size_t i = 1; i < n; i++)
    if (st->t.nodes[i].func >= w->nfuncs) w->nfuncs = st->t.nodes[i].func + 1;
  w->order = malloc(n * sizeof *w->order);
  w->first = calloc(n + 1, sizeof *w->first);
  w->kids = malloc(n * sizeof *w->kids);
  w->incl = calloc(n, sizeof *w->incl);
  w->total = calloc(w->nfuncs, sizeof *w->total);
  w->calls = calloc(w->nfuncs, sizeof *w->calls);
  w->self = calloc(w->nfuncs, sizeof *w->self);
  uint32_t *onpath = calloc(w->nfuncs, sizeof *onpath);
  uint32_t *fill = calloc(n + 1, sizeof *fill);
  uint32_t *todo = malloc(2 * n * sizeof *todo);
  uint64_t *keys = malloc(n * sizeof *keys);
  uint8_t *outer = calloc(n, 1);
  int ok = w->order && w->first && w->kids && w->incl && w->total && w->calls &&
           w->self && onpath && fill && todo && keys && outer;
  if (ok) {
    /* Children lists by counting sort on the parent, each sorted by
    ** function (the key: function << 32 | node). */
    for (size_t i = 1; i < n; i++) w->first[st->t.nodes[i].parent + 1]++;
    for (size_t i = 0; i < n; i++) w->first[i + 1] += w->first[i];
    for (size_t i = 1; i < n; i++) {
      uint32_t p = st->t.nodes[i].parent;
      keys[w->first[p] + fill[p]++] = (uint64_t)st->t.nodes[i].func << 32 | i;
    }
    for (size_t i = 0; i < n; i++)
      qsort(keys + w->first[i], w->first[i + 1] - w->first[i], sizeof *keys, by_u64);
    for (size_t i = 0; i + 1 < n; i++) w->kids[i] = (uint32_t)keys[i];
    /* Preorder, iteratively (recursion may be deep); an entry of todo is
    ** 2*node to enter it, 2*node+1 to leave it. */
    size_t ntodo = 0, k = 0;
    todo[ntodo++] = 0;
    while (ntodo) {
      uint32_t t = todo[--ntodo], id = t / 2;
      uint32_t f = st->t.nodes[id].func;
      if (t % 2) {
        if (id != ROOT) onpath[f]--;
        continue;
      }
      w->order[k++] = id;
      if (id != ROOT) {
        outer[id] = onpath[f] == 0; /* no ancestor runs the same function */
        onpath[f]++;
        w->calls[f] += st->t.nodes[id].calls;
        w->self[f] += st->t.nodes[id].self;
      }
      todo[ntodo++] = 2 * id + 1;
      for (uint32_t c = w->first[id + 1]; c-- > w->first[id];) todo[ntodo++] = 2 * w->kids[c];
    }
    /* Inclusive counts bottom-up (reverse preorder), then totals: the
    ** outermost nodes of each function count for it. */
    for (size_t i = n; i-- > 0;) {
      uint32_t id = w->order[i];
      w->incl[id] += st->t.nodes[id].self;
      if (id != ROOT) w->incl[st->t.nodes[id].parent] += w->incl[id];
    }
    for (size_t i = 1; i < n; i++)
      if (outer[i]) w->total[st->t.nodes[i].func] += w->incl[i];
  }
  free(onpath);
  free(fill);
  free(todo);
  free(keys);
  free(outer);
  if (!ok) walk_free(w);
  return ok;
}

static void prof_text(monitor *m, FILE *out) {
  const prof_st *st = m->st;
  walk w;
  if (!walk_make(m, &w)) return;
  fprintf(out, "%llu instructions, %zu calling contexts\n", (unsigned long long)w.incl[ROOT], st->n - 1);
  fprintf(out, "  %14s %14s %12s  function\n", "self", "total", "calls");
  /* Functions by self count, then index: selection of the next largest
  ** keeps this simple; there are few functions with counts. */
  uint8_t *done = calloc(w.nfuncs, 1);
  for (uint32_t shown = 0; done && shown < w.nfuncs; shown++) {
    uint32_t best = UINT32_MAX;
    for (uint32_t f = 0; f < w.nfuncs; f++)
      if (!done[f] && (w.calls[f] || w.self[f]) && (best == UINT32_MAX || w.self[f] > w.self[best]))
        best = f;
    if (best == UINT32_MAX) break;
    done[best] = 1;
    char where[MON_WHERE_MAX];
    const char *at = mon_func_where(&m->set->mm, best, where, sizeof where);
    fprintf(out, "  %14llu %14llu %12llu  %s%s%s\n", (unsigned long long)w.self[best],
            (unsigned long long)w.total[best], (unsigned long long)w.calls[best],
            mon_func_name(&m->set->mm, best), at ? "  " : "", at ? at : "");
  }
  free(done);
  walk_free(&w);
}

/* "contexts": [{"calls", "func", "id", "name", "parent", "self", "total"}]
** in preorder (ids are preorder positions, the root is id 0 and not
** listed), "functions": [{"calls", "func", "name", "self", "total"}],
** "instructions" */
static void prof_json(monitor *m, mon_json *j) {
  const prof_st *st = m->st;
  walk w;
  if (!walk_make(m, &w)) {
    j->failed = 1;
    return;
  }
  uint32_t *pos = malloc(st->n * sizeof *pos);
  if (!pos) {
    j->failed = 1;
    walk_free(&w);
    return;
  }
  for (size_t i = 0; i < st->n; i++) pos[w.order[i]] = (uint32_t)i;
  js_key(j, "contexts");
  js_begin_arr(j);
  for (size_t i = 1; i < st->n; i++) {
    const inro_context_node *nd = &st->t.nodes[w.order[i]];
    js_begin_obj(j);
    js_key(j, "calls");
    js_u64(j, nd->calls);
    js_key(j, "func");
    js_u64(j, nd->func);
    js_key(j, "id");
    js_u64(j, i);
    js_key(j, "name");
    js_str(j, mon_func_name(&m->set->mm, nd->func));
    js_key(j, "parent");
    if (nd->parent == ROOT) js_null(j);
    else js_u64(j, pos[nd->parent]);
    js_key(j, "self");
    js_u64(j, nd->self);
    js_key(j, "total");
    js_u64(j, w.incl[w.order[i]]);
    js_end_obj(j);
  }
  js_end_arr(j);
  js_key(j, "functions");
  js_begin_arr(j);
  for (uint32_t f = 0; f < w.nfuncs; f++) {
    if (!w.calls[f] && !w.self[f]) continue;
    js_begin_obj(j);
    js_key(j, "calls");
    js_u64(j, w.calls[f]);
    js_key(j, "func");
    js_u64(j, f);
    js_key(j, "name");
    js_str(j, mon_func_name(&m->set->mm, f));
    js_key(j, "self");
    js_u64(j, w.self[f]);
    js_key(j, "source");
    char where[MON_WHERE_MAX];
    js_str(j, mon_func_where(&m->set->mm, f, where, sizeof where));
    js_key(j, "total");
    js_u64(j, w.total[f]);
    js_end_obj(j);
  }
  js_end_arr(j);
  js_key(j, "instructions");
  js_u64(j, w.incl[ROOT]);
  free(pos);
  walk_free(&w);
}

/* A frame name for flamegraph.pl: ';' separates frames and the count
** follows the last space, so ';' and line breaks are replaced. */
static void put_name(FILE *out, const char *s) {
  for (; *s; s++) fputc(*s == ';' ? ':' : (*s == '\n' || *s == '\r') ? ' ' : *s, out);
}

/* Stacks deeper than this are cut: a line per context would make deep
** recursion quadratic in size (100 000 levels: 30 GB).  The instructions
** of deeper contexts are reported on their ancestor at this depth, as
** "...;NAME;[deeper] COUNT". */
#define FOLD_MAX_DEPTH 1024

/* A stack with its own instructions: the nodes from the outermost down
** (path[0 .. depth)), whether it stands for the contexts below the
** depth limit, and the count. */
typedef void (*stack_fn)(monitor *m, const uint32_t *path, size_t depth, int deeper,
                         uint64_t count, void *env);

/* Every stack of the profile, in the preorder of the tree; 0 on failure. */
static int each_stack(monitor *m, stack_fn fn, void *env) {
  const prof_st *st = m->st;
  walk w;
  if (!walk_make(m, &w)) return 0;
  uint32_t *path = malloc(st->n * sizeof *path);
  uint32_t *depth = calloc(st->n, sizeof *depth);
  uint32_t *cut = malloc(st->n * sizeof *cut);   /* ancestor at the limit */
  uint64_t *deeper = calloc(st->n, sizeof *deeper);
  int ok = path && depth && cut && deeper;
  /* Preorder puts parents first, so depths and cuts fill in one pass. */
  for (size_t i = 1; ok && i < st->n; i++) {
    uint32_t id = w.order[i], p = st->t.nodes[id].parent;
    depth[id] = depth[p] + 1;
    cut[id] = depth[id] <= FOLD_MAX_DEPTH ? id : depth[p] <= FOLD_MAX_DEPTH ? p : cut[p];
    if (cut[id] != id) deeper[cut[id]] += st->t.nodes[id].self;
  }
  for (size_t i = 1; ok && i < st->n; i++) {
    uint32_t id = w.order[i];
    if (depth[id] > FOLD_MAX_DEPTH || (!st->t.nodes[id].self && !deeper[id])) continue;
    size_t n = depth[id];
    for (uint32_t a = id, k = (uint32_t)n; a != ROOT; a = st->t.nodes[a].parent) path[--k] = a;
    if (st->t.nodes[id].self) fn(m, path, n, 0, st->t.nodes[id].self, env);
    if (deeper[id]) fn(m, path, n, 1, deeper[id], env);
  }
  free(path);
  free(depth);
  free(cut);
  free(deeper);
  walk_free(&w);
  return ok;
}

/* One line of folded stacks: "outer;...;inner COUNT". */
static void fold_line(monitor *m, const uint32_t *path, size_t depth, int deeper,
                      uint64_t count, void *env) {
  const prof_st *st = m->st;
  FILE *out = env;
  for (size_t k = 0; k < depth; k++) {
    put_name(out, mon_func_name(&m->set->mm, st->t.nodes[path[k]].func));
    if (k + 1 < depth) fputc(';', out);
  }
  fprintf(out, "%s %llu\n", deeper ? ";[deeper]" : "", (unsigned long long)count);
}

static int prof_folded(monitor *m, FILE *out) { return each_stack(m, fold_line, out); }

/* speedscope (https://www.speedscope.app/file-format-schema.json): one
** "sampled" profile whose samples are the stacks and whose weights are
** their instruction counts, in the order of the folded stacks; a frame
** per function, with its source file and line where the module has
** them, and one for "[deeper]". */
typedef struct ss_env {
  mon_json *j;
  uint32_t *frame;      /* frame index per function index */
  uint32_t deeper;      /* the frame of "[deeper]" */
  int weights;          /* this pass writes weights, not samples */
  uint64_t total;       /* the sum of the weights */
} ss_env;

static void ss_stack(monitor *m, const uint32_t *path, size_t depth, int deeper,
                     uint64_t count, void *env) {
  const prof_st *st = m->st;
  ss_env *e = env;
  if (e->weights) {
    js_u64(e->j, count);
    return;
  }
  uint64_t *frames = malloc((depth + 1) * sizeof *frames);
  if (!frames) {
    e->j->failed = 1;
    return;
  }
  for (size_t k = 0; k < depth; k++) frames[k] = e->frame[st->t.nodes[path[k]].func];
  if (deeper) frames[depth] = e->deeper;
  js_u64s(e->j, frames, depth + (deeper != 0));
  free(frames);
}

static int prof_speedscope(monitor *m, FILE *out) {
  const prof_st *st = m->st;
  mon_module *mm = &m->set->mm;
  uint32_t nfuncs = 1;
  for (size_t i = 1; i < st->n; i++)
    if (st->t.nodes[i].func >= nfuncs) nfuncs = st->t.nodes[i].func + 1;
  ss_env e = {NULL, calloc(nfuncs, sizeof *e.frame), 0, 0, 0};
  uint8_t *used = calloc(nfuncs, 1);
  if (!e.frame || !used) {
    free(e.frame);
    free(used);
    return 0;
  }
  for (size_t i = 1; i < st->n; i++) used[st->t.nodes[i].func] = 1;
  for (uint32_t f = 0; f < nfuncs; f++)
    if (used[f]) e.frame[f] = e.deeper++;
  mon_json j;
  js_start(&j, out);
  e.j = &j;
  js_begin_obj(&j);
  js_key(&j, "$schema");
  js_str(&j, "https://www.speedscope.app/file-format-schema.json");
  js_key(&j, "activeProfileIndex");
  js_u64(&j, 0);
  js_key(&j, "exporter");
  js_str(&j, "inro");
  js_key(&j, "name");
  js_str(&j, "instructions executed (inro profile monitor)");
  js_key(&j, "profiles");
  js_begin_arr(&j);
  js_begin_obj(&j);
  int ok = 1;
  for (size_t i = 1; i < st->n; i++) e.total += st->t.nodes[i].self;
  js_key(&j, "endValue");
  js_u64(&j, e.total);
  js_key(&j, "name");
  js_str(&j, "instructions");
  js_key(&j, "samples");
  js_begin_arr(&j);
  ok = ok && each_stack(m, ss_stack, &e);
  js_end_arr(&j);
  js_key(&j, "startValue");
  js_u64(&j, 0);
  js_key(&j, "type");
  js_str(&j, "sampled");
  js_key(&j, "unit");
  js_str(&j, "none");
  js_key(&j, "weights");
  js_begin_arr(&j);
  e.weights = 1;
  ok = ok && each_stack(m, ss_stack, &e);
  js_end_arr(&j);
  js_end_obj(&j);
  js_end_arr(&j);
  js_key(&j, "shared");
  js_begin_obj(&j);
  js_key(&j, "frames");
  js_begin_arr(&j);
  for (uint32_t f = 0; f <= nfuncs; f++) {
    if (f < nfuncs && !used[f]) continue;
    const char *file;
    uint32_t line;
    js_begin_obj(&j);
    if (f < nfuncs && mon_func_source(mm, f, &file, &line)) {
      js_key(&j, "file");
      js_str(&j, file);
      js_key(&j, "line");
      js_u64(&j, line);
    }
    js_key(&j, "name");
    js_str(&j, f < nfuncs ? mon_func_name(mm, f) : "[deeper]");
    js_end_obj(&j);
  }
  js_end_arr(&j);
  js_end_obj(&j);
  js_end_obj(&j);
  ok = js_finish(&j) && ok;
  fputc('\n', out);
  free(e.frame);
  free(used);
  return ok;
}

static void prof_save(const monitor *m, mon_buf *b) {
  const prof_st *st = m->st;
  mon_put_u64(b, st->t.nodes[ROOT].self);
  mon_put_u32(b, (uint32_t)(st->n - 1));
  for (size_t i = 1; i < st->n; i++) {
    mon_put_u32(b, st->t.nodes[i].parent);
    mon_put_u32(b, st->t.nodes[i].func);
    mon_put_u64(b, st->t.nodes[i].self);
    mon_put_u64(b, st->t.nodes[i].calls);
  }
}

static int prof_load(monitor *m, mon_rd *r) {
  prof_st *st = m->st;
  st->t.nodes[ROOT].self = mon_get_u64(r);
  uint32_t n = mon_get_count(r, 24);
  for (uint32_t i = 1; i <= n && !r->failed; i++) {
    uint32_t parent = mon_get_u32(r), func = mon_get_u32(r);
    uint64_t self = mon_get_u64(r), calls = mon_get_u64(r);
    /* Parents come first: a node's id is its creation order. */
    if (r->failed || parent >= i || child(st, parent, func) != i) return 0;
    st->t.nodes[i].self = self;
    st->t.nodes[i].calls = calls;
  }
  return !r->failed;
}

static const mon_format prof_formats[] = {
  {"folded", prof_folded}, {"speedscope", prof_speedscope}, {NULL, NULL},
};

const mon_ops mon_profile_ops = {
  .name = "profile",
  .create = prof_create,
  .start = prof_start,
  .stopped = prof_stopped,
  .trapped = prof_trapped,
  .settle = prof_settle,
  .tick = prof_tick,
  .text = prof_text,
  .json = prof_json,
  .save = prof_save,
  .load = prof_load,
  .destroy = prof_destroy,
  .formats = prof_formats,
};
