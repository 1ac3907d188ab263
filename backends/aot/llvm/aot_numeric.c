/* Constants, comparisons and arithmetic. Integer division and remainder check their trap
 * conditions explicitly (LLVM's sdiv/udiv are undefined there); shift counts are masked as
 * wasm requires; float min/max/nearest/copysign use the LLVM intrinsics whose semantics match
 * the spec exactly (llvm.minimum/maximum propagate NaN and order -0 < +0). */
#include <stdio.h>

#include "backends/aot/llvm/aot_ir.h"

static LLVMValueRef bool_to_i32(aot_fn *fn, LLVMValueRef c) {
  return LLVMBuildZExt(fn->am->b, c, fn->am->i32, "");
}

static void icmp(aot_fn *fn, LLVMIntPredicate p) {
  LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
  aot_push(fn, bool_to_i32(fn, LLVMBuildICmp(fn->am->b, p, l, r, "")));
}

static void fcmp(aot_fn *fn, LLVMRealPredicate p) {
  LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
  aot_push(fn, bool_to_i32(fn, LLVMBuildFCmp(fn->am->b, p, l, r, "")));
}

static void eqz(aot_fn *fn) {
  LLVMValueRef v = aot_pop(fn);
  LLVMValueRef zero = LLVMConstInt(LLVMTypeOf(v), 0, 0);
  aot_push(fn, bool_to_i32(fn, LLVMBuildICmp(fn->am->b, LLVMIntEQ, v, zero, "")));
}

typedef LLVMValueRef (*binop_fn)(LLVMBuilderRef, LLVMValueRef, LLVMValueRef, const char *);

static void binop(aot_fn *fn, binop_fn op) {
  LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
  aot_push(fn, op(fn->am->b, l, r, ""));
}

/* Shifts: the count is taken modulo the bit width. */
static void shift(aot_fn *fn, binop_fn op) {
  LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
  LLVMTypeRef t = LLVMTypeOf(l);
  LLVMValueRef mask = LLVMConstInt(t, LLVMGetIntTypeWidth(t) - 1, 0);
  aot_push(fn, op(fn->am->b, l, LLVMBuildAnd(fn->am->b, r, mask, ""), ""));
}

static void unary_intrinsic(aot_fn *fn, const char *name) {
  LLVMValueRef v = aot_pop(fn);
  LLVMTypeRef t = LLVMTypeOf(v);
  aot_push(fn, aot_intrinsic(fn, name, &t, 1, &v, 1));
}

/* clz/ctz: defined for zero (returns the width), hence is_zero_poison = false. */
static void count_zeros(aot_fn *fn, const char *name) {
  LLVMValueRef v = aot_pop(fn);
  LLVMTypeRef t = LLVMTypeOf(v);
  LLVMValueRef args[2] = {v, LLVMConstInt(fn->am->i1, 0, 0)};
  aot_push(fn, aot_intrinsic(fn, name, &t, 1, args, 2));
}

static void binary_intrinsic(aot_fn *fn, const char *name) {
  LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
  LLVMTypeRef t = LLVMTypeOf(l);
  LLVMValueRef args[2] = {l, r};
  aot_push(fn, aot_intrinsic(fn, name, &t, 1, args, 2));
}

/* rotl/rotr: funnel shifts of a value with itself (count modulo width, as wasm). */
static void rotate(aot_fn *fn, const char *name) {
  LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
  LLVMTypeRef t = LLVMTypeOf(l);
  LLVMValueRef args[3] = {l, l, r};
  aot_push(fn, aot_intrinsic(fn, name, &t, 1, args, 3));
}

