/*
** simd.c -- the lane functions of exec/simd.h.
**
** Natively (and in inro.wasm's portable profile) each is the portable C
** of exec/simd_c.h.  In inro.wasm's self-hosting profile this file alone
** is compiled with the host's SIMD (mk/wasm.mk: -msimd128), and every
** instruction whose meaning the host's own v128 instruction has exactly
** is that instruction (H_ rows below): a guest's f32x4.add is the host's
** f32x4.add.  The others stay portable C (P_ rows): those whose lane is an
** immediate in Wasm but a run-time value here (extract, replace, lane
** loads and stores), and the relaxed instructions, whose host forms could
** pick another result than inro's deterministic one.  A shuffle's indices
** are run-time values too; two swizzles give the same result.
** tests/simd_test.c compares the two kinds of forms on edge and random
** vectors.
*/
#include "exec/simd.h"
#include "exec/simd_c.h"

#if defined(__wasm_simd128__) && !defined(INRO_PORTABLE_NUMERIC)
#define SIMD_HOST 1
#include <wasm_simd128.h>
#else
#define SIMD_HOST 0
#endif

const int simd_host = SIMD_HOST;

/* Portable rows: the C form. */
#define P_UN(fn) void simd_##fn(uint64_t *d, const uint64_t *a) { simd_c_##fn(d, a); }
#define P_BIN(fn) \
  void simd_##fn(uint64_t *d, const uint64_t *a, const uint64_t *b) { simd_c_##fn(d, a, b); }
#define P_TERN(fn) \
  void simd_##fn(uint64_t *d, const uint64_t *a, const uint64_t *b, const uint64_t *c) { \
    simd_c_##fn(d, a, b, c); \
  }
#define P_SHIFT(fn) \
  void simd_##fn(uint64_t *d, const uint64_t *a, uint32_t n) { simd_c_##fn(d, a, n); }
#define P_SPLAT(fn) void simd_##fn(uint64_t *d, uint64_t x) { simd_c_##fn(d, x); }
#define P_TEST(fn) uint32_t simd_##fn(const uint64_t *a) { return simd_c_##fn(a); }
#define P_LOAD(fn) void simd_##fn(uint64_t *d, const uint8_t *p) { simd_c_##fn(d, p); }

#if SIMD_HOST
/* Host rows: e is the instruction on a (and b, c; n a shift count, x a
** scalar, p an address), as v128_t values. */
#define LD(s) wasm_v128_load(s)
#define H_UN(fn, e) \
  void simd_##fn(uint64_t *d, const uint64_t *pa) { v128_t a = LD(pa); wasm_v128_store(d, e); }
#define H_BIN(fn, e) \
  void simd_##fn(uint64_t *d, const uint64_t *pa, const uint64_t *pb) { \
    v128_t a = LD(pa), b = LD(pb); \
    wasm_v128_store(d, e); \
  }
#define H_TERN(fn, e) \
  void simd_##fn(uint64_t *d, const uint64_t *pa, const uint64_t *pb, const uint64_t *pc) { \
    v128_t a = LD(pa), b = LD(pb), c = LD(pc); \
    wasm_v128_store(d, e); \
  }
#define H_SHIFT(fn, e) \
  void simd_##fn(uint64_t *d, const uint64_t *pa, uint32_t n) { \
    v128_t a = LD(pa); \
    wasm_v128_store(d, e); \
  }
#define H_SPLAT(fn, e) void simd_##fn(uint64_t *d, uint64_t x) { wasm_v128_store(d, e); }
#define H_TEST(fn, e) uint32_t simd_##fn(const uint64_t *pa) { v128_t a = LD(pa); return e; }
#define H_LOAD(fn, e) void simd_##fn(uint64_t *d, const uint8_t *p) { wasm_v128_store(d, e); }
#else
#define H_UN(fn, e) P_UN(fn)
#define H_BIN(fn, e) P_BIN(fn)
#define H_TERN(fn, e) P_TERN(fn)
#define H_SHIFT(fn, e) P_SHIFT(fn)
#define H_SPLAT(fn, e) P_SPLAT(fn)
#define H_TEST(fn, e) P_TEST(fn)
#define H_LOAD(fn, e) P_LOAD(fn)
#endif

