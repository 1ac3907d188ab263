/* Integer arithmetic, comparisons and sign extension. The common operations work on the
 * register cache directly (the result in the first operand's register, immediates and memory
 * operands folded in); the rest load their operands into rax/rcx and push the result. 32-bit
 * operations zero the upper half, which is the convention for i32 in registers and slots. */
#include "backends/jit/jit.h"

/* The destination of a binary operation on a (depth 1) and b (depth 0): a's own register when
 * it has one (the result replaces it), else a fresh register loaded with a. */
static x64_reg take_first(jit_fn *fn, bool w64, const jit_val *a, uint32_t ha, const jit_val *b) {
  if (a->kind == JV_GPR) return (x64_reg)a->reg;
  x64_reg dst = jit_alloc_gpr(fn, jit_val_mask(b));
  jit_val_to_gpr(fn, a, ha, w64, dst);
  return dst;
}

static void finish_binary(jit_fn *fn, x64_reg dst) {
  jit_pop(fn, 2);
  jit_push_gpr(fn, dst);
}

/* Commutative operations take whichever operand already has its own register as the
 * destination. Returns true when it swapped a and b. */
static bool order_commutative(jit_fn *fn, jit_val *a, jit_val *b) {
  (void)fn;
  if (a->kind == JV_GPR || b->kind != JV_GPR) return false;
  jit_val t = *a;
  *a = *b;
  *b = t;
  return true;
}

/* add without an own register for a: lea dst, [a + b] or [a + imm] (one instruction). */
static bool add_by_lea(jit_fn *fn, bool w64, const jit_val *a, const jit_val *b) {
  int ra = jit_val_gpr(fn, a), rb = jit_val_gpr(fn, b);
  int64_t k = (int64_t)b->bits;
  if (a->kind == JV_GPR || ra < 0) return false;
  x64_mem m;
  if (rb >= 0)
    m = x64_mi((x64_reg)ra, (x64_reg)rb, 1, 0);
  else if (b->kind == JV_CONST && (!w64 || k == (int32_t)k))
    m = x64_m((x64_reg)ra, (int32_t)k);
  else
    return false;
  x64_reg dst = jit_alloc_gpr(fn, jit_val_mask(b));
  if (w64)
    x64_lea(fn->a, dst, m);
  else
    x64_lea32(fn->a, dst, m);
  finish_binary(fn, dst);
  return true;
}

static bool is_local(const jit_val *v, uint32_t i) { return v->kind == JV_LOCAL && v->local == i; }

/* When the next instruction stores the result into a local with a register home: that
 * register as the destination, a moved there first (unless it is that local already, or b is
 * and the operation cannot swap them). Returns -1 when not applicable. */
static int home_dst(jit_fn *fn, bool w64, bool commutes, jit_val *a, jit_val *b, uint32_t *hb,
                    uint32_t *local) {
  uint32_t ha = fn->sp - 2;
  *hb = fn->sp - 1;
  int home = jit_result_home(fn, 2, local);
  if (home < 0) return -1;
  if (commutes && is_local(b, *local) && !is_local(a, *local)) {
    jit_val t = *a;
    *a = *b;
    *b = t;
    ha = fn->sp - 1;
    *hb = fn->sp - 2;
  }
  if (!is_local(a, *local) && is_local(b, *local)) return -1;
  if (!is_local(a, *local)) jit_val_to_gpr(fn, a, ha, w64, (x64_reg)home);
  return home;
}

static void finish_in_local(jit_fn *fn, uint32_t local) {
  jit_pop(fn, 2);
  jit_push_val(fn, (jit_val){.kind = JV_LOCAL, .local = local});
}

/* a + constant with lea only (no flags written): used while a comparison's result waits in
 * the flags (jit_function.c lets only such an add through), and whenever a is in a register. */
static void add_const_by_lea(jit_fn *fn, bool w64, const jit_val *a, const jit_val *b) {
  uint32_t local;
  int home = jit_result_home(fn, 2, &local);
  int ra = jit_val_gpr(fn, a);
  x64_reg dst = home >= 0 ? (x64_reg)home : a->kind == JV_GPR ? (x64_reg)a->reg : jit_alloc_gpr(fn, 0);
  if (ra < 0) {
    jit_val_to_gpr(fn, a, fn->sp - 2, w64, dst);
    ra = dst;
  }
  x64_mem m = x64_m((x64_reg)ra, (int32_t)(int64_t)b->bits);
  if (w64)
    x64_lea(fn->a, dst, m);
  else
    x64_lea32(fn->a, dst, m);
  if (home >= 0)
    finish_in_local(fn, local);
  else
    finish_binary(fn, dst);
}

