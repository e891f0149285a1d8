/*
** validate.c -- validation of one function body (binary/validate.h).
**
** This is the spec's validation algorithm (appendix "Validation
** Algorithm", WebAssembly 3.0 without GC) and nothing else: it emits no
** code.  The translator walks the body with the same iterator and reads
** the validator's state after each instruction (exec/translate.c).
*/
#include <stdlib.h>
#include <string.h>

#include "binary/validate.h"

#define UNKNOWN VAL_UNKNOWN

/* ------------------------------------------------------------ stacks */

static void grow(validator *v, void **p, uint32_t *cap, uint32_t need, size_t elem) {
  if (need <= *cap || v->fail) return;
  uint32_t n = *cap ? *cap : 16;
  while (n < need) n *= 2;
  void *q = realloc(*p, (size_t)n * elem);
  if (!q) {
    v->fail = "out of memory";
    return;
  }
  *p = q;
  *cap = n;
}

static void push(validator *v, valtype t) {
  grow(v, (void **)&v->vals, &v->capvals, v->nvals + 1, sizeof *v->vals);
  if (v->fail) return;
  v->vals[v->nvals++] = t;
  if (v->nvals > v->max_height) v->max_height = v->nvals;
}

static valtype pop_any(validator *v) {
  vctl *top = &v->ctls[v->nctls - 1];
  if (v->nvals == top->height) {
    if (!top->unreachable && !v->fail) v->fail = "type mismatch";
    return UNKNOWN;
  }
  return v->vals[--v->nvals];
}

static int sub(const validator *v, valtype a, valtype b) { return vt_sub(v->m, a, b); }

static valtype pop(validator *v, valtype expect) {
  valtype t = pop_any(v);
  if (t != UNKNOWN && expect != UNKNOWN && !sub(v, t, expect) && !v->fail)
    v->fail = "type mismatch";
  return t == UNKNOWN ? expect : t;
}

/* A reference of any type (VT_BOT_REF in unreachable code). */
static valtype pop_ref(validator *v) {
  valtype t = pop_any(v);
  if (t == UNKNOWN) return VT_BOT_REF;
  if (!vt_is_ref(t) && !v->fail) v->fail = "type mismatch";
  return t;
}

static void pop_many(validator *v, const valtype *types, uint32_t n) {
  for (uint32_t i = n; i-- > 0;) pop(v, types[i]);
}

static void push_many(validator *v, const valtype *types, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) push(v, types[i]);
}

static vctl *push_ctl(validator *v, int op, const valtype *params, uint32_t np,
                      const valtype *results, uint32_t nr, valtype single) {
  grow(v, (void **)&v->ctls, &v->capctls, v->nctls + 1, sizeof *v->ctls);
  if (v->fail) return NULL;
  vctl *c = &v->ctls[v->nctls++];
  c->op = op;
  c->single = single;
  c->params = params;
  c->nparams = np;
  c->results = results; /* NULL for a one-type block: see vctl_results */
  c->nresults = nr;
  c->height = v->nvals;
  c->inits = v->ninits;
  c->unreachable = 0;
  push_many(v, params, np);
  return c;
}

static void set_unreachable(validator *v) {
  vctl *top = &v->ctls[v->nctls - 1];
  v->nvals = top->height;
  top->unreachable = 1;
}

/* Locals set inside a block are unset again after it. */
static void reset_inits(validator *v, uint32_t height) {
  while (v->ninits > height) v->local_set[v->inits[--v->ninits]] = 0;
}

/* ------------------------------------------------------------- types */

/* A number or a vector: what `select` takes without a type annotation. */
static int is_num(valtype t) { return vt_is_num(t) || t == INRO_V128; }

static valtype sig_type(char ch) {
  switch (ch) {
  case 'i': return INRO_I32;
  case 'I': return INRO_I64;
  case 'f': return INRO_F32;
  case 'V': return INRO_V128;
  default: return INRO_F64;
  }
}

/* Fixed-signature instruction: pop params (right to left), push results.
** `addr`, when not 0, is the type of the first parameter (a memory
** access's address). */
static void apply_sig(validator *v, const char *sig, valtype addr) {
  valtype params[3]; /* no signature of the opcode tables takes more */
  uint32_t n = 0;
  for (; *sig != ':' && n < 3; sig++, n++) params[n] = n == 0 && addr ? addr : sig_type(*sig);
  while (n > 0) pop(v, params[--n]);
  for (sig++; *sig; sig++) push(v, sig_type(*sig));
}