/* v128 -> v128 */
H_UN(v128_not, wasm_v128_not(a))
H_UN(f32x4_demote_f64x2_zero, wasm_f32x4_demote_f64x2_zero(a))
H_UN(f64x2_promote_low_f32x4, wasm_f64x2_promote_low_f32x4(a))
H_UN(i8x16_abs, wasm_i8x16_abs(a))
H_UN(i8x16_neg, wasm_i8x16_neg(a))
H_UN(i8x16_popcnt, wasm_i8x16_popcnt(a))
H_UN(f32x4_ceil, wasm_f32x4_ceil(a))
H_UN(f32x4_floor, wasm_f32x4_floor(a))
H_UN(f32x4_trunc, wasm_f32x4_trunc(a))
H_UN(f32x4_nearest, wasm_f32x4_nearest(a))
H_UN(f64x2_ceil, wasm_f64x2_ceil(a))
H_UN(f64x2_floor, wasm_f64x2_floor(a))
H_UN(f64x2_trunc, wasm_f64x2_trunc(a))
H_UN(f64x2_nearest, wasm_f64x2_nearest(a))
H_UN(i16x8_extadd_pairwise_i8x16_s, wasm_i16x8_extadd_pairwise_i8x16(a))
H_UN(i16x8_extadd_pairwise_i8x16_u, wasm_u16x8_extadd_pairwise_u8x16(a))
H_UN(i32x4_extadd_pairwise_i16x8_s, wasm_i32x4_extadd_pairwise_i16x8(a))
H_UN(i32x4_extadd_pairwise_i16x8_u, wasm_u32x4_extadd_pairwise_u16x8(a))
H_UN(i16x8_abs, wasm_i16x8_abs(a))
H_UN(i16x8_neg, wasm_i16x8_neg(a))
H_UN(i16x8_extend_low_i8x16_s, wasm_i16x8_extend_low_i8x16(a))
H_UN(i16x8_extend_high_i8x16_s, wasm_i16x8_extend_high_i8x16(a))
H_UN(i16x8_extend_low_i8x16_u, wasm_u16x8_extend_low_u8x16(a))
H_UN(i16x8_extend_high_i8x16_u, wasm_u16x8_extend_high_u8x16(a))
H_UN(i32x4_abs, wasm_i32x4_abs(a))
H_UN(i32x4_neg, wasm_i32x4_neg(a))
H_UN(i32x4_extend_low_i16x8_s, wasm_i32x4_extend_low_i16x8(a))
H_UN(i32x4_extend_high_i16x8_s, wasm_i32x4_extend_high_i16x8(a))
H_UN(i32x4_extend_low_i16x8_u, wasm_u32x4_extend_low_u16x8(a))
H_UN(i32x4_extend_high_i16x8_u, wasm_u32x4_extend_high_u16x8(a))
H_UN(i64x2_abs, wasm_i64x2_abs(a))
H_UN(i64x2_neg, wasm_i64x2_neg(a))
H_UN(i64x2_extend_low_i32x4_s, wasm_i64x2_extend_low_i32x4(a))
H_UN(i64x2_extend_high_i32x4_s, wasm_i64x2_extend_high_i32x4(a))
H_UN(i64x2_extend_low_i32x4_u, wasm_u64x2_extend_low_u32x4(a))
H_UN(i64x2_extend_high_i32x4_u, wasm_u64x2_extend_high_u32x4(a))
H_UN(f32x4_abs, wasm_f32x4_abs(a))
H_UN(f32x4_neg, wasm_f32x4_neg(a))
H_UN(f32x4_sqrt, wasm_f32x4_sqrt(a))
H_UN(f64x2_abs, wasm_f64x2_abs(a))
H_UN(f64x2_neg, wasm_f64x2_neg(a))
H_UN(f64x2_sqrt, wasm_f64x2_sqrt(a))
H_UN(i32x4_trunc_sat_f32x4_s, wasm_i32x4_trunc_sat_f32x4(a))
H_UN(i32x4_trunc_sat_f32x4_u, wasm_u32x4_trunc_sat_f32x4(a))
H_UN(f32x4_convert_i32x4_s, wasm_f32x4_convert_i32x4(a))
H_UN(f32x4_convert_i32x4_u, wasm_f32x4_convert_u32x4(a))
H_UN(i32x4_trunc_sat_f64x2_s_zero, wasm_i32x4_trunc_sat_f64x2_zero(a))
H_UN(i32x4_trunc_sat_f64x2_u_zero, wasm_u32x4_trunc_sat_f64x2_zero(a))
H_UN(f64x2_convert_low_i32x4_s, wasm_f64x2_convert_low_i32x4(a))
H_UN(f64x2_convert_low_i32x4_u, wasm_f64x2_convert_low_u32x4(a))

