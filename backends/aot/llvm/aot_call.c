/* Calls and returns. Defined functions call each other's native functions directly.
 * Imported functions go through wl_call (host functions, other instances). call_indirect asks
 * wl_indirect_target for the checked callee, then calls its native function directly when it
 * is AOT code of this same instance (same type, guaranteed by the type-id check), else goes
 * through wl_call. A call never moves the memory base (memories have a fixed reservation). */
#include "backends/aot/llvm/aot_ir.h"

/* LLVM's `tailcc` (CallingConv::Tail), which LLVM-C's enum does not name. */
#define AOT_TAILCC 18u

unsigned aot_native_cc(const wl_moddesc *m) {
  for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++)
    if (m->funcs[i].facts.has_tail_calls) return AOT_TAILCC;
  return LLVMCCallConv;
}

void aot_build_return(aot_fn *fn, LLVMValueRef *vals, uint32_t n) {
  aot_module *am = fn->am;
  if (!fn->small_leaf) {  /* a small leaf never counted itself */
    LLVMValueRef depth = aot_load_field(fn, fn->ex, offsetof(wl_exec, depth), am->i32);
    aot_store_field(fn, fn->ex, offsetof(wl_exec, depth),
                    LLVMBuildSub(am->b, depth, aot_const_i32(fn, 1), ""));
  }
  if (n == 0) {
    LLVMBuildRetVoid(am->b);
  } else if (n == 1) {
    LLVMBuildRet(am->b, vals[0]);
  } else {
    LLVMBuildAggregateRet(am->b, vals, n);
  }
}

void aot_push_results(aot_fn *fn, LLVMValueRef ret, const wl_functype *ft) {
  if (ft->nresults == 1) {
    aot_push(fn, ret);
  } else {
    for (uint32_t i = 0; i < ft->nresults; i++)
      aot_push(fn, LLVMBuildExtractValue(fn->am->b, ret, i, ""));
  }
}

static LLVMValueRef slot_ptr(aot_fn *fn, LLVMValueRef io, uint32_t i) {
  LLVMValueRef idx = aot_const_i64(fn, i);
  return LLVMBuildInBoundsGEP2(fn->am->b, fn->am->i64, io, &idx, 1, "");
}

/* Pops the arguments of `ft` into args[0..nparams) (in order). */
static void pop_args(aot_fn *fn, const wl_functype *ft, LLVMValueRef *args) {
  for (uint32_t i = ft->nparams; i-- > 0;) args[i] = aot_pop(fn);
}

/* wl_call(ex, callee, io) with the uniform convention; results into out[]. */
static void call_uniform(aot_fn *fn, LLVMValueRef callee, const wl_functype *ft,
                         LLVMValueRef *args, LLVMValueRef *out) {
  aot_module *am = fn->am;
  uint32_t np = wl_types_slots(ft->params, ft->nparams);
  uint32_t nr = wl_types_slots(ft->results, ft->nresults);
  uint32_t nslots = np > nr ? np : nr;
  LLVMValueRef io = aot_entry_alloca(fn, LLVMArrayType2(am->i64, nslots ? nslots : 1));
  for (uint32_t i = 0, at = 0; i < ft->nparams; at += wl_valtype_slots(ft->params[i++]))
    aot_to_slot(am, am->b, slot_ptr(fn, io, at), ft->params[i], args[i]);
  LLVMTypeRef params[3] = {am->ptr, am->ptr, am->ptr};
  LLVMTypeRef t = LLVMFunctionType(am->i8, params, 3, 0);
  LLVMValueRef cargs[3] = {fn->ex, callee, io};
  LLVMValueRef ok = aot_call_rt(fn, AOT_RT_CALL, t, cargs, 3);
  aot_raise_unless(fn, LLVMBuildICmp(am->b, LLVMIntNE, ok, LLVMConstInt(am->i8, 0, 0), ""));
  for (uint32_t i = 0, at = 0; i < ft->nresults; at += wl_valtype_slots(ft->results[i++]))
    out[i] = aot_from_slot(am, am->b, slot_ptr(fn, io, at), ft->results[i]);
}

static void unpack(aot_fn *fn, LLVMValueRef ret, const wl_functype *ft, LLVMValueRef *out) {
  if (ft->nresults == 1) out[0] = ret;
  for (uint32_t i = 0; ft->nresults > 1 && i < ft->nresults; i++)
    out[i] = LLVMBuildExtractValue(fn->am->b, ret, i, "");
}

