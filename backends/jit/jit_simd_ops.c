/* The SIMD instructions emitted inline on the register cache: a v128 operand is in its own
 * xmm register or its cell (loaded into a scratch register with movups: packed SSE memory
 * operands would need 16-byte alignment, which frame cells do not have); results go into the
 * first operand's register when it owns one, else a fresh cache register. Only sequences with
 * exactly the Wasm semantics are here (integer lanes wrap or saturate as SSE does, float
 * arithmetic, sqrt, rounding and compares are IEEE as in the scalar JIT, pmin/pmax are
 * minps/maxps with swapped operands); xmm0 and xmm1 are scratch. */
#include <string.h>

#include "backends/jit/jit.h"

#define BIT(r) ((uint16_t)(1u << (r)))

static x64_mem cell_at(const jit_fn *fn, uint32_t h) { return x64_m(JIT_FP, jit_slot(fn, h)); }

/* The register of the v128 at depth: its own, or `scratch` loaded from its cell. */
static x64_xmm v_reg(jit_fn *fn, uint32_t depth, x64_xmm scratch) {
  jit_val *v = jit_at(fn, depth);
  if (v->kind == JV_XMM) return v->reg;
  x64_movups_load(fn->a, scratch, cell_at(fn, fn->sp - 1 - depth));
  return scratch;
}

/* Masks of the registers the top n operands own. */
static uint16_t owned(jit_fn *fn, uint32_t n) {
  uint16_t m = 0;
  for (uint32_t k = 0; k < n; k++) m |= jit_val_mask(jit_at(fn, k));
  return m;
}

/* A register to compute the result in, holding the v128 at depth: its own, or a fresh one
 * (none of the top `nops` operands' registers) loaded from its cell. */
static x64_xmm v_dst(jit_fn *fn, uint32_t depth, uint32_t nops) {
  jit_val *v = jit_at(fn, depth);
  if (v->kind == JV_XMM) return v->reg;
  x64_xmm d = jit_alloc_xmm(fn, owned(fn, nops));
  x64_movups_load(fn->a, d, cell_at(fn, fn->sp - 1 - depth));
  return d;
}

static void finish(jit_fn *fn, uint32_t pop, x64_xmm d) {
  jit_pop(fn, pop);
  jit_push_v128(fn, d);
}

static void all_ones(jit_fn *fn, x64_xmm x) { x64_vec(fn->a, X64_PCMPEQD, x, x); }

/* A 16-byte constant into x (rax). */
static void load_const(jit_fn *fn, x64_xmm x, const uint64_t halves[2]) {
  if (halves[0] == 0 && halves[1] == 0) {
    x64_vec(fn->a, X64_PXOR, x, x);
  } else if (halves[0] == UINT64_MAX && halves[1] == UINT64_MAX) {
    all_ones(fn, x);
  } else {
    x64_mov_ri(fn->a, X64_RAX, halves[0]);
    x64_movq_xr(fn->a, true, x, X64_RAX);
    if (halves[1] != halves[0]) x64_mov_ri(fn->a, X64_RAX, halves[1]);
    x64_vec_gpr(fn->a, X64_PINSRD, true, x, X64_RAX, 1);  /* pinsrq x, rax, 1 */
  }
}

/* ---------------------------------------------------------------- binary table */

typedef enum {
  B_PLAIN,    /* d = a; d op= b */
  B_SWAP,     /* d = b; d op= a (lt from gt, andnot, pmin/pmax) */
  B_NOT,      /* B_PLAIN, then all bits inverted (ne, le from gt) */
  B_SWAP_NOT, /* B_SWAP, then inverted */
  B_EQ_OP,    /* d = (a == (a op b)) with `eq`: le_u as min, ge_u as max */
  B_EQ_OP_NOT,
} bin_form;

typedef struct {
  uint16_t op;
  x64_vec_op v;
  uint8_t form;
  x64_vec_op eq;   /* B_EQ_OP: the lane compare */
  int imm;         /* cmpps/cmppd predicate, or -1 */
} bin_row;