/* v128 v128 -> v128 */
H_BIN(i8x16_swizzle, wasm_i8x16_swizzle(a, b))
H_BIN(i8x16_eq, wasm_i8x16_eq(a, b))
H_BIN(i8x16_ne, wasm_i8x16_ne(a, b))
H_BIN(i8x16_lt_s, wasm_i8x16_lt(a, b))
H_BIN(i8x16_lt_u, wasm_u8x16_lt(a, b))
H_BIN(i8x16_gt_s, wasm_i8x16_gt(a, b))
H_BIN(i8x16_gt_u, wasm_u8x16_gt(a, b))
H_BIN(i8x16_le_s, wasm_i8x16_le(a, b))
H_BIN(i8x16_le_u, wasm_u8x16_le(a, b))
H_BIN(i8x16_ge_s, wasm_i8x16_ge(a, b))
H_BIN(i8x16_ge_u, wasm_u8x16_ge(a, b))
H_BIN(i16x8_eq, wasm_i16x8_eq(a, b))
H_BIN(i16x8_ne, wasm_i16x8_ne(a, b))
H_BIN(i16x8_lt_s, wasm_i16x8_lt(a, b))
H_BIN(i16x8_lt_u, wasm_u16x8_lt(a, b))
H_BIN(i16x8_gt_s, wasm_i16x8_gt(a, b))
H_BIN(i16x8_gt_u, wasm_u16x8_gt(a, b))
H_BIN(i16x8_le_s, wasm_i16x8_le(a, b))
H_BIN(i16x8_le_u, wasm_u16x8_le(a, b))
H_BIN(i16x8_ge_s, wasm_i16x8_ge(a, b))
H_BIN(i16x8_ge_u, wasm_u16x8_ge(a, b))
H_BIN(i32x4_eq, wasm_i32x4_eq(a, b))
H_BIN(i32x4_ne, wasm_i32x4_ne(a, b))
H_BIN(i32x4_lt_s, wasm_i32x4_lt(a, b))
H_BIN(i32x4_lt_u, wasm_u32x4_lt(a, b))
H_BIN(i32x4_gt_s, wasm_i32x4_gt(a, b))
H_BIN(i32x4_gt_u, wasm_u32x4_gt(a, b))
H_BIN(i32x4_le_s, wasm_i32x4_le(a, b))
H_BIN(i32x4_le_u, wasm_u32x4_le(a, b))
H_BIN(i32x4_ge_s, wasm_i32x4_ge(a, b))
H_BIN(i32x4_ge_u, wasm_u32x4_ge(a, b))
H_BIN(f32x4_eq, wasm_f32x4_eq(a, b))
H_BIN(f32x4_ne, wasm_f32x4_ne(a, b))
H_BIN(f32x4_lt, wasm_f32x4_lt(a, b))
H_BIN(f32x4_gt, wasm_f32x4_gt(a, b))
H_BIN(f32x4_le, wasm_f32x4_le(a, b))
H_BIN(f32x4_ge, wasm_f32x4_ge(a, b))
H_BIN(f64x2_eq, wasm_f64x2_eq(a, b))
H_BIN(f64x2_ne, wasm_f64x2_ne(a, b))
H_BIN(f64x2_lt, wasm_f64x2_lt(a, b))
H_BIN(f64x2_gt, wasm_f64x2_gt(a, b))
H_BIN(f64x2_le, wasm_f64x2_le(a, b))
H_BIN(f64x2_ge, wasm_f64x2_ge(a, b))
H_BIN(v128_and, wasm_v128_and(a, b))
H_BIN(v128_andnot, wasm_v128_andnot(a, b))
H_BIN(v128_or, wasm_v128_or(a, b))
H_BIN(v128_xor, wasm_v128_xor(a, b))
H_BIN(i8x16_narrow_i16x8_s, wasm_i8x16_narrow_i16x8(a, b))
H_BIN(i8x16_narrow_i16x8_u, wasm_u8x16_narrow_i16x8(a, b))
H_BIN(i8x16_add, wasm_i8x16_add(a, b))
H_BIN(i8x16_add_sat_s, wasm_i8x16_add_sat(a, b))
H_BIN(i8x16_add_sat_u, wasm_u8x16_add_sat(a, b))
H_BIN(i8x16_sub, wasm_i8x16_sub(a, b))
H_BIN(i8x16_sub_sat_s, wasm_i8x16_sub_sat(a, b))
H_BIN(i8x16_sub_sat_u, wasm_u8x16_sub_sat(a, b))
H_BIN(i8x16_min_s, wasm_i8x16_min(a, b))
H_BIN(i8x16_min_u, wasm_u8x16_min(a, b))
H_BIN(i8x16_max_s, wasm_i8x16_max(a, b))
H_BIN(i8x16_max_u, wasm_u8x16_max(a, b))
H_BIN(i8x16_avgr_u, wasm_u8x16_avgr(a, b))
H_BIN(i16x8_q15mulr_sat_s, wasm_i16x8_q15mulr_sat(a, b))
H_BIN(i16x8_narrow_i32x4_s, wasm_i16x8_narrow_i32x4(a, b))
H_BIN(i16x8_narrow_i32x4_u, wasm_u16x8_narrow_i32x4(a, b))
H_BIN(i16x8_add, wasm_i16x8_add(a, b))
H_BIN(i16x8_add_sat_s, wasm_i16x8_add_sat(a, b))
H_BIN(i16x8_add_sat_u, wasm_u16x8_add_sat(a, b))
H_BIN(i16x8_sub, wasm_i16x8_sub(a, b))
H_BIN(i16x8_sub_sat_s, wasm_i16x8_sub_sat(a, b))
H_BIN(i16x8_sub_sat_u, wasm_u16x8_sub_sat(a, b))
H_BIN(i16x8_mul, wasm_i16x8_mul(a, b))
H_BIN(i16x8_min_s, wasm_i16x8_min(a, b))
H_BIN(i16x8_min_u, wasm_u16x8_min(a, b))
H_BIN(i16x8_max_s, wasm_i16x8_max(a, b))
H_BIN(i16x8_max_u, wasm_u16x8_max(a, b))
H_BIN(i16x8_avgr_u, wasm_u16x8_avgr(a, b))
H_BIN(i16x8_extmul_low_i8x16_s, wasm_i16x8_extmul_low_i8x16(a, b))
H_BIN(i16x8_extmul_high_i8x16_s, wasm_i16x8_extmul_high_i8x16(a, b))
H_BIN(i16x8_extmul_low_i8x16_u, wasm_u16x8_extmul_low_u8x16(a, b))
H_BIN(i16x8_extmul_high_i8x16_u, wasm_u16x8_extmul_high_u8x16(a, b))
H_BIN(i32x4_add, wasm_i32x4_add(a, b))
H_BIN(i32x4_sub, wasm_i32x4_sub(a, b))
H_BIN(i32x4_mul, wasm_i32x4_mul(a, b))
H_BIN(i32x4_min_s, wasm_i32x4_min(a, b))
H_BIN(i32x4_min_u, wasm_u32x4_min(a, b))
H_BIN(i32x4_max_s, wasm_i32x4_max(a, b))
H_BIN(i32x4_max_u, wasm_u32x4_max(a, b))
H_BIN(i32x4_dot_i16x8_s, wasm_i32x4_dot_i16x8(a, b))
H_BIN(i32x4_extmul_low_i16x8_s, wasm_i32x4_extmul_low_i16x8(a, b))
H_BIN(i32x4_extmul_high_i16x8_s, wasm_i32x4_extmul_high_i16x8(a, b))
H_BIN(i32x4_extmul_low_i16x8_u, wasm_u32x4_extmul_low_u16x8(a, b))
H_BIN(i32x4_extmul_high_i16x8_u, wasm_u32x4_extmul_high_u16x8(a, b))
H_BIN(i64x2_add, wasm_i64x2_add(a, b))
H_BIN(i64x2_sub, wasm_i64x2_sub(a, b))
H_BIN(i64x2_mul, wasm_i64x2_mul(a, b))
H_BIN(i64x2_eq, wasm_i64x2_eq(a, b))
H_BIN(i64x2_ne, wasm_i64x2_ne(a, b))
H_BIN(i64x2_lt_s, wasm_i64x2_lt(a, b))
H_BIN(i64x2_gt_s, wasm_i64x2_gt(a, b))
H_BIN(i64x2_le_s, wasm_i64x2_le(a, b))
H_BIN(i64x2_ge_s, wasm_i64x2_ge(a, b))
H_BIN(i64x2_extmul_low_i32x4_s, wasm_i64x2_extmul_low_i32x4(a, b))
H_BIN(i64x2_extmul_high_i32x4_s, wasm_i64x2_extmul_high_i32x4(a, b))
H_BIN(i64x2_extmul_low_i32x4_u, wasm_u64x2_extmul_low_u32x4(a, b))
H_BIN(i64x2_extmul_high_i32x4_u, wasm_u64x2_extmul_high_u32x4(a, b))
H_BIN(f32x4_add, wasm_f32x4_add(a, b))
H_BIN(f32x4_sub, wasm_f32x4_sub(a, b))
H_BIN(f32x4_mul, wasm_f32x4_mul(a, b))
H_BIN(f32x4_div, wasm_f32x4_div(a, b))
H_BIN(f32x4_min, wasm_f32x4_min(a, b))
H_BIN(f32x4_max, wasm_f32x4_max(a, b))
H_BIN(f32x4_pmin, wasm_f32x4_pmin(a, b))
H_BIN(f32x4_pmax, wasm_f32x4_pmax(a, b))
H_BIN(f64x2_add, wasm_f64x2_add(a, b))
H_BIN(f64x2_sub, wasm_f64x2_sub(a, b))
H_BIN(f64x2_mul, wasm_f64x2_mul(a, b))
H_BIN(f64x2_div, wasm_f64x2_div(a, b))
H_BIN(f64x2_min, wasm_f64x2_min(a, b))
H_BIN(f64x2_max, wasm_f64x2_max(a, b))
H_BIN(f64x2_pmin, wasm_f64x2_pmin(a, b))
H_BIN(f64x2_pmax, wasm_f64x2_pmax(a, b))
P_BIN(i16x8_relaxed_dot_i8x16_i7x16_s)

