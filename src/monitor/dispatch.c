/*
** dispatch.c -- a set at work on an instance: its monitors' probes, the
** dispatcher (the set's one global probe: the instruction clock, the
** ticks, the windows opening and closing), attach and detach.
*/
#include <stdlib.h>

#include "monitor/mon.h"

/* -------------------------------------------------------------- probes */

static int keep_probe(monitor *m, inro_probe *p) {
  size_t cap = m->caplocals;
  if (!p) return 0;
  if (!MON_GROW(m->probes, m->capprobes, m->nprobes, 1) ||
      !MON_GROW(m->local_offsets, cap, m->nprobes, 1) ||
      !MON_GROW(m->local_envs, m->caplocals, m->nprobes, 1)) {
    inro_probe_remove(p);
    return 0;
  }
  m->local_offsets[m->nprobes] = UINT32_MAX; /* not a local probe */
  m->local_envs[m->nprobes] = NULL;
  m->probes[m->nprobes++] = p;
  return 1;
}

/* Room for n more probes in m's arrays, then record those just inserted:
** offsets[i] for local probes, UINT32_MAX for others (none to fire ahead). */
static int reserve(monitor *m, size_t n) {
  size_t cap = m->caplocals;
  return MON_GROW(m->probes, m->capprobes, m->nprobes, n) &&
         MON_GROW(m->local_offsets, cap, m->nprobes, n) &&
         MON_GROW(m->local_envs, m->caplocals, m->nprobes, n);
}

static void record(monitor *m, size_t n, const uint32_t *offsets, void *const *envs) {
  for (size_t i = 0; i < n; i++) {
    m->local_offsets[m->nprobes + i] = offsets ? offsets[i] : UINT32_MAX;
    m->local_envs[m->nprobes + i] = envs ? envs[i] : NULL;
  }
  m->nprobes += n;
}

int mon_probe_locals(monitor *m, uint32_t funcidx, const uint32_t *offsets,
                     void *const *envs, size_t n, inro_probe_fn fn,
                     inro_error *err) {
  if (!n) return 1;
  if (!reserve(m, n) || !inro_probe_locals(m->set->inst, funcidx, offsets, n, fn, envs,
                                           m->probes + m->nprobes, err))
    return 0;
  m->local_fn = fn;
  record(m, n, offsets, envs);
  return 1;
}

/* Where n probes about to be inserted for m go (NULL without memory);
** took() counts them once inserted (not local probes). */
static inro_probe **room(monitor *m, size_t n) {
  return reserve(m, n) ? m->probes + m->nprobes : NULL;
}

static int took(monitor *m, size_t n, int inserted) {
  if (inserted) record(m, n, NULL, NULL);
  return inserted;
}

int mon_probe_runs(monitor *m, const uint32_t *run, uint64_t *cells, int cell_per_run,
                   const uint32_t *run_len, inro_error *err) {
  const mon_module *mm = &m->set->mm;
  uint32_t *offsets = malloc(mm->most_instrs * sizeof *offsets);
  uint32_t *adds = malloc(mm->most_instrs * sizeof *adds);
  uint64_t **where = malloc(mm->most_instrs * sizeof *where);
  int ok = offsets && adds && where;
  for (uint32_t d = 0; ok && d < mm->nfuncs - mm->nimports; d++) {
    const mon_func *fn = &mm->funcs[d];
    size_t n = 0;
    for (uint32_t i = fn->first; i < fn->first + fn->count; i++)
      if (mon_run_starts(mm, i)) {
        offsets[n] = mm->instrs[i].offset;
        adds[n] = run_len ? run_len[run[i]] : 1;
        where[n++] = cell_per_run ? &cells[run[i]] : cells;
      }
    ok = mon_probe_counters(m, mm->nimports + d, offsets, where, adds, n, err);
  }
  free(offsets);
  free(adds);
  free(where);
  return ok;
}

int mon_probe_counters(monitor *m, uint32_t funcidx, const uint32_t *offsets,
                       uint64_t *const *cells, const uint32_t *adds, size_t n,
                       inro_error *err) {
  inro_probe **out = room(m, n);
  return !n || took(m, n, out && inro_probe_counters(m->set->inst, funcidx, offsets, n, cells,
                                                     adds, out, err));
}

