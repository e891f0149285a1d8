/*
** code.c -- translated code: the IR op tables and the maps from IR
** positions back to Wasm offsets (exec/ir.h).
*/
#include <stdlib.h>

#include "exec/ir.h"

#if defined(__GNUC__)
/* Each op's struct is set piece by piece, by design. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Winitializer-overrides"
#endif
const ir_op_info ir_info[IR_COUNT] = {
#define HAND_INFO(name, text, layout) [IR_##name] = {text, layout, 0, 0},
  IR_HAND_OPS(HAND_INFO)
  IR_WASM3_OPS(HAND_INFO)
  IR_SIMD_HAND_OPS(HAND_INFO)
  IR_LATE_OPS(HAND_INFO)
#undef HAND_INFO
#define FORM(name, suffix, text, layout) [IR_##name##suffix] = {text, layout, OP_##name, 1},
  IR_FORMS
#undef FORM
#define SET_R(name) [IR_##name].result_in_r = 1,
  IR_R_HAND_OPS(SET_R)
#undef SET_R
};

/* One designated initializer per form: [OP_X].ss = IR_X_SS, ... */
#define SET_ARITH(name, code, text, imm, sig, sem) \
  [OP_##name].ss = IR_##name##_SS, [OP_##name].sr = IR_##name##_SR,
#define SET_RS(name, code, text, imm, sig, sem) [OP_##name].rs = IR_##name##_RS,
#define SET_COMPARE(name, code, text, imm, sig, sem) [OP_##name].ss = IR_##name##_SS, \
  [OP_##name].jss = IR_##name##_JSS, [OP_##name].jsr = IR_##name##_JSR,
#define SET_S(name, code, text, imm, sig, sem) [OP_##name].s = IR_##name##_S,
#define SET_SS(name, code, text, imm, sig, sem) [OP_##name].ss = IR_##name##_SS,
#define SET_LOAD(name, code, text, imm, sig, sem) \
  [OP_##name].s = IR_##name##_S, [OP_##name].r = IR_##name##_R, \
  [OP_##name].ss = IR_##name##_SS, [OP_##name].sr = IR_##name##_SR,
#define SET_X(name, code, text, imm, sig, sem) [OP_##name].x = IR_##name##_X,
#define SET_STORE(name, code, text, imm, sig, sem) \
  [OP_##name].ss = IR_##name##_SS, [OP_##name].sr = IR_##name##_SR,
/* A v128 row's SEM names its group: V_BIN(fn) is IR_V_BIN. */
#define V_UN(fn) IR_V_UN
#define V_BIN(fn) IR_V_BIN
#define V_TERN(fn) IR_V_TERN
#define V_SHIFT(fn) IR_V_SHIFT
#define V_SPLAT(fn) IR_V_SPLAT
#define V_TEST(fn) IR_V_TEST
#define V_EXTRACT(fn, lanes) IR_V_EXTRACT
#define V_REPLACE(fn, lanes) IR_V_REPLACE
#define V_SHUFFLE(fn) IR_V_SHUFFLE
#define V_LOAD(fn, bytes) IR_V_LOAD
#define V_STORE(fn, bytes) IR_V_STORE
#define V_LOAD_LANE(fn, bytes) IR_V_LOAD_LANE
#define V_STORE_LANE(fn, bytes) IR_V_STORE_LANE
#define SET_V(name, code, text, imm, sig, sem) [OP_##name].v = sem, [OP_##name].lane = OP_##name,
#define V_SAME(target) OP_##target
#define SET_SAME(name, code, text, imm, sig, sem) [OP_##name].lane = sem,
const ir_forms ir_form[OP_COUNT] = {
  INRO_OPS_ARITH(SET_ARITH)
  INRO_OPS_ARITH_CS(SET_ARITH)
  INRO_OPS_ARITH_CS(SET_RS)
  INRO_OPS_ARITH_SS(SET_SS)
  INRO_OPS_COMPARE(SET_COMPARE)
  INRO_OPS_UNARY(SET_S)
  INRO_OPS_LOAD(SET_LOAD)
  INRO_OPS_LOAD_FULL(SET_X)
  INRO_OPS_STORE(SET_STORE)
  INRO_OPS_SIMD_RUN(SET_V)
  INRO_OPS_SIMD_RELAXED_SAME(SET_SAME)
};
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

uint32_t ir_length(const uint32_t *w) {
  uint32_t n = 1;
  for (const char *p = ir_info[IR_OP(w[0])].layout; *p; p++) n += *p == 'K' ? 2 : *p != 'r';
  return n + ir_table_words(w);
}

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

uint32_t code_exact_at(const code *c, uint32_t offset) {
  uint32_t lo = 0, hi = c->nexact;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->exact[3 * mid + 1] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < c->nexact && c->exact[3 * lo + 1] == offset ? c->exact[3 * lo] : UINT32_MAX;
}

const uint32_t *code_exact_entry(const code *c, uint32_t pc) {
  uint32_t lo = 0, hi = c->nexact;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->exact[3 * mid] < pc) lo = mid + 1;
    else hi = mid;
  }
  return lo < c->nexact && c->exact[3 * lo] == pc ? c->exact + 3 * lo : NULL;
}

int code_stub(const code *c, uint32_t flags, code *stub, uint32_t *words) {
  const uint32_t *start = code_exact_entry(c, 0);
  if (!start) return 0;
  *stub = *c;
  stub->words = words;
  stub->nwords = CODE_STUB_WORDS;
  words[0] = IR_PROBE;
  words[1] = flags;
  words[2] = start[1];
  words[3] = start[2];
  return 1;
}

const uint32_t *code_recover_at(const code *c, uint32_t pc) {
  uint32_t lo = 0, hi = c->nrecover;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->recover[2 * mid] < pc) lo = mid + 1;
    else hi = mid;
  }
  if (lo < c->nrecover && c->recover[2 * lo] == pc) return c->recover_words + c->recover[2 * lo + 1];
  return NULL;
}

void code_free(code *c) {
  if (!c) return;
  free(c->words);
  free(c->pcmap);
  free(c->exact);
  free(c->recover);
  free(c->recover_words);
  free(c->handlers);
  free(c->catches);
  free(c->local_types);
  free(c->local_vtypes);
  free(c->consts);
  free(c);
}
