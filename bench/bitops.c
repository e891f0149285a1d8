/*
** bitops.c -- benchmark: the bit-level integer work of hashing,
** compression and allocators (count leading and trailing zeros,
** population count, rotations, arithmetic right shifts) and float
** rounding, on a xorshift sequence.
**
**   bitops [N]            (default 10000000)
**
** Prints a histogram of bit lengths and the sums of the rest (the
** checksum).
*/
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000000L;
  uint32_t x = 2463534242u, hash = 0, lengths[33] = {0};
  int64_t sum = 0;
  double rounded = 0.0;
  for (long i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    uint32_t v = x >> (x & 31); /* all magnitudes */
    lengths[v ? 32 - __builtin_clz(v) : 0]++;
    sum += v ? __builtin_ctz(v) : 32;
    sum += __builtin_popcount(v);
    sum += (int32_t)x >> (v & 31); /* arithmetic: gcc and clang */
    hash = (hash ^ v) * 0x9E3779B1u;
    hash = hash << 15 | hash >> 17;
    double d = (double)(int32_t)x * (1.0 / 65536.0);
    rounded += floor(d) - nearbyint(d * 0.5);
  }
  uint64_t bits;
  memcpy(&bits, &rounded, sizeof bits);
  printf("bitops %ld:", n);
  for (int k = 0; k <= 32; k++) printf(" %" PRIu32, lengths[k]);
  printf("\nsum %" PRId64 " hash %08" PRIx32 " rounded %016" PRIx64 "\n", sum, hash, bits);
  return 0;
}
