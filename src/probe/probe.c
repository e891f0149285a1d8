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
    free_list(&ps->funcs[i].entry, 1);
    free_list(&ps->funcs[i].exit, 1);
    inro_func *f = &inst->own_funcs[i];
    if (f->code != inst->module->funcs[i].code) code_free((code *)f->code);
  }
  free_list(&ps->global, 1);
  free_list(&ps->entry_all, 1);
  free_list(&ps->exit_all, 1);
  free(ps->funcs);
  free(ps);
  inst->probes = NULL;
}

/* --------------------------------------------------------- re-translation */

/* Give function defidx the translation its probes call for, and move its
** frames there. */
static int refresh(inro_instance *inst, uint32_t defidx, inro_error *err) {
  probe_state *ps = inst->probes;
  const inro_module *m = inst->module;
  func_probes *fp = &ps->funcs[defidx];
  inro_func *fn = &inst->own_funcs[defidx];
  probe_plan plan = {list_live(&ps->global),
                     list_live(&fp->entry) || list_live(&ps->entry_all),
                     list_live(&fp->exit) || list_live(&ps->exit_all), NULL, 0};
  uint32_t *offsets = malloc((fp->local.n + 1) * sizeof *offsets);
  if (!offsets) return err_set(err, INRO_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; i < fp->local.n; i++) {
    const inro_probe *p = fp->local.items[i];
    if (p->removed) continue;
    if (plan.noffsets && offsets[plan.noffsets - 1] == p->offset) continue;
    offsets[plan.noffsets++] = p->offset;
  }
  plan.offsets = offsets;
  const code *shared = m->funcs[defidx].code;
  code *fresh = NULL;
  int any = plan.global || plan.entry || plan.exit || plan.noffsets;
  if (any && !func_translate(m, defidx, &plan, &fresh, err)) {
    free(offsets);
    return 0;
  }
  free(offsets);
  const code *old = fn->code;
  const code *now = any ? fresh : shared;
  inro_store *s = inst->store;
  for (size_t i = 0; i < s->nframes; i++) {
    frame *f = &s->frames[i];
    if (f->func == fn && f->pc)
      f->pc = remap_pc(old, now, f->pc, f->at_probe);
  }
  fn->code = now;
  if (old != shared) code_free((code *)old);
  return 1;
}

static int refresh_all(inro_instance *inst, inro_error *err) {
  for (uint32_t i = 0; i < inst->module->nfunc_defs; i++)
    if (!refresh(inst, i, err)) return 0;
  return 1;
}

/* ------------------------------------------------------------ insertion */

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
    if (!func_instr_at(m, defidx, offset)) {
      err_set(err, INRO_ERR_ARG, "no instruction of function %u starts at offset 0x%x",
              func_index, offset);
      return NULL;
    }
  }
  probe_state *ps = state_of(inst, err);
  if (!ps) return NULL;
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
  case PK_ENTRY: l = defidx == INRO_ALL_FUNCS ? &ps->entry_all : &ps->funcs[defidx].entry; at = l->n; break;
  default: l = defidx == INRO_ALL_FUNCS ? &ps->exit_all : &ps->funcs[defidx].exit; at = l->n; break;
  }
  if (!list_insert(l, at, p)) {
    free(p);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  int ok = defidx == INRO_ALL_FUNCS ? refresh_all(inst, err) : refresh(inst, defidx, err);
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

static probe_list *home_list(probe_state *ps, const inro_probe *p) {
  switch (p->kind) {
  case PK_LOCAL: return &ps->funcs[p->defidx].local;
  case PK_GLOBAL: return &ps->global;
  case PK_ENTRY: return p->defidx == INRO_ALL_FUNCS ? &ps->entry_all : &ps->funcs[p->defidx].entry;
  default: return p->defidx == INRO_ALL_FUNCS ? &ps->exit_all : &ps->funcs[p->defidx].exit;
  }
}

void inro_probe_remove(inro_probe *p) {
  if (!p || p->removed) return;
  inro_instance *inst = p->inst;
  probe_state *ps = inst->probes;
  p->removed = 1;
  /* Re-translation only shrinks what is needed; if it fails for lack of
  ** memory the old code stays, and the removed probe simply never fires. */
  if (p->kind == PK_GLOBAL || p->defidx == INRO_ALL_FUNCS) refresh_all(inst, NULL);
  else refresh(inst, p->defidx, NULL);
  /* While probes fire, lists are walked by index: the sweep at the end of
  ** the fire frees what was removed meanwhile. */
  if (ps->firing) return;
  list_drop(home_list(ps, p), p);
  free(p);
}

/* --------------------------------------------------------------- firing */

static int fire_list(probe_list *l, uint64_t seq, inro_frame *view, int *trapped) {
  for (uint32_t i = 0; i < l->n && !*trapped; i++) {
    inro_probe *p = l->items[i];
    if (p->removed || p->seq > seq) continue;
    if (p->fn(view, p->env) != 0) *trapped = 1;
  }
  return !*trapped;
}

static void fire_local(probe_list *l, uint32_t offset, uint64_t seq,
                       inro_frame *view, int *trapped) {
  for (uint32_t i = local_lower(l, offset); i < l->n && !*trapped; i++) {
    inro_probe *p = l->items[i];
    if (p->offset != offset) break;
    if (p->removed || p->seq > seq) continue;
    if (p->fn(view, p->env) != 0) *trapped = 1;
  }
}

/* Free probes removed during a fire, now that no list is being walked. */
static void sweep(probe_state *ps, inro_instance *inst) {
  for (uint32_t d = 0; d < inst->module->nfunc_defs; d++) {
    func_probes *fp = &ps->funcs[d];
    probe_list *ls[3] = {&fp->local, &fp->entry, &fp->exit};
    for (int k = 0; k < 3; k++)
      for (uint32_t i = ls[k]->n; i-- > 0;)
        if (ls[k]->items[i]->removed) {
          free(ls[k]->items[i]);
          memmove(ls[k]->items + i, ls[k]->items + i + 1, (ls[k]->n - i - 1) * sizeof(inro_probe *));
          ls[k]->n--;
        }
  }
  probe_list *ls[3] = {&ps->global, &ps->entry_all, &ps->exit_all};
  for (int k = 0; k < 3; k++)
    for (uint32_t i = ls[k]->n; i-- > 0;)
      if (ls[k]->items[i]->removed) {
        free(ls[k]->items[i]);
        memmove(ls[k]->items + i, ls[k]->items + i + 1, (ls[k]->n - i - 1) * sizeof(inro_probe *));
        ls[k]->n--;
      }
}

int probe_fire(inro_store *s, frame *f, uint32_t flags, inro_error *err) {
  inro_instance *inst = f->func->inst;
  probe_state *ps = inst->probes;
  if (!ps) return 1; /* stale IR_PROBE cannot happen, but be safe */
  size_t index = (size_t)(f - s->frames);
  uint32_t defidx = f->func->index - inst->module->nfunc_imports;
  uint32_t offset = code_offset_of(f->func->code, (uint32_t)(f->pc - f->func->code->words));
  inro_frame *view = frame_view(s, index, s->sp_top - 1, err);
  if (!view) return err_set(err, INRO_ERR_NOMEM, "out of memory");
  uint64_t seq = ps->next_seq;
  int trapped = 0;
  f->at_probe = 1;
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
  if (ps->firing == 0) sweep(ps, inst);
  frame_view_free(view);
  if (trapped) return 0; /* keep at_probe: the backtrace points here */
  f->at_probe = 0;
  return 1;
}
