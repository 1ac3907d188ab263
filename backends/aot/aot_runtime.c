/* The runtime side of generated code: the invoke boundary (entry trampoline), the trap
 * helpers it reaches through the runtime table, and the table itself.
 *
 * Every call into AOT code through wl_func.entry is a boundary: it records a sigjmp_buf in
 * ex->unwind; traps (explicit checks, helpers that failed, memory faults) jump back to the
 * innermost boundary, which restores the call depth and returns false. Jumps never cross a
 * non-AOT frame: a host function or another instance is always entered through its own
 * boundary. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "backends/aot/aot.h"
#include "proposals/bulk_memory/bulk_memory.h"
#include "proposals/multi_memory/multi_memory.h"
#include "proposals/reference_types/reference_types.h"

/* Native stack kept free below the limit for host functions and runtime helpers that AOT
 * code calls near the limit. */
#define AOT_STACK_RESERVE (256u << 10)
#define AOT_ALTSTACK_SIZE (64u << 10)

static __thread aot_unwind *tls_unwind;
static __thread uintptr_t tls_stack_lo, tls_stack_hi;
static __thread bool tls_altstack;

aot_unwind *aot_current_unwind(void) { return tls_unwind; }

void aot_thread_stack(uintptr_t *lo, uintptr_t *hi) {
  *lo = tls_stack_lo;
  *hi = tls_stack_hi;
}

static void find_thread_stack(void) {
  pthread_attr_t a;
  void *addr = NULL;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &a) == 0) {
    pthread_attr_getstack(&a, &addr, &size);
    pthread_attr_destroy(&a);
  }
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  if (!addr || size == 0) {  /* unknown: assume the common 8 MiB below this frame */
    tls_stack_hi = here;
    tls_stack_lo = here - (8u << 20);
    return;
  }
  tls_stack_lo = (uintptr_t)addr;
  tls_stack_hi = (uintptr_t)addr + size;
  if (size > (1ull << 30)) tls_stack_lo = here - (8u << 20);  /* "unlimited" rlimit */
}

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
  if (!tls_stack_hi) find_thread_stack();
  ensure_altstack();
  aot_unwind u;
  u.prev = ex->unwind;
  u.signal_trap = 0;
  u.stack_limit = tls_stack_lo + AOT_STACK_RESERVE;
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
  rt[AOT_RT_MEMORY_GROW_ANY] = (void *)wl_memory_grow_any;
}
