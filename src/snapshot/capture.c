/*
** capture.c -- writing a snapshot of a running instance.
**
** Called from a probe callback, so every frame stands at an exact Wasm
** position: the firing frame before the instruction at its offset, every
** caller just after its call.  (From inro_ctx_frame, the innermost frame
** stands before the call to the host function that is running.)  The
** small sections are built first, so a state that cannot be captured
** writes nothing; then the stream goes out through stream.c, memory pages
** straight from linear memory.
*/
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapshot.h"
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

int snap_page_is_zero(const uint8_t *page) {
  static const uint8_t zero[INRO_PAGE_SIZE];
  return memcmp(page, zero, INRO_PAGE_SIZE) == 0;
}

void snap_write_module(snap_out *o, const inro_module *m, int include_module) {
  uint8_t hash[32], size[8];
  sha256(m->bytes, m->size, hash);
  snap_out_header(o);
  snap_out_begin(o, SEC_MODULE, SEC_FLAG_REQUIRED,
                 33 + (include_module ? 8 + (uint64_t)m->size : 0));
  snap_out_copy(o, hash, 32);
  snap_out_copy(o, &(uint8_t){include_module ? 1 : 0}, 1);
  if (include_module) {
    for (int i = 0; i < 8; i++) size[i] = (uint8_t)((uint64_t)m->size >> (8 * i));
    snap_out_copy(o, size, 8);
    snap_out_ref(o, m->bytes, m->size);
  }
  snap_out_end(o);
}

/* The small sections, built before anything is written. */
enum { PART_GLOBALS, PART_TABLES, PART_SEGMENTS, PART_FRAMES, NPARTS };
static const uint32_t part_ids[NPARTS] = {SEC_GLOBALS, SEC_TABLES,
                                          SEC_SEGMENTS, SEC_FRAMES};

/* The pages of each memory a MEMORIES section stores. */
typedef struct picked {
  uint32_t *pages;
  uint32_t n;
} picked;

#define FAIL(...) do { err_set(err, INRO_ERR_ARG, __VA_ARGS__); goto failed; } while (0)

static int build_parts(bwriter *part, inro_frame *view, inro_error *err) {
  inro_store *s = view->store;
  const frame *top = &s->frames[view->index];
  inro_instance *inst = top->func->inst;
  const inro_module *m = inst->module;
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

  bwriter *w = &part[PART_GLOBALS];
  bw_u32(w, m->nglobals);
  for (uint32_t i = 0; i < m->nglobals; i++) {
    const inro_global *g = inst->globals[i];
    slot v[2] = {g->value, g->value_hi};
    if (!put_value(w, inst, g->type, v))
      FAIL("cannot snapshot global %u: it holds a host reference", i);
  }

  w = &part[PART_TABLES];
  bw_u32(w, m->ntables);
  for (uint32_t i = 0; i < m->ntables; i++) {
    const inro_table *t = inst->tables[i];
    bw_u8(w, t->elem_type);
    bw_u32(w, t->size);
    bw_u32(w, t->lim.has_max ? t->lim.max : UINT32_MAX);
    for (uint32_t k = 0; k < t->size; k++) {
      uint64_t bits;
      if (!snap_encode(inst, t->elem_type, t->elems[k], &bits))
        FAIL("cannot snapshot table %u: entry %u is a host reference", i, k);
      bw_u32(w, (uint32_t)bits);
    }
  }

  w = &part[PART_SEGMENTS];
  bw_u32(w, m->ndatas);
  for (uint32_t i = 0; i < m->ndatas; i++) bw_u8(w, inst->data_sizes[i] == 0 && m->datas[i].size);
  bw_u32(w, m->nelems);
  for (uint32_t i = 0; i < m->nelems; i++) bw_u8(w, inst->elem_sizes[i] == 0 && m->elems[i].count);

  /* The views from the innermost frame out, written outermost first. */
  w = &part[PART_FRAMES];
  size_t nframes = view->index - first + 1;
  views = malloc(nframes * sizeof *views);
  if (!views) FAIL("out of memory");
  views[nframes - 1] = view;
  for (size_t i = nframes - 1; i > 0; i--)
    if (!(views[i - 1] = inro_frame_caller(views[i]))) FAIL("out of memory");
  bw_u32(w, (uint32_t)nframes);
  for (size_t i = 0; i < nframes; i++) {
    inro_frame *v = views[i];
    const frame *f = &s->frames[v->index];
    const code *c = f->func->code;
    uint32_t offset = inro_frame_offset(v);
    uint32_t height = (uint32_t)inro_frame_stack_height(v);
    const uint8_t *types = frame_view_types(v);
    if (!types) FAIL("internal error: operand types unknown at 0x%x", offset);
    bw_u32(w, f->func->index);
    bw_u32(w, offset);
    bw_u8(w, v == view ? FRAME_BEFORE : FRAME_AFTER_CALL);
    bw_u32(w, c->nlocals);
    const slot *vs = f->fp; /* each value's slots, in order */
    for (uint32_t k = 0; k < c->nlocals; vs += ir_type_slots(c->local_types[k++]))
      if (!put_value(w, inst, c->local_types[k], vs))
        FAIL("cannot snapshot: local %u of function %u holds a host reference", k, f->func->index);
    bw_u32(w, height);
    vs = f->fp + c->stack_base;
    for (uint32_t k = 0; k < height; vs += ir_type_slots(types[k++]))
      if (!put_value(w, inst, types[k], vs))
        FAIL("cannot snapshot: an operand of function %u holds a host reference", f->func->index);
  }
  free(views);
  for (int i = 0; i < NPARTS; i++)
    if (part[i].oom) {
      err_set(err, INRO_ERR_NOMEM, "out of memory");
      return 0;
    }
  return 1;
failed:
  free(views);
  return 0;
}

