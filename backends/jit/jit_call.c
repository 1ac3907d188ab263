/* Calls. A defined function of this module is called directly: r15 moves to its params (the
 * top of this frame's operand stack) and back, and its results replace them. Imports go
 * through wl_call with that same slot range as `io` (host functions, other instances, other
 * backends). call_indirect asks wl_indirect_target for the checked callee and calls its body
 * directly when it belongs to this instance (then it is JIT code of this module, and the
 * type-id check made the signature right), else goes through wl_call. */
#include "backends/jit/jit.h"

/* Slot index of the first argument of a call taking n params. */
static uint32_t args_slot(jit_fn *fn, uint32_t nparams) { return fn->nlocals + fn->sp - nparams; }

static void finish_call(jit_fn *fn, const wl_functype *t) {
  jit_set_height(fn, fn->sp - t->nparams + t->nresults);  /* the results are in their slots */
}

/* wl_call(ex, rsi = callee, io = the args) (jit_call_cells with 16-byte cells) with ex->sp above this frame; traps unwind. */
static void call_through_runtime(jit_fn *fn, uint32_t args) {
  jit_sync_sp(fn);
  x64_mov_rr(fn->a, true, X64_RDI, JIT_EX);
  x64_lea(fn->a, X64_RDX, x64_m(JIT_FP, jit_cell_off(fn, args)));
  jit_call_c(fn, fn->cell == JIT_V128_CELL ? (const void *)jit_call_cells : (const void *)wl_call);
  jit_raise_if_false(fn);
}

/* Calls the body in rax (or the direct target) with r15 at the args. */
static void call_body(jit_fn *fn, uint32_t args, int64_t defined_callee) {
  int32_t shift = jit_cell_off(fn, args);
  jit_save_callee_pinned(fn);  /* the driver saved the caller-saved ones */
  if (shift) x64_alu_ri(fn->a, X64_ADD, true, JIT_FP, shift);
  if (defined_callee >= 0) {
    jit_list_push(&fn->c->call_sites, x64_call32(fn->a));
    jit_list_push(&fn->c->call_sites, (size_t)defined_callee);
  } else {
    x64_call_r(fn->a, X64_RAX);
  }
  if (shift) x64_alu_ri(fn->a, X64_SUB, true, JIT_FP, shift);
  jit_restore_callee_pinned(fn);
}

static void emit_call(jit_fn *fn, uint32_t index) {
  const wl_moddesc *m = fn->c->m;
  const wl_functype *t = wl_moddesc_func_type(m, index);
  uint32_t args = args_slot(fn, t->nparams);
  if (index >= m->nfunc_imports) {
    call_body(fn, args, index - m->nfunc_imports);
  } else {
    x64_load(fn->a, 8, false, true, X64_RAX, x64_m(JIT_INST, offsetof(wl_instance, funcs)));
    x64_load(fn->a, 8, false, true, X64_RSI, x64_m(X64_RAX, (int32_t)(8 * index)));
    call_through_runtime(fn, args);
  }
  finish_call(fn, t);
}

/* call_indirect's lookup, shared by the call and the tail call: pops the table index, has
 * wl_indirect_target check the entry (it records the trap for a null entry or a type
 * mismatch) and leaves the callee in rax; returns the jne taken when the callee is not of
 * this instance. *type and *args: the callee's type and its arguments' first slot. */
