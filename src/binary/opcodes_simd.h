/*
** opcodes_simd.h -- the v128 rows of the opcode table (binary/opcodes.h):
** the fixed-width SIMD instructions of WebAssembly 2.0 and the relaxed
** SIMD instructions of 3.0, all behind the 0xFD prefix.  CODE is
** OP_SIMD_CODE(n) for sub-opcode n (a u32 LEB after the prefix).
**
** The groups are by operand layout, so that each group's IR form
** (exec/ir.h) and interpreter case (exec/interp_simd.h) are one macro.
** SIG uses V for v128.  SEM names the lane function of exec/simd.h
** (V_BIN(i8x16_add) is simd_i8x16_add) and, where the validator needs it,
** the access width in bytes of a memory instruction or the lane count of
** a lane instruction.
**
** Relaxed SIMD (INRO_OPS_SIMD_RELAXED_SAME): inro implements the
** deterministic profile of the spec, every implementation-dependent
** choice fixed to its first alternative.  Most relaxed instructions then
** mean exactly an instruction of 2.0 (V_SAME names it), and run as it:
** relaxed_swizzle is swizzle, relaxed_trunc is trunc_sat, relaxed_min/max
** are min/max, relaxed_laneselect is bitselect, relaxed_q15mulr_s is
** q15mulr_sat_s.  The others have lane functions of their own: madd and
** nmadd round twice (multiply, then add), the dot products take both
** operands as signed.
*/
#ifndef INRO_OPCODES_SIMD_H
#define INRO_OPCODES_SIMD_H

#define OP_SIMD_CODE(n) (0xFD000u | (n))