static int check_type(validator *v, valtype t) {
  if (vt_is_concrete(t) && vt_index(t) >= v->m->ntypes) {
    v->fail = "unknown type";
    return 0;
  }
  return 1;
}

/* Block type -> (params, results) in tmpl. */
static int block_type(validator *v, const instr *in, vctl *tmpl) {
  int64_t bt = (int64_t)in->a;
  tmpl->params = NULL;
  tmpl->nparams = 0;
  tmpl->results = NULL;
  tmpl->nresults = 0;
  tmpl->single = 0;
  if (bt == BLOCKTYPE_EMPTY) return 1;
  if (bt < 0) {
    if (!check_type(v, (valtype)in->b)) return 0;
    tmpl->single = (valtype)in->b;
    tmpl->nresults = 1;
    return 1;
  }
  if ((uint64_t)bt >= v->m->ntypes) {
    v->fail = "unknown type";
    return 0;
  }
  const functype *ft = &v->m->types[bt];
  tmpl->params = FT_PARAMS(ft);
  tmpl->nparams = ft->nparams;
  tmpl->results = FT_RESULTS(ft);
  tmpl->nresults = ft->nresults;
  return 1;
}

static valtype local_type(validator *v, uint64_t idx) {
  if (idx >= v->nlocals) {
    v->fail = "unknown local";
    return UNKNOWN;
  }
  return v->local_types[idx];
}

static const limits *need_memory(validator *v, uint64_t idx) {
  if (idx >= v->m->nmems) {
    v->fail = idx == 0 ? "unknown memory 0" : "unknown memory";
    return NULL;
  }
  return &v->m->mems[idx];
}

static valtype addr_type(const limits *l) { return l->is64 ? INRO_I64 : INRO_I32; }

/* Data indices in code need the data count section (a binary-format
** rule).  It is checked here, after the memory and the index itself are
** known good, so a module whose index is wrong anyway is reported as
** invalid, as the spec tests (converted from text) expect. */
static int need_datacount(validator *v, uint64_t dataidx) {
  if (v->m->has_datacount) return 1;
  if (dataidx >= v->m->ndatas) {
    v->fail = "unknown data segment";
    return 0;
  }
  v->fail = "data count section required";
  v->fail_malformed = 1;
  return 0;
}

static const tabletype *need_table(validator *v, uint64_t idx) {
  if (idx >= v->m->ntables) {
    v->fail = "unknown table";
    return NULL;
  }
  return &v->m->tables[idx];
}

static const functype *need_type(validator *v, uint64_t idx) {
  if (idx >= v->m->ntypes) {
    v->fail = "unknown type";
    return NULL;
  }
  return &v->m->types[idx];
}

static const functype *need_tag(validator *v, uint64_t idx) {
  if (idx >= v->m->ntags) {
    v->fail = "unknown tag";
    return NULL;
  }
  return &v->m->types[v->m->tag_types[idx]];
}

static unsigned access_bytes(int op) {
  static const unsigned char width[] = {
    /* I32_LOAD.. */ 4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4,
    /* I32_STORE.. */ 4, 8, 4, 8, 1, 2, 1, 2, 4};
  return width[op - OP_I32_LOAD];
}

/* ------------------------------------------------------- v128 rows */

/* The bytes each v128 memory instruction accesses and the lane count of
** each lane instruction, from the SEM column (binary/opcodes_simd.h). */
#define V_LOAD(fn, n) n
#define V_STORE(fn, n) n
#define V_LOAD_LANE(fn, n) n
#define V_STORE_LANE(fn, n) n
#define V_EXTRACT(fn, n) n
#define V_REPLACE(fn, n) n
#define SIMD_NUMBER(name, code, text, imm, sig, sem) [OP_##name - OP_SIMD_FIRST] = sem,
static const unsigned char simd_number[OP_COUNT - OP_SIMD_FIRST] = {
  INRO_OPS_SIMD_LOAD(SIMD_NUMBER) INRO_OPS_SIMD_STORE(SIMD_NUMBER)
  INRO_OPS_SIMD_LOAD_LANE(SIMD_NUMBER) INRO_OPS_SIMD_STORE_LANE(SIMD_NUMBER)
  INRO_OPS_SIMD_EXTRACT(SIMD_NUMBER) INRO_OPS_SIMD_REPLACE(SIMD_NUMBER)
};
#undef SIMD_NUMBER
#undef V_LOAD
#undef V_STORE
#undef V_LOAD_LANE
#undef V_STORE_LANE
#undef V_EXTRACT
#undef V_REPLACE

