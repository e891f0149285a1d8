/*
** simd_test.c -- the lane functions of the v128 instructions (simd_* of
** exec/simd.c) against their portable C forms (simd_c_* of
** exec/simd_c.h), on edge vectors and pseudo-random ones.
**
** The portable forms here are built with SIMD_LE 0: lanes assembled
** byte by byte, as on a big-endian host.  Natively simd_* are the same C
** with the lane arrays of a little-endian host (which the compiler
** vectorizes), so the test compares the two ways of reading lanes.
** Built to Wasm with inro.wasm's self-hosting flags
** (build/wasm/simd_test.wasm, mk/wasm.mk), simd_* are the host's own v128
** instructions, and the test runs on node, on inro and on inro.wasm: each
** host's SIMD is compared with the portable C, which there runs as scalar
** code.  Float results match when their bits
** do, or when both are NaN and the result is quiet (Wasm leaves the NaN
** open).  Prints a line per failing case (at most 20), and "N passed, M
** failed" at the end, counting functions.
*/
#include <stdio.h>
#include <string.h>

#define SIMD_LE 0 /* the byte-by-byte forms (exec/simd_c.h) */
#include "exec/simd.h"
#include "exec/simd_c.h"

static long passed, failed, failed_cases;
static int current_failed;

/* -------------------------------------------------------------- inputs */

static uint64_t state = 0x243F6A8885A308D3ull;
static uint64_t next(void) {
  state ^= state << 13, state ^= state >> 7, state ^= state << 17;
  return state;
}

enum { NVEC = 64, RANDOM_PAIRS = 400 };
static uint64_t vecs[NVEC][2];

/* Lane values that matter: zeros, signs, saturation bounds, float
** specials (NaN with payloads, signalling, infinities, -0, subnormals,
** the bounds of the float-to-int conversions). */
static void make_vectors(void) {
  static const uint32_t f32s[] = {
    0x00000000u, 0x80000000u, 0x3F800000u, 0xBF800000u, 0x7F800000u, 0xFF800000u,
    0x7FC00000u, 0xFFC00000u, 0x7FA00000u, 0x7FC12345u, 0x00000001u, 0x807FFFFFu,
    0x4F000000u, 0xCF000000u, 0x4F800000u, 0x3F000000u, 0x3FC00000u, 0xC0200000u,
    0x7F7FFFFFu, 0x4B000001u};
  static const uint64_t f64s[] = {
    0, 0x8000000000000000ull, 0x3FF0000000000000ull, 0xBFF0000000000000ull,
    0x7FF0000000000000ull, 0xFFF0000000000000ull, 0x7FF8000000000000ull,
    0xFFF8000000000000ull, 0x7FF4000000000000ull, 0x7FF8000012345678ull, 1,
    0x41E0000000000000ull, 0xC1E0000000200000ull, 0x41EFFFFFFFE00000ull,
    0x41F0000000000000ull, 0x3FE0000000000000ull, 0x3FF8000000000000ull,
    0x47EFFFFFE0000000ull, 0x47EFFFFFF0000000ull, 0x36A0000000000000ull};
  static const uint64_t ints[] = {
    0, ~0ull, 0x8080808080808080ull, 0x7F7F7F7F7F7F7F7Full, 0x8000800080008000ull,
    0x7FFF7FFF7FFF7FFFull, 0x0001000200030004ull, 0x00FF00FF00FF00FFull,
    0x8000000080000000ull, 0x7FFFFFFF7FFFFFFFull, 0x0102030405060708ull,
    0x0F1E2D3C4B5A6978ull};
  size_t n = 0;
  size_t nf = sizeof f32s / sizeof *f32s, nd = sizeof f64s / sizeof *f64s;
  size_t ni = sizeof ints / sizeof *ints;
  for (size_t i = 0; i < nf; i += 2) { /* four float lanes each */
    vecs[n][0] = f32s[i] | (uint64_t)f32s[(i + 1) % nf] << 32;
    vecs[n][1] = f32s[(i + 7) % nf] | (uint64_t)f32s[(i + 13) % nf] << 32;
    n++;
  }
  for (size_t i = 0; i < nd; i += 2, n++) vecs[n][0] = f64s[i], vecs[n][1] = f64s[(i + 5) % nd];
  for (size_t i = 0; i < ni; i++, n++) vecs[n][0] = ints[i], vecs[n][1] = ints[(i + 3) % ni];
  while (n < NVEC) vecs[n][0] = next(), vecs[n][1] = next(), n++;
}

