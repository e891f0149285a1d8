/* ckpt_compute.c -- compute-only guest for checkpoint tests: primes with a
** running checksum and some floating point, printed as it goes. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 300;
  unsigned long long sum = 0;
  double harmonic = 0;
  int found = 0;
  for (int k = 2; found < n; k++) {
    int prime = 1;
    for (int d = 2; d * d <= k; d++)
      if (k % d == 0) { prime = 0; break; }
    if (!prime) continue;
    found++;
    sum = sum * 31 + (unsigned)k;
    harmonic += 1.0 / k;
    if (found % 25 == 0) printf("%d primes, last %d, sum %llx, h %.12f\n", found, k, sum, harmonic);
  }
  fprintf(stderr, "done: %llx\n", sum);
  return 0;
}
