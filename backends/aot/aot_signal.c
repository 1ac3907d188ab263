/* Memory and stack faults from AOT code. A SIGSEGV/SIGBUS whose PC lies in a loaded artifact's
 * code, while an AOT boundary is active on this thread, becomes a trap: "out of bounds memory
 * access" when the address is inside a registered memory reservation, "call stack exhausted"
 * when it is at the thread's stack guard. Anything else goes to the previous handler (or the
 * default action), so genuine crashes elsewhere stay crashes. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "backends/aot/aot.h"

typedef struct {
  uintptr_t lo, hi;
  wl_memory *mem;   /* NULL for code ranges */
  uint32_t refs;
} aot_range;

typedef struct {
  aot_range *items;
  uint32_t count, cap;
} aot_range_list;

/* Written under `lock`; the handler reads them without it (single-store-per-thread use). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static aot_range_list code_ranges, memories;
static struct sigaction old_segv, old_bus;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void list_add(aot_range_list *l, aot_range r) {
  if (l->count == l->cap) {
    uint32_t cap = l->cap * 2 + 16;
    aot_range *items = malloc(cap * sizeof *items);
    if (!items) return;
    if (l->count) memcpy(items, l->items, l->count * sizeof *items);
    aot_range *old = l->items;
    l->items = items;  /* the old array is kept alive for a concurrent reader: leak it */
    (void)old;
    l->cap = cap;
  }
  l->items[l->count++] = r;
}

static bool list_contains(const aot_range_list *l, uintptr_t a) {
  for (uint32_t i = 0; i < l->count; i++)
    if (a >= l->items[i].lo && a < l->items[i].hi) return true;
  return false;
}

void aot_register_code_range(uintptr_t lo, uintptr_t hi) {
  pthread_mutex_lock(&lock);
  list_add(&code_ranges, (aot_range){lo, hi, NULL, 1});
  pthread_mutex_unlock(&lock);
}

void aot_unregister_code_range(uintptr_t lo) {
  pthread_mutex_lock(&lock);
  for (uint32_t i = 0; i < code_ranges.count; i++) {
    if (code_ranges.items[i].lo != lo) continue;
    code_ranges.items[i] = code_ranges.items[--code_ranges.count];
    break;
  }
  pthread_mutex_unlock(&lock);
}

void aot_register_memory(wl_memory *m) {
  pthread_mutex_lock(&lock);
  bool found = false;
  for (uint32_t i = 0; i < memories.count && !found; i++)
    if (memories.items[i].mem == m) {
      memories.items[i].refs++;
      found = true;
    }
  if (!found) {
    uintptr_t lo = (uintptr_t)m->base;
    list_add(&memories, (aot_range){lo, lo + m->reserved, m, 1});
  }
  pthread_mutex_unlock(&lock);
}

void aot_unregister_memory(wl_memory *m) {
  pthread_mutex_lock(&lock);
  for (uint32_t i = 0; i < memories.count; i++) {
    if (memories.items[i].mem != m) continue;
    if (--memories.items[i].refs == 0) memories.items[i] = memories.items[--memories.count];
    break;
  }
  pthread_mutex_unlock(&lock);
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
  aot_unwind *u = aot_current_unwind();
  if (u && list_contains(&code_ranges, fault_pc(uctx))) {
    int kind = classify((uintptr_t)si->si_addr);
    if (kind != WL_TRAP_NONE) {
      u->signal_trap = kind;
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

void aot_signals_install(void) { pthread_once(&install_once, install); }
