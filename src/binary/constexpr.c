/*
** constexpr.c -- validation of constant expressions (binary/module.h).
**
** WebAssembly 3.0 allows, besides the constants, ref.null, ref.func and
** global.get of an immutable global, the extended constants: i32 and i64
** add, sub and mul.  An expression is typed like a function body with
** these instructions only, and must leave one value of the type wanted.
** ref.func in an expression also declares the function for ref.func in
** code (C.refs).
*/
#include <stdlib.h>

#include "binary/constexpr.h"
#include "binary/instr.h"

#define FAIL(...) return err_set(err, INRO_ERR_INVALID, __VA_ARGS__)

int const_type(inro_module *m, const constexpr_ *ce, uint32_t nglobals, valtype *type,
               inro_error *err) {
  if (ce->kind == CE_REF_FUNC && ce->end == 0) { /* a function index of a segment */
    if (ce->value >= m->nfuncs) FAIL("unknown function %llu", (unsigned long long)ce->value);
    m->func_refs[ce->value] = 1;
    *type = vt_concrete(m->func_types[ce->value], 0);
    return 1;
  }
  reader r = {m->bytes, ce->start, ce->end, NULL, 0};
  /* Each instruction takes a byte at least: the stack is never deeper. */
  valtype *stack = malloc(((size_t)ce->end - ce->start + 1) * sizeof *stack);
  uint32_t n = 0;
  if (!stack) return err_set(err, INRO_ERR_NOMEM, "out of memory");
  for (;;) {
    instr in;
    if (instr_read(&r, &in) < 0) {
      free(stack);
      FAIL("constant expression required");
    }
    if (in.op == OP_END) break;
    valtype push = 0;
    switch (in.op) {
    case OP_I32_CONST: push = INRO_I32; break;
    case OP_I64_CONST: push = INRO_I64; break;
    case OP_F32_CONST: push = INRO_F32; break;
    case OP_F64_CONST: push = INRO_F64; break;
    case OP_V128_CONST: push = INRO_V128; break;
    case OP_REF_NULL:
      push = (valtype)in.a;
      if (vt_is_concrete(push) && vt_index(push) >= m->ntypes) push = 0;
      break;
    case OP_REF_FUNC:
      if (in.a < m->nfuncs) {
        m->func_refs[in.a] = 1;
        push = vt_concrete(m->func_types[in.a], 0);
      }
      break;
    case OP_GLOBAL_GET:
      if (in.a < nglobals && !m->global_types[in.a].mut) push = m->global_types[in.a].type;
      break;
    case OP_I32_ADD: case OP_I32_SUB: case OP_I32_MUL:
    case OP_I64_ADD: case OP_I64_SUB: case OP_I64_MUL: {
      valtype t = in.op == OP_I32_ADD || in.op == OP_I32_SUB || in.op == OP_I32_MUL
                      ? INRO_I32 : INRO_I64;
      if (n < 2 || stack[n - 1] != t || stack[n - 2] != t) {
        free(stack);
        FAIL("type mismatch");
      }
      n--;
      continue;
    }
    default:
      break;
    }
    if (!push) { /* say why */
      free(stack);
      if (in.op == OP_REF_NULL) FAIL("unknown type");
      if (in.op == OP_REF_FUNC) FAIL("unknown function %llu", (unsigned long long)in.a);
      if (in.op == OP_GLOBAL_GET && in.a >= nglobals)
        FAIL("unknown global %llu", (unsigned long long)in.a);
      FAIL("constant expression required");
    }
    stack[n++] = push;
  }
  int one = n == 1;
  if (one) *type = stack[0];
  free(stack);
  if (!one) FAIL("type mismatch");
  return 1;
}

int const_check(inro_module *m, constexpr_ *ce, valtype want, uint32_t nglobals,
                inro_error *err) {
  valtype t;
  if (!const_type(m, ce, nglobals, &t, err)) return 0;
  if (!vt_sub(m, t, want)) FAIL("type mismatch");
  ce->type = t;
  return 1;
}
