/* Loads, stores, memory.size/grow and the bulk memory instructions, on any memory (multi-memory)
 * of either index type (memory64). An access is [membase + index + offset]: the memory's 8 GiB
 * guard reservation covers every such address with a 32-bit index and offset, so there is no
 * bounds check; a fault in the guard becomes "out of bounds memory access" in the native
 * runtime's signal handler. */
#include "backends/jit/jit.h"
#include "proposals/bulk_memory/bulk_memory.h"

static bool is64(const jit_fn *fn, uint32_t memory) { return fn->c->m->memories[memory].is64; }

/* r = inst->memories[memory] (a wl_memory *). */
static void load_memory(jit_fn *fn, x64_reg r, uint32_t memory) {
  if (memory == 0) {
    x64_load(fn->a, 8, false, true, r, x64_m(JIT_INST, offsetof(wl_instance, mem0)));
    return;
  }
  x64_load(fn->a, 8, false, true, r, x64_m(JIT_INST, offsetof(wl_instance, memories)));
  x64_load(fn->a, 8, false, true, r, x64_m(r, (int32_t)(8 * memory)));
}

/* The effective address of the access whose address operand is `depth` below the top: a
 * constant address folds into the displacement, an address already in a register is the index
 * itself, anything else is loaded into rax (a 32-bit load zero-extends). Memory 0's base is
 * r14; another memory's is loaded into rdx. Every memory has the 8 GiB guard reservation
 * (jit_instance_init) and at most 4 GiB, so an i32 index plus a u32 offset needs no check; a
 * memory64 index must be below 2^32 (then it is as good as an i32 one) and an offset past
 * UINT32_MAX is always out of bounds. rcx is free here: stores load their value after. */
x64_mem jit_address(jit_fn *fn, uint32_t depth, uint64_t offset, uint32_t memory) {
  jit_val *v = jit_at(fn, depth);
  bool wide = is64(fn, memory);
  x64_reg base = JIT_MEM;
  if (memory != 0) {
    load_memory(fn, X64_RDX, memory);
    x64_load(fn->a, 8, false, true, X64_RDX, x64_m(X64_RDX, offsetof(wl_memory, base)));
    base = X64_RDX;
  }
  if (offset > UINT32_MAX) {
    jit_to_stub(fn, JIT_ALWAYS, WL_TRAP_MEMORY_OOB);
    offset = 0;  /* never executed: any address will do */
  }
  if (v->kind == JV_CONST && (wide ? v->bits : (uint32_t)v->bits) + offset <= INT32_MAX)
    return x64_m(base, (int32_t)((wide ? v->bits : (uint32_t)v->bits) + offset));
  int r = jit_val_gpr(fn, v);
  x64_reg index = r >= 0 ? (x64_reg)r : X64_RAX;
  if (r < 0) jit_load_top(fn, wide, X64_RAX, depth);
  if (wide) {
    x64_mov_rr(fn->a, true, X64_RCX, index);
    x64_shift_ri(fn->a, X64_SHR, true, X64_RCX, 32);
    jit_to_stub(fn, X64_NE, WL_TRAP_MEMORY_OOB);
  }
  if (offset <= INT32_MAX) return x64_mi(base, index, 1, (int32_t)offset);
  x64_mov_ri(fn->a, X64_RCX, offset);
  x64_alu_rr(fn->a, X64_ADD, true, X64_RCX, index);
  return x64_mi(base, X64_RCX, 1, 0);
}

