/*
** instr.h -- reading one instruction (opcode and immediates).
**
** Driven by the IMM column of the opcode table, so the decoder's skim of
** function bodies, constant expressions, the validator and the
** disassembler all read instructions the same way.
*/
#ifndef INRO_INSTR_H
#define INRO_INSTR_H

#include "binary/opcodes.h"
#include "binary/reader.h"

typedef struct instr {
  int op;          /* op_id, or -1 after a read failure */
  size_t offset;   /* byte offset of the opcode in the module */
  uint64_t a, b;   /* immediates (meaning depends on the kind) */
  uint32_t lane;   /* IMM_MEMARG_LANE: the lane index byte */
  size_t vec_pos;  /* br_table / select t: position of the vector */
  uint32_t vec_len;
} instr;

/* Reads one instruction.  Fails the reader with "illegal opcode",
** "zero byte expected", LEB errors... Returns the op or -1.
** For IMM_BLOCKTYPE `a` holds the s33 block type (as int64 bits). */
int instr_read(reader *r, instr *in);

/* Step over the local declarations at the start of a function body, to
** its first instruction. */
void instr_skip_locals(reader *r);

/* Block types as returned in instr.a for IMM_BLOCKTYPE. */
#define BLOCKTYPE_EMPTY (-64)

#endif
