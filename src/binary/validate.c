/*
** validate.c -- validation of one function body, translating it to IR in
** the same pass.
**
** This is the spec's validation algorithm (appendix "Validation
** Algorithm"): an operand stack of value types, where 0 stands for the
** unknown type of unreachable code, and a stack of control frames.  The
** operand stack heights it tracks are exactly the heights of the runtime
** operand stack, which is what lets the translator resolve every branch to
** "move `keep` values to slot `dst`" at translation time.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/instr.h"
#include "binary/module.h"
#include "exec/ir.h"

#define UNKNOWN 0
#define NO_FIXUP UINT32_MAX

typedef struct ctl {
  int op;                 /* OP_BLOCK, OP_LOOP, OP_IF, OP_ELSE or -1 (func) */
  uint32_t nparams, nresults;
  const uint8_t *params, *results;
  uint8_t single;         /* storage for a one-result block type */
  uint32_t height;        /* operand height at entry, params excluded */
  int unreachable;
  uint32_t loop_pc;       /* IR target of a loop */
  uint32_t fixups;        /* chain of forward references to the end */
  uint32_t else_fix;      /* IF's target word, until else/end patches it */
} ctl;

typedef struct val {
  const inro_module *m;
  const probe_plan *plan;  /* NULL: no probes */
  int started;             /* the first instruction has been read */
  reader r;
  instr in;
  const char *fail;
  int fail_malformed; /* the failure is a decoding error found late */
  uint8_t *vals;
  uint32_t nvals, capvals;
  ctl *ctls;
  uint32_t nctls, capctls;
  code *c;
  uint32_t capwords, cappc;
  uint32_t max_height;
  /* The instructions just emitted that a binary instruction can absorb:
  ** local.get (kind OP_LOCAL_GET, value = IR_LOCAL(index)) and constants
  ** (kind OP_I32_CONST, value = bits), with their IR start; and for loads
  ** local.get a; local.tee b (kind OP_LOCAL_TEE, value = a | b << 32, the
  ** local.get's start).  Cleared by anything else, by labels, probes and
  ** barriers. */
  struct { int kind; uint32_t start; uint64_t value; } feed[2];
  int nfeed;
  /* The binary instruction just emitted, which a local.set can join:
  ** its op, IR start and fused form (-1: plain); op 0 when there is none. */
  struct { int op; uint32_t start; int form; } last_bin;
  /* 1 + the IR start of the i32.load_LT just emitted, kept through the
  ** local.tee after it, so that a br_table next can make the three one
  ** IR_SWITCH_LT; 0 when there is none. */
  uint32_t switch_load;
  uint32_t nswitch_jumps; /* to pick the next IR_JMP_SWITCH copy */
  /* IR position of the last label, probe or barrier: instructions from
  ** here on run in order, so emit_switch_jump may look back to it. */
  uint32_t label_at;
  /* 1 + the IR start of an i32.load_L just emitted, which the next load
  ** may join as LOAD_IX; 0 when there is none. */
  uint32_t load_l;
  /* 1 + the IR start of the last i32.add_LC_S, for IR_ADD2_LC_S; of the
  ** last plain store, for its TA form. */
  uint32_t add_lcs, store_top;
  int store_op;
  /* The _T form just emitted (op 0: none), its IR start and the form it
  ** joined, for a local.set right after it. */
  struct { int op; uint32_t start; int form; } tee;
} val;

/* ---------------------------------------------------------------- output */

static void grow(val *v, void **p, uint32_t *cap, uint32_t need, size_t elem) {
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

static void emit(val *v, uint32_t w) {
  code *c = v->c;
  grow(v, (void **)&c->words, &v->capwords, c->nwords + 1, sizeof *c->words);
  if (v->fail) return;
  c->words[c->nwords++] = w;
}

/* Start an instruction: opcode word plus its pc -> offset map entry. */
static void emit_op(val *v, uint32_t op) {
  code *c = v->c;
  grow(v, (void **)&c->pcmap, &v->cappc, 2 * (c->npcmap + 1), sizeof *c->pcmap);
  if (v->fail) return;
  c->pcmap[2 * c->npcmap] = c->nwords;
  c->pcmap[2 * c->npcmap + 1] = (uint32_t)v->in.offset;
  c->npcmap++;
  emit(v, op);
}

static void patch_chain(val *v, uint32_t head, uint32_t target) {
  while (head != NO_FIXUP && !v->fail) {
    uint32_t next = v->c->words[head];
    v->c->words[head] = target;
    head = next;
  }
}

/* ----------------------------------------------------------- type stacks */

static void push(val *v, uint8_t t) {
  grow(v, (void **)&v->vals, &v->capvals, v->nvals + 1, 1);
  if (v->fail) return;
  v->vals[v->nvals++] = t;
  if (v->nvals > v->max_height) v->max_height = v->nvals;
}

static uint8_t pop_any(val *v) {
  ctl *top = &v->ctls[v->nctls - 1];
  if (v->nvals == top->height) {
    if (!top->unreachable && !v->fail) v->fail = "type mismatch";
    return UNKNOWN;
  }
  return v->vals[--v->nvals];
}

static uint8_t pop(val *v, uint8_t expect) {
  uint8_t t = pop_any(v);
  if (t != expect && t != UNKNOWN && expect != UNKNOWN && !v->fail)
    v->fail = "type mismatch";
  return t == UNKNOWN ? expect : t;
}

static void pop_many(val *v, const uint8_t *types, uint32_t n) {
  for (uint32_t i = n; i-- > 0;) pop(v, types[i]);
}

static void push_many(val *v, const uint8_t *types, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) push(v, types[i]);
}