/* v128 -> v128 */
#define INRO_OPS_SIMD_UN(X) \
  X(V128_NOT, OP_SIMD_CODE(0x4D), "v128.not", IMM_NONE, "V:V", V_UN(v128_not)) \
  X(F32X4_DEMOTE_F64X2_ZERO, OP_SIMD_CODE(0x5E), "f32x4.demote_f64x2_zero", IMM_NONE, "V:V", V_UN(f32x4_demote_f64x2_zero)) \
  X(F64X2_PROMOTE_LOW_F32X4, OP_SIMD_CODE(0x5F), "f64x2.promote_low_f32x4", IMM_NONE, "V:V", V_UN(f64x2_promote_low_f32x4)) \
  X(I8X16_ABS, OP_SIMD_CODE(0x60), "i8x16.abs", IMM_NONE, "V:V", V_UN(i8x16_abs)) \
  X(I8X16_NEG, OP_SIMD_CODE(0x61), "i8x16.neg", IMM_NONE, "V:V", V_UN(i8x16_neg)) \
  X(I8X16_POPCNT, OP_SIMD_CODE(0x62), "i8x16.popcnt", IMM_NONE, "V:V", V_UN(i8x16_popcnt)) \
  X(F32X4_CEIL, OP_SIMD_CODE(0x67), "f32x4.ceil", IMM_NONE, "V:V", V_UN(f32x4_ceil)) \
  X(F32X4_FLOOR, OP_SIMD_CODE(0x68), "f32x4.floor", IMM_NONE, "V:V", V_UN(f32x4_floor)) \
  X(F32X4_TRUNC, OP_SIMD_CODE(0x69), "f32x4.trunc", IMM_NONE, "V:V", V_UN(f32x4_trunc)) \
  X(F32X4_NEAREST, OP_SIMD_CODE(0x6A), "f32x4.nearest", IMM_NONE, "V:V", V_UN(f32x4_nearest)) \
  X(F64X2_CEIL, OP_SIMD_CODE(0x74), "f64x2.ceil", IMM_NONE, "V:V", V_UN(f64x2_ceil)) \
  X(F64X2_FLOOR, OP_SIMD_CODE(0x75), "f64x2.floor", IMM_NONE, "V:V", V_UN(f64x2_floor)) \
  X(F64X2_TRUNC, OP_SIMD_CODE(0x7A), "f64x2.trunc", IMM_NONE, "V:V", V_UN(f64x2_trunc)) \
  X(I16X8_EXTADD_PAIRWISE_I8X16_S, OP_SIMD_CODE(0x7C), "i16x8.extadd_pairwise_i8x16_s", IMM_NONE, "V:V", V_UN(i16x8_extadd_pairwise_i8x16_s)) \
  X(I16X8_EXTADD_PAIRWISE_I8X16_U, OP_SIMD_CODE(0x7D), "i16x8.extadd_pairwise_i8x16_u", IMM_NONE, "V:V", V_UN(i16x8_extadd_pairwise_i8x16_u)) \
  X(I32X4_EXTADD_PAIRWISE_I16X8_S, OP_SIMD_CODE(0x7E), "i32x4.extadd_pairwise_i16x8_s", IMM_NONE, "V:V", V_UN(i32x4_extadd_pairwise_i16x8_s)) \
  X(I32X4_EXTADD_PAIRWISE_I16X8_U, OP_SIMD_CODE(0x7F), "i32x4.extadd_pairwise_i16x8_u", IMM_NONE, "V:V", V_UN(i32x4_extadd_pairwise_i16x8_u)) \
  X(I16X8_ABS, OP_SIMD_CODE(0x80), "i16x8.abs", IMM_NONE, "V:V", V_UN(i16x8_abs)) \
  X(I16X8_NEG, OP_SIMD_CODE(0x81), "i16x8.neg", IMM_NONE, "V:V", V_UN(i16x8_neg)) \
  X(I16X8_EXTEND_LOW_I8X16_S, OP_SIMD_CODE(0x87), "i16x8.extend_low_i8x16_s", IMM_NONE, "V:V", V_UN(i16x8_extend_low_i8x16_s)) \
  X(I16X8_EXTEND_HIGH_I8X16_S, OP_SIMD_CODE(0x88), "i16x8.extend_high_i8x16_s", IMM_NONE, "V:V", V_UN(i16x8_extend_high_i8x16_s)) \
  X(I16X8_EXTEND_LOW_I8X16_U, OP_SIMD_CODE(0x89), "i16x8.extend_low_i8x16_u", IMM_NONE, "V:V", V_UN(i16x8_extend_low_i8x16_u)) \
  X(I16X8_EXTEND_HIGH_I8X16_U, OP_SIMD_CODE(0x8A), "i16x8.extend_high_i8x16_u", IMM_NONE, "V:V", V_UN(i16x8_extend_high_i8x16_u)) \
  X(F64X2_NEAREST, OP_SIMD_CODE(0x94), "f64x2.nearest", IMM_NONE, "V:V", V_UN(f64x2_nearest)) \
  X(I32X4_ABS, OP_SIMD_CODE(0xA0), "i32x4.abs", IMM_NONE, "V:V", V_UN(i32x4_abs)) \
  X(I32X4_NEG, OP_SIMD_CODE(0xA1), "i32x4.neg", IMM_NONE, "V:V", V_UN(i32x4_neg)) \
  X(I32X4_EXTEND_LOW_I16X8_S, OP_SIMD_CODE(0xA7), "i32x4.extend_low_i16x8_s", IMM_NONE, "V:V", V_UN(i32x4_extend_low_i16x8_s)) \
  X(I32X4_EXTEND_HIGH_I16X8_S, OP_SIMD_CODE(0xA8), "i32x4.extend_high_i16x8_s", IMM_NONE, "V:V", V_UN(i32x4_extend_high_i16x8_s)) \
  X(I32X4_EXTEND_LOW_I16X8_U, OP_SIMD_CODE(0xA9), "i32x4.extend_low_i16x8_u", IMM_NONE, "V:V", V_UN(i32x4_extend_low_i16x8_u)) \
  X(I32X4_EXTEND_HIGH_I16X8_U, OP_SIMD_CODE(0xAA), "i32x4.extend_high_i16x8_u", IMM_NONE, "V:V", V_UN(i32x4_extend_high_i16x8_u)) \
  X(I64X2_ABS, OP_SIMD_CODE(0xC0), "i64x2.abs", IMM_NONE, "V:V", V_UN(i64x2_abs)) \
  X(I64X2_NEG, OP_SIMD_CODE(0xC1), "i64x2.neg", IMM_NONE, "V:V", V_UN(i64x2_neg)) \
  X(I64X2_EXTEND_LOW_I32X4_S, OP_SIMD_CODE(0xC7), "i64x2.extend_low_i32x4_s", IMM_NONE, "V:V", V_UN(i64x2_extend_low_i32x4_s)) \
  X(I64X2_EXTEND_HIGH_I32X4_S, OP_SIMD_CODE(0xC8), "i64x2.extend_high_i32x4_s", IMM_NONE, "V:V", V_UN(i64x2_extend_high_i32x4_s)) \
  X(I64X2_EXTEND_LOW_I32X4_U, OP_SIMD_CODE(0xC9), "i64x2.extend_low_i32x4_u", IMM_NONE, "V:V", V_UN(i64x2_extend_low_i32x4_u)) \
  X(I64X2_EXTEND_HIGH_I32X4_U, OP_SIMD_CODE(0xCA), "i64x2.extend_high_i32x4_u", IMM_NONE, "V:V", V_UN(i64x2_extend_high_i32x4_u)) \
  X(F32X4_ABS, OP_SIMD_CODE(0xE0), "f32x4.abs", IMM_NONE, "V:V", V_UN(f32x4_abs)) \
  X(F32X4_NEG, OP_SIMD_CODE(0xE1), "f32x4.neg", IMM_NONE, "V:V", V_UN(f32x4_neg)) \
  X(F32X4_SQRT, OP_SIMD_CODE(0xE3), "f32x4.sqrt", IMM_NONE, "V:V", V_UN(f32x4_sqrt)) \
  X(F64X2_ABS, OP_SIMD_CODE(0xEC), "f64x2.abs", IMM_NONE, "V:V", V_UN(f64x2_abs)) \
  X(F64X2_NEG, OP_SIMD_CODE(0xED), "f64x2.neg", IMM_NONE, "V:V", V_UN(f64x2_neg)) \
  X(F64X2_SQRT, OP_SIMD_CODE(0xEF), "f64x2.sqrt", IMM_NONE, "V:V", V_UN(f64x2_sqrt)) \
  X(I32X4_TRUNC_SAT_F32X4_S, OP_SIMD_CODE(0xF8), "i32x4.trunc_sat_f32x4_s", IMM_NONE, "V:V", V_UN(i32x4_trunc_sat_f32x4_s)) \
  X(I32X4_TRUNC_SAT_F32X4_U, OP_SIMD_CODE(0xF9), "i32x4.trunc_sat_f32x4_u", IMM_NONE, "V:V", V_UN(i32x4_trunc_sat_f32x4_u)) \
  X(F32X4_CONVERT_I32X4_S, OP_SIMD_CODE(0xFA), "f32x4.convert_i32x4_s", IMM_NONE, "V:V", V_UN(f32x4_convert_i32x4_s)) \
  X(F32X4_CONVERT_I32X4_U, OP_SIMD_CODE(0xFB), "f32x4.convert_i32x4_u", IMM_NONE, "V:V", V_UN(f32x4_convert_i32x4_u)) \
  X(I32X4_TRUNC_SAT_F64X2_S_ZERO, OP_SIMD_CODE(0xFC), "i32x4.trunc_sat_f64x2_s_zero", IMM_NONE, "V:V", V_UN(i32x4_trunc_sat_f64x2_s_zero)) \
  X(I32X4_TRUNC_SAT_F64X2_U_ZERO, OP_SIMD_CODE(0xFD), "i32x4.trunc_sat_f64x2_u_zero", IMM_NONE, "V:V", V_UN(i32x4_trunc_sat_f64x2_u_zero)) \
  X(F64X2_CONVERT_LOW_I32X4_S, OP_SIMD_CODE(0xFE), "f64x2.convert_low_i32x4_s", IMM_NONE, "V:V", V_UN(f64x2_convert_low_i32x4_s)) \
  X(F64X2_CONVERT_LOW_I32X4_U, OP_SIMD_CODE(0xFF), "f64x2.convert_low_i32x4_u", IMM_NONE, "V:V", V_UN(f64x2_convert_low_i32x4_u))

