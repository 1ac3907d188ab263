/* f32 and f64 arithmetic and comparisons with scalar SSE on the register cache's xmm
 * registers (memory operands folded in); an f32 spilled to a slot keeps its upper half zero.
 * abs, neg and copysign are bit operations (they never touch a NaN's payload); min and max
 * (NaN and signed-zero rules) are C helpers. x86 produces arithmetic NaNs, which the spec's
 * NaN rules accept. */
#include "backends/jit/jit.h"

/* xmm0 = first operand, xmm1 = second (for the comparisons that need both in scratch). */
static void load_pair(jit_fn *fn, bool f64) {
  jit_val_to_xmm(fn, jit_at(fn, 1), fn->sp - 2, f64, 0);
  jit_val_to_xmm(fn, jit_at(fn, 0), fn->sp - 1, f64, 1);
}

/* The xmm register holding v at height h, loading it into `scratch` if it has none. */
static x64_xmm in_xmm(jit_fn *fn, const jit_val *v, uint32_t h, bool f64, x64_xmm scratch) {
  int x = jit_val_xmm(fn, v);
  if (x >= 0) return (x64_xmm)x;
  jit_val_to_xmm(fn, v, h, f64, scratch);
  return scratch;
}

/* The result register of a binary or unary operation on a: a's own xmm, else a fresh one. */
static x64_xmm take_first(jit_fn *fn, bool f64, const jit_val *a, uint32_t ha, const jit_val *b) {
  if (a->kind == JV_XMM) return a->reg;
  x64_xmm dst = jit_alloc_xmm(fn, b ? jit_val_mask(b) : 0);
  jit_val_to_xmm(fn, a, ha, f64, dst);
  return dst;
}

static bool is_local(const jit_val *v, uint32_t i) { return v->kind == JV_LOCAL && v->local == i; }

static void swap(jit_val *a, jit_val *b, uint32_t *ha, uint32_t *hb) {
  jit_val t = *a;
  uint32_t th = *ha;
  *a = *b;
  *b = t;
  *ha = *hb;
  *hb = th;
}

/* The destination: the home of the local the next instruction sets (a moved there unless it
 * is that local; not when only b is and the operation does not commute), else a's own
 * register or a fresh one. *local = UINT32_MAX unless the home is used. */
static x64_xmm binary_dst(jit_fn *fn, bool f64, bool commutes, jit_val *a, uint32_t *ha,
                          jit_val *b, uint32_t *hb, uint32_t *local) {
  uint32_t i;
  int home = jit_result_xmm_home(fn, 2, &i);
  *local = UINT32_MAX;
  if (home >= 0) {
    if (commutes && is_local(b, i) && !is_local(a, i)) swap(a, b, ha, hb);
    if (is_local(a, i) || !is_local(b, i)) {
      if (!is_local(a, i)) jit_val_to_xmm(fn, a, *ha, f64, (x64_xmm)home);
      *local = i;
      return (x64_xmm)home;
    }
  }
  if (commutes && a->kind != JV_XMM && b->kind == JV_XMM) swap(a, b, ha, hb);
  return take_first(fn, f64, a, *ha, b);
}

/* Pops the operands and pushes the result in dst (or the local whose home it is). */
static void push_result(jit_fn *fn, uint32_t pop, x64_xmm dst, bool f64, uint32_t local) {
  jit_pop(fn, pop);
  if (local != UINT32_MAX)
    jit_push_val(fn, (jit_val){.kind = JV_LOCAL, .local = local});
  else
    jit_push_xmm(fn, dst, f64);
}

static void binary(jit_fn *fn, x64_sse op, bool f64) {
  jit_val a = *jit_at(fn, 1), b = *jit_at(fn, 0);
  uint32_t ha = fn->sp - 2, hb = fn->sp - 1, local;
  bool commutes = op == X64_FADD || op == X64_FMUL;
  x64_xmm dst = binary_dst(fn, f64, commutes, &a, &ha, &b, &hb, &local);
  x64_mem m;
  int xb = jit_val_xmm(fn, &b);
  if (xb >= 0) {
    x64_sse_rr(fn->a, op, f64, dst, (x64_xmm)xb);
  } else if (jit_val_mem(fn, &b, hb, &m)) {
    x64_sse_rm(fn->a, op, f64, dst, m);
  } else {
    jit_val_to_xmm(fn, &b, hb, f64, 1);
    x64_sse_rr(fn->a, op, f64, dst, 1);
  }
  push_result(fn, 2, dst, f64, local);
}