static int bad_lane(validator *v) {
  v->fail = "invalid lane index";
  return 0;
}

/* A v128 row's immediates; its operands are those of its signature. */
static void check_simd(validator *v) {
  const instr *in = &v->in;
  const op_info *info = &op_table[in->op];
  unsigned n = simd_number[in->op - OP_SIMD_FIRST];
  valtype addr = 0;
  switch (info->imm) {
  case IMM_MEMARG:
  case IMM_MEMARG_LANE: {
    const limits *mem = need_memory(v, in->c);
    if (!mem) return;
    if (in->a >= 32 || (1u << in->a) > n) {
      v->fail = "alignment must not be larger than natural";
      return;
    }
    if (!mem->is64 && in->b > UINT32_MAX) {
      v->fail = "offset out of range";
      return;
    }
    if (info->imm == IMM_MEMARG_LANE && in->lane >= 16 / n && !bad_lane(v)) return;
    addr = addr_type(mem);
    break;
  }
  case IMM_LANE:
    if (in->a >= n && !bad_lane(v)) return;
    break;
  case IMM_SHUFFLE:
    for (unsigned i = 0; i < 16; i++)
      if (((i < 8 ? in->a : in->b) >> (8 * (i % 8)) & 0xFF) >= 32 && !bad_lane(v)) return;
    break;
  default:
    break;
  }
  apply_sig(v, info->sig, addr);
}

/* ------------------------------------------------- one instruction */

/* A branch to label `depth`: pop its values and push them back (br_if
** keeps them; br makes what follows unreachable). */
static int check_label(validator *v, uint64_t depth) {
  if (depth >= v->nctls) {
    v->fail = "unknown label";
    return 0;
  }
  const vctl *c = val_label(v, (uint32_t)depth);
  uint32_t n = vctl_arity(c);
  const valtype *lt = vctl_label_types(c);
  pop_many(v, lt, n);
  if (v->fail) return 0;
  push_many(v, lt, n);
  return 1;
}

static void check_br_table(validator *v) {
  instr *in = &v->in;
  pop(v, INRO_I32);
  if (in->a >= v->nctls) {
    v->fail = "unknown label";
    return;
  }
  uint32_t arity = vctl_arity(val_label(v, (uint32_t)in->a));
  reader lr = v->r;
  lr.pos = in->vec_pos;
  for (uint32_t i = 0; i <= in->vec_len && !v->fail; i++) {
    uint32_t l = i < in->vec_len ? rd_u32(&lr) : (uint32_t)in->a;
    if (l >= v->nctls) {
      v->fail = "unknown label";
      return;
    }
    const vctl *c = val_label(v, l);
    if (vctl_arity(c) != arity) {
      v->fail = "type mismatch";
      return;
    }
    /* Check the operand types against this label without consuming. */
    const valtype *lt = vctl_label_types(c);
    uint32_t saved = v->nvals;
    for (uint32_t k = arity; k-- > 0;) pop(v, lt[k]);
    v->nvals = saved;
  }
  set_unreachable(v);
}

/* The values a catch clause hands its label: the tag's parameters and/or
** the exception as (ref exn); they must match the label's types. */
static void check_catch(validator *v, uint32_t kind, uint32_t tag, uint32_t label) {
  const functype *ft = NULL;
  if (kind <= CATCH_TAG_REF && !(ft = need_tag(v, tag))) return;
  if (label >= v->nctls) {
    v->fail = "unknown label";
    return;
  }
  const vctl *c = val_label(v, label);
  uint32_t n = ft ? ft->nparams : 0, with_ref = kind == CATCH_TAG_REF || kind == CATCH_ALL_REF;
  if (vctl_arity(c) != n + with_ref) {
    v->fail = "type mismatch";
    return;
  }
  const valtype *lt = vctl_label_types(c);
  for (uint32_t i = 0; i < n; i++)
    if (!sub(v, FT_PARAMS(ft)[i], lt[i])) v->fail = "type mismatch";
  if (with_ref && !sub(v, vt_abstract(HT_EXN, 0), lt[n])) v->fail = "type mismatch";
}