/* v128 v128 -> v128 */
#define INRO_OPS_SIMD_BIN(X) \
  X(I8X16_SWIZZLE, OP_SIMD_CODE(0x0E), "i8x16.swizzle", IMM_NONE, "VV:V", V_BIN(i8x16_swizzle)) \
  X(I8X16_EQ, OP_SIMD_CODE(0x23), "i8x16.eq", IMM_NONE, "VV:V", V_BIN(i8x16_eq)) \
  X(I8X16_NE, OP_SIMD_CODE(0x24), "i8x16.ne", IMM_NONE, "VV:V", V_BIN(i8x16_ne)) \
  X(I8X16_LT_S, OP_SIMD_CODE(0x25), "i8x16.lt_s", IMM_NONE, "VV:V", V_BIN(i8x16_lt_s)) \
  X(I8X16_LT_U, OP_SIMD_CODE(0x26), "i8x16.lt_u", IMM_NONE, "VV:V", V_BIN(i8x16_lt_u)) \
  X(I8X16_GT_S, OP_SIMD_CODE(0x27), "i8x16.gt_s", IMM_NONE, "VV:V", V_BIN(i8x16_gt_s)) \
  X(I8X16_GT_U, OP_SIMD_CODE(0x28), "i8x16.gt_u", IMM_NONE, "VV:V", V_BIN(i8x16_gt_u)) \
  X(I8X16_LE_S, OP_SIMD_CODE(0x29), "i8x16.le_s", IMM_NONE, "VV:V", V_BIN(i8x16_le_s)) \
  X(I8X16_LE_U, OP_SIMD_CODE(0x2A), "i8x16.le_u", IMM_NONE, "VV:V", V_BIN(i8x16_le_u)) \
  X(I8X16_GE_S, OP_SIMD_CODE(0x2B), "i8x16.ge_s", IMM_NONE, "VV:V", V_BIN(i8x16_ge_s)) \
  X(I8X16_GE_U, OP_SIMD_CODE(0x2C), "i8x16.ge_u", IMM_NONE, "VV:V", V_BIN(i8x16_ge_u)) \
  X(I16X8_EQ, OP_SIMD_CODE(0x2D), "i16x8.eq", IMM_NONE, "VV:V", V_BIN(i16x8_eq)) \
  X(I16X8_NE, OP_SIMD_CODE(0x2E), "i16x8.ne", IMM_NONE, "VV:V", V_BIN(i16x8_ne)) \
  X(I16X8_LT_S, OP_SIMD_CODE(0x2F), "i16x8.lt_s", IMM_NONE, "VV:V", V_BIN(i16x8_lt_s)) \
  X(I16X8_LT_U, OP_SIMD_CODE(0x30), "i16x8.lt_u", IMM_NONE, "VV:V", V_BIN(i16x8_lt_u)) \
  X(I16X8_GT_S, OP_SIMD_CODE(0x31), "i16x8.gt_s", IMM_NONE, "VV:V", V_BIN(i16x8_gt_s)) \
  X(I16X8_GT_U, OP_SIMD_CODE(0x32), "i16x8.gt_u", IMM_NONE, "VV:V", V_BIN(i16x8_gt_u)) \
  X(I16X8_LE_S, OP_SIMD_CODE(0x33), "i16x8.le_s", IMM_NONE, "VV:V", V_BIN(i16x8_le_s)) \
  X(I16X8_LE_U, OP_SIMD_CODE(0x34), "i16x8.le_u", IMM_NONE, "VV:V", V_BIN(i16x8_le_u)) \
  X(I16X8_GE_S, OP_SIMD_CODE(0x35), "i16x8.ge_s", IMM_NONE, "VV:V", V_BIN(i16x8_ge_s)) \
  X(I16X8_GE_U, OP_SIMD_CODE(0x36), "i16x8.ge_u", IMM_NONE, "VV:V", V_BIN(i16x8_ge_u)) \
  X(I32X4_EQ, OP_SIMD_CODE(0x37), "i32x4.eq", IMM_NONE, "VV:V", V_BIN(i32x4_eq)) \
  X(I32X4_NE, OP_SIMD_CODE(0x38), "i32x4.ne", IMM_NONE, "VV:V", V_BIN(i32x4_ne)) \
  X(I32X4_LT_S, OP_SIMD_CODE(0x39), "i32x4.lt_s", IMM_NONE, "VV:V", V_BIN(i32x4_lt_s)) \
  X(I32X4_LT_U, OP_SIMD_CODE(0x3A), "i32x4.lt_u", IMM_NONE, "VV:V", V_BIN(i32x4_lt_u)) \
  X(I32X4_GT_S, OP_SIMD_CODE(0x3B), "i32x4.gt_s", IMM_NONE, "VV:V", V_BIN(i32x4_gt_s)) \
  X(I32X4_GT_U, OP_SIMD_CODE(0x3C), "i32x4.gt_u", IMM_NONE, "VV:V", V_BIN(i32x4_gt_u)) \
  X(I32X4_LE_S, OP_SIMD_CODE(0x3D), "i32x4.le_s", IMM_NONE, "VV:V", V_BIN(i32x4_le_s)) \
  X(I32X4_LE_U, OP_SIMD_CODE(0x3E), "i32x4.le_u", IMM_NONE, "VV:V", V_BIN(i32x4_le_u)) \
  X(I32X4_GE_S, OP_SIMD_CODE(0x3F), "i32x4.ge_s", IMM_NONE, "VV:V", V_BIN(i32x4_ge_s)) \
  X(I32X4_GE_U, OP_SIMD_CODE(0x40), "i32x4.ge_u", IMM_NONE, "VV:V", V_BIN(i32x4_ge_u)) \
  X(F32X4_EQ, OP_SIMD_CODE(0x41), "f32x4.eq", IMM_NONE, "VV:V", V_BIN(f32x4_eq)) \
  X(F32X4_NE, OP_SIMD_CODE(0x42), "f32x4.ne", IMM_NONE, "VV:V", V_BIN(f32x4_ne)) \
  X(F32X4_LT, OP_SIMD_CODE(0x43), "f32x4.lt", IMM_NONE, "VV:V", V_BIN(f32x4_lt)) \
  X(F32X4_GT, OP_SIMD_CODE(0x44), "f32x4.gt", IMM_NONE, "VV:V", V_BIN(f32x4_gt)) \
  X(F32X4_LE, OP_SIMD_CODE(0x45), "f32x4.le", IMM_NONE, "VV:V", V_BIN(f32x4_le)) \
  X(F32X4_GE, OP_SIMD_CODE(0x46), "f32x4.ge", IMM_NONE, "VV:V", V_BIN(f32x4_ge)) \
  X(F64X2_EQ, OP_SIMD_CODE(0x47), "f64x2.eq", IMM_NONE, "VV:V", V_BIN(f64x2_eq)) \
  X(F64X2_NE, OP_SIMD_CODE(0x48), "f64x2.ne", IMM_NONE, "VV:V", V_BIN(f64x2_ne)) \
  X(F64X2_LT, OP_SIMD_CODE(0x49), "f64x2.lt", IMM_NONE, "VV:V", V_BIN(f64x2_lt)) \
  X(F64X2_GT, OP_SIMD_CODE(0x4A), "f64x2.gt", IMM_NONE, "VV:V", V_BIN(f64x2_gt)) \
  X(F64X2_LE, OP_SIMD_CODE(0x4B), "f64x2.le", IMM_NONE, "VV:V", V_BIN(f64x2_le)) \
  X(F64X2_GE, OP_SIMD_CODE(0x4C), "f64x2.ge", IMM_NONE, "VV:V", V_BIN(f64x2_ge)) \
  X(V128_AND, OP_SIMD_CODE(0x4E), "v128.and", IMM_NONE, "VV:V", V_BIN(v128_and)) \
  X(V128_ANDNOT, OP_SIMD_CODE(0x4F), "v128.andnot", IMM_NONE, "VV:V", V_BIN(v128_andnot)) \
  X(V128_OR, OP_SIMD_CODE(0x50), "v128.or", IMM_NONE, "VV:V", V_BIN(v128_or)) \
  X(V128_XOR, OP_SIMD_CODE(0x51), "v128.xor", IMM_NONE, "VV:V", V_BIN(v128_xor)) \
  X(I8X16_NARROW_I16X8_S, OP_SIMD_CODE(0x65), "i8x16.narrow_i16x8_s", IMM_NONE, "VV:V", V_BIN(i8x16_narrow_i16x8_s)) \
  X(I8X16_NARROW_I16X8_U, OP_SIMD_CODE(0x66), "i8x16.narrow_i16x8_u", IMM_NONE, "VV:V", V_BIN(i8x16_narrow_i16x8_u)) \
  X(I8X16_ADD, OP_SIMD_CODE(0x6E), "i8x16.add", IMM_NONE, "VV:V", V_BIN(i8x16_add)) \
  X(I8X16_ADD_SAT_S, OP_SIMD_CODE(0x6F), "i8x16.add_sat_s", IMM_NONE, "VV:V", V_BIN(i8x16_add_sat_s)) \
  X(I8X16_ADD_SAT_U, OP_SIMD_CODE(0x70), "i8x16.add_sat_u", IMM_NONE, "VV:V", V_BIN(i8x16_add_sat_u)) \
  X(I8X16_SUB, OP_SIMD_CODE(0x71), "i8x16.sub", IMM_NONE, "VV:V", V_BIN(i8x16_sub)) \
  X(I8X16_SUB_SAT_S, OP_SIMD_CODE(0x72), "i8x16.sub_sat_s", IMM_NONE, "VV:V", V_BIN(i8x16_sub_sat_s)) \
  X(I8X16_SUB_SAT_U, OP_SIMD_CODE(0x73), "i8x16.sub_sat_u", IMM_NONE, "VV:V", V_BIN(i8x16_sub_sat_u)) \
  X(I8X16_MIN_S, OP_SIMD_CODE(0x76), "i8x16.min_s", IMM_NONE, "VV:V", V_BIN(i8x16_min_s)) \
  X(I8X16_MIN_U, OP_SIMD_CODE(0x77), "i8x16.min_u", IMM_NONE, "VV:V", V_BIN(i8x16_min_u)) \
  X(I8X16_MAX_S, OP_SIMD_CODE(0x78), "i8x16.max_s", IMM_NONE, "VV:V", V_BIN(i8x16_max_s)) \
  X(I8X16_MAX_U, OP_SIMD_CODE(0x79), "i8x16.max_u", IMM_NONE, "VV:V", V_BIN(i8x16_max_u)) \
  X(I8X16_AVGR_U, OP_SIMD_CODE(0x7B), "i8x16.avgr_u", IMM_NONE, "VV:V", V_BIN(i8x16_avgr_u)) \
  X(I16X8_Q15MULR_SAT_S, OP_SIMD_CODE(0x82), "i16x8.q15mulr_sat_s", IMM_NONE, "VV:V", V_BIN(i16x8_q15mulr_sat_s)) \
  X(I16X8_NARROW_I32X4_S, OP_SIMD_CODE(0x85), "i16x8.narrow_i32x4_s", IMM_NONE, "VV:V", V_BIN(i16x8_narrow_i32x4_s)) \
  X(I16X8_NARROW_I32X4_U, OP_SIMD_CODE(0x86), "i16x8.narrow_i32x4_u", IMM_NONE, "VV:V", V_BIN(i16x8_narrow_i32x4_u)) \
  X(I16X8_ADD, OP_SIMD_CODE(0x8E), "i16x8.add", IMM_NONE, "VV:V", V_BIN(i16x8_add)) \
  X(I16X8_ADD_SAT_S, OP_SIMD_CODE(0x8F), "i16x8.add_sat_s", IMM_NONE, "VV:V", V_BIN(i16x8_add_sat_s)) \
  X(I16X8_ADD_SAT_U, OP_SIMD_CODE(0x90), "i16x8.add_sat_u", IMM_NONE, "VV:V", V_BIN(i16x8_add_sat_u)) \
  X(I16X8_SUB, OP_SIMD_CODE(0x91), "i16x8.sub", IMM_NONE, "VV:V", V_BIN(i16x8_sub)) \
  X(I16X8_SUB_SAT_S, OP_SIMD_CODE(0x92), "i16x8.sub_sat_s", IMM_NONE, "VV:V", V_BIN(i16x8_sub_sat_s)) \
  X(I16X8_SUB_SAT_U, OP_SIMD_CODE(0x93), "i16x8.sub_sat_u", IMM_NONE, "VV:V", V_BIN(i16x8_sub_sat_u)) \
  X(I16X8_MUL, OP_SIMD_CODE(0x95), "i16x8.mul", IMM_NONE, "VV:V", V_BIN(i16x8_mul)) \
  X(I16X8_MIN_S, OP_SIMD_CODE(0x96), "i16x8.min_s", IMM_NONE, "VV:V", V_BIN(i16x8_min_s)) \
  X(I16X8_MIN_U, OP_SIMD_CODE(0x97), "i16x8.min_u", IMM_NONE, "VV:V", V_BIN(i16x8_min_u)) \
  X(I16X8_MAX_S, OP_SIMD_CODE(0x98), "i16x8.max_s", IMM_NONE, "VV:V", V_BIN(i16x8_max_s)) \
  X(I16X8_MAX_U, OP_SIMD_CODE(0x99), "i16x8.max_u", IMM_NONE, "VV:V", V_BIN(i16x8_max_u)) \
  X(I16X8_AVGR_U, OP_SIMD_CODE(0x9B), "i16x8.avgr_u", IMM_NONE, "VV:V", V_BIN(i16x8_avgr_u)) \
  X(I16X8_EXTMUL_LOW_I8X16_S, OP_SIMD_CODE(0x9C), "i16x8.extmul_low_i8x16_s", IMM_NONE, "VV:V", V_BIN(i16x8_extmul_low_i8x16_s)) \
  X(I16X8_EXTMUL_HIGH_I8X16_S, OP_SIMD_CODE(0x9D), "i16x8.extmul_high_i8x16_s", IMM_NONE, "VV:V", V_BIN(i16x8_extmul_high_i8x16_s)) \
  X(I16X8_EXTMUL_LOW_I8X16_U, OP_SIMD_CODE(0x9E), "i16x8.extmul_low_i8x16_u", IMM_NONE, "VV:V", V_BIN(i16x8_extmul_low_i8x16_u)) \
  X(I16X8_EXTMUL_HIGH_I8X16_U, OP_SIMD_CODE(0x9F), "i16x8.extmul_high_i8x16_u", IMM_NONE, "VV:V", V_BIN(i16x8_extmul_high_i8x16_u)) \
  X(I32X4_ADD, OP_SIMD_CODE(0xAE), "i32x4.add", IMM_NONE, "VV:V", V_BIN(i32x4_add)) \
  X(I32X4_SUB, OP_SIMD_CODE(0xB1), "i32x4.sub", IMM_NONE, "VV:V", V_BIN(i32x4_sub)) \
  X(I32X4_MUL, OP_SIMD_CODE(0xB5), "i32x4.mul", IMM_NONE, "VV:V", V_BIN(i32x4_mul)) \
  X(I32X4_MIN_S, OP_SIMD_CODE(0xB6), "i32x4.min_s", IMM_NONE, "VV:V", V_BIN(i32x4_min_s)) \
  X(I32X4_MIN_U, OP_SIMD_CODE(0xB7), "i32x4.min_u", IMM_NONE, "VV:V", V_BIN(i32x4_min_u)) \
  X(I32X4_MAX_S, OP_SIMD_CODE(0xB8), "i32x4.max_s", IMM_NONE, "VV:V", V_BIN(i32x4_max_s)) \
  X(I32X4_MAX_U, OP_SIMD_CODE(0xB9), "i32x4.max_u", IMM_NONE, "VV:V", V_BIN(i32x4_max_u)) \
  X(I32X4_DOT_I16X8_S, OP_SIMD_CODE(0xBA), "i32x4.dot_i16x8_s", IMM_NONE, "VV:V", V_BIN(i32x4_dot_i16x8_s)) \
  X(I32X4_EXTMUL_LOW_I16X8_S, OP_SIMD_CODE(0xBC), "i32x4.extmul_low_i16x8_s", IMM_NONE, "VV:V", V_BIN(i32x4_extmul_low_i16x8_s)) \
  X(I32X4_EXTMUL_HIGH_I16X8_S, OP_SIMD_CODE(0xBD), "i32x4.extmul_high_i16x8_s", IMM_NONE, "VV:V", V_BIN(i32x4_extmul_high_i16x8_s)) \
  X(I32X4_EXTMUL_LOW_I16X8_U, OP_SIMD_CODE(0xBE), "i32x4.extmul_low_i16x8_u", IMM_NONE, "VV:V", V_BIN(i32x4_extmul_low_i16x8_u)) \
  X(I32X4_EXTMUL_HIGH_I16X8_U, OP_SIMD_CODE(0xBF), "i32x4.extmul_high_i16x8_u", IMM_NONE, "VV:V", V_BIN(i32x4_extmul_high_i16x8_u)) \
  X(I64X2_ADD, OP_SIMD_CODE(0xCE), "i64x2.add", IMM_NONE, "VV:V", V_BIN(i64x2_add)) \
  X(I64X2_SUB, OP_SIMD_CODE(0xD1), "i64x2.sub", IMM_NONE, "VV:V", V_BIN(i64x2_sub)) \
  X(I64X2_MUL, OP_SIMD_CODE(0xD5), "i64x2.mul", IMM_NONE, "VV:V", V_BIN(i64x2_mul)) \
  X(I64X2_EQ, OP_SIMD_CODE(0xD6), "i64x2.eq", IMM_NONE, "VV:V", V_BIN(i64x2_eq)) \
  X(I64X2_NE, OP_SIMD_CODE(0xD7), "i64x2.ne", IMM_NONE, "VV:V", V_BIN(i64x2_ne)) \
  X(I64X2_LT_S, OP_SIMD_CODE(0xD8), "i64x2.lt_s", IMM_NONE, "VV:V", V_BIN(i64x2_lt_s)) \
  X(I64X2_GT_S, OP_SIMD_CODE(0xD9), "i64x2.gt_s", IMM_NONE, "VV:V", V_BIN(i64x2_gt_s)) \
  X(I64X2_LE_S, OP_SIMD_CODE(0xDA), "i64x2.le_s", IMM_NONE, "VV:V", V_BIN(i64x2_le_s)) \
  X(I64X2_GE_S, OP_SIMD_CODE(0xDB), "i64x2.ge_s", IMM_NONE, "VV:V", V_BIN(i64x2_ge_s)) \
  X(I64X2_EXTMUL_LOW_I32X4_S, OP_SIMD_CODE(0xDC), "i64x2.extmul_low_i32x4_s", IMM_NONE, "VV:V", V_BIN(i64x2_extmul_low_i32x4_s)) \
  X(I64X2_EXTMUL_HIGH_I32X4_S, OP_SIMD_CODE(0xDD), "i64x2.extmul_high_i32x4_s", IMM_NONE, "VV:V", V_BIN(i64x2_extmul_high_i32x4_s)) \
  X(I64X2_EXTMUL_LOW_I32X4_U, OP_SIMD_CODE(0xDE), "i64x2.extmul_low_i32x4_u", IMM_NONE, "VV:V", V_BIN(i64x2_extmul_low_i32x4_u)) \
  X(I64X2_EXTMUL_HIGH_I32X4_U, OP_SIMD_CODE(0xDF), "i64x2.extmul_high_i32x4_u", IMM_NONE, "VV:V", V_BIN(i64x2_extmul_high_i32x4_u)) \
  X(F32X4_ADD, OP_SIMD_CODE(0xE4), "f32x4.add", IMM_NONE, "VV:V", V_BIN(f32x4_add)) \
  X(F32X4_SUB, OP_SIMD_CODE(0xE5), "f32x4.sub", IMM_NONE, "VV:V", V_BIN(f32x4_sub)) \
  X(F32X4_MUL, OP_SIMD_CODE(0xE6), "f32x4.mul", IMM_NONE, "VV:V", V_BIN(f32x4_mul)) \
  X(F32X4_DIV, OP_SIMD_CODE(0xE7), "f32x4.div", IMM_NONE, "VV:V", V_BIN(f32x4_div)) \
  X(F32X4_MIN, OP_SIMD_CODE(0xE8), "f32x4.min", IMM_NONE, "VV:V", V_BIN(f32x4_min)) \
  X(F32X4_MAX, OP_SIMD_CODE(0xE9), "f32x4.max", IMM_NONE, "VV:V", V_BIN(f32x4_max)) \
  X(F32X4_PMIN, OP_SIMD_CODE(0xEA), "f32x4.pmin", IMM_NONE, "VV:V", V_BIN(f32x4_pmin)) \
  X(F32X4_PMAX, OP_SIMD_CODE(0xEB), "f32x4.pmax", IMM_NONE, "VV:V", V_BIN(f32x4_pmax)) \
  X(F64X2_ADD, OP_SIMD_CODE(0xF0), "f64x2.add", IMM_NONE, "VV:V", V_BIN(f64x2_add)) \
  X(F64X2_SUB, OP_SIMD_CODE(0xF1), "f64x2.sub", IMM_NONE, "VV:V", V_BIN(f64x2_sub)) \
  X(F64X2_MUL, OP_SIMD_CODE(0xF2), "f64x2.mul", IMM_NONE, "VV:V", V_BIN(f64x2_mul)) \
  X(F64X2_DIV, OP_SIMD_CODE(0xF3), "f64x2.div", IMM_NONE, "VV:V", V_BIN(f64x2_div)) \
  X(F64X2_MIN, OP_SIMD_CODE(0xF4), "f64x2.min", IMM_NONE, "VV:V", V_BIN(f64x2_min)) \
  X(F64X2_MAX, OP_SIMD_CODE(0xF5), "f64x2.max", IMM_NONE, "VV:V", V_BIN(f64x2_max)) \
  X(F64X2_PMIN, OP_SIMD_CODE(0xF6), "f64x2.pmin", IMM_NONE, "VV:V", V_BIN(f64x2_pmin)) \
  X(F64X2_PMAX, OP_SIMD_CODE(0xF7), "f64x2.pmax", IMM_NONE, "VV:V", V_BIN(f64x2_pmax)) \
  X(I16X8_RELAXED_DOT_I8X16_I7X16_S, OP_SIMD_CODE(0x112), "i16x8.relaxed_dot_i8x16_i7x16_s", IMM_NONE, "VV:V", V_BIN(i16x8_relaxed_dot_i8x16_i7x16_s))

