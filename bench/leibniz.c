/*
** leibniz.c -- benchmark: pi from N terms of the Leibniz series
** 1 - 1/3 + 1/5 - ...  One double division and addition per term.
**
**   leibniz [N]           (default 100000000)
**
** Prints the estimate in decimal and its exact bits in hex (the checksum).
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000000L;
  double sum = 0.0, sign = 1.0;
  for (long k = 0; k < n; k++) {
    sum += sign / (2.0 * (double)k + 1.0);
    sign = -sign;
  }
  double pi = 4.0 * sum;
  uint64_t bits;
  memcpy(&bits, &pi, sizeof bits);
  printf("leibniz %ld terms: pi ~ %.15f bits %016" PRIx64 "\n", n, pi, bits);
  return 0;
}
