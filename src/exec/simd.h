/*
** simd.h -- the lane functions of the v128 instructions, one per name in
** the SEM column of binary/opcodes_simd.h (V_BIN(i8x16_add) is
** simd_i8x16_add), which the interpreter's cases call through simd_lanes
** (exec/interp_simd.h).
**
** Vectors are passed as pointers to their two frame slots (exec/ir.h); a
** result may be written over an operand.  Memory functions get a pointer
** to the checked address.  exec/simd.c defines them: portable C
** (exec/simd_c.h), or the host's own instruction where inro is built for
** a Wasm host with SIMD (the self-hosting profile, docs/performance.md).
** Kept out of exec/interp.c so that it stays quick to compile.
*/
#ifndef INRO_SIMD_H
#define INRO_SIMD_H

#include <stdint.h>

#include "binary/opcodes.h"

#define V_UN(fn) void simd_##fn(uint64_t *d, const uint64_t *a);
#define V_BIN(fn) void simd_##fn(uint64_t *d, const uint64_t *a, const uint64_t *b);
#define V_TERN(fn) \
  void simd_##fn(uint64_t *d, const uint64_t *a, const uint64_t *b, const uint64_t *c);
#define V_SHIFT(fn) void simd_##fn(uint64_t *d, const uint64_t *a, uint32_t count);
#define V_SPLAT(fn) void simd_##fn(uint64_t *d, uint64_t x);
#define V_TEST(fn) uint32_t simd_##fn(const uint64_t *a);
#define V_EXTRACT(fn, lanes) uint64_t simd_##fn(const uint64_t *a, uint32_t lane);
#define V_REPLACE(fn, lanes) \
  void simd_##fn(uint64_t *d, const uint64_t *a, uint64_t x, uint32_t lane);
/* The 16 lane indices in four words, index i in byte i % 4 of word i / 4. */
#define V_SHUFFLE(fn) \
  void simd_##fn(uint64_t *d, const uint64_t *a, const uint64_t *b, const uint32_t *idx);
#define V_LOAD(fn, bytes) void simd_##fn(uint64_t *d, const uint8_t *p);
#define V_STORE(fn, bytes) void simd_##fn(uint8_t *p, const uint64_t *a);
#define V_LOAD_LANE(fn, bytes) \
  void simd_##fn(uint64_t *d, const uint8_t *p, const uint64_t *a, uint32_t lane);
#define V_STORE_LANE(fn, bytes) void simd_##fn(uint8_t *p, const uint64_t *a, uint32_t lane);
#define SIMD_DECLARE(name, code, text, imm, sig, sem) sem
INRO_OPS_SIMD_RUN(SIMD_DECLARE)
#undef SIMD_DECLARE
#undef V_UN
#undef V_BIN
#undef V_TERN
#undef V_SHIFT
#undef V_SPLAT
#undef V_TEST
#undef V_EXTRACT
#undef V_REPLACE
#undef V_SHUFFLE
#undef V_LOAD
#undef V_STORE
#undef V_LOAD_LANE
#undef V_STORE_LANE

/* Each v128 instruction's lane function, by its opcode-table op less
** OP_SIMD_FIRST (the w operand of its group's IR op, exec/ir.h), in its
** group's member of fn, and the bytes a memory instruction accesses. */
typedef struct simd_lane {
  union {
    void (*un)(uint64_t *d, const uint64_t *a);
    void (*bin)(uint64_t *d, const uint64_t *a, const uint64_t *b);
    void (*tern)(uint64_t *d, const uint64_t *a, const uint64_t *b, const uint64_t *c);
    void (*shift)(uint64_t *d, const uint64_t *a, uint32_t count);
    void (*splat)(uint64_t *d, uint64_t x);
    uint32_t (*test)(const uint64_t *a);
    uint64_t (*extract)(const uint64_t *a, uint32_t lane);
    void (*replace)(uint64_t *d, const uint64_t *a, uint64_t x, uint32_t lane);
    void (*shuffle)(uint64_t *d, const uint64_t *a, const uint64_t *b, const uint32_t *idx);
    void (*load)(uint64_t *d, const uint8_t *p);
    void (*store)(uint8_t *p, const uint64_t *a);
    void (*load_lane)(uint64_t *d, const uint8_t *p, const uint64_t *a, uint32_t lane);
    void (*store_lane)(uint8_t *p, const uint64_t *a, uint32_t lane);
  } fn;
  uint32_t bytes;
} simd_lane;
extern const simd_lane simd_lanes[OP_COUNT - OP_SIMD_FIRST];

/* The loads and stores of the general forms V128_LOAD_M and
** V128_STORE_M (exec/ir.h), which name the instruction by its
** opcode-table op: the bytes it accesses, and the access at the checked
** address p (a: the vector operand of a lane instruction). */
unsigned simd_access_bytes(unsigned op);
void simd_load_m(unsigned op, uint64_t *d, const uint8_t *p, const uint64_t *a, uint32_t lane);
void simd_store_m(unsigned op, uint8_t *p, const uint64_t *a, uint32_t lane);

/* 1 when the lane functions are the host's own v128 instructions. */
extern const int simd_host;

#endif
