/*
** interp.c -- the interpreter: runs IR (exec/ir.h) on the store's own
** value and frame stacks.
**
** Registers of the loop: pc (the running instruction's op word), fp (the
** running frame's first slot), f (its frame record), r (R, the last
** result: exec/ir.h), budget (calls and taken branches left in this
** slice), and the running instance's memory 0 cached as (mbase, msize).
** There is no stack pointer: every instruction names its slots.  A call
** pushes a frame record and continues the loop: no host recursion per
** Wasm call.  At the end of a slice the loop returns to exec_run
** (exec/store.c) with the frame at the label or function start it was
** going to: an exact position (exec/ir.h).
**
** Dispatch: computed goto where the compiler has it (GCC, clang native),
** otherwise a loop around a switch (which clang turns into a br_table
** when inro itself is compiled to Wasm).  INRO_DISPATCH_SWITCH forces the
** portable form.  Dispatch never changes semantics.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exec/numeric.h"
#include "exec/runtime.h"
#include "exec/simd.h"

#define DISPATCH_GOTO IR_DISPATCH_GOTO /* exec/ir.h */
#if DISPATCH_GOTO
#pragma GCC diagnostic ignored "-Wpedantic"
#endif

/* ------------------------------------------------ memory, little-endian */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint64_t mem_load(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  memcpy(&v, p, n);
  return v;
}
static inline void mem_store(uint8_t *p, uint64_t v, unsigned n) {
  memcpy(p, &v, n);
}
#else
static inline uint64_t mem_load(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}
static inline void mem_store(uint8_t *p, uint64_t v, unsigned n) {
  for (unsigned i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}
#endif

#include "exec/memop.h"

/* --------------------------------------------------- slot access by type */

#define CT_I32 uint32_t
#define CT_S32 int32_t
#define CT_I64 uint64_t
#define CT_S64 int64_t
#define CT_F32 float
#define CT_F64 double
#define GET_I32(s) ((uint32_t)(s))
#define GET_S32(s) ((int32_t)(uint32_t)(s))
#define GET_I64(s) ((uint64_t)(s))
#define GET_S64(s) ((int64_t)(s))
#define GET_F32(s) num_f32(s)
#define GET_F64(s) num_f64(s)
#define PUT_I32(v) ((uint64_t)(uint32_t)(v))
#define PUT_I64(v) ((uint64_t)(v))
#define PUT_F32(v) num_from_f32(v)
#define PUT_F64(v) num_from_f64(v)
#define K64_AT(i) ((uint64_t)pc[i] | (uint64_t)pc[(i) + 1] << 32)
/* What a probe without a callback counts or writes: the address in its K
** operand at word i, as a T * (exec/ir.h). */
#define PROBE_AT(T, i) ((T *)(uintptr_t)K64_AT(i))
/* A context probe's exit event (IR_CTX_EXIT, IR_CTX_RETURN): add a to
** its clock, as a counter probe on it would, then leave the top frame's
** function for its caller's node; probe/context.c rebuilds a top out of
** sync. */
#define CTX_EXIT_EVENT(t_, a) do { \
    inro_contexts *t = (t_); \
    if (a) *(uint64_t *)(uintptr_t)t->clock += (a); \
    if (t->sync) { \
      probe_context_exit(s, f, t); \
    } else { \
      if (t->clock) contexts_charge(t, *t->clock); \
      if (t->top) t->top = t->nodes[t->top].parent; \
    } \
  } while (0)

/* Slot operand i: the immediate is a byte offset from fp (exec/ir.h).
** Added as integers, the immediate first: that way clang's Wasm code
** loads the immediate, then adds fp, which inro running inro.wasm joins
** into one instruction. */
#define SLOT(i) (*(slot *)((uintptr_t)pc[i] + (uintptr_t)fp))
#define SLOT_PTR(w) ((slot *)((uintptr_t)(w) + (uintptr_t)fp))
_Static_assert(IR_SLOT(1) == sizeof(slot), "IR_SLOT scales by the slot size");

