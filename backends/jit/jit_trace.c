/* Trap backtraces of JIT code. The frame layout makes the walk exact without frame pointers:
 * a body runs with a fixed rsp (the prologue's `sub rsp, 8`; pushes only surround C helper
 * calls, which never trap inside), so in any frame the return address into its caller is at
 * rsp + 8 and the caller's rsp is rsp + 16. Direct and native indirect calls stay in this
 * module's code; a return address outside the bodies is the enter thunk: the boundary.
 *
 * Positions come from a table of instruction starts recorded while compiling (a fault pc or
 * a return address - 1 falls in its instruction), and each trap stub site passes its own
 * instruction's offset (one `mov edx, off` per site before the shared stub), so nothing on the
 * non-trapping path changes. */
#include <stdlib.h>

#include "backends/jit/jit.h"
#include "engine/runtime/trace.h"

void jit_trace_note(jit_fn *fn, uint32_t off) {
  fn->cur_offset = off;
  jit_list *l = &fn->c->pcs;
  if (l->count >= 2 && l->items[l->count - 2] == fn->a->len) {
    l->items[l->count - 1] = off;  /* the previous instruction emitted nothing */
    return;
  }
  jit_list_push(l, fn->a->len);
  jit_list_push(l, off);
}

/* Defined function whose code holds position pos, or -1 outside the bodies. */
static int64_t func_at(const jit_code *code, uintptr_t pos) {
  if (!code->body_pos || code->ndefined == 0 || pos < code->body_pos[0] || pos >= code->code_len) return -1;
  uint32_t lo = 0, hi = code->ndefined;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (code->body_pos[mid] <= pos) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* Module offset of the instruction holding position pos. */
static uint32_t offset_at(const jit_code *code, uintptr_t pos) {
  uint32_t lo = 0, hi = code->npcs;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (code->pcs[mid].pos <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo ? code->pcs[lo - 1].off : WL_TRACE_NO_OFFSET;
}

/* `off` is the innermost frame's (WL_TRACE_NO_OFFSET: it trapped in its prologue, before its
 * frame counted, like the interpreter's check at the call). */
static void walk(const jit_code *code, wl_exec *ex, uintptr_t pc, uintptr_t sp, uint32_t off) {
  if (!wl_trace_wanted(ex)) return;
  uintptr_t base = (uintptr_t)code->mem;
  int64_t f = func_at(code, pc - base);
  if (f < 0) return;
  if (off == JIT_OFFSET_FROM_PC) off = offset_at(code, pc - 1 - base);
  if (off != WL_TRACE_NO_OFFSET) wl_trace_push(ex, code->m, code->nfunc_imports + (uint32_t)f, off);
  for (uint32_t n = 0; n < WL_TRACE_MAX * 4; n++, sp += 16) {
    uintptr_t ret = *(const uintptr_t *)(sp + 8);
    int64_t g = func_at(code, ret - base);
    if (g < 0) return;
    wl_trace_push(ex, code->m, code->nfunc_imports + (uint32_t)g, offset_at(code, ret - 1 - base));
  }
}

static void trace_fault(const void *data, wl_exec *ex, uintptr_t pc, uintptr_t sp) {
  const jit_code *code = data;
  walk(code, ex, pc, sp, offset_at(code, pc - (uintptr_t)code->mem));
}

_Noreturn void jit_trap_at(wl_exec *ex, uint32_t kind, uint32_t off, uintptr_t sp) {
  if (kind != JIT_STUB_RAISE) wl_trap(ex, (wl_trap_kind)kind);
  uintptr_t pc = *(const uintptr_t *)(sp - 8);  /* the stub's (or helper's) call pushed it */
  wl_native_tracer tracer;
  const void *data;
  if (wl_native_code_tracer(pc, &tracer, &data) && tracer == trace_fault) walk(data, ex, pc, sp, off);
  wl_native_raise(ex);
}

void jit_trace_finish(jit_compiler *c, jit_code *code, const size_t *body_pos) {
  code->m = c->m;
  code->code_len = (uint32_t)c->a.len;
  code->body_pos = malloc((code->ndefined ? code->ndefined : 1) * sizeof *code->body_pos);
  code->pcs = malloc((c->pcs.count / 2 + 1) * sizeof *code->pcs);
  if (code->body_pos && code->pcs) {
    for (uint32_t i = 0; i < code->ndefined; i++) code->body_pos[i] = (uint32_t)body_pos[i];
    for (uint32_t i = 0; i + 1 < c->pcs.count; i += 2)
      code->pcs[code->npcs++] = (jit_pc_entry){(uint32_t)c->pcs.items[i], (uint32_t)c->pcs.items[i + 1]};
  } else {  /* no tables: traps still work, without frames */
    free(code->body_pos);
    free(code->pcs);
    code->body_pos = NULL;
    code->pcs = NULL;
  }
  wl_native_register_code_traced((uintptr_t)code->mem, (uintptr_t)code->mem + code->size,
                                 trace_fault, code);
}

void jit_trace_free(jit_code *code) {
  free(code->body_pos);
  free(code->pcs);
}
