/*
** opcodes.h -- the one table of WebAssembly instructions.
**
** Every part of inro that knows about instructions expands this list:
** the decoder (immediate kinds), the validator (operand signatures), the
** translator, the interpreter (the semantics column), the disassembler
** (text names) and the monitors (opcode names and classes).
**
** X(NAME, CODE, TEXT, IMM, SIG, SEM)
**   CODE  the opcode; 0xFCnn for the 0xFC-prefixed group, OP_SIMD_CODE(n)
**         for the 0xFD-prefixed (v128) group, binary/opcodes_simd.h.
**   IMM   immediate kind (IMM_* below).
**   SIG   operand signature "params:results" for instructions with a fixed
**         type (i=i32 I=i64 f=f32 F=f64 V=v128), or "" when the validator
**         handles the instruction by hand.
**   SEM   semantics for the interpreter: a macro it defines (UN, BIN,
**         LOAD, ...), or SPECIAL when the interpreter has a hand-written
**         case (those are grouped in INRO_OPS_SPECIAL so the interpreter
**         can generate the rest from INRO_OPS_SIMPLE).  Other users ignore
**         this column, so it costs them nothing.
*/
#ifndef INRO_OPCODES_H
#define INRO_OPCODES_H

#include "binary/opcodes_simd.h"

/* Instructions whose semantics the interpreter writes by hand (control,
** calls, variables, memory and table management, constants). */
#define INRO_OPS_SPECIAL(X) \
  X(UNREACHABLE, 0x00, "unreachable", IMM_NONE, "", SPECIAL) \
  X(NOP, 0x01, "nop", IMM_NONE, "", SPECIAL) \
  X(BLOCK, 0x02, "block", IMM_BLOCKTYPE, "", SPECIAL) \
  X(LOOP, 0x03, "loop", IMM_BLOCKTYPE, "", SPECIAL) \
  X(IF, 0x04, "if", IMM_BLOCKTYPE, "", SPECIAL) \
  X(ELSE, 0x05, "else", IMM_NONE, "", SPECIAL) \
  X(END, 0x0B, "end", IMM_NONE, "", SPECIAL) \
  X(BR, 0x0C, "br", IMM_LABEL, "", SPECIAL) \
  X(BR_IF, 0x0D, "br_if", IMM_LABEL, "", SPECIAL) \
  X(BR_TABLE, 0x0E, "br_table", IMM_BR_TABLE, "", SPECIAL) \
  X(RETURN, 0x0F, "return", IMM_NONE, "", SPECIAL) \
  X(CALL, 0x10, "call", IMM_FUNC, "", SPECIAL) \
  X(CALL_INDIRECT, 0x11, "call_indirect", IMM_CALL_INDIRECT, "", SPECIAL) \
  X(DROP, 0x1A, "drop", IMM_NONE, "", SPECIAL) \
  X(SELECT, 0x1B, "select", IMM_NONE, "", SPECIAL) \
  X(SELECT_T, 0x1C, "select", IMM_SELECT_T, "", SPECIAL) \
  X(LOCAL_GET, 0x20, "local.get", IMM_LOCAL, "", SPECIAL) \
  X(LOCAL_SET, 0x21, "local.set", IMM_LOCAL, "", SPECIAL) \
  X(LOCAL_TEE, 0x22, "local.tee", IMM_LOCAL, "", SPECIAL) \
  X(GLOBAL_GET, 0x23, "global.get", IMM_GLOBAL, "", SPECIAL) \
  X(GLOBAL_SET, 0x24, "global.set", IMM_GLOBAL, "", SPECIAL) \
  X(TABLE_GET, 0x25, "table.get", IMM_TABLE, "", SPECIAL) \
  X(TABLE_SET, 0x26, "table.set", IMM_TABLE, "", SPECIAL) \
  X(MEMORY_SIZE, 0x3F, "memory.size", IMM_MEMORY, ":i", SPECIAL) \
  X(MEMORY_GROW, 0x40, "memory.grow", IMM_MEMORY, "i:i", SPECIAL) \
  X(I32_CONST, 0x41, "i32.const", IMM_I32, ":i", SPECIAL) \
  X(I64_CONST, 0x42, "i64.const", IMM_I64, ":I", SPECIAL) \
  X(F32_CONST, 0x43, "f32.const", IMM_F32, ":f", SPECIAL) \
  X(F64_CONST, 0x44, "f64.const", IMM_F64, ":F", SPECIAL) \
  X(REF_NULL, 0xD0, "ref.null", IMM_REFTYPE, "", SPECIAL) \
  X(REF_IS_NULL, 0xD1, "ref.is_null", IMM_NONE, "", SPECIAL) \
  X(REF_FUNC, 0xD2, "ref.func", IMM_FUNC, "", SPECIAL) \
  X(MEMORY_INIT, 0xFC08, "memory.init", IMM_MEMORY_INIT, "iii:", SPECIAL) \
  X(DATA_DROP, 0xFC09, "data.drop", IMM_DATA, "", SPECIAL) \
  X(MEMORY_COPY, 0xFC0A, "memory.copy", IMM_MEMORY_COPY, "iii:", SPECIAL) \
  X(MEMORY_FILL, 0xFC0B, "memory.fill", IMM_MEMORY, "iii:", SPECIAL) \
  X(TABLE_INIT, 0xFC0C, "table.init", IMM_TABLE_INIT, "iii:", SPECIAL) \
  X(ELEM_DROP, 0xFC0D, "elem.drop", IMM_ELEM, "", SPECIAL) \
  X(TABLE_COPY, 0xFC0E, "table.copy", IMM_TABLE_COPY, "iii:", SPECIAL) \
  X(TABLE_GROW, 0xFC0F, "table.grow", IMM_TABLE, "", SPECIAL) \
  X(TABLE_SIZE, 0xFC10, "table.size", IMM_TABLE, ":i", SPECIAL) \
  X(TABLE_FILL, 0xFC11, "table.fill", IMM_TABLE, "", SPECIAL)

