/* The runtime side of generated code: the invoke boundary (entry trampoline), the trap
 * helpers it reaches through the runtime table, and the table itself.
 *
 * Every call into AOT code through wl_func.entry is a boundary: it records a sigjmp_buf in
 * ex->unwind; traps (explicit checks, helpers that failed, memory faults) jump back to the
 * innermost boundary, which restores the call depth and returns false. Jumps never cross a
 * non-AOT frame: a host function or another instance is always entered through its own
 * boundary. */
#include <signal.h>
#include <stdlib.h>

#include "backends/aot/aot.h"
#include "proposals/bulk_memory/bulk_memory.h"
#include "proposals/reference_types/reference_types.h"

#define AOT_ALTSTACK_SIZE (64u << 10)

static __thread aot_unwind *tls_unwind;
static __thread bool tls_altstack;

aot_unwind *aot_current_unwind(void) { return tls_unwind; }

/* A signal stack, so a fault from an exhausted native stack can still be handled. */
static void ensure_altstack(void) {
  if (tls_altstack) return;
  tls_altstack = true;
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE)) return;
  stack_t ss = {.ss_sp = malloc(AOT_ALTSTACK_SIZE), .ss_size = AOT_ALTSTACK_SIZE, .ss_flags = 0};
  if (ss.ss_sp) sigaltstack(&ss, NULL);
}

bool aot_entry_trampoline(wl_exec *ex, wl_func *f, wl_slot *io) {
  const aot_func_ptrs *fp = f->code;
  ensure_altstack();
  aot_unwind u;
  u.prev = ex->unwind;
  u.signal_trap = 0;
  u.stack_limit = wl_native_stack_floor();
  aot_unwind *outer = tls_unwind;
  uint32_t depth = ex->depth;
  if (sigsetjmp(u.jb, 0)) {
    ex->unwind = u.prev;
    tls_unwind = outer;
    ex->depth = depth;
    if (u.signal_trap) wl_trap(ex, (wl_trap_kind)u.signal_trap);
    return false;
  }
  ex->unwind = &u;
  tls_unwind = &u;
  fp->entry(ex, f->instance, io);
  ex->unwind = u.prev;
  tls_unwind = outer;
  return true;
}

static _Noreturn void rt_raise(wl_exec *ex) {
  siglongjmp(((aot_unwind *)ex->unwind)->jb, 1);
}

static _Noreturn void rt_trap(wl_exec *ex, uint32_t kind) {
  wl_trap(ex, (wl_trap_kind)kind);
  rt_raise(ex);
}

void aot_fill_rt_table(void **rt) {
  rt[AOT_RT_TRAP] = (void *)rt_trap;
  rt[AOT_RT_RAISE] = (void *)rt_raise;
  rt[AOT_RT_CALL] = (void *)wl_call;
  rt[AOT_RT_INDIRECT_TARGET] = (void *)wl_indirect_target;
  rt[AOT_RT_MEMORY_GROW] = (void *)wl_memory_grow_pages;
  rt[AOT_RT_ENTRY] = (void *)aot_entry_trampoline;
  rt[AOT_RT_MEMORY_COPY] = (void *)wl_bulk_memory_copy;
  rt[AOT_RT_MEMORY_FILL] = (void *)wl_bulk_memory_fill;
  rt[AOT_RT_MEMORY_INIT] = (void *)wl_bulk_memory_init;
  rt[AOT_RT_DATA_DROP] = (void *)wl_bulk_data_drop;
  rt[AOT_RT_TABLE_INIT] = (void *)wl_bulk_table_init;
  rt[AOT_RT_ELEM_DROP] = (void *)wl_bulk_elem_drop;
  rt[AOT_RT_TABLE_COPY] = (void *)wl_bulk_table_copy;
  rt[AOT_RT_TABLE_GET] = (void *)wl_ref_table_get;
  rt[AOT_RT_TABLE_SET] = (void *)wl_ref_table_set;
  rt[AOT_RT_TABLE_GROW] = (void *)wl_ref_table_grow;
  rt[AOT_RT_TABLE_FILL] = (void *)wl_ref_table_fill;
}