/* v128 v128 v128 -> v128.  Relaxed multiply-add rounds twice: the host's
** multiply, then its add (not its relaxed_madd, which may fuse). */
H_TERN(v128_bitselect, wasm_v128_bitselect(a, b, c))
H_TERN(f32x4_relaxed_madd, wasm_f32x4_add(wasm_f32x4_mul(a, b), c))
H_TERN(f32x4_relaxed_nmadd, wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_neg(a), b), c))
H_TERN(f64x2_relaxed_madd, wasm_f64x2_add(wasm_f64x2_mul(a, b), c))
H_TERN(f64x2_relaxed_nmadd, wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_neg(a), b), c))
P_TERN(i32x4_relaxed_dot_i8x16_i7x16_add_s)

/* Shifts: the host's instructions take the count modulo the lane width. */
H_SHIFT(i8x16_shl, wasm_i8x16_shl(a, n))
H_SHIFT(i8x16_shr_s, wasm_i8x16_shr(a, n))
H_SHIFT(i8x16_shr_u, wasm_u8x16_shr(a, n))
H_SHIFT(i16x8_shl, wasm_i16x8_shl(a, n))
H_SHIFT(i16x8_shr_s, wasm_i16x8_shr(a, n))
H_SHIFT(i16x8_shr_u, wasm_u16x8_shr(a, n))
H_SHIFT(i32x4_shl, wasm_i32x4_shl(a, n))
H_SHIFT(i32x4_shr_s, wasm_i32x4_shr(a, n))
H_SHIFT(i32x4_shr_u, wasm_u32x4_shr(a, n))
H_SHIFT(i64x2_shl, wasm_i64x2_shl(a, n))
H_SHIFT(i64x2_shr_s, wasm_i64x2_shr(a, n))
H_SHIFT(i64x2_shr_u, wasm_u64x2_shr(a, n))

