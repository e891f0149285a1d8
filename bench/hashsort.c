/*
** hashsort.c -- benchmark: integer work.  Fills N words with a 32-bit
** mixing hash, sorts them with a hand-written quicksort, then counts
** distinct values of the top 20 bits in an open-addressing hash set.
**
**   hashsort [N]          (default 2000000)
**
** Prints the number of distinct keys and a hash of the sorted array (the
** checksum).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t mix(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

static void insertion(uint32_t *a, long n) {
  for (long i = 1; i < n; i++) {
    uint32_t v = a[i];
    long j = i;
    while (j > 0 && a[j - 1] > v) { a[j] = a[j - 1]; j--; }
    a[j] = v;
  }
}

/* Quicksort, median of three, recursing into the smaller side. */
static void sort(uint32_t *a, long n) {
  while (n > 16) {
    uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
    uint32_t p = x < y ? (y < z ? y : (x < z ? z : x))
                       : (x < z ? x : (y < z ? z : y));
    long i = 0, j = n - 1;
    for (;;) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i >= j) break;
      uint32_t t = a[i]; a[i] = a[j]; a[j] = t;
      i++; j--;
    }
    if (j + 1 < n - j - 1) { sort(a, j + 1); a += j + 1; n -= j + 1; }
    else { sort(a + j + 1, n - j - 1); n = j + 1; }
  }
  insertion(a, n);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000000L;
  if (n < 1) return 2;
  uint32_t *a = malloc((size_t)n * sizeof *a);
  enum { BITS = 21, CAP = 1 << BITS };
  uint32_t *set = calloc(CAP, sizeof *set);
  if (!a || !set) return 1;
  for (long i = 0; i < n; i++) a[i] = mix((uint32_t)i * 0x9e3779b9u + 1);
  sort(a, n);
  uint32_t h = 2166136261u;
  for (long i = 0; i < n; i++) {
    if (i && a[i - 1] > a[i]) { printf("not sorted at %ld\n", i); return 1; }
    h = (h ^ a[i]) * 16777619u;
  }
  long distinct = 0;
  for (long i = 0; i < n; i++) {
    uint32_t key = (a[i] >> 12) | 1u << 20; /* never 0: 0 marks a free slot */
    uint32_t at = mix(key) & (CAP - 1);
    while (set[at] && set[at] != key) at = (at + 1) & (CAP - 1);
    if (!set[at]) { set[at] = key; distinct++; }
  }
  printf("hashsort %ld: %ld distinct keys, hash %08x\n", n, distinct, (unsigned)h);
  free(set);
  free(a);
  return 0;
}