static void load(jit_fn *fn, const wl_instr *in, unsigned bytes, bool sign, bool w64) {
  jit_val *v = jit_at(fn, 0);
  bool to_xmm = in->op == WL_OP_F32_LOAD || in->op == WL_OP_F64_LOAD;
  uint16_t addr_reg = jit_val_mask(v);
  uint32_t local;
  /* a local.set next: load into the local's register */
  int home = to_xmm ? jit_result_xmm_home(fn, 1, &local) : jit_result_home(fn, 1, &local);
  x64_mem m = jit_address(fn, 0, in->imm.memarg.offset, in->imm.memarg.memory);
  if (home >= 0) {
    if (to_xmm)
      x64_fload(fn->a, bytes == 8, (x64_xmm)home, m);
    else
      x64_load(fn->a, bytes, sign, w64, (x64_reg)home, m);
    jit_pop(fn, 1);
    jit_push_val(fn, (jit_val){.kind = JV_LOCAL, .local = local});
    return;
  }
  if (to_xmm) {
    x64_xmm x = jit_alloc_xmm(fn, 0);
    x64_fload(fn->a, bytes == 8, x, m);
    jit_pop(fn, 1);
    jit_push_xmm(fn, x, bytes == 8);
    return;
  }
  x64_reg dst = v->kind == JV_GPR ? (x64_reg)v->reg : jit_alloc_gpr(fn, addr_reg);
  x64_load(fn->a, bytes, sign, w64, dst, m);
  jit_pop(fn, 1);
  jit_push_gpr(fn, dst);
}

static void store(jit_fn *fn, const wl_instr *in, unsigned bytes) {
  jit_val *v = jit_at(fn, 0);
  int r = jit_val_gpr(fn, v), x = jit_val_xmm(fn, v);
  int64_t k = (int64_t)v->bits;
  x64_mem m = jit_address(fn, 1, in->imm.memarg.offset, in->imm.memarg.memory);  /* rax-rdx */
  if (r >= 0) {
    x64_store(fn->a, bytes, m, (x64_reg)r);
  } else if (x >= 0 && bytes >= 4) {
    x64_fstore(fn->a, bytes == 8, m, (x64_xmm)x);
  } else if (v->kind == JV_CONST && bytes >= 4 && (bytes == 4 || k == (int32_t)k)) {
    x64_store_imm(fn->a, bytes == 8, m, (int32_t)k);
  } else {
    jit_load_top(fn, bytes == 8, X64_RCX, 0);
    x64_store(fn->a, bytes, m, X64_RCX);
  }
  jit_pop(fn, 2);
}

static void memory_size(jit_fn *fn, uint32_t memory) {
  load_memory(fn, X64_RAX, memory);
  x64_load(fn->a, 4, false, false, X64_RAX, x64_m(X64_RAX, offsetof(wl_memory, pages)));
  jit_push_reg(fn, X64_RAX);  /* an i64 for memory64: the same zero-extended bits */
}

static void memory_grow(jit_fn *fn, uint32_t memory) {
  bool wide = is64(fn, memory);
  load_memory(fn, X64_RDI, memory);
  jit_load_top(fn, wide, X64_RSI, 0);
  jit_call_c(fn, wide ? (const void *)wl_memory_grow_pages64 : (const void *)wl_memory_grow_pages);
  if (!wide) x64_mov_rr(fn->a, false, X64_RAX, X64_RAX);  /* int32_t: zero-extend for the slot */
  jit_replace(fn, 1, X64_RAX);
}

/* memory.copy (ex, dst memory, src memory, d, s, n): false after recording a trap. Each index
 * has its memory's type, n is i64 only when both are; i32 operands zero-extend to the u64s. */
static void memory_copy(jit_fn *fn, uint32_t dst, uint32_t src) {
  x64_mov_rr(fn->a, true, X64_RDI, JIT_EX);
  load_memory(fn, X64_RSI, dst);
  load_memory(fn, X64_RDX, src);
  jit_load_top(fn, is64(fn, dst), X64_RCX, 2);
  jit_load_top(fn, is64(fn, src), X64_R8, 1);
  jit_load_top(fn, is64(fn, dst) && is64(fn, src), X64_R9, 0);
  jit_call_c(fn, (const void *)wl_bulk_memory_copy);
  jit_raise_if_false(fn);
  jit_pop(fn, 3);
}

/* memory.fill (ex, memory, d, value, n): false after recording a trap. */
static void memory_fill(jit_fn *fn, uint32_t memory) {
  x64_mov_rr(fn->a, true, X64_RDI, JIT_EX);
  load_memory(fn, X64_RSI, memory);
  jit_load_top(fn, is64(fn, memory), X64_RDX, 2);
  jit_load_top(fn, false, X64_RCX, 1);
  jit_load_top(fn, is64(fn, memory), X64_R8, 0);
  jit_call_c(fn, (const void *)wl_bulk_memory_fill);
  jit_raise_if_false(fn);
  jit_pop(fn, 3);
}