/* v128 v128 v128 -> v128 */
#define INRO_OPS_SIMD_TERN(X) \
  X(V128_BITSELECT, OP_SIMD_CODE(0x52), "v128.bitselect", IMM_NONE, "VVV:V", V_TERN(v128_bitselect)) \
  X(F32X4_RELAXED_MADD, OP_SIMD_CODE(0x105), "f32x4.relaxed_madd", IMM_NONE, "VVV:V", V_TERN(f32x4_relaxed_madd)) \
  X(F32X4_RELAXED_NMADD, OP_SIMD_CODE(0x106), "f32x4.relaxed_nmadd", IMM_NONE, "VVV:V", V_TERN(f32x4_relaxed_nmadd)) \
  X(F64X2_RELAXED_MADD, OP_SIMD_CODE(0x107), "f64x2.relaxed_madd", IMM_NONE, "VVV:V", V_TERN(f64x2_relaxed_madd)) \
  X(F64X2_RELAXED_NMADD, OP_SIMD_CODE(0x108), "f64x2.relaxed_nmadd", IMM_NONE, "VVV:V", V_TERN(f64x2_relaxed_nmadd)) \
  X(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, OP_SIMD_CODE(0x113), "i32x4.relaxed_dot_i8x16_i7x16_add_s", IMM_NONE, "VVV:V", V_TERN(i32x4_relaxed_dot_i8x16_i7x16_add_s))

