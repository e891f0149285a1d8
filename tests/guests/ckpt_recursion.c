/* ckpt_recursion.c -- deep recursion for checkpoint tests: thousands of
** frames, each with locals and operands live across the call. */
#include <stdio.h>

static unsigned long long calls;

__attribute__((noinline)) static unsigned walk(unsigned depth, unsigned seed) {
  calls++;
  unsigned mine = seed * 2654435761u + depth;
  if (depth == 0) return mine;
  unsigned below = walk(depth - 1, mine ^ (mine >> 7));
  if (depth % 1000 == 0) printf("depth %u: %08x\n", depth, below);
  return below + mine;
}

int main(void) {
  unsigned total = 0;
  for (unsigned round = 1; round <= 4; round++) {
    total += walk(4000 * round, round);
    printf("round %u: %08x\n", round, total);
  }
  printf("calls %llu\n", calls);
  return 0;
}
