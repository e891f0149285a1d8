/*
** numeric_test.c -- the numeric operators the runtime uses (num_* of
** exec/numeric.h) against their portable forms (num_*_c), on edge values
** and pseudo-random ones.
**
** Built natively (the GCC/clang builtins) and to Wasm (the self-hosting
** profile: the host's own f64.min, i32.clz, i32.trunc_sat_f64_s ...), and
** the Wasm build is run by node and by inro, so each form is compared on
** every kind of host it is used on.  Prints a line per failing value (at
** most 20) and per failing operator, and "N passed, M failed" at the end,
** counting operators (an operator passes when all its values do).
*/
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "exec/numeric.h"

/* Each operator's name (a string literal, so one pointer) and counts. */
static struct { const char *name; long values, failed; } ops[64];
static int nops;
static long failed_values;

static void result(int ok, const char *op, uint64_t x, uint64_t y,
                   uint64_t got, uint64_t want) {
  int i = 0;
  while (i < nops && ops[i].name != op) i++;
  if (i == nops) {
    if (nops == (int)(sizeof ops / sizeof *ops)) { puts("FAIL: too many operators"); return; }
    ops[nops++].name = op;
  }
  ops[i].values++;
  if (ok) return;
  ops[i].failed++;
  if (++failed_values <= 20)
    printf("FAIL: %s(0x%llx, 0x%llx) = 0x%llx, portable 0x%llx\n", op,
           (unsigned long long)x, (unsigned long long)y,
           (unsigned long long)got, (unsigned long long)want);
}