/* A tail call's callee returns what the function returns. */
static void check_tail(validator *v, const functype *ft) {
  const vctl *fn = &v->ctls[0];
  if (ft->nresults != fn->nresults) {
    v->fail = "type mismatch";
    return;
  }
  for (uint32_t i = 0; i < ft->nresults; i++)
    if (!sub(v, FT_RESULTS(ft)[i], vctl_results(fn)[i])) v->fail = "type mismatch";
}

/* The end of a block's body (end, else, catch, delegate): its results
** must be exactly on the stack. */
static int close_body(validator *v, vctl *top) {
  pop_many(v, vctl_results(top), top->nresults);
  if (v->nvals != top->height && !v->fail) v->fail = "type mismatch";
  if (v->fail) return 0;
  v->ended = *top;
  reset_inits(v, top->inits);
  return 1;
}

static void check_call(validator *v, const functype *ft, int tail) {
  pop_many(v, FT_PARAMS(ft), ft->nparams);
  if (tail) {
    check_tail(v, ft);
    set_unreachable(v);
  } else {
    push_many(v, FT_RESULTS(ft), ft->nresults);
  }
}

/* call_indirect / return_call_indirect: type in->a, table in->b. */
static void check_call_indirect(validator *v, int tail) {
  const instr *in = &v->in;
  const tabletype *tt = need_table(v, in->b);
  if (!tt) return;
  if (!sub(v, tt->elem, INRO_FUNCREF)) {
    v->fail = "type mismatch";
    return;
  }
  const functype *ft = need_type(v, in->a);
  if (!ft) return;
  pop(v, addr_type(&tt->lim));
  check_call(v, ft, tail);
}

static void check_memory_op(validator *v, int op) {
  const instr *in = &v->in;
  const op_info *info = &op_table[op];
  const limits *mem = need_memory(v, op == OP_MEMORY_INIT ? in->b : in->a);
  if (!mem) return;
  valtype at = addr_type(mem);
  switch (op) {
  case OP_MEMORY_SIZE: push(v, at); break;
  case OP_MEMORY_GROW: pop(v, at); push(v, at); break;
  case OP_MEMORY_FILL: pop(v, at); pop(v, INRO_I32); pop(v, at); break;
  case OP_MEMORY_COPY: {
    const limits *src = need_memory(v, in->b);
    if (!src) return;
    valtype as = addr_type(src);
    pop(v, at == INRO_I64 && as == INRO_I64 ? INRO_I64 : INRO_I32); /* the smaller */
    pop(v, as);
    pop(v, at);
    break;
  }
  default: /* memory.init */
    if (!need_datacount(v, in->a)) return;
    if (in->a >= v->m->datacount) {
      v->fail = "unknown data segment";
      return;
    }
    (void)info;
    pop(v, INRO_I32);
    pop(v, INRO_I32);
    pop(v, at);
    break;
  }
}

static void check_table_op(validator *v, int op) {
  const instr *in = &v->in;
  const inro_module *m = v->m;
  if (op == OP_TABLE_INIT) {
    const tabletype *tt = need_table(v, in->b);
    if (!tt) return;
    if (in->a >= m->nelems) {
      v->fail = "unknown elem segment";
      return;
    }
    if (!sub(v, m->elems[in->a].type, tt->elem)) {
      v->fail = "type mismatch";
      return;
    }
    pop(v, INRO_I32);
    pop(v, INRO_I32);
    pop(v, addr_type(&tt->lim));
    return;
  }
  if (op == OP_TABLE_COPY) {
    const tabletype *dst = need_table(v, in->a);
    const tabletype *src = dst ? need_table(v, in->b) : NULL;
    if (!src) return;
    if (!sub(v, src->elem, dst->elem)) {
      v->fail = "type mismatch";
      return;
    }
    valtype ad = addr_type(&dst->lim), as = addr_type(&src->lim);
    pop(v, ad == INRO_I64 && as == INRO_I64 ? INRO_I64 : INRO_I32);
    pop(v, as);
    pop(v, ad);
    return;
  }
  const tabletype *tt = need_table(v, in->a);
  if (!tt) return;
  valtype t = tt->elem, at = addr_type(&tt->lim);
  switch (op) {
  case OP_TABLE_GET: pop(v, at); push(v, t); break;
  case OP_TABLE_SET: pop(v, t); pop(v, at); break;
  case OP_TABLE_SIZE: push(v, at); break;
  case OP_TABLE_GROW: pop(v, at); pop(v, t); push(v, at); break;
  default: pop(v, at); pop(v, t); pop(v, at); break; /* fill */
  }
}