static void divide(aot_fn *fn, bool is_signed, bool is_rem) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
  LLVMTypeRef t = LLVMTypeOf(l);
  unsigned width = LLVMGetIntTypeWidth(t);
  aot_trap_if(fn, LLVMBuildICmp(b, LLVMIntEQ, r, LLVMConstInt(t, 0, 0), ""), WL_TRAP_DIV_BY_ZERO);
  if (!is_signed) {
    aot_push(fn, is_rem ? LLVMBuildURem(b, l, r, "") : LLVMBuildUDiv(b, l, r, ""));
    return;
  }
  LLVMValueRef minus_one = LLVMConstAllOnes(t);
  LLVMValueRef is_m1 = LLVMBuildICmp(b, LLVMIntEQ, r, minus_one, "");
  if (!is_rem) {
    LLVMValueRef min = LLVMConstInt(t, 1ull << (width - 1), 0);
    LLVMValueRef overflow = LLVMBuildAnd(b, is_m1, LLVMBuildICmp(b, LLVMIntEQ, l, min, ""), "");
    aot_trap_if(fn, overflow, WL_TRAP_INT_OVERFLOW);
    aot_push(fn, LLVMBuildSDiv(b, l, r, ""));
    return;
  }
  /* x rem -1 is 0 in wasm (even for INT_MIN, where srem would be undefined). */
  LLVMValueRef safe = LLVMBuildSelect(b, is_m1, LLVMConstInt(t, 1, 0), r, "");
  LLVMValueRef rem = LLVMBuildSRem(b, l, safe, "");
  aot_push(fn, LLVMBuildSelect(b, is_m1, LLVMConstInt(t, 0, 0), rem, ""));
}

static bool emit_const(aot_fn *fn, const wl_instr *in) {
  aot_module *am = fn->am;
  switch (in->op) {
    case WL_OP_I32_CONST: aot_push(fn, aot_const_i32(fn, (uint32_t)in->imm.i32)); return true;
    case WL_OP_I64_CONST: aot_push(fn, aot_const_i64(fn, (uint64_t)in->imm.i64)); return true;
    case WL_OP_F32_CONST:  /* from the bits, so NaN payloads survive */
      aot_push(fn, LLVMConstBitCast(aot_const_i32(fn, in->imm.f32_bits), am->f32));
      return true;
    case WL_OP_F64_CONST:
      aot_push(fn, LLVMConstBitCast(aot_const_i64(fn, in->imm.f64_bits), am->f64));
      return true;
    default: return false;
  }
}

static bool emit_int_compare(aot_fn *fn, uint16_t op) {
  switch (op) {
    case WL_OP_I32_EQZ: case WL_OP_I64_EQZ: eqz(fn); return true;
    case WL_OP_I32_EQ: case WL_OP_I64_EQ: icmp(fn, LLVMIntEQ); return true;
    case WL_OP_I32_NE: case WL_OP_I64_NE: icmp(fn, LLVMIntNE); return true;
    case WL_OP_I32_LT_S: case WL_OP_I64_LT_S: icmp(fn, LLVMIntSLT); return true;
    case WL_OP_I32_LT_U: case WL_OP_I64_LT_U: icmp(fn, LLVMIntULT); return true;
    case WL_OP_I32_GT_S: case WL_OP_I64_GT_S: icmp(fn, LLVMIntSGT); return true;
    case WL_OP_I32_GT_U: case WL_OP_I64_GT_U: icmp(fn, LLVMIntUGT); return true;
    case WL_OP_I32_LE_S: case WL_OP_I64_LE_S: icmp(fn, LLVMIntSLE); return true;
    case WL_OP_I32_LE_U: case WL_OP_I64_LE_U: icmp(fn, LLVMIntULE); return true;
    case WL_OP_I32_GE_S: case WL_OP_I64_GE_S: icmp(fn, LLVMIntSGE); return true;
    case WL_OP_I32_GE_U: case WL_OP_I64_GE_U: icmp(fn, LLVMIntUGE); return true;
    default: return false;
  }
}

static bool emit_float_compare(aot_fn *fn, uint16_t op) {
  switch (op) {
    case WL_OP_F32_EQ: case WL_OP_F64_EQ: fcmp(fn, LLVMRealOEQ); return true;
    case WL_OP_F32_NE: case WL_OP_F64_NE: fcmp(fn, LLVMRealUNE); return true;
    case WL_OP_F32_LT: case WL_OP_F64_LT: fcmp(fn, LLVMRealOLT); return true;
    case WL_OP_F32_GT: case WL_OP_F64_GT: fcmp(fn, LLVMRealOGT); return true;
    case WL_OP_F32_LE: case WL_OP_F64_LE: fcmp(fn, LLVMRealOLE); return true;
    case WL_OP_F32_GE: case WL_OP_F64_GE: fcmp(fn, LLVMRealOGE); return true;
    default: return false;
  }
}

