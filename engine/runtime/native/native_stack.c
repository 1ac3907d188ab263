/* Native stack bounds and the signal stack of each thread that runs native code. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "engine/runtime/native/native.h"

#define WL_NATIVE_ALTSTACK_SIZE (64u << 10)

static __thread uintptr_t tls_stack_lo, tls_stack_hi;
static __thread bool tls_altstack;

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
  stack_t ss = {.ss_sp = malloc(WL_NATIVE_ALTSTACK_SIZE), .ss_size = WL_NATIVE_ALTSTACK_SIZE,
                .ss_flags = 0};
  if (ss.ss_sp) sigaltstack(&ss, NULL);
}

void wl_native_thread_init(void) {
  if (!tls_stack_hi) find_thread_stack();
  ensure_altstack();
}

void wl_native_thread_stack(uintptr_t *lo, uintptr_t *hi) {
  *lo = tls_stack_lo;
  *hi = tls_stack_hi;
}
