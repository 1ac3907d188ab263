/* Value helpers for the handlers: slot <-> float bit casts and the numeric operations whose
 * spec semantics differ from plain C (NaN handling, min/max, rounding, trapping truncation). */
#ifndef WL_INTERP_VALUES_H
#define WL_INTERP_VALUES_H
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "engine/runtime/runtime.h"
#include "engine/simd/float_rules.h"

static inline float f32_of(wl_slot s) {
  uint32_t b = (uint32_t)s;
  float f;
  memcpy(&f, &b, 4);
  return f;
}
static inline double f64_of(wl_slot s) {
  double d;
  memcpy(&d, &s, 8);
  return d;
}
static inline wl_slot slot_of_f32(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}
static inline wl_slot slot_of_f64(double d) {
  wl_slot b;
  memcpy(&b, &d, 8);
  return b;
}

static inline uint32_t rotl32(uint32_t x, uint32_t n) {
  n &= 31;
  return n ? (x << n) | (x >> (32 - n)) : x;
}
static inline uint32_t rotr32(uint32_t x, uint32_t n) {
  n &= 31;
  return n ? (x >> n) | (x << (32 - n)) : x;
}
static inline uint64_t rotl64(uint64_t x, uint64_t n) {
  n &= 63;
  return n ? (x << n) | (x >> (64 - n)) : x;
}
static inline uint64_t rotr64(uint64_t x, uint64_t n) {
  n &= 63;
  return n ? (x >> n) | (x << (64 - n)) : x;
}

#endif
