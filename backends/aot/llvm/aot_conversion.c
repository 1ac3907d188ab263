/* Conversions. Trapping float->int truncations check NaN ("invalid conversion to integer")
 * and the exact representable range ("integer overflow") before fptosi/fptoui, which LLVM
 * leaves undefined outside it; the saturating forms map to llvm.fpto[su]i.sat, whose
 * semantics (NaN -> 0, clamp) are the spec's. Sign extensions live here too. */
#include "backends/aot/llvm/aot_ir.h"

/* The open or half-open interval of inputs whose truncation fits the target integer. */
typedef struct {
  double lo;
  bool lo_inclusive;
  double hi;  /* exclusive */
} trunc_range;

static void trunc_trapping(aot_fn *fn, LLVMTypeRef to, bool is_signed, trunc_range r) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef v = aot_pop(fn);
  LLVMTypeRef ft = LLVMTypeOf(v);
  aot_trap_if(fn, LLVMBuildFCmp(b, LLVMRealUNO, v, v, ""), WL_TRAP_INVALID_CONVERSION);
  LLVMValueRef lo_ok = LLVMBuildFCmp(b, r.lo_inclusive ? LLVMRealOGE : LLVMRealOGT, v,
                                     LLVMConstReal(ft, r.lo), "");
  LLVMValueRef hi_ok = LLVMBuildFCmp(b, LLVMRealOLT, v, LLVMConstReal(ft, r.hi), "");
  LLVMValueRef ok = LLVMBuildAnd(b, lo_ok, hi_ok, "");
  aot_trap_if(fn, LLVMBuildNot(b, ok, ""), WL_TRAP_INT_OVERFLOW);
  aot_push(fn, is_signed ? LLVMBuildFPToSI(b, v, to, "") : LLVMBuildFPToUI(b, v, to, ""));
}

static void trunc_sat(aot_fn *fn, LLVMTypeRef to, bool is_signed) {
  LLVMValueRef v = aot_pop(fn);
  LLVMTypeRef types[2] = {to, LLVMTypeOf(v)};
  aot_push(fn, aot_intrinsic(fn, is_signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat", types, 2,
                             &v, 1));
}

/* demote(promote x) must quiet a signaling NaN; LLVM folds the pair to x, so the promoted
 * value goes through x + (-0.0) (an identity otherwise) with an opaque -0.0. */
static void demote(aot_fn *fn) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef v = aot_pop(fn);
  if (LLVMIsAFPExtInst(v))
    v = LLVMBuildFAdd(b, v, aot_opaque_float(fn, LLVMConstReal(fn->am->f64, -0.0)), "");
  aot_push(fn, LLVMBuildFPTrunc(b, v, fn->am->f32, ""));
}

typedef LLVMValueRef (*cast_fn)(LLVMBuilderRef, LLVMValueRef, LLVMTypeRef, const char *);

static void cast(aot_fn *fn, cast_fn op, LLVMTypeRef to) {
  aot_push(fn, op(fn->am->b, aot_pop(fn), to, ""));
}

/* Sign-extends the low `bits` of the top value in place. */
static void extend_low(aot_fn *fn, unsigned bits) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef v = aot_pop(fn);
  LLVMValueRef low = LLVMBuildTrunc(b, v, LLVMIntTypeInContext(fn->am->ctx, bits), "");
  aot_push(fn, LLVMBuildSExt(b, low, LLVMTypeOf(v), ""));
}

static const trunc_range I32_S_F32 = {-2147483648.0, true, 2147483648.0};
static const trunc_range I32_S_F64 = {-2147483649.0, false, 2147483648.0};
static const trunc_range I32_U = {-1.0, false, 4294967296.0};
static const trunc_range I64_S = {-9223372036854775808.0, true, 9223372036854775808.0};
static const trunc_range I64_U = {-1.0, false, 18446744073709551616.0};

