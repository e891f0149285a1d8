/*
** primes.c -- the guest of examples/embed.c: counts the primes below N,
** one block of numbers at a time, and reports each block to its host.
**
**   primes N        (environment: BLOCK, the block size, default 10000)
**
** After each block it prints a line to stdout, appends the same line to
** /out/primes.txt (a preopened directory), and calls the host's
** host.progress(done, found), which the embedder uses to decide when to
** checkpoint.  The last line is "primes below N: COUNT".
*/
#include <stdio.h>
#include <stdlib.h>

__attribute__((import_module("host"), import_name("progress")))
void host_progress(unsigned done, unsigned found);

static int is_prime(unsigned n) {
  if (n < 2) return 0;
  for (unsigned d = 2; d * d <= n; d++)
    if (n % d == 0) return 0;
  return 1;
}

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100000;
  const char *b = getenv("BLOCK");
  unsigned block = b ? (unsigned)strtoul(b, NULL, 10) : 10000;
  if (block == 0) block = 10000;
  FILE *log = fopen("/out/primes.txt", "w");
  if (!log) {
    perror("/out/primes.txt");
    return 1;
  }
  unsigned found = 0;
  for (unsigned lo = 0; lo < n; lo += block) {
    unsigned hi = n - lo < block ? n : lo + block;
    unsigned here = 0;
    for (unsigned k = lo; k < hi; k++) here += (unsigned)is_prime(k);
    found += here;
    printf("[%u, %u): %u primes\n", lo, hi, here);
    fprintf(log, "[%u, %u): %u primes\n", lo, hi, here);
    fflush(stdout);
    fflush(log);
    host_progress(hi, found);
  }
  printf("primes below %u: %u\n", n, found);
  fclose(log);
  return 0;
}
