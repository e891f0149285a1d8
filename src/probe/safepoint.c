/*
** safepoint.c -- probes at the safe points of an instance (see inro.h):
** function entries, and the first instruction of every loop body, found
** by walking each body with the instruction reader, all inserted in one
** batch (inro_probe_batch_begin).
*/
#include <stdlib.h>

#include "binary/instr.h"
#include "probe/probe.h"

struct inro_probe_group {
  inro_probe **probes;
  size_t n, cap;
};

static int add(inro_probe_group *g, inro_probe *p) {
  if (!p) return 0;
  if (g->n == g->cap) {
    size_t cap = g->cap ? g->cap * 2 : 16;
    inro_probe **ps = realloc(g->probes, cap * sizeof *ps);
    if (!ps) {
      inro_probe_remove(p);
      return 0;
    }
    g->probes = ps;
    g->cap = cap;
  }
  g->probes[g->n++] = p;
  return 1;
}

void inro_probe_group_remove(inro_probe_group *g) {
  if (!g) return;
  inro_probe_remove_n(g->probes, g->n); /* one re-translation per function */
  free(g->probes);
  free(g);
}

inro_probe_group *inro_probe_safepoints(inro_instance *inst, inro_probe_fn fn,
                                        void *env, inro_error *err) {
  const inro_module *m = inst->module;
  inro_probe_group *g = calloc(1, sizeof *g);
  if (!g) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  /* One translation per function, not one per probe. */
  if (!inro_probe_batch_begin(inst, err)) {
    free(g);
    return NULL;
  }
  if (!add(g, inro_probe_entry(inst, INRO_ALL_FUNCS, fn, env, err))) goto failed;
  for (uint32_t d = 0; d < m->nfunc_defs; d++) {
    const func_def *fd = &m->funcs[d];
    reader r = {m->bytes, fd->body_start, fd->body_end, NULL, 0};
    instr_skip_locals(&r);
    instr in;
    int after_loop = 0;
    while (!r.failed && r.pos < fd->body_end) {
      if (instr_read(&r, &in) < 0) break;
      if (after_loop &&
          !add(g, inro_probe_local(inst, m->nfunc_imports + d, (uint32_t)in.offset, fn, env, err)))
        goto failed;
      after_loop = in.op == OP_LOOP;
    }
  }
  if (inro_probe_batch_end(inst, err)) return g;
  inro_probe_group_remove(g);
  return NULL;
failed:
  inro_probe_group_remove(g);
  inro_probe_batch_end(inst, NULL);
  return NULL;
}