/* WebAssembly 3.0 beyond 2.0, by hand like the group above: exceptions
** (and the legacy try/catch/rethrow/delegate), tail calls, typed function
** references. */
#define INRO_OPS_WASM3(X) \
  X(TRY, 0x06, "try", IMM_BLOCKTYPE, "", SPECIAL) \
  X(CATCH, 0x07, "catch", IMM_TAG, "", SPECIAL) \
  X(THROW, 0x08, "throw", IMM_TAG, "", SPECIAL) \
  X(RETHROW, 0x09, "rethrow", IMM_LABEL, "", SPECIAL) \
  X(THROW_REF, 0x0A, "throw_ref", IMM_NONE, "", SPECIAL) \
  X(RETURN_CALL, 0x12, "return_call", IMM_FUNC, "", SPECIAL) \
  X(RETURN_CALL_INDIRECT, 0x13, "return_call_indirect", IMM_CALL_INDIRECT, "", SPECIAL) \
  X(CALL_REF, 0x14, "call_ref", IMM_TYPE, "", SPECIAL) \
  X(RETURN_CALL_REF, 0x15, "return_call_ref", IMM_TYPE, "", SPECIAL) \
  X(DELEGATE, 0x18, "delegate", IMM_LABEL, "", SPECIAL) \
  X(CATCH_ALL, 0x19, "catch_all", IMM_NONE, "", SPECIAL) \
  X(TRY_TABLE, 0x1F, "try_table", IMM_TRY_TABLE, "", SPECIAL) \
  X(REF_AS_NON_NULL, 0xD4, "ref.as_non_null", IMM_NONE, "", SPECIAL) \
  X(BR_ON_NULL, 0xD5, "br_on_null", IMM_LABEL, "", SPECIAL) \
  X(BR_ON_NON_NULL, 0xD6, "br_on_non_null", IMM_LABEL, "", SPECIAL)

/* Instructions defined by their SEM column alone, in three groups. */
/* Loads then stores: contiguous and in opcode order (the validator
** indexes their widths). */
#define INRO_OPS_MEMORY(X) INRO_OPS_LOAD(X) INRO_OPS_STORE(X)
#define INRO_OPS_LOAD(X) INRO_OPS_LOAD_FULL(X) INRO_OPS_LOAD_PART(X)
/* The loads of a whole value (exec/ir.h: their X form). */
#define INRO_OPS_LOAD_FULL(X) \
  X(I32_LOAD, 0x28, "i32.load", IMM_MEMARG, "i:i", LOAD(I32, uint32_t, 4)) \
  X(I64_LOAD, 0x29, "i64.load", IMM_MEMARG, "i:I", LOAD(I64, uint64_t, 8)) \
  X(F32_LOAD, 0x2A, "f32.load", IMM_MEMARG, "i:f", LOAD(I32, uint32_t, 4)) \
  X(F64_LOAD, 0x2B, "f64.load", IMM_MEMARG, "i:F", LOAD(I64, uint64_t, 8))
