/* The calling thread's native (C) stack, for every place that must stop before it overflows:
 * wl_call's check (C recursion across instances, host functions calling back into wasm) and
 * the native backends' stack limit and fault classification. */
#define _GNU_SOURCE
#include <pthread.h>

#include "engine/runtime/runtime.h"

static __thread uintptr_t tls_lo, tls_hi;

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
    tls_hi = here;
    tls_lo = here - (8u << 20);
    return;
  }
  tls_lo = (uintptr_t)addr;
  tls_hi = (uintptr_t)addr + size;
  if (size > (1ull << 30)) tls_lo = here - (8u << 20);  /* "unlimited" rlimit */
}

void wl_native_stack_bounds(uintptr_t *lo, uintptr_t *hi) {
  if (!tls_hi) find_thread_stack();
  *lo = tls_lo;
  *hi = tls_hi;
}

uintptr_t wl_native_stack_floor(void) {
  uintptr_t lo, hi;
  wl_native_stack_bounds(&lo, &hi);
  return lo + WL_NATIVE_STACK_RESERVE;
}
