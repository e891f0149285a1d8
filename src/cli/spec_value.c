/*
** spec_value.c -- values as wast2json writes them, and matching results.
**
** Every value is {"type": T, "value": V} with V a string: the unsigned
** decimal of the value's bits for numbers (floats included, so NaN payloads
** are exact), "null" or a decimal host handle for references, and in
** expected results also "nan:canonical" / "nan:arithmetic".  A reference
** type without a value is a pattern: any non-null reference of it; the
** null types (nullfuncref, ...) match any null of their hierarchy; the
** types of GC (anyref, structref, ...) are unsupported.  A v128 is
** {"type": "v128", "lane_type": L, "value": [lane, ...]}: its lanes, lane 0
** first, each a string as a number of type L (i8 i16 i32 i64 f32 f64);
** float lanes of an expected result may be NaN patterns, lane by lane.
*/
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/spec.h"

enum { T_NUM, T_REF, T_NULL, T_V128, T_GC };

typedef struct type_info {
  const char *name;
  inro_valtype type;
  int kind;            /* T_*: T_NULL is a null type (nullfuncref ...) */
  uint64_t max;        /* largest bit pattern, for numbers */
  uint64_t canonical;  /* canonical NaN without the sign, for floats */
  uint64_t quiet;      /* exponent plus quiet bit, for floats */
} type_info;

static const type_info types[] = {
  {"i32", INRO_I32, T_NUM, UINT32_MAX, 0, 0},
  {"i64", INRO_I64, T_NUM, UINT64_MAX, 0, 0},
  {"f32", INRO_F32, T_NUM, UINT32_MAX, 0x7fc00000u, 0x7fc00000u},
  {"f64", INRO_F64, T_NUM, UINT64_MAX, 0x7ff8000000000000u, 0x7ff8000000000000u},
  {"funcref", INRO_FUNCREF, T_REF, 0, 0, 0},
  {"externref", INRO_EXTERNREF, T_REF, 0, 0, 0},
  {"exnref", INRO_EXNREF, T_REF, 0, 0, 0},
  {"nullfuncref", INRO_FUNCREF, T_NULL, 0, 0, 0},
  {"nullexternref", INRO_EXTERNREF, T_NULL, 0, 0, 0},
  {"nullexnref", INRO_EXNREF, T_NULL, 0, 0, 0},
  {"v128", INRO_V128, T_V128, 0, 0, 0},
  {"anyref", INRO_FUNCREF, T_GC, 0, 0, 0},
  {"eqref", INRO_FUNCREF, T_GC, 0, 0, 0},
  {"i31ref", INRO_FUNCREF, T_GC, 0, 0, 0},
  {"structref", INRO_FUNCREF, T_GC, 0, 0, 0},
  {"arrayref", INRO_FUNCREF, T_GC, 0, 0, 0},
  {"nullref", INRO_FUNCREF, T_GC, 0, 0, 0},
};
#define NTYPES (sizeof types / sizeof types[0])

/* The lane types of a v128, and their lane counts. */
static const type_info lane_types[] = {
  {"i8", INRO_I32, T_NUM, 0xFF, 0, 0},
  {"i16", INRO_I32, T_NUM, 0xFFFF, 0, 0},
  {"i32", INRO_I32, T_NUM, UINT32_MAX, 0, 0},
  {"i64", INRO_I64, T_NUM, UINT64_MAX, 0, 0},
  {"f32", INRO_F32, T_NUM, UINT32_MAX, 0x7fc00000u, 0x7fc00000u},
  {"f64", INRO_F64, T_NUM, UINT64_MAX, 0x7ff8000000000000u, 0x7ff8000000000000u},
};
static const unsigned char lane_counts[] = {16, 8, 4, 2, 4, 2};

static const type_info *find_type(const char *name) {
  for (size_t i = 0; name && i < NTYPES; i++)
    if (!strcmp(types[i].name, name)) return &types[i];
  return NULL;
}

/* Unsigned decimal, digits only, at most max.  strtoull would also take
** signs, spaces and hex, which would hide a malformed script. */
static int parse_decimal(const char *s, uint64_t max, uint64_t *out) {
  uint64_t v = 0;
  if (!*s) return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    unsigned d = (unsigned)(*s - '0');
    if (v > (max - d) / 10) return 0;
    v = v * 10 + d;
  }
  *out = v;
  return 1;
}

/* The type and value string of a JSON value, or SPEC_FAIL / SPEC_SKIP. */
static spec_outcome split(const json_value *j, const type_info **t,
                          const char **value, char *why, size_t whylen) {
  const char *tname = json_get_string(j, "type");
  *t = find_type(tname);
  *value = json_get_string(j, "value");
  if (!*t) {
    snprintf(why, whylen, "unknown value type '%s'", tname ? tname : "");
    return SPEC_FAIL;
  }
  if ((*t)->kind == T_V128) return SPEC_PASS; /* lanes: v128_lanes */
  if ((*t)->kind == T_GC) {
    snprintf(why, whylen, "%s: a GC type (unsupported)", tname);
    return SPEC_UNSUPPORTED;
  }
  if (!*value && (*t)->kind != T_NUM) return SPEC_PASS; /* a pattern */
  if (!*value) {
    snprintf(why, whylen, "%s value is not a string", tname);
    return SPEC_FAIL;
  }
  return SPEC_PASS;
}

