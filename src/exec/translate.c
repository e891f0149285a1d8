/*
** translate.c -- validation and translation of one function body to IR.
**
** The translator follows the validator through the body (val_next) and
** keeps, beside each operand the validator types, where that operand's
** value is now (an entry): in its home slot, in a local, or a constant
** (which gets a slot of the frame's constant area when an instruction
** reads it).  local.get and constants emit nothing; the instruction that
** consumes them names that slot.  An instruction's result goes to the
** home slot of its position, or straight into a local when a local.set
** follows (its destination word is rewritten); an operand that the
** instruction just emitted computed is read from R (exec/ir.h); a
** comparison that a br_if or if tests becomes the jump itself.
**
** The constant area holds the constants that instructions read from
** there.  Every translation of a function (with or without probes) must
** lay its frames out alike, so that a frame can move between them: a
** translation with probes takes the constant area of the module's own
** translation, and needs no constant that is not there, because probes
** and barriers only make it write more operands home (to their own
** slots) before anything reads them.  The area's size is known at the
** end, and the operand stack comes after it, so while translating, an
** operand stack slot is written as its offset from the stack's start
** with STACK_SLOT set, and a last pass (relocate) adds the stack's start.
**
** The Wasm state stays exact wherever it can be seen (exec/ir.h):
**   - writing a local first saves every operand that still reads it;
**   - calls, labels, probes and barriers first write every operand home
**     (a flush), so callers, branch targets and probes see a plain stack;
**   - an instruction that can trap with operands elsewhere gets a
**     recovery record, which the trap applies before anyone looks.
** Code that cannot be reached (after br, return, unreachable) is checked
** by the validator but not translated.
*/
#include <stdlib.h>
#include <string.h>

#include "binary/validate.h"
#include "exec/interp_hot.h"
#include "exec/translate.h"

#define NONE UINT32_MAX
#define STACK_SLOT 0x80000000u
/* A hidden slot (the exception of a legacy catch body, by nesting
** depth), between the constants and the operand stack: placed by
** relocate like STACK_SLOT. */
#define HIDDEN_SLOT 0x40000000u

enum { E_HOME, E_LOCAL, E_CONST };

/* Where operand i of the validator's stack is. */
typedef struct entry {
  uint8_t kind;
  valtype type;
  uint32_t home;  /* its home slot (byte offset from fp) */
  uint32_t slot;  /* E_LOCAL: the local's slot */
  uint64_t k;     /* E_CONST: its bits */
  uint64_t k2;    /* E_CONST of a v128: bytes 8-15 (k: 0-7) */
} entry;

/* One per control frame of the validator (same index). */
typedef struct label {
  uint32_t pc;       /* a loop's IR start */
  uint32_t fixups;   /* chain of target words to patch at the end */
  uint32_t else_fix; /* chain of an if's jumps to its else part */
  int live;          /* the code before the block could run */
  /* Exceptions (the section "exceptions" below): the chain of catch
  ** clause targets (words of code->catches) to patch at the end; for a
  ** try or try_table its handler (NONE: none, dead code), and for a
  ** legacy try its clauses until the end: (tag, target, values, exnref). */
  uint32_t catch_fix;
  uint32_t region;
  uint32_t *clauses;
  uint32_t nclauses, capclauses;
} label;

typedef struct xlate {
  validator v;
  const probe_plan *plan;
  code *c;
  uint32_t capwords, cappc, capexact, caprec, caprecw, nrecw;
  entry *st;
  uint32_t capst;
  label *labels;
  uint32_t caplabels;
  uint32_t *local_slot;  /* byte offset of each local */
  /* Per local: known to be zero here (from the function's start, on the
  ** straight path, until a label, probe or call: clang sets locals to 0
  ** that are 0 already). */
  uint8_t *zero;
  int any_zero;
  uint32_t max_top;      /* highest end of an operand stack slot (bytes
                            from the stack's start) */
  /* The constants read from slots, and hash tables of their indices, by
  ** value and by the values of two in a row (a v128's halves). */
  uint64_t *consts;
  uint32_t nconsts, capconsts;
  uint32_t *const_index; /* 1 + index, 0: empty */
  uint32_t *pair_index;  /* 1 + index of the first of the two */
  uint32_t const_buckets;
  int consts_fixed;      /* the area is the module translation's */
  int live;              /* the current code can run */
  /* The last instruction emitted, while nothing may come between it and
  ** the next one: its start, and its destination word if its result went
  ** to the home slot of an operand (NONE otherwise). */
  uint32_t last_start, last_dst;
  uint32_t prev_start; /* the instruction emitted before the last (NONE: none) */
  /* R holds the value of slot r_slot while the last instruction, the one
  ** that computed it, starts at r_at (exec/ir.h). */
  uint32_t r_slot, r_at;
  /* The slot whose value R held for the last instruction, if it read R
  ** (NONE otherwise): a comparison's second operand (its SS form names
  ** the slot, a jump it becomes reads R), an i32.add's (for a load that
  ** joins it). */
  uint32_t used_r;
  /* A counter probe moved from the start of its run to the call or the
  ** exit that the run reaches with nothing between that could look at
  ** it (held_counter): its cell (NULL: none) and its add. */
  uint64_t *held_cell;
  uint32_t held_add;
  /* The exit event of the context probe at the return being translated,
  ** left to the return (CTX_RETURN): its probe (NULL: none) and add. */
  inro_contexts *exit_ctx;
  uint32_t exit_add;
  uint32_t next_local;    /* plan->offsets[next_local..] are not below
                             the current instruction's offset */
  uint64_t *edge_cell;    /* the edge probe of the if or br_if being
                             translated, counted by its jump (emit_cond_jump);
                             NULL: none */
  /* Exceptions: the capacities of code->handlers and ->catches, and the
  ** handlers whose try bodies enclose the current position (innermost
  ** last), as (handler, label index) pairs. */
  uint32_t caphandlers, capcatches;
  uint32_t *active;
  uint32_t nactive, capactive;
  const char *fail;
  entry scratch; /* what put writes to after a failure to grow */
} xlate;

/* ---------------------------------------------------------------- output */

static void grow(xlate *x, void **p, uint32_t *cap, uint32_t need, size_t elem) {
  if (need <= *cap || x->fail) return;
  uint32_t n = *cap ? *cap : 16;
  while (n < need) n *= 2;
  void *q = realloc(*p, (size_t)n * elem);
  if (!q) {
    x->fail = "out of memory";
    return;
  }
  *p = q;
  *cap = n;
}

/* Give back what *p holds beyond `size` bytes (kept if the C library
** will not). */
static void shrink(void **p, size_t size) {
  void *q = size ? realloc(*p, size) : NULL;
  if (q) *p = q;
}

static void emit_grown(xlate *x, uint32_t w) {
  code *c = x->c;
  grow(x, (void **)&c->words, &x->capwords, c->nwords + 1, sizeof *c->words);
  if (x->fail) return;
  c->words[c->nwords++] = w;
}

/* The translator's most frequent call: inline, with the growing apart.
** (After a failure the words are thrown away, so one more is harmless.) */
static inline void emit(xlate *x, uint32_t w) {
  code *c = x->c;
  if (c->nwords < x->capwords) c->words[c->nwords++] = w;
  else emit_grown(x, w);
}

/* A K operand (exec/ir.h): two words, the low one first. */
static void emit_k(xlate *x, uint64_t k) {
  emit(x, (uint32_t)k);
  emit(x, (uint32_t)(k >> 32));
}

/* The address of what a probe without a callback counts or writes (its
** cell, ring, tree), carried by its instruction as a K operand: its case
** finds it with no load from the code. */
static void emit_address(xlate *x, const void *p) { emit_k(x, (uint64_t)(uintptr_t)p); }

/* A pcmap entry: the next word is where the Wasm instruction being
** translated starts (in a joined instruction, where its trap is
** reported).  0 without memory. */
static int pcmap_entry(xlate *x) {
  code *c = x->c;
  grow(x, (void **)&c->pcmap, &x->cappc, 2 * (c->npcmap + 1), sizeof *c->pcmap);
  if (x->fail) return 0;
  c->pcmap[2 * c->npcmap] = c->nwords;
  c->pcmap[2 * c->npcmap + 1] = (uint32_t)x->v.in.offset;
  c->npcmap++;
  return 1;
}

/* Start an instruction: its op word, and its pcmap entry with the offset
** of the Wasm instruction being translated. */
static void emit_op(xlate *x, uint32_t op) {
  code *c = x->c;
  if (!pcmap_entry(x)) return;
  x->prev_start = x->last_start;
  x->last_start = c->nwords;
  x->last_dst = x->r_at = x->used_r = NONE;
  emit(x, op);
}

static void forget_zeros(xlate *x) {
  if (x->any_zero) memset(x->zero, 0, x->v.nlocals);
  x->any_zero = 0;
}

static uint32_t home_of(const xlate *x, uint32_t i);

/* The current IR position holds the Wasm state before `offset`, with
** operands [0, h) in their home slots. */
static void mark_exact(xlate *x, uint32_t offset, uint32_t h) {
  code *c = x->c;
  grow(x, (void **)&c->exact, &x->capexact, 3 * (c->nexact + 1), sizeof *c->exact);
  if (x->fail) return;
  c->exact[3 * c->nexact] = c->nwords;
  c->exact[3 * c->nexact + 1] = offset;
  c->exact[3 * c->nexact + 2] = home_of(x, h);
  c->nexact++;
  x->last_start = x->last_dst = x->prev_start = NONE; /* nothing joins across it */
  forget_zeros(x); /* a branch may arrive, a probe may set locals */
}

static void patch_chain(xlate *x, uint32_t head, uint32_t target) {
  while (head != NONE && !x->fail) {
    uint32_t next = x->c->words[head];
    x->c->words[head] = target;
    head = next;
  }
}

/* --------------------------------------------------------------- entries */

/* Home of operand position i (the entries below it must be set). */
static uint32_t home_of(const xlate *x, uint32_t i) {
  if (i == 0) return STACK_SLOT;
  const entry *e = &x->st[i - 1];
  return e->home + IR_SLOT(ir_type_slots(e->type));
}

/* Set operand position i to a value of type t at `kind`. */
static entry *put(xlate *x, uint32_t i, valtype t, int kind) {
  grow(x, (void **)&x->st, &x->capst, i + 1, sizeof *x->st);
  if (x->fail) return &x->scratch;
  entry *e = &x->st[i];
  e->home = home_of(x, i);
  e->type = t;
  e->kind = (uint8_t)kind;
  if (t == INRO_V128) x->c->wide = 1;
  uint32_t end = (e->home & ~STACK_SLOT) + IR_SLOT(ir_type_slots(t));
  if (end > x->max_top) x->max_top = end;
  return e;
}

/* The validator's type of operand position i after the instruction. */
static valtype vtype(const xlate *x, uint32_t i) { return x->v.vals[i]; }

static int wide(valtype t) { return t == INRO_I64 || t == INRO_F64; }

static void emit_const(xlate *x, uint32_t d, uint64_t k, int is_wide) {
  emit_op(x, is_wide ? IR_CONST64 : IR_CONST32);
  emit(x, d);
  if (is_wide) emit_k(x, k);
  else emit(x, (uint32_t)k);
}

static void emit_mov(xlate *x, uint32_t d, uint32_t s) {
  if (d == s) return;
  emit_op(x, IR_MOV);
  emit(x, d);
  emit(x, s);
}

