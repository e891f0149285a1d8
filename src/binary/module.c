/*
** module.c -- releasing a module's decoded parts, and read-only module
** accessors (inro_module_new/free: exec/translate.c).
*/
#include <stdlib.h>
#include <string.h>

#include "binary/module.h"

void module_release(inro_module *m) {
  for (uint32_t i = 0; i < m->ntypes; i++) free(m->types[i].types);
  free(m->types);
  for (uint32_t i = 0; i < m->nimports; i++) {
    free(m->imports[i].module);
    free(m->imports[i].name);
  }
  free(m->imports);
  free(m->funcs);
  free(m->func_types);
  free(m->tables);
  free(m->mems);
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

const char *inro_module_func_name(const inro_module *m, uint32_t funcidx) {
  if (!m->func_names || funcidx >= m->nfuncs) return NULL;
  return m->func_names[funcidx];
}

const uint8_t *inro_module_bytes(const inro_module *m, size_t *size) {
  if (size) *size = m->size;
  return m->bytes;
}
