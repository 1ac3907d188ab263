/* Module-level translation: the runtime table global, one native function per defined
 * function, one uniform `entry_N(ex, inst, io)` wrapper each, and the exported function table
 * the loader reads. Nothing here refers to a host-process address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/aot/llvm/aot_ir.h"

static void init_types(aot_module *am) {
  LLVMContextRef c = am->ctx;
  am->i1 = LLVMInt1TypeInContext(c);
  am->i8 = LLVMInt8TypeInContext(c);
  am->i16 = LLVMInt16TypeInContext(c);
  am->i32 = LLVMInt32TypeInContext(c);
  am->i64 = LLVMInt64TypeInContext(c);
  am->f32 = LLVMFloatTypeInContext(c);
  am->f64 = LLVMDoubleTypeInContext(c);
  am->v128 = LLVMVectorType(am->i64, 2);
  am->ptr = LLVMPointerTypeInContext(c, 0);
  am->void_t = LLVMVoidTypeInContext(c);
}

/* @wasmlab_aot_rt: writable, exported for the loader, but not preemptible (protected), so
 * generated code reaches it PC-relative. */
static void declare_rt(aot_module *am) {
  LLVMTypeRef t = LLVMArrayType2(am->ptr, AOT_RT_COUNT);
  am->rt = LLVMAddGlobal(am->mod, t, AOT_SYM_RT);
  if (am->part == 0) LLVMSetInitializer(am->rt, LLVMConstNull(t));  /* else a declaration */
  LLVMSetVisibility(am->rt, LLVMProtectedVisibility);
}

static bool in_part(const aot_module *am, uint32_t i) { return i >= am->first && i < am->end; }

/* One partition: local to its object. Several: hidden, so the partitions' objects reach each
 * other's functions directly, and nothing is exported beyond the artifact's tables. */
static void set_function_linkage(aot_module *am, LLVMValueRef f) {
  if (am->nparts == 1) {
    LLVMSetLinkage(f, LLVMInternalLinkage);
    return;
  }
  LLVMSetLinkage(f, LLVMExternalLinkage);
  LLVMSetVisibility(f, LLVMHiddenVisibility);
}

static void add_fn_attr(aot_module *am, LLVMValueRef f, const char *k, const char *v) {
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                             LLVMCreateStringAttribute(am->ctx, k, strlen(k), v, strlen(v)));
}

static void add_enum_attr(aot_module *am, LLVMValueRef f, const char *name) {
  unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                             LLVMCreateEnumAttribute(am->ctx, kind, 0));
}

/* Trap backtraces: unwind tables (no code) to walk AOT frames, and no sibling-call
 * optimization, so a call in tail position keeps its caller's frame as the interpreter and
 * the JIT do (wasm's own return_call stays a musttail call). */
static void add_uwtable(aot_module *am, LLVMValueRef f) {
  unsigned kind = LLVMGetEnumAttributeKindForName("uwtable", 7);
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                          LLVMCreateEnumAttribute(am->ctx, kind, 2));  /* 2: asynchronous */
  add_fn_attr(am, f, "disable-tail-calls", "true");
}

static void declare_natives(aot_module *am) {
  const wl_moddesc *m = am->m;
  uint32_t n = m->nfuncs - m->nfunc_imports;
  am->natives = calloc(n + 1, sizeof *am->natives);
  for (uint32_t i = 0; i < n; i++) {
    char name[32];
    snprintf(name, sizeof name, "wasm_f%u", m->nfunc_imports + i);
    LLVMTypeRef t = aot_native_type(am, &m->types[m->funcs[i].type_index]);
    LLVMValueRef f = LLVMAddFunction(am->mod, name, t);
    set_function_linkage(am, f);
    LLVMSetFunctionCallConv(f, am->native_cc);
    add_enum_attr(am, f, "nounwind");
    add_uwtable(am, f);
    /* Large frames probe each page, so no frame can step over the stack guard. */
    add_fn_attr(am, f, "probe-stack", "inline-asm");
    am->natives[i] = f;
  }
}

/* void entry_N(ex, inst, io): params from io slot 0 on -> native call -> results from io slot
 * 0 on (a v128 takes two slots). */