int mon_probe_accesses(monitor *m, uint32_t funcidx, const uint32_t *offsets, size_t n,
                       inro_access_counts *counts, inro_error *err) {
  inro_probe **out = room(m, n);
  return !n || took(m, n, out && inro_probe_accesses(m->set->inst, funcidx, offsets, n, counts,
                                                     out, err));
}

int mon_probe_edges(monitor *m, uint32_t funcidx, const uint32_t *offsets,
                    uint64_t *const *cells, size_t n, inro_error *err) {
  inro_probe **out = room(m, n);
  return !n || took(m, n, out && inro_probe_edges(m->set->inst, funcidx, offsets, n, cells, out,
                                                  err));
}

int mon_probe_records(monitor *m, uint32_t funcidx, const uint32_t *offsets,
                      const uint64_t *const *values, const uint32_t *counts, size_t n,
                      inro_ring *ring, inro_error *err) {
  inro_probe **out = room(m, n);
  return !n || took(m, n, out && inro_probe_records(m->set->inst, funcidx, offsets, n, values,
                                                    counts, ring, out, err));
}

int mon_probe_sites(monitor *m, mon_pick want, inro_probe_fn fn, inro_error *err) {
  const mon_module *mm = &m->set->mm;
  uint32_t *offsets = malloc(mm->most_instrs * sizeof *offsets);
  void **envs = malloc(mm->most_instrs * sizeof *envs);
  int ok = offsets && envs;
  for (uint32_t d = 0; ok && d < mm->nfuncs - mm->nimports; d++) {
    const mon_func *f = &mm->funcs[d];
    size_t n = 0;
    for (uint32_t i = f->first; ok && i < f->first + f->count; i++) {
      int w = want(m, mm->nimports + d, &mm->instrs[i], &envs[n]);
      if (w > 0) offsets[n++] = mm->instrs[i].offset;
      ok = w >= 0;
    }
    ok = ok && mon_probe_locals(m, mm->nimports + d, offsets, (void *const *)envs, n, fn, err);
  }
  free(offsets);
  free(envs);
  return ok;
}

int mon_probe_entry(monitor *m, inro_probe_fn fn, void *env, inro_error *err) {
  if (!keep_probe(m, inro_probe_entry(m->set->inst, INRO_ALL_FUNCS, fn, env, err))) return 0;
  m->entry_fn = fn;
  m->entry_env = env;
  return 1;
}

int mon_probe_contexts(monitor *m, inro_contexts *t, inro_probe_fn entry, void *env,
                       inro_error *err) {
  if (!keep_probe(m, inro_probe_contexts(m->set->inst, t, err))) return 0;
  m->entry_fn = entry;
  m->entry_env = env;
  return 1;
}

int mon_probe_exit(monitor *m, inro_probe_fn fn, void *env, inro_error *err) {
  return keep_probe(m, inro_probe_exit(m->set->inst, INRO_ALL_FUNCS, fn, env, err));
}

int mon_probe_catch(monitor *m, inro_probe_fn fn, void *env, inro_error *err) {
  return keep_probe(m, inro_probe_catch(m->set->inst, fn, env, err));
}

/* ---------------------------------------------------------- dispatcher */

static int dispatch(inro_frame *f, void *env);

/* Rebuild the tick list and the next window event; insert or remove the
** dispatcher accordingly.  1, or 0 with err filled. */
int mon_refresh(monitor_set *s, inro_error *err) {
  int need = 0;
  s->nticks = 0;
  s->tick_offset = 0;
  s->next_event = UINT64_MAX;
  for (size_t i = 0; i < s->n; i++) {
    monitor *m = s->mons[i];
    if (m->phase == MON_PENDING) {
      need = 1;
      if (m->lo - 1 < s->next_event) s->next_event = m->lo - 1;
    } else if (m->phase == MON_ON) {
      if (m->windowed) {
        need = 1;
        if (m->hi < s->next_event) s->next_event = m->hi;
      }
      if (m->ticking) {
        need = 1;
        s->ticks[s->nticks++] = m;
        s->tick_offset |= m->ops->wants_offset;
      }
    }
  }
  if (need && !s->dispatcher) {
    s->dispatcher = inro_probe_global(s->inst, dispatch, s, err);
    if (!s->dispatcher) return 0;
  } else if (!need && s->dispatcher) {
    inro_probe_remove(s->dispatcher);
    s->dispatcher = NULL;
    s->skip_tick = 0;
  }
  return 1;
}