static LLVMValueRef call_native(aot_fn *fn, LLVMValueRef callee, const wl_functype *ft,
                                LLVMValueRef inst, LLVMValueRef *args) {
  aot_module *am = fn->am;
  LLVMValueRef all[2 + ft->nparams];
  all[0] = fn->ex;
  all[1] = inst;
  for (uint32_t i = 0; i < ft->nparams; i++) all[2 + i] = args[i];
  LLVMValueRef call = LLVMBuildCall2(am->b, aot_native_type(am, ft), callee, all,
                                     2 + ft->nparams, "");
  LLVMSetInstructionCallConv(call, am->native_cc);
  return call;
}

static void emit_call(aot_fn *fn, uint32_t func_index) {
  aot_module *am = fn->am;
  const wl_functype *ft = wl_moddesc_func_type(am->m, func_index);
  LLVMValueRef args[ft->nparams + 1];
  LLVMValueRef results[ft->nresults + 1];
  pop_args(fn, ft, args);
  if (func_index >= am->m->nfunc_imports) {
    LLVMValueRef callee = am->natives[func_index - am->m->nfunc_imports];
    unpack(fn, call_native(fn, callee, ft, fn->inst, args), ft, results);
  } else {
    LLVMValueRef f = aot_load_ptr_elem(fn, fn->inst, offsetof(wl_instance, funcs), func_index);
    call_uniform(fn, f, ft, args, results);
  }
  aot_memory_reload_sizes(fn);
  for (uint32_t i = 0; i < ft->nresults; i++) aot_push(fn, results[i]);
}

/* The checked callee of call_indirect (unwinds on undefined/uninitialized/mismatch). */
static LLVMValueRef indirect_target(aot_fn *fn, uint32_t type_index, uint32_t table_index,
                                    LLVMValueRef elem) {
  aot_module *am = fn->am;
  LLVMValueRef table = aot_load_ptr_elem(fn, fn->inst, offsetof(wl_instance, tables), table_index);
  LLVMValueRef module = aot_load_invariant(fn, fn->inst, offsetof(wl_instance, module), am->ptr);
  LLVMValueRef ids = aot_load_invariant(fn, module, offsetof(wl_module, type_ids), am->ptr);
  LLVMValueRef type_id = aot_load_invariant(fn, ids, (size_t)type_index * 4, am->i32);
  LLVMTypeRef params[4] = {am->ptr, am->ptr, am->i32, am->i32};
  LLVMTypeRef t = LLVMFunctionType(am->ptr, params, 4, 0);
  LLVMValueRef args[4] = {fn->ex, table, elem, type_id};
  LLVMValueRef target = aot_call_rt(fn, AOT_RT_INDIRECT_TARGET, t, args, 4);
  aot_raise_unless(fn, LLVMBuildIsNotNull(am->b, target, ""));
  return target;
}

/* True when `target` is AOT code of this instance: its native function has our convention. */
static LLVMValueRef is_local_aot(aot_fn *fn, LLVMValueRef target) {
  aot_module *am = fn->am;
  LLVMValueRef entry = aot_load_field(fn, target, offsetof(wl_func, entry), am->ptr);
  LLVMValueRef idx[2] = {aot_const_i64(fn, 0), aot_const_i64(fn, AOT_RT_ENTRY)};
  LLVMValueRef slot = LLVMBuildInBoundsGEP2(am->b, LLVMArrayType2(am->ptr, AOT_RT_COUNT), am->rt,
                                            idx, 2, "");
  LLVMValueRef aot_entry = LLVMBuildLoad2(am->b, am->ptr, slot, "");
  LLVMValueRef inst = aot_load_field(fn, target, offsetof(wl_func, instance), am->ptr);
  return LLVMBuildAnd(am->b, LLVMBuildICmp(am->b, LLVMIntEQ, entry, aot_entry, ""),
                      LLVMBuildICmp(am->b, LLVMIntEQ, inst, fn->inst, ""), "");
}

/* call_indirect and return_call_indirect: pops the operands (arguments into args), resolves
 * the checked callee and branches to *fast when it is AOT code of this instance, else to
 * *slow. Returns the callee (a wl_func *). */
static LLVMValueRef branch_on_callee(aot_fn *fn, const wl_instr *in, const wl_functype *ft,
                                     LLVMValueRef *args, LLVMBasicBlockRef *fast,
                                     LLVMBasicBlockRef *slow) {
  aot_module *am = fn->am;
  LLVMValueRef elem = aot_pop(fn);
  pop_args(fn, ft, args);
  LLVMValueRef target = indirect_target(fn, in->imm.call_indirect.type_index,
                                        in->imm.call_indirect.table_index, elem);
  *fast = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "native");
  *slow = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "uniform");
  LLVMBuildCondBr(am->b, is_local_aot(fn, target), *fast, *slow);
  return target;
}