/* Copy the value of entry e (a local's or a constant) to slot d; a v128
** is two slots. */
static void emit_copy(xlate *x, uint32_t d, const entry *e, uint32_t from) {
  if (e->type == INRO_V128) {
    if (e->kind == E_CONST) {
      emit_const(x, d, e->k, 1);
      emit_const(x, d + IR_SLOT(1), e->k2, 1);
    } else {
      emit_mov(x, d, from);
      emit_mov(x, d + IR_SLOT(1), from + IR_SLOT(1));
    }
  } else if (e->kind == E_CONST) {
    emit_const(x, d, e->k, wide(e->type));
  } else {
    emit_mov(x, d, from);
  }
}

/* Put operand i in its home slot. */
static void flush_one(xlate *x, uint32_t i) {
  entry *e = &x->st[i];
  if (e->kind != E_HOME) emit_copy(x, e->home, e, e->slot);
  e->kind = E_HOME;
}

/* Put operands [from, to) home. */
static void flush_range(xlate *x, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; i++)
    if (x->st[i].kind != E_HOME) flush_one(x, i);
}

/* The bucket of table t (const_index, or pair_index when two) that holds
** the index of constant k[0] (or of k[0], k[1] in a row), or the empty
** bucket where it would go. */
static uint32_t const_bucket(const xlate *x, const uint32_t *t, const uint64_t *k, int two) {
  uint32_t mask = x->const_buckets - 1;
  uint64_t key = two ? k[0] ^ (k[1] * 0xC2B2AE3D27D4EB4Full + 1) : k[0];
  uint32_t h = (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  while (t[h]) {
    const uint64_t *c = x->consts + t[h] - 1;
    if (c[0] == k[0] && (!two || c[1] == k[1])) break;
    h = (h + 1) & mask;
  }
  return h;
}

/* Index constant i of the area, and the pair it ends, unless the same
** values are indexed already. */
static void const_index_add(xlate *x, uint32_t i) {
  uint32_t h = const_bucket(x, x->const_index, x->consts + i, 0);
  if (!x->const_index[h]) x->const_index[h] = i + 1;
  if (i > 0) {
    h = const_bucket(x, x->pair_index, x->consts + i - 1, 1);
    if (!x->pair_index[h]) x->pair_index[h] = i;
  }
}

/* Append constants k[0..n) to the area: the index of the first. */
static uint32_t const_append(xlate *x, const uint64_t *k, uint32_t n) {
  if (x->consts_fixed) {
    x->fail = "internal error: a constant outside the constant area";
    return 0;
  }
  grow(x, (void **)&x->consts, &x->capconsts, x->nconsts + n, sizeof *x->consts);
  if (x->fail) return 0;
  if (2 * (x->nconsts + n) > x->const_buckets) { /* rehash at half full */
    uint32_t b = x->const_buckets ? x->const_buckets : 32;
    while (2 * (x->nconsts + n) > b) b *= 2;
    uint32_t *t = calloc(b, sizeof *t), *p = calloc(b, sizeof *p);
    if (!t || !p) {
      free(t);
      free(p);
      x->fail = "out of memory";
      return 0;
    }
    free(x->const_index);
    free(x->pair_index);
    x->const_index = t;
    x->pair_index = p;
    x->const_buckets = b;
    for (uint32_t i = 0; i < x->nconsts; i++) const_index_add(x, i);
  }
  uint32_t first = x->nconsts;
  for (uint32_t i = 0; i < n; i++) {
    x->consts[x->nconsts] = k[i];
    const_index_add(x, x->nconsts++);
  }
  return first;
}

/* The slot of constant k[0] in the frame's constant area, or with two,
** of two slots holding k[0], k[1] (a v128); adding them if needed. */
static uint32_t const_slots(xlate *x, const uint64_t *k, int two) {
  if (x->const_buckets) {
    const uint32_t *t = two ? x->pair_index : x->const_index;
    uint32_t h = const_bucket(x, t, k, two);
    if (t[h]) return IR_SLOT(x->c->local_slots + t[h] - 1);
  }
  uint32_t i = const_append(x, k, two ? 2 : 1);
  return IR_SLOT(x->c->local_slots + i);
}

static uint32_t const_slot(xlate *x, uint64_t k) { return const_slots(x, &k, 0); }

/* The slot that holds operand i. */
static uint32_t slot_of(xlate *x, uint32_t i) {
  entry *e = &x->st[i];
  if (e->kind == E_CONST && e->type == INRO_V128) {
    uint64_t k[2] = {e->k, e->k2};
    return const_slots(x, k, 1);
  }
  if (e->kind == E_CONST) return const_slot(x, e->k);
  return e->kind == E_LOCAL ? e->slot : e->home;
}

/* The slot R holds, or NONE. */
static uint32_t r_holds(const xlate *x) {
  return x->r_at != NONE && x->r_at == x->last_start ? x->r_slot : NONE;
}

/* Before local slot s is written, operands [0, n) that still read it get
** their value home. */
static void save_readers(xlate *x, uint32_t n, uint32_t s) {
  for (uint32_t i = 0; i < n; i++)
    if (x->st[i].kind == E_LOCAL && x->st[i].slot == s) flush_one(x, i);
}

/* An instruction that can trap comes next (its trap reported at the
** next word), with operands [0, n) in place: record where those that are
** not home are, and (sum_home not NONE) that slot sum_home is the i32 sum
** of slots a and b. */
static void record_recovery(xlate *x, uint32_t n, uint32_t sum_home, uint32_t a, uint32_t b) {
  uint32_t away = sum_home != NONE;
  for (uint32_t i = 0; i < n; i++)
    if (x->st[i].kind != E_HOME) away += ir_type_slots(x->st[i].type);
  if (!away) return;
  code *c = x->c;
  grow(x, (void **)&c->recover, &x->caprec, 2 * (c->nrecover + 1), sizeof *c->recover);
  grow(x, (void **)&c->recover_words, &x->caprecw, x->nrecw + 1 + 4 * away,
       sizeof *c->recover_words);
  if (x->fail) return;
  c->recover[2 * c->nrecover] = c->nwords;
  c->recover[2 * c->nrecover + 1] = x->nrecw;
  c->nrecover++;
  uint32_t *w = c->recover_words + x->nrecw;
  *w++ = away;
  for (uint32_t i = 0; i < n; i++) {
    const entry *e = &x->st[i];
    if (e->kind == E_HOME) continue;
    int local = e->kind == E_LOCAL;
    for (uint32_t half = 0; half < ir_type_slots(e->type); half++) { /* a v128: two */
      uint64_t k = half ? e->k2 : e->k;
      *w++ = e->home + IR_SLOT(half);
      *w++ = local ? RECOVER_SLOT : RECOVER_CONST;
      *w++ = local ? e->slot + IR_SLOT(half) : (uint32_t)k;
      *w++ = local ? 0 : (uint32_t)(k >> 32);
    }
  }
  if (sum_home != NONE) {
    *w++ = sum_home;
    *w++ = RECOVER_ADD;
    *w++ = a;
    *w++ = b;
  }
  x->nrecw += 1 + 4 * away;
}

/* Emit the destination word of a result at operand position i, of the
** validator's type there: its home, which a local.set next may change.
** An op with result_in_r (exec/ir.h) leaves its result in R too. */
static void emit_result(xlate *x, uint32_t i) {
  entry *e = put(x, i, vtype(x, i), E_HOME);
  emit(x, e->home);
  x->last_dst = x->c->nwords - 1;
  if (ir_info[x->c->words[x->last_start]].result_in_r && e->type != INRO_V128) {
    x->r_slot = e->home;
    x->r_at = x->last_start;
  }
}

/* ------------------------------------------------------------- labels */

static void push_label(xlate *x) {
  uint32_t i = x->v.nctls - 1;
  uint32_t old = x->caplabels;
  grow(x, (void **)&x->labels, &x->caplabels, i + 1, sizeof *x->labels);
  if (x->fail) return;
  if (x->caplabels > old) memset(x->labels + old, 0, (x->caplabels - old) * sizeof *x->labels);
  label *l = &x->labels[i];
  l->pc = x->c->nwords;
  l->fixups = NONE;
  l->else_fix = NONE;
  l->live = x->live;
  l->catch_fix = NONE;
  l->region = NONE;
  l->nclauses = 0;
}

/* Make word w the target of a jump to the label of depth `depth`: a
** loop's start is known; forward targets are chained through their words
** and patched at the end of the block. */
static void set_target(xlate *x, uint32_t w, uint32_t depth) {
  if (x->fail) return;
  label *l = &x->labels[x->v.nctls - 1 - depth];
  if (val_label(&x->v, depth)->op == OP_LOOP) {
    x->c->words[w] = l->pc;
  } else {
    x->c->words[w] = l->fixups;
    l->fixups = w;
  }
}

static void emit_target(xlate *x, uint32_t depth) {
  emit(x, 0);
  set_target(x, x->c->nwords - 1, depth);
}

/* After a label every operand is home, typed as the validator says. */
static void all_home(xlate *x) {
  for (uint32_t i = 0; i < x->v.nvals; i++) put(x, i, vtype(x, i), E_HOME);
}

/* Home of the first value a branch to label `depth` carries. */
static uint32_t label_home(xlate *x, uint32_t depth) {
  return home_of(x, val_label(&x->v, depth)->height);
}

/* ------------------------------------------------------------- branches */

/* The negation of an integer comparison, -1 for any other op. */
static int negated(int op) {
  switch (op) {
#define NEG(a, b) case OP_I32_##a: return OP_I32_##b; case OP_I64_##a: return OP_I64_##b;
  NEG(EQ, NE) NEG(NE, EQ) NEG(LT_S, GE_S) NEG(GE_S, LT_S) NEG(GT_S, LE_S)
  NEG(LE_S, GT_S) NEG(LT_U, GE_U) NEG(GE_U, LT_U) NEG(GT_U, LE_U) NEG(LE_U, GT_U)
#undef NEG
  default: return -1;
  }
}

/* If the condition at operand position i was just computed into its home
** by a comparison or i32.eqz, make that instruction the jump, taken when
** the condition is `when` (1, or 0 for an if): its destination word
** becomes the target word.  Returns that word's index, or NONE. */
static uint32_t fuse_condition(xlate *x, uint32_t i, int when) {
  code *c = x->c;
  if (x->last_dst != NONE && x->last_dst == x->last_start + 1 &&
      x->st[i].kind == E_HOME && c->words[x->last_dst] == x->st[i].home) {
    uint32_t *w = c->words + x->last_start;
    int base = ir_info[w[0]].base;
    if (w[0] == IR_I32_EQZ_S) {
      w[0] = when ? IR_JZ : IR_JNZ;
      return x->last_start + 1;
    }
    if (base && ir_form[base].jss && w[0] == ir_form[base].ss) {
      int jump = when ? base : negated(base);
      if (jump >= 0) { /* a float comparison has no negation */
        if (x->used_r != NONE) { /* [op d a b] -> [op t a r] */
          w[0] = ir_form[jump].jsr;
          c->nwords--;
        } else {
          w[0] = ir_form[jump].jss;
        }
        return x->last_start + 1;
      }
    }
  }
  return NONE;
}

/* A jump taken when operand i is not zero (when = 1) or zero (when = 0).
** Returns the index of its target word, for set_target. */
static uint32_t emit_cond_jump(xlate *x, uint32_t i, int when) {
  if (x->edge_cell) { /* the jump counts the way it takes */
    uint32_t s = slot_of(x, i);
    emit_op(x, when ? IR_EDGES_JNZ : IR_EDGES_JZ);
    uint32_t w = x->c->nwords;
    emit(x, 0);
    emit_address(x, x->edge_cell);
    emit(x, s);
    x->edge_cell = NULL;
    return w;
  }
  uint32_t w = fuse_condition(x, i, when);
  if (w != NONE) {
    x->last_start = x->last_dst = NONE;
    return w;
  }
  uint32_t s = slot_of(x, i);
  int in_r = s == r_holds(x);
  emit_op(x, when ? (in_r ? IR_JNZ_R : IR_JNZ) : (in_r ? IR_JZ_R : IR_JZ));
  w = x->c->nwords;
  emit(x, 0);
  if (!in_r) emit(x, s);
  return w;
}

/* Slots of the n values at operand positions [from, from + n). */
static uint32_t value_slots(const xlate *x, uint32_t from, uint32_t n) {
  uint32_t k = 0;
  for (uint32_t i = from; i < from + n; i++) k += ir_type_slots(x->st[i].type);
  return k;
}

/* If the instruction just emitted is `s += step` for the address slot s
** of a switch loop's head (an i32.add of s and slot step into s), or it
** is a MOV that does not touch s or step and the add comes just before
** it, drop the add and return step: the jump back to the head does the
** add (JMP_SWITCH_ADD, exec/ir.h).  NONE otherwise. */
static uint32_t switch_step(xlate *x, uint32_t s) {
  code *c = x->c;
  uint32_t at = x->last_start, n = c->npcmap;
  if (at == NONE || n == 0 || c->pcmap[2 * (n - 1)] != at) return NONE;
  uint32_t *mov = NULL;
  if (c->words[at] == IR_MOV && at + 3 == c->nwords && x->prev_start != NONE &&
      x->prev_start + 4 == at && n >= 2 &&
      c->pcmap[2 * (n - 2)] == x->prev_start) {
    mov = c->words + at;
    at = x->prev_start;
  } else if (at + 4 != c->nwords) {
    return NONE;
  }
  const uint32_t *w = c->words + at;
  if (w[0] != IR_I32_ADD_SS || w[1] != s || (w[2] != s && w[3] != s)) return NONE;
  uint32_t step = w[2] == s ? w[3] : w[2];
  if (mov && (mov[1] == s || mov[1] == step || mov[2] == s)) return NONE;
  if (mov) { /* [add s s step] [mov d a] -> [mov d a] */
    uint32_t d = mov[1], a = mov[2];
    c->words[at] = IR_MOV;
    c->words[at + 1] = d;
    c->words[at + 2] = a;
    c->nwords = at + 3;
    c->pcmap[2 * (n - 2) + 1] = c->pcmap[2 * (n - 1) + 1]; /* the mov's offset */
  } else {
    c->nwords = at;
  }
  c->npcmap--; /* the add's entry */
  x->last_start = x->last_dst = x->prev_start = x->r_at = NONE;
  return step;
}

/* A branch to label `depth` carrying the n values at [from, from + n),
** taken if cond (an operand position; NONE: always). */
static void branch(xlate *x, uint32_t depth, uint32_t from, uint32_t cond) {
  const vctl *vc = val_label(&x->v, depth);
  uint32_t n = vctl_arity(vc);
  flush_range(x, from, from + n);
  if (n == 0 || from == vc->height) { /* the values are where the label wants them */
    const uint32_t *head = x->c->words + x->labels[x->v.nctls - 1 - depth].pc;
    if (cond == NONE && vc->op == OP_LOOP && head < x->c->words + x->c->nwords &&
        head[0] == IR_SWITCH) { /* back to a switch loop's head (exec/ir.h) */
      uint32_t step = switch_step(x, head[2]);
      emit_op(x, step != NONE ? IR_JMP_SWITCH_ADD : IR_JMP_SWITCH);
      emit_target(x, depth);
      if (step != NONE) emit(x, step);
    } else if (cond == NONE) {
      emit_op(x, IR_JMP);
      emit_target(x, depth);
    } else {
      set_target(x, emit_cond_jump(x, cond, 1), depth);
    }
    return;
  }
  uint32_t c = cond == NONE ? 0 : slot_of(x, cond);
  if (cond != NONE && x->edge_cell) { /* BR_IF has no counting form */
    emit_op(x, IR_EDGES);
    emit_address(x, x->edge_cell);
    emit(x, c);
    emit(x, 0);
    x->edge_cell = NULL;
  }
  emit_op(x, cond == NONE ? IR_BR : IR_BR_IF);
  emit_target(x, depth);
  if (cond != NONE) emit(x, c);
  emit(x, value_slots(x, from, n));
  emit(x, x->st[from].home);
  emit(x, label_home(x, depth));
}

static void translate_br_table(xlate *x) {
  validator *v = &x->v;
  uint32_t h = v->height_before, idx = h - 1;
  uint32_t n = vctl_arity(val_label(v, (uint32_t)v->in.a)), from = idx - n;
  flush_range(x, from, idx);
  uint32_t s = slot_of(x, idx);
  reader lr = v->r;
  lr.pos = v->in.vec_pos;
  int moves = 0;
  for (uint32_t i = 0; i <= v->in.vec_len; i++) {
    uint32_t depth = i < v->in.vec_len ? rd_u32(&lr) : (uint32_t)v->in.a;
    moves |= n > 0 && val_label(v, depth)->height != from;
  }
  if (!moves && s == r_holds(x) && x->c->words[x->last_start] == IR_I32_LOAD_S) {
    /* the i32.load just before computed the index: a switch's head */
    x->c->words[x->last_start] = IR_SWITCH;
  } else {
    emit_op(x, moves ? IR_BR_TABLE : IR_JMP_TABLE);
    emit(x, s);
  }
  emit(x, v->in.vec_len);
  if (moves) {
    emit(x, value_slots(x, from, n));
    emit(x, x->st[from].home);
  }
  lr.pos = v->in.vec_pos;
  for (uint32_t i = 0; i <= v->in.vec_len; i++) {
    uint32_t depth = i < v->in.vec_len ? rd_u32(&lr) : (uint32_t)v->in.a;
    emit_target(x, depth);
    if (moves) emit(x, label_home(x, depth));
  }
}

/* RETURN [s], or CTX_RETURN [K a s] with the exit event left to it. */
static void emit_return_op(xlate *x, uint32_t s) {
  if (x->exit_ctx) {
    emit_op(x, IR_CTX_RETURN);
    emit_address(x, x->exit_ctx);
    emit(x, x->exit_add);
    x->exit_ctx = NULL;
  } else {
    emit_op(x, IR_RETURN);
  }
  emit(x, s);
}

/* Return the n values at [from, from + n): RETURN copies them to the
** frame's first slots from the slot named. */
static void emit_return(xlate *x, uint32_t from, uint32_t n) {
  uint32_t s = 0;
  if (n == 1) {
    s = slot_of(x, from);
  } else if (n > 1) {
    flush_range(x, from, from + n);
    s = x->st[from].home;
  }
  emit_return_op(x, s);
}

/* ------------------------------------------------------------- blocks */

static void translate_else(xlate *x) {
  label *l = &x->labels[x->v.nctls - 1];
  if (x->live) { /* the then part's results home, then over the else part */
    const vctl *e = &x->v.ended;
    flush_range(x, x->v.height_before - e->nresults, x->v.height_before);
    emit_op(x, IR_JMP);
    emit_target(x, 0);
  }
  x->live = l->live;
  patch_chain(x, l->else_fix, x->c->nwords);
  l->else_fix = NONE;
  all_home(x);
  mark_exact(x, (uint32_t)x->v.r.pos, x->v.nvals);
}

static void patch_catches(xlate *x, uint32_t head, uint32_t target);

/* A block ends here: `end` of label index li. */
static void end_label(xlate *x, uint32_t li) {
  label *l = &x->labels[li];
  if (x->live) {
    const vctl *e = &x->v.ended;
    flush_range(x, x->v.height_before - e->nresults, x->v.height_before);
  }
  patch_chain(x, l->else_fix, x->c->nwords);
  patch_chain(x, l->fixups, x->c->nwords);
  patch_catches(x, l->catch_fix, x->c->nwords);
  x->live = l->live;
}

static uint32_t probe_flags(xlate *x, int final_end);
static void emit_probe(xlate *x, uint32_t flags, uint32_t h);
static void emit_counters(xlate *x, int final_end);
static void emit_held(xlate *x);

/* The function's last `end`: its results go home for the branches that
** reach it, unless none does and one value can be returned from where
** it is. */
static void translate_final_end(xlate *x) {
  label *l = &x->labels[0];
  uint32_t n = x->v.nresults, probe = probe_flags(x, 1);
  int reached = l->fixups != NONE || l->catch_fix != NONE; /* by a branch */
  if (x->live && !reached && !probe && n <= 1) {
    emit_counters(x, 1);
    emit_return(x, 0, n);
    return;
  }
  if (!x->live && !reached) return; /* nothing reaches it */
  emit_held(x); /* not past the label */
  int was_live = x->live;
  end_label(x, 0);
  x->live = was_live || reached;
  all_home(x);
  /* The label is an exact position (a slice ends there, a catch lands
  ** there); with counters, so is the position after them, at the probe. */
  uint32_t label_at = x->c->nwords;
  mark_exact(x, (uint32_t)x->v.in.offset, n);
  emit_counters(x, 1);
  if (x->c->nwords != label_at) mark_exact(x, (uint32_t)x->v.in.offset, n);
  emit_probe(x, probe, n);
  emit_return_op(x, home_of(x, 0));
}

/* ---------------------------------------------------------- operators */

/* The op that computes `a op b` as `b op' a`, or -1.  Float addition and
** multiplication commute as Wasm defines them: only which NaN comes out
** may differ, and Wasm leaves that open. */
static int swapped(int op) {
  switch (op) {
  case OP_I32_ADD: case OP_I32_MUL: case OP_I32_AND: case OP_I32_OR: case OP_I32_XOR:
  case OP_I64_ADD: case OP_I64_MUL: case OP_I64_AND: case OP_I64_OR: case OP_I64_XOR:
  case OP_I32_EQ: case OP_I32_NE: case OP_I64_EQ: case OP_I64_NE:
  case OP_F32_EQ: case OP_F32_NE: case OP_F64_EQ: case OP_F64_NE:
  case OP_F32_ADD: case OP_F32_MUL: case OP_F64_ADD: case OP_F64_MUL:
    return op;
#define FLIP(a, b) case OP_##a: return OP_##b; case OP_##b: return OP_##a;
  FLIP(I32_LT_S, I32_GT_S) FLIP(I32_LE_S, I32_GE_S) FLIP(I32_LT_U, I32_GT_U)
  FLIP(I32_LE_U, I32_GE_U) FLIP(I64_LT_S, I64_GT_S) FLIP(I64_LE_S, I64_GE_S)
  FLIP(I64_LT_U, I64_GT_U) FLIP(I64_LE_U, I64_GE_U) FLIP(F32_LT, F32_GT)
  FLIP(F32_LE, F32_GE) FLIP(F64_LT, F64_GT) FLIP(F64_LE, F64_GE)
#undef FLIP
  default:
    return -1;
  }
}

static int can_trap(int op) {
  switch (op) {
  case OP_I32_DIV_S: case OP_I32_DIV_U: case OP_I32_REM_S: case OP_I32_REM_U:
  case OP_I64_DIV_S: case OP_I64_DIV_U: case OP_I64_REM_S: case OP_I64_REM_U:
  case OP_I32_TRUNC_F32_S: case OP_I32_TRUNC_F32_U: case OP_I32_TRUNC_F64_S:
  case OP_I32_TRUNC_F64_U: case OP_I64_TRUNC_F32_S: case OP_I64_TRUNC_F32_U:
  case OP_I64_TRUNC_F64_S: case OP_I64_TRUNC_F64_U:
  case OP_UNREACHABLE: case OP_CALL_INDIRECT: case OP_TABLE_GET: case OP_TABLE_SET:
  case OP_TABLE_FILL: case OP_TABLE_COPY: case OP_TABLE_INIT: case OP_MEMORY_FILL:
  case OP_MEMORY_COPY: case OP_MEMORY_INIT:
  case OP_RETURN_CALL_INDIRECT: case OP_CALL_REF: case OP_RETURN_CALL_REF:
  case OP_REF_AS_NON_NULL: case OP_THROW_REF:
    return 1;
  default:
    return op >= OP_I32_LOAD && op <= OP_I64_STORE32;
  }
}

static int is_bitcast(int op) {
  switch (op) {
#define BITCAST_CASE(name, code, text, imm, sig, sem) case OP_##name:
  INRO_OPS_BITCAST(BITCAST_CASE)
#undef BITCAST_CASE
    return 1;
  default:
    return 0;
  }
}

static int is_compare(int op) { return ir_form[op].jss != 0; }

/* The instruction just emitted, if it computed operand position p into
** p's home as its first word says (so that the next one may join it);
** NULL otherwise. */
static uint32_t *result_of_last(xlate *x, uint32_t p) {
  const entry *e = &x->st[p];
  if (x->last_dst == NONE || x->last_dst != x->last_start + 1 || e->kind != E_HOME ||
      x->c->words[x->last_dst] != e->home)
    return NULL;
  return x->c->words + x->last_start;
}

/* An i32.add, whose result goes to operand position pa, of the value at
** position pr, which the i32.load just emitted loaded into its home, and
** of slot sa: [i32.load d s o] -> [i32.add_x d' s o sa] (exec/ir.h).  The
** loaded value is not written: only the add reads it.  Returns 0 if the
** add does not join. */
static int join_load_add(xlate *x, uint32_t pa, uint32_t pr, uint32_t sa) {
  code *c = x->c;
  uint32_t *w = result_of_last(x, pr);
  if (!w || w[0] != IR_I32_LOAD_S) return 0;
  uint32_t addr = w[2], offset = w[3], start = x->last_start;
  w[0] = IR_I32_ADD_X;
  c->nwords = start + 1;
  entry *d = put(x, pa, vtype(x, pa), E_HOME);
  emit(x, d->home);
  emit(x, addr);
  emit(x, offset);
  emit(x, sa);
  x->last_dst = start + 1;
  x->r_slot = d->home;
  x->r_at = start;
  x->used_r = NONE;
  return 1;
}

static void translate_binary(xlate *x, int op) {
  uint32_t h = x->v.height_before, pa = h - 2, pb = h - 1;
  uint32_t sa = slot_of(x, pa), sb = slot_of(x, pb), r = r_holds(x), pr = pb;
  if (sa == r && sb != r && swapped(op) >= 0) { /* R second: b op' a */
    uint32_t t = sa;
    sa = sb, sb = t;
    op = swapped(op);
    pr = pa;
  }
  if (op == OP_I32_ADD && sb == r && sa != r && join_load_add(x, pa, pr, sa)) return;
  const ir_forms *f = &ir_form[op];
  uint32_t form, s1 = sa, s2 = NONE, used = NONE;
  if (sb == r && is_compare(op)) { /* the value form names the slot */
    form = f->ss, s2 = sb, used = r;
  } else if (sb == r && f->sr) {
    form = f->sr, used = r;
  } else if (sa == r && f->rs) {
    form = f->rs, s1 = sb, used = r;
  } else {
    form = f->ss, s2 = sb;
  }
  if (can_trap(op)) record_recovery(x, h, NONE, 0, 0);
  emit_op(x, form);
  emit_result(x, pa);
  emit(x, s1);
  if (s2 != NONE) emit(x, s2);
  x->used_r = used;
}

/* A load of the address at operand position p.  If the instruction just
** emitted is the i32.add that computed that address into its home, the
** load joins it ([add d a b] -> [load_ss d a b o], [add_sr d a] ->
** [load_sr d a o]): the add's result is not written, so the load's
** recovery record computes it, and the load has a pcmap entry of its own
** at its offset word, where its trap is reported.  A whole-value load
** after an i32.add_x (join_load_add) joins it in the same way: [add_x d s
** o a] -> [load_x d s o a o2 h]. */
static int memory_general(const xlate *x, uint32_t mem);
static void translate_access_m(xlate *x, int op);

/* The rest of a load joined to the instruction just emitted, whose
** destination is the home of the address at operand position p: the
** load's pcmap entry at its offset word, the offset, for the _X form the
** slot its address goes to if it traps, and R: the loaded value. */
static void join_load(xlate *x, uint32_t p, int x_form) {
  uint32_t home = x->st[p].home;
  if (!pcmap_entry(x)) return;
  emit(x, (uint32_t)x->v.in.b);
  if (x_form) emit(x, home);
  put(x, p, vtype(x, p), E_HOME);
  x->r_at = x->last_start;
  x->last_dst = x->last_start + 1;
  x->r_slot = home;
  x->used_r = NONE;
}

static void translate_load(xlate *x, int op) {
  if (memory_general(x, x->v.in.c)) {
    translate_access_m(x, op);
    return;
  }
  uint32_t h = x->v.height_before, p = h - 1, s = slot_of(x, p);
  const entry *e = &x->st[p];
  uint32_t *w = result_of_last(x, p);
  if (w && w[0] == IR_I32_ADD_X && ir_form[op].x) {
    /* [i32.add_x d s o a] + load o2 -> [load_x d s o a o2 h] */
    w[0] = ir_form[op].x;
    record_recovery(x, p, NONE, 0, 0);
    join_load(x, p, 1);
    return;
  }
  if (w && (w[0] == IR_I32_ADD_SS || w[0] == IR_I32_ADD_SR)) {
    int sr = w[0] == IR_I32_ADD_SR;
    w[0] = sr ? ir_form[op].sr : ir_form[op].ss;
    record_recovery(x, p, e->home, w[2], sr ? x->used_r : w[3]);
    join_load(x, p, 0);
    return;
  }
  int in_r = s == r_holds(x);
  record_recovery(x, h, NONE, 0, 0);
  emit_op(x, in_r ? ir_form[op].r : ir_form[op].s);
  emit_result(x, p);
  if (!in_r) emit(x, s);
  emit(x, (uint32_t)x->v.in.b);
}

static void translate_store(xlate *x, int op) {
  if (memory_general(x, x->v.in.c)) {
    translate_access_m(x, op);
    return;
  }
  uint32_t h = x->v.height_before, sa = slot_of(x, h - 2), sv = slot_of(x, h - 1);
  int in_r = sv == r_holds(x);
  record_recovery(x, h, NONE, 0, 0);
  emit_op(x, in_r ? ir_form[op].sr : ir_form[op].ss);
  emit(x, sa);
  if (!in_r) emit(x, sv);
  emit(x, (uint32_t)x->v.in.b);
}

/* An instruction whose operands are the top `nops` values, each named by
** its slot, and whose result (if `result`) replaces them: the words are
** its op, the result slot, the operand slots, then `nimm` immediates. */
static void translate_slots(xlate *x, uint32_t op, int wasm_op, uint32_t nops,
                            int result, const uint32_t *imm, uint32_t nimm) {
  uint32_t h = x->v.height_before, s[3];
  for (uint32_t i = 0; i < nops; i++) s[i] = slot_of(x, h - nops + i);
  if (can_trap(wasm_op)) record_recovery(x, h, NONE, 0, 0);
  emit_op(x, op);
  if (result) emit_result(x, h - nops);
  for (uint32_t i = 0; i < nops; i++) emit(x, s[i]);
  for (uint32_t i = 0; i < nimm; i++) emit(x, imm[i]);
}

/* local.set / local.tee of the value at operand position i. */
static void translate_set_local(xlate *x, uint32_t idx, uint32_t i, int tee) {
  entry *e = &x->st[i];
  uint32_t s = x->local_slot[idx];
  if (e->kind == E_LOCAL && e->slot == s) return; /* x = x */
  int zero = e->kind == E_CONST && e->k == 0 && (e->type != INRO_V128 || e->k2 == 0);
  if (zero && x->zero[idx]) return; /* 0 already */
  x->zero[idx] = 0;
  save_readers(x, i, s);
  if (e->kind == E_HOME && x->last_dst != NONE && x->c->words[x->last_dst] == e->home) {
    x->c->words[x->last_dst] = s; /* the result goes straight to the local */
    x->last_dst = NONE;
    if (x->r_slot == e->home) x->r_slot = s;
    if (tee) {
      e->kind = E_LOCAL;
      e->slot = s;
    }
    return;
  }
  emit_copy(x, s, e, e->kind == E_LOCAL ? e->slot : e->home);
  if (zero) x->zero[idx] = x->any_zero = 1;
}

static void translate_call(xlate *x, const functype *ft, int indirect) {
  validator *v = &x->v;
  uint32_t h = v->height_before, nargs = ft->nparams + (uint32_t)indirect;
  flush_range(x, 0, h);
  forget_zeros(x); /* the callee's probes may set our locals */
  uint32_t base = home_of(x, h - nargs);
  if (indirect) {
    record_recovery(x, h, NONE, 0, 0);
    emit_op(x, IR_CALL_INDIRECT);
    emit(x, (uint32_t)v->in.a);
    emit(x, (uint32_t)v->in.b);
    emit(x, base);
    emit(x, x->st[h - 1].home);
  } else if (x->held_cell) { /* the run's counter, held to here */
    emit_op(x, IR_CALL_COUNTED);
    emit_address(x, x->held_cell);
    emit(x, x->held_add);
    emit(x, (uint32_t)v->in.a);
    emit(x, base);
    x->held_cell = NULL;
  } else {
    emit_op(x, IR_CALL);
    emit(x, (uint32_t)v->in.a);
    emit(x, base);
  }
  for (uint32_t i = h - nargs; i < v->nvals; i++) put(x, i, vtype(x, i), E_HOME);
}

/* ------------------------------------------------- WebAssembly 3.0 */

/* Memories other than 0, and 64-bit ones, take the general forms
** (exec/ir.h: LOAD_M, ...); memory 0 of 32 bits the fast ones. */
static int memory_general(const xlate *x, uint32_t mem) {
  return mem != 0 || x->v.m->mems[0].is64;
}

/* A load or store of the general form: [d a mem off op], [a v mem off op]. */
static void translate_access_m(xlate *x, int op) {
  const instr *in = &x->v.in;
  uint32_t h = x->v.height_before;
  int load = op <= OP_I64_LOAD32_U;
  uint32_t sa = slot_of(x, load ? h - 1 : h - 2), sv = load ? 0 : slot_of(x, h - 1);
  record_recovery(x, h, NONE, 0, 0);
  emit_op(x, load ? IR_LOAD_M : IR_STORE_M);
  if (load) emit_result(x, h - 1);
  emit(x, sa);
  if (!load) emit(x, sv);
  emit(x, in->c);
  emit_k(x, in->b);
  emit(x, (uint32_t)op);
}

static void translate_memory_m(xlate *x, int op) {
  const instr *in = &x->v.in;
  uint32_t imm[2] = {(uint32_t)in->a, (uint32_t)in->b};
  switch (op) {
  case OP_MEMORY_SIZE: translate_slots(x, IR_MEMORY_SIZE_M, op, 0, 1, imm, 1); break;
  case OP_MEMORY_GROW: translate_slots(x, IR_MEMORY_GROW_M, op, 1, 1, imm, 1); break;
  case OP_MEMORY_FILL: translate_slots(x, IR_MEMORY_FILL_M, op, 3, 0, imm, 1); break;
  default: translate_slots(x, op == OP_MEMORY_COPY ? IR_MEMORY_COPY_M : IR_MEMORY_INIT_M,
                           op, 3, 0, imm, 2); break; /* copy: dst, src; init: seg, mem */
  }
}

/* return_call, return_call_indirect, call_ref, return_call_ref: like a
** call (every operand home), the callee's frame replacing this one for
** a tail call. */
static void translate_call3(xlate *x, int op) {
  validator *v = &x->v;
  const inro_module *m = v->m;
  const instr *in = &v->in;
  uint32_t h = v->height_before;
  const functype *ft = op == OP_RETURN_CALL ? &m->types[m->func_types[in->a]]
                                            : &m->types[in->a];
  uint32_t extra = op != OP_RETURN_CALL; /* table index or function reference */
  uint32_t nargs = ft->nparams + extra;
  flush_range(x, 0, h);
  forget_zeros(x);
  uint32_t base = home_of(x, h - nargs);
  switch (op) {
  case OP_RETURN_CALL:
    emit_op(x, IR_RETURN_CALL);
    emit(x, (uint32_t)in->a);
    emit(x, base);
    break;
  case OP_RETURN_CALL_INDIRECT:
    emit_op(x, IR_RETURN_CALL_INDIRECT);
    emit(x, (uint32_t)in->a);
    emit(x, (uint32_t)in->b);
    emit(x, base);
    emit(x, x->st[h - 1].home);
    break;
  default: /* call_ref, return_call_ref */
    emit_op(x, op == OP_CALL_REF ? IR_CALL_REF : IR_RETURN_CALL_REF);
    emit(x, base);
    emit(x, x->st[h - 1].home);
    break;
  }
  if (op == OP_CALL_REF) {
    for (uint32_t i = h - nargs; i < v->nvals; i++) put(x, i, vtype(x, i), E_HOME);
  } else {
    x->live = 0;
  }
}

/* br_on_null / br_on_non_null: a branch taken on whether the reference
** on top is null, carrying the values below it (and the reference, for
** br_on_non_null). */
static void translate_br_on(xlate *x, int op) {
  validator *v = &x->v;
  uint32_t depth = (uint32_t)v->in.a, h = v->height_before;
  const vctl *vc = val_label(v, depth);
  uint32_t n = vctl_arity(vc), ref = h - 1;
  uint32_t from = op == OP_BR_ON_NULL ? h - 1 - n : h - n;
  flush_range(x, from, h);
  uint32_t c = slot_of(x, ref);
  emit_op(x, op == OP_BR_ON_NULL ? IR_BR_ON_NULL : IR_BR_ON_NON_NULL);
  emit_target(x, depth);
  emit(x, c);
  emit(x, n ? value_slots(x, from, n) : 0);
  emit(x, n ? x->st[from].home : 0);
  emit(x, label_home(x, depth));
  if (op == OP_BR_ON_NULL) x->st[ref].type = vtype(x, ref); /* now non-null */
}

/* ------------------------------------------------------- exceptions */

/* The chain of clause targets through code->catches, patched at a label. */
static void patch_catches(xlate *x, uint32_t head, uint32_t target) {
  while (head != NONE && !x->fail) {
    uint32_t next = x->c->catches[head];
    x->c->catches[head] = target;
    head = next;
  }
}

static uint32_t new_handler(xlate *x) {
  code *c = x->c;
  grow(x, (void **)&c->handlers, &x->caphandlers, CODE_HANDLER * (c->nhandlers + 1),
       sizeof *c->handlers);
  grow(x, (void **)&x->active, &x->capactive, 2 * (x->nactive + 1), sizeof *x->active);
  if (x->fail) return NONE;
  uint32_t h = c->nhandlers++, *r = c->handlers + CODE_HANDLER * h;
  r[0] = c->nwords;
  r[1] = NONE;
  r[2] = c->ncatches;
  r[3] = 0;
  r[4] = x->nactive ? x->active[2 * (x->nactive - 1)] : NONE; /* the enclosing one */
  x->active[2 * x->nactive] = h;
  x->active[2 * x->nactive + 1] = x->v.nctls - 1;
  x->nactive++;
  x->last_start = x->last_dst = x->prev_start = NONE; /* nothing joins across its start */
  return h;
}

/* The try body of handler h ends here. */
static void end_handler(xlate *x, uint32_t h) {
  if (h == NONE || x->fail) return;
  x->c->handlers[CODE_HANDLER * h + 1] = x->c->nwords;
  if (x->nactive && x->active[2 * (x->nactive - 1)] == h) x->nactive--;
}

/* Append a clause to code->catches: tag (NONE: any), target, the slot of
** the first value, the slot of the exception (NONE: not kept). */
static uint32_t add_catch(xlate *x, uint32_t tag, uint32_t target, uint32_t d, uint32_t e) {
  code *c = x->c;
  grow(x, (void **)&c->catches, &x->capcatches, CODE_CATCH * (c->ncatches + 1),
       sizeof *c->catches);
  if (x->fail) return 0;
  uint32_t *w = c->catches + CODE_CATCH * c->ncatches++;
  w[0] = tag;
  w[1] = target;
  w[2] = d;
  w[3] = e;
  return CODE_CATCH * (c->ncatches - 1) + 1; /* the target word */
}

/* try_table: a block whose body has a handler with the clauses given;
** their labels are outside it. */
static void translate_try_table(xlate *x) {
  validator *v = &x->v;
  const instr *in = &v->in;
  flush_range(x, 0, v->height_before);
  push_label(x);
  uint32_t h = new_handler(x);
  if (x->fail) return;
  x->labels[v->nctls - 1].region = h;
  reader cr = v->r;
  cr.pos = in->vec_pos;
  for (uint32_t i = 0; i < in->vec_len && !x->fail; i++) {
    uint32_t kind, tag, l;
    instr_catch(&cr, &kind, &tag, &l);
    uint32_t depth = l + 1, d = label_home(x, depth), e = NONE;
    uint32_t n = kind <= CATCH_TAG_REF ? v->m->types[v->m->tag_types[tag]].param_slots : 0;
    if (kind == CATCH_TAG_REF || kind == CATCH_ALL_REF) e = d + IR_SLOT(n);
    uint32_t w = add_catch(x, kind <= CATCH_TAG_REF ? tag : NONE, 0, d, e);
    if (x->fail) return;
    label *lb = &x->labels[v->nctls - 1 - depth];
    if (val_label(v, depth)->op == OP_LOOP) {
      x->c->catches[w] = lb->pc;
    } else {
      x->c->catches[w] = lb->catch_fix;
      lb->catch_fix = w;
    }
  }
  x->c->handlers[CODE_HANDLER * h + 3] = in->vec_len;
}

/* The legacy catch bodies around the current position, below label
** index li: the depth of the exception slot of a catch body there. */
static uint32_t catch_depth(const xlate *x, uint32_t li) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < li; i++) n += vctl_is_catch(&x->v.ctls[i]);
  return n;
}