H_SPLAT(i8x16_splat, wasm_i8x16_splat((int8_t)(uint8_t)x))
H_SPLAT(i16x8_splat, wasm_i16x8_splat((int16_t)(uint16_t)x))
H_SPLAT(i32x4_splat, wasm_i32x4_splat((int32_t)(uint32_t)x))
H_SPLAT(i64x2_splat, wasm_i64x2_splat((int64_t)x))

H_TEST(v128_any_true, wasm_v128_any_true(a))
H_TEST(i8x16_all_true, wasm_i8x16_all_true(a))
H_TEST(i8x16_bitmask, wasm_i8x16_bitmask(a))
H_TEST(i16x8_all_true, wasm_i16x8_all_true(a))
H_TEST(i16x8_bitmask, wasm_i16x8_bitmask(a))
H_TEST(i32x4_all_true, wasm_i32x4_all_true(a))
H_TEST(i32x4_bitmask, wasm_i32x4_bitmask(a))
H_TEST(i64x2_all_true, wasm_i64x2_all_true(a))
H_TEST(i64x2_bitmask, wasm_i64x2_bitmask(a))

/* Lane immediates are run-time values here: portable. */
uint64_t simd_i8x16_extract_lane_s(const uint64_t *a, uint32_t lane) {
  return simd_c_i8x16_extract_lane_s(a, lane);
}
uint64_t simd_i8x16_extract_lane_u(const uint64_t *a, uint32_t lane) {
  return simd_c_i8x16_extract_lane_u(a, lane);
}
uint64_t simd_i16x8_extract_lane_s(const uint64_t *a, uint32_t lane) {
  return simd_c_i16x8_extract_lane_s(a, lane);
}
uint64_t simd_i16x8_extract_lane_u(const uint64_t *a, uint32_t lane) {
  return simd_c_i16x8_extract_lane_u(a, lane);
}
uint64_t simd_i32x4_extract_lane(const uint64_t *a, uint32_t lane) {
  return simd_c_i32x4_extract_lane(a, lane);
}
uint64_t simd_i64x2_extract_lane(const uint64_t *a, uint32_t lane) {
  return simd_c_i64x2_extract_lane(a, lane);
}
#define P_REPLACE(fn) \
  void simd_##fn(uint64_t *d, const uint64_t *a, uint64_t x, uint32_t lane) { \
    simd_c_##fn(d, a, x, lane); \
  }
