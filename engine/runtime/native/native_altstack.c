/* The signal stack of each thread that runs native code (its stack bounds are the runtime's:
 * engine/runtime/native_stack.c). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>

#include "engine/runtime/native/native.h"

#define WL_NATIVE_ALTSTACK_SIZE (64u << 10)

static __thread bool tls_altstack;

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

void wl_native_thread_init(void) { ensure_altstack(); }
