/* f32 and f64 arithmetic and comparisons with scalar SSE. Values travel between slots and xmm
 * registers through rax/rcx (movd/movq), so slots keep their zero-extended bit patterns.
 * abs, neg and copysign are bit operations (they never touch a NaN's payload); min and max
 * (NaN and signed-zero rules) are C helpers. x86 produces arithmetic NaNs, which the spec's
 * NaN rules accept. */
#include "backends/jit/jit.h"

/* xmm0 = first operand, xmm1 = second. */
static void load_pair(jit_fn *fn, bool f64) {
  jit_load_top(fn, f64, X64_RAX, 1);
  jit_load_top(fn, f64, X64_RCX, 0);
  x64_movq_xr(fn->a, f64, 0, X64_RAX);
  x64_movq_xr(fn->a, f64, 1, X64_RCX);
}

static void push_xmm0(jit_fn *fn, bool f64, uint32_t pop) {
  x64_movq_rx(fn->a, f64, X64_RAX, 0);
  jit_replace(fn, pop, X64_RAX);
}

static void binary(jit_fn *fn, x64_sse op, bool f64) {
  load_pair(fn, f64);
  x64_sse_rr(fn->a, op, f64, 0, 1);
  push_xmm0(fn, f64, 2);
}

static void unary(jit_fn *fn, bool f64, int round_mode) {
  jit_load_top(fn, f64, X64_RAX, 0);
  x64_movq_xr(fn->a, f64, 0, X64_RAX);
  if (round_mode < 0)
    x64_sse_rr(fn->a, X64_SQRT, f64, 0, 0);
  else
    x64_round(fn->a, f64, 0, 0, (x64_round_mode)round_mode);
  push_xmm0(fn, f64, 1);
}

static uint64_t sign_bit(bool f64) { return f64 ? 1ull << 63 : 1ull << 31; }

/* abs: clear the sign; neg: flip it. */
static void sign_op(jit_fn *fn, bool f64, bool neg) {
  jit_load_top(fn, f64, X64_RAX, 0);
  x64_mov_ri(fn->a, X64_RCX, neg ? sign_bit(f64) : sign_bit(f64) - 1);
  x64_alu_rr(fn->a, neg ? X64_XOR : X64_AND, f64, X64_RAX, X64_RCX);
  jit_replace(fn, 1, X64_RAX);
}

static void emit_copysign(jit_fn *fn, bool f64) {
  x64_asm *a = fn->a;
  jit_load_top(fn, f64, X64_RAX, 1);
  jit_load_top(fn, f64, X64_RCX, 0);
  x64_mov_ri(a, X64_RDX, sign_bit(f64));
  x64_alu_rr(a, X64_AND, f64, X64_RCX, X64_RDX);
  x64_mov_ri(a, X64_RDX, sign_bit(f64) - 1);
  x64_alu_rr(a, X64_AND, f64, X64_RAX, X64_RDX);
  x64_alu_rr(a, X64_OR, f64, X64_RAX, X64_RCX);
  jit_replace(fn, 2, X64_RAX);
}

static void helper(jit_fn *fn, const void *target) {
  jit_load_top(fn, true, X64_RDI, 1);
  jit_load_top(fn, true, X64_RSI, 0);
  jit_call_c(fn, target);
  jit_replace(fn, 2, X64_RAX);
}

/* Unordered operands (NaN) make every comparison false but ne. ucomis sets ZF, PF and CF all
 * to 1 for unordered, so eq needs ZF && !PF, ne needs !ZF || PF, and lt/le compare the
 * swapped operands with above/above-or-equal (false when CF is set). */
static void compare(jit_fn *fn, bool f64, unsigned k) {
  x64_asm *a = fn->a;
  load_pair(fn, f64);
  switch (k) {
    case 0: case 1:  /* eq, ne */
      x64_ucomi(a, f64, 0, 1);
      x64_setcc(a, k == 0 ? X64_E : X64_NE, X64_RAX);
      x64_setcc(a, k == 0 ? X64_NP : X64_P, X64_RCX);
      x64_movzx8(a, X64_RAX, X64_RAX);
      x64_movzx8(a, X64_RCX, X64_RCX);
      x64_alu_rr(a, k == 0 ? X64_AND : X64_OR, false, X64_RAX, X64_RCX);
      break;
    case 2: case 4:  /* lt, le: b > a, b >= a */
      x64_ucomi(a, f64, 1, 0);
      x64_setcc(a, k == 2 ? X64_A : X64_AE, X64_RAX);
      x64_movzx8(a, X64_RAX, X64_RAX);
      break;
    default:  /* gt, ge */
      x64_ucomi(a, f64, 0, 1);
      x64_setcc(a, k == 3 ? X64_A : X64_AE, X64_RAX);
      x64_movzx8(a, X64_RAX, X64_RAX);
      break;
  }
  jit_replace(fn, 2, X64_RAX);
}

/* f32 and f64 share the order ABS NEG CEIL FLOOR TRUNC NEAREST SQRT ADD SUB MUL DIV MIN MAX
 * COPYSIGN (core.def). */
static bool emit_arith(jit_fn *fn, unsigned k, bool f64) {
  switch (k) {
    case 0: sign_op(fn, f64, false); return true;
    case 1: sign_op(fn, f64, true); return true;
    case 2: unary(fn, f64, X64_ROUND_CEIL); return true;
    case 3: unary(fn, f64, X64_ROUND_FLOOR); return true;
    case 4: unary(fn, f64, X64_ROUND_TRUNC); return true;
    case 5: unary(fn, f64, X64_ROUND_NEAREST); return true;
    case 6: unary(fn, f64, -1); return true;
    case 7: binary(fn, X64_FADD, f64); return true;
    case 8: binary(fn, X64_FSUB, f64); return true;
    case 9: binary(fn, X64_FMUL, f64); return true;
    case 10: binary(fn, X64_FDIV, f64); return true;
    case 11: helper(fn, f64 ? (const void *)jit_f64_min : (const void *)jit_f32_min); return true;
    case 12: helper(fn, f64 ? (const void *)jit_f64_max : (const void *)jit_f32_max); return true;
    case 13: emit_copysign(fn, f64); return true;
    default: return false;
  }
}

_Static_assert(WL_OP_F32_COPYSIGN - WL_OP_F32_ABS == 13 && WL_OP_F64_COPYSIGN - WL_OP_F64_ABS == 13,
               "float groups keep the core.def order");
_Static_assert(WL_OP_F32_GE - WL_OP_F32_EQ == 5 && WL_OP_F64_GE - WL_OP_F64_EQ == 5,
               "float comparisons keep the core.def order");

bool jit_emit_float(jit_fn *fn, const wl_instr *in) {
  uint16_t op = in->op;
  if (op >= WL_OP_F32_EQ && op <= WL_OP_F32_GE) {
    compare(fn, false, op - WL_OP_F32_EQ);
  } else if (op >= WL_OP_F64_EQ && op <= WL_OP_F64_GE) {
    compare(fn, true, op - WL_OP_F64_EQ);
  } else if (op >= WL_OP_F32_ABS && op <= WL_OP_F32_COPYSIGN) {
    return emit_arith(fn, op - WL_OP_F32_ABS, false);
  } else if (op >= WL_OP_F64_ABS && op <= WL_OP_F64_COPYSIGN) {
    return emit_arith(fn, op - WL_OP_F64_ABS, true);
  } else {
    return false;
  }
  return true;
}
