/* The native runtime every backend that runs machine code shares (aot, jit): the invoke
 * boundary that traps unwind to, native stack bounds, and the SIGSEGV/SIGBUS handler with its
 * registries of code ranges and memory reservations. One copy, so there is one handler.
 *
 * Generated code sees two things of it: the wl_native_unwind that ex->unwind points to while
 * it runs (its stack_limit at offset 0), and the noreturn trap helpers. */
#ifndef WL_NATIVE_H
#define WL_NATIVE_H

#include <setjmp.h>
#include <stdint.h>

#include "engine/runtime/runtime.h"

/* Address space a 32-bit memory must reserve so that every base + u32 index + u32 offset
 * (plus an access width) lands inside it: then native code needs no bounds checks. Memories
 * with a smaller reservation (address space ran out) cannot run native code. */
#define WL_NATIVE_RESERVATION (8ull << 30)

/* What ex->unwind points to while native code runs. Generated prologues load `stack_limit`
 * (offset 0): a frame below it traps as "call stack exhausted". */
typedef struct wl_native_unwind {
  uintptr_t stack_limit;    /* must stay first: generated code reads it at offset 0 */
  sigjmp_buf jb;
  volatile int signal_trap; /* wl_trap_kind set by the signal handler before it jumps */
  struct wl_native_unwind *prev;
  wl_exec *ex;              /* whose trap it is (the signal handler records frames in it) */
} wl_native_unwind;

/* Records the wasm frames of a trap in ex (trace.h), from the trapping pc and the stack
 * pointer there, up to the innermost boundary: each backend knows its own frame layout. */
typedef void (*wl_native_tracer)(const void *data, wl_exec *ex, uintptr_t pc, uintptr_t sp);

/* The native code of `f` entered through the uniform entry: called inside the boundary. */
typedef void (*wl_native_body)(wl_exec *ex, wl_func *f, wl_slot *io);

/* The invoke boundary: runs body(ex, f, io) with ex->unwind set, so a trap (explicit helper
 * or signal) jumps back here; then restores the call depth and returns false. Jumps never
 * cross a non-native frame: a host function or another instance is always entered through
 * its own boundary. */
bool wl_native_boundary(wl_exec *ex, wl_func *f, wl_slot *io, wl_native_body body);

/* Noreturn helpers generated code calls: record `kind` and unwind; unwind after a helper
 * (wl_call, ...) already recorded why execution stopped. */
_Noreturn void wl_native_trap(wl_exec *ex, uint32_t kind);
_Noreturn void wl_native_raise(wl_exec *ex);

/* The innermost boundary of this thread (NULL outside native code). */
wl_native_unwind *wl_native_current_unwind(void);
/* Prepares the thread for native code: a signal stack (the stack bounds and
 * WL_NATIVE_STACK_RESERVE are the runtime's: engine/runtime/native_stack.c). */
void wl_native_thread_init(void);

/* Executable ranges whose faults become traps; registering installs the handler. */
void wl_native_register_code(uintptr_t lo, uintptr_t hi);
/* The same, with the tracer a fault in the range calls (data: the backend's module code). */
void wl_native_register_code_traced(uintptr_t lo, uintptr_t hi, wl_native_tracer tracer,
                                    const void *data);
/* For a tracer running in the signal handler: runs fn(ex) in the boundary after the jump,
 * on the thread's own stack (the signal stack is too small for reading debug info). */
void wl_native_defer(void (*fn)(wl_exec *ex));
/* The tracer and data registered for the range holding pc (false: none). */
bool wl_native_code_tracer(uintptr_t pc, wl_native_tracer *tracer, const void **data);
void wl_native_unregister_code(uintptr_t lo);
/* Memory reservations whose faults are "out of bounds memory access" (engine/runtime/memory.c
 * registers every memory with a full reservation). */
void wl_native_register_memory(wl_memory *m);
void wl_native_unregister_memory(wl_memory *m);

/* True when native code may access `m` without bounds checks. */
static inline bool wl_native_memory_guarded(const wl_memory *m) {
  return m->reserved >= WL_NATIVE_RESERVATION;
}

/* NULL when native code can run `inst`: its memory 0 (if any) has the full guard
 * reservation. Else a WL_ERR_RESOURCE error naming `backend`. */
wl_error *wl_native_check_instance(const wl_instance *inst, const char *backend);

#endif
