/*
** hello.c -- the smallest WASI command: text on stdout and stderr, some
** printf formatting (integers, floats, strings), exit status 0.
*/
#include <stdio.h>

int main(void) {
  printf("hello from a wasm guest\n");
  printf("%d %u %x %lld %.3f %g %e %s|%5s|%-5s|\n", -42, 42u, 0xbeefu,
         -1234567890123LL, 3.14159, 1e-7, 6.02214076e23, "str", "r", "l");
  fprintf(stderr, "and a line on stderr\n");
  return 0;
}
