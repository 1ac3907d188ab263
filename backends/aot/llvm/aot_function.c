/* Per-function translation: the prologue (stack checks, locals), the instruction loop and the
 * small IR builders every instruction group shares. */
#include <stdlib.h>
#include <string.h>

#include "backends/aot/llvm/aot_ir.h"
#include "engine/runtime/trace.h"

LLVMTypeRef aot_valtype(aot_module *am, wl_valtype t) {
  switch (t) {
    case WL_I32: return am->i32;
    case WL_F32: return am->f32;
    case WL_F64: return am->f64;
    case WL_V128: return am->v128;
    default: return am->i64;  /* i64 and references (slot bits) */
  }
}

LLVMTypeRef aot_native_type(aot_module *am, const wl_functype *ft) {
  LLVMTypeRef params[2 + ft->nparams];
  params[0] = am->ptr;
  params[1] = am->ptr;
  for (uint32_t i = 0; i < ft->nparams; i++) params[2 + i] = aot_valtype(am, ft->params[i]);
  LLVMTypeRef ret = am->void_t;
  if (ft->nresults == 1) {
    ret = aot_valtype(am, ft->results[0]);
  } else if (ft->nresults > 1) {
    LLVMTypeRef fields[ft->nresults];
    for (uint32_t i = 0; i < ft->nresults; i++) fields[i] = aot_valtype(am, ft->results[i]);
    ret = LLVMStructTypeInContext(am->ctx, fields, ft->nresults, 0);
  }
  return LLVMFunctionType(ret, params, 2 + ft->nparams, 0);
}

LLVMValueRef aot_push(aot_fn *fn, LLVMValueRef v) {
  if (fn->sp == fn->stack_cap) {  /* never with validator facts; defensive growth */
    fn->stack_cap = fn->stack_cap * 2 + 8;
    fn->stack = realloc(fn->stack, fn->stack_cap * sizeof *fn->stack);
  }
  fn->stack[fn->sp++] = v;
  return v;
}

LLVMValueRef aot_pop(aot_fn *fn) { return fn->stack[--fn->sp]; }
LLVMValueRef aot_top(aot_fn *fn) { return fn->stack[fn->sp - 1]; }

LLVMValueRef aot_entry_alloca(aot_fn *fn, LLVMTypeRef t) {
  LLVMBuilderRef b = LLVMCreateBuilderInContext(fn->am->ctx);
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(fn->fn);
  LLVMValueRef first = LLVMGetFirstInstruction(entry);
  if (first) LLVMPositionBuilderBefore(b, first);
  else LLVMPositionBuilderAtEnd(b, entry);
  LLVMValueRef a = LLVMBuildAlloca(b, t, "");
  LLVMDisposeBuilder(b);
  return a;
}

LLVMValueRef aot_const_i32(aot_fn *fn, uint32_t v) { return LLVMConstInt(fn->am->i32, v, 0); }
LLVMValueRef aot_const_i64(aot_fn *fn, uint64_t v) { return LLVMConstInt(fn->am->i64, v, 0); }

static LLVMValueRef field_ptr(aot_fn *fn, LLVMValueRef base, size_t off) {
  if (off == 0) return base;
  LLVMValueRef idx = aot_const_i64(fn, off);
  return LLVMBuildInBoundsGEP2(fn->am->b, fn->am->i8, base, &idx, 1, "");
}

LLVMValueRef aot_load_field(aot_fn *fn, LLVMValueRef base, size_t off, LLVMTypeRef t) {
  return LLVMBuildLoad2(fn->am->b, t, field_ptr(fn, base, off), "");
}

void aot_store_field(aot_fn *fn, LLVMValueRef base, size_t off, LLVMValueRef v) {
  LLVMBuildStore(fn->am->b, v, field_ptr(fn, base, off));
}

static void set_invariant(aot_module *am, LLVMValueRef load) {
  LLVMSetMetadata(load, LLVMGetMDKindIDInContext(am->ctx, "invariant.load", 14),
                  LLVMMetadataAsValue(am->ctx, LLVMMDNodeInContext2(am->ctx, NULL, 0)));
}

LLVMValueRef aot_load_invariant(aot_fn *fn, LLVMValueRef base, size_t off, LLVMTypeRef t) {
  LLVMValueRef v = aot_load_field(fn, base, off, t);
  set_invariant(fn->am, v);
  return v;
}

