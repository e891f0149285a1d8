/*
** transpose.c -- benchmark: memory traffic.  Two N x N matrices of 32-bit
** words (8 MiB for N = 1024); each round transposes one into the other
** naively (one side strided, cache-hostile), then makes a sequential
** prefix-sum pass over it.
**
**   transpose [N [ROUNDS]]   (default 1024 8)
**
** Prints a hash of the final matrix (the checksum).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1024;
  int rounds = argc > 2 ? atoi(argv[2]) : 8;
  if (n < 1 || n > 8192) return 2;
  uint32_t *a = malloc((size_t)(n * n) * sizeof *a);
  uint32_t *b = malloc((size_t)(n * n) * sizeof *b);
  if (!a || !b) return 1;
  for (long i = 0; i < n * n; i++) a[i] = (uint32_t)i * 2654435761u;
  for (int r = 0; r < rounds; r++) {
    for (long i = 0; i < n; i++)
      for (long j = 0; j < n; j++) b[j * n + i] = a[i * n + j] ^ (uint32_t)r;
    uint32_t run = 0;
    for (long i = 0; i < n * n; i++) { run += b[i]; a[i] = run; }
  }
  uint32_t h = 0;
  for (long i = 0; i < n * n; i++) h = h * 31 + a[i];
  printf("transpose %ldx%ld, %d rounds: hash %08x\n", n, n, rounds, (unsigned)h);
  free(a);
  free(b);
  return 0;
}
