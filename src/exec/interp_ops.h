/*
** interp_ops.h -- the cases of the operand forms (exec/ir.h) of the
** instructions defined by their semantics column (binary/opcodes.h),
** included by exec/interp.c inside its dispatch: once, or once per switch
** where the Wasm build splits it (see OPS_CASE there).
**
** The semantics macros (BIN, DIVS, LOAD, ...) read their operands with
** OPA and OPB, and each form defines those two and LEN, its length: the
** handler of I32_ADD_SR is the row of I32_ADD expanded with the SR
** definitions below.  Every handler reads all its operands before it
** writes its result (the result slot may be an operand's), and leaves the
** result in R (the register r) as well as in its slot.
*/
#define OPERANDS(ST) CT_##ST a = GET_##ST(OPA), b = GET_##ST(OPB)
#define RESULT(v) do { r = (v); SLOT(1) = r; } while (0)
#define BIN(T, R, e) { OPERANDS(T); RESULT(PUT_##R(e)); NEXT_AT(LEN); }
#define DIVU(T, e) \
  { OPERANDS(T); if (b == 0) TRAP(INRO_TRAP_DIV_ZERO); RESULT(PUT_##T(e)); NEXT_AT(LEN); }
#define DIVS(T, ST, MIN, e) \
  { OPERANDS(ST); if (b == 0) TRAP(INRO_TRAP_DIV_ZERO); \
    if (a == MIN && b == -1) TRAP(INRO_TRAP_INT_OVERFLOW); \
    RESULT(PUT_##T(e)); NEXT_AT(LEN); }
#define REMS(T, ST, MIN) \
  { OPERANDS(ST); if (b == 0) TRAP(INRO_TRAP_DIV_ZERO); \
    RESULT(PUT_##T(b == -1 ? 0 : a % b)); NEXT_AT(LEN); }

/* [d s s] */
#define OPA SLOT(2)
#define OPB SLOT(3)
#define LEN 4
#define GEN_SS(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_SS) sem
  INRO_OPS_BINARY(GEN_SS)
#undef OPB
#undef LEN
/* [d s r] */
#define OPB r
#define LEN 3
#define GEN_SR(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_SR) sem
  INRO_OPS_ARITH(GEN_SR)
  INRO_OPS_ARITH_CS(GEN_SR)
#undef OPA
#undef OPB
/* [d r s] */
#define OPA r
#define OPB SLOT(2)
#define GEN_RS(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_RS) sem
  INRO_OPS_ARITH_CS(GEN_RS)
#undef OPA
#undef OPB
#undef LEN
/* Comparisons that jump: [t s s] and [t s r]. */
#undef BIN
#define BIN(T, R, e) { OPERANDS(T); if (e) JUMP(pc[1]); NEXT_AT(LEN); }
#define OPA SLOT(2)
#define OPB SLOT(3)
#define LEN 4
#define GEN_JSS(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_JSS) sem
  INRO_OPS_COMPARE(GEN_JSS)
#undef OPB
#undef LEN
#define OPB r
#define LEN 3
#define GEN_JSR(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_JSR) sem
  INRO_OPS_COMPARE(GEN_JSR)
#undef OPA
#undef OPB
#undef LEN
#undef BIN
#undef DIVU
#undef DIVS
#undef REMS
#undef OPERANDS

/* Unary operators [d s]; loads [d s o], [d r o], and [d s s o], [d s r o]
** from the i32 sum of two operands (a trap is reported at the offset
** word, where the load's own pcmap entry starts, exec/translate.c); stores
** [s s o] and [s r o]. */
#define UN(T, R, e) { CT_##T x = GET_##T(SLOT(2)); RESULT(PUT_##R(e)); NEXT_AT(3); }
#define TRUNC(F, R, fn) \
  { double x = (double)GET_##F(SLOT(2)); int ok = 1; CT_##R v = fn(x, &ok); \
    if (!ok) TRAP(x != x ? INRO_TRAP_INVALID_CONV : INRO_TRAP_INT_OVERFLOW); \
    RESULT(PUT_##R(v)); NEXT_AT(3); }
#define LOAD(R, CT, n) \
  { uint64_t ea = (uint64_t)(uint32_t)(ADDR) + pc[LEN - 1]; \
    if (ea + (n) > msize) { pc += TRAP_AT; TRAP(INRO_TRAP_MEMORY_OOB); } \
    CT v = (CT)mem_load(mbase + ea, (n)); RESULT(PUT_##R(v)); NEXT_AT(LEN); }
#define STORE(n) \
  { uint64_t ea = (uint64_t)(uint32_t)SLOT(1) + pc[LEN - 1]; \
    if (ea + (n) > msize) TRAP(INRO_TRAP_MEMORY_OOB); \
    mem_store(mbase + ea, VALUE, (n)); NEXT_AT(LEN); }
#define GEN_S(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_S) sem
  INRO_OPS_UNARY(GEN_S)
#define TRAP_AT 0
#define ADDR SLOT(2)
#define LEN 4
  INRO_OPS_LOAD(GEN_S)
#undef ADDR
#undef LEN
#define ADDR r
#define LEN 3
#define GEN_R(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_R) sem
  INRO_OPS_LOAD(GEN_R)
#undef ADDR
#undef LEN
#undef TRAP_AT
#define TRAP_AT (LEN - 1)
#define ADDR SLOT(2) + SLOT(3)
#define LEN 5
#define GEN_LOAD_SS(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_SS) sem
  INRO_OPS_LOAD(GEN_LOAD_SS)
#undef ADDR
#undef LEN
#define ADDR SLOT(2) + r
#define LEN 4
#define GEN_LOAD_SR(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_SR) sem
  INRO_OPS_LOAD(GEN_LOAD_SR)
#undef ADDR
#undef LEN
#undef TRAP_AT
#undef LOAD
/* [d s o s o h]: the first load is an i32's, at pc[2] + pc[3], trapping at
** the instruction's start; the second loads the value at pc[4] + that
** i32, trapping at its offset word pc[5] with its address put in pc[6]. */
#define LOAD(R, CT, n) \
  { uint64_t ea = (uint64_t)(uint32_t)SLOT(2) + pc[3]; \
    if (ea + 4 > msize) TRAP(INRO_TRAP_MEMORY_OOB); \
    uint32_t addr_ = (uint32_t)(SLOT(4) + (uint32_t)mem_load(mbase + ea, 4)); \
    ea = (uint64_t)addr_ + pc[5]; \
    if (ea + (n) > msize) { SLOT(6) = addr_; pc += 5; TRAP(INRO_TRAP_MEMORY_OOB); } \
    CT v = (CT)mem_load(mbase + ea, (n)); RESULT(PUT_##R(v)); NEXT_AT(7); }
#define GEN_X(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_X) sem
  INRO_OPS_LOAD_FULL(GEN_X)
#undef GEN_X
#define VALUE SLOT(2)
#define LEN 4
#define GEN_STORE_SS(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_SS) sem
  INRO_OPS_STORE(GEN_STORE_SS)
#undef VALUE
#undef LEN
#define VALUE r
#define LEN 3
#define GEN_STORE_SR(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_SR) sem
  INRO_OPS_STORE(GEN_STORE_SR)
#undef VALUE
#undef LEN
#undef UN
#undef TRUNC
#undef LOAD
#undef STORE
#undef RESULT
#undef GEN_SS
#undef GEN_SR
#undef GEN_RS
#undef GEN_JSS
#undef GEN_JSR
#undef GEN_S
#undef GEN_R
#undef GEN_LOAD_SS
#undef GEN_LOAD_SR
#undef GEN_STORE_SS
#undef GEN_STORE_SR
#include "exec/interp_simd.h"

/* An interpreter's slot address, fp + pc[i] (exec/ir.h): hand-written,
** but here so that it has copies as the generated cases do. */
OPS_CASE(IR_I32_ADD_X) { /* [d s o s] */
  uint64_t ea = (uint64_t)(uint32_t)SLOT(2) + pc[3];
  if (ea + 4 > msize) TRAP(INRO_TRAP_MEMORY_OOB);
  r = PUT_I32((uint32_t)mem_load(mbase + ea, 4) + GET_I32(SLOT(4)));
  SLOT(1) = r;
  NEXT_AT(5);
}
/* The probes without a callback (exec/ir.h): no state to make exact;
** what they count is at the address their K operand holds (PROBE_AT). */
OPS_CASE(IR_COUNTER) { /* [K k] */
  *PROBE_AT(uint64_t, 1) += pc[3];
  NEXT_AT(4);
}
/* An edge probe: the way the branch after it takes. */
OPS_CASE(IR_EDGES) { /* [K s n] */
  uint32_t v = GET_I32(SLOT(3)), n = pc[4];
  PROBE_AT(uint64_t, 1)[n ? (v < n ? v : n) : v == 0]++;
  NEXT_AT(5);
}
/* A record probe: the ring keeps the latest cap (a power of two). */
OPS_CASE(IR_RECORDS) { /* [K K n] */
  inro_ring *g = PROBE_AT(inro_ring, 1);
  const uint64_t *v = PROBE_AT(const uint64_t, 3);
  uint64_t next = g->next, mask = g->cap - 1;
  for (uint32_t k = 0; k < pc[5]; k++) g->buf[(next + k) & mask] = v[k];
  g->next = next + pc[5];
  NEXT_AT(6);
}
/* An access probe: the access that follows, counted (memory 0, 32-bit). */
OPS_CASE(IR_ACCESS) { /* [K s k n n] */
  inro_access_counts *a = PROBE_AT(inro_access_counts, 1);
  uint64_t ea = (uint64_t)GET_I32(SLOT(3)) + pc[4], w = pc[5];
  if (ea + w > msize) {
    a->out_of_bounds++;
  } else {
    uint64_t last = ea + w - 1;
    if (pc[6]) a->stores++, a->store_bytes += w;
    else a->loads++, a->load_bytes += w;
    a->pages_4k[ea >> 12]++;
    if (last >> 12 != ea >> 12) a->pages_4k[last >> 12]++;
    a->pages_64k[ea >> 16]++;
    if (last >> 16 != ea >> 16) a->pages_64k[last >> 16]++;
  }
  NEXT_AT(7);
}
/* A context probe's events (inro.h): the cached child here, anything else
** in probe/context.c. */
OPS_CASE(IR_CTX_ENTER) { /* [K f k a] */
  inro_contexts *t = PROBE_AT(inro_contexts, 1);
  inro_context_node *top = &t->nodes[t->top];
  /* a counter probe's cell, so not const */
  if (pc[5]) *(uint64_t *)(uintptr_t)t->clock += pc[5];
  if (t->sync || top->last_func != pc[3]) {
    if (!probe_context_enter(s, f, pc, t, err)) goto failed;
    NEXT_AT(6);
  }
  if (t->clock) contexts_charge(t, *t->clock - pc[4]);
  uint32_t child = top->last_child;
  t->top = child;
  t->nodes[child].calls++;
  NEXT_AT(6);
}
OPS_CASE(IR_CTX_EXIT) { /* [K a] */
  CTX_EXIT_EVENT(PROBE_AT(inro_contexts, 1), pc[3]);
  NEXT_AT(4);
}
/* A count per way rather than at an index computed from the condition,
** so that the store's address does not wait for the condition's load. */
OPS_CASE(IR_EDGES_JNZ) { /* [t K s] */
  uint64_t *way = PROBE_AT(uint64_t, 2);
  if (GET_I32(SLOT(4))) {
    way[0]++;
    JUMP(pc[1]);
  }
  way[1]++;
  NEXT_AT(5);
}
OPS_CASE(IR_EDGES_JZ) {
  uint64_t *way = PROBE_AT(uint64_t, 2);
  if (GET_I32(SLOT(4))) {
    way[0]++;
    NEXT_AT(5);
  }
  way[1]++;
  JUMP(pc[1]);
}