P_REPLACE(i8x16_replace_lane)
P_REPLACE(i16x8_replace_lane)
P_REPLACE(i32x4_replace_lane)
P_REPLACE(i64x2_replace_lane)

void simd_i8x16_shuffle(uint64_t *d, const uint64_t *a, const uint64_t *b, const uint32_t *idx) {
#if SIMD_HOST
  /* Indices 0-15 pick from a, 16-31 from b; a swizzle gives 0 for an
  ** index of 16 and up, so each swizzle picks its own lanes. */
  v128_t i = wasm_u32x4_make(idx[0], idx[1], idx[2], idx[3]);
  v128_t from_a = wasm_i8x16_swizzle(LD(a), i);
  v128_t from_b = wasm_i8x16_swizzle(LD(b), wasm_i8x16_sub(i, wasm_i8x16_splat(16)));
  wasm_v128_store(d, wasm_v128_or(from_a, from_b));
#else
  simd_c_i8x16_shuffle(d, a, b, idx);
#endif
}

/* Memory */
H_LOAD(v128_load, wasm_v128_load(p))
H_LOAD(v128_load8x8_s, wasm_i16x8_load8x8(p))
H_LOAD(v128_load8x8_u, wasm_u16x8_load8x8(p))
H_LOAD(v128_load16x4_s, wasm_i32x4_load16x4(p))
H_LOAD(v128_load16x4_u, wasm_u32x4_load16x4(p))
H_LOAD(v128_load32x2_s, wasm_i64x2_load32x2(p))
H_LOAD(v128_load32x2_u, wasm_u64x2_load32x2(p))
H_LOAD(v128_load8_splat, wasm_v128_load8_splat(p))
H_LOAD(v128_load16_splat, wasm_v128_load16_splat(p))
H_LOAD(v128_load32_splat, wasm_v128_load32_splat(p))
H_LOAD(v128_load64_splat, wasm_v128_load64_splat(p))
H_LOAD(v128_load32_zero, wasm_v128_load32_zero(p))
H_LOAD(v128_load64_zero, wasm_v128_load64_zero(p))
void simd_v128_store(uint8_t *p, const uint64_t *a) {
#if SIMD_HOST
  wasm_v128_store(p, LD(a));
#else
  simd_c_v128_store(p, a);
#endif
}
#define P_LANE_MEM(bits) \
  void simd_v128_load##bits##_lane(uint64_t *d, const uint8_t *p, const uint64_t *a, \
                                   uint32_t lane) { \
    simd_c_v128_load##bits##_lane(d, p, a, lane); \
  } \
  void simd_v128_store##bits##_lane(uint8_t *p, const uint64_t *a, uint32_t lane) { \
    simd_c_v128_store##bits##_lane(p, a, lane); \
  }
