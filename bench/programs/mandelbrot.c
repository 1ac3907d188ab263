/* mandelbrot: plots the Mandelbrot set on [-1.5, 0.5] x [-1, 1] as an N x N bitmap and writes
 * it as a binary PBM (P4). A point is in the set when |z| stays <= 2 for 50 iterations.
 * Scalar double-precision arithmetic with a data-dependent inner loop. */
#include <stdio.h>
#include <stdlib.h>

enum { ITERATIONS = 50 };

/* 1 when c = (cr, ci) stays bounded for ITERATIONS steps of z = z^2 + c. */
static int in_set(double cr, double ci) {
  double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
  for (int i = 0; i < ITERATIONS; i++) {
    zi = 2 * zr * zi + ci;
    zr = zr2 - zi2 + cr;
    zr2 = zr * zr;
    zi2 = zi * zi;
    if (zr2 + zi2 > 4) return 0;
  }
  return 1;
}

/* Packs one row, 8 pixels per byte, most significant bit first; the last byte is padded with 0s. */
static void render_row(unsigned char *row, int size, int y) {
  double ci = 2.0 * y / size - 1.0;
  for (int byte = 0; byte * 8 < size; byte++) {
    unsigned bits = 0;
    for (int bit = 0; bit < 8; bit++) {
      int x = byte * 8 + bit;
      bits <<= 1;
      if (x < size) bits |= (unsigned)in_set(2.0 * x / size - 1.5, ci);
    }
    row[byte] = (unsigned char)bits;
  }
}

int main(int argc, char **argv) {
  int size = argc > 1 ? atoi(argv[1]) : 200;
  int row_bytes = (size + 7) / 8;
  unsigned char *row = malloc((size_t)row_bytes);
  if (!row) return 1;
  printf("P4\n%d %d\n", size, size);
  for (int y = 0; y < size; y++) {
    render_row(row, size, y);
    fwrite(row, 1, (size_t)row_bytes, stdout);
  }
  free(row);
  return 0;
}