#define INRO_OPS_LOAD_PART(X) \
  X(I32_LOAD8_S, 0x2C, "i32.load8_s", IMM_MEMARG, "i:i", LOAD(I32, int8_t, 1)) \
  X(I32_LOAD8_U, 0x2D, "i32.load8_u", IMM_MEMARG, "i:i", LOAD(I32, uint8_t, 1)) \
  X(I32_LOAD16_S, 0x2E, "i32.load16_s", IMM_MEMARG, "i:i", LOAD(I32, int16_t, 2)) \
  X(I32_LOAD16_U, 0x2F, "i32.load16_u", IMM_MEMARG, "i:i", LOAD(I32, uint16_t, 2)) \
  X(I64_LOAD8_S, 0x30, "i64.load8_s", IMM_MEMARG, "i:I", LOAD(I64, int8_t, 1)) \
  X(I64_LOAD8_U, 0x31, "i64.load8_u", IMM_MEMARG, "i:I", LOAD(I64, uint8_t, 1)) \
  X(I64_LOAD16_S, 0x32, "i64.load16_s", IMM_MEMARG, "i:I", LOAD(I64, int16_t, 2)) \
  X(I64_LOAD16_U, 0x33, "i64.load16_u", IMM_MEMARG, "i:I", LOAD(I64, uint16_t, 2)) \
  X(I64_LOAD32_S, 0x34, "i64.load32_s", IMM_MEMARG, "i:I", LOAD(I64, int32_t, 4)) \
  X(I64_LOAD32_U, 0x35, "i64.load32_u", IMM_MEMARG, "i:I", LOAD(I64, uint32_t, 4))
#define INRO_OPS_STORE(X) \
  X(I32_STORE, 0x36, "i32.store", IMM_MEMARG, "ii:", STORE(4)) \
  X(I64_STORE, 0x37, "i64.store", IMM_MEMARG, "iI:", STORE(8)) \
  X(F32_STORE, 0x38, "f32.store", IMM_MEMARG, "if:", STORE(4)) \
  X(F64_STORE, 0x39, "f64.store", IMM_MEMARG, "iF:", STORE(8)) \
  X(I32_STORE8, 0x3A, "i32.store8", IMM_MEMARG, "ii:", STORE(1)) \
  X(I32_STORE16, 0x3B, "i32.store16", IMM_MEMARG, "ii:", STORE(2)) \
  X(I64_STORE8, 0x3C, "i64.store8", IMM_MEMARG, "iI:", STORE(1)) \
  X(I64_STORE16, 0x3D, "i64.store16", IMM_MEMARG, "iI:", STORE(2)) \
  X(I64_STORE32, 0x3E, "i64.store32", IMM_MEMARG, "iI:", STORE(4))

