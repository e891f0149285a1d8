/*
** types.h -- value types of WebAssembly 3.0 (without GC): numbers,
** vectors and references, typed references included, and how they
** relate (subtyping, equivalence across modules).
**
** A value type is a 32-bit word (valtype):
**   numbers and v128        their binary byte (0x7F i32 ... 0x7B v128);
**   abstract references     the heap type's byte (0x70 func, 0x6F extern,
**                           0x69 exn, 0x73 nofunc, 0x72 noextern, 0x74
**                           noexn), so that funcref, externref and exnref
**                           keep their 2.0 bytes;
**   (ref $t)                VT_CONCRETE with the type index above bit 9;
**   VT_NONNULL              set for the non-nullable references.
** 0 is the unknown type of unreachable code (it matches every type), and
** VT_BOT_REF a reference of unknown heap type, also from unreachable code.
**
** Every value type has a class, the inro_valtype (inro.h) the run time,
** snapshots and the embedding API see: a number, v128, or the funcref,
** externref or exnref that its heap type belongs to.
**
** Defined types are function types grouped in recursion groups (GC's
** struct and array types are not supported).  Two types are the same
** across modules when their groups are the same shape and they sit at
** the same place in them (iso-recursive equivalence): each type carries
** a digest of that (types_finish), so equality anywhere is a comparison
** of digests.
*/
#ifndef INRO_TYPES_H
#define INRO_TYPES_H

#include <stdint.h>

#include "inro.h"

typedef uint32_t valtype;

enum {
  HT_FUNC = 0x70, HT_EXTERN = 0x6F, HT_EXN = 0x69,
  HT_NOFUNC = 0x73, HT_NOEXTERN = 0x72, HT_NOEXN = 0x74,
  HT_BOT = 0x01,        /* unknown (unreachable code): below every heap type */
  VT_CONCRETE = 0x40    /* low byte of a reference to a defined type */
};
#define VT_NONNULL 0x100u
#define VT_INDEX_SHIFT 9
#define VT_MAX_TYPES (1u << 22)  /* type indices must fit above bit 9 */
#define VT_BOT_REF ((valtype)HT_BOT)
#define NO_TYPE UINT32_MAX

static inline valtype vt_abstract(uint32_t heap, int nullable) {
  return heap | (nullable ? 0 : VT_NONNULL);
}
static inline valtype vt_concrete(uint32_t index, int nullable) {
  return VT_CONCRETE | (nullable ? 0 : VT_NONNULL) | index << VT_INDEX_SHIFT;
}
static inline int vt_is_num(valtype t) {
  return t == INRO_I32 || t == INRO_I64 || t == INRO_F32 || t == INRO_F64;
}
static inline uint32_t vt_heap(valtype t) { return t & 0xFF; }
static inline int vt_is_concrete(valtype t) { return vt_heap(t) == VT_CONCRETE; }
static inline uint32_t vt_index(valtype t) { return t >> VT_INDEX_SHIFT; }
static inline int vt_nullable(valtype t) { return !(t & VT_NONNULL); }
int vt_is_ref(valtype t);
/* Numbers, vectors and nullable references have a default value. */
int vt_defaultable(valtype t);
/* The class (inro_valtype) of t; 0 for the unknown type. */
uint8_t vt_class(valtype t);
/* The non-nullable version of reference type t. */
static inline valtype vt_as_nonnull(valtype t) { return t | VT_NONNULL; }

/* One defined type: a function type in a recursion group. */
typedef struct functype {
  uint32_t nparams, nresults;
  valtype *types;      /* nparams params, then nresults results */
  uint8_t *classes;    /* the classes of the same (run time, API) */
  /* Frame slots of the params and of the results (a v128 takes two):
  ** run-time layout, set by src/exec (functype_slots in exec/runtime.h). */
  uint32_t param_slots, result_slots;
  uint32_t super;      /* declared supertype (an index), or NO_TYPE */
  const struct functype *super_type; /* the same, as a pointer */
  uint32_t group, group_size; /* its recursion group: first index, size */
  uint8_t final;
  uint8_t digest[32];  /* identity across modules (types_finish) */
} functype;

#define FT_PARAMS(ft) ((ft)->types)
#define FT_RESULTS(ft) ((ft)->types + (ft)->nparams)
#define FT_PCLASSES(ft) ((ft)->classes)
#define FT_RCLASSES(ft) ((ft)->classes + (ft)->nparams)

struct inro_module;

/* Reads a value type (or a reference type when ref_only) at r; GC's
** types fail as unsupported.  Returns 0 after a failure. */
struct reader;
valtype rd_valtype3(struct reader *r, int ref_only);
/* A heap type (s33): an abstract heap type's byte or a type index. */
valtype rd_heaptype(struct reader *r, int nullable);

/* a of module ma <: b of module mb (either module may be NULL when the
** type has no concrete reference in it: host functions). */
int vt_sub_x(const struct inro_module *ma, valtype a, const struct inro_module *mb, valtype b);
/* Within module m: a <: b, and the same for heap types of references.
** Inline for the common case, the very type expected (the validator asks
** for every operand). */
static inline int vt_sub(const struct inro_module *m, valtype a, valtype b) {
  return a == b || vt_sub_x(m, a, m, b);
}
/* The same type, across modules. */
int vt_equal_x(const struct inro_module *ma, valtype a, const struct inro_module *mb, valtype b);
/* Function type a <: b (declared subtypes, or the same type). */
int functype_sub(const functype *a, const functype *b);
int functype_equal(const functype *a, const functype *b);

/* After the type section: check every type index in the types (within
** reach of their group), supertypes and their compatibility, then give
** each type its digest.  Returns NULL or the reason it is invalid. */
const char *types_finish(struct inro_module *m);
/* The digest of a function type of host functions (no recursion group,
** final, only numeric and abstract types). */
void functype_host_digest(functype *ft);

/* "i32", "funcref", "(ref null 3)": for messages; buf of 32 bytes. */
const char *vt_name(valtype t, char *buf);

#endif