static size_t emit_indirect_lookup(jit_fn *fn, const wl_instr *in, const wl_functype **type,
                                   uint32_t *args) {
  x64_asm *a = fn->a;
  const wl_functype *t = &fn->c->m->types[in->imm.call_indirect.type_index];
  uint32_t type_id = wl_engine_type_id(fn->c->engine, t);
  jit_load_top(fn, false, X64_RDX, 0);  /* the table index */
  jit_pop(fn, 1);
  *type = t;
  *args = args_slot(fn, t->nparams);
  x64_mov_rr(a, true, X64_RDI, JIT_EX);
  x64_load(a, 8, false, true, X64_RAX, x64_m(JIT_INST, offsetof(wl_instance, tables)));
  x64_load(a, 8, false, true, X64_RSI, x64_m(X64_RAX, (int32_t)(8 * in->imm.call_indirect.table_index)));
  x64_mov_ri(a, X64_RCX, type_id);
  jit_call_c(fn, (const void *)wl_indirect_target);
  x64_test_rr(a, true, X64_RAX, X64_RAX);
  jit_to_stub(fn, X64_E, JIT_STUB_RAISE);
  x64_alu_rm(a, X64_CMP, true, JIT_INST, x64_m(X64_RAX, offsetof(wl_func, instance)));
  return x64_jcc32(a, X64_NE);
}

static void emit_call_indirect(jit_fn *fn, const wl_instr *in) {
  x64_asm *a = fn->a;
  const wl_functype *t;
  uint32_t args;
  size_t slow = emit_indirect_lookup(fn, in, &t, &args);
  x64_load(a, 8, false, true, X64_RAX, x64_m(X64_RAX, offsetof(wl_func, native)));
  call_body(fn, args, -1);
  size_t done = x64_jmp32(a);
  x64_patch(a, slow, a->len);
  x64_mov_rr(a, true, X64_RSI, X64_RAX);
  call_through_runtime(fn, args);
  x64_patch(a, done, a->len);
  finish_call(fn, t);
}

/* Tail calls (return_call*): this frame's args move to its slot 0.., the frame goes as in the
 * epilogue (depth, rsp) and the callee's body is jumped to with the same r15, so a chain of
 * tail calls runs in constant native and value stack. A callee outside this module's code
 * (an import, another instance) is called through wl_call, then this function returns its
 * results: host code returns anyway, and cross-instance tail recursion grows the stack. */
static void leave_frame_and_jump(jit_fn *fn, uint32_t args, uint32_t nparams) {
  jit_move_slots(fn, 0, args, nparams);  /* rax only */
  x64_alu_mi(fn->a, X64_SUB, false, x64_m(JIT_EX, offsetof(wl_exec, depth)), 1);
  x64_alu_ri(fn->a, X64_ADD, true, X64_RSP, 8);
}

static void emit_return_call(jit_fn *fn, uint32_t index) {
  const wl_moddesc *m = fn->c->m;
  if (index < m->nfunc_imports) {
    emit_call(fn, index);
    jit_emit_return(fn);
    return;
  }
  const wl_functype *t = wl_moddesc_func_type(m, index);
  leave_frame_and_jump(fn, args_slot(fn, t->nparams), t->nparams);
  jit_list_push(&fn->c->call_sites, x64_jmp32(fn->a));  /* patched like a call's rel32 */
  jit_list_push(&fn->c->call_sites, (size_t)(index - m->nfunc_imports));
  jit_skip_dead(fn);
}

static void emit_return_call_indirect(jit_fn *fn, const wl_instr *in) {
  x64_asm *a = fn->a;
  const wl_functype *t;
  uint32_t args;
  size_t slow = emit_indirect_lookup(fn, in, &t, &args);
  x64_load(a, 8, false, true, X64_RDX, x64_m(X64_RAX, offsetof(wl_func, native)));
  leave_frame_and_jump(fn, args, t->nparams);
  x64_jmp_r(a, X64_RDX);
  x64_patch(a, slow, a->len);
  x64_mov_rr(a, true, X64_RSI, X64_RAX);
  call_through_runtime(fn, args);
  finish_call(fn, t);
  jit_emit_return(fn);
}

bool jit_emit_call(jit_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_CALL: emit_call(fn, in->imm.index); return true;
    case WL_OP_CALL_INDIRECT: emit_call_indirect(fn, in); return true;
    case WL_OP_RETURN_CALL: emit_return_call(fn, in->imm.index); return true;
    case WL_OP_RETURN_CALL_INDIRECT: emit_return_call_indirect(fn, in); return true;
    default: return false;
  }
}