/* One operand (or a conversion) to one result. */
#define INRO_OPS_UNARY(X) \
  X(I32_EQZ, 0x45, "i32.eqz", IMM_NONE, "i:i", UN(I32, I32, x == 0)) \
  X(I64_EQZ, 0x50, "i64.eqz", IMM_NONE, "I:i", UN(I64, I32, x == 0)) \
  X(I32_CLZ, 0x67, "i32.clz", IMM_NONE, "i:i", UN(I32, I32, num_clz32(x))) \
  X(I32_CTZ, 0x68, "i32.ctz", IMM_NONE, "i:i", UN(I32, I32, num_ctz32(x))) \
  X(I32_POPCNT, 0x69, "i32.popcnt", IMM_NONE, "i:i", UN(I32, I32, num_popcnt64(x))) \
  X(I64_CLZ, 0x79, "i64.clz", IMM_NONE, "I:I", UN(I64, I64, num_clz64(x))) \
  X(I64_CTZ, 0x7A, "i64.ctz", IMM_NONE, "I:I", UN(I64, I64, num_ctz64(x))) \
  X(I64_POPCNT, 0x7B, "i64.popcnt", IMM_NONE, "I:I", UN(I64, I64, num_popcnt64(x))) \
  X(F32_ABS, 0x8B, "f32.abs", IMM_NONE, "f:f", UN(I32, I32, x & 0x7FFFFFFFu)) \
  X(F32_NEG, 0x8C, "f32.neg", IMM_NONE, "f:f", UN(I32, I32, x ^ 0x80000000u)) \
  X(F32_CEIL, 0x8D, "f32.ceil", IMM_NONE, "f:f", UN(F32, F32, NUM_ROUND(ceilf, x))) \
  X(F32_FLOOR, 0x8E, "f32.floor", IMM_NONE, "f:f", UN(F32, F32, NUM_ROUND(floorf, x))) \
  X(F32_TRUNC, 0x8F, "f32.trunc", IMM_NONE, "f:f", UN(F32, F32, NUM_ROUND(truncf, x))) \
  X(F32_NEAREST, 0x90, "f32.nearest", IMM_NONE, "f:f", UN(F32, F32, NUM_ROUND(nearbyintf, x))) \
  X(F32_SQRT, 0x91, "f32.sqrt", IMM_NONE, "f:f", UN(F32, F32, NUM_ROUND(sqrtf, x))) \
  X(F64_ABS, 0x99, "f64.abs", IMM_NONE, "F:F", UN(I64, I64, x & 0x7FFFFFFFFFFFFFFFull)) \
  X(F64_NEG, 0x9A, "f64.neg", IMM_NONE, "F:F", UN(I64, I64, x ^ 0x8000000000000000ull)) \
  X(F64_CEIL, 0x9B, "f64.ceil", IMM_NONE, "F:F", UN(F64, F64, NUM_ROUND(ceil, x))) \
  X(F64_FLOOR, 0x9C, "f64.floor", IMM_NONE, "F:F", UN(F64, F64, NUM_ROUND(floor, x))) \
  X(F64_TRUNC, 0x9D, "f64.trunc", IMM_NONE, "F:F", UN(F64, F64, NUM_ROUND(trunc, x))) \
  X(F64_NEAREST, 0x9E, "f64.nearest", IMM_NONE, "F:F", UN(F64, F64, NUM_ROUND(nearbyint, x))) \
  X(F64_SQRT, 0x9F, "f64.sqrt", IMM_NONE, "F:F", UN(F64, F64, NUM_ROUND(sqrt, x))) \
  X(I32_WRAP_I64, 0xA7, "i32.wrap_i64", IMM_NONE, "I:i", UN(I64, I32, (uint32_t)x)) \
  X(I32_TRUNC_F32_S, 0xA8, "i32.trunc_f32_s", IMM_NONE, "f:i", TRUNC(F32, I32, num_trunc_i32_s)) \
  X(I32_TRUNC_F32_U, 0xA9, "i32.trunc_f32_u", IMM_NONE, "f:i", TRUNC(F32, I32, num_trunc_i32_u)) \
  X(I32_TRUNC_F64_S, 0xAA, "i32.trunc_f64_s", IMM_NONE, "F:i", TRUNC(F64, I32, num_trunc_i32_s)) \
  X(I32_TRUNC_F64_U, 0xAB, "i32.trunc_f64_u", IMM_NONE, "F:i", TRUNC(F64, I32, num_trunc_i32_u)) \
  X(I64_EXTEND_I32_S, 0xAC, "i64.extend_i32_s", IMM_NONE, "i:I", UN(S32, I64, (int64_t)x)) \
  X(I64_TRUNC_F32_S, 0xAE, "i64.trunc_f32_s", IMM_NONE, "f:I", TRUNC(F32, I64, num_trunc_i64_s)) \
  X(I64_TRUNC_F32_U, 0xAF, "i64.trunc_f32_u", IMM_NONE, "f:I", TRUNC(F32, I64, num_trunc_i64_u)) \
  X(I64_TRUNC_F64_S, 0xB0, "i64.trunc_f64_s", IMM_NONE, "F:I", TRUNC(F64, I64, num_trunc_i64_s)) \
  X(I64_TRUNC_F64_U, 0xB1, "i64.trunc_f64_u", IMM_NONE, "F:I", TRUNC(F64, I64, num_trunc_i64_u)) \
  X(F32_CONVERT_I32_S, 0xB2, "f32.convert_i32_s", IMM_NONE, "i:f", UN(S32, F32, (float)x)) \
  X(F32_CONVERT_I32_U, 0xB3, "f32.convert_i32_u", IMM_NONE, "i:f", UN(I32, F32, (float)x)) \
  X(F32_CONVERT_I64_S, 0xB4, "f32.convert_i64_s", IMM_NONE, "I:f", UN(S64, F32, (float)x)) \
  X(F32_CONVERT_I64_U, 0xB5, "f32.convert_i64_u", IMM_NONE, "I:f", UN(I64, F32, (float)x)) \
  X(F32_DEMOTE_F64, 0xB6, "f32.demote_f64", IMM_NONE, "F:f", UN(F64, F32, (float)x)) \
  X(F64_CONVERT_I32_S, 0xB7, "f64.convert_i32_s", IMM_NONE, "i:F", UN(S32, F64, (double)x)) \
  X(F64_CONVERT_I32_U, 0xB8, "f64.convert_i32_u", IMM_NONE, "i:F", UN(I32, F64, (double)x)) \
  X(F64_CONVERT_I64_S, 0xB9, "f64.convert_i64_s", IMM_NONE, "I:F", UN(S64, F64, (double)x)) \
  X(F64_CONVERT_I64_U, 0xBA, "f64.convert_i64_u", IMM_NONE, "I:F", UN(I64, F64, (double)x)) \
  X(F64_PROMOTE_F32, 0xBB, "f64.promote_f32", IMM_NONE, "f:F", UN(F32, F64, (double)x)) \
  X(I32_EXTEND8_S, 0xC0, "i32.extend8_s", IMM_NONE, "i:i", UN(I32, I32, (uint32_t)(int32_t)(int8_t)(x & 0xFF))) \
  X(I32_EXTEND16_S, 0xC1, "i32.extend16_s", IMM_NONE, "i:i", UN(I32, I32, (uint32_t)(int32_t)(int16_t)(x & 0xFFFF))) \
  X(I64_EXTEND8_S, 0xC2, "i64.extend8_s", IMM_NONE, "I:I", UN(I64, I64, (uint64_t)(int64_t)(int8_t)(x & 0xFF))) \
  X(I64_EXTEND16_S, 0xC3, "i64.extend16_s", IMM_NONE, "I:I", UN(I64, I64, (uint64_t)(int64_t)(int16_t)(x & 0xFFFF))) \
  X(I64_EXTEND32_S, 0xC4, "i64.extend32_s", IMM_NONE, "I:I", UN(I64, I64, (uint64_t)(int64_t)(int32_t)(x & 0xFFFFFFFFu))) \
  X(I32_TRUNC_SAT_F32_S, 0xFC00, "i32.trunc_sat_f32_s", IMM_NONE, "f:i", UN(F32, I32, num_sat_i32_s(x))) \
  X(I32_TRUNC_SAT_F32_U, 0xFC01, "i32.trunc_sat_f32_u", IMM_NONE, "f:i", UN(F32, I32, num_sat_i32_u(x))) \
  X(I32_TRUNC_SAT_F64_S, 0xFC02, "i32.trunc_sat_f64_s", IMM_NONE, "F:i", UN(F64, I32, num_sat_i32_s(x))) \
  X(I32_TRUNC_SAT_F64_U, 0xFC03, "i32.trunc_sat_f64_u", IMM_NONE, "F:i", UN(F64, I32, num_sat_i32_u(x))) \
  X(I64_TRUNC_SAT_F32_S, 0xFC04, "i64.trunc_sat_f32_s", IMM_NONE, "f:I", UN(F32, I64, num_sat_i64_s(x))) \
  X(I64_TRUNC_SAT_F32_U, 0xFC05, "i64.trunc_sat_f32_u", IMM_NONE, "f:I", UN(F32, I64, num_sat_i64_u(x))) \
  X(I64_TRUNC_SAT_F64_S, 0xFC06, "i64.trunc_sat_f64_s", IMM_NONE, "F:I", UN(F64, I64, num_sat_i64_s(x))) \
  X(I64_TRUNC_SAT_F64_U, 0xFC07, "i64.trunc_sat_f64_u", IMM_NONE, "F:I", UN(F64, I64, num_sat_i64_u(x)))

