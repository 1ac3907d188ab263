/* Conversions between value types. Reinterpretations are free (a slot holds the bits);
 * signed integer -> float and float <-> float are single SSE instructions; truncations and
 * unsigned 64-bit -> float go through C helpers (jit_helpers.c). */
#include "backends/jit/jit.h"

static void int_to_float(jit_fn *fn, bool f64, bool src64, bool is_unsigned) {
  jit_load_top(fn, src64, X64_RAX, 0);
  /* An unsigned i32 is exact as a signed 64-bit integer: convert that, rounding once. */
  x64_cvtsi2f(fn->a, f64, src64 || is_unsigned, 0, X64_RAX);
  x64_movq_rx(fn->a, f64, X64_RAX, 0);
  jit_replace(fn, 1, X64_RAX);
}

static void float_to_float(jit_fn *fn, bool to_f64) {
  jit_load_top(fn, !to_f64, X64_RAX, 0);
  x64_movq_xr(fn->a, !to_f64, 0, X64_RAX);
  x64_sse_rr(fn->a, X64_FCVT, !to_f64, 0, 0);  /* cvtss2sd / cvtsd2ss */
  x64_movq_rx(fn->a, to_f64, X64_RAX, 0);
  jit_replace(fn, 1, X64_RAX);
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
    case WL_OP_I32_WRAP_I64:
    case WL_OP_I64_EXTEND_I32_U:
      jit_load_top(fn, false, X64_RAX, 0);  /* a 32-bit load zero-extends */
      jit_replace(fn, 1, X64_RAX);
      return true;
    case WL_OP_I64_EXTEND_I32_S:
      jit_load_top(fn, false, X64_RAX, 0);
      x64_movsx_rr(fn->a, 4, true, X64_RAX, X64_RAX);
      jit_replace(fn, 1, X64_RAX);
      return true;
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
