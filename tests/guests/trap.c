/*
** trap.c -- output, then a trap (`unreachable`, from __builtin_trap) deep
** in a few calls.  The runtime must report the trap (exit 134) and keep
** what was written before it.
*/
#include <stdio.h>

__attribute__((noinline)) static void fail(int depth) {
  if (depth == 0) __builtin_trap();
  fail(depth - 1);
  printf("unreachable %d\n", depth); /* keeps the recursion a real call */
}

int main(void) {
  printf("before the trap\n");
  fflush(stdout);
  fprintf(stderr, "stderr before the trap\n");
  fail(3);
  printf("after the trap (must not appear)\n");
  return 0;
}