#define P(o, v) {WL_OP_##o, X64_##v, B_PLAIN, 0, -1}
#define S(o, v) {WL_OP_##o, X64_##v, B_SWAP, 0, -1}
#define N(o, v) {WL_OP_##o, X64_##v, B_NOT, 0, -1}
#define SN(o, v) {WL_OP_##o, X64_##v, B_SWAP_NOT, 0, -1}
#define E(o, v, eq) {WL_OP_##o, X64_##v, B_EQ_OP, X64_##eq, -1}
#define EN(o, v, eq) {WL_OP_##o, X64_##v, B_EQ_OP_NOT, X64_##eq, -1}
#define C(o, v, imm) {WL_OP_##o, X64_##v, B_PLAIN, 0, imm}
#define CS(o, v, imm) {WL_OP_##o, X64_##v, B_SWAP, 0, imm}
static const bin_row bin_rows[] = {
    P(V128_AND, PAND), S(V128_ANDNOT, PANDN), P(V128_OR, POR), P(V128_XOR, PXOR),
    P(I8X16_ADD, PADDB), P(I16X8_ADD, PADDW), P(I32X4_ADD, PADDD), P(I64X2_ADD, PADDQ),
    P(I8X16_SUB, PSUBB), P(I16X8_SUB, PSUBW), P(I32X4_SUB, PSUBD), P(I64X2_SUB, PSUBQ),
    P(I16X8_MUL, PMULLW), P(I32X4_MUL, PMULLD),
    P(I8X16_ADD_SAT_S, PADDSB), P(I8X16_ADD_SAT_U, PADDUSB), P(I16X8_ADD_SAT_S, PADDSW),
    P(I16X8_ADD_SAT_U, PADDUSW), P(I8X16_SUB_SAT_S, PSUBSB), P(I8X16_SUB_SAT_U, PSUBUSB),
    P(I16X8_SUB_SAT_S, PSUBSW), P(I16X8_SUB_SAT_U, PSUBUSW),
    P(I8X16_AVGR_U, PAVGB), P(I16X8_AVGR_U, PAVGW),
    P(I8X16_MIN_S, PMINSB), P(I8X16_MIN_U, PMINUB), P(I16X8_MIN_S, PMINSW),
    P(I16X8_MIN_U, PMINUW), P(I32X4_MIN_S, PMINSD), P(I32X4_MIN_U, PMINUD),
    P(I8X16_MAX_S, PMAXSB), P(I8X16_MAX_U, PMAXUB), P(I16X8_MAX_S, PMAXSW),
    P(I16X8_MAX_U, PMAXUW), P(I32X4_MAX_S, PMAXSD), P(I32X4_MAX_U, PMAXUD),
    P(I8X16_EQ, PCMPEQB), P(I16X8_EQ, PCMPEQW), P(I32X4_EQ, PCMPEQD), P(I64X2_EQ, PCMPEQQ),
    N(I8X16_NE, PCMPEQB), N(I16X8_NE, PCMPEQW), N(I32X4_NE, PCMPEQD), N(I64X2_NE, PCMPEQQ),
    P(I8X16_GT_S, PCMPGTB), P(I16X8_GT_S, PCMPGTW), P(I32X4_GT_S, PCMPGTD),
    S(I8X16_LT_S, PCMPGTB), S(I16X8_LT_S, PCMPGTW), S(I32X4_LT_S, PCMPGTD),
    N(I8X16_LE_S, PCMPGTB), N(I16X8_LE_S, PCMPGTW), N(I32X4_LE_S, PCMPGTD),
    SN(I8X16_GE_S, PCMPGTB), SN(I16X8_GE_S, PCMPGTW), SN(I32X4_GE_S, PCMPGTD),
    E(I8X16_LE_U, PMINUB, PCMPEQB), E(I16X8_LE_U, PMINUW, PCMPEQW), E(I32X4_LE_U, PMINUD, PCMPEQD),
    E(I8X16_GE_U, PMAXUB, PCMPEQB), E(I16X8_GE_U, PMAXUW, PCMPEQW), E(I32X4_GE_U, PMAXUD, PCMPEQD),
    EN(I8X16_GT_U, PMINUB, PCMPEQB), EN(I16X8_GT_U, PMINUW, PCMPEQW),
    EN(I32X4_GT_U, PMINUD, PCMPEQD),
    EN(I8X16_LT_U, PMAXUB, PCMPEQB), EN(I16X8_LT_U, PMAXUW, PCMPEQW),
    EN(I32X4_LT_U, PMAXUD, PCMPEQD),
    P(F32X4_ADD, ADDPS), P(F32X4_SUB, SUBPS), P(F32X4_MUL, MULPS), P(F32X4_DIV, DIVPS),
    P(F64X2_ADD, ADDPD), P(F64X2_SUB, SUBPD), P(F64X2_MUL, MULPD), P(F64X2_DIV, DIVPD),
    S(F32X4_PMIN, MINPS), S(F32X4_PMAX, MAXPS), S(F64X2_PMIN, MINPD), S(F64X2_PMAX, MAXPD),
    C(F32X4_EQ, CMPPS, 0), C(F32X4_NE, CMPPS, 4), C(F32X4_LT, CMPPS, 1), C(F32X4_LE, CMPPS, 2),
    CS(F32X4_GT, CMPPS, 1), CS(F32X4_GE, CMPPS, 2),
    C(F64X2_EQ, CMPPD, 0), C(F64X2_NE, CMPPD, 4), C(F64X2_LT, CMPPD, 1), C(F64X2_LE, CMPPD, 2),
    CS(F64X2_GT, CMPPD, 1), CS(F64X2_GE, CMPPD, 2),
    P(I32X4_DOT_I16X8_S, PMADDWD),
    P(I8X16_NARROW_I16X8_S, PACKSSWB), P(I8X16_NARROW_I16X8_U, PACKUSWB),
    P(I16X8_NARROW_I32X4_S, PACKSSDW), P(I16X8_NARROW_I32X4_U, PACKUSDW),
};
#undef P
#undef S
#undef N
#undef SN
#undef E
#undef EN
#undef C
#undef CS

static const bin_row *find_bin(uint16_t op) {
  for (size_t i = 0; i < sizeof bin_rows / sizeof bin_rows[0]; i++)
    if (bin_rows[i].op == op) return &bin_rows[i];
  return NULL;
}

static void vec_op(jit_fn *fn, const bin_row *r, x64_xmm d, x64_xmm s) {
  if (r->imm >= 0)
    x64_vec_imm(fn->a, r->v, d, s, (uint8_t)r->imm);
  else
    x64_vec(fn->a, r->v, d, s);
}

static void emit_binary(jit_fn *fn, const bin_row *r) {
  bool swap = r->form == B_SWAP || r->form == B_SWAP_NOT;
  x64_xmm d = v_dst(fn, swap ? 0 : 1, 2);
  x64_xmm s = v_reg(fn, swap ? 1 : 0, 1);
  if (r->form == B_EQ_OP || r->form == B_EQ_OP_NOT) {
    x64_movaps(fn->a, 0, d);
    x64_vec(fn->a, r->v, 0, s);  /* min or max of a and b */
    x64_vec(fn->a, r->eq, d, 0);
  } else {
    vec_op(fn, r, d, s);
  }
  if (r->form == B_NOT || r->form == B_SWAP_NOT || r->form == B_EQ_OP_NOT) {
    all_ones(fn, 1);
    x64_vec(fn->a, X64_PXOR, d, 1);
  }
  finish(fn, 2, d);
}

