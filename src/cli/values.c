/*
** values.c -- Wasm values as command-line text: the arguments of
** `inro run --invoke` and the results it prints (also after `inro
** restore` of a run started that way).
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

int cli_parse_value(const char *s, inro_valtype t, inro_value *v) {
  char *end = NULL;
  memset(v, 0, sizeof *v);
  v->type = t;
  if (t == INRO_I32 || t == INRO_I64) return parse_int(s, t, v);
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
  case INRO_EXTERNREF:
    if (v->of.externref) printf("%llu\n", (unsigned long long)v->of.externref);
    else printf("null\n");
    break;
  default: printf("?\n"); break;
  }
}