static void unary(jit_fn *fn, bool f64, int round_mode) {
  jit_val a = *jit_at(fn, 0);
  uint32_t local = UINT32_MAX;
  int home = jit_result_xmm_home(fn, 1, &local);
  x64_xmm src = in_xmm(fn, &a, fn->sp - 1, f64, 1);
  x64_xmm dst = home >= 0 ? (x64_xmm)home : a.kind == JV_XMM ? a.reg : jit_alloc_xmm(fn, 0);
  if (home < 0) local = UINT32_MAX;
  if (round_mode < 0)
    x64_sse_rr(fn->a, X64_SQRT, f64, dst, src);
  else
    x64_round(fn->a, f64, dst, src, (x64_round_mode)round_mode);
  push_result(fn, 1, dst, f64, local);
}

static uint64_t sign_bit(bool f64) { return f64 ? 1ull << 63 : 1ull << 31; }

/* abs: clear the sign; neg: flip it (a mask in xmm1; an f32's mask has zero upper lanes, so
 * the bits above the value are cleared or kept, never made up). */
static void sign_op(jit_fn *fn, bool f64, bool neg) {
  jit_val v = *jit_at(fn, 0);
  x64_xmm x = v.kind == JV_XMM ? v.reg : jit_alloc_xmm(fn, 0);
  jit_val_to_xmm(fn, &v, fn->sp - 1, f64, x);
  x64_mov_ri(fn->a, X64_RAX, neg ? sign_bit(f64) : sign_bit(f64) - 1);
  x64_movq_xr(fn->a, f64, 1, X64_RAX);
  if (neg)
    x64_xorps(fn->a, x, 1);
  else
    x64_andps(fn->a, x, 1);
  jit_pop(fn, 1);
  jit_push_xmm(fn, x, f64);
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
 * to 1 for unordered, so eq needs ZF && !PF, ne needs !ZF || PF (both materialized here), and
 * gt/ge compare with above/above-or-equal (false when CF is set), lt/le the same on swapped
 * operands: those stay in the flags for a branch to use. */
static void compare(jit_fn *fn, bool f64, unsigned k) {
  x64_asm *a = fn->a;
  if (k <= 1) {  /* eq, ne */
    load_pair(fn, f64);
    x64_ucomi(a, f64, 0, 1);
    x64_setcc(a, k == 0 ? X64_E : X64_NE, X64_RAX);
    x64_setcc(a, k == 0 ? X64_NP : X64_P, X64_RCX);
    x64_movzx8(a, X64_RAX, X64_RAX);
    x64_movzx8(a, X64_RCX, X64_RCX);
    x64_alu_rr(a, k == 0 ? X64_AND : X64_OR, false, X64_RAX, X64_RCX);
    jit_replace(fn, 2, X64_RAX);
    return;
  }
  bool swap = k == 2 || k == 4;  /* lt, le: b > a, b >= a */
  uint32_t hx = swap ? fn->sp - 1 : fn->sp - 2, hy = swap ? fn->sp - 2 : fn->sp - 1;
  const jit_val *x = &fn->vs[hx], *y = &fn->vs[hy];
  x64_xmm rx = in_xmm(fn, x, hx, f64, 0);
  x64_mem m;
  int ry = jit_val_xmm(fn, y);
  if (ry >= 0) {
    x64_ucomi(a, f64, rx, (x64_xmm)ry);
  } else if (jit_val_mem(fn, y, hy, &m)) {
    x64_ucomi_m(a, f64, rx, m);
  } else {
    jit_val_to_xmm(fn, y, hy, f64, 1);
    x64_ucomi(a, f64, rx, 1);
  }
  jit_pop(fn, 2);
  jit_push_val(fn, (jit_val){.kind = JV_FLAGS, .reg = (uint8_t)(k == 2 || k == 3 ? X64_A : X64_AE)});
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