/* A reference value: "null" is 0; "N" is the host handle N + 1 for an
** externref (handle 0 means null in inro.h) and "some non-null function"
** for a funcref. */
static int parse_ref(const char *value, uint64_t *out) {
  if (!strcmp(value, "null")) {
    *out = 0;
    return 1;
  }
  uint64_t n;
  if (!parse_decimal(value, UINT64_MAX - 1, &n)) return 0;
  *out = n + 1;
  return 1;
}

/* A v128's lanes: their type (one of `types`) and count, in *lt and *n,
** and the array of their strings; NULL with why set if malformed. */
static const json_value *v128_lanes(const json_value *j, const type_info **lt,
                                    size_t *n, char *why, size_t whylen) {
  const char *lane = json_get_string(j, "lane_type");
  const json_value *lanes = json_get(j, "value");
  *lt = NULL;
  for (size_t i = 0; lane && i < sizeof lane_types / sizeof *lane_types; i++)
    if (!strcmp(lane_types[i].name, lane)) {
      *lt = &lane_types[i];
      *n = lane_counts[i];
    }
  if (!*lt) {
    snprintf(why, whylen, "bad v128 lane type '%s'", lane ? lane : "");
    return NULL;
  }
  if (!lanes || lanes->type != JSON_ARRAY || lanes->count != *n) {
    snprintf(why, whylen, "v128 of %s lanes needs %zu lane values", lane, *n);
    return NULL;
  }
  for (size_t i = 0; i < *n; i++)
    if (lanes->items[i].type != JSON_STRING) {
      snprintf(why, whylen, "v128 lane %zu is not a string", i);
      return NULL;
    }
  return lanes;
}

/* Lane i (of n) of a v128, as the unsigned number of its bits. */
static uint64_t v128_lane(const uint8_t *b, size_t i, size_t n) {
  size_t w = 16 / n;
  uint64_t x = 0;
  for (size_t k = w; k-- > 0;) x = x << 8 | b[i * w + k];
  return x;
}

static spec_outcome parse_v128(const json_value *arg, inro_value *out, char *why,
                               size_t whylen) {
  const type_info *lt;
  size_t n;
  const json_value *lanes = v128_lanes(arg, &lt, &n, why, whylen);
  if (!lanes) return SPEC_FAIL;
  for (size_t i = 0; i < n; i++) {
    uint64_t bits;
    if (!parse_decimal(lanes->items[i].string, lt->max, &bits)) {
      snprintf(why, whylen, "bad v128 lane value '%s'", lanes->items[i].string);
      return SPEC_FAIL;
    }
    for (size_t k = 0; k < 16 / n; k++) out->of.v128[i * (16 / n) + k] = (uint8_t)(bits >> (8 * k));
  }
  return SPEC_PASS;
}

spec_outcome spec_parse_arg(const json_value *arg, inro_value *out,
                            char *why, size_t whylen) {
  const type_info *t;
  const char *value;
  spec_outcome o = split(arg, &t, &value, why, whylen);
  if (o != SPEC_PASS) return o;
  uint64_t bits;
  memset(out, 0, sizeof *out);
  out->type = t->type;
  if (t->kind == T_V128) return parse_v128(arg, out, why, whylen);
  if (t->kind == T_NULL) return SPEC_PASS;
  if (t->kind == T_REF) {
    if (!value || !parse_ref(value, &bits)) goto bad;
    if (t->type == INRO_EXTERNREF) {
      out->of.externref = bits;
      return SPEC_PASS;
    }
    if (bits != 0) {
      snprintf(why, whylen, "non-null %s arguments are not supported", t->name);
      return SPEC_SKIP;
    }
    return SPEC_PASS;
  }
  if (!parse_decimal(value, t->max, &bits)) goto bad;
  if (t->max == UINT32_MAX)
    out->of.i32 = (uint32_t)bits; /* i32 and f32 share the same bits */
  else
    out->of.i64 = bits;
  return SPEC_PASS;
bad:
  snprintf(why, whylen, "bad %s value '%s'", t->name, value);
  return SPEC_FAIL;
}

/* The bits of a numeric value, or a reference as 0 (null) / 1 (non-null)
** for funcref and the handle for externref. */
static uint64_t bits_of(const inro_value *v) {
  switch (v->type) {
  case INRO_I32: return v->of.i32;
  case INRO_F32: return v->of.f32;
  case INRO_I64: return v->of.i64;
  case INRO_F64: return v->of.f64;
  case INRO_FUNCREF: return v->of.func != NULL;
  case INRO_EXTERNREF: return v->of.externref;
  case INRO_EXNREF: return v->of.exn != NULL;
  default: return 0;
  }
}

