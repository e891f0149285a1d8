/*
** instr.c -- instruction reader driven by the opcode table's IMM column.
*/
#include "inro.h"
#include "binary/instr.h"
#include "binary/types.h"

/* A block type: empty, one value type, or a type index (s33). */
static void blocktype(reader *r, instr *in) {
  size_t at = r->pos;
  int64_t bt = rd_s33(r);
  if (r->failed) return;
  in->a = (uint64_t)bt;
  if (bt >= 0 || bt == BLOCKTYPE_EMPTY) return;
  r->pos = at; /* a value type, read again as one */
  in->a = (uint64_t)(int64_t)BLOCKTYPE_VALUE;
  in->b = rd_valtype3(r, 0);
}

void instr_catch(reader *r, uint32_t *kind, uint32_t *tag, uint32_t *label) {
  *kind = rd_u8(r);
  *tag = 0;
  if (*kind <= CATCH_TAG_REF) *tag = rd_u32(r);
  else if (*kind > CATCH_ALL_REF && !r->failed) rd_fail(r, "malformed catch clause");
  *label = rd_u32(r);
}

/* A memarg: alignment exponent in a, offset in b, memory index in c
** (also of the v128 lane instructions, whose lane index byte follows). */
static void memarg(reader *r, instr *in) {
  /* Alignment exponent; bit 6 says a memory index follows. */
  uint32_t flags = rd_u32(r);
  if (!r->failed && flags >= 128) rd_fail(r, "malformed memop flags");
  in->a = flags & 63;
  if (flags & 64) in->c = rd_u32(r);
  in->b = rd_u64(r); /* offset: checked against the memory's type later */
}

int instr_read(reader *r, instr *in) {
  in->offset = r->pos;
  in->a = in->b = 0;
  in->c = 0;
  in->vec_len = 0;
  in->lane = 0;
  unsigned code = rd_u8(r);
  if (r->failed) return in->op = -1;
  int op;
  if (code == 0xFB || code == 0xD3) { /* GC's instructions, ref.eq */
    r->pos = in->offset;
    rd_fail(r, RD_GC);
    return in->op = -1;
  }
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
    blocktype(r, in);
    break;
  case IMM_TRY_TABLE: {
    blocktype(r, in);
    uint32_t n = rd_u32(r), kind, tag, label;
    in->vec_pos = r->pos;
    in->vec_len = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) instr_catch(r, &kind, &tag, &label);
    break;
  }
  case IMM_LABEL: case IMM_FUNC: case IMM_LOCAL: case IMM_GLOBAL:
  case IMM_TABLE: case IMM_DATA: case IMM_ELEM: case IMM_TAG: case IMM_TYPE:
  case IMM_MEMORY:
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
    for (uint32_t i = 0; i < n && !r->failed; i++) rd_valtype3(r, 0);
    break;
  }
  case IMM_MEMARG:
    memarg(r, in);
    break;
  case IMM_MEMORY_INIT:
    in->a = rd_u32(r);
    in->b = rd_u32(r);
    break;
  case IMM_MEMORY_COPY:
    in->a = rd_u32(r);
    in->b = rd_u32(r);
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
    in->a = rd_heaptype(r, 1);
    break;
  }
  if (r->failed) return in->op = -1;
  return in->op = op;
}

void instr_skip_locals(reader *r) {
  uint32_t groups = rd_u32(r);
  for (uint32_t i = 0; i < groups && !r->failed; i++) {
    rd_u32(r);
    rd_valtype3(r, 0);
  }
}
