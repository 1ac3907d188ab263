/* Numeric and conversion instructions: every one takes one or two operands and produces one
 * value, so they share one translation ([op, dst, a(, b)]). A binary op whose second operand
 * is a constant just pushed uses its _IMM form, and the CONST is dropped. */
#include "backends/interp/translate.h"

static bool is_fusable_compare(uint16_t op) {
  return op == WL_OP_I32_EQZ || (op >= WL_OP_I32_EQ && op <= WL_OP_I32_GE_U);
}

static void translate_unary(translator *t, wl_iop op, uint16_t wasm_op) {
  int64_t a = tr_pop(t);
  int64_t dst = tr_push(t);
  size_t at = tr_emit_op(t, op);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, a);
  if (t->fast_paths && is_fusable_compare(wasm_op)) {
    t->last_cmp = (int64_t)at;
    t->last_cmp_op = wasm_op;
    t->last_cmp_imm = false;
  }
}

/* If the instruction just emitted is [CONST, slot, bits] writing `slot`, returns true with its
 * bits and removes it (the constant becomes an immediate of the next instruction). */
static bool take_const(translator *t, int64_t slot, int64_t *bits) {
  if (t->last_dst < 0 || t->oom || t->n < 3) return false;
  size_t at = t->n - 3;
  if ((size_t)t->last_dst != at + 1 || t->code[at].h != t->handlers[IOP_CONST]) return false;
  if (t->code[at + 1].i != slot) return false;
  *bits = t->code[at + 2].i;
  t->n = at;
  return true;
}

static void translate_binary(translator *t, wl_iop op, uint16_t wasm_op) {
  int64_t b = tr_pop(t), a = tr_pop(t);
  int64_t dst = tr_push(t);
  int64_t imm;
  bool is_imm = b == dst + 1 && take_const(t, b, &imm);
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
