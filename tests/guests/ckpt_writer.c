/* ckpt_writer.c -- a guest that keeps writing its memory, for migration
** tests and bench/snapshot.sh:
**
**   ckpt_writer MIB WRITES RATE
**
** fills MIB MiB with a pattern and prints "filled", then writes WRITES
** blocks of 1 KiB at pseudo-random places, RATE KiB per millisecond of
** the monotonic clock (0: as fast as it can; the clock only paces the
** writes, it changes nothing they write), and prints a checksum of the
** whole memory.  The output depends on the arguments only. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  size_t mib = argc > 1 ? (size_t)atoi(argv[1]) : 64;
  long writes = argc > 2 ? atol(argv[2]) : 3000;
  double rate = argc > 3 ? atof(argv[3]) : 1;
  size_t n = mib << 20, blocks = n >> 10;
  unsigned char *p = malloc(n);
  if (!p || blocks == 0) return 1;
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 7 + (i >> 12));
  printf("filled %zu MiB\n", mib);
  fflush(stdout);
  unsigned long long x = 88172645463325252ull;
  double start = now_ms();
  for (long w = 0; w < writes; w++) {
    if (rate > 0)
      while (now_ms() - start < w / rate) {
      }
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    unsigned char *b = p + (size_t)(x % blocks) * 1024;
    for (int k = 0; k < 1024; k++) b[k] = (unsigned char)(w + k * 3 + (x >> 32));
    if ((w + 1) % 1000 == 0) printf("%ld writes\n", w + 1);
  }
  unsigned long long h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i += 8) {
    unsigned long long v = 0;
    for (int k = 0; k < 8; k++) v |= (unsigned long long)p[i + k] << (8 * k);
    h = (h ^ v) * 1099511628211ull;
  }
  printf("checksum %016llx\n", h);
  return 0;
}