/* ------------------------------------------------------------ dispatch */

#ifdef INRO_IR_STATS
#include "exec/irstats.h"
#define COUNT_OP() \
  (ir_stats_ops[IR_OP(*pc)]++, ir_stats_pairs[prev_op][IR_OP(*pc)]++, prev_op = IR_OP(*pc))
#else
#define COUNT_OP() ((void)0)
#endif
#if DISPATCH_GOTO
#define CASE(op) CASE_LABEL(op)   /* expands op first (generated forms) */
#define CASE_LABEL(op) L_##op:
#define NEXT() do { COUNT_OP(); goto *labels[*pc]; } while (0)
#else
#define CASE(op) case op:
#define NEXT() do { COUNT_OP(); goto dispatch; } while (0)
#endif
#include "exec/interp_hot.h"   /* HOT_OPS, HOT_COPIES */
/* The generated cases (exec/interp_ops.h) are OPS_CASE(op). */
#if DISPATCH_GOTO || !defined(__wasm__)
#define OPS_CASE(op) CASE(op)
#else
/* The Wasm build splits its switch.  clang makes a switch one br_table
** inside one block per distinct case, all nested, and Wasm hosts may bound
** that nesting (wasm3 rejects a function with more than 250 nested blocks
** by default).  So the main switch (GROUP 0) has the hand-written cases
** and those of HOT_OPS, the most frequent instructions of bench/ and of
** inro.wasm itself; any other instruction is in the switch of group
** 1 + op / COLD_SPAN, to which the main switch jumps directly: one more
** br_table.  interp_ops.h is expanded once per switch, and in each the
** other groups' cases fold away. */
#define SPLIT_SWITCH 1
#define COLD_GROUPS 5
#define COLD_GROUP_LIST(X) X(1) X(2) X(3) X(4) X(5)
#define COLD_SPAN ((IR_COUNT + COLD_GROUPS - 1) / COLD_GROUPS)
/* Loads and divisions add a trap path each; `make wasm` checks the depth. */
_Static_assert(COLD_SPAN <= 160, "a cold switch nests too deep: add a group");
#define HOT_TEST(name) || this_op_ == IR_##name
#define COLD_GOTO(g) if (group_ == g) goto cold##g;
#define OPS_CASE(op) case op: { \
    enum { this_op_ = op, \
           group_ = (0 HOT_OPS(HOT_TEST)) ? 0 : 1 + this_op_ / COLD_SPAN }; \
    if (group_ != GROUP) { \
      if (GROUP != 0) __builtin_unreachable(); \
      COLD_GROUP_LIST(COLD_GOTO) \
    } }
/* clang's uninitialized-variable analysis grows with the square of the
** function. */
#pragma clang diagnostic ignored "-Wuninitialized"
#endif
/* pc stays at the running instruction's op until it is done: its operand
** words are pc[1], pc[2], ...; each case steps pc over the whole
** instruction (with a switch that keeps the loop header of the Wasm build
** down to load + br_table). */
#define NEXT_AT(n) do { pc += (n); NEXT(); } while (0)
#define JUMP(target) do { \
    pc = c->words + (target); \
    if (--budget == 0) goto slice_end; \
    NEXT(); \
  } while (0)

/* A trap is a call with the trap code, not `code = ...; goto trapped`:
** clang turns that variable into a phi whose constant for `unreachable`
** (a case that only jumps) it then loads on every dispatch. */
#define TRAP(code) do { interp_trap(s, f, pc, (code), err); goto failed; } while (0)

#define RELOAD_MEMORY() do { \
    inro_memory *m0_ = inst->mems ? inst->mems[0] : NULL; \
    mbase = m0_ ? m0_->data : NULL; msize = m0_ ? m0_->size : 0; \
  } while (0)

