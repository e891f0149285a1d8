/*
** restore.c -- giving a fresh instance the state of a snapshot, and
** resuming its frames.
**
** Nothing from the snapshot is trusted: function indices, offsets, value
** types and sizes are checked against the module before they are used
** (the types of locals and operands must be exactly those the validator
** derives at that offset, so no bits can pose as a reference, and a
** typed function reference must hold a function of its type).
*/
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapshot.h"
#include "util/sha256.h"

int snap_decode(const snap_refs *r, uint8_t type, uint64_t bits, slot *v) {
  *v = 0;
  switch (type) {
  case INRO_EXTERNREF: return bits == 0;
  case INRO_I32: case INRO_F32:
    *v = bits; /* a 32-bit value's slot holds it zero-extended */
    return bits >> 32 == 0;
  case INRO_EXNREF:
    if (bits > r->nexns) return 0;
    if (bits) *v = (slot)(uintptr_t)r->exns[bits - 1];
    return 1;
  case INRO_FUNCREF:
    if (bits > r->inst->module->nfuncs) return 0;
    if (bits) *v = (slot)(uintptr_t)r->inst->funcs[bits - 1];
    return 1;
  default:
    *v = bits;
    return 1;
  }
}

/* Slot v may be in a place of type t (of module m): the class was checked;
** a reference must also meet its nullability (unless `unset`: a local not
** yet set, which holds null) and a typed one be a function of its type. */
static int fits(const inro_module *m, valtype t, slot v, int unset) {
  if (!vt_is_ref(t)) return 1;
  if (!v) return vt_nullable(t) || unset;
  uint32_t heap = vt_heap(t);
  if (heap == HT_NOFUNC || heap == HT_NOEXTERN || heap == HT_NOEXN) return 0;
  if (!vt_is_concrete(t)) return 1;
  return m && functype_sub(((const inro_func *)(uintptr_t)v)->type, &m->types[vt_index(t)]);
}

/* A saved value into its slots v (two for a v128), for a place of type t
** of module m. */
static int take(const snap_refs *r, const snap_value *sv, const inro_module *m, valtype t,
                int unset, slot *v) {
  if (sv->type != vt_class(t) || !snap_decode(r, sv->type, sv->bits, v)) return 0;
  if (sv->type == INRO_V128) v[1] = sv->bits_hi;
  return fits(m, t, *v, unset);
}

#define FAIL(...) do { err_set(err, INRO_ERR_ARG, __VA_ARGS__); return 0; } while (0)

/* The snapshot's exceptions, made in the store, their values after. */
static int restore_exceptions(inro_instance *inst, const inro_snapshot *s, snap_refs *r,
                              inro_error *err) {
  const inro_module *m = inst->module;
  if (!s->nexns) return 1;
  r->exns = calloc(s->nexns, sizeof *r->exns);
  if (!r->exns) FAIL("out of memory");
  inst->restored_exns = r->exns;
  for (uint32_t i = 0; i < s->nexns; i++) {
    const snap_exn *se = &s->exns[i];
    if (se->tag >= m->ntags || se->nvals != inst->tags[se->tag]->type->nparams)
      FAIL("snapshot exception %u does not match the module's tags", i);
    if (!(r->exns[i] = exn_new(inst->store, inst->tags[se->tag]))) FAIL("out of memory");
    inst->nrestored_exns = r->nexns = i + 1;
  }
  for (uint32_t i = 0; i < s->nexns; i++) {
    inro_exn *e = r->exns[i];
    const inro_tag *tag = e->tag;
    for (uint32_t k = 0, at = 0; k < e->nvals; at += ir_type_slots(tag->type->classes[k++]))
      if (!take(r, &s->exns[i].vals[k], tag->module, tag->type->types[k], 0, e->vals + at))
        FAIL("snapshot exception %u: value %u has the wrong type", i, k);
  }
  return 1;
}

/* The maximum a snapshot holds for limits of the module: UINT64_MAX for
** none; version 1 wrote none and 2^32 - 1 alike. */
static uint64_t snap_max(const inro_snapshot *s, int has_max, uint64_t max) {
  if (!has_max || (s->version < 2 && max == UINT32_MAX)) return UINT64_MAX;
  return max;
}

