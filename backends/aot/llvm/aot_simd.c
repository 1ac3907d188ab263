/* SIMD instructions. A v128 lives on the operand stack as <2 x i64> and is bitcast to the lane
 * shape each instruction works on. Lowerings keep Wasm's semantics exactly:
 *  - float min/max: llvm.minimum/maximum with NaNs quieted (aot_wasm_min_max), never minnum;
 *    pmin/pmax: compare and select on the lane values, as the spec defines them;
 *  - float -> int: llvm.fptosi.sat / fptoui.sat (NaN -> 0, saturating), never fptosi;
 *  - nearest: llvm.roundeven; integer abs: llvm.abs without poison for INT_MIN;
 *  - shift counts modulo the lane width; swizzle indices >= 16 give 0;
 *  - narrowing saturates with smin/smax before truncating. */
#include "backends/aot/llvm/aot_ir.h"

/* Lane shapes: b i8x16, h i16x8, w i32x4, d i64x2, f f32x4, F f64x2. */
static LLVMTypeRef shape_type(aot_fn *fn, char s) {
  aot_module *am = fn->am;
  switch (s) {
    case 'b': return LLVMVectorType(am->i8, 16);
    case 'h': return LLVMVectorType(am->i16, 8);
    case 'w': return LLVMVectorType(am->i32, 4);
    case 'f': return LLVMVectorType(am->f32, 4);
    case 'F': return LLVMVectorType(am->f64, 2);
    default: return am->v128;
  }
}

static LLVMValueRef as(aot_fn *fn, LLVMValueRef v, char s) {
  return LLVMBuildBitCast(fn->am->b, v, shape_type(fn, s), "");
}
static LLVMValueRef pop_as(aot_fn *fn, char s) { return as(fn, aot_pop(fn), s); }
static void push_v(aot_fn *fn, LLVMValueRef v) {
  aot_push(fn, LLVMBuildBitCast(fn->am->b, v, fn->am->v128, ""));
}

static unsigned lanes_of(char s) {
  return s == 'b' ? 16 : s == 'h' ? 8 : (s == 'w' || s == 'f') ? 4 : 2;
}

static LLVMValueRef splat(aot_fn *fn, LLVMValueRef x, unsigned n) {
  LLVMBuilderRef b = fn->am->b;
  LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(x), n);
  LLVMValueRef v = LLVMBuildInsertElement(b, LLVMGetUndef(vt), x, aot_const_i32(fn, 0), "");
  LLVMValueRef zeros = LLVMConstNull(LLVMVectorType(fn->am->i32, n));
  return LLVMBuildShuffleVector(b, v, LLVMGetUndef(vt), zeros, "");
}

/* shufflevector(a, b, [first, first + step, ...] x n). */
static LLVMValueRef shuffle(aot_fn *fn, LLVMValueRef a, LLVMValueRef b, unsigned first,
                            unsigned step, unsigned n) {
  LLVMValueRef mask[16];
  for (unsigned i = 0; i < n; i++) mask[i] = aot_const_i32(fn, first + i * step);
  return LLVMBuildShuffleVector(fn->am->b, a, b, LLVMConstVector(mask, n), "");
}

static LLVMValueRef intrinsic1(aot_fn *fn, const char *name, LLVMValueRef v) {
  LLVMTypeRef t = LLVMTypeOf(v);
  return aot_intrinsic(fn, name, &t, 1, &v, 1);
}
static LLVMValueRef intrinsic2(aot_fn *fn, const char *name, LLVMValueRef l, LLVMValueRef r) {
  LLVMTypeRef t = LLVMTypeOf(l);
  LLVMValueRef args[2] = {l, r};
  return aot_intrinsic(fn, name, &t, 1, args, 2);
}

/* ---------------------------------------------------------------- generic shapes */

typedef LLVMValueRef (*build2)(LLVMBuilderRef, LLVMValueRef, LLVMValueRef, const char *);

static void binary(aot_fn *fn, char s, build2 op) {
  LLVMValueRef r = pop_as(fn, s), l = pop_as(fn, s);
  push_v(fn, op(fn->am->b, l, r, ""));
}

static void binary_intrinsic(aot_fn *fn, char s, const char *name) {
  LLVMValueRef r = pop_as(fn, s), l = pop_as(fn, s);
  push_v(fn, intrinsic2(fn, name, l, r));
}

static void unary_intrinsic(aot_fn *fn, char s, const char *name) {
  push_v(fn, intrinsic1(fn, name, pop_as(fn, s)));
}

static void icmp(aot_fn *fn, char s, LLVMIntPredicate p) {
  LLVMValueRef r = pop_as(fn, s), l = pop_as(fn, s);
  LLVMValueRef c = LLVMBuildICmp(fn->am->b, p, l, r, "");
  push_v(fn, LLVMBuildSExt(fn->am->b, c, shape_type(fn, s), ""));
}

static void fcmp(aot_fn *fn, char s, LLVMRealPredicate p) {
  LLVMValueRef r = pop_as(fn, s), l = pop_as(fn, s);
  LLVMValueRef c = LLVMBuildFCmp(fn->am->b, p, l, r, "");
  push_v(fn, LLVMBuildSExt(fn->am->b, c, shape_type(fn, s == 'f' ? 'w' : 'd'), ""));
}

static void shift(aot_fn *fn, char s, build2 op) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef count = aot_pop(fn), v = pop_as(fn, s);
  LLVMTypeRef lane = LLVMGetElementType(shape_type(fn, s));
  unsigned width = LLVMGetIntTypeWidth(lane);
  count = LLVMBuildAnd(b, count, aot_const_i32(fn, width - 1), "");
  if (width < 32) count = LLVMBuildTrunc(b, count, lane, "");
  if (width > 32) count = LLVMBuildZExt(b, count, lane, "");
  push_v(fn, op(b, v, splat(fn, count, lanes_of(s)), ""));
}