static void emit_call_indirect(aot_fn *fn, const wl_instr *in) {
  aot_module *am = fn->am;
  const wl_functype *ft = &am->m->types[in->imm.call_indirect.type_index];
  LLVMValueRef args[ft->nparams + 1];
  LLVMBasicBlockRef fast, slow;
  LLVMValueRef target = branch_on_callee(fn, in, ft, args, &fast, &slow);
  LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "");

  LLVMValueRef fast_res[ft->nresults + 1], slow_res[ft->nresults + 1];
  LLVMPositionBuilderAtEnd(am->b, fast);
  LLVMValueRef native = aot_load_field(fn, target, offsetof(wl_func, native), am->ptr);
  unpack(fn, call_native(fn, native, ft, fn->inst, args), ft, fast_res);
  LLVMBasicBlockRef fast_end = LLVMGetInsertBlock(am->b);
  LLVMBuildBr(am->b, join);

  LLVMPositionBuilderAtEnd(am->b, slow);
  call_uniform(fn, target, ft, args, slow_res);
  LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(am->b);
  LLVMBuildBr(am->b, join);

  LLVMPositionBuilderAtEnd(am->b, join);
  for (uint32_t i = 0; i < ft->nresults; i++) {
    LLVMValueRef phi = LLVMBuildPhi(am->b, aot_valtype(am, ft->results[i]), "");
    LLVMValueRef vals[2] = {fast_res[i], slow_res[i]};
    LLVMBasicBlockRef bbs[2] = {fast_end, slow_end};
    LLVMAddIncoming(phi, vals, bbs, 2);
    aot_push(fn, phi);
  }
  aot_memory_reload_sizes(fn);
}

/* ---------------------------------------------------------------- tail calls */

/* Ends the function with a `musttail` call of a native function of this module: this frame
 * is gone before the callee runs, so a chain of tail calls uses constant native stack. The
 * callee's prologue counts its own depth, so this frame's count is given back first. */
static void tail_call_native(aot_fn *fn, LLVMValueRef callee, const wl_functype *ft,
                             LLVMValueRef *args) {
  aot_module *am = fn->am;
  LLVMValueRef depth = aot_load_field(fn, fn->ex, offsetof(wl_exec, depth), am->i32);
  aot_store_field(fn, fn->ex, offsetof(wl_exec, depth),
                  LLVMBuildSub(am->b, depth, aot_const_i32(fn, 1), ""));
  LLVMValueRef call = call_native(fn, callee, ft, fn->inst, args);
  LLVMSetTailCallKind(call, LLVMTailCallKindMustTail);
  if (ft->nresults == 0) LLVMBuildRetVoid(am->b);
  else LLVMBuildRet(am->b, call);
}

/* Through wl_call (another instance, backend or a host function), then return its results. */
static void tail_call_uniform(aot_fn *fn, LLVMValueRef callee, const wl_functype *ft,
                              LLVMValueRef *args) {
  LLVMValueRef results[ft->nresults + 1];
  call_uniform(fn, callee, ft, args, results);
  aot_build_return(fn, results, ft->nresults);
}

static void emit_return_call(aot_fn *fn, uint32_t func_index) {
  aot_module *am = fn->am;
  const wl_functype *ft = wl_moddesc_func_type(am->m, func_index);
  LLVMValueRef args[ft->nparams + 1];
  pop_args(fn, ft, args);
  if (func_index >= am->m->nfunc_imports) {
    tail_call_native(fn, am->natives[func_index - am->m->nfunc_imports], ft, args);
  } else {
    LLVMValueRef f = aot_load_ptr_elem(fn, fn->inst, offsetof(wl_instance, funcs), func_index);
    tail_call_uniform(fn, f, ft, args);
  }
  aot_skip_dead(fn);
}

static void emit_return_call_indirect(aot_fn *fn, const wl_instr *in) {
  aot_module *am = fn->am;
  const wl_functype *ft = &am->m->types[in->imm.call_indirect.type_index];
  LLVMValueRef args[ft->nparams + 1];
  LLVMBasicBlockRef fast, slow;
  LLVMValueRef target = branch_on_callee(fn, in, ft, args, &fast, &slow);
  LLVMPositionBuilderAtEnd(am->b, fast);
  tail_call_native(fn, aot_load_field(fn, target, offsetof(wl_func, native), am->ptr), ft, args);
  LLVMPositionBuilderAtEnd(am->b, slow);
  tail_call_uniform(fn, target, ft, args);
  aot_skip_dead(fn);
}

bool aot_emit_call(aot_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_CALL: emit_call(fn, in->imm.index); return true;
    case WL_OP_CALL_INDIRECT: emit_call_indirect(fn, in); return true;
    case WL_OP_RETURN_CALL: emit_return_call(fn, in->imm.index); return true;
    case WL_OP_RETURN_CALL_INDIRECT: emit_return_call_indirect(fn, in); return true;
    default: return false;
  }
}
