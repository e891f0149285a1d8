/* bigmem.c -- a guest with 64 MiB of live linear memory, for the snapshot
** benchmark (bench/snapshot.sh): fill it, say "filled", wait argv[2]
** milliseconds (default 0) on the monotonic clock, then checksum it in
** passes (argv[1], default 4) and print the checksum.  The wait lets a
** checkpoint be taken while the guest has nothing left to do once the
** clock has moved on, so a restore's time is the restore's alone; it
** changes nothing in the output. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 4;
  double wait = argc > 2 ? atof(argv[2]) : 0;
  size_t n = (size_t)64 << 20;
  unsigned char *p = malloc(n);
  if (!p) return 1;
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 7 + (i >> 12));
  printf("filled\n");
  fflush(stdout);
  double until = now_ms() + wait;
  while (now_ms() < until) {
  }
  unsigned long long sum = 0;
  for (int k = 0; k < passes; k++)
    for (size_t i = 0; i < n; i += 8) sum = sum * 31 + p[i] + k;
  printf("checksum %016llx\n", sum);
  return 0;
}
