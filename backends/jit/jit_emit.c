/* Small emission helpers every instruction group uses: operand slots, constants, C calls,
 * trap stubs. */
#include <stdlib.h>

#include "backends/jit/jit.h"

void jit_list_push(jit_list *l, size_t v) {
  if (l->count == l->cap) {
    uint32_t cap = l->cap * 2 + 8;
    size_t *items = realloc(l->items, cap * sizeof *items);
    if (!items) abort();  /* compile-time bookkeeping only: a few bytes per jump */
    l->items = items;
    l->cap = cap;
  }
  l->items[l->count++] = v;
}

jit_tos jit_tos_state(const jit_fn *fn) {
  return fn->tos_height == fn->sp ? fn->tos : JIT_TOS_NONE;
}

/* A constant's slot store: rbx is free as scratch (the cache holds no register then). */
static void store_const(jit_fn *fn, x64_mem m, uint64_t bits) {
  if ((int64_t)bits == (int32_t)bits) {
    x64_store_imm(fn->a, true, m, (int32_t)bits);
  } else {
    x64_mov_ri(fn->a, JIT_TOS_R, bits);
    x64_store(fn->a, 8, m, JIT_TOS_R);
  }
}

void jit_flush(jit_fn *fn) {
  jit_tos t = jit_tos_state(fn);
  if (t == JIT_TOS_REG) x64_store(fn->a, 8, jit_top(fn, 0), JIT_TOS_R);
  if (t == JIT_TOS_CONST) store_const(fn, jit_top(fn, 0), fn->tos_const);
  fn->tos = JIT_TOS_NONE;
}

bool jit_tos_aware(uint16_t op) {
  if (op >= WL_OP_I32_LOAD && op <= WL_OP_I64_STORE32) return true;
  if (op >= WL_OP_I32_CONST && op <= WL_OP_F64_REINTERPRET_I64) return true;
  if (op >= WL_OP_I32_EXTEND8_S && op <= WL_OP_I64_EXTEND32_S) return true;
  if (op >= WL_OP_I32_TRUNC_SAT_F32_S && op <= WL_OP_I64_TRUNC_SAT_F64_U) return true;
  switch (op) {
    case WL_OP_DROP: case WL_OP_SELECT: case WL_OP_SELECT_T: case WL_OP_LOCAL_GET:
    case WL_OP_LOCAL_SET: case WL_OP_LOCAL_TEE: case WL_OP_GLOBAL_GET: case WL_OP_GLOBAL_SET:
      return true;
    default: return false;
  }
}

void jit_load_top(jit_fn *fn, bool w64, x64_reg r, uint32_t depth) {
  jit_tos t = depth == 0 ? jit_tos_state(fn) : JIT_TOS_NONE;
  if (t == JIT_TOS_REG)
    x64_mov_rr(fn->a, w64, r, JIT_TOS_R);
  else if (t == JIT_TOS_CONST)
    x64_mov_ri(fn->a, r, w64 ? fn->tos_const : (uint32_t)fn->tos_const);
  else
    x64_load(fn->a, w64 ? 8 : 4, false, w64, r, jit_top(fn, depth));
}

void jit_alu_top(jit_fn *fn, x64_alu op, bool w64, x64_reg dst) {
  jit_tos t = jit_tos_state(fn);
  int64_t k = (int64_t)fn->tos_const;
  if (t == JIT_TOS_REG)
    x64_alu_rr(fn->a, op, w64, dst, JIT_TOS_R);
  else if (t == JIT_TOS_CONST && (!w64 || k == (int32_t)k))
    x64_alu_ri(fn->a, op, w64, dst, (int32_t)k);  /* a 32-bit op reads the low half only */
  else if (t == JIT_TOS_CONST) {
    x64_mov_ri(fn->a, JIT_TOS_R, (uint64_t)k);
    x64_alu_rr(fn->a, op, w64, dst, JIT_TOS_R);
  } else
    x64_alu_rm(fn->a, op, w64, dst, jit_top(fn, 0));
}

void jit_replace(jit_fn *fn, uint32_t pop, x64_reg r) {
  fn->sp -= pop;
  fn->tos = JIT_TOS_NONE;  /* the cached top was one of the operands */
  jit_push_reg(fn, r);
}

static void cache(jit_fn *fn, jit_tos t) {
  fn->sp++;
  fn->tos = t;
  fn->tos_height = fn->sp;
}

void jit_push_reg(jit_fn *fn, x64_reg r) {
  jit_flush(fn);
  x64_mov_rr(fn->a, true, JIT_TOS_R, r);
  cache(fn, JIT_TOS_REG);
}

void jit_push_mem(jit_fn *fn, x64_mem m) {
  jit_flush(fn);
  x64_load(fn->a, 8, false, true, JIT_TOS_R, m);
  cache(fn, JIT_TOS_REG);
}

void jit_push_const(jit_fn *fn, uint64_t bits) {
  jit_flush(fn);
  fn->tos_const = bits;
  cache(fn, JIT_TOS_CONST);
}

void jit_call_c(jit_fn *fn, const void *target) {
  x64_mov_ri(fn->a, X64_RAX, (uint64_t)(uintptr_t)target);
  x64_call_r(fn->a, X64_RAX);
}

void jit_to_stub(jit_fn *fn, int cond, unsigned stub) {
  size_t pos = cond == JIT_ALWAYS ? x64_jmp32(fn->a) : x64_jcc32(fn->a, (x64_cond)cond);
  jit_list_push(&fn->stubs[stub], pos);
}

void jit_raise_if_false(jit_fn *fn) {
  x64_movzx8(fn->a, X64_RAX, X64_RAX);  /* a C bool is only al: the rest is undefined */
  x64_test_rr(fn->a, false, X64_RAX, X64_RAX);
  jit_to_stub(fn, X64_E, JIT_STUB_RAISE);
}

void jit_sync_sp(jit_fn *fn) {
  x64_lea(fn->a, X64_RAX, x64_m(JIT_FP, (int32_t)(8 * fn->frame_slots)));
  x64_store(fn->a, 8, x64_m(JIT_EX, offsetof(wl_exec, sp)), X64_RAX);
}

void jit_move_slots(jit_fn *fn, uint32_t to, uint32_t from, uint32_t n) {
  if (to == from) return;
  for (uint32_t i = 0; i < n; i++) {
    x64_load(fn->a, 8, false, true, X64_RAX, x64_m(JIT_FP, (int32_t)(8 * (from + i))));
    x64_store(fn->a, 8, x64_m(JIT_FP, (int32_t)(8 * (to + i))), X64_RAX);
  }
}