static void integer_abs(aot_fn *fn, char s) {
  LLVMValueRef v = pop_as(fn, s);
  LLVMTypeRef t = LLVMTypeOf(v);
  LLVMValueRef args[2] = {v, LLVMConstInt(fn->am->i1, 0, 0)};
  push_v(fn, aot_intrinsic(fn, "llvm.abs", &t, 1, args, 2));
}

static void neg(aot_fn *fn, char s) {
  LLVMValueRef v = pop_as(fn, s);
  push_v(fn, LLVMBuildSub(fn->am->b, LLVMConstNull(LLVMTypeOf(v)), v, ""));
}

/* ---------------------------------------------------------------- lane tests */

static void all_true(aot_fn *fn, char s) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef v = pop_as(fn, s);
  LLVMValueRef nz = LLVMBuildICmp(b, LLVMIntNE, v, LLVMConstNull(LLVMTypeOf(v)), "");
  LLVMValueRef all = intrinsic1(fn, "llvm.vector.reduce.and", nz);
  aot_push(fn, LLVMBuildZExt(b, all, fn->am->i32, ""));
}

static void bitmask(aot_fn *fn, char s) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef v = pop_as(fn, s);
  LLVMValueRef neg_lanes = LLVMBuildICmp(b, LLVMIntSLT, v, LLVMConstNull(LLVMTypeOf(v)), "");
  LLVMTypeRef bits = LLVMIntTypeInContext(fn->am->ctx, lanes_of(s));
  aot_push(fn, LLVMBuildZExt(b, LLVMBuildBitCast(b, neg_lanes, bits, ""), fn->am->i32, ""));
}

static void any_true(aot_fn *fn) {
  LLVMBuilderRef b = fn->am->b;
  LLVMTypeRef i128 = LLVMIntTypeInContext(fn->am->ctx, 128);
  LLVMValueRef v = LLVMBuildBitCast(b, aot_pop(fn), i128, "");
  aot_push(fn, LLVMBuildZExt(b, LLVMBuildICmp(b, LLVMIntNE, v, LLVMConstNull(i128), ""),
                             fn->am->i32, ""));
}

/* ---------------------------------------------------------------- widening, narrowing */

/* n lanes twice as wide as the integer lanes of vector type t. */
static LLVMTypeRef widened(aot_fn *fn, LLVMTypeRef t, unsigned n) {
  unsigned width = LLVMGetIntTypeWidth(LLVMGetElementType(t));
  return LLVMVectorType(LLVMIntTypeInContext(fn->am->ctx, 2 * width), n);
}

static LLVMValueRef widen(aot_fn *fn, LLVMValueRef v, LLVMTypeRef to, bool sign) {
  return sign ? LLVMBuildSExt(fn->am->b, v, to, "") : LLVMBuildZExt(fn->am->b, v, to, "");
}

/* The lane products of l and r, sign-extended to twice their width first (no overflow). */
static LLVMValueRef widened_product(aot_fn *fn, LLVMValueRef l, LLVMValueRef r) {
  LLVMTypeRef to = widened(fn, LLVMTypeOf(l), LLVMGetVectorSize(LLVMTypeOf(l)));
  return LLVMBuildMul(fn->am->b, widen(fn, l, to, true), widen(fn, r, to, true), "");
}

/* The `half` (0 low, 1 high) lanes of v (shape s), extended to twice their width. */
static LLVMValueRef extend_half(aot_fn *fn, LLVMValueRef v, char s, unsigned half, bool sign) {
  unsigned n = lanes_of(s) / 2;
  LLVMValueRef part = shuffle(fn, v, v, half * n, 1, n);
  return widen(fn, part, widened(fn, LLVMTypeOf(v), n), sign);
}

static void extend(aot_fn *fn, char s, unsigned half, bool sign) {
  push_v(fn, extend_half(fn, pop_as(fn, s), s, half, sign));
}

static void extmul(aot_fn *fn, char s, unsigned half, bool sign) {
  LLVMValueRef r = pop_as(fn, s), l = pop_as(fn, s);
  push_v(fn, LLVMBuildMul(fn->am->b, extend_half(fn, l, s, half, sign),
                          extend_half(fn, r, s, half, sign), ""));
}

/* Even and odd lanes of v (shape s), each extended to twice their width. */
static void even_odd(aot_fn *fn, LLVMValueRef v, char s, bool sign, LLVMValueRef *even,
                     LLVMValueRef *odd) {
  unsigned n = lanes_of(s) / 2;
  LLVMTypeRef wide = widened(fn, LLVMTypeOf(v), n);
  *even = widen(fn, shuffle(fn, v, v, 0, 2, n), wide, sign);
  *odd = widen(fn, shuffle(fn, v, v, 1, 2, n), wide, sign);
}

static void extadd_pairwise(aot_fn *fn, char s, bool sign) {
  LLVMValueRef e, o;
  even_odd(fn, pop_as(fn, s), s, sign, &e, &o);
  push_v(fn, LLVMBuildAdd(fn->am->b, e, o, ""));
}

/* Sums of adjacent lane pairs of v (n output lanes). */
static LLVMValueRef pair_sums(aot_fn *fn, LLVMValueRef v, unsigned n) {
  return LLVMBuildAdd(fn->am->b, shuffle(fn, v, v, 0, 2, n), shuffle(fn, v, v, 1, 2, n), "");
}

static void dot(aot_fn *fn) {
  LLVMValueRef r = pop_as(fn, 'h'), l = pop_as(fn, 'h');
  push_v(fn, pair_sums(fn, widened_product(fn, l, r), 4));
}

