/* blur-simd: repeated 3x3 box blur of a W x H 8-bit grayscale image, eight pixels at a time
 * with 128-bit vectors (clang vector extensions: wasm SIMD i16x8 with -msimd128, SSE2
 * natively; the same source without -msimd128 is the scalar build). Pixels widen to 16
 * bits, the nine neighbours are summed, and the mean is (sum * 7282) >> 16 (integer, so every
 * build gives the same bytes). The image comes from a fixed LCG; the output is a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint16_t u16x8 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef uint16_t u16x4 __attribute__((vector_size(8)));
typedef uint8_t u8x8 __attribute__((vector_size(8)));

enum { WIDTH = 1024 };

static u16x8 load8(const uint8_t *p) {
  u8x8 v;
  memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, u16x8);
}

/* (x * 7282) >> 16 in 32-bit lanes: x / 9 for the sums of nine pixels. */
static u16x4 div9(u16x4 x) {
  u32x4 wide = (__builtin_convertvector(x, u32x4) * 7282u) >> 16;
  return __builtin_convertvector(wide, u16x4);
}

/* The mean of nine pixels, as whole vectors (widen, multiply, shift, narrow). */
static void store_mean(uint8_t *out, u16x8 sum) {
  u16x4 lo = div9(__builtin_shufflevector(sum, sum, 0, 1, 2, 3));
  u16x4 hi = div9(__builtin_shufflevector(sum, sum, 4, 5, 6, 7));
  u8x8 bytes = __builtin_convertvector(__builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7), u8x8);
  memcpy(out, &bytes, sizeof bytes);
}

/* One pass: dst's inner pixels from src's 3x3 neighbourhoods (the border is copied). */
static void blur(const uint8_t *src, uint8_t *dst, int height) {
  memcpy(dst, src, (size_t)WIDTH * height);
  for (int y = 1; y < height - 1; y++) {
    const uint8_t *up = src + (size_t)(y - 1) * WIDTH, *mid = up + WIDTH, *down = mid + WIDTH;
    for (int x = 1; x + 8 < WIDTH; x += 8) {
      u16x8 sum = load8(up + x - 1) + load8(up + x) + load8(up + x + 1) + load8(mid + x - 1) +
                  load8(mid + x) + load8(mid + x + 1) + load8(down + x - 1) + load8(down + x) +
                  load8(down + x + 1);
      store_mean(dst + (size_t)y * WIDTH + x, sum);
    }
  }
}

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 4, height = 768;
  uint8_t *a = malloc((size_t)WIDTH * height), *b = malloc((size_t)WIDTH * height);
  if (!a || !b) return 1;
  uint32_t state = 2024;
  for (size_t i = 0; i < (size_t)WIDTH * height; i++) {
    state = state * 1103515245u + 12345u;
    a[i] = (uint8_t)(state >> 24);
  }
  for (int p = 0; p < passes; p++) {
    blur(a, b, height);
    uint8_t *t = a;
    a = b;
    b = t;
  }
  uint64_t sum = 0, weighted = 0;
  for (size_t i = 0; i < (size_t)WIDTH * height; i++) {
    sum += a[i];
    weighted += (uint64_t)a[i] * (i % 251 + 1);
  }
  printf("passes=%d sum=%llu weighted=%llu\n", passes, (unsigned long long)sum,
         (unsigned long long)weighted);
  free(a);
  free(b);
  return 0;
}