/* Memory i takes the saved contents: moved, when allowed, by taking over
** the snapshot's storage if it was made for the same limit (no copy, and
** pages not stored are never touched); else the pages the snapshot gave
** are copied. */
static int restore_memory(const inro_instance *inst, uint32_t i, const snap_memory *sm,
                          snap_memory *take /* sm itself when moving */,
                          inro_error *err) {
  inro_memory *mem = inst->mems[i];
  if (!(sm->flags & SNAP_ADDR64) != !mem->lim.is64 || sm->pages < mem->pages ||
      (mem->lim.has_max && sm->pages > mem->lim.max))
    FAIL("snapshot memory %u (%llu pages) does not fit the module", i,
         (unsigned long long)sm->pages);
  if (sm->max != (mem->lim.has_max ? mem->lim.max : UINT64_MAX))
    FAIL("snapshot memory %u has another maximum than the module's", i);
  if (!sm->data) FAIL("this snapshot's memory was restored already");
  /* Both reserved for the same limit, or both malloc'd. */
  if (take && sm->reserved == mem->reserved) {
    memory_adopt(mem, take->data, take->reserved, take->pages);
    take->data = NULL;
    return 1;
  }
  if (memory_grow(mem, sm->pages - mem->pages) < 0)
    FAIL("cannot allocate %llu pages of memory", (unsigned long long)sm->pages);
  /* One the instance defines is all zeros yet (no segment was applied,
  ** growth zeroes): clearing it would touch every page of it.  An
  ** imported one may hold data, which the snapshot replaces. */
  if (i < inst->module->nmem_imports) memset(mem->data, 0, (size_t)mem->size);
  for (uint64_t p = 0; p < sm->pages; p++)
    if (sm->given[p / 8] >> (p % 8) & 1)
      memcpy(mem->data + (size_t)p * INRO_PAGE_SIZE, sm->data + (size_t)p * INRO_PAGE_SIZE,
             INRO_PAGE_SIZE);
  return 1;
}

static int restore_state(inro_instance *inst, const inro_snapshot *s, inro_snapshot *moving,
                         snap_refs *r, inro_error *err) {
  const inro_module *m = inst->module;
  if (s->nmems != m->nmems || s->ntables != m->ntables || s->nglobals != m->nglobals ||
      s->ndata != m->ndatas || s->nelem != m->nelems)
    FAIL("snapshot does not match the module (counts of memories, tables, globals or segments)");
  if (!restore_exceptions(inst, s, r, err)) return 0;
  for (uint32_t i = 0; i < m->nmems; i++)
    if (!restore_memory(inst, i, &s->mems[i], moving ? &moving->mems[i] : NULL, err)) return 0;
  for (uint32_t i = 0; i < m->nglobals; i++) {
    inro_global *g = inst->globals[i];
    slot v[2] = {0, 0};
    if (!take(r, &s->globals[i], g->module, g->vtype, 0, v))
      FAIL("snapshot global %u has the wrong type or a bad reference", i);
    if (g->mut || i >= m->nglobal_imports) {
      g->value = v[0];
      g->value_hi = v[1];
    }
  }
  for (uint32_t i = 0; i < m->ntables; i++) {
    inro_table *t = inst->tables[i];
    const snap_table *st = &s->tables[i];
    if (st->elem != t->elem_type || !(st->flags & SNAP_ADDR64) != !t->lim.is64 ||
        st->size < t->size || (t->lim.has_max && st->size > t->lim.max) ||
        st->max != snap_max(s, t->lim.has_max, t->lim.max))
      FAIL("snapshot table %u does not fit the module", i);
    if (table_grow(t, st->size - t->size, 0) < 0) FAIL("cannot allocate table %u", i);
    breader br = {st->entries, 0, (size_t)st->size * 4, 0};
    for (uint32_t k = 0; k < st->size; k++) {
      snap_value sv = {st->elem, br_u32(&br), 0};
      if (!take(r, &sv, t->module, t->elem, 0, &t->elems[k]))
        FAIL("bad reference in table %u", i);
    }
  }
  for (uint32_t i = 0; i < m->ndatas; i++)
    inst->data_sizes[i] = s->data_dropped[i] ? 0 : m->datas[i].size;
  for (uint32_t i = 0; i < m->nelems; i++)
    inst->elem_sizes[i] = s->elem_dropped[i] || m->elems[i].mode != SEG_PASSIVE ? 0 : m->elems[i].count;
  return 1;
}

