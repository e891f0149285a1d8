/*
** capture.c -- writing a snapshot of a running instance.
**
** Called from a probe callback, so every frame stands at an exact Wasm
** position: the firing frame before the instruction at its offset, every
** caller just after its call.  (From inro_ctx_frame, the innermost frame
** stands before the call to the host function that is running.)
**
** The snapshot is written as version 1 when it can be (32-bit memories
** and tables, no exception anywhere), else as version 2
** (docs/snapshot-format.md): a first attempt as version 1 gives up at the
** first value or frame that needs version 2.
*/
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapshot.h"
#include "util/crc32c.h"
#include "util/sha256.h"

/* The number + 1 of exception e, numbering it if new. */
static uint64_t exn_number(snap_refs *r, inro_exn *e) {
  for (uint32_t i = 0; i < r->nexns; i++)
    if (r->exns[i] == e) return (uint64_t)i + 1;
  if (r->nexns == r->capexns) {
    uint32_t cap = r->capexns ? 2 * r->capexns : 16;
    inro_exn **more = realloc(r->exns, cap * sizeof *more);
    if (!more) {
      r->oom = 1;
      return 0;
    }
    r->exns = more;
    r->capexns = cap;
  }
  r->exns[r->nexns++] = e;
  return r->nexns;
}

