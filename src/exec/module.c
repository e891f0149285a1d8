/*
** module.c -- inro_module_new and inro_module_free: a module is decoded
** and validated (src/binary), then every body is validated and
** translated to IR (exec/translate.c).
*/
#include <stdlib.h>
#include <string.h>

#include "exec/runtime.h"

/* Validation failed (err): 0, the error replaced by that of a malformed
** body from defined function `from` on, if there is one
** (module_check_bodies). */
static int malformed_first(const inro_module *m, uint32_t from, inro_error *err) {
  inro_error body;
  if (err && err->kind == INRO_ERR_INVALID && !module_check_bodies(m, from, &body)) *err = body;
  return 0;
}

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
  int ok = module_decode(m, err);
  if (ok && !module_validate(m, err)) ok = malformed_first(m, 0, err);
  for (uint32_t i = 0; ok && i < m->ntypes; i++) functype_slots(&m->types[i]);
  for (uint32_t i = 0; ok && i < m->nfunc_defs; i++)
    if (!func_translate(m, i, NULL, &m->funcs[i].code, err)) ok = malformed_first(m, i, err);
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
