/* Small emission helpers every instruction group uses: lists, C calls, trap stubs, slot moves. */
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

void jit_call_c_raw(jit_fn *fn, const void *target) {
  x64_mov_ri(fn->a, X64_RAX, (uint64_t)(uintptr_t)target);
  x64_call_r(fn->a, X64_RAX);
}

void jit_call_c(jit_fn *fn, const void *target) { jit_call_c_raw(fn, target); }

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
  x64_lea(fn->a, X64_RAX, x64_m(JIT_FP, jit_cell_off(fn, fn->frame_slots)));
  x64_store(fn->a, 8, x64_m(JIT_EX, offsetof(wl_exec, sp)), X64_RAX);
}

void jit_move_slots(jit_fn *fn, uint32_t to, uint32_t from, uint32_t n) {
  if (to == from) return;
  for (uint32_t i = 0; i < n; i++) {
    x64_mem src = x64_m(JIT_FP, jit_cell_off(fn, from + i));
    x64_mem dst = x64_m(JIT_FP, jit_cell_off(fn, to + i));
    if (fn->cell == JIT_V128_CELL) {  /* the whole cell: it may hold a v128 */
      x64_movups_load(fn->a, 0, src);
      x64_movups_store(fn->a, dst, 0);
    } else {
      x64_load(fn->a, 8, false, true, X64_RAX, src);
      x64_store(fn->a, 8, dst, X64_RAX);
    }
  }
}