void mon_stop(monitor *m) {
  /* In a batch: each function re-translated once, whatever m had there. */
  int batch = inro_probe_batch_begin(m->set->inst, NULL);
  inro_probe_remove_n(m->probes, m->nprobes);
  if (batch) inro_probe_batch_end(m->set->inst, NULL);
  m->nprobes = 0;
  m->entry_fn = NULL;
  m->ahead = 0;
  m->ticking = 0;
  if (m->ops->stopped) m->ops->stopped(m);
}

/* Insert m's probes, in one batch: it observes from the next instruction
** on. */
int mon_start(monitor *m, inro_error *err) {
  m->phase = MON_ON;
  m->windowed = m->hi != UINT64_MAX;
  int ok = inro_probe_batch_begin(m->set->inst, err);
  if (ok) {
    ok = m->ops->start(m, err);
    if (!inro_probe_batch_end(m->set->inst, ok ? err : NULL)) ok = 0;
  }
  if (!ok) {
    mon_stop(m);
    m->phase = MON_OFF;
    if (err && err->kind == INRO_OK) mon_err(err, INRO_ERR_NOMEM, "out of memory");
    return 0;
  }
  return 1;
}

/* Window changes at clock index idx (called by the dispatcher). */
static int events(monitor_set *s, inro_frame *f, uint64_t idx) {
  inro_error err;
  inro_error_clear(&err);
  for (size_t i = 0; i < s->n; i++) {
    monitor *m = s->mons[i];
    if (m->phase == MON_PENDING && m->lo - 1 == idx) {
      s->here = f;      /* the instruction at f is idx: before the window */
      s->here_past = 1;
      int ok = mon_start(m, &err);
      s->here = NULL;
      if (!ok) return inro_frame_trap(f, err.message);
    } else if (m->phase == MON_ON && m->windowed && m->hi == idx) {
      mon_stop(m);
      m->phase = MON_OFF;
    }
  }
  if (!mon_refresh(s, &err)) return inro_frame_trap(f, err.message);
  return 1;
}

static int dispatch(inro_frame *f, void *env) {
  monitor_set *s = env;
  if (s->skip_tick) { /* done by monitor_set_checkpoint */
    s->skip_tick = 0;
    return 1;
  }
  uint64_t idx = s->clock++;
  uint32_t offset = s->tick_offset ? inro_frame_offset(f) : 0;
  for (size_t i = 0; i < s->nticks; i++) {
    monitor *m = s->ticks[i];
    if (mon_in(m, idx)) m->ops->tick(m, f, offset);
  }
  /* Windows change after the ticks: a monitor started here observes from
  ** the next instruction on, like its own probes. */
  return idx >= s->next_event ? events(s, f, idx) : 1;
}