static bool emit_int_arith(aot_fn *fn, uint16_t op) {
  switch (op) {
    case WL_OP_I32_CLZ: case WL_OP_I64_CLZ: count_zeros(fn, "llvm.ctlz"); return true;
    case WL_OP_I32_CTZ: case WL_OP_I64_CTZ: count_zeros(fn, "llvm.cttz"); return true;
    case WL_OP_I32_POPCNT: case WL_OP_I64_POPCNT: unary_intrinsic(fn, "llvm.ctpop"); return true;
    case WL_OP_I32_ADD: case WL_OP_I64_ADD: binop(fn, LLVMBuildAdd); return true;
    case WL_OP_I32_SUB: case WL_OP_I64_SUB: binop(fn, LLVMBuildSub); return true;
    case WL_OP_I32_MUL: case WL_OP_I64_MUL: binop(fn, LLVMBuildMul); return true;
    case WL_OP_I32_DIV_S: case WL_OP_I64_DIV_S: divide(fn, true, false); return true;
    case WL_OP_I32_DIV_U: case WL_OP_I64_DIV_U: divide(fn, false, false); return true;
    case WL_OP_I32_REM_S: case WL_OP_I64_REM_S: divide(fn, true, true); return true;
    case WL_OP_I32_REM_U: case WL_OP_I64_REM_U: divide(fn, false, true); return true;
    case WL_OP_I32_AND: case WL_OP_I64_AND: binop(fn, LLVMBuildAnd); return true;
    case WL_OP_I32_OR: case WL_OP_I64_OR: binop(fn, LLVMBuildOr); return true;
    case WL_OP_I32_XOR: case WL_OP_I64_XOR: binop(fn, LLVMBuildXor); return true;
    case WL_OP_I32_SHL: case WL_OP_I64_SHL: shift(fn, LLVMBuildShl); return true;
    case WL_OP_I32_SHR_S: case WL_OP_I64_SHR_S: shift(fn, LLVMBuildAShr); return true;
    case WL_OP_I32_SHR_U: case WL_OP_I64_SHR_U: shift(fn, LLVMBuildLShr); return true;
    case WL_OP_I32_ROTL: case WL_OP_I64_ROTL: rotate(fn, "llvm.fshl"); return true;
    case WL_OP_I32_ROTR: case WL_OP_I64_ROTR: rotate(fn, "llvm.fshr"); return true;
    default: return false;
  }
}

/* A float constant the optimizer cannot see: loaded from an exported (so never provably
 * constant) global. Used for the identity operands (+-0, +-1) for which LLVM would fold
 * x*1 -> x, x-0 -> x, -0-x -> -x ..., which is wrong for wasm: a signaling NaN input must come
 * out as a quiet (arithmetic) NaN. */
LLVMValueRef aot_opaque_float(aot_fn *fn, LLVMValueRef c) {
  aot_module *am = fn->am;
  LLVMTypeRef t = LLVMTypeOf(c);
  LLVMBool lossy;
  double v = LLVMConstRealGetDouble(c, &lossy);
  char name[48];
  /* Named by partition: each partition's object defines its own. */
  snprintf(name, sizeof name, "wasm_fpconst_p%u_%s_%g", am->part, t == am->f32 ? "f32" : "f64",
           v);
  LLVMValueRef g = LLVMGetNamedGlobal(am->mod, name);
  if (!g) {
    g = LLVMAddGlobal(am->mod, t, name);
    LLVMSetInitializer(g, c);
    LLVMSetVisibility(g, LLVMProtectedVisibility);
  }
  return LLVMBuildLoad2(am->b, t, g, "");
}