/* Slot copies are mostly of 0 or 1 slot (results): do those inline
** rather than through a libc call. */
static inline void slots_move(slot *d, const slot *src, uint32_t n) {
  if (n == 1) *d = *src;
  else if (n) memmove(d, src, n * sizeof(slot));
}

int interp_host_call(inro_store *s, inro_func *callee, inro_instance *caller,
                     slot *base, inro_error *err) {
  inro_call_ctx ctx = {s, caller, err};
  /* Re-entrant calls from the host start above the host's arguments. */
  slot *saved_top = s->sp_top;
  uint32_t np = callee->type->param_slots, nr = callee->type->result_slots;
  s->sp_top = base + (np > nr ? np : nr);
  slot args[16], *a = args;
  if (np > 16) {
    a = malloc(np * sizeof(slot));
    if (!a) {
      s->sp_top = saved_top;
      return err_set(err, INRO_ERR_NOMEM, "out of memory");
    }
  }
  memcpy(a, base, np * sizeof(slot));
  int rc = callee->host(&ctx, callee->env, a, base);
  if (a != args) free(a);
  s->sp_top = saved_top;
  if (!rc) {
    if (err->kind == INRO_OK) {
      err_set(err, INRO_ERR_TRAP, "host function trapped");
      err->trap = INRO_TRAP_HOST;
    }
    return 0;
  }
  return 1;
}

/* Record `trap` at the instruction at pc in frame f. */
static void interp_trap(inro_store *s, frame *f, const uint32_t *pc,
                        inro_trap_code trap, inro_error *err) {
  f->pc = pc + 1; /* frames record a pc within or after their instruction */
  err_trap(err, trap);
  if (s->trap_fn) probe_trap_hook(s, f, pc, err);
}

/* A probe's instruction, IR_PROBE [flags offset top], whose operand
** stack ends at top: the pc to go on at (moved if the probes re-translated
** the function), or NULL if one trapped.  Out of the loop, so that the
** loop is laid out and its registers allocated as in a build without
** probes (bench/probes.sh). */
#ifndef INRO_NO_PROBES
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static const uint32_t *interp_probe(inro_store *s, frame *f, const uint32_t *pc,
                                    slot *top, inro_error *err) {
  uint32_t moves = f->func->moves;
  f->pc = pc;
  s->sp_top = top;
  if (!probe_fire(s, f, pc[1], pc[2], err)) return NULL;
  /* Re-translated: f->pc was moved past the probe. */
  return f->func->moves != moves ? f->pc : pc + 4;
}
#endif

