/*
** validate.c -- validation of one function body (binary/validate.h).
**
** This is the spec's validation algorithm (appendix "Validation
** Algorithm") and nothing else: it emits no code.  The translator walks
** the body with the same iterator and reads the validator's state after
** each instruction (exec/translate.c).
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

static void push(validator *v, uint8_t t) {
  grow(v, (void **)&v->vals, &v->capvals, v->nvals + 1, 1);
  if (v->fail) return;
  v->vals[v->nvals++] = t;
  if (v->nvals > v->max_height) v->max_height = v->nvals;
}

static uint8_t pop_any(validator *v) {
  vctl *top = &v->ctls[v->nctls - 1];
  if (v->nvals == top->height) {
    if (!top->unreachable && !v->fail) v->fail = "type mismatch";
    return UNKNOWN;
  }
  return v->vals[--v->nvals];
}

static uint8_t pop(validator *v, uint8_t expect) {
  uint8_t t = pop_any(v);
  if (t != expect && t != UNKNOWN && expect != UNKNOWN && !v->fail)
    v->fail = "type mismatch";
  return t == UNKNOWN ? expect : t;
}

static void pop_many(validator *v, const uint8_t *types, uint32_t n) {
  for (uint32_t i = n; i-- > 0;) pop(v, types[i]);
}

static void push_many(validator *v, const uint8_t *types, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) push(v, types[i]);
}

static vctl *push_ctl(validator *v, int op, const uint8_t *params, uint32_t np,
                      const uint8_t *results, uint32_t nr, uint8_t single) {
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
  c->unreachable = 0;
  push_many(v, params, np);
  return c;
}

static void set_unreachable(validator *v) {
  vctl *top = &v->ctls[v->nctls - 1];
  v->nvals = top->height;
  top->unreachable = 1;
}

static const uint8_t *label_types(const vctl *c) {
  return c->op == OP_LOOP ? c->params : vctl_results(c);
}

/* ------------------------------------------------------------- types */

/* A number or a vector: what `select` takes without a type annotation. */
static int is_num(uint8_t t) {
  return t == INRO_I32 || t == INRO_I64 || t == INRO_F32 || t == INRO_F64 || t == INRO_V128;
}
static int is_ref(uint8_t t) { return t == INRO_FUNCREF || t == INRO_EXTERNREF; }

static uint8_t sig_type(char ch) {
  switch (ch) {
  case 'i': return INRO_I32;
  case 'I': return INRO_I64;
  case 'f': return INRO_F32;
  case 'V': return INRO_V128;
  default: return INRO_F64;
  }
}

/* Fixed-signature instruction: pop params (right to left), push results. */
static void apply_sig(validator *v, const char *sig) {
  const char *colon = strchr(sig, ':');
  for (const char *p = colon; p-- > sig;) pop(v, sig_type(*p));
  for (const char *p = colon + 1; *p; p++) push(v, sig_type(*p));
}

