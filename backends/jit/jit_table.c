/* Tables and references: table.get/set/size/grow/fill/init/copy, elem.drop, ref.null,
 * ref.is_null, ref.func. Table operations call the proposals' runtime helpers (which check
 * bounds and record traps); references are slot bits (0 = null, a funcref is its wl_func *). */
#include "backends/jit/jit.h"
#include "proposals/bulk_memory/bulk_memory.h"
#include "proposals/reference_types/reference_types.h"

static void load_table(jit_fn *fn, x64_reg r, uint32_t index) {
  x64_load(fn->a, 8, false, true, r, x64_m(JIT_INST, offsetof(wl_instance, tables)));
  x64_load(fn->a, 8, false, true, r, x64_m(r, (int32_t)(8 * index)));
}

static void table_get(jit_fn *fn, uint32_t table) {
  x64_mov_rr(fn->a, true, X64_RDI, JIT_EX);
  load_table(fn, X64_RSI, table);
  jit_load_top(fn, false, X64_RDX, 0);
  x64_lea(fn->a, X64_RCX, jit_top(fn, 0));  /* the result replaces the index */
  jit_call_c(fn, (const void *)wl_ref_table_get);
  jit_raise_if_false(fn);
}

static void table_set(jit_fn *fn, uint32_t table) {
  x64_mov_rr(fn->a, true, X64_RDI, JIT_EX);
  load_table(fn, X64_RSI, table);
  jit_load_top(fn, false, X64_RDX, 1);
  jit_load_top(fn, true, X64_RCX, 0);
  jit_call_c(fn, (const void *)wl_ref_table_set);
  jit_raise_if_false(fn);
  jit_pop(fn, 2);
}

static void table_grow(jit_fn *fn, uint32_t table) {
  load_table(fn, X64_RDI, table);
  jit_load_top(fn, true, X64_RSI, 1);
  jit_load_top(fn, false, X64_RDX, 0);
  jit_call_c(fn, (const void *)wl_ref_table_grow);
  x64_mov_rr(fn->a, false, X64_RAX, X64_RAX);
  jit_replace(fn, 2, X64_RAX);
}

static void table_fill(jit_fn *fn, uint32_t table) {
  x64_mov_rr(fn->a, true, X64_RDI, JIT_EX);
  load_table(fn, X64_RSI, table);
  jit_load_top(fn, false, X64_RDX, 2);
  jit_load_top(fn, true, X64_RCX, 1);
  jit_load_top(fn, false, X64_R8, 0);
  jit_call_c(fn, (const void *)wl_ref_table_fill);
  jit_raise_if_false(fn);
  jit_pop(fn, 3);
}

/* wl_bulk_table_init(ex, inst, table, elem, d, s, n): the seventh argument on the stack,
 * with padding so rsp stays 16-byte aligned at the call. */
static void table_init(jit_fn *fn, uint32_t elem, uint32_t table) {
  x64_asm *a = fn->a;
  jit_load_top(fn, false, X64_RAX, 0);
  x64_alu_ri(a, X64_SUB, true, X64_RSP, 8);
  x64_push(a, X64_RAX);
  x64_mov_rr(a, true, X64_RDI, JIT_EX);
  x64_mov_rr(a, true, X64_RSI, JIT_INST);
  x64_mov_ri(a, X64_RDX, table);
  x64_mov_ri(a, X64_RCX, elem);
  jit_load_top(fn, false, X64_R8, 2);
  jit_load_top(fn, false, X64_R9, 1);
  jit_call_c(fn, (const void *)wl_bulk_table_init);
  x64_alu_ri(a, X64_ADD, true, X64_RSP, 16);
  jit_raise_if_false(fn);
  jit_pop(fn, 3);
}

static void table_copy(jit_fn *fn, uint32_t dst, uint32_t src) {
  x64_mov_rr(fn->a, true, X64_RDI, JIT_EX);
  load_table(fn, X64_RSI, dst);
  load_table(fn, X64_RDX, src);
  jit_load_top(fn, false, X64_RCX, 2);
  jit_load_top(fn, false, X64_R8, 1);
  jit_load_top(fn, false, X64_R9, 0);
  jit_call_c(fn, (const void *)wl_bulk_table_copy);
  jit_raise_if_false(fn);
  jit_pop(fn, 3);
}

static void elem_drop(jit_fn *fn, uint32_t elem) {
  x64_mov_rr(fn->a, true, X64_RDI, JIT_INST);
  x64_mov_ri(fn->a, X64_RSI, elem);
  jit_call_c(fn, (const void *)wl_bulk_elem_drop);
}

static void ref_is_null(jit_fn *fn) {
  jit_load_top(fn, true, X64_RCX, 0);
  x64_test_rr(fn->a, true, X64_RCX, X64_RCX);
  x64_setcc(fn->a, X64_E, X64_RAX);
  x64_movzx8(fn->a, X64_RAX, X64_RAX);
  jit_replace(fn, 1, X64_RAX);
}

static void ref_func(jit_fn *fn, uint32_t index) {
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(JIT_INST, offsetof(wl_instance, funcs)));
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(X64_RAX, (int32_t)(8 * index)));
  jit_push_reg(fn, X64_RAX);
}

bool jit_emit_table(jit_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_TABLE_GET: table_get(fn, in->imm.index); return true;
    case WL_OP_TABLE_SET: table_set(fn, in->imm.index); return true;
    case WL_OP_TABLE_SIZE:
      load_table(fn, X64_RAX, in->imm.index);
      x64_load(fn->a, 4, false, false, X64_RAX, x64_m(X64_RAX, offsetof(wl_table, size)));
      jit_push_reg(fn, X64_RAX);
      return true;
    case WL_OP_TABLE_GROW: table_grow(fn, in->imm.index); return true;
    case WL_OP_TABLE_FILL: table_fill(fn, in->imm.index); return true;
    case WL_OP_TABLE_INIT: table_init(fn, in->imm.pair.a, in->imm.pair.b); return true;
    case WL_OP_TABLE_COPY: table_copy(fn, in->imm.pair.a, in->imm.pair.b); return true;
    case WL_OP_ELEM_DROP: elem_drop(fn, in->imm.index); return true;
    case WL_OP_REF_NULL: jit_push_const(fn, 0); return true;
    case WL_OP_REF_IS_NULL: ref_is_null(fn); return true;
    case WL_OP_REF_FUNC: ref_func(fn, in->imm.index); return true;
    default: return false;
  }
}