/* catch / catch_all of a legacy try: the try body (or the catch body
** before) ends, over the rest to the end; the new catch body starts with
** the exception's values where the try's values start, the exception in
** its own slot after the operand stack. */
static void translate_catch(xlate *x) {
  validator *v = &x->v;
  uint32_t li = v->nctls - 1;
  label *l = &x->labels[li];
  const vctl *top = &v->ctls[li];
  if (x->live) {
    const vctl *e = &v->ended;
    flush_range(x, v->height_before - e->nresults, v->height_before);
    emit_op(x, IR_JMP);
    emit_target(x, 0);
  }
  if (v->ended.op == OP_TRY) end_handler(x, l->region);
  x->live = l->live;
  all_home(x);
  if (l->region != NONE) {
    uint32_t depth = catch_depth(x, li);
    uint32_t *w;
    grow(x, (void **)&l->clauses, &l->capclauses, 4 * (l->nclauses + 1), sizeof *l->clauses);
    if (x->fail) return;
    w = l->clauses + 4 * l->nclauses++;
    w[0] = v->in.op == OP_CATCH ? (uint32_t)v->in.a : NONE;
    w[1] = x->c->nwords;
    w[2] = home_of(x, top->height);
    w[3] = HIDDEN_SLOT | IR_SLOT(depth);
    if (depth + 1 > x->c->hidden_slots) x->c->hidden_slots = depth + 1;
  }
  mark_exact(x, (uint32_t)v->r.pos, v->nvals);
}

