/*
** entry.c -- a run's entry call (see entry.h): making it, and recording
** it in a snapshot taken before it, in a reactor's `_initialize`.
**
** CKPT_SEC_THEN payload, little-endian:
**   u8 invoke | u32 nargs | nargs x (u32 length | that many bytes of text)
*/
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/entry.h"
#include "snapshot/bytes.h"

#define ENTRY_MAX_ARGS 100000u

uint8_t *entry_save(const entry_call *e, size_t *size) {
  bwriter w = {NULL, 0, 0, 0};
  bw_u8(&w, (uint8_t)(e->invoke != 0));
  bw_u32(&w, (uint32_t)e->nargs);
  for (int i = 0; i < e->nargs; i++) {
    size_t len = strlen(e->args[i]);
    bw_u32(&w, (uint32_t)len);
    bw_bytes(&w, e->args[i], len);
  }
  if (w.oom) {
    free(w.data);
    return NULL;
  }
  *size = w.len;
  return w.data;
}

int entry_load(entry_call *e, const char *name, const uint8_t *b, size_t size) {
  memset(e, 0, sizeof *e);
  e->name = name;
  e->own = 1;
  breader r = {b, 0, size, 0};
  uint8_t invoke = br_u8(&r);
  /* Each argument takes at least its 4-byte length; more than
  ** ENTRY_MAX_ARGS (far more than a command line passes) is malformed. */
  uint32_t nargs = br_count(&r, 4);
  if (r.bad || invoke > 1 || nargs > ENTRY_MAX_ARGS) return 0;
  e->invoke = invoke;
  e->args = calloc(nargs + 1, sizeof *e->args);
  if (!e->args) return 0;
  for (uint32_t i = 0; i < nargs; i++) {
    uint32_t len = br_u32(&r);
    const uint8_t *text = br_bytes(&r, len);
    if (r.bad || !(e->args[i] = malloc((size_t)len + 1))) return 0;
    memcpy(e->args[i], text, len);
    e->args[i][len] = 0;
    e->nargs = (int)i + 1;
  }
  return !r.bad && r.pos == size;
}

void entry_free(entry_call *e) {
  if (!e->own) return;
  for (int i = 0; i < e->nargs; i++) free(e->args[i]);
  free(e->args);
  e->args = NULL;
  e->nargs = 0;
}

/* Call export `name` with args parsed from text; print its results. */
static int invoke(const entry_call *e, ckpt *c, inro_store *store, inro_instance *inst,
                  const char *what) {
  inro_extern ext;
  if (!inro_instance_export(inst, e->name, &ext) || ext.kind != INRO_EXTERN_FUNC) {
    cli_error("%s: no exported function '%s'", what, e->name);
    return 1;
  }
  size_t np = inro_func_param_count(ext.of.func);
  size_t nr = inro_func_result_count(ext.of.func);
  if ((size_t)e->nargs != np) {
    cli_error("'%s' takes %zu argument%s, got %d", e->name, np, np == 1 ? "" : "s", e->nargs);
    return 2;
  }
  inro_value *args = calloc(np + 1, sizeof *args);
  inro_value *res = calloc(nr + 1, sizeof *res);
  int status = 0;
  if (!args || !res) {
    cli_error("out of memory");
    status = 1;
  }
  for (size_t i = 0; i < np && !status; i++) {
    inro_valtype t = inro_func_param(ext.of.func, i);
    if (cli_parse_value(e->args[i], t, &args[i])) {
      cli_error("argument %zu of '%s': '%s' is not a valid %s", i + 1, e->name, e->args[i],
                cli_type_name(t));
      status = 2;
    }
  }
  if (!status) {
    inro_error err;
    inro_error_clear(&err);
    fflush(stdout);
    int ok = inro_call(store, ext.of.func, args, np, res, nr, &err);
    status = ckpt_outcome(c, store, ok, &err, what);
    for (size_t i = 0; ok && i < nr; i++) cli_print_value(&res[i]);
  }
  free(args);
  free(res);
  return status;
}

int entry_run(const entry_call *e, ckpt *c, inro_store *store, inro_instance *inst,
              const char *what) {
  if (e->invoke) return invoke(e, c, store, inst, what);
  inro_extern ext; /* `_start`, if the module has one */
  if (!inro_instance_export(inst, e->name, &ext) || ext.kind != INRO_EXTERN_FUNC) return 0;
  inro_error err;
  inro_error_clear(&err);
  fflush(stdout);
  int ok = inro_call(store, ext.of.func, NULL, 0, NULL, 0, &err);
  return ckpt_outcome(c, store, ok, &err, what);
}
