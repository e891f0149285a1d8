/*
** testlib.h -- what the C tests share: the counters of checks, a check
** that reports its failure in one line ("FAIL: WHAT"), and a seeded
** pseudo-random sequence (xorshift64*), the same on every run and host.
** The test prints "N passed, M failed" last.
*/
#ifndef INRO_TESTS_TESTLIB_H
#define INRO_TESTS_TESTLIB_H
#include <stdint.h>
#include <stdio.h>

static int passed, failed;

static inline void check(int ok, const char *what) {
  if (ok) passed++;
  else {
    failed++;
    printf("FAIL: %s\n", what);
  }
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static inline uint64_t next(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}

#endif