P_LANE_MEM(8)
P_LANE_MEM(16)
P_LANE_MEM(32)
P_LANE_MEM(64)

#define V_UN(f) {.fn.un = simd_##f}
#define V_BIN(f) {.fn.bin = simd_##f}
#define V_TERN(f) {.fn.tern = simd_##f}
#define V_SHIFT(f) {.fn.shift = simd_##f}
#define V_SPLAT(f) {.fn.splat = simd_##f}
#define V_TEST(f) {.fn.test = simd_##f}
#define V_EXTRACT(f, lanes) {.fn.extract = simd_##f}
#define V_REPLACE(f, lanes) {.fn.replace = simd_##f}
#define V_SHUFFLE(f) {.fn.shuffle = simd_##f}
#define V_LOAD(f, n) {.fn.load = simd_##f, .bytes = n}
#define V_STORE(f, n) {.fn.store = simd_##f, .bytes = n}
#define V_LOAD_LANE(f, n) {.fn.load_lane = simd_##f, .bytes = n}
#define V_STORE_LANE(f, n) {.fn.store_lane = simd_##f, .bytes = n}
#define LANE_ROW(name, code, text, imm, sig, sem) [OP_##name - OP_SIMD_FIRST] = sem,
const simd_lane simd_lanes[OP_COUNT - OP_SIMD_FIRST] = {INRO_OPS_SIMD_RUN(LANE_ROW)};
#undef LANE_ROW
#undef V_UN
#undef V_BIN
#undef V_TERN
#undef V_SHIFT
#undef V_SPLAT
#undef V_TEST
#undef V_EXTRACT
#undef V_REPLACE
#undef V_SHUFFLE
#undef V_LOAD
#undef V_STORE
#undef V_LOAD_LANE
#undef V_STORE_LANE

/* The general forms (V128_LOAD_M, V128_STORE_M: exec/ir.h), by
** opcode-table op: what the op accesses, then the access itself. */
unsigned simd_access_bytes(unsigned op) { return simd_lanes[op - OP_SIMD_FIRST].bytes; }

void simd_load_m(unsigned op, uint64_t *d, const uint8_t *p, const uint64_t *a, uint32_t lane) {
  const simd_lane *l = &simd_lanes[op - OP_SIMD_FIRST];
  if (op_table[op].imm == IMM_MEMARG_LANE) l->fn.load_lane(d, p, a, lane);
  else l->fn.load(d, p);
}

void simd_store_m(unsigned op, uint8_t *p, const uint64_t *a, uint32_t lane) {
  const simd_lane *l = &simd_lanes[op - OP_SIMD_FIRST];
  if (op_table[op].imm == IMM_MEMARG_LANE) l->fn.store_lane(p, a, lane);
  else l->fn.store(p, a);
}
