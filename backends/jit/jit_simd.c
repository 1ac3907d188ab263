/* SIMD (v128) instructions. A module that uses v128 has 16-byte frame cells (jit.h), so a
 * v128 is one value like any other: heights, block arities, branches and calls need nothing
 * new. The driver flushes the register cache before each SIMD instruction (none is
 * cache-aware), so every operand is in its cell: loads and stores, constants, lanes and
 * shuffles are inline moves, and the lane arithmetic calls the shared C helpers
 * (jit_simd_helpers.c) on the cells. Memory accesses are inline, so a fault in the guard
 * region is an out-of-bounds trap at this instruction, as for scalar loads. */
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

/* ---------------------------------------------------------------- memory */

/* Bytes of memory a load reads into the low lanes. */
static unsigned load_bytes(uint16_t op) {
  switch (op) {
    case WL_OP_V128_LOAD: return 16;
    case WL_OP_V128_LOAD8_SPLAT: return 1;
    case WL_OP_V128_LOAD16_SPLAT: return 2;
    case WL_OP_V128_LOAD32_SPLAT: case WL_OP_V128_LOAD32_ZERO: return 4;
    default: return 8;  /* the extending loads, load64_splat, load64_zero */
  }
}

/* The loaded bytes zero-extended into xmm0, then its cell (the address's); a helper extends
 * or splats them. */
static void emit_load(jit_fn *fn, const wl_instr *in) {
  unsigned bytes = load_bytes(in->op);
  uint32_t h = fn->sp - 1;
  x64_mem m = jit_address(fn, 0, in->imm.memarg.offset, in->imm.memarg.memory);
  if (bytes == 16) {
    x64_movups_load(fn->a, 0, m);
  } else if (bytes >= 4) {
    x64_fload(fn->a, bytes == 8, 0, m);  /* movss / movsd from memory zero the rest */
  } else {
    x64_load(fn->a, bytes, false, false, X64_RAX, m);
    x64_movq_xr(fn->a, false, 0, X64_RAX);
  }
  x64_movups_store(fn->a, cell_at(fn, h), 0);
  jit_simd_fn post = jit_simd_load_helper(in->op);
  if (post) call_helper(fn, (const void *)post, h, 1, 0);
}

static void emit_store(jit_fn *fn, const wl_instr *in) {
  x64_movups_load(fn->a, 0, cell_at(fn, fn->sp - 1));
  x64_mem m = jit_address(fn, 1, in->imm.memarg.offset, in->imm.memarg.memory);
  x64_movups_store(fn->a, m, 0);
  jit_set_height(fn, fn->sp - 2);
}

/* [addr, vec]: the lane from memory into a copy of vec in the address's cell. rax: the index
 * register of the address may be rax, and the load reads it before writing. */
static void emit_load_lane(jit_fn *fn, const wl_instr *in, unsigned bytes) {
  uint32_t h = fn->sp - 2;
  x64_mem m = jit_address(fn, 1, in->imm.memarg.offset, in->imm.memarg.memory);
  x64_load(fn->a, bytes, false, bytes == 8, X64_RAX, m);
  copy_cell(fn, cell_at(fn, h), cell_at(fn, h + 1));
  x64_store(fn->a, bytes, cell_byte(fn, h, in->lane * bytes), X64_RAX);
  jit_set_height(fn, h + 1);
}

/* [addr, vec]: rsi (free: the cache is flushed, and no local lives in rsi). */
static void emit_store_lane(jit_fn *fn, const wl_instr *in, unsigned bytes) {
  uint32_t h = fn->sp - 2;
  x64_load(fn->a, bytes, false, bytes == 8, X64_RSI, cell_byte(fn, h + 1, in->lane * bytes));
  x64_mem m = jit_address(fn, 1, in->imm.memarg.offset, in->imm.memarg.memory);
  x64_store(fn->a, bytes, m, X64_RSI);
  jit_set_height(fn, h);
}

