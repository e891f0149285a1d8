/*
** mandelbrot.c -- benchmark: the Mandelbrot set as a binary PBM (P4) on
** stdout, N x N pixels, 50 iterations per point.
**
**   mandelbrot [N]        (default 1000)
**
** Scalar double arithmetic only, no fused multiply-add (build with
** -ffp-contract=off natively), so the image is the same byte for byte on
** every conforming host.  The checksum is the image itself.
*/
#include <stdio.h>
#include <stdlib.h>

#define ITERS 50

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  if (n < 1 || n > 100000) {
    fprintf(stderr, "usage: mandelbrot [N]\n");
    return 2;
  }
  int rowbytes = (n + 7) / 8;
  unsigned char *row = malloc((size_t)rowbytes);
  if (!row) return 1;
  printf("P4\n%d %d\n", n, n);
  for (int y = 0; y < n; y++) {
    double ci = 2.0 * y / n - 1.0;
    for (int b = 0; b < rowbytes; b++) {
      unsigned bits = 0;
      for (int k = 0; k < 8; k++) {
        int x = 8 * b + k;
        double cr = 2.0 * x / n - 1.5;
        double zr = 0, zi = 0, rr = 0, ii = 0;
        int i = 0;
        while (i < ITERS && rr + ii <= 4.0) {
          zi = 2.0 * zr * zi + ci;
          zr = rr - ii + cr;
          rr = zr * zr;
          ii = zi * zi;
          i++;
        }
        bits = bits << 1 | (x < n && i == ITERS);
      }
      row[b] = (unsigned char)bits;
    }
    fwrite(row, 1, (size_t)rowbytes, stdout);
  }
  free(row);
  return 0;
}