static ctl *push_ctl(val *v, int op, const uint8_t *params, uint32_t np,
                     const uint8_t *results, uint32_t nr, uint8_t single) {
  grow(v, (void **)&v->ctls, &v->capctls, v->nctls + 1, sizeof *v->ctls);
  if (v->fail) return NULL;
  ctl *c = &v->ctls[v->nctls++];
  c->op = op;
  c->single = single;
  c->params = params;
  c->nparams = np;
  c->results = results; /* NULL for a one-type block: see ctl_results */
  c->nresults = nr;
  c->height = v->nvals;
  c->unreachable = 0;
  c->loop_pc = v->c->nwords;
  c->fixups = NO_FIXUP;
  c->else_fix = NO_FIXUP;
  push_many(v, params, np);
  return c;
}

static void set_unreachable(val *v) {
  ctl *top = &v->ctls[v->nctls - 1];
  v->nvals = top->height;
  top->unreachable = 1;
}

/* A one-type block keeps its type inline (ctls may move when they grow). */
static const uint8_t *ctl_results(const ctl *c) {
  return c->results ? c->results : &c->single;
}

static uint32_t label_arity(const ctl *c) {
  return c->op == OP_LOOP ? c->nparams : c->nresults;
}
static const uint8_t *label_types(const ctl *c) {
  return c->op == OP_LOOP ? c->params : ctl_results(c);
}

/* ------------------------------------------------------------ branching */

/* Emit the target word of a branch to label c (resolved or chained). */
static void emit_target(val *v, ctl *c) {
  if (c->op == OP_LOOP) {
    emit(v, c->loop_pc);
  } else {
    uint32_t at = v->c->nwords;
    emit(v, c->fixups);
    c->fixups = at;
  }
}

/* If the instruction at IR start e, ending at end and after the last
** label, sets local *d to local *x plus constant *k (i32.add_LC_S or
** IR_LOCAL_COPY), store them and say so. */
static int sets_local_plus(const val *v, uint32_t e, uint32_t end,
                           uint32_t *d, uint32_t *x, uint32_t *k) {
  const uint32_t *w = v->c->words;
  if (e < v->label_at) return 0;
  if ((w[e] == (uint32_t)ir_fused_base[OP_I32_ADD] + FUSE_LC_S ||
       w[e] == IR_ADD2_LC_S) && end == e + 5) {
    *x = w[e + 1], *k = w[e + 2], *d = w[e + 4];
    return 1;
  }
  if (w[e] == IR_LOCAL_COPY && end == e + 3) {
    *x = w[e + 1], *k = 0, *d = w[e + 2];
    return 1;
  }
  return 0;
}

/* A jump to the switch loop whose head is at IR start head: the next
** IR_JMP_SWITCH copy, [op, target, x, k].  Local a, the head's address,
** equals local x + k at the jump: x = a, k = 0, unless one of the last two
** instructions set a to another local plus a constant (clang's `pc += n`
** at the end of a case; the other one may be `sp += n`) and nothing wrote
** that local since. */
static void emit_switch_jump(val *v, uint32_t head) {
  code *c = v->c;
  uint32_t a = c->words[head + 1], x = a, k = 0, d1, x1, k1, d2, x2, k2;
  uint32_t n = c->npcmap, e1 = n >= 1 ? c->pcmap[2 * (n - 1)] : 0;
  uint32_t e2 = n >= 2 ? c->pcmap[2 * (n - 2)] : 0;
  if (n >= 1 && sets_local_plus(v, e1, c->nwords, &d1, &x1, &k1)) {
    if (d1 == a) {
      if (x1 != a) x = x1, k = k1;
    } else if (n >= 2 && sets_local_plus(v, e2, e1, &d2, &x2, &k2) &&
               d2 == a && x2 != a && d1 != x2) {
      x = x2, k = k2;
    }
  }
  emit_op(v, IR_JMP_SWITCH_00 + v->nswitch_jumps++ % IR_SWITCH_COPIES);
  emit(v, head);
  emit(v, x);
  emit(v, k);
}

/* Branch to label c with the operand stack at its current height. */
static void emit_branch(val *v, ctl *c, int conditional) {
  uint32_t keep = label_arity(c);
  if (conditional && v->nvals == c->height + keep && v->last_bin.op &&
      ir_jump_base[v->last_bin.op] && v->last_bin.form != FUSE_LS) {
    /* comparison; br_if -> one jump-if-comparison instruction */
    int form = v->last_bin.form;
    v->c->words[v->last_bin.start] =
        ir_jump_base[v->last_bin.op] + (uint32_t)(form < 0 ? FUSE_J_SS : form);
    v->last_bin.op = 0;
    emit_target(v, c);
    return;
  }
  v->last_bin.op = 0; /* its result is the condition now consumed */
  if (v->nvals == c->height + keep) {
    if (!conditional && c->op == OP_LOOP && c->loop_pc < v->c->nwords &&
        v->c->words[c->loop_pc] == IR_SWITCH_LT) {
      emit_switch_jump(v, c->loop_pc);
      return;
    }
    emit_op(v, conditional ? IR_JMP_IF : IR_JMP);
    emit_target(v, c);
  } else {
    emit_op(v, conditional ? OP_BR_IF : OP_BR);
    emit_target(v, c);
    emit(v, keep);
    emit(v, v->c->nlocals + c->height);
  }
}

/* ---------------------------------------------------------------- types */

static int is_num(uint8_t t) {
  return t == INRO_I32 || t == INRO_I64 || t == INRO_F32 || t == INRO_F64;
}
static int is_ref(uint8_t t) { return t == INRO_FUNCREF || t == INRO_EXTERNREF; }

static uint8_t sig_type(char ch) {
  switch (ch) {
  case 'i': return INRO_I32;
  case 'I': return INRO_I64;
  case 'f': return INRO_F32;
  default: return INRO_F64;
  }
}

