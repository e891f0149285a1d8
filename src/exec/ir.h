/*
** ir.h -- inro's internal code: WebAssembly over frame slots.
**
** A frame is an array of 64-bit slots: the function's locals, then its
** constants (filled in when the frame is entered), then its operand
** stack, operand i at a fixed slot (its "home").  Every value takes one
** slot but a v128, which takes two (below); the layout is computed from
** types (ir_type_slots).  The translator (exec/translate.c) knows the height
** of the operand stack at every instruction, so the IR has no stack
** pointer: each instruction names the slots it reads and writes, as byte
** offsets from the frame pointer:
**
**   local.get a; i32.const 1; i32.add; local.set b   ->  i32.add_ss l1 <- l0, k0
**
** One more operand kind is the register R, which holds the result of the
** instruction just run: an operand that the previous instruction
** computed is read from R rather than from its slot, so a chain of
** dependent instructions does not wait for each value to go through
** memory (every instruction that computes a value leaves it in its slot
** and in R).
**
** The IR is still the Wasm abstract machine.  A local.get or a constant
** emits nothing: the translator remembers where the value is and names
** that slot in the instruction that uses it.  Before anything that can
** look at the operand stack (a call, a label, a probe, a barrier) it
** writes every such value to its home slot ("flush"), and for an
** instruction that can trap it records where its operands really are
** (code->recover), so the trap puts them home first.  So wherever a probe,
** a trap, a backtrace or a checkpoint can see it, the frame holds exactly
** (function, Wasm offset, locals, operand stack).
**
** An instruction is an op word (enum ir_op below), then its operand words
** as its layout string says (ir_info[op].layout):
**   d  destination slot      s  source slot      t  jump target (word index)
**   k  32-bit immediate      K  64-bit immediate (2 words, low first)
**   i  an index (function, type, table, global, segment)
**   o  memory offset         n  a count          f  probe flags
**   h  the frame's top slot (byte offset of the first free slot)
**   w  a v128 instruction: its opcode-table op less OP_SIMD_FIRST (last)
**   r  an operand read from R (no word)
** Slot words are byte offsets (IR_SLOT), so the interpreter adds them to
** the frame pointer without scaling.
**
** Operand forms of the simple instructions (binary/opcodes.h):
**   arithmetic (INRO_OPS_ARITH, _ARITH_CS)   _SS [d s s]   _SR [d s r]
**     and INRO_OPS_ARITH_CS    _RS [d r s]
**     INRO_OPS_ARITH_SS        _SS only
**   comparisons                _SS [d s s], and as a jump:  _JSS [t s s]
**                              _JSR [t s r], to t if the comparison holds
**                              (a br_if, or an if whose negated comparison
**                              jumps to its else)
**   unary (INRO_OPS_UNARY)     _S [d s]
**   loads                      _S [d s o]    _R [d r o]
**                              _SS [d s s o] _SR [d s r o]: the address is
**                              the i32.add of the two (the add just before
**                              the load, joined to it)
**     whole-value loads also   _X [d s o s o s]: the address is the sum of
**                              the second s and the i32 at the first s + o
**                              (an interpreter's operand, fp[pc[i]]: an
**                              i32.load, the add and the load joined; on
**                              a trap of the second load its address goes
**                              to the last s, the add's result slot)
**   stores                     _SS [s s o]   _SR [s r o]
** A commutative operator whose first operand is R is swapped, a
** comparison flipped (R < s is s > R).  INRO_OPS_BITCAST instructions emit
** nothing.
**
** The hand-written ops (IR_HAND_OPS) and their layouts:
**   BR [t n s d]          move n slots from s to d, then jump (a branch
**                         whose values are not where its label wants them)
**   BR_IF [t s n s d]     the same if slot s is not zero
**   JMP_TABLE [s n t*(n+1)]          br_table that moves nothing
**   BR_TABLE [s n n s (t d)*(n+1)]   br_table moving n slots from s
**   CALL [i s]            call function i, arguments from slot s on (the
**                         callee's frame starts there; results land there)
**   CALL_INDIRECT [i i s s]  type, table, argument slot, element index slot
**   RETURN [s]            results from slot s on
**   PROBE [f k h]         fire the probes of Wasm offset k (only in code
**                         translated with probes, see probe/probe.c)
** The probes without a callback carry the host address of what they
** count or write as a K operand (the translation is never stored, and
** the address is found with no load from the code):
**   COUNTER [K k]         a counter probe: add k to the 64-bit cell K
**   EDGES [K s n]         an edge probe: add 1 to cell K[w], the way w of
**                         the branch that follows: with n = 0 (if,
**                         br_if) 0 if slot s is not zero, else 1; a
**                         br_table's: min(slot s, n), n its labels
**   EDGES_JNZ [t K s], EDGES_JZ [t K s]   JNZ and JZ counting as EDGES
**                         [K s 0] does (an if's or br_if's edge probe)
**   RECORDS [K K n]       a record probe: the n values at the second K
**                         to the ring (inro_ring) at the first
**   ACCESS [K s k n n]    an access probe: the access of n bytes (a load:
**                         0, a store: 1) at the address in slot s plus k
**                         counted in the inro_access_counts K
**   CTX_ENTER [K f k a], CTX_EXIT [K a]   a context probe (inro.h): the
**                         calling-context tree K enters function f (its
**                         clock, a added to it first as a counter probe
**                         on it would, ahead by k), or leaves the top
**                         frame's function (a added to its clock first);
**                         the cases cover the cached child, the rest is
**                         probe/context.c's
**   CTX_RETURN [K a s]    CTX_EXIT [K a], then RETURN [s]: a return
**                         with no probe, in code with one context probe
**   CALL_COUNTED [K k i s]   COUNTER [K k], then CALL [i s]: a run's
**                         counter that nothing could see between its
**                         run's start and the call (exec/translate.c,
**                         held_counter), and a call site's
** The others mirror their Wasm instruction with slot operands.
*/
#ifndef INRO_IR_H
#define INRO_IR_H