/* --------------------------------------------------------------- checks */

/* Float lanes of `bits` bits (0: an integer result, exact). */
static unsigned float_bits(const char *name) {
  if (!strncmp(name, "f32x4", 5)) return 32;
  if (!strncmp(name, "f64x2", 5)) return 64;
  return 0;
}

static int same(const char *name, const uint64_t *got, const uint64_t *want) {
  if (got[0] == want[0] && got[1] == want[1]) return 1;
  unsigned bits = float_bits(name);
  if (!bits) return 0;
  for (unsigned h = 0; h < 2; h++)
    for (unsigned s = 0; s < 64; s += bits) {
      uint64_t mask = bits == 64 ? ~0ull : 0xFFFFFFFFull;
      uint64_t g = got[h] >> s & mask, w = want[h] >> s & mask;
      uint64_t exp = bits == 64 ? 0x7FF0000000000000ull : 0x7F800000u;
      uint64_t quiet = bits == 64 ? 0x0008000000000000ull : 0x00400000u;
      int g_nan = (g & exp) == exp && (g & (exp ^ (mask >> 1))) != 0;
      int w_nan = (w & exp) == exp && (w & (exp ^ (mask >> 1))) != 0;
      if (g == w || (g_nan && w_nan && (g & quiet))) continue;
      return 0;
    }
  return 1;
}

static void report(const char *name, const uint64_t *a, const uint64_t *b,
                   const uint64_t *got, const uint64_t *want) {
  current_failed = 1;
  if (++failed_cases > 20) return;
  printf("FAIL: %s(%016llx%016llx, %016llx%016llx) = %016llx%016llx, portable %016llx%016llx\n",
         name, (unsigned long long)a[1], (unsigned long long)a[0],
         (unsigned long long)(b ? b[1] : 0), (unsigned long long)(b ? b[0] : 0),
         (unsigned long long)got[1], (unsigned long long)got[0],
         (unsigned long long)want[1], (unsigned long long)want[0]);
}

static void check(const char *name, const uint64_t *a, const uint64_t *b,
                  const uint64_t *got, const uint64_t *want) {
  if (!same(name, got, want)) report(name, a, b, got, want);
}

static void done(const char *name) {
  (void)name;
  if (current_failed) failed++;
  else passed++;
  current_failed = 0;
}

/* --------------------------------------------------------------- shapes */

typedef void un_fn(uint64_t *, const uint64_t *);
typedef void bin_fn(uint64_t *, const uint64_t *, const uint64_t *);
typedef void tern_fn(uint64_t *, const uint64_t *, const uint64_t *, const uint64_t *);
typedef void shift_fn(uint64_t *, const uint64_t *, uint32_t);
typedef void splat_fn(uint64_t *, uint64_t);
typedef uint32_t test_fn(const uint64_t *);
typedef uint64_t extract_fn(const uint64_t *, uint32_t);
typedef void replace_fn(uint64_t *, const uint64_t *, uint64_t, uint32_t);
typedef void shuffle_fn(uint64_t *, const uint64_t *, const uint64_t *, const uint32_t *);
typedef void load_fn(uint64_t *, const uint8_t *);
typedef void store_fn(uint8_t *, const uint64_t *);
typedef void load_lane_fn(uint64_t *, const uint8_t *, const uint64_t *, uint32_t);
typedef void store_lane_fn(uint8_t *, const uint64_t *, uint32_t);