/* Exceptions: throw, throw_ref, try_table's clauses and the legacy
** try, catch, catch_all, rethrow and delegate. */
static void check_exceptions(validator *v, int op) {
  instr *in = &v->in;
  vctl *top = &v->ctls[v->nctls - 1];
  switch (op) {
  case OP_THROW: {
    const functype *ft = need_tag(v, in->a);
    if (!ft) return;
    pop_many(v, FT_PARAMS(ft), ft->nparams);
    set_unreachable(v);
    break;
  }
  case OP_THROW_REF:
    pop(v, INRO_EXNREF);
    set_unreachable(v);
    break;
  case OP_TRY_TABLE: {
    vctl t;
    if (!block_type(v, in, &t)) return;
    reader cr = v->r;
    cr.pos = in->vec_pos;
    for (uint32_t i = 0; i < in->vec_len && !v->fail; i++) {
      uint32_t kind, tag, label;
      instr_catch(&cr, &kind, &tag, &label);
      check_catch(v, kind, tag, label);
    }
    if (v->fail) return;
    pop_many(v, t.params, t.nparams);
    push_ctl(v, op, t.params, t.nparams, t.results, t.nresults, t.single);
    break;
  }
  case OP_TRY: {
    vctl t;
    if (!block_type(v, in, &t)) return;
    pop_many(v, t.params, t.nparams);
    push_ctl(v, op, t.params, t.nparams, t.results, t.nresults, t.single);
    break;
  }
  case OP_CATCH:
  case OP_CATCH_ALL: {
    if (top->op != OP_TRY && top->op != OP_CATCH) {
      v->fail = top->op == OP_CATCH_ALL ? "catch after catch_all" : "catch without try";
      v->fail_malformed = 1;
      return;
    }
    const functype *ft = op == OP_CATCH ? need_tag(v, in->a) : NULL;
    if (v->fail || !close_body(v, top)) return;
    top->op = op;
    top->unreachable = 0;
    if (ft) push_many(v, FT_PARAMS(ft), ft->nparams);
    break;
  }
  case OP_RETHROW:
    if (in->a >= v->nctls) {
      v->fail = "unknown label";
      return;
    }
    if (!vctl_is_catch(val_label(v, (uint32_t)in->a))) {
      v->fail = "invalid rethrow label";
      return;
    }
    set_unreachable(v);
    break;
  default: /* delegate: ends a try body, its label outside the try */
    if (top->op != OP_TRY) {
      v->fail = "delegate without try";
      v->fail_malformed = 1;
      return;
    }
    if (!close_body(v, top)) return;
    v->nctls--;
    if (in->a >= v->nctls) {
      v->fail = "unknown label";
      return;
    }
    push_many(v, vctl_results(&v->ended), v->ended.nresults);
    break;
  }
}

/* Typed function references: call_ref, return_call_ref, ref.as_non_null,
** br_on_null, br_on_non_null. */
static void check_typed_refs(validator *v, int op) {
  instr *in = &v->in;
  switch (op) {
  case OP_CALL_REF:
  case OP_RETURN_CALL_REF: {
    const functype *ft = need_type(v, in->a);
    if (!ft) return;
    pop(v, vt_concrete((uint32_t)in->a, 1));
    check_call(v, ft, op == OP_RETURN_CALL_REF);
    break;
  }
  case OP_REF_AS_NON_NULL:
    push(v, vt_as_nonnull(pop_ref(v)));
    break;
  case OP_BR_ON_NULL: {
    valtype rt = pop_ref(v);
    if (v->fail || !check_label(v, in->a)) return;
    push(v, vt_as_nonnull(rt));
    break;
  }
  default: { /* br_on_non_null: the label takes the reference, last */
    valtype rt = pop_ref(v);
    if (v->fail) return;
    if (in->a >= v->nctls) {
      v->fail = "unknown label";
      return;
    }
    const vctl *c = val_label(v, (uint32_t)in->a);
    uint32_t n = vctl_arity(c);
    const valtype *lt = vctl_label_types(c);
    if (n == 0 || !sub(v, vt_as_nonnull(rt), lt[n - 1])) {
      v->fail = "type mismatch";
      return;
    }
    pop_many(v, lt, n - 1);
    push_many(v, lt, n - 1);
    break;
  }
  }
}

