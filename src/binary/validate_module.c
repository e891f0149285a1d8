/*
** validate_module.c -- validation of everything outside function bodies:
** index spaces, limits, constant expressions, exports, segments, start.
** Bodies are validated (and translated) by validate.c.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/module.h"

#define FAIL(...) return err_set(err, INRO_ERR_INVALID, __VA_ARGS__)

static int check_limits(const limits *l, uint64_t bound, const char *what,
                        inro_error *err) {
  if (l->min > bound) FAIL("%s size must be at most %llu", what, (unsigned long long)bound);
  if (l->has_max && l->max > bound) FAIL("%s size must be at most %llu", what, (unsigned long long)bound);
  if (l->has_max && l->max < l->min) FAIL("size minimum must not be greater than maximum");
  return 1;
}

/* A constant expression producing `want`.  Only imported globals may be
** read (2.0 rule), and they must be immutable. */
static int check_const(const inro_module *m, const constexpr_ *ce,
                       uint8_t want, inro_error *err) {
  if (ce->kind == CE_NONCONST) FAIL("constant expression required");
  if (ce->kind == CE_BADCOUNT) FAIL("type mismatch");
  uint8_t type = ce->type;
  if (ce->kind == CE_GLOBAL_GET) {
    if (ce->value >= m->nglobal_imports) FAIL("unknown global %llu", (unsigned long long)ce->value);
    if (m->global_types[ce->value].mut) FAIL("constant expression required");
    type = m->global_types[ce->value].type;
  } else if (ce->kind == CE_REF_FUNC) {
    if (ce->value >= m->nfuncs) FAIL("unknown function %llu", (unsigned long long)ce->value);
  }
  if (type != want) FAIL("type mismatch");
  return 1;
}

static void mark_refs(inro_module *m, const constexpr_ *ce) {
  if (ce->kind == CE_REF_FUNC && ce->value < m->nfuncs) m->func_refs[ce->value] = 1;
}

int module_validate(inro_module *m, inro_error *err) {
  for (uint32_t i = 0; i < m->nfuncs; i++)
    if (m->func_types[i] >= m->ntypes) FAIL("unknown type %u", m->func_types[i]);
  for (uint32_t i = 0; i < m->ntables; i++)
    if (!check_limits(&m->tables[i].lim, UINT32_MAX, "table", err)) return 0;
  for (uint32_t i = 0; i < m->nmems; i++)
    if (!check_limits(&m->mems[i], 65536, "memory", err)) return 0;
  if (m->nmems > 1) FAIL("multiple memories");

  /* C.refs: functions referenced outside function bodies. */
  for (uint32_t i = 0; i < m->nglobals - m->nglobal_imports; i++)
    mark_refs(m, &m->globals[i].init);
  for (uint32_t i = 0; i < m->nelems; i++)
    for (uint32_t k = 0; k < m->elems[i].count; k++)
      mark_refs(m, &m->elems[i].items[k]);
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == INRO_EXTERN_FUNC && m->exports[i].index < m->nfuncs)
      m->func_refs[m->exports[i].index] = 1;

  for (uint32_t i = 0; i < m->nglobals - m->nglobal_imports; i++)
    if (!check_const(m, &m->globals[i].init, m->globals[i].type.type, err)) return 0;

  for (uint32_t i = 0; i < m->nexports; i++) {
    const export_ *e = &m->exports[i];
    static const char *const what[] = {"function", "table", "memory", "global"};
    uint32_t limit[] = {m->nfuncs, m->ntables, m->nmems, m->nglobals};
    if (e->index >= limit[e->kind]) FAIL("unknown %s %u", what[e->kind], e->index);
    for (uint32_t k = 0; k < i; k++)
      if (m->exports[k].name_len == e->name_len &&
          !memcmp(m->exports[k].name, e->name, e->name_len))
        FAIL("duplicate export name");
  }

  if (m->has_start) {
    if (m->start >= m->nfuncs) FAIL("unknown function %u", m->start);
    const functype *ft = &m->types[m->func_types[m->start]];
    if (ft->nparams || ft->nresults) FAIL("start function must have type [] -> []");
  }

  for (uint32_t i = 0; i < m->nelems; i++) {
    const elem_seg *e = &m->elems[i];
    if (e->mode == SEG_ACTIVE) {
      if (e->table >= m->ntables) FAIL("unknown table %u", e->table);
      if (m->tables[e->table].elem != e->type) FAIL("type mismatch");
      if (!check_const(m, &e->offset, INRO_I32, err)) return 0;
    }
    for (uint32_t k = 0; k < e->count; k++)
      if (!check_const(m, &e->items[k], e->type, err)) return 0;
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const data_seg *d = &m->datas[i];
    if (d->mode == SEG_ACTIVE) {
      if (d->memory >= m->nmems) FAIL("unknown memory %u", d->memory);
      if (!check_const(m, &d->offset, INRO_I32, err)) return 0;
    }
  }
  return 1;
}
