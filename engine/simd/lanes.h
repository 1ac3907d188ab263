/* v128 lane helpers shared by the interpreter's SIMD handlers (backends/interp/simd.inc) and
 * the JIT's SIMD helpers (backends/jit/jit_simd_helpers.c). A v128 is 16 bytes in memory (two
 * interpreter slots, one JIT cell); code copies it into a v128_t, whose members are GCC/Clang
 * generic vector types: on x86-64 they compile to SSE2, on other targets to that target's
 * vectors or to lane loops, so the generic code is the portable fallback. Where SSE2 has an instruction with exactly the Wasm
 * semantics (saturating arithmetic, narrowing, rounding average, dot product, sign masks) it is
 * used under __SSE2__, with a lane loop otherwise. Float operations whose C or hardware
 * semantics differ from Wasm (min/max, pmin/pmax, rounding, conversions) are lane loops over
 * the scalar helpers of float_rules.h, so scalar and vector code agree bit for bit. */
#ifndef WL_SIMD_LANES_H
#define WL_SIMD_LANES_H
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "engine/simd/float_rules.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef int8_t v_i8 __attribute__((vector_size(16)));
typedef uint8_t v_u8 __attribute__((vector_size(16)));
typedef int16_t v_i16 __attribute__((vector_size(16)));
typedef uint16_t v_u16 __attribute__((vector_size(16)));
typedef int32_t v_i32 __attribute__((vector_size(16)));
typedef uint32_t v_u32 __attribute__((vector_size(16)));
typedef int64_t v_i64 __attribute__((vector_size(16)));
typedef uint64_t v_u64 __attribute__((vector_size(16)));
typedef float v_f32 __attribute__((vector_size(16)));
typedef double v_f64 __attribute__((vector_size(16)));

typedef union {
  v_i8 i8;
  v_u8 u8;
  v_i16 i16;
  v_u16 u16;
  v_i32 i32;
  v_u32 u32;
  v_i64 i64;
  v_u64 u64;
  v_f32 f32;
  v_f64 f64;
#ifdef __SSE2__
  __m128i m;
#endif
} v128_t;

static inline v128_t v128_load(const void *p) {
  v128_t v;
  memcpy(&v, p, 16);
  return v;
}
static inline void v128_store(void *p, v128_t v) { memcpy(p, &v, 16); }
static inline v128_t v128_zero(void) { return (v128_t){.u64 = {0, 0}}; }
/* `bytes` (1, 2, 4, 8 or 16) from p into the low lanes, the rest zero. SSE2: straight into a
 * register (a memcpy into a zeroed union goes through the stack, and the 16-byte reload of
 * two 8-byte stores stalls store forwarding). */
static inline v128_t v_load_low(const uint8_t *p, unsigned bytes) {
#ifdef __SSE2__
  if (bytes == 16) return (v128_t){.m = _mm_loadu_si128((const __m128i *)(const void *)p)};
  if (bytes == 8) return (v128_t){.m = _mm_loadl_epi64((const __m128i *)(const void *)p)};
  uint32_t x = 0;
  memcpy(&x, p, bytes);
  return (v128_t){.m = _mm_cvtsi32_si128((int)x)};
#else
  v128_t v = v128_zero();
  memcpy(&v, p, bytes);
  return v;
#endif
}

#define X4(x) x, x, x, x
static inline v128_t v_splat8(uint8_t x) { return (v128_t){.u8 = {X4(x), X4(x), X4(x), X4(x)}}; }
static inline v128_t v_splat16(uint16_t x) { return (v128_t){.u16 = {X4(x), X4(x)}}; }
static inline v128_t v_splat32(uint32_t x) { return (v128_t){.u32 = {X4(x)}}; }
static inline v128_t v_splat64(uint64_t x) { return (v128_t){.u64 = {x, x}}; }
#undef X4

/* Lanes of mask (all ones or zero) choose x, others y. */
static inline v128_t v_blend(v_u64 mask, v128_t x, v128_t y) {
  return (v128_t){.u64 = (x.u64 & mask) | (y.u64 & ~mask)};
}
#define V_MASK(cmp) ((v_u64)(cmp))

/* ---------------------------------------------------------------- saturation */

