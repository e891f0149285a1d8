/* ckpt_simd.c -- a SIMD guest for checkpoint tests (built with
** -msimd128): integer and float lane arithmetic on v128 values that live
** in locals and on the operand stack across calls, with a running
** checksum printed as it goes. */
#include <stdio.h>
#include <stdlib.h>
#include <wasm_simd128.h>

/* Called through a pointer, so never inlined (also not by wasm-opt, which
** clang runs after linking): its v128 arguments and result cross a
** call_indirect. */
static v128_t mix(v128_t acc, v128_t x, int round) {
  v128_t t = wasm_i32x4_add(wasm_i32x4_mul(acc, wasm_i32x4_splat(31)), x);
  t = wasm_v128_xor(t, wasm_u32x4_shr(t, (unsigned)(round % 7 + 1)));
  return wasm_i8x16_add_sat(t, wasm_i8x16_swizzle(x, wasm_i8x16_const(15, 14, 13, 12, 11,
                                                                     10, 9, 8, 7, 6, 5, 4,
                                                                     3, 2, 1, 0)));
}

static v128_t (*volatile mix_fn)(v128_t, v128_t, int) = mix;

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 200;
  static float data[256];
  for (int i = 0; i < 256; i++) data[i] = (float)(i % 17) * 0.25f - 1.5f;
  v128_t acc = wasm_i32x4_make(1, 2, 3, 4);
  v128_t facc = wasm_f32x4_splat(0.0f);
  for (int r = 0; r < rounds; r++) {
    v128_t scale = wasm_f32x4_splat(1.0f + (float)(r % 5) / 8.0f);
    for (int i = 0; i < 256; i += 4) {
      v128_t v = wasm_v128_load(&data[i]);
      v = wasm_f32x4_add(wasm_f32x4_mul(v, scale), wasm_f32x4_splat(0.5f));
      v = wasm_f32x4_min(wasm_f32x4_max(v, wasm_f32x4_splat(-4.0f)), wasm_f32x4_splat(4.0f));
      facc = wasm_f32x4_add(facc, v);
      wasm_v128_store(&data[i], wasm_f32x4_nearest(wasm_f32x4_mul(v, wasm_f32x4_splat(7.0f))));
      acc = mix_fn(acc, wasm_i32x4_trunc_sat_f32x4(v), r);
    }
    if (r % 40 == 39)
      printf("round %d: acc %08x %08x %08x %08x, sum %.3f\n", r + 1,
             (unsigned)wasm_i32x4_extract_lane(acc, 0), (unsigned)wasm_i32x4_extract_lane(acc, 1),
             (unsigned)wasm_i32x4_extract_lane(acc, 2), (unsigned)wasm_i32x4_extract_lane(acc, 3),
             (double)(wasm_f32x4_extract_lane(facc, 0) + wasm_f32x4_extract_lane(facc, 1) +
                      wasm_f32x4_extract_lane(facc, 2) + wasm_f32x4_extract_lane(facc, 3)));
  }
  fprintf(stderr, "done: %08x\n", (unsigned)wasm_i32x4_extract_lane(acc, 0));
  return 0;
}