/* ---------------------------------------------------------------- unary */

/* xmm1 = all ones shifted: the sign-bit mask (shl) or everything but it (shr) of a lane. */
static void sign_mask(jit_fn *fn, bool f64, bool sign) {
  all_ones(fn, 1);
  x64_vec_shift_imm(fn->a, f64 ? X64_PSHIFTQ_IMM : X64_PSHIFTD_IMM, sign ? 6 : 2, 1,
                    sign ? (f64 ? 63 : 31) : 1);
}

static bool emit_unary(jit_fn *fn, uint16_t op) {
  x64_vec_op v;
  int round = -1;
  switch (op) {
    case WL_OP_I8X16_ABS: v = X64_PABSB; break;
    case WL_OP_I16X8_ABS: v = X64_PABSW; break;
    case WL_OP_I32X4_ABS: v = X64_PABSD; break;
    case WL_OP_F32X4_SQRT: v = X64_SQRTPS; break;
    case WL_OP_F64X2_SQRT: v = X64_SQRTPD; break;
    case WL_OP_F32X4_CONVERT_I32X4_S: v = X64_CVTDQ2PS; break;
    case WL_OP_F64X2_CONVERT_LOW_I32X4_S: v = X64_CVTDQ2PD; break;
    case WL_OP_F64X2_PROMOTE_LOW_F32X4: v = X64_CVTPS2PD; break;
    case WL_OP_F32X4_DEMOTE_F64X2_ZERO: v = X64_CVTPD2PS; break;
    case WL_OP_I16X8_EXTEND_LOW_I8X16_S: v = X64_PMOVSXBW; break;
    case WL_OP_I16X8_EXTEND_LOW_I8X16_U: v = X64_PMOVZXBW; break;
    case WL_OP_I32X4_EXTEND_LOW_I16X8_S: v = X64_PMOVSXWD; break;
    case WL_OP_I32X4_EXTEND_LOW_I16X8_U: v = X64_PMOVZXWD; break;
    case WL_OP_I64X2_EXTEND_LOW_I32X4_S: v = X64_PMOVSXDQ; break;
    case WL_OP_I64X2_EXTEND_LOW_I32X4_U: v = X64_PMOVZXDQ; break;
    case WL_OP_F32X4_CEIL: v = X64_ROUNDPS; round = X64_ROUND_CEIL; break;
    case WL_OP_F32X4_FLOOR: v = X64_ROUNDPS; round = X64_ROUND_FLOOR; break;
    case WL_OP_F32X4_TRUNC: v = X64_ROUNDPS; round = X64_ROUND_TRUNC; break;
    case WL_OP_F32X4_NEAREST: v = X64_ROUNDPS; round = X64_ROUND_NEAREST; break;
    case WL_OP_F64X2_CEIL: v = X64_ROUNDPD; round = X64_ROUND_CEIL; break;
    case WL_OP_F64X2_FLOOR: v = X64_ROUNDPD; round = X64_ROUND_FLOOR; break;
    case WL_OP_F64X2_TRUNC: v = X64_ROUNDPD; round = X64_ROUND_TRUNC; break;
    case WL_OP_F64X2_NEAREST: v = X64_ROUNDPD; round = X64_ROUND_NEAREST; break;
    default: return false;
  }
  x64_xmm d = v_dst(fn, 0, 1);
  if (round >= 0)
    x64_vec_imm(fn->a, v, d, d, (uint8_t)round);
  else
    x64_vec(fn->a, v, d, d);
  finish(fn, 1, d);
  return true;
}

/* The high-half extends: the high 8 bytes to the low ones, then as the low form. */
static bool emit_extend_high(jit_fn *fn, uint16_t op) {
  x64_vec_op v;
  switch (op) {
    case WL_OP_I16X8_EXTEND_HIGH_I8X16_S: v = X64_PMOVSXBW; break;
    case WL_OP_I16X8_EXTEND_HIGH_I8X16_U: v = X64_PMOVZXBW; break;
    case WL_OP_I32X4_EXTEND_HIGH_I16X8_S: v = X64_PMOVSXWD; break;
    case WL_OP_I32X4_EXTEND_HIGH_I16X8_U: v = X64_PMOVZXWD; break;
    case WL_OP_I64X2_EXTEND_HIGH_I32X4_S: v = X64_PMOVSXDQ; break;
    case WL_OP_I64X2_EXTEND_HIGH_I32X4_U: v = X64_PMOVZXDQ; break;
    default: return false;
  }
  x64_xmm d = v_dst(fn, 0, 1);
  x64_vec_imm(fn->a, X64_PSHUFD, d, d, 0xEE);
  x64_vec(fn->a, v, d, d);
  finish(fn, 1, d);
  return true;
}