static inline int64_t sat_s(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* A binary operation that is one SSE2 instruction. */
#define SSE2_BIN(name, intrinsic) \
  static inline v128_t name(v128_t a, v128_t b) { return (v128_t){.m = intrinsic(a.m, b.m)}; }

#define LANES_SAT(name, lanes, field, wide, lo, hi, op)           \
  static inline v128_t name(v128_t a, v128_t b) {                  \
    v128_t r;                                                      \
    for (int i = 0; i < lanes; i++)                                \
      r.field[i] = sat_s((wide)a.field[i] op (wide)b.field[i], lo, hi); \
    return r;                                                      \
  }
#ifdef __SSE2__
SSE2_BIN(v_add_sat_i8, _mm_adds_epi8)
SSE2_BIN(v_add_sat_u8, _mm_adds_epu8)
SSE2_BIN(v_sub_sat_i8, _mm_subs_epi8)
SSE2_BIN(v_sub_sat_u8, _mm_subs_epu8)
SSE2_BIN(v_add_sat_i16, _mm_adds_epi16)
SSE2_BIN(v_add_sat_u16, _mm_adds_epu16)
SSE2_BIN(v_sub_sat_i16, _mm_subs_epi16)
SSE2_BIN(v_sub_sat_u16, _mm_subs_epu16)
#else
LANES_SAT(v_add_sat_i8, 16, i8, int32_t, INT8_MIN, INT8_MAX, +)
LANES_SAT(v_add_sat_u8, 16, u8, int32_t, 0, UINT8_MAX, +)
LANES_SAT(v_sub_sat_i8, 16, i8, int32_t, INT8_MIN, INT8_MAX, -)
LANES_SAT(v_sub_sat_u8, 16, u8, int32_t, 0, UINT8_MAX, -)
LANES_SAT(v_add_sat_i16, 8, i16, int32_t, INT16_MIN, INT16_MAX, +)
LANES_SAT(v_add_sat_u16, 8, u16, int32_t, 0, UINT16_MAX, +)
LANES_SAT(v_sub_sat_i16, 8, i16, int32_t, INT16_MIN, INT16_MAX, -)
LANES_SAT(v_sub_sat_u16, 8, u16, int32_t, 0, UINT16_MAX, -)
#endif
#undef LANES_SAT

/* Narrowing: a's lanes then b's, each saturated to the narrow signed/unsigned range. */
#define NARROW(name, lanes, from, to, lo, hi)                                 \
  static inline v128_t name(v128_t a, v128_t b) {                              \
    v128_t r;                                                                  \
    for (int i = 0; i < lanes; i++) {                                          \
      r.to[i] = sat_s(a.from[i], lo, hi);                                      \
      r.to[lanes + i] = sat_s(b.from[i], lo, hi);                              \
    }                                                                          \
    return r;                                                                  \
  }
#ifdef __SSE2__
SSE2_BIN(v_narrow_i8, _mm_packs_epi16)
SSE2_BIN(v_narrow_u8, _mm_packus_epi16)
SSE2_BIN(v_narrow_i16, _mm_packs_epi32)
#else
NARROW(v_narrow_i8, 8, i16, i8, INT8_MIN, INT8_MAX)
NARROW(v_narrow_u8, 8, i16, u8, 0, UINT8_MAX)
NARROW(v_narrow_i16, 4, i32, i16, INT16_MIN, INT16_MAX)
#endif
NARROW(v_narrow_u16, 4, i32, u16, 0, UINT16_MAX) /* packus_epi32 is SSE4.1 */
#undef NARROW
#undef SSE2_BIN

/* ---------------------------------------------------------------- integer lanes */

/* (a + b + 1) / 2 without overflow. */
#define V_AVGR(x, y) (((x) | (y)) - (((x) ^ (y)) >> 1))

static inline v128_t v_popcnt(v128_t a) {
  v128_t r;
  for (int i = 0; i < 16; i++) r.u8[i] = (uint8_t)__builtin_popcount(a.u8[i]);
  return r;
}

static inline int v_bitmask_i8(v128_t a) {
#ifdef __SSE2__
  return _mm_movemask_epi8(a.m);
#else
  int m = 0;
  for (int i = 0; i < 16; i++) m |= (a.i8[i] < 0) << i;
  return m;
#endif
}
#define LANE_BITMASK(name, lanes, field)                                        \
  static inline int name(v128_t a) {                                            \
    int m = 0;                                                                  \
    for (int i = 0; i < lanes; i++) m |= (a.field[i] < 0) << i;                 \
    return m;                                                                   \
  }
LANE_BITMASK(v_bitmask_i16, 8, i16)
LANE_BITMASK(v_bitmask_i32, 4, i32)
LANE_BITMASK(v_bitmask_i64, 2, i64)
#undef LANE_BITMASK

#define LANE_ALL_TRUE(name, lanes, field)                                        \
  static inline int name(v128_t a) {                                             \
    for (int i = 0; i < lanes; i++)                                              \
      if (!a.field[i]) return 0;                                                 \
    return 1;                                                                    \
  }
LANE_ALL_TRUE(v_all_true_8, 16, u8)
LANE_ALL_TRUE(v_all_true_16, 8, u16)
LANE_ALL_TRUE(v_all_true_32, 4, u32)
LANE_ALL_TRUE(v_all_true_64, 2, u64)
#undef LANE_ALL_TRUE

/* Widening: lanes [first, first + lanes) of a, converted to the wide field (first is 0, the
 * low half, or lanes, the high half). SSE2: interleave the half with zeros (unsigned) or with
 * itself and shift arithmetically back (signed; 32 -> 64 interleaves with the sign lanes). */
#ifdef __SSE2__
static inline __m128i v_half(__m128i a, int first) { return first ? _mm_unpackhi_epi64(a, a) : a; }
static inline v128_t v_extend_i8(v128_t a, int first) {
  __m128i h = v_half(a.m, first);
  return (v128_t){.m = _mm_srai_epi16(_mm_unpacklo_epi8(h, h), 8)};
}
static inline v128_t v_extend_u8(v128_t a, int first) {
  return (v128_t){.m = _mm_unpacklo_epi8(v_half(a.m, first), _mm_setzero_si128())};
}
static inline v128_t v_extend_i16(v128_t a, int first) {
  __m128i h = v_half(a.m, first);
  return (v128_t){.m = _mm_srai_epi32(_mm_unpacklo_epi16(h, h), 16)};
}
static inline v128_t v_extend_u16(v128_t a, int first) {
  return (v128_t){.m = _mm_unpacklo_epi16(v_half(a.m, first), _mm_setzero_si128())};
}
static inline v128_t v_extend_i32(v128_t a, int first) {
  __m128i h = v_half(a.m, first);
  return (v128_t){.m = _mm_unpacklo_epi32(h, _mm_srai_epi32(h, 31))};
}
static inline v128_t v_extend_u32(v128_t a, int first) {
  return (v128_t){.m = _mm_unpacklo_epi32(v_half(a.m, first), _mm_setzero_si128())};
}
#else
#define EXTEND(name, lanes, from, to)                                          \
  static inline v128_t name(v128_t a, int first) {                             \
    v128_t r;                                                                  \
    for (int i = 0; i < lanes; i++) r.to[i] = a.from[first + i];               \
    return r;                                                                  \
  }
EXTEND(v_extend_i8, 8, i8, i16)
EXTEND(v_extend_u8, 8, u8, i16)
EXTEND(v_extend_i16, 4, i16, i32)
EXTEND(v_extend_u16, 4, u16, i32)
EXTEND(v_extend_i32, 2, i32, i64)
EXTEND(v_extend_u32, 2, u32, i64)
#undef EXTEND
#endif

/* Products of lanes [first, first + lanes) of a and b, widened (no overflow: the wide field's
 * unsigned view holds every product). */
#define EXTMUL(name, lanes, from, to, wide)                                     \
  static inline v128_t name(v128_t a, v128_t b, int first) {                    \
    v128_t r;                                                                   \
    for (int i = 0; i < lanes; i++)                                             \
      r.to[i] = (wide)((wide)a.from[first + i] * (wide)b.from[first + i]);      \
    return r;                                                                   \
  }
EXTMUL(v_extmul_i8, 8, i8, i16, int16_t)
EXTMUL(v_extmul_u8, 8, u8, u16, uint16_t)
EXTMUL(v_extmul_i16, 4, i16, i32, int32_t)
EXTMUL(v_extmul_u16, 4, u16, u32, uint32_t)
EXTMUL(v_extmul_i32, 2, i32, i64, int64_t)
EXTMUL(v_extmul_u32, 2, u32, u64, uint64_t)
#undef EXTMUL

#define EXTADD_PAIRWISE(name, lanes, from, to, wide)                             \
  static inline v128_t name(v128_t a) {                                          \
    v128_t r;                                                                    \
    for (int i = 0; i < lanes; i++)                                              \
      r.to[i] = (wide)((wide)a.from[2 * i] + (wide)a.from[2 * i + 1]);           \
    return r;                                                                    \
  }
EXTADD_PAIRWISE(v_extadd_i8, 8, i8, i16, int16_t)
EXTADD_PAIRWISE(v_extadd_u8, 8, u8, u16, uint16_t)
EXTADD_PAIRWISE(v_extadd_i16, 4, i16, i32, int32_t)
EXTADD_PAIRWISE(v_extadd_u16, 4, u16, u32, uint32_t)
#undef EXTADD_PAIRWISE

/* i32x4.dot_i16x8_s: pairwise sums of the 32-bit products; only -32768 * -32768 twice can
 * exceed int32, and it wraps (as pmaddwd does). */
static inline v128_t v_dot_i16(v128_t a, v128_t b) {
#ifdef __SSE2__
  return (v128_t){.m = _mm_madd_epi16(a.m, b.m)};
#else
  v128_t r;
  for (int i = 0; i < 4; i++)
    r.u32[i] = (uint32_t)(a.i16[2 * i] * b.i16[2 * i]) + (uint32_t)(a.i16[2 * i + 1] * b.i16[2 * i + 1]);
  return r;
#endif
}

static inline v128_t v_q15mulr(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 8; i++)
    r.i16[i] = (int16_t)sat_s(((int32_t)a.i16[i] * b.i16[i] + 0x4000) >> 15, INT16_MIN, INT16_MAX);
  return r;
}

