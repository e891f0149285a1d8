/*
** nbody.c -- benchmark: floating point.  A small gravitating system (one
** heavy body and NB light ones, placed by a fixed integer generator)
** integrated for N steps with a kick-drift scheme; every step visits every
** pair (sqrt and division per pair).
**
**   nbody [N]             (default 200000)
**
** Prints the total energy before and after, in decimal and as exact bits
** (the checksum).
*/
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NB 8
#define DT 0.001
#define SOFT 1e-3

typedef struct { double x[3], v[3], m; } body;

static uint32_t seed = 12345;
static double unit(void) { /* a fixed sequence in [-1, 1) */
  seed = seed * 1103515245u + 12345u;
  return (double)(seed >> 8) / 8388608.0 - 1.0;
}

static double energy(const body *b) {
  double e = 0;
  for (int i = 0; i < NB; i++) {
    e += 0.5 * b[i].m * (b[i].v[0] * b[i].v[0] + b[i].v[1] * b[i].v[1] +
                         b[i].v[2] * b[i].v[2]);
    for (int j = i + 1; j < NB; j++) {
      double d[3], r2 = SOFT;
      for (int k = 0; k < 3; k++) {
        d[k] = b[i].x[k] - b[j].x[k];
        r2 += d[k] * d[k];
      }
      e -= b[i].m * b[j].m / sqrt(r2);
    }
  }
  return e;
}

static void step(body *b) {
  for (int i = 0; i < NB; i++)
    for (int j = i + 1; j < NB; j++) {
      double d[3], r2 = SOFT;
      for (int k = 0; k < 3; k++) {
        d[k] = b[i].x[k] - b[j].x[k];
        r2 += d[k] * d[k];
      }
      double mag = DT / (r2 * sqrt(r2));
      for (int k = 0; k < 3; k++) {
        b[i].v[k] -= d[k] * b[j].m * mag;
        b[j].v[k] += d[k] * b[i].m * mag;
      }
    }
  for (int i = 0; i < NB; i++)
    for (int k = 0; k < 3; k++) b[i].x[k] += DT * b[i].v[k];
}

static void show(const char *what, double e) {
  uint64_t bits;
  memcpy(&bits, &e, sizeof bits);
  printf("%s energy %.12f bits %016" PRIx64 "\n", what, e, bits);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 200000L;
  body b[NB];
  for (int i = 0; i < NB; i++) {
    for (int k = 0; k < 3; k++) {
      b[i].x[k] = i ? 4.0 * unit() : 0.0;
      b[i].v[k] = i ? 0.5 * unit() : 0.0;
    }
    b[i].m = i ? 0.01 + 0.01 * (unit() + 1.0) : 10.0;
  }
  show("initial", energy(b));
  for (long s = 0; s < n; s++) step(b);
  show("final", energy(b));
  return 0;
}
