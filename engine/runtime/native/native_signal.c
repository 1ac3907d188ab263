/* Memory and stack faults from native code (aot, jit). A SIGSEGV/SIGBUS whose PC lies in a
 * registered code range, while a native boundary is active on this thread, becomes a trap: "out of bounds memory
 * access" when the address is inside a registered memory reservation, "call stack exhausted"
 * when it is at the thread's stack guard. Anything else goes to the previous handler (or the
 * default action), so genuine crashes elsewhere stay crashes. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "engine/runtime/native/native.h"

typedef struct {
  uintptr_t lo, hi;
  wl_memory *mem;   /* NULL for code ranges */
  wl_native_tracer tracer;  /* code ranges: records a trap's frames (may be NULL) */
  const void *data;
} native_range;

typedef struct {
  native_range *items;
  uint32_t count, cap;
} native_range_list;

/* Written under `lock`; the handler reads them without it (single-store-per-thread use). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static native_range_list code_ranges, memories;
static struct sigaction old_segv, old_bus;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

/* Arrays replaced by larger ones stay alive (and reachable) for a concurrent reader: capacity
 * doubles, so a few dozen slots hold every array a process can outgrow. */
#define RETIRED_MAX 64
static native_range *retired[RETIRED_MAX];
static unsigned nretired;

static void list_add(native_range_list *l, native_range r) {
  if (l->count == l->cap) {
    if (nretired == RETIRED_MAX) return;
    uint32_t cap = l->cap * 2 + 16;
    native_range *items = malloc(cap * sizeof *items);
    if (!items) return;
    if (l->count) memcpy(items, l->items, l->count * sizeof *items);
    if (l->items) retired[nretired++] = l->items;
    l->items = items;
    l->cap = cap;
  }
  l->items[l->count++] = r;
}

static const native_range *list_find(const native_range_list *l, uintptr_t a) {
  for (uint32_t i = 0; i < l->count; i++)
    if (a >= l->items[i].lo && a < l->items[i].hi) return &l->items[i];
  return NULL;
}

static bool list_contains(const native_range_list *l, uintptr_t a) { return list_find(l, a); }

static void install(void);

void wl_native_register_code_traced(uintptr_t lo, uintptr_t hi, wl_native_tracer tracer,
                                    const void *data) {
  pthread_once(&install_once, install);
  pthread_mutex_lock(&lock);
  list_add(&code_ranges, (native_range){lo, hi, NULL, tracer, data});
  pthread_mutex_unlock(&lock);
}

void wl_native_register_code(uintptr_t lo, uintptr_t hi) {
  wl_native_register_code_traced(lo, hi, NULL, NULL);
}

bool wl_native_code_tracer(uintptr_t pc, wl_native_tracer *tracer, const void **data) {
  const native_range *r = list_find(&code_ranges, pc);
  if (!r || !r->tracer) return false;
  *tracer = r->tracer;
  *data = r->data;
  return true;
}

void wl_native_unregister_code(uintptr_t lo) {
  pthread_mutex_lock(&lock);
  for (uint32_t i = 0; i < code_ranges.count; i++) {
    if (code_ranges.items[i].lo != lo) continue;
    code_ranges.items[i] = code_ranges.items[--code_ranges.count];
    break;
  }
  pthread_mutex_unlock(&lock);
}

void wl_native_register_memory(wl_memory *m) {
  uintptr_t lo = (uintptr_t)m->base;
  pthread_mutex_lock(&lock);
  list_add(&memories, (native_range){lo, lo + m->reserved, m, NULL, NULL});
  pthread_mutex_unlock(&lock);
}

void wl_native_unregister_memory(wl_memory *m) {
  pthread_mutex_lock(&lock);
  for (uint32_t i = 0; i < memories.count; i++) {
    if (memories.items[i].mem != m) continue;
    memories.items[i] = memories.items[--memories.count];
    break;
  }
  pthread_mutex_unlock(&lock);
}

wl_error *wl_native_check_instance(const wl_instance *inst, const char *backend) {
  for (uint32_t i = 0; i < inst->module->desc->nmemories; i++)  /* imported ones too */
    if (!wl_native_memory_guarded(inst->memories[i]))
      return wl_err(WL_ERR_RESOURCE,
                    "%s: memory %u has no guard reservation (address space exhausted)", backend, i);
  return NULL;
}

static uintptr_t fault_pc(void *uctx) {
  ucontext_t *uc = uctx;
#if defined(__x86_64__)
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  return (uintptr_t)uc->uc_mcontext.pc;
#else
  (void)uc;
  return 0;
#endif
}

static uintptr_t fault_sp(void *uctx) {
  ucontext_t *uc = uctx;
#if defined(__x86_64__)
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
  return (uintptr_t)uc->uc_mcontext.sp;
#else
  (void)uc;
  return 0;
#endif
}

static int classify(uintptr_t addr) {
  if (list_contains(&memories, addr)) return WL_TRAP_MEMORY_OOB;
  uintptr_t lo, hi;
  wl_native_stack_bounds(&lo, &hi);
  if (addr + (1u << 20) >= lo && addr < hi) return WL_TRAP_STACK_EXHAUSTED;
  return WL_TRAP_NONE;
}

static void forward(int sig, siginfo_t *si, void *uctx) {
  struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;
  if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
    old->sa_sigaction(sig, si, uctx);
  } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
    old->sa_handler(sig);
  } else {
    signal(sig, SIG_DFL);  /* returning re-executes the fault under the default action */
  }
}

static void handler(int sig, siginfo_t *si, void *uctx) {
  wl_native_unwind *u = wl_native_current_unwind();
  const native_range *code = u ? list_find(&code_ranges, fault_pc(uctx)) : NULL;
  if (code) {
    int kind = classify((uintptr_t)si->si_addr);
    if (kind != WL_TRAP_NONE) {
      u->signal_trap = kind;
      /* The fault is in generated code, which holds no libc lock: recording the trap and its
       * frames (malloc) here, on the signal stack, is safe. */
      if (code->tracer) {
        wl_trap(u->ex, (wl_trap_kind)kind);
        code->tracer(code->data, u->ex, fault_pc(uctx), fault_sp(uctx));
      }
      siglongjmp(u->jb, 2);
    }
  }
  forward(sig, si, uctx);
}

static void install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  /* NODEFER: the boundary's sigsetjmp does not save the mask, so the jump out of the
   * handler must not leave SIGSEGV blocked. */
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &old_segv);
  sigaction(SIGBUS, &sa, &old_bus);
}