/* Fixed-signature instruction: pop params (right to left), push results. */
static void apply_sig(val *v, const char *sig) {
  const char *colon = strchr(sig, ':');
  for (const char *p = colon; p-- > sig;) pop(v, sig_type(*p));
  for (const char *p = colon + 1; *p; p++) push(v, sig_type(*p));
}

/* Block type -> (params, results). */
static int block_type(val *v, int64_t bt, ctl *tmpl) {
  tmpl->params = NULL;
  tmpl->nparams = 0;
  tmpl->results = NULL;
  tmpl->nresults = 0;
  tmpl->single = 0;
  if (bt == BLOCKTYPE_EMPTY) return 1;
  if (bt < 0) {
    uint8_t t = (uint8_t)(bt & 0x7F);
    if (!is_num(t) && !is_ref(t)) {
      v->fail = t == INRO_V128 ? RD_SIMD : "malformed value type";
      v->fail_malformed = t != INRO_V128;
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

static uint8_t local_type(val *v, uint64_t idx) {
  if (idx >= v->c->nlocals) {
    v->fail = "unknown local";
    return UNKNOWN;
  }
  return v->c->local_types[idx];
}

static int need_memory(val *v) {
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
static int need_datacount(val *v, uint64_t dataidx) {
  if (v->m->has_datacount) return 1;
  if (dataidx >= v->m->ndatas) {
    v->fail = "unknown data segment";
    return 0;
  }
  v->fail = "data count section required";
  v->fail_malformed = 1;
  return 0;
}

static const tabletype *need_table(val *v, uint64_t idx) {
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

/* ---------------------------------------------------------------- probes */

static int sorted_has(const uint32_t *a, uint32_t n, uint32_t x) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && a[lo] == x;
}

/* Nothing fuses across the current IR position (a probe or a barrier is
** here): forget what the next instructions could join. */
static void cut_fusion(val *v) {
  v->nfeed = 0;
  v->last_bin.op = 0;
  v->switch_load = 0;
  v->label_at = v->c->nwords;
  v->tee.op = 0;
}

/* Emit the IR_PROBE that fires before the current instruction, if the plan
** wants one.  The function's final `end` is handled by OP_END itself, so
** that branches to the function's label land on its exit probe. */
static void emit_probe(val *v, int final_end) {
  const probe_plan *p = v->plan;
  uint32_t flags = 0;
  if (p->global) flags |= PROBE_GLOBAL;
  if (sorted_has(p->offsets, p->noffsets, (uint32_t)v->in.offset)) flags |= PROBE_LOCAL;
  if (!v->started && p->entry) flags |= PROBE_ENTRY;
  if (p->exit && (v->in.op == OP_RETURN || final_end)) flags |= PROBE_EXIT;
  v->started = 1;
  if (!flags) return;
  cut_fusion(v);
  emit_op(v, IR_PROBE);
  emit(v, flags);
  emit(v, (uint32_t)v->in.offset); /* saves probe_fire a pcmap search */
}

/* ---------------------------------------------------------------- fusion */

/* The kind of the feed entry `back` places from its end (1: the last),
** 0 when there are fewer. */
static int fed(const val *v, int back) {
  return v->nfeed >= back ? v->feed[v->nfeed - back].kind : 0;
}

static void feed_push(val *v, int kind, uint32_t start, uint64_t value) {
  if (v->nfeed == 2) {
    v->feed[0] = v->feed[1];
    v->nfeed = 1;
  }
  v->feed[v->nfeed].kind = kind;
  v->feed[v->nfeed].start = start;
  v->feed[v->nfeed].value = value;
  v->nfeed++;
}

/* Emit binary instruction op, absorbing the local.get / const instructions
** that were emitted just before it (they are the last pcmap entries). */
static int can_trap(int op) {
  switch (op) {
  case OP_I32_DIV_S: case OP_I32_DIV_U: case OP_I32_REM_S: case OP_I32_REM_U:
  case OP_I64_DIV_S: case OP_I64_DIV_U: case OP_I64_REM_S: case OP_I64_REM_U:
    return 1;
  default:
    return 0;
  }
}

/* The form of binary instruction in form `form` (-1: plain) joined with
** the local.tee (tee) or local.set after it. */
static int joined_form(int form, int tee) {
  if (form < 0) return tee ? FUSE_T : FUSE_S;
  if (form == FUSE_LS) return tee ? FUSE_LS_T : FUSE_LS_S;
  return form + (tee ? FUSE_LL_T : FUSE_LL_S);
}

/* Whether the instruction recorded as `mark` (1 + its IR start; 0: none)
** is still op, `len` words long, and ends where `at` starts: the first of
** a pair that runs in one dispatch (exec/ir.h). */
static int right_before(const val *v, uint32_t mark, uint32_t len, uint32_t at,
                        uint32_t op) {
  return mark && mark - 1 + len == at && v->c->words[mark - 1] == op;
}

/* Whether the last instruction is an LL or LC form of a binary one that
** still pushes its result, right after a plain local.get, with no label
** (nor probe, nor barrier) from that local.get on: the two operands of a
** binary instruction now are that local and that result (FUSE_LS). */
static int local_before_last(const val *v) {
  const code *c = v->c;
  if (c->npcmap < 2 || !v->last_bin.op) return 0;
  uint32_t y = c->pcmap[2 * (c->npcmap - 1)], g = c->pcmap[2 * (c->npcmap - 2)];
  int form = v->last_bin.form;
  return (form == FUSE_LL || form == FUSE_LC) && v->last_bin.start == y &&
         c->words[y] == (uint32_t)ir_fused_base[v->last_bin.op] + (uint32_t)form &&
         c->nwords == y + (form == FUSE_LL ? 3u : 4u) && g + 2 == y &&
         g >= v->label_at && c->words[g] == OP_LOCAL_GET;
}

static void emit_binary(val *v, int op) {
  /* A division keeps its own pcmap entry, so a trap in it is reported at
  ** its own offset (it may still take a following local.set). */
  int n = can_trap(op) ? 0 : v->nfeed, form = -1, used = 0;
  int k1 = n >= 1 ? v->feed[n - 1].kind : 0, k2 = n >= 2 ? v->feed[n - 2].kind : 0;
  if (k2 == OP_LOCAL_GET && k1 == OP_LOCAL_GET) form = FUSE_LL, used = 2;
  else if (k2 == OP_LOCAL_GET && k1 == OP_I32_CONST) form = FUSE_LC, used = 2;
  else if (k1 == OP_LOCAL_GET) form = FUSE_SL, used = 1;
  else if (k1 == OP_I32_CONST) form = FUSE_SC, used = 1;
  if (form < 0 && !can_trap(op) && local_before_last(v)) {
    /* [local.get a] [Y_LL/LC ...] X -> [Y_LL/LC ...] [X_LS a] */
    code *c = v->c;
    uint32_t y = c->pcmap[2 * (c->npcmap - 1)], a = c->words[y - 1];
    memmove(c->words + y - 2, c->words + y, (c->nwords - y) * sizeof *c->words);
    c->nwords -= 2;
    c->pcmap[2 * (c->npcmap - 2) + 1] = c->pcmap[2 * (c->npcmap - 1) + 1];
    c->npcmap--;
    v->nfeed = 0;
    v->last_bin.op = op;
    v->last_bin.form = FUSE_LS;
    v->last_bin.start = c->nwords;
    emit_op(v, ir_fused_base[op] + FUSE_LS);
    emit(v, a);
    return;
  }
  v->nfeed = 0;
  v->last_bin.op = op;
  v->last_bin.form = form;
  if (form < 0) {
    v->last_bin.start = v->c->nwords;
    emit_op(v, (uint32_t)op);
    return;
  }
  code *c = v->c;
  uint32_t offset = c->pcmap[2 * (c->npcmap - (uint32_t)used) + 1];
  uint64_t a = v->feed[n - used].value, b = v->feed[n - 1].value;
  c->nwords = v->feed[n - used].start;
  c->npcmap -= (uint32_t)used;
  v->last_bin.start = c->nwords;
  size_t save = v->in.offset;
  v->in.offset = offset; /* the fused instruction starts where its first part did */
  emit_op(v, ir_fused_base[op] + (uint32_t)form);
  v->in.offset = save;
  switch (form) {
  case FUSE_LL: emit(v, (uint32_t)a); emit(v, (uint32_t)b); break;
  case FUSE_LC: emit(v, (uint32_t)a); emit(v, (uint32_t)b); emit(v, (uint32_t)(b >> 32)); break;
  case FUSE_SL: emit(v, (uint32_t)b); break;
  default: emit(v, (uint32_t)b); emit(v, (uint32_t)(b >> 32)); break;
  }
}

/* The binary instruction just emitted stays as it is: an i32.add_SL
** right after an i32.load_L (an interpreter's fp + pc[i]) makes the
** load IR_ADD_IX. */
static void bin_done(val *v) {
  uint32_t *w = v->c->words, start = v->last_bin.start;
  if (v->last_bin.op == OP_I32_ADD && v->last_bin.form == FUSE_SL &&
      w[start] == (uint32_t)ir_fused_base[OP_I32_ADD] + FUSE_SL &&
      right_before(v, v->load_l, 3, start, ir_load_base[OP_I32_LOAD] + LOAD_L))
    w[v->load_l - 1] = IR_ADD_IX;
}

/* Emit load op with its offset immediate, absorbing the i32.add (in any
** operand form) or the local.get that computed its address just before
** (exec/ir.h).  The load keeps a pcmap entry of its own, at its offset
** word, for a trap to be reported where the load is. */
static void emit_load(val *v, int op, uint32_t offset) {
  code *c = v->c;
  int form = -1;
  v->switch_load = 0;
  uint32_t load_l = v->load_l;
  v->load_l = 0;
  if (v->last_bin.op == OP_I32_ADD && v->last_bin.form >= 0 &&
      v->last_bin.form <= FUSE_SC) {
    form = v->last_bin.form; /* LOAD_LL..LOAD_SC are FUSE_LL..FUSE_SC */
    c->words[v->last_bin.start] = ir_load_base[op] + (uint32_t)form;
    if (form == FUSE_LC || form == FUSE_SC) c->nwords--; /* the constant's high word */
    if (form == FUSE_SL && /* an i32.load_L just before: IX */
        right_before(v, load_l, 3, v->last_bin.start, ir_load_base[OP_I32_LOAD] + LOAD_L))
      c->words[load_l - 1] = ir_load_base[op] + LOAD_IX;
  } else if (fed(v, 1) == OP_LOCAL_GET) {
    form = LOAD_L;
    uint32_t start = v->feed[v->nfeed - 1].start;
    c->words[start] = ir_load_base[op] + LOAD_L;
    if (op == OP_I32_LOAD) v->load_l = start + 1;
  } else if (fed(v, 1) == OP_LOCAL_TEE) {
    /* [local.get a] [local.tee b] -> [load_LT a b], one pcmap entry */
    uint32_t start = v->feed[v->nfeed - 1].start;
    form = LOAD_LT;
    c->words[start] = ir_load_base[op] + LOAD_LT;
    c->words[start + 2] = (uint32_t)(v->feed[v->nfeed - 1].value >> 32);
    c->nwords = start + 3;
    c->npcmap--;
    if (op == OP_I32_LOAD) v->switch_load = start + 1;
  }
  v->nfeed = 0;
  v->last_bin.op = 0;
  if (form < 0) {
    emit_op(v, (uint32_t)op);
    emit(v, offset);
  } else {
    emit_op(v, offset); /* the offset word starts the load's own entry */
  }
}

/* Emit store op with its offset immediate, absorbing the local.get
** instructions that pushed its operands just before (exec/ir.h). */
static void emit_store(val *v, int op, uint32_t offset) {
  code *c = v->c;
  int n = v->nfeed, form = -1, k1 = fed(v, 1), k2 = fed(v, 2);
  uint32_t start = 0;
  if (k2 == OP_LOCAL_GET && k1 == OP_LOCAL_GET) {
    /* [local.get a] [local.get v] -> [store_LL a v] */
    form = STORE_LL;
    start = v->feed[n - 2].start;
    c->words[start + 2] = (uint32_t)v->feed[n - 1].value;
    c->npcmap--; /* the second local.get's entry */
  } else if (k1 == OP_LOCAL_GET) {
    form = STORE_SL; /* [local.get v] -> [store_SL v] */
    start = v->feed[n - 1].start;
  }
  int full = op == OP_I32_STORE || op == OP_I64_STORE || op == OP_F32_STORE ||
             op == OP_F64_STORE;
  if (form < 0 && full && v->last_bin.op && v->last_bin.form < 0 &&
      right_before(v, v->last_bin.start + 1, 1, c->nwords, (uint32_t)v->last_bin.op))
    /* a plain binary instruction, then the store of its result: X_M */
    c->words[v->last_bin.start] = ir_fused_base[v->last_bin.op] + FUSE_M;
  v->nfeed = 0;
  v->last_bin.op = 0;
  if (form < 0) {
    v->store_top = c->nwords + 1;
    v->store_op = op;
    emit_op(v, (uint32_t)op);
    emit(v, offset);
    return;
  }
  c->words[start] = ir_load_base[op] + (uint32_t)form;
  c->nwords = start + (form == STORE_LL ? 3 : 2);
  emit_op(v, offset); /* the offset word starts the store's own entry */
}

/* Emit unary operator op, absorbing the local.get just before it:
** [local.get a] -> [op_L a], word a starting op's own pcmap entry. */
static void emit_unary(val *v, int op) {
  code *c = v->c;
  int n = v->nfeed, local = fed(v, 1) == OP_LOCAL_GET;
  v->nfeed = 0;
  v->last_bin.op = 0;
  if (!local) {
    emit_op(v, (uint32_t)op);
    return;
  }
  uint32_t start = v->feed[n - 1].start, a = (uint32_t)v->feed[n - 1].value;
  c->words[start] = ir_unary_base[op]; /* keeps the local.get's entry */
  c->nwords = start + 1;
  emit_op(v, a); /* the operand word starts op's own entry */
}

/* ------------------------------------------------------- one instruction */

static void check_instr(val *v) {
  instr *in = &v->in;
  int op = in->op;
  const inro_module *m = v->m;
  const op_info *info = &op_table[op];
  ctl *top = &v->ctls[v->nctls - 1];

  if (op >= OP_I32_LOAD && op <= OP_I64_STORE32) {
    if (!need_memory(v)) return;
    unsigned bytes = access_bytes(op);
    if (in->a >= 32 || (1u << in->a) > bytes) {
      v->fail = "alignment must not be larger than natural";
      return;
    }
    apply_sig(v, info->sig);
    if (op <= OP_I64_LOAD32_U) emit_load(v, op, (uint32_t)in->b);
    else emit_store(v, op, (uint32_t)in->b);
    return;
  }
  if (info->imm == IMM_NONE && info->sig[0]) {
    apply_sig(v, info->sig);
    if (ir_fused_base[op]) emit_binary(v, op);
    else if (ir_unary_base[op]) emit_unary(v, op);
    else emit_op(v, (uint32_t)op);
    return;
  }
  switch (op) {
  case OP_UNREACHABLE:
    emit_op(v, OP_UNREACHABLE);
    set_unreachable(v);
    break;
  case OP_NOP:
    break;
  case OP_BLOCK:
  case OP_LOOP:
  case OP_IF: {
    ctl t;
    if (!block_type(v, (int64_t)in->a, &t)) return;
    uint32_t else_at = NO_FIXUP;
    if (op == OP_IF) {
      pop(v, INRO_I32);
      emit_op(v, OP_IF);
      else_at = v->c->nwords;
      emit(v, NO_FIXUP);
    }
    pop_many(v, t.params, t.nparams);
    ctl *c = push_ctl(v, op, t.params, t.nparams, t.results, t.nresults,
                      t.single);
    if (c) c->else_fix = else_at;
    break;
  }
  case OP_ELSE: {
    if (top->op != OP_IF) {
      v->fail = "else without if";
      return;
    }
    pop_many(v, ctl_results(top), top->nresults);
    if (v->nvals != top->height && !v->fail) v->fail = "type mismatch";
    if (v->fail) return;
    emit_op(v, IR_JMP);
    emit_target(v, top);
    patch_chain(v, top->else_fix, v->c->nwords);
    top->else_fix = NO_FIXUP;
    top->op = OP_ELSE;
    top->unreachable = 0;
    v->nvals = top->height;
    push_many(v, top->params, top->nparams);
    break;
  }
  case OP_END: {
    pop_many(v, ctl_results(top), top->nresults);
    if (v->nvals != top->height && !v->fail) v->fail = "type mismatch";
    if (v->fail) return;
    if (top->op == OP_IF && top->nparams != top->nresults) {
      v->fail = "type mismatch"; /* an if without else must keep its types */
      return;
    }
    if (top->op == OP_IF && top->nparams) {
      for (uint32_t i = 0; i < top->nparams; i++)
        if (top->params[i] != ctl_results(top)[i]) {
          v->fail = "type mismatch";
          return;
        }
    }
    uint32_t end_pc = v->c->nwords; /* a branch to the function's label
                                       lands on its final return */
    if (v->nctls == 1) {
      if (v->plan) emit_probe(v, 1);
      emit_op(v, OP_RETURN);
    }
    patch_chain(v, top->else_fix, end_pc);
    patch_chain(v, top->fixups, end_pc);
    v->nctls--;
    /* push results of the ended block onto the enclosing frame */
    ctl ended = *top;
    push_many(v, ctl_results(&ended), ended.nresults);
    break;
  }
  case OP_BR:
  case OP_BR_IF: {
    if (in->a >= v->nctls) {
      v->fail = "unknown label";
      return;
    }
    ctl *c = &v->ctls[v->nctls - 1 - in->a];
    if (op == OP_BR_IF) pop(v, INRO_I32);
    uint32_t n = label_arity(c);
    const uint8_t *lt = label_types(c);
    pop_many(v, lt, n);
    if (v->fail) return;
    push_many(v, lt, n);
    emit_branch(v, c, op == OP_BR_IF);
    if (op == OP_BR) set_unreachable(v);
    break;
  }
  case OP_BR_TABLE: {
    pop(v, INRO_I32);
    if (in->a >= v->nctls) {
      v->fail = "unknown label";
      return;
    }
    uint32_t arity = label_arity(&v->ctls[v->nctls - 1 - in->a]);
    /* When no label needs values moved (each is at the current height,
    ** as in a C switch), a plain jump table: [op, n, target * (n + 1)]. */
    int jump_only = 1;
    reader lr = v->r;
    lr.pos = in->vec_pos;
    for (uint32_t i = 0; i <= in->vec_len && jump_only; i++) {
      uint32_t l = i < in->vec_len ? rd_u32(&lr) : (uint32_t)in->a;
      const ctl *c = l < v->nctls ? &v->ctls[v->nctls - 1 - l] : NULL;
      jump_only = c && v->nvals == c->height + label_arity(c);
    }
    /* [i32.load_LT a b off] [local.tee c] just before: IR_SWITCH_LT */
    uint32_t load = v->switch_load - 1;
    int fuse_switch = jump_only &&
                      right_before(v, v->switch_load, 6, v->c->nwords,
                                   ir_load_base[OP_I32_LOAD] + LOAD_LT) &&
                      v->c->words[load + 4] == OP_LOCAL_TEE;
    emit_op(v, jump_only ? IR_JMP_TABLE : OP_BR_TABLE);
    emit(v, in->vec_len);
    lr.pos = in->vec_pos;
    for (uint32_t i = 0; i <= in->vec_len && !v->fail; i++) {
      uint32_t l = i < in->vec_len ? rd_u32(&lr) : (uint32_t)in->a;
      if (l >= v->nctls) {
        v->fail = "unknown label";
        return;
      }
      ctl *c = &v->ctls[v->nctls - 1 - l];
      if (label_arity(c) != arity) {
        v->fail = "type mismatch";
        return;
      }
      /* Check the operand types against this label without consuming. */
      const uint8_t *lt = label_types(c);
      uint32_t saved = v->nvals;
      uint8_t tmp[16];
      uint8_t *keep = arity <= 16 ? tmp : malloc(arity);
      if (!keep) {
        v->fail = "out of memory";
        return;
      }
      for (uint32_t k = arity; k-- > 0;) keep[k] = pop(v, lt[k]);
      v->nvals = saved;
      if (keep != tmp) free(keep);
      emit_target(v, c);
      if (!jump_only) {
        emit(v, arity);
        emit(v, v->c->nlocals + c->height);
      }
    }
    if (fuse_switch && !v->fail) v->c->words[load] = IR_SWITCH_LT;
    set_unreachable(v);
    break;
  }
  case OP_RETURN: {
    ctl *fn = &v->ctls[0];
    pop_many(v, ctl_results(fn), fn->nresults);
    emit_op(v, OP_RETURN);
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
    emit_op(v, OP_CALL);
    emit(v, (uint32_t)in->a);
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
    emit_op(v, OP_CALL_INDIRECT);
    emit(v, (uint32_t)in->a);
    emit(v, (uint32_t)in->b);
    break;
  }
  case OP_DROP:
    pop_any(v);
    emit_op(v, OP_DROP);
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
    push(v, t1 == UNKNOWN ? t2 : t1);
    emit_op(v, OP_SELECT);
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
      v->fail = t == INRO_V128 ? RD_SIMD : "malformed value type";
      v->fail_malformed = t != INRO_V128;
      return;
    }
    pop(v, INRO_I32);
    pop(v, t);
    pop(v, t);
    push(v, t);
    emit_op(v, OP_SELECT);
    break;
  }
  case OP_LOCAL_GET:
  case OP_LOCAL_SET:
  case OP_LOCAL_TEE: {
    uint8_t t = local_type(v, in->a);
    if (v->fail) return;
    if (op == OP_LOCAL_GET) push(v, t);
    else {
      pop(v, t);
      if (op == OP_LOCAL_TEE) push(v, t);
    }
    if (op != OP_LOCAL_GET && v->last_bin.op) {
      /* X; local.set d -> X_S form: the result goes straight to d;
      ** X; local.tee d -> X_T form: pushed and stored to d. */
      int form = v->last_bin.form, tee = op == OP_LOCAL_TEE;
      v->c->words[v->last_bin.start] =
          ir_fused_base[v->last_bin.op] + (uint32_t)joined_form(form, tee);
      emit(v, IR_LOCAL(in->a));
      if (tee) { /* a local.set next may make it an _S form and a copy */
        v->tee.op = v->last_bin.op;
        v->tee.start = v->last_bin.start;
        v->tee.form = form;
      }
      if (v->last_bin.op == OP_I32_ADD && form == FUSE_LC && !tee) {
        /* an i32.add_LC_S right after another: IR_ADD2_LC_S; right
        ** after a plain store: that store's TA form */
        uint32_t start = v->last_bin.start, *w = v->c->words;
        if (right_before(v, v->add_lcs, 5, start, ir_fused_base[OP_I32_ADD] + FUSE_LC_S))
          w[v->add_lcs - 1] = IR_ADD2_LC_S;
        else if (right_before(v, v->store_top, 2, start, (uint32_t)v->store_op))
          w[v->store_top - 1] = ir_load_base[v->store_op] + STORE_TA;
        v->add_lcs = start + 1;
      }
      v->last_bin.op = 0;
      break;
    }
    int after_get = fed(v, 1) == OP_LOCAL_GET;
    if (op == OP_LOCAL_SET && v->tee.op) {
      /* X_T d; local.set e -> X_S d; [IR_LOCAL_COPY, d, e] (or nothing
      ** when e is d): the value is not pushed only to be popped.  X_T is
      ** the last instruction, d its last word; no probe or barrier is at
      ** this local.set (they clear v->tee), so no one sees the operand
      ** stack between the two. */
      uint32_t d = v->c->words[v->c->nwords - 1];
      v->c->words[v->tee.start] =
          ir_fused_base[v->tee.op] + (uint32_t)joined_form(v->tee.form, 0);
      v->tee.op = 0;
      if (d != IR_LOCAL(in->a)) {
        emit_op(v, IR_LOCAL_COPY);
        emit(v, d);
        emit(v, IR_LOCAL(in->a));
      }
      v->nfeed = 0;
      break;
    }
    if (op == OP_LOCAL_SET && after_get) {
      /* local.get a; local.set d -> one copy [IR_LOCAL_COPY, a, d], or
      ** nothing when a is d (clang's Wasm backend leaves such copies) */
      uint32_t start = v->feed[v->nfeed - 1].start;
      if (v->feed[v->nfeed - 1].value == IR_LOCAL(in->a)) {
        v->c->nwords = start;
        v->c->npcmap--;
      } else {
        v->c->words[start] = IR_LOCAL_COPY;
        emit(v, IR_LOCAL(in->a));
      }
      v->nfeed = 0;
      break;
    }
    uint32_t start = v->c->nwords;
    emit_op(v, (uint32_t)op);
    emit(v, IR_LOCAL(in->a));
    if (op == OP_LOCAL_GET) {
      feed_push(v, OP_LOCAL_GET, start, IR_LOCAL(in->a));
    } else if (op == OP_LOCAL_TEE && after_get) {
      /* local.get a; local.tee b: a load can take both (LOAD_LT) */
      v->feed[v->nfeed - 1].kind = OP_LOCAL_TEE;
      v->feed[v->nfeed - 1].value |= (uint64_t)IR_LOCAL(in->a) << 32;
    } else {
      v->nfeed = 0;
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
    emit_op(v, (uint32_t)op);
    emit(v, (uint32_t)in->a);
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
    emit_op(v, (uint32_t)op);
    emit(v, (uint32_t)in->a);
    break;
  }
  case OP_MEMORY_SIZE:
  case OP_MEMORY_GROW:
  case OP_MEMORY_FILL:
  case OP_MEMORY_COPY:
    if (!need_memory(v)) return;
    apply_sig(v, info->sig);
    emit_op(v, (uint32_t)op);
    break;
  case OP_MEMORY_INIT:
    if (!need_memory(v) || !need_datacount(v, in->a)) return;
    if (in->a >= m->datacount) {
      v->fail = "unknown data segment";
      return;
    }
    apply_sig(v, info->sig);
    emit_op(v, OP_MEMORY_INIT);
    emit(v, (uint32_t)in->a);
    break;
  case OP_DATA_DROP:
    if (!need_datacount(v, in->a)) return;
    if (in->a >= m->datacount) {
      v->fail = "unknown data segment";
      return;
    }
    emit_op(v, OP_DATA_DROP);
    emit(v, (uint32_t)in->a);
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
    emit_op(v, OP_TABLE_INIT);
    emit(v, (uint32_t)in->a);
    emit(v, (uint32_t)in->b);
    break;
  }
  case OP_ELEM_DROP:
    if (in->a >= m->nelems) {
      v->fail = "unknown elem segment";
      return;
    }
    emit_op(v, OP_ELEM_DROP);
    emit(v, (uint32_t)in->a);
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
    emit_op(v, OP_TABLE_COPY);
    emit(v, (uint32_t)in->a);
    emit(v, (uint32_t)in->b);
    break;
  }
  case OP_I32_CONST:
  case OP_F32_CONST: {
    uint32_t start = v->c->nwords;
    push(v, op == OP_I32_CONST ? INRO_I32 : INRO_F32);
    emit_op(v, (uint32_t)op);
    emit(v, (uint32_t)in->a);
    feed_push(v, OP_I32_CONST, start, in->a);
    break;
  }
  case OP_I64_CONST:
  case OP_F64_CONST: {
    uint32_t start = v->c->nwords;
    push(v, op == OP_I64_CONST ? INRO_I64 : INRO_F64);
    emit_op(v, (uint32_t)op);
    emit(v, (uint32_t)in->a);
    emit(v, (uint32_t)(in->a >> 32));
    feed_push(v, OP_I32_CONST, start, in->a);
    break;
  }
  case OP_REF_NULL:
    push(v, (uint8_t)in->a);
    emit_op(v, OP_REF_NULL);
    break;
  case OP_REF_IS_NULL: {
    uint8_t t = pop_any(v);
    if (t != UNKNOWN && !is_ref(t)) {
      v->fail = "type mismatch";
      return;
    }
    push(v, INRO_I32);
    emit_op(v, OP_REF_IS_NULL);
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
    emit_op(v, OP_REF_FUNC);
    emit(v, (uint32_t)in->a);
    break;
  default:
    v->fail = "unsupported instruction";
    break;
  }
}

static int expand_locals(val *v, const functype *ft) {
  reader *r = &v->r;
  code *c = v->c;
  uint32_t ngroups = rd_u32(r);
  size_t start = r->pos;
  uint64_t total = ft->nparams;
  for (uint32_t k = 0; k < ngroups; k++) {
    total += rd_u32(r);
    rd_u8(r);
  }
  if (total > UINT32_MAX / 2) return 0;
  c->nlocals = (uint32_t)total;
  c->local_types = malloc(total ? total : 1);
  if (!c->local_types) return 0;
  memcpy(c->local_types, FT_PARAMS(ft), ft->nparams);
  r->pos = start;
  uint32_t at = ft->nparams;
  for (uint32_t k = 0; k < ngroups; k++) {
    uint32_t n = rd_u32(r);
    uint8_t t = rd_u8(r);
    memset(c->local_types + at, t, n);
    at += n;
  }
  return !r->failed;
}

/* Validate one body and translate it (with probes if plan is non-NULL).
** With stop_at non-zero, stop before the instruction at that offset and
** leave the operand types in v (see func_stack_types). */
static int run(val *v, const inro_module *m, uint32_t defidx,
               const probe_plan *plan, size_t stop_at, inro_error *err) {
  const func_def *fd = &m->funcs[defidx];
  uint32_t funcidx = m->nfunc_imports + defidx;
  if (fd->typeidx >= m->ntypes)
    return err_set(err, INRO_ERR_INVALID, "unknown type in function %u", funcidx);
  const functype *ft = &m->types[fd->typeidx];
  memset(v, 0, sizeof *v);
  v->m = m;
  v->plan = plan;
  v->r.base = m->bytes;
  v->r.pos = fd->body_start;
  v->r.end = fd->body_end;
  v->c = calloc(1, sizeof *v->c);
  if (!v->c) return err_set(err, INRO_ERR_NOMEM, "out of memory");
  v->c->nparams = ft->nparams;
  v->c->nresults = ft->nresults;
  if (!expand_locals(v, ft)) {
    code_free(v->c);
    v->c = NULL;
    return err_set(err, INRO_ERR_NOMEM, "out of memory");
  }
  push_ctl(v, -1, NULL, 0, FT_RESULTS(ft), ft->nresults, 0);
  while (!v->fail && v->nctls > 0) {
    if (stop_at && v->r.pos == stop_at) return 1;
    if (instr_read(&v->r, &v->in) < 0) {
      v->fail = v->r.failed;
      break;
    }
    int op = v->in.op;
    if (op != OP_LOCAL_GET && op != OP_I32_CONST && op != OP_I64_CONST &&
        op != OP_F32_CONST && op != OP_F64_CONST && op != OP_LOCAL_SET &&
        op != OP_LOCAL_TEE && !ir_fused_base[op] && !ir_load_base[op] &&
        !ir_unary_base[op])
      v->nfeed = 0; /* only adjacent instructions fuse: no label between */
    if (op != OP_LOCAL_SET && op != OP_LOCAL_TEE && op != OP_BR_IF &&
        !ir_load_base[op]) {
      bin_done(v);
      if (!ir_fused_base[op]) v->last_bin.op = 0; /* a binary one may want it (LS) */
    }
    if (op != OP_I32_LOAD && op != OP_LOCAL_TEE && op != OP_BR_TABLE)
      v->switch_load = 0;
    if (op != OP_LOCAL_SET) v->tee.op = 0;
    if (op == OP_BLOCK || op == OP_LOOP || op == OP_IF || op == OP_ELSE ||
        op == OP_END)
      v->label_at = v->c->nwords;
    if (plan && plan->nbarriers &&
        sorted_has(plan->barriers, plan->nbarriers, (uint32_t)v->in.offset))
      cut_fusion(v);
    if (plan && !(op == OP_END && v->nctls == 1)) emit_probe(v, 0);
    check_instr(v);
  }
  if (v->fail) {
    code_free(v->c);
    v->c = NULL;
    return err_set(err, v->fail == RD_SIMD ? INRO_ERR_UNSUPPORTED
                        : v->fail_malformed ? INRO_ERR_MALFORMED : INRO_ERR_INVALID,
                   "%s (function %u at byte 0x%zx)", v->fail, funcidx, v->in.offset);
  }
  v->c->max_height = v->max_height;
  return 1;
}

int func_translate(const inro_module *m, uint32_t defidx,
                   const probe_plan *plan, code **out, inro_error *err) {
  val v;
  int ok = run(&v, m, defidx, plan, 0, err);
  free(v.vals);
  free(v.ctls);
  if (ok) *out = v.c;
  return ok;
}

int func_validate(inro_module *m, uint32_t defidx, inro_error *err) {
  return func_translate(m, defidx, NULL, &m->funcs[defidx].code, err);
}

uint32_t func_stack_types(const inro_module *m, uint32_t defidx,
                          uint32_t offset, uint8_t *types, uint32_t max) {
  val v;
  uint32_t n = 0;
  if (run(&v, m, defidx, NULL, offset, NULL) && v.c) {
    n = v.nvals;
    if (n && max && types) memcpy(types, v.vals, n < max ? n : max);
    code_free(v.c);
  }
  free(v.vals);
  free(v.ctls);
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
