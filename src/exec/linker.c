/*
** linker.c -- resolves a module's imports by (module, name).
*/
#include <stdlib.h>
#include <string.h>

#include "exec/runtime.h"

typedef struct binding {
  char *module, *name;
  inro_extern ext;
} binding;

struct inro_linker {
  binding *items;
  size_t n, cap;
};

inro_linker *inro_linker_new(inro_error *err) {
  inro_error_clear(err);
  inro_linker *l = calloc(1, sizeof *l);
  if (!l) err_set(err, INRO_ERR_NOMEM, "out of memory");
  return l;
}

void inro_linker_free(inro_linker *l) {
  if (!l) return;
  for (size_t i = 0; i < l->n; i++) {
    free(l->items[i].module);
    free(l->items[i].name);
  }
  free(l->items);
  free(l);
}

static char *dup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static binding *find(const inro_linker *l, const char *module, const char *name) {
  for (size_t i = 0; i < l->n; i++)
    if (!strcmp(l->items[i].module, module) && !strcmp(l->items[i].name, name))
      return &l->items[i];
  return NULL;
}

int inro_linker_define(inro_linker *l, const char *module, const char *name,
                       inro_extern ext, inro_error *err) {
  binding *b = find(l, module, name);
  if (b) { /* a later definition replaces an earlier one */
    b->ext = ext;
    return 1;
  }
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    binding *items = realloc(l->items, cap * sizeof *items);
    if (!items) return err_set(err, INRO_ERR_NOMEM, "out of memory");
    l->items = items;
    l->cap = cap;
  }
  b = &l->items[l->n];
  b->module = dup(module);
  b->name = dup(name);
  if (!b->module || !b->name) {
    free(b->module);
    free(b->name);
    return err_set(err, INRO_ERR_NOMEM, "out of memory");
  }
  b->ext = ext;
  l->n++;
  return 1;
}

int inro_linker_define_instance(inro_linker *l, const char *module,
                                const inro_instance *inst, inro_error *err) {
  const inro_module *m = inst->module;
  for (uint32_t i = 0; i < m->nexports; i++)
    if (!inro_linker_define(l, module, m->exports[i].name,
                            instance_export_at(inst, i), err))
      return 0;
  return 1;
}

int inro_linker_get(const inro_linker *l, const char *module, const char *name,
                    inro_extern *out) {
  binding *b = find(l, module, name);
  if (!b) return 0;
  *out = b->ext;
  return 1;
}

inro_extern *inro_linker_resolve(const inro_linker *l, const inro_module *m,
                                 inro_error *err) {
  inro_error_clear(err);
  inro_extern *imports = calloc(m->nimports ? m->nimports : 1, sizeof *imports);
  if (!imports) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  for (uint32_t i = 0; i < m->nimports; i++) {
    if (!inro_linker_get(l, m->imports[i].module, m->imports[i].name, &imports[i])) {
      err_set(err, INRO_ERR_LINK, "unknown import %s.%s", m->imports[i].module,
              m->imports[i].name);
      free(imports);
      return NULL;
    }
  }
  return imports;
}

inro_instance *inro_linker_instantiate(const inro_linker *l, inro_store *s,
                                       const inro_module *m, inro_error *err) {
  inro_extern *imports = inro_linker_resolve(l, m, err);
  if (!imports) return NULL;
  inro_instance *inst = inro_instantiate(s, m, imports, m->nimports, err);
  free(imports);
  return inst;
}