/* Natively the function starts a 64-byte line, so that where its cases
** fall in the lines depends on its own code alone (Makefile,
** INTERP_ALIGN). */
#if defined(__GNUC__) && !defined(__wasm__)
__attribute__((aligned(64)))
#endif
int interp_run(inro_store *s, inro_error *err) {
  frame *f = &s->frames[s->nframes - 1];
  inro_func *fn = f->func;
  const code *c = fn->code;
  inro_instance *inst = fn->inst;
  const uint32_t *pc = f->pc;
  slot *fp = f->fp;
  uint8_t *mbase;
  uint64_t msize;
  inro_func *callee;
  slot *callee_fp;
  slot r = 0; /* R: the result of the instruction just run (exec/ir.h) */
  uint32_t budget = s->budget;
  f->at_probe = 0; /* running again (after a slice) */
#ifdef INRO_IR_STATS
  uint32_t prev_op = IR_UNREACHABLE;
#endif
  RELOAD_MEMORY();

#if DISPATCH_GOTO
  /* Every op word (exec/ir.h): the op's handler, or for the ops of
  ** HOT_COPIES the copy its high bits name. */
#define ALL_COPIES(op, label) [op] = label, [1u << IR_OP_BITS | op] = label, \
    [2u << IR_OP_BITS | op] = label, [3u << IR_OP_BITS | op] = label,
#define COPIES(name) [1u << IR_OP_BITS | IR_##name] = &&L1_IR_##name, \
    [2u << IR_OP_BITS | IR_##name] = &&L2_IR_##name, [3u << IR_OP_BITS | IR_##name] = &&L3_IR_##name,
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Winitializer-overrides"
  static const void *const labels[IR_COPIES << IR_OP_BITS] = {
#define HAND_LABEL(name, text, layout) ALL_COPIES(IR_##name, &&L_IR_##name)
    IR_HAND_OPS(HAND_LABEL)
    IR_WASM3_OPS(HAND_LABEL)
    IR_SIMD_HAND_OPS(HAND_LABEL)
    IR_LATE_OPS(HAND_LABEL)
#undef HAND_LABEL
#define FORM(name, suffix, text, layout) ALL_COPIES(IR_##name##suffix, &&L_IR_##name##suffix)
    IR_FORMS
#undef FORM
    HOT_COPIES(COPIES)
    COPIES(JMP_SWITCH_ADD)
  };
#pragma GCC diagnostic pop
#undef ALL_COPIES
#undef COPIES
  NEXT();
#else
dispatch:
  switch (*pc) {
#endif

#define GROUP 0
#include "exec/interp_ops.h"
#include "exec/interp_wasm3.h"
#if DISPATCH_GOTO
  /* The copies of the ops of HOT_COPIES (exec/ir.h): every generated case
  ** again, under other labels; those of other ops are never jumped to, and
  ** the compiler drops them. */
#undef CASE_LABEL
#define CASE_LABEL(op) L1_##op: __attribute__((unused))
#include "exec/interp_ops.h"
#undef CASE_LABEL
#define CASE_LABEL(op) L2_##op: __attribute__((unused))
#include "exec/interp_ops.h"
#undef CASE_LABEL
#define CASE_LABEL(op) L3_##op: __attribute__((unused))
#include "exec/interp_ops.h"
#undef CASE_LABEL
#define CASE_LABEL(op) L_##op:
#endif
#undef GROUP

  CASE(IR_UNREACHABLE) TRAP(INRO_TRAP_UNREACHABLE);
  CASE(IR_JMP) JUMP(pc[1]);
  CASE(IR_JZ) {
    if (!(uint32_t)SLOT(2)) JUMP(pc[1]);
    NEXT_AT(3);
  }
  CASE(IR_JNZ) {
    if ((uint32_t)SLOT(2)) JUMP(pc[1]);
    NEXT_AT(3);
  }
  CASE(IR_JZ_R) {
    if (!(uint32_t)r) JUMP(pc[1]);
    NEXT_AT(2);
  }
  CASE(IR_JNZ_R) {
    if ((uint32_t)r) JUMP(pc[1]);
    NEXT_AT(2);
  }
  CASE(IR_BR) { /* [t n s d] */
    slots_move(SLOT_PTR(pc[4]), SLOT_PTR(pc[3]), pc[2]);
    JUMP(pc[1]);
  }
  CASE(IR_BR_IF) { /* [t c n s d] */
    if ((uint32_t)SLOT(2)) {
      slots_move(SLOT_PTR(pc[5]), SLOT_PTR(pc[4]), pc[3]);
      JUMP(pc[1]);
    }
    NEXT_AT(6);
  }
  CASE(IR_JMP_TABLE) { /* [s n t*(n+1)] */
    uint32_t i = (uint32_t)SLOT(1), n = pc[2];
    JUMP(pc[3 + (i < n ? i : n)]);
  }
  /* [d s o n t*(n+1)] (exec/ir.h): the i32 at ADDR + o to d (and R), then
  ** through the table. */
#define SWITCH_AT(ADDR) { \
    uint64_t ea_ = (uint64_t)(uint32_t)(ADDR) + pc[3]; \
    if (ea_ + 4 > msize) TRAP(INRO_TRAP_MEMORY_OOB); \
    uint32_t i_ = (uint32_t)mem_load(mbase + ea_, 4), n_ = pc[4]; \
    r = i_; \
    SLOT(1) = r; \
    JUMP(pc[5 + (i_ < n_ ? i_ : n_)]); }
  CASE(IR_SWITCH) SWITCH_AT(SLOT(2))
  CASE(IR_JMP_SWITCH) {
    pc = c->words + pc[1];
    if (--budget == 0) goto slice_end;
    SWITCH_AT(SLOT(2))
  }
  /* [t s]: the head's address slot (its pc[2]) steps by slot s, then the
  ** head runs (exec/ir.h). */
#define JMP_SWITCH_ADD_CODE() { \
    uint32_t step_ = (uint32_t)SLOT(2); \
    pc = c->words + pc[1]; \
    SLOT(2) = PUT_I32((uint32_t)SLOT(2) + step_); \
    if (--budget == 0) goto slice_end; \
    SWITCH_AT(SLOT(2)) }
  CASE(IR_JMP_SWITCH_ADD) JMP_SWITCH_ADD_CODE()
#if DISPATCH_GOTO /* each copy its own code, so its own indirect jump */
  L1_IR_JMP_SWITCH_ADD: JMP_SWITCH_ADD_CODE()
  L2_IR_JMP_SWITCH_ADD: JMP_SWITCH_ADD_CODE()
  L3_IR_JMP_SWITCH_ADD: JMP_SWITCH_ADD_CODE()
#endif
#undef JMP_SWITCH_ADD_CODE
  CASE(IR_BR_TABLE) { /* [s n k src (t d)*(n+1)] */
    uint32_t i = (uint32_t)SLOT(1), n = pc[2];
    const uint32_t *e = pc + 5 + 2 * (i < n ? i : n);
    slots_move(SLOT_PTR(e[1]), SLOT_PTR(pc[4]), pc[3]);
    JUMP(e[0]);
  }
  /* A return: results from slot word `from` on to the frame's start. */
#define RETURN_FROM(from) { \
    slots_move(fp, SLOT_PTR(from), c->result_slots); \
    s->nframes--; \
    f--; \
    if (!f->func) { /* back at the host's entry frame */ \
      s->sp_top = fp + c->result_slots; \
      goto returned; \
    } \
    fn = f->func; \
    c = fn->code; \
    pc = f->pc; \
    fp = f->fp; \
    if (fn->inst != inst) { \
      inst = fn->inst; \
      RELOAD_MEMORY(); \
    } \
    NEXT(); \
  }
  CASE(IR_RETURN) RETURN_FROM(pc[1])
  CASE(IR_CTX_RETURN) { /* [K a s] */
    CTX_EXIT_EVENT(PROBE_AT(inro_contexts, 1), pc[3]);
    RETURN_FROM(pc[4])
  }