#include <stdint.h>

#include "binary/opcodes.h"
#include "inro.h"

/* X(NAME, text, layout) */
#define IR_HAND_OPS(X) \
  X(UNREACHABLE, "unreachable", "") \
  X(JMP, "jmp", "t") \
  X(JZ, "jz", "ts") \
  X(JNZ, "jnz", "ts") \
  X(JZ_R, "jz_r", "tr") \
  X(JNZ_R, "jnz_r", "tr") \
  X(BR, "br", "tnsd") \
  X(BR_IF, "br_if", "tsnsd") \
  X(JMP_TABLE, "jmp_table", "sn") \
  X(BR_TABLE, "br_table", "snns") \
  X(RETURN, "return", "s") \
  X(CALL, "call", "is") \
  X(CALL_INDIRECT, "call_indirect", "iiss") \
  X(SELECT, "select", "dsss") \
  X(MOV, "mov", "ds") \
  X(CONST32, "const32", "dk") \
  X(CONST64, "const64", "dK") \
  X(GLOBAL_GET, "global.get", "di") \
  X(GLOBAL_SET, "global.set", "si") \
  X(TABLE_GET, "table.get", "dsi") \
  X(TABLE_SET, "table.set", "ssi") \
  X(TABLE_SIZE, "table.size", "di") \
  X(TABLE_GROW, "table.grow", "dssi") \
  X(TABLE_FILL, "table.fill", "sssi") \
  X(TABLE_COPY, "table.copy", "sssii") \
  X(TABLE_INIT, "table.init", "sssii") \
  X(ELEM_DROP, "elem.drop", "i") \
  X(MEMORY_SIZE, "memory.size", "d") \
  X(MEMORY_GROW, "memory.grow", "ds") \
  X(MEMORY_FILL, "memory.fill", "sss") \
  X(MEMORY_COPY, "memory.copy", "sss") \
  X(MEMORY_INIT, "memory.init", "sssi") \
  X(DATA_DROP, "data.drop", "i") \
  X(REF_IS_NULL, "ref.is_null", "ds") \
  X(REF_FUNC, "ref.func", "di") \
  X(PROBE, "probe", "fkh") \
  X(COUNTER, "counter", "Kk") \
  X(EDGES, "edges", "Ksn") \
  X(EDGES_JNZ, "edges_jnz", "tKs") \
  X(EDGES_JZ, "edges_jz", "tKs") \
  X(RECORDS, "records", "KKn") \
  X(ACCESS, "access", "Ksknn") \
  X(CTX_ENTER, "ctx.enter", "Kikk") \
  X(CTX_EXIT, "ctx.exit", "Kk") \
  X(SWITCH, "switch", "dson") \
  X(JMP_SWITCH, "jmp_switch", "t") \
  X(JMP_SWITCH_ADD, "jmp_switch_add", "ts") \
  X(I32_ADD_X, "i32.add_x", "dsos")

