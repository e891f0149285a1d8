/*
** instance.c -- instantiation (spec 2.0 order): check imports, allocate
** functions, tables, memories and globals, evaluate segments, run the
** active segments one by one, then the start function.
**
** A trap during segment initialisation or in the start function fails
** the instantiation, but what earlier segments wrote into imported tables
** and memories stays written, as the spec requires.
*/
#include <stdlib.h>
#include <string.h>

#include "exec/runtime.h"

#define LINK_FAIL(...) do { err_set(err, INRO_ERR_LINK, __VA_ARGS__); return NULL; } while (0)

static int limits_match(limits have, limits want) {
  if (have.min < want.min) return 0;
  if (want.has_max && (!have.has_max || have.max > want.max)) return 0;
  return 1;
}

static int import_matches(const inro_module *m, const import *im,
                          const inro_extern *ext) {
  if ((int)ext->kind != im->kind) return 0;
  switch (im->kind) {
  case INRO_EXTERN_FUNC:
    return functype_equal(ext->of.func->type, &m->types[im->desc.typeidx]);
  case INRO_EXTERN_TABLE: {
    const inro_table *t = ext->of.table;
    limits have = {t->size, t->lim.max, t->lim.has_max};
    return t->elem_type == im->desc.table.elem &&
           limits_match(have, im->desc.table.lim);
  }
  case INRO_EXTERN_MEMORY: {
    const inro_memory *mem = ext->of.memory;
    limits have = {mem->pages, mem->lim.max, mem->lim.has_max};
    return limits_match(have, im->desc.mem);
  }
  default:
    return ext->of.global->type == im->desc.global.type &&
           ext->of.global->mut == im->desc.global.mut;
  }
}

/* A v128's bytes 8-15 (eval_const gives bytes 0-7). */
static slot eval_const_hi(const inro_instance *inst, const constexpr_ *ce) {
  if (ce->kind == CE_GLOBAL_GET) return inst->globals[ce->value]->value_hi;
  return ce->kind == CE_V128 ? ce->value_hi : 0;
}

static slot eval_const(const inro_instance *inst, const constexpr_ *ce) {
  switch (ce->kind) {
  case CE_REF_NULL: return 0;
  case CE_REF_FUNC: return (slot)(uintptr_t)inst->funcs[ce->value];
  case CE_GLOBAL_GET: return inst->globals[ce->value]->value;
  default: return ce->value;
  }
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
      !ALLOC(inst->elem_items, m->nelems) ||
      (m->nmems && !ALLOC(inst->mems, m->nmems))) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }

  /* Imports fill the front of each index space. */
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    switch (imports[i].kind) {
    case INRO_EXTERN_FUNC: inst->funcs[nf++] = imports[i].of.func; break;
    case INRO_EXTERN_TABLE: inst->tables[nt++] = imports[i].of.table; break;
    case INRO_EXTERN_MEMORY: inst->mems[nm++] = imports[i].of.memory; break;
    case INRO_EXTERN_GLOBAL: inst->globals[ng++] = imports[i].of.global; break;
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
  for (; nt < m->ntables; nt++) {
    const tabletype *tt = &m->tables[nt];
    inst->tables[nt] = inro_table_new(s, (inro_valtype)tt->elem, tt->lim.min,
                                      tt->lim.has_max ? tt->lim.max : UINT32_MAX, err);
    if (!inst->tables[nt]) return NULL;
  }
  for (; nm < m->nmems; nm++) {
    const limits *l = &m->mems[nm];
    inst->mems[nm] = inro_memory_new(s, l->min, l->has_max ? l->max : UINT32_MAX, err);
    if (!inst->mems[nm]) return NULL;
  }
  for (uint32_t i = 0; ng < m->nglobals; i++, ng++) {
    const global_def *gd = &m->globals[i];
    inro_value v;
    memset(&v, 0, sizeof v);
    v.type = (inro_valtype)gd->type.type;
    inro_global *g = inro_global_new(s, v, gd->type.mut, err);
    if (!g) return NULL;
    g->value = eval_const(inst, &gd->init);
    g->value_hi = eval_const_hi(inst, &gd->init);
    inst->globals[ng] = g;
  }

  for (uint32_t i = 0; i < m->ndatas; i++) inst->data_sizes[i] = m->datas[i].size;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const elem_seg *e = &m->elems[i];
    if (!ALLOC(inst->elem_items[i], e->count)) {
      err_set(err, INRO_ERR_NOMEM, "out of memory");
      return NULL;
    }
    for (uint32_t k = 0; k < e->count; k++)
      inst->elem_items[i][k] = eval_const(inst, &e->items[k]);
    inst->elem_sizes[i] = e->mode == SEG_PASSIVE ? e->count : 0;
  }

  if (!initialize) return inst; /* a snapshot restore supplies the state */

  /* Active segments: table.init / memory.init, then drop. */
  for (uint32_t i = 0; i < m->nelems; i++) {
    const elem_seg *e = &m->elems[i];
    if (e->mode != SEG_ACTIVE) continue;
    inro_table *t = inst->tables[e->table];
    uint32_t off = (uint32_t)eval_const(inst, &e->offset);
    if ((uint64_t)off + e->count > t->size) {
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
    uint32_t off = (uint32_t)eval_const(inst, &d->offset);
    if ((uint64_t)off + d->size > mem->size) {
      err_trap(err, INRO_TRAP_MEMORY_OOB);
      return NULL;
    }
    if (d->size) memcpy(mem->data + off, d->bytes, d->size);
    inst->data_sizes[i] = 0;
  }

  if (m->has_start && !exec_call(s, inst->funcs[m->start], s->sp_top, 0, err))
    return NULL;
  return inst;
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