#undef RETURN_FROM
  CASE(IR_CALL) { /* [f s] */
    callee = inst->funcs[pc[1]];
    callee_fp = SLOT_PTR(pc[2]);
    pc += 3;
    goto do_call;
  }
  CASE(IR_CALL_COUNTED) { /* [K k f s] */
    *PROBE_AT(uint64_t, 1) += pc[3];
    callee = inst->funcs[pc[4]];
    callee_fp = SLOT_PTR(pc[5]);
    pc += 6;
    goto do_call;
  }
  CASE(IR_CALL_INDIRECT) { /* [type table s i] */
    const functype *want = &inst->module->types[pc[1]];
    inro_table *t = inst->tables[pc[2]];
    uint64_t i = SLOT(4); /* zero-extended if i32 */
    if (i >= t->size) TRAP(INRO_TRAP_UNDEFINED_ELEM);
    callee = (inro_func *)(uintptr_t)t->elems[i];
    if (!callee) TRAP(INRO_TRAP_UNINIT_ELEM);
    if (callee->type != want && !functype_sub(callee->type, want))
      TRAP(INRO_TRAP_INDIRECT_TYPE);
    callee_fp = SLOT_PTR(pc[3]);
    pc += 5;
    goto do_call;
  }
  CASE(IR_PROBE) { /* [flags offset top] */
#ifdef INRO_NO_PROBES /* a build without instrumentation (bench/probes.sh) */
    TRAP(INRO_TRAP_UNREACHABLE);
#else
    pc = interp_probe(s, f, pc, SLOT_PTR(pc[3]), err);
    if (!pc) goto failed;
    c = fn->code;
    RELOAD_MEMORY();
    NEXT();
#endif
  }
  CASE(IR_SELECT) { /* [d a b c] */
    slot v = (uint32_t)SLOT(4) ? SLOT(2) : SLOT(3);
    SLOT(1) = v;
    NEXT_AT(5);
  }
  CASE(IR_MOV) {
    SLOT(1) = SLOT(2);
    NEXT_AT(3);
  }
  CASE(IR_CONST32) {
    SLOT(1) = pc[2];
    NEXT_AT(3);
  }
  CASE(IR_CONST64) {
    SLOT(1) = K64_AT(2);
    NEXT_AT(4);
  }
  CASE(IR_GLOBAL_GET) { /* [d g] */
    SLOT(1) = inst->globals[pc[2]]->value;
    NEXT_AT(3);
  }
  CASE(IR_GLOBAL_SET) { /* [s g] */
    inst->globals[pc[2]]->value = SLOT(1);
    NEXT_AT(3);
  }
  CASE(IR_TABLE_GET) { /* [d i t] */
    inro_table *t = inst->tables[pc[3]];
    uint64_t i = SLOT(2);
    if (i >= t->size) TRAP(INRO_TRAP_TABLE_OOB);
    SLOT(1) = t->elems[i];
    NEXT_AT(4);
  }
  CASE(IR_TABLE_SET) { /* [i v t] */
    inro_table *t = inst->tables[pc[3]];
    uint64_t i = SLOT(1);
    if (i >= t->size) TRAP(INRO_TRAP_TABLE_OOB);
    t->elems[i] = SLOT(2);
    NEXT_AT(4);
  }
  CASE(IR_TABLE_SIZE) { /* [d t] */
    SLOT(1) = inst->tables[pc[2]]->size;
    NEXT_AT(3);
  }
  CASE(IR_TABLE_GROW) { /* [d init delta t] */
    inro_table *t = inst->tables[pc[4]];
    int64_t old = table_grow(t, SLOT(3), SLOT(2));
    SLOT(1) = old >= 0 ? (slot)old : t->lim.is64 ? UINT64_MAX : 0xFFFFFFFFu;
    NEXT_AT(5);
  }
  CASE(IR_TABLE_FILL) { /* [i v n t] */
    inro_table *t = inst->tables[pc[4]];
    uint64_t i = SLOT(1), n = SLOT(3);
    slot v = SLOT(2);
    if (i > t->size || n > t->size - i) TRAP(INRO_TRAP_TABLE_OOB);
    for (uint64_t k = 0; k < n; k++) t->elems[i + k] = v;
    NEXT_AT(5);
  }
  CASE(IR_TABLE_COPY) { /* [d s n dt st] */
    inro_table *dt = inst->tables[pc[4]], *st = inst->tables[pc[5]];
    uint64_t d = SLOT(1), si = SLOT(2), n = SLOT(3);
    if (d > dt->size || n > dt->size - d || si > st->size || n > st->size - si)
      TRAP(INRO_TRAP_TABLE_OOB);
    if (n) memmove(dt->elems + d, st->elems + si, n * sizeof(slot));
    NEXT_AT(6);
  }
  CASE(IR_TABLE_INIT) { /* [d s n seg t] */
    uint32_t seg = pc[4];
    inro_table *t = inst->tables[pc[5]];
    uint64_t d = SLOT(1), si = (uint32_t)SLOT(2), n = (uint32_t)SLOT(3);
    if (si + n > inst->elem_sizes[seg] || d > t->size || n > t->size - d)
      TRAP(INRO_TRAP_TABLE_OOB);
    if (n) memcpy(t->elems + d, inst->elem_items[seg] + si, n * sizeof(slot));
    NEXT_AT(6);
  }
  CASE(IR_ELEM_DROP) {
    inst->elem_sizes[pc[1]] = 0;
    NEXT_AT(2);
  }
  CASE(IR_MEMORY_SIZE) {
    SLOT(1) = inst->mems[0]->pages;
    NEXT_AT(2);
  }
  CASE(IR_MEMORY_GROW) { /* [d delta] */
    int64_t old = memory_grow(inst->mems[0], (uint32_t)SLOT(2));
    SLOT(1) = PUT_I32(old < 0 ? 0xFFFFFFFFu : (uint32_t)old);
    RELOAD_MEMORY();
    NEXT_AT(3);
  }
  CASE(IR_MEMORY_FILL) { /* [d v n] */
    uint64_t d = (uint32_t)SLOT(1), n = (uint32_t)SLOT(3);
    uint8_t v = (uint8_t)SLOT(2);
    if (d + n > msize) TRAP(INRO_TRAP_MEMORY_OOB);
    if (n) memset(mbase + d, v, n);
    NEXT_AT(4);
  }
  CASE(IR_MEMORY_COPY) { /* [d s n] */
    uint64_t d = (uint32_t)SLOT(1), src = (uint32_t)SLOT(2), n = (uint32_t)SLOT(3);
    if (d + n > msize || src + n > msize) TRAP(INRO_TRAP_MEMORY_OOB);
    if (n) memmove(mbase + d, mbase + src, n);
    NEXT_AT(4);
  }
  CASE(IR_MEMORY_INIT) { /* [d s n seg] */
    uint32_t seg = pc[4];
    uint64_t d = (uint32_t)SLOT(1), src = (uint32_t)SLOT(2), n = (uint32_t)SLOT(3);
    if (src + n > inst->data_sizes[seg] || d + n > msize)
      TRAP(INRO_TRAP_MEMORY_OOB);
    if (n) memcpy(mbase + d, inst->module->datas[seg].bytes + src, n);
    NEXT_AT(5);
  }
  CASE(IR_DATA_DROP) {
    inst->data_sizes[pc[1]] = 0;
    NEXT_AT(2);
  }
  CASE(IR_REF_IS_NULL) {
    SLOT(1) = SLOT(2) == 0;
    NEXT_AT(3);
  }
  CASE(IR_REF_FUNC) {
    SLOT(1) = (slot)(uintptr_t)inst->funcs[pc[2]];
    NEXT_AT(3);
  }