/* The end of a legacy try (its last body, or `delegate l`): its handler
** gets its clauses; after delegate, the next handler is the one label l
** is in. */
static void end_try(xlate *x, uint32_t li, int delegate) {
  label *l = &x->labels[li];
  const validator *v = &x->v;
  if (l->region == NONE) return;
  if (v->ended.op == OP_TRY) end_handler(x, l->region);
  uint32_t *r = x->c->handlers + CODE_HANDLER * l->region;
  r[2] = x->c->ncatches;
  r[3] = l->nclauses;
  for (uint32_t i = 0; i < l->nclauses && !x->fail; i++) {
    const uint32_t *w = l->clauses + 4 * i;
    add_catch(x, w[0], w[1], w[2], w[3]);
    r = x->c->handlers + CODE_HANDLER * l->region;
  }
  if (delegate) { /* label l is outside the try: the innermost handler at or outside it */
    uint32_t target = li - 1 - (uint32_t)v->in.a, next = NONE;
    for (uint32_t i = x->nactive; i-- > 0;)
      if (x->active[2 * i + 1] <= target && target > 0) {
        next = x->active[2 * i];
        break;
      }
    r[4] = next;
  }
}

/* rethrow l: the exception of the catch body of label l. */
static void translate_rethrow(xlate *x) {
  validator *v = &x->v;
  uint32_t li = v->nctls - 1 - (uint32_t)v->in.a;
  flush_range(x, 0, v->height_before);
  emit_op(x, IR_THROW_REF);
  emit(x, HIDDEN_SLOT | IR_SLOT(catch_depth(x, li)));
  x->live = 0;
}