static uint64_t bits64(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static uint32_t bits32(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }
static double from64(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static float from32(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }

/* Equal bits, or both NaN with the result quiet (Wasm's arithmetic NaN). */
static int same64(double got, double want) {
  if (want != want) return got != got && (bits64(got) & 0x0008000000000000ull);
  return bits64(got) == bits64(want);
}
static int same32(float got, float want) {
  if (want != want) return got != got && (bits32(got) & 0x00400000u);
  return bits32(got) == bits32(want);
}

/* The values: edges, then a xorshift sequence (fixed seed). */
enum { RANDOM = 3000 };
static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
  state ^= state << 13, state ^= state >> 7, state ^= state << 17;
  return state;
}
static const uint64_t int_edges[] = {
  0, 1, 2, 3, 0x10, 0x7F, 0x80, 0xFF, 0x7FFFFFFF, 0x80000000, 0x80000001,
  0xFFFFFFFE, 0xFFFFFFFF, 0x100000000ull, 0x7FFFFFFFFFFFFFFFull,
  0x8000000000000000ull, 0xFFFFFFFFFFFFFFFFull, 0x0123456789ABCDEFull,
};
static const double float_edges[] = {
  0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -1.5, 2.5, -2.5, -0.9, 0.49999999999999994,
  2147483647.0, 2147483647.5, 2147483648.0, -2147483648.0, -2147483648.5,
  -2147483649.0, 4294967295.0, 4294967295.5, 4294967296.0,
  9223372036854775807.0, -9223372036854775808.0, 18446744073709551615.0,
  18446744073709551616.0, 4503599627370496.5, DBL_MAX, -DBL_MAX, DBL_MIN,
  4.9406564584124654e-324, 1e300, -1e300, 3.4028234663852886e38,
};
static const uint64_t nan_bits[] = { /* quiet, negative, signalling, payload */
  0x7FF8000000000000ull, 0xFFF8000000000000ull, 0x7FF4000000000000ull,
  0x7FF0000000000001ull, 0x7FF0000000000000ull, 0xFFF0000000000000ull,
};

static void check_ints(uint64_t x, uint64_t y) {
  uint32_t a = (uint32_t)x, b = (uint32_t)y;
  result(num_clz32(a) == num_clz32_c(a), "clz32", a, 0, num_clz32(a), num_clz32_c(a));
  result(num_ctz32(a) == num_ctz32_c(a), "ctz32", a, 0, num_ctz32(a), num_ctz32_c(a));
  result(num_clz64(x) == num_clz64_c(x), "clz64", x, 0, num_clz64(x), num_clz64_c(x));
  result(num_ctz64(x) == num_ctz64_c(x), "ctz64", x, 0, num_ctz64(x), num_ctz64_c(x));
  result(num_popcnt64(x) == num_popcnt64_c(x), "popcnt64", x, 0, num_popcnt64(x), num_popcnt64_c(x));
  result(num_shr_s32(a, b) == num_shr_s32_c(a, b), "shr_s32", a, b,
         num_shr_s32(a, b), num_shr_s32_c(a, b));
  result(num_shr_s64(x, y) == num_shr_s64_c(x, y), "shr_s64", x, y,
         num_shr_s64(x, y), num_shr_s64_c(x, y));
  /* Rotates have one form: against the definition, bit by bit. */
  uint32_t want32 = 0;
  for (unsigned i = 0; i < 32; i++)
    if (a >> i & 1) want32 |= 1u << ((i + b) & 31);
  result(num_rotl32(a, b) == want32, "rotl32", a, b, num_rotl32(a, b), want32);
  result(num_rotr32(want32, b) == a, "rotr32", want32, b, num_rotr32(want32, b), a);
  uint64_t want64 = 0;
  for (unsigned i = 0; i < 64; i++)
    if (x >> i & 1) want64 |= 1ull << ((i + y) & 63);
  result(num_rotl64(x, y) == want64, "rotl64", x, y, num_rotl64(x, y), want64);
  result(num_rotr64(want64, y) == x, "rotr64", want64, y, num_rotr64(want64, y), x);
}

#define CHECK_ROUND(fn, x)                                                        \
  { double g_ = NUM_ROUND(fn, x), w_ = NUM_ROUND_C(fn, x);                        \
    result(same64(g_, w_), #fn, bits64(x), 0, bits64(g_), bits64(w_)); }
#define CHECK_ROUND32(fn, x)                                                      \
  { float g_ = NUM_ROUND(fn, x), w_ = NUM_ROUND_C(fn, x);                         \
    result(same32(g_, w_), #fn, bits32(x), 0, bits32(g_), bits32(w_)); }
#define CHECK_SAT(name, x)                                                        \
  result(num_##name(x) == num_##name##_c(x), #name, bits64(x), 0, num_##name(x), \
         num_##name##_c(x))

/* A double as a float; a NaN keeps its sign, quiet bit and top payload
** (C's conversion may quiet a signalling NaN). */
static float narrow(double x) {
  if (x == x) return (float)x;
  uint64_t b = bits64(x);
  uint32_t payload = (uint32_t)(b >> 29) & 0x007FFFFFu;
  return from32((uint32_t)(b >> 32 & 0x80000000u) | 0x7F800000u | (payload ? payload : 1));
}

static void check_floats(double x, double y) {
  float fx = narrow(x), fy = narrow(y);
  double g, w;
  float gf, wf;
  g = num_fmin64(x, y), w = num_fmin64_c(x, y);
  result(same64(g, w), "fmin64", bits64(x), bits64(y), bits64(g), bits64(w));
  g = num_fmax64(x, y), w = num_fmax64_c(x, y);
  result(same64(g, w), "fmax64", bits64(x), bits64(y), bits64(g), bits64(w));
  gf = num_fmin32(fx, fy), wf = num_fmin32_c(fx, fy);
  result(same32(gf, wf), "fmin32", bits32(fx), bits32(fy), bits32(gf), bits32(wf));
  gf = num_fmax32(fx, fy), wf = num_fmax32_c(fx, fy);
  result(same32(gf, wf), "fmax32", bits32(fx), bits32(fy), bits32(gf), bits32(wf));
  CHECK_ROUND(nearbyint, x);
  CHECK_ROUND(ceil, x);
  CHECK_ROUND(floor, x);
  CHECK_ROUND(trunc, x);
  CHECK_ROUND32(nearbyintf, fx);
  CHECK_ROUND32(ceilf, fx);
  CHECK_ROUND32(floorf, fx);
  CHECK_ROUND32(truncf, fx);
  CHECK_SAT(sat_i32_s, x);
  CHECK_SAT(sat_i32_u, x);
  CHECK_SAT(sat_i64_s, x);
  CHECK_SAT(sat_i64_u, x);
  CHECK_SAT(sat_i32_s, (double)fx);
  CHECK_SAT(sat_i64_u, (double)fx);
}

int main(void) {
  size_t ni = sizeof int_edges / sizeof *int_edges;
  size_t nf = sizeof float_edges / sizeof *float_edges;
  size_t nn = sizeof nan_bits / sizeof *nan_bits;
  for (size_t i = 0; i < ni; i++) {
    for (size_t j = 0; j < ni; j++) check_ints(int_edges[i], int_edges[j]);
    for (uint64_t s = 0; s < 130; s++) check_ints(int_edges[i], s);
  }
  for (int k = 0; k < RANDOM; k++) {
    uint64_t r = next();
    check_ints(r, next() & 127);
    check_ints(r >> (r & 63), r);
  }
  /* Floats: each edge, negated, with NaNs, and random bit patterns. */
  for (size_t i = 0; i < nf; i++)
    for (size_t j = 0; j < nf; j++) {
      check_floats(float_edges[i], float_edges[j]);
      check_floats(-float_edges[i], float_edges[j]);
    }
  for (size_t i = 0; i < nn; i++)
    for (size_t j = 0; j < nf; j++) {
      check_floats(from64(nan_bits[i]), float_edges[j]);
      check_floats(float_edges[j], from64(nan_bits[i]));
    }
  for (int k = 0; k < RANDOM; k++) {
    double a = from64(next()), b = from64(next());
    check_floats(a, b);
    check_floats((double)(int64_t)next() / 4096.0, a);
  }
  int passed = 0, failed = 0;
  for (int i = 0; i < nops; i++) {
    if (ops[i].failed) {
      failed++;
      printf("FAIL: %s: %ld of %ld values differ\n", ops[i].name, ops[i].failed, ops[i].values);
    } else {
      passed++;
    }
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
