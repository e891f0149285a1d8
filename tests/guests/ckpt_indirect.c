/* ckpt_indirect.c -- call_indirect through a function table, for
** checkpoint tests: table contents and funcrefs must survive. */
#include <stdio.h>

typedef unsigned (*op_fn)(unsigned, unsigned);
__attribute__((noinline)) static unsigned add(unsigned a, unsigned b) { return a + b; }
__attribute__((noinline)) static unsigned mul(unsigned a, unsigned b) { return a * b + 1; }
__attribute__((noinline)) static unsigned mix(unsigned a, unsigned b) { return (a ^ (b << 3)) + 7; }
__attribute__((noinline)) static unsigned rot(unsigned a, unsigned b) { return (a << 5 | a >> 27) ^ b; }

static op_fn table[4] = {add, mul, mix, rot};

int main(void) {
  unsigned acc = 1;
  volatile unsigned pick = 7;
  for (unsigned i = 0; i < 60000; i++) {
    pick = pick * 1103515245u + 12345u;
    acc = table[(pick >> 16) & 3](acc, i);
    if (i % 5000 == 0) printf("%u: %08x\n", i, acc);
  }
  printf("final %08x\n", acc);
  return 0;
}
