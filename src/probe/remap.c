/*
** remap.c -- moving a frame between two translations of one function.
**
** Both translations have a pcmap from IR word to Wasm byte offset, and the
** Wasm offsets of their instructions appear in the same (increasing)
** order; they differ only in IR_PROBE instructions.  A saved pc, and a
** frame restored from a snapshot, is one of:
**   a return address: the word after a call instruction -> the word after
**     the same call in the other translation;
**   a probe position (at_probe): the IR_PROBE firing before the
**     instruction at offset X -> the instruction at X in the other
**     translation, *after* its IR_PROBE (that probe has fired already).
*/
#include "probe/probe.h"

/* Index of the first pcmap entry with offset >= x. */
static uint32_t lower_bound(const code *c, uint32_t x) {
  uint32_t lo = 0, hi = c->npcmap;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->pcmap[2 * mid + 1] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static const uint32_t *entry_start(const code *c, uint32_t i) {
  return c->words + (i < c->npcmap ? c->pcmap[2 * i] : c->nwords);
}

const uint32_t *code_resume_pc(const code *c, uint32_t offset, int after_call) {
  uint32_t i = lower_bound(c, offset);
  if (!after_call) {
    if (i < c->npcmap && c->pcmap[2 * i + 1] == offset &&
        c->words[c->pcmap[2 * i]] == IR_PROBE)
      i++;
    return entry_start(c, i);
  }
  while (i + 1 < c->npcmap && c->pcmap[2 * (i + 1) + 1] == offset) i++;
  return entry_start(c, i + 1);
}

const uint32_t *remap_pc(const code *from, const code *to,
                         const uint32_t *pc, int at_probe) {
  uint32_t p = (uint32_t)(pc - from->words);
  return code_resume_pc(to, code_offset_of(from, at_probe ? p : p - 1), !at_probe);
}
