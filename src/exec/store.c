/*
** store.c -- the store: owner of every run-time object and of the
** interpreter's stacks; host functions, memories, tables and globals.
*/
#include <stdlib.h>
#include <string.h>

#include "exec/runtime.h"
#include "platform/platform.h"
#include "probe/probe.h"

#define DEFAULT_STACK_SLOTS (1u << 20)
#define DEFAULT_CALL_DEPTH 100000u

inro_store *inro_store_new(const inro_config *config, inro_error *err) {
  inro_error_clear(err);
  size_t slots = config && config->value_stack_slots ? config->value_stack_slots
                                                     : DEFAULT_STACK_SLOTS;
  size_t depth = config && config->max_call_depth ? config->max_call_depth
                                                  : DEFAULT_CALL_DEPTH;
  inro_store *s = calloc(1, sizeof *s);
  if (s) {
    /* Untouched pages of these cost no memory on hosts with lazy paging. */
    s->stack = malloc(slots * sizeof(slot));
    s->frames = malloc((depth + 1) * sizeof(frame));
  }
  if (!s || !s->stack || !s->frames) {
    inro_store_free(s);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  s->stack_end = s->stack + slots;
  s->sp_top = s->stack;
  s->max_frames = depth + 1;
  s->fuel = INRO_FUEL_UNLIMITED;
  atomic_init(&s->interrupt, 0);
  return s;
}

static void free_instance(inro_instance *inst) {
  const inro_module *m = inst->module;
  probe_state_free(inst);
  if (inst->elem_items)
    for (uint32_t i = 0; i < m->nelems; i++) free(inst->elem_items[i]);
  free(inst->elem_items);
  free(inst->elem_sizes);
  free(inst->data_sizes);
  free(inst->own_funcs);
  free(inst->funcs);
  free(inst->tables);
  free(inst->mems);
  free(inst->globals);
  free(inst->tags);
  free(inst->restored_exns);
  free(inst);
}

void inro_store_free(inro_store *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nobjects; i++) {
    owned *o = &s->objects[i];
    switch (o->kind) {
    case OWN_FUNC: {
      inro_func *f = o->ptr;
      free(f->host_type.types);
      free(f->host_type.classes);
      free(f);
      break;
    }
    case OWN_TABLE: free(((inro_table *)o->ptr)->elems); free(o->ptr); break;
    case OWN_MEMORY: {
      inro_memory *m = o->ptr;
      if (m->data) memory_storage_free(m->data, m->reserved);
      free(m);
      break;
    }
    case OWN_GLOBAL: free(o->ptr); break;
    case OWN_INSTANCE: free_instance(o->ptr); break;
    case OWN_TAG: {
      inro_tag *t = o->ptr;
      free(t->host_type.types);
      free(t->host_type.classes);
      free(t);
      break;
    }
    }
  }
  exn_free_all(s);
  free(s->objects);
  free(s->stack);
  free(s->frames);
  free(s);
}

int store_own(inro_store *s, int kind, void *ptr) {
  if (s->nobjects == s->capobjects) {
    size_t n = s->capobjects ? s->capobjects * 2 : 32;
    owned *o = realloc(s->objects, n * sizeof *o);
    if (!o) return 0;
    s->objects = o;
    s->capobjects = n;
  }
  s->objects[s->nobjects].kind = kind;
  s->objects[s->nobjects].ptr = ptr;
  s->nobjects++;
  return 1;
}

