/*
** module.c -- inro_module_new and inro_module_free: a module is decoded
** and validated (src/binary), every body included.  A body is translated
** to IR (exec/translate.c) at its function's first call: a run leaves
** most functions of a big module uncalled, and validation alone is about
** half of what translating costs.  Until then the function's code is a
** stub (module_stub), whose one instruction translates it.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/validate.h"
#include "exec/runtime.h"

/* A body not translated yet: the frame layout of its locals, no
** constants and an empty operand stack, and one IR_PROBE [PROBE_TRANSLATE
** offset top] at the body's first instruction, exact there. */
typedef struct module_stub {
  code c;
  uint32_t words[CODE_STUB_WORDS];
  uint32_t pcmap[2];
  uint32_t exact[3];
} module_stub;

/* The stub of body defidx, from its validator after val_begin; NULL
** without memory. */
static code *stub_new(const inro_module *m, uint32_t defidx, validator *v) {
  module_stub *st = calloc(1, sizeof *st);
  if (!st) return NULL;
  code *c = &st->c;
  code_locals(c, m, defidx, v->local_types, v->nlocals, v->nparams);
  c->stack_base = c->frame_slots = c->local_slots;
  if (!code_local_types(c, &v->local_types)) {
    free(st);
    return NULL;
  }
  uint32_t top = IR_SLOT(c->stack_base), at = v->first_offset;
  st->words[0] = IR_PROBE;
  st->words[1] = PROBE_TRANSLATE;
  st->words[2] = at;
  st->words[3] = top;
  st->pcmap[1] = at;
  st->exact[1] = at;
  st->exact[2] = top;
  c->words = st->words;
  c->nwords = CODE_STUB_WORDS;
  c->pcmap = st->pcmap;
  c->npcmap = 1;
  c->exact = st->exact;
  c->nexact = 1;
  return c;
}

static void stub_free(code *c) {
  if (!c) return;
  free(c->local_types);
  free(c->local_vtypes);
  free(c); /* the module_stub it starts */
}

/* Validation failed (err): 0, the error replaced by that of a malformed
** body from defined function `from` on, if there is one
** (module_check_bodies). */
static int malformed_first(const inro_module *m, uint32_t from, inro_error *err) {
  inro_error body;
  if (err && err->kind == INRO_ERR_INVALID && !module_check_bodies(m, from, &body)) *err = body;
  return 0;
}

/* Validate body defidx and give it its stub: 1, or 0 with err filled. */
static int body_check(inro_module *m, uint32_t defidx, inro_error *err) {
  validator v;
  int ok = val_begin(&v, m, defidx, err);
  while (ok && val_next(&v)) {}
  ok = ok && val_finish(&v, err);
  if (ok && !(m->funcs[defidx].stub = stub_new(m, defidx, &v)))
    ok = err_set(err, INRO_ERR_NOMEM, "out of memory");
  val_free(&v);
  if (ok) m->funcs[defidx].code = m->funcs[defidx].stub;
  return ok;
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
    if (!body_check(m, i, err)) ok = malformed_first(m, i, err);
  if (!ok) {
    inro_module_free(m);
    return NULL;
  }
  return m;
}

const code *module_code(const inro_module *m, uint32_t defidx, inro_error *err) {
  /* The translation is a cache of the module's, made once and then kept:
  ** the module stays as its maker left it, for every store alike. */
  func_def *f = (func_def *)&m->funcs[defidx];
  code *c = atomic_load_explicit(&f->code, memory_order_acquire);
  if (c != f->stub) return c;
  code *fresh;
  if (!func_translate(m, defidx, NULL, &fresh, err)) return NULL;
  if (atomic_compare_exchange_strong_explicit(&f->code, &c, fresh, memory_order_acq_rel,
                                              memory_order_acquire))
    return fresh;
  code_free(fresh); /* another thread's came first: c is it */
  return c;
}

int func_code(inro_store *s, inro_func *fn, inro_error *err) {
  const inro_module *m = fn->inst->module;
  uint32_t defidx = fn->index - m->nfunc_imports;
  const code *stub = m->funcs[defidx].stub;
  if (fn->code != stub) return 1;
  const code *c = module_code(m, defidx, err);
  if (!c) return 0;
  for (size_t i = 0; i < s->nframes; i++) {
    frame *f = &s->frames[i];
    if (f->func != fn || f->pc != stub->words) continue;
    if ((size_t)(s->stack_end - f->fp) < (size_t)c->frame_slots + 1)
      return err_trap(err, INRO_TRAP_STACK_EXHAUSTED);
    frame_consts(f->fp, c);
    f->pc = c->words;
    if (i + 1 == s->nframes) s->sp_top = f->fp + c->stack_base;
  }
  fn->code = c;
  fn->moves++;
  return 1;
}

void inro_module_free(inro_module *m) {
  if (!m) return;
  for (uint32_t i = 0; m->funcs && i < m->nfunc_defs; i++) {
    code *c = m->funcs[i].code;
    if (c != m->funcs[i].stub) code_free(c);
    stub_free(m->funcs[i].stub);
  }
  module_release(m);
  free(m);
}
