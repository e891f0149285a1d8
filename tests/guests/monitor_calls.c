/*
** monitor_calls.c -- a C guest for tests/monitors.sh with figures known
** by construction: step() is called exactly 21,891 times, and third()
** takes its branch for exactly 1,000 of its 3,000 calls.  noinline and
** volatile keep clang -O2 from folding the calls and the branch away.
*/
#include <stdio.h>

static volatile unsigned sink;

__attribute__((noinline)) static unsigned step(unsigned x) {
  sink = x;
  return x * 3 + 1;
}

__attribute__((noinline)) static int third(unsigned i) {
  if (i % 3 == 0) {
    sink = i;
    return 1;
  }
  return 0;
}

int main(void) {
  unsigned acc = 0, hits = 0;
  for (unsigned i = 0; i < 21891; i++) acc += step(i);
  for (unsigned i = 0; i < 3000; i++) hits += (unsigned)third(sink + i - sink);
  printf("%u %u\n", acc, hits);
  return 0;
}