static bool emit_sign_ops(jit_fn *fn, uint16_t op) {
  x64_xmm d;
  switch (op) {
    case WL_OP_V128_NOT:
      d = v_dst(fn, 0, 1);
      all_ones(fn, 1);
      x64_vec(fn->a, X64_PXOR, d, 1);
      break;
    case WL_OP_F32X4_ABS: case WL_OP_F64X2_ABS:
      d = v_dst(fn, 0, 1);
      sign_mask(fn, op == WL_OP_F64X2_ABS, false);
      x64_vec(fn->a, X64_PAND, d, 1);
      break;
    case WL_OP_F32X4_NEG: case WL_OP_F64X2_NEG:
      d = v_dst(fn, 0, 1);
      sign_mask(fn, op == WL_OP_F64X2_NEG, true);
      x64_vec(fn->a, X64_PXOR, d, 1);
      break;
    case WL_OP_I8X16_NEG: case WL_OP_I16X8_NEG: case WL_OP_I32X4_NEG: case WL_OP_I64X2_NEG: {
      static const x64_vec_op sub[] = {X64_PSUBB, X64_PSUBW, X64_PSUBD, X64_PSUBQ};
      unsigned k = op == WL_OP_I8X16_NEG ? 0 : op == WL_OP_I16X8_NEG ? 1 : op == WL_OP_I32X4_NEG ? 2 : 3;
      d = v_dst(fn, 0, 1);
      x64_vec(fn->a, X64_PXOR, 1, 1);
      x64_vec(fn->a, sub[k], 1, d);  /* 0 - a */
      x64_movaps(fn->a, d, 1);
      break;
    }
    default: return false;
  }
  finish(fn, 1, d);
  return true;
}

/* ---------------------------------------------------------------- tests */

static bool emit_test(jit_fn *fn, uint16_t op) {
  x64_vec_op eq;
  switch (op) {
    case WL_OP_V128_ANY_TRUE: {
      x64_xmm s = v_reg(fn, 0, 1);
      x64_vec(fn->a, X64_PTEST, s, s);
      jit_pop(fn, 1);
      jit_push_val(fn, (jit_val){.kind = JV_FLAGS, .reg = X64_NE});
      return true;
    }
    case WL_OP_I8X16_ALL_TRUE: eq = X64_PCMPEQB; break;
    case WL_OP_I16X8_ALL_TRUE: eq = X64_PCMPEQW; break;
    case WL_OP_I32X4_ALL_TRUE: eq = X64_PCMPEQD; break;
    case WL_OP_I64X2_ALL_TRUE: eq = X64_PCMPEQQ; break;
    default: return false;
  }
  x64_xmm s = v_reg(fn, 0, 1);
  x64_vec(fn->a, X64_PXOR, 0, 0);
  x64_vec(fn->a, eq, 0, s);  /* all ones in the zero lanes */
  x64_vec(fn->a, X64_PTEST, 0, 0);
  jit_pop(fn, 1);
  jit_push_val(fn, (jit_val){.kind = JV_FLAGS, .reg = X64_E});
  return true;
}

static bool emit_bitmask(jit_fn *fn, uint16_t op) {
  if (op != WL_OP_I8X16_BITMASK && op != WL_OP_I16X8_BITMASK && op != WL_OP_I32X4_BITMASK &&
      op != WL_OP_I64X2_BITMASK)
    return false;
  x64_xmm s = v_reg(fn, 0, 1);
  x64_reg r = jit_alloc_gpr(fn, 0);
  if (op == WL_OP_I16X8_BITMASK) {  /* the lanes' signs packed into bytes, then pmovmskb */
    x64_movaps(fn->a, 0, s);
    x64_vec(fn->a, X64_PACKSSWB, 0, 0);
    x64_vec_gpr(fn->a, X64_PMOVMSKB, false, r, 0, -1);
    x64_movzx8(fn->a, r, r);
  } else {
    x64_vec_op v = op == WL_OP_I8X16_BITMASK ? X64_PMOVMSKB
                   : op == WL_OP_I32X4_BITMASK ? X64_MOVMSKPS : X64_MOVMSKPD;
    x64_vec_gpr(fn->a, v, false, r, s, -1);
  }
  jit_pop(fn, 1);
  jit_push_gpr(fn, r);
  return true;
}

/* ---------------------------------------------------------------- lanes */

/* x = the scalar at depth 0 in every lane (rax for integers). */
static void splat_into(jit_fn *fn, uint16_t op, x64_xmm x) {
  jit_val *v = jit_at(fn, 0);
  uint32_t h = fn->sp - 1;
  switch (op) {
    case WL_OP_F32X4_SPLAT:
      jit_val_to_xmm(fn, v, h, false, x);
      x64_vec_imm(fn->a, X64_PSHUFD, x, x, 0);
      return;
    case WL_OP_F64X2_SPLAT:
      jit_val_to_xmm(fn, v, h, true, x);
      x64_vec(fn->a, X64_PUNPCKLQDQ, x, x);
      return;
    case WL_OP_I64X2_SPLAT:
      jit_val_to_gpr(fn, v, h, true, X64_RAX);
      x64_movq_xr(fn->a, true, x, X64_RAX);
      x64_vec(fn->a, X64_PUNPCKLQDQ, x, x);
      return;
    default: break;
  }
  jit_val_to_gpr(fn, v, h, false, X64_RAX);
  x64_movq_xr(fn->a, false, x, X64_RAX);
  if (op == WL_OP_I8X16_SPLAT) {
    x64_vec(fn->a, X64_PXOR, 0, 0);
    x64_vec(fn->a, X64_PSHUFB, x, 0);  /* byte 0 everywhere */
  } else if (op == WL_OP_I16X8_SPLAT) {
    x64_vec_imm(fn->a, X64_PSHUFLW, x, x, 0);
    x64_vec_imm(fn->a, X64_PSHUFD, x, x, 0);
  } else {
    x64_vec_imm(fn->a, X64_PSHUFD, x, x, 0);
  }
}

