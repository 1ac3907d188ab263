/* Loads, stores and memory.* instructions.
 *
 * Bounds of an i32 memory: the effective address base + (u64)addr + offset stays inside the
 * 8 GiB guard reservation for every offset o with o + width <= 4 GiB + 1, so such accesses
 * need no check: an out-of-bounds one faults and the signal handler turns it into "out of
 * bounds memory access". Only offsets within `width` of 4 GiB get an explicit check.
 *
 * Memory 0 has its base loaded once per function (fn->membase). Other memories (multi-memory)
 * are reached through inst->memories with invariant loads the optimizer hoists the same way.
 * An i64 memory (memory64) cannot be covered by a guard region (the address alone spans
 * 2^64), so every access compares addr + offset + width with the current size explicitly.
 *
 * Because a fault is how an access traps, every linear-memory access (SIMD ones too) is
 * emitted volatile (aot_guest_access): LLVM then never deletes one, never sinks one past a
 * trap or a call, and keeps them in program order. backends/aot/README.md ("Traps are
 * effects") says why this one rule covers every case. */
#include <stdlib.h>

#include "backends/aot/llvm/aot_ir.h"
#include "proposals/bulk_memory/bulk_memory.h"

#define GUARDED_SPAN (1ull << 32)  /* offset + width up to this needs no explicit check */

static bool is64(aot_fn *fn, uint32_t memory) { return fn->am->m->memories[memory].is64; }

/* The wl_memory * of memory `x`. */
static LLVMValueRef memory_ptr(aot_fn *fn, uint32_t x) {
  if (x == 0) return fn->mem0;
  return aot_load_ptr_elem(fn, fn->inst, offsetof(wl_instance, memories), x);
}

static LLVMValueRef memory_base(aot_fn *fn, uint32_t x) {
  if (x == 0) return fn->membase;
  return aot_load_invariant(fn, memory_ptr(fn, x), offsetof(wl_memory, base), fn->am->ptr);
}

/* ---------------------------------------------------------------- memory64 size caches */

static void load_size(aot_fn *fn, uint32_t memory) {
  LLVMValueRef size = aot_load_field(fn, memory_ptr(fn, memory), offsetof(wl_memory, size),
                                     fn->am->i64);
  LLVMBuildStore(fn->am->b, size, fn->size_slots[memory]);
}

void aot_memory_setup(aot_fn *fn) {
  const wl_moddesc *m = fn->am->m;
  for (uint32_t i = 0; i < m->nmemories; i++) {
    if (!m->memories[i].is64) continue;
    if (!fn->size_slots) fn->size_slots = calloc(m->nmemories, sizeof *fn->size_slots);
    fn->size_slots[i] = LLVMBuildAlloca(fn->am->b, fn->am->i64, "size");
    load_size(fn, i);
  }
}

void aot_memory_reload_sizes(aot_fn *fn) {
  for (uint32_t i = 0; fn->size_slots && i < fn->am->m->nmemories; i++)
    if (fn->size_slots[i]) load_size(fn, i);
}

/* Traps unless addr + offset + width <= size, in full 64-bit arithmetic (memory64). */
static void check_bounds64(aot_fn *fn, uint32_t memory, LLVMValueRef addr, uint64_t offset,
                           unsigned width) {
  aot_module *am = fn->am;
  LLVMBuilderRef b = am->b;
  LLVMValueRef size = LLVMBuildLoad2(b, am->i64, fn->size_slots[memory], "");
  if (offset > UINT64_MAX - width) {  /* no address makes it fit */
    aot_trap_if(fn, LLVMConstInt(am->i1, 1, 0), WL_TRAP_MEMORY_OOB);
    return;
  }
  LLVMValueRef args[2] = {addr, aot_const_i64(fn, offset + width)};
  LLVMValueRef sum = aot_intrinsic(fn, "llvm.uadd.with.overflow", &am->i64, 1, args, 2);
  LLVMValueRef end = LLVMBuildExtractValue(b, sum, 0, "");
  LLVMValueRef wrapped = LLVMBuildExtractValue(b, sum, 1, "");
  LLVMValueRef beyond = LLVMBuildICmp(b, LLVMIntUGT, end, size, "");
  aot_trap_if(fn, LLVMBuildOr(b, wrapped, beyond, ""), WL_TRAP_MEMORY_OOB);
}

