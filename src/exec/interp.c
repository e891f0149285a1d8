/*
** interp.c -- the interpreter: runs IR (exec/ir.h) on the store's own
** value and frame stacks.
**
** Registers of the loop: pc (the running instruction's opcode), sp (top
** operand, inclusive), fp (first local of the running frame), f (its frame
** record), and the running instance's memory 0 cached as (mbase, msize).  A call pushes a
** frame record and continues the loop: no host recursion per Wasm call.
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

#if !defined(INRO_DISPATCH_SWITCH) && defined(__GNUC__) && !defined(__wasm__)
#define DISPATCH_GOTO 1
#pragma GCC diagnostic ignored "-Wpedantic"
#else
#define DISPATCH_GOTO 0
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

/* ------------------------------------------- semantics of simple ops */

#define UN_TOP(T, R, e) { CT_##T x = GET_##T(*sp); *sp = PUT_##R(e); pc++; }
/* Binary instructions read their operands through SRC_A / SRC_B, then
** OPERANDS_DONE() steps pc and sp past them and RESULT is where the
** result goes: plain here (both on the stack, result pushed); the fused
** forms of exec/ir.h redefine the four (exec/interp_fused.h). */
#define BIN(T, R, e) \
  { CT_##T a = GET_##T(SRC_A), b = GET_##T(SRC_B); OPERANDS_DONE(); \
    RESULT = PUT_##R(e); }
#define DIVU(T, e) \
  { CT_##T a = GET_##T(SRC_A), b = GET_##T(SRC_B); \
    if (b == 0) TRAP(INRO_TRAP_DIV_ZERO); OPERANDS_DONE(); RESULT = PUT_##T(e); }
#define DIVS(T, ST, MIN, e) \
  { CT_##ST a = GET_##ST(SRC_A), b = GET_##ST(SRC_B); \
    if (b == 0) TRAP(INRO_TRAP_DIV_ZERO); \
    if (a == MIN && b == -1) TRAP(INRO_TRAP_INT_OVERFLOW); \
    OPERANDS_DONE(); RESULT = PUT_##T(e); }
#define REMS(T, ST, MIN) \
  { CT_##ST a = GET_##ST(SRC_A), b = GET_##ST(SRC_B); \
    if (b == 0) TRAP(INRO_TRAP_DIV_ZERO); \
    OPERANDS_DONE(); RESULT = PUT_##T(b == -1 ? 0 : a % b); }
#define CONST_AT(i) ((uint64_t)pc[i] | (uint64_t)pc[(i) + 1] << 32)
/* A local operand: the immediate is its byte offset from fp (exec/ir.h).
** Added as integers, the immediate first: that way clang's Wasm code
** loads the immediate, then adds fp, which inro running inro.wasm fuses
** into one add with a local operand. */
#define LOCAL_AT(i) (*(slot *)((uintptr_t)pc[i] + (uintptr_t)fp))
_Static_assert(IR_LOCAL(1) == sizeof(slot), "IR_LOCAL scales by the slot size");
#define TRUNC_TOP(F, R, fn) \
  { double x = (double)GET_##F(*sp); int ok = 1; CT_##R r = fn(x, &ok); \
    if (!ok) TRAP(x != x ? INRO_TRAP_INVALID_CONV : INRO_TRAP_INT_OVERFLOW); \
    *sp = PUT_##R(r); pc++; }
#define LOAD_TOP(R, CT, n) \
  { uint64_t ea = (uint64_t)(uint32_t)*sp + pc[1]; \
    if (ea + (n) > msize) TRAP(INRO_TRAP_MEMORY_OOB); \
    CT v = (CT)mem_load(mbase + ea, n); *sp = PUT_##R(v); pc += 2; }
/* A fused load (exec/ir.h): the i32 address is ADDR, the offset word is
** pc[OFF] (the last word), and the result is pushed (PUSH 1: the address
** came from locals and constants) or replaces the top (PUSH 0).  A trap
** leaves the address where the plain load would have found it and is
** reported at the offset word, where the load's own pcmap entry starts. */
#define LOAD_AT(R, CT, n, ADDR, OFF, PUSH) \
  { uint32_t addr_ = (ADDR); uint64_t ea = (uint64_t)addr_ + pc[OFF]; \
    sp += (PUSH); \
    if (ea + (n) > msize) { *sp = addr_; pc += (OFF); TRAP(INRO_TRAP_MEMORY_OOB); } \
    CT v = (CT)mem_load(mbase + ea, n); *sp = PUT_##R(v); pc += (OFF) + 1; }
/* A fused store (exec/ir.h): address ADDR, value VALUE, offset word
** pc[OFF] (the last one).  On a trap UNDO puts the operands back where
** the plain store would have found them; it is reported at the offset
** word, where the store's own pcmap entry starts. */
#define STORE_AT(n, ADDR, VALUE, OFF, UNDO) \
  { uint64_t ea = (uint64_t)(uint32_t)(ADDR) + pc[OFF], v = (VALUE); \
    if (ea + (n) > msize) { UNDO; pc += (OFF); TRAP(INRO_TRAP_MEMORY_OOB); } \
    mem_store(mbase + ea, v, n); pc += (OFF) + 1; }
#define STORE_TOP(n) \
  { uint64_t v = sp[0], ea = (uint64_t)(uint32_t)sp[-1] + pc[1]; \
    if (ea + (n) > msize) TRAP(INRO_TRAP_MEMORY_OOB); \
    mem_store(mbase + ea, v, n); sp -= 2; pc += 2; }
#define NOP_TOP pc++
/* Parts of the pairs of exec/ir.h.  The i32.load_L [op, a, offset] that
** LOAD_IX and IR_ADD_IX start with: its value into V, a register, not
** pushed (a trap pushes the address, as the load alone would). */
#define I32_LOAD_L_INTO(V) \
  uint32_t V; \
  { uint32_t a_ = (uint32_t)LOCAL_AT(1); uint64_t ea_ = (uint64_t)a_ + pc[2]; \
    if (ea_ + 4 > msize) { *++sp = a_; pc += 2; TRAP(INRO_TRAP_MEMORY_OOB); } \
    V = (uint32_t)mem_load(mbase + ea_, 4); }
/* The i32.add_LC_S [op, a, k lo, k hi, d] of IR_ADD2_LC_S and a store's
** TA form, stepping pc over it. */
#define ADD_LC_S() \
  { LOCAL_AT(4) = PUT_I32((uint32_t)LOCAL_AT(1) + pc[2]); pc += 5; }

/* ------------------------------------------------------------ dispatch */

#if DISPATCH_GOTO
#define CASE(op) CASE_LABEL(op)   /* expands op first (fused forms) */
#define CASE_LABEL(op) L_##op:
#define NEXT() goto *labels[*pc]
#else
#define CASE(op) case op:
#define NEXT() goto dispatch
#endif
/* The generated cases (exec/interp_ops.h) are OPS_CASE(op). */
#if DISPATCH_GOTO || !defined(__wasm__)
#define OPS_CASE(op) CASE(op)
#else
/* The Wasm build splits its switch.  clang makes a switch one br_table
** inside one block per distinct case, all nested, and Wasm hosts may bound
** that nesting (wasm3 rejects a function with more than 250 nested blocks
** by default; there are some 1500 cases).  So the main switch (GROUP 0)
** has the hand-written cases and those of HOT_OPS, the most frequent
** instructions of bench/ and of inro.wasm itself; any other instruction is
** in the switch of group 1 + op / COLD_SPAN, to which the main switch
** jumps directly: one more br_table.  interp_ops.h is expanded once per
** switch, and in each the other groups' cases fold away. */
#define SPLIT_SWITCH 1
#define COLD_GROUPS 13
#define COLD_GROUP_LIST(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) \
  X(12) X(13)
#define COLD_SPAN ((IR_COUNT + COLD_GROUPS - 1) / COLD_GROUPS)
/* Loads and divisions add a trap path each; `make wasm` checks the depth. */
_Static_assert(COLD_SPAN <= 160, "a cold switch nests too deep: add a group");
#include "exec/interp_hot.h"   /* HOT_OPS */
#define HOT_TEST(name) || this_op_ == OP_##name
#define COLD_GOTO(g) if (group_ == g) goto cold##g;
#define OPS_CASE(op) case op: { \
    enum { this_op_ = op, \
           group_ = (0 HOT_OPS(HOT_TEST)) ? 0 : 1 + this_op_ / COLD_SPAN }; \
    if (group_ != GROUP) { \
      if (GROUP != 0) __builtin_unreachable(); \
      COLD_GROUP_LIST(COLD_GOTO) \
    } }
/* clang's uninitialized-variable analysis grows with the square of the
** function, which now holds each generated case 11 times: minutes and
** gigabytes.  The native builds compile the same cases with it. */
#pragma clang diagnostic ignored "-Wuninitialized"
#endif
/* pc stays at the running instruction's opcode until it is done: its
** immediates are pc[1], pc[2], ...; each case steps pc over the whole
** instruction (it computes nothing else per dispatch; with a switch that
** keeps the loop header of the Wasm build down to load + br_table). */
#define NEXT_AT(n) do { pc += (n); NEXT(); } while (0)

/* A trap is a call with the trap code, not `code = ...; goto trapped`:
** clang turns that variable into a phi whose constant for `unreachable`
** (a case that only jumps) it then loads on every dispatch. */
#define TRAP(code) do { interp_trap(s, f, pc, (code), err); goto failed; } while (0)

#define RELOAD_MEMORY() do { \
    inro_memory *m0_ = inst->mems ? inst->mems[0] : NULL; \
    mbase = m0_ ? m0_->data : NULL; msize = m0_ ? m0_->size : 0; \
  } while (0)

/* Slot copies and clears are mostly of 0 or 1 slot (results, a few
** locals): do those inline rather than through a libc call. */
static inline void slots_move_down(slot *d, const slot *src, uint32_t n) {
  if (n == 1) *d = *src;
  else if (n) memmove(d, src, n * sizeof(slot));
}

static inline void slots_zero(slot *d, uint32_t n) {
  if (n > 4) {
    memset(d, 0, n * sizeof(slot));
    return;
  }
  if (n > 0) d[0] = 0;
  if (n > 1) d[1] = 0;
  if (n > 2) d[2] = 0;
  if (n > 3) d[3] = 0;
}

/* Move `keep` values from the top of the stack to fp[dst]. */
#define BRANCH_MOVE(keep, dst) do { \
    slot *d_ = fp + (dst); uint32_t k_ = (keep); \
    slots_move_down(d_, sp - k_ + 1, k_); \
    sp = d_ + k_ - 1; \
  } while (0)

int interp_host_call(inro_store *s, inro_func *callee, inro_instance *caller,
                     slot *base, inro_error *err) {
  inro_call_ctx ctx = {s, caller, err};
  /* Re-entrant calls from the host start above the host's arguments. */
  slot *saved_top = s->sp_top;
  uint32_t n = callee->type->nparams > callee->type->nresults
                   ? callee->type->nparams : callee->type->nresults;
  s->sp_top = base + n;
  slot args[16], *a = args;
  if (callee->type->nparams > 16) {
    a = malloc(callee->type->nparams * sizeof(slot));
    if (!a) {
      s->sp_top = saved_top;
      return err_set(err, INRO_ERR_NOMEM, "out of memory");
    }
  }
  memcpy(a, base, callee->type->nparams * sizeof(slot));
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
  if (s->trap_fn) probe_trap_hook(s, f, f->pc, err);
}

int interp_run(inro_store *s, slot *sp, inro_error *err) {
  frame *f = &s->frames[s->nframes - 1];
  inro_func *fn = f->func;
  const code *c = fn->code;
  inro_instance *inst = fn->inst;
  const uint32_t *pc = f->pc;
  slot *fp = f->fp;
  uint8_t *mbase;
  uint64_t msize;
  inro_func *callee;
  RELOAD_MEMORY();

#if DISPATCH_GOTO
  static const void *const labels[IR_COUNT] = {
#define LABEL(name, code, text, imm, sig, sem) [OP_##name] = &&L_OP_##name,
    INRO_OPCODES(LABEL)
#undef LABEL
#define IR_LABEL(name) [name] = &&L_##name,
    INRO_IR_OPS(IR_LABEL)
#undef IR_LABEL
#define IR_FORM(name, suffix) [OP_##name##suffix] = &&L_OP_##name##suffix,
    IR_FUSED_OPS
#undef IR_FORM
  };
  NEXT();
#else
dispatch:
  switch (*pc) {
#endif

#define GROUP 0
#include "exec/interp_ops.h"
#undef GROUP

  CASE(OP_UNREACHABLE) TRAP(INRO_TRAP_UNREACHABLE);
  CASE(OP_NOP) NEXT_AT(1);
  CASE(OP_BLOCK) NEXT_AT(1);   /* never emitted */
  CASE(OP_LOOP) NEXT_AT(1);    /* never emitted */
  CASE(OP_END) NEXT_AT(1);     /* never emitted */
  CASE(OP_SELECT_T) NEXT_AT(1); /* emitted as OP_SELECT */

  CASE(OP_IF) {
    if (!(uint32_t)*sp--) {
      pc = c->words + pc[1];
      NEXT();
    }
    NEXT_AT(2);
  }
  CASE(OP_ELSE) /* never emitted: else is an IR_JMP */
  CASE(IR_JMP) {
    pc = c->words + pc[1];
    NEXT();
  }
  CASE(IR_JMP_IF) {
    if ((uint32_t)*sp--) {
      pc = c->words + pc[1];
      NEXT();
    }
    NEXT_AT(2);
  }
  CASE(OP_BR) {
    BRANCH_MOVE(pc[2], pc[3]);
    pc = c->words + pc[1];
    NEXT();
  }
  CASE(OP_BR_IF) {
    if ((uint32_t)*sp--) {
      BRANCH_MOVE(pc[2], pc[3]);
      pc = c->words + pc[1];
      NEXT();
    }
    NEXT_AT(4);
  }
  CASE(OP_BR_TABLE) {
    uint32_t n = pc[1];
    uint32_t i = (uint32_t)*sp--;
    const uint32_t *e = pc + 2 + 3 * (i < n ? i : n);
    BRANCH_MOVE(e[1], e[2]);
    pc = c->words + e[0];
    NEXT();
  }
  CASE(IR_JMP_TABLE) {
    uint32_t n = pc[1];
    uint32_t i = (uint32_t)*sp--;
    pc = c->words + pc[2 + (i < n ? i : n)];
    NEXT();
  }
  /* [op, a, b, offset, LOCAL_TEE, c, IR_JMP_TABLE, n, targets]: the
  ** load's address is ADDR, the value of local a. */
#define SWITCH_LT_AT(ADDR) { \
    uint32_t addr_ = (ADDR); \
    LOCAL_AT(2) = PUT_I32(addr_); \
    uint64_t ea_ = (uint64_t)addr_ + pc[3]; \
    if (ea_ + 4 > msize) { /* as the i32.load_LT alone traps */ \
      *++sp = addr_; \
      pc += 3; \
      TRAP(INRO_TRAP_MEMORY_OOB); \
    } \
    uint32_t i_ = (uint32_t)mem_load(mbase + ea_, 4), n_ = pc[7]; \
    LOCAL_AT(5) = PUT_I32(i_); \
    pc = c->words + pc[8 + (i_ < n_ ? i_ : n_)]; \
    NEXT(); }
  CASE(IR_SWITCH_LT) SWITCH_LT_AT((uint32_t)LOCAL_AT(1))
  /* [op, target, x, k]: local a is local x + k here (exec/ir.h); computing
  ** it from x rather than reading a does not wait for a's store. */
#define JMP_SWITCH_BODY { \
    uint32_t a_ = (uint32_t)LOCAL_AT(2) + pc[3]; \
    pc = c->words + pc[1]; \
    SWITCH_LT_AT(a_) }
#if DISPATCH_GOTO /* each copy its own code, so its own indirect jump */
#define JMP_SWITCH_COPY(op) CASE(op) JMP_SWITCH_BODY
  IR_JMP_SWITCH_COPIES(JMP_SWITCH_COPY)
#else
#define JMP_SWITCH_COPY(op) case op:
  IR_JMP_SWITCH_COPIES(JMP_SWITCH_COPY) JMP_SWITCH_BODY
#endif
#undef JMP_SWITCH_COPY
  CASE(OP_RETURN) {
    uint32_t n = c->nresults;
    slots_move_down(fp, sp - n + 1, n);
    sp = fp + n - 1;
    s->nframes--;
    f--;
    if (!f->func) { /* back at the host's entry frame */
      s->sp_top = sp + 1;
      goto returned;
    }
    fn = f->func;
    c = fn->code;
    pc = f->pc;
    fp = f->fp;
    if (fn->inst != inst) {
      inst = fn->inst;
      RELOAD_MEMORY();
    }
    NEXT();
  }
  CASE(OP_CALL) {
    callee = inst->funcs[pc[1]];
    pc += 2;
    goto do_call;
  }
  CASE(OP_CALL_INDIRECT) {
    const functype *want = &inst->module->types[pc[1]];
    inro_table *t = inst->tables[pc[2]];
    uint32_t i = (uint32_t)*sp;
    if (i >= t->size) TRAP(INRO_TRAP_UNDEFINED_ELEM);
    callee = (inro_func *)(uintptr_t)t->elems[i];
    if (!callee) TRAP(INRO_TRAP_UNINIT_ELEM);
    if (callee->type != want && !functype_equal(callee->type, want))
      TRAP(INRO_TRAP_INDIRECT_TYPE);
    sp--;
    pc += 3;
    goto do_call;
  }
  CASE(IR_PROBE) {
#ifdef INRO_NO_PROBES /* a build without instrumentation (bench/probes.sh) */
    TRAP(INRO_TRAP_UNREACHABLE);
#else
    f->pc = pc;
    s->sp_top = sp + 1;
    if (!probe_fire(s, f, pc[1], pc[2], err)) goto failed;
    if (fn->code != c) { /* re-translated: f->pc was moved past the probe */
      c = fn->code;
      pc = f->pc;
    } else {
      pc += 3;
    }
    RELOAD_MEMORY();
    NEXT();
#endif
  }
  CASE(OP_DROP) {
    sp--;
    NEXT_AT(1);
  }
  CASE(OP_SELECT) {
    uint32_t cond = (uint32_t)*sp;
    sp -= 2;
    if (!cond) sp[0] = sp[1];
    NEXT_AT(1);
  }
  CASE(OP_LOCAL_GET) {
    *++sp = LOCAL_AT(1);
    NEXT_AT(2);
  }
  CASE(OP_LOCAL_SET) {
    LOCAL_AT(1) = *sp--;
    NEXT_AT(2);
  }
  CASE(IR_LOCAL_COPY) {
    LOCAL_AT(2) = LOCAL_AT(1);
    NEXT_AT(3);
  }
  CASE(OP_LOCAL_TEE) {
    LOCAL_AT(1) = *sp;
    NEXT_AT(2);
  }
  CASE(IR_ADD_IX) { /* i32.load_L, then i32.add_SL [op, b] */
    I32_LOAD_L_INTO(top);
    *++sp = PUT_I32(top + (uint32_t)LOCAL_AT(4));
    NEXT_AT(5);
  }
  CASE(IR_ADD2_LC_S) {
    ADD_LC_S();
    ADD_LC_S();
    NEXT();
  }
  CASE(OP_GLOBAL_GET) {
    *++sp = inst->globals[pc[1]]->value;
    NEXT_AT(2);
  }
  CASE(OP_GLOBAL_SET) {
    inst->globals[pc[1]]->value = *sp--;
    NEXT_AT(2);
  }
  CASE(OP_TABLE_GET) {
    inro_table *t = inst->tables[pc[1]];
    uint32_t i = (uint32_t)*sp;
    if (i >= t->size) TRAP(INRO_TRAP_TABLE_OOB);
    *sp = t->elems[i];
    NEXT_AT(2);
  }
  CASE(OP_TABLE_SET) {
    inro_table *t = inst->tables[pc[1]];
    uint32_t i = (uint32_t)sp[-1];
    if (i >= t->size) TRAP(INRO_TRAP_TABLE_OOB);
    t->elems[i] = sp[0];
    sp -= 2;
    NEXT_AT(2);
  }
  CASE(OP_TABLE_SIZE) {
    *++sp = inst->tables[pc[1]]->size;
    NEXT_AT(2);
  }
  CASE(OP_TABLE_GROW) {
    inro_table *t = inst->tables[pc[1]];
    uint32_t delta = (uint32_t)sp[0];
    int64_t old = table_grow(t, delta, sp[-1]);
    sp--;
    *sp = PUT_I32(old < 0 ? 0xFFFFFFFFu : (uint32_t)old);
    NEXT_AT(2);
  }
  CASE(OP_TABLE_FILL) {
    inro_table *t = inst->tables[pc[1]];
    uint32_t i = (uint32_t)sp[-2], n = (uint32_t)sp[0];
    slot v = sp[-1];
    if ((uint64_t)i + n > t->size) TRAP(INRO_TRAP_TABLE_OOB);
    for (uint32_t k = 0; k < n; k++) t->elems[i + k] = v;
    sp -= 3;
    NEXT_AT(2);
  }
  CASE(OP_TABLE_COPY) {
    inro_table *dt = inst->tables[pc[1]], *st = inst->tables[pc[2]];
    uint32_t d = (uint32_t)sp[-2], sidx = (uint32_t)sp[-1], n = (uint32_t)sp[0];
    if ((uint64_t)d + n > dt->size || (uint64_t)sidx + n > st->size)
      TRAP(INRO_TRAP_TABLE_OOB);
    if (n) memmove(dt->elems + d, st->elems + sidx, n * sizeof(slot));
    sp -= 3;
    NEXT_AT(3);
  }
  CASE(OP_TABLE_INIT) {
    uint32_t seg = pc[1];
    inro_table *t = inst->tables[pc[2]];
    uint32_t d = (uint32_t)sp[-2], sidx = (uint32_t)sp[-1], n = (uint32_t)sp[0];
    if ((uint64_t)sidx + n > inst->elem_sizes[seg] || (uint64_t)d + n > t->size)
      TRAP(INRO_TRAP_TABLE_OOB);
    if (n) memcpy(t->elems + d, inst->elem_items[seg] + sidx, n * sizeof(slot));
    sp -= 3;
    NEXT_AT(3);
  }
  CASE(OP_ELEM_DROP) {
    inst->elem_sizes[pc[1]] = 0;
    NEXT_AT(2);
  }
  CASE(OP_MEMORY_SIZE) {
    *++sp = inst->mems[0]->pages;
    NEXT_AT(1);
  }
  CASE(OP_MEMORY_GROW) {
    int64_t old = memory_grow(inst->mems[0], (uint32_t)*sp);
    *sp = PUT_I32(old < 0 ? 0xFFFFFFFFu : (uint32_t)old);
    RELOAD_MEMORY();
    NEXT_AT(1);
  }
  CASE(OP_MEMORY_FILL) {
    uint64_t d = (uint32_t)sp[-2], n = (uint32_t)sp[0];
    uint8_t v = (uint8_t)sp[-1];
    if (d + n > msize) TRAP(INRO_TRAP_MEMORY_OOB);
    if (n) memset(mbase + d, v, n);
    sp -= 3;
    NEXT_AT(1);
  }
  CASE(OP_MEMORY_COPY) {
    uint64_t d = (uint32_t)sp[-2], src = (uint32_t)sp[-1], n = (uint32_t)sp[0];
    if (d + n > msize || src + n > msize) TRAP(INRO_TRAP_MEMORY_OOB);
    if (n) memmove(mbase + d, mbase + src, n);
    sp -= 3;
    NEXT_AT(1);
  }
  CASE(OP_MEMORY_INIT) {
    uint32_t seg = pc[1];
    uint64_t d = (uint32_t)sp[-2], src = (uint32_t)sp[-1], n = (uint32_t)sp[0];
    if (src + n > inst->data_sizes[seg] || d + n > msize)
      TRAP(INRO_TRAP_MEMORY_OOB);
    if (n) memcpy(mbase + d, inst->module->datas[seg].bytes + src, n);
    sp -= 3;
    NEXT_AT(2);
  }
  CASE(OP_DATA_DROP) {
    inst->data_sizes[pc[1]] = 0;
    NEXT_AT(2);
  }
  CASE(OP_I32_CONST)
  CASE(OP_F32_CONST) {
    *++sp = pc[1];
    NEXT_AT(2);
  }
  CASE(OP_I64_CONST)
  CASE(OP_F64_CONST) {
    *++sp = CONST_AT(1);
    NEXT_AT(3);
  }
  CASE(OP_REF_NULL) {
    *++sp = 0;
    NEXT_AT(1);
  }
  CASE(OP_REF_IS_NULL) {
    *sp = *sp == 0;
    NEXT_AT(1);
  }
  CASE(OP_REF_FUNC) {
    *++sp = (slot)(uintptr_t)inst->funcs[pc[1]];
    NEXT_AT(2);
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
#define GROUP 6
#include "exec/interp_cold.h"
#define GROUP 7
#include "exec/interp_cold.h"
#define GROUP 8
#include "exec/interp_cold.h"
#define GROUP 9
#include "exec/interp_cold.h"
#define GROUP 10
#include "exec/interp_cold.h"
#define GROUP 11
#include "exec/interp_cold.h"
#define GROUP 12
#include "exec/interp_cold.h"
#define GROUP 13
#include "exec/interp_cold.h"
#endif

do_call: {
    uint32_t np = callee->type->nparams;
    slot *base = sp - np + 1;
    if (!callee->code) {
      f->pc = pc;
      s->sp_top = sp + 1;
      if (!interp_host_call(s, callee, inst, base, err)) goto failed;
      sp = base + callee->type->nresults - 1;
      RELOAD_MEMORY();
      if (fn->code != c) { /* the host re-translated us (probes) */
        c = fn->code;
        pc = f->pc;
      }
      NEXT();
    }
    const code *cc = callee->code;
    if (s->nframes >= s->max_frames ||
        (size_t)(s->stack_end - base) < (size_t)cc->nlocals + cc->max_height + 1) {
      pc--; /* report it at the call, which pc has stepped over */
      TRAP(INRO_TRAP_STACK_EXHAUSTED);
    }
    f->pc = pc;
    f = frame_push(s, callee, base, cc->words);
    slots_zero(base + np, cc->nlocals - np);
    fn = callee;
    c = cc;
    fp = base;
    sp = fp + c->nlocals - 1;
    pc = c->words;
    if (fn->inst != inst) {
      inst = fn->inst;
      RELOAD_MEMORY();
    }
    NEXT();
  }

returned:
  /* Not `return 1` in the loop: the constant would be loaded into the
  ** result's register once per dispatch in the Wasm build. */
  return s->sp_top >= s->stack; /* always 1, but not a constant */

failed:
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
  return 0;
}