static void translate_wasm3(xlate *x, int op) {
  validator *v = &x->v;
  const instr *in = &v->in;
  uint32_t h = v->height_before;
  switch (op) {
  case OP_RETURN_CALL: case OP_RETURN_CALL_INDIRECT: case OP_CALL_REF:
  case OP_RETURN_CALL_REF:
    translate_call3(x, op);
    break;
  case OP_REF_AS_NON_NULL: {
    uint32_t s = slot_of(x, h - 1);
    record_recovery(x, h, NONE, 0, 0);
    emit_op(x, IR_REF_AS_NON_NULL);
    emit(x, s);
    x->st[h - 1].type = vtype(x, h - 1);
    break;
  }
  case OP_BR_ON_NULL:
  case OP_BR_ON_NON_NULL:
    translate_br_on(x, op);
    break;
  case OP_THROW: {
    uint32_t n = v->m->types[v->m->tag_types[in->a]].nparams;
    flush_range(x, 0, h);
    emit_op(x, IR_THROW);
    emit(x, (uint32_t)in->a);
    emit(x, home_of(x, h - n));
    x->live = 0;
    break;
  }
  case OP_THROW_REF:
    flush_range(x, 0, h);
    emit_op(x, IR_THROW_REF);
    emit(x, x->st[h - 1].home);
    x->live = 0;
    break;
  case OP_TRY_TABLE:
    translate_try_table(x);
    break;
  case OP_TRY:
    flush_range(x, 0, h);
    push_label(x);
    x->labels[v->nctls - 1].region = new_handler(x);
    break;
  case OP_CATCH:
  case OP_CATCH_ALL:
    translate_catch(x);
    break;
  case OP_RETHROW:
    translate_rethrow(x);
    break;
  case OP_DELEGATE:
    end_try(x, v->nctls, 1);
    end_label(x, v->nctls);
    all_home(x);
    mark_exact(x, (uint32_t)v->r.pos, v->nvals);
    break;
  default:
    x->fail = "internal error: instruction without translation";
    break;
  }
}

