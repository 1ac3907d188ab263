/* Execution context: traps, the call path every backend goes through, and the invoke boundary
 * (metering and error hand-off) shared by wl_func_call and start functions. */
#include <string.h>
#include <sys/mman.h>

#include "engine/runtime/internal.h"
#include "engine/runtime/trace.h"

/* 64 MiB of operand stack, committed by the kernel only as it is touched. */
#define WL_EXEC_STACK_BYTES (64u << 20)

bool wl_exec_init(wl_exec *ex, wl_store *s, uint32_t max_depth) {
  memset(ex, 0, sizeof *ex);
  ex->store = s;
  ex->max_depth = max_depth;
  void *p = mmap(NULL, WL_EXEC_STACK_BYTES, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return false;
  ex->stack = ex->sp = p;
  ex->stack_end = ex->stack + WL_EXEC_STACK_BYTES / sizeof(wl_slot);
  return true;
}

void wl_exec_free(wl_exec *ex) {
  if (ex->stack) munmap(ex->stack, WL_EXEC_STACK_BYTES);
  wl_error_delete(ex->error);
  wl_trace_free(ex);
  ex->stack = ex->sp = ex->stack_end = NULL;
  ex->error = NULL;
}

bool wl_trap(wl_exec *ex, wl_trap_kind k) {
  if (!ex->error) ex->error = wl_trap_new(k, "%s", wl_trap_kind_message(k));
  return false;
}

bool wl_trap_error(wl_exec *ex, wl_error *e) {
  if (!e) return wl_trap(ex, WL_TRAP_HOST);
  if (ex->error) {  /* the first reason to stop wins */
    wl_error_delete(e);
    return false;
  }
  if (e->kind == WL_ERR_TRAP || e->kind == WL_ERR_EXIT) {
    ex->error = e;
    return false;
  }
  ex->error = wl_trap_new(WL_TRAP_HOST, "%s", wl_error_message(e));
  wl_error_delete(e);
  return false;
}

/* Every C recursion through wasm (another instance, another backend, a host function calling
 * back) passes here, so checking the native stack here bounds it (issue 9, bug 5). */
static bool native_stack_low(const wl_exec *ex) {
  return (uintptr_t)__builtin_frame_address(0) < ex->native_floor;
}

bool wl_call(wl_exec *ex, wl_func *f, wl_slot *io) {
  if (ex->depth >= ex->max_depth || native_stack_low(ex))
    return wl_trap(ex, WL_TRAP_STACK_EXHAUSTED);
  wl_store *s = ex->store;
  wl_instance *outer = s->current;
  /* Host functions keep the caller's instance current: that is what wl_caller reports. */
  if (f->instance) s->current = f->instance;
  ex->depth++;
  bool ok = f->entry(ex, f, io);
  ex->depth--;
  s->current = outer;
  return ok;
}

wl_func *wl_indirect_target(wl_exec *ex, wl_table *t, uint32_t i, uint32_t type_id) {
  if (i >= t->size) {
    wl_trap(ex, WL_TRAP_UNDEFINED_ELEMENT);
    return NULL;
  }
  wl_func *f = (wl_func *)(uintptr_t)t->elems[i];
  if (!f) {
    wl_trap(ex, WL_TRAP_UNINITIALIZED_ELEMENT);
    return NULL;
  }
  if (f->type_id != type_id) {
    wl_trap(ex, WL_TRAP_INDIRECT_MISMATCH);
    return NULL;
  }
  return f;
}

/* Takes the reason execution stopped out of ex (there always is one after a false return,
 * but a backend bug must not turn into a NULL "success"). */
static wl_error *take_error(wl_exec *ex) {
  wl_error *e = ex->error;
  ex->error = NULL;
  if (!e) e = wl_trap_new(WL_TRAP_HOST, "execution stopped without a reason");
  wl_trace_attach(ex, e);  /* the frames recorded while it unwound */
  return e;
}

/* The outermost invocation sets up metering; nested ones (a host function calling back into
 * wasm) continue on the same fuel, stacks and depth. */
wl_error *wl_invoke(wl_store *s, wl_instance *caller, wl_func *f, wl_slot *io) {
  wl_exec *ex = &s->exec;
  const wl_config *cfg = &s->engine->config;
  bool outermost = ex->depth == 0;
  if (outermost) {
    wl_error_delete(ex->error);
    ex->error = NULL;
    wl_trace_clear(ex);
    ex->metered = cfg->fuel_limit != 0;
    ex->fuel_left = cfg->fuel_limit;
    ex->costs = &cfg->costs;
    ex->native_floor = wl_native_stack_floor();
  }
  wl_instance *saved_current = s->current;
  wl_slot *saved_sp = ex->sp;
  uint32_t saved_depth = ex->depth;
  s->current = caller;
  bool ok = wl_call(ex, f, io);
  s->current = saved_current;
  ex->sp = saved_sp;        /* a trap may leave the stack anywhere */
  ex->depth = saved_depth;
  if (outermost) s->fuel_used = ex->metered ? cfg->fuel_limit - ex->fuel_left : 0;
  return ok ? NULL : take_error(ex);
}
