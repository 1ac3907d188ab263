/* Fuel metering, with exactly the interpreter's accounting (as backends/aot/llvm/aot_fuel.c
 * does it): a function body is cut into straight-line runs that start at function entry, loop
 * heads, the first instruction after `if`, `else` and `br_if`, and at an `end` some edge
 * other than the fall-through reaches; each run is charged its number of reachable wasm
 * instructions' costs (the engine's cost table) when it starts. Too little fuel left sets it to 0 and traps "fuel exhausted"
 * before any instruction of the run executes. Host functions are charged by wl_call.
 *
 * Code is metered only when the engine has a fuel limit (then wl_invoke always sets
 * ex->metered). A run's length is known only at its end, so the charge is emitted with
 * placeholder immediates and patched. */
#include "backends/jit/jit.h"

static void finish_run(jit_fn *fn) {
  if (!fn->run_cmp) return;
  x64_set_u32(fn->a, fn->run_cmp, fn->run_count);
  x64_set_u32(fn->a, fn->run_sub, fn->run_count);
  fn->run_cmp = fn->run_sub = 0;
}

void jit_fuel_new_run(jit_fn *fn) {
  if (!fn->c->metered) return;
  finish_run(fn);
  fn->run_count = 0;
  x64_mem fuel = x64_m(JIT_EX, offsetof(wl_exec, fuel_left));
  x64_load(fn->a, 8, false, true, X64_RAX, fuel);
  fn->run_cmp = x64_alu_ri32(fn->a, X64_CMP, true, X64_RAX, 0);
  jit_to_stub(fn, X64_B, JIT_STUB_FUEL);
  fn->run_sub = x64_alu_ri32(fn->a, X64_SUB, true, X64_RAX, 0);
  x64_store(fn->a, 8, fuel, X64_RAX);
}

void jit_fuel_count(jit_fn *fn, uint16_t op) {
  /* Only reachable instructions count: the interpreter never translates dead code. */
  if (fn->reachable && fn->c->metered) fn->run_count += fn->c->costs->instr[op];
}

void jit_fuel_finish(jit_fn *fn) { finish_run(fn); }