static bool is_splat(uint16_t op) {
  return op == WL_OP_I8X16_SPLAT || op == WL_OP_I16X8_SPLAT || op == WL_OP_I32X4_SPLAT ||
         op == WL_OP_I64X2_SPLAT || op == WL_OP_F32X4_SPLAT || op == WL_OP_F64X2_SPLAT;
}

static void emit_splat(jit_fn *fn, uint16_t op) {
  x64_xmm x = jit_alloc_xmm(fn, owned(fn, 1));
  splat_into(fn, op, x);
  jit_pop(fn, 1);
  jit_push_v128(fn, x);
}

static bool emit_extract(jit_fn *fn, uint16_t op, uint8_t lane) {
  if (op == WL_OP_F32X4_EXTRACT_LANE || op == WL_OP_F64X2_EXTRACT_LANE) {
    bool f64 = op == WL_OP_F64X2_EXTRACT_LANE;
    x64_xmm d = jit_alloc_xmm(fn, owned(fn, 1));
    x64_xmm s = v_reg(fn, 0, 1);
    /* the lane to lane 0 (an f32 in a register: lane 0, the rest is never read) */
    x64_vec_imm(fn->a, X64_PSHUFD, d, s, f64 ? (lane ? 0xEE : 0x44) : lane);
    jit_pop(fn, 1);
    jit_push_xmm(fn, d, f64);
    return true;
  }
  x64_vec_op v;
  bool w64 = false;
  unsigned sign = 0;
  switch (op) {
    case WL_OP_I8X16_EXTRACT_LANE_S: sign = 1; /* fall through */
    case WL_OP_I8X16_EXTRACT_LANE_U: v = X64_PEXTRB; break;
    case WL_OP_I16X8_EXTRACT_LANE_S: sign = 2; /* fall through */
    case WL_OP_I16X8_EXTRACT_LANE_U: v = X64_PEXTRW; break;
    case WL_OP_I32X4_EXTRACT_LANE: v = X64_PEXTRD; break;
    case WL_OP_I64X2_EXTRACT_LANE: v = X64_PEXTRD; w64 = true; break;
    default: return false;
  }
  x64_xmm s = v_reg(fn, 0, 1);
  x64_reg r = jit_alloc_gpr(fn, 0);
  if (v == X64_PEXTRW)
    x64_vec_gpr(fn->a, v, false, r, s, lane);
  else
    x64_vec_gpr(fn->a, v, w64, s, r, lane);
  if (sign) {
    x64_movsx_rr(fn->a, sign, false, r, r);
    x64_mov_rr(fn->a, false, r, r);  /* an i32 in a register is zero-extended */
  }
  jit_pop(fn, 1);
  jit_push_gpr(fn, r);
  return true;
}

static bool emit_replace(jit_fn *fn, uint16_t op, uint8_t lane) {
  x64_vec_op v;
  bool w64 = false;
  switch (op) {
    case WL_OP_I8X16_REPLACE_LANE: v = X64_PINSRB; break;
    case WL_OP_I16X8_REPLACE_LANE: v = X64_PINSRW; break;
    case WL_OP_I32X4_REPLACE_LANE: case WL_OP_F32X4_REPLACE_LANE: v = X64_PINSRD; break;
    case WL_OP_I64X2_REPLACE_LANE: case WL_OP_F64X2_REPLACE_LANE: v = X64_PINSRD; w64 = true; break;
    default: return false;
  }
  x64_xmm d = v_dst(fn, 1, 2);
  jit_val_to_gpr(fn, jit_at(fn, 0), fn->sp - 1, w64, X64_RAX);
  x64_vec_gpr(fn->a, v, w64, d, X64_RAX, lane);
  finish(fn, 2, d);
  return true;
}

/* Shifts of 16/32/64-bit lanes: the count modulo the lane width, an immediate when known. */
static bool emit_shift(jit_fn *fn, uint16_t op) {
  x64_vec_op imm_form, reg_form;
  unsigned digit, bits;
  switch (op) {
    case WL_OP_I16X8_SHL: imm_form = X64_PSHIFTW_IMM; reg_form = X64_PSLLW; digit = 6; bits = 16; break;
    case WL_OP_I16X8_SHR_U: imm_form = X64_PSHIFTW_IMM; reg_form = X64_PSRLW; digit = 2; bits = 16; break;
    case WL_OP_I16X8_SHR_S: imm_form = X64_PSHIFTW_IMM; reg_form = X64_PSRAW; digit = 4; bits = 16; break;
    case WL_OP_I32X4_SHL: imm_form = X64_PSHIFTD_IMM; reg_form = X64_PSLLD; digit = 6; bits = 32; break;
    case WL_OP_I32X4_SHR_U: imm_form = X64_PSHIFTD_IMM; reg_form = X64_PSRLD; digit = 2; bits = 32; break;
    case WL_OP_I32X4_SHR_S: imm_form = X64_PSHIFTD_IMM; reg_form = X64_PSRAD; digit = 4; bits = 32; break;
    case WL_OP_I64X2_SHL: imm_form = X64_PSHIFTQ_IMM; reg_form = X64_PSLLQ; digit = 6; bits = 64; break;
    case WL_OP_I64X2_SHR_U: imm_form = X64_PSHIFTQ_IMM; reg_form = X64_PSRLQ; digit = 2; bits = 64; break;
    default: return false;
  }
  uint64_t count;
  bool known = jit_top_const(fn, &count);
  x64_xmm d = v_dst(fn, 1, 2);
  if (known) {
    x64_vec_shift_imm(fn->a, imm_form, digit, d, (uint8_t)(count & (bits - 1)));
  } else {
    jit_val_to_gpr(fn, jit_at(fn, 0), fn->sp - 1, false, X64_RAX);
    x64_alu_ri(fn->a, X64_AND, false, X64_RAX, (int32_t)(bits - 1));
    x64_movq_xr(fn->a, false, 1, X64_RAX);
    x64_vec(fn->a, reg_form, d, 1);
  }
  finish(fn, 2, d);
  return true;
}

