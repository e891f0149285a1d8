/*
** memory.c -- grows linear memory (malloc of tens of megabytes, realloc)
** and checks the contents survive.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t checksum(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

int main(void) {
  size_t n = 24u << 20;
  uint8_t *a = malloc(n);
  if (!a) return 1;
  for (size_t i = 0; i < n; i++) a[i] = (uint8_t)(i * 7 + (i >> 13));
  uint32_t before = checksum(a, n);
  a = realloc(a, n * 2);
  if (!a) return 1;
  uint32_t after = checksum(a, n);
  memset(a + n, 0xab, n);
  uint32_t upper = checksum(a + n, n);
  int pages = __builtin_wasm_memory_size(0) >= 768;
  free(a);
  printf("checksum of 24 MiB: %08x\n", (unsigned)before);
  printf("after realloc to 48 MiB: %s\n", after == before ? "same" : "DIFFERENT");
  printf("upper half: %08x\n", (unsigned)upper);
  printf("memory pages >= 768: %s\n", pages ? "yes" : "no");
  return 0;
}