/* ------------------------------------------------------------ v128 */

/* A v128 load or store of the general form (a memory other than 0, or a
** 64-bit one): V128_LOAD_M [d a v mem off off op lane], V128_STORE_M
** [a v mem off off op lane]; a load that takes no vector names its
** address slot for it. */
static void translate_simd_m(xlate *x, int op) {
  const instr *in = &x->v.in;
  uint32_t h = x->v.height_before;
  const op_info *info = &op_table[op];
  int load = info->sig[strlen(info->sig) - 1] == 'V', vec = info->sig[1] == 'V';
  uint32_t sa = slot_of(x, vec ? h - 2 : h - 1), sv = vec ? slot_of(x, h - 1) : sa;
  record_recovery(x, h, NONE, 0, 0);
  emit_op(x, load ? IR_V128_LOAD_M : IR_V128_STORE_M);
  if (load) emit_result(x, vec ? h - 2 : h - 1);
  emit(x, sa);
  emit(x, sv);
  emit(x, in->c);
  emit_k(x, in->b);
  emit(x, (uint32_t)op);
  emit(x, in->lane);
}

/* A v128 instruction (binary/opcodes_simd.h): its group's op, the slots
** of the operands its signature takes, its result, its immediates, then
** which instruction it is (w), as the group's layout says (exec/ir.h).  A
** v128.const is an operand. */
static void translate_simd(xlate *x, int op) {
  const instr *in = &x->v.in;
  uint32_t h = x->v.height_before;
  if (op == OP_V128_CONST) {
    entry *e = put(x, h, INRO_V128, E_CONST);
    e->k = in->a;
    e->k2 = in->b;
    return;
  }
  const op_info *info = &op_table[op];
  int access = info->imm == IMM_MEMARG || info->imm == IMM_MEMARG_LANE;
  if (access && memory_general(x, in->c)) {
    translate_simd_m(x, op);
    return;
  }
  uint32_t nops = (uint32_t)(strchr(info->sig, ':') - info->sig), s[3], imm[4], nimm = 0;
  int result = info->sig[nops + 1] != '\0';
  for (uint32_t i = 0; i < nops; i++) s[i] = slot_of(x, h - nops + i);
  switch (info->imm) {
  case IMM_MEMARG_LANE:
    imm[nimm++] = (uint32_t)in->b;
    imm[nimm++] = in->lane;
    break;
  case IMM_MEMARG:
    imm[nimm++] = (uint32_t)in->b;
    break;
  case IMM_LANE:
    imm[nimm++] = (uint32_t)in->a;
    break;
  case IMM_SHUFFLE:
    imm[nimm++] = (uint32_t)in->a;
    imm[nimm++] = (uint32_t)(in->a >> 32);
    imm[nimm++] = (uint32_t)in->b;
    imm[nimm++] = (uint32_t)(in->b >> 32);
    break;
  default:
    break;
  }
  if (access) record_recovery(x, h, NONE, 0, 0); /* can trap */
  int lane = ir_form[op].lane;
  emit_op(x, ir_form[lane].v);
  if (result) emit_result(x, h - nops);
  for (uint32_t i = 0; i < nops; i++) emit(x, s[i]);
  for (uint32_t i = 0; i < nimm; i++) emit(x, imm[i]);
  emit(x, (uint32_t)(lane - OP_SIMD_FIRST));
}

/* ----------------------------------------------------- one instruction */

static void translate_instr(xlate *x) {
  validator *v = &x->v;
  const instr *in = &v->in;
  const inro_module *m = v->m;
  int op = in->op;
  uint32_t h = v->height_before;
  const ir_forms *f = &ir_form[op];

  if (op >= OP_SIMD_FIRST) {
    translate_simd(x, op);
    return;
  }
  if (op >= OP_I32_LOAD && op <= OP_I64_LOAD32_U) {
    translate_load(x, op);
    return;
  }
  if (op >= OP_I32_STORE && op <= OP_I64_STORE32) {
    translate_store(x, op);
    return;
  }
  if (f->ss) {
    translate_binary(x, op);
    return;
  }
  if (f->s) {
    translate_slots(x, f->s, op, 1, 1, NULL, 0);
    return;
  }
  if (is_bitcast(op)) {
    x->st[h - 1].type = vtype(x, h - 1); /* the same bits, retyped */
    return;
  }
  uint32_t imm[2] = {(uint32_t)in->a, (uint32_t)in->b};
  switch (op) {
  case OP_NOP:
    break;
  case OP_UNREACHABLE:
    record_recovery(x, h, NONE, 0, 0);
    emit_op(x, IR_UNREACHABLE);
    x->live = 0;
    break;
  case OP_BLOCK:
  case OP_LOOP:
    flush_range(x, 0, h);
    push_label(x);
    if (op == OP_LOOP) mark_exact(x, (uint32_t)v->r.pos, v->nvals);
    break;
  case OP_IF: {
    flush_range(x, 0, h - 1);
    uint32_t w = emit_cond_jump(x, h - 1, 0);
    push_label(x);
    if (x->fail) return;
    x->c->words[w] = NONE;
    x->labels[v->nctls - 1].else_fix = w;
    break;
  }
  case OP_ELSE:
    translate_else(x);
    break;
  case OP_END:
    if (v->nctls == 0) {
      translate_final_end(x);
    } else {
      if (v->ended.op == OP_TRY_TABLE) end_handler(x, x->labels[v->nctls].region);
      if (v->ended.op == OP_TRY || vctl_is_catch(&v->ended)) end_try(x, v->nctls, 0);
      end_label(x, v->nctls);
      all_home(x);
      mark_exact(x, (uint32_t)v->r.pos, v->nvals);
    }
    break;
  case OP_BR:
    branch(x, (uint32_t)in->a, h - vctl_arity(val_label(v, (uint32_t)in->a)), NONE);
    x->live = 0;
    break;
  case OP_BR_IF:
    branch(x, (uint32_t)in->a, h - 1 - vctl_arity(val_label(v, (uint32_t)in->a)), h - 1);
    break;
  case OP_BR_TABLE:
    translate_br_table(x);
    x->live = 0;
    break;
  case OP_RETURN:
    emit_return(x, h - v->nresults, v->nresults);
    x->live = 0;
    break;
  case OP_CALL:
    translate_call(x, &m->types[m->func_types[in->a]], 0);
    break;
  case OP_CALL_INDIRECT:
    translate_call(x, &m->types[in->a], 1);
    break;
  case OP_DROP:
    break;
  case OP_SELECT:
  case OP_SELECT_T:
    translate_slots(x, vtype(x, h - 3) == INRO_V128 ? IR_SELECT_V128 : IR_SELECT, op, 3, 1,
                    NULL, 0);
    break;
  case OP_LOCAL_GET: {
    entry *e = put(x, h, vtype(x, h), E_LOCAL);
    e->slot = x->local_slot[in->a];
    break;
  }
  case OP_LOCAL_SET:
  case OP_LOCAL_TEE:
    translate_set_local(x, (uint32_t)in->a, h - 1, op == OP_LOCAL_TEE);
    break;
  case OP_GLOBAL_GET:
    translate_slots(x, vtype(x, h) == INRO_V128 ? IR_GLOBAL_GET_V128 : IR_GLOBAL_GET, op, 0,
                    1, imm, 1);
    break;
  case OP_GLOBAL_SET:
    translate_slots(x, x->st[h - 1].type == INRO_V128 ? IR_GLOBAL_SET_V128 : IR_GLOBAL_SET,
                    op, 1, 0, imm, 1);
    break;
  case OP_I32_CONST:
  case OP_F32_CONST:
  case OP_I64_CONST:
  case OP_F64_CONST:
    put(x, h, vtype(x, h), E_CONST)->k = op == OP_I32_CONST || op == OP_F32_CONST
                                            ? (uint64_t)(uint32_t)in->a : in->a;
    break;
  case OP_REF_NULL:
    put(x, h, vtype(x, h), E_CONST)->k = 0;
    break;
  case OP_REF_IS_NULL:
    translate_slots(x, IR_REF_IS_NULL, op, 1, 1, NULL, 0);
    break;
  case OP_REF_FUNC:
    translate_slots(x, IR_REF_FUNC, op, 0, 1, imm, 1);
    break;
  case OP_TABLE_GET: translate_slots(x, IR_TABLE_GET, op, 1, 1, imm, 1); break;
  case OP_TABLE_SET: translate_slots(x, IR_TABLE_SET, op, 2, 0, imm, 1); break;
  case OP_TABLE_SIZE: translate_slots(x, IR_TABLE_SIZE, op, 0, 1, imm, 1); break;
  case OP_TABLE_GROW: translate_slots(x, IR_TABLE_GROW, op, 2, 1, imm, 1); break;
  case OP_TABLE_FILL: translate_slots(x, IR_TABLE_FILL, op, 3, 0, imm, 1); break;
  case OP_TABLE_COPY: translate_slots(x, IR_TABLE_COPY, op, 3, 0, imm, 2); break;
  case OP_TABLE_INIT: translate_slots(x, IR_TABLE_INIT, op, 3, 0, imm, 2); break;
  case OP_ELEM_DROP: translate_slots(x, IR_ELEM_DROP, op, 0, 0, imm, 1); break;
  case OP_MEMORY_SIZE:
  case OP_MEMORY_GROW:
  case OP_MEMORY_FILL:
  case OP_MEMORY_COPY:
  case OP_MEMORY_INIT:
    if (memory_general(x, (uint32_t)(op == OP_MEMORY_INIT ? in->b : in->a)) ||
        (op == OP_MEMORY_COPY && memory_general(x, (uint32_t)in->b))) {
      translate_memory_m(x, op);
      break;
    }
    if (op == OP_MEMORY_SIZE) translate_slots(x, IR_MEMORY_SIZE, op, 0, 1, NULL, 0);
    else if (op == OP_MEMORY_GROW) translate_slots(x, IR_MEMORY_GROW, op, 1, 1, NULL, 0);
    else if (op == OP_MEMORY_FILL) translate_slots(x, IR_MEMORY_FILL, op, 3, 0, NULL, 0);
    else if (op == OP_MEMORY_COPY) translate_slots(x, IR_MEMORY_COPY, op, 3, 0, NULL, 0);
    else translate_slots(x, IR_MEMORY_INIT, op, 3, 0, imm, 1);
    break;
  case OP_DATA_DROP: translate_slots(x, IR_DATA_DROP, op, 0, 0, imm, 1); break;
  default:
    translate_wasm3(x, op);
    break;
  }
}