/* The host address of an access of `width` bytes at addr + offset in memory `memory`. */
LLVMValueRef aot_effective_address(aot_fn *fn, uint32_t memory, LLVMValueRef addr,
                                   uint64_t offset, unsigned width) {
  aot_module *am = fn->am;
  LLVMBuilderRef b = am->b;
  LLVMValueRef ea;
  if (is64(fn, memory)) {
    check_bounds64(fn, memory, addr, offset, width);
    ea = offset ? LLVMBuildAdd(b, addr, aot_const_i64(fn, offset), "") : addr;
  } else {
    ea = LLVMBuildZExt(b, addr, am->i64, "");
    if (offset) ea = LLVMBuildAdd(b, ea, aot_const_i64(fn, offset), "");
    if (offset + width > GUARDED_SPAN) {
      LLVMValueRef size = aot_load_field(fn, memory_ptr(fn, memory), offsetof(wl_memory, size),
                                         am->i64);
      LLVMValueRef end = LLVMBuildAdd(b, ea, aot_const_i64(fn, width), "");
      aot_trap_if(fn, LLVMBuildICmp(b, LLVMIntUGT, end, size, ""), WL_TRAP_MEMORY_OOB);
    }
  }
  return LLVMBuildGEP2(b, am->i8, memory_base(fn, memory), &ea, 1, "");
}

LLVMValueRef aot_guest_access(LLVMValueRef access) {
  LLVMSetAlignment(access, 1);
  LLVMSetVolatile(access, 1);
  return access;
}

/* A guest load: a volatile access (aot_guest_access). LLVM 19's x86 backend folds even a
 * volatile load into the operand of a select it lowers to an AVX-512 masked move
 * (`vmovss (mem), %xmm0 {%k1}`), and a masked-off element never faults, so the trap was lost
 * (harness/wast/aot_masked_select_load.wast); the target machine therefore has AVX-512 off
 * (aot_emit.c). A `freeze` of the loaded value fixed it too but kept every float and vector
 * load out of arithmetic operands: nbody +11.7%, blur-simd +23.9% instructions. */
LLVMValueRef aot_guest_load(LLVMBuilderRef b, LLVMTypeRef t, LLVMValueRef p) {
  return aot_guest_access(LLVMBuildLoad2(b, t, p, ""));
}

typedef enum { EXT_NONE, EXT_SIGNED, EXT_UNSIGNED } ext_kind;

static void load(aot_fn *fn, const wl_instr *in, LLVMTypeRef mem_t, LLVMTypeRef val_t,
                 ext_kind ext) {
  LLVMBuilderRef b = fn->am->b;
  unsigned width = wl_opinfo_table[in->op].mem_bytes;
  LLVMValueRef p = aot_effective_address(fn, in->imm.memarg.memory, aot_pop(fn),
                                         in->imm.memarg.offset, width);
  LLVMValueRef v = aot_guest_load(b, mem_t, p);
  if (ext == EXT_SIGNED) v = LLVMBuildSExt(b, v, val_t, "");
  if (ext == EXT_UNSIGNED) v = LLVMBuildZExt(b, v, val_t, "");
  aot_push(fn, v);
}