static void test_un(const char *name, un_fn *f, un_fn *g) {
  for (int i = 0; i < NVEC; i++) {
    uint64_t x[2], y[2];
    f(x, vecs[i]);
    g(y, vecs[i]);
    check(name, vecs[i], NULL, x, y);
  }
  done(name);
}

static void test_bin(const char *name, bin_fn *f, bin_fn *g) {
  uint64_t x[2], y[2];
  for (int i = 0; i < NVEC; i++)
    for (int k = 0; k < NVEC; k++) {
      f(x, vecs[i], vecs[k]);
      g(y, vecs[i], vecs[k]);
      check(name, vecs[i], vecs[k], x, y);
    }
  for (int i = 0; i < RANDOM_PAIRS; i++) {
    uint64_t a[2] = {next(), next()}, b[2] = {next(), next()};
    f(x, a, b);
    g(y, a, b);
    check(name, a, b, x, y);
  }
  done(name);
}

static void test_tern(const char *name, tern_fn *f, tern_fn *g) {
  uint64_t x[2], y[2];
  for (int i = 0; i < NVEC; i++)
    for (int k = 0; k < NVEC; k++) {
      const uint64_t *c = vecs[(i * 7 + k) % NVEC];
      f(x, vecs[i], vecs[k], c);
      g(y, vecs[i], vecs[k], c);
      check(name, vecs[i], vecs[k], x, y);
    }
  done(name);
}

static void test_shift(const char *name, shift_fn *f, shift_fn *g) {
  for (int i = 0; i < NVEC; i++)
    for (uint32_t n = 0; n < 70; n++) {
      uint32_t count = n < 66 ? n : (uint32_t)next();
      uint64_t x[2], y[2];
      f(x, vecs[i], count);
      g(y, vecs[i], count);
      check(name, vecs[i], NULL, x, y);
    }
  done(name);
}

static void test_splat(const char *name, splat_fn *f, splat_fn *g) {
  for (int i = 0; i < NVEC; i++)
    for (int h = 0; h < 2; h++) {
      uint64_t x[2], y[2];
      f(x, vecs[i][h]);
      g(y, vecs[i][h]);
      check(name, vecs[i], NULL, x, y);
    }
  done(name);
}

static void test_test(const char *name, test_fn *f, test_fn *g) {
  for (int i = 0; i < NVEC; i++) {
    uint64_t x[2] = {f(vecs[i]), 0}, y[2] = {g(vecs[i]), 0};
    check(name, vecs[i], NULL, x, y);
  }
  done(name);
}

static void test_extract(const char *name, extract_fn *f, extract_fn *g, uint32_t lanes) {
  for (int i = 0; i < NVEC; i++)
    for (uint32_t l = 0; l < lanes; l++) {
      uint64_t x[2] = {f(vecs[i], l), 0}, y[2] = {g(vecs[i], l), 0};
      check(name, vecs[i], NULL, x, y);
    }
  done(name);
}

static void test_replace(const char *name, replace_fn *f, replace_fn *g, uint32_t lanes) {
  for (int i = 0; i < NVEC; i++)
    for (uint32_t l = 0; l < lanes; l++) {
      uint64_t x[2], y[2], s = vecs[(i + 1) % NVEC][0];
      f(x, vecs[i], s, l);
      g(y, vecs[i], s, l);
      check(name, vecs[i], NULL, x, y);
    }
  done(name);
}

static void test_shuffle(const char *name, shuffle_fn *f, shuffle_fn *g) {
  for (int i = 0; i < 2000; i++) {
    uint32_t idx[4];
    for (int k = 0; k < 4; k++) idx[k] = (uint32_t)next() & 0x1F1F1F1Fu;
    const uint64_t *a = vecs[i % NVEC], *b = vecs[(i / NVEC) % NVEC];
    uint64_t x[2], y[2];
    f(x, a, b, idx);
    g(y, a, b, idx);
    check(name, a, b, x, y);
  }
  done(name);
}