/* The ops of WebAssembly 3.0 beyond 2.0 (exec/interp_wasm3.h), hand
** written too:
**   RETURN_CALL [i s], RETURN_CALL_INDIRECT [i i s s]   a call that
**                         replaces the frame: the arguments (from slot s)
**                         become its first locals
**   CALL_REF [s s], RETURN_CALL_REF [s s]   arguments from the first s,
**                         the function in the second (trap if null)
**   REF_AS_NON_NULL [s]   trap if slot s is null
**   BR_ON_NULL, BR_ON_NON_NULL [t s n s d]   BR_IF on whether slot s (a
**                         reference, 64 bits) is null
**   LOAD_M [d s i K k], STORE_M [s s i K k]  any load or store (k, the
**                         opcode-table op) of memory i at the 64-bit
**                         address in s plus the 64-bit offset K: memories
**                         other than 0, and 64-bit memories (the forms
**                         above are for memory 0 with 32-bit addresses)
**   MEMORY_SIZE_M [d i], MEMORY_GROW_M [d s i], MEMORY_FILL_M [s s s i],
**   MEMORY_COPY_M [s s s i i], MEMORY_INIT_M [s s s i i]   the same for
**                         memory i (memory.init: segment, then memory)
**   THROW [i s]           throw tag i with its values from slot s on
**   THROW_REF [s]         throw the exception in slot s (trap if null)
** Exception handlers are not instructions: code->handlers lists the IR
** ranges of try bodies and code->catches their clauses (exec/exn.c). */
#define IR_WASM3_OPS(X) \
  X(RETURN_CALL, "return_call", "is") \
  X(RETURN_CALL_INDIRECT, "return_call_indirect", "iiss") \
  X(CALL_REF, "call_ref", "ss") \
  X(RETURN_CALL_REF, "return_call_ref", "ss") \
  X(REF_AS_NON_NULL, "ref.as_non_null", "s") \
  X(BR_ON_NULL, "br_on_null", "tsnsd") \
  X(BR_ON_NON_NULL, "br_on_non_null", "tsnsd") \
  X(LOAD_M, "load_m", "dsiKk") \
  X(STORE_M, "store_m", "ssiKk") \
  X(MEMORY_SIZE_M, "memory.size_m", "di") \
  X(MEMORY_GROW_M, "memory.grow_m", "dsi") \
  X(MEMORY_FILL_M, "memory.fill_m", "sssi") \
  X(MEMORY_COPY_M, "memory.copy_m", "sssii") \
  X(MEMORY_INIT_M, "memory.init_m", "sssii") \
  X(THROW, "throw", "is") \
  X(THROW_REF, "throw_ref", "s")

/* An interpreter compiled to Wasm finds a slot of its frame as
** `fp + pc[i]`: an i32.load, then an i32.add of a value already there.
** The two run as one instruction, I32_ADD_X [d s o s]: d = the i32 at
** address s + offset o, plus the second s (and R).  A trap of the load is
** reported at the load (the instruction starts with the load's pcmap
** entry and recovery record).  The whole-value loads' _X form is this
** add joined to the load after it.  Measured in docs/performance.md.
**
** A switch loop, as a C compiler makes `for (;;) switch (*p)` (an
** interpreter's dispatch, inro.wasm's own for one), runs the load of its
** head and the jump table in one instruction, SWITCH [d s o n t*(n+1)]:
** d = the i32 at address s + offset o, then jump to t[min(d, n)].  A jump
** back to that head, JMP_SWITCH [t], runs the head in the same dispatch.
** When the instruction before that jump steps the head's address (`p +=
** n`: an i32.add of the address slot and slot s into the address slot),
** the two are one, JMP_SWITCH_ADD [t s].  Natively its handler has
** IR_COPIES copies, and the translator gives successive such jumps
** successive copies (exec/translate.c, `copies`): the CPU predicts the
** case that follows from the address of the jump, and a copy per case
** keeps what each case is followed by apart, as in a threaded
** interpreter. */

/* The forms of each group of the opcode table: FORM(name, suffix, text,
** layout) for every row of the group; the includer defines FORM. */
#define IR_ROW_ARITH(name, code, text, imm, sig, sem) \
  FORM(name, _SS, text "_ss", "dss") FORM(name, _SR, text "_sr", "dsr")