/* ---------------------------------------------------------------- probes */

/* The first index of sorted a[0..n) whose value is not below x. */
static uint32_t lower_bound(const uint32_t *a, uint32_t n, uint32_t x) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static int sorted_has(const uint32_t *a, uint32_t n, uint32_t x) {
  uint32_t i = lower_bound(a, n, x);
  return i < n && a[i] == x;
}

/* Does the function leave at the current instruction (where exit probes
** fire)? */
static int at_exit(const xlate *x, int final_end) {
  int op = x->v.in.op;
  return final_end || op == OP_RETURN || op == OP_RETURN_CALL || op == OP_RETURN_CALL_INDIRECT ||
         op == OP_RETURN_CALL_REF;
}

/* What the plan wants probed before the current instruction (0: none).
** Instructions come in increasing offsets, so the search for a local
** probe goes on from where the last one stopped. */
static uint32_t probe_flags(xlate *x, int final_end) {
  const probe_plan *p = x->plan;
  const instr *in = &x->v.in;
  uint32_t flags = 0;
  if (!p) return 0;
  if (p->global) flags |= PROBE_GLOBAL;
  while (x->next_local < p->noffsets && p->offsets[x->next_local] < in->offset) x->next_local++;
  if (x->next_local < p->noffsets && p->offsets[x->next_local] == in->offset) flags |= PROBE_LOCAL;
  if (in->offset == x->v.first_offset && p->entry) flags |= PROBE_ENTRY;
  if (p->exit && at_exit(x, final_end)) flags |= PROBE_EXIT;
  return flags;
}

/* The IR_PROBE that fires before the current instruction, with operands
** [0, h) made home; the function's final `end` emits its own, so that
** branches to the function's label land on it. */
static void emit_probe(xlate *x, uint32_t flags, uint32_t h) {
  const instr *in = &x->v.in;
  if (!flags) return;
  flush_range(x, 0, h);
  mark_exact(x, (uint32_t)in->offset, h);
  emit_op(x, IR_PROBE);
  emit(x, flags);
  emit(x, (uint32_t)in->offset);
  emit(x, home_of(x, h));
}

/* The IR_RECORDS of the record probes at the current instruction, after
** its counters. */
static void emit_records(xlate *x) {
  const probe_plan *p = x->plan;
  uint32_t off = (uint32_t)x->v.in.offset;
  uint32_t lo = lower_bound(p->records, p->nrecords, off);
  for (; lo < p->nrecords && p->records[lo] == off && !x->fail; lo++) {
    emit_op(x, IR_RECORDS);
    emit_address(x, p->rings[lo]);
    emit_address(x, p->values[lo]);
    emit(x, p->nvalues[lo]);
  }
}

/* The counter at the function's entry that context probe i's IR_CTX_ENTER
** adds (one instruction less per call): the first there counting the
** context's clock, if no context probe before i has the same clock;
** UINT32_MAX if none. */
static uint32_t entry_counter(const xlate *x, uint32_t i) {
  const probe_plan *p = x->plan;
  const uint64_t *clock = p->contexts[i]->clock;
  if (!clock || x->v.in.offset != x->v.first_offset) return UINT32_MAX;
  for (uint32_t k = 0; k < i; k++)
    if (p->contexts[k]->clock == clock) return UINT32_MAX;
  uint32_t off = (uint32_t)x->v.in.offset;
  for (uint32_t lo = lower_bound(p->counters, p->ncounters, off);
       lo < p->ncounters && p->counters[lo] == off; lo++)
    if (p->cells[lo] == clock) return lo;
  return UINT32_MAX;
}

static int folded_counter(const xlate *x, uint32_t lo) {
  for (uint32_t i = 0; i < x->plan->ncontexts; i++)
    if (entry_counter(x, i) == lo) return 1;
  return 0;
}

/* COUNTER [K k]: add k to *cell. */
static void emit_counter(xlate *x, uint64_t *cell, uint32_t add) {
  emit_op(x, IR_COUNTER);
  emit_address(x, cell);
  emit(x, add);
}

/* The IR_COUNTER of a counter held to here (held_counter) although it
** could not go where it was held for: a safety net, as held_counter
** holds one only where that instruction follows. */
static void emit_held(xlate *x) {
  if (!x->held_cell) return;
  emit_counter(x, x->held_cell, x->held_add);
  x->held_cell = NULL;
}

/* Nothing of the plan at offset off but counters (a probe, a barrier, a
** record or an edge or access probe is where a frame or a probe may see
** the counts). */
static int plan_quiet_at(const probe_plan *p, uint32_t off) {
  return !sorted_has(p->offsets, p->noffsets, off) && !sorted_has(p->barriers, p->nbarriers, off) &&
         !sorted_has(p->records, p->nrecords, off) && !sorted_has(p->edges, p->nedges, off) &&
         !sorted_has(p->accesses, p->naccesses, off);
}

/* An instruction that neither traps, branches, calls nor emits anything
** that could look at a counter. */
static int plain_op(int op) {
  switch (op) {
  case OP_NOP: case OP_DROP: case OP_SELECT: case OP_SELECT_T:
  case OP_LOCAL_GET: case OP_LOCAL_SET: case OP_LOCAL_TEE: case OP_GLOBAL_GET: case OP_GLOBAL_SET:
  case OP_I32_CONST: case OP_I64_CONST: case OP_F32_CONST: case OP_F64_CONST:
    return 1;
  default:
    return !can_trap(op) && (ir_form[op].ss || ir_form[op].s || is_bitcast(op)) && !ir_form[op].v;
  }
}

enum { HOLD_NONE, HOLD_CALL, HOLD_EXIT };
/* Where a counter at the current instruction can go instead, as a word
** of another instruction rather than an instruction of its own: a direct
** call (CALL_COUNTED) or the function's exit (a context's clock,
** CTX_EXIT) that the run reaches through plain instructions alone, with
** no probe nor barrier on the way (the counter goes first in its run so
** that a frame stopped in the run has counted it: runs.c; where nothing
** can stop, when it goes does not show). */
static int held_counter(const xlate *x) {
  const probe_plan *p = x->plan;
  const validator *v = &x->v;
  if (p->global || v->in.offset == v->first_offset) return HOLD_NONE;
  reader r = v->r;
  instr in = v->in;
  for (;;) {
    if (!plan_quiet_at(p, (uint32_t)in.offset)) return HOLD_NONE;
    if (in.op == OP_CALL) return HOLD_CALL;
    if (in.op == OP_RETURN || (in.op == OP_END && r.pos >= r.end)) /* exit probes look */
      return p->exit ? HOLD_NONE : HOLD_EXIT;
    if (!plain_op(in.op) || instr_read(&r, &in) < 0) return HOLD_NONE;
  }
}

/* Is cell the clock of a context probe of the plan? */
static int context_clock(const probe_plan *p, const uint64_t *cell) {
  for (uint32_t i = 0; i < p->ncontexts; i++)
    if (p->contexts[i]->clock == cell) return 1;
  return 0;
}

/* The IR_COUNTERs of the counter probes at the current instruction; the
** last may be held for the call or exit it reaches (held_counter). */
static void emit_cells(xlate *x) {
  const probe_plan *p = x->plan;
  uint32_t off = (uint32_t)x->v.in.offset;
  uint32_t lo = lower_bound(p->counters, p->ncounters, off);
  for (; lo < p->ncounters && p->counters[lo] == off && !x->fail; lo++) {
    if (folded_counter(x, lo)) continue;
    int last = lo + 1 == p->ncounters || p->counters[lo + 1] != off, hold;
    if (last && !x->held_cell && (hold = held_counter(x)) != HOLD_NONE &&
        (hold == HOLD_CALL || context_clock(p, p->cells[lo]))) {
      x->held_cell = p->cells[lo];
      x->held_add = p->adds[lo];
      x->last_start = x->last_dst = NONE; /* joins nothing across, as if emitted */
      return;
    }
    emit_counter(x, p->cells[lo], p->adds[lo]);
  }
}

/* The IR_CTX_ENTERs at the function's entry and IR_CTX_EXITs at its
** exits (returns, tail calls, the final `end`) of the context probes,
** after the counters there, as an entry or exit probe fires after them;
** an entry's adds its clock's counter there first (entry_counter). */
static void emit_contexts(xlate *x, int final_end) {
  const probe_plan *p = x->plan;
  int entering = x->v.in.offset == x->v.first_offset, leaving = at_exit(x, final_end);
  uint32_t defidx = x->v.defidx;
  for (uint32_t i = 0; entering && i < p->ncontexts; i++) {
    uint32_t counter = entry_counter(x, i);
    emit_op(x, IR_CTX_ENTER);
    emit_address(x, p->contexts[i]);
    emit(x, x->v.m->nfunc_imports + defidx);
    emit(x, p->contexts[i]->ahead ? p->contexts[i]->ahead[defidx] : 0);
    emit(x, counter == UINT32_MAX ? 0 : p->adds[counter]);
  }
  /* At a return where no probe nor frame can stand (a barrier: a frame
  ** resumes there after the event), the one context's event is the
  ** return's. */
  int to_return = p->ncontexts == 1 && !probe_flags(x, final_end) &&
                  plan_quiet_at(p, (uint32_t)x->v.in.offset) &&
                  (final_end || x->v.in.op == OP_RETURN);
  for (uint32_t i = 0; leaving && i < p->ncontexts; i++) {
    int held = x->held_cell && x->held_cell == p->contexts[i]->clock;
    uint32_t add = held ? x->held_add : 0;
    if (held) x->held_cell = NULL;
    if (to_return) {
      x->exit_ctx = p->contexts[i];
      x->exit_add = add;
      continue;
    }
    emit_op(x, IR_CTX_EXIT);
    emit_address(x, p->contexts[i]);
    emit(x, add);
  }
}

/* The IR_COUNTERs and IR_RECORDS of the counter and record probes at the
** current instruction, first of all its code: after a label that lands
** there, before its exact position and its probes, and the context
** probes' events after them.  So a frame stopped at a probe there has run
** them (a restored one resumes after them, probe/remap.c), and one at the
** end of a slice, which stops at a label, has not.  They touch no slot:
** the operands stay where they are; only joining an instruction to one
** before them is off. */
static void emit_counters(xlate *x, int final_end) {
  const probe_plan *p = x->plan;
  if (!p) return;
  uint32_t at = x->c->nwords;
  if (p->nrecords) emit_records(x);
  if (p->ncounters) emit_cells(x);
  if (p->ncontexts) emit_contexts(x, final_end);
  if (x->c->nwords != at) x->last_start = x->last_dst = NONE;
}

/* The IR_ACCESS of the access probes at the current load or store, last
** before its own code, as an edge probe: it reads the address where it
** is (a constant goes home first). */
static void emit_accesses(xlate *x) {
  const probe_plan *p = x->plan;
  const validator *v = &x->v;
  if (!p->naccesses || !module_plain_access(v->m, &v->in)) return;
  uint32_t off = (uint32_t)v->in.offset;
  uint32_t lo = lower_bound(p->accesses, p->naccesses, off);
  int store = op_table[v->in.op].sig[strlen(op_table[v->in.op].sig) - 1] == ':';
  uint32_t addr = v->height_before - 1 - (uint32_t)store;
  for (; lo < p->naccesses && p->accesses[lo] == off && !x->fail; lo++) {
    if (x->st[addr].kind == E_CONST) flush_one(x, addr);
    emit_op(x, IR_ACCESS);
    emit_address(x, p->access_counts[lo]);
    emit(x, slot_of(x, addr));
    emit(x, (uint32_t)v->in.b);
    emit(x, op_mem_width((unsigned)v->in.op));
    emit(x, (uint32_t)store);
    x->last_start = x->last_dst = NONE;
  }
}

