/*
** interp_ops.h -- the cases of the instructions defined by their semantics
** column (binary/opcodes.h) and of their fused forms (exec/ir.h), included
** by exec/interp.c in its dispatch: once, or once per switch where the
** switch is split (see OPS_CASE there).  Each case is OPS_CASE(op).
*/
/* The plain forms: operands on the stack, the result pushed, the address
** of a load on top (the fused forms below redefine these). */
#undef SRC_A
#undef SRC_B
#undef OPERANDS_DONE
#undef RESULT
#undef LOAD
#undef STORE
#undef UN
#undef TRUNC
#undef NOP_SEM
#define SRC_A sp[-1]
#define SRC_B sp[0]
#define OPERANDS_DONE() (pc++, sp--)
#define RESULT (*sp)
#define LOAD LOAD_TOP
#define STORE STORE_TOP
#define UN UN_TOP
#define TRUNC TRUNC_TOP
#define NOP_SEM NOP_TOP

#define SIMPLE(name, code, text, imm, sig, sem) OPS_CASE(OP_##name) { sem; NEXT(); }
  INRO_OPS_SIMPLE(SIMPLE)
#undef SIMPLE

  /* The fused forms of binary instructions (exec/ir.h), one expansion of
  ** exec/interp_fused.h each: suffix, operands, steps, result. */
#define FORM _LL
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B LOCAL_AT(2)
#define F_DONE() (pc += 3, ++sp)
#define F_RESULT (*sp)
#include "exec/interp_fused.h"
#define FORM _LC
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B CONST_AT(2)
#define F_DONE() (pc += 4, ++sp)
#define F_RESULT (*sp)
#include "exec/interp_fused.h"
#define FORM _SL
#define F_SRC_A sp[0]
#define F_SRC_B LOCAL_AT(1)
#define F_DONE() (pc += 2)
#define F_RESULT (*sp)
#include "exec/interp_fused.h"
#define FORM _SC
#define F_SRC_A sp[0]
#define F_SRC_B CONST_AT(1)
#define F_DONE() (pc += 3)
#define F_RESULT (*sp)
#include "exec/interp_fused.h"
#define FORM _LL_S
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B LOCAL_AT(2)
#define F_DONE() (pc += 4)
#define F_RESULT LOCAL_AT(-1)
#include "exec/interp_fused.h"
#define FORM _LC_S
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B CONST_AT(2)
#define F_DONE() (pc += 5)
#define F_RESULT LOCAL_AT(-1)
#include "exec/interp_fused.h"
#define FORM _SL_S
#define F_SRC_A sp[0]
#define F_SRC_B LOCAL_AT(1)
#define F_DONE() (pc += 3, sp--)
#define F_RESULT LOCAL_AT(-1)
#include "exec/interp_fused.h"
#define FORM _SC_S
#define F_SRC_A sp[0]
#define F_SRC_B CONST_AT(1)
#define F_DONE() (pc += 4, sp--)
#define F_RESULT LOCAL_AT(-1)
#include "exec/interp_fused.h"
#define FORM _S
#define F_SRC_A sp[-1]
#define F_SRC_B sp[0]
#define F_DONE() (pc += 2, sp -= 2)
#define F_RESULT LOCAL_AT(-1)
#include "exec/interp_fused.h"
  /* Joined with local.tee d: pushed and stored (a = b = c assigns right
  ** to left). */