#define IR_ROW_RS(name, code, text, imm, sig, sem) FORM(name, _RS, text "_rs", "drs")
#define IR_ROW_COMPARE(name, code, text, imm, sig, sem) \
  FORM(name, _SS, text "_ss", "dss") \
  FORM(name, _JSS, text "_jss", "tss") FORM(name, _JSR, text "_jsr", "tsr")
#define IR_ROW_UN(name, code, text, imm, sig, sem) FORM(name, _S, text, "ds")
#define IR_ROW_SS(name, code, text, imm, sig, sem) FORM(name, _SS, text "_ss", "dss")
#define IR_ROW_LOAD(name, code, text, imm, sig, sem) \
  FORM(name, _S, text, "dso") FORM(name, _R, text "_r", "dro") \
  FORM(name, _SS, text "_ss", "dsso") FORM(name, _SR, text "_sr", "dsro")
#define IR_ROW_LOAD_X(name, code, text, imm, sig, sem) FORM(name, _X, text "_x", "dsosos")
#define IR_ROW_STORE(name, code, text, imm, sig, sem) \
  FORM(name, _SS, text, "sso") FORM(name, _SR, text "_r", "sro")
#define IR_FORMS \
  INRO_OPS_ARITH(IR_ROW_ARITH) INRO_OPS_ARITH_CS(IR_ROW_ARITH) \
  INRO_OPS_ARITH_CS(IR_ROW_RS) INRO_OPS_ARITH_SS(IR_ROW_SS) INRO_OPS_COMPARE(IR_ROW_COMPARE) \
  INRO_OPS_UNARY(IR_ROW_UN) INRO_OPS_LOAD(IR_ROW_LOAD) INRO_OPS_LOAD_FULL(IR_ROW_LOAD_X) \
  INRO_OPS_STORE(IR_ROW_STORE)

/* v128 (binary/opcodes_simd.h).  A v128 value takes two slots: bytes 0-7
** of the vector, then bytes 8-15, each slot holding its eight bytes as a
** little-endian number (so the layout depends on no host's byte order).
** The v128 instructions take one op per group of binary/opcodes_simd.h,
** whose last operand w names the instruction (its opcode-table op less
** OP_SIMD_FIRST): the case calls that instruction's lane function
** (exec/simd.h, simd_lanes[w]), so a group's instructions share one
** handler and one dispatch target.  Their slots are all slot operands
** (never R); the group's layout:
**   V_UN, V_SPLAT, V_TEST [d s w]   V_BIN, V_SHIFT [d s s w]
**   V_TERN [d s s s w]   V_EXTRACT [d s k w]   V_REPLACE [d s s k w]
**   V_SHUFFLE [d s s k k k k w]   V_LOAD [d s o w]   V_STORE [s s o w]
**   V_LOAD_LANE [d s s o k w]   V_STORE_LANE [s s o k w]
** (k: a lane index, or four words of the 16 shuffle indices).  An
** instruction with a scalar result (extract_lane, test) leaves it in R
** too; a v128 result is only in its slots.  A relaxed instruction that
** the deterministic profile makes a 2.0 one runs as that one (its
** ir_form .lane).  The hand-written v128 ops move two slots where their
** scalar forms move one: SELECT_V128 [d s s s], GLOBAL_GET_V128 [d i],
** GLOBAL_SET_V128 [s i].  The v128 loads and stores of memories other
** than 0 and of 64-bit ones take two general ops, as LOAD_M and STORE_M
** (above), that name the instruction by its opcode-table op k and carry
** a vector operand v and a lane index l whether it has them or not:
** V128_LOAD_M [d a v i K k l], V128_STORE_M [a v i K k l]. */
#define IR_SIMD_HAND_OPS(X) \
  X(V_UN, "v128.un", "dsw") \
  X(V_BIN, "v128.bin", "dssw") \
  X(V_TERN, "v128.tern", "dsssw") \
  X(V_SHIFT, "v128.shift", "dssw") \
  X(V_SPLAT, "v128.splat", "dsw") \
  X(V_TEST, "v128.test", "dsw") \
  X(V_EXTRACT, "v128.extract", "dskw") \
  X(V_REPLACE, "v128.replace", "dsskw") \
  X(V_SHUFFLE, "v128.shuffle", "dsskkkkw") \
  X(V_LOAD, "v128.load", "dsow") \
  X(V_STORE, "v128.store", "ssow") \
  X(V_LOAD_LANE, "v128.load_lane", "dssokw") \
  X(V_STORE_LANE, "v128.store_lane", "ssokw") \
  X(SELECT_V128, "select.v128", "dsss") \
  X(GLOBAL_GET_V128, "global.get.v128", "di") \
  X(GLOBAL_SET_V128, "global.set.v128", "si") \
  X(V128_LOAD_M, "v128.load_m", "dssiKkk") \
  X(V128_STORE_M, "v128.store_m", "ssiKkk")

