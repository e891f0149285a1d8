/*
** interp_fused.h -- one form of the fused binary instructions, included by
** exec/interp.c once per form (see exec/ir.h).  The includer defines FORM
** (the suffix), F_SRC_A, F_SRC_B, F_DONE() and F_RESULT, and may define
** F_THEN(sig), what the case does after the instruction; this expands the
** semantics column of every binary instruction with them (of every
** comparison, with F_JUMP defined: a jump form, whose last immediate is
** the target), then forgets them for the next form.
*/
#define FUSED_CAT2(a, b) a##b
#define FUSED_CAT(a, b) FUSED_CAT2(a, b)
#undef SRC_A
#undef SRC_B
#undef OPERANDS_DONE
#undef RESULT
#define SRC_A F_SRC_A
#define SRC_B F_SRC_B
#define OPERANDS_DONE() F_DONE()
#define RESULT F_RESULT
#ifdef F_JUMP
#define FUSED_FORM(name, code, text, imm, sig, sem) \
  OPS_CASE(FUSED_CAT(OP_##name, FORM)) { \
    slot holds; sem; \
    if ((uint32_t)holds) pc = c->words + pc[-1]; \
    NEXT(); }
INRO_OPS_COMPARE(FUSED_FORM)
#undef F_JUMP
#else
#ifndef F_THEN
#define F_THEN(sig)
#endif
#define FUSED_FORM(name, code, text, imm, sig, sem) \
  OPS_CASE(FUSED_CAT(OP_##name, FORM)) { sem; F_THEN(sig); NEXT(); }
INRO_OPS_BINARY(FUSED_FORM)
#undef F_THEN
#endif
#undef FUSED_FORM
#undef FORM
#undef F_SRC_A
#undef F_SRC_B
#undef F_DONE
#undef F_RESULT
