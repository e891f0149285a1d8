/*
** opcodes.c -- the instruction table expanded into data, and the
** binary-opcode -> op_id lookup the decoder uses.
*/
#include "binary/opcodes.h"

const op_info op_table[OP_COUNT] = {
#define OP_INFO(name, code, text, imm, sig, sem) {code, text, imm, sig},
  INRO_OPCODES(OP_INFO)
#undef OP_INFO
};

/* One dense map, built by the compiler so that stores in several threads
** share it without a race: one-byte opcodes at [code], the 0xFC group at
** [256 + low byte], the 0xFD group (binary/opcodes_simd.h) at [288 + n].
** Entries hold op_id + 1, so that 0 means "none". */
#define SIMD_SUBCODES 0x114
#define OP_SLOT(code) ((code) < 256 ? (code) \
                       : (code) >> 12 == 0xFD ? 288 + ((code) & 0xFFF) : 256 + ((code) & 0xFF))
_Static_assert(OP_COUNT < 65535, "op_by_code holds op_id + 1 in 16 bits");
static const unsigned short op_by_code[288 + SIMD_SUBCODES] = {
#define OP_MAP(name, code, text, imm, sig, sem) [OP_SLOT(code)] = OP_##name + 1,
  INRO_OPCODES(OP_MAP)
#undef OP_MAP
};

int op_lookup(unsigned code) {
  if (code < 256) return op_by_code[code] - 1;
  if ((code >> 8) == 0xFC && (code & 0xFF) < 32) return op_by_code[256 + (code & 0xFF)] - 1;
  if ((code >> 12) == 0xFD && (code & 0xFFF) < SIMD_SUBCODES)
    return op_by_code[288 + (code & 0xFFF)] - 1;
  return -1;
}