static inro_instance *restore(inro_store *store, const inro_snapshot *s,
                              inro_snapshot *moving, const inro_module *m,
                              const inro_extern *imports, size_t nimports,
                              inro_error *err) {
  uint8_t hash[32];
  sha256(m->bytes, m->size, hash);
  if (memcmp(hash, s->hash, 32)) {
    err_set(err, INRO_ERR_ARG, "snapshot was taken from another module (SHA-256 differs)");
    return NULL;
  }
  inro_instance *inst = instance_create(store, m, imports, nimports, 0, err);
  if (!inst) return NULL;
  snap_refs r = {inst, NULL, 0, 0, 0};
  if (!restore_state(inst, s, moving, &r, err)) return NULL;
  return inst;
}

inro_instance *inro_snapshot_restore(inro_store *store, const inro_snapshot *s,
                                     const inro_module *m, const inro_extern *imports,
                                     size_t nimports, inro_error *err) {
  return restore(store, s, NULL, m, imports, nimports, err);
}

inro_instance *inro_snapshot_restore_move(inro_store *store, inro_snapshot *s,
                                          const inro_module *m, const inro_extern *imports,
                                          size_t nimports, inro_error *err) {
  return restore(store, s, s, m, imports, nimports, err);
}

/* The opcodes after which a frame can stand (kind FRAME_AFTER_CALL). */
enum { CALL_OP = 0x10, CALL_INDIRECT_OP = 0x11, CALL_REF_OP = 0x14 };

/* One saved frame onto the value stack at fp, checked; its resume pc, and
** in *op_slots the slots of its operand stack. */
static const uint32_t *build_frame(inro_store *st, inro_instance *inst, const inro_snapshot *s,
                                   uint32_t i, const snap_refs *r, slot *fp, uint32_t *op_slots,
                                   inro_error *err) {
  const inro_module *m = inst->module;
  const snap_frame *sf = &s->frames[i];
  if (sf->func < m->nfunc_imports || sf->func >= m->nfuncs)
    FAIL("snapshot frame %u names function %u, not defined by the module", i, sf->func);
  uint32_t defidx = sf->func - m->nfunc_imports;
  inro_func *fn = &inst->own_funcs[defidx];
  const code *c = fn->code;
  uint8_t op = sf->offset < m->size ? m->bytes[sf->offset] : 0;
  if (sf->kind == FRAME_AFTER_CALL && op != CALL_OP && op != CALL_INDIRECT_OP && op != CALL_REF_OP)
    FAIL("snapshot frame %u: offset 0x%x is not a call", i, sf->offset);
  val_state vs;
  if (!func_state_at(m, defidx, sf->offset, &vs)) {
    val_state_free(&vs);
    FAIL("snapshot frame %u: no instruction at offset 0x%x", i, sf->offset);
  }
  uint32_t height = vs.height;
  /* After a call, the callee has taken its arguments off the stack. */
  if (sf->kind == FRAME_AFTER_CALL && i + 1 < s->nframes) {
    uint32_t next = s->frames[i + 1].func;
    uint32_t nargs = next < m->nfuncs ? inst->funcs[next]->type->nparams : UINT32_MAX;
    if (nargs != UINT32_MAX && op != CALL_OP) nargs++; /* table index, function */
    height = height < nargs ? UINT32_MAX : height - nargs;
  }
  const char *bad = NULL;
  /* Each value's slots in order; the operands' fit the frame, whose
  ** deepest operand stack holds at least these. */
  uint32_t slots = 0;
  for (uint32_t k = 0; k < sf->nops && k < height; k++) slots += ir_type_slots(vs.types[k]);
  *op_slots = slots;
  if (sf->nlocals != c->nlocals || height != sf->nops || sf->ncaught != vs.ncatches)
    bad = "locals, stack height or legacy catch bodies";
  else if ((size_t)(st->stack_end - fp) < (size_t)c->frame_slots + 1 ||
           c->stack_base + slots > c->frame_slots)
    bad = "value stack";
  for (uint32_t k = 0, at = 0; !bad && k < sf->nlocals; at += ir_type_slots(c->local_types[k++]))
    if (!take(r, &sf->locals[k], m, c->local_vtypes[k], !vs.local_set[k], fp + at))
      bad = "a local's type or value";
  for (uint32_t k = 0, at = c->stack_base; !bad && k < sf->nops; at += ir_type_slots(vs.types[k++]))
    if (!take(r, &sf->ops[k], m, vs.types[k], 0, fp + at))
      bad = "an operand's type or value";
  val_state_free(&vs);
  if (bad) FAIL("snapshot frame %u does not match function %u (%s)", i, sf->func, bad);
  /* The innermost frame resumes before an instruction: a barrier there
  ** makes the translation hold the Wasm state at it (exec/ir.h). */
  if (sf->kind == FRAME_BEFORE ? !probe_barrier(inst, defidx, sf->offset, err)
                               : !probe_translated(inst, defidx, err))
    return NULL;
  c = fn->code;
  frame_consts(fp, c);
  slot *hidden = fp + c->stack_base - c->hidden_slots;
  for (uint32_t k = 0; k < sf->ncaught; k++)
    if (k >= c->hidden_slots || !snap_decode(r, INRO_EXNREF, sf->caught[k].bits, &hidden[k]))
      FAIL("snapshot frame %u: bad exception of a catch body", i);
  const uint32_t *pc = code_resume_pc(c, sf->offset, sf->kind == FRAME_AFTER_CALL
                                                         ? RESUME_AFTER_CALL
                                                         : RESUME_AFTER_PROBE);
  if (!pc) FAIL("snapshot frame %u: cannot resume at offset 0x%x", i, sf->offset);
  frame_push(st, fn, fp, pc);
  return pc;
}

