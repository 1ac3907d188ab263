/* Loads, stores and memory.* instructions.
 *
 * Bounds: the effective address base + (u64)addr + offset stays inside the 8 GiB guard
 * reservation for every offset o with o + width <= 4 GiB + 1, so such accesses need no check:
 * an out-of-bounds one faults and the signal handler turns it into "out of bounds memory
 * access". Only offsets within `width` of 4 GiB get an explicit check.
 *
 * Because a fault is how an access traps, every linear-memory access is emitted volatile
 * (guest_access): LLVM then never deletes one, never sinks one past a trap or a call, and
 * keeps them in program order. backends/aot/README.md ("Traps are effects") says why this
 * one rule covers every case. */
#include "backends/aot/llvm/aot_ir.h"
#include "proposals/bulk_memory/bulk_memory.h"

#define GUARDED_SPAN (1ull << 32)  /* offset + width up to this needs no explicit check */

/* The host address of an access of `width` bytes at addr + offset. */
static LLVMValueRef effective_address(aot_fn *fn, LLVMValueRef addr, uint32_t offset,
                                      unsigned width) {
  aot_module *am = fn->am;
  LLVMBuilderRef b = am->b;
  LLVMValueRef ea = LLVMBuildZExt(b, addr, am->i64, "");
  if (offset) ea = LLVMBuildAdd(b, ea, aot_const_i64(fn, offset), "");
  if ((uint64_t)offset + width > GUARDED_SPAN) {
    LLVMValueRef size = aot_load_field(fn, fn->mem0, offsetof(wl_memory, size), am->i64);
    LLVMValueRef end = LLVMBuildAdd(b, ea, aot_const_i64(fn, width), "");
    aot_trap_if(fn, LLVMBuildICmp(b, LLVMIntUGT, end, size, ""), WL_TRAP_MEMORY_OOB);
  }
  return LLVMBuildGEP2(b, am->i8, fn->membase, &ea, 1, "");
}

/* The one rule for guest memory: an access is an effect (it may fault), never a pure value. */
static LLVMValueRef guest_access(LLVMValueRef access) {
  LLVMSetAlignment(access, 1);
  LLVMSetVolatile(access, 1);
  return access;
}

typedef enum { EXT_NONE, EXT_SIGNED, EXT_UNSIGNED } ext_kind;

static void load(aot_fn *fn, const wl_instr *in, LLVMTypeRef mem_t, LLVMTypeRef val_t,
                 ext_kind ext) {
  LLVMBuilderRef b = fn->am->b;
  unsigned width = wl_opinfo_table[in->op].mem_bytes;
  LLVMValueRef p = effective_address(fn, aot_pop(fn), in->imm.memarg.offset, width);
  LLVMValueRef v = guest_access(LLVMBuildLoad2(b, mem_t, p, ""));
  if (ext == EXT_SIGNED) v = LLVMBuildSExt(b, v, val_t, "");
  if (ext == EXT_UNSIGNED) v = LLVMBuildZExt(b, v, val_t, "");
  aot_push(fn, v);
}

static void store(aot_fn *fn, const wl_instr *in, LLVMTypeRef mem_t) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef v = aot_pop(fn);
  unsigned width = wl_opinfo_table[in->op].mem_bytes;
  LLVMValueRef p = effective_address(fn, aot_pop(fn), in->imm.memarg.offset, width);
  if (LLVMTypeOf(v) != mem_t) v = LLVMBuildTrunc(b, v, mem_t, "");
  guest_access(LLVMBuildStore(b, v, p));
}

static bool emit_load(aot_fn *fn, const wl_instr *in) {
  aot_module *am = fn->am;
  switch (in->op) {
    case WL_OP_I32_LOAD: load(fn, in, am->i32, am->i32, EXT_NONE); return true;
    case WL_OP_I64_LOAD: load(fn, in, am->i64, am->i64, EXT_NONE); return true;
    case WL_OP_F32_LOAD: load(fn, in, am->f32, am->f32, EXT_NONE); return true;
    case WL_OP_F64_LOAD: load(fn, in, am->f64, am->f64, EXT_NONE); return true;
    case WL_OP_I32_LOAD8_S: load(fn, in, am->i8, am->i32, EXT_SIGNED); return true;
    case WL_OP_I32_LOAD8_U: load(fn, in, am->i8, am->i32, EXT_UNSIGNED); return true;
    case WL_OP_I32_LOAD16_S: load(fn, in, am->i16, am->i32, EXT_SIGNED); return true;
    case WL_OP_I32_LOAD16_U: load(fn, in, am->i16, am->i32, EXT_UNSIGNED); return true;
    case WL_OP_I64_LOAD8_S: load(fn, in, am->i8, am->i64, EXT_SIGNED); return true;
    case WL_OP_I64_LOAD8_U: load(fn, in, am->i8, am->i64, EXT_UNSIGNED); return true;
    case WL_OP_I64_LOAD16_S: load(fn, in, am->i16, am->i64, EXT_SIGNED); return true;
    case WL_OP_I64_LOAD16_U: load(fn, in, am->i16, am->i64, EXT_UNSIGNED); return true;
    case WL_OP_I64_LOAD32_S: load(fn, in, am->i32, am->i64, EXT_SIGNED); return true;
    case WL_OP_I64_LOAD32_U: load(fn, in, am->i32, am->i64, EXT_UNSIGNED); return true;
    default: return false;
  }
}

