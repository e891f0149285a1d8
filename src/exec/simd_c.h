/*
** simd_c.h -- the v128 instructions in portable C (simd_c_*): plain C11,
** without undefined behaviour, vector extensions or intrinsics, meaning
** the same on every host.
**
** exec/simd.c builds the interpreter's lane functions (simd_*) from
** these, or from the host's own instruction where inro is compiled to a
** Wasm host with SIMD (the self-hosting profile); tests/simd_test.c
** compares the two.  Semantics are the spec's: lanes in little-endian
** order, integer arithmetic modulo the lane width unless saturating,
** float operations as IEEE 754 (with Wasm's min/max and rounding, and a
** NaN result a quiet NaN), and relaxed instructions in the deterministic
** profile (binary/opcodes_simd.h).
**
** A vector is its 16 bytes in Wasm's order (simd_v); in a frame it is
** two slots, bytes 0-7 and 8-15 as little-endian numbers (exec/ir.h).
** Lanes are read and written through little-endian helpers: on a
** little-endian host they are the union's arrays of lanes, so that the
** compiler turns a loop over the lanes into its own vector instructions
** (GCC and clang do at -O2); elsewhere the bytes are assembled.
*/
#ifndef INRO_SIMD_C_H
#define INRO_SIMD_C_H

#include <stdint.h>
#include <string.h>

#include "exec/numeric.h"

typedef union simd_v {
  uint8_t b[16];
  uint16_t h[8];  /* the lane arrays: used on little-endian hosts only */
  uint32_t w[4];
  uint64_t d[2];
  int8_t sb[16];
  int16_t sh[8];
  int32_t sw[4];
  int64_t sd[2];
  float f[4];
  double g[2];
} simd_v;

/* tests/simd_test.c defines SIMD_LE 0 to compare the byte forms with the
** lane arrays on a little-endian host. */
#ifndef SIMD_LE
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SIMD_LE 1
#else
#define SIMD_LE 0
#endif
#endif

/* Bytes i .. i+n-1 of v as a little-endian number, and back. */
static inline uint64_t simd_bytes_get(const uint8_t *p, unsigned n) {
  uint64_t x = 0;
#if SIMD_LE
  memcpy(&x, p, n);
#else
  for (unsigned i = 0; i < n; i++) x |= (uint64_t)p[i] << (8 * i);
#endif
  return x;
}
static inline void simd_bytes_put(uint8_t *p, uint64_t x, unsigned n) {
#if SIMD_LE
  memcpy(p, &x, n);
#else
  for (unsigned i = 0; i < n; i++) p[i] = (uint8_t)(x >> (8 * i));
#endif
}

/* Two frame slots <-> a vector. */
static inline simd_v simd_from_slots(const uint64_t *s) {
  simd_v v;
#if SIMD_LE
  memcpy(v.b, s, 16);
#else
  simd_bytes_put(v.b, s[0], 8);
  simd_bytes_put(v.b + 8, s[1], 8);
#endif
  return v;
}
static inline void simd_to_slots(uint64_t *s, const simd_v *v) {
#if SIMD_LE
  memcpy(s, v->b, 16);
#else
  s[0] = simd_bytes_get(v->b, 8);
  s[1] = simd_bytes_get(v->b + 8, 8);
#endif
}

