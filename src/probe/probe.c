/*
** probe.c -- inserting, removing and firing probes.
**
** Every change of an instance's probes re-translates the functions whose
** plan changed (refresh) and moves their live frames to the new code, so
** the change takes effect at the very next instruction.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/instr.h"
#include "probe/probe.h"

/* ----------------------------------------------------------- probe lists */

static int list_insert(probe_list *l, uint32_t at, inro_probe *p) {
  if (l->n == l->cap) {
    uint32_t cap = l->cap ? l->cap * 2 : 8;
    inro_probe **items = realloc(l->items, cap * sizeof *items);
    if (!items) return 0;
    l->items = items;
    l->cap = cap;
  }
  memmove(l->items + at + 1, l->items + at, (l->n - at) * sizeof *l->items);
  l->items[at] = p;
  l->n++;
  return 1;
}

static void list_drop(probe_list *l, const inro_probe *p) {
  for (uint32_t i = 0; i < l->n; i++)
    if (l->items[i] == p) {
      memmove(l->items + i, l->items + i + 1, (l->n - i - 1) * sizeof *l->items);
      l->n--;
      return;
    }
}

static int list_live(const probe_list *l) {
  for (uint32_t i = 0; i < l->n; i++)
    if (!l->items[i]->removed) return 1;
  return 0;
}

