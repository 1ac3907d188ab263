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

/* 0, 1, 2 for f64.add, sub, mul (the pairable instructions); -1 otherwise. */
static int f64_pair_index(uint16_t op) {
  return op == WL_OP_F64_ADD ? 0 : op == WL_OP_F64_SUB ? 1 : op == WL_OP_F64_MUL ? 2 : -1;
}

/* [F64_op1, d1, a1, b1] just emitted (pair_at) and nothing since: appends this f64 op2 to it as
 * one F64_<op1>_<op2> (no label or other instruction lies between them, so nothing can start
 * at the second one; f64 arithmetic cannot trap, so no trap site is lost). */
static bool fuse_f64_pair(translator *t, int second, int64_t dst, int64_t a, int64_t b) {
  if (t->pair_at < 0 || t->oom || (size_t)t->pair_at + 4 != t->n) return false;
  size_t at = (size_t)t->pair_at;
  int first = -1;
  for (int k = 0; k < 3 && first < 0; k++)
    if (t->code[at].h == t->handlers[IOP_F64_ADD + 2 * k]) first = k;
  if (first < 0) return false;
  int64_t d1 = t->code[at + 1].i;
  int variant = a == d1 ? 1 : b == d1 ? 2 : 0;
  t->code[at].h = t->handlers[IOP_F64_ADD_ADD + 9 * first + 3 * second + variant];
  t->pair_at = -1;
  tr_forget(t);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, a);
  tr_emit(t, b);
  return true;
}

/* The constant an [I32_ADD_IMM or I32_SUB_IMM, d, a, c] at `at` adds (mod 2^32), if it is one. */
static bool addi_constant(const translator *t, size_t at, uint32_t *c) {
  const void *h = t->code[at].h;
  bool add = h == t->handlers[IOP_I32_ADD_IMM];
  if (!add && h != t->handlers[IOP_I32_SUB_IMM]) return false;
  uint32_t k = (uint32_t)t->code[at + 3].u;
  *c = add ? k : 0u - k;
  return true;
}

/* Both instructions write locals (a retargeted result is no temporary that a load, store or
 * branch could still fuse), they are adjacent and no label lies between them (a label resets
 * addi_at), so [ADDI, d1, a1, c1][ADDI, d2, a2, c2] becomes [I32_ADDI2, d1, a1, c1, d2, a2, c2];
 * an add cannot trap, so the second's trap-site entry goes. */
void tr_pair_addi(translator *t, size_t at) {
  uint32_t c1, c2;
  if (!t->fast_paths || t->oom || at + 4 != t->n || !addi_constant(t, at, &c2)) return;
  int64_t first = t->addi_at;
  t->addi_at = (int64_t)at;
  if (first < 0 || (size_t)first + 4 != at || !addi_constant(t, (size_t)first, &c1)) return;
  int64_t d2 = t->code[at + 1].i, a2 = t->code[at + 2].i;
  tr_rewind_untrapping(t, at);
  t->code[first].h = t->handlers[IOP_I32_ADDI2];
  t->code[first + 3].u = c1;
  tr_emit(t, d2);
  tr_emit(t, a2);
  tr_emit(t, c2);
  t->addi_at = -1;
}

/* [ADDI, d, a, c][BR_IF_I32_<cmp>(_IMM), x, y] -> [ADDI_BR_I32_<cmp>(_IMM), d, a, c, x, y]:
 * adjacent, no label between (addi_at), d a local; a compare-branch cannot trap, so its
 * trap-site entry goes. */
void tr_fuse_addi_branch(translator *t, size_t at) {
  uint32_t c;
  int64_t first = t->addi_at;
  if (!t->fast_paths || t->oom || first < 0 || (size_t)first + 4 != at || at + 3 != t->n) return;
  if (!addi_constant(t, (size_t)first, &c)) return;
  int k = tr_handler_index(t, at, IOP_BR_IF_I32_EQ, IOP_BR_IF_I32_GE_U_IMM);
  if (k < 0) return;
  int64_t x = t->code[at + 1].i, y = t->code[at + 2].i;
  tr_rewind_untrapping(t, at);
  t->code[first].h = t->handlers[IOP_ADDI_BR_I32_EQ + k];
  t->code[first + 3].u = c;
  tr_emit(t, x);
  tr_emit(t, y);
  t->addi_at = -1;
}

/* Whether an instruction [h, tmp, ...] of `len` words with handler h starts at n - len and
 * writes the temporary `tmp` (a canonical slot this instruction pops, so nothing else reads
 * it), with no label between: checked on the code itself (the trap-site table lists
 * instruction starts), since taking a constant operand has already reset the peephole state. */
static bool last_is(const translator *t, wl_iop op, int64_t tmp, size_t len) {
  if (t->oom || t->n < len || t->label_at > t->n - len) return false;
  size_t at = t->n - len;
  if (t->code[at].h != t->handlers[op] || t->code[at + 1].i != tmp) return false;
  for (uint32_t i = t->noffs; i-- > 0;)
    if (t->offs[i].at <= at) return t->offs[i].at == at;
  return false;
}

/* The instruction at n - len (last_is) becomes `fused` writing dst, its other words kept, and
 * `extra` is appended: a producer and the consumer of its temporary as one instruction. The
 * consumer cannot trap, so the producer's trap-site entry stays the fused one's. */