static bool is_identity_constant(LLVMValueRef v) {
  if (!LLVMIsAConstantFP(v)) return false;
  LLVMBool lossy;
  double d = LLVMConstRealGetDouble(v, &lossy);
  return d == 0.0 || d == 1.0 || d == -1.0;
}

static void float_binop(aot_fn *fn, binop_fn op) {
  LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
  if (is_identity_constant(l)) l = aot_opaque_float(fn, l);
  if (is_identity_constant(r)) r = aot_opaque_float(fn, r);
  aot_push(fn, op(fn->am->b, l, r, ""));
}

/* llvm.minimum/maximum return a NaN operand unchanged; wasm wants it quieted (an arithmetic
 * NaN), which a + b provides. Works lane-wise on float vectors too. */
LLVMValueRef aot_wasm_min_max(aot_fn *fn, const char *name, LLVMValueRef l, LLVMValueRef r) {
  LLVMBuilderRef b = fn->am->b;
  LLVMTypeRef t = LLVMTypeOf(l);
  LLVMValueRef args[2] = {l, r};
  LLVMValueRef m = aot_intrinsic(fn, name, &t, 1, args, 2);
  LLVMValueRef nan = LLVMBuildFCmp(b, LLVMRealUNO, l, r, "");
  return LLVMBuildSelect(b, nan, LLVMBuildFAdd(b, l, r, ""), m, "");
}

static void min_max(aot_fn *fn, const char *name) {
  LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
  aot_push(fn, aot_wasm_min_max(fn, name, l, r));
}

static void fneg(aot_fn *fn) { aot_push(fn, LLVMBuildFNeg(fn->am->b, aot_pop(fn), "")); }

static bool emit_float_arith(aot_fn *fn, uint16_t op) {
  switch (op) {
    case WL_OP_F32_ABS: case WL_OP_F64_ABS: unary_intrinsic(fn, "llvm.fabs"); return true;
    case WL_OP_F32_NEG: case WL_OP_F64_NEG: fneg(fn); return true;
    case WL_OP_F32_CEIL: case WL_OP_F64_CEIL: unary_intrinsic(fn, "llvm.ceil"); return true;
    case WL_OP_F32_FLOOR: case WL_OP_F64_FLOOR: unary_intrinsic(fn, "llvm.floor"); return true;
    case WL_OP_F32_TRUNC: case WL_OP_F64_TRUNC: unary_intrinsic(fn, "llvm.trunc"); return true;
    case WL_OP_F32_NEAREST: case WL_OP_F64_NEAREST:
      unary_intrinsic(fn, "llvm.roundeven");
      return true;
    case WL_OP_F32_SQRT: case WL_OP_F64_SQRT: unary_intrinsic(fn, "llvm.sqrt"); return true;
    case WL_OP_F32_ADD: case WL_OP_F64_ADD: float_binop(fn, LLVMBuildFAdd); return true;
    case WL_OP_F32_SUB: case WL_OP_F64_SUB: float_binop(fn, LLVMBuildFSub); return true;
    case WL_OP_F32_MUL: case WL_OP_F64_MUL: float_binop(fn, LLVMBuildFMul); return true;
    case WL_OP_F32_DIV: case WL_OP_F64_DIV: float_binop(fn, LLVMBuildFDiv); return true;
    case WL_OP_F32_MIN: case WL_OP_F64_MIN: min_max(fn, "llvm.minimum"); return true;
    case WL_OP_F32_MAX: case WL_OP_F64_MAX: min_max(fn, "llvm.maximum"); return true;
    case WL_OP_F32_COPYSIGN: case WL_OP_F64_COPYSIGN:
      binary_intrinsic(fn, "llvm.copysign");
      return true;
    default: return false;
  }
}

bool aot_emit_numeric(aot_fn *fn, const wl_instr *in) {
  return emit_const(fn, in) || emit_int_compare(fn, in->op) ||
         emit_float_compare(fn, in->op) || emit_int_arith(fn, in->op) ||
         emit_float_arith(fn, in->op);
}
