/*
** code.c -- translated code: the IR pc -> Wasm offset map.
*/
#include <stdlib.h>

#include "exec/ir.h"

const uint16_t ir_fused_base[OP_COUNT] = {
#define FUSED_BASE(name, code, text, imm, sig, sem) [OP_##name] = OP_##name##_LL,
  INRO_OPS_BINARY(FUSED_BASE)
#undef FUSED_BASE
};

const uint16_t ir_jump_base[OP_COUNT] = {
#define JUMP_BASE(name, code, text, imm, sig, sem) [OP_##name] = OP_##name##_LL_J,
  INRO_OPS_COMPARE(JUMP_BASE)
#undef JUMP_BASE
};

const uint16_t ir_load_base[OP_COUNT] = {
#define LOAD_BASE(name, code, text, imm, sig, sem) [OP_##name] = OP_##name##_LL,
  INRO_OPS_LOAD(LOAD_BASE)
  INRO_OPS_STORE(LOAD_BASE)
#undef LOAD_BASE
};

const uint16_t ir_unary_base[OP_COUNT] = {
#define UNARY_BASE(name, code, text, imm, sig, sem) [OP_##name] = OP_##name##_L,
  INRO_OPS_UNARY(UNARY_BASE)
#undef UNARY_BASE
};

uint32_t code_entry_of(const code *c, uint32_t pc) {
  /* The last instruction that starts at or before pc. */
  uint32_t lo = 0, hi = c->npcmap;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->pcmap[2 * mid] <= pc) lo = mid;
    else hi = mid;
  }
  return lo;
}

uint32_t code_offset_of(const code *c, uint32_t pc) {
  return c->npcmap ? c->pcmap[2 * code_entry_of(c, pc) + 1] : 0;
}

void code_free(code *c) {
  if (!c) return;
  free(c->words);
  free(c->pcmap);
  free(c->local_types);
  free(c);
}
