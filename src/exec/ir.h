/*
** ir.h -- inro's internal code: pre-decoded WebAssembly.
**
** The IR is the Wasm instruction sequence of one function with immediates
** decoded into 32-bit words and control flow resolved to word targets.  It
** stays a stack machine over the *same* operand stack the Wasm abstract
** machine has: slot i of the operand stack lives at fp[nlocals + i].  So at
** the start of every emitted instruction the Wasm state is exactly
** (function, pcmap(pc) = Wasm byte offset, locals, operand stack), which is
** what probes, backtraces and snapshots need.
**
** Layout: word 0 of an instruction is its opcode: an op_id from
** binary/opcodes.h, or one of the IR-only ops below.  Immediates follow:
**   LOCAL_*         [op, local index]
**   GLOBAL_*        [op, global index]
**   I32/F32 const   [op, bits]      I64/F64 const [op, lo, hi]
**   loads/stores    [op, offset]
**   CALL            [op, function index]
**   CALL_INDIRECT   [op, type index, table index]
**   IF              [op, else-target]        (jumps when the i32 is zero)
**   BR, BR_IF       [op, target, keep, dst]  (moves `keep` values down to
**                                             fp[dst], dst = nlocals+height)
**   IR_JMP, IR_JMP_IF [op, target]           (no stack adjustment needed)
**   IR_PROBE        [op, PROBE_* flags,      (only in code translated with
**                    Wasm offset]             probes: fires the probes of
**                                             this instruction's offset)
**   BR_TABLE        [op, n, (target, keep, dst) * (n + 1)]
**   table/elem/data [op, index...] in the order of the binary immediates
**   others          [op]
*/
#ifndef INRO_IR_H
#define INRO_IR_H

#include <stdint.h>

#include "binary/opcodes.h"

#define INRO_IR_OPS(X) \
  X(IR_JMP) \
  X(IR_JMP_IF) \
  X(IR_PROBE)

enum {
  IR_FIRST = OP_COUNT - 1,
#define IR_ENUM(name) name,
  INRO_IR_OPS(IR_ENUM)
#undef IR_ENUM
  IR_COUNT
};

/* Translated code of one defined function. */
typedef struct code {
  uint32_t *words;
  uint32_t nwords;
  uint32_t nparams, nresults;
  uint32_t nlocals;     /* params included */
  uint32_t max_height;  /* deepest operand stack */
  uint32_t *pcmap;      /* pairs (IR word index, Wasm byte offset), sorted */
  uint32_t npcmap;
  uint8_t *local_types; /* nlocals entries */
} code;

/* Wasm byte offset of the instruction containing IR word `pc`. */
uint32_t code_offset_of(const code *c, uint32_t pc);
void code_free(code *c);

#endif