static LLVMValueRef build_entry_wrapper(aot_module *am, uint32_t i) {
  const wl_functype *ft = &am->m->types[am->m->funcs[i].type_index];
  LLVMTypeRef params[3] = {am->ptr, am->ptr, am->ptr};
  char name[32];
  snprintf(name, sizeof name, "wasm_entry%u", am->m->nfunc_imports + i);
  LLVMValueRef w = LLVMAddFunction(am->mod, name, LLVMFunctionType(am->void_t, params, 3, 0));
  set_function_linkage(am, w);
  add_enum_attr(am, w, "nounwind");
  add_uwtable(am, w);
  if (!in_part(am, i)) return w;  /* partition 0's table refers to another partition's */
  LLVMBuilderRef b = am->b;
  LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(am->ctx, w, "entry"));
  /* A subprogram of its own, so the native function inlined here keeps its lines. */
  aot_debug_function(am, w, "entry", am->m->nfunc_imports + i, am->m->funcs[i].code_offset);
  LLVMValueRef io = LLVMGetParam(w, 2);
  LLVMValueRef args[2 + ft->nparams];
  args[0] = LLVMGetParam(w, 0);
  args[1] = LLVMGetParam(w, 1);
  for (uint32_t p = 0, at = 0; p < ft->nparams; at += wl_valtype_slots(ft->params[p++])) {
    LLVMValueRef idx = LLVMConstInt(am->i64, at, 0);
    LLVMValueRef slot = LLVMBuildInBoundsGEP2(b, am->i64, io, &idx, 1, "");
    args[2 + p] = aot_from_slot(am, b, slot, ft->params[p]);
  }
  LLVMValueRef ret = LLVMBuildCall2(b, aot_native_type(am, ft), am->natives[i], args,
                                    2 + ft->nparams, "");
  LLVMSetInstructionCallConv(ret, am->native_cc);
  for (uint32_t r = 0, at = 0; r < ft->nresults; at += wl_valtype_slots(ft->results[r++])) {
    LLVMValueRef v = ft->nresults == 1 ? ret : LLVMBuildExtractValue(b, ret, r, "");
    LLVMValueRef idx = LLVMConstInt(am->i64, at, 0);
    aot_to_slot(am, b, LLVMBuildInBoundsGEP2(b, am->i64, io, &idx, 1, ""), ft->results[r], v);
  }
  LLVMBuildRetVoid(b);
  aot_debug_end_function(am);
  return w;
}

/* @wasmlab_aot_funcs = [n x {entry, native}], @wasmlab_aot_nfuncs = n. */
static void build_func_table(aot_module *am) {
  uint32_t n = am->m->nfuncs - am->m->nfunc_imports;
  LLVMTypeRef pair_fields[2] = {am->ptr, am->ptr};
  LLVMTypeRef pair = LLVMStructTypeInContext(am->ctx, pair_fields, 2, 0);
  LLVMValueRef *rows = calloc(n + 1, sizeof *rows);
  for (uint32_t i = 0; i < n; i++) {
    LLVMValueRef v[2] = {build_entry_wrapper(am, i), am->natives[i]};
    rows[i] = LLVMConstNamedStruct(pair, v, 2);
  }
  LLVMTypeRef t = LLVMArrayType2(pair, n);
  LLVMValueRef table = LLVMAddGlobal(am->mod, t, AOT_SYM_FUNCS);
  LLVMSetInitializer(table, LLVMConstArray2(pair, rows, n));
  LLVMSetGlobalConstant(table, 1);
  free(rows);
  LLVMValueRef count = LLVMAddGlobal(am->mod, am->i32, AOT_SYM_NFUNCS);
  LLVMSetInitializer(count, LLVMConstInt(am->i32, n, 0));
  LLVMSetGlobalConstant(count, 1);
}

wl_error *aot_translate_module(aot_module *am) {
  init_types(am);
  am->b = LLVMCreateBuilderInContext(am->ctx);
  am->native_cc = aot_native_cc(am->m);
  declare_rt(am);
  declare_natives(am);
  aot_debug_begin(am);
  wl_error *err = NULL;
  for (uint32_t i = am->first; i < am->end && !err; i++) err = aot_translate_function(am, i);
  if (!err && am->part == 0) build_func_table(am);
  for (uint32_t i = am->first; i < am->end && !err && am->part != 0; i++)
    build_entry_wrapper(am, i);
  aot_debug_finish(am);
  LLVMDisposeBuilder(am->b);
  free(am->natives);
  am->natives = NULL;
  return err;
}
