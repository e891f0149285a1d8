/*
** interp_simd.h -- the interpreter's cases of the v128 instructions
** (exec/ir.h), included at the end of exec/interp_ops.h, so once per
** switch of the Wasm build's split dispatch, as the other generated
** cases.  Each case names its slots and calls the lane function of its
** SEM column (exec/simd.h, exec/simd.c); a scalar result is left in R too.
** Memory instructions check `address + offset + width <= size` as the
** scalar ones do; a trap is reported at the instruction.
*/
#define VS(i) ((uint64_t *)SLOT_PTR(pc[i]))
#define V_UN(fn) { simd_##fn(VS(1), VS(2)); NEXT_AT(3); }
#define V_BIN(fn) { simd_##fn(VS(1), VS(2), VS(3)); NEXT_AT(4); }
#define V_TERN(fn) { simd_##fn(VS(1), VS(2), VS(3), VS(4)); NEXT_AT(5); }
#define V_SHIFT(fn) { simd_##fn(VS(1), VS(2), (uint32_t)SLOT(3)); NEXT_AT(4); }
#define V_SPLAT(fn) { simd_##fn(VS(1), SLOT(2)); NEXT_AT(3); }
#define V_TEST(fn) { r = simd_##fn(VS(2)); SLOT(1) = r; NEXT_AT(3); }
#define V_EXTRACT(fn, lanes) { r = simd_##fn(VS(2), pc[3]); SLOT(1) = r; NEXT_AT(4); }
#define V_REPLACE(fn, lanes) { simd_##fn(VS(1), VS(2), SLOT(3), pc[4]); NEXT_AT(5); }
#define V_SHUFFLE(fn) { simd_##fn(VS(1), VS(2), VS(3), pc + 4); NEXT_AT(8); }
/* [d s o], [s s o], [d s s o k], [s s o k]: the address is the first s */
#define V_ADDR(at, off, n) \
  uint64_t ea_ = (uint64_t)(uint32_t)SLOT(at) + pc[off]; \
  if (ea_ + (n) > msize) TRAP(INRO_TRAP_MEMORY_OOB)
#define V_LOAD(fn, n) { V_ADDR(2, 3, n); simd_##fn(VS(1), mbase + ea_); NEXT_AT(4); }
#define V_STORE(fn, n) { V_ADDR(1, 3, n); simd_##fn(mbase + ea_, VS(2)); NEXT_AT(4); }
#define V_LOAD_LANE(fn, n) { V_ADDR(2, 4, n); simd_##fn(VS(1), mbase + ea_, VS(3), pc[5]); NEXT_AT(6); }
#define V_STORE_LANE(fn, n) { V_ADDR(1, 3, n); simd_##fn(mbase + ea_, VS(2), pc[4]); NEXT_AT(5); }
#define GEN_V(name, code, text, imm, sig, sem) OPS_CASE(IR_##name) sem
  INRO_OPS_SIMD_RUN(GEN_V)
#undef GEN_V
#undef V_UN
#undef V_BIN
#undef V_TERN
#undef V_SHIFT
#undef V_SPLAT
#undef V_TEST
#undef V_EXTRACT
#undef V_REPLACE
#undef V_SHUFFLE
#undef V_ADDR
#undef V_LOAD
#undef V_STORE
#undef V_LOAD_LANE
#undef V_STORE_LANE

/* The hand-written ops that move a v128's two slots. */
OPS_CASE(IR_SELECT_V128) { /* [d a b c] */
  const slot *v_ = (uint32_t)SLOT(4) ? SLOT_PTR(pc[2]) : SLOT_PTR(pc[3]);
  slot lo_ = v_[0], hi_ = v_[1];
  VS(1)[0] = lo_;
  VS(1)[1] = hi_;
  NEXT_AT(5);
}
OPS_CASE(IR_GLOBAL_GET_V128) { /* [d g] */
  const inro_global *g_ = inst->globals[pc[2]];
  VS(1)[0] = g_->value;
  VS(1)[1] = g_->value_hi;
  NEXT_AT(3);
}
OPS_CASE(IR_GLOBAL_SET_V128) { /* [s g] */
  inro_global *g_ = inst->globals[pc[2]];
  g_->value = VS(1)[0];
  g_->value_hi = VS(1)[1];
  NEXT_AT(3);
}
/* Memories other than 0 and 64-bit ones (exec/interp_wasm3.h, LOAD_M). */
OPS_CASE(IR_V128_LOAD_M) { /* [d a v mem off off op lane] */
  const inro_memory *m_ = inst->mems[pc[4]];
  uint64_t a_ = SLOT(2), ea_ = a_ + K64_AT(5);
  unsigned n_ = simd_access_bytes(pc[7]);
  if (ea_ < a_ || ea_ > m_->size || m_->size - ea_ < n_) TRAP(INRO_TRAP_MEMORY_OOB);
  simd_load_m(pc[7], VS(1), m_->data + ea_, VS(3), pc[8]);
  NEXT_AT(9);
}
OPS_CASE(IR_V128_STORE_M) { /* [a v mem off off op lane] */
  inro_memory *m_ = inst->mems[pc[3]];
  uint64_t a_ = SLOT(1), ea_ = a_ + K64_AT(4);
  unsigned n_ = simd_access_bytes(pc[6]);
  if (ea_ < a_ || ea_ > m_->size || m_->size - ea_ < n_) TRAP(INRO_TRAP_MEMORY_OOB);
  simd_store_m(pc[6], m_->data + ea_, VS(2), pc[7]);
  NEXT_AT(8);
}
#undef VS
