/*
** module.c -- inro_module_new and inro_module_free: a module is decoded
** and validated (src/binary), then every body is validated and
** translated to IR (exec/translate.c).
*/
#include <stdlib.h>
#include <string.h>

#include "exec/runtime.h"

inro_module *inro_module_new(const uint8_t *bytes, size_t size, inro_error *err) {
  inro_error_clear(err);
  if (!bytes && size) {
    err_set(err, INRO_ERR_ARG, "no module bytes");
    return NULL;
  }
  inro_module *m = calloc(1, sizeof *m);
  if (!m) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  m->bytes = malloc(size ? size : 1);
  if (!m->bytes) {
    free(m);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  if (size) memcpy(m->bytes, bytes, size);
  m->size = size;
  int ok = module_decode(m, err) && module_validate(m, err);
  for (uint32_t i = 0; ok && i < m->ntypes; i++) functype_slots(&m->types[i]);
  for (uint32_t i = 0; ok && i < m->nfunc_defs; i++)
    ok = func_translate(m, i, NULL, &m->funcs[i].code, err);
  if (!ok) {
    inro_module_free(m);
    return NULL;
  }
  return m;
}

void inro_module_free(inro_module *m) {
  if (!m) return;
  for (uint32_t i = 0; m->funcs && i < m->nfunc_defs; i++) code_free(m->funcs[i].code);
  module_release(m);
  free(m);
}
