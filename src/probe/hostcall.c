/*
** hostcall.c -- the Wasm frame that called a host function, seen as a
** probe before its call instruction would see it (inro_ctx_frame).
**
** While a host function runs, its caller's saved pc returns past the
** call, and the call's arguments are still in place on the value stack:
** a call writes every operand home first, and the host function reads a
** copy of its arguments (interp_host_call), writing its results over them
** only as it returns.  So the frame can stand before the call, with the operand
** stack the validator gives there, arguments included; a snapshot taken
** so resumes by making the call again.
*/
#include "probe/probe.h"

int inro_ctx_frame(inro_call_ctx *ctx, inro_probe_fn fn, void *env) {
  inro_store *s = ctx->store;
  if (!ctx->caller || s->nframes == 0 || !s->frames[s->nframes - 1].func)
    return -1;
  size_t index = s->nframes - 1;
  const frame *f = &s->frames[index];
  const inro_module *m = f->func->inst->module;
  uint32_t offset = frame_offset(f); /* the call its pc returns past */
  uint32_t height = frame_stack_slots_at(m, f->func->index - m->nfunc_imports,
                                         f->func->code, offset);
  inro_frame view;
  frame_view_init(&view, s, index, f->fp + f->func->code->stack_base + height - 1,
                  ctx->err);
  view.offset = offset;
  view.have_offset = 1;
  view.reason = INRO_PROBE_AT_CALL;
  int rc = fn(&view, env);
  frame_view_release(&view);
  return rc;
}