/* Saturates each lane of v into [lo, hi] (as signed values of v's lane type). */
static LLVMValueRef clamp(aot_fn *fn, LLVMValueRef v, int64_t lo, int64_t hi) {
  LLVMTypeRef t = LLVMTypeOf(v);
  unsigned n = LLVMGetVectorSize(t);
  LLVMTypeRef lane = LLVMGetElementType(t);
  LLVMValueRef vlo = splat(fn, LLVMConstInt(lane, (uint64_t)lo, 1), n);
  LLVMValueRef vhi = splat(fn, LLVMConstInt(lane, (uint64_t)hi, 1), n);
  return intrinsic2(fn, "llvm.smin", intrinsic2(fn, "llvm.smax", v, vlo), vhi);
}

/* a's lanes then b's (shape s), saturated to the narrow range [lo, hi], truncated. */
static void narrow(aot_fn *fn, char s, int64_t lo, int64_t hi) {
  LLVMValueRef r = pop_as(fn, s), l = pop_as(fn, s);
  unsigned n = 2 * lanes_of(s);
  LLVMValueRef both = clamp(fn, shuffle(fn, l, r, 0, 1, n), lo, hi);
  unsigned width = LLVMGetIntTypeWidth(LLVMGetElementType(LLVMTypeOf(l)));
  LLVMTypeRef to = LLVMVectorType(LLVMIntTypeInContext(fn->am->ctx, width / 2), n);
  push_v(fn, LLVMBuildTrunc(fn->am->b, both, to, ""));
}

static void q15mulr(aot_fn *fn) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef r = pop_as(fn, 'h'), l = pop_as(fn, 'h');
  LLVMValueRef p = widened_product(fn, l, r);
  p = LLVMBuildAdd(b, p, splat(fn, aot_const_i32(fn, 0x4000), 8), "");
  p = LLVMBuildAShr(b, p, splat(fn, aot_const_i32(fn, 15), 8), "");
  push_v(fn, LLVMBuildTrunc(b, clamp(fn, p, INT16_MIN, INT16_MAX), shape_type(fn, 'h'), ""));
}

/* (a + b + 1) >> 1 computed in twice the width. */
static void avgr(aot_fn *fn, char s) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef r = pop_as(fn, s), l = pop_as(fn, s);
  unsigned n = lanes_of(s);
  LLVMTypeRef vt = shape_type(fn, s);
  LLVMTypeRef lane = LLVMGetElementType(vt);
  LLVMTypeRef wide_lane = LLVMIntTypeInContext(fn->am->ctx, 2 * LLVMGetIntTypeWidth(lane));
  LLVMTypeRef wide = LLVMVectorType(wide_lane, n);
  LLVMValueRef sum = LLVMBuildAdd(b, LLVMBuildZExt(b, l, wide, ""), LLVMBuildZExt(b, r, wide, ""), "");
  LLVMValueRef one = splat(fn, LLVMConstInt(wide_lane, 1, 0), n);
  sum = LLVMBuildLShr(b, LLVMBuildAdd(b, sum, one, ""), one, "");
  push_v(fn, LLVMBuildTrunc(b, sum, vt, ""));
}

/* ---------------------------------------------------------------- float */

static void pminmax(aot_fn *fn, char s, bool is_max) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef r = pop_as(fn, s), l = pop_as(fn, s);
  /* pmin: r < l ? r : l; pmax: l < r ? r : l */
  LLVMValueRef c = is_max ? LLVMBuildFCmp(b, LLVMRealOLT, l, r, "")
                          : LLVMBuildFCmp(b, LLVMRealOLT, r, l, "");
  push_v(fn, LLVMBuildSelect(b, c, r, l, ""));
}

static void min_max(aot_fn *fn, char s, const char *name) {
  LLVMValueRef r = pop_as(fn, s), l = pop_as(fn, s);
  push_v(fn, aot_wasm_min_max(fn, name, l, r));
}

/* Sign operations on the bits: NaN payloads pass unchanged. */
static void sign_op(aot_fn *fn, char s, bool is_neg) {
  LLVMBuilderRef b = fn->am->b;
  char is = s == 'f' ? 'w' : 'd';
  LLVMValueRef v = pop_as(fn, is);
  LLVMTypeRef lane = LLVMGetElementType(shape_type(fn, is));
  uint64_t sign = s == 'f' ? 0x80000000u : 0x8000000000000000ull;
  LLVMValueRef m = splat(fn, LLVMConstInt(lane, is_neg ? sign : ~sign, 0), lanes_of(s));
  push_v(fn, is_neg ? LLVMBuildXor(b, v, m, "") : LLVMBuildAnd(b, v, m, ""));
}

static void trunc_sat(aot_fn *fn, char from, bool sign) {
  LLVMValueRef v = pop_as(fn, from);
  unsigned n = lanes_of(from);
  LLVMTypeRef types[2] = {LLVMVectorType(fn->am->i32, n), LLVMTypeOf(v)};
  LLVMValueRef r = aot_intrinsic(fn, sign ? "llvm.fptosi.sat" : "llvm.fptoui.sat", types, 2, &v, 1);
  if (n == 2) r = shuffle(fn, r, LLVMConstNull(types[0]), 0, 1, 4);  /* lanes 2, 3 are zero */
  push_v(fn, r);
}

static void convert(aot_fn *fn, bool sign) {
  LLVMValueRef v = pop_as(fn, 'w');
  LLVMTypeRef f4 = shape_type(fn, 'f');
  push_v(fn, sign ? LLVMBuildSIToFP(fn->am->b, v, f4, "") : LLVMBuildUIToFP(fn->am->b, v, f4, ""));
}