static void check_instr(validator *v) {
  instr *in = &v->in;
  int op = in->op;
  const inro_module *m = v->m;
  const op_info *info = &op_table[op];
  vctl *top = &v->ctls[v->nctls - 1];

  if (op >= OP_I32_LOAD && op <= OP_I64_STORE32) {
    const limits *mem = need_memory(v, in->c);
    if (!mem) return;
    unsigned bytes = access_bytes(op);
    if (in->a >= 32 || (1u << in->a) > bytes) {
      v->fail = "alignment must not be larger than natural";
      return;
    }
    if (!mem->is64 && in->b > UINT32_MAX) {
      v->fail = "offset out of range";
      return;
    }
    apply_sig(v, info->sig, addr_type(mem));
    return;
  }
  if (info->imm == IMM_NONE && info->sig[0]) {
    apply_sig(v, info->sig, 0);
    return;
  }
  if (op >= OP_SIMD_FIRST) {
    check_simd(v);
    return;
  }
  switch (op) {
  case OP_UNREACHABLE:
    set_unreachable(v);
    break;
  case OP_NOP:
    break;
  case OP_BLOCK:
  case OP_LOOP:
  case OP_IF: {
    vctl t;
    if (!block_type(v, in, &t)) return;
    if (op == OP_IF) pop(v, INRO_I32);
    pop_many(v, t.params, t.nparams);
    push_ctl(v, op, t.params, t.nparams, t.results, t.nresults, t.single);
    break;
  }
  case OP_ELSE:
    if (top->op != OP_IF) {
      v->fail = "else without if";
      return;
    }
    if (!close_body(v, top)) return;
    top->op = OP_ELSE;
    top->unreachable = 0;
    push_many(v, top->params, top->nparams);
    break;
  case OP_END: {
    if (!close_body(v, top)) return;
    if (top->op == OP_IF && top->nparams != top->nresults) {
      v->fail = "type mismatch"; /* an if without else must keep its types */
      return;
    }
    if (top->op == OP_IF)
      for (uint32_t i = 0; i < top->nparams; i++)
        if (!sub(v, top->params[i], vctl_results(top)[i])) {
          v->fail = "type mismatch";
          return;
        }
    v->nctls--;
    push_many(v, vctl_results(&v->ended), v->ended.nresults);
    break;
  }
  case OP_BR:
    if (check_label(v, in->a)) set_unreachable(v);
    break;
  case OP_BR_IF:
    pop(v, INRO_I32);
    check_label(v, in->a);
    break;
  case OP_BR_TABLE:
    check_br_table(v);
    break;
  case OP_RETURN: {
    const vctl *fn = &v->ctls[0];
    pop_many(v, vctl_results(fn), fn->nresults);
    set_unreachable(v);
    break;
  }
  case OP_CALL:
  case OP_RETURN_CALL:
    if (in->a >= m->nfuncs) {
      v->fail = "unknown function";
      return;
    }
    check_call(v, &m->types[m->func_types[in->a]], op == OP_RETURN_CALL);
    break;
  case OP_CALL_INDIRECT:
  case OP_RETURN_CALL_INDIRECT:
    check_call_indirect(v, op == OP_RETURN_CALL_INDIRECT);
    break;
  case OP_DROP:
    v->type = pop_any(v);
    break;
  case OP_SELECT: {
    pop(v, INRO_I32);
    valtype t1 = pop_any(v), t2 = pop_any(v);
    if ((t1 != UNKNOWN && !is_num(t1)) || (t2 != UNKNOWN && !is_num(t2))) {
      v->fail = "type mismatch";
      return;
    }
    if (t1 != UNKNOWN && t2 != UNKNOWN && t1 != t2) {
      v->fail = "type mismatch";
      return;
    }
    v->type = t1 == UNKNOWN ? t2 : t1;
    push(v, v->type);
    break;
  }
  case OP_SELECT_T: {
    if (in->vec_len != 1) {
      v->fail = "invalid result arity";
      return;
    }
    reader tr = v->r;
    tr.pos = in->vec_pos;
    valtype t = rd_valtype3(&tr, 0);
    if (!check_type(v, t)) return;
    pop(v, INRO_I32);
    pop(v, t);
    pop(v, t);
    push(v, t);
    v->type = t;
    break;
  }
  case OP_LOCAL_GET:
  case OP_LOCAL_SET:
  case OP_LOCAL_TEE: {
    valtype t = local_type(v, in->a);
    if (v->fail) return;
    if (op == OP_LOCAL_GET) {
      if (!v->local_set[in->a]) {
        v->fail = "uninitialized local";
        return;
      }
      push(v, t);
      break;
    }
    pop(v, t);
    if (op == OP_LOCAL_TEE) push(v, t);
    if (!v->local_set[in->a]) {
      grow(v, (void **)&v->inits, &v->capinits, v->ninits + 1, sizeof *v->inits);
      if (v->fail) return;
      v->inits[v->ninits++] = (uint32_t)in->a;
      v->local_set[in->a] = 1;
    }
    break;
  }
  case OP_GLOBAL_GET:
  case OP_GLOBAL_SET: {
    if (in->a >= m->nglobals) {
      v->fail = "unknown global";
      return;
    }
    globaltype gt = m->global_types[in->a];
    if (op == OP_GLOBAL_GET) {
      push(v, gt.type);
    } else {
      if (!gt.mut) {
        v->fail = "global is immutable";
        return;
      }
      pop(v, gt.type);
    }
    break;
  }
  case OP_TABLE_GET: case OP_TABLE_SET: case OP_TABLE_SIZE: case OP_TABLE_GROW:
  case OP_TABLE_FILL: case OP_TABLE_COPY: case OP_TABLE_INIT:
    check_table_op(v, op);
    break;
  case OP_MEMORY_SIZE: case OP_MEMORY_GROW: case OP_MEMORY_FILL: case OP_MEMORY_COPY:
  case OP_MEMORY_INIT:
    check_memory_op(v, op);
    break;
  case OP_DATA_DROP:
    if (!need_datacount(v, in->a)) return;
    if (in->a >= m->datacount) v->fail = "unknown data segment";
    break;
  case OP_ELEM_DROP:
    if (in->a >= m->nelems) v->fail = "unknown elem segment";
    break;
  case OP_I32_CONST: push(v, INRO_I32); break;
  case OP_I64_CONST: push(v, INRO_I64); break;
  case OP_F32_CONST: push(v, INRO_F32); break;
  case OP_F64_CONST: push(v, INRO_F64); break;
  case OP_REF_NULL:
    if (!check_type(v, (valtype)in->a)) return;
    push(v, (valtype)in->a);
    break;
  case OP_REF_IS_NULL:
    pop_ref(v);
    push(v, INRO_I32);
    break;
  case OP_REF_FUNC:
    if (in->a >= m->nfuncs) {
      v->fail = "unknown function";
      return;
    }
    if (!m->func_refs[in->a]) {
      v->fail = "undeclared function reference";
      return;
    }
    push(v, vt_concrete(m->func_types[in->a], 0));
    break;
  case OP_THROW: case OP_THROW_REF: case OP_TRY_TABLE: case OP_TRY: case OP_CATCH:
  case OP_CATCH_ALL: case OP_RETHROW: case OP_DELEGATE:
    check_exceptions(v, op);
    break;
  case OP_CALL_REF: case OP_RETURN_CALL_REF: case OP_REF_AS_NON_NULL:
  case OP_BR_ON_NULL: case OP_BR_ON_NON_NULL:
    check_typed_refs(v, op);
    break;
  default:
    v->fail = "unsupported instruction";
    break;
  }
}

