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
  int op;                 /* OP_BLOCK, OP_LOOP, OP_IF, OP_ELSE or -1 (func) */
  uint32_t nparams, nresults;
  const uint8_t *params, *results; /* results NULL: one result, `single` */
  uint8_t single;
  uint32_t height;        /* operand height at entry, params excluded */
  int unreachable;
} vctl;

typedef struct validator {
  const inro_module *m;
  uint32_t defidx;
  reader r;
  instr in;               /* the instruction just validated */
  const char *fail;
  int fail_malformed;     /* the failure is a decoding error found late */
  uint8_t *vals;          /* operand types */
  uint32_t nvals, capvals;
  vctl *ctls;
  uint32_t nctls, capctls;
  uint32_t max_height;
  uint32_t nparams, nresults, nlocals;
  uint8_t *local_types;   /* nlocals entries, params first */
  /* About the instruction just validated: */
  uint32_t height_before; /* operand height before it */
  int dead;               /* it is unreachable code */
  vctl ended;             /* `end`: the frame it closed */
  uint8_t type;           /* drop, select: the operand type */
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
static inline const uint8_t *vctl_results(const vctl *c) {
  return c->results ? c->results : &c->single;
}

/* Validate body defidx (no translation). */
int func_validate(const inro_module *m, uint32_t defidx, inro_error *err);
/* Does an instruction of defined function defidx start at offset? */
int func_instr_at(const inro_module *m, uint32_t defidx, uint32_t offset);
/* Operand stack types before the instruction at offset; returns the
** height (types beyond max are not written). */
uint32_t func_stack_types(const inro_module *m, uint32_t defidx,
                          uint32_t offset, uint8_t *types, uint32_t max);

#endif
