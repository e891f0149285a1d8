/*
** numeric.h -- WebAssembly numeric operators that C does not give
** directly, written without undefined behaviour and without relying on
** the host's compiler builtins, so they mean the same on every host.
*/
#ifndef INRO_NUMERIC_H
#define INRO_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t num_clz32(uint32_t x) {
  if (!x) return 32;
  uint32_t n = 0;
  while (!(x & 0x80000000u)) { x <<= 1; n++; }
  return n;
}
static inline uint64_t num_clz64(uint64_t x) {
  if (!x) return 64;
  uint64_t n = 0;
  while (!(x & 0x8000000000000000ull)) { x <<= 1; n++; }
  return n;
}
static inline uint32_t num_ctz32(uint32_t x) {
  if (!x) return 32;
  uint32_t n = 0;
  while (!(x & 1)) { x >>= 1; n++; }
  return n;
}
static inline uint64_t num_ctz64(uint64_t x) {
  if (!x) return 64;
  uint64_t n = 0;
  while (!(x & 1)) { x >>= 1; n++; }
  return n;
}
static inline uint32_t num_popcnt64(uint64_t x) {
  uint32_t n = 0;
  while (x) { x &= x - 1; n++; }
  return n;
}
static inline uint32_t num_rotl32(uint32_t a, uint32_t b) {
  b &= 31;
  return b ? (a << b) | (a >> (32 - b)) : a;
}
static inline uint32_t num_rotr32(uint32_t a, uint32_t b) {
  b &= 31;
  return b ? (a >> b) | (a << (32 - b)) : a;
}
static inline uint64_t num_rotl64(uint64_t a, uint64_t b) {
  b &= 63;
  return b ? (a << b) | (a >> (64 - b)) : a;
}
static inline uint64_t num_rotr64(uint64_t a, uint64_t b) {
  b &= 63;
  return b ? (a >> b) | (a << (64 - b)) : a;
}
/* Arithmetic shift right on the unsigned representation (C leaves >> of
** negative values implementation-defined). */
static inline uint32_t num_shr_s32(uint32_t a, uint32_t b) {
  b &= 31;
  uint32_t r = a >> b;
  if ((a & 0x80000000u) && b) r |= ~(uint32_t)0 << (32 - b);
  return r;
}
static inline uint64_t num_shr_s64(uint64_t a, uint64_t b) {
  b &= 63;
  uint64_t r = a >> b;
  if ((a & 0x8000000000000000ull) && b) r |= ~(uint64_t)0 << (64 - b);
  return r;
}

/* min/max: NaN if either is NaN, and -0 < +0. */
static inline float num_fmin32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline float num_fmax32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
static inline double num_fmin64(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline double num_fmax64(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}

/* Rounding functions: libm may return a signalling NaN unchanged, while
** Wasm requires a quiet (arithmetic) NaN; x + x quiets it. */
#define NUM_ROUND(fn, x) ((x) != (x) ? (x) + (x) : fn(x))

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

/* Saturating float -> int. */
static inline uint32_t num_sat_i32_s(double x) {
  if (x != x) return 0;
  if (x <= -2147483649.0) return 0x80000000u;
  if (x >= 2147483648.0) return 0x7FFFFFFFu;
  return (uint32_t)(int32_t)x;
}
static inline uint32_t num_sat_i32_u(double x) {
  if (x != x || x <= -1.0) return 0;
  if (x >= 4294967296.0) return 0xFFFFFFFFu;
  return (uint32_t)x;
}
static inline uint64_t num_sat_i64_s(double x) {
  if (x != x) return 0;
  if (x < -9223372036854775808.0) return 0x8000000000000000ull;
  if (x >= 9223372036854775808.0) return 0x7FFFFFFFFFFFFFFFull;
  return (uint64_t)(int64_t)x;
}
static inline uint64_t num_sat_i64_u(double x) {
  if (x != x || x <= -1.0) return 0;
  if (x >= 18446744073709551616.0) return 0xFFFFFFFFFFFFFFFFull;
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