/* --------------------------------------------------------- the iterator */

static int expand_locals(validator *v, const functype *ft) {
  reader *r = &v->r;
  uint32_t ngroups = rd_u32(r);
  size_t start = r->pos;
  uint64_t total = ft->nparams;
  for (uint32_t k = 0; k < ngroups; k++) {
    total += rd_u32(r);
    rd_valtype3(r, 0);
  }
  if (total > UINT32_MAX / 8 || r->failed) return 0;
  v->nlocals = (uint32_t)total;
  v->local_types = malloc((total ? total : 1) * sizeof *v->local_types);
  v->local_set = malloc(total ? total : 1);
  if (!v->local_types || !v->local_set) return 0;
  memcpy(v->local_types, FT_PARAMS(ft), ft->nparams * sizeof *v->local_types);
  r->pos = start;
  uint32_t at = ft->nparams;
  for (uint32_t k = 0; k < ngroups; k++) {
    uint32_t n = rd_u32(r);
    valtype t = rd_valtype3(r, 0);
    for (uint32_t i = 0; i < n; i++) v->local_types[at + i] = t;
    at += n;
  }
  for (uint32_t i = 0; i < v->nlocals; i++)
    v->local_set[i] = i < ft->nparams || vt_defaultable(v->local_types[i]);
  return !r->failed;
}