static bool emit_store(aot_fn *fn, const wl_instr *in) {
  aot_module *am = fn->am;
  switch (in->op) {
    case WL_OP_I32_STORE: store(fn, in, am->i32); return true;
    case WL_OP_I64_STORE: store(fn, in, am->i64); return true;
    case WL_OP_F32_STORE: store(fn, in, am->f32); return true;
    case WL_OP_F64_STORE: store(fn, in, am->f64); return true;
    case WL_OP_I32_STORE8: case WL_OP_I64_STORE8: store(fn, in, am->i8); return true;
    case WL_OP_I32_STORE16: case WL_OP_I64_STORE16: store(fn, in, am->i16); return true;
    case WL_OP_I64_STORE32: store(fn, in, am->i32); return true;
    default: return false;
  }
}

static LLVMTypeRef helper_type(aot_fn *fn, LLVMTypeRef ret, unsigned nptr, unsigned ni32) {
  LLVMTypeRef params[8];
  for (unsigned i = 0; i < nptr; i++) params[i] = fn->am->ptr;
  for (unsigned i = 0; i < ni32; i++) params[nptr + i] = fn->am->i32;
  return LLVMFunctionType(ret, params, nptr + ni32, 0);
}

static void check_helper(aot_fn *fn, LLVMValueRef ok) {
  aot_raise_unless(fn, LLVMBuildICmp(fn->am->b, LLVMIntNE, ok, LLVMConstInt(fn->am->i8, 0, 0), ""));
}

/* Pops three i32 operands (a b c, c on top) into v[0..3). */
static void pop3(aot_fn *fn, LLVMValueRef *v) {
  v[2] = aot_pop(fn);
  v[1] = aot_pop(fn);
  v[0] = aot_pop(fn);
}

static void emit_grow(aot_fn *fn) {
  LLVMValueRef args[2] = {fn->mem0, aot_pop(fn)};
  aot_push(fn, aot_call_rt(fn, AOT_RT_MEMORY_GROW, helper_type(fn, fn->am->i32, 1, 1), args, 2));
}

static void emit_size(aot_fn *fn) {
  aot_push(fn, aot_load_field(fn, fn->mem0, offsetof(wl_memory, pages), fn->am->i32));
}

/* memory.copy / memory.fill: helper(ex, mem0, a, b, n). */
static void emit_copy_fill(aot_fn *fn, aot_rt_index which) {
  LLVMValueRef v[3];
  pop3(fn, v);
  LLVMValueRef args[5] = {fn->ex, fn->mem0, v[0], v[1], v[2]};
  check_helper(fn, aot_call_rt(fn, which, helper_type(fn, fn->am->i8, 2, 3), args, 5));
}

static void emit_init(aot_fn *fn, uint32_t data_index) {
  LLVMValueRef v[3];
  pop3(fn, v);
  LLVMValueRef args[6] = {fn->ex, fn->inst, aot_const_i32(fn, data_index), v[0], v[1], v[2]};
  check_helper(fn, aot_call_rt(fn, AOT_RT_MEMORY_INIT, helper_type(fn, fn->am->i8, 2, 4), args, 6));
}

static void emit_data_drop(aot_fn *fn, uint32_t data_index) {
  LLVMValueRef args[2] = {fn->inst, aot_const_i32(fn, data_index)};
  aot_call_rt(fn, AOT_RT_DATA_DROP, helper_type(fn, fn->am->void_t, 1, 1), args, 2);
}

bool aot_emit_memory(aot_fn *fn, const wl_instr *in) {
  if (emit_load(fn, in) || emit_store(fn, in)) return true;
  switch (in->op) {
    case WL_OP_MEMORY_SIZE: emit_size(fn); return true;
    case WL_OP_MEMORY_GROW: emit_grow(fn); return true;
    case WL_OP_MEMORY_COPY: emit_copy_fill(fn, AOT_RT_MEMORY_COPY); return true;
    case WL_OP_MEMORY_FILL: emit_copy_fill(fn, AOT_RT_MEMORY_FILL); return true;
    case WL_OP_MEMORY_INIT: emit_init(fn, in->imm.pair.a); return true;
    case WL_OP_DATA_DROP: emit_data_drop(fn, in->imm.index); return true;
    default: return false;
  }
}