#define FORM _LL_T
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B LOCAL_AT(2)
#define F_DONE() (pc += 4, ++sp)
#define F_RESULT LOCAL_AT(-1) = *sp
#include "exec/interp_fused.h"
#define FORM _LC_T
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B CONST_AT(2)
#define F_DONE() (pc += 5, ++sp)
#define F_RESULT LOCAL_AT(-1) = *sp
#include "exec/interp_fused.h"
#define FORM _SL_T
#define F_SRC_A sp[0]
#define F_SRC_B LOCAL_AT(1)
#define F_DONE() (pc += 3)
#define F_RESULT LOCAL_AT(-1) = *sp
#include "exec/interp_fused.h"
#define FORM _SC_T
#define F_SRC_A sp[0]
#define F_SRC_B CONST_AT(1)
#define F_DONE() (pc += 4)
#define F_RESULT LOCAL_AT(-1) = *sp
#include "exec/interp_fused.h"
#define FORM _T
#define F_SRC_A sp[-1]
#define F_SRC_B sp[0]
#define F_DONE() (pc += 2, sp--)
#define F_RESULT LOCAL_AT(-1) = *sp
#include "exec/interp_fused.h"
  /* A local and the top (LS), pushed, set or teed. */
#define FORM _LS
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B sp[0]
#define F_DONE() (pc += 2)
#define F_RESULT (*sp)
#include "exec/interp_fused.h"
#define FORM _LS_S
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B sp[0]
#define F_DONE() (pc += 3, sp--)
#define F_RESULT LOCAL_AT(-1)
#include "exec/interp_fused.h"
#define FORM _LS_T
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B sp[0]
#define F_DONE() (pc += 3)
#define F_RESULT LOCAL_AT(-1) = *sp
#include "exec/interp_fused.h"
  /* The plain form, then the store after it (its words kept): the
  ** store's width is that of the result type, the last letter of sig. */
#define FORM _M
#define F_SRC_A sp[-1]
#define F_SRC_B sp[0]
#define F_DONE() (pc++, sp--)
#define F_RESULT (*sp)
#define F_THEN(sig) STORE_TOP((sig)[3] == 'I' || (sig)[3] == 'F' ? 8 : 4)
#include "exec/interp_fused.h"
  /* Comparisons joined with br_if: the result is the jump condition. */
#define FORM _LL_J
#define F_JUMP
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B LOCAL_AT(2)
#define F_DONE() (pc += 4)
#define F_RESULT holds
#include "exec/interp_fused.h"
#define FORM _LC_J
#define F_JUMP
#define F_SRC_A LOCAL_AT(1)
#define F_SRC_B CONST_AT(2)
#define F_DONE() (pc += 5)
#define F_RESULT holds
#include "exec/interp_fused.h"
#define FORM _SL_J
#define F_JUMP
#define F_SRC_A sp[0]
#define F_SRC_B LOCAL_AT(1)
#define F_DONE() (pc += 3, sp--)
#define F_RESULT holds
#include "exec/interp_fused.h"
#define FORM _SC_J
#define F_JUMP
#define F_SRC_A sp[0]
#define F_SRC_B CONST_AT(1)
#define F_DONE() (pc += 4, sp--)
#define F_RESULT holds
#include "exec/interp_fused.h"
#define FORM _SS_J
#define F_JUMP
#define F_SRC_A sp[-1]
#define F_SRC_B sp[0]
#define F_DONE() (pc += 2, sp -= 2)
#define F_RESULT holds
#include "exec/interp_fused.h"

  /* Loads fused with their address computation (exec/ir.h): each form
  ** redefines LOAD and expands the loads' semantics column with it. */