static inline v128_t v_swizzle(v128_t a, v128_t s) {
  v128_t r;
  for (int i = 0; i < 16; i++) r.u8[i] = s.u8[i] < 16 ? a.u8[s.u8[i]] : 0;
  return r;
}

/* Lane indices are < 32 (validated). */
static inline v128_t v_shuffle(v128_t a, v128_t b, v128_t lanes) {
  uint8_t both[32];
  memcpy(both, &a, 16);
  memcpy(both + 16, &b, 16);
  v128_t r;
  for (int i = 0; i < 16; i++) r.u8[i] = both[lanes.u8[i]];
  return r;
}

/* With SSSE3 (checked at run time; the build targets plain x86-64), a shuffle is two pshufb
 * and an or: ma/mb hold a's/b's byte index per result byte, or 0x80 (pshufb gives 0 there),
 * precomputed from the constant lane immediate at translation. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <tmmintrin.h>
#define WL_HAVE_PSHUFB 1
static inline bool v_pshufb_usable(void) { return __builtin_cpu_supports("ssse3"); }
__attribute__((target("ssse3"), unused)) static v128_t v_shuffle_pshufb(v128_t a, v128_t b,
                                                                       v128_t ma, v128_t mb) {
  return (v128_t){.m = _mm_or_si128(_mm_shuffle_epi8(a.m, ma.m), _mm_shuffle_epi8(b.m, mb.m))};
}
#endif

/* A shuffle of whole 32-bit lanes: lane k from lane (lanes >> 8k) & 7 of a:b. */
static inline v128_t v_shuffle32(v128_t a, v128_t b, uint64_t lanes) {
  uint32_t both[8];
  memcpy(both, &a, 16);
  memcpy(both + 4, &b, 16);
  return (v128_t){.u32 = {both[lanes & 7], both[(lanes >> 8) & 7], both[(lanes >> 16) & 7],
                          both[(lanes >> 24) & 7]}};
}

