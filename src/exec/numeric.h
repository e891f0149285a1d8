/*
** numeric.h -- WebAssembly numeric operators that C does not give
** directly.
**
** Each operator with checks in it has a portable form, num_*_c: plain
** C11, without undefined behaviour or compiler builtins, meaning the same
** on every host.  The interpreter calls num_*, which is that form unless
** the compiler has one instruction with exactly Wasm's meaning:
**
**   - inro compiled to Wasm (the self-hosting profile, docs/performance.md):
**     the host's own f32.min, f64.nearest, i32.trunc_sat_f64_s, i32.clz
**     and i32.shr_s.  The host already makes their checks (NaN, -0,
**     range, zero, sign), so inro.wasm does not make them a second time;
**   - GCC or clang natively: the bit-counting builtins (guarded for zero,
**     where they are undefined) and the arithmetic right shift these
**     compilers define for negative values.
**
** INRO_PORTABLE_NUMERIC keeps the portable forms everywhere.  Checks that
** end in a guest trap (division, trapping conversions) are made in every
** build: the host's own check would end inro instead of the guest.
** tests/numeric_test.c compares the two forms, natively and on Wasm hosts.
*/
#ifndef INRO_NUMERIC_H
#define INRO_NUMERIC_H

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && !defined(INRO_PORTABLE_NUMERIC)
#define NUM_GNU 1
#else
#define NUM_GNU 0
#endif
#if defined(__wasm__) && !defined(INRO_PORTABLE_NUMERIC)
#define NUM_WASM_HOST 1
#else
#define NUM_WASM_HOST 0
#endif
#if NUM_WASM_HOST && defined(__wasm_nontrapping_fptoint__)
#define NUM_WASM_SAT 1
#else
#define NUM_WASM_SAT 0
#endif

/* ------------------------------------------------------ portable forms */

static inline uint32_t num_clz32_c(uint32_t x) {
  if (!x) return 32;
  uint32_t n = 0;
  while (!(x & 0x80000000u)) { x <<= 1; n++; }
  return n;
}
static inline uint64_t num_clz64_c(uint64_t x) {
  if (!x) return 64;
  uint64_t n = 0;
  while (!(x & 0x8000000000000000ull)) { x <<= 1; n++; }
  return n;
}
static inline uint32_t num_ctz32_c(uint32_t x) {
  if (!x) return 32;
  uint32_t n = 0;
  while (!(x & 1)) { x >>= 1; n++; }
  return n;
}
static inline uint64_t num_ctz64_c(uint64_t x) {
  if (!x) return 64;
  uint64_t n = 0;
  while (!(x & 1)) { x >>= 1; n++; }
  return n;
}
static inline uint32_t num_popcnt64_c(uint64_t x) {
  uint32_t n = 0;
  while (x) { x &= x - 1; n++; }
  return n;
}
/* Arithmetic shift right on the unsigned representation (C leaves >> of
** negative values implementation-defined). */
static inline uint32_t num_shr_s32_c(uint32_t a, uint32_t b) {
  b &= 31;
  uint32_t r = a >> b;
  if ((a & 0x80000000u) && b) r |= ~(uint32_t)0 << (32 - b);
  return r;
}
static inline uint64_t num_shr_s64_c(uint64_t a, uint64_t b) {
  b &= 63;
  uint64_t r = a >> b;
  if ((a & 0x8000000000000000ull) && b) r |= ~(uint64_t)0 << (64 - b);
  return r;
}