static void convert_low(aot_fn *fn, bool sign) {
  LLVMValueRef v = pop_as(fn, 'w');
  LLVMValueRef low = shuffle(fn, v, v, 0, 1, 2);
  LLVMTypeRef f2 = shape_type(fn, 'F');
  push_v(fn, sign ? LLVMBuildSIToFP(fn->am->b, low, f2, "") : LLVMBuildUIToFP(fn->am->b, low, f2, ""));
}

static void demote(aot_fn *fn) {
  LLVMValueRef v = pop_as(fn, 'F');
  LLVMTypeRef f2 = LLVMVectorType(fn->am->f32, 2);
  LLVMValueRef d = LLVMBuildFPTrunc(fn->am->b, v, f2, "");
  push_v(fn, shuffle(fn, d, LLVMConstNull(f2), 0, 1, 4));
}

static void promote(aot_fn *fn) {
  LLVMValueRef v = pop_as(fn, 'f');
  push_v(fn, LLVMBuildFPExt(fn->am->b, shuffle(fn, v, v, 0, 1, 2), shape_type(fn, 'F'), ""));
}

/* ---------------------------------------------------------------- lanes */

/* The lane shape an instruction's name starts with ("i8x16" ... "f64x2"). */
static char shape_of_op(uint16_t op) {
  const char *n = wl_opinfo_table[op].name;
  if (n[0] == 'v') return 'd';  /* v128.*: no lane shape */
  if (n[0] == 'f') return n[1] == '3' ? 'f' : 'F';
  return n[1] == '8' ? 'b' : n[1] == '1' ? 'h' : n[1] == '3' ? 'w' : 'd';
}

static void emit_splat(aot_fn *fn, char s) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef x = aot_pop(fn);
  LLVMTypeRef lane = LLVMGetElementType(shape_type(fn, s));
  if (s == 'b' || s == 'h') x = LLVMBuildTrunc(b, x, lane, "");
  push_v(fn, splat(fn, x, lanes_of(s)));
}

static void emit_extract(aot_fn *fn, const wl_instr *in, char s, bool sign) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef v = pop_as(fn, s);
  LLVMValueRef x = LLVMBuildExtractElement(b, v, aot_const_i32(fn, in->lane), "");
  if (s == 'b' || s == 'h')
    x = sign ? LLVMBuildSExt(b, x, fn->am->i32, "") : LLVMBuildZExt(b, x, fn->am->i32, "");
  aot_push(fn, x);
}

static void emit_replace(aot_fn *fn, const wl_instr *in, char s) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef x = aot_pop(fn), v = pop_as(fn, s);
  if (s == 'b' || s == 'h') x = LLVMBuildTrunc(b, x, LLVMGetElementType(shape_type(fn, s)), "");
  push_v(fn, LLVMBuildInsertElement(b, v, x, aot_const_i32(fn, in->lane), ""));
}

static void emit_shuffle(aot_fn *fn, const wl_instr *in) {
  LLVMValueRef r = pop_as(fn, 'b'), l = pop_as(fn, 'b');
  LLVMValueRef mask[16];
  for (unsigned i = 0; i < 16; i++) mask[i] = aot_const_i32(fn, in->imm.v128.bytes[i]);
  push_v(fn, LLVMBuildShuffleVector(fn->am->b, l, r, LLVMConstVector(mask, 16), ""));
}

/* Lane by lane: a dynamic index into a, 0 where the index is >= 16. */
static void emit_swizzle(aot_fn *fn) {
  aot_module *am = fn->am;
  LLVMBuilderRef b = am->b;
  LLVMValueRef idx = pop_as(fn, 'b'), a = pop_as(fn, 'b');
  LLVMValueRef r = LLVMConstNull(shape_type(fn, 'b'));
  for (unsigned i = 0; i < 16; i++) {
    LLVMValueRef k = LLVMBuildExtractElement(b, idx, aot_const_i32(fn, i), "");
    LLVMValueRef in_range = LLVMBuildICmp(b, LLVMIntULT, k, LLVMConstInt(am->i8, 16, 0), "");
    LLVMValueRef at = LLVMBuildZExt(b, LLVMBuildAnd(b, k, LLVMConstInt(am->i8, 15, 0), ""), am->i32, "");
    LLVMValueRef x = LLVMBuildExtractElement(b, a, at, "");
    x = LLVMBuildSelect(b, in_range, x, LLVMConstInt(am->i8, 0, 0), "");
    r = LLVMBuildInsertElement(b, r, x, aot_const_i32(fn, i), "");
  }
  push_v(fn, r);
}

static void emit_const(aot_fn *fn, const wl_instr *in) {
  LLVMValueRef halves[2] = {aot_const_i64(fn, in->imm.v128.halves[0]),
                            aot_const_i64(fn, in->imm.v128.halves[1])};
  aot_push(fn, LLVMConstVector(halves, 2));
}

static void emit_bitselect(aot_fn *fn) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef c = aot_pop(fn), v2 = aot_pop(fn), v1 = aot_pop(fn);
  LLVMValueRef keep = LLVMBuildAnd(b, v1, c, "");
  aot_push(fn, LLVMBuildOr(b, keep, LLVMBuildAnd(b, v2, LLVMBuildNot(b, c, ""), ""), ""));
}

/* ---------------------------------------------------------------- memory */

static LLVMValueRef load_scalar(aot_fn *fn, LLVMValueRef addr, const wl_instr *in, LLVMTypeRef t) {
  unsigned width = wl_opinfo_table[in->op].mem_bytes;
  LLVMValueRef p = aot_effective_address(fn, in->imm.memarg.memory, addr,
                                         in->imm.memarg.offset, width);
  return aot_guest_load(fn->am->b, t, p);
}