static void binary_alu(jit_fn *fn, x64_alu op, bool w64) {
  jit_val a = *jit_at(fn, 1), b = *jit_at(fn, 0);
  if (op == X64_ADD && fn->flags_h != JIT_NO_FLAGS && b.kind == JV_CONST) {
    add_const_by_lea(fn, w64, &a, &b);
    return;
  }
  uint32_t local, hb;
  if (op == X64_ADD && b.kind == JV_CONST && (int64_t)b.bits == (int32_t)b.bits &&
      jit_val_gpr(fn, &a) >= 0) {
    add_const_by_lea(fn, w64, &a, &b);  /* one lea into the destination, not mov + add */
    return;
  }
  int home = home_dst(fn, w64, op != X64_SUB, &a, &b, &hb, &local);
  if (home >= 0) {
    jit_alu_val(fn, op, w64, (x64_reg)home, &b, hb);
    finish_in_local(fn, local);
    return;
  }
  bool swapped = false;
  if (op != X64_SUB) swapped = order_commutative(fn, &a, &b);
  if (op == X64_ADD && add_by_lea(fn, w64, &a, &b)) return;
  uint32_t ha = swapped ? fn->sp - 1 : fn->sp - 2;
  x64_reg dst = take_first(fn, w64, &a, ha, &b);
  jit_alu_val(fn, op, w64, dst, &b, swapped ? fn->sp - 2 : fn->sp - 1);
  finish_binary(fn, dst);
}

static void binary_shift(jit_fn *fn, x64_shift op, bool w64) {
  jit_val a = *jit_at(fn, 1), b = *jit_at(fn, 0);
  uint32_t local, hb;
  if (b.kind != JV_CONST) jit_val_to_gpr(fn, &b, fn->sp - 1, false, X64_RCX);
  int home = home_dst(fn, w64, false, &a, &b, &hb, &local);
  if (home >= 0 && b.kind == JV_CONST) {
    unsigned count = (unsigned)b.bits & (w64 ? 63 : 31);
    if (count) x64_shift_ri(fn->a, op, w64, (x64_reg)home, (uint8_t)count);
    finish_in_local(fn, local);
    return;
  }
  if (home >= 0) {
    x64_shift_cl(fn->a, op, w64, (x64_reg)home);
    finish_in_local(fn, local);
    return;
  }
  if (b.kind == JV_CONST) {
    unsigned count = (unsigned)b.bits & (w64 ? 63 : 31);
    x64_reg dst = take_first(fn, w64, &a, fn->sp - 2, &b);
    if (count) x64_shift_ri(fn->a, op, w64, dst, (uint8_t)count);
    finish_binary(fn, dst);
    return;
  }
  x64_reg dst = take_first(fn, w64, &a, fn->sp - 2, &b);
  x64_shift_cl(fn->a, op, w64, dst);  /* the count is masked like wasm's (5 or 6 bits) */
  finish_binary(fn, dst);
}

static void binary_mul(jit_fn *fn, bool w64) {
  jit_val a = *jit_at(fn, 1), b = *jit_at(fn, 0);
  bool swapped = order_commutative(fn, &a, &b);
  if (!swapped && a.kind == JV_CONST && b.kind != JV_CONST) {  /* the constant second */
    jit_val t = a;
    a = b;
    b = t;
    swapped = true;
  }
  uint32_t hb = swapped ? fn->sp - 2 : fn->sp - 1;
  int64_t k = (int64_t)b.bits;
  int ra = jit_val_gpr(fn, &a), rb = jit_val_gpr(fn, &b);
  x64_mem m;
  if (b.kind == JV_CONST && (!w64 || k == (int32_t)k) && ra >= 0) {
    x64_reg dst = a.kind == JV_GPR ? (x64_reg)a.reg : jit_alloc_gpr(fn, 0);
    x64_imul_rri(fn->a, w64, dst, (x64_reg)ra, (int32_t)k);
    finish_binary(fn, dst);
    return;
  }
  x64_reg dst = take_first(fn, w64, &a, swapped ? fn->sp - 1 : fn->sp - 2, &b);
  if (rb >= 0) {
    x64_imul_rr(fn->a, w64, dst, (x64_reg)rb);
  } else if (jit_val_mem(fn, &b, hb, &m)) {
    x64_imul_rm(fn->a, w64, dst, m);
  } else {
    jit_val_to_gpr(fn, &b, hb, w64, X64_RCX);
    x64_imul_rr(fn->a, w64, dst, X64_RCX);
  }
  finish_binary(fn, dst);
}