/* Lay out the saved frames on the value stack, checked. */
static int build_frames(inro_store *st, inro_instance *inst, const inro_snapshot *s,
                        slot *base, inro_error *err) {
  if (st->nframes + 1 + s->nframes > st->max_frames) FAIL("snapshot has too many frames");
  if (inst->nrestored_exns != s->nexns)
    FAIL("the snapshot's exceptions are gone (resume once per restore)");
  snap_refs r = {inst, inst->restored_exns, inst->nrestored_exns, 0, 0};
  frame_push(st, NULL, base, NULL);
  slot *fp = base;
  for (uint32_t i = 0; i < s->nframes; i++) {
    uint32_t op_slots;
    if (!build_frame(st, inst, s, i, &r, fp, &op_slots, err)) return 0;
    fp += st->frames[st->nframes - 1].func->code->stack_base + op_slots;
  }
  st->sp_top = fp; /* the innermost frame's operands end here */
  return 1;
}

int inro_snapshot_resume(inro_store *st, inro_instance *inst, const inro_snapshot *s,
                         inro_value *results, size_t nresults, inro_error *err) {
  return inro_snapshot_resume_ready(st, inst, s, results, nresults, NULL, NULL, err);
}

int inro_snapshot_resume_ready(inro_store *st, inro_instance *inst, const inro_snapshot *s,
                               inro_value *results, size_t nresults,
                               void (*ready)(void *env), void *env, inro_error *err) {
  inro_error_clear(err);
  if (st->suspended)
    return err_set(err, INRO_ERR_ARG, "a call is suspended in this store (inro_resume or inro_abandon it)");
  slot *base = st->sp_top;
  size_t frames_before = st->nframes;
  if (!build_frames(st, inst, s, base, err)) {
    st->nframes = frames_before;
    st->sp_top = base;
    return 0;
  }
  /* The frames hold the exceptions now (the collector finds them there). */
  free(inst->restored_exns);
  inst->restored_exns = NULL;
  inst->nrestored_exns = 0;
  inro_func *outer_func = inst->funcs[s->frames[0].func];
  const functype *outer = outer_func->type;
  if (ready) ready(env);
  /* Made by the host, the resumed call can be suspended as inro_call's:
  ** inro_resume goes on with it. */
  int ok = exec_run(st, frames_before == 0, err);
  if (ok == EXEC_SUSPENDED) {
    st->suspended = outer_func;
    st->suspended_base = base;
    return 0;
  }
  st->sp_top = base;
  st->nframes = frames_before;
  if (!ok) return 0;
  for (size_t i = 0, k = 0; i < outer->nresults && i < nresults; i++) {
    uint8_t t = FT_RCLASSES(outer)[i];
    results[i] = slots_to_value(t, base + k);
    k += ir_type_slots(t);
  }
  return 1;
}
