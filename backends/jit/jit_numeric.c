/* Integer arithmetic, comparisons and sign extension: operands are loaded from their slots
 * into rax (first) and rcx (second), the result goes back as one 64-bit slot (32-bit
 * operations zero the upper half, which is the slot convention for i32). */
#include "backends/jit/jit.h"

static void binary_alu(jit_fn *fn, x64_alu op, bool w64) {
  jit_load_top(fn, w64, X64_RAX, 1);
  jit_alu_top(fn, op, w64, X64_RAX);
  jit_replace(fn, 2, X64_RAX);
}

static void binary_shift(jit_fn *fn, x64_shift op, bool w64) {
  jit_load_top(fn, w64, X64_RAX, 1);
  jit_load_top(fn, false, X64_RCX, 0);
  x64_shift_cl(fn->a, op, w64, X64_RAX);  /* the count is masked like wasm's (5 or 6 bits) */
  jit_replace(fn, 2, X64_RAX);
}

static void binary_mul(jit_fn *fn, bool w64) {
  jit_load_top(fn, w64, X64_RAX, 1);
  jit_load_top(fn, w64, X64_RCX, 0);
  x64_imul_rr(fn->a, w64, X64_RAX, X64_RCX);
  jit_replace(fn, 2, X64_RAX);
}

/* div/rem: divide by zero traps; signed INT_MIN / -1 traps for div and gives 0 for rem. */
static void divide(jit_fn *fn, bool w64, bool sign, bool rem) {
  x64_asm *a = fn->a;
  jit_load_top(fn, w64, X64_RAX, 1);
  jit_load_top(fn, w64, X64_RCX, 0);
  x64_test_rr(a, w64, X64_RCX, X64_RCX);
  jit_to_stub(fn, X64_E, WL_TRAP_DIV_BY_ZERO);
  size_t done = 0, normal = 0;
  if (sign) {
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

static void compare(jit_fn *fn, x64_cond cc, bool w64) {
  jit_load_top(fn, w64, X64_RCX, 1);
  jit_alu_top(fn, X64_CMP, w64, X64_RCX);
  x64_setcc(fn->a, cc, X64_RAX);
  x64_movzx8(fn->a, X64_RAX, X64_RAX);
  jit_replace(fn, 2, X64_RAX);
}

static void eqz(jit_fn *fn, bool w64) {
  jit_load_top(fn, w64, X64_RCX, 0);
  x64_test_rr(fn->a, w64, X64_RCX, X64_RCX);
  x64_setcc(fn->a, X64_E, X64_RAX);
  x64_movzx8(fn->a, X64_RAX, X64_RAX);
  jit_replace(fn, 1, X64_RAX);
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
