/*
** memop.h -- the loads and stores of the general forms LOAD_M and STORE_M
** (exec/ir.h), which name the load or store by its opcode-table op:
** its width, and how a load extends what it read.  Included by
** exec/interp.c after mem_load.
*/
/* The bytes a scalar load or store accesses (binary/opcodes.h). */
#define memop_width op_mem_width

static inline uint64_t memop_load(unsigned op, const uint8_t *p) {
  uint64_t v = mem_load(p, memop_width(op));
  switch (op) {
  case OP_I32_LOAD8_S: return (uint32_t)(int32_t)(int8_t)(uint8_t)v;
  case OP_I32_LOAD16_S: return (uint32_t)(int32_t)(int16_t)(uint16_t)v;
  case OP_I64_LOAD8_S: return (uint64_t)(int64_t)(int8_t)(uint8_t)v;
  case OP_I64_LOAD16_S: return (uint64_t)(int64_t)(int16_t)(uint16_t)v;
  case OP_I64_LOAD32_S: return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
  default: return v; /* zero-extended as read */
  }
}
