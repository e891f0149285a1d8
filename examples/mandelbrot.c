/*
** mandelbrot.c -- renders the Mandelbrot set as a PBM image: a WASI
** command for showing inro off (`make example`).
**
**   mandelbrot [SIZE [OUT.pbm]]
**
** SIZE is the width and height in pixels (default 256); the image goes to
** OUT.pbm, or to stdout when OUT is absent or "-".  Points that stay
** bounded for MAX_ITER iterations are black.  Plain C with doubles, so the
** image is the same bit for bit on every conforming runtime.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITER 200

/* Iterations before z = z^2 + c escapes |z| > 2, up to MAX_ITER. */
static int escape_time(double cr, double ci) {
  double zr = 0, zi = 0;
  int i = 0;
  while (i < MAX_ITER && zr * zr + zi * zi <= 4.0) {
    double t = zr * zr - zi * zi + cr;
    zi = 2 * zr * zi + ci;
    zr = t;
    i++;
  }
  return i;
}

int main(int argc, char **argv) {
  int size = argc > 1 ? atoi(argv[1]) : 256;
  const char *out = argc > 2 ? argv[2] : "-";
  if (size < 1 || size > 20000) {
    fprintf(stderr, "usage: mandelbrot [SIZE [OUT.pbm]]  (1 <= SIZE <= 20000)\n");
    return 2;
  }
  FILE *f = strcmp(out, "-") ? fopen(out, "wb") : stdout;
  if (!f) {
    perror(out);
    return 1;
  }
  /* P4: a header, then rows of bits, most significant first, 1 = black. */
  fprintf(f, "P4\n%d %d\n", size, size);
  size_t rowbytes = ((size_t)size + 7) / 8;
  unsigned char *row = malloc(rowbytes);
  long inside = 0;
  for (int y = 0; y < size; y++) {
    memset(row, 0, rowbytes);
    double ci = 1.4 - 2.8 * (y + 0.5) / size;
    for (int x = 0; x < size; x++) {
      double cr = -2.1 + 2.8 * (x + 0.5) / size;
      if (escape_time(cr, ci) == MAX_ITER) {
        row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
        inside++;
      }
    }
    fwrite(row, 1, rowbytes, f);
  }
  free(row);
  if (f != stdout && fclose(f)) {
    perror(out);
    return 1;
  }
  fprintf(stderr, "mandelbrot: %dx%d, %d iterations, %.1f%% in the set%s%s\n",
          size, size, MAX_ITER, 100.0 * inside / ((double)size * size),
          f != stdout ? ", wrote " : "", f != stdout ? out : "");
  return 0;
}
