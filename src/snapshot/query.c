/*
** query.c -- read access to a parsed snapshot, for `inro inspect`.
** Values are shown as saved: a funcref as its function index + 1 in
** of.i64 (no instance exists to point into), an externref as null.
*/
#include <string.h>

#include "snapshot/snapshot.h"

static inro_value shown(const snap_value *v) {
  inro_value out;
  memset(&out, 0, sizeof out);
  out.type = (inro_valtype)v->type;
  if (v->type == INRO_I32 || v->type == INRO_F32) {
    out.of.i32 = (uint32_t)v->bits;
  } else if (v->type == INRO_V128) {
    slot s[2] = {v->bits, v->bits_hi};
    v128_from_slots(s, out.of.v128);
  } else {
    out.of.i64 = v->bits;
  }
  return out;
}

size_t inro_snapshot_frame_count(const inro_snapshot *s) { return s->nframes; }

void inro_snapshot_frame(const inro_snapshot *s, size_t i, uint32_t *func_index,
                         uint32_t *offset, size_t *nlocals, size_t *noperands) {
  const snap_frame *f = &s->frames[i];
  if (func_index) *func_index = f->func;
  if (offset) *offset = f->offset;
  if (nlocals) *nlocals = f->nlocals;
  if (noperands) *noperands = f->nops;
}

inro_value inro_snapshot_frame_local(const inro_snapshot *s, size_t i, size_t k) {
  return shown(&s->frames[i].locals[k]);
}

inro_value inro_snapshot_frame_operand(const inro_snapshot *s, size_t i, size_t k) {
  return shown(&s->frames[i].ops[k]);
}

void inro_snapshot_memory(const inro_snapshot *s, uint32_t *pages, uint32_t *stored) {
  const snap_memory *m = s->nmems ? &s->mems[0] : NULL;
  if (pages) *pages = m ? (uint32_t)m->pages : 0; /* at most MEM64_MAX_PAGES */
  if (!stored) return;
  *stored = 0;
  for (uint64_t p = 0; m && m->data && p < m->pages; p++)
    *stored += !snap_page_is_zero(m->data + (size_t)p * INRO_PAGE_SIZE);
}

size_t inro_snapshot_global_count(const inro_snapshot *s) { return s->nglobals; }

inro_value inro_snapshot_global(const inro_snapshot *s, size_t i) {
  return shown(&s->globals[i]);
}