#if !DISPATCH_GOTO
  default: /* an unknown IR op: cannot happen.  Not merged with
    ** `unreachable` (op 0), so that the switch's table starts at 0. */
    f->pc = pc + 1;
    err_set(err, INRO_ERR_UNSUPPORTED, "internal error: unknown IR op");
    goto failed;
  }
#endif
#ifdef SPLIT_SWITCH
#define GROUP 1
#include "exec/interp_cold.h"
#define GROUP 2
#include "exec/interp_cold.h"
#define GROUP 3
#include "exec/interp_cold.h"
#define GROUP 4
#include "exec/interp_cold.h"
#define GROUP 5
#include "exec/interp_cold.h"
#endif

do_call: {
    if (!callee->code) {
      uint32_t moves = fn->moves;
      f->pc = pc;
      if (!interp_host_call(s, callee, inst, callee_fp, err)) goto host_failed;
      RELOAD_MEMORY();
      if (fn->moves != moves) { /* the host re-translated us (probes) */
        c = fn->code;
        pc = f->pc;
      }
      NEXT();
    }
    const code *cc = callee->code;
    if (s->nframes >= s->max_frames ||
        (size_t)(s->stack_end - callee_fp) < (size_t)cc->frame_slots + 1) {
      pc--; /* report it at the call, which pc has stepped over */
      TRAP(INRO_TRAP_STACK_EXHAUSTED);
    }
    f->pc = pc;
    f = frame_push(s, callee, callee_fp, cc->words);
    frame_enter(callee_fp, cc);
    fn = callee;
    c = cc;
    fp = callee_fp;
    pc = c->words;
    if (fn->inst != inst) {
      inst = fn->inst;
      RELOAD_MEMORY();
    }
    if (--budget == 0) goto slice_end;
    NEXT();
  }

