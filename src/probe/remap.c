/*
** remap.c -- moving a frame between two translations of one function.
**
** A frame's position is one of:
**   a return address: the word after a call instruction -> the word after
**     the call of the same Wasm offset in the other translation (a call
**     is the last instruction emitted for its Wasm instruction);
**   stopped before the instruction at offset X: the exact position of X
**     (exec/ir.h), which the other translation must have (probe/probe.c
**     makes it a barrier); at a probe or restored from a snapshot, after
**     the IR_COUNTERs, IR_RECORDS and context events and the IR_PROBE
**     there if there are (that probe has fired, what comes before it
**     ran), at the end of a slice before them.
*/
#include "probe/probe.h"

/* Index of the first pcmap entry with offset > x. */
static uint32_t upper_bound(const code *c, uint32_t x) {
  uint32_t lo = 0, hi = c->npcmap;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->pcmap[2 * mid + 1] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The code of an instruction before its probe (translate.c's
** emit_counters). */
static int ran_before_probe(uint32_t op) {
  return op == IR_COUNTER || op == IR_RECORDS || op == IR_CTX_ENTER || op == IR_CTX_EXIT;
}

const uint32_t *code_resume_pc(const code *c, uint32_t offset, int where) {
  if (where == RESUME_AFTER_CALL) {
    uint32_t i = upper_bound(c, offset);
    return c->words + (i < c->npcmap ? c->pcmap[2 * i] : c->nwords);
  }
  uint32_t p = code_exact_at(c, offset);
  if (p == UINT32_MAX) return NULL;
  if (where == RESUME_AFTER_PROBE) { /* the counters before a probe ran too */
    /* Only this instruction's: with no probe between them, the next
    ** one's (after an `end`, which emits no code) follow at once. */
    while (p < c->nwords && ran_before_probe(IR_OP(c->words[p])) && code_offset_of(c, p) == offset)
      p += ir_length(c->words + p);
    if (p < c->nwords && IR_OP(c->words[p]) == IR_PROBE && c->words[p + 2] == offset) p += 4;
  }
  return c->words + p;
}

const uint32_t *remap_pc(const code *to, const frame *f) {
  return code_resume_pc(to, frame_offset(f), f->at_probe == AT_EXACT ? RESUME_BEFORE
                                             : f->at_probe ? RESUME_AFTER_PROBE
                                                           : RESUME_AFTER_CALL);
}