/* ---------------------------------------------------------------- float lanes */

/* name(a, b): expr of lanes x = a[i], y = b[i] (unary ones ignore b) for n lanes of field. */
#define FLOAT_LANES(name, n, field, type, expr)       \
  static inline v128_t name(v128_t a, v128_t b) {     \
    v128_t r;                                         \
    for (int i = 0; i < n; i++) {                     \
      type x = a.field[i], y = b.field[i];            \
      (void)y;                                        \
      r.field[i] = (expr);                            \
    }                                                 \
    return r;                                         \
  }
#define F32_LANES(name, expr) FLOAT_LANES(name, 4, f32, float, expr)
#define F64_LANES(name, expr) FLOAT_LANES(name, 2, f64, double, expr)
F32_LANES(v_f32_min, wl_fminf(x, y))
F32_LANES(v_f32_max, wl_fmaxf(x, y))
F32_LANES(v_f32_ceil, wl_round_f32(ceilf, x))
F32_LANES(v_f32_floor, wl_round_f32(floorf, x))
F32_LANES(v_f32_trunc, wl_round_f32(truncf, x))
F32_LANES(v_f32_nearest, wl_round_f32(nearbyintf, x))
F32_LANES(v_f32_sqrt, sqrtf(x))
F64_LANES(v_f64_min, wl_fmin(x, y))
F64_LANES(v_f64_max, wl_fmax(x, y))
F64_LANES(v_f64_ceil, wl_round_f64(ceil, x))
F64_LANES(v_f64_floor, wl_round_f64(floor, x))
F64_LANES(v_f64_trunc, wl_round_f64(trunc, x))
F64_LANES(v_f64_nearest, wl_round_f64(nearbyint, x))
F64_LANES(v_f64_sqrt, sqrt(x))
#undef F32_LANES
#undef F64_LANES
#undef FLOAT_LANES

