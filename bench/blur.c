/* blur.c -- an image filter: a 3x3 binomial blur ([1 2 1] down, then
** across, rounded) of an 8-bit grey image, applied again and again, then a
** checksum.  Built twice (mk/bench.mk): scalar, as build/bench/blur.wasm,
** and with -msimd128 as build/bench/blur_simd.wasm, where the filter works
** on 16 pixels at a time with wasm_simd128.h.  Both print the same.
**
**   blur [SIZE [PASSES]]   SIZE x SIZE pixels (a multiple of 16) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#ifdef __wasm_simd128__
/* (a + 2 * b + c + 2) / 4 for 16 pixels, in 16-bit lanes. */
static v128_t blur16(v128_t va, v128_t vb, v128_t vc) {
  v128_t lo = wasm_i16x8_add(wasm_i16x8_add(wasm_u16x8_extend_low_u8x16(va),
                                            wasm_u16x8_extend_low_u8x16(vc)),
                             wasm_i16x8_shl(wasm_u16x8_extend_low_u8x16(vb), 1));
  v128_t hi = wasm_i16x8_add(wasm_i16x8_add(wasm_u16x8_extend_high_u8x16(va),
                                            wasm_u16x8_extend_high_u8x16(vc)),
                             wasm_i16x8_shl(wasm_u16x8_extend_high_u8x16(vb), 1));
  v128_t two = wasm_i16x8_splat(2);
  lo = wasm_u16x8_shr(wasm_i16x8_add(lo, two), 2);
  hi = wasm_u16x8_shr(wasm_i16x8_add(hi, two), 2);
  return wasm_u8x16_narrow_i16x8(lo, hi);
}
#endif

/* One pass down: row y of dst = (above + 2 * row + below + 2) / 4; the
** first and last rows stay. */
static void blur_down(uint8_t *dst, const uint8_t *src, int w, int h) {
  for (int x = 0; x < w; x++) dst[x] = src[x], dst[(h - 1) * w + x] = src[(h - 1) * w + x];
  for (int y = 1; y < h - 1; y++) {
    const uint8_t *a = src + (y - 1) * w, *b = a + w, *c = b + w;
    uint8_t *d = dst + y * w;
#ifdef __wasm_simd128__
    for (int x = 0; x < w; x += 16) {
      v128_t va = wasm_v128_load(a + x), vb = wasm_v128_load(b + x), vc = wasm_v128_load(c + x);
      wasm_v128_store(d + x, blur16(va, vb, vc));
    }
#else
    for (int x = 0; x < w; x++) d[x] = (uint8_t)((a[x] + 2 * b[x] + c[x] + 2) >> 2);
#endif
  }
}

/* One pass across: the first and last columns stay. */
static void blur_across(uint8_t *dst, const uint8_t *src, int w, int h) {
  for (int y = 0; y < h; y++) {
    const uint8_t *s = src + y * w;
    uint8_t *d = dst + y * w;
    d[0] = s[0];
    d[w - 1] = s[w - 1];
#ifdef __wasm_simd128__
    int x = 1;
    for (; x + 16 <= w - 1; x += 16) {
      v128_t va = wasm_v128_load(s + x - 1), vb = wasm_v128_load(s + x),
             vc = wasm_v128_load(s + x + 1);
      wasm_v128_store(d + x, blur16(va, vb, vc));
    }
    for (; x < w - 1; x++) d[x] = (uint8_t)((s[x - 1] + 2 * s[x] + s[x + 1] + 2) >> 2);
#else
    for (int x = 1; x < w - 1; x++) d[x] = (uint8_t)((s[x - 1] + 2 * s[x] + s[x + 1] + 2) >> 2);
#endif
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 512, passes = argc > 2 ? atoi(argv[2]) : 20;
  if (n < 16 || n % 16) {
    fprintf(stderr, "blur: SIZE must be a multiple of 16\n");
    return 2;
  }
  uint8_t *img = malloc((size_t)n * n), *tmp = malloc((size_t)n * n);
  if (!img || !tmp) return 1;
  uint32_t r = 12345;
  for (int i = 0; i < n * n; i++) { /* noise over a gradient */
    r = r * 1103515245u + 12345u;
    img[i] = (uint8_t)((i % n) * 255 / n / 2 + (r >> 25));
  }
  for (int p = 0; p < passes; p++) {
    blur_down(tmp, img, n, n);
    blur_across(img, tmp, n, n);
  }
  uint32_t sum = 0;
  for (int i = 0; i < n * n; i++) sum = sum * 31 + img[i];
  printf("blur %dx%d, %d passes: checksum %08x, centre %u\n", n, n, passes, (unsigned)sum,
         (unsigned)img[n / 2 * n + n / 2]);
  free(img);
  free(tmp);
  return 0;
}