/* Comparisons: two operands to an i32 condition.  Besides their value
** forms, a comparison joins the br_if or if that tests it (exec/ir.h). */
#define INRO_OPS_COMPARE(X) \
  X(I32_EQ, 0x46, "i32.eq", IMM_NONE, "ii:i", BIN(I32, I32, a == b)) \
  X(I32_NE, 0x47, "i32.ne", IMM_NONE, "ii:i", BIN(I32, I32, a != b)) \
  X(I32_LT_S, 0x48, "i32.lt_s", IMM_NONE, "ii:i", BIN(S32, I32, a < b)) \
  X(I32_LT_U, 0x49, "i32.lt_u", IMM_NONE, "ii:i", BIN(I32, I32, a < b)) \
  X(I32_GT_S, 0x4A, "i32.gt_s", IMM_NONE, "ii:i", BIN(S32, I32, a > b)) \
  X(I32_GT_U, 0x4B, "i32.gt_u", IMM_NONE, "ii:i", BIN(I32, I32, a > b)) \
  X(I32_LE_S, 0x4C, "i32.le_s", IMM_NONE, "ii:i", BIN(S32, I32, a <= b)) \
  X(I32_LE_U, 0x4D, "i32.le_u", IMM_NONE, "ii:i", BIN(I32, I32, a <= b)) \
  X(I32_GE_S, 0x4E, "i32.ge_s", IMM_NONE, "ii:i", BIN(S32, I32, a >= b)) \
  X(I32_GE_U, 0x4F, "i32.ge_u", IMM_NONE, "ii:i", BIN(I32, I32, a >= b)) \
  X(I64_EQ, 0x51, "i64.eq", IMM_NONE, "II:i", BIN(I64, I32, a == b)) \
  X(I64_NE, 0x52, "i64.ne", IMM_NONE, "II:i", BIN(I64, I32, a != b)) \
  X(I64_LT_S, 0x53, "i64.lt_s", IMM_NONE, "II:i", BIN(S64, I32, a < b)) \
  X(I64_LT_U, 0x54, "i64.lt_u", IMM_NONE, "II:i", BIN(I64, I32, a < b)) \
  X(I64_GT_S, 0x55, "i64.gt_s", IMM_NONE, "II:i", BIN(S64, I32, a > b)) \
  X(I64_GT_U, 0x56, "i64.gt_u", IMM_NONE, "II:i", BIN(I64, I32, a > b)) \
  X(I64_LE_S, 0x57, "i64.le_s", IMM_NONE, "II:i", BIN(S64, I32, a <= b)) \
  X(I64_LE_U, 0x58, "i64.le_u", IMM_NONE, "II:i", BIN(I64, I32, a <= b)) \
  X(I64_GE_S, 0x59, "i64.ge_s", IMM_NONE, "II:i", BIN(S64, I32, a >= b)) \
  X(I64_GE_U, 0x5A, "i64.ge_u", IMM_NONE, "II:i", BIN(I64, I32, a >= b)) \
  X(F32_EQ, 0x5B, "f32.eq", IMM_NONE, "ff:i", BIN(F32, I32, a == b)) \
  X(F32_NE, 0x5C, "f32.ne", IMM_NONE, "ff:i", BIN(F32, I32, a != b)) \
  X(F32_LT, 0x5D, "f32.lt", IMM_NONE, "ff:i", BIN(F32, I32, a < b)) \
  X(F32_GT, 0x5E, "f32.gt", IMM_NONE, "ff:i", BIN(F32, I32, a > b)) \
  X(F32_LE, 0x5F, "f32.le", IMM_NONE, "ff:i", BIN(F32, I32, a <= b)) \
  X(F32_GE, 0x60, "f32.ge", IMM_NONE, "ff:i", BIN(F32, I32, a >= b)) \
  X(F64_EQ, 0x61, "f64.eq", IMM_NONE, "FF:i", BIN(F64, I32, a == b)) \
  X(F64_NE, 0x62, "f64.ne", IMM_NONE, "FF:i", BIN(F64, I32, a != b)) \
  X(F64_LT, 0x63, "f64.lt", IMM_NONE, "FF:i", BIN(F64, I32, a < b)) \
  X(F64_GT, 0x64, "f64.gt", IMM_NONE, "FF:i", BIN(F64, I32, a > b)) \
  X(F64_LE, 0x65, "f64.le", IMM_NONE, "FF:i", BIN(F64, I32, a <= b)) \
  X(F64_GE, 0x66, "f64.ge", IMM_NONE, "FF:i", BIN(F64, I32, a >= b))