/* v128 i32 -> v128: shifts by a count taken modulo the lane width. */
#define INRO_OPS_SIMD_SHIFT(X) \
  X(I8X16_SHL, OP_SIMD_CODE(0x6B), "i8x16.shl", IMM_NONE, "Vi:V", V_SHIFT(i8x16_shl)) \
  X(I8X16_SHR_S, OP_SIMD_CODE(0x6C), "i8x16.shr_s", IMM_NONE, "Vi:V", V_SHIFT(i8x16_shr_s)) \
  X(I8X16_SHR_U, OP_SIMD_CODE(0x6D), "i8x16.shr_u", IMM_NONE, "Vi:V", V_SHIFT(i8x16_shr_u)) \
  X(I16X8_SHL, OP_SIMD_CODE(0x8B), "i16x8.shl", IMM_NONE, "Vi:V", V_SHIFT(i16x8_shl)) \
  X(I16X8_SHR_S, OP_SIMD_CODE(0x8C), "i16x8.shr_s", IMM_NONE, "Vi:V", V_SHIFT(i16x8_shr_s)) \
  X(I16X8_SHR_U, OP_SIMD_CODE(0x8D), "i16x8.shr_u", IMM_NONE, "Vi:V", V_SHIFT(i16x8_shr_u)) \
  X(I32X4_SHL, OP_SIMD_CODE(0xAB), "i32x4.shl", IMM_NONE, "Vi:V", V_SHIFT(i32x4_shl)) \
  X(I32X4_SHR_S, OP_SIMD_CODE(0xAC), "i32x4.shr_s", IMM_NONE, "Vi:V", V_SHIFT(i32x4_shr_s)) \
  X(I32X4_SHR_U, OP_SIMD_CODE(0xAD), "i32x4.shr_u", IMM_NONE, "Vi:V", V_SHIFT(i32x4_shr_u)) \
  X(I64X2_SHL, OP_SIMD_CODE(0xCB), "i64x2.shl", IMM_NONE, "Vi:V", V_SHIFT(i64x2_shl)) \
  X(I64X2_SHR_S, OP_SIMD_CODE(0xCC), "i64x2.shr_s", IMM_NONE, "Vi:V", V_SHIFT(i64x2_shr_s)) \
  X(I64X2_SHR_U, OP_SIMD_CODE(0xCD), "i64x2.shr_u", IMM_NONE, "Vi:V", V_SHIFT(i64x2_shr_u))