/* Allocate a zeroed object and hand it to the store; frees it on failure. */
static void *store_alloc(inro_store *s, int kind, size_t size, inro_error *err) {
  void *p = calloc(1, size);
  if (!p || !store_own(s, kind, p)) {
    free(p);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  return p;
}

int value_fits(const inro_module *m, valtype t, inro_value v) {
  if (vt_class(t) != v.type) return 0;
  if (!vt_is_ref(t)) return 1;
  if (!value_to_slot(v)) return vt_nullable(t);
  uint32_t heap = vt_heap(t);
  if (heap == HT_NOFUNC || heap == HT_NOEXTERN || heap == HT_NOEXN) return 0;
  return !vt_is_concrete(t) || (m && functype_sub(v.of.func->type, &m->types[vt_index(t)]));
}

/* ------------------------------------------------------------- functions */

static int valtype_supported(inro_valtype t) {
  return t == INRO_I32 || t == INRO_I64 || t == INRO_F32 || t == INRO_F64 ||
         t == INRO_V128 || t == INRO_FUNCREF || t == INRO_EXTERNREF || t == INRO_EXNREF;
}

/* A host function's or tag's type, in ft: one of the given value types
** each, and its digest (binary/types.h). */
static int host_functype(functype *ft, const inro_valtype *params, size_t nparams,
                         const inro_valtype *results, size_t nresults) {
  size_t n = nparams + nresults;
  ft->types = malloc((n + 1) * sizeof *ft->types);
  ft->classes = malloc(n + 1);
  if (!ft->types || !ft->classes) {
    free(ft->types);
    free(ft->classes);
    ft->types = NULL;
    ft->classes = NULL;
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    inro_valtype t = i < nparams ? params[i] : results[i - nparams];
    ft->types[i] = (valtype)t;
    ft->classes[i] = (uint8_t)t;
  }
  ft->nparams = (uint32_t)nparams;
  ft->nresults = (uint32_t)nresults;
  functype_host_digest(ft);
  functype_slots(ft);
  return 1;
}

inro_func *inro_func_new(inro_store *s, const inro_valtype *params,
                         size_t nparams, const inro_valtype *results,
                         size_t nresults, inro_host_fn fn, void *env,
                         inro_error *err) {
  inro_error_clear(err);
  if (!fn || nparams > UINT32_MAX - 1 || nresults > UINT32_MAX - 1 - nparams) {
    err_set(err, INRO_ERR_ARG, fn ? "too many parameters or results" : "no host function");
    return NULL;
  }
  for (size_t i = 0; i < nparams + nresults; i++) {
    inro_valtype t = i < nparams ? params[i] : results[i - nparams];
    if (!valtype_supported(t)) {
      err_set(err, INRO_ERR_ARG,
              "%s %zu: not a value type", i < nparams ? "parameter" : "result",
              i < nparams ? i : i - nparams);
      return NULL;
    }
  }
  inro_func *f = calloc(1, sizeof *f);
  if (!f || !host_functype(&f->host_type, params, nparams, results, nresults)) {
    free(f);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  if (!store_own(s, OWN_FUNC, f)) {
    free(f->host_type.types);
    free(f->host_type.classes);
    free(f);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  f->type = &f->host_type;
  f->host = fn;
  f->env = env;
  return f;
}

size_t inro_func_param_count(const inro_func *f) { return f->type->nparams; }
size_t inro_func_result_count(const inro_func *f) { return f->type->nresults; }
inro_valtype inro_func_param(const inro_func *f, size_t i) {
  return (inro_valtype)FT_PCLASSES(f->type)[i];
}
inro_valtype inro_func_result(const inro_func *f, size_t i) {
  return (inro_valtype)FT_RCLASSES(f->type)[i];
}

/* ---------------------------------------------------------------- memory */

/* The most pages a memory of limits l may have here. */
uint64_t memory_limit(const limits *l) {
  uint64_t limit = l->is64 ? MEM64_MAX_PAGES : 65536;
  return l->has_max && l->max < limit ? l->max : limit;
}

/* The whole limit as address space where the host can, so that the
** memory never moves and untouched pages cost nothing (vmem.c); else a
** malloc'd block of the current size + 1 byte (never NULL, even if empty). */
int memory_storage_alloc(uint64_t pages, uint64_t limit, uint8_t **data, size_t *reserved) {
  if (pages > limit || pages > (SIZE_MAX - 1) / INRO_PAGE_SIZE) return -1;
  uint64_t bytes = pages * INRO_PAGE_SIZE;
  uint64_t reserve = (limit ? limit : 1) * INRO_PAGE_SIZE;
  *reserved = 0;
  *data = reserve <= SIZE_MAX ? plat_mem_reserve((size_t)reserve) : NULL;
  if (*data) *reserved = (size_t)reserve;
  else *data = calloc((size_t)bytes + 1, 1);
  return *data ? 0 : -1;
}

int memory_storage_grow(uint8_t **data, size_t reserved, uint64_t old_pages,
                        uint64_t new_pages) {
  if (new_pages <= old_pages) return 0;
  if (new_pages > (SIZE_MAX - 1) / INRO_PAGE_SIZE) return -1;
  uint64_t old = old_pages * INRO_PAGE_SIZE, bytes = new_pages * INRO_PAGE_SIZE;
  if (reserved) return bytes <= reserved ? 0 : -1; /* mapped, and still zero */
  uint8_t *p = realloc(*data, (size_t)bytes + 1);
  if (!p) return -1;
  memset(p + old, 0, (size_t)(bytes - old) + 1);
  *data = p;
  return 0;
}

void memory_storage_free(uint8_t *data, size_t reserved) {
  if (reserved) plat_mem_release(data, reserved);
  else free(data);
}

void memory_adopt(inro_memory *m, uint8_t *data, size_t reserved, uint64_t pages) {
  memory_storage_free(m->data, m->reserved);
  m->data = data;
  m->reserved = reserved;
  m->pages = pages;
  m->size = pages * INRO_PAGE_SIZE;
}

inro_memory *inro_memory_new(inro_store *s, uint32_t min, uint32_t max,
                             inro_error *err) {
  if (min > 65536 || (max != UINT32_MAX && (max > 65536 || max < min))) {
    err_set(err, INRO_ERR_ARG, "memory limits out of range");
    return NULL;
  }
  limits l = {min, max == UINT32_MAX ? UINT64_MAX : max, max != UINT32_MAX, 0};
  return memory_create(s, &l, err);
}

inro_memory *inro_memory_new64(inro_store *s, uint64_t min, uint64_t max, inro_error *err) {
  if (min > (1ull << 48) || (max != UINT64_MAX && (max > (1ull << 48) || max < min))) {
    err_set(err, INRO_ERR_ARG, "memory limits out of range");
    return NULL;
  }
  limits l = {min, max, max != UINT64_MAX, 1};
  return memory_create(s, &l, err);
}

inro_memory *memory_create(inro_store *s, const limits *l, inro_error *err) {
  uint64_t limit = memory_limit(l);
  if (l->min > limit || l->min > (SIZE_MAX - 1) / INRO_PAGE_SIZE) {
    err_set(err, INRO_ERR_NOMEM, "memory of %llu pages too large for this host",
            (unsigned long long)l->min);
    return NULL;
  }
  inro_memory *m = store_alloc(s, OWN_MEMORY, sizeof *m, err);
  if (!m) return NULL;
  if (memory_storage_alloc(l->min, limit, &m->data, &m->reserved) != 0) {
    m->data = NULL;
    err_set(err, INRO_ERR_NOMEM, "cannot allocate %llu pages of memory",
            (unsigned long long)l->min);
    return NULL;
  }
  m->size = l->min * INRO_PAGE_SIZE;
  m->pages = l->min;
  m->lim = *l;
  return m;
}

int64_t memory_grow(inro_memory *m, uint64_t delta) {
  uint64_t old = m->pages;
  if (delta > memory_limit(&m->lim) - old) return -1;
  if (delta == 0) return (int64_t)old;
  uint64_t pages = old + delta;
  if (memory_storage_grow(&m->data, m->reserved, old, pages) != 0) return -1;
  m->size = pages * INRO_PAGE_SIZE;
  m->pages = pages;
  return (int64_t)old;
}

uint8_t *inro_memory_data(inro_memory *m) { return m->data; }
uint64_t inro_memory_size(const inro_memory *m) { return m->size; }
int inro_memory_is64(const inro_memory *m) { return m->lim.is64 != 0; }
int64_t inro_memory_grow(inro_memory *m, uint32_t delta) { return memory_grow(m, delta); }

uint8_t *inro_memory_range(inro_memory *m, uint64_t offset, uint64_t len) {
  if (!m || offset > m->size || len > m->size - offset) return NULL;
  return m->data + offset;
}

int inro_memory_read(const inro_memory *m, uint64_t offset, void *dst, size_t len) {
  if (!m || offset > m->size || len > m->size - offset) return 0;
  if (len) memcpy(dst, m->data + offset, len);
  return 1;
}

int inro_memory_write(inro_memory *m, uint64_t offset, const void *src, size_t len) {
  uint8_t *p = inro_memory_range(m, offset, len);
  if (!p) return 0;
  if (len) memcpy(p, src, len);
  return 1;
}

/* ----------------------------------------------------------------- table */

inro_table *inro_table_new(inro_store *s, inro_valtype elem, uint32_t min,
                           uint32_t max, inro_error *err) {
  if ((elem != INRO_FUNCREF && elem != INRO_EXTERNREF && elem != INRO_EXNREF) ||
      (max != UINT32_MAX && max < min)) {
    err_set(err, INRO_ERR_ARG, "bad table type");
    return NULL;
  }
  tabletype tt = {(valtype)elem, {min, max == UINT32_MAX ? UINT64_MAX : max, max != UINT32_MAX, 0}};
  return table_create(s, NULL, &tt, err);
}

inro_table *inro_table_new64(inro_store *s, inro_valtype elem, uint64_t min, uint64_t max,
                             inro_error *err) {
  if ((elem != INRO_FUNCREF && elem != INRO_EXTERNREF && elem != INRO_EXNREF) ||
      (max != UINT64_MAX && max < min)) {
    err_set(err, INRO_ERR_ARG, "bad table type");
    return NULL;
  }
  tabletype tt = {(valtype)elem, {min, max, max != UINT64_MAX, 1}};
  return table_create(s, NULL, &tt, err);
}

/* Tables have at most this many elements here (an implementation limit). */
#define TABLE_MAX_ELEMS ((uint64_t)1 << 26)

inro_table *table_create(inro_store *s, const inro_module *mod, const tabletype *tt,
                         inro_error *err) {
  if (tt->lim.min > TABLE_MAX_ELEMS) {
    err_set(err, INRO_ERR_NOMEM, "table too large");
    return NULL;
  }
  inro_table *t = store_alloc(s, OWN_TABLE, sizeof *t, err);
  if (!t) return NULL;
  t->elems = calloc((size_t)tt->lim.min + 1, sizeof(slot));
  if (!t->elems) {
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  t->size = (uint32_t)tt->lim.min;
  t->elem_type = vt_class(tt->elem);
  t->elem = tt->elem;
  t->module = mod;
  t->lim = tt->lim;
  return t;
}

int64_t table_grow(inro_table *t, uint64_t delta, slot init) {
  uint32_t old = t->size;
  uint64_t limit = t->lim.has_max ? t->lim.max : t->lim.is64 ? UINT64_MAX : UINT32_MAX;
  if (delta > limit - old) return -1;
  if (delta == 0) return old;
  uint64_t n = old + delta;
  if (n > TABLE_MAX_ELEMS) return -1;
  slot *e = realloc(t->elems, (size_t)(n + 1) * sizeof(slot));
  if (!e) return -1;
  for (uint64_t i = old; i < n; i++) e[i] = init;
  t->elems = e;
  t->size = (uint32_t)n;
  return old;
}

uint32_t inro_table_size(const inro_table *t) { return t->size; }

int inro_table_get(const inro_table *t, uint32_t i, inro_value *out) {
  if (i >= t->size) return 0;
  *out = slot_to_value(t->elem_type, t->elems[i]);
  return 1;
}

int inro_table_set(inro_table *t, uint32_t i, inro_value v) {
  if (i >= t->size || !value_fits(t->module, t->elem, v)) return 0;
  t->elems[i] = value_to_slot(v);
  return 1;
}

/* ---------------------------------------------------------------- global */

static void global_put(inro_global *g, inro_value v) {
  slot s[2] = {0, 0};
  value_to_slots(v, s);
  g->value = s[0];
  g->value_hi = s[1];
}

inro_global *inro_global_new(inro_store *s, inro_value v, int mutable_,
                             inro_error *err) {
  inro_global *g = store_alloc(s, OWN_GLOBAL, sizeof *g, err);
  if (!g) return NULL;
  g->type = (uint8_t)v.type;
  g->vtype = (valtype)v.type;
  g->mut = mutable_ ? 1 : 0;
  global_put(g, v);
  return g;
}

inro_value inro_global_get(const inro_global *g) {
  slot s[2] = {g->value, g->value_hi};
  return slots_to_value(g->type, s);
}

int inro_global_set(inro_global *g, inro_value v, inro_error *err) {
  if (!g->mut) return err_set(err, INRO_ERR_ARG, "global is immutable");
  if (!value_fits(g->module, g->vtype, v)) return err_set(err, INRO_ERR_ARG, "global type mismatch");
  global_put(g, v);
  return 1;
}

/* ----------------------------------------------------------------- calls */

/* Run slices (interp.c) until the call on top of the store ends: 1, or 0
** with err filled.  Between slices: an interruption or the fuel's end
** stops the call, suspended if `resumable` (EXEC_SUSPENDED: its frames
** stay), else unwound; then the slice callback.  Ending a slice every SLICE_UNITS
** calls and branches also lets a Wasm host that compiles a function
** anew only when it is called again (V8) optimise the interpreter. */
int exec_run(inro_store *s, int resumable, inro_error *err) {
  for (;;) {
    int kind = INRO_OK;
    if (atomic_exchange(&s->interrupt, 0)) kind = INRO_ERR_INTERRUPTED;
    else if (s->fuel == 0) kind = INRO_ERR_FUEL;
    if (kind != INRO_OK) {
      err_set(err, (inro_error_kind)kind, kind == INRO_ERR_FUEL ? "out of fuel" : "interrupted");
      if (resumable) return EXEC_SUSPENDED;
      interp_unwind(s);
      return 0;
    }
    uint32_t budget = s->fuel < SLICE_UNITS ? (uint32_t)s->fuel : SLICE_UNITS;
    s->budget = budget;
    int rc = interp_run(s, err);
    if (s->fuel != INRO_FUEL_UNLIMITED) s->fuel -= budget - s->budget;
    if (rc != INTERP_SLICE) return rc;
    if (s->barred && !probe_unbar(s, err)) {
      interp_unwind(s);
      return 0;
    }
    if (s->slice_fn) {
      inro_frame view;
      frame *top = &s->frames[s->nframes - 1];
      frame_view_init(&view, s, s->nframes - 1, s->sp_top - 1, err);
      view.reason = INRO_PROBE_AT_SLICE;
      view.offset = top->at_offset;
      view.have_offset = 1;
      int trapped = !s->slice_fn(&view, s->slice_env);
      frame_view_release(&view);
      if (trapped) {
        if (err->kind == INRO_OK) err_set(err, INRO_ERR_TRAP, "slice callback trapped");
        interp_unwind(s);
        return 0;
      }
    }
  }
}

int exec_call(inro_store *s, inro_func *func, slot *base, int resumable, inro_error *err) {
  if (!func->code) {
    if (s->nframes + 1 > s->max_frames) goto exhausted;
    frame_push(s, NULL, base, NULL);
    int ok = interp_host_call(s, func, NULL, base, err);
    s->nframes--;
    return ok;
  }
  const code *c = func->code;
  if (s->nframes + 2 > s->max_frames ||
      (size_t)(s->stack_end - base) < (size_t)c->frame_slots + 1)
    goto exhausted;
  frame_push(s, NULL, base, NULL);
  frame_push(s, func, base, c->words);
  frame_enter(base, c);
  slot *saved_top = s->sp_top;
  int ok = exec_run(s, resumable, err);
  if (ok == EXEC_SUSPENDED) return ok; /* frames kept */
  s->sp_top = saved_top;
  s->nframes--; /* the entry frame */
  return ok;
exhausted:
  s->nbacktrace = 0;
  return err_trap(err, INRO_TRAP_STACK_EXHAUSTED);
}

int inro_call(inro_store *s, inro_func *func, const inro_value *args,
              size_t nargs, inro_value *results, size_t nresults,
              inro_error *err) {
  inro_error local;
  if (!err) err = &local;
  inro_error_clear(err);
  const functype *ft = func->type;
  if (s->suspended)
    return err_set(err, INRO_ERR_ARG, "a call is suspended in this store (inro_resume or inro_abandon it)");
  if (nargs != ft->nparams || nresults < ft->nresults)
    return err_set(err, INRO_ERR_ARG, "wrong number of arguments or results");
  const inro_module *mod = func->inst ? func->inst->module : NULL;
  for (size_t i = 0; i < nargs; i++)
    if (!value_fits(mod, FT_PARAMS(ft)[i], args[i]))
      return err_set(err, INRO_ERR_ARG, "argument %zu has the wrong type", i);
  slot *base = s->sp_top;
  size_t need = ft->param_slots > ft->result_slots ? ft->param_slots : ft->result_slots;
  if ((size_t)(s->stack_end - base) < need + 1)
    return err_trap(err, INRO_TRAP_STACK_EXHAUSTED);
  for (size_t i = 0, k = 0; i < nargs; i++) k += value_to_slots(args[i], base + k);
  /* Only the outermost call can be suspended: a suspended call keeps its
  ** frames above the host's. */
  int rc = exec_call(s, func, base, s->nframes == 0, err);
  if (rc == EXEC_SUSPENDED) {
    s->suspended = func;
    s->suspended_base = base;
    return 0;
  }
  if (!rc) return 0;
  exec_results(ft, base, results);
  return 1;
}

void exec_results(const functype *ft, const slot *base, inro_value *results) {
  for (size_t i = 0, k = 0; i < ft->nresults; i++) {
    uint8_t t = FT_RCLASSES(ft)[i];
    results[i] = slots_to_value(t, base + k);
    k += ir_type_slots(t);
  }
}

int inro_resume(inro_store *s, inro_value *results, size_t nresults, inro_error *err) {
  inro_error local;
  if (!err) err = &local;
  inro_error_clear(err);
  inro_func *func = s->suspended;
  if (!func) return err_set(err, INRO_ERR_ARG, "no call is suspended in this store");
  const functype *ft = func->type;
  if (nresults < ft->nresults) return err_set(err, INRO_ERR_ARG, "wrong number of results");
  int ok = exec_run(s, 1, err);
  if (ok == EXEC_SUSPENDED) return 0; /* still suspended */
  slot *base = s->suspended_base;
  s->suspended = NULL;
  s->sp_top = base;
  s->nframes--; /* the entry frame */
  if (!ok) return 0;
  exec_results(ft, base, results);
  return 1;
}

void inro_abandon(inro_store *s) {
  if (!s->suspended) return;
  interp_unwind(s);
  s->nframes--; /* the entry frame */
  s->sp_top = s->suspended_base;
  s->suspended = NULL;
}

int inro_store_suspended(const inro_store *s) { return s->suspended != NULL; }

int inro_suspended_frame(inro_store *s, inro_probe_fn fn, void *env) {
  if (!s->suspended) return -1;
  frame *top = &s->frames[s->nframes - 1];
  /* Stopped as it began (no fuel, an interruption pending), the call has
  ** not reached a slice's end, the one exact position it can show. */
  if (top->at_probe != AT_EXACT) return -1;
  inro_error err;
  inro_error_clear(&err);
  inro_frame view;
  frame_view_init(&view, s, s->nframes - 1, s->sp_top - 1, &err);
  view.reason = INRO_PROBE_AT_SLICE;
  view.offset = top->at_offset;
  view.have_offset = 1;
  int rc = fn(&view, env);
  frame_view_release(&view);
  return rc;
}

void inro_store_set_fuel(inro_store *s, uint64_t fuel) { s->fuel = fuel; }

uint64_t inro_store_fuel(const inro_store *s) { return s->fuel; }

void inro_store_interrupt(inro_store *s) { atomic_store(&s->interrupt, 1); }

void inro_store_on_slice(inro_store *s, inro_probe_fn fn, void *env) {
  s->slice_fn = fn;
  s->slice_env = env;
}

size_t inro_backtrace(const inro_store *s, inro_frame_info *out, size_t max) {
  size_t n = s->nbacktrace < max ? s->nbacktrace : max;
  memcpy(out, s->backtrace, n * sizeof *out);
  return s->nbacktrace;
}

int inro_trap(inro_call_ctx *ctx, const char *message) {
  err_set(ctx->err, INRO_ERR_TRAP, "%s", message);
  ctx->err->trap = INRO_TRAP_HOST;
  return 0;
}

int inro_exit(inro_call_ctx *ctx, int status) {
  err_set(ctx->err, INRO_ERR_EXIT, "exit with status %d", status);
  ctx->err->exit_code = status;
  return 0;
}

inro_store *inro_ctx_store(inro_call_ctx *ctx) { return ctx->store; }

inro_memory *inro_ctx_memory(inro_call_ctx *ctx) {
  if (!ctx->caller || !ctx->caller->mems) return NULL;
  return ctx->caller->mems[0];
}