/* The IR_EDGES of the edge probes at the current branch, last before its
** own code (after its probes: counted once it runs).  It reads the
** condition or index where it is; a constant goes home first (the
** constant area may be closed).  The last one at an if or br_if is left
** to its conditional jump (edge_cell), which then counts as it jumps:
** one instruction instead of two. */
static void emit_edges(xlate *x) {
  const probe_plan *p = x->plan;
  const validator *v = &x->v;
  int op = v->in.op;
  if (!p->nedges || (op != OP_IF && op != OP_BR_IF && op != OP_BR_TABLE)) return;
  uint32_t off = (uint32_t)v->in.offset;
  uint32_t lo = lower_bound(p->edges, p->nedges, off);
  uint32_t top = v->height_before - 1;
  for (; lo < p->nedges && p->edges[lo] == off && !x->fail; lo++) {
    if (x->st[top].kind == E_CONST) flush_one(x, top);
    x->last_start = x->last_dst = NONE; /* the branch joins nothing */
    if (op != OP_BR_TABLE && (lo + 1 == p->nedges || p->edges[lo + 1] != off)) {
      x->edge_cell = p->edge_cells[lo];
      return;
    }
    emit_op(x, IR_EDGES);
    emit_address(x, p->edge_cells[lo]);
    emit(x, slot_of(x, top));
    emit(x, op == OP_BR_TABLE ? (uint32_t)v->in.vec_len : 0);
  }
}

static void translate(xlate *x) {
  const validator *v = &x->v;
  int op = v->in.op;
  if (!x->live) { /* unreachable code: keep only the block structure */
    if (op == OP_BLOCK || op == OP_LOOP || op == OP_IF || op == OP_TRY || op == OP_TRY_TABLE)
      push_label(x);
    else if (op == OP_ELSE || op == OP_END || op == OP_CATCH || op == OP_CATCH_ALL ||
             op == OP_DELEGATE)
      translate_instr(x);
    return;
  }
  const probe_plan *p = x->plan;
  if (p) {
    uint32_t off = (uint32_t)v->in.offset;
    int final_end = op == OP_END && v->nctls == 0;
    if (x->held_cell && !plain_op(op) && op != OP_CALL && op != OP_RETURN && !final_end)
      emit_held(x);
    if (!final_end && (p->nrecords || p->ncounters || p->ncontexts)) emit_counters(x, 0);
    if (p->nbarriers && sorted_has(p->barriers, p->nbarriers, off)) {
      flush_range(x, 0, v->height_before);
      mark_exact(x, off, v->height_before);
    }
    if (!final_end) emit_probe(x, probe_flags(x, 0), v->height_before);
    emit_edges(x);
    emit_accesses(x);
  }
  translate_instr(x);
  if (x->edge_cell) x->fail = "internal error: an edge probe left unplaced";
}

/* ------------------------------------------------------------------ run */

/* A translation with probes takes the constant area of the module's own
** translation of the function, `shared`, as it is. */
static void take_consts(xlate *x, const code *shared) {
  uint32_t n = shared->nconsts;
  if (n) const_append(x, shared->consts, n);
  x->consts_fixed = 1;
}

/* Give the hidden slots their place after the constants (at byte offset
** `hidden`), and the operand stack slots theirs after them:
** every slot word with STACK_SLOT or HIDDEN_SLOT set, in the
** instructions (by their layouts), the recovery records and the catch
** clauses. */
static uint32_t slot_at(uint32_t w, uint32_t base, uint32_t hidden) {
  if (w != NONE && (w & STACK_SLOT)) return (w & ~STACK_SLOT) + base;
  if (w != NONE && (w & HIDDEN_SLOT)) return (w & ~HIDDEN_SLOT) + hidden;
  return w;
}
#define stack_slot_at(w, base) slot_at((w), (base), hidden)

static void relocate(code *c, uint32_t hidden) {
  uint32_t base = IR_SLOT(c->stack_base);
  for (uint32_t i = 0; i < c->ncatches; i++) {
    c->catches[CODE_CATCH * i + 2] = stack_slot_at(c->catches[CODE_CATCH * i + 2], base);
    c->catches[CODE_CATCH * i + 3] = stack_slot_at(c->catches[CODE_CATCH * i + 3], base);
  }
  for (uint32_t i = 0; i < c->nexact; i++) c->exact[3 * i + 2] = stack_slot_at(c->exact[3 * i + 2], base);
  for (uint32_t i = 0; i < c->nrecover; i++) {
    uint32_t *r = c->recover_words + c->recover[2 * i + 1];
    for (uint32_t k = 0; k < r[0]; k++) {
      r[1 + 4 * k] = stack_slot_at(r[1 + 4 * k], base);
      if (r[2 + 4 * k] != RECOVER_CONST) r[3 + 4 * k] = stack_slot_at(r[3 + 4 * k], base);
      if (r[2 + 4 * k] == RECOVER_ADD) r[4 + 4 * k] = stack_slot_at(r[4 + 4 * k], base);
    }
  }
}

/* The pick of a handler's copy for the instruction of op `op` at pc, of
** which the next instruction has op `next` (NONE: none): each instruction
** of a hot op the copy that the op after it picks (exec/ir.h), so that a
** copy's dispatch mostly goes to one place; each JMP_SWITCH_ADD the next
** copy, since what follows it is the case its switch picks.  Only native
** builds have copies. */
static uint32_t copy_bits(uint32_t op, uint32_t next, uint32_t *switch_jumps) {
#if IR_COPIES > 1
#define HOT_OP(name) [IR_##name] = 1,
  static const uint8_t hot[IR_COUNT] = {HOT_COPIES(HOT_OP)};
#undef HOT_OP
  if (op == IR_JMP_SWITCH_ADD) return (*switch_jumps)++ % IR_COPIES << IR_OP_BITS;
  if (hot[op] && next != NONE) return (next * 2654435761u >> (32 - 2)) % IR_COPIES << IR_OP_BITS;
#else
  (void)op, (void)next, (void)switch_jumps;
#endif
  return 0;
}

/* One walk over the instructions: the operand stack's slot words (as
** relocate) and the copies (copy_bits).  An instruction's length is its
** layout, walked anyway, and its table (ir_length). */
static void finish_words(code *c, uint32_t hidden) {
  uint32_t base = IR_SLOT(c->stack_base), prev = NONE, switch_jumps = 0;
  for (uint32_t pc = 0; pc < c->nwords;) {
    uint32_t *w = c->words + pc, *p = w + 1, op = w[0];
    for (const char *l = ir_info[op].layout; *l; l++) {
      if (*l == 'd' || *l == 's' || *l == 'h') *p = stack_slot_at(*p, base);
      p += *l == 'K' ? 2 : *l != 'r';
    }
    if (op == IR_BR_TABLE) /* [s n k src (t d)*(n+1)]: the d words */
      for (uint32_t i = 0; i <= w[2]; i++) w[6 + 2 * i] = stack_slot_at(w[6 + 2 * i], base);
    if (prev != NONE) c->words[prev] |= copy_bits(c->words[prev], op, &switch_jumps);
    prev = pc;
    pc = (uint32_t)(p - c->words) + ir_table_words(w);
  }
  if (prev != NONE) c->words[prev] |= copy_bits(c->words[prev], NONE, &switch_jumps);
}

int func_translate(const inro_module *m, uint32_t defidx,
                   const probe_plan *plan, code **out, inro_error *err) {
  xlate x;
  memset(&x, 0, sizeof x);
  x.plan = plan;
  x.last_start = x.last_dst = x.r_at = NONE;
  validator *v = &x.v;
  if (!val_begin(v, m, defidx, err)) {
    val_free(v);
    return 0;
  }
  code *c = x.c = calloc(1, sizeof *c);
  x.local_slot = malloc((v->nlocals ? v->nlocals : 1) * sizeof *x.local_slot);
  x.zero = calloc(v->nlocals + 1, 1);
  if (!c || !x.local_slot || !x.zero) {
    x.fail = "out of memory";
  } else {
    /* Room for what most bodies need, by their length (IR words run at
    ** about 0.66 per byte, pcmap entries at 0.2), so that few grow. */
    uint32_t body = m->funcs[defidx].body_end - m->funcs[defidx].body_start;
    grow(&x, (void **)&c->words, &x.capwords, body - body / 4 + 16, sizeof *c->words);
    grow(&x, (void **)&c->pcmap, &x.cappc, 2 * (body / 4 + 8), sizeof *c->pcmap);
    c->nparams = v->nparams;
    c->nresults = v->nresults;
    c->nlocals = v->nlocals;
    for (uint32_t i = 0; i < v->nlocals; i++) {
      x.local_slot[i] = IR_SLOT(c->local_slots);
      c->local_slots += ir_type_slots(v->local_types[i]);
      if (i + 1 == v->nparams) c->param_slots = c->local_slots;
      if (v->local_types[i] == INRO_V128) c->wide = 1;
    }
    c->result_slots = m->types[m->funcs[defidx].typeidx].result_slots;
    mark_exact(&x, v->first_offset, 0);
    memset(x.zero + v->nparams, 1, v->nlocals - v->nparams);
    x.any_zero = 1;
    x.live = 1;
    if (m->funcs[defidx].code) take_consts(&x, m->funcs[defidx].code);
    push_label(&x);
  }
  while (!x.fail && val_next(v)) translate(&x);
  int ok = !x.fail && val_finish(v, err);
  if (x.fail && !v->fail)
    err_set(err, INRO_ERR_NOMEM, "%s (function %u)", x.fail, m->nfunc_imports + defidx);
  if (ok) {
    c->nconsts = x.nconsts;
    uint32_t hidden = IR_SLOT(c->local_slots + x.nconsts);
    c->stack_base = c->local_slots + x.nconsts + c->hidden_slots;
    c->frame_slots = c->stack_base + x.max_top / 8;
    c->consts = x.consts;
    x.consts = NULL;
    c->local_types = malloc(v->nlocals + 1);
    if (!c->local_types) {
      code_free(c);
      ok = err_set(err, INRO_ERR_NOMEM, "out of memory");
      goto done;
    }
    for (uint32_t i = 0; i < v->nlocals; i++) c->local_types[i] = vt_class(v->local_types[i]);
    c->local_vtypes = v->local_types;
    v->local_types = NULL;
    relocate(c, hidden);
    finish_words(c, hidden);
    /* The room reserved by the body's length, given back. */
    shrink((void **)&c->words, c->nwords * sizeof *c->words);
    shrink((void **)&c->pcmap, 2 * c->npcmap * sizeof *c->pcmap);
    *out = c;
  } else {
    code_free(c);
  }
done:
  val_free(v);
  free(x.st);
  for (uint32_t i = 0; i < x.caplabels; i++) free(x.labels[i].clauses);
  free(x.active);
  free(x.labels);
  free(x.local_slot);
  free(x.zero);
  free(x.consts);
  free(x.const_index);
  free(x.pair_index);
  return ok;
}
