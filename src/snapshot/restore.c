/*
** restore.c -- giving a fresh instance the state of a snapshot, and
** resuming its frames.
**
** Nothing from the snapshot is trusted: function indices, offsets, value
** types and sizes are checked against the module before they are used
** (the types of locals and operands must be exactly those the validator
** derives at that offset, so no bits can pose as a reference).
*/
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapshot.h"
#include "util/sha256.h"

int snap_decode(const inro_instance *inst, uint8_t type, uint64_t bits, slot *v) {
  if (type == INRO_EXTERNREF) {
    *v = 0;
    return bits == 0;
  }
  if (type == INRO_I32 || type == INRO_F32) {
    *v = bits; /* a 32-bit value's slot holds it zero-extended */
    return bits >> 32 == 0;
  }
  if (type != INRO_FUNCREF) {
    *v = bits;
    return 1;
  }
  if (bits == 0) {
    *v = 0;
    return 1;
  }
  if (bits > inst->module->nfuncs) return 0;
  *v = (slot)(uintptr_t)inst->funcs[bits - 1];
  return 1;
}

#define FAIL(...) do { err_set(err, INRO_ERR_ARG, __VA_ARGS__); return 0; } while (0)

static int restore_state(inro_instance *inst, const inro_snapshot *s, inro_error *err) {
  const inro_module *m = inst->module;
  if (s->nmems != m->nmems || s->ntables != m->ntables || s->nglobals != m->nglobals ||
      s->ndata != m->ndatas || s->nelem != m->nelems)
    FAIL("snapshot does not match the module (counts of memories, tables, globals or segments)");
  for (uint32_t i = 0; i < m->nmems; i++) {
    inro_memory *mem = inst->mems[i];
    const snap_memory *sm = &s->mems[i];
    if (sm->pages < mem->pages || (mem->lim.has_max && sm->pages > mem->lim.max))
      FAIL("snapshot memory size %u pages does not fit the module", sm->pages);
    if (memory_grow(mem, sm->pages - mem->pages) < 0)
      FAIL("cannot allocate %u pages of memory", sm->pages);
    memset(mem->data, 0, (size_t)mem->size);
    breader r = {sm->stored, 0, (size_t)sm->nstored * (4 + INRO_PAGE_SIZE), 0};
    for (uint32_t k = 0; k < sm->nstored; k++) {
      uint32_t page = br_u32(&r);
      memcpy(mem->data + (size_t)page * INRO_PAGE_SIZE, br_bytes(&r, INRO_PAGE_SIZE), INRO_PAGE_SIZE);
    }
  }
  for (uint32_t i = 0; i < m->nglobals; i++) {
    inro_global *g = inst->globals[i];
    if (s->globals[i].type != g->type) FAIL("snapshot global %u has the wrong type", i);
    slot v;
    if (!snap_decode(inst, g->type, s->globals[i].bits, &v)) FAIL("bad reference in global %u", i);
    if (g->mut || i >= m->nglobal_imports) g->value = v;
  }
  for (uint32_t i = 0; i < m->ntables; i++) {
    inro_table *t = inst->tables[i];
    const snap_table *st = &s->tables[i];
    if (st->elem != t->elem_type || st->size < t->size ||
        (t->lim.has_max && st->size > t->lim.max))
      FAIL("snapshot table %u does not fit the module", i);
    if (table_grow(t, st->size - t->size, 0) < 0) FAIL("cannot allocate table %u", i);
    breader r = {st->entries, 0, (size_t)st->size * 4, 0};
    for (uint32_t k = 0; k < st->size; k++)
      if (!snap_decode(inst, t->elem_type, br_u32(&r), &t->elems[k]))
        FAIL("bad reference in table %u", i);
  }
  for (uint32_t i = 0; i < m->ndatas; i++)
    inst->data_sizes[i] = s->data_dropped[i] ? 0 : m->datas[i].size;
  for (uint32_t i = 0; i < m->nelems; i++)
    inst->elem_sizes[i] = s->elem_dropped[i] || m->elems[i].mode != SEG_PASSIVE ? 0 : m->elems[i].count;
  return 1;
}

inro_instance *inro_snapshot_restore(inro_store *store, const inro_snapshot *s,
                                     const inro_module *m, const inro_extern *imports,
                                     size_t nimports, inro_error *err) {
  uint8_t hash[32];
  sha256(m->bytes, m->size, hash);
  if (memcmp(hash, s->hash, 32)) {
    err_set(err, INRO_ERR_ARG, "snapshot was taken from another module (SHA-256 differs)");
    return NULL;
  }
  inro_instance *inst = instance_create(store, m, imports, nimports, 0, err);
  if (!inst) return NULL;
  if (!restore_state(inst, s, err)) return NULL;
  return inst;
}

