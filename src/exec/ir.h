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
**   LOCAL_*         [op, IR_LOCAL(local index)]  (every local operand,
**                                             also in the fused forms)
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
**   IR_JMP_TABLE    [op, n, target * (n + 1)] (a br_table that moves no
**                                             values)
**   IR_LOCAL_COPY   [op, a, d]                (local.get a; local.set d)
**   IR_SWITCH_LT    [op, a, b, offset,        (local.get a; local.tee b;
**                    LOCAL_TEE, c,             i32.load offset; local.tee c;
**                    IR_JMP_TABLE, n, ...]     br_table, as clang compiles
**                                             the head of a `switch (*p)`
**                                             loop: the three instructions
**                                             keep their words and pcmap
**                                             entries and run in one
**                                             dispatch)
**   IR_ADD_IX       [op, a, offset]           (an i32.load_L and the
**                    [i32.add_SL, b]           i32.add_SL after it, both
**                                             words kept: the address of
**                                             an interpreter's operand
**                                             slot, fp + pc[i])
**   IR_ADD2_LC_S    [op, a, k, d]             (two i32.add_LC_S in a row,
**                    [i32.add_LC_S, ...]       as an interpreter's
**                                             pc += n; sp += m)
**   IR_JMP_SWITCH_* [op, target, x, k]        (IR_JMP to an IR_SWITCH_LT,
**                                             run in the same dispatch;
**                                             its local a holds local x + k
**                                             here, so the load need not
**                                             wait for a's store)
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
  X(IR_PROBE) \
  X(IR_JMP_TABLE) \
  X(IR_LOCAL_COPY) \
  X(IR_SWITCH_LT) \
  X(IR_ADD_IX) \
  X(IR_ADD2_LC_S) \
  IR_JMP_SWITCH_COPIES(X)

/* IR_JMP_SWITCH comes in IR_SWITCH_COPIES copies, which do the same, and
** the translator gives each jump to a switch loop the next copy.  A switch
** loop is an interpreter compiled to Wasm (inro.wasm, for one); the
** instruction its switch picks next is the hard branch to predict, and a
** CPU predicts it from the address of the jump: one jump for every case
** mixes what all cases do next, a copy per case keeps it apart, as in a
** threaded interpreter (inro.wasm on inro, Mandelbrot: 1.74 -> 1.53 s).
** Natively only; a switch build has one case for all copies. */
#define IR_SWITCH_COPIES 64
#define IR_COPIES_8(X, p) X(p##0) X(p##1) X(p##2) X(p##3) X(p##4) X(p##5) X(p##6) X(p##7)
#define IR_JMP_SWITCH_COPIES(X) \
  IR_COPIES_8(X, IR_JMP_SWITCH_0) IR_COPIES_8(X, IR_JMP_SWITCH_1) \
  IR_COPIES_8(X, IR_JMP_SWITCH_2) IR_COPIES_8(X, IR_JMP_SWITCH_3) \
  IR_COPIES_8(X, IR_JMP_SWITCH_4) IR_COPIES_8(X, IR_JMP_SWITCH_5) \
  IR_COPIES_8(X, IR_JMP_SWITCH_6) IR_COPIES_8(X, IR_JMP_SWITCH_7)

/* Fused forms of every binary instruction X (INRO_OPS_BINARY), in this
** order, so that OP_X_LL + FUSE_* names each.  Sources:
**   LL  local a  X  local b       [op, a, b ...]
**   LC  local a  X  constant      [op, a, lo, hi ...]
**   SL  top      X  local b       [op, b ...]
**   SC  top      X  constant      [op, lo, hi ...]
** and the result is pushed, or, in the _S forms (X followed by local.set
** d), stored to local d, the last immediate: [..., d].  X_S is the plain
** X followed by local.set d: [op, d].  The _T forms (X followed by
** local.tee d) push the result and store it to d: [..., d].  X_M is the
** plain X, then the full-width store of its result type right after it
** (an i32/i64/f32/f64.store, as in `p->x = a + b`), in one dispatch:
** [op][store, offset], the store's words and pcmap entry kept, so a trap
** in either is reported at its own offset.
**   LS  local a  X  top           [op, a ...]
** LS is `local.get a; Y; X` where Y is an LL or LC form (which pushes one
** value and writes no local): the local.get's words go, and Y runs with a
** still not pushed.  Neither Y nor X may trap, and no label, probe or
** barrier may be between, so no one sees the operand stack at Y without
** a: where anyone can look, the Wasm state is exact.  An expression
** `a + b * c` of locals is two instructions, not three.
** A comparison X followed by a br_if that moves no values fuses into
** OP_X_J + FORM (FORM one of LL, LC, SL, SC, or FUSE_S for the plain
** comparison) [..., target]: jump if the comparison holds.
** A fused instruction stands for up to four Wasm instructions and its
** pcmap entry carries the first one's offset, so the Wasm state is exact
** at its start.  Probe positions and barriers are never fused over (see
** binary/validate.c). */
#define IR_BINARY_FORMS(X, a) \
  X(a, _LL) X(a, _LC) X(a, _SL) X(a, _SC) X(a, _LL_S) X(a, _LC_S) X(a, _SL_S) \
  X(a, _SC_S) X(a, _S) X(a, _LL_T) X(a, _LC_T) X(a, _SL_T) X(a, _SC_T) X(a, _T) \
  X(a, _LS) X(a, _LS_S) X(a, _LS_T) X(a, _M)
#define IR_JUMP_FORMS(X, a) X(a, _LL_J) X(a, _LC_J) X(a, _SL_J) X(a, _SC_J) X(a, _SS_J)
/* (loads and stores: see LOAD_* and STORE_* below) */
#define IR_LOAD_FORMS(X, a) \
  X(a, _LL) X(a, _LC) X(a, _SL) X(a, _SC) X(a, _L) X(a, _LT) X(a, _IX)
#define IR_STORE_FORMS(X, a) X(a, _LL) X(a, _SL) X(a, _TA)
/* Each group's list of forms (X(a, suffix), in order) names both the
** index of a form (FUSE_LL ...) and its op (OP_X_LL ...): the op enum
** below and the interpreter's label table are made from the same lists. */
#define IR_FORM_INDEX(group, suffix) group##suffix,
enum { IR_BINARY_FORMS(IR_FORM_INDEX, FUSE) FUSE_FORMS };

/* A local's operand word: its byte offset from the frame's first local,
** so that the interpreter adds it without scaling (slots are 8 bytes). */
#define IR_LOCAL(index) ((uint32_t)(index) * 8u)

/* Every fused op, IR_FORM(name, suffix) for each form of each instruction
** of each group, in the order of the op enum; the includer defines
** IR_FORM. */
#define IR_BINARY_ROW(name, code, text, imm, sig, sem) IR_BINARY_FORMS(IR_FORM, name)
#define IR_JUMP_ROW(name, code, text, imm, sig, sem) IR_JUMP_FORMS(IR_FORM, name)
#define IR_LOAD_ROW(name, code, text, imm, sig, sem) IR_LOAD_FORMS(IR_FORM, name)
#define IR_STORE_ROW(name, code, text, imm, sig, sem) IR_STORE_FORMS(IR_FORM, name)
#define IR_UNARY_ROW(name, code, text, imm, sig, sem) IR_FORM(name, _L)
#define IR_FUSED_OPS \
  INRO_OPS_BINARY(IR_BINARY_ROW) INRO_OPS_COMPARE(IR_JUMP_ROW) \
  INRO_OPS_LOAD(IR_LOAD_ROW) INRO_OPS_STORE(IR_STORE_ROW) INRO_OPS_UNARY(IR_UNARY_ROW)

enum {
  IR_FIRST = OP_COUNT - 1,
#define IR_ENUM(name) name,
  INRO_IR_OPS(IR_ENUM)
#undef IR_ENUM
#define IR_FORM(name, suffix) OP_##name##suffix,
  IR_FUSED_OPS
#undef IR_FORM
  IR_COUNT
};

/* Loads fused with the instructions that computed their address, in this
** order, so that OP_X_LL + LOAD_* names each (X a load, INRO_OPS_LOAD):
**   LL  i32.add of local a and local b      [op, a, b, offset]
**   LC  i32.add of local a and constant k   [op, a, k, offset]
**   SL  i32.add of top and local b          [op, b, offset]
**   SC  i32.add of top and constant k       [op, k, offset]
**   L   local a                             [op, a, offset]
**   LT  local a, also stored to local b     [op, a, b, offset]
**       (local.get a; local.tee b; load: a C loop's `x = *p` with p
**       copied, as clang writes the dispatch of a switch)
**   IX  an SL load whose top an i32.load_L just before pushed:
**       [op, a, offset a][X_SL, b, offset] (an interpreter's operand
**       `fp[pc[i]]`: two loads in one dispatch; the words and pcmap
**       entries stay those of the two, and each load traps as its own)
** (the i32.add forms are FUSE_LL..FUSE_SC of i32.add, in the same order).
** A load can trap, so its own pcmap entry starts at its offset word: a
** trap puts the address where the load found it and reports that entry,
** and the Wasm state is exact at the trap too. */
enum { IR_LOAD_FORMS(IR_FORM_INDEX, LOAD) LOAD_FORMS };

/* Stores whose operands were pushed by local.get just before, so that
** OP_X_LL + STORE_* names each (X a store, INRO_OPS_STORE):
**   LL  address local a, value local v      [op, a, v, offset]
**   SL  address on the stack, value local v [op, v, offset]
** Like a fused load, a store keeps its own pcmap entry at its offset word
** and a trap pushes back the operands it took from locals.
**   TA  the plain store, then the i32.add_LC_S after it (an
**       interpreter's `*sp = r; sp += n`): [op, offset][i32.add_LC_S ...],
**       the add's words and pcmap entry kept, a trap the store's. */
enum { IR_STORE_FORMS(IR_FORM_INDEX, STORE) STORE_FORMS };

/* Unary operators (INRO_OPS_UNARY) whose operand a local.get pushed just
** before: OP_X_L [op, a].  The word a starts the operator's own pcmap
** entry, for a conversion that traps to be reported at its offset, with
** the operand pushed back. */

/* OP_X_LL_J for a comparison X, 0 for any other (exec/code.c); the plain
** comparison's jump form is at + FUSE_J_SS. */
enum { FUSE_J_SS = 4 };
extern const uint16_t ir_jump_base[OP_COUNT];

/* OP_X_LL for a binary instruction X, 0 for any other (exec/code.c). */
extern const uint16_t ir_fused_base[OP_COUNT];
/* OP_X_LL of the fused loads for a load X, of the fused stores for a
** store X, 0 for any other. */
extern const uint16_t ir_load_base[OP_COUNT];

/* OP_X_L for a unary operator X, 0 for any other. */
extern const uint16_t ir_unary_base[OP_COUNT];

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
/* Index of the pcmap entry of the instruction containing IR word pc
** (npcmap must be > 0). */
uint32_t code_entry_of(const code *c, uint32_t pc);
void code_free(code *c);

#endif