/* ---------------------------------------------------------------- swizzle, shuffle, select */

/* Indices >= 16 give 0: a saturating add of 0x70 sets their top bit, which pshufb zeroes. */
static void emit_swizzle(jit_fn *fn) {
  x64_xmm d = v_dst(fn, 1, 2);
  x64_xmm s = v_reg(fn, 0, 1);
  if (s != 1) x64_movaps(fn->a, 1, s);
  x64_mov_ri(fn->a, X64_RAX, 0x70707070u);
  x64_movq_xr(fn->a, false, 0, X64_RAX);
  x64_vec_imm(fn->a, X64_PSHUFD, 0, 0, 0);
  x64_vec(fn->a, X64_PADDUSB, 1, 0);
  x64_vec(fn->a, X64_PSHUFB, d, 1);
  finish(fn, 2, d);
}

/* pshufb with constant masks: a's bytes where the lane index is < 16, b's where it is not
 * (0x80 elsewhere: pshufb gives zero there), or'ed. */
static void emit_shuffle(jit_fn *fn, const uint8_t lanes[16]) {
  uint8_t ma[16], mb[16];
  bool any_a = false, any_b = false;
  for (int i = 0; i < 16; i++) {
    ma[i] = lanes[i] < 16 ? lanes[i] : 0x80;
    mb[i] = lanes[i] >= 16 ? (uint8_t)(lanes[i] - 16) : 0x80;
    any_a |= lanes[i] < 16;
    any_b |= lanes[i] >= 16;
  }
  uint64_t qa[2], qb[2];
  memcpy(qa, ma, 16);
  memcpy(qb, mb, 16);
  x64_xmm d = v_dst(fn, 1, 2);
  x64_xmm s = v_reg(fn, 0, 1);
  if (!any_a) {
    x64_movaps(fn->a, d, s);
    load_const(fn, 0, qb);
    x64_vec(fn->a, X64_PSHUFB, d, 0);
  } else {
    load_const(fn, 0, qa);
    x64_vec(fn->a, X64_PSHUFB, d, 0);
    if (any_b) {
      if (s != 1) x64_movaps(fn->a, 1, s);
      load_const(fn, 0, qb);
      x64_vec(fn->a, X64_PSHUFB, 1, 0);
      x64_vec(fn->a, X64_POR, d, 1);
    }
  }
  finish(fn, 2, d);
}

/* (a & c) | (b & ~c) as ((a ^ b) & c) ^ b */
static void emit_bitselect(jit_fn *fn) {
  x64_xmm d = v_dst(fn, 2, 3);
  x64_xmm b = v_reg(fn, 1, 1);
  x64_xmm c = v_reg(fn, 0, 0);
  x64_vec(fn->a, X64_PXOR, d, b);
  x64_vec(fn->a, X64_PAND, d, c);
  x64_vec(fn->a, X64_PXOR, d, b);
  finish(fn, 3, d);
}

/* ---------------------------------------------------------------- memory */

static void emit_load(jit_fn *fn, const wl_instr *in) {
  x64_xmm x = jit_alloc_xmm(fn, 0);
  x64_mem m = jit_address(fn, 0, in->imm.memarg.offset, in->imm.memarg.memory);
  x64_asm *a = fn->a;
  switch (in->op) {
    case WL_OP_V128_LOAD: x64_movups_load(a, x, m); break;
    case WL_OP_V128_LOAD8X8_S: x64_vec_mem(a, X64_PMOVSXBW, x, m); break;
    case WL_OP_V128_LOAD8X8_U: x64_vec_mem(a, X64_PMOVZXBW, x, m); break;
    case WL_OP_V128_LOAD16X4_S: x64_vec_mem(a, X64_PMOVSXWD, x, m); break;
    case WL_OP_V128_LOAD16X4_U: x64_vec_mem(a, X64_PMOVZXWD, x, m); break;
    case WL_OP_V128_LOAD32X2_S: x64_vec_mem(a, X64_PMOVSXDQ, x, m); break;
    case WL_OP_V128_LOAD32X2_U: x64_vec_mem(a, X64_PMOVZXDQ, x, m); break;
    case WL_OP_V128_LOAD32_ZERO: x64_fload(a, false, x, m); break;  /* movss zeroes the rest */
    case WL_OP_V128_LOAD64_ZERO: x64_fload(a, true, x, m); break;
    case WL_OP_V128_LOAD32_SPLAT:
      x64_fload(a, false, x, m);
      x64_vec_imm(a, X64_PSHUFD, x, x, 0);
      break;
    case WL_OP_V128_LOAD64_SPLAT:
      x64_fload(a, true, x, m);
      x64_vec(a, X64_PUNPCKLQDQ, x, x);
      break;
    default: {  /* load8/16_splat: the lane into rax (a load may write its index register) */
      bool b8 = in->op == WL_OP_V128_LOAD8_SPLAT;
      x64_load(a, b8 ? 1 : 2, false, false, X64_RAX, m);
      x64_movq_xr(a, false, x, X64_RAX);
      if (b8) {
        x64_vec(a, X64_PXOR, 0, 0);
        x64_vec(a, X64_PSHUFB, x, 0);
      } else {
        x64_vec_imm(a, X64_PSHUFLW, x, x, 0);
        x64_vec_imm(a, X64_PSHUFD, x, x, 0);
      }
      break;
    }
  }
  jit_pop(fn, 1);
  jit_push_v128(fn, x);
}

