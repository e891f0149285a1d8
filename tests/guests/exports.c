/*
** exports.c -- a WASI reactor (built with -mexec-model=reactor) whose
** exports tests/guests.sh calls with `inro run --invoke`: one per value
** type, a trap, and one that uses WASI, which needs _initialize to have
** run first.
*/
#include <stdint.h>
#include <stdio.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("add") int32_t add(int32_t a, int32_t b) { return a + b; }
EXPORT("mul64") int64_t mul64(int64_t a, int64_t b) { return a * b; }
EXPORT("half") double half(double x) { return x / 2; }
EXPORT("scale") float scale(float x, float k) { return x * k; }
EXPORT("div") int32_t div_(int32_t a, int32_t b) { return a / b; }
EXPORT("nothing") void nothing(void) {}

static int counter = 41;
/* Initialised state and stdio both need the reactor's _initialize. */
EXPORT("greet") int32_t greet(void) {
  printf("hello from an export\n");
  fflush(stdout);
  return ++counter;
}
