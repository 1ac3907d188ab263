/* The invoke boundary of native code and the trap helpers that jump back to it.
 *
 * Every call into native code through wl_func.entry is a boundary: it records a sigjmp_buf in
 * ex->unwind; traps (explicit checks, helpers that failed, memory faults) jump back to the
 * innermost boundary, which restores the call depth and returns false. */
#include <signal.h>

#include "engine/runtime/native/native.h"

static __thread wl_native_unwind *tls_unwind;
static __thread void (*tls_deferred)(wl_exec *ex);

void wl_native_defer(void (*fn)(wl_exec *ex)) { tls_deferred = fn; }

wl_native_unwind *wl_native_current_unwind(void) { return tls_unwind; }

bool wl_native_boundary(wl_exec *ex, wl_func *f, wl_slot *io, wl_native_body body) {
  wl_native_thread_init();
  wl_native_unwind u;
  u.prev = ex->unwind;
  u.signal_trap = 0;
  u.ex = ex;
  u.stack_limit = wl_native_stack_floor();
  wl_native_unwind *outer = tls_unwind;
  uint32_t depth = ex->depth;
  if (sigsetjmp(u.jb, 0)) {
    ex->unwind = u.prev;
    tls_unwind = outer;
    ex->depth = depth;
    if (u.signal_trap) wl_trap(ex, (wl_trap_kind)u.signal_trap);
    if (tls_deferred) {  /* a tracer's work left from the signal handler */
      void (*fn)(wl_exec *) = tls_deferred;
      tls_deferred = NULL;
      fn(ex);
    }
    return false;
  }
  ex->unwind = &u;
  tls_unwind = &u;
  body(ex, f, io);
  ex->unwind = u.prev;
  tls_unwind = outer;
  return true;
}

_Noreturn void wl_native_raise(wl_exec *ex) {
  siglongjmp(((wl_native_unwind *)ex->unwind)->jb, 1);
}

_Noreturn void wl_native_trap(wl_exec *ex, uint32_t kind) {
  wl_trap(ex, (wl_trap_kind)kind);
  wl_native_raise(ex);
}
