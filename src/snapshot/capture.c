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
**
** The snapshot is written as version 1 when it can be (32-bit memories
** and tables, no exception anywhere), else as version 2
** (docs/snapshot-format.md): a first attempt at the small sections as
** version 1 gives up at the first memory, value or frame that needs
** version 2.  A migration stream's version is chosen before its state is
** known (snap_stream_version), from the module.
*/
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapshot.h"
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

/* A page is all zero: its first bytes are, and each equals the one 64
** bytes on (compared with memcmp, which the C library vectorises). */
int snap_page_is_zero(const uint8_t *page) {
  static const uint8_t zero[64] = {0};
  return !memcmp(page, zero, sizeof zero) && !memcmp(page, page + 64, INRO_PAGE_SIZE - 64);
}

void snap_write_module(snap_out *o, const inro_module *m, int include_module,
                       uint32_t version) {
  uint8_t hash[32], size[8];
  sha256(m->bytes, m->size, hash);
  snap_out_header(o, version);
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

/* ------------------------------------------------------ memory records */

uint64_t snap_memory_record_size(uint32_t version, uint64_t npages) {
  return (version >= 2 ? 25 : 12) + npages * SNAP_PAGE_RECORD(version);
}

void snap_out_memory(snap_out *o, uint32_t version, const inro_memory *mem, uint64_t npages) {
  uint64_t max = mem->lim.has_max ? mem->lim.max : UINT64_MAX;
  if (version >= 2) {
    snap_out_u8(o, mem->lim.is64 ? SNAP_ADDR64 : 0);
    snap_out_u64(o, mem->pages);
    snap_out_u64(o, max);
    snap_out_u64(o, npages);
  } else { /* a 32-bit memory: its sizes fit */
    snap_out_u32(o, (uint32_t)mem->pages);
    snap_out_u32(o, max == UINT64_MAX ? UINT32_MAX : (uint32_t)max);
    snap_out_u32(o, (uint32_t)npages);
  }
}

void snap_out_page(snap_out *o, uint32_t version, const inro_memory *mem, uint64_t page) {
  if (version >= 2) snap_out_u64(o, page);
  else snap_out_u32(o, (uint32_t)page);
  snap_out_ref(o, mem->data + (size_t)page * INRO_PAGE_SIZE, INRO_PAGE_SIZE);
}

/* ------------------------------------------------------------ versions */

static int has_exnref(const valtype *types, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (vt_class(types[i]) == INRO_EXNREF) return 1;
  return 0;
}

uint32_t snap_stream_version(const inro_module *m) {
  if (m->ntags) return 2;
  for (uint32_t i = 0; i < m->nmems; i++)
    if (m->mems[i].is64) return 2;
  for (uint32_t i = 0; i < m->ntables; i++)
    if (m->tables[i].lim.is64 || vt_class(m->tables[i].elem) == INRO_EXNREF) return 2;
  for (uint32_t i = 0; i < m->nglobals; i++)
    if (vt_class(m->global_types[i].type) == INRO_EXNREF) return 2;
  for (uint32_t i = 0; i < m->ntypes; i++)
    if (has_exnref(m->types[i].types, m->types[i].nparams + m->types[i].nresults)) return 2;
  for (uint32_t i = 0; i < m->nfunc_defs; i++) {
    const code *c = m->funcs[i].code;
    if (c && has_exnref(c->local_vtypes, c->nlocals)) return 2;
  }
  return 1;
}

/* ------------------------------------------------------------- capture */

/* The small sections, built before anything is written; EXCEPTIONS
** (version 2) last, since the others number the exceptions they meet. */
enum { PART_GLOBALS, PART_TABLES, PART_SEGMENTS, PART_FRAMES, PART_EXCEPTIONS, NPARTS };
static const uint32_t part_ids[NPARTS] = {SEC_GLOBALS, SEC_TABLES, SEC_SEGMENTS,
                                          SEC_FRAMES, SEC_EXCEPTIONS};

/* One attempt at the small sections as `version`. */
typedef struct capture {
  inro_frame *view;
  uint32_t version;
  int need_v2;            /* version 1 cannot hold it */
  bwriter part[NPARTS];
  snap_refs refs;
  inro_frame **views;
  inro_error *err;
} capture;

#define FAIL(...) do { err_set(c->err, INRO_ERR_ARG, __VA_ARGS__); return 0; } while (0)
#define NEED_V2() do { if (c->version < 2) { c->need_v2 = 1; return 0; } } while (0)

/* The value of type `type` in slots v[0] (and v[1] for a v128). */
static int put_value(capture *c, bwriter *w, uint8_t type, const slot *v) {
  uint64_t bits;
  if (type == INRO_EXNREF) NEED_V2();
  if (!snap_encode(&c->refs, type, v[0], &bits)) return 0;
  bw_u8(w, type);
  bw_u64(w, bits);
  if (type == INRO_V128) bw_u64(w, v[1]);
  return 1;
}

static int put_globals(capture *c, const inro_instance *inst) {
  const inro_module *m = inst->module;
  bwriter *w = &c->part[PART_GLOBALS];
  bw_u32(w, m->nglobals);
  for (uint32_t i = 0; i < m->nglobals; i++) {
    const inro_global *g = inst->globals[i];
    slot v[2] = {g->value, g->value_hi};
    if (!put_value(c, w, g->type, v)) {
      if (c->need_v2) return 0;
      FAIL("cannot snapshot global %u: it holds a host reference", i);
    }
  }
  return 1;
}

static int put_tables(capture *c, const inro_instance *inst) {
  const inro_module *m = inst->module;
  bwriter *w = &c->part[PART_TABLES];
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

static void put_segments(capture *c, const inro_instance *inst) {
  const inro_module *m = inst->module;
  bwriter *w = &c->part[PART_SEGMENTS];
  bw_u32(w, m->ndatas);
  for (uint32_t i = 0; i < m->ndatas; i++) bw_u8(w, inst->data_sizes[i] == 0 && m->datas[i].size);
  bw_u32(w, m->nelems);
  for (uint32_t i = 0; i < m->nelems; i++) bw_u8(w, inst->elem_sizes[i] == 0 && m->elems[i].count);
}

static int put_frames(capture *c, size_t first) {
  inro_frame *view = c->view;
  inro_store *s = view->store;
  const inro_module *m = s->frames[view->index].func->inst->module;
  bwriter *w = &c->part[PART_FRAMES];
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
    uint32_t ncaught = 0;
    if (cd->hidden_slots) {
      val_state st;
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
      if (!put_value(c, w, cd->local_types[k], vs)) {
        if (c->need_v2) return 0;
        FAIL("cannot snapshot: local %u of function %u holds a host reference", k, f->func->index);
      }
    bw_u32(w, height);
    vs = f->fp + cd->stack_base;
    for (uint32_t k = 0; k < height; vs += ir_type_slots(types[k++]))
      if (!put_value(c, w, types[k], vs)) {
        if (c->need_v2) return 0;
        FAIL("cannot snapshot: an operand of function %u holds a host reference", f->func->index);
      }
    if (c->version >= 2) {
      const slot *hidden = f->fp + cd->stack_base - cd->hidden_slots;
      bw_u32(w, ncaught);
      for (uint32_t k = 0; k < ncaught; k++)
        if (!put_value(c, w, INRO_EXNREF, hidden + k)) FAIL("out of memory");
    }
  }
  return 1;
}

/* The exceptions numbered so far, and those their values number. */
static int put_exceptions(capture *c, const inro_instance *inst) {
  bwriter *w = &c->part[PART_EXCEPTIONS];
  const inro_module *m = inst->module;
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
      if (!put_value(c, w, classes[k], e->vals + at))
        FAIL("cannot snapshot: a value of an exception is a host reference");
  }
  bw_put_u32_at(w, 0, c->refs.nexns);
  return 1;
}

static int build_parts(capture *c) {
  inro_frame *view = c->view;
  inro_store *s = view->store;
  const frame *top = &s->frames[view->index];
  inro_instance *inst = top->func->inst;
  const inro_module *m = inst->module;
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
  for (uint32_t i = 0; i < m->nmems; i++)
    if (inst->mems[i]->lim.is64) NEED_V2();
  if (!put_globals(c, inst) || !put_tables(c, inst)) return 0;
  put_segments(c, inst);
  if (!put_frames(c, first)) return 0;
  if (c->version >= 2 && !put_exceptions(c, inst)) return 0;
  for (int i = 0; i < NPARTS; i++)
    if (c->part[i].oom) c->refs.oom = 1;
  if (c->refs.oom) {
    err_set(c->err, INRO_ERR_NOMEM, "out of memory");
    return 0;
  }
  return 1;
}

static void capture_free(capture *c) {
  for (int i = 0; i < NPARTS; i++) free(c->part[i].data);
  free(c->views);
  free(c->refs.exns);
  inro_frame *view = c->view;
  inro_error *err = c->err;
  memset(c, 0, sizeof *c);
  c->view = view;
  c->err = err;
}

/* The pages of each memory a MEMORIES section stores. */
typedef struct picked {
  uint64_t *pages;
  uint64_t n;
} picked;

/* Choose the pages to store; the MEMORIES section's length. */
static int pick_pages(const inro_instance *inst, uint32_t version, snap_pick_fn pick,
                      void *env, picked *pk, uint64_t *len, inro_error *err) {
  const inro_module *m = inst->module;
  *len = 4;
  for (uint32_t i = 0; i < m->nmems; i++) {
    const inro_memory *mem = inst->mems[i];
    pk[i].pages = malloc(((size_t)mem->pages + 1) * sizeof *pk[i].pages);
    if (!pk[i].pages) {
      err_set(err, INRO_ERR_NOMEM, "out of memory");
      return 0;
    }
    for (uint64_t p = 0; p < mem->pages; p++) {
      const uint8_t *page = mem->data + (size_t)p * INRO_PAGE_SIZE;
      if (pick ? pick(env, i, p, page) : !snap_page_is_zero(page))
        pk[i].pages[pk[i].n++] = p;
    }
    *len += snap_memory_record_size(version, pk[i].n);
  }
  return 1;
}

int snap_write_state(snap_out *o, inro_frame *view, int module, uint32_t version,
                     snap_pick_fn pick, void *pick_env,
                     const inro_snapshot_section *extra, size_t nextra,
                     inro_error *err) {
  inro_instance *inst = view->store->frames[view->index].func->inst;
  const inro_module *m = inst->module;
  capture c;
  memset(&c, 0, sizeof c);
  c.view = view;
  c.err = err;
  c.version = module == SNAP_MODULE_SENT ? version : 1;
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
  ok = build_parts(&c);
  if (!ok && c.need_v2 && module != SNAP_MODULE_SENT) {
    capture_free(&c);
    inro_error_clear(err);
    c.version = 2;
    ok = build_parts(&c);
  }
  if (!ok && c.need_v2)
    err_set(err, INRO_ERR_ARG, "cannot capture: the state needs snapshot version 2 (an exnref) "
                               "and the stream was begun as version 1");
  if (!ok || !pick_pages(inst, c.version, pick, pick_env, pk, &memlen, err)) {
    ok = 0;
    goto done;
  }

  if (module != SNAP_MODULE_SENT) snap_write_module(o, m, module, c.version);
  snap_out_begin(o, SEC_MEMORIES, SEC_FLAG_REQUIRED, memlen);
  snap_out_u32(o, m->nmems);
  for (uint32_t i = 0; i < m->nmems; i++) {
    const inro_memory *mem = inst->mems[i];
    snap_out_memory(o, c.version, mem, pk[i].n);
    for (uint64_t k = 0; k < pk[i].n; k++) snap_out_page(o, c.version, mem, pk[i].pages[k]);
  }
  snap_out_end(o);
  for (int i = 0; i < NPARTS; i++)
    if (part_ids[i] != SEC_EXCEPTIONS || c.version >= 2)
      snap_out_section(o, part_ids[i], SEC_FLAG_REQUIRED, c.part[i].data, c.part[i].len);
  for (size_t i = 0; i < nextra; i++)
    snap_out_section(o, extra[i].id, SEC_FLAG_REQUIRED, extra[i].data, extra[i].size);
  snap_out_section(o, SEC_END, SEC_FLAG_REQUIRED, NULL, 0);
  ok = 0;
  if (snap_out_flush(o) != 0) err_set(err, INRO_ERR_IO, "cannot write the snapshot");
  else ok = 1;
done:
  capture_free(&c);
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
  return snap_write_state(&o, view, include_module ? 1 : 0, 0, NULL, NULL,
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