/* Hand-written ops numbered after the forms: the direct call and the
** return that carry a monitor's counter or exit event (exec/translate.c,
** held_counter). */
#define IR_LATE_OPS(X) \
  X(CALL_COUNTED, "call.counted", "Kkis") \
  X(CTX_RETURN, "ctx.return", "Kks")

typedef enum ir_op {
#define IR_HAND_ENUM(name, text, layout) IR_##name,
  IR_HAND_OPS(IR_HAND_ENUM)
  IR_WASM3_OPS(IR_HAND_ENUM)
  IR_SIMD_HAND_OPS(IR_HAND_ENUM)
#undef IR_HAND_ENUM
#define FORM(name, suffix, text, layout) IR_##name##suffix,
  IR_FORMS
#undef FORM
#define IR_HAND_ENUM(name, text, layout) IR_##name,
  IR_LATE_OPS(IR_HAND_ENUM)
#undef IR_HAND_ENUM
  IR_COUNT
} ir_op;

/* An instruction's op word holds its op in the low IR_OP_BITS bits.  In
** the native build the bits above pick one of IR_COPIES copies of the
** native code of the op's handler, for the hottest ops (HOT_COPIES in
** exec/interp_hot.h): the CPU predicts where a handler's dispatch goes
** from the address of its jump, and the translator gives each instruction
** the copy chosen by the op that follows it, so a copy mostly jumps to
** one place (exec/translate.c, `copies`), and JMP_SWITCH_ADD (above).
** The copies run the same code: the op, and so the IR, is the same. */
#define IR_OP_BITS 10
#define IR_OP(word) ((word) & ((1u << IR_OP_BITS) - 1))
#if !defined(INRO_DISPATCH_SWITCH) && defined(__GNUC__) && !defined(__wasm__)
#define IR_DISPATCH_GOTO 1 /* computed goto (exec/interp.c) */
#define IR_COPIES 4
#else
#define IR_DISPATCH_GOTO 0
#define IR_COPIES 1
#endif
_Static_assert(IR_COUNT <= 1 << IR_OP_BITS, "IR ops outgrow IR_OP_BITS");

typedef struct ir_op_info {
  const char *text;    /* "i32.add_sc", "jmp", ... */
  const char *layout;  /* operand words, see above */
  uint16_t base;       /* the opcode-table op of a form, 0 for hand ops */
  uint8_t result_in_r; /* its case leaves its scalar result in R too: the
                          forms, and the hand ops of IR_R_HAND_OPS */
} ir_op_info;
/* The hand ops whose case leaves its scalar result in R, as a form's. */
#define IR_R_HAND_OPS(X) X(V_TEST) X(V_EXTRACT)
extern const ir_op_info ir_info[IR_COUNT];

/* The IR op of each form of opcode-table op `op`, 0 when it has none
** (loads: s, r, ss, sr; stores: ss, sr; v128 instructions: v, their
** group's op, and lane, the op whose lane function runs: the op itself,
** or for a relaxed one the 2.0 one it is, whose v is the group). */
typedef struct ir_forms {
  uint16_t ss, sr, rs, jss, jsr, s, r, x, v, lane;
} ir_forms;
extern const ir_forms ir_form[OP_COUNT];

/* A slot operand: the byte offset of slot `index` of the frame. */
#define IR_SLOT(index) ((uint32_t)(index) * 8u)

/* Slots a value of type t (a class, or a full type: binary/types.h)
** takes: two for a v128, one for the others. */
static inline uint32_t ir_type_slots(uint32_t t) {
  return t == INRO_V128 ? 2 : 1;
}

/* Slots of n values of classes t[0..n). */
static inline uint32_t ir_types_slots(const uint8_t *t, uint32_t n) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++) k += ir_type_slots(t[i]);
  return k;
}

/* Words of the instruction at w (its op word included): the op word,
** what its layout says, and the table that some ops end in
** (ir_table_words, 0 for the others). */
uint32_t ir_length(const uint32_t *w);
static inline uint32_t ir_table_words(const uint32_t *w) {
  switch (IR_OP(w[0])) {
  case IR_JMP_TABLE: return w[2] + 1;      /* [s n] then n + 1 targets */
  case IR_SWITCH: return w[4] + 1;         /* [d s o n] then n + 1 targets */
  case IR_BR_TABLE: return 2 * (w[2] + 1); /* [s n n s] then n + 1 (t d) */
  default: return 0;
  }
}