/* First index of a local probe at offset >= x. */
static uint32_t local_lower(const probe_list *l, uint32_t x) {
  uint32_t lo = 0, hi = l->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (l->items[mid]->offset < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static probe_state *state_of(inro_instance *inst, inro_error *err) {
#ifdef INRO_NO_PROBES
  (void)inst;
  err_set(err, INRO_ERR_UNSUPPORTED, "this inro was built without probes (INRO_NO_PROBES)");
  return NULL;
#endif
  if (inst->probes) return inst->probes;
  probe_state *ps = calloc(1, sizeof *ps);
  if (ps) ps->funcs = calloc(inst->module->nfunc_defs + 1, sizeof *ps->funcs);
  if (!ps || !ps->funcs) {
    free(ps);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  inst->probes = ps;
  return ps;
}

static void free_list(probe_list *l, int free_items) {
  if (free_items)
    for (uint32_t i = 0; i < l->n; i++) free(l->items[i]);
  free(l->items);
}

void probe_state_free(inro_instance *inst) {
  probe_state *ps = inst->probes;
  if (!ps) return;
  /* Each probe is in exactly one list besides `dead`: free it there. */
  for (uint32_t i = 0; i < inst->module->nfunc_defs; i++) {
    free_list(&ps->funcs[i].local, 1);
    free_list(&ps->funcs[i].counters, 1);
    free_list(&ps->funcs[i].entry, 1);
    free_list(&ps->funcs[i].exit, 1);
    code_free(ps->funcs[i].own);
    free(ps->funcs[i].stub);
  }
  free_list(&ps->global, 1);
  free_list(&ps->entry_all, 1);
  free_list(&ps->exit_all, 1);
  free_list(&ps->catches, 1);
  free_list(&ps->contexts, 1);
  free(ps->starts);
  free(ps->funcs);
  free(ps);
  inst->probes = NULL;
}

/* --------------------------------------------------------- re-translation */

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static void set_barred(func_probes *fp, inro_store *s, int barred) {
  if (fp->barred == barred) return;
  fp->barred = barred;
  if (barred) s->barred++;
  else s->barred--;
}

/* Give function defidx the translation its probes call for, and move its
** frames there.  Frames stopped at a probe need their offset to stay an
** instruction boundary (a barrier: nothing fused across it), and so does
** `extra` (UINT32_MAX: none), where a restored frame is about to stand;
** probe_unbar takes the barriers away once the frames have moved on. */
static int refresh_with(inro_instance *inst, uint32_t defidx, uint32_t extra,
                        inro_error *err) {
  probe_state *ps = inst->probes;
  const inro_module *m = inst->module;
  func_probes *fp = &ps->funcs[defidx];
  inro_func *fn = &inst->own_funcs[defidx];
  inro_store *s = inst->store;
  probe_plan plan = {list_live(&ps->global),
                     list_live(&fp->entry) || list_live(&ps->entry_all),
                     list_live(&fp->exit) || list_live(&ps->exit_all), NULL, 0, NULL, 0, NULL, NULL, NULL, 0, NULL, NULL, 0,
                     NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, NULL, 0};
  uint32_t *offsets = malloc((fp->local.n + 1) * sizeof *offsets);
  uint32_t *barriers = malloc((s->nframes + 2) * sizeof *barriers);
  uint32_t *counters = malloc((fp->counters.n + 1) * sizeof *counters);
  uint64_t **cells = malloc((fp->counters.n + 1) * sizeof *cells);
  uint32_t *adds = malloc((fp->counters.n + 1) * sizeof *adds);
  uint32_t *edges = malloc((fp->counters.n + 1) * sizeof *edges);
  uint64_t **edge_cells = malloc((fp->counters.n + 1) * sizeof *edge_cells);
  uint32_t *records = malloc((fp->counters.n + 1) * sizeof *records);
  inro_ring **rings = malloc((fp->counters.n + 1) * sizeof *rings);
  const uint64_t **values = malloc((fp->counters.n + 1) * sizeof *values);
  uint32_t *nvalues = malloc((fp->counters.n + 1) * sizeof *nvalues);
  uint32_t *accesses = malloc((fp->counters.n + 1) * sizeof *accesses);
  inro_access_counts **access_counts = malloc((fp->counters.n + 1) * sizeof *access_counts);
  inro_contexts **contexts = malloc((ps->contexts.n + 1) * sizeof *contexts);
  if (!contexts || !offsets || !barriers || !counters || !cells || !adds || !edges || !edge_cells ||
      !records || !rings || !values || !nvalues || !accesses || !access_counts) {
    free(accesses);
    free(access_counts);
    free(records);
    free(rings);
    free(values);
    free(nvalues);
    free(offsets);
    free(barriers);
    free(counters);
    free(cells);
    free(adds);
    free(edges);
    free(edge_cells);
    free(contexts);
    return err_set(err, INRO_ERR_NOMEM, "out of memory");
  }
  for (uint32_t i = 0; i < fp->counters.n; i++) {
    const inro_probe *p = fp->counters.items[i];
    if (p->removed) continue;
    if (p->kind == PK_EDGES) {
      edges[plan.nedges] = p->offset;
      edge_cells[plan.nedges++] = p->cell;
      continue;
    }
    if (p->kind == PK_ACCESS) {
      accesses[plan.naccesses] = p->offset;
      access_counts[plan.naccesses++] = p->access;
      continue;
    }
    if (p->kind == PK_RECORD) {
      records[plan.nrecords] = p->offset;
      rings[plan.nrecords] = p->ring;
      nvalues[plan.nrecords] = p->nvalues;
      values[plan.nrecords++] = p->values;
      continue;
    }
    counters[plan.ncounters] = p->offset;
    adds[plan.ncounters] = p->add;
    cells[plan.ncounters++] = p->cell;
  }
  plan.counters = counters;
  plan.cells = cells;
  plan.adds = adds;
  plan.edges = edges;
  plan.edge_cells = edge_cells;
  plan.records = records;
  plan.rings = rings;
  plan.values = values;
  plan.nvalues = nvalues;
  plan.accesses = accesses;
  plan.access_counts = access_counts;
  for (uint32_t i = 0; i < ps->contexts.n; i++)
    if (!ps->contexts.items[i]->removed) contexts[plan.ncontexts++] = ps->contexts.items[i]->env;
  plan.contexts = contexts;
  for (uint32_t i = 0; i < fp->local.n; i++) {
    const inro_probe *p = fp->local.items[i];
    if (p->removed) continue;
    if (plan.noffsets && offsets[plan.noffsets - 1] == p->offset) continue;
    offsets[plan.noffsets++] = p->offset;
  }
  /* AT_EXACT frames stand at labels, exact in every translation. */
  for (size_t i = 0; i < s->nframes; i++) {
    const frame *f = &s->frames[i];
    if (f->func == fn && f->pc && f->at_probe == AT_PROBE) barriers[plan.nbarriers++] = frame_offset(f);
  }
  if (extra != UINT32_MAX) barriers[plan.nbarriers++] = extra;
  int barred = plan.nbarriers != 0; /* barriers that only a frame there needs */
  qsort(barriers, plan.nbarriers, sizeof *barriers, cmp_u32);
  plan.offsets = offsets;
  plan.barriers = barriers;
  const code *shared = m->funcs[defidx].code;
  code *fresh = NULL;
  int any = plan.global || plan.entry || plan.exit || plan.noffsets || plan.nbarriers ||
            plan.ncounters || plan.nedges || plan.nrecords || plan.naccesses || plan.ncontexts;
  int ok = !any || func_translate(m, defidx, &plan, &fresh, err);
  free(offsets);
  free(barriers);
  free(counters);
  free(cells);
  free(adds);
  free(edges);
  free(edge_cells);
  free(records);
  free(rings);
  free(values);
  free(nvalues);
  free(accesses);
  free(access_counts);
  free(contexts);
  if (!ok) return 0;
  const code *now = any ? fresh : shared;
  for (size_t i = 0; i < s->nframes; i++) {
    frame *f = &s->frames[i];
    if (f->func == fn && f->pc)
      f->pc = remap_pc(now, f);
  }
  fn->code = now;
  fn->moves++;
  code_free(fp->own); /* old, unless that was the module's */
  fp->own = fresh;
  set_barred(fp, s, barred);
  return 1;
}

/* A function whose re-translation waits for its first call runs a stub
** of the module translation (exec/code.c's code_stub), whose IR_PROBE
** fires with PROBE_TRANSLATE: it translates the function and moves the
** frame to the new code's start.  A run leaves most functions of a big module
** uncalled, and their probes then cost nothing but inserting them. */
typedef struct probe_stub {
  code c;
  uint32_t words[CODE_STUB_WORDS];
} probe_stub;

/* Make function defidx, of which no frame is live, wait for its call: 1,
** or 0 (no memory: it is to be translated now). */
static int defer(inro_instance *inst, uint32_t defidx) {
  func_probes *fp = &inst->probes->funcs[defidx];
  if (!fp->stub && !(fp->stub = malloc(sizeof *fp->stub))) return 0;
  probe_stub *st = fp->stub;
  if (!code_stub(inst->module->funcs[defidx].code, PROBE_TRANSLATE, &st->c, st->words)) return 0;
  inst->own_funcs[defidx].code = &st->c;
  inst->own_funcs[defidx].moves++;
  code_free(fp->own);
  fp->own = NULL;
  set_barred(fp, inst->store, 0);
  return 1;
}

/* A stub fired (frame f at the start of its function): translate the
** function, the frame going on at the new code's first word, the start of
** every translation.  The frame is out of refresh_with's sight meanwhile:
** it has nothing to move, and a barrier at the start would make the code
** differ from the translation a function gets when its frame is not
** there. */
static int translate_called(inro_store *s, frame *f, uint32_t offset, inro_error *err) {
  inro_instance *inst = f->func->inst;
  uint32_t defidx = f->func->index - inst->module->nfunc_imports;
  const uint32_t *stub_pc = f->pc;
  f->at_probe = AT_EXACT; /* a trap here is reported at the start */
  f->at_offset = offset;
  f->pc = NULL;
  int ok = refresh_with(inst, defidx, UINT32_MAX, err);
  f->pc = ok ? f->func->code->words : stub_pc;
  if (!ok) return 0;
  if ((size_t)(s->stack_end - f->fp) < (size_t)f->func->code->frame_slots + 1)
    return err_trap(err, INRO_TRAP_STACK_EXHAUSTED);
  f->at_probe = 0;
  return 1;
}

static int refresh(inro_instance *inst, uint32_t defidx, inro_error *err) {
  probe_state *ps = inst->probes;
  if (ps->batching) {
    ps->funcs[defidx].stale = STALE;
    return 1;
  }
  return refresh_with(inst, defidx, UINT32_MAX, err);
}

/* Does a frame of fn stand at a probe (one whose callback called in)? */
static int stopped_in(const inro_store *s, const inro_func *fn) {
  for (size_t k = 0; k < s->nframes; k++)
    if (s->frames[k].func == fn && s->frames[k].at_probe == AT_PROBE) return 1;
  return 0;
}

int probe_unbar(inro_store *s, inro_error *err) {
  for (size_t o = 0; o < s->nobjects && s->barred; o++) {
    if (s->objects[o].kind != OWN_INSTANCE) continue;
    inro_instance *inst = s->objects[o].ptr;
    probe_state *ps = inst->probes;
    if (!ps || ps->batching) continue;
    for (uint32_t i = 0; i < inst->module->nfunc_defs; i++) {
      const func_probes *fp = &ps->funcs[i];
      if (!fp->barred || fp->stale || stopped_in(s, &inst->own_funcs[i])) continue;
      if (!refresh_with(inst, i, UINT32_MAX, err)) return 0;
    }
  }
  return 1;
}

int probe_barrier(inro_instance *inst, uint32_t defidx, uint32_t offset, inro_error *err) {
  return state_of(inst, err) && refresh_with(inst, defidx, offset, err);
}

int probe_translated(inro_instance *inst, uint32_t defidx, inro_error *err) {
  const probe_state *ps = inst->probes;
  const probe_stub *st = ps ? ps->funcs[defidx].stub : NULL;
  if (!st || inst->own_funcs[defidx].code != &st->c) return 1;
  return refresh_with(inst, defidx, UINT32_MAX, err);
}

static int refresh_all(inro_instance *inst, inro_error *err) {
  for (uint32_t i = 0; i < inst->module->nfunc_defs; i++)
    if (!refresh(inst, i, err)) return 0;
  return 1;
}

int inro_probe_batch_begin(inro_instance *inst, inro_error *err) {
  inro_error_clear(err);
  probe_state *ps = state_of(inst, err);
  if (!ps) return 0;
  ps->batching++;
  return 1;
}

int inro_probe_batch_end(inro_instance *inst, inro_error *err) {
  inro_error_clear(err);
  probe_state *ps = inst->probes;
  int ok = 1;
  if (!ps || !ps->batching) return err_set(err, INRO_ERR_ARG, "no batch of probes to end");
  if (--ps->batching) return 1;
  /* Functions with a live frame are translated now, the others when
  ** called. */
  const inro_store *s = inst->store;
  for (size_t i = 0; i < s->nframes; i++) {
    const inro_func *fn = s->frames[i].func;
    if (!fn || fn->inst != inst || !fn->code) continue;
    func_probes *fp = &ps->funcs[fn->index - inst->module->nfunc_imports];
    if (fp->stale) fp->stale = STALE_LIVE;
  }
  for (uint32_t i = 0; i < inst->module->nfunc_defs; i++) {
    if (!ps->funcs[i].stale) continue;
    int live = ps->funcs[i].stale == STALE_LIVE;
    ps->funcs[i].stale = 0;
    if (!live && defer(inst, i)) continue;
    if (ok && !refresh(inst, i, err)) ok = 0;
  }
  return ok;
}

/* ------------------------------------------------------------ insertion */

/* Where the module's instructions start, found by one decode of every
** body on the first insertion, so that checking an offset walks nothing:
** the map (a bit per byte from the first body on), or NULL without
** memory.  The module defines functions. */
static const uint8_t *instr_starts(probe_state *ps, const inro_module *m) {
  if (ps->starts) return ps->starts;
  uint32_t base = m->funcs[0].body_start;
  uint8_t *bits = calloc((m->funcs[m->nfunc_defs - 1].body_end - base) / 8 + 1, 1);
  if (!bits) return NULL;
  for (uint32_t d = 0; d < m->nfunc_defs; d++) {
    const func_def *fd = &m->funcs[d];
    reader r = {m->bytes, fd->body_start, fd->body_end, NULL, 0};
    instr in;
    for (instr_skip_locals(&r); !r.failed && r.pos < fd->body_end; instr_read(&r, &in))
      bits[(r.pos - base) / 8] |= (uint8_t)(1u << (r.pos - base) % 8);
  }
  return ps->starts = bits;
}

/* Where the first of offs[0..n) (increasing) fails to start an
** instruction of function defidx that a probe of `kind` can take (an
** edge probe: an if, br_if or br_table; an access probe: a plain access,
** binary/module.h), or n; SIZE_MAX without memory. */
static size_t instrs_at(probe_state *ps, const inro_module *m, uint32_t defidx,
                        const uint32_t *offs, size_t n, int kind) {
  const func_def *fd = &m->funcs[defidx];
  const uint8_t *starts = instr_starts(ps, m);
  if (!starts) return SIZE_MAX;
  uint32_t base = m->funcs[0].body_start;
  for (size_t i = 0; i < n; i++) {
    uint32_t off = offs[i];
    if ((i && off < offs[i - 1]) || off < fd->body_start || off >= fd->body_end ||
        !(starts[(off - base) / 8] >> (off - base) % 8 & 1))
      return i;
    if (kind != PK_EDGES && kind != PK_ACCESS) continue;
    reader r = {m->bytes, off, fd->body_end, NULL, 0};
    instr in;
    instr_read(&r, &in);
    if (r.failed) return i;
    if (kind == PK_EDGES && in.op != OP_IF && in.op != OP_BR_IF && in.op != OP_BR_TABLE) return i;
    if (kind == PK_ACCESS && !module_plain_access(m, &in)) return i;
  }
  return n;
}

/* The error for instrs_at's answer bad (not n). */
static int bad_offset(inro_error *err, size_t bad, int kind, uint32_t func_index,
                      const uint32_t *offs) {
  if (bad == SIZE_MAX) return err_set(err, INRO_ERR_NOMEM, "out of memory");
  return err_set(err, INRO_ERR_ARG, "no %s of function %u starts at offset 0x%x",
                 kind == PK_EDGES    ? "if, br_if or br_table"
                 : kind == PK_ACCESS ? "load or store of a number in a 32-bit memory 0"
                                     : "instruction",
                 func_index, offs[bad]);
}

static inro_probe *insert(inro_instance *inst, int kind, uint32_t func_index,
                          uint32_t offset, inro_probe_fn fn, void *env,
                          inro_error *err) {
  inro_error_clear(err);
  const inro_module *m = inst->module;
  uint32_t defidx = INRO_ALL_FUNCS;
  if (kind != PK_GLOBAL && func_index != INRO_ALL_FUNCS) {
    if (func_index < m->nfunc_imports || func_index >= m->nfuncs) {
      err_set(err, INRO_ERR_ARG, "function %u is not defined in this module", func_index);
      return NULL;
    }
    defidx = func_index - m->nfunc_imports;
  }
  if (kind == PK_LOCAL) {
    if (defidx == INRO_ALL_FUNCS) {
      err_set(err, INRO_ERR_ARG, "a local probe needs one function");
      return NULL;
    }
  }
  probe_state *ps = state_of(inst, err);
  if (!ps) return NULL;
  size_t bad = kind == PK_LOCAL ? instrs_at(ps, m, defidx, &offset, 1, PK_LOCAL) : 1;
  if (bad != 1) {
    bad_offset(err, bad, kind, func_index, &offset);
    return NULL;
  }
  inro_probe *p = calloc(1, sizeof *p);
  if (!p) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  p->inst = inst;
  p->kind = (uint8_t)kind;
  p->defidx = defidx;
  p->offset = offset;
  p->seq = ++ps->next_seq;
  p->fn = fn;
  p->env = env;
  probe_list *l;
  uint32_t at;
  switch (kind) {
  case PK_LOCAL:
    l = &ps->funcs[defidx].local;
    at = local_lower(l, offset + 1); /* after older probes at offset */
    break;
  case PK_GLOBAL: l = &ps->global; at = l->n; break;
  case PK_CATCH: l = &ps->catches; at = l->n; break;
  case PK_CONTEXT: l = &ps->contexts; at = l->n; break;
  case PK_ENTRY: l = defidx == INRO_ALL_FUNCS ? &ps->entry_all : &ps->funcs[defidx].entry; at = l->n; break;
  default: l = defidx == INRO_ALL_FUNCS ? &ps->exit_all : &ps->funcs[defidx].exit; at = l->n; break;
  }
  if (!list_insert(l, at, p)) {
    free(p);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  /* Catch probes live in no translation: exec/exn.c fires them. */
  int ok = kind == PK_CATCH || (defidx == INRO_ALL_FUNCS ? refresh_all(inst, err)
                                                         : refresh(inst, defidx, err));
  if (!ok) {
    list_drop(l, p);
    free(p);
    return NULL;
  }
  return p;
}

inro_probe *inro_probe_local(inro_instance *inst, uint32_t func_index,
                             uint32_t offset, inro_probe_fn fn, void *env,
                             inro_error *err) {
  return insert(inst, PK_LOCAL, func_index, offset, fn, env, err);
}

/* What a probe without a callback carries: PK_COUNTER cells and adds,
** PK_EDGES cells, PK_RECORD ring, values and counts, PK_ACCESS access. */
typedef struct probe_data {
  uint64_t *const *cells;
  const uint32_t *adds;
  inro_ring *ring;
  const uint64_t *const *values;
  const uint32_t *counts;
  inro_access_counts *access;
} probe_data;

/* n probes of kind PK_LOCAL (fn, envs) or one without a callback (d) in
** one function, with one re-translation (see inro_probe_locals). */
static int insert_many(inro_instance *inst, int kind, uint32_t func_index,
                       const uint32_t *offsets, size_t n, inro_probe_fn fn,
                       void *const *envs, const probe_data *d, inro_probe **out,
                       inro_error *err) {
  static const probe_data none;
  if (!d) d = &none;
  uint64_t *const *cells = d->cells;
  const uint32_t *adds = d->adds;
  inro_error_clear(err);
  const inro_module *m = inst->module;
  if (func_index < m->nfunc_imports || func_index >= m->nfuncs)
    return err_set(err, INRO_ERR_ARG, "function %u is not defined in this module", func_index);
  uint32_t defidx = func_index - m->nfunc_imports;
  probe_state *ps = state_of(inst, err);
  if (!ps) return 0;
  size_t bad = instrs_at(ps, m, defidx, offsets, n, kind);
  if (bad != n) return bad_offset(err, bad, kind, func_index, offsets);
  for (size_t i = 0; cells && i < n; i++)
    if (!cells[i]) return err_set(err, INRO_ERR_ARG, "a counter probe needs a cell");
  probe_list *l = kind == PK_LOCAL ? &ps->funcs[defidx].local : &ps->funcs[defidx].counters;
  size_t i = 0;
  for (; i < n; i++) {
    inro_probe *p = calloc(1, sizeof *p);
    if (!p) break;
    p->inst = inst;
    p->kind = (uint8_t)kind;
    p->defidx = defidx;
    p->offset = offsets[i];
    p->seq = ++ps->next_seq;
    p->fn = fn;
    p->env = envs ? envs[i] : NULL;
    p->cell = cells ? cells[i] : NULL;
    p->add = adds ? adds[i] : 1;
    p->ring = d->ring;
    p->values = d->values ? d->values[i] : NULL;
    p->nvalues = d->counts ? d->counts[i] : 0;
    p->access = d->access;
    if (!list_insert(l, local_lower(l, offsets[i] + 1), p)) {
      free(p);
      break;
    }
    out[i] = p;
  }
  if (i == n && refresh(inst, defidx, err)) return 1;
  if (i < n) err_set(err, INRO_ERR_NOMEM, "out of memory");
  while (i-- > 0) {
    list_drop(l, out[i]);
    free(out[i]);
    out[i] = NULL;
  }
  return 0;
}

int inro_probe_locals(inro_instance *inst, uint32_t func_index,
                      const uint32_t *offsets, size_t n, inro_probe_fn fn,
                      void *const *envs, inro_probe **out, inro_error *err) {
  return insert_many(inst, PK_LOCAL, func_index, offsets, n, fn, envs, NULL, out, err);
}

int inro_probe_counters(inro_instance *inst, uint32_t func_index,
                        const uint32_t *offsets, size_t n, uint64_t *const *cells,
                        const uint32_t *adds, inro_probe **out, inro_error *err) {
  if (!cells && n) return err_set(err, INRO_ERR_ARG, "counter probes need cells");
  probe_data d = {cells, adds, NULL, NULL, NULL, NULL};
  return insert_many(inst, PK_COUNTER, func_index, offsets, n, NULL, NULL, &d, out, err);
}

int inro_probe_edges(inro_instance *inst, uint32_t func_index, const uint32_t *offsets,
                     size_t n, uint64_t *const *cells, inro_probe **out, inro_error *err) {
  if (!cells && n) return err_set(err, INRO_ERR_ARG, "edge probes need counters");
  probe_data d = {cells, NULL, NULL, NULL, NULL, NULL};
  return insert_many(inst, PK_EDGES, func_index, offsets, n, NULL, NULL, &d, out, err);
}

int inro_probe_records(inro_instance *inst, uint32_t func_index, const uint32_t *offsets,
                       size_t n, const uint64_t *const *values, const uint32_t *counts,
                       inro_ring *ring, inro_probe **out, inro_error *err) {
  if (n && (!values || !counts || !ring || !ring->buf || !ring->cap ||
            (ring->cap & (ring->cap - 1))))
    return err_set(err, INRO_ERR_ARG, "record probes need values and a ring of 2^k records");
  for (size_t i = 0; i < n; i++)
    if (!values[i] && counts[i]) return err_set(err, INRO_ERR_ARG, "a record probe needs values");
  probe_data d = {NULL, NULL, ring, values, counts, NULL};
  return insert_many(inst, PK_RECORD, func_index, offsets, n, NULL, NULL, &d, out, err);
}

int inro_probe_accesses(inro_instance *inst, uint32_t func_index, const uint32_t *offsets,
                        size_t n, inro_access_counts *counts, inro_probe **out,
                        inro_error *err) {
  if (n && (!counts || !counts->pages_4k || !counts->pages_64k))
    return err_set(err, INRO_ERR_ARG, "access probes need counts and both page arrays");
  probe_data d = {NULL, NULL, NULL, NULL, NULL, counts};
  return insert_many(inst, PK_ACCESS, func_index, offsets, n, NULL, NULL, &d, out, err);
}

inro_probe *inro_probe_counter(inro_instance *inst, uint32_t func_index, uint32_t offset,
                               uint64_t *cell, inro_error *err) {
  inro_probe *p = NULL;
  return inro_probe_counters(inst, func_index, &offset, 1, &cell, NULL, &p, err) ? p : NULL;
}

inro_probe *inro_probe_global(inro_instance *inst, inro_probe_fn fn, void *env,
                              inro_error *err) {
  return insert(inst, PK_GLOBAL, INRO_ALL_FUNCS, 0, fn, env, err);
}

inro_probe *inro_probe_entry(inro_instance *inst, uint32_t func_index,
                             inro_probe_fn fn, void *env, inro_error *err) {
  return insert(inst, PK_ENTRY, func_index, 0, fn, env, err);
}

inro_probe *inro_probe_exit(inro_instance *inst, uint32_t func_index,
                            inro_probe_fn fn, void *env, inro_error *err) {
  return insert(inst, PK_EXIT, func_index, 0, fn, env, err);
}

inro_probe *inro_probe_catch(inro_instance *inst, inro_probe_fn fn, void *env,
                             inro_error *err) {
  return insert(inst, PK_CATCH, INRO_ALL_FUNCS, 0, fn, env, err);
}

inro_probe *inro_probe_contexts(inro_instance *inst, inro_contexts *t, inro_error *err) {
  if (!t || !t->nodes || !t->child) {
    err_set(err, INRO_ERR_ARG, "a context probe needs nodes and child");
    return NULL;
  }
  return insert(inst, PK_CONTEXT, INRO_ALL_FUNCS, 0, NULL, t, err);
}

static probe_list *home_list(probe_state *ps, const inro_probe *p) {
  switch (p->kind) {
  case PK_LOCAL: return &ps->funcs[p->defidx].local;
  case PK_COUNTER: case PK_EDGES: case PK_RECORD: case PK_ACCESS:
    return &ps->funcs[p->defidx].counters;
  case PK_GLOBAL: return &ps->global;
  case PK_CATCH: return &ps->catches;
  case PK_CONTEXT: return &ps->contexts;
  case PK_ENTRY: return p->defidx == INRO_ALL_FUNCS ? &ps->entry_all : &ps->funcs[p->defidx].entry;
  default: return p->defidx == INRO_ALL_FUNCS ? &ps->exit_all : &ps->funcs[p->defidx].exit;
  }
}

void inro_probe_remove(inro_probe *p) { inro_probe_remove_n(&p, 1); }

/* removed: 0 live, 1 removed (freed at the end of the fire), 2 being
** removed by this call. */
void inro_probe_remove_n(inro_probe *const *probes, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (probes[i] && !probes[i]->removed) probes[i]->removed = 2;
  /* Re-translate once all are marked, in a batch per probe (batches nest,
  ** the last end re-translates): each function once, however many of its
  ** probes go.  Re-translation only shrinks what is needed; if it fails
  ** for lack of memory the old code stays, and the removed probes simply
  ** never fire. */
  for (size_t i = 0; i < n; i++) {
    const inro_probe *p = probes[i];
    if (!p || p->removed != 2 || p->kind == PK_CATCH) continue; /* catch: in no translation */
    inro_probe_batch_begin(p->inst, NULL);
    if (p->defidx == INRO_ALL_FUNCS) refresh_all(p->inst, NULL);
    else refresh(p->inst, p->defidx, NULL);
  }
  for (size_t i = 0; i < n; i++) {
    const inro_probe *p = probes[i];
    if (p && p->removed == 2 && p->kind != PK_CATCH) inro_probe_batch_end(p->inst, NULL);
  }
  /* While probes fire, lists are walked by index: the sweep at the end of
  ** the fire frees what was removed meanwhile. */
  for (size_t i = 0; i < n; i++) {
    inro_probe *p = probes[i];
    if (!p || p->removed != 2) continue;
    probe_state *ps = p->inst->probes;
    p->removed = 1;
    if (ps->firing) {
      ps->dirty = 1;
      continue;
    }
    list_drop(home_list(ps, p), p);
    free(p);
  }
}

/* --------------------------------------------------------------- firing */

static int fire_list(probe_list *l, uint64_t seq, inro_frame *view, int *trapped) {
  for (uint32_t i = 0; i < l->n && !*trapped; i++) {
    inro_probe *p = l->items[i];
    if (p->removed || p->seq > seq) continue;
    if (!p->fn(view, p->env)) *trapped = 1;
  }
  return !*trapped;
}

static void fire_local(probe_list *l, uint32_t offset, uint64_t seq,
                       inro_frame *view, int *trapped) {
  for (uint32_t i = local_lower(l, offset); i < l->n && !*trapped; i++) {
    inro_probe *p = l->items[i];
    if (p->offset != offset) break;
    if (p->removed || p->seq > seq) continue;
    if (!p->fn(view, p->env)) *trapped = 1;
  }
}

static void sweep_list(probe_list *l) {
  for (uint32_t i = l->n; i-- > 0;)
    if (l->items[i]->removed) {
      free(l->items[i]);
      memmove(l->items + i, l->items + i + 1, (l->n - i - 1) * sizeof *l->items);
      l->n--;
    }
}

/* Free probes removed during a fire, now that no list is being walked. */
static void sweep(probe_state *ps, inro_instance *inst) {
  for (uint32_t d = 0; d < inst->module->nfunc_defs; d++) {
    sweep_list(&ps->funcs[d].local);
    sweep_list(&ps->funcs[d].counters);
    sweep_list(&ps->funcs[d].entry);
    sweep_list(&ps->funcs[d].exit);
  }
  sweep_list(&ps->global);
  sweep_list(&ps->entry_all);
  sweep_list(&ps->exit_all);
  sweep_list(&ps->catches);
  sweep_list(&ps->contexts);
}

int probe_fire(inro_store *s, frame *f, uint32_t flags, uint32_t offset,
               inro_error *err) {
  inro_instance *inst = f->func->inst;
  probe_state *ps = inst->probes;
  if (!ps) return 1; /* stale IR_PROBE cannot happen, but be safe */
  if (flags & PROBE_TRANSLATE) return translate_called(s, f, offset, err);
  size_t index = (size_t)(f - s->frames);
  uint32_t defidx = f->func->index - inst->module->nfunc_imports;
  /* The view lives here, not on the heap: this runs before every
  ** instruction under a global probe. */
  inro_frame top, *view = &top;
  frame_view_init(view, s, index, s->sp_top - 1, err);
  view->offset = offset;
  view->have_offset = 1;
  uint64_t seq = ps->next_seq;
  int trapped = 0;
  f->at_probe = AT_PROBE;
  f->at_offset = offset;
  ps->firing++;
  func_probes *fp = &ps->funcs[defidx];
  if (flags & PROBE_ENTRY) {
    view->reason = INRO_PROBE_AT_ENTRY;
    fire_list(&fp->entry, seq, view, &trapped);
    fire_list(&ps->entry_all, seq, view, &trapped);
  }
  if ((flags & PROBE_LOCAL) && !trapped) {
    view->reason = INRO_PROBE_AT_LOCAL;
    fire_local(&fp->local, offset, seq, view, &trapped);
  }
  if ((flags & PROBE_GLOBAL) && !trapped) {
    view->reason = INRO_PROBE_AT_GLOBAL;
    fire_list(&ps->global, seq, view, &trapped);
  }
  if ((flags & PROBE_EXIT) && !trapped) {
    view->reason = INRO_PROBE_AT_EXIT;
    fire_list(&fp->exit, seq, view, &trapped);
    fire_list(&ps->exit_all, seq, view, &trapped);
  }
  ps->firing--;
  if (ps->firing == 0 && ps->dirty) {
    ps->dirty = 0;
    sweep(ps, inst);
  }
  frame_view_release(view);
  if (trapped) { /* keep at_probe: the backtrace points here */
    if (err && err->kind == INRO_OK) { /* returned 0 without a message */
      err_set(err, INRO_ERR_TRAP, "a probe stopped the run");
      err->trap = INRO_TRAP_HOST;
    }
    return 0;
  }
  f->at_probe = 0;
  return 1;
}

/* The catch probes: the frame stands at the handler's target, an exact
** position (exec/ir.h), as at a probe there. */
int probe_fire_catch(inro_store *s, frame *f, const uint32_t *target, inro_error *err) {
  inro_instance *inst = f->func->inst;
  probe_state *ps = inst->probes;
  f->pc = target;
  if (!ps || !list_live(&ps->catches)) return 1;
  const code *c = f->func->code;
  const uint32_t *e = code_exact_entry(c, (uint32_t)(target - c->words));
  if (!e) return 1; /* cannot happen: catches land on labels */
  inro_frame view;
  frame_view_init(&view, s, (size_t)(f - s->frames), (slot *)((uintptr_t)f->fp + e[2]) - 1, err);
  view.offset = e[1];
  view.have_offset = 1;
  view.reason = INRO_PROBE_AT_CATCH;
  uint64_t seq = ps->next_seq;
  int trapped = 0;
  /* Before all of the landing instruction's code (its counters, its
  ** probes): a frame moved to a new translation meanwhile goes on there
  ** as at the end of a slice, not after them (probe/remap.c). */
  f->at_probe = AT_EXACT;
  f->at_offset = e[1];
  ps->firing++;
  fire_list(&ps->catches, seq, &view, &trapped);
  ps->firing--;
  if (ps->firing == 0 && ps->dirty) {
    ps->dirty = 0;
    sweep(ps, inst);
  }
  frame_view_release(&view);
  if (trapped) {
    if (err && err->kind == INRO_OK) {
      err_set(err, INRO_ERR_TRAP, "a probe stopped the run");
      err->trap = INRO_TRAP_HOST;
    }
    return 0;
  }
  f->at_probe = 0;
  return 1;
}