/* Lay out the saved frames on the value stack, checked. */
static int build_frames(inro_store *st, inro_instance *inst, const inro_snapshot *s,
                        slot *base, inro_error *err) {
  const inro_module *m = inst->module;
  if (st->nframes + 1 + s->nframes > st->max_frames) FAIL("snapshot has too many frames");
  frame_push(st, NULL, base, NULL);
  slot *fp = base;
  valtype *types = NULL;
  for (uint32_t i = 0; i < s->nframes; i++) {
    const snap_frame *sf = &s->frames[i];
    if (sf->func < m->nfunc_imports || sf->func >= m->nfuncs) {
      free(types);
      FAIL("snapshot frame %u names function %u, not defined by the module", i, sf->func);
    }
    uint32_t defidx = sf->func - m->nfunc_imports;
    inro_func *fn = &inst->own_funcs[defidx];
    const code *c = fn->code;
    if (!func_instr_at(m, defidx, sf->offset)) {
      free(types);
      FAIL("snapshot frame %u: no instruction at offset 0x%x", i, sf->offset);
    }
    if (sf->kind == FRAME_AFTER_CALL) {
      uint8_t op = m->bytes[sf->offset];
      if (op != 0x10 && op != 0x11) {
        free(types);
        FAIL("snapshot frame %u: offset 0x%x is not a call", i, sf->offset);
      }
    }
    free(types);
    types = malloc(((size_t)sf->nops + 1) * sizeof *types);
    if (!types) FAIL("out of memory");
    uint32_t height = func_stack_types(m, defidx, sf->offset, types, sf->nops);
    /* After a call, the callee has taken its arguments off the stack. */
    if (sf->kind == FRAME_AFTER_CALL && i + 1 < s->nframes) {
      uint32_t next = s->frames[i + 1].func;
      uint32_t nargs = next < m->nfuncs ? inst->funcs[next]->type->nparams : UINT32_MAX;
      if (nargs != UINT32_MAX && m->bytes[sf->offset] == 0x11) nargs++; /* the table index */
      height = height < nargs ? UINT32_MAX : height - nargs;
    }
    if (sf->nlocals != c->nlocals || height != sf->nops) {
      free(types);
      FAIL("snapshot frame %u does not match function %u (locals or stack height)", i, sf->func);
    }
    if ((size_t)(st->stack_end - fp) < (size_t)c->frame_slots + 1) {
      free(types);
      FAIL("snapshot frames do not fit the value stack");
    }
    for (uint32_t k = 0; k < sf->nlocals; k++)
      if (sf->locals[k].type != c->local_types[k] ||
          !snap_decode(inst, sf->locals[k].type, sf->locals[k].bits, &fp[k])) {
        free(types);
        FAIL("snapshot frame %u: local %u has the wrong type", i, k);
      }
    for (uint32_t k = 0; k < sf->nops; k++)
      if (sf->ops[k].type != vt_class(types[k]) ||
          !snap_decode(inst, sf->ops[k].type, sf->ops[k].bits, &fp[c->stack_base + k])) {
        free(types);
        FAIL("snapshot frame %u: operand %u has the wrong type", i, k);
      }
    /* The innermost frame resumes before an instruction: a barrier there
    ** makes the translation hold the Wasm state at it (exec/ir.h). */
    if (sf->kind == FRAME_BEFORE && !probe_barrier(inst, defidx, sf->offset, err)) {
      free(types);
      return 0;
    }
    c = fn->code;
    frame_consts(fp, c);
    const uint32_t *pc = code_resume_pc(c, sf->offset, sf->kind == FRAME_AFTER_CALL
                                                           ? RESUME_AFTER_CALL
                                                           : RESUME_AFTER_PROBE);
    if (!pc) {
      free(types);
      FAIL("snapshot frame %u: cannot resume at offset 0x%x", i, sf->offset);
    }
    frame_push(st, fn, fp, pc);
    fp += c->stack_base + sf->nops;
  }
  free(types);
  st->sp_top = fp; /* the innermost frame's operands end here */
  return 1;
}

int inro_snapshot_resume(inro_store *st, inro_instance *inst, const inro_snapshot *s,
                         inro_value *results, size_t nresults, inro_error *err) {
  inro_error_clear(err);
  slot *base = st->sp_top;
  size_t frames_before = st->nframes;
  if (!build_frames(st, inst, s, base, err)) {
    st->nframes = frames_before;
    st->sp_top = base;
    return 0;
  }
  const functype *outer = inst->funcs[s->frames[0].func]->type;
  int ok = exec_run(st, 0, err);
  st->sp_top = base;
  st->nframes = frames_before;
  if (!ok) return 0;
  for (size_t i = 0; i < outer->nresults && i < nresults; i++)
    results[i] = slot_to_value(FT_RCLASSES(outer)[i], base[i]);
  return 1;
}
