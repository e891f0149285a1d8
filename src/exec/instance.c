/*
** instance.c -- instantiation (spec 3.0 order): check imports, allocate
** functions, tags, memories, globals and tables (each global and table
** initialised in order, by constant expressions that may read the
** globals before), evaluate segments, run the active segments one by one,
** then the start function.
**
** A trap during segment initialisation or in the start function fails
** the instantiation, but what earlier segments wrote into imported tables
** and memories stays written, as the spec requires.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/instr.h"
#include "exec/runtime.h"

#define LINK_FAIL(...) do { err_set(err, INRO_ERR_LINK, __VA_ARGS__); return NULL; } while (0)

/* An import's limits are met by a memory or table of `have` (its current
** size as minimum) of the same address type. */
static int limits_match(uint64_t have_min, const limits *have, const limits *want) {
  if (have->is64 != want->is64 || have_min < want->min) return 0;
  if (want->has_max && (!have->has_max || have->max > want->max)) return 0;
  return 1;
}

static int import_matches(const inro_module *m, const import *im,
                          const inro_extern *ext) {
  if ((int)ext->kind != im->kind) return 0;
  switch (im->kind) {
  case INRO_EXTERN_FUNC:
    return functype_sub(ext->of.func->type, &m->types[im->desc.typeidx]);
  case INRO_EXTERN_TABLE: {
    const inro_table *t = ext->of.table;
    return vt_equal_x(t->module, t->elem, m, im->desc.table.elem) &&
           limits_match(t->size, &t->lim, &im->desc.table.lim);
  }
  case INRO_EXTERN_MEMORY: {
    const inro_memory *mem = ext->of.memory;
    return limits_match(mem->pages, &mem->lim, &im->desc.mem);
  }
  case INRO_EXTERN_TAG:
    return functype_equal(ext->of.tag->type, &m->types[im->desc.typeidx]);
  default: {
    const inro_global *g = ext->of.global;
    const globaltype *want = &im->desc.global;
    if (g->mut != want->mut) return 0;
    return want->mut ? vt_equal_x(g->module, g->vtype, m, want->type)
                     : vt_sub_x(g->module, g->vtype, m, want->type);
  }
  }
}

/* A v128's bytes 8-15 (eval_const gives bytes 0-7): a v128 expression
** is one instruction, a v128.const or a global.get. */
static slot eval_const_hi(const inro_instance *inst, const constexpr_ *ce) {
  if (ce->kind == CE_GLOBAL_GET) return inst->globals[ce->value]->value_hi;
  return ce->kind == CE_V128 ? ce->value_hi : 0;
}

/* The value of a constant expression (validated) into *out: one
** instruction of the common kinds, or a run of them on a small stack.
** 0 only without memory for a long one. */
static int eval_const(const inro_instance *inst, const constexpr_ *ce, slot *out) {
  switch (ce->kind) {
  case CE_REF_NULL: *out = 0; return 1;
  case CE_REF_FUNC: *out = (slot)(uintptr_t)inst->funcs[ce->value]; return 1;
  case CE_GLOBAL_GET: *out = inst->globals[ce->value]->value; return 1;
  case CE_EXPR: break;
  default: *out = ce->value; return 1;
  }
  const inro_module *m = inst->module;
  reader r = {m->bytes, ce->start, ce->end, NULL, 0};
  /* Each instruction takes a byte at least: the stack is never deeper. */
  size_t cap = (size_t)ce->end - ce->start + 1;
  slot small[16], *stack = cap <= 16 ? small : malloc(cap * sizeof *stack), *sp = stack;
  if (!stack) return 0;
  for (;;) {
    instr in;
    if (instr_read(&r, &in) < 0 || in.op == OP_END) break;
    slot b = sp > stack ? sp[-1] : 0;
    switch (in.op) {
    case OP_I32_CONST: *sp++ = (uint32_t)in.a; break;
    case OP_I64_CONST: case OP_F32_CONST: case OP_F64_CONST: *sp++ = in.a; break;
    case OP_REF_NULL: *sp++ = 0; break;
    case OP_REF_FUNC: *sp++ = (slot)(uintptr_t)inst->funcs[in.a]; break;
    case OP_GLOBAL_GET: *sp++ = inst->globals[in.a]->value; break;
    case OP_I32_ADD: sp--; sp[-1] = (uint32_t)(sp[-1] + b); break;
    case OP_I32_SUB: sp--; sp[-1] = (uint32_t)(sp[-1] - b); break;
    case OP_I32_MUL: sp--; sp[-1] = (uint32_t)((uint32_t)sp[-1] * (uint32_t)b); break;
    case OP_I64_ADD: sp--; sp[-1] += b; break;
    case OP_I64_SUB: sp--; sp[-1] -= b; break;
    case OP_I64_MUL: sp--; sp[-1] *= b; break;
    default: break; /* validation allows no other */
    }
  }
  *out = sp > stack ? sp[-1] : 0;
  if (stack != small) free(stack);
  return 1;
}