/* Lane accessors, lane i of each shape.  Signed lanes are computed from
** the unsigned ones arithmetically (no implementation-defined casts). */
static inline uint32_t simd_u8(const simd_v *v, int i) { return v->b[i]; }
#if SIMD_LE
static inline uint32_t simd_u16(const simd_v *v, int i) { return v->h[i]; }
static inline uint32_t simd_u32(const simd_v *v, int i) { return v->w[i]; }
static inline uint64_t simd_u64(const simd_v *v, int i) { return v->d[i]; }
#else
static inline uint32_t simd_u16(const simd_v *v, int i) {
  return (uint32_t)simd_bytes_get(v->b + 2 * i, 2);
}
static inline uint32_t simd_u32(const simd_v *v, int i) {
  return (uint32_t)simd_bytes_get(v->b + 4 * i, 4);
}
static inline uint64_t simd_u64(const simd_v *v, int i) {
  return simd_bytes_get(v->b + 8 * i, 8);
}
#endif
static inline int32_t simd_sx(uint32_t x, unsigned bits) { /* bits < 32 */
  return (int32_t)x - (int32_t)((x >> (bits - 1) & 1) << bits);
}
static inline int32_t simd_s32_of(uint32_t x) {
  return x >> 31 ? -(int32_t)(~x) - 1 : (int32_t)x;
}
static inline int64_t simd_s64_of(uint64_t x) {
  return x >> 63 ? -(int64_t)(~x) - 1 : (int64_t)x;
}
#if SIMD_LE /* the same bytes read as two's complement lanes */
static inline int32_t simd_s8(const simd_v *v, int i) { return v->sb[i]; }
static inline int32_t simd_s16(const simd_v *v, int i) { return v->sh[i]; }
static inline int32_t simd_s32(const simd_v *v, int i) { return v->sw[i]; }
static inline int64_t simd_s64(const simd_v *v, int i) { return v->sd[i]; }
#else
static inline int32_t simd_s8(const simd_v *v, int i) { return simd_sx(simd_u8(v, i), 8); }
static inline int32_t simd_s16(const simd_v *v, int i) { return simd_sx(simd_u16(v, i), 16); }
static inline int32_t simd_s32(const simd_v *v, int i) { return simd_s32_of(simd_u32(v, i)); }
static inline int64_t simd_s64(const simd_v *v, int i) { return simd_s64_of(simd_u64(v, i)); }
#endif
static inline void simd_set8(simd_v *v, int i, uint64_t x) { v->b[i] = (uint8_t)x; }
#if SIMD_LE
static inline float simd_f32(const simd_v *v, int i) { return v->f[i]; }
static inline double simd_f64(const simd_v *v, int i) { return v->g[i]; }
static inline void simd_set16(simd_v *v, int i, uint64_t x) { v->h[i] = (uint16_t)x; }
static inline void simd_set32(simd_v *v, int i, uint64_t x) { v->w[i] = (uint32_t)x; }
static inline void simd_set64(simd_v *v, int i, uint64_t x) { v->d[i] = x; }
static inline void simd_setf32(simd_v *v, int i, float f) { v->f[i] = f; }
static inline void simd_setf64(simd_v *v, int i, double d) { v->g[i] = d; }
#else
static inline float simd_f32(const simd_v *v, int i) {
  uint32_t b = simd_u32(v, i);
  float f;
  memcpy(&f, &b, 4);
  return f;
}
static inline double simd_f64(const simd_v *v, int i) {
  uint64_t b = simd_u64(v, i);
  double d;
  memcpy(&d, &b, 8);
  return d;
}
static inline void simd_set16(simd_v *v, int i, uint64_t x) { simd_bytes_put(v->b + 2 * i, x, 2); }
static inline void simd_set32(simd_v *v, int i, uint64_t x) { simd_bytes_put(v->b + 4 * i, x, 4); }
static inline void simd_set64(simd_v *v, int i, uint64_t x) { simd_bytes_put(v->b + 8 * i, x, 8); }
static inline void simd_setf32(simd_v *v, int i, float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  simd_set32(v, i, b);
}
static inline void simd_setf64(simd_v *v, int i, double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  simd_set64(v, i, b);
}
#endif

/* Saturation of a wide result to a lane. */
static inline int64_t simd_clamp(int64_t x, int64_t lo, int64_t hi) {
  return x < lo ? lo : x > hi ? hi : x;
}

/* -------------------------------------------------- the generated forms
**
** Each macro defines simd_c_NAME for one shape: n lanes; in the
** expression a and b (and c) are lane i of the operands read as TYPE (u8
** s8 u16 s16 u32 s32 u64 s64 f32 f64), and SET (set8 .. set64, setf32,
** setf64) writes the result lane.  Operands are read whole before the
** result is written: the result may be in an operand's slots.
*/
#define SIMD_T_u8 uint32_t
#define SIMD_T_u16 uint32_t
#define SIMD_T_u32 uint32_t
#define SIMD_T_u64 uint64_t
#define SIMD_T_s8 int32_t
#define SIMD_T_s16 int32_t
#define SIMD_T_s32 int32_t
#define SIMD_T_s64 int64_t
#define SIMD_T_f32 float
#define SIMD_T_f64 double

#define SIMD_C_UN(name, n, TYPE, SET, expr) \
  static inline void simd_c_##name(uint64_t *d, const uint64_t *pa) { \
    simd_v va = simd_from_slots(pa), r; \
    for (int i = 0; i < (n); i++) { \
      SIMD_T_##TYPE a = simd_##TYPE(&va, i); \
      simd_##SET(&r, i, (expr)); \
    } \
    simd_to_slots(d, &r); \
  }
#define SIMD_C_BIN(name, n, TYPE, SET, expr) \
  static inline void simd_c_##name(uint64_t *d, const uint64_t *pa, const uint64_t *pb) { \
    simd_v va = simd_from_slots(pa), vb = simd_from_slots(pb), r; \
    for (int i = 0; i < (n); i++) { \
      SIMD_T_##TYPE a = simd_##TYPE(&va, i), b = simd_##TYPE(&vb, i); \
      simd_##SET(&r, i, (expr)); \
    } \
    simd_to_slots(d, &r); \
  }
/* Lane i of the result from lanes of the whole operands va, vb (narrow,
** extend, pairwise, dot: lanes of another shape). */
#define SIMD_C_UNV(name, n, SET, expr) \
  static inline void simd_c_##name(uint64_t *d, const uint64_t *pa) { \
    simd_v va = simd_from_slots(pa), r; \
    for (int i = 0; i < (n); i++) simd_##SET(&r, i, (expr)); \
    simd_to_slots(d, &r); \
  }
#define SIMD_C_BINV(name, n, SET, expr) \
  static inline void simd_c_##name(uint64_t *d, const uint64_t *pa, const uint64_t *pb) { \
    simd_v va = simd_from_slots(pa), vb = simd_from_slots(pb), r; \
    for (int i = 0; i < (n); i++) simd_##SET(&r, i, (expr)); \
    simd_to_slots(d, &r); \
  }