static int match_nan(const type_info *t, const char *value, uint64_t bits,
                     int *matched) {
  uint64_t magnitude = bits & (t->max >> 1); /* drop the sign bit */
  if (!strcmp(value, "nan:canonical"))
    *matched = magnitude == t->canonical;
  else if (!strcmp(value, "nan:arithmetic"))
    *matched = (magnitude & t->quiet) == t->quiet;
  else
    return 0;
  return 1;
}

/* got against an expected v128, lane by lane (NaN patterns allowed). */
static spec_outcome match_v128(const json_value *expected, const inro_value *got,
                               char *why, size_t whylen) {
  const type_info *lt;
  size_t n;
  char have[96];
  const json_value *lanes = v128_lanes(expected, &lt, &n, why, whylen);
  if (!lanes) return SPEC_FAIL;
  spec_format_value(got, have, sizeof have);
  if (got->type != INRO_V128) {
    snprintf(why, whylen, "expected a v128, got %s", have);
    return SPEC_FAIL;
  }
  for (size_t i = 0; i < n; i++) {
    const char *want_s = lanes->items[i].string;
    uint64_t bits = v128_lane(got->of.v128, i, n), want;
    int matched;
    if (lt->canonical && match_nan(lt, want_s, bits, &matched)) {
      /* matched is set */
    } else if (parse_decimal(want_s, lt->max, &want)) {
      matched = want == bits;
    } else {
      snprintf(why, whylen, "bad expected v128 lane '%s'", want_s);
      return SPEC_FAIL;
    }
    if (!matched) {
      snprintf(why, whylen, "v128 lane %zu: expected %s:%s, got %llu (0x%llx); %s", i, lt->name,
               want_s, (unsigned long long)bits, (unsigned long long)bits, have);
      return SPEC_FAIL;
    }
  }
  return SPEC_PASS;
}

spec_outcome spec_match(const json_value *expected, const inro_value *got,
                        char *why, size_t whylen) {
  const type_info *t;
  const char *value;
  char have[96];
  spec_outcome o = split(expected, &t, &value, why, whylen);
  if (o != SPEC_PASS) return o;
  if (t->kind == T_V128) return match_v128(expected, got, why, whylen);
  spec_format_value(got, have, sizeof have);
  if (!value) value = "(any non-null)";
  if (got->type != t->type) {
    snprintf(why, whylen, "expected %s:%s, got %s", t->name, value, have);
    return SPEC_FAIL;
  }
  uint64_t bits = bits_of(got), want;
  int matched = 0;
  if (t->canonical && match_nan(t, value, bits, &matched)) {
    /* matched is set */
  } else if (t->kind == T_NULL) {
    matched = bits == 0;
  } else if (t->kind == T_REF && !json_get_string(expected, "value")) {
    matched = bits != 0; /* the pattern (ref.func), (ref.extern): any non-null */
  } else if (t->kind == T_REF) {
    if (!parse_ref(value, &want)) goto bad;
    /* Any non-null funcref or exnref matches a non-null expectation. */
    matched = t->type != INRO_EXTERNREF ? (want != 0) == (bits != 0) : want == bits;
  } else {
    if (!parse_decimal(value, t->max, &want)) goto bad;
    matched = want == bits;
  }
  if (matched) return SPEC_PASS;
  snprintf(why, whylen, "expected %s:%s, got %s", t->name, value, have);
  return SPEC_FAIL;
bad:
  snprintf(why, whylen, "bad expected %s value '%s'", t->name, value);
  return SPEC_FAIL;
}

void spec_format_value(const inro_value *v, char *buf, size_t len) {
  const char *name = cli_type_name(v->type);
  switch (v->type) {
  case INRO_I32:
  case INRO_I64:
  case INRO_F32:
  case INRO_F64:
    /* Decimal like the scripts, hex to read float bits by eye. */
    snprintf(buf, len, "%s:%llu (0x%llx)", name,
             (unsigned long long)bits_of(v), (unsigned long long)bits_of(v));
    break;
  case INRO_FUNCREF:
    snprintf(buf, len, "funcref:%s", v->of.func ? "non-null" : "null");
    break;
  case INRO_EXNREF:
    snprintf(buf, len, "exnref:%s", v->of.exn ? "non-null" : "null");
    break;
  case INRO_V128: /* as i32x4, lane 0 first */
    snprintf(buf, len, "v128:i32x4 0x%08llx 0x%08llx 0x%08llx 0x%08llx",
             (unsigned long long)v128_lane(v->of.v128, 0, 4),
             (unsigned long long)v128_lane(v->of.v128, 1, 4),
             (unsigned long long)v128_lane(v->of.v128, 2, 4),
             (unsigned long long)v128_lane(v->of.v128, 3, 4));
    break;
  case INRO_EXTERNREF:
    if (v->of.externref == 0)
      snprintf(buf, len, "externref:null");
    else
      snprintf(buf, len, "externref:%llu",
               (unsigned long long)(v->of.externref - 1));
    break;
  default:
    snprintf(buf, len, "<value of type 0x%x>", (unsigned)v->type);
    break;
  }
}
