/*
** module.c -- releasing a module's decoded parts, and read-only module
** accessors (inro_module_new/free: exec/translate.c).
*/
#include <stdlib.h>
#include <string.h>

#include "binary/instr.h"
#include "binary/module.h"

void module_release(inro_module *m) {
  for (uint32_t i = 0; m->types && i < m->ntypes; i++) {
    free(m->types[i].types);
    free(m->types[i].classes);
  }
  free(m->types);
  for (uint32_t i = 0; i < m->nimports; i++) {
    free(m->imports[i].module);
    free(m->imports[i].name);
  }
  free(m->imports);
  free(m->funcs);
  free(m->func_types);
  free(m->tables);
  free(m->table_defs);
  free(m->mems);
  free(m->tag_types);
  free(m->global_types);
  free(m->globals);
  for (uint32_t i = 0; i < m->nexports; i++) free(m->exports[i].name);
  free(m->exports);
  for (uint32_t i = 0; i < m->nelems; i++) free(m->elems[i].items);
  free(m->elems);
  free(m->datas);
  free(m->func_refs);
  if (m->func_names)
    for (uint32_t i = 0; i < m->nfuncs; i++) free(m->func_names[i]);
  free(m->func_names);
  free(m->bytes);
}

size_t inro_module_import_count(const inro_module *m) { return m->nimports; }

void inro_module_import(const inro_module *m, size_t i, const char **module_name,
                        const char **name, inro_extern_kind *kind) {
  const import *im = &m->imports[i];
  if (module_name) *module_name = im->module;
  if (name) *name = im->name;
  if (kind) *kind = (inro_extern_kind)im->kind;
}

size_t inro_module_export_count(const inro_module *m) { return m->nexports; }

void inro_module_export(const inro_module *m, size_t i, const char **name,
                        inro_extern_kind *kind) {
  if (name) *name = m->exports[i].name;
  if (kind) *kind = (inro_extern_kind)m->exports[i].kind;
}

/* The type of kind/index in the module's index spaces (imports first). */
static void put_limits(const limits *l, inro_externtype *out) {
  out->index64 = l->is64;
  out->min64 = l->min;
  out->max64 = l->has_max ? l->max : UINT64_MAX;
  out->min = l->min > UINT32_MAX ? UINT32_MAX : (uint32_t)l->min;
  out->max = out->max64 > UINT32_MAX ? UINT32_MAX : (uint32_t)out->max64;
}

static void extern_type(const inro_module *m, uint8_t kind, uint32_t index,
                        inro_externtype *out) {
  memset(out, 0, sizeof *out);
  out->kind = (inro_extern_kind)kind;
  switch (kind) {
  case INRO_EXTERN_FUNC:
  case INRO_EXTERN_TAG: {
    uint32_t t = kind == INRO_EXTERN_FUNC ? m->func_types[index] : m->tag_types[index];
    const functype *ft = &m->types[t];
    out->nparams = ft->nparams;
    out->nresults = ft->nresults;
    out->params = FT_PCLASSES(ft);
    out->results = FT_RCLASSES(ft);
    break;
  }
  case INRO_EXTERN_TABLE:
    out->type = (inro_valtype)vt_class(m->tables[index].elem);
    put_limits(&m->tables[index].lim, out);
    break;
  case INRO_EXTERN_MEMORY:
    put_limits(&m->mems[index], out);
    break;
  default:
    out->type = (inro_valtype)vt_class(m->global_types[index].type);
    out->mutable_ = m->global_types[index].mut;
    break;
  }
}

int inro_module_import_type(const inro_module *m, size_t i, inro_externtype *out) {
  if (i >= m->nimports) return 0;
  /* Imports come first in each index space, in the module's order. */
  uint32_t index = 0;
  for (size_t k = 0; k < i; k++) index += m->imports[k].kind == m->imports[i].kind;
  extern_type(m, m->imports[i].kind, index, out);
  return 1;
}

int inro_module_export_type(const inro_module *m, size_t i, inro_externtype *out) {
  if (i >= m->nexports) return 0;
  extern_type(m, m->exports[i].kind, m->exports[i].index, out);
  return 1;
}

const char *inro_module_func_name(const inro_module *m, uint32_t funcidx) {
  if (!m->func_names || funcidx >= m->nfuncs) return NULL;
  return m->func_names[funcidx];
}

const uint8_t *inro_module_bytes(const inro_module *m, size_t *size) {
  if (size) *size = m->size;
  return m->bytes;
}

int module_plain_access(const inro_module *m, const instr *in) {
  return in->op >= 0 && in->op < OP_SIMD_FIRST && op_table[in->op].imm == IMM_MEMARG &&
         in->c == 0 && m->nmems > 0 && !m->mems[0].is64;
}