static LLVMTypeRef int_type(aot_fn *fn, unsigned bytes) {
  return LLVMIntTypeInContext(fn->am->ctx, 8 * bytes);
}

/* v128.load8x8_s ...: 8 bytes as lanes of `s`, each extended to twice its width. */
static void load_extend(aot_fn *fn, const wl_instr *in, char s, bool sign) {
  unsigned n = lanes_of(s) / 2;
  LLVMTypeRef lane = LLVMGetElementType(shape_type(fn, s));
  LLVMValueRef v = load_scalar(fn, aot_pop(fn), in, LLVMVectorType(lane, n));
  push_v(fn, widen(fn, v, widened(fn, shape_type(fn, s), n), sign));
}

static void load_splat(aot_fn *fn, const wl_instr *in) {
  unsigned bytes = wl_opinfo_table[in->op].mem_bytes;
  push_v(fn, splat(fn, load_scalar(fn, aot_pop(fn), in, int_type(fn, bytes)), 16 / bytes));
}

/* load32_zero/load64_zero, and the lane loads: one lane into a vector (zero or the operand). */
static void load_into(aot_fn *fn, const wl_instr *in, bool from_operand) {
  unsigned bytes = wl_opinfo_table[in->op].mem_bytes;
  LLVMTypeRef vt = LLVMVectorType(int_type(fn, bytes), 16 / bytes);
  LLVMValueRef v = from_operand ? as(fn, aot_pop(fn), 'd') : LLVMConstNull(fn->am->v128);
  LLVMValueRef x = load_scalar(fn, aot_pop(fn), in, int_type(fn, bytes));
  v = LLVMBuildBitCast(fn->am->b, v, vt, "");
  unsigned lane = from_operand ? in->lane : 0;
  push_v(fn, LLVMBuildInsertElement(fn->am->b, v, x, aot_const_i32(fn, lane), ""));
}

static void store_lane(aot_fn *fn, const wl_instr *in) {
  LLVMBuilderRef b = fn->am->b;
  unsigned bytes = wl_opinfo_table[in->op].mem_bytes;
  LLVMTypeRef vt = LLVMVectorType(int_type(fn, bytes), 16 / bytes);
  LLVMValueRef v = LLVMBuildBitCast(b, aot_pop(fn), vt, "");
  LLVMValueRef x = LLVMBuildExtractElement(b, v, aot_const_i32(fn, in->lane), "");
  LLVMValueRef p = aot_effective_address(fn, in->imm.memarg.memory, aot_pop(fn),
                                         in->imm.memarg.offset, bytes);
  aot_guest_access(LLVMBuildStore(b, x, p));
}

static void store_v128(aot_fn *fn, const wl_instr *in) {
  LLVMValueRef v = aot_pop(fn);
  LLVMValueRef p = aot_effective_address(fn, in->imm.memarg.memory, aot_pop(fn),
                                         in->imm.memarg.offset, 16);
  aot_guest_access(LLVMBuildStore(fn->am->b, v, p));
}

static bool emit_memory(aot_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_V128_LOAD: aot_push(fn, load_scalar(fn, aot_pop(fn), in, fn->am->v128)); return true;
    case WL_OP_V128_STORE: store_v128(fn, in); return true;
    case WL_OP_V128_LOAD8X8_S: load_extend(fn, in, 'b', true); return true;
    case WL_OP_V128_LOAD8X8_U: load_extend(fn, in, 'b', false); return true;
    case WL_OP_V128_LOAD16X4_S: load_extend(fn, in, 'h', true); return true;
    case WL_OP_V128_LOAD16X4_U: load_extend(fn, in, 'h', false); return true;
    case WL_OP_V128_LOAD32X2_S: load_extend(fn, in, 'w', true); return true;
    case WL_OP_V128_LOAD32X2_U: load_extend(fn, in, 'w', false); return true;
    case WL_OP_V128_LOAD8_SPLAT: case WL_OP_V128_LOAD16_SPLAT:
    case WL_OP_V128_LOAD32_SPLAT: case WL_OP_V128_LOAD64_SPLAT: load_splat(fn, in); return true;
    case WL_OP_V128_LOAD32_ZERO: case WL_OP_V128_LOAD64_ZERO: load_into(fn, in, false); return true;
    case WL_OP_V128_LOAD8_LANE: case WL_OP_V128_LOAD16_LANE:
    case WL_OP_V128_LOAD32_LANE: case WL_OP_V128_LOAD64_LANE: load_into(fn, in, true); return true;
    case WL_OP_V128_STORE8_LANE: case WL_OP_V128_STORE16_LANE:
    case WL_OP_V128_STORE32_LANE: case WL_OP_V128_STORE64_LANE: store_lane(fn, in); return true;
    default: return false;
  }
}

/* ---------------------------------------------------------------- dispatch */

/* The compare rows are contiguous in opcodes.def: ten per integer shape (eq ne lt_s lt_u gt_s
 * gt_u le_s le_u ge_s ge_u), six per float shape, six for i64x2 (signed only). */
static bool emit_compare(aot_fn *fn, uint16_t op) {
  static const LLVMIntPredicate ints[10] = {LLVMIntEQ, LLVMIntNE, LLVMIntSLT, LLVMIntULT,
                                            LLVMIntSGT, LLVMIntUGT, LLVMIntSLE, LLVMIntULE,
                                            LLVMIntSGE, LLVMIntUGE};
  static const LLVMIntPredicate i64s[6] = {LLVMIntEQ, LLVMIntNE, LLVMIntSLT,
                                           LLVMIntSGT, LLVMIntSLE, LLVMIntSGE};
  static const LLVMRealPredicate floats[6] = {LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT,
                                              LLVMRealOGT, LLVMRealOLE, LLVMRealOGE};
  if (op >= WL_OP_I8X16_EQ && op <= WL_OP_I32X4_GE_U) {
    unsigned k = op - WL_OP_I8X16_EQ;
    icmp(fn, "bhw"[k / 10], ints[k % 10]);
  } else if (op >= WL_OP_F32X4_EQ && op <= WL_OP_F64X2_GE) {
    unsigned k = op - WL_OP_F32X4_EQ;
    fcmp(fn, k < 6 ? 'f' : 'F', floats[k % 6]);
  } else if (op >= WL_OP_I64X2_EQ && op <= WL_OP_I64X2_GE_S) {
    icmp(fn, 'd', i64s[op - WL_OP_I64X2_EQ]);
  } else {
    return false;
  }
  return true;
}