static bool emit_truncations(aot_fn *fn, uint16_t op) {
  LLVMTypeRef i32 = fn->am->i32, i64 = fn->am->i64;
  switch (op) {
    case WL_OP_I32_TRUNC_F32_S: trunc_trapping(fn, i32, true, I32_S_F32); return true;
    case WL_OP_I32_TRUNC_F64_S: trunc_trapping(fn, i32, true, I32_S_F64); return true;
    case WL_OP_I32_TRUNC_F32_U: case WL_OP_I32_TRUNC_F64_U:
      trunc_trapping(fn, i32, false, I32_U);
      return true;
    case WL_OP_I64_TRUNC_F32_S: case WL_OP_I64_TRUNC_F64_S:
      trunc_trapping(fn, i64, true, I64_S);
      return true;
    case WL_OP_I64_TRUNC_F32_U: case WL_OP_I64_TRUNC_F64_U:
      trunc_trapping(fn, i64, false, I64_U);
      return true;
    case WL_OP_I32_TRUNC_SAT_F32_S: case WL_OP_I32_TRUNC_SAT_F64_S:
      trunc_sat(fn, i32, true);
      return true;
    case WL_OP_I32_TRUNC_SAT_F32_U: case WL_OP_I32_TRUNC_SAT_F64_U:
      trunc_sat(fn, i32, false);
      return true;
    case WL_OP_I64_TRUNC_SAT_F32_S: case WL_OP_I64_TRUNC_SAT_F64_S:
      trunc_sat(fn, i64, true);
      return true;
    case WL_OP_I64_TRUNC_SAT_F32_U: case WL_OP_I64_TRUNC_SAT_F64_U:
      trunc_sat(fn, i64, false);
      return true;
    default: return false;
  }
}

static bool emit_casts(aot_fn *fn, uint16_t op) {
  aot_module *am = fn->am;
  switch (op) {
    case WL_OP_I32_WRAP_I64: cast(fn, LLVMBuildTrunc, am->i32); return true;
    case WL_OP_I64_EXTEND_I32_S: cast(fn, LLVMBuildSExt, am->i64); return true;
    case WL_OP_I64_EXTEND_I32_U: cast(fn, LLVMBuildZExt, am->i64); return true;
    case WL_OP_F32_CONVERT_I32_S: case WL_OP_F32_CONVERT_I64_S:
      cast(fn, LLVMBuildSIToFP, am->f32);
      return true;
    case WL_OP_F32_CONVERT_I32_U: case WL_OP_F32_CONVERT_I64_U:
      cast(fn, LLVMBuildUIToFP, am->f32);
      return true;
    case WL_OP_F64_CONVERT_I32_S: case WL_OP_F64_CONVERT_I64_S:
      cast(fn, LLVMBuildSIToFP, am->f64);
      return true;
    case WL_OP_F64_CONVERT_I32_U: case WL_OP_F64_CONVERT_I64_U:
      cast(fn, LLVMBuildUIToFP, am->f64);
      return true;
    case WL_OP_F32_DEMOTE_F64: demote(fn); return true;
    case WL_OP_F64_PROMOTE_F32: cast(fn, LLVMBuildFPExt, am->f64); return true;
    case WL_OP_I32_REINTERPRET_F32: cast(fn, LLVMBuildBitCast, am->i32); return true;
    case WL_OP_I64_REINTERPRET_F64: cast(fn, LLVMBuildBitCast, am->i64); return true;
    case WL_OP_F32_REINTERPRET_I32: cast(fn, LLVMBuildBitCast, am->f32); return true;
    case WL_OP_F64_REINTERPRET_I64: cast(fn, LLVMBuildBitCast, am->f64); return true;
    case WL_OP_I32_EXTEND8_S: case WL_OP_I64_EXTEND8_S: extend_low(fn, 8); return true;
    case WL_OP_I32_EXTEND16_S: case WL_OP_I64_EXTEND16_S: extend_low(fn, 16); return true;
    case WL_OP_I64_EXTEND32_S: extend_low(fn, 32); return true;
    default: return false;
  }
}

bool aot_emit_conversion(aot_fn *fn, const wl_instr *in) {
  return emit_truncations(fn, in->op) || emit_casts(fn, in->op);
}