/* a scalar -> v128 */
#define INRO_OPS_SIMD_SPLAT(X) \
  X(I8X16_SPLAT, OP_SIMD_CODE(0x0F), "i8x16.splat", IMM_NONE, "i:V", V_SPLAT(i8x16_splat)) \
  X(I16X8_SPLAT, OP_SIMD_CODE(0x10), "i16x8.splat", IMM_NONE, "i:V", V_SPLAT(i16x8_splat)) \
  X(I32X4_SPLAT, OP_SIMD_CODE(0x11), "i32x4.splat", IMM_NONE, "i:V", V_SPLAT(i32x4_splat)) \
  X(I64X2_SPLAT, OP_SIMD_CODE(0x12), "i64x2.splat", IMM_NONE, "I:V", V_SPLAT(i64x2_splat)) \
  X(F32X4_SPLAT, OP_SIMD_CODE(0x13), "f32x4.splat", IMM_NONE, "f:V", V_SPLAT(i32x4_splat)) \
  X(F64X2_SPLAT, OP_SIMD_CODE(0x14), "f64x2.splat", IMM_NONE, "F:V", V_SPLAT(i64x2_splat))

/* v128 -> i32 */
#define INRO_OPS_SIMD_TEST(X) \
  X(V128_ANY_TRUE, OP_SIMD_CODE(0x53), "v128.any_true", IMM_NONE, "V:i", V_TEST(v128_any_true)) \
  X(I8X16_ALL_TRUE, OP_SIMD_CODE(0x63), "i8x16.all_true", IMM_NONE, "V:i", V_TEST(i8x16_all_true)) \
  X(I8X16_BITMASK, OP_SIMD_CODE(0x64), "i8x16.bitmask", IMM_NONE, "V:i", V_TEST(i8x16_bitmask)) \
  X(I16X8_ALL_TRUE, OP_SIMD_CODE(0x83), "i16x8.all_true", IMM_NONE, "V:i", V_TEST(i16x8_all_true)) \
  X(I16X8_BITMASK, OP_SIMD_CODE(0x84), "i16x8.bitmask", IMM_NONE, "V:i", V_TEST(i16x8_bitmask)) \
  X(I32X4_ALL_TRUE, OP_SIMD_CODE(0xA3), "i32x4.all_true", IMM_NONE, "V:i", V_TEST(i32x4_all_true)) \
  X(I32X4_BITMASK, OP_SIMD_CODE(0xA4), "i32x4.bitmask", IMM_NONE, "V:i", V_TEST(i32x4_bitmask)) \
  X(I64X2_ALL_TRUE, OP_SIMD_CODE(0xC3), "i64x2.all_true", IMM_NONE, "V:i", V_TEST(i64x2_all_true)) \
  X(I64X2_BITMASK, OP_SIMD_CODE(0xC4), "i64x2.bitmask", IMM_NONE, "V:i", V_TEST(i64x2_bitmask))

