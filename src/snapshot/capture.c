/*
** capture.c -- writing a snapshot of a running instance.
**
** Called from a probe callback, so every frame stands at an exact Wasm
** position: the firing frame before the instruction at its offset, every
** caller just after its call.  (From inro_ctx_frame, the innermost frame
** stands before the call to the host function that is running.)
*/
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapshot.h"
#include "util/crc32c.h"
#include "util/sha256.h"

int snap_encode(const inro_instance *inst, uint8_t type, slot v, uint64_t *bits) {
  if (type == INRO_EXTERNREF) {
    *bits = 0;
    return v == 0;
  }
  if (type != INRO_FUNCREF) {
    *bits = v;
    return 1;
  }
  if (v == 0) {
    *bits = 0;
    return 1;
  }
  const inro_func *f = (const inro_func *)(uintptr_t)v;
  for (uint32_t i = 0; i < inst->module->nfuncs; i++)
    if (inst->funcs[i] == f) {
      *bits = (uint64_t)i + 1;
      return 1;
    }
  return 0;
}

/* The value of type `type` in slots v[0] (and v[1] for a v128). */
static int put_value(bwriter *w, const inro_instance *inst, uint8_t type, const slot *v) {
  uint64_t bits;
  if (!snap_encode(inst, type, v[0], &bits)) return 0;
  bw_u8(w, type);
  bw_u64(w, bits);
  if (type == INRO_V128) bw_u64(w, v[1]);
  return 1;
}

/* Sections: id, flags, u64 length, payload, CRC-32C of the payload. */
static size_t begin(bwriter *w, uint32_t id, uint32_t flags) {
  bw_u32(w, id);
  bw_u32(w, flags);
  bw_u64(w, 0);
  return w->len;
}

static void end(bwriter *w, size_t start) {
  if (w->oom) return;
  bw_put_u64_at(w, start - 8, w->len - start);
  bw_u32(w, crc32c(0, w->data + start, w->len - start));
}

static int page_is_zero(const uint8_t *p) {
  for (size_t i = 0; i < INRO_PAGE_SIZE; i++)
    if (p[i]) return 0;
  return 1;
}

#define FAIL(...) do { err_set(err, INRO_ERR_ARG, __VA_ARGS__); goto failed; } while (0)