int val_begin(validator *v, const inro_module *m, uint32_t defidx, inro_error *err) {
  const func_def *fd = &m->funcs[defidx];
  memset(v, 0, sizeof *v);
  v->m = m;
  v->defidx = defidx;
  if (fd->typeidx >= m->ntypes)
    return err_set(err, INRO_ERR_INVALID, "unknown type in function %u",
                   m->nfunc_imports + defidx);
  const functype *ft = &m->types[fd->typeidx];
  v->r.base = m->bytes;
  v->r.pos = fd->body_start;
  v->r.end = fd->body_end;
  v->nparams = ft->nparams;
  v->nresults = ft->nresults;
  if (!expand_locals(v, ft)) return err_set(err, INRO_ERR_NOMEM, "out of memory");
  for (uint32_t i = ft->nparams; i < v->nlocals; i++)
    if (vt_is_concrete(v->local_types[i]) && vt_index(v->local_types[i]) >= m->ntypes)
      return err_set(err, INRO_ERR_INVALID, "unknown type (function %u)",
                     m->nfunc_imports + defidx);
  v->first_offset = (uint32_t)v->r.pos;
  push_ctl(v, -1, NULL, 0, FT_RESULTS(ft), ft->nresults, 0);
  if (v->fail) return err_set(err, INRO_ERR_NOMEM, "out of memory");
  return 1;
}

int val_next(validator *v) {
  if (v->fail || v->nctls == 0) return 0;
  if (instr_read(&v->r, &v->in) < 0) {
    v->fail = v->in.offset >= v->r.end ? "END opcode expected" : v->r.failed;
    v->fail_malformed = 1;
    return 0;
  }
  v->height_before = v->nvals;
  v->dead = v->ctls[v->nctls - 1].unreachable;
  check_instr(v);
  return !v->fail;
}

int val_finish(validator *v, inro_error *err) {
  if (!v->fail && v->nctls == 0 && v->r.pos != v->r.end) { /* bytes after the final end */
    v->fail = "section size mismatch";
    v->fail_malformed = 1;
    v->in.offset = v->r.pos;
  }
  if (!v->fail) return 1;
  return err_set(err, rd_unsupported(v->fail) ? INRO_ERR_UNSUPPORTED
                      : v->fail_malformed ? INRO_ERR_MALFORMED : INRO_ERR_INVALID,
                 "%s (function %u at byte 0x%zx)", v->fail,
                 v->m->nfunc_imports + v->defidx, v->in.offset);
}

void val_free(validator *v) {
  free(v->vals);
  free(v->ctls);
  free(v->local_types);
  free(v->local_set);
  free(v->inits);
  v->vals = NULL;
  v->ctls = NULL;
  v->local_types = NULL;
  v->local_set = NULL;
  v->inits = NULL;
}

/* ------------------------------------------------------------ queries */

uint32_t func_stack_types(const inro_module *m, uint32_t defidx,
                          uint32_t offset, valtype *types, uint32_t max) {
  validator v;
  uint32_t n = 0;
  if (val_begin(&v, m, defidx, NULL)) {
    while (v.r.pos != offset && val_next(&v)) {}
    if (!v.fail && v.r.pos == offset) {
      n = v.nvals;
      if (n && max && types) memcpy(types, v.vals, (n < max ? n : max) * sizeof *types);
    }
  }
  val_free(&v);
  return n;
}

int func_state_at(const inro_module *m, uint32_t defidx, uint32_t offset, val_state *out) {
  validator v;
  memset(out, 0, sizeof *out);
  if (val_begin(&v, m, defidx, NULL)) {
    while (v.r.pos != offset && val_next(&v)) {}
    if (!v.fail && v.r.pos == offset && v.nctls > 0) {
      out->found = 1;
      out->height = v.nvals;
      out->types = malloc((v.nvals + 1) * sizeof *out->types);
      out->local_set = malloc(v.nlocals + 1);
      if (out->types && out->local_set) {
        if (v.nvals) memcpy(out->types, v.vals, v.nvals * sizeof *out->types);
        if (v.nlocals) memcpy(out->local_set, v.local_set, v.nlocals);
      } else {
        out->found = 0;
      }
      for (uint32_t i = 0; i < v.nctls; i++) out->ncatches += vctl_is_catch(&v.ctls[i]);
    }
  }
  val_free(&v);
  return out->found;
}

void val_state_free(val_state *s) {
  free(s->types);
  free(s->local_set);
  s->types = NULL;
  s->local_set = NULL;
}