static void emit_store(jit_fn *fn, const wl_instr *in) {
  x64_xmm s = v_reg(fn, 0, 0);
  x64_mem m = jit_address(fn, 1, in->imm.memarg.offset, in->imm.memarg.memory);
  x64_movups_store(fn->a, m, s);
  jit_pop(fn, 2);
}

/* [addr, vec]: the lane read from memory into the vector (movlps/movhps for 64-bit lanes). */
static void emit_load_lane(jit_fn *fn, const wl_instr *in, unsigned bytes) {
  x64_xmm d = v_dst(fn, 0, 2);
  x64_mem m = jit_address(fn, 1, in->imm.memarg.offset, in->imm.memarg.memory);
  uint8_t lane = in->lane;
  if (bytes == 8)
    x64_vec_mem(fn->a, lane ? X64_MOVHPS : X64_MOVLPS, d, m);
  else
    x64_vec_gpr_mem(fn->a, bytes == 1 ? X64_PINSRB : bytes == 2 ? X64_PINSRW : X64_PINSRD, d, m, lane);
  finish(fn, 2, d);
}

/* [addr, vec]: the lane into a cache register first (the address may use rax, rcx, rdx). */
static void emit_store_lane(jit_fn *fn, const wl_instr *in, unsigned bytes) {
  x64_xmm s = v_reg(fn, 0, 0);
  x64_reg r = jit_alloc_gpr(fn, owned(fn, 2));
  uint8_t lane = in->lane;
  if (bytes == 2)
    x64_vec_gpr(fn->a, X64_PEXTRW, false, r, s, lane);
  else
    x64_vec_gpr(fn->a, bytes == 1 ? X64_PEXTRB : X64_PEXTRD, bytes == 8, s, r, lane);
  x64_mem m = jit_address(fn, 1, in->imm.memarg.offset, in->imm.memarg.memory);
  x64_store(fn->a, bytes, m, r);
  fn->gpr_busy &= (uint16_t)~BIT(r);
  jit_pop(fn, 2);
}

static bool emit_memory(jit_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_V128_LOAD: case WL_OP_V128_LOAD8X8_S: case WL_OP_V128_LOAD8X8_U:
    case WL_OP_V128_LOAD16X4_S: case WL_OP_V128_LOAD16X4_U: case WL_OP_V128_LOAD32X2_S:
    case WL_OP_V128_LOAD32X2_U: case WL_OP_V128_LOAD8_SPLAT: case WL_OP_V128_LOAD16_SPLAT:
    case WL_OP_V128_LOAD32_SPLAT: case WL_OP_V128_LOAD64_SPLAT: case WL_OP_V128_LOAD32_ZERO:
    case WL_OP_V128_LOAD64_ZERO:
      emit_load(fn, in);
      return true;
    case WL_OP_V128_STORE: emit_store(fn, in); return true;
    case WL_OP_V128_LOAD8_LANE: emit_load_lane(fn, in, 1); return true;
    case WL_OP_V128_LOAD16_LANE: emit_load_lane(fn, in, 2); return true;
    case WL_OP_V128_LOAD32_LANE: emit_load_lane(fn, in, 4); return true;
    case WL_OP_V128_LOAD64_LANE: emit_load_lane(fn, in, 8); return true;
    case WL_OP_V128_STORE8_LANE: emit_store_lane(fn, in, 1); return true;
    case WL_OP_V128_STORE16_LANE: emit_store_lane(fn, in, 2); return true;
    case WL_OP_V128_STORE32_LANE: emit_store_lane(fn, in, 4); return true;
    case WL_OP_V128_STORE64_LANE: emit_store_lane(fn, in, 8); return true;
    default: return false;
  }
}

/* ---------------------------------------------------------------- driver */

/* The table-driven forms and the few with immediates; with emit false, only whether `in`'s
 * opcode is one of them (jit_simd_inline: immediates are not looked at). */
static bool emit_any(jit_fn *fn, const wl_instr *in, bool emit) {
  uint16_t op = in->op;
  const bin_row *r = find_bin(op);
  if (r) {
    if (emit) emit_binary(fn, r);
    return true;
  }
  switch (op) {
    case WL_OP_V128_CONST: {
      if (!emit) return true;
      x64_xmm x = jit_alloc_xmm(fn, 0);
      load_const(fn, x, in->imm.v128.halves);
      jit_push_v128(fn, x);
      return true;
    }
    case WL_OP_I8X16_SHUFFLE: if (emit) emit_shuffle(fn, in->imm.v128.bytes); return true;
    case WL_OP_I8X16_SWIZZLE: if (emit) emit_swizzle(fn); return true;
    case WL_OP_V128_BITSELECT: if (emit) emit_bitselect(fn); return true;
    default: break;
  }
  return false;
}