/* A tail call (exec/interp_wasm3.h): the callee takes the frame over,
** its arguments moved down to be its first locals.  A host function is
** called as usual, and its results returned. */
do_tail_call: {
    if (!callee->code) {
      f->pc = pc;
      if (!interp_host_call(s, callee, inst, callee_fp, err)) goto host_failed;
      slots_move(fp, callee_fp, c->result_slots);
      s->nframes--;
      f--;
      if (!f->func) {
        s->sp_top = fp + c->result_slots;
        goto returned;
      }
      fn = f->func;
      c = fn->code;
      pc = f->pc;
      fp = f->fp;
      if (fn->inst != inst) inst = fn->inst;
      RELOAD_MEMORY();
      NEXT();
    }
    const code *cc = callee->code;
    if ((size_t)(s->stack_end - fp) < (size_t)cc->frame_slots + 1) {
      pc--; /* report it at the call, which pc has stepped over */
      TRAP(INRO_TRAP_STACK_EXHAUSTED);
    }
    slots_move(fp, callee_fp, cc->param_slots);
    f->func = callee;
    frame_enter(fp, cc);
    fn = callee;
    c = cc;
    pc = c->words;
    if (fn->inst != inst) {
      inst = fn->inst;
      RELOAD_MEMORY();
    }
    if (--budget == 0) goto slice_end;
    NEXT();
  }