#define ALLOC(ptr, n) (((ptr) = calloc((n) ? (n) : 1, sizeof *(ptr))) != NULL)

inro_instance *inro_instantiate(inro_store *s, const inro_module *m,
                                const inro_extern *imports, size_t nimports,
                                inro_error *err) {
  return instance_create(s, m, imports, nimports, 1, err);
}

inro_instance *instance_create(inro_store *s, const inro_module *m,
                               const inro_extern *imports, size_t nimports,
                               int initialize, inro_error *err) {
  inro_error_clear(err);
  if (nimports != m->nimports)
    LINK_FAIL("module needs %u imports, got %zu", m->nimports, nimports);
  for (uint32_t i = 0; i < m->nimports; i++)
    if (!import_matches(m, &m->imports[i], &imports[i]))
      LINK_FAIL("incompatible import type for %s.%s", m->imports[i].module,
                m->imports[i].name);

  inro_instance *inst = calloc(1, sizeof *inst);
  if (!inst || !store_own(s, OWN_INSTANCE, inst)) {
    free(inst);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  inst->module = m;
  inst->store = s;
  uint32_t ndefs = m->nfunc_defs;
  if (!ALLOC(inst->funcs, m->nfuncs) || !ALLOC(inst->own_funcs, ndefs) ||
      !ALLOC(inst->tables, m->ntables) || !ALLOC(inst->globals, m->nglobals) ||
      !ALLOC(inst->data_sizes, m->ndatas) || !ALLOC(inst->elem_sizes, m->nelems) ||
      !ALLOC(inst->elem_items, m->nelems) || !ALLOC(inst->tags, m->ntags) ||
      (m->nmems && !ALLOC(inst->mems, m->nmems))) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }

  /* Imports fill the front of each index space. */
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0, ntag = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    switch (imports[i].kind) {
    case INRO_EXTERN_FUNC: inst->funcs[nf++] = imports[i].of.func; break;
    case INRO_EXTERN_TABLE: inst->tables[nt++] = imports[i].of.table; break;
    case INRO_EXTERN_MEMORY: inst->mems[nm++] = imports[i].of.memory; break;
    case INRO_EXTERN_GLOBAL: inst->globals[ng++] = imports[i].of.global; break;
    case INRO_EXTERN_TAG: inst->tags[ntag++] = imports[i].of.tag; break;
    }
  }
  for (uint32_t i = 0; i < ndefs; i++) {
    inro_func *f = &inst->own_funcs[i];
    f->type = &m->types[m->funcs[i].typeidx];
    f->inst = inst;
    f->code = m->funcs[i].code;
    f->index = nf;
    inst->funcs[nf++] = f;
  }
  for (; ntag < m->ntags; ntag++) {
    inro_tag *t = calloc(1, sizeof *t);
    if (!t || !store_own(s, OWN_TAG, t)) {
      free(t);
      err_set(err, INRO_ERR_NOMEM, "out of memory");
      return NULL;
    }
    t->type = &m->types[m->tag_types[ntag]];
    t->module = m;
    inst->tags[ntag] = t;
  }
  for (; nm < m->nmems; nm++)
    if (!(inst->mems[nm] = memory_create(s, &m->mems[nm], err))) return NULL;
  for (uint32_t i = 0; ng < m->nglobals; i++, ng++) {
    const global_def *gd = &m->globals[i];
    inro_value v;
    memset(&v, 0, sizeof v);
    v.type = (inro_valtype)vt_class(gd->type.type);
    inro_global *g = inro_global_new(s, v, gd->type.mut, err);
    if (!g) return NULL;
    g->vtype = gd->type.type;
    g->module = m;
    if (!eval_const(inst, &gd->init, &g->value)) goto nomem;
    g->value_hi = eval_const_hi(inst, &gd->init);
    inst->globals[ng] = g;
  }
  for (uint32_t i = 0; nt < m->ntables; i++, nt++) {
    const table_def *td = &m->table_defs[i];
    inro_table *t = table_create(s, m, &td->type, err);
    if (!t) return NULL;
    slot init = 0;
    if (td->has_init && !eval_const(inst, &td->init, &init)) goto nomem;
    for (uint32_t k = 0; init && k < t->size; k++) t->elems[k] = init;
    inst->tables[nt] = t;
  }

  for (uint32_t i = 0; i < m->ndatas; i++) inst->data_sizes[i] = m->datas[i].size;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const elem_seg *e = &m->elems[i];
    if (!ALLOC(inst->elem_items[i], e->count)) goto nomem;
    for (uint32_t k = 0; k < e->count; k++)
      if (!eval_const(inst, &e->items[k], &inst->elem_items[i][k])) goto nomem;
    inst->elem_sizes[i] = e->mode == SEG_PASSIVE ? e->count : 0;
  }

  if (!initialize) return inst; /* a snapshot restore supplies the state */

  /* Active segments: table.init / memory.init, then drop. */
  for (uint32_t i = 0; i < m->nelems; i++) {
    const elem_seg *e = &m->elems[i];
    if (e->mode != SEG_ACTIVE) continue;
    inro_table *t = inst->tables[e->table];
    slot off;
    if (!eval_const(inst, &e->offset, &off)) goto nomem;
    if (off > t->size || e->count > t->size - off) {
      err_trap(err, INRO_TRAP_TABLE_OOB);
      return NULL;
    }
    if (e->count)
      memcpy(t->elems + off, inst->elem_items[i], e->count * sizeof(slot));
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const data_seg *d = &m->datas[i];
    if (d->mode != SEG_ACTIVE) continue;
    inro_memory *mem = inst->mems[d->memory];
    slot off;
    if (!eval_const(inst, &d->offset, &off)) goto nomem;
    if (off > mem->size || d->size > mem->size - off) {
      err_trap(err, INRO_TRAP_MEMORY_OOB);
      return NULL;
    }
    if (d->size) memcpy(mem->data + off, d->bytes, d->size);
    inst->data_sizes[i] = 0;
  }

  if (m->has_start && !exec_call(s, inst->funcs[m->start], s->sp_top, 0, err))
    return NULL;
  return inst;