static uint8_t memory[64];

static void random_memory(int i) {
  for (size_t k = 0; k < sizeof memory; k++)
    memory[k] = (uint8_t)(i < NVEC ? vecs[i][k / 8 % 2] >> (8 * (k % 8)) : next());
}

static void test_load(const char *name, load_fn *f, load_fn *g) {
  for (int i = 0; i < 2 * NVEC; i++) {
    random_memory(i);
    for (int at = 0; at < 16; at += 3) {
      uint64_t x[2], y[2];
      f(x, memory + at);
      g(y, memory + at);
      check(name, x, NULL, x, y);
    }
  }
  done(name);
}

static void test_store(const char *name, store_fn *f, store_fn *g) {
  for (int i = 0; i < NVEC; i++) {
    uint8_t x[16], y[16];
    f(x, vecs[i]);
    g(y, vecs[i]);
    uint64_t gx[2], gy[2];
    memcpy(gx, x, 16);
    memcpy(gy, y, 16);
    check(name, vecs[i], NULL, gx, gy);
  }
  done(name);
}

static void test_load_lane(const char *name, load_lane_fn *f, load_lane_fn *g, uint32_t bytes) {
  for (int i = 0; i < NVEC; i++) {
    random_memory(NVEC + i);
    for (uint32_t l = 0; l < 16 / bytes; l++) {
      uint64_t x[2], y[2];
      f(x, memory + l, vecs[i], l);
      g(y, memory + l, vecs[i], l);
      check(name, vecs[i], NULL, x, y);
    }
  }
  done(name);
}

static void test_store_lane(const char *name, store_lane_fn *f, store_lane_fn *g, uint32_t bytes) {
  for (int i = 0; i < NVEC; i++)
    for (uint32_t l = 0; l < 16 / bytes; l++) {
      uint8_t x[16] = {0}, y[16] = {0};
      f(x + 3, vecs[i], l);
      g(y + 3, vecs[i], l);
      uint64_t gx[2], gy[2];
      memcpy(gx, x, 16);
      memcpy(gy, y, 16);
      check(name, vecs[i], NULL, gx, gy);
    }
  done(name);
}

/* Every lane function of the opcode table, by its shape. */
#define V_UN(fn) test_un(#fn, simd_##fn, simd_c_##fn);
#define V_BIN(fn) test_bin(#fn, simd_##fn, simd_c_##fn);
#define V_TERN(fn) test_tern(#fn, simd_##fn, simd_c_##fn);
#define V_SHIFT(fn) test_shift(#fn, simd_##fn, simd_c_##fn);
#define V_SPLAT(fn) test_splat(#fn, simd_##fn, simd_c_##fn);
#define V_TEST(fn) test_test(#fn, simd_##fn, simd_c_##fn);
#define V_EXTRACT(fn, lanes) test_extract(#fn, simd_##fn, simd_c_##fn, lanes);
#define V_REPLACE(fn, lanes) test_replace(#fn, simd_##fn, simd_c_##fn, lanes);
#define V_SHUFFLE(fn) test_shuffle(#fn, simd_##fn, simd_c_##fn);
#define V_LOAD(fn, bytes) test_load(#fn, simd_##fn, simd_c_##fn);
#define V_STORE(fn, bytes) test_store(#fn, simd_##fn, simd_c_##fn);
#define V_LOAD_LANE(fn, bytes) test_load_lane(#fn, simd_##fn, simd_c_##fn, bytes);
#define V_STORE_LANE(fn, bytes) test_store_lane(#fn, simd_##fn, simd_c_##fn, bytes);
#define TEST_ROW(name, code, text, imm, sig, sem) sem

int main(void) {
  make_vectors();
  INRO_OPS_SIMD_RUN(TEST_ROW)
  printf("lane functions: %s\n", simd_host ? "the host's v128 instructions" : "portable C");
  printf("%ld passed, %ld failed\n", passed, failed);
  return failed != 0;
}
