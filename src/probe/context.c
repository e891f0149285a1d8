/*
** context.c -- context probes (inro.h): a calling-context tree kept by
** the interpreter.  Its cases (exec/interp_ops.h) do the common events,
** a cached child entered or the top's parent resumed; here is the rest: a
** child the caller makes, a top rebuilt from the frames (sync), and the
** same events for a caller standing at an entry or exit probe.
*/
#include "probe/probe.h"

/* The top's child for func becomes the top: the cached one, or the
** caller's (which may move the nodes).  0: out of memory. */
static int push(inro_contexts *t, uint32_t func) {
  uint32_t top = t->top, c;
  if (t->nodes[top].last_func == func) {
    c = t->nodes[top].last_child;
  } else {
    c = t->child(t, func);
    if (c == UINT32_MAX) return 0;
    t->nodes[top].last_func = func;
    t->nodes[top].last_child = c;
  }
  t->top = c;
  return 1;
}

/* The top from the frames back from s->frames[index] to the host's
** entry; sync stays set without memory. */
static int rebuild(inro_contexts *t, inro_store *s, size_t index) {
  size_t lo = index + 1;
  while (lo > 0 && s->frames[lo - 1].func) lo--;
  t->top = 0;
  for (size_t i = lo; i <= index; i++)
    if (!push(t, s->frames[i].func->index)) return !(t->sync = 1);
  t->sync = 0;
  return 1;
}

/* Frame index enters with the clock ahead by `ahead`: what ran before is
** its caller's, so the callers are rebuilt first. */
static int enter(inro_contexts *t, inro_store *s, size_t index, uint32_t ahead) {
  if (t->sync) {
    if (index == 0 || !s->frames[index - 1].func) t->top = 0, t->sync = 0;
    else rebuild(t, s, index - 1);
  }
  if (t->clock) contexts_charge(t, *t->clock - ahead);
  if (!(t->sync ? rebuild(t, s, index) : push(t, s->frames[index].func->index))) return 0;
  t->nodes[t->top].calls++;
  return 1;
}

/* Without memory to rebuild the stack, nothing is charged: the next event
** tries again. */
static void leave(inro_contexts *t, inro_store *s, size_t index) {
  if (t->sync && !rebuild(t, s, index)) return;
  if (t->clock) contexts_charge(t, *t->clock);
  if (t->top) t->top = t->nodes[t->top].parent;
}

int probe_context_enter(inro_store *s, frame *f, const uint32_t *pc, inro_contexts *t,
                        inro_error *err) {
  if (enter(t, s, (size_t)(f - s->frames), pc[4])) return 1;
  const code *c = f->func->code;
  f->pc = pc; /* the trap is reported as a probe's, before the instruction */
  f->at_probe = AT_PROBE;
  f->at_offset = code_offset_of(c, (uint32_t)(pc - c->words));
  err_set(err, INRO_ERR_TRAP, "context probe: out of memory");
  if (err) err->trap = INRO_TRAP_HOST;
  return 0;
}

void probe_context_exit(inro_store *s, frame *f, inro_contexts *t) {
  leave(t, s, (size_t)(f - s->frames));
}

int inro_contexts_enter(inro_contexts *t, inro_frame *f) {
  const inro_func *fn = f->store->frames[f->index].func;
  uint32_t defidx = fn->index - fn->inst->module->nfunc_imports;
  return enter(t, f->store, f->index, t->ahead ? t->ahead[defidx] : 0);
}

void inro_contexts_exit(inro_contexts *t, inro_frame *f) { leave(t, f->store, f->index); }

int inro_contexts_sync(inro_contexts *t, inro_frame *f) { return rebuild(t, f->store, f->index); }