/* v128 -> a scalar, lane immediate; SEM: (function, lane count) */
#define INRO_OPS_SIMD_EXTRACT(X) \
  X(I8X16_EXTRACT_LANE_S, OP_SIMD_CODE(0x15), "i8x16.extract_lane_s", IMM_LANE, "V:i", V_EXTRACT(i8x16_extract_lane_s, 16)) \
  X(I8X16_EXTRACT_LANE_U, OP_SIMD_CODE(0x16), "i8x16.extract_lane_u", IMM_LANE, "V:i", V_EXTRACT(i8x16_extract_lane_u, 16)) \
  X(I16X8_EXTRACT_LANE_S, OP_SIMD_CODE(0x18), "i16x8.extract_lane_s", IMM_LANE, "V:i", V_EXTRACT(i16x8_extract_lane_s, 8)) \
  X(I16X8_EXTRACT_LANE_U, OP_SIMD_CODE(0x19), "i16x8.extract_lane_u", IMM_LANE, "V:i", V_EXTRACT(i16x8_extract_lane_u, 8)) \
  X(I32X4_EXTRACT_LANE, OP_SIMD_CODE(0x1B), "i32x4.extract_lane", IMM_LANE, "V:i", V_EXTRACT(i32x4_extract_lane, 4)) \
  X(I64X2_EXTRACT_LANE, OP_SIMD_CODE(0x1D), "i64x2.extract_lane", IMM_LANE, "V:I", V_EXTRACT(i64x2_extract_lane, 2)) \
  X(F32X4_EXTRACT_LANE, OP_SIMD_CODE(0x1F), "f32x4.extract_lane", IMM_LANE, "V:f", V_EXTRACT(i32x4_extract_lane, 4)) \
  X(F64X2_EXTRACT_LANE, OP_SIMD_CODE(0x21), "f64x2.extract_lane", IMM_LANE, "V:F", V_EXTRACT(i64x2_extract_lane, 2))

/* v128 scalar -> v128, lane immediate; SEM: (function, lane count) */
#define INRO_OPS_SIMD_REPLACE(X) \
  X(I8X16_REPLACE_LANE, OP_SIMD_CODE(0x17), "i8x16.replace_lane", IMM_LANE, "Vi:V", V_REPLACE(i8x16_replace_lane, 16)) \
  X(I16X8_REPLACE_LANE, OP_SIMD_CODE(0x1A), "i16x8.replace_lane", IMM_LANE, "Vi:V", V_REPLACE(i16x8_replace_lane, 8)) \
  X(I32X4_REPLACE_LANE, OP_SIMD_CODE(0x1C), "i32x4.replace_lane", IMM_LANE, "Vi:V", V_REPLACE(i32x4_replace_lane, 4)) \
  X(I64X2_REPLACE_LANE, OP_SIMD_CODE(0x1E), "i64x2.replace_lane", IMM_LANE, "VI:V", V_REPLACE(i64x2_replace_lane, 2)) \
  X(F32X4_REPLACE_LANE, OP_SIMD_CODE(0x20), "f32x4.replace_lane", IMM_LANE, "Vf:V", V_REPLACE(i32x4_replace_lane, 4)) \
  X(F64X2_REPLACE_LANE, OP_SIMD_CODE(0x22), "f64x2.replace_lane", IMM_LANE, "VF:V", V_REPLACE(i64x2_replace_lane, 2))

/* v128 v128 -> v128 with 16 lane indices < 32 */
#define INRO_OPS_SIMD_SHUFFLE(X) \
  X(I8X16_SHUFFLE, OP_SIMD_CODE(0x0D), "i8x16.shuffle", IMM_SHUFFLE, "VV:V", V_SHUFFLE(i8x16_shuffle))

/* Memory: SEM (function, bytes accessed).  Loads [d s o]: i32 address ->
** v128; stores [s s o]; the lane forms add the lane index (16 / bytes
** lanes) and take the v128 whose lane they replace or store. */
#define INRO_OPS_SIMD_LOAD(X) \
  X(V128_LOAD, OP_SIMD_CODE(0x00), "v128.load", IMM_MEMARG, "i:V", V_LOAD(v128_load, 16)) \
  X(V128_LOAD8X8_S, OP_SIMD_CODE(0x01), "v128.load8x8_s", IMM_MEMARG, "i:V", V_LOAD(v128_load8x8_s, 8)) \
  X(V128_LOAD8X8_U, OP_SIMD_CODE(0x02), "v128.load8x8_u", IMM_MEMARG, "i:V", V_LOAD(v128_load8x8_u, 8)) \
  X(V128_LOAD16X4_S, OP_SIMD_CODE(0x03), "v128.load16x4_s", IMM_MEMARG, "i:V", V_LOAD(v128_load16x4_s, 8)) \
  X(V128_LOAD16X4_U, OP_SIMD_CODE(0x04), "v128.load16x4_u", IMM_MEMARG, "i:V", V_LOAD(v128_load16x4_u, 8)) \
  X(V128_LOAD32X2_S, OP_SIMD_CODE(0x05), "v128.load32x2_s", IMM_MEMARG, "i:V", V_LOAD(v128_load32x2_s, 8)) \
  X(V128_LOAD32X2_U, OP_SIMD_CODE(0x06), "v128.load32x2_u", IMM_MEMARG, "i:V", V_LOAD(v128_load32x2_u, 8)) \
  X(V128_LOAD8_SPLAT, OP_SIMD_CODE(0x07), "v128.load8_splat", IMM_MEMARG, "i:V", V_LOAD(v128_load8_splat, 1)) \
  X(V128_LOAD16_SPLAT, OP_SIMD_CODE(0x08), "v128.load16_splat", IMM_MEMARG, "i:V", V_LOAD(v128_load16_splat, 2)) \
  X(V128_LOAD32_SPLAT, OP_SIMD_CODE(0x09), "v128.load32_splat", IMM_MEMARG, "i:V", V_LOAD(v128_load32_splat, 4)) \
  X(V128_LOAD64_SPLAT, OP_SIMD_CODE(0x0A), "v128.load64_splat", IMM_MEMARG, "i:V", V_LOAD(v128_load64_splat, 8)) \
  X(V128_LOAD32_ZERO, OP_SIMD_CODE(0x5C), "v128.load32_zero", IMM_MEMARG, "i:V", V_LOAD(v128_load32_zero, 4)) \
  X(V128_LOAD64_ZERO, OP_SIMD_CODE(0x5D), "v128.load64_zero", IMM_MEMARG, "i:V", V_LOAD(v128_load64_zero, 8))