int snap_encode(snap_refs *r, uint8_t type, slot v, uint64_t *bits) {
  *bits = 0;
  switch (type) {
  case INRO_EXTERNREF: return v == 0;
  case INRO_EXNREF: 
    if (v) *bits = exn_number(r, (inro_exn *)(uintptr_t)v);
    return !r->oom;
  case INRO_FUNCREF: break;
  default:
    *bits = v;
    return 1;
  }
  if (v == 0) return 1;
  const inro_func *f = (const inro_func *)(uintptr_t)v;
  const inro_instance *inst = r->inst;
  if (f->inst == inst && inst->funcs[f->index] == f) { /* one of its own */
    *bits = (uint64_t)f->index + 1;
    return 1;
  }
  for (uint32_t i = 0; i < inst->module->nfuncs; i++)
    if (inst->funcs[i] == f) {
      *bits = (uint64_t)i + 1;
      return 1;
    }
  return 0;
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

/* A page is all zero: its first word is, and each word equals the next
** (compared with memcmp, which the C library vectorises). */
static int page_is_zero(const uint8_t *p) {
  static const uint8_t zero[64] = {0};
  return !memcmp(p, zero, sizeof zero) && !memcmp(p, p + 64, INRO_PAGE_SIZE - 64);
}

/* One capture attempt as `version`. */
typedef struct capture {
  inro_frame *view;
  unsigned version;
  int need_v2;            /* version 1 cannot hold it: try again as 2 */
  bwriter w;
  snap_refs refs;
  inro_frame **views;
  inro_error *err;
} capture;

#define FAIL(...) do { err_set(c->err, INRO_ERR_ARG, __VA_ARGS__); return 0; } while (0)
#define NEED_V2() do { if (c->version < 2) { c->need_v2 = 1; return 0; } } while (0)

/* The value of type `type` in slots v[0] (and v[1] for a v128). */
static int put_value(capture *c, uint8_t type, const slot *v) {
  uint64_t bits;
  if (type == INRO_EXNREF) NEED_V2();
  if (!snap_encode(&c->refs, type, v[0], &bits)) return 0;
  bw_u8(&c->w, type);
  bw_u64(&c->w, bits);
  if (type == INRO_V128) bw_u64(&c->w, v[1]);
  return 1;
}

static int put_memories(capture *c, const inro_instance *inst) {
  const inro_module *m = inst->module;
  bwriter *w = &c->w;
  bw_u32(w, m->nmems);
  for (uint32_t i = 0; i < m->nmems; i++) {
    const inro_memory *mem = inst->mems[i];
    uint64_t max = mem->lim.has_max ? mem->lim.max : UINT64_MAX;
    if (c->version >= 2) {
      bw_u8(w, mem->lim.is64 ? SNAP_ADDR64 : 0);
      bw_u64(w, mem->pages);
      bw_u64(w, max);
    } else {
      if (mem->lim.is64) NEED_V2();
      bw_u32(w, (uint32_t)mem->pages);
      bw_u32(w, max == UINT64_MAX ? UINT32_MAX : (uint32_t)max);
    }
    size_t count_at = w->len;
    uint64_t stored = 0;
    if (c->version >= 2) bw_u64(w, 0);
    else bw_u32(w, 0);
    for (uint64_t p = 0; p < mem->pages; p++) {
      const uint8_t *page = mem->data + (size_t)p * INRO_PAGE_SIZE;
      if (page_is_zero(page)) continue;
      if (c->version >= 2) bw_u64(w, p);
      else bw_u32(w, (uint32_t)p);
      bw_bytes(w, page, INRO_PAGE_SIZE);
      stored++;
    }
    if (c->version >= 2) bw_put_u64_at(w, count_at, stored);
    else bw_put_u32_at(w, count_at, (uint32_t)stored);
  }
  return 1;
}

static int put_tables(capture *c, const inro_instance *inst) {
  const inro_module *m = inst->module;
  bwriter *w = &c->w;
  bw_u32(w, m->ntables);
  for (uint32_t i = 0; i < m->ntables; i++) {
    const inro_table *t = inst->tables[i];
    uint64_t max = t->lim.has_max ? t->lim.max : UINT64_MAX;
    bw_u8(w, t->elem_type);
    if (c->version >= 2) {
      bw_u8(w, t->lim.is64 ? SNAP_ADDR64 : 0);
      bw_u32(w, t->size);
      bw_u64(w, max);
    } else {
      if (t->lim.is64 || t->elem_type == INRO_EXNREF) NEED_V2();
      bw_u32(w, t->size);
      bw_u32(w, max > UINT32_MAX ? UINT32_MAX : (uint32_t)max);
    }
    for (uint32_t k = 0; k < t->size; k++) {
      uint64_t bits;
      if (!snap_encode(&c->refs, t->elem_type, t->elems[k], &bits))
        FAIL("cannot snapshot table %u: entry %u is a host reference", i, k);
      bw_u32(w, (uint32_t)bits);
    }
  }
  return 1;
}

/* The exceptions numbered so far, and those their values number. */
static int put_exceptions(capture *c, const inro_instance *inst) {
  bwriter *w = &c->w;
  const inro_module *m = inst->module;
  size_t count_at = w->len;
  bw_u32(w, 0);
  for (uint32_t i = 0; i < c->refs.nexns; i++) {
    const inro_exn *e = c->refs.exns[i];
    uint32_t tag = UINT32_MAX;
    for (uint32_t k = 0; k < m->ntags; k++)
      if (inst->tags[k] == e->tag) tag = k;
    if (tag == UINT32_MAX)
      FAIL("cannot snapshot: an exception has a tag the module has no index for");
    bw_u32(w, tag);
    bw_u32(w, e->nvals);
    const uint8_t *classes = e->tag->type->classes;
    for (uint32_t k = 0, at = 0; k < e->nvals; at += ir_type_slots(classes[k++]))
      if (!put_value(c, classes[k], e->vals + at))
        FAIL("cannot snapshot: a value of an exception is a host reference");
  }
  bw_put_u32_at(w, count_at, c->refs.nexns);
  return 1;
}

static int put_frames(capture *c, size_t first) {
  inro_frame *view = c->view;
  inro_store *s = view->store;
  const inro_module *m = s->frames[view->index].func->inst->module;
  bwriter *w = &c->w;
  /* The views from the innermost frame out, written outermost first. */
  size_t nframes = view->index - first + 1;
  c->views = malloc(nframes * sizeof *c->views);
  if (!c->views) FAIL("out of memory");
  c->views[nframes - 1] = view;
  for (size_t i = nframes - 1; i > 0; i--)
    if (!(c->views[i - 1] = inro_frame_caller(c->views[i]))) FAIL("out of memory");
  bw_u32(w, (uint32_t)nframes);
  for (size_t i = 0; i < nframes; i++) {
    inro_frame *v = c->views[i];
    const frame *f = &s->frames[v->index];
    const code *cd = f->func->code;
    uint32_t offset = inro_frame_offset(v);
    uint32_t height = (uint32_t)inro_frame_stack_height(v);
    const uint8_t *types = frame_view_types(v);
    if (!types) FAIL("internal error: operand types unknown at 0x%x", offset);
    val_state st;
    uint32_t ncaught = 0;
    if (cd->hidden_slots) {
      if (!func_state_at(m, f->func->index - m->nfunc_imports, offset, &st))
        FAIL("internal error: no instruction at 0x%x", offset);
      ncaught = st.ncatches;
      val_state_free(&st);
      if (ncaught) NEED_V2();
    }
    bw_u32(w, f->func->index);
    bw_u32(w, offset);
    bw_u8(w, v == view ? FRAME_BEFORE : FRAME_AFTER_CALL);
    bw_u32(w, cd->nlocals);
    const slot *vs = f->fp; /* each value's slots, in order */
    for (uint32_t k = 0; k < cd->nlocals; vs += ir_type_slots(cd->local_types[k++]))
      if (!put_value(c, cd->local_types[k], vs))
        FAIL("cannot snapshot: local %u of function %u holds a host reference", k, f->func->index);
    bw_u32(w, height);
    vs = f->fp + cd->stack_base;
    for (uint32_t k = 0; k < height; vs += ir_type_slots(types[k++]))
      if (!put_value(c, types[k], vs))
        FAIL("cannot snapshot: an operand of function %u holds a host reference", f->func->index);
    if (c->version >= 2) {
      const slot *hidden = f->fp + cd->stack_base - cd->hidden_slots;
      bw_u32(w, ncaught);
      for (uint32_t k = 0; k < ncaught; k++)
        if (!put_value(c, INRO_EXNREF, hidden + k)) return 0;
    }
  }
  return 1;
}

static int capture_as(capture *c, int include_module, const inro_snapshot_section *extra,
                      size_t nextra) {
  inro_frame *view = c->view;
  inro_store *s = view->store;
  const frame *top = &s->frames[view->index];
  inro_instance *inst = top->func->inst;
  const inro_module *m = inst->module;
  bwriter *w = &c->w;
  c->refs.inst = inst;
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

  bw_bytes(w, SNAP_MAGIC, 8);
  bw_u32(w, c->version);
  bw_u32(w, 0);

  size_t at = begin(w, SEC_MODULE, SEC_FLAG_REQUIRED);
  uint8_t hash[32];
  sha256(m->bytes, m->size, hash);
  bw_bytes(w, hash, 32);
  bw_u8(w, include_module ? 1 : 0);
  if (include_module) {
    bw_u64(w, m->size);
    bw_bytes(w, m->bytes, m->size);
  }
  end(w, at);

  at = begin(w, SEC_MEMORIES, SEC_FLAG_REQUIRED);
  if (!put_memories(c, inst)) return 0;
  end(w, at);

  at = begin(w, SEC_GLOBALS, SEC_FLAG_REQUIRED);
  bw_u32(w, m->nglobals);
  for (uint32_t i = 0; i < m->nglobals; i++) {
    const inro_global *g = inst->globals[i];
    slot v[2] = {g->value, g->value_hi};
    if (!put_value(c, g->type, v)) {
      if (c->need_v2) return 0;
      FAIL("cannot snapshot global %u: it holds a host reference", i);
    }
  }
  end(w, at);

  at = begin(w, SEC_TABLES, SEC_FLAG_REQUIRED);
  if (!put_tables(c, inst)) return 0;
  end(w, at);

  at = begin(w, SEC_SEGMENTS, SEC_FLAG_REQUIRED);
  bw_u32(w, m->ndatas);
  for (uint32_t i = 0; i < m->ndatas; i++) bw_u8(w, inst->data_sizes[i] == 0 && m->datas[i].size);
  bw_u32(w, m->nelems);
  for (uint32_t i = 0; i < m->nelems; i++) bw_u8(w, inst->elem_sizes[i] == 0 && m->elems[i].count);
  end(w, at);

  at = begin(w, SEC_FRAMES, SEC_FLAG_REQUIRED);
  if (!put_frames(c, first)) return 0;
  end(w, at);

  if (c->version >= 2) {
    at = begin(w, SEC_EXCEPTIONS, SEC_FLAG_REQUIRED);
    if (!put_exceptions(c, inst)) return 0;
    end(w, at);
  }

  for (size_t i = 0; i < nextra; i++) {
    if (extra[i].id < SEC_EMBEDDER_FIRST) FAIL("embedder section ids start at 0x100");
    at = begin(w, extra[i].id, SEC_FLAG_REQUIRED);
    bw_bytes(w, extra[i].data, extra[i].size);
    end(w, at);
  }
  at = begin(w, SEC_END, SEC_FLAG_REQUIRED);
  end(w, at);
  if (w->oom || c->refs.oom) FAIL("out of memory");
  return 1;
}

static void capture_free(capture *c) {
  free(c->views);
  free(c->refs.exns);
  free(c->w.data);
  memset(&c->refs, 0, sizeof c->refs);
  memset(&c->w, 0, sizeof c->w);
  c->views = NULL;
}

uint8_t *inro_snapshot_capture(inro_frame *view, int include_module,
                               const inro_snapshot_section *extra,
                               size_t nextra, size_t *size, inro_error *err) {
  capture c;
  memset(&c, 0, sizeof c);
  c.view = view;
  c.err = err;
  c.version = 1;
  int ok = capture_as(&c, include_module, extra, nextra);
  if (!ok && c.need_v2) {
    capture_free(&c);
    inro_error_clear(err);
    c.need_v2 = 0;
    c.version = 2;
    ok = capture_as(&c, include_module, extra, nextra);
  }
  if (!ok) {
    capture_free(&c);
    return NULL;
  }
  uint8_t *bytes = c.w.data;
  *size = c.w.len;
  c.w.data = NULL;
  capture_free(&c);
  return bytes;
}
