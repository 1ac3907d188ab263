/* C helpers for the SIMD instructions the JIT does not inline: one per row of the shared lane
 * table (engine/simd/lane_ops.def), made by the macros below from the same statements the
 * interpreter's handlers run, so both backends compute the same bits (NaN rules, rounding,
 * saturation). A helper reads its operands from 16-byte frame cells and writes its result to
 * a cell (a scalar result: the cell's low 8 bytes, the slot convention). */
#include <string.h>

#include "backends/jit/jit.h"
#include "engine/simd/lanes.h"

#define HELPER_ARGS uint8_t *rp, const uint8_t *ap, const uint8_t *bp, const uint8_t *cp, uint64_t lane
#define UNUSED_ARGS (void)ap, (void)bp, (void)cp, (void)lane

static wl_slot scalar_at(const uint8_t *p) {
  wl_slot x;
  memcpy(&x, p, 8);
  return x;
}
static void set_scalar(uint8_t *p, wl_slot x) { memcpy(p, &x, 8); }

#define V_UN(name, stmt)                                   \
  static void h_##name(HELPER_ARGS) {                      \
    UNUSED_ARGS;                                           \
    v128_t a = v128_load(ap), r;                           \
    stmt;                                                  \
    v128_store(rp, r);                                     \
  }
#define V_BIN(name, stmt)                                  \
  static void h_##name(HELPER_ARGS) {                      \
    UNUSED_ARGS;                                           \
    v128_t a = v128_load(ap), b = v128_load(bp), r;        \
    stmt;                                                  \
    v128_store(rp, r);                                     \
  }
#define V_BINK V_BIN
#define V_CMP(name, field, op) V_BIN(name, r.field = (__typeof__(r.field))(a.field op b.field))
#define V_TERN(name, stmt)                                                  \
  static void h_##name(HELPER_ARGS) {                                       \
    UNUSED_ARGS;                                                            \
    v128_t a = v128_load(ap), b = v128_load(bp), c = v128_load(cp), r;      \
    stmt;                                                                   \
    v128_store(rp, r);                                                      \
  }
#define V_TEST(name, expr)                                 \
  static void h_##name(HELPER_ARGS) {                      \
    UNUSED_ARGS;                                           \
    v128_t a = v128_load(ap);                              \
    set_scalar(rp, (uint32_t)(expr));                      \
  }
#define V_SHIFT(name, stmt)                                \
  static void h_##name(HELPER_ARGS) {                      \
    UNUSED_ARGS;                                           \
    v128_t a = v128_load(ap), r;                           \
    uint32_t n = (uint32_t)scalar_at(bp);                  \
    stmt;                                                  \
    v128_store(rp, r);                                     \
  }
#define V_SPLAT(name, stmt)                                \
  static void h_##name(HELPER_ARGS) {                      \
    UNUSED_ARGS;                                           \
    wl_slot x = scalar_at(ap);                             \
    v128_t r;                                              \
    stmt;                                                  \
    v128_store(rp, r);                                     \
  }
#define V_EXTRACT(name, expr)                              \
  static void h_##name(HELPER_ARGS) {                      \
    UNUSED_ARGS;                                           \
    v128_t a = v128_load(ap);                              \
    set_scalar(rp, (wl_slot)(expr));                       \
  }
#define V_REPLACE(name, stmt)                              \
  static void h_##name(HELPER_ARGS) {                      \
    UNUSED_ARGS;                                           \
    v128_t a = v128_load(ap);                              \
    wl_slot x = scalar_at(bp);                             \
    stmt;                                                  \
    v128_store(rp, a);                                     \
  }
#include "engine/simd/lane_ops.def"
#undef V_UN
#undef V_BIN
#undef V_BINK
#undef V_CMP
#undef V_TERN
#undef V_TEST
#undef V_SHIFT
#undef V_SPLAT
#undef V_EXTRACT
#undef V_REPLACE

jit_simd_fn jit_simd_helper(uint16_t op, uint32_t *nargs) {
  switch (op) {
#define ROW(name, n) \
  case WL_OP_##name: *nargs = n; return h_##name;
#define V_UN(name, stmt) ROW(name, 1)
#define V_BIN(name, stmt) ROW(name, 2)
#define V_BINK(name, stmt) ROW(name, 2)
#define V_CMP(name, field, op) ROW(name, 2)
#define V_TERN(name, stmt) ROW(name, 3)
#define V_TEST(name, expr) ROW(name, 1)
#define V_SHIFT(name, stmt) ROW(name, 2)
#define V_SPLAT(name, stmt) ROW(name, 1)
#define V_EXTRACT(name, expr) ROW(name, 1)
#define V_REPLACE(name, stmt) ROW(name, 2)
#include "engine/simd/lane_ops.def"
    default: return NULL;
  }
}

/* ---------------------------------------------------------------- loads, shuffle */

/* m: the loaded bytes in the low lanes (the rest zero), as the interpreter's V_LOAD has it. */
#define LOAD_HELPER(name, stmt)                            \
  static void l_##name(HELPER_ARGS) {                      \
    UNUSED_ARGS;                                           \
    v128_t m = v128_load(ap), r;                           \
    stmt;                                                  \
    v128_store(rp, r);                                     \
  }
LOAD_HELPER(V128_LOAD8X8_S, r = v_extend_i8(m, 0))
LOAD_HELPER(V128_LOAD8X8_U, r = v_extend_u8(m, 0))
LOAD_HELPER(V128_LOAD16X4_S, r = v_extend_i16(m, 0))
LOAD_HELPER(V128_LOAD16X4_U, r = v_extend_u16(m, 0))
LOAD_HELPER(V128_LOAD32X2_S, r = v_extend_i32(m, 0))
LOAD_HELPER(V128_LOAD32X2_U, r = v_extend_u32(m, 0))
LOAD_HELPER(V128_LOAD8_SPLAT, r = v_splat8(m.u8[0]))
LOAD_HELPER(V128_LOAD16_SPLAT, r = v_splat16(m.u16[0]))
LOAD_HELPER(V128_LOAD32_SPLAT, r = v_splat32(m.u32[0]))
LOAD_HELPER(V128_LOAD64_SPLAT, r = v_splat64(m.u64[0]))
#undef LOAD_HELPER

jit_simd_fn jit_simd_load_helper(uint16_t op) {
  switch (op) {
#define L(name) \
  case WL_OP_##name: return l_##name;
    L(V128_LOAD8X8_S) L(V128_LOAD8X8_U) L(V128_LOAD16X4_S) L(V128_LOAD16X4_U)
    L(V128_LOAD32X2_S) L(V128_LOAD32X2_U) L(V128_LOAD8_SPLAT) L(V128_LOAD16_SPLAT)
    L(V128_LOAD32_SPLAT) L(V128_LOAD64_SPLAT)
#undef L
    default: return NULL;  /* v128.load, load32_zero, load64_zero: the bytes as loaded */
  }
}

void jit_simd_shuffle(uint8_t *r, const uint8_t *a, const uint8_t *b, const uint8_t *lanes,
                      uint64_t unused) {
  (void)unused;
  v128_store(r, v_shuffle(v128_load(a), v128_load(b), v128_load(lanes)));
}
