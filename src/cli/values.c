/*
** values.c -- Wasm values as command-line text: the arguments of
** `inro run --invoke` and the results it prints (also after `inro
** restore` of a run started that way).
**
** A v128 is SHAPE:LANE,LANE,... with lane 0 first: printed as i32x4 lanes
** in hexadecimal, which is exact and the same on every host (also by
** `inro inspect`); read in any shape (i8x16 i16x8 i32x4 i64x2 f32x4
** f64x2), integer lanes in decimal (with a sign) or 0x hexadecimal, float
** lanes as strtod reads them.
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/str.h"

/* An integer: decimal or 0x hex, with an optional '-' for its two's
** complement; out of the type's range is an error, never a wrap. */
static int parse_int(const char *s, inro_valtype t, inro_value *v) {
  int neg = s[0] == '-';
  uint64_t u;
  uint64_t lim = t == INRO_I32 ? (neg ? 0x80000000u : 0xffffffffu)
                               : (neg ? (uint64_t)1 << 63 : UINT64_MAX);
  if (!str_to_u64(s + neg, &u) || u > lim) return 1;
  if (neg) u = 0 - u;
  if (t == INRO_I32) v->of.i32 = (uint32_t)u;
  else v->of.i64 = u;
  return 0;
}

/* ---------------------------------------------------------------- v128 */

void cli_v128_format(const uint8_t *b, char *buf, size_t len) {
  uint32_t w[4];
  for (int i = 0; i < 4; i++)
    w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
           (uint32_t)b[4 * i + 3] << 24;
  snprintf(buf, len, "i32x4:0x%08x,0x%08x,0x%08x,0x%08x", (unsigned)w[0], (unsigned)w[1],
           (unsigned)w[2], (unsigned)w[3]);
}

/* One integer lane of `bytes` bytes: its bits, or 0 when malformed or
** out of range for both readings (signed and unsigned). */
static int parse_int_lane(const char *s, const char *end, unsigned bytes, uint64_t *out) {
  char text[64];
  size_t n = (size_t)(end - s);
  if (n == 0 || n >= sizeof text) return 0;
  memcpy(text, s, n);
  text[n] = 0;
  int neg = text[0] == '-';
  if (text[neg] == '-' || text[neg] == '+' || text[neg] == ' ') return 0;
  char *stop;
  unsigned long long u = strtoull(text + neg, &stop, 0);
  if (stop == text + neg || *stop) return 0;
  unsigned long long max = bytes == 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
  unsigned long long min = bytes == 8 ? 1ull << 63 : 1ull << (8 * bytes - 1);
  if (neg ? u > min : u > max) return 0;
  *out = neg ? 0 - u : u;
  return 1;
}

static int parse_float_lane(const char *s, const char *end, int is_f32, uint64_t *out) {
  char text[128];
  size_t n = (size_t)(end - s);
  if (n == 0 || n >= sizeof text) return 0;
  memcpy(text, s, n);
  text[n] = 0;
  char *stop;
  if (is_f32) {
    float f = strtof(text, &stop);
    uint32_t bits;
    memcpy(&bits, &f, 4);
    *out = bits;
  } else {
    double d = strtod(text, &stop);
    memcpy(out, &d, 8);
  }
  return stop != text && !*stop;
}

int cli_v128_parse(const char *s, uint8_t *b) {
  static const struct {
    const char *name;
    unsigned lanes;
    int is_float;
  } shapes[] = {{"i8x16", 16, 0}, {"i16x8", 8, 0}, {"i32x4", 4, 0},
                {"i64x2", 2, 0},  {"f32x4", 4, 1}, {"f64x2", 2, 1}};
  const char *colon = strchr(s, ':');
  if (!colon) return 0;
  for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
    if (strlen(shapes[k].name) != (size_t)(colon - s) ||
        strncmp(s, shapes[k].name, (size_t)(colon - s)))
      continue;
    unsigned lanes = shapes[k].lanes, bytes = 16 / lanes;
    const char *p = colon + 1;
    for (unsigned i = 0; i < lanes; i++) {
      const char *end = strchr(p, ',');
      if (!end) end = p + strlen(p);
      if ((i + 1 < lanes) != (*end == ',')) return 0; /* too few or too many */
      uint64_t bits;
      int ok = shapes[k].is_float ? parse_float_lane(p, end, bytes == 4, &bits)
                                  : parse_int_lane(p, end, bytes, &bits);
      if (!ok) return 0;
      for (unsigned j = 0; j < bytes; j++) b[i * bytes + j] = (uint8_t)(bits >> (8 * j));
      p = end + 1;
    }
    return 1;
  }
  return 0;
}

/* -------------------------------------------------------------- values */

int cli_parse_value(const char *s, inro_valtype t, inro_value *v) {
  char *end = NULL;
  memset(v, 0, sizeof *v);
  v->type = t;
  if (t == INRO_I32 || t == INRO_I64) return parse_int(s, t, v);
  if (t == INRO_V128) return !cli_v128_parse(s, v->of.v128);
  if (isspace((unsigned char)s[0])) return 1;
  errno = 0;
  if (t == INRO_F32) {
    float f = strtof(s, &end);
    if (errno == ERANGE && isinf(f)) return 1; /* overflow, not "inf" */
    memcpy(&v->of.f32, &f, 4);
  } else if (t == INRO_F64) {
    double d = strtod(s, &end);
    if (errno == ERANGE && isinf(d)) return 1;
    memcpy(&v->of.f64, &d, 8);
  } else {
    return 1;
  }
  return end == s || *end;
}

/* The shortest decimal that reads back as the same value. */
static void print_float(double d, int digits_max, int is_f32) {
  if (isnan(d)) {
    printf("%snan\n", signbit(d) ? "-" : "");
    return;
  }
  if (isinf(d)) {
    printf("%sinf\n", d < 0 ? "-" : "");
    return;
  }
  char buf[64];
  for (int p = 1; p <= digits_max; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, d);
    if (is_f32 ? strtof(buf, NULL) == (float)d : strtod(buf, NULL) == d) break;
  }
  printf("%s\n", buf);
}

void cli_print_value(const inro_value *v) {
  printf("%s:", cli_type_name(v->type));
  switch (v->type) {
  case INRO_I32: printf("%d\n", (int)(int32_t)v->of.i32); break;
  case INRO_I64: printf("%lld\n", (long long)(int64_t)v->of.i64); break;
  case INRO_F32: {
    float f;
    memcpy(&f, &v->of.f32, 4);
    print_float(f, 9, 1);
    break;
  }
  case INRO_F64: {
    double d;
    memcpy(&d, &v->of.f64, 8);
    print_float(d, 17, 0);
    break;
  }
  case INRO_FUNCREF: printf("%s\n", v->of.func ? "func" : "null"); break;
  case INRO_EXNREF: printf("%s\n", v->of.exn ? "exn" : "null"); break;
  case INRO_V128: {
    char buf[64];
    cli_v128_format(v->of.v128, buf, sizeof buf);
    printf("%s\n", buf);
    break;
  }
  case INRO_EXTERNREF:
    if (v->of.externref) printf("%llu\n", (unsigned long long)v->of.externref);
    else printf("null\n");
    break;
  default: printf("?\n"); break;
  }
}
