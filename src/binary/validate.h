/*
** validate.h -- the spec's validation algorithm for one function body,
** as an iterator.
**
** val_next reads one instruction, checks it (appendix "Validation
** Algorithm": an operand stack of value types, 0 for the unknown type of
** unreachable code, and a stack of control frames) and leaves behind what
** a consumer needs to know about it: the translator (exec/translate.c)
** walks a body this way, and so do the queries below.  The operand
** heights it tracks are the heights of the run-time operand stack.
*/
#ifndef INRO_VALIDATE_H
#define INRO_VALIDATE_H

#include "binary/instr.h"
#include "binary/module.h"

#define VAL_UNKNOWN 0

typedef struct vctl {
  int op;                 /* OP_BLOCK, OP_LOOP, OP_IF, OP_ELSE, OP_TRY (its
                             body), OP_CATCH, OP_CATCH_ALL (a catch body of
                             a try), OP_TRY_TABLE, or -1 (func) */
  uint32_t nparams, nresults;
  const valtype *params, *results; /* results NULL: one result, `single` */
  valtype single;
  uint32_t height;        /* operand height at entry, params excluded */
  uint32_t inits;         /* height of the initialised-locals stack at entry */
  int unreachable;
} vctl;

typedef struct validator {
  const inro_module *m;
  uint32_t defidx;
  reader r;
  instr in;               /* the instruction just validated */
  const char *fail;
  int fail_malformed;     /* the failure is a decoding error found late */
  valtype *vals;          /* operand types */
  uint32_t nvals, capvals;
  vctl *ctls;
  uint32_t nctls, capctls;
  uint32_t max_height;
  uint32_t nparams, nresults, nlocals;
  valtype *local_types;   /* nlocals entries, params first */
  uint8_t *local_set;     /* per local: initialised (non-defaultable ones
                             start unset) */
  uint32_t *inits;        /* the locals set since the enclosing blocks began */
  uint32_t ninits, capinits;
  /* About the instruction just validated: */
  uint32_t height_before; /* operand height before it */
  int dead;               /* it is unreachable code */
  vctl ended;             /* `end`: the frame it closed */
  valtype type;           /* drop, select: the operand type */
  uint32_t first_offset;  /* offset of the body's first instruction */
} validator;

/* Start on defined function defidx.  Returns 1, or 0 with err filled. */
int val_begin(validator *v, const inro_module *m, uint32_t defidx, inro_error *err);
/* Validate the next instruction (v->in).  Returns 1, or 0 at the end of
** the body or on failure (v->fail). */
int val_next(validator *v);
/* After the last val_next: 1 if the whole body was valid, else 0 with err
** filled ("... (function N at byte 0xX)"). */
int val_finish(validator *v, inro_error *err);
void val_free(validator *v);

/* The frame of label `depth` (0: innermost), its arity and types. */
static inline const vctl *val_label(const validator *v, uint32_t depth) {
  return &v->ctls[v->nctls - 1 - depth];
}
static inline uint32_t vctl_arity(const vctl *c) {
  return c->op == OP_LOOP ? c->nparams : c->nresults;
}
static inline const valtype *vctl_results(const vctl *c) {
  return c->results ? c->results : &c->single;
}
static inline const valtype *vctl_label_types(const vctl *c) {
  return c->op == OP_LOOP ? c->params : vctl_results(c);
}
/* A legacy catch body (rethrow may name its label). */
static inline int vctl_is_catch(const vctl *c) {
  return c->op == OP_CATCH || c->op == OP_CATCH_ALL;
}

/* Operand stack types before the instruction at offset; returns the
** height (types beyond max are not written). */
uint32_t func_stack_types(const inro_module *m, uint32_t defidx,
                          uint32_t offset, valtype *types, uint32_t max);
/* The state before the instruction at offset, for checking a restored
** frame: operand types as above, which locals are set (set, nlocals
** entries, may be NULL), and the legacy catch bodies around it, innermost
** last (their count; up to max of their try's offsets... not kept). */
typedef struct val_state {
  uint32_t height;        /* operands */
  valtype *types;         /* height entries (malloc'd) */
  uint8_t *local_set;     /* nlocals entries (malloc'd) */
  uint32_t ncatches;      /* legacy catch bodies around the offset */
  int found;              /* an instruction starts at offset */
} val_state;
int func_state_at(const inro_module *m, uint32_t defidx, uint32_t offset, val_state *out);
void val_state_free(val_state *s);

#endif