/* Choose the pages to store; the MEMORIES section's length. */
static int pick_pages(const inro_instance *inst, snap_pick_fn pick, void *env,
                      picked *pk, uint64_t *len, inro_error *err) {
  const inro_module *m = inst->module;
  *len = 4;
  for (uint32_t i = 0; i < m->nmems; i++) {
    const inro_memory *mem = inst->mems[i];
    pk[i].pages = malloc(((size_t)mem->pages + 1) * sizeof *pk[i].pages);
    if (!pk[i].pages) {
      err_set(err, INRO_ERR_NOMEM, "out of memory");
      return 0;
    }
    for (uint32_t p = 0; p < mem->pages; p++) {
      const uint8_t *page = mem->data + (size_t)p * INRO_PAGE_SIZE;
      if (pick ? pick(env, i, p, page) : !snap_page_is_zero(page))
        pk[i].pages[pk[i].n++] = p;
    }
    *len += 12 + (uint64_t)pk[i].n * SNAP_PAGE_RECORD;
  }
  return 1;
}

int snap_write_state(snap_out *o, inro_frame *view, int module,
                     snap_pick_fn pick, void *pick_env,
                     const inro_snapshot_section *extra, size_t nextra,
                     inro_error *err) {
  inro_instance *inst = view->store->frames[view->index].func->inst;
  const inro_module *m = inst->module;
  bwriter part[NPARTS];
  memset(part, 0, sizeof part);
  picked *pk = calloc((size_t)m->nmems + 1, sizeof *pk);
  uint64_t memlen = 0;
  int ok = 0;
  if (!pk) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < nextra; i++)
    if (extra[i].id < SEC_EMBEDDER_FIRST) {
      err_set(err, INRO_ERR_ARG, "embedder section ids start at 0x100");
      goto done;
    }
  if (!build_parts(part, view, err) || !pick_pages(inst, pick, pick_env, pk, &memlen, err))
    goto done;

  if (module != SNAP_MODULE_SENT) snap_write_module(o, m, module);
  snap_out_begin(o, SEC_MEMORIES, SEC_FLAG_REQUIRED, memlen);
  snap_out_u32(o, m->nmems);
  for (uint32_t i = 0; i < m->nmems; i++) {
    const inro_memory *mem = inst->mems[i];
    snap_out_u32(o, mem->pages);
    snap_out_u32(o, mem->lim.has_max ? mem->lim.max : UINT32_MAX);
    snap_out_u32(o, pk[i].n);
    for (uint32_t k = 0; k < pk[i].n; k++) {
      snap_out_u32(o, pk[i].pages[k]);
      snap_out_ref(o, mem->data + (size_t)pk[i].pages[k] * INRO_PAGE_SIZE, INRO_PAGE_SIZE);
    }
  }
  snap_out_end(o);
  for (int i = 0; i < NPARTS; i++)
    snap_out_section(o, part_ids[i], SEC_FLAG_REQUIRED, part[i].data, part[i].len);
  for (size_t i = 0; i < nextra; i++)
    snap_out_section(o, extra[i].id, SEC_FLAG_REQUIRED, extra[i].data, extra[i].size);
  snap_out_section(o, SEC_END, SEC_FLAG_REQUIRED, NULL, 0);
  if (snap_out_flush(o) != 0) err_set(err, INRO_ERR_IO, "cannot write the snapshot");
  else ok = 1;
done:
  for (int i = 0; i < NPARTS; i++) free(part[i].data);
  for (uint32_t i = 0; pk && i < m->nmems; i++) free(pk[i].pages);
  free(pk);
  return ok;
}

int inro_snapshot_write(inro_frame *view, int include_module,
                        const inro_snapshot_section *extra, size_t nextra,
                        inro_write_fn write, void *env, inro_error *err) {
  snap_out o;
  inro_error_clear(err);
  snap_out_init(&o, write, env);
  return snap_write_state(&o, view, include_module ? 1 : 0, NULL, NULL,
                          extra, nextra, err);
}

/* A writer into a growing buffer. */
static int to_buffer(void *env, const inro_iovec *iov, size_t n) {
  bwriter *w = env;
  for (size_t i = 0; i < n; i++) bw_bytes(w, iov[i].base, iov[i].len);
  return !w->oom;
}

uint8_t *inro_snapshot_capture(inro_frame *view, int include_module,
                               const inro_snapshot_section *extra,
                               size_t nextra, size_t *size, inro_error *err) {
  bwriter w = {0};
  if (!inro_snapshot_write(view, include_module, extra, nextra, to_buffer, &w, err)) {
    if (w.oom) err_set(err, INRO_ERR_NOMEM, "out of memory");
    free(w.data);
    return NULL;
  }
  *size = w.len;
  return w.data;
}
