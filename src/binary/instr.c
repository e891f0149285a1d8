/*
** instr.c -- instruction reader driven by the opcode table's IMM column.
*/
#include "inro.h"
#include "binary/instr.h"

/* A single zero byte: the reserved memory index of MVP-era instructions. */
static void zero_byte(reader *r) {
  if (rd_u8(r) != 0 && !r->failed) rd_fail(r, "zero byte expected");
}

/* A memarg: alignment exponent in a, offset in b (also of the v128 lane
** instructions, whose lane index byte follows). */
static void memarg(reader *r, instr *in) {
  in->a = rd_u32(r);
  in->b = rd_u32(r);
}

int instr_read(reader *r, instr *in) {
  in->offset = r->pos;
  in->a = in->b = 0;
  in->vec_len = 0;
  in->lane = 0;
  unsigned code = rd_u8(r);
  if (r->failed) return in->op = -1;
  int op;
  if (code == 0xFC || code == 0xFD) {
    /* The sub-opcode of the 0xFC and 0xFD groups is a u32 LEB. */
    uint32_t sub = rd_u32(r);
    if (r->failed) return in->op = -1;
    if (code == 0xFC) op = sub < 0x100 ? op_lookup(0xFC00 | sub) : -1;
    else op = sub < 0x1000 ? op_lookup(OP_SIMD_CODE(sub)) : -1;
  } else {
    op = op_lookup(code);
  }
  if (op < 0) {
    r->pos = in->offset;
    rd_fail(r, "illegal opcode");
    return in->op = -1;
  }
  switch (op_table[op].imm) {
  case IMM_NONE:
    break;
  case IMM_BLOCKTYPE:
    in->a = (uint64_t)rd_s33(r);
    break;
  case IMM_LABEL: case IMM_FUNC: case IMM_LOCAL: case IMM_GLOBAL:
  case IMM_TABLE: case IMM_DATA: case IMM_ELEM:
    in->a = rd_u32(r);
    break;
  case IMM_BR_TABLE: {
    uint32_t n = rd_u32(r);
    in->vec_pos = r->pos;
    in->vec_len = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) rd_u32(r);
    in->a = rd_u32(r); /* default label */
    break;
  }
  case IMM_CALL_INDIRECT:
  case IMM_TABLE_INIT:   /* elem, table */
  case IMM_TABLE_COPY:   /* dst, src */
    in->a = rd_u32(r);
    in->b = rd_u32(r);
    break;
  case IMM_SELECT_T: {
    uint32_t n = rd_u32(r);
    in->vec_pos = r->pos;
    in->vec_len = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) rd_u8(r);
    break;
  }
  case IMM_MEMARG:
    memarg(r, in);
    break;
  case IMM_MEMORY:
    zero_byte(r);
    break;
  case IMM_MEMORY_INIT:
    in->a = rd_u32(r);
    zero_byte(r);
    break;
  case IMM_MEMORY_COPY:
    zero_byte(r);
    zero_byte(r);
    break;
  case IMM_I32:
    in->a = (uint32_t)rd_s32(r);
    break;
  case IMM_I64:
    in->a = (uint64_t)rd_s64(r);
    break;
  case IMM_F32:
    in->a = rd_fixed32(r);
    break;
  case IMM_F64:
    in->a = rd_fixed64(r);
    break;
  case IMM_V128:
  case IMM_SHUFFLE:
    in->a = rd_fixed64(r);
    in->b = rd_fixed64(r);
    break;
  case IMM_LANE:
    in->a = rd_u8(r);
    break;
  case IMM_MEMARG_LANE:
    memarg(r, in);
    in->lane = rd_u8(r);
    break;
  case IMM_REFTYPE:
    in->a = rd_u8(r);
    if (!r->failed && in->a != INRO_FUNCREF && in->a != INRO_EXTERNREF)
      rd_fail(r, "malformed reference type");
    break;
  }
  if (r->failed) return in->op = -1;
  return in->op = op;
}

void instr_skip_locals(reader *r) {
  uint32_t groups = rd_u32(r);
  for (uint32_t i = 0; i < groups && !r->failed; i++) {
    rd_u32(r);
    rd_u8(r);
  }
}