uint8_t *inro_snapshot_capture(inro_frame *view, int include_module,
                               const inro_snapshot_section *extra,
                               size_t nextra, size_t *size, inro_error *err) {
  inro_store *s = view->store;
  const frame *top = &s->frames[view->index];
  inro_instance *inst = top->func->inst;
  const inro_module *m = inst->module;
  bwriter w = {0};
  inro_frame **views = NULL;
  if (view->index + 1 != s->nframes ||
      !(top->at_probe || view->reason == INRO_PROBE_AT_CALL))
    FAIL("a snapshot is taken from the probe firing in the innermost frame");
  size_t first = view->index;
  while (first > 0 && s->frames[first - 1].func) first--;
  if (first != 1)
    FAIL("cannot snapshot: the host called into Wasm more than once (host frames on the stack)");
  for (size_t i = first; i <= view->index; i++)
    if (s->frames[i].func->inst != inst)
      FAIL("cannot snapshot: frames of several instances on the stack");

  bw_bytes(&w, SNAP_MAGIC, 8);
  bw_u32(&w, SNAP_VERSION);
  bw_u32(&w, 0);

  size_t at = begin(&w, SEC_MODULE, SEC_FLAG_REQUIRED);
  uint8_t hash[32];
  sha256(m->bytes, m->size, hash);
  bw_bytes(&w, hash, 32);
  bw_u8(&w, include_module ? 1 : 0);
  if (include_module) {
    bw_u64(&w, m->size);
    bw_bytes(&w, m->bytes, m->size);
  }
  end(&w, at);

  at = begin(&w, SEC_MEMORIES, SEC_FLAG_REQUIRED);
  bw_u32(&w, m->nmems);
  for (uint32_t i = 0; i < m->nmems; i++) {
    const inro_memory *mem = inst->mems[i];
    bw_u32(&w, mem->pages);
    bw_u32(&w, mem->lim.has_max ? mem->lim.max : UINT32_MAX);
    size_t count_at = w.len;
    uint32_t stored = 0;
    bw_u32(&w, 0);
    for (uint32_t p = 0; p < mem->pages; p++) {
      const uint8_t *page = mem->data + (size_t)p * INRO_PAGE_SIZE;
      if (page_is_zero(page)) continue;
      bw_u32(&w, p);
      bw_bytes(&w, page, INRO_PAGE_SIZE);
      stored++;
    }
    bw_put_u32_at(&w, count_at, stored);
  }
  end(&w, at);

  at = begin(&w, SEC_GLOBALS, SEC_FLAG_REQUIRED);
  bw_u32(&w, m->nglobals);
  for (uint32_t i = 0; i < m->nglobals; i++) {
    const inro_global *g = inst->globals[i];
    slot v[2] = {g->value, g->value_hi};
    if (!put_value(&w, inst, g->type, v))
      FAIL("cannot snapshot global %u: it holds a host reference", i);
  }
  end(&w, at);

  at = begin(&w, SEC_TABLES, SEC_FLAG_REQUIRED);
  bw_u32(&w, m->ntables);
  for (uint32_t i = 0; i < m->ntables; i++) {
    const inro_table *t = inst->tables[i];
    bw_u8(&w, t->elem_type);
    bw_u32(&w, t->size);
    bw_u32(&w, t->lim.has_max ? t->lim.max : UINT32_MAX);
    for (uint32_t k = 0; k < t->size; k++) {
      uint64_t bits;
      if (!snap_encode(inst, t->elem_type, t->elems[k], &bits))
        FAIL("cannot snapshot table %u: entry %u is a host reference", i, k);
      bw_u32(&w, (uint32_t)bits);
    }
  }
  end(&w, at);

  at = begin(&w, SEC_SEGMENTS, SEC_FLAG_REQUIRED);
  bw_u32(&w, m->ndatas);
  for (uint32_t i = 0; i < m->ndatas; i++) bw_u8(&w, inst->data_sizes[i] == 0 && m->datas[i].size);
  bw_u32(&w, m->nelems);
  for (uint32_t i = 0; i < m->nelems; i++) bw_u8(&w, inst->elem_sizes[i] == 0 && m->elems[i].count);
  end(&w, at);

  at = begin(&w, SEC_FRAMES, SEC_FLAG_REQUIRED);
  /* The views from the innermost frame out, written outermost first. */
  size_t nframes = view->index - first + 1;
  views = malloc(nframes * sizeof *views);
  if (!views) FAIL("out of memory");
  views[nframes - 1] = view;
  for (size_t i = nframes - 1; i > 0; i--)
    if (!(views[i - 1] = inro_frame_caller(views[i]))) FAIL("out of memory");
  bw_u32(&w, (uint32_t)nframes);
  for (size_t i = 0; i < nframes; i++) {
    inro_frame *v = views[i];
    const frame *f = &s->frames[v->index];
    const code *c = f->func->code;
    uint32_t offset = inro_frame_offset(v);
    uint32_t height = (uint32_t)inro_frame_stack_height(v);
    const uint8_t *types = frame_view_types(v);
    if (!types) FAIL("internal error: operand types unknown at 0x%x", offset);
    bw_u32(&w, f->func->index);
    bw_u32(&w, offset);
    bw_u8(&w, v == view ? FRAME_BEFORE : FRAME_AFTER_CALL);
    bw_u32(&w, c->nlocals);
    const slot *vs = f->fp; /* each value's slots, in order */
    for (uint32_t k = 0; k < c->nlocals; vs += ir_type_slots(c->local_types[k++]))
      if (!put_value(&w, inst, c->local_types[k], vs))
        FAIL("cannot snapshot: local %u of function %u holds a host reference", k, f->func->index);
    bw_u32(&w, height);
    vs = f->fp + c->stack_base;
    for (uint32_t k = 0; k < height; vs += ir_type_slots(types[k++]))
      if (!put_value(&w, inst, types[k], vs))
        FAIL("cannot snapshot: an operand of function %u holds a host reference", f->func->index);
  }
  end(&w, at);

  for (size_t i = 0; i < nextra; i++) {
    if (extra[i].id < SEC_EMBEDDER_FIRST) FAIL("embedder section ids start at 0x100");
    at = begin(&w, extra[i].id, SEC_FLAG_REQUIRED);
    bw_bytes(&w, extra[i].data, extra[i].size);
    end(&w, at);
  }
  at = begin(&w, SEC_END, SEC_FLAG_REQUIRED);
  end(&w, at);
  if (w.oom) FAIL("out of memory");
  free(views);
  *size = w.len;
  return w.data;
failed:
  free(views);
  free(w.data);
  return NULL;
}