static void store(aot_fn *fn, const wl_instr *in, LLVMTypeRef mem_t) {
  LLVMBuilderRef b = fn->am->b;
  LLVMValueRef v = aot_pop(fn);
  unsigned width = wl_opinfo_table[in->op].mem_bytes;
  LLVMValueRef p = aot_effective_address(fn, in->imm.memarg.memory, aot_pop(fn),
                                         in->imm.memarg.offset, width);
  if (LLVMTypeOf(v) != mem_t) v = LLVMBuildTrunc(b, v, mem_t, "");
  aot_guest_access(LLVMBuildStore(b, v, p));
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

static void check_helper(aot_fn *fn, LLVMValueRef ok) {
  aot_raise_unless(fn, LLVMBuildICmp(fn->am->b, LLVMIntNE, ok, LLVMConstInt(fn->am->i8, 0, 0), ""));
}

/* An i32 operand widened for the 64-bit helpers (an i64 one passes as is). */
static LLVMValueRef wide(aot_fn *fn, LLVMValueRef v) {
  if (LLVMTypeOf(v) == fn->am->i64) return v;
  return LLVMBuildZExt(fn->am->b, v, fn->am->i64, "");
}

static void emit_grow(aot_fn *fn, uint32_t memory) {
  aot_module *am = fn->am;
  LLVMValueRef delta = aot_pop(fn);
  if (memory == 0 && !is64(fn, 0)) {
    LLVMTypeRef params[2] = {am->ptr, am->i32};
    LLVMValueRef args[2] = {fn->mem0, delta};
    LLVMTypeRef t = LLVMFunctionType(am->i32, params, 2, 0);
    aot_push(fn, aot_call_rt(fn, AOT_RT_MEMORY_GROW, t, args, 2));
    return;
  }
  LLVMTypeRef params[2] = {am->ptr, am->i64};
  LLVMValueRef args[2] = {memory_ptr(fn, memory), wide(fn, delta)};
  LLVMValueRef old = aot_call_rt(fn, AOT_RT_MEMORY_GROW_ANY, LLVMFunctionType(am->i64, params, 2, 0),
                                 args, 2);
  if (is64(fn, memory)) load_size(fn, memory);
  aot_push(fn, is64(fn, memory) ? old : LLVMBuildTrunc(am->b, old, am->i32, ""));
}

static void emit_size(aot_fn *fn, uint32_t memory) {
  LLVMValueRef pages = aot_load_field(fn, memory_ptr(fn, memory), offsetof(wl_memory, pages),
                                      fn->am->i32);
  aot_push(fn, is64(fn, memory) ? wide(fn, pages) : pages);
}

/* Pops three operands (a b c, c on top) into v[0..3). */
static void pop3(aot_fn *fn, LLVMValueRef *v) {
  v[2] = aot_pop(fn);
  v[1] = aot_pop(fn);
  v[0] = aot_pop(fn);
}

/* memory.copy: wl_bulk_memory_copy(ex, dst memory, src memory, d, s, n), all 64-bit. */
static void emit_copy(aot_fn *fn, uint32_t dst, uint32_t src) {
  aot_module *am = fn->am;
  LLVMValueRef v[3];
  pop3(fn, v);
  LLVMTypeRef params[6] = {am->ptr, am->ptr, am->ptr, am->i64, am->i64, am->i64};
  LLVMValueRef args[6] = {fn->ex, memory_ptr(fn, dst), memory_ptr(fn, src),
                          wide(fn, v[0]), wide(fn, v[1]), wide(fn, v[2])};
  check_helper(fn, aot_call_rt(fn, AOT_RT_MEMORY_COPY, LLVMFunctionType(am->i8, params, 6, 0),
                               args, 6));
}

/* memory.fill: wl_bulk_memory_fill(ex, memory, d, value, n). */
static void emit_fill(aot_fn *fn, uint32_t memory) {
  aot_module *am = fn->am;
  LLVMValueRef v[3];
  pop3(fn, v);
  LLVMTypeRef params[5] = {am->ptr, am->ptr, am->i64, am->i32, am->i64};
  LLVMValueRef args[5] = {fn->ex, memory_ptr(fn, memory), wide(fn, v[0]), v[1], wide(fn, v[2])};
  check_helper(fn, aot_call_rt(fn, AOT_RT_MEMORY_FILL, LLVMFunctionType(am->i8, params, 5, 0),
                               args, 5));
}

/* memory.init: wl_bulk_memory_init(ex, inst, memory, data, d, s, n). */
static void emit_init(aot_fn *fn, uint32_t data_index, uint32_t memory) {
  aot_module *am = fn->am;
  LLVMValueRef v[3];
  pop3(fn, v);
  LLVMTypeRef params[7] = {am->ptr, am->ptr, am->i32, am->i32, am->i64, am->i32, am->i32};
  LLVMValueRef args[7] = {fn->ex, fn->inst, aot_const_i32(fn, memory),
                          aot_const_i32(fn, data_index), wide(fn, v[0]), v[1], v[2]};
  check_helper(fn, aot_call_rt(fn, AOT_RT_MEMORY_INIT, LLVMFunctionType(am->i8, params, 7, 0),
                               args, 7));
}

static void emit_data_drop(aot_fn *fn, uint32_t data_index) {
  aot_module *am = fn->am;
  LLVMTypeRef params[2] = {am->ptr, am->i32};
  LLVMValueRef args[2] = {fn->inst, aot_const_i32(fn, data_index)};
  aot_call_rt(fn, AOT_RT_DATA_DROP, LLVMFunctionType(am->void_t, params, 2, 0), args, 2);
}

bool aot_emit_memory(aot_fn *fn, const wl_instr *in) {
  if (emit_load(fn, in) || emit_store(fn, in)) return true;
  switch (in->op) {
    case WL_OP_MEMORY_SIZE: emit_size(fn, in->imm.index); return true;
    case WL_OP_MEMORY_GROW: emit_grow(fn, in->imm.index); return true;
    case WL_OP_MEMORY_COPY: emit_copy(fn, in->imm.pair.a, in->imm.pair.b); return true;
    case WL_OP_MEMORY_FILL: emit_fill(fn, in->imm.index); return true;
    case WL_OP_MEMORY_INIT: emit_init(fn, in->imm.pair.a, in->imm.pair.b); return true;
    case WL_OP_DATA_DROP: emit_data_drop(fn, in->imm.index); return true;
    default: return false;
  }
}