nomem:
  err_set(err, INRO_ERR_NOMEM, "out of memory");
  return NULL;
}

int inro_instance_export(const inro_instance *inst, const char *name,
                         inro_extern *out) {
  return inro_instance_export_n(inst, name, strlen(name), out);
}

inro_extern instance_export_at(const inro_instance *inst, uint32_t i) {
  const export_ *e = &inst->module->exports[i];
  inro_extern out;
  out.kind = (inro_extern_kind)e->kind;
  switch (e->kind) {
  case INRO_EXTERN_FUNC: out.of.func = inst->funcs[e->index]; break;
  case INRO_EXTERN_TABLE: out.of.table = inst->tables[e->index]; break;
  case INRO_EXTERN_MEMORY: out.of.memory = inst->mems[e->index]; break;
  case INRO_EXTERN_TAG: out.of.tag = inst->tags[e->index]; break;
  default: out.of.global = inst->globals[e->index]; break;
  }
  return out;
}

int inro_instance_export_n(const inro_instance *inst, const char *name,
                           size_t len, inro_extern *out) {
  const inro_module *m = inst->module;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const export_ *e = &m->exports[i];
    if (e->name_len != len || memcmp(e->name, name, len)) continue;
    *out = instance_export_at(inst, i);
    return 1;
  }
  return 0;
}

const inro_module *inro_instance_module(const inro_instance *inst) {
  return inst->module;
}
