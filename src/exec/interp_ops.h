/*
** interp_ops.h -- the cases of the operand forms (exec/ir.h) of the
** instructions defined by their semantics column (binary/opcodes.h),
** included by exec/interp.c inside its dispatch: once, or once per switch
** where the Wasm build splits it (see OPS_CASE there).
**
** The semantics macros (BIN, DIVS, LOAD, ...) read their operands with
** OPA(T) and OPB(T), T the operand type, and each form defines those two
** and LEN(T), the instruction's length: the handler of I32_ADD_SC is the
** row of I32_ADD expanded with the SC definitions below.  Every handler
** reads all its operands before it writes its result (the result slot
** may be an operand's).
*/
#define OPERANDS(T, ST) CT_##ST a = GET_##ST(OPA(T)), b = GET_##ST(OPB(T))
#define BIN(T, R, e) { OPERANDS(T, T); SLOT(1) = PUT_##R(e); NEXT_AT(LEN(T)); }
#define DIVU(T, e) \
  { OPERANDS(T, T); if (b == 0) TRAP(INRO_TRAP_DIV_ZERO); \
    SLOT(1) = PUT_##T(e); NEXT_AT(LEN(T)); }
#define DIVS(T, ST, MIN, e) \
  { OPERANDS(T, ST); if (b == 0) TRAP(INRO_TRAP_DIV_ZERO); \
    if (a == MIN && b == -1) TRAP(INRO_TRAP_INT_OVERFLOW); \
    SLOT(1) = PUT_##T(e); NEXT_AT(LEN(T)); }
#define REMS(T, ST, MIN) \
  { OPERANDS(T, ST); if (b == 0) TRAP(INRO_TRAP_DIV_ZERO); \
    SLOT(1) = PUT_##T(b == -1 ? 0 : a % b); NEXT_AT(LEN(T)); }

/* [d s s] */
#define OPA(T) SLOT(2)
#define OPB(T) SLOT(3)
#define LEN(T) 4
#define GEN_SS(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_SS) sem
  INRO_OPS_BINARY(GEN_SS)
#undef OPB
#undef LEN
/* [d s c] */
#define OPB(T) KONST(T, 3)
#define LEN(T) (3 + KW_##T)
#define GEN_SC(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_SC) sem
  INRO_OPS_BINARY(GEN_SC)
#undef OPA
#undef OPB
/* [d c s] */
#define OPA(T) KONST(T, 2)
#define OPB(T) SLOT(2 + KW_##T)
#define GEN_CS(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_CS) sem
  INRO_OPS_ARITH_CS(GEN_CS)
#undef OPA
#undef OPB
#undef LEN
/* Comparisons that jump: [t s s] and [t s c]. */
#undef BIN
#define BIN(T, R, e) { OPERANDS(T, T); if (e) JUMP(pc[1]); NEXT_AT(LEN(T)); }
#define OPA(T) SLOT(2)
#define OPB(T) SLOT(3)
#define LEN(T) 4
#define GEN_JSS(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_JSS) sem
  INRO_OPS_COMPARE(GEN_JSS)
#undef OPB
#undef LEN
#define OPB(T) KONST(T, 3)
#define LEN(T) (3 + KW_##T)
#define GEN_JSC(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_JSC) sem
  INRO_OPS_COMPARE(GEN_JSC)
#undef OPA
#undef OPB
#undef LEN
#undef BIN
#undef DIVU
#undef DIVS
#undef REMS
#undef OPERANDS

/* Unary operators [d s]; loads [d s o]; stores [s s o]. */
#define UN(T, R, e) { CT_##T x = GET_##T(SLOT(2)); SLOT(1) = PUT_##R(e); NEXT_AT(3); }
#define TRUNC(F, R, fn) \
  { double x = (double)GET_##F(SLOT(2)); int ok = 1; CT_##R r = fn(x, &ok); \
    if (!ok) TRAP(x != x ? INRO_TRAP_INVALID_CONV : INRO_TRAP_INT_OVERFLOW); \
    SLOT(1) = PUT_##R(r); NEXT_AT(3); }
#define LOAD(R, CT, n) \
  { uint64_t ea = (uint64_t)(uint32_t)SLOT(2) + pc[3]; \
    if (ea + (n) > msize) TRAP(INRO_TRAP_MEMORY_OOB); \
    CT v = (CT)mem_load(mbase + ea, (n)); SLOT(1) = PUT_##R(v); NEXT_AT(4); }
#define STORE(n) \
  { uint64_t ea = (uint64_t)(uint32_t)SLOT(1) + pc[3]; \
    if (ea + (n) > msize) TRAP(INRO_TRAP_MEMORY_OOB); \
    mem_store(mbase + ea, SLOT(2), (n)); NEXT_AT(4); }
#define GEN_S(name, code, text, imm, sig, sem) OPS_CASE(IR_##name##_S) sem
  INRO_OPS_UNARY(GEN_S)
  INRO_OPS_LOAD(GEN_S)
  INRO_OPS_STORE(GEN_S)
#undef UN
#undef TRUNC
#undef LOAD
#undef STORE
#undef GEN_SS
#undef GEN_SC
#undef GEN_CS
#undef GEN_JSS
#undef GEN_JSC
#undef GEN_S