/* An exception is thrown (s->thrown) from the top frame, whose saved pc is
** within the throwing instruction or just after the call it came through
** (exec/exn.c finds the handler). */
throw_exn: {
    const uint32_t *target = exn_unwind(s, (uint32_t)(f->pc - c->words) - 1, err);
    if (!target) goto uncaught;
    f = &s->frames[s->nframes - 1];
    fn = f->func;
    c = fn->code;
    fp = f->fp;
    pc = target;
    inst = fn->inst;
    RELOAD_MEMORY();
    if (--budget == 0) goto slice_end;
    NEXT();
  }

/* A host function failed: an exception it let through is thrown on
** here. */
host_failed:
  if (err->kind != INRO_ERR_EXCEPTION || !s->thrown) goto failed;
  inro_error_clear(err);
  goto throw_exn;

slice_end: {
    const uint32_t *e = code_exact_entry(c, (uint32_t)(pc - c->words));
    f->pc = pc;
    f->at_probe = AT_EXACT;
    f->at_offset = e ? e[1] : 0; /* always found: jumps go to labels */
    s->sp_top = SLOT_PTR(e ? e[2] : 0);
    s->budget = 0;
    return INTERP_SLICE;
  }

returned:
  s->budget = budget;
  /* Not `return 1` in the loop: the constant would be loaded into the
  ** result's register once per dispatch in the Wasm build. */
  return s->sp_top >= s->stack; /* always 1, but not a constant */

failed:
  s->budget = budget;
  interp_unwind(s);
  return 0;

uncaught: /* exn_unwind unwound to the host's entry */
  s->budget = budget;
  return 0;
}

void interp_unwind(inro_store *s) {
  /* Record the backtrace, then unwind to the host entry frame. */
  s->nbacktrace = 0;
  while (s->nframes > 0 && s->frames[s->nframes - 1].func) {
    frame *fr = &s->frames[--s->nframes];
    if (s->nbacktrace < sizeof s->backtrace / sizeof s->backtrace[0]) {
      inro_frame_info *bt = &s->backtrace[s->nbacktrace++];
      bt->instance = fr->func->inst;
      bt->func_index = fr->func->index;
      bt->offset = frame_offset(fr);
      fr->at_probe = 0;
    }
  }
}
