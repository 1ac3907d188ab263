/* Scalar float rules where Wasm and plain C differ (NaN propagation in min/max, quiet NaNs
 * from rounding, saturating truncation), shared by the interpreter's scalar handlers, the
 * SIMD lane helpers (lanes.h) and the JIT's SIMD helpers, so every backend computes the same
 * bits. Header-only: the interpreter inlines them into its handlers. */
#ifndef WL_SIMD_FLOAT_RULES_H
#define WL_SIMD_FLOAT_RULES_H
#include <math.h>
#include <stdint.h>

/* min/max: NaN if either operand is NaN (a + b yields a NaN from them); -0 < +0. */
static inline float wl_fminf(float a, float b) {
  if (isnan(a) || isnan(b)) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline float wl_fmaxf(float a, float b) {
  if (isnan(a) || isnan(b)) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
static inline double wl_fmin(double a, double b) {
  if (isnan(a) || isnan(b)) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline double wl_fmax(double a, double b) {
  if (isnan(a) || isnan(b)) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}

/* Rounding functions: a NaN operand gives a quiet NaN (inlined libm code may pass a signaling
 * NaN through unchanged, which is not an arithmetic NaN). */
#define wl_round_f32(fn, x) (isnan(x) ? (x) + (x) : fn(x))
#define wl_round_f64(fn, x) (isnan(x) ? (x) + (x) : fn(x))

/* Sign-bit operations work on the bits, so NaN payloads pass unchanged. */
#define F32_SIGN 0x80000000u
#define F64_SIGN 0x8000000000000000ull

/* Range checks for trapping truncation: the value, already truncated toward zero, must lie in
 * (lo, hi) exclusive, with bounds that are exactly representable. */
#define TRUNC_IN_RANGE(x, lo, hi) ((x) > (lo) && (x) < (hi))

/* Saturating truncations. */
static inline int32_t sat_i32(double x) {
  if (isnan(x)) return 0;
  if (x <= -2147483648.0) return INT32_MIN;
  if (x >= 2147483648.0) return INT32_MAX;
  return (int32_t)x;
}
static inline uint32_t sat_u32(double x) {
  if (isnan(x) || x <= 0) return 0;
  if (x >= 4294967296.0) return UINT32_MAX;
  return (uint32_t)x;
}
static inline int64_t sat_i64(double x) {
  if (isnan(x)) return 0;
  if (x < -9223372036854775808.0) return INT64_MIN;
  if (x >= 9223372036854775808.0) return INT64_MAX;
  return (int64_t)x;
}
static inline uint64_t sat_u64(double x) {
  if (isnan(x) || x <= 0) return 0;
  if (x >= 18446744073709551616.0) return UINT64_MAX;
  return (uint64_t)x;
}

#endif