/* Block type -> (params, results) in tmpl. */
static int block_type(validator *v, int64_t bt, vctl *tmpl) {
  tmpl->params = NULL;
  tmpl->nparams = 0;
  tmpl->results = NULL;
  tmpl->nresults = 0;
  tmpl->single = 0;
  if (bt == BLOCKTYPE_EMPTY) return 1;
  if (bt < 0) {
    uint8_t t = (uint8_t)(bt & 0x7F);
    if (!is_num(t) && !is_ref(t)) {
      v->fail = "malformed value type";
      v->fail_malformed = 1;
      return 0;
    }
    tmpl->single = t;
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

static uint8_t local_type(validator *v, uint64_t idx) {
  if (idx >= v->nlocals) {
    v->fail = "unknown local";
    return UNKNOWN;
  }
  return v->local_types[idx];
}

static int need_memory(validator *v) {
  if (v->m->nmems == 0) {
    v->fail = "unknown memory 0";
    return 0;
  }
  return 1;
}

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
  switch (info->imm) {
  case IMM_MEMARG:
  case IMM_MEMARG_LANE:
    if (!need_memory(v)) return;
    if (in->a >= 32 || (1u << in->a) > n) {
      v->fail = "alignment must not be larger than natural";
      return;
    }
    if (info->imm == IMM_MEMARG_LANE && in->lane >= 16 / n && !bad_lane(v)) return;
    break;
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
  apply_sig(v, info->sig);
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
  const uint8_t *lt = label_types(c);
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
    const uint8_t *lt = label_types(c);
    uint32_t saved = v->nvals;
    for (uint32_t k = arity; k-- > 0;) pop(v, lt[k]);
    v->nvals = saved;
  }
  set_unreachable(v);
}

static void check_instr(validator *v) {
  instr *in = &v->in;
  int op = in->op;
  const inro_module *m = v->m;
  const op_info *info = &op_table[op];
  vctl *top = &v->ctls[v->nctls - 1];

  if (op >= OP_I32_LOAD && op <= OP_I64_STORE32) {
    if (!need_memory(v)) return;
    unsigned bytes = access_bytes(op);
    if (in->a >= 32 || (1u << in->a) > bytes) {
      v->fail = "alignment must not be larger than natural";
      return;
    }
    apply_sig(v, info->sig);
    return;
  }
  if (info->imm == IMM_NONE && info->sig[0]) {
    apply_sig(v, info->sig);
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
    if (!block_type(v, (int64_t)in->a, &t)) return;
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
    pop_many(v, vctl_results(top), top->nresults);
    if (v->nvals != top->height && !v->fail) v->fail = "type mismatch";
    if (v->fail) return;
    v->ended = *top;
    top->op = OP_ELSE;
    top->unreachable = 0;
    v->nvals = top->height;
    push_many(v, top->params, top->nparams);
    break;
  case OP_END: {
    pop_many(v, vctl_results(top), top->nresults);
    if (v->nvals != top->height && !v->fail) v->fail = "type mismatch";
    if (v->fail) return;
    if (top->op == OP_IF && top->nparams != top->nresults) {
      v->fail = "type mismatch"; /* an if without else must keep its types */
      return;
    }
    if (top->op == OP_IF)
      for (uint32_t i = 0; i < top->nparams; i++)
        if (top->params[i] != vctl_results(top)[i]) {
          v->fail = "type mismatch";
          return;
        }
    v->ended = *top;
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
  case OP_CALL: {
    if (in->a >= m->nfuncs) {
      v->fail = "unknown function";
      return;
    }
    const functype *ft = &m->types[m->func_types[in->a]];
    pop_many(v, FT_PARAMS(ft), ft->nparams);
    push_many(v, FT_RESULTS(ft), ft->nresults);
    break;
  }
  case OP_CALL_INDIRECT: {
    const tabletype *tt = need_table(v, in->b);
    if (!tt) return;
    if (tt->elem != INRO_FUNCREF) {
      v->fail = "type mismatch";
      return;
    }
    if (in->a >= m->ntypes) {
      v->fail = "unknown type";
      return;
    }
    const functype *ft = &m->types[in->a];
    pop(v, INRO_I32);
    pop_many(v, FT_PARAMS(ft), ft->nparams);
    push_many(v, FT_RESULTS(ft), ft->nresults);
    break;
  }
  case OP_DROP:
    v->type = pop_any(v);
    break;
  case OP_SELECT: {
    pop(v, INRO_I32);
    uint8_t t1 = pop_any(v), t2 = pop_any(v);
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
    uint8_t t = rd_u8(&tr);
    if (!is_num(t) && !is_ref(t)) {
      v->fail = "malformed value type";
      v->fail_malformed = 1;
      return;
    }
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
    uint8_t t = local_type(v, in->a);
    if (v->fail) return;
    if (op == OP_LOCAL_GET) {
      push(v, t);
    } else {
      pop(v, t);
      if (op == OP_LOCAL_TEE) push(v, t);
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
  case OP_TABLE_GET:
  case OP_TABLE_SET:
  case OP_TABLE_SIZE:
  case OP_TABLE_GROW:
  case OP_TABLE_FILL: {
    const tabletype *tt = need_table(v, in->a);
    if (!tt) return;
    uint8_t t = tt->elem;
    switch (op) {
    case OP_TABLE_GET: pop(v, INRO_I32); push(v, t); break;
    case OP_TABLE_SET: pop(v, t); pop(v, INRO_I32); break;
    case OP_TABLE_SIZE: push(v, INRO_I32); break;
    case OP_TABLE_GROW: pop(v, INRO_I32); pop(v, t); push(v, INRO_I32); break;
    default: pop(v, INRO_I32); pop(v, t); pop(v, INRO_I32); break;
    }
    break;
  }
  case OP_MEMORY_SIZE:
  case OP_MEMORY_GROW:
  case OP_MEMORY_FILL:
  case OP_MEMORY_COPY:
    if (!need_memory(v)) return;
    apply_sig(v, info->sig);
    break;
  case OP_MEMORY_INIT:
    if (!need_memory(v) || !need_datacount(v, in->a)) return;
    if (in->a >= m->datacount) {
      v->fail = "unknown data segment";
      return;
    }
    apply_sig(v, info->sig);
    break;
  case OP_DATA_DROP:
    if (!need_datacount(v, in->a)) return;
    if (in->a >= m->datacount) v->fail = "unknown data segment";
    break;
  case OP_TABLE_INIT: {
    const tabletype *tt = need_table(v, in->b);
    if (!tt) return;
    if (in->a >= m->nelems) {
      v->fail = "unknown elem segment";
      return;
    }
    if (m->elems[in->a].type != tt->elem) {
      v->fail = "type mismatch";
      return;
    }
    apply_sig(v, info->sig);
    break;
  }
  case OP_ELEM_DROP:
    if (in->a >= m->nelems) v->fail = "unknown elem segment";
    break;
  case OP_TABLE_COPY: {
    const tabletype *dst = need_table(v, in->a);
    const tabletype *src = dst ? need_table(v, in->b) : NULL;
    if (!src) return;
    if (dst->elem != src->elem) {
      v->fail = "type mismatch";
      return;
    }
    apply_sig(v, info->sig);
    break;
  }
  case OP_I32_CONST: push(v, INRO_I32); break;
  case OP_I64_CONST: push(v, INRO_I64); break;
  case OP_F32_CONST: push(v, INRO_F32); break;
  case OP_F64_CONST: push(v, INRO_F64); break;
  case OP_REF_NULL:
    push(v, (uint8_t)in->a);
    break;
  case OP_REF_IS_NULL: {
    uint8_t t = pop_any(v);
    if (t != UNKNOWN && !is_ref(t)) {
      v->fail = "type mismatch";
      return;
    }
    push(v, INRO_I32);
    break;
  }
  case OP_REF_FUNC:
    if (in->a >= m->nfuncs) {
      v->fail = "unknown function";
      return;
    }
    if (!m->func_refs[in->a]) {
      v->fail = "undeclared function reference";
      return;
    }
    push(v, INRO_FUNCREF);
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
    rd_u8(r);
  }
  if (total > UINT32_MAX / 2) return 0;
  v->nlocals = (uint32_t)total;
  v->local_types = malloc(total ? total : 1);
  if (!v->local_types) return 0;
  memcpy(v->local_types, FT_PARAMS(ft), ft->nparams);
  r->pos = start;
  uint32_t at = ft->nparams;
  for (uint32_t k = 0; k < ngroups; k++) {
    uint32_t n = rd_u32(r);
    uint8_t t = rd_u8(r);
    memset(v->local_types + at, t, n);
    at += n;
  }
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
  v->first_offset = (uint32_t)v->r.pos;
  push_ctl(v, -1, NULL, 0, FT_RESULTS(ft), ft->nresults, 0);
  if (v->fail) return err_set(err, INRO_ERR_NOMEM, "out of memory");
  return 1;
}

int val_next(validator *v) {
  if (v->fail || v->nctls == 0) return 0;
  if (instr_read(&v->r, &v->in) < 0) {
    v->fail = v->r.failed;
    return 0;
  }
  v->height_before = v->nvals;
  v->dead = v->ctls[v->nctls - 1].unreachable;
  check_instr(v);
  return !v->fail;
}

int val_finish(validator *v, inro_error *err) {
  if (!v->fail) return 1;
  return err_set(err, v->fail_malformed ? INRO_ERR_MALFORMED : INRO_ERR_INVALID,
                 "%s (function %u at byte 0x%zx)", v->fail,
                 v->m->nfunc_imports + v->defidx, v->in.offset);
}

void val_free(validator *v) {
  free(v->vals);
  free(v->ctls);
  free(v->local_types);
  v->vals = NULL;
  v->ctls = NULL;
  v->local_types = NULL;
}

/* ------------------------------------------------------------ queries */

int func_validate(const inro_module *m, uint32_t defidx, inro_error *err) {
  validator v;
  int ok = val_begin(&v, m, defidx, err);
  if (ok) {
    while (val_next(&v)) {}
    ok = val_finish(&v, err);
  }
  val_free(&v);
  return ok;
}

uint32_t func_stack_types(const inro_module *m, uint32_t defidx,
                          uint32_t offset, uint8_t *types, uint32_t max) {
  validator v;
  uint32_t n = 0;
  if (val_begin(&v, m, defidx, NULL)) {
    while (v.r.pos != offset && val_next(&v)) {}
    if (!v.fail && v.r.pos == offset) {
      n = v.nvals;
      if (n && max && types) memcpy(types, v.vals, n < max ? n : max);
    }
  }
  val_free(&v);
  return n;
}

int func_instr_at(const inro_module *m, uint32_t defidx, uint32_t offset) {
  const func_def *fd = &m->funcs[defidx];
  if (offset < fd->body_start || offset >= fd->body_end) return 0;
  reader r = {m->bytes, fd->body_start, fd->body_end, NULL, 0};
  instr_skip_locals(&r);
  instr in;
  while (!r.failed && r.pos < offset) instr_read(&r, &in);
  return !r.failed && r.pos == offset;
}