static bool emit_memory(jit_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_V128_LOAD: case WL_OP_V128_LOAD8X8_S: case WL_OP_V128_LOAD8X8_U:
    case WL_OP_V128_LOAD16X4_S: case WL_OP_V128_LOAD16X4_U: case WL_OP_V128_LOAD32X2_S:
    case WL_OP_V128_LOAD32X2_U: case WL_OP_V128_LOAD8_SPLAT: case WL_OP_V128_LOAD16_SPLAT:
    case WL_OP_V128_LOAD32_SPLAT: case WL_OP_V128_LOAD64_SPLAT: case WL_OP_V128_LOAD32_ZERO:
    case WL_OP_V128_LOAD64_ZERO:
      emit_load(fn, in);
      return true;
    case WL_OP_V128_STORE: emit_store(fn, in); return true;
    case WL_OP_V128_LOAD8_LANE: emit_load_lane(fn, in, 1); return true;
    case WL_OP_V128_LOAD16_LANE: emit_load_lane(fn, in, 2); return true;
    case WL_OP_V128_LOAD32_LANE: emit_load_lane(fn, in, 4); return true;
    case WL_OP_V128_LOAD64_LANE: emit_load_lane(fn, in, 8); return true;
    case WL_OP_V128_STORE8_LANE: emit_store_lane(fn, in, 1); return true;
    case WL_OP_V128_STORE16_LANE: emit_store_lane(fn, in, 2); return true;
    case WL_OP_V128_STORE32_LANE: emit_store_lane(fn, in, 4); return true;
    case WL_OP_V128_STORE64_LANE: emit_store_lane(fn, in, 8); return true;
    default: return false;
  }
}

/* ---------------------------------------------------------------- the rest */

/* The 16 lane indices into the cell above the top (the frame has one spare cell). */
static void emit_shuffle(jit_fn *fn, const wl_instr *in) {
  uint32_t h = fn->sp - 2;
  store_const_cell(fn, fn->sp, in->imm.v128.halves);
  call_helper(fn, (const void *)jit_simd_shuffle, h, 3, 0);
  jit_set_height(fn, h + 1);
}

bool jit_emit_simd(jit_fn *fn, const wl_instr *in) {
  if (emit_memory(fn, in)) return true;
  if (in->op == WL_OP_V128_CONST) {
    store_const_cell(fn, fn->sp, in->imm.v128.halves);
    jit_set_height(fn, fn->sp + 1);
    return true;
  }
  if (in->op == WL_OP_I8X16_SHUFFLE) {
    emit_shuffle(fn, in);
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

void jit_v128_local_get(jit_fn *fn, uint32_t i) {
  jit_flush(fn);
  copy_cell(fn, cell_at(fn, fn->sp), jit_local(fn, i));
  jit_set_height(fn, fn->sp + 1);
}

void jit_v128_local_set(jit_fn *fn, uint32_t i, bool tee) {
  jit_flush(fn);
  copy_cell(fn, jit_local(fn, i), cell_at(fn, fn->sp - 1));
  if (!tee) jit_set_height(fn, fn->sp - 1);
}

/* rax = the wl_global * of global `index`; its value is v128[0..2). */
static x64_mem global_value(jit_fn *fn, uint32_t index) {
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(JIT_INST, offsetof(wl_instance, globals)));
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(X64_RAX, (int32_t)(8 * index)));
  return x64_m(X64_RAX, offsetof(wl_global, v128));
}

void jit_v128_global_get(jit_fn *fn, uint32_t index) {
  jit_flush(fn);
  copy_cell(fn, cell_at(fn, fn->sp), global_value(fn, index));
  jit_set_height(fn, fn->sp + 1);
}

void jit_v128_global_set(jit_fn *fn, uint32_t index) {
  jit_flush(fn);
  copy_cell(fn, global_value(fn, index), cell_at(fn, fn->sp - 1));
  jit_set_height(fn, fn->sp - 1);
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
