/*
** interp_hot.h -- the instructions whose generated cases stay in the main
** switch of the Wasm build's split dispatch (exec/interp.c).  Any other
** instruction costs one more br_table there.  These are the 170 with the
** largest share of executed instructions, averaged over 13 runs counted
** by a native switch build: the bench/ programs; inro.wasm itself running
** fib, mandelbrot, nbody and hashsort, and starting up; and wasm3
** compiled to Wasm running fib and mandelbrot.  (Stores and unary
** operators on locals, added later, replaced the 7 least used, by the
** same count over the bench/ programs and inro.wasm running mandelbrot.
** Later again the six most used LS and IX forms replaced five SL loads
** that now run as IX or not at all and i32.load_LT, now IR_SWITCH_LT,
** counted the same way.  F64_ADD_M and F64_SUB_M, the stored sums of
** nbody, replaced two loads that none of the bench/ programs runs.)
*/
#define HOT_OPS(X) \
  X(I32_LOAD) X(I64_LOAD) X(F64_LOAD) X(I32_LOAD8_U) X(I32_LOAD16_U) \
  X(I64_LOAD32_U) X(I32_STORE) X(I64_STORE) X(F64_STORE) X(I32_STORE8) \
  X(I32_STORE16) X(I64_STORE32) X(I32_EQZ) X(F64_SQRT) X(I32_WRAP_I64) \
  X(I64_EXTEND_I32_U) X(F64_CONVERT_I32_U) X(I32_EQ) X(I32_LT_U) X(I32_GT_U) \
  X(F64_LE) X(I32_ADD) X(I32_SUB) X(I32_MUL) X(I32_AND) X(I32_OR) X(I32_XOR) \
  X(I32_SHL) X(I32_SHR_U) X(I64_ADD) X(I64_SHL) X(F64_ADD) X(F64_SUB) \
  X(F64_MUL) X(F64_DIV) X(I32_EQ_LC) X(I32_EQ_SC) X(I32_LT_S_LL) \
  X(I32_LT_U_LL) X(I32_GT_S_LC_S) X(I32_GT_U_LL) X(I32_ADD_LL) X(I32_ADD_LC) \
  X(I32_ADD_SL) X(I32_ADD_SC) X(I32_ADD_LL_S) X(I32_ADD_LC_S) X(I32_ADD_SL_S) \
  X(I32_ADD_SC_S) X(I32_ADD_S) X(I32_ADD_LL_T) X(I32_ADD_LC_T) \
  X(I32_ADD_SL_T) X(I32_ADD_SC_T) X(I32_ADD_T) X(I32_SUB_LL) X(I32_SUB_SL) \
  X(I32_SUB_S) X(I32_SUB_LL_T) X(I32_SUB_SL_T) X(I32_SUB_SC_T) X(I32_MUL_LC) \
  X(I32_MUL_SC) X(I32_MUL_SC_S) X(I32_MUL_SC_T) X(I32_AND_LC) X(I32_AND_SC) \
  X(I32_AND_LC_S) X(I32_AND_SC_S) X(I32_AND_LC_T) X(I32_AND_SC_T) \
  X(I32_OR_LC) X(I32_OR_SL) X(I32_OR_SC) X(I32_OR_SC_S) X(I32_OR_S) \
  X(I32_OR_SC_T) X(I32_XOR_LL) X(I32_XOR_SL) X(I32_XOR_SC) X(I32_XOR_SL_S) \
  X(I32_SHL_LC) X(I32_SHL_SC) X(I32_SHL_SL_T) X(I32_SHL_SC_T) X(I32_SHR_S_SC) \
  X(I32_SHR_U_LC) X(I32_SHR_U_SC) X(I64_ADD_SC) X(I64_ADD_T) X(I64_AND_SC) \
  X(I64_OR_SL_S) X(F64_ADD_SC) X(F64_ADD_LL_S) X(F64_ADD_SC_S) X(F64_ADD_S) \
  X(F64_ADD_T) X(F64_SUB_LL) X(F64_SUB_T) X(F64_MUL_LL) X(F64_MUL_SL) \
  X(F64_MUL_SC) X(F64_MUL_LL_T) X(F64_MUL_SL_T) X(F64_MUL_T) X(F64_DIV_SL) \
  X(F64_DIV_T) X(I32_EQ_LL_J) X(I32_EQ_LC_J) X(I32_EQ_SL_J) X(I32_EQ_SC_J) \
  X(I32_EQ_SS_J) X(I32_NE_LL_J) X(I32_NE_LC_J) X(I32_NE_SL_J) X(I32_NE_SC_J) \
  X(I32_NE_SS_J) X(I32_LT_S_LC_J) X(I32_LT_S_SC_J) X(I32_LT_U_LL_J) \
  X(I32_LT_U_LC_J) X(I32_LT_U_SL_J) X(I32_LT_U_SC_J) X(I32_LT_U_SS_J) \
  X(I32_GT_S_LC_J) X(I32_GT_S_SC_J) X(I32_GT_S_SS_J) X(I32_GT_U_LL_J) \
  X(I32_GT_U_LC_J) X(I32_GT_U_SC_J) X(I32_GT_U_SS_J) X(I32_LE_U_SL_J) \
  X(I32_LE_U_SC_J) X(I32_LE_U_SS_J) X(I32_GE_S_LL_J) X(I32_GE_S_SC_J) \
  X(I32_GE_S_SS_J) X(I32_GE_U_SL_J) X(I32_GE_U_SS_J) X(I64_LE_U_SL_J) \
  X(F64_LE_SC_J) X(I32_LOAD_LC) X(F64_ADD_LS_T) X(I32_LOAD_SC) X(I32_LOAD_L) \
  X(F64_ADD_LS_S) X(I64_LOAD_LC) X(F64_LOAD_IX) X(I64_LOAD_L) X(F64_LOAD_LC) \
  X(I64_LOAD_IX) X(F64_LOAD_L) X(F64_SUB_M) X(I32_LOAD8_S_L) \
  X(I32_LOAD8_U_LC) X(I32_ADD_LS_S) X(I32_LOAD8_U_SC) X(I32_LOAD8_U_L) \
  X(F64_ADD_M) X(I32_LOAD16_U_L) X(I64_LOAD32_U_LC) X(I32_LOAD_IX) \
  X(I64_LOAD32_U_L) X(F64_CONVERT_I32_U_L) X(I64_STORE_SL) X(I32_STORE_SL) \
  X(I32_STORE_LL) X(F64_STORE_SL) X(F64_SQRT_L) X(I64_STORE_LL)