#define SIMD_C_SHIFT(name, n, TYPE, SET, bits, expr) \
  static inline void simd_c_##name(uint64_t *d, const uint64_t *pa, uint32_t count) { \
    simd_v va = simd_from_slots(pa), r; \
    unsigned k = count & ((bits) - 1); \
    for (int i = 0; i < (n); i++) { \
      SIMD_T_##TYPE a = simd_##TYPE(&va, i); \
      simd_##SET(&r, i, (expr)); \
    } \
    simd_to_slots(d, &r); \
  }

/* Comparisons: all ones where the relation holds. */
#define SIMD_TRUE(c, ones) ((c) ? (ones) : 0)
#define SIMD_C_CMP(shape, n, SET, ones, U, S) \
  SIMD_C_BIN(shape##_eq, n, U, SET, SIMD_TRUE(a == b, ones)) \
  SIMD_C_BIN(shape##_ne, n, U, SET, SIMD_TRUE(a != b, ones)) \
  SIMD_C_BIN(shape##_lt_s, n, S, SET, SIMD_TRUE(a < b, ones)) \
  SIMD_C_BIN(shape##_lt_u, n, U, SET, SIMD_TRUE(a < b, ones)) \
  SIMD_C_BIN(shape##_gt_s, n, S, SET, SIMD_TRUE(a > b, ones)) \
  SIMD_C_BIN(shape##_gt_u, n, U, SET, SIMD_TRUE(a > b, ones)) \
  SIMD_C_BIN(shape##_le_s, n, S, SET, SIMD_TRUE(a <= b, ones)) \
  SIMD_C_BIN(shape##_le_u, n, U, SET, SIMD_TRUE(a <= b, ones)) \
  SIMD_C_BIN(shape##_ge_s, n, S, SET, SIMD_TRUE(a >= b, ones)) \
  SIMD_C_BIN(shape##_ge_u, n, U, SET, SIMD_TRUE(a >= b, ones))
SIMD_C_CMP(i8x16, 16, set8, 0xFFu, u8, s8)
SIMD_C_CMP(i16x8, 8, set16, 0xFFFFu, u16, s16)
SIMD_C_CMP(i32x4, 4, set32, 0xFFFFFFFFu, u32, s32)
#define SIMD_ONES64 0xFFFFFFFFFFFFFFFFull
SIMD_C_BIN(i64x2_eq, 2, u64, set64, SIMD_TRUE(a == b, SIMD_ONES64))
SIMD_C_BIN(i64x2_ne, 2, u64, set64, SIMD_TRUE(a != b, SIMD_ONES64))
SIMD_C_BIN(i64x2_lt_s, 2, s64, set64, SIMD_TRUE(a < b, SIMD_ONES64))
SIMD_C_BIN(i64x2_gt_s, 2, s64, set64, SIMD_TRUE(a > b, SIMD_ONES64))
SIMD_C_BIN(i64x2_le_s, 2, s64, set64, SIMD_TRUE(a <= b, SIMD_ONES64))
SIMD_C_BIN(i64x2_ge_s, 2, s64, set64, SIMD_TRUE(a >= b, SIMD_ONES64))
#define SIMD_C_FCMP(shape, n, T, SET, ones) \
  SIMD_C_BIN(shape##_eq, n, T, SET, SIMD_TRUE(a == b, ones)) \
  SIMD_C_BIN(shape##_ne, n, T, SET, SIMD_TRUE(a != b, ones)) \
  SIMD_C_BIN(shape##_lt, n, T, SET, SIMD_TRUE(a < b, ones)) \
  SIMD_C_BIN(shape##_gt, n, T, SET, SIMD_TRUE(a > b, ones)) \
  SIMD_C_BIN(shape##_le, n, T, SET, SIMD_TRUE(a <= b, ones)) \
  SIMD_C_BIN(shape##_ge, n, T, SET, SIMD_TRUE(a >= b, ones))
SIMD_C_FCMP(f32x4, 4, f32, set32, 0xFFFFFFFFu)
SIMD_C_FCMP(f64x2, 2, f64, set64, SIMD_ONES64)

/* Bitwise, on two 64-bit halves. */
SIMD_C_UN(v128_not, 2, u64, set64, ~a)
SIMD_C_BIN(v128_and, 2, u64, set64, a & b)
SIMD_C_BIN(v128_andnot, 2, u64, set64, a & ~b)
SIMD_C_BIN(v128_or, 2, u64, set64, a | b)
SIMD_C_BIN(v128_xor, 2, u64, set64, a ^ b)
static inline void simd_c_v128_bitselect(uint64_t *d, const uint64_t *pa, const uint64_t *pb,
                                         const uint64_t *pc) {
  uint64_t r0 = (pa[0] & pc[0]) | (pb[0] & ~pc[0]);
  uint64_t r1 = (pa[1] & pc[1]) | (pb[1] & ~pc[1]);
  d[0] = r0, d[1] = r1;
}

/* Integer arithmetic: modulo the lane width (unsigned, so no overflow),
** saturating, min/max, average, abs, neg, popcnt. */
#define SIMD_C_INT(shape, n, SET, U, S, bits, smin, smax, umax) \
  SIMD_C_BIN(shape##_add, n, U, SET, a + b) \
  SIMD_C_BIN(shape##_sub, n, U, SET, a - b) \
  SIMD_C_BIN(shape##_min_s, n, S, SET, (uint32_t)(a < b ? a : b)) \
  SIMD_C_BIN(shape##_min_u, n, U, SET, a < b ? a : b) \
  SIMD_C_BIN(shape##_max_s, n, S, SET, (uint32_t)(a > b ? a : b)) \
  SIMD_C_BIN(shape##_max_u, n, U, SET, a > b ? a : b) \
  SIMD_C_UN(shape##_abs, n, S, SET, (uint32_t)(a < 0 ? -a : a)) \
  SIMD_C_UN(shape##_neg, n, S, SET, (uint32_t)-a)
#define SIMD_C_SAT(shape, n, SET, U, S, smin, smax, umax) \
  SIMD_C_BIN(shape##_add_sat_s, n, S, SET, (uint32_t)simd_clamp((int64_t)a + b, smin, smax)) \
  SIMD_C_BIN(shape##_add_sat_u, n, U, SET, (uint32_t)simd_clamp((int64_t)a + b, 0, umax)) \
  SIMD_C_BIN(shape##_sub_sat_s, n, S, SET, (uint32_t)simd_clamp((int64_t)a - b, smin, smax)) \
  SIMD_C_BIN(shape##_sub_sat_u, n, U, SET, (uint32_t)simd_clamp((int64_t)a - b, 0, umax)) \
  SIMD_C_BIN(shape##_avgr_u, n, U, SET, (a + b + 1) >> 1)
SIMD_C_INT(i8x16, 16, set8, u8, s8, 8, -128, 127, 255)
SIMD_C_INT(i16x8, 8, set16, u16, s16, 16, -32768, 32767, 65535)
SIMD_C_SAT(i8x16, 16, set8, u8, s8, -128, 127, 255)
SIMD_C_SAT(i16x8, 8, set16, u16, s16, -32768, 32767, 65535)
SIMD_C_BIN(i32x4_add, 4, u32, set32, a + b)
SIMD_C_BIN(i32x4_sub, 4, u32, set32, a - b)
SIMD_C_BIN(i32x4_min_s, 4, s32, set32, (uint32_t)(a < b ? a : b))
SIMD_C_BIN(i32x4_min_u, 4, u32, set32, a < b ? a : b)
SIMD_C_BIN(i32x4_max_s, 4, s32, set32, (uint32_t)(a > b ? a : b))
SIMD_C_BIN(i32x4_max_u, 4, u32, set32, a > b ? a : b)
SIMD_C_UN(i32x4_abs, 4, u32, set32, a >> 31 ? 0u - a : a)
SIMD_C_UN(i32x4_neg, 4, u32, set32, 0u - a)
SIMD_C_BIN(i64x2_add, 2, u64, set64, a + b)
SIMD_C_BIN(i64x2_sub, 2, u64, set64, a - b)
SIMD_C_UN(i64x2_abs, 2, u64, set64, a >> 63 ? 0u - a : a)
SIMD_C_UN(i64x2_neg, 2, u64, set64, 0u - a)
SIMD_C_UN(i8x16_popcnt, 16, u8, set8, num_popcnt64_c(a))
SIMD_C_BIN(i16x8_mul, 8, u16, set16, (uint32_t)(a * b))
SIMD_C_BIN(i32x4_mul, 4, u32, set32, a * b)
SIMD_C_BIN(i64x2_mul, 2, u64, set64, a * b)
/* (a * b + 2^14) >> 15, saturated: the product of two i16 fits an i32,
** and the shift of a negative number is a floor division. */
static inline int32_t simd_q15(int32_t a, int32_t b) {
  int32_t p = a * b + 0x4000;
  int32_t q = p >= 0 ? p / 32768 : -((-p + 32767) / 32768);
  return (int32_t)simd_clamp(q, -32768, 32767);
}
SIMD_C_BIN(i16x8_q15mulr_sat_s, 8, s16, set16, (uint32_t)simd_q15(a, b))

/* Shifts by the count modulo the lane width. */
#define SIMD_C_SHIFTS(shape, n, SET, U, S, bits, mask) \
  SIMD_C_SHIFT(shape##_shl, n, U, SET, bits, (uint64_t)a << k) \
  SIMD_C_SHIFT(shape##_shr_u, n, U, SET, bits, a >> k) \
  SIMD_C_SHIFT(shape##_shr_s, n, U, SET, bits, \
               k && (a >> ((bits) - 1)) ? (a >> k) | ((mask) << ((bits) - k)) : a >> k)
SIMD_C_SHIFTS(i8x16, 16, set8, u8, s8, 8, 0xFFu)
SIMD_C_SHIFTS(i16x8, 8, set16, u16, s16, 16, 0xFFFFu)
SIMD_C_SHIFTS(i32x4, 4, set32, u32, s32, 32, 0xFFFFFFFFull)
SIMD_C_SHIFT(i64x2_shl, 2, u64, set64, 64, a << k)
SIMD_C_SHIFT(i64x2_shr_u, 2, u64, set64, 64, a >> k)
SIMD_C_SHIFT(i64x2_shr_s, 2, u64, set64, 64, num_shr_s64_c(a, k))

/* Narrowing with signed or unsigned saturation: the low lanes from a,
** the high ones from b. */
static inline int32_t simd_clamp32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : x > hi ? hi : x;
}
#define SIMD_C_NARROW(name, n, SET, S, lo, hi) \
  static inline void simd_c_##name(uint64_t *d, const uint64_t *pa, const uint64_t *pb) { \
    simd_v va = simd_from_slots(pa), vb = simd_from_slots(pb), r; \
    for (int i = 0; i < (n) / 2; i++) \
      simd_##SET(&r, i, (uint32_t)simd_clamp32(simd_##S(&va, i), lo, hi)); \
    for (int i = 0; i < (n) / 2; i++) \
      simd_##SET(&r, i + (n) / 2, (uint32_t)simd_clamp32(simd_##S(&vb, i), lo, hi)); \
    simd_to_slots(d, &r); \
  }
SIMD_C_NARROW(i8x16_narrow_i16x8_s, 16, set8, s16, -128, 127)
SIMD_C_NARROW(i8x16_narrow_i16x8_u, 16, set8, s16, 0, 255)
SIMD_C_NARROW(i16x8_narrow_i32x4_s, 8, set16, s32, -32768, 32767)
SIMD_C_NARROW(i16x8_narrow_i32x4_u, 8, set16, s32, 0, 65535)

/* Extension of the low or high half, signed or unsigned. */
#define SIMD_C_EXTEND(to, from, n, SET, S, U) \
  SIMD_C_UNV(to##_extend_low_##from##_s, n, SET, (uint64_t)simd_##S(&va, i)) \
  SIMD_C_UNV(to##_extend_high_##from##_s, n, SET, (uint64_t)simd_##S(&va, i + (n))) \
  SIMD_C_UNV(to##_extend_low_##from##_u, n, SET, simd_##U(&va, i)) \
  SIMD_C_UNV(to##_extend_high_##from##_u, n, SET, simd_##U(&va, i + (n)))
SIMD_C_EXTEND(i16x8, i8x16, 8, set16, s8, u8)
SIMD_C_EXTEND(i32x4, i16x8, 4, set32, s16, u16)
SIMD_C_EXTEND(i64x2, i32x4, 2, set64, s32, u32)

/* Extended multiplication of the low or high halves. */
#define SIMD_C_EXTMUL(to, from, n, SET, S, U) \
  SIMD_C_BINV(to##_extmul_low_##from##_s, n, SET, \
              (uint64_t)((int64_t)simd_##S(&va, i) * simd_##S(&vb, i))) \
  SIMD_C_BINV(to##_extmul_high_##from##_s, n, SET, \
              (uint64_t)((int64_t)simd_##S(&va, i + (n)) * simd_##S(&vb, i + (n)))) \
  SIMD_C_BINV(to##_extmul_low_##from##_u, n, SET, (uint64_t)simd_##U(&va, i) * simd_##U(&vb, i)) \
  SIMD_C_BINV(to##_extmul_high_##from##_u, n, SET, \
              (uint64_t)simd_##U(&va, i + (n)) * simd_##U(&vb, i + (n)))
SIMD_C_EXTMUL(i16x8, i8x16, 8, set16, s8, u8)
SIMD_C_EXTMUL(i32x4, i16x8, 4, set32, s16, u16)
SIMD_C_EXTMUL(i64x2, i32x4, 2, set64, s32, u32)

/* Pairwise sums into lanes twice as wide. */
SIMD_C_UNV(i16x8_extadd_pairwise_i8x16_s, 8, set16,
           (uint32_t)(simd_s8(&va, 2 * i) + simd_s8(&va, 2 * i + 1)))
SIMD_C_UNV(i16x8_extadd_pairwise_i8x16_u, 8, set16, simd_u8(&va, 2 * i) + simd_u8(&va, 2 * i + 1))
SIMD_C_UNV(i32x4_extadd_pairwise_i16x8_s, 4, set32,
           (uint32_t)(simd_s16(&va, 2 * i) + simd_s16(&va, 2 * i + 1)))
SIMD_C_UNV(i32x4_extadd_pairwise_i16x8_u, 4, set32, simd_u16(&va, 2 * i) + simd_u16(&va, 2 * i + 1))

/* Dot products: sums of products of adjacent lanes.  Each product of two
** i16 fits an i32, their sum may not: it is taken modulo 2^32. */
SIMD_C_BINV(i32x4_dot_i16x8_s, 4, set32,
            (uint32_t)(simd_s16(&va, 2 * i) * simd_s16(&vb, 2 * i)) +
            (uint32_t)(simd_s16(&va, 2 * i + 1) * simd_s16(&vb, 2 * i + 1)))
/* Relaxed, deterministic profile: both operands signed, the pair sums
** taken modulo 2^16. */
SIMD_C_BINV(i16x8_relaxed_dot_i8x16_i7x16_s, 8, set16,
            (uint32_t)(simd_s8(&va, 2 * i) * simd_s8(&vb, 2 * i) +
                       simd_s8(&va, 2 * i + 1) * simd_s8(&vb, 2 * i + 1)))
static inline void simd_c_i32x4_relaxed_dot_i8x16_i7x16_add_s(uint64_t *d, const uint64_t *pa,
                                                              const uint64_t *pb,
                                                              const uint64_t *pc) {
  uint64_t dot[2];
  simd_c_i16x8_relaxed_dot_i8x16_i7x16_s(dot, pa, pb);
  simd_v vd = simd_from_slots(dot), vc = simd_from_slots(pc), r;
  for (int i = 0; i < 4; i++)
    simd_set32(&r, i, (uint32_t)(simd_s16(&vd, 2 * i) + simd_s16(&vd, 2 * i + 1)) + simd_u32(&vc, i));
  simd_to_slots(d, &r);
}

/* Floating point.  abs, neg and pmin/pmax work on the bits (NaN payloads
** survive); min/max, rounding and conversions are those of the scalar
** instructions (exec/numeric.h, portable forms). */
SIMD_C_UN(f32x4_abs, 4, u32, set32, a & 0x7FFFFFFFu)
SIMD_C_UN(f32x4_neg, 4, u32, set32, a ^ 0x80000000u)
SIMD_C_UN(f64x2_abs, 2, u64, set64, a & 0x7FFFFFFFFFFFFFFFull)
SIMD_C_UN(f64x2_neg, 2, u64, set64, a ^ 0x8000000000000000ull)
SIMD_C_UN(f32x4_sqrt, 4, f32, setf32, NUM_ROUND_C(sqrtf, a))
SIMD_C_UN(f64x2_sqrt, 2, f64, setf64, NUM_ROUND_C(sqrt, a))
SIMD_C_UN(f32x4_ceil, 4, f32, setf32, NUM_ROUND_C(ceilf, a))
SIMD_C_UN(f32x4_floor, 4, f32, setf32, NUM_ROUND_C(floorf, a))
SIMD_C_UN(f32x4_trunc, 4, f32, setf32, NUM_ROUND_C(truncf, a))
SIMD_C_UN(f32x4_nearest, 4, f32, setf32, NUM_ROUND_C(nearbyintf, a))
SIMD_C_UN(f64x2_ceil, 2, f64, setf64, NUM_ROUND_C(ceil, a))
SIMD_C_UN(f64x2_floor, 2, f64, setf64, NUM_ROUND_C(floor, a))
SIMD_C_UN(f64x2_trunc, 2, f64, setf64, NUM_ROUND_C(trunc, a))
SIMD_C_UN(f64x2_nearest, 2, f64, setf64, NUM_ROUND_C(nearbyint, a))
#define SIMD_C_FARITH(shape, n, T, SET) \
  SIMD_C_BIN(shape##_add, n, T, SET, a + b) \
  SIMD_C_BIN(shape##_sub, n, T, SET, a - b) \
  SIMD_C_BIN(shape##_mul, n, T, SET, a * b) \
  SIMD_C_BIN(shape##_div, n, T, SET, a / b)
SIMD_C_FARITH(f32x4, 4, f32, setf32)
SIMD_C_FARITH(f64x2, 2, f64, setf64)
SIMD_C_BIN(f32x4_min, 4, f32, setf32, num_fmin32_c(a, b))
SIMD_C_BIN(f32x4_max, 4, f32, setf32, num_fmax32_c(a, b))
SIMD_C_BIN(f64x2_min, 2, f64, setf64, num_fmin64_c(a, b))
SIMD_C_BIN(f64x2_max, 2, f64, setf64, num_fmax64_c(a, b))
/* pmin(a, b) = b < a ? b : a, pmax(a, b) = a < b ? b : a: one operand's
** bits, unchanged. */
SIMD_C_BINV(f32x4_pmin, 4, set32, simd_f32(&vb, i) < simd_f32(&va, i) ? simd_u32(&vb, i) : simd_u32(&va, i))
SIMD_C_BINV(f32x4_pmax, 4, set32, simd_f32(&va, i) < simd_f32(&vb, i) ? simd_u32(&vb, i) : simd_u32(&va, i))
SIMD_C_BINV(f64x2_pmin, 2, set64, simd_f64(&vb, i) < simd_f64(&va, i) ? simd_u64(&vb, i) : simd_u64(&va, i))
SIMD_C_BINV(f64x2_pmax, 2, set64, simd_f64(&va, i) < simd_f64(&vb, i) ? simd_u64(&vb, i) : simd_u64(&va, i))
/* Relaxed multiply-add, deterministic profile: rounded after the multiply
** and after the add (the build passes -ffp-contract=off). */
#define SIMD_C_MADD(name, n, T, SET, sign) \
  static inline void simd_c_##name(uint64_t *d, const uint64_t *pa, const uint64_t *pb, \
                                   const uint64_t *pc) { \
    simd_v va = simd_from_slots(pa), vb = simd_from_slots(pb), vc = simd_from_slots(pc), r; \
    for (int i = 0; i < (n); i++) { \
      SIMD_T_##T p = sign simd_##T(&va, i) * simd_##T(&vb, i); \
      simd_##SET(&r, i, p + simd_##T(&vc, i)); \
    } \
    simd_to_slots(d, &r); \
  }
SIMD_C_MADD(f32x4_relaxed_madd, 4, f32, setf32, +)
SIMD_C_MADD(f32x4_relaxed_nmadd, 4, f32, setf32, -)
SIMD_C_MADD(f64x2_relaxed_madd, 2, f64, setf64, +)
SIMD_C_MADD(f64x2_relaxed_nmadd, 2, f64, setf64, -)

/* Conversions. */
SIMD_C_UN(i32x4_trunc_sat_f32x4_s, 4, f32, set32, num_sat_i32_s_c(a))
SIMD_C_UN(i32x4_trunc_sat_f32x4_u, 4, f32, set32, num_sat_i32_u_c(a))
SIMD_C_UNV(i32x4_trunc_sat_f64x2_s_zero, 4, set32, i < 2 ? num_sat_i32_s_c(simd_f64(&va, i)) : 0)
SIMD_C_UNV(i32x4_trunc_sat_f64x2_u_zero, 4, set32, i < 2 ? num_sat_i32_u_c(simd_f64(&va, i)) : 0)
SIMD_C_UN(f32x4_convert_i32x4_s, 4, s32, setf32, (float)a)
SIMD_C_UN(f32x4_convert_i32x4_u, 4, u32, setf32, (float)a)
SIMD_C_UNV(f64x2_convert_low_i32x4_s, 2, setf64, (double)simd_s32(&va, i))
SIMD_C_UNV(f64x2_convert_low_i32x4_u, 2, setf64, (double)simd_u32(&va, i))
SIMD_C_UNV(f32x4_demote_f64x2_zero, 4, setf32, i < 2 ? (float)simd_f64(&va, i) : 0.0f)
SIMD_C_UNV(f64x2_promote_low_f32x4, 2, setf64, (double)simd_f32(&va, i))

/* Lanes chosen by index: swizzle (an index >= 16 gives 0), shuffle
** (indices < 32, validated: 16 and up are b's lanes). */
SIMD_C_BINV(i8x16_swizzle, 16, set8, simd_u8(&vb, i) < 16 ? simd_u8(&va, (int)simd_u8(&vb, i)) : 0)
static inline void simd_c_i8x16_shuffle(uint64_t *d, const uint64_t *pa, const uint64_t *pb,
                                        const uint32_t *idx) {
  simd_v va = simd_from_slots(pa), vb = simd_from_slots(pb), r;
  for (int i = 0; i < 16; i++) {
    unsigned k = idx[i / 4] >> (8 * (i % 4)) & 31;
    r.b[i] = k < 16 ? va.b[k] : vb.b[k - 16];
  }
  simd_to_slots(d, &r);
}

/* Splats from a slot's value. */
#define SIMD_C_SPLAT(name, n, SET) \
  static inline void simd_c_##name(uint64_t *d, uint64_t x) { \
    simd_v r; \
    for (int i = 0; i < (n); i++) simd_##SET(&r, i, x); \
    simd_to_slots(d, &r); \
  }
SIMD_C_SPLAT(i8x16_splat, 16, set8)
SIMD_C_SPLAT(i16x8_splat, 8, set16)
SIMD_C_SPLAT(i32x4_splat, 4, set32)
SIMD_C_SPLAT(i64x2_splat, 2, set64)

/* Tests to an i32. */
static inline uint32_t simd_c_v128_any_true(const uint64_t *pa) { return (pa[0] | pa[1]) != 0; }
#define SIMD_C_TESTS(shape, n, U, bits) \
  static inline uint32_t simd_c_##shape##_all_true(const uint64_t *pa) { \
    simd_v va = simd_from_slots(pa); \
    for (int i = 0; i < (n); i++) \
      if (!simd_##U(&va, i)) return 0; \
    return 1; \
  } \
  static inline uint32_t simd_c_##shape##_bitmask(const uint64_t *pa) { \
    simd_v va = simd_from_slots(pa); \
    uint32_t m = 0; \
    for (int i = 0; i < (n); i++) m |= (uint32_t)(simd_##U(&va, i) >> ((bits) - 1)) << i; \
    return m; \
  }
SIMD_C_TESTS(i8x16, 16, u8, 8)
SIMD_C_TESTS(i16x8, 8, u16, 16)
SIMD_C_TESTS(i32x4, 4, u32, 32)
SIMD_C_TESTS(i64x2, 2, u64, 64)

/* Lanes by immediate (validated < the lane count): extract to a slot's
** value (a 32-bit value zero-extended), replace from one. */
static inline uint64_t simd_c_i8x16_extract_lane_s(const uint64_t *pa, uint32_t lane) {
  simd_v va = simd_from_slots(pa);
  return (uint32_t)simd_s8(&va, (int)lane);
}
static inline uint64_t simd_c_i8x16_extract_lane_u(const uint64_t *pa, uint32_t lane) {
  simd_v va = simd_from_slots(pa);
  return simd_u8(&va, (int)lane);
}
static inline uint64_t simd_c_i16x8_extract_lane_s(const uint64_t *pa, uint32_t lane) {
  simd_v va = simd_from_slots(pa);
  return (uint32_t)simd_s16(&va, (int)lane);
}
static inline uint64_t simd_c_i16x8_extract_lane_u(const uint64_t *pa, uint32_t lane) {
  simd_v va = simd_from_slots(pa);
  return simd_u16(&va, (int)lane);
}
static inline uint64_t simd_c_i32x4_extract_lane(const uint64_t *pa, uint32_t lane) {
  simd_v va = simd_from_slots(pa);
  return simd_u32(&va, (int)lane);
}
static inline uint64_t simd_c_i64x2_extract_lane(const uint64_t *pa, uint32_t lane) {
  return pa[lane & 1];
}
#define SIMD_C_REPLACE(name, SET) \
  static inline void simd_c_##name(uint64_t *d, const uint64_t *pa, uint64_t x, uint32_t lane) { \
    simd_v r = simd_from_slots(pa); \
    simd_##SET(&r, (int)lane, x); \
    simd_to_slots(d, &r); \
  }
SIMD_C_REPLACE(i8x16_replace_lane, set8)
SIMD_C_REPLACE(i16x8_replace_lane, set16)
SIMD_C_REPLACE(i32x4_replace_lane, set32)
SIMD_C_REPLACE(i64x2_replace_lane, set64)

/* Memory, at a checked address: loads from p to d, stores from a to p. */
static inline void simd_c_v128_load(uint64_t *d, const uint8_t *p) {
  simd_v r;
  memcpy(r.b, p, 16);
  simd_to_slots(d, &r);
}
static inline void simd_c_v128_store(uint8_t *p, const uint64_t *pa) {
  simd_v va = simd_from_slots(pa);
  memcpy(p, va.b, 16);
}
#define SIMD_C_LOAD_EXT(name, n, SET, expr) \
  static inline void simd_c_##name(uint64_t *d, const uint8_t *p) { \
    simd_v r; \
    for (int i = 0; i < (n); i++) simd_##SET(&r, i, (expr)); \
    simd_to_slots(d, &r); \
  }
SIMD_C_LOAD_EXT(v128_load8x8_s, 8, set16, (uint32_t)simd_sx(p[i], 8))
SIMD_C_LOAD_EXT(v128_load8x8_u, 8, set16, p[i])
SIMD_C_LOAD_EXT(v128_load16x4_s, 4, set32, (uint32_t)simd_sx((uint32_t)simd_bytes_get(p + 2 * i, 2), 16))
SIMD_C_LOAD_EXT(v128_load16x4_u, 4, set32, simd_bytes_get(p + 2 * i, 2))
SIMD_C_LOAD_EXT(v128_load32x2_s, 2, set64,
                (uint64_t)(int64_t)simd_s32_of((uint32_t)simd_bytes_get(p + 4 * i, 4)))
SIMD_C_LOAD_EXT(v128_load32x2_u, 2, set64, simd_bytes_get(p + 4 * i, 4))
SIMD_C_LOAD_EXT(v128_load8_splat, 16, set8, p[0])
SIMD_C_LOAD_EXT(v128_load16_splat, 8, set16, simd_bytes_get(p, 2))
SIMD_C_LOAD_EXT(v128_load32_splat, 4, set32, simd_bytes_get(p, 4))
SIMD_C_LOAD_EXT(v128_load64_splat, 2, set64, simd_bytes_get(p, 8))
SIMD_C_LOAD_EXT(v128_load32_zero, 4, set32, i == 0 ? simd_bytes_get(p, 4) : 0)
SIMD_C_LOAD_EXT(v128_load64_zero, 2, set64, i == 0 ? simd_bytes_get(p, 8) : 0)
#define SIMD_C_LANE_MEM(bytes) \
  static inline void simd_c_v128_load##bytes##_lane(uint64_t *d, const uint8_t *p, \
                                                    const uint64_t *pa, uint32_t lane) { \
    simd_v r = simd_from_slots(pa); \
    memcpy(r.b + (bytes) / 8 * lane, p, (bytes) / 8); \
    simd_to_slots(d, &r); \
  } \
  static inline void simd_c_v128_store##bytes##_lane(uint8_t *p, const uint64_t *pa, \
                                                     uint32_t lane) { \
    simd_v va = simd_from_slots(pa); \
    memcpy(p, va.b + (bytes) / 8 * lane, (bytes) / 8); \
  }
SIMD_C_LANE_MEM(8)
SIMD_C_LANE_MEM(16)
SIMD_C_LANE_MEM(32)
SIMD_C_LANE_MEM(64)

#endif