/* div/rem: divide by zero traps; signed INT_MIN / -1 traps for div and gives 0 for rem. A
 * constant divisor needs only the checks its value calls for. */
static void divide(jit_fn *fn, bool w64, bool sign, bool rem) {
  x64_asm *a = fn->a;
  uint64_t k;
  bool known = jit_top_const(fn, &k);
  if (known && !w64) k = (uint32_t)k;
  bool maybe_minus1 = !known || (w64 ? k == UINT64_MAX : k == UINT32_MAX);
  jit_load_top(fn, w64, X64_RAX, 1);
  jit_load_top(fn, w64, X64_RCX, 0);
  if (!known || k == 0) {
    x64_test_rr(a, w64, X64_RCX, X64_RCX);
    jit_to_stub(fn, X64_E, WL_TRAP_DIV_BY_ZERO);
  }
  size_t done = 0, normal = 0;
  if (sign && maybe_minus1) {
    x64_alu_ri(a, X64_CMP, w64, X64_RCX, -1);
    normal = x64_jcc32(a, X64_NE);
    if (rem) {
      x64_alu_rr(a, X64_XOR, false, X64_RDX, X64_RDX);  /* x rem -1 = 0, INT_MIN included */
      done = x64_jmp32(a);
    } else {
      x64_mov_ri(a, X64_RDX, w64 ? (uint64_t)INT64_MIN : (uint32_t)INT32_MIN);
      x64_alu_rr(a, X64_CMP, w64, X64_RAX, X64_RDX);
      jit_to_stub(fn, X64_E, WL_TRAP_INT_OVERFLOW);
    }
    x64_patch(a, normal, a->len);
  }
  if (sign) {
    x64_sign_extend_ax(a, w64);
    x64_unary(a, X64_IDIV, w64, X64_RCX);
  } else {
    x64_alu_rr(a, X64_XOR, false, X64_RDX, X64_RDX);
    x64_unary(a, X64_DIV, w64, X64_RCX);
  }
  if (done) x64_patch(a, done, a->len);
  if (rem && !w64) x64_mov_rr(a, false, X64_RDX, X64_RDX);  /* zero-extend the i32 */
  jit_replace(fn, 2, rem ? X64_RDX : X64_RAX);
}

/* The result stays in the flags (JV_FLAGS) for br_if, if, select or eqz to use directly. */
static void compare(jit_fn *fn, x64_cond cc, bool w64) {
  jit_val a = *jit_at(fn, 1), b = *jit_at(fn, 0);
  int ra = jit_val_gpr(fn, &a);
  if (ra < 0) {
    jit_val_to_gpr(fn, &a, fn->sp - 2, w64, X64_RCX);
    ra = X64_RCX;
  }
  jit_alu_val(fn, X64_CMP, w64, (x64_reg)ra, &b, fn->sp - 1);
  jit_pop(fn, 2);
  jit_push_val(fn, (jit_val){.kind = JV_FLAGS, .reg = (uint8_t)cc});
}

static void eqz(jit_fn *fn, bool w64) {
  jit_val *v = jit_at(fn, 0);
  x64_mem m;
  int r = jit_val_gpr(fn, v);
  x64_cond cc = X64_E;
  if (v->kind == JV_FLAGS) {
    cc = (x64_cond)(v->reg ^ 1);  /* not of a comparison: the opposite condition */
  } else if (r >= 0) {
    x64_test_rr(fn->a, w64, (x64_reg)r, (x64_reg)r);
  } else if (jit_val_mem(fn, v, fn->sp - 1, &m)) {
    x64_alu_mi(fn->a, X64_CMP, w64, m, 0);
  } else {
    jit_load_top(fn, w64, X64_RCX, 0);
    x64_test_rr(fn->a, w64, X64_RCX, X64_RCX);
  }
  jit_pop(fn, 1);
  jit_push_val(fn, (jit_val){.kind = JV_FLAGS, .reg = (uint8_t)cc});
}