/* wl_bulk_memory_init(ex, inst, memory, data, d, s, n): the seventh argument on the stack,
 * with padding so rsp stays 16-byte aligned at the call (as table.init). */
static void memory_init(jit_fn *fn, uint32_t data_index, uint32_t memory) {
  x64_asm *a = fn->a;
  jit_load_top(fn, false, X64_RAX, 0);
  x64_alu_ri(a, X64_SUB, true, X64_RSP, 8);
  x64_push(a, X64_RAX);
  x64_mov_rr(a, true, X64_RDI, JIT_EX);
  x64_mov_rr(a, true, X64_RSI, JIT_INST);
  x64_mov_ri(a, X64_RDX, memory);
  x64_mov_ri(a, X64_RCX, data_index);
  jit_load_top(fn, is64(fn, memory), X64_R8, 2);
  jit_load_top(fn, false, X64_R9, 1);
  jit_call_c(fn, (const void *)wl_bulk_memory_init);
  x64_alu_ri(a, X64_ADD, true, X64_RSP, 16);
  jit_raise_if_false(fn);
  jit_pop(fn, 3);
}

static void data_drop(jit_fn *fn, uint32_t data_index) {
  x64_mov_rr(fn->a, true, X64_RDI, JIT_INST);
  x64_mov_ri(fn->a, X64_RSI, data_index);
  jit_call_c(fn, (const void *)wl_bulk_data_drop);
}

static bool emit_load_store(jit_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_I32_LOAD: case WL_OP_F32_LOAD: load(fn, in, 4, false, false); return true;
    case WL_OP_I64_LOAD: case WL_OP_F64_LOAD: load(fn, in, 8, false, true); return true;
    case WL_OP_I32_LOAD8_S: load(fn, in, 1, true, false); return true;
    case WL_OP_I32_LOAD8_U: load(fn, in, 1, false, false); return true;
    case WL_OP_I32_LOAD16_S: load(fn, in, 2, true, false); return true;
    case WL_OP_I32_LOAD16_U: load(fn, in, 2, false, false); return true;
    case WL_OP_I64_LOAD8_S: load(fn, in, 1, true, true); return true;
    case WL_OP_I64_LOAD8_U: load(fn, in, 1, false, true); return true;
    case WL_OP_I64_LOAD16_S: load(fn, in, 2, true, true); return true;
    case WL_OP_I64_LOAD16_U: load(fn, in, 2, false, true); return true;
    case WL_OP_I64_LOAD32_S: load(fn, in, 4, true, true); return true;
    case WL_OP_I64_LOAD32_U: load(fn, in, 4, false, true); return true;
    case WL_OP_I32_STORE: case WL_OP_F32_STORE: case WL_OP_I64_STORE32: store(fn, in, 4); return true;
    case WL_OP_I64_STORE: case WL_OP_F64_STORE: store(fn, in, 8); return true;
    case WL_OP_I32_STORE8: case WL_OP_I64_STORE8: store(fn, in, 1); return true;
    case WL_OP_I32_STORE16: case WL_OP_I64_STORE16: store(fn, in, 2); return true;
    default: return false;
  }
}

bool jit_emit_memory(jit_fn *fn, const wl_instr *in) {
  if (emit_load_store(fn, in)) return true;
  switch (in->op) {
    case WL_OP_MEMORY_SIZE: memory_size(fn, in->imm.index); return true;
    case WL_OP_MEMORY_GROW: memory_grow(fn, in->imm.index); return true;
    case WL_OP_MEMORY_COPY: memory_copy(fn, in->imm.pair.a, in->imm.pair.b); return true;
    case WL_OP_MEMORY_FILL: memory_fill(fn, in->imm.index); return true;
    case WL_OP_MEMORY_INIT: memory_init(fn, in->imm.pair.a, in->imm.pair.b); return true;
    case WL_OP_DATA_DROP: data_drop(fn, in->imm.index); return true;
    default: return false;
  }
}