/* pmin/pmax are C's b < a ? b : a and a < b ? b : a on the lane bits: NaNs and zeros pass
 * through exactly (no arithmetic on them). */
static inline v128_t v_f32_pmin(v128_t a, v128_t b) { return v_blend(V_MASK(b.f32 < a.f32), b, a); }
static inline v128_t v_f32_pmax(v128_t a, v128_t b) { return v_blend(V_MASK(a.f32 < b.f32), b, a); }
static inline v128_t v_f64_pmin(v128_t a, v128_t b) { return v_blend(V_MASK(b.f64 < a.f64), b, a); }
static inline v128_t v_f64_pmax(v128_t a, v128_t b) { return v_blend(V_MASK(a.f64 < b.f64), b, a); }

/* ---------------------------------------------------------------- conversions */

static inline v128_t v_trunc_sat_f32_s(v128_t a) {
  v128_t r;
  for (int i = 0; i < 4; i++) r.i32[i] = sat_i32(a.f32[i]);
  return r;
}
static inline v128_t v_trunc_sat_f32_u(v128_t a) {
  v128_t r;
  for (int i = 0; i < 4; i++) r.u32[i] = sat_u32(a.f32[i]);
  return r;
}
static inline v128_t v_trunc_sat_f64_s_zero(v128_t a) {
  v128_t r = v128_zero();
  for (int i = 0; i < 2; i++) r.i32[i] = sat_i32(a.f64[i]);
  return r;
}
static inline v128_t v_trunc_sat_f64_u_zero(v128_t a) {
  v128_t r = v128_zero();
  for (int i = 0; i < 2; i++) r.u32[i] = sat_u32(a.f64[i]);
  return r;
}
static inline v128_t v_convert_u32_f32(v128_t a) {
  v128_t r;
  for (int i = 0; i < 4; i++) r.f32[i] = (float)a.u32[i];  /* one correctly rounded step */
  return r;
}
static inline v128_t v_demote(v128_t a) {
  v128_t r = v128_zero();
  for (int i = 0; i < 2; i++) r.f32[i] = (float)a.f64[i];
  return r;
}
static inline v128_t v_promote(v128_t a) {
  v128_t r;
  for (int i = 0; i < 2; i++) r.f64[i] = (double)a.f32[i];
  return r;
}
static inline v128_t v_convert_low_s(v128_t a) {
  v128_t r;
  for (int i = 0; i < 2; i++) r.f64[i] = (double)a.i32[i];
  return r;
}
static inline v128_t v_convert_low_u(v128_t a) {
  v128_t r;
  for (int i = 0; i < 2; i++) r.f64[i] = (double)a.u32[i];
  return r;
}

/* ---------------------------------------------------------------- relaxed SIMD choices */

/* relaxed_madd/nmadd: unfused, a * b rounded, then +- c rounded (the build compiles with
 * -ffp-contract=off, so the compiler does not fuse them either). */
static inline v128_t v_madd_f32(v128_t a, v128_t b, v128_t c, bool negate) {
  v_f32 p = a.f32 * b.f32;
  return (v128_t){.f32 = (negate ? -p : p) + c.f32};
}
static inline v128_t v_madd_f64(v128_t a, v128_t b, v128_t c, bool negate) {
  v_f64 p = a.f64 * b.f64;
  return (v128_t){.f64 = (negate ? -p : p) + c.f64};
}

/* relaxed_dot_i8x16_i7x16_s: both operands signed; the pairwise i16 sums wrap. */
static inline v128_t v_relaxed_dot_i8(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 8; i++)
    r.u16[i] = (uint16_t)(a.i8[2 * i] * b.i8[2 * i] + a.i8[2 * i + 1] * b.i8[2 * i + 1]);
  return r;
}
static inline v128_t v_relaxed_dot_add(v128_t a, v128_t b, v128_t c) {
  v128_t d = v_relaxed_dot_i8(a, b), r;
  for (int i = 0; i < 4; i++)
    r.u32[i] = (uint32_t)((int32_t)d.i16[2 * i] + d.i16[2 * i + 1]) + c.u32[i];
  return r;
}

#endif
