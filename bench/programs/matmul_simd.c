/* matmul-simd: C = A * B for N x N single-precision matrices, four columns of C at a time
 * with 128-bit vectors (clang vector extensions: wasm SIMD f32x4 with -msimd128, SSE
 * natively; the same source without -msimd128 is the scalar build, clang splits the vectors
 * into lanes). Inputs come from a fixed LCG; the output is a checksum of C printed with
 * enough digits to compare builds bit for bit (every build does the same float operations in
 * the same order: no FMA contraction, -ffp-contract=off). */
#include <stdio.h>
#include <stdlib.h>

typedef float f32x4 __attribute__((vector_size(16)));

static unsigned lcg_state = 12345;
static float next_value(void) {
  lcg_state = lcg_state * 1664525u + 1013904223u;
  return (float)(lcg_state >> 8) / 16777216.0f - 0.5f;
}

/* Row i of C: for each k, C[i][j..j+3] += A[i][k] * B[k][j..j+3]. */
static void multiply_row(const float *a_row, const float *b, float *c_row, int n) {
  for (int j = 0; j < n; j += 4) {
    f32x4 acc = {0, 0, 0, 0};
    for (int k = 0; k < n; k++) {
      f32x4 bv;
      __builtin_memcpy(&bv, &b[(size_t)k * n + j], sizeof bv);
      acc += a_row[k] * bv;
    }
    __builtin_memcpy(&c_row[j], &acc, sizeof acc);
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 64;
  n = (n + 3) / 4 * 4;
  float *a = malloc(sizeof(float) * (size_t)n * n), *b = malloc(sizeof(float) * (size_t)n * n);
  float *c = malloc(sizeof(float) * (size_t)n * n);
  if (!a || !b || !c) return 1;
  for (size_t i = 0; i < (size_t)n * n; i++) a[i] = next_value();
  for (size_t i = 0; i < (size_t)n * n; i++) b[i] = next_value();
  for (int i = 0; i < n; i++) multiply_row(&a[(size_t)i * n], b, &c[(size_t)i * n], n);
  double sum = 0, weighted = 0;
  for (size_t i = 0; i < (size_t)n * n; i++) {
    sum += c[i];
    weighted += c[i] * (double)(i % 7 + 1);
  }
  printf("n=%d sum=%.9e weighted=%.9e\n", n, sum, weighted);
  free(a);
  free(b);
  free(c);
  return 0;
}