static bool emit_lanes(aot_fn *fn, const wl_instr *in, char s) {
  switch (in->op) {
    case WL_OP_V128_CONST: emit_const(fn, in); return true;
    case WL_OP_I8X16_SHUFFLE: emit_shuffle(fn, in); return true;
    case WL_OP_I8X16_SWIZZLE: emit_swizzle(fn); return true;
    case WL_OP_I8X16_SPLAT: case WL_OP_I16X8_SPLAT: case WL_OP_I32X4_SPLAT:
    case WL_OP_I64X2_SPLAT: case WL_OP_F32X4_SPLAT: case WL_OP_F64X2_SPLAT:
      emit_splat(fn, s);
      return true;
    case WL_OP_I8X16_EXTRACT_LANE_S: case WL_OP_I16X8_EXTRACT_LANE_S:
      emit_extract(fn, in, s, true);
      return true;
    case WL_OP_I8X16_EXTRACT_LANE_U: case WL_OP_I16X8_EXTRACT_LANE_U:
    case WL_OP_I32X4_EXTRACT_LANE: case WL_OP_I64X2_EXTRACT_LANE:
    case WL_OP_F32X4_EXTRACT_LANE: case WL_OP_F64X2_EXTRACT_LANE:
      emit_extract(fn, in, s, false);
      return true;
    case WL_OP_I8X16_REPLACE_LANE: case WL_OP_I16X8_REPLACE_LANE: case WL_OP_I32X4_REPLACE_LANE:
    case WL_OP_I64X2_REPLACE_LANE: case WL_OP_F32X4_REPLACE_LANE: case WL_OP_F64X2_REPLACE_LANE:
      emit_replace(fn, in, s);
      return true;
    default: return false;
  }
}

static bool emit_bitwise(aot_fn *fn, uint16_t op) {
  LLVMBuilderRef b = fn->am->b;
  switch (op) {
    case WL_OP_V128_NOT: aot_push(fn, LLVMBuildNot(b, aot_pop(fn), "")); return true;
    case WL_OP_V128_AND: binary(fn, 'd', LLVMBuildAnd); return true;
    case WL_OP_V128_OR: binary(fn, 'd', LLVMBuildOr); return true;
    case WL_OP_V128_XOR: binary(fn, 'd', LLVMBuildXor); return true;
    case WL_OP_V128_ANDNOT: {
      LLVMValueRef r = aot_pop(fn), l = aot_pop(fn);
      aot_push(fn, LLVMBuildAnd(b, l, LLVMBuildNot(b, r, ""), ""));
      return true;
    }
    case WL_OP_V128_BITSELECT: emit_bitselect(fn); return true;
    case WL_OP_V128_ANY_TRUE: any_true(fn); return true;
    default: return false;
  }
}

#define FOUR(x) case WL_OP_I8X16_##x: case WL_OP_I16X8_##x: case WL_OP_I32X4_##x: case WL_OP_I64X2_##x
#define THREE(x) case WL_OP_I8X16_##x: case WL_OP_I16X8_##x: case WL_OP_I32X4_##x
#define TWO(x) case WL_OP_I8X16_##x: case WL_OP_I16X8_##x

static bool emit_integer(aot_fn *fn, uint16_t op, char s) {
  switch (op) {
    FOUR(ADD): binary(fn, s, LLVMBuildAdd); return true;
    FOUR(SUB): binary(fn, s, LLVMBuildSub); return true;
    case WL_OP_I16X8_MUL: case WL_OP_I32X4_MUL: case WL_OP_I64X2_MUL:
      binary(fn, s, LLVMBuildMul);
      return true;
    FOUR(NEG): neg(fn, s); return true;
    FOUR(ABS): integer_abs(fn, s); return true;
    FOUR(SHL): shift(fn, s, LLVMBuildShl); return true;
    FOUR(SHR_S): shift(fn, s, LLVMBuildAShr); return true;
    FOUR(SHR_U): shift(fn, s, LLVMBuildLShr); return true;
    FOUR(ALL_TRUE): all_true(fn, s); return true;
    FOUR(BITMASK): bitmask(fn, s); return true;
    THREE(MIN_S): binary_intrinsic(fn, s, "llvm.smin"); return true;
    THREE(MIN_U): binary_intrinsic(fn, s, "llvm.umin"); return true;
    THREE(MAX_S): binary_intrinsic(fn, s, "llvm.smax"); return true;
    THREE(MAX_U): binary_intrinsic(fn, s, "llvm.umax"); return true;
    TWO(ADD_SAT_S): binary_intrinsic(fn, s, "llvm.sadd.sat"); return true;
    TWO(ADD_SAT_U): binary_intrinsic(fn, s, "llvm.uadd.sat"); return true;
    TWO(SUB_SAT_S): binary_intrinsic(fn, s, "llvm.ssub.sat"); return true;
    TWO(SUB_SAT_U): binary_intrinsic(fn, s, "llvm.usub.sat"); return true;
    TWO(AVGR_U): avgr(fn, s); return true;
    case WL_OP_I8X16_POPCNT: unary_intrinsic(fn, 'b', "llvm.ctpop"); return true;
    default: return false;
  }
}

