/*
** types.c -- value types, defined types and subtyping (binary/types.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binary/module.h"
#include "binary/reader.h"
#include "util/sha256.h"

/* ------------------------------------------------------------- classes */

static int heap_family(uint32_t h) {
  switch (h) {
  case HT_FUNC: case HT_NOFUNC: case VT_CONCRETE: return HT_FUNC;
  case HT_EXTERN: case HT_NOEXTERN: return HT_EXTERN;
  case HT_EXN: case HT_NOEXN: return HT_EXN;
  case HT_BOT: return HT_BOT;
  default: return 0;
  }
}

int vt_is_ref(valtype t) { return heap_family(vt_heap(t)) != 0; }

int vt_defaultable(valtype t) { return !vt_is_ref(t) || vt_nullable(t); }

uint8_t vt_class(valtype t) {
  switch (heap_family(vt_heap(t))) {
  case HT_FUNC: return INRO_FUNCREF;
  case HT_EXTERN: return INRO_EXTERNREF;
  case HT_EXN: return INRO_EXNREF;
  case HT_BOT: return INRO_FUNCREF; /* never at run time */
  default: return (uint8_t)t;
  }
}

const char *vt_name(valtype t, char *buf) {
  static const struct { uint32_t heap; const char *name; } names[] = {
    {HT_FUNC, "func"}, {HT_EXTERN, "extern"}, {HT_EXN, "exn"},
    {HT_NOFUNC, "nofunc"}, {HT_NOEXTERN, "noextern"}, {HT_NOEXN, "noexn"},
  };
  switch (t) {
  case INRO_I32: return "i32";
  case INRO_I64: return "i64";
  case INRO_F32: return "f32";
  case INRO_F64: return "f64";
  case INRO_V128: return "v128";
  case 0: return "unknown";
  default: break;
  }
  const char *heap = "?";
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].heap == vt_heap(t)) heap = names[i].name;
  if (vt_is_concrete(t))
    snprintf(buf, 32, "(ref %s%u)", vt_nullable(t) ? "null " : "", (unsigned)vt_index(t));
  else if (vt_nullable(t))
    snprintf(buf, 32, "%sref", heap);
  else
    snprintf(buf, 32, "(ref %s)", heap);
  return buf;
}

/* ------------------------------------------------------------- reading */

const char RD_GC[] = "garbage collection types and instructions (GC) are not supported";

valtype rd_heaptype(reader *r, int nullable) {
  int64_t h = rd_s33(r);
  if (r->failed) return 0;
  if (h >= 0) {
    if (h >= VT_MAX_TYPES) {
      rd_fail(r, "unknown type");
      return 0;
    }
    return vt_concrete((uint32_t)h, nullable);
  }
  uint32_t b = (uint32_t)(h & 0x7F);
  switch (b) {
  case HT_FUNC: case HT_EXTERN: case HT_EXN: case HT_NOFUNC: case HT_NOEXTERN: case HT_NOEXN:
    return vt_abstract(b, nullable);
  case 0x6E: case 0x6D: case 0x6C: case 0x6B: case 0x6A: case 0x71: /* any eq i31 struct array none */
    rd_fail(r, RD_GC);
    return 0;
  default:
    rd_fail(r, "malformed reference type");
    return 0;
  }
}

valtype rd_valtype3(reader *r, int ref_only) {
  size_t at = r->pos;
  uint8_t t = rd_u8(r);
  if (r->failed) return 0;
  switch (t) {
  case INRO_I32: case INRO_I64: case INRO_F32: case INRO_F64: case INRO_V128:
    if (!ref_only) return t;
    break;
  case 0x63: case 0x64: /* (ref null ht), (ref ht) */
    return rd_heaptype(r, t == 0x63);
  default:
    r->pos = at;
    return rd_heaptype(r, 1); /* the one-byte shorthands: funcref, ... */
  }
  r->pos = at;
  rd_fail(r, ref_only ? "malformed reference type" : "malformed value type");
  return 0;
}

/* ----------------------------------------------------------- subtyping */

/* Two defined types the same (of modules ma and mb). */
static int type_equal_x(const inro_module *ma, uint32_t a, const inro_module *mb, uint32_t b) {
  if (ma == mb && a == b) return 1;
  return !memcmp(ma->types[a].digest, mb->types[b].digest, 32);
}

/* Defined type a of ma <: b of mb: a or one of its declared supertypes is b. */
static int type_sub_x(const inro_module *ma, uint32_t a, const inro_module *mb, uint32_t b) {
  for (uint32_t t = a, steps = 0; t != NO_TYPE && steps <= ma->ntypes; t = ma->types[t].super, steps++)
    if (type_equal_x(ma, t, mb, b)) return 1;
  return 0;
}

static int heap_sub_x(const inro_module *ma, valtype a, const inro_module *mb, valtype b) {
  uint32_t ha = vt_heap(a), hb = vt_heap(b);
  if (ha == HT_BOT) return 1;
  if (ha == VT_CONCRETE && hb == VT_CONCRETE)
    return type_sub_x(ma, vt_index(a), mb, vt_index(b));
  if (ha == hb) return 1;
  int fa = heap_family(ha), fb = heap_family(hb);
  if (fa != fb) return 0;
  if (hb == (uint32_t)fb) return 1; /* the top of the family: func, extern, exn */
  return ha == HT_NOFUNC || ha == HT_NOEXTERN || ha == HT_NOEXN; /* the bottom */
}

