/*
** frame.c -- the frame accessors a probe callback receives.
**
** A view names a frame of the store's frame stack plus where its operand
** stack ends.  Everything else is read off the frame: the function, the
** Wasm offset (from the pcmap), locals, operands.  Operand types are not
** kept at run time; they are recomputed on demand by validating the body
** up to the frame's offset.  A v128 takes two slots (exec/ir.h): in a
** function that has one anywhere (code->wide), the slot of a local or an
** operand follows from the types before it.
*/
#include <stdlib.h>
#include <string.h>

#include "probe/probe.h"

void frame_view_init(inro_frame *v, inro_store *s, size_t index, slot *sp,
                     inro_error *err) {
  memset(v, 0, sizeof *v);
  v->store = s;
  v->index = index;
  v->sp = sp;
  v->err = err;
}

inro_frame *frame_view(inro_store *s, size_t index, slot *sp, inro_error *err) {
  inro_frame *v = malloc(sizeof *v);
  if (v) frame_view_init(v, s, index, sp, err);
  return v;
}

void frame_view_free(inro_frame *v) {
  if (!v) return;
  frame_view_release(v);
  free(v);
}

void frame_view_release(inro_frame *v) {
  if (v->types || v->vtypes) { /* computed for this view only on demand */
    free(v->types);
    free(v->vtypes);
    v->types = NULL;
    v->vtypes = NULL;
  }
  while (v->caller) { /* callers are on the heap */
    inro_frame *c = v->caller;
    v->caller = c->caller;
    free(c->types);
    free(c->vtypes);
    free(c);
  }
}

static frame *fr(const inro_frame *v) { return &v->store->frames[v->index]; }

const inro_instance *inro_frame_instance(const inro_frame *v) {
  return fr(v)->func->inst;
}

uint32_t inro_frame_func_index(const inro_frame *v) { return fr(v)->func->index; }

uint32_t inro_frame_offset(const inro_frame *v) {
  return v->have_offset ? v->offset : frame_offset(fr(v));
}

size_t inro_frame_depth(const inro_frame *v) {
  size_t depth = 0;
  for (size_t i = 0; i < v->index; i++) depth += v->store->frames[i].func != NULL;
  return depth;
}

inro_frame *inro_frame_caller(inro_frame *v) {
  if (v->caller) return v->caller;
  if (v->index == 0 || !v->store->frames[v->index - 1].func) return NULL;
  /* The caller's operands end just below the callee's arguments. */
  v->caller = frame_view(v->store, v->index - 1, fr(v)->fp - 1, v->err);
  return v->caller;
}

unsigned inro_frame_reason(const inro_frame *v) { return v->reason; }

size_t inro_frame_local_count(const inro_frame *v) {
  return fr(v)->func->code->nlocals;
}

/* The first slot of local i. */
static slot *local_at(const frame *f, size_t i) {
  const code *c = f->func->code;
  return f->fp + (c->wide ? ir_types_slots(c->local_types, (uint32_t)i) : i);
}

inro_value inro_frame_local(const inro_frame *v, size_t i) {
  const frame *f = fr(v);
  const code *c = f->func->code;
  if (i >= c->nlocals) {
    inro_value none;
    memset(&none, 0, sizeof none);
    return none;
  }
  return slots_to_value(c->local_types[i], local_at(f, i));
}

int inro_frame_set_local(inro_frame *v, size_t i, inro_value value) {
  frame *f = fr(v);
  const code *c = f->func->code;
  if (i >= c->nlocals || !value_fits(f->func->inst->module, c->local_vtypes[i], value)) return 0;
  value_to_slots(value, local_at(f, i));
  return 1;
}

/* Slots of the operand stack. */
static size_t stack_slots(const inro_frame *v) {
  const frame *f = fr(v);
  return (size_t)(v->sp + 1 - (f->fp + f->func->code->stack_base));
}

static int load_types(inro_frame *v);

size_t inro_frame_stack_height(const inro_frame *v) {
  if (!fr(v)->func->code->wide || v->have_types) return v->have_types ? v->ntypes : stack_slots(v);
  inro_frame t = *v; /* the count of the types, without keeping them */
  t.types = NULL;
  t.vtypes = NULL;
  t.have_types = 0;
  size_t n = load_types(&t) ? t.ntypes : stack_slots(v);
  free(t.types);
  free(t.vtypes);
  return n;
}

const uint8_t *frame_view_types(inro_frame *v) {
  return load_types(v) ? v->types : NULL;
}

static int load_types(inro_frame *v) {
  if (v->have_types) return 1;
  const frame *f = fr(v);
  const inro_module *m = f->func->inst->module;
  size_t h = stack_slots(v);
  uint32_t defidx = f->func->index - m->nfunc_imports;
  v->vtypes = malloc((h + 1) * sizeof *v->vtypes);
  v->types = malloc(h + 1);
  if (!v->types || !v->vtypes) return 0;
  /* A caller's frame stands at its call: its operands are those before
  ** the call, minus the arguments the callee took.  They are the first
  ** whose slots fill the stack (each takes one or two). */
  uint32_t n = func_stack_types(m, defidx, inro_frame_offset(v), v->vtypes, (uint32_t)h);
  size_t k = 0, slots = 0;
  while (k < n && k < h && slots < h) slots += ir_type_slots(v->vtypes[k++]);
  if (slots != h) return 0;
  for (size_t i = 0; i < k; i++) v->types[i] = vt_class(v->vtypes[i]);
  v->ntypes = (uint32_t)k;
  v->have_types = 1;
  return 1;
}

