/* bigmem.c -- a guest with 64 MiB of live linear memory, for the snapshot
** benchmark (bench/snapshot.sh): fill it, say "filled", then checksum it
** in passes (argv[1], default 4) and print the checksum. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 4;
  size_t n = (size_t)64 << 20;
  unsigned char *p = malloc(n);
  if (!p) return 1;
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 7 + (i >> 12));
  printf("filled\n");
  fflush(stdout);
  unsigned long long sum = 0;
  for (int k = 0; k < passes; k++)
    for (size_t i = 0; i < n; i += 8) sum = sum * 31 + p[i] + k;
  printf("checksum %016llx\n", sum);
  return 0;
}