static void extend_last(translator *t, size_t len, wl_iop fused, int64_t dst, int64_t extra) {
  size_t at = t->n - len;
  tr_forget(t);
  t->pair_at = -1;
  t->code[at].h = t->handlers[fused];
  t->code[at + 1].i = dst;
  tr_emit(t, extra);
  tr_note_result(t, at + 1);
}

/* The constant an i32 add/sub of a constant just emitted adds (a sub's negated), if it is
 * [I32_ADD_IMM or I32_SUB_IMM, tmp, x, k]. */
static bool last_addi(const translator *t, int64_t tmp, uint32_t *k) {
  bool add = last_is(t, IOP_I32_ADD_IMM, tmp, 4);
  if (!add && !last_is(t, IOP_I32_SUB_IMM, tmp, 4)) return false;
  uint32_t c = (uint32_t)t->code[t->n - 1].u;
  *k = add ? c : 0u - c;
  return true;
}

/* [I32_SHL_IMM, s, x, k] then i32.add of s and y -> [I32_SHLI_ADD, dst, x, k, y];
 * [I32_ADD/SUB_IMM, s, x, k] then i32.add of s and y -> [I32_ADDI_ADD, dst, x, k', y];
 * [I32_MUL_IMM, s, x, k] then i32.add/sub of s and a constant -> [I32_MULI_ADDI, dst, x, k, c]. */
static bool fuse_scaled_add(translator *t, uint16_t wasm_op, bool is_imm, int64_t dst, int64_t a,
                            int64_t b, int64_t imm) {
  if (!t->fast_paths) return false;
  wl_iop fused;
  int64_t last;
  uint32_t k;
  if (!is_imm && wasm_op == WL_OP_I32_ADD) {
    /* the temporary is b (one above dst) or a (dst itself, b elsewhere) */
    int64_t tmp = b == dst + 1 ? b : a == dst && a != b ? a : -1;
    if (tmp < 0) return false;
    last = tmp == b ? a : b;
    if (last_is(t, IOP_I32_SHL_IMM, tmp, 4)) {
      fused = IOP_I32_SHLI_ADD;
    } else if (last_addi(t, tmp, &k)) {
      t->code[t->n - 1].u = k;
      fused = IOP_I32_ADDI_ADD;
    } else {
      return false;
    }
  } else if (is_imm && (wasm_op == WL_OP_I32_ADD || wasm_op == WL_OP_I32_SUB) && a == dst &&
             last_is(t, IOP_I32_MUL_IMM, a, 4)) {
    fused = IOP_I32_MULI_ADDI;
    last = wasm_op == WL_OP_I32_ADD ? (int64_t)(uint32_t)imm : (int64_t)(0u - (uint32_t)imm);
  } else {
    return false;
  }
  if (t->addi_at == (int64_t)(t->n - 4)) t->addi_at = -1;
  extend_last(t, 4, fused, dst, last);
  return true;
}

/* Consumers by a constant that fuse with the instruction producing their first operand `a`
 * (a temporary: a == dst): i32.rem_u by a nonzero constant after I32_MULI_ADDI, f64 mul/div
 * by a constant after f64.convert_i32_s/u. */
static bool fuse_imm_consumer(translator *t, uint16_t wasm_op, int64_t dst, int64_t a,
                              int64_t imm) {
  if (!t->fast_paths || a != dst) return false;
  if (wasm_op == WL_OP_I32_REM_U && (uint32_t)imm != 0 &&
      last_is(t, IOP_I32_MULI_ADDI, a, 5)) {
    extend_last(t, 5, IOP_I32_MULI_ADDI_REMUI, dst, (int64_t)(uint32_t)imm);
    return true;
  }
  if (wasm_op != WL_OP_F64_MUL && wasm_op != WL_OP_F64_DIV) return false;
  int div = wasm_op == WL_OP_F64_DIV;
  for (int u = 0; u < 2; u++) {
    if (!last_is(t, u ? IOP_F64_CONVERT_I32_U : IOP_F64_CONVERT_I32_S, a, 3)) continue;
    extend_last(t, 3, (wl_iop)(IOP_F64_CONVERT_I32_S_MULI + 2 * div + u), dst, imm);
    return true;
  }
  return false;
}

static void translate_binary(translator *t, wl_iop op, uint16_t wasm_op) {
  int64_t b = tr_pop(t), a = tr_pop(t);
  int64_t dst = tr_push(t);
  int64_t imm;
  bool is_imm = b == dst + 1 && tr_take_const(t, b, &imm);
  if (!is_imm && b == dst + 1 && tr_fuse_load_arith(t, wasm_op, dst, a, b)) return;
  if (!is_imm && wasm_op == WL_OP_F64_MUL && tr_fuse_mul_mul(t, dst, a, b)) return;
  if (!is_imm && wasm_op == WL_OP_I64_OR && tr_fuse_or_lanes(t, dst, a, b)) return;
  if (fuse_scaled_add(t, wasm_op, is_imm, dst, a, b, imm)) return;
  if (is_imm && fuse_imm_consumer(t, wasm_op, dst, a, imm)) return;
  int pair = is_imm ? -1 : f64_pair_index(wasm_op);
  if (pair >= 0 && t->fast_paths && fuse_f64_pair(t, pair, dst, a, b)) return;
  size_t at = tr_emit_op(t, is_imm ? (wl_iop)(op + 1) : op);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, a);
  tr_emit(t, is_imm ? imm : b);
  if (pair >= 0 && t->fast_paths) t->pair_at = (int64_t)at;
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
