/*
** recursion.c -- a modest recursion that must work, then one 1,000,000
** calls deep that must end in a trap (call stack exhausted), not in a
** crash of the host.  The recursion keeps its state in wasm locals only,
** so it exhausts the runtime's call stack rather than the C stack that
** clang keeps in linear memory.
*/
#include <stdio.h>

/* Written after each call returns, so clang cannot turn the recursion
** into a loop. */
static volatile unsigned last;

__attribute__((noinline)) static unsigned depth(unsigned n) {
  if (n == 0) return 0;
  unsigned d = depth(n - 1) + 1;
  last = n;
  return d;
}

int main(void) {
  printf("depth(10000) = %u\n", depth(10000));
  fflush(stdout);
  printf("depth(1000000) = %u\n", depth(1000000));
  return 0;
}