static bool emit_widen_narrow(aot_fn *fn, uint16_t op) {
  switch (op) {
    case WL_OP_I8X16_NARROW_I16X8_S: narrow(fn, 'h', INT8_MIN, INT8_MAX); return true;
    case WL_OP_I8X16_NARROW_I16X8_U: narrow(fn, 'h', 0, UINT8_MAX); return true;
    case WL_OP_I16X8_NARROW_I32X4_S: narrow(fn, 'w', INT16_MIN, INT16_MAX); return true;
    case WL_OP_I16X8_NARROW_I32X4_U: narrow(fn, 'w', 0, UINT16_MAX); return true;
    case WL_OP_I16X8_EXTEND_LOW_I8X16_S: extend(fn, 'b', 0, true); return true;
    case WL_OP_I16X8_EXTEND_HIGH_I8X16_S: extend(fn, 'b', 1, true); return true;
    case WL_OP_I16X8_EXTEND_LOW_I8X16_U: extend(fn, 'b', 0, false); return true;
    case WL_OP_I16X8_EXTEND_HIGH_I8X16_U: extend(fn, 'b', 1, false); return true;
    case WL_OP_I32X4_EXTEND_LOW_I16X8_S: extend(fn, 'h', 0, true); return true;
    case WL_OP_I32X4_EXTEND_HIGH_I16X8_S: extend(fn, 'h', 1, true); return true;
    case WL_OP_I32X4_EXTEND_LOW_I16X8_U: extend(fn, 'h', 0, false); return true;
    case WL_OP_I32X4_EXTEND_HIGH_I16X8_U: extend(fn, 'h', 1, false); return true;
    case WL_OP_I64X2_EXTEND_LOW_I32X4_S: extend(fn, 'w', 0, true); return true;
    case WL_OP_I64X2_EXTEND_HIGH_I32X4_S: extend(fn, 'w', 1, true); return true;
    case WL_OP_I64X2_EXTEND_LOW_I32X4_U: extend(fn, 'w', 0, false); return true;
    case WL_OP_I64X2_EXTEND_HIGH_I32X4_U: extend(fn, 'w', 1, false); return true;
    case WL_OP_I16X8_EXTMUL_LOW_I8X16_S: extmul(fn, 'b', 0, true); return true;
    case WL_OP_I16X8_EXTMUL_HIGH_I8X16_S: extmul(fn, 'b', 1, true); return true;
    case WL_OP_I16X8_EXTMUL_LOW_I8X16_U: extmul(fn, 'b', 0, false); return true;
    case WL_OP_I16X8_EXTMUL_HIGH_I8X16_U: extmul(fn, 'b', 1, false); return true;
    case WL_OP_I32X4_EXTMUL_LOW_I16X8_S: extmul(fn, 'h', 0, true); return true;
    case WL_OP_I32X4_EXTMUL_HIGH_I16X8_S: extmul(fn, 'h', 1, true); return true;
    case WL_OP_I32X4_EXTMUL_LOW_I16X8_U: extmul(fn, 'h', 0, false); return true;
    case WL_OP_I32X4_EXTMUL_HIGH_I16X8_U: extmul(fn, 'h', 1, false); return true;
    case WL_OP_I64X2_EXTMUL_LOW_I32X4_S: extmul(fn, 'w', 0, true); return true;
    case WL_OP_I64X2_EXTMUL_HIGH_I32X4_S: extmul(fn, 'w', 1, true); return true;
    case WL_OP_I64X2_EXTMUL_LOW_I32X4_U: extmul(fn, 'w', 0, false); return true;
    case WL_OP_I64X2_EXTMUL_HIGH_I32X4_U: extmul(fn, 'w', 1, false); return true;
    case WL_OP_I16X8_EXTADD_PAIRWISE_I8X16_S: extadd_pairwise(fn, 'b', true); return true;
    case WL_OP_I16X8_EXTADD_PAIRWISE_I8X16_U: extadd_pairwise(fn, 'b', false); return true;
    case WL_OP_I32X4_EXTADD_PAIRWISE_I16X8_S: extadd_pairwise(fn, 'h', true); return true;
    case WL_OP_I32X4_EXTADD_PAIRWISE_I16X8_U: extadd_pairwise(fn, 'h', false); return true;
    case WL_OP_I32X4_DOT_I16X8_S: dot(fn); return true;
    case WL_OP_I16X8_Q15MULR_SAT_S: q15mulr(fn); return true;
    default: return false;
  }
}

#define FLOATS(x) case WL_OP_F32X4_##x: case WL_OP_F64X2_##x

