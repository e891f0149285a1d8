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

/* Two dense maps, built on first use: one-byte opcodes and 0xFC group. */
static short map_plain[256], map_fc[32];
static int map_ready;

static void build_maps(void) {
  for (int i = 0; i < 256; i++) map_plain[i] = -1;
  for (int i = 0; i < 32; i++) map_fc[i] = -1;
  for (int i = 0; i < OP_COUNT; i++) {
    unsigned c = op_table[i].code;
    if (c < 256) map_plain[c] = (short)i;
    else map_fc[c & 0xFF] = (short)i;
  }
  map_ready = 1;
}

int op_lookup(unsigned code) {
  if (!map_ready) build_maps();
  if (code < 256) return map_plain[code];
  if ((code >> 8) == 0xFC && (code & 0xFF) < 32) return map_fc[code & 0xFF];
  return -1;
}
