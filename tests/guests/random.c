/*
** random.c -- random_get through getentropy and arc4random: bytes arrive,
** and two draws differ.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  unsigned char a[64], b[64], zero[64] = {0};
  printf("getentropy: %d\n", getentropy(a, sizeof a));
  printf("getentropy: %d\n", getentropy(b, sizeof b));
  printf("not all zero: %s\n", memcmp(a, zero, sizeof a) ? "yes" : "no");
  printf("two draws differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
  uint32_t x = arc4random(), y = arc4random();
  printf("arc4random differs: %s\n", x != y ? "yes" : "no");
  printf("uniform(10) < 10: %s\n", arc4random_uniform(10) < 10 ? "yes" : "no");
  return 0;
}