static bool emit_float(aot_fn *fn, uint16_t op, char s) {
  switch (op) {
    FLOATS(ADD): binary(fn, s, LLVMBuildFAdd); return true;
    FLOATS(SUB): binary(fn, s, LLVMBuildFSub); return true;
    FLOATS(MUL): binary(fn, s, LLVMBuildFMul); return true;
    FLOATS(DIV): binary(fn, s, LLVMBuildFDiv); return true;
    FLOATS(MIN): min_max(fn, s, "llvm.minimum"); return true;
    FLOATS(MAX): min_max(fn, s, "llvm.maximum"); return true;
    FLOATS(PMIN): pminmax(fn, s, false); return true;
    FLOATS(PMAX): pminmax(fn, s, true); return true;
    FLOATS(ABS): sign_op(fn, s, false); return true;
    FLOATS(NEG): sign_op(fn, s, true); return true;
    FLOATS(SQRT): unary_intrinsic(fn, s, "llvm.sqrt"); return true;
    FLOATS(CEIL): unary_intrinsic(fn, s, "llvm.ceil"); return true;
    FLOATS(FLOOR): unary_intrinsic(fn, s, "llvm.floor"); return true;
    FLOATS(TRUNC): unary_intrinsic(fn, s, "llvm.trunc"); return true;
    FLOATS(NEAREST): unary_intrinsic(fn, s, "llvm.roundeven"); return true;
    case WL_OP_I32X4_TRUNC_SAT_F32X4_S: trunc_sat(fn, 'f', true); return true;
    case WL_OP_I32X4_TRUNC_SAT_F32X4_U: trunc_sat(fn, 'f', false); return true;
    case WL_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO: trunc_sat(fn, 'F', true); return true;
    case WL_OP_I32X4_TRUNC_SAT_F64X2_U_ZERO: trunc_sat(fn, 'F', false); return true;
    case WL_OP_F32X4_CONVERT_I32X4_S: convert(fn, true); return true;
    case WL_OP_F32X4_CONVERT_I32X4_U: convert(fn, false); return true;
    case WL_OP_F64X2_CONVERT_LOW_I32X4_S: convert_low(fn, true); return true;
    case WL_OP_F64X2_CONVERT_LOW_I32X4_U: convert_low(fn, false); return true;
    case WL_OP_F32X4_DEMOTE_F64X2_ZERO: demote(fn); return true;
    case WL_OP_F64X2_PROMOTE_LOW_F32X4: promote(fn); return true;
    default: return false;
  }
}

/* ---------------------------------------------------------------- relaxed SIMD */

/* Unfused: fmul and fadd carry no `contract` flag, so LLVM keeps two roundings. */
static void madd(aot_fn *fn, char s, bool negate) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef c = pop_as(fn, s), r = pop_as(fn, s), l = pop_as(fn, s);
  LLVMValueRef p = LLVMBuildFMul(b, l, r, "");
  if (negate) p = LLVMBuildFNeg(b, p, "");
  push_v(fn, LLVMBuildFAdd(b, p, c, ""));
}

/* Both operands signed; the pairwise i16 sums wrap. */
static LLVMValueRef relaxed_dot_i8(aot_fn *fn, LLVMValueRef l, LLVMValueRef r) {
  return pair_sums(fn, widened_product(fn, l, r), 8);
}

static void relaxed_dot_add(aot_fn *fn) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef c = pop_as(fn, 'w'), r = pop_as(fn, 'b'), l = pop_as(fn, 'b');
  LLVMValueRef e, o;
  even_odd(fn, relaxed_dot_i8(fn, l, r), 'h', true, &e, &o);
  push_v(fn, LLVMBuildAdd(b, LLVMBuildAdd(b, e, o, ""), c, ""));
}

/* The choices documented in proposals/relaxed_simd/opcodes.def. */
static bool emit_relaxed(aot_fn *fn, uint16_t op) {
  switch (op) {
    case WL_OP_I8X16_RELAXED_SWIZZLE: emit_swizzle(fn); return true;
    case WL_OP_I32X4_RELAXED_TRUNC_F32X4_S: trunc_sat(fn, 'f', true); return true;
    case WL_OP_I32X4_RELAXED_TRUNC_F32X4_U: trunc_sat(fn, 'f', false); return true;
    case WL_OP_I32X4_RELAXED_TRUNC_F64X2_S_ZERO: trunc_sat(fn, 'F', true); return true;
    case WL_OP_I32X4_RELAXED_TRUNC_F64X2_U_ZERO: trunc_sat(fn, 'F', false); return true;
    case WL_OP_F32X4_RELAXED_MADD: madd(fn, 'f', false); return true;
    case WL_OP_F32X4_RELAXED_NMADD: madd(fn, 'f', true); return true;
    case WL_OP_F64X2_RELAXED_MADD: madd(fn, 'F', false); return true;
    case WL_OP_F64X2_RELAXED_NMADD: madd(fn, 'F', true); return true;
    case WL_OP_I8X16_RELAXED_LANESELECT: case WL_OP_I16X8_RELAXED_LANESELECT:
    case WL_OP_I32X4_RELAXED_LANESELECT: case WL_OP_I64X2_RELAXED_LANESELECT:
      emit_bitselect(fn);
      return true;
    case WL_OP_F32X4_RELAXED_MIN: min_max(fn, 'f', "llvm.minimum"); return true;
    case WL_OP_F32X4_RELAXED_MAX: min_max(fn, 'f', "llvm.maximum"); return true;
    case WL_OP_F64X2_RELAXED_MIN: min_max(fn, 'F', "llvm.minimum"); return true;
    case WL_OP_F64X2_RELAXED_MAX: min_max(fn, 'F', "llvm.maximum"); return true;
    case WL_OP_I16X8_RELAXED_Q15MULR_S: q15mulr(fn); return true;
    case WL_OP_I16X8_RELAXED_DOT_I8X16_I7X16_S: {
      LLVMValueRef r = pop_as(fn, 'b'), l = pop_as(fn, 'b');
      push_v(fn, relaxed_dot_i8(fn, l, r));
      return true;
    }
    case WL_OP_I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S: relaxed_dot_add(fn); return true;
    default: return false;
  }
}

bool aot_emit_simd(aot_fn *fn, const wl_instr *in) {
  if (wl_opinfo_table[in->op].prefix != 0xFD) return false;
  char s = shape_of_op(in->op);
  return emit_memory(fn, in) || emit_compare(fn, in->op) || emit_lanes(fn, in, s) ||
         emit_bitwise(fn, in->op) || emit_integer(fn, in->op, s) ||
         emit_widen_narrow(fn, in->op) || emit_float(fn, in->op, s) || emit_relaxed(fn, in->op);
}
