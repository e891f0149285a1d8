/*
** spectest_host.c -- the "spectest" host module of the spec tests.
**
** Its exports are fixed by the reference interpreter
** (interpreter/host/spectest.ml): print functions that do nothing here,
** four immutable globals, a funcref table (10..20), the same indexed
** with i64 (table64) and a memory (1..2 pages).  Each script gets fresh ones, because tests grow and write the
** shared table and memory.
*/
#include <stdint.h>
#include <stdio.h>

#include "cli/spec.h"

static int print_nothing(inro_call_ctx *ctx, void *env, const uint64_t *args,
                         uint64_t *results) {
  (void)ctx;
  (void)env;
  (void)args;
  (void)results;
  return 1;
}

static const inro_valtype i32_[] = {INRO_I32};
static const inro_valtype i64_[] = {INRO_I64};
static const inro_valtype f32_[] = {INRO_F32};
static const inro_valtype f64_[] = {INRO_F64};
static const inro_valtype i32_f32[] = {INRO_I32, INRO_F32};
static const inro_valtype f64_f64[] = {INRO_F64, INRO_F64};

static const struct {
  const char *name;
  const inro_valtype *params;
  size_t nparams;
} funcs[] = {
  {"print", NULL, 0},
  {"print_i32", i32_, 1},
  {"print_i64", i64_, 1},
  {"print_f32", f32_, 1},
  {"print_f64", f64_, 1},
  {"print_i32_f32", i32_f32, 2},
  {"print_f64_f64", f64_f64, 2},
};

/* 666.6 is inexact: the f32 and f64 roundings, as bits. */
static const struct {
  const char *name;
  inro_valtype type;
  uint64_t bits;
} globals[] = {
  {"global_i32", INRO_I32, 666},
  {"global_i64", INRO_I64, 666},
  {"global_f32", INRO_F32, 0x4426A666u},
  {"global_f64", INRO_F64, 0x4084D4CCCCCCCCCDu},
};

int spectest_define(inro_linker *linker, inro_store *store, inro_error *err) {
  inro_extern ext;
  for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
    ext.kind = INRO_EXTERN_FUNC;
    ext.of.func = inro_func_new(store, funcs[i].params, funcs[i].nparams,
                                NULL, 0, print_nothing, NULL, err);
    if (!ext.of.func || !inro_linker_define(linker, "spectest", funcs[i].name, ext, err))
      return 0;
  }
  for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
    inro_value v;
    v.type = globals[i].type;
    if (v.type == INRO_I32 || v.type == INRO_F32)
      v.of.i32 = (uint32_t)globals[i].bits;
    else
      v.of.i64 = globals[i].bits;
    ext.kind = INRO_EXTERN_GLOBAL;
    ext.of.global = inro_global_new(store, v, 0, err);
    if (!ext.of.global ||
        !inro_linker_define(linker, "spectest", globals[i].name, ext, err))
      return 0;
  }
  ext.kind = INRO_EXTERN_TABLE;
  ext.of.table = inro_table_new(store, INRO_FUNCREF, 10, 20, err);
  if (!ext.of.table ||
      !inro_linker_define(linker, "spectest", "table", ext, err))
    return 0;
  ext.of.table = inro_table_new64(store, INRO_FUNCREF, 10, 20, err);
  if (!ext.of.table ||
      !inro_linker_define(linker, "spectest", "table64", ext, err))
    return 0;
  ext.kind = INRO_EXTERN_MEMORY;
  ext.of.memory = inro_memory_new(store, 1, 2, err);
  return ext.of.memory &&
         inro_linker_define(linker, "spectest", "memory", ext, err);
}
