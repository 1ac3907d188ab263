/* Conversions between value types. Reinterpretations are free (a slot holds the bits);
 * signed integer -> float and float <-> float are single SSE instructions on the cache's xmm
 * registers; truncations and unsigned 64-bit -> float go through C helpers (jit_helpers.c). */
#include "backends/jit/jit.h"

static void int_to_float(jit_fn *fn, bool f64, bool src64, bool is_unsigned) {
  jit_load_top(fn, src64, X64_RAX, 0);
  x64_xmm x = jit_alloc_xmm(fn, 0);
  x64_xorps(fn->a, x, x);  /* cvtsi2s? writes the low lane only: no false dependency */
  /* An unsigned i32 is exact as a signed 64-bit integer: convert that, rounding once. */
  x64_cvtsi2f(fn->a, f64, src64 || is_unsigned, x, X64_RAX);
  jit_pop(fn, 1);
  jit_push_xmm(fn, x, f64);
}

static void float_to_float(jit_fn *fn, bool to_f64) {
  jit_val v = *jit_at(fn, 0);
  x64_xmm x = v.kind == JV_XMM ? v.reg : jit_alloc_xmm(fn, 0);
  jit_val_to_xmm(fn, &v, fn->sp - 1, !to_f64, x);
  x64_sse_rr(fn->a, X64_FCVT, !to_f64, x, x);  /* cvtss2sd / cvtsd2ss */
  jit_pop(fn, 1);
  jit_push_xmm(fn, x, to_f64);
}

/* i32.wrap_i64 and i64.extend_i32_u: a 32-bit move (an i32 already in a register or slot is
 * zero-extended, so extend_u of one needs no code). */
static void to_u32(jit_fn *fn, bool wrap) {
  jit_val *v = jit_at(fn, 0);
  if (!wrap && (v->kind == JV_GPR || v->kind == JV_SLOT || v->kind == JV_CONST)) return;
  if (v->kind == JV_CONST) {
    v->bits = (uint32_t)v->bits;
    return;
  }
  x64_reg r = v->kind == JV_GPR ? (x64_reg)v->reg : jit_alloc_gpr(fn, 0);
  jit_load_top(fn, false, r, 0);
  if (v->kind == JV_GPR) x64_mov_rr(fn->a, false, r, r);
  jit_pop(fn, 1);
  jit_push_gpr(fn, r);
}

static void extend_s32(jit_fn *fn) {
  jit_val *v = jit_at(fn, 0);
  x64_reg r = v->kind == JV_GPR ? (x64_reg)v->reg : jit_alloc_gpr(fn, 0);
  jit_load_top(fn, false, r, 0);
  x64_movsx_rr(fn->a, 4, true, r, r);
  jit_pop(fn, 1);
  jit_push_gpr(fn, r);
}

static bool by_helper(jit_fn *fn, uint16_t op) {
  bool traps;
  const void *h = jit_conversion_helper(op, &traps);
  if (!h) return false;
  if (traps) {
    x64_mov_rr(fn->a, true, X64_RDI, JIT_EX);
    jit_load_top(fn, true, X64_RSI, 0);
  } else {
    jit_load_top(fn, true, X64_RDI, 0);
  }
  jit_call_c(fn, h);
  jit_replace(fn, 1, X64_RAX);
  return true;
}

bool jit_emit_conversion(jit_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_I32_WRAP_I64: to_u32(fn, true); return true;
    case WL_OP_I64_EXTEND_I32_U: to_u32(fn, false); return true;
    case WL_OP_I64_EXTEND_I32_S: extend_s32(fn); return true;
    case WL_OP_I32_REINTERPRET_F32:
    case WL_OP_I64_REINTERPRET_F64:
    case WL_OP_F32_REINTERPRET_I32:
    case WL_OP_F64_REINTERPRET_I64: return true;
    case WL_OP_F32_CONVERT_I32_S: int_to_float(fn, false, false, false); return true;
    case WL_OP_F32_CONVERT_I32_U: int_to_float(fn, false, false, true); return true;
    case WL_OP_F32_CONVERT_I64_S: int_to_float(fn, false, true, false); return true;
    case WL_OP_F64_CONVERT_I32_S: int_to_float(fn, true, false, false); return true;
    case WL_OP_F64_CONVERT_I32_U: int_to_float(fn, true, false, true); return true;
    case WL_OP_F64_CONVERT_I64_S: int_to_float(fn, true, true, false); return true;
    case WL_OP_F32_DEMOTE_F64: float_to_float(fn, false); return true;
    case WL_OP_F64_PROMOTE_F32: float_to_float(fn, true); return true;
    default: return by_helper(fn, in->op);
  }
}