bool jit_simd_inline(uint16_t op) {
  if (op < WL_OP_V128_LOAD) return false;  /* scalar code (all.def: core rows come first) */
  wl_instr in = {.op = op};
  if (emit_any(NULL, &in, false)) return true;
  switch (op) {
    case WL_OP_V128_LOAD: case WL_OP_V128_LOAD8X8_S: case WL_OP_V128_LOAD8X8_U:
    case WL_OP_V128_LOAD16X4_S: case WL_OP_V128_LOAD16X4_U: case WL_OP_V128_LOAD32X2_S:
    case WL_OP_V128_LOAD32X2_U: case WL_OP_V128_LOAD8_SPLAT: case WL_OP_V128_LOAD16_SPLAT:
    case WL_OP_V128_LOAD32_SPLAT: case WL_OP_V128_LOAD64_SPLAT: case WL_OP_V128_LOAD32_ZERO:
    case WL_OP_V128_LOAD64_ZERO: case WL_OP_V128_STORE: case WL_OP_V128_LOAD8_LANE:
    case WL_OP_V128_LOAD16_LANE: case WL_OP_V128_LOAD32_LANE: case WL_OP_V128_LOAD64_LANE:
    case WL_OP_V128_STORE8_LANE: case WL_OP_V128_STORE16_LANE: case WL_OP_V128_STORE32_LANE:
    case WL_OP_V128_STORE64_LANE:
    case WL_OP_I8X16_ABS: case WL_OP_I16X8_ABS: case WL_OP_I32X4_ABS: case WL_OP_F32X4_SQRT:
    case WL_OP_F64X2_SQRT: case WL_OP_F32X4_CONVERT_I32X4_S: case WL_OP_F64X2_CONVERT_LOW_I32X4_S:
    case WL_OP_F64X2_PROMOTE_LOW_F32X4: case WL_OP_F32X4_DEMOTE_F64X2_ZERO:
    case WL_OP_I16X8_EXTEND_LOW_I8X16_S: case WL_OP_I16X8_EXTEND_LOW_I8X16_U:
    case WL_OP_I32X4_EXTEND_LOW_I16X8_S: case WL_OP_I32X4_EXTEND_LOW_I16X8_U:
    case WL_OP_I64X2_EXTEND_LOW_I32X4_S: case WL_OP_I64X2_EXTEND_LOW_I32X4_U:
    case WL_OP_I16X8_EXTEND_HIGH_I8X16_S: case WL_OP_I16X8_EXTEND_HIGH_I8X16_U:
    case WL_OP_I32X4_EXTEND_HIGH_I16X8_S: case WL_OP_I32X4_EXTEND_HIGH_I16X8_U:
    case WL_OP_I64X2_EXTEND_HIGH_I32X4_S: case WL_OP_I64X2_EXTEND_HIGH_I32X4_U:
    case WL_OP_F32X4_CEIL: case WL_OP_F32X4_FLOOR: case WL_OP_F32X4_TRUNC: case WL_OP_F32X4_NEAREST:
    case WL_OP_F64X2_CEIL: case WL_OP_F64X2_FLOOR: case WL_OP_F64X2_TRUNC: case WL_OP_F64X2_NEAREST:
    case WL_OP_V128_NOT: case WL_OP_F32X4_ABS: case WL_OP_F64X2_ABS: case WL_OP_F32X4_NEG:
    case WL_OP_F64X2_NEG: case WL_OP_I8X16_NEG: case WL_OP_I16X8_NEG: case WL_OP_I32X4_NEG:
    case WL_OP_I64X2_NEG:
    case WL_OP_V128_ANY_TRUE: case WL_OP_I8X16_ALL_TRUE: case WL_OP_I16X8_ALL_TRUE:
    case WL_OP_I32X4_ALL_TRUE: case WL_OP_I64X2_ALL_TRUE: case WL_OP_I8X16_BITMASK:
    case WL_OP_I16X8_BITMASK: case WL_OP_I32X4_BITMASK: case WL_OP_I64X2_BITMASK:
    case WL_OP_I8X16_SPLAT: case WL_OP_I16X8_SPLAT: case WL_OP_I32X4_SPLAT: case WL_OP_I64X2_SPLAT:
    case WL_OP_F32X4_SPLAT: case WL_OP_F64X2_SPLAT:
    case WL_OP_I8X16_EXTRACT_LANE_S: case WL_OP_I8X16_EXTRACT_LANE_U:
    case WL_OP_I16X8_EXTRACT_LANE_S: case WL_OP_I16X8_EXTRACT_LANE_U:
    case WL_OP_I32X4_EXTRACT_LANE: case WL_OP_I64X2_EXTRACT_LANE: case WL_OP_F32X4_EXTRACT_LANE:
    case WL_OP_F64X2_EXTRACT_LANE:
    case WL_OP_I8X16_REPLACE_LANE: case WL_OP_I16X8_REPLACE_LANE: case WL_OP_I32X4_REPLACE_LANE:
    case WL_OP_I64X2_REPLACE_LANE: case WL_OP_F32X4_REPLACE_LANE: case WL_OP_F64X2_REPLACE_LANE:
    case WL_OP_I16X8_SHL: case WL_OP_I16X8_SHR_U: case WL_OP_I16X8_SHR_S: case WL_OP_I32X4_SHL:
    case WL_OP_I32X4_SHR_U: case WL_OP_I32X4_SHR_S: case WL_OP_I64X2_SHL: case WL_OP_I64X2_SHR_U:
      return true;
    default: return false;
  }
}

bool jit_simd_emit_inline(jit_fn *fn, const wl_instr *in) {
  uint16_t op = in->op;
  if (emit_any(fn, in, true) || emit_memory(fn, in) || emit_unary(fn, op) ||
      emit_extend_high(fn, op) || emit_sign_ops(fn, op) || emit_test(fn, op) ||
      emit_bitmask(fn, op) || emit_extract(fn, op, in->lane) || emit_replace(fn, op, in->lane) ||
      emit_shift(fn, op))
    return true;
  if (is_splat(op)) {
    emit_splat(fn, op);
    return true;
  }
  return false;
}
