/* Numeric and conversion instructions: every one takes one or two operands and produces one
 * value, so they share one translation ([op, dst, a(, b)]). A binary op whose second operand
 * is a constant just pushed uses its _IMM form, and the CONST is dropped. */
#include "backends/interp/translate.h"

/* Instructions whose i32 result a following br_if/if can test in one fused branch. */
static bool is_fusable_compare(uint16_t op) {
  return op == WL_OP_I32_EQZ || op == WL_OP_I64_EQZ || (op >= WL_OP_I32_EQ && op <= WL_OP_I32_GE_U) ||
         (op >= WL_OP_F64_EQ && op <= WL_OP_F64_GE) || op == WL_OP_I32_AND;
}

static void translate_unary(translator *t, wl_iop op, uint16_t wasm_op) {
  int64_t a = tr_pop(t);
  int64_t dst = tr_push(t);
  /* i32.eqz of the compare just emitted: remember it, a branch may fuse the pair */
  bool of_cmp = wasm_op == WL_OP_I32_EQZ && t->last_cmp >= 0 && a == dst && !t->oom &&
                t->last_cmp_op != WL_OP_I32_EQZ && t->code[t->last_cmp + 1].i == a;
  int64_t cmp_at = t->last_cmp;
  uint16_t cmp_op = t->last_cmp_op;
  bool cmp_imm = t->last_cmp_imm;
  size_t at = tr_emit_op(t, op);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, a);
  if (t->fast_paths && is_fusable_compare(wasm_op)) {
    t->last_cmp = (int64_t)at;
    t->last_cmp_op = wasm_op;
    t->last_cmp_imm = false;
  }
  if (of_cmp) {
    t->eqz_cmp = cmp_at;
    t->eqz_cmp_op = cmp_op;
    t->eqz_cmp_imm = cmp_imm;
  }
}

static void translate_binary(translator *t, wl_iop op, uint16_t wasm_op) {
  int64_t b = tr_pop(t), a = tr_pop(t);
  int64_t dst = tr_push(t);
  int64_t imm;
  bool is_imm = b == dst + 1 && tr_take_const(t, b, &imm);
  if (!is_imm && b == dst + 1 && tr_fuse_load_arith(t, wasm_op, dst, a, b)) return;
  if (!is_imm && wasm_op == WL_OP_F64_MUL && tr_fuse_mul_mul(t, dst, a, b)) return;
  if (!is_imm && wasm_op == WL_OP_I64_OR && tr_fuse_or_lanes(t, dst, a, b)) return;
  size_t at = tr_emit_op(t, is_imm ? (wl_iop)(op + 1) : op);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, a);
  tr_emit(t, is_imm ? imm : b);
  if (t->fast_paths && is_fusable_compare(wasm_op)) {
    t->last_cmp = (int64_t)at;
    t->last_cmp_op = wasm_op;
    t->last_cmp_imm = is_imm;
  }
}

bool tr_numeric(translator *t, const wl_instr *in) {
  switch (in->op) {
#define UNOP(n) \
  case WL_OP_##n: translate_unary(t, IOP_##n, in->op); return true;
#define BINOP(n) \
  case WL_OP_##n: translate_binary(t, IOP_##n, in->op); return true;
#include "backends/interp/ops.def"
    default: return false;
  }
}