/* The other binary instructions: those whose operands commute, or whose
** first operand is rarely a constant. */
#define INRO_OPS_ARITH(X) \
  X(I32_ADD, 0x6A, "i32.add", IMM_NONE, "ii:i", BIN(I32, I32, a + b)) \
  X(I32_MUL, 0x6C, "i32.mul", IMM_NONE, "ii:i", BIN(I32, I32, a * b)) \
  X(I32_AND, 0x71, "i32.and", IMM_NONE, "ii:i", BIN(I32, I32, a & b)) \
  X(I32_OR, 0x72, "i32.or", IMM_NONE, "ii:i", BIN(I32, I32, a | b)) \
  X(I32_XOR, 0x73, "i32.xor", IMM_NONE, "ii:i", BIN(I32, I32, a ^ b)) \
  X(I64_ADD, 0x7C, "i64.add", IMM_NONE, "II:I", BIN(I64, I64, a + b)) \
  X(I64_MUL, 0x7E, "i64.mul", IMM_NONE, "II:I", BIN(I64, I64, a * b)) \
  X(I64_AND, 0x83, "i64.and", IMM_NONE, "II:I", BIN(I64, I64, a & b)) \
  X(I64_OR, 0x84, "i64.or", IMM_NONE, "II:I", BIN(I64, I64, a | b)) \
  X(I64_XOR, 0x85, "i64.xor", IMM_NONE, "II:I", BIN(I64, I64, a ^ b)) \
  X(F32_ADD, 0x92, "f32.add", IMM_NONE, "ff:f", BIN(F32, F32, a + b)) \
  X(F32_MUL, 0x94, "f32.mul", IMM_NONE, "ff:f", BIN(F32, F32, a * b)) \
  X(F64_ADD, 0xA0, "f64.add", IMM_NONE, "FF:F", BIN(F64, F64, a + b)) \
  X(F64_MUL, 0xA2, "f64.mul", IMM_NONE, "FF:F", BIN(F64, F64, a * b))

