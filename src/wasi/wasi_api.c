/*
** wasi_api.c -- the public WASI set-up of inro.h (inro_wasi_*): the
** wasi_state of wasi.h behind the embedding API's conventions (1 / 0 and
** an inro_error instead of PLAT_E* codes).
*/
#include <stdlib.h>
#include <string.h>

#include "binary/module.h" /* err_set */
#include "wasi/wasi.h"

/* Fill err from a PLAT_E* code; returns 0. */
static int wasi_api_fail(inro_error *err, int rc, const char *what,
                         const char *name) {
  inro_error_kind kind = rc == PLAT_ENOMEM   ? INRO_ERR_NOMEM
                         : rc == PLAT_EINVAL ? INRO_ERR_ARG
                                             : INRO_ERR_IO;
  return err_set(err, kind, "%s%s%s: %s", what, name ? " " : "", name ? name : "",
                 wasi_errno_name(rc));
}

inro_wasi *inro_wasi_new(inro_error *err) {
  inro_error_clear(err);
  inro_wasi *w = wasi_new();
  if (!w) err_set(err, INRO_ERR_NOMEM, "out of memory");
  return w;
}

void inro_wasi_free(inro_wasi *w) { wasi_free(w); }

int inro_wasi_arg(inro_wasi *w, const char *arg, inro_error *err) {
  int rc = wasi_add_arg(w, arg);
  return rc ? wasi_api_fail(err, rc, "argument", NULL) : 1;
}

int inro_wasi_env(inro_wasi *w, const char *name, const char *value,
                  inro_error *err) {
  if (!*name || strchr(name, '='))
    return err_set(err, INRO_ERR_ARG, "environment name '%s' is empty or has '='", name);
  size_t n = strlen(name), v = strlen(value);
  char *pair = malloc(n + v + 2);
  if (!pair) return err_set(err, INRO_ERR_NOMEM, "out of memory");
  memcpy(pair, name, n);
  pair[n] = '=';
  memcpy(pair + n + 1, value, v + 1);
  int rc = wasi_add_env(w, pair);
  free(pair);
  return rc ? wasi_api_fail(err, rc, "environment", NULL) : 1;
}

int inro_wasi_preopen(inro_wasi *w, const char *host_dir, const char *guest_path,
                      inro_error *err) {
  int rc = wasi_preopen(w, host_dir, guest_path);
  return rc ? wasi_api_fail(err, rc, "cannot preopen directory", host_dir) : 1;
}

int inro_wasi_stdio(inro_wasi *w, int fd, int host_fd, inro_error *err) {
  if (fd < 0 || fd > 2 || host_fd < 0)
    return err_set(err, INRO_ERR_ARG, "stdio: descriptor %d or host descriptor %d out of range",
                   fd, host_fd);
  int rc = wasi_set_stdio(w, (uint32_t)fd, (plat_fd)host_fd);
  return rc ? err_set(err, INRO_ERR_ARG, "stdio: guest descriptor %d is not stdio any more", fd)
            : 1;
}

int inro_wasi_link(inro_wasi *w, inro_store *store, inro_linker *linker,
                   inro_error *err) {
  inro_error_clear(err);
  return wasi_define(w, store, linker, err);
}

uint8_t *inro_wasi_save(inro_wasi *w, size_t *size, inro_error *err) {
  uint8_t *bytes = NULL;
  int rc = wasi_save(w, &bytes, size);
  if (rc) {
    wasi_api_fail(err, rc, "cannot save the WASI state", NULL);
    return NULL;
  }
  return bytes;
}

int inro_wasi_restore(inro_wasi *w, const uint8_t *bytes, size_t size,
                      const inro_wasi_dir *dirs, size_t ndirs, unsigned flags,
                      inro_error *err) {
  wasi_remap remap = {dirs, ndirs, !(flags & INRO_WASI_SAVED_DIRS)};
  char why[sizeof err->message];
  int rc = wasi_load(w, bytes, size, &remap, (flags & INRO_WASI_FORCE) != 0, why, sizeof why);
  if (!rc) return 1;
  inro_error_kind kind = rc == PLAT_EBADMSG  ? INRO_ERR_MALFORMED
                         : rc == PLAT_ENOMEM ? INRO_ERR_NOMEM
                         : rc == PLAT_EINVAL ? INRO_ERR_ARG
                                             : INRO_ERR_IO;
  return err_set(err, kind, "WASI state: %s", why);
}