LLVMValueRef aot_load_ptr_elem(aot_fn *fn, LLVMValueRef base, size_t off, uint32_t index) {
  LLVMValueRef array = aot_load_invariant(fn, base, off, fn->am->ptr);
  return aot_load_invariant(fn, array, (size_t)index * sizeof(void *), fn->am->ptr);
}

LLVMValueRef aot_call_rt(aot_fn *fn, aot_rt_index which, LLVMTypeRef t, LLVMValueRef *args,
                         unsigned n) {
  aot_module *am = fn->am;
  LLVMValueRef idx[2] = {aot_const_i64(fn, 0), aot_const_i64(fn, which)};
  LLVMTypeRef arr = LLVMArrayType2(am->ptr, AOT_RT_COUNT);
  LLVMValueRef slot = LLVMBuildInBoundsGEP2(am->b, arr, am->rt, idx, 2, "");
  LLVMValueRef callee = LLVMBuildLoad2(am->b, am->ptr, slot, "");
  /* The loader fills the table once, before any generated code runs. */
  set_invariant(am, callee);
  return LLVMBuildCall2(am->b, t, callee, args, n, "");
}

LLVMValueRef aot_intrinsic(aot_fn *fn, const char *name, LLVMTypeRef *types, unsigned ntypes,
                           LLVMValueRef *args, unsigned nargs) {
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMValueRef decl = LLVMGetIntrinsicDeclaration(fn->am->mod, id, types, ntypes);
  LLVMTypeRef t = LLVMIntrinsicGetType(fn->am->ctx, id, types, ntypes);
  return LLVMBuildCall2(fn->am->b, t, decl, args, nargs, "");
}

/* One trap block per site, so its call keeps the site's line (trap backtraces) and, with
 * the site's offset as an argument, is never merged with another: cold code only. */
static LLVMBasicBlockRef trap_block(aot_fn *fn, wl_trap_kind kind) {
  aot_module *am = fn->am;
  LLVMBasicBlockRef saved = LLVMGetInsertBlock(am->b);
  LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "trap");
  LLVMPositionBuilderAtEnd(am->b, bb);
  LLVMTypeRef params[3] = {am->ptr, am->i32, am->i32};
  LLVMTypeRef t = LLVMFunctionType(am->void_t, params, 3, 0);
  LLVMValueRef args[3] = {fn->ex, aot_const_i32(fn, kind), aot_const_i32(fn, fn->cur_offset)};
  LLVMValueRef call = aot_call_rt(fn, AOT_RT_TRAP, t, args, 3);
  LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex,
                           LLVMCreateEnumAttribute(am->ctx,
                                                   LLVMGetEnumAttributeKindForName("noreturn", 8), 0));
  LLVMBuildUnreachable(am->b);
  LLVMPositionBuilderAtEnd(am->b, saved);
  return bb;
}

void aot_trap_if(aot_fn *fn, LLVMValueRef cond, wl_trap_kind kind) {
  aot_module *am = fn->am;
  LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "");
  LLVMValueRef br = LLVMBuildCondBr(am->b, cond, trap_block(fn, kind), cont);
  /* Traps are cold: weight the branch so the fall-through stays the hot path. */
  LLVMValueRef w[3] = {LLVMMDStringInContext(am->ctx, "branch_weights", 14),
                       LLVMConstInt(am->i32, 1, 0), LLVMConstInt(am->i32, 1u << 20, 0)};
  LLVMSetMetadata(br, LLVMGetMDKindIDInContext(am->ctx, "prof", 4),
                  LLVMMDNodeInContext(am->ctx, w, 3));
  LLVMPositionBuilderAtEnd(am->b, cont);
}

void aot_trap_now(aot_fn *fn, wl_trap_kind kind) { LLVMBuildBr(fn->am->b, trap_block(fn, kind)); }

void aot_raise_unless(aot_fn *fn, LLVMValueRef ok) {
  aot_module *am = fn->am;
  LLVMBasicBlockRef raise = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "raise");
  LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "");
  LLVMBuildCondBr(am->b, ok, cont, raise);
  LLVMPositionBuilderAtEnd(am->b, raise);
  LLVMTypeRef t = LLVMFunctionType(am->void_t, &am->ptr, 1, 0);
  aot_call_rt(fn, AOT_RT_RAISE, t, &fn->ex, 1);
  LLVMBuildUnreachable(am->b);
  LLVMPositionBuilderAtEnd(am->b, cont);
}

