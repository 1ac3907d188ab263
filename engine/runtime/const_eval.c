/* Constant expressions (global initialisers, segment offsets and element items). The validator
 * has already checked them, so this reads without error handling: one constant-producing
 * instruction followed by `end`. */
#include <string.h>

#include "engine/runtime/internal.h"

static uint64_t read_uleb(const uint8_t **p) {
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *(*p)++;
    if (shift < 64) v |= (uint64_t)(b & 0x7F) << shift;
    shift += 7;
  } while (b & 0x80);
  return v;
}

static int64_t read_sleb(const uint8_t **p) {
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *(*p)++;
    if (shift < 64) v |= (uint64_t)(b & 0x7F) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;  /* sign-extend */
  return (int64_t)v;
}

static uint64_t read_bits(const uint8_t **p, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = 0; i < bytes; i++) v |= (uint64_t)(*p)[i] << (8 * i);
  *p += bytes;
  return v;
}

wl_slot wl_eval_const(const wl_instance *inst, const wl_constexpr *e) {
  const uint8_t *p = e->code, *end = e->code + e->len;
  wl_slot value = 0;
  while (p < end) {
    switch (*p++) {
    case 0x41: value = (uint32_t)(int32_t)read_sleb(&p); break;  /* i32.const */
    case 0x42: value = (uint64_t)read_sleb(&p); break;           /* i64.const */
    case 0x43: value = read_bits(&p, 4); break;                  /* f32.const */
    case 0x44: value = read_bits(&p, 8); break;                  /* f64.const */
    case 0xD0: p++; value = 0; break;                            /* ref.null t */
    case 0xD2: value = (uintptr_t)inst->funcs[read_uleb(&p)]; break;         /* ref.func */
    case 0x23: value = inst->globals[read_uleb(&p)]->value; break;           /* global.get */
    case 0x0B: return value;                                                 /* end */
    default: return value;  /* unreachable for validated input */
    }
  }
  return value;
}
