/* C helpers generated code calls where inline code would be long: float min/max (NaN and
 * signed-zero rules), float -> integer truncations (trapping and saturating) and unsigned
 * 64-bit -> float conversions. Trapping helpers take the exec and unwind through
 * wl_native_trap, like an explicit check in generated code. */
#include <math.h>
#include <string.h>

#include "backends/jit/jit.h"

static float f32_of(uint64_t bits) {
  uint32_t b = (uint32_t)bits;
  float f;
  memcpy(&f, &b, 4);
  return f;
}

static double f64_of(uint64_t bits) {
  double d;
  memcpy(&d, &bits, 8);
  return d;
}

static uint64_t bits_f32(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

static uint64_t bits_f64(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

/* Equal operands are the zeros case: min prefers -0 (or the sign bits), max +0 (and them). */
uint64_t jit_f32_min(uint64_t a, uint64_t b) {
  float x = f32_of(a), y = f32_of(b);
  if (isnan(x) || isnan(y)) return bits_f32(x + y);
  if (x == y) return (a | b) & 0xFFFFFFFFu;
  return x < y ? a : b;
}

uint64_t jit_f32_max(uint64_t a, uint64_t b) {
  float x = f32_of(a), y = f32_of(b);
  if (isnan(x) || isnan(y)) return bits_f32(x + y);
  if (x == y) return a & b;
  return x > y ? a : b;
}

uint64_t jit_f64_min(uint64_t a, uint64_t b) {
  double x = f64_of(a), y = f64_of(b);
  if (isnan(x) || isnan(y)) return bits_f64(x + y);
  if (x == y) return a | b;
  return x < y ? a : b;
}

uint64_t jit_f64_max(uint64_t a, uint64_t b) {
  double x = f64_of(a), y = f64_of(b);
  if (isnan(x) || isnan(y)) return bits_f64(x + y);
  if (x == y) return a & b;
  return x > y ? a : b;
}

/* A trap in a helper JIT code called: with GCC, the helper's CFA is the JIT frame's rsp,
 * so the backtrace starts at the calling instruction (jit_trace.c); elsewhere no frames. */
#if defined(__GNUC__) && !defined(__clang__)
#define HELPER_TRAP(ex, kind) \
  jit_trap_at(ex, kind, JIT_OFFSET_FROM_PC, (uintptr_t)__builtin_dwarf_cfa())
/* noipa: the trap path stays in the helper's own frame (GCC splits cold paths into .part clones). */
#define TRAPPING_HELPER static __attribute__((noipa)) uint64_t
#else
#define HELPER_TRAP(ex, kind) wl_native_trap(ex, kind)
#define TRAPPING_HELPER static uint64_t
#endif

/* Trapping truncation: NaN is an invalid conversion, out of range an integer overflow.
 * `lo` and `hi` are exclusive bounds on the value before truncation. Always inlined into the
 * helper JIT code calls, whose CFA HELPER_TRAP reads. */
static inline __attribute__((always_inline)) double checked(wl_exec *ex, double x, double lo,
                                                            double hi) {
  if (isnan(x)) HELPER_TRAP(ex, WL_TRAP_INVALID_CONVERSION);
  if (!(x > lo && x < hi)) HELPER_TRAP(ex, WL_TRAP_INT_OVERFLOW);
  return x;
}

#define I32_LO -2147483649.0
#define I32_HI 2147483648.0
#define U32_HI 4294967296.0
#define I64_HI 9223372036854775808.0
#define U64_HI 18446744073709551616.0

/* -2^63 is representable and in range; the next double below it is out of range. */
static inline __attribute__((always_inline)) double checked_i64(wl_exec *ex, double x) {
  if (isnan(x)) HELPER_TRAP(ex, WL_TRAP_INVALID_CONVERSION);
  if (!(x >= -I64_HI && x < I64_HI)) HELPER_TRAP(ex, WL_TRAP_INT_OVERFLOW);
  return x;
}

TRAPPING_HELPER t_i32_f32_s(wl_exec *ex, uint64_t b) { return (uint32_t)(int32_t)checked(ex, f32_of(b), I32_LO, I32_HI); }
TRAPPING_HELPER t_i32_f64_s(wl_exec *ex, uint64_t b) { return (uint32_t)(int32_t)checked(ex, f64_of(b), I32_LO, I32_HI); }
TRAPPING_HELPER t_i32_f32_u(wl_exec *ex, uint64_t b) { return (uint32_t)checked(ex, f32_of(b), -1.0, U32_HI); }
TRAPPING_HELPER t_i32_f64_u(wl_exec *ex, uint64_t b) { return (uint32_t)checked(ex, f64_of(b), -1.0, U32_HI); }
TRAPPING_HELPER t_i64_f32_s(wl_exec *ex, uint64_t b) { return (uint64_t)(int64_t)checked_i64(ex, f32_of(b)); }
TRAPPING_HELPER t_i64_f64_s(wl_exec *ex, uint64_t b) { return (uint64_t)(int64_t)checked_i64(ex, f64_of(b)); }
TRAPPING_HELPER t_i64_f32_u(wl_exec *ex, uint64_t b) { return (uint64_t)checked(ex, f32_of(b), -1.0, U64_HI); }
TRAPPING_HELPER t_i64_f64_u(wl_exec *ex, uint64_t b) { return (uint64_t)checked(ex, f64_of(b), -1.0, U64_HI); }

/* Saturating truncation: NaN is 0, out of range clamps. */
static int32_t sat_i32(double x) {
  if (isnan(x)) return 0;
  if (x <= I32_LO) return INT32_MIN;
  if (x >= I32_HI) return INT32_MAX;
  return (int32_t)x;
}

static uint32_t sat_u32(double x) {
  if (isnan(x) || x <= -1.0) return 0;
  if (x >= U32_HI) return UINT32_MAX;
  return (uint32_t)x;
}

static int64_t sat_i64(double x) {
  if (isnan(x)) return 0;
  if (x < -I64_HI) return INT64_MIN;
  if (x >= I64_HI) return INT64_MAX;
  return (int64_t)x;
}

static uint64_t sat_u64(double x) {
  if (isnan(x) || x <= -1.0) return 0;
  if (x >= U64_HI) return UINT64_MAX;
  return (uint64_t)x;
}

static uint64_t s_i32_f32_s(uint64_t b) { return (uint32_t)sat_i32(f32_of(b)); }
static uint64_t s_i32_f64_s(uint64_t b) { return (uint32_t)sat_i32(f64_of(b)); }
static uint64_t s_i32_f32_u(uint64_t b) { return sat_u32(f32_of(b)); }
static uint64_t s_i32_f64_u(uint64_t b) { return sat_u32(f64_of(b)); }
static uint64_t s_i64_f32_s(uint64_t b) { return (uint64_t)sat_i64(f32_of(b)); }
static uint64_t s_i64_f64_s(uint64_t b) { return (uint64_t)sat_i64(f64_of(b)); }
static uint64_t s_i64_f32_u(uint64_t b) { return sat_u64(f32_of(b)); }
static uint64_t s_i64_f64_u(uint64_t b) { return sat_u64(f64_of(b)); }

static uint64_t f32_from_u64(uint64_t v) { return bits_f32((float)v); }
static uint64_t f64_from_u64(uint64_t v) { return bits_f64((double)v); }

const void *jit_conversion_helper(uint16_t op, bool *traps) {
  *traps = true;
  switch (op) {
    case WL_OP_I32_TRUNC_F32_S: return (const void *)t_i32_f32_s;
    case WL_OP_I32_TRUNC_F32_U: return (const void *)t_i32_f32_u;
    case WL_OP_I32_TRUNC_F64_S: return (const void *)t_i32_f64_s;
    case WL_OP_I32_TRUNC_F64_U: return (const void *)t_i32_f64_u;
    case WL_OP_I64_TRUNC_F32_S: return (const void *)t_i64_f32_s;
    case WL_OP_I64_TRUNC_F32_U: return (const void *)t_i64_f32_u;
    case WL_OP_I64_TRUNC_F64_S: return (const void *)t_i64_f64_s;
    case WL_OP_I64_TRUNC_F64_U: return (const void *)t_i64_f64_u;
    default: break;
  }
  *traps = false;
  switch (op) {
    case WL_OP_I32_TRUNC_SAT_F32_S: return (const void *)s_i32_f32_s;
    case WL_OP_I32_TRUNC_SAT_F32_U: return (const void *)s_i32_f32_u;
    case WL_OP_I32_TRUNC_SAT_F64_S: return (const void *)s_i32_f64_s;
    case WL_OP_I32_TRUNC_SAT_F64_U: return (const void *)s_i32_f64_u;
    case WL_OP_I64_TRUNC_SAT_F32_S: return (const void *)s_i64_f32_s;
    case WL_OP_I64_TRUNC_SAT_F32_U: return (const void *)s_i64_f32_u;
    case WL_OP_I64_TRUNC_SAT_F64_S: return (const void *)s_i64_f64_s;
    case WL_OP_I64_TRUNC_SAT_F64_U: return (const void *)s_i64_f64_u;
    case WL_OP_F32_CONVERT_I64_U: return (const void *)f32_from_u64;
    case WL_OP_F64_CONVERT_I64_U: return (const void *)f64_from_u64;
    default: return NULL;
  }
}