/* Translated code of one defined function. */
typedef struct code {
  uint32_t *words;
  uint32_t nwords;
  uint32_t nparams, nresults;
  uint32_t result_slots; /* slots of the results */
  uint32_t wide;        /* a value takes two slots somewhere (a v128) */
  uint32_t nlocals;     /* params included */
  uint32_t param_slots; /* slots of the params */
  uint32_t local_slots; /* slots of the locals, params included */
  uint32_t nconsts;     /* constants, from slot local_slots on */
  uint32_t stack_base;  /* first slot of the operand stack (after the
                           constants and the hidden slots) */
  uint32_t frame_slots; /* locals, constants, the deepest operand stack */
  uint8_t *local_types; /* nlocals entries: their classes (inro_valtype) */
  uint32_t *local_vtypes; /* the same in full (binary/types.h) */
  /* The constants, slots [local_slots, stack_base) of every frame. */
  uint64_t *consts;
  /* (IR word index, Wasm byte offset) of every instruction, sorted: the
  ** Wasm instruction it carries out (a trap there is reported at that
  ** offset; a call's return address maps back to the call). */
  uint32_t *pcmap;
  uint32_t npcmap;
  /* (IR word index, Wasm offset, top) where the frame holds the Wasm
  ** state before the instruction at that offset, exactly, its operand
  ** stack ending below slot `top` (a byte offset): labels, probes,
  ** barriers and the function's start.  Sorted by both of the first. */
  uint32_t *exact;
  uint32_t nexact;
  /* For instructions that can trap with operands not in their home slots:
  ** (IR word index where the trap is reported, index into recover_words)
  ** pairs, sorted, and the records [n, (home, kind, a, b) * n]: put into
  ** slot `home` (byte offsets) slot a (RECOVER_SLOT), the constant
  ** a | b << 32 (RECOVER_CONST), or the i32 sum of slots a and b
  ** (RECOVER_ADD: a joined load's address). */
  uint32_t *recover;
  uint32_t nrecover;
  uint32_t *recover_words;
  /* Exception handlers (exec/exn.c): the try bodies, CODE_HANDLER words
  ** each: [start, end) in IR words, their first clause and clause count
  ** in `catches`, and the handler to try next (an index, or UINT32_MAX:
  ** the caller's), innermost first where they nest; the clauses,
  ** CODE_CATCH words each: the tag (UINT32_MAX: any), the target, the
  ** slot of the first value the catch hands over, and the slot of the
  ** exception (UINT32_MAX: not kept). */
  uint32_t *handlers;
  uint32_t nhandlers;
  uint32_t *catches;
  uint32_t ncatches;
  uint32_t hidden_slots; /* the slots just below stack_base: the exceptions
                            of legacy catch bodies, by nesting depth */
} code;
enum { CODE_HANDLER = 5, CODE_CATCH = 4 };
enum { RECOVER_SLOT, RECOVER_CONST, RECOVER_ADD };

/* Wasm byte offset of the instruction containing IR word `pc`. */
uint32_t code_offset_of(const code *c, uint32_t pc);
/* Index of the pcmap entry of the instruction containing IR word pc
** (npcmap must be > 0). */
uint32_t code_entry_of(const code *c, uint32_t pc);
/* The exact position of Wasm offset `offset` (an IR word index), or
** UINT32_MAX when this translation has none there. */
uint32_t code_exact_at(const code *c, uint32_t offset);
/* The entry (IR word index, offset, top) of exact position pc, or NULL. */
const uint32_t *code_exact_entry(const code *c, uint32_t pc);
/* The recovery record of the instruction starting at IR word pc, or NULL. */
const uint32_t *code_recover_at(const code *c, uint32_t pc);
void code_free(code *c);
/* A stub of c: c's frame layout, constants and maps, but for its words,
** which are words[0 .. CODE_STUB_WORDS): one IR_PROBE [flags offset top]
** before c's first instruction, so that a frame entering the stub stands
** where one entering c does.  1, or 0 if c has no exact start (it always
** has). */
#define CODE_STUB_WORDS 4
int code_stub(const code *c, uint32_t flags, code *stub, uint32_t *words);

#endif