/* Binary instructions whose first operand may be a constant that does not
** commute to the second place (1 - x, 1 << n): they also have the CS form
** (exec/ir.h). */
#define INRO_OPS_ARITH_CS(X) \
  X(I32_SUB, 0x6B, "i32.sub", IMM_NONE, "ii:i", BIN(I32, I32, a - b)) \
  X(I32_SHL, 0x74, "i32.shl", IMM_NONE, "ii:i", BIN(I32, I32, a << (b & 31))) \
  X(I32_SHR_S, 0x75, "i32.shr_s", IMM_NONE, "ii:i", BIN(I32, I32, num_shr_s32(a, b))) \
  X(I32_SHR_U, 0x76, "i32.shr_u", IMM_NONE, "ii:i", BIN(I32, I32, a >> (b & 31))) \
  X(I32_ROTL, 0x77, "i32.rotl", IMM_NONE, "ii:i", BIN(I32, I32, num_rotl32(a, b))) \
  X(I32_ROTR, 0x78, "i32.rotr", IMM_NONE, "ii:i", BIN(I32, I32, num_rotr32(a, b))) \
  X(I64_SUB, 0x7D, "i64.sub", IMM_NONE, "II:I", BIN(I64, I64, a - b)) \
  X(I64_SHL, 0x86, "i64.shl", IMM_NONE, "II:I", BIN(I64, I64, a << (b & 63))) \
  X(I64_SHR_S, 0x87, "i64.shr_s", IMM_NONE, "II:I", BIN(I64, I64, num_shr_s64(a, b))) \
  X(I64_SHR_U, 0x88, "i64.shr_u", IMM_NONE, "II:I", BIN(I64, I64, a >> (b & 63))) \
  X(F32_SUB, 0x93, "f32.sub", IMM_NONE, "ff:f", BIN(F32, F32, a - b)) \
  X(F32_DIV, 0x95, "f32.div", IMM_NONE, "ff:f", BIN(F32, F32, a / b)) \
  X(F64_SUB, 0xA1, "f64.sub", IMM_NONE, "FF:F", BIN(F64, F64, a - b)) \
  X(F64_DIV, 0xA3, "f64.div", IMM_NONE, "FF:F", BIN(F64, F64, a / b))

/* Binary instructions with the SS form only (exec/ir.h): division and
** remainder, which take tens of cycles and a trap check, and i64
** rotations, min, max and copysign, which none of bench/run's programs
** runs, natively or self-hosted (`make irstats`): an operand read from R
** instead of its slot would save nothing measurable. */
#define INRO_OPS_ARITH_SS(X) \
  X(I32_DIV_S, 0x6D, "i32.div_s", IMM_NONE, "ii:i", DIVS(I32, S32, INT32_MIN, a / b)) \
  X(I32_DIV_U, 0x6E, "i32.div_u", IMM_NONE, "ii:i", DIVU(I32, a / b)) \
  X(I32_REM_S, 0x6F, "i32.rem_s", IMM_NONE, "ii:i", REMS(I32, S32, INT32_MIN)) \
  X(I32_REM_U, 0x70, "i32.rem_u", IMM_NONE, "ii:i", DIVU(I32, a % b)) \
  X(I64_DIV_S, 0x7F, "i64.div_s", IMM_NONE, "II:I", DIVS(I64, S64, INT64_MIN, a / b)) \
  X(I64_DIV_U, 0x80, "i64.div_u", IMM_NONE, "II:I", DIVU(I64, a / b)) \
  X(I64_REM_S, 0x81, "i64.rem_s", IMM_NONE, "II:I", REMS(I64, S64, INT64_MIN)) \
  X(I64_REM_U, 0x82, "i64.rem_u", IMM_NONE, "II:I", DIVU(I64, a % b)) \
  X(I64_ROTL, 0x89, "i64.rotl", IMM_NONE, "II:I", BIN(I64, I64, num_rotl64(a, b))) \
  X(I64_ROTR, 0x8A, "i64.rotr", IMM_NONE, "II:I", BIN(I64, I64, num_rotr64(a, b))) \
  X(F32_MIN, 0x96, "f32.min", IMM_NONE, "ff:f", BIN(F32, F32, num_fmin32(a, b))) \
  X(F32_MAX, 0x97, "f32.max", IMM_NONE, "ff:f", BIN(F32, F32, num_fmax32(a, b))) \
  X(F32_COPYSIGN, 0x98, "f32.copysign", IMM_NONE, "ff:f", BIN(I32, I32, (a & 0x7FFFFFFFu) | (b & 0x80000000u))) \
  X(F64_MIN, 0xA4, "f64.min", IMM_NONE, "FF:F", BIN(F64, F64, num_fmin64(a, b))) \
  X(F64_MAX, 0xA5, "f64.max", IMM_NONE, "FF:F", BIN(F64, F64, num_fmax64(a, b))) \
  X(F64_COPYSIGN, 0xA6, "f64.copysign", IMM_NONE, "FF:F", BIN(I64, I64, (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull)))