#define INRO_OPS_SIMD_STORE(X) \
  X(V128_STORE, OP_SIMD_CODE(0x0B), "v128.store", IMM_MEMARG, "iV:", V_STORE(v128_store, 16))
#define INRO_OPS_SIMD_LOAD_LANE(X) \
  X(V128_LOAD8_LANE, OP_SIMD_CODE(0x54), "v128.load8_lane", IMM_MEMARG_LANE, "iV:V", V_LOAD_LANE(v128_load8_lane, 1)) \
  X(V128_LOAD16_LANE, OP_SIMD_CODE(0x55), "v128.load16_lane", IMM_MEMARG_LANE, "iV:V", V_LOAD_LANE(v128_load16_lane, 2)) \
  X(V128_LOAD32_LANE, OP_SIMD_CODE(0x56), "v128.load32_lane", IMM_MEMARG_LANE, "iV:V", V_LOAD_LANE(v128_load32_lane, 4)) \
  X(V128_LOAD64_LANE, OP_SIMD_CODE(0x57), "v128.load64_lane", IMM_MEMARG_LANE, "iV:V", V_LOAD_LANE(v128_load64_lane, 8))
#define INRO_OPS_SIMD_STORE_LANE(X) \
  X(V128_STORE8_LANE, OP_SIMD_CODE(0x58), "v128.store8_lane", IMM_MEMARG_LANE, "iV:", V_STORE_LANE(v128_store8_lane, 1)) \
  X(V128_STORE16_LANE, OP_SIMD_CODE(0x59), "v128.store16_lane", IMM_MEMARG_LANE, "iV:", V_STORE_LANE(v128_store16_lane, 2)) \
  X(V128_STORE32_LANE, OP_SIMD_CODE(0x5A), "v128.store32_lane", IMM_MEMARG_LANE, "iV:", V_STORE_LANE(v128_store32_lane, 4)) \
  X(V128_STORE64_LANE, OP_SIMD_CODE(0x5B), "v128.store64_lane", IMM_MEMARG_LANE, "iV:", V_STORE_LANE(v128_store64_lane, 8))

/* The constant: the translator keeps it as an operand (a pair of
** constant slots), no IR op of its own. */
#define INRO_OPS_SIMD_CONST(X) \
  X(V128_CONST, OP_SIMD_CODE(0x0C), "v128.const", IMM_V128, ":V", SPECIAL)

/* Relaxed instructions that the deterministic profile makes exactly a
** 2.0 instruction: SEM V_SAME(that instruction's NAME). */
#define INRO_OPS_SIMD_RELAXED_SAME(X) \
  X(I8X16_RELAXED_SWIZZLE, OP_SIMD_CODE(0x100), "i8x16.relaxed_swizzle", IMM_NONE, "VV:V", V_SAME(I8X16_SWIZZLE)) \
  X(I32X4_RELAXED_TRUNC_F32X4_S, OP_SIMD_CODE(0x101), "i32x4.relaxed_trunc_f32x4_s", IMM_NONE, "V:V", V_SAME(I32X4_TRUNC_SAT_F32X4_S)) \
  X(I32X4_RELAXED_TRUNC_F32X4_U, OP_SIMD_CODE(0x102), "i32x4.relaxed_trunc_f32x4_u", IMM_NONE, "V:V", V_SAME(I32X4_TRUNC_SAT_F32X4_U)) \
  X(I32X4_RELAXED_TRUNC_F64X2_S_ZERO, OP_SIMD_CODE(0x103), "i32x4.relaxed_trunc_f64x2_s_zero", IMM_NONE, "V:V", V_SAME(I32X4_TRUNC_SAT_F64X2_S_ZERO)) \
  X(I32X4_RELAXED_TRUNC_F64X2_U_ZERO, OP_SIMD_CODE(0x104), "i32x4.relaxed_trunc_f64x2_u_zero", IMM_NONE, "V:V", V_SAME(I32X4_TRUNC_SAT_F64X2_U_ZERO)) \
  X(I8X16_RELAXED_LANESELECT, OP_SIMD_CODE(0x109), "i8x16.relaxed_laneselect", IMM_NONE, "VVV:V", V_SAME(V128_BITSELECT)) \
  X(I16X8_RELAXED_LANESELECT, OP_SIMD_CODE(0x10A), "i16x8.relaxed_laneselect", IMM_NONE, "VVV:V", V_SAME(V128_BITSELECT)) \
  X(I32X4_RELAXED_LANESELECT, OP_SIMD_CODE(0x10B), "i32x4.relaxed_laneselect", IMM_NONE, "VVV:V", V_SAME(V128_BITSELECT)) \
  X(I64X2_RELAXED_LANESELECT, OP_SIMD_CODE(0x10C), "i64x2.relaxed_laneselect", IMM_NONE, "VVV:V", V_SAME(V128_BITSELECT)) \
  X(F32X4_RELAXED_MIN, OP_SIMD_CODE(0x10D), "f32x4.relaxed_min", IMM_NONE, "VV:V", V_SAME(F32X4_MIN)) \
  X(F32X4_RELAXED_MAX, OP_SIMD_CODE(0x10E), "f32x4.relaxed_max", IMM_NONE, "VV:V", V_SAME(F32X4_MAX)) \
  X(F64X2_RELAXED_MIN, OP_SIMD_CODE(0x10F), "f64x2.relaxed_min", IMM_NONE, "VV:V", V_SAME(F64X2_MIN)) \
  X(F64X2_RELAXED_MAX, OP_SIMD_CODE(0x110), "f64x2.relaxed_max", IMM_NONE, "VV:V", V_SAME(F64X2_MAX)) \
  X(I16X8_RELAXED_Q15MULR_S, OP_SIMD_CODE(0x111), "i16x8.relaxed_q15mulr_s", IMM_NONE, "VV:V", V_SAME(I16X8_Q15MULR_SAT_S))

/* The groups with an IR op each (exec/ir.h), and all rows. */
#define INRO_OPS_SIMD_RUN(X) \
  INRO_OPS_SIMD_UN(X) INRO_OPS_SIMD_BIN(X) INRO_OPS_SIMD_TERN(X) INRO_OPS_SIMD_SHIFT(X) \
  INRO_OPS_SIMD_SPLAT(X) INRO_OPS_SIMD_TEST(X) INRO_OPS_SIMD_EXTRACT(X) \
  INRO_OPS_SIMD_REPLACE(X) INRO_OPS_SIMD_SHUFFLE(X) INRO_OPS_SIMD_LOAD(X) \
  INRO_OPS_SIMD_STORE(X) INRO_OPS_SIMD_LOAD_LANE(X) INRO_OPS_SIMD_STORE_LANE(X)
#define INRO_OPS_SIMD(X) \
  INRO_OPS_SIMD_RUN(X) INRO_OPS_SIMD_CONST(X) INRO_OPS_SIMD_RELAXED_SAME(X)

#endif