LLVMValueRef aot_from_slot(aot_module *am, LLVMBuilderRef b, LLVMValueRef slot_ptr,
                           wl_valtype t) {
  /* Little-endian: an i32 or f32 is the low 4 bytes of its slot; a v128 covers two slots,
   * which are only 8-byte aligned. */
  LLVMValueRef v = LLVMBuildLoad2(b, aot_valtype(am, t), slot_ptr, "");
  if (t == WL_V128) LLVMSetAlignment(v, 8);
  return v;
}

LLVMValueRef aot_to_slot(aot_module *am, LLVMBuilderRef b, LLVMValueRef slot_ptr, wl_valtype t,
                         LLVMValueRef v) {
  if (t == WL_F32) v = LLVMBuildBitCast(b, v, am->i32, "");
  if (t == WL_F32 || t == WL_I32) v = LLVMBuildZExt(b, v, am->i64, "");  /* slots zero-extend */
  if (t == WL_F64) v = LLVMBuildBitCast(b, v, am->i64, "");
  LLVMValueRef st = LLVMBuildStore(b, v, slot_ptr);
  if (t == WL_V128) LLVMSetAlignment(st, 8);
  return st;
}

/* ---------------------------------------------------------------- prologue */

/* A leaf (no wasm calls) with a small body needs no prologue checks: its caller checked the
 * stack with WL_NATIVE_STACK_RESERVE to spare, such a frame is a few KiB at most (larger ones probe
 * every page, so they fault in the guard), and it never calls wasm, so skipping its depth
 * count only lets the deepest frame be a leaf one past max_depth. Skipping matters: small
 * leaves (memcpy, allocator helpers) are the most called functions. */
#define AOT_SMALL_LEAF_CODE 4096u
#define AOT_SMALL_LEAF_VALUES 256u

bool aot_is_small_leaf(const wl_funcdef *def, const wl_functype *ft) {
  return !def->facts.has_calls && def->code_len <= AOT_SMALL_LEAF_CODE &&
         ft->nparams + def->nlocals + def->facts.max_height <= AOT_SMALL_LEAF_VALUES;
}

/* The native stack pointer: llvm.read_register where the target names it (unlike
 * llvm.frameaddress it does not force a frame pointer in every function). */
static LLVMValueRef native_sp(aot_fn *fn) {
  aot_module *am = fn->am;
  if (!am->sp_register) {
    LLVMValueRef zero = aot_const_i32(fn, 0);
    LLVMValueRef frame = aot_intrinsic(fn, "llvm.frameaddress", &am->ptr, 1, &zero, 1);
    return LLVMBuildPtrToInt(am->b, frame, am->i64, "");
  }
  LLVMMetadataRef name = LLVMMDStringInContext2(am->ctx, am->sp_register,
                                                strlen(am->sp_register));
  LLVMValueRef arg = LLVMMetadataAsValue(am->ctx, LLVMMDNodeInContext2(am->ctx, &name, 1));
  return aot_intrinsic(fn, "llvm.read_register", &am->i64, 1, &arg, 1);
}

/* Traps with "call stack exhausted" when the native frame is below the limit the invoke
 * boundary computed, or the wasm call depth reached max_depth; then counts this frame. */
static void emit_stack_checks(aot_fn *fn) {
  aot_module *am = fn->am;
  if (fn->small_leaf) return;
  LLVMValueRef unwind = aot_load_field(fn, fn->ex, offsetof(wl_exec, unwind), am->ptr);
  LLVMValueRef limit =
      aot_load_field(fn, unwind, offsetof(wl_native_unwind, stack_limit), am->i64);
  LLVMValueRef sp = native_sp(fn);
  aot_trap_if(fn, LLVMBuildICmp(am->b, LLVMIntULT, sp, limit, ""), WL_TRAP_STACK_EXHAUSTED);
  LLVMValueRef depth = aot_load_field(fn, fn->ex, offsetof(wl_exec, depth), am->i32);
  LLVMValueRef max = aot_load_field(fn, fn->ex, offsetof(wl_exec, max_depth), am->i32);
  aot_trap_if(fn, LLVMBuildICmp(am->b, LLVMIntUGE, depth, max, ""), WL_TRAP_STACK_EXHAUSTED);
  aot_store_field(fn, fn->ex, offsetof(wl_exec, depth),
                  LLVMBuildAdd(am->b, depth, aot_const_i32(fn, 1), ""));
}

static LLVMValueRef zero_of(aot_module *am, wl_valtype t) {
  LLVMTypeRef ty = aot_valtype(am, t);
  if (t == WL_V128) return LLVMConstNull(ty);
  return (t == WL_F32 || t == WL_F64) ? LLVMConstReal(ty, 0.0) : LLVMConstInt(ty, 0, 0);
}

