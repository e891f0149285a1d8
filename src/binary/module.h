/*
** module.h -- the decoded form of a WebAssembly module.
**
** A module is immutable after inro_module_new (exec/translate.c): it holds
** the decoded sections plus, per defined function, the translated code
** (the IR, see exec/ir.h).  Instances in any number of stores share it.
*/
#ifndef INRO_MODULE_H
#define INRO_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "inro.h"
#include "binary/types.h"

typedef struct limits {
  uint64_t min, max; /* max = UINT64_MAX when absent */
  uint8_t has_max;
  uint8_t is64;      /* addressed (memory) or indexed (table) with i64 */
} limits;

typedef struct tabletype {
  valtype elem;      /* a reference type */
  limits lim;
} tabletype;

typedef struct globaltype {
  valtype type;
  uint8_t mut;
} globaltype;

/* A constant expression.  One instruction of the kinds below is kept
** decoded (kind, value); anything longer (extended constants: i32.add,
** global.get of several globals, ...) is CE_EXPR, evaluated from its
** bytes.  Validation (binary/constexpr.c) sets `type`. */
typedef enum { CE_I32, CE_I64, CE_F32, CE_F64, CE_V128, CE_REF_NULL, CE_REF_FUNC,
               CE_GLOBAL_GET, CE_EXPR } constexpr_kind;
typedef struct constexpr_ {
  uint8_t kind;
  valtype type;      /* the type it produces */
  uint64_t value;    /* bits, function index or global index */
  uint64_t value_hi; /* CE_V128: bytes 8-15 (value: bytes 0-7) */
  uint32_t start, end; /* its instructions in the module's bytes, `end` included */
} constexpr_;

typedef struct import {
  char *module, *name;
  uint8_t kind; /* inro_extern_kind */
  union {
    uint32_t typeidx; /* a function's or a tag's type */
    tabletype table;
    limits mem;
    globaltype global;
  } desc;
} import;

typedef struct export_ {
  char *name;
  uint32_t name_len; /* names may contain NUL */
  uint8_t kind;
  uint32_t index;
} export_;

typedef struct global_def {
  globaltype type;
  constexpr_ init;
} global_def;

enum { SEG_ACTIVE, SEG_PASSIVE, SEG_DECLARATIVE };

typedef struct table_def {
  tabletype type;
  uint8_t has_init;
  constexpr_ init;   /* every element's initial value (else null) */
} table_def;

typedef struct elem_seg {
  uint8_t mode;
  valtype type;
  uint32_t table;
  constexpr_ offset;
  uint32_t count;
  constexpr_ *items; /* each a ref.func / ref.null / global.get */
} elem_seg;

typedef struct data_seg {
  uint8_t mode;
  uint32_t memory;
  constexpr_ offset;
  uint32_t size;
  const uint8_t *bytes; /* points into the module's copy of the binary */
} data_seg;

struct code;

typedef struct func_def {
  uint32_t typeidx;
  uint32_t body_start, body_end; /* byte offsets of the body in the binary */
  struct code *code;             /* translated IR (exec/translate.c) */
} func_def;

struct inro_module {
  uint8_t *bytes;
  size_t size;

  uint32_t ntypes;
  functype *types;
  uint32_t nimports;
  import *imports;

  /* Index spaces: imports first, then definitions. */
  uint32_t nfuncs, nfunc_imports;
  uint32_t *func_types; /* typeidx per function index */
  func_def *funcs;      /* nfunc_defs entries */
  uint32_t nfunc_defs;
  uint32_t ntables, ntable_imports;
  tabletype *tables;
  table_def *table_defs; /* ntables - ntable_imports */
  uint32_t nmems, nmem_imports;
  limits *mems;
  uint32_t ntags, ntag_imports;
  uint32_t *tag_types;  /* type index per tag index */
  uint32_t nglobals, nglobal_imports;
  globaltype *global_types;
  global_def *globals; /* nglobals - nglobal_imports */

  uint32_t nexports;
  export_ *exports;
  int has_start;
  uint32_t start;
  uint32_t nelems;
  elem_seg *elems;
  uint32_t ndatas;
  data_seg *datas;
  int has_datacount;
  uint32_t datacount;

  uint8_t *func_refs;   /* per function: may appear in ref.func (C.refs) */
  char **func_names;    /* name section, per function index, or NULL */
  uint32_t code_start;  /* offset of the code section's contents */
};

/* Decoding: binary/decode.c.  Fills err with INRO_ERR_MALFORMED.  The
** bodies' instructions are left to validation (binary/validate.h), which
** decodes them as it checks them. */
int module_decode(inro_module *m, inro_error *err);
/* Are the bodies from defined function `from` on well-formed?  A
** decoding error comes before any validation error, so where validation
** fails, the first malformed body after is the error: 1 if none is, else
** 0 with err filled (INRO_ERR_MALFORMED). */
int module_check_bodies(const inro_module *m, uint32_t from, inro_error *err);
/* Validation of everything but function bodies (binary/validate_module.c;
** bodies: binary/validate.h). */
int module_validate(inro_module *m, inro_error *err);
/* Free what the module holds, but not its translated code. */
void module_release(inro_module *m);

/* Error helpers (binary/error.c).  err_trap fills a trap with its spec
** wording; both return 0. */
int err_trap(inro_error *err, inro_trap_code code);
int err_set(inro_error *err, inro_error_kind kind, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Is `in` a load or store of a number (not a v128) of memory 0, a
** 32-bit memory: where an access probe goes (inro_probe_accesses)? */
struct instr;
int module_plain_access(const inro_module *m, const struct instr *in);

#endif