/* min/max: NaN if either is NaN, and -0 < +0. */
static inline float num_fmin32_c(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline float num_fmax32_c(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
static inline double num_fmin64_c(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline double num_fmax64_c(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}

/* Rounding functions: libm may return a signalling NaN unchanged, while
** Wasm requires a quiet (arithmetic) NaN; x + x quiets it. */
#define NUM_ROUND_C(fn, x) ((x) != (x) ? (x) + (x) : fn(x))

/* Saturating float -> int. */
static inline uint32_t num_sat_i32_s_c(double x) {
  if (x != x) return 0;
  if (x <= -2147483649.0) return 0x80000000u;
  if (x >= 2147483648.0) return 0x7FFFFFFFu;
  return (uint32_t)(int32_t)x;
}
static inline uint32_t num_sat_i32_u_c(double x) {
  if (x != x || x <= -1.0) return 0;
  if (x >= 4294967296.0) return 0xFFFFFFFFu;
  return (uint32_t)x;
}
static inline uint64_t num_sat_i64_s_c(double x) {
  if (x != x) return 0;
  if (x < -9223372036854775808.0) return 0x8000000000000000ull;
  if (x >= 9223372036854775808.0) return 0x7FFFFFFFFFFFFFFFull;
  return (uint64_t)(int64_t)x;
}
static inline uint64_t num_sat_i64_u_c(double x) {
  if (x != x || x <= -1.0) return 0;
  if (x >= 18446744073709551616.0) return 0xFFFFFFFFFFFFFFFFull;
  return (uint64_t)x;
}

/* ------------------------------------------- the forms the runtime uses */

#if NUM_GNU && UINT_MAX == 0xFFFFFFFFu && ULLONG_MAX == 0xFFFFFFFFFFFFFFFFull
static inline uint32_t num_clz32(uint32_t x) { return x ? (uint32_t)__builtin_clz(x) : 32; }
static inline uint64_t num_clz64(uint64_t x) { return x ? (uint64_t)__builtin_clzll(x) : 64; }
static inline uint32_t num_ctz32(uint32_t x) { return x ? (uint32_t)__builtin_ctz(x) : 32; }
static inline uint64_t num_ctz64(uint64_t x) { return x ? (uint64_t)__builtin_ctzll(x) : 64; }
static inline uint32_t num_popcnt64(uint64_t x) { return (uint32_t)__builtin_popcountll(x); }
#else
#define num_clz32 num_clz32_c
#define num_clz64 num_clz64_c
#define num_ctz32 num_ctz32_c
#define num_ctz64 num_ctz64_c
#define num_popcnt64 num_popcnt64_c
#endif

#if NUM_GNU /* >> of a negative value extends the sign (GCC manual, 4.5) */
static inline uint32_t num_shr_s32(uint32_t a, uint32_t b) {
  return (uint32_t)((int32_t)a >> (b & 31));
}
static inline uint64_t num_shr_s64(uint64_t a, uint64_t b) {
  return (uint64_t)((int64_t)a >> (b & 63));
}
#else
#define num_shr_s32 num_shr_s32_c
#define num_shr_s64 num_shr_s64_c
#endif

#if NUM_WASM_HOST
#define num_fmin32 __builtin_wasm_min_f32
#define num_fmax32 __builtin_wasm_max_f32
#define num_fmin64 __builtin_wasm_min_f64
#define num_fmax64 __builtin_wasm_max_f64
#define NUM_ROUND(fn, x) fn(x) /* the host's instruction returns a quiet NaN */
#else
#define num_fmin32 num_fmin32_c
#define num_fmax32 num_fmax32_c
#define num_fmin64 num_fmin64_c
#define num_fmax64 num_fmax64_c
#define NUM_ROUND NUM_ROUND_C
#endif

#if NUM_WASM_SAT
#define num_sat_i32_s(x) ((uint32_t)__builtin_wasm_trunc_saturate_s_i32_f64(x))
#define num_sat_i32_u(x) ((uint32_t)__builtin_wasm_trunc_saturate_u_i32_f64(x))
#define num_sat_i64_s(x) ((uint64_t)__builtin_wasm_trunc_saturate_s_i64_f64(x))
#define num_sat_i64_u(x) ((uint64_t)__builtin_wasm_trunc_saturate_u_i64_f64(x))
#else
#define num_sat_i32_s num_sat_i32_s_c
#define num_sat_i32_u num_sat_i32_u_c
#define num_sat_i64_s num_sat_i64_s_c
#define num_sat_i64_u num_sat_i64_u_c
#endif

/* Rotates: one form, which compilers turn into the rotate instruction
** (no branch for a count of 0: a >> 0 | a << 0 is a). */
static inline uint32_t num_rotl32(uint32_t a, uint32_t b) {
  b &= 31;
  return (a << b) | (a >> ((32 - b) & 31));
}
static inline uint32_t num_rotr32(uint32_t a, uint32_t b) {
  b &= 31;
  return (a >> b) | (a << ((32 - b) & 31));
}
static inline uint64_t num_rotl64(uint64_t a, uint64_t b) {
  b &= 63;
  return (a << b) | (a >> ((64 - b) & 63));
}
static inline uint64_t num_rotr64(uint64_t a, uint64_t b) {
  b &= 63;
  return (a >> b) | (a << ((64 - b) & 63));
}

/* Trapping float -> int: return 0 and set *ok = 0 when out of range (the
** caller picks "invalid conversion" for NaN and "integer overflow" else).
** Bounds are exact doubles; floats convert to double exactly. */
static inline uint32_t num_trunc_i32_s(double x, int *ok) {
  if (!(x > -2147483649.0 && x < 2147483648.0)) { *ok = 0; return 0; }
  return (uint32_t)(int32_t)x;
}
static inline uint32_t num_trunc_i32_u(double x, int *ok) {
  if (!(x > -1.0 && x < 4294967296.0)) { *ok = 0; return 0; }
  return (uint32_t)x;
}
static inline uint64_t num_trunc_i64_s(double x, int *ok) {
  if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) { *ok = 0; return 0; }
  return (uint64_t)(int64_t)x;
}
static inline uint64_t num_trunc_i64_u(double x, int *ok) {
  if (!(x > -1.0 && x < 18446744073709551616.0)) { *ok = 0; return 0; }
  return (uint64_t)x;
}

/* Slot <-> value, bit-exact. */
static inline float num_f32(uint64_t s) {
  uint32_t b = (uint32_t)s;
  float f;
  memcpy(&f, &b, 4);
  return f;
}
static inline double num_f64(uint64_t s) {
  double d;
  memcpy(&d, &s, 8);
  return d;
}
static inline uint64_t num_from_f32(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}
static inline uint64_t num_from_f64(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

#endif