/* The first slot of operand i (0: the top), its types loaded. */
static slot *operand_at(const inro_frame *v, size_t i) {
  slot *p = v->sp + 1;
  for (size_t k = 0; k <= i; k++) p -= ir_type_slots(v->types[v->ntypes - 1 - k]);
  return p;
}

inro_value inro_frame_operand(inro_frame *v, size_t i) {
  inro_value out;
  memset(&out, 0, sizeof out);
  if (!load_types(v) || i >= v->ntypes) return out;
  return slots_to_value(v->types[v->ntypes - 1 - i], operand_at(v, i));
}

uint64_t inro_frame_operand_bits(const inro_frame *v, size_t i) {
  if (i >= stack_slots(v)) return 0;
  return v->sp[-(ptrdiff_t)i];
}

int inro_frame_set_operand(inro_frame *v, size_t i, inro_value value) {
  if (!load_types(v) || i >= v->ntypes ||
      !value_fits(fr(v)->func->inst->module, v->vtypes[v->ntypes - 1 - i], value))
    return 0;
  value_to_slots(value, operand_at(v, i));
  return 1;
}

int inro_frame_trap(inro_frame *v, const char *message) {
  err_set(v->err, INRO_ERR_TRAP, "%s", message);
  if (v->err) v->err->trap = INRO_TRAP_HOST;
  return 0;
}

inro_memory *inro_frame_memory(const inro_frame *v) { return inro_frame_memory_at(v, 0); }

inro_memory *inro_frame_memory_at(const inro_frame *v, uint32_t index) {
  const inro_instance *inst = fr(v)->func->inst;
  return inst->mems && index < inst->module->nmems ? inst->mems[index] : NULL;
}

int inro_instance_func_index(const inro_instance *inst, const inro_func *f, uint32_t *func_index) {
  const inro_module *m = inst->module;
  if (!f) return 0;
  if (f->inst == inst) { /* one of its own, the common case */
    *func_index = f->index;
    return 1;
  }
  for (uint32_t i = 0; i < m->nfunc_imports; i++)
    if (inst->funcs[i] == f) {
      *func_index = i;
      return 1;
    }
  return 0;
}

int inro_frame_table_func(const inro_frame *v, uint32_t table, uint32_t elem,
                          uint32_t *func_index) {
  const inro_instance *inst = fr(v)->func->inst;
  const inro_module *m = inst->module;
  if (table >= m->ntables || elem >= inst->tables[table]->size ||
      inst->tables[table]->elem_type != INRO_FUNCREF)
    return 0;
  const inro_func *f = (const inro_func *)(uintptr_t)inst->tables[table]->elems[elem];
  return inro_instance_func_index(inst, f, func_index);
}

void inro_store_on_trap(inro_store *s, inro_trap_fn fn, void *env) {
  s->trap_fn = fn;
  s->trap_env = env;
}

uint32_t frame_stack_slots_at(const inro_module *m, uint32_t defidx, const code *c,
                              uint32_t offset) {
  uint32_t height = func_stack_types(m, defidx, offset, NULL, 0), slots = height;
  valtype *types = c->wide ? malloc((height + 1) * sizeof *types) : NULL;
  if (types) {
    func_stack_types(m, defidx, offset, types, height);
    slots = 0;
    for (uint32_t i = 0; i < height; i++) slots += ir_type_slots(types[i]);
    free(types);
  }
  return slots;
}

/* Stand the frame before the trapping instruction, with the Wasm state
** there: the operands the instruction found elsewhere (a local, a
** constant: exec/ir.h) are put in their home slots first, and the
** operand height is the validator's there. */
void probe_trap_hook(inro_store *s, frame *f, const uint32_t *pc, inro_error *err) {
  const code *c = f->func->code;
  const inro_module *m = f->func->inst->module;
  if (c->npcmap == 0) return;
  uint32_t start = (uint32_t)(pc - c->words);
  uint32_t offset = code_offset_of(c, start);
  const uint32_t *rec = code_recover_at(c, start);
  for (uint32_t i = 0, n = rec ? rec[0] : 0; i < n; i++) {
    const uint32_t *r = rec + 1 + 4 * i;
    slot *home = (slot *)((uintptr_t)f->fp + r[0]);
    const slot *a = (const slot *)((uintptr_t)f->fp + r[2]);
    const slot *b = (const slot *)((uintptr_t)f->fp + r[3]);
    switch (r[1]) {
    case RECOVER_SLOT: *home = *a; break;
    case RECOVER_ADD: *home = (uint32_t)(*a + *b); break;
    default: *home = (slot)r[2] | (slot)r[3] << 32; break;
    }
  }
  uint32_t slots = frame_stack_slots_at(m, f->func->index - m->nfunc_imports, c, offset);
  f->pc = pc;
  f->at_probe = AT_PROBE;
  f->at_offset = offset;
  inro_frame *v = frame_view(s, (size_t)(f - s->frames), f->fp + c->stack_base + slots - 1, err);
  if (v) {
    s->trap_fn(v, err, s->trap_env);
    frame_view_free(v);
  }
}
