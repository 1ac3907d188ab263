/* Fuel metering, with exactly the interpreter's accounting (interp translate.c tr_new_run,
 * control.inc L_CHARGE), so a module and limit use the same fuel and trap at the same point
 * on either backend:
 *  - a function body is cut into straight-line runs that start at function entry, loop
 *    heads, the first instruction after `if`, `else` and `br_if`, and at an `end` that some
 *    edge other than the fall-through reaches;
 *  - a run is charged the costs (wl_costs.instr, 1 each by default) of its reachable wasm
 *    instructions when it starts, so a trap part-way through still pays for the whole run;
 *  - bulk instructions also pay per byte or element when they run, in the runtime helpers
 *    both backends call (wl_charge_items);
 *  - when fewer units are left than a run needs, fuel drops to 0 and the run traps with
 *    WL_TRAP_OUT_OF_FUEL before any of its instructions execute.
 * Host functions are charged by the runtime (wl_call), whichever backend calls them.
 *
 * Generated code is metered only when the engine had a fuel limit at compile time (the
 * artifact key records it); wl_invoke then always sets ex->metered, so the check of
 * ex->metered that the interpreter makes is not repeated here. */
#include "backends/aot/llvm/aot_ir.h"

/* A run's length is known only at its end: its charge was built with a placeholder count,
 * patched here into the compare and the subtraction. */
static void finish_run(aot_fn *fn) {
  if (!fn->run_cmp) return;
  LLVMValueRef n = aot_const_i64(fn, fn->run_count);
  LLVMSetOperand(fn->run_cmp, 1, n);
  LLVMSetOperand(fn->run_sub, 1, n);
  fn->run_cmp = fn->run_sub = NULL;
}

void aot_fuel_new_run(aot_fn *fn) {
  aot_module *am = fn->am;
  if (!am->metered) return;
  finish_run(fn);
  fn->run_count = 0;
  /* A load is never constant, so the builder folds neither placeholder use away. */
  LLVMValueRef placeholder = aot_const_i64(fn, 0);
  LLVMValueRef left = aot_load_field(fn, fn->ex, offsetof(wl_exec, fuel_left), am->i64);
  fn->run_cmp = LLVMBuildICmp(am->b, LLVMIntULT, left, placeholder, "");
  fn->run_sub = LLVMBuildSub(am->b, left, placeholder, "");
  /* Like the interpreter, running out leaves 0, so the store reports the whole limit used. */
  LLVMValueRef rest = LLVMBuildSelect(am->b, fn->run_cmp, aot_const_i64(fn, 0), fn->run_sub, "");
  aot_store_field(fn, fn->ex, offsetof(wl_exec, fuel_left), rest);
  aot_trap_if(fn, fn->run_cmp, WL_TRAP_OUT_OF_FUEL);
}

void aot_fuel_count(aot_fn *fn, uint16_t op) {
  /* Only reachable instructions count: the interpreter never translates dead code, and the
   * else/end that ends a dead stretch is read here while fn->reachable is still false. */
  if (fn->reachable && fn->am->metered) fn->run_count += fn->am->costs->instr[op];
}

void aot_fuel_finish(aot_fn *fn) { finish_run(fn); }
