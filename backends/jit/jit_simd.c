/* SIMD (v128) instructions. A module that uses v128 has 16-byte frame cells (jit.h), so a
 * v128 is one value like any other: heights, block arities, branches and calls need nothing
 * new. In the register cache a v128 is in an xmm register (JV_XMM, v128) or its cell, never a
 * constant or a lazy local. The common instructions are inline SSE (up to SSE4.1, which the
 * JIT requires) on the cache (jit_simd_ops.c); the rest, whose exact Wasm semantics take long
 * sequences (float min/max, conversions, popcnt, extmul, q15mulr, 64-bit compares, ...), are
 * not cache-aware: the driver flushes, and they call the C helpers shared with the
 * interpreter (jit_simd_helpers.c) on the cells. Memory accesses are always inline, so a
 * fault in the guard region is an out-of-bounds trap at this instruction, as for scalars. */
#include "backends/jit/jit.h"

static x64_mem cell_at(const jit_fn *fn, uint32_t h) { return x64_m(JIT_FP, jit_slot(fn, h)); }

static x64_mem cell_byte(const jit_fn *fn, uint32_t h, uint32_t byte) {
  x64_mem m = cell_at(fn, h);
  m.disp += (int32_t)byte;
  return m;
}

static void copy_cell(jit_fn *fn, x64_mem dst, x64_mem src) {
  x64_movups_load(fn->a, 0, src);
  x64_movups_store(fn->a, dst, 0);
}

/* The two 8-byte halves of a constant into cell h (rax). */
static void store_const_cell(jit_fn *fn, uint32_t h, const uint64_t halves[2]) {
  for (uint32_t k = 0; k < 2; k++) {
    x64_mov_ri(fn->a, X64_RAX, halves[k]);
    x64_store(fn->a, 8, cell_byte(fn, h, 8 * k), X64_RAX);
  }
}

/* fn(cell h0 as result and a, cells h0 + 1, h0 + 2, lane) */
static void call_helper(jit_fn *fn, const void *target, uint32_t h0, uint32_t ncells,
                        uint64_t lane) {
  x64_lea(fn->a, X64_RDI, cell_at(fn, h0));
  x64_lea(fn->a, X64_RSI, cell_at(fn, h0));
  x64_lea(fn->a, X64_RDX, cell_at(fn, ncells > 1 ? h0 + 1 : h0));
  x64_lea(fn->a, X64_RCX, cell_at(fn, ncells > 2 ? h0 + 2 : h0));
  x64_mov_ri(fn->a, X64_R8, lane);
  jit_call_c(fn, target);
}

/* ---------------------------------------------------------------- helpers on cells */

/* The 16 lane indices into the cell above the top (the frame has one spare cell). */
static void emit_shuffle_cells(jit_fn *fn, const wl_instr *in) {
  uint32_t h = fn->sp - 2;
  store_const_cell(fn, fn->sp, in->imm.v128.halves);
  call_helper(fn, (const void *)jit_simd_shuffle, h, 3, 0);
  jit_set_height(fn, h + 1);
}

bool jit_emit_simd(jit_fn *fn, const wl_instr *in) {
  if (jit_simd_inline(in->op)) return jit_simd_emit_inline(fn, in);
  if (in->op == WL_OP_I8X16_SHUFFLE) {
    emit_shuffle_cells(fn, in);
    return true;
  }
  uint32_t nargs;
  jit_simd_fn h = jit_simd_helper(in->op, &nargs);
  if (!h) return false;
  uint32_t h0 = fn->sp - nargs;
  call_helper(fn, (const void *)h, h0, nargs, in->lane);
  jit_set_height(fn, h0 + 1);
  return true;
}

/* ---------------------------------------------------------------- v128 variables */

bool jit_wide_op(jit_fn *fn, const wl_instr *in) {
  const wl_func_facts *f = &fn->def->facts;
  while (fn->next_wide < f->nwide_ops && f->wide_ops[fn->next_wide] < in->offset) fn->next_wide++;
  return fn->next_wide < f->nwide_ops && f->wide_ops[fn->next_wide] == in->offset;
}

/* A v128 local lives in its cell: local.get loads it into a cache register. */
void jit_v128_local_get(jit_fn *fn, uint32_t i) {
  x64_xmm x = jit_alloc_xmm(fn, 0);
  x64_movups_load(fn->a, x, jit_local(fn, i));
  jit_push_v128(fn, x);
}

/* The top's register, or xmm0 loaded from its cell. */
static x64_xmm top_reg(jit_fn *fn) {
  jit_val *v = jit_at(fn, 0);
  if (v->kind == JV_XMM) return v->reg;
  x64_movups_load(fn->a, 0, cell_at(fn, fn->sp - 1));
  return 0;
}

void jit_v128_local_set(jit_fn *fn, uint32_t i, bool tee) {
  x64_movups_store(fn->a, jit_local(fn, i), top_reg(fn));
  if (!tee) jit_pop(fn, 1);
}

/* rax = the wl_global * of global `index`; its value is v128[0..2). */
static x64_mem global_value(jit_fn *fn, uint32_t index) {
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(JIT_INST, offsetof(wl_instance, globals)));
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(X64_RAX, (int32_t)(8 * index)));
  return x64_m(X64_RAX, offsetof(wl_global, v128));
}

void jit_v128_global_get(jit_fn *fn, uint32_t index) {
  x64_xmm x = jit_alloc_xmm(fn, 0);
  x64_movups_load(fn->a, x, global_value(fn, index));
  jit_push_v128(fn, x);
}

void jit_v128_global_set(jit_fn *fn, uint32_t index) {
  x64_xmm x = top_reg(fn);
  x64_movups_store(fn->a, global_value(fn, index), x);
  jit_pop(fn, 1);
}

/* [first, second, cond]: when cond is 0 the second replaces the first. */
void jit_v128_select(jit_fn *fn) {
  jit_flush(fn);
  uint32_t h = fn->sp - 3;
  x64_load(fn->a, 4, false, false, X64_RAX, cell_at(fn, h + 2));
  x64_test_rr(fn->a, false, X64_RAX, X64_RAX);
  size_t keep = x64_jcc32(fn->a, X64_NE);
  copy_cell(fn, cell_at(fn, h), cell_at(fn, h + 1));
  x64_patch(fn->a, keep, fn->a->len);
  jit_set_height(fn, h + 1);
}