static void setup_locals(aot_fn *fn) {
  aot_module *am = fn->am;
  const wl_functype *ft = fn->type;
  fn->nlocals = ft->nparams + fn->def->nlocals;
  fn->locals = calloc(fn->nlocals + 1, sizeof *fn->locals);
  fn->local_types = calloc(fn->nlocals + 1, sizeof *fn->local_types);
  for (uint32_t i = 0; i < fn->nlocals; i++) {
    wl_valtype t = i < ft->nparams ? ft->params[i] : fn->def->local_types[i - ft->nparams];
    fn->local_types[i] = t;
    fn->locals[i] = LLVMBuildAlloca(am->b, aot_valtype(am, t), "");
    LLVMValueRef init = i < ft->nparams ? LLVMGetParam(fn->fn, 2 + i) : zero_of(am, t);
    LLVMBuildStore(am->b, init, fn->locals[i]);
  }
  if (am->m->nmemories > 0) {
    /* Memories never move (a fixed guard reservation, which instance_init requires) and
     * mem0 is fixed at instantiation, so one load per function serves every access. */
    fn->mem0 = aot_load_invariant(fn, fn->inst, offsetof(wl_instance, mem0), am->ptr);
    fn->membase = aot_load_invariant(fn, fn->mem0, offsetof(wl_memory, base), am->ptr);
  }
  aot_memory_setup(fn);
}

static wl_error *translate_body(aot_fn *fn) {
  while (!aot_body_done(fn)) {
    wl_instr in;
    wl_error *err = wl_read_instr(&fn->rd, &in);
    if (err) return err;
    fn->cur_offset = fn->def->code_offset + in.offset;
    aot_debug_at(fn->am, fn->cur_offset);
    aot_fuel_count(fn, in.op);
    if (aot_emit_control(fn, &in) || aot_emit_variable(fn, &in) || aot_emit_numeric(fn, &in) ||
        aot_emit_conversion(fn, &in) || aot_emit_memory(fn, &in) || aot_emit_call(fn, &in) ||
        aot_emit_table(fn, &in) || aot_emit_simd(fn, &in))
      continue;
    return wl_err(WL_ERR_UNSUPPORTED, "aot: instruction %s not supported",
                  wl_opinfo_table[in.op].name);
  }
  return NULL;
}

static void free_fn(aot_fn *fn) {
  for (uint32_t i = 0; i < fn->frames_cap; i++) {
    free(fn->frames[i].br_phis);
    free(fn->frames[i].if_params);
  }
  free(fn->frames);
  free(fn->stack);
  free(fn->locals);
  free(fn->local_types);
  free(fn->size_slots);
}

wl_error *aot_translate_function(aot_module *am, uint32_t defined_index) {
  const wl_moddesc *m = am->m;
  aot_fn fn = {0};
  fn.am = am;
  fn.def = &m->funcs[defined_index];
  fn.func_index = m->nfunc_imports + defined_index;
  fn.type = &m->types[fn.def->type_index];
  fn.fn = am->natives[defined_index];
  fn.ex = LLVMGetParam(fn.fn, 0);
  fn.inst = LLVMGetParam(fn.fn, 1);
  fn.stack_cap = fn.def->facts.max_height + 8;
  fn.stack = malloc(fn.stack_cap * sizeof *fn.stack);
  fn.reachable = true;
  fn.small_leaf = aot_is_small_leaf(fn.def, fn.type);
  wl_code_reader_init(&fn.rd, fn.def->code, fn.def->code_len, am->features,
                      fn.def->code_offset);
  LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(am->ctx, fn.fn, "entry");
  LLVMPositionBuilderAtEnd(am->b, entry);
  aot_debug_function(am, fn.fn, "f", fn.func_index, fn.def->code_offset);
  fn.cur_offset = WL_TRACE_NO_OFFSET;  /* prologue traps: the caller's call is the site */
  setup_locals(&fn);
  emit_stack_checks(&fn);
  fn.cur_offset = fn.def->code_offset;
  aot_open_func_frame(&fn);
  aot_fuel_new_run(&fn);  /* after the stack checks: the interpreter checks depth at the call */
  wl_error *err = translate_body(&fn);
  aot_fuel_finish(&fn);
  aot_debug_end_function(am);
  free_fn(&fn);
  return err;
}
