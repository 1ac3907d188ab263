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

#define JIT_CACHE_SCRATCH X64_R11

bool jit_top_const(const jit_fn *fn, uint64_t *bits) {
  if (fn->ncached == 0 || !fn->cached[fn->ncached - 1].is_const) return false;
  *bits = fn->cached[fn->ncached - 1].bits;
  return true;
}

/* Writes cached[i] (at height sp - ncached + i) to its slot. */
static void store_cached(jit_fn *fn, uint32_t i) {
  const jit_cached *c = &fn->cached[i];
  x64_mem m = x64_m(JIT_FP, jit_slot(fn, fn->sp - fn->ncached + i));
  if (!c->is_const) {
    x64_store(fn->a, 8, m, c->reg);
  } else if ((int64_t)c->bits == (int32_t)c->bits) {
    x64_store_imm(fn->a, true, m, (int32_t)c->bits);
  } else {
    x64_mov_ri(fn->a, JIT_CACHE_SCRATCH, c->bits);
    x64_store(fn->a, 8, m, JIT_CACHE_SCRATCH);
  }
}

void jit_flush(jit_fn *fn) {
  for (uint32_t i = 0; i < fn->ncached; i++) store_cached(fn, i);
  fn->ncached = 0;
}

void jit_pop(jit_fn *fn, uint32_t n) {
  fn->sp -= n;
  fn->ncached = n >= fn->ncached ? 0 : fn->ncached - n;
}

/* Room for one more cached operand: the deepest goes to its slot when the cache is full. */
static void make_room(jit_fn *fn) {
  if (fn->ncached < JIT_CACHE_MAX) return;
  store_cached(fn, 0);
  for (uint32_t i = 1; i < fn->ncached; i++) fn->cached[i - 1] = fn->cached[i];
  fn->ncached--;
}

static x64_reg free_reg(const jit_fn *fn) {
  bool rbx_used = false;
  for (uint32_t i = 0; i < fn->ncached; i++)
    if (!fn->cached[i].is_const && fn->cached[i].reg == X64_RBX) rbx_used = true;
  return rbx_used ? X64_RBP : X64_RBX;
}

static const jit_cached *cached_at(const jit_fn *fn, uint32_t depth) {
  return depth < fn->ncached ? &fn->cached[fn->ncached - 1 - depth] : NULL;
}

bool jit_tos_aware(uint16_t op) {
  if (op >= WL_OP_I32_LOAD && op <= WL_OP_I64_STORE32) return true;
  if (op >= WL_OP_I32_CONST && op <= WL_OP_F64_REINTERPRET_I64) return true;
  if (op >= WL_OP_I32_EXTEND8_S && op <= WL_OP_I64_EXTEND32_S) return true;
  if (op >= WL_OP_I32_TRUNC_SAT_F32_S && op <= WL_OP_I64_TRUNC_SAT_F64_U) return true;
  switch (op) {
    case WL_OP_DROP: case WL_OP_SELECT: case WL_OP_SELECT_T: case WL_OP_LOCAL_GET:
    case WL_OP_LOCAL_SET: case WL_OP_LOCAL_TEE: case WL_OP_GLOBAL_GET: case WL_OP_GLOBAL_SET:
    case WL_OP_IF: case WL_OP_BR_IF:  /* they flush themselves after popping the condition */
      return true;
    default: return false;
  }
}

void jit_load_top(jit_fn *fn, bool w64, x64_reg r, uint32_t depth) {
  const jit_cached *c = cached_at(fn, depth);
  if (c && !c->is_const)
    x64_mov_rr(fn->a, w64, r, c->reg);
  else if (c)
    x64_mov_ri(fn->a, r, w64 ? c->bits : (uint32_t)c->bits);
  else
    x64_load(fn->a, w64 ? 8 : 4, false, w64, r, jit_top(fn, depth));
}

void jit_alu_top(jit_fn *fn, x64_alu op, bool w64, x64_reg dst) {
  const jit_cached *c = cached_at(fn, 0);
  int64_t k = c ? (int64_t)c->bits : 0;
  if (c && !c->is_const) {
    x64_alu_rr(fn->a, op, w64, dst, c->reg);
  } else if (c && (!w64 || k == (int32_t)k)) {
    x64_alu_ri(fn->a, op, w64, dst, (int32_t)k);  /* a 32-bit op reads the low half only */
  } else if (c) {
    x64_mov_ri(fn->a, JIT_CACHE_SCRATCH, (uint64_t)k);
    x64_alu_rr(fn->a, op, w64, dst, JIT_CACHE_SCRATCH);
  } else {
    x64_alu_rm(fn->a, op, w64, dst, jit_top(fn, 0));
  }
}

void jit_replace(jit_fn *fn, uint32_t pop, x64_reg r) {
  jit_pop(fn, pop);
  jit_push_reg(fn, r);
}

static void push_cached(jit_fn *fn, jit_cached c) {
  fn->cached[fn->ncached++] = c;
  fn->sp++;
}

void jit_push_reg(jit_fn *fn, x64_reg r) {
  make_room(fn);
  x64_reg f = free_reg(fn);
  x64_mov_rr(fn->a, true, f, r);
  push_cached(fn, (jit_cached){false, f, 0});
}

void jit_push_mem(jit_fn *fn, x64_mem m) {
  make_room(fn);
  x64_reg f = free_reg(fn);
  x64_load(fn->a, 8, false, true, f, m);
  push_cached(fn, (jit_cached){false, f, 0});
}

void jit_push_const(jit_fn *fn, uint64_t bits) {
  make_room(fn);
  push_cached(fn, (jit_cached){true, X64_RAX, bits});
}

void jit_call_c(jit_fn *fn, const void *target) {
  x64_mov_ri(fn->a, X64_RAX, (uint64_t)(uintptr_t)target);
  x64_call_r(fn->a, X64_RAX);
}

void jit_to_stub(jit_fn *fn, int cond, unsigned stub) {
  size_t pos = cond == JIT_ALWAYS ? x64_jmp32(fn->a) : x64_jcc32(fn->a, (x64_cond)cond);
  jit_list_push(&fn->stubs[stub], pos);
  jit_list_push(&fn->stubs[stub], fn->cur_offset);  /* the site's offset for the backtrace */
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