/* m's local probes at f's instruction, called now; with `ahead`, their
** own firing there, right after, is skipped.  1, or 0 when one traps. */
static int fire_locals_at(monitor *m, inro_frame *f, int ahead) {
  uint32_t offset = inro_frame_offset(f);
  size_t lo = 0, hi = m->nprobes; /* local probes are in offset order */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->local_offsets[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  for (; lo < m->nprobes && m->local_offsets[lo] == offset; lo++) {
    if (!m->probes[lo]) continue;
    int ok = m->local_fn(f, m->local_envs[lo]);
    if (ahead && m->probes[lo]) m->ahead++; /* unless the callback removed it */
    if (!ok) return 0;
  }
  return 1;
}

/* From an entry probe, the local probes at f's instruction have not fired
** yet, and a restored frame resumes after them: fire the monitors' ones
** now, and have their own firing skipped if the run goes on. */
static int fire_locals_ahead(monitor_set *s, inro_frame *f) {
  for (size_t i = 0; i < s->n; i++) {
    monitor *m = s->mons[i];
    if (m->phase == MON_ON && !m->ahead && !fire_locals_at(m, f, 1)) return 0;
  }
  return 1;
}

/* m was switched on from a probe at f, whose instruction it observes; the
** probes it just inserted there are newer than that probe's firing, which
** passes them over (probe/probe.c): fire them now, its entry probe first
** at an entry.  A frame at a call in progress (inro_ctx_frame) is past its
** instruction's probes; without a frame (between calls) there is nothing
** to fire. */
int mon_fire_started(monitor *m, inro_frame *f) {
  unsigned why = f ? inro_frame_reason(f) : 0;
  if ((why & INRO_PROBE_AT_ENTRY) && m->entry_fn && !m->entry_fn(f, m->entry_env)) return 0;
  if (!(why & (INRO_PROBE_AT_ENTRY | INRO_PROBE_AT_LOCAL))) return 1;
  return fire_locals_at(m, f, 0);
}

int monitor_set_checkpoint(monitor_set *s, inro_frame *f) {
  for (size_t i = 0; i < s->n; i++)
    if (s->mons[i]->phase == MON_ON && s->mons[i]->ops->settle)
      s->mons[i]->ops->settle(s->mons[i], NULL);
  if ((inro_frame_reason(f) & INRO_PROBE_AT_ENTRY) && !fire_locals_ahead(s, f)) return 0;
  /* At a call in progress (inro_ctx_frame) the probes of the call have
  ** fired: the instruction is counted already. */
  if (!s->dispatcher || s->skip_tick ||
      (inro_frame_reason(f) &
       (INRO_PROBE_AT_GLOBAL | INRO_PROBE_AT_EXIT | INRO_PROBE_AT_CALL)))
    return 1;
  int rc = dispatch(f, s);
  if (s->dispatcher) s->skip_tick = 1;
  return rc;
}

void monitor_set_trapped(monitor_set *s, const inro_store *store) {
  inro_frame_info at;
  if (!s || !s->inst || inro_backtrace(store, &at, 1) < 1 || at.instance != s->inst) return;
  for (size_t i = 0; i < s->n; i++) {
    monitor *m = s->mons[i];
    if (m->phase == MON_ON && m->ops->trapped) m->ops->trapped(m, at.func_index, at.offset);
  }
}

/* -------------------------------------------------------------- attach */

int monitor_set_attach(monitor_set *s, inro_instance *inst,
                       const inro_module *module, inro_error *err) {
  inro_error_clear(err);
  if (s->inst) monitor_set_detach(s);
  if (s->have_mm) mon_module_free(&s->mm);
  s->have_mm = 0;
  free(s->ticks);
  s->ticks = calloc(s->n + 1, sizeof *s->ticks);
  if (!s->ticks) {
    mon_err(err, INRO_ERR_NOMEM, "out of memory");
    return 0;
  }
  if (!mon_module_init(&s->mm, module, err)) return 0;
  s->have_mm = 1;
  s->inst = inst;
  /* All monitors' probes in one batch: one translation per function. */
  if (!inro_probe_batch_begin(inst, err)) {
    s->inst = NULL;
    return 0;
  }
  int ok = 1;
  for (size_t i = 0; i < s->n && ok; i++) {
    monitor *m = s->mons[i];
    if (m->phase == MON_PENDING && m->lo <= s->clock) m->phase = MON_ON;
    if (m->phase == MON_ON && m->hi <= s->clock) m->phase = MON_OFF;
    if (m->phase == MON_ON && !mon_start(m, err)) ok = 0;
  }
  ok = ok && mon_refresh(s, err);
  if (!inro_probe_batch_end(inst, ok ? err : NULL)) ok = 0;
  if (!ok) monitor_set_detach(s);
  return ok;
}

void monitor_set_detach(monitor_set *s) {
  if (!s->inst) return;
  int batch = inro_probe_batch_begin(s->inst, NULL);
  for (size_t i = 0; i < s->n; i++)
    if (s->mons[i]->phase == MON_ON) mon_stop(s->mons[i]);
  if (s->dispatcher) inro_probe_remove(s->dispatcher);
  if (batch) inro_probe_batch_end(s->inst, NULL);
  s->dispatcher = NULL;
  s->nticks = 0;
  s->inst = NULL;
}