static void bitcount(jit_fn *fn, x64_bitcount_op op, bool w64) {
  jit_load_top(fn, w64, X64_RCX, 0);
  x64_bitcount(fn->a, op, w64, X64_RAX, X64_RCX);
  jit_replace(fn, 1, X64_RAX);
}

static void sign_extend(jit_fn *fn, unsigned bytes, bool w64) {
  jit_load_top(fn, true, X64_RAX, 0);
  x64_movsx_rr(fn->a, bytes, w64, X64_RAX, X64_RAX);
  jit_replace(fn, 1, X64_RAX);
}

static bool emit_compare(jit_fn *fn, uint16_t op) {
  static const x64_cond conds[] = {X64_E, X64_NE, X64_L, X64_B, X64_G, X64_A,
                                   X64_LE, X64_BE, X64_GE, X64_AE};
  if (op == WL_OP_I32_EQZ || op == WL_OP_I64_EQZ) {
    eqz(fn, op == WL_OP_I64_EQZ);
  } else if (op >= WL_OP_I32_EQ && op <= WL_OP_I32_GE_U) {
    compare(fn, conds[op - WL_OP_I32_EQ], false);
  } else if (op >= WL_OP_I64_EQ && op <= WL_OP_I64_GE_U) {
    compare(fn, conds[op - WL_OP_I64_EQ], true);
  } else {
    return false;
  }
  return true;
}

/* i32 and i64 share the order CLZ CTZ POPCNT ADD SUB MUL DIV_S DIV_U REM_S REM_U AND OR XOR
 * SHL SHR_S SHR_U ROTL ROTR (core.def): one switch over the offset from each group's CLZ. */
static bool emit_arith(jit_fn *fn, unsigned k, bool w64) {
  switch (k) {
    case 0: bitcount(fn, X64_LZCNT, w64); return true;
    case 1: bitcount(fn, X64_TZCNT, w64); return true;
    case 2: bitcount(fn, X64_POPCNT, w64); return true;
    case 3: binary_alu(fn, X64_ADD, w64); return true;
    case 4: binary_alu(fn, X64_SUB, w64); return true;
    case 5: binary_mul(fn, w64); return true;
    case 6: divide(fn, w64, true, false); return true;
    case 7: divide(fn, w64, false, false); return true;
    case 8: divide(fn, w64, true, true); return true;
    case 9: divide(fn, w64, false, true); return true;
    case 10: binary_alu(fn, X64_AND, w64); return true;
    case 11: binary_alu(fn, X64_OR, w64); return true;
    case 12: binary_alu(fn, X64_XOR, w64); return true;
    case 13: binary_shift(fn, X64_SHL, w64); return true;
    case 14: binary_shift(fn, X64_SAR, w64); return true;
    case 15: binary_shift(fn, X64_SHR, w64); return true;
    case 16: binary_shift(fn, X64_ROL, w64); return true;
    case 17: binary_shift(fn, X64_ROR, w64); return true;
    default: return false;
  }
}

_Static_assert(WL_OP_I32_ROTR - WL_OP_I32_CLZ == 17 && WL_OP_I64_ROTR - WL_OP_I64_CLZ == 17,
               "integer groups keep the core.def order");

bool jit_emit_numeric(jit_fn *fn, const wl_instr *in) {
  uint16_t op = in->op;
  if (emit_compare(fn, op)) return true;
  if (op >= WL_OP_I32_CLZ && op <= WL_OP_I32_ROTR) return emit_arith(fn, op - WL_OP_I32_CLZ, false);
  if (op >= WL_OP_I64_CLZ && op <= WL_OP_I64_ROTR) return emit_arith(fn, op - WL_OP_I64_CLZ, true);
  switch (op) {
    case WL_OP_I32_EXTEND8_S: sign_extend(fn, 1, false); return true;
    case WL_OP_I32_EXTEND16_S: sign_extend(fn, 2, false); return true;
    case WL_OP_I64_EXTEND8_S: sign_extend(fn, 1, true); return true;
    case WL_OP_I64_EXTEND16_S: sign_extend(fn, 2, true); return true;
    case WL_OP_I64_EXTEND32_S: sign_extend(fn, 4, true); return true;
    default: return false;
  }
}
