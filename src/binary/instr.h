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
  uint32_t c;      /* a memory argument's memory index */
  uint32_t lane;   /* IMM_MEMARG_LANE: the lane index byte */
  size_t vec_pos;  /* br_table / select t: position of the vector */
  uint32_t vec_len;
} instr;

/* Reads one instruction.  Fails the reader with "illegal opcode",
** "zero byte expected", LEB errors... Returns the op or -1.
** Immediates by kind:
**   IMM_BLOCKTYPE, IMM_TRY_TABLE  a: the block type, a type index (>= 0),
**       BLOCKTYPE_EMPTY, or BLOCKTYPE_VALUE with the value type in b;
**       try_table's catch clauses are the vector at vec_pos (vec_len)
**   IMM_MEMARG   a: alignment exponent, b: offset (u64), c: memory index
**   IMM_MEMORY   a: memory index; IMM_MEMORY_INIT a: data, b: memory;
**   IMM_MEMORY_COPY a: destination memory, b: source memory
**   IMM_REFTYPE  a: the reference type (ref.null's heap type, nullable)
**   IMM_V128, IMM_SHUFFLE  a: bytes 0-7, b: bytes 8-15 (little-endian)
**   IMM_LANE     a: the lane index byte
**   IMM_MEMARG_LANE  a memarg (a, b, c), then the lane index byte in lane
** and for the others the index or indices in order (a, b). */
int instr_read(reader *r, instr *in);

/* Step over the local declarations at the start of a function body, to
** its first instruction. */
void instr_skip_locals(reader *r);

/* Block types as returned in instr.a for IMM_BLOCKTYPE. */
#define BLOCKTYPE_EMPTY (-64)
#define BLOCKTYPE_VALUE (-1)

/* try_table's catch clause kinds. */
enum { CATCH_TAG, CATCH_TAG_REF, CATCH_ALL, CATCH_ALL_REF };
/* Read one catch clause of try_table: kind, tag (for CATCH_TAG*), label. */
void instr_catch(reader *r, uint32_t *kind, uint32_t *tag, uint32_t *label);

#endif