#undef LOAD
#define LOAD_CASE(name, code, text, imm, sig, sem) \
  OPS_CASE(FUSED_CAT(OP_##name, LFORM)) { sem; NEXT(); }
#define LFORM _LL
#define LOAD(R, CT, n) LOAD_AT(R, CT, n, (uint32_t)LOCAL_AT(1) + (uint32_t)LOCAL_AT(2), 3, 1)
  INRO_OPS_LOAD(LOAD_CASE)
#undef LFORM
#undef LOAD
#define LFORM _LC
#define LOAD(R, CT, n) LOAD_AT(R, CT, n, (uint32_t)LOCAL_AT(1) + pc[2], 3, 1)
  INRO_OPS_LOAD(LOAD_CASE)
#undef LFORM
#undef LOAD
#define LFORM _SL
#define LOAD(R, CT, n) LOAD_AT(R, CT, n, (uint32_t)*sp + (uint32_t)LOCAL_AT(1), 2, 0)
  INRO_OPS_LOAD(LOAD_CASE)
#undef LFORM
#undef LOAD
#define LFORM _SC
#define LOAD(R, CT, n) LOAD_AT(R, CT, n, (uint32_t)*sp + pc[1], 2, 0)
  INRO_OPS_LOAD(LOAD_CASE)
#undef LFORM
#undef LOAD
#define LFORM _L
#define LOAD(R, CT, n) LOAD_AT(R, CT, n, (uint32_t)LOCAL_AT(1), 2, 1)
  INRO_OPS_LOAD(LOAD_CASE)
#undef LFORM
#undef LOAD
#define LFORM _LT
#define LOAD(R, CT, n) LOAD_AT(R, CT, n, (uint32_t)(LOCAL_AT(2) = LOCAL_AT(1)), 3, 1)
  INRO_OPS_LOAD(LOAD_CASE)
#undef LFORM
#undef LOAD
  /* IX: the i32.load_L, then the SL load after it with its top in a
  ** register instead of on the stack. */
#define LFORM _IX
#define LOAD(R, CT, n) \
  { I32_LOAD_L_INTO(top_); pc += 3; \
    LOAD_AT(R, CT, n, top_ + (uint32_t)LOCAL_AT(1), 2, 1) }
  INRO_OPS_LOAD(LOAD_CASE)
#undef LFORM
#undef LOAD
#undef LOAD_CASE

  /* Stores taking their operands from locals (exec/ir.h). */
#define STORE_CASE(name, code, text, imm, sig, sem) \
  OPS_CASE(FUSED_CAT(OP_##name, LFORM)) { sem; NEXT(); }
#define LFORM _LL
#undef STORE
#define STORE(n) STORE_AT(n, LOCAL_AT(1), LOCAL_AT(2), 3, sp[1] = LOCAL_AT(1); sp[2] = LOCAL_AT(2); sp += 2)
  INRO_OPS_STORE(STORE_CASE)
#undef LFORM
#undef STORE
#define LFORM _SL
#define STORE(n) STORE_AT(n, *sp--, LOCAL_AT(1), 2, sp[2] = LOCAL_AT(1); sp += 2)
  INRO_OPS_STORE(STORE_CASE)
#undef LFORM
#undef STORE
  /* TA: STORE_TOP, then the i32.add_LC_S [op, a, k lo, k hi, d] after it. */
#define LFORM _TA
#define STORE(n) { STORE_TOP(n); ADD_LC_S(); }
  INRO_OPS_STORE(STORE_CASE)
#undef LFORM
#undef STORE
#undef STORE_CASE

  /* Unary operators on a local (exec/ir.h): the operand is LOCAL_AT(1),
  ** the result is pushed; a trapping conversion pushes the operand back
  ** and reports the trap at word 1, where its own pcmap entry starts. */
#undef UN
#undef TRUNC
#undef NOP_SEM
#define UN(T, R, e) { CT_##T x = GET_##T(LOCAL_AT(1)); *++sp = PUT_##R(e); pc += 2; }
#define TRUNC(F, R, fn) \
  { double x = (double)GET_##F(LOCAL_AT(1)); int ok = 1; CT_##R r = fn(x, &ok); \
    if (!ok) { *++sp = LOCAL_AT(1); pc++; \
      TRAP(x != x ? INRO_TRAP_INVALID_CONV : INRO_TRAP_INT_OVERFLOW); } \
    *++sp = PUT_##R(r); pc += 2; }
#define NOP_SEM (*++sp = LOCAL_AT(1), pc += 2)
#define UNARY_CASE(name, code, text, imm, sig, sem) OPS_CASE(OP_##name##_L) { sem; NEXT(); }
  INRO_OPS_UNARY(UNARY_CASE)
#undef UNARY_CASE
