/*
** interp_simd.h -- the interpreter's cases of the v128 instructions
** (exec/ir.h), included at the end of exec/interp_ops.h, so once per
** switch of the Wasm build's split dispatch, as the other generated
** cases.  One case per group of binary/opcodes_simd.h: it names its
** slots and calls the lane function of the instruction's w operand
** (exec/simd.h, simd_lanes); a scalar result is left in R too.
** Memory instructions check `address + offset + width <= size` as the
** scalar ones do; a trap is reported at the instruction.
*/
#define VS(i) ((uint64_t *)SLOT_PTR(pc[i]))
#define LANE(i) (&simd_lanes[pc[i]]) /* the instruction's, from its w */
/* [d s o w], [s s o w], [d s s o k w], [s s o k w]: the address is the
** first s, the bytes accessed the lane's */
#define V_ADDR(at, off, n) \
  uint64_t ea_ = (uint64_t)(uint32_t)SLOT(at) + pc[off]; \
  if (ea_ + (n) > msize) TRAP(INRO_TRAP_MEMORY_OOB)
OPS_CASE(IR_V_UN) { LANE(3)->fn.un(VS(1), VS(2)); NEXT_AT(4); }
OPS_CASE(IR_V_BIN) { LANE(4)->fn.bin(VS(1), VS(2), VS(3)); NEXT_AT(5); }
OPS_CASE(IR_V_TERN) { LANE(5)->fn.tern(VS(1), VS(2), VS(3), VS(4)); NEXT_AT(6); }
OPS_CASE(IR_V_SHIFT) { LANE(4)->fn.shift(VS(1), VS(2), (uint32_t)SLOT(3)); NEXT_AT(5); }
OPS_CASE(IR_V_SPLAT) { LANE(3)->fn.splat(VS(1), SLOT(2)); NEXT_AT(4); }
OPS_CASE(IR_V_TEST) { r = LANE(3)->fn.test(VS(2)); SLOT(1) = r; NEXT_AT(4); }
OPS_CASE(IR_V_EXTRACT) { r = LANE(4)->fn.extract(VS(2), pc[3]); SLOT(1) = r; NEXT_AT(5); }
OPS_CASE(IR_V_REPLACE) { LANE(5)->fn.replace(VS(1), VS(2), SLOT(3), pc[4]); NEXT_AT(6); }
OPS_CASE(IR_V_SHUFFLE) { LANE(8)->fn.shuffle(VS(1), VS(2), VS(3), pc + 4); NEXT_AT(9); }
OPS_CASE(IR_V_LOAD) {
  const simd_lane *l_ = LANE(4);
  V_ADDR(2, 3, l_->bytes);
  l_->fn.load(VS(1), mbase + ea_);
  NEXT_AT(5);
}
OPS_CASE(IR_V_STORE) {
  const simd_lane *l_ = LANE(4);
  V_ADDR(1, 3, l_->bytes);
  l_->fn.store(mbase + ea_, VS(2));
  NEXT_AT(5);
}
OPS_CASE(IR_V_LOAD_LANE) {
  const simd_lane *l_ = LANE(6);
  V_ADDR(2, 4, l_->bytes);
  l_->fn.load_lane(VS(1), mbase + ea_, VS(3), pc[5]);
  NEXT_AT(7);
}
OPS_CASE(IR_V_STORE_LANE) {
  const simd_lane *l_ = LANE(5);
  V_ADDR(1, 3, l_->bytes);
  l_->fn.store_lane(mbase + ea_, VS(2), pc[4]);
  NEXT_AT(6);
}
#undef LANE
#undef V_ADDR

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