int vt_sub_x(const inro_module *ma, valtype a, const inro_module *mb, valtype b) {
  if (a == 0) return 1;
  if (ma == mb && a == b) return 1;
  if (!vt_is_ref(a) || !vt_is_ref(b)) return a == b;
  if (vt_nullable(a) && !vt_nullable(b)) return 0;
  return heap_sub_x(ma, a, mb, b);
}

int vt_equal_x(const inro_module *ma, valtype a, const inro_module *mb, valtype b) {
  if (!vt_is_ref(a) || !vt_is_ref(b)) return a == b;
  if ((a & VT_NONNULL) != (b & VT_NONNULL) || vt_heap(a) != vt_heap(b)) return 0;
  return !vt_is_concrete(a) || type_equal_x(ma, vt_index(a), mb, vt_index(b));
}

int functype_equal(const functype *a, const functype *b) {
  return a == b || !memcmp(a->digest, b->digest, 32);
}

int functype_sub(const functype *a, const functype *b) {
  for (const functype *t = a; t; t = t->super_type)
    if (functype_equal(t, b)) return 1;
  return 0;
}

/* ------------------------------------------------------------- digests */

typedef struct sbuf {
  uint8_t *p;
  size_t n, cap;
  int oom;
} sbuf;

static void put(sbuf *b, const void *data, size_t n) {
  if (b->oom) return;
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->n + n) cap *= 2;
    uint8_t *q = realloc(b->p, cap);
    if (!q) {
      b->oom = 1;
      return;
    }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->n, data, n);
  b->n += n;
}

static void put_u32(sbuf *b, uint32_t v) {
  uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  put(b, le, 4);
}

/* A reference to defined type idx from a type of the group starting at g
** of size n: its place in the group, or the digest of a type outside. */
static void put_typeref(sbuf *b, const inro_module *m, uint32_t idx, uint32_t g, uint32_t n) {
  uint8_t tag = idx >= g && idx < g + n ? 1 : 2;
  put(b, &tag, 1);
  if (tag == 1) put_u32(b, idx - g);
  else put(b, m->types[idx].digest, 32);
}

static void put_valtype(sbuf *b, const inro_module *m, valtype t, uint32_t g, uint32_t n) {
  if (vt_is_concrete(t)) {
    put_u32(b, t & 0x1FF); /* kind and nullability, without the index */
    put_typeref(b, m, vt_index(t), g, n);
  } else {
    put_u32(b, t);
  }
}

static int digest_group(inro_module *m, uint32_t g, uint32_t n) {
  sbuf b = {NULL, 0, 0, 0};
  put_u32(&b, n);
  for (uint32_t k = g; k < g + n; k++) {
    const functype *ft = &m->types[k];
    uint8_t kind[2] = {0x60, ft->final};
    put(&b, kind, 2);
    if (ft->super == NO_TYPE) put_u32(&b, UINT32_MAX);
    else put_typeref(&b, m, ft->super, g, n);
    put_u32(&b, ft->nparams);
    put_u32(&b, ft->nresults);
    for (uint32_t i = 0; i < ft->nparams + ft->nresults; i++) put_valtype(&b, m, ft->types[i], g, n);
  }
  size_t base = b.n;
  for (uint32_t k = 0; k < n && !b.oom; k++) {
    b.n = base;
    put_u32(&b, k);
    if (!b.oom) sha256(b.p, b.n, m->types[g + k].digest);
  }
  free(b.p);
  return !b.oom;
}

void functype_host_digest(functype *ft) {
  inro_module none;
  memset(&none, 0, sizeof none);
  none.types = ft;
  none.ntypes = 1;
  ft->super = NO_TYPE;
  ft->super_type = NULL;
  ft->final = 1;
  ft->group = 0;
  ft->group_size = 1;
  if (!digest_group(&none, 0, 1)) memset(ft->digest, 0, 32); /* out of memory: no match */
}

/* A reference type in a type of group [g, g + n) names a type in reach. */
static int in_reach(valtype t, uint32_t g, uint32_t n) {
  return !vt_is_concrete(t) || vt_index(t) < g + n;
}

/* Function type sub matches super: parameters contravariant, results
** covariant. */
static int func_matches(const inro_module *m, const functype *sub, const functype *super) {
  if (sub->nparams != super->nparams || sub->nresults != super->nresults) return 0;
  for (uint32_t i = 0; i < sub->nparams; i++)
    if (!vt_sub(m, FT_PARAMS(super)[i], FT_PARAMS(sub)[i])) return 0;
  for (uint32_t i = 0; i < sub->nresults; i++)
    if (!vt_sub(m, FT_RESULTS(sub)[i], FT_RESULTS(super)[i])) return 0;
  return 1;
}

const char *types_finish(inro_module *m) {
  for (uint32_t i = 0; i < m->ntypes; i++) {
    functype *ft = &m->types[i];
    for (uint32_t k = 0; k < ft->nparams + ft->nresults; k++)
      if (!in_reach(ft->types[k], ft->group, ft->group_size)) return "unknown type";
    if (ft->super != NO_TYPE && ft->super >= i) return ft->super >= m->ntypes ? "unknown type" : "sub type";
    ft->super_type = ft->super == NO_TYPE ? NULL : &m->types[ft->super];
  }
  for (uint32_t g = 0; g < m->ntypes; g += m->types[g].group_size)
    if (!digest_group(m, g, m->types[g].group_size)) return "out of memory";
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const functype *ft = &m->types[i];
    if (ft->super == NO_TYPE) continue;
    const functype *super = &m->types[ft->super];
    if (super->final || !func_matches(m, ft, super)) return "sub type";
  }
  return NULL;
}
