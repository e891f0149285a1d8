/*
** validate_module.c -- validation of everything outside function bodies:
** types, index spaces, limits, constant expressions, exports, segments,
** start.  Bodies are validated (and translated) by validate.c.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/constexpr.h"
#include "binary/module.h"

#define FAIL(...) return err_set(err, INRO_ERR_INVALID, __VA_ARGS__)

/* The largest sizes: memories in 64 KiB pages, tables in elements, by
** address type. */
#define MEM32_PAGES 65536ull
#define MEM64_PAGES (1ull << 48)

static int check_limits(const limits *l, uint64_t bound, const char *what,
                        inro_error *err) {
  if (l->min > bound || (l->has_max && l->max > bound))
    FAIL("%s size must be at most %llu", what, (unsigned long long)bound);
  if (l->has_max && l->max < l->min) FAIL("size minimum must not be greater than maximum");
  return 1;
}

/* A value type names only types the module has. */
static int check_valtype(const inro_module *m, valtype t, inro_error *err) {
  if (vt_is_concrete(t) && vt_index(t) >= m->ntypes) FAIL("unknown type %u", vt_index(t));
  return 1;
}

static int check_table(const inro_module *m, const tabletype *t, inro_error *err) {
  return check_valtype(m, t->elem, err) &&
         check_limits(&t->lim, t->lim.is64 ? UINT64_MAX : UINT32_MAX, "table", err);
}

static int check_tag(const inro_module *m, uint32_t typeidx, inro_error *err) {
  if (typeidx >= m->ntypes) FAIL("unknown type %u", typeidx);
  if (m->types[typeidx].nresults) FAIL("non-empty tag result type");
  return 1;
}

/* The type of an index into memory or table with these limits. */
static valtype index_type(const limits *l) { return l->is64 ? INRO_I64 : INRO_I32; }

int module_validate(inro_module *m, inro_error *err) {
  const char *why = types_finish(m);
  if (why) FAIL("%s", why);
  for (uint32_t i = 0; i < m->nfuncs; i++)
    if (m->func_types[i] >= m->ntypes) FAIL("unknown type %u", m->func_types[i]);
  for (uint32_t i = 0; i < m->ntags; i++)
    if (!check_tag(m, m->tag_types[i], err)) return 0;
  for (uint32_t i = 0; i < m->ntables; i++)
    if (!check_table(m, &m->tables[i], err)) return 0;
  for (uint32_t i = 0; i < m->nmems; i++)
    if (!check_limits(&m->mems[i], m->mems[i].is64 ? MEM64_PAGES : MEM32_PAGES, "memory", err))
      return 0;
  for (uint32_t i = 0; i < m->nglobals; i++)
    if (!check_valtype(m, m->global_types[i].type, err)) return 0;

  /* C.refs: exports; constant expressions mark theirs as they are checked. */
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == INRO_EXTERN_FUNC && m->exports[i].index < m->nfuncs)
      m->func_refs[m->exports[i].index] = 1;

  /* A global's initialiser may read the globals before it. */
  for (uint32_t i = 0; i < m->nglobals - m->nglobal_imports; i++) {
    uint32_t g = m->nglobal_imports + i;
    if (!const_check(m, &m->globals[i].init, m->global_types[g].type, g, err)) return 0;
  }
  /* A table's initial value may read imported globals only. */
  for (uint32_t i = 0; i < m->ntables - m->ntable_imports; i++) {
    table_def *td = &m->table_defs[i];
    if (td->has_init) {
      if (!const_check(m, &td->init, td->type.elem, m->nglobal_imports, err)) return 0;
    } else if (!vt_nullable(td->type.elem)) {
      FAIL("type mismatch"); /* a non-nullable table needs an initial value */
    }
  }

  for (uint32_t i = 0; i < m->nexports; i++) {
    const export_ *e = &m->exports[i];
    static const char *const what[] = {"function", "table", "memory", "global", "tag"};
    uint32_t limit[] = {m->nfuncs, m->ntables, m->nmems, m->nglobals, m->ntags};
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
    elem_seg *e = &m->elems[i];
    if (!check_valtype(m, e->type, err)) return 0;
    if (e->mode == SEG_ACTIVE) {
      if (e->table >= m->ntables) FAIL("unknown table %u", e->table);
      const tabletype *t = &m->tables[e->table];
      if (!vt_sub(m, e->type, t->elem)) FAIL("type mismatch");
      if (!const_check(m, &e->offset, index_type(&t->lim), m->nglobals, err)) return 0;
    }
    for (uint32_t k = 0; k < e->count; k++)
      if (!const_check(m, &e->items[k], e->type, m->nglobals, err)) return 0;
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    data_seg *d = &m->datas[i];
    if (d->mode == SEG_ACTIVE) {
      if (d->memory >= m->nmems) FAIL("unknown memory %u", d->memory);
      if (!const_check(m, &d->offset, index_type(&m->mems[d->memory]), m->nglobals, err))
        return 0;
    }
  }
  return 1;
}