/* Two operands to one result, no immediates (exec/ir.h: operand forms). */
#define INRO_OPS_BINARY(X) \
  INRO_OPS_COMPARE(X) INRO_OPS_ARITH(X) INRO_OPS_ARITH_CS(X) INRO_OPS_ARITH_SS(X)

/* Instructions whose result has the bits of their operand (an i32 slot
** holds its value zero-extended, so i64.extend_i32_u is one of them): the
** translator only retypes the operand, they run no code. */
#define INRO_OPS_BITCAST(X) \
  X(I64_EXTEND_I32_U, 0xAD, "i64.extend_i32_u", IMM_NONE, "i:I", BITCAST) \
  X(I32_REINTERPRET_F32, 0xBC, "i32.reinterpret_f32", IMM_NONE, "f:i", BITCAST) \
  X(I64_REINTERPRET_F64, 0xBD, "i64.reinterpret_f64", IMM_NONE, "F:I", BITCAST) \
  X(F32_REINTERPRET_I32, 0xBE, "f32.reinterpret_i32", IMM_NONE, "i:f", BITCAST) \
  X(F64_REINTERPRET_I64, 0xBF, "f64.reinterpret_i64", IMM_NONE, "I:F", BITCAST)

#define INRO_OPS_SIMPLE(X) INRO_OPS_MEMORY(X) INRO_OPS_UNARY(X) INRO_OPS_BINARY(X) \
  INRO_OPS_BITCAST(X)

/* The v128 rows last: op ids from OP_SIMD_FIRST on are theirs. */
#define INRO_OPCODES(X) INRO_OPS_SPECIAL(X) INRO_OPS_WASM3(X) INRO_OPS_SIMPLE(X) \
  INRO_OPS_SIMD(X)

/* Immediate kinds, in the order the decoder reads them. */
typedef enum op_imm {
  IMM_NONE, IMM_BLOCKTYPE, IMM_LABEL, IMM_BR_TABLE, IMM_FUNC,
  IMM_CALL_INDIRECT, IMM_SELECT_T, IMM_LOCAL, IMM_GLOBAL, IMM_TABLE,
  IMM_MEMARG, IMM_MEMORY, IMM_I32, IMM_I64, IMM_F32, IMM_F64, IMM_REFTYPE,
  IMM_MEMORY_INIT, IMM_DATA, IMM_MEMORY_COPY, IMM_TABLE_INIT, IMM_ELEM,
  IMM_TABLE_COPY,
  IMM_TAG, IMM_TYPE, IMM_TRY_TABLE,
  /* v128: 16 bytes (a: bytes 0-7, b: bytes 8-15, each little-endian);
  ** 16 lane indices (the same); one lane index byte (a); a memarg and a
  ** lane index byte (a, b, c as IMM_MEMARG, lane). */
  IMM_V128, IMM_SHUFFLE, IMM_LANE, IMM_MEMARG_LANE
} op_imm;

/* Dense instruction numbering: OP_I32_ADD, ... in table order. */
typedef enum op_id {
#define OP_ENUM(name, code, text, imm, sig, sem) OP_##name,
  INRO_OPS_SPECIAL(OP_ENUM) INRO_OPS_WASM3(OP_ENUM) INRO_OPS_SIMPLE(OP_ENUM)
  OP_SIMD_FIRST,                   /* = the first v128 row, which follows: */
  OP_SIMD_FIRST_ = OP_SIMD_FIRST - 1,
  INRO_OPS_SIMD(OP_ENUM)
#undef OP_ENUM
  OP_COUNT
} op_id;

typedef struct op_info {
  unsigned code;     /* binary encoding, 0xFCnn for prefixed */
  const char *text;  /* text-format name */
  op_imm imm;
  const char *sig;   /* "params:results" or "" */
} op_info;

extern const op_info op_table[OP_COUNT];

/* The bytes a scalar (not v128) load or store accesses. */
static inline unsigned op_mem_width(unsigned op) {
  switch (op) {
  case OP_I32_LOAD8_S: case OP_I32_LOAD8_U: case OP_I64_LOAD8_S: case OP_I64_LOAD8_U:
  case OP_I32_STORE8: case OP_I64_STORE8:
    return 1;
  case OP_I32_LOAD16_S: case OP_I32_LOAD16_U: case OP_I64_LOAD16_S: case OP_I64_LOAD16_U:
  case OP_I32_STORE16: case OP_I64_STORE16:
    return 2;
  case OP_I64_LOAD: case OP_F64_LOAD: case OP_I64_STORE: case OP_F64_STORE:
    return 8;
  default:
    return 4;
  }
}

/* Map a binary opcode (0xFCnn for prefixed) to its op_id, or -1. */
int op_lookup(unsigned code);

#endif
