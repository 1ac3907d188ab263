/* Tables and references: table.get/set/size/grow/fill/init/copy, elem.drop, ref.null,
 * ref.is_null, ref.func. Table accesses go through the shared reference-types and
 * bulk-memory helpers, which check bounds and record traps. References are i64 slot bits
 * (0 = null; a funcref is the wl_func pointer). */
#include "backends/aot/llvm/aot_ir.h"

static LLVMValueRef table_ptr(aot_fn *fn, uint32_t index) {
  return aot_load_ptr_elem(fn, fn->inst, offsetof(wl_instance, tables), index);
}

static LLVMTypeRef fn_type(aot_fn *fn, LLVMTypeRef ret, LLVMTypeRef *params, unsigned n) {
  (void)fn;
  return LLVMFunctionType(ret, params, n, 0);
}

static void check_helper(aot_fn *fn, LLVMValueRef ok) {
  aot_raise_unless(fn, LLVMBuildICmp(fn->am->b, LLVMIntNE, ok, LLVMConstInt(fn->am->i8, 0, 0), ""));
}

static void emit_get(aot_fn *fn, uint32_t t) {
  aot_module *am = fn->am;
  LLVMValueRef out = aot_entry_alloca(fn, am->i64);
  LLVMValueRef args[4] = {fn->ex, table_ptr(fn, t), aot_pop(fn), out};
  LLVMTypeRef p[4] = {am->ptr, am->ptr, am->i32, am->ptr};
  check_helper(fn, aot_call_rt(fn, AOT_RT_TABLE_GET, fn_type(fn, am->i8, p, 4), args, 4));
  aot_push(fn, LLVMBuildLoad2(am->b, am->i64, out, ""));
}

static void emit_set(aot_fn *fn, uint32_t t) {
  aot_module *am = fn->am;
  LLVMValueRef ref = aot_pop(fn);
  LLVMValueRef args[4] = {fn->ex, table_ptr(fn, t), aot_pop(fn), ref};
  LLVMTypeRef p[4] = {am->ptr, am->ptr, am->i32, am->i64};
  check_helper(fn, aot_call_rt(fn, AOT_RT_TABLE_SET, fn_type(fn, am->i8, p, 4), args, 4));
}

static void emit_size(aot_fn *fn, uint32_t t) {
  aot_push(fn, aot_load_field(fn, table_ptr(fn, t), offsetof(wl_table, size), fn->am->i32));
}

static void emit_grow(aot_fn *fn, uint32_t t) {
  aot_module *am = fn->am;
  LLVMValueRef delta = aot_pop(fn);
  LLVMValueRef args[3] = {table_ptr(fn, t), aot_pop(fn), delta};
  LLVMTypeRef p[3] = {am->ptr, am->i64, am->i32};
  aot_push(fn, aot_call_rt(fn, AOT_RT_TABLE_GROW, fn_type(fn, am->i32, p, 3), args, 3));
}

static void emit_fill(aot_fn *fn, uint32_t t) {
  aot_module *am = fn->am;
  LLVMValueRef n = aot_pop(fn);
  LLVMValueRef ref = aot_pop(fn);
  LLVMValueRef args[5] = {fn->ex, table_ptr(fn, t), aot_pop(fn), ref, n};
  LLVMTypeRef p[5] = {am->ptr, am->ptr, am->i32, am->i64, am->i32};
  check_helper(fn, aot_call_rt(fn, AOT_RT_TABLE_FILL, fn_type(fn, am->i8, p, 5), args, 5));
}

static void emit_init(aot_fn *fn, uint32_t elem, uint32_t t) {
  aot_module *am = fn->am;
  LLVMValueRef n = aot_pop(fn), src = aot_pop(fn), dst = aot_pop(fn);
  LLVMValueRef args[6] = {fn->ex, fn->inst, aot_const_i32(fn, t), aot_const_i32(fn, elem),
                          dst, src};
  LLVMValueRef all[7] = {args[0], args[1], args[2], args[3], args[4], args[5], n};
  LLVMTypeRef p[7] = {am->ptr, am->ptr, am->i32, am->i32, am->i32, am->i32, am->i32};
  check_helper(fn, aot_call_rt(fn, AOT_RT_TABLE_INIT, fn_type(fn, am->i8, p, 7), all, 7));
}

static void emit_copy(aot_fn *fn, uint32_t dst_t, uint32_t src_t) {
  aot_module *am = fn->am;
  LLVMValueRef n = aot_pop(fn), src = aot_pop(fn), dst = aot_pop(fn);
  LLVMValueRef args[6] = {fn->ex, table_ptr(fn, dst_t), table_ptr(fn, src_t), dst, src, n};
  LLVMTypeRef p[6] = {am->ptr, am->ptr, am->ptr, am->i32, am->i32, am->i32};
  check_helper(fn, aot_call_rt(fn, AOT_RT_TABLE_COPY, fn_type(fn, am->i8, p, 6), args, 6));
}

static void emit_elem_drop(aot_fn *fn, uint32_t elem) {
  aot_module *am = fn->am;
  LLVMValueRef args[2] = {fn->inst, aot_const_i32(fn, elem)};
  LLVMTypeRef p[2] = {am->ptr, am->i32};
  aot_call_rt(fn, AOT_RT_ELEM_DROP, fn_type(fn, am->void_t, p, 2), args, 2);
}

static void emit_ref_func(aot_fn *fn, uint32_t index) {
  LLVMValueRef f = aot_load_ptr_elem(fn, fn->inst, offsetof(wl_instance, funcs), index);
  aot_push(fn, LLVMBuildPtrToInt(fn->am->b, f, fn->am->i64, ""));
}

static void emit_is_null(aot_fn *fn) {
  LLVMValueRef v = aot_pop(fn);
  LLVMValueRef c = LLVMBuildICmp(fn->am->b, LLVMIntEQ, v, aot_const_i64(fn, 0), "");
  aot_push(fn, LLVMBuildZExt(fn->am->b, c, fn->am->i32, ""));
}

bool aot_emit_table(aot_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_TABLE_GET: emit_get(fn, in->imm.index); return true;
    case WL_OP_TABLE_SET: emit_set(fn, in->imm.index); return true;
    case WL_OP_TABLE_SIZE: emit_size(fn, in->imm.index); return true;
    case WL_OP_TABLE_GROW: emit_grow(fn, in->imm.index); return true;
    case WL_OP_TABLE_FILL: emit_fill(fn, in->imm.index); return true;
    case WL_OP_TABLE_INIT: emit_init(fn, in->imm.pair.a, in->imm.pair.b); return true;
    case WL_OP_TABLE_COPY: emit_copy(fn, in->imm.pair.a, in->imm.pair.b); return true;
    case WL_OP_ELEM_DROP: emit_elem_drop(fn, in->imm.index); return true;
    case WL_OP_REF_NULL: aot_push(fn, aot_const_i64(fn, 0)); return true;
    case WL_OP_REF_IS_NULL: emit_is_null(fn); return true;
    case WL_OP_REF_FUNC: emit_ref_func(fn, in->imm.index); return true;
    default: return false;
  }
}
