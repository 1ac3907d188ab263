/* One function: prologue (stack checks, locals), the forward pass over its instructions,
 * and the out-of-line trap stubs after the body. */
#include <stdlib.h>

#include "backends/jit/jit.h"
#include "engine/runtime/trace.h"

/* Traps with "call stack exhausted" when the native stack is below the boundary's limit, the
 * wasm call depth reached max_depth, or the frame would pass the end of the value stack;
 * then counts this frame in ex->depth. */
static void emit_stack_checks(jit_fn *fn) {
  x64_asm *a = fn->a;
  x64_load(a, 8, false, true, X64_RAX, x64_m(JIT_EX, offsetof(wl_exec, unwind)));
  x64_alu_rm(a, X64_CMP, true, X64_RSP, x64_m(X64_RAX, offsetof(wl_native_unwind, stack_limit)));
  jit_to_stub(fn, X64_B, WL_TRAP_STACK_EXHAUSTED);
  x64_load(a, 4, false, false, X64_RAX, x64_m(JIT_EX, offsetof(wl_exec, depth)));
  x64_alu_rm(a, X64_CMP, false, X64_RAX, x64_m(JIT_EX, offsetof(wl_exec, max_depth)));
  jit_to_stub(fn, X64_AE, WL_TRAP_STACK_EXHAUSTED);
  x64_alu_ri(a, X64_ADD, false, X64_RAX, 1);
  x64_store(a, 4, x64_m(JIT_EX, offsetof(wl_exec, depth)), X64_RAX);
  x64_lea(a, X64_RAX, x64_m(JIT_FP, jit_cell_off(fn, fn->frame_slots)));
  x64_alu_rm(a, X64_CMP, true, X64_RAX, x64_m(JIT_EX, offsetof(wl_exec, stack_end)));
  jit_to_stub(fn, X64_A, WL_TRAP_STACK_EXHAUSTED);
}

/* Declared locals start at zero (params arrive in cells 0..nparams): every 8-byte word of
 * their cells (a v128 cell has two). */
static void zero_locals(jit_fn *fn) {
  uint32_t from = fn->type->nparams, n = fn->nlocals - from, words = fn->cell / 8;
  if (n == 0) return;
  x64_alu_rr(fn->a, X64_XOR, false, X64_RAX, X64_RAX);
  if (n <= 16) {
    for (uint32_t i = 0; i < n; i++) {  /* pinned ones are zeroed in their registers */
      if (fn->local_reg[from + i] != JIT_IN_SLOT) continue;
      for (uint32_t w = 0; w < words; w++) {
        x64_mem m = jit_local(fn, from + i);
        m.disp += (int32_t)(8 * w);
        x64_store(fn->a, 8, m, X64_RAX);
      }
    }
    return;
  }
  /* rcx counts the words down over [r15 + cell * from, r15 + cell * nlocals). */
  x64_mov_ri(fn->a, X64_RCX, (uint64_t)n * words);
  size_t loop = fn->a->len;
  x64_store(fn->a, 8, x64_mi(JIT_FP, X64_RCX, 8, jit_local(fn, from).disp - 8), X64_RAX);
  x64_alu_ri(fn->a, X64_SUB, true, X64_RCX, 1);
  x64_jcc_to(fn->a, X64_NE, loop);
}

static void emit_prologue(jit_fn *fn) {
  x64_alu_ri(fn->a, X64_SUB, true, X64_RSP, 8);  /* entered with rsp = 8 mod 16 */
  emit_stack_checks(fn);
  zero_locals(fn);
  jit_load_pinned_locals(fn);
}

void jit_epilogue(jit_fn *fn) {
  x64_alu_mi(fn->a, X64_SUB, false, x64_m(JIT_EX, offsetof(wl_exec, depth)), 1);
  x64_alu_ri(fn->a, X64_ADD, true, X64_RSP, 8);
  x64_ret(fn->a);
}

/* Each stub used: every jump to it lands on its own `mov edx, offset` (the site's module
 * offset, for the backtrace), then the shared part records the trap and unwinds (noreturn):
 * jit_trap_at(ex, kind, offset, rsp). */
static void emit_stubs(jit_fn *fn) {
  x64_asm *a = fn->a;
  for (unsigned k = 0; k < JIT_NSTUBS; k++) {
    jit_list *l = &fn->stubs[k], to_shared = {0};
    if (l->count == 0) continue;
    for (uint32_t i = 0; i + 1 < l->count; i += 2) {
      x64_patch(a, l->items[i], a->len);
      x64_mov_ri(a, X64_RDX, (uint32_t)l->items[i + 1]);
      if (i + 2 < l->count) jit_list_push(&to_shared, x64_jmp32(a));
    }
    for (uint32_t i = 0; i < to_shared.count; i++) x64_patch(a, to_shared.items[i], a->len);
    free(to_shared.items);
    x64_mov_rr(a, true, X64_RDI, JIT_EX);
    if (k == JIT_STUB_FUEL)  /* like the interpreter: running out leaves 0 */
      x64_store_imm(a, true, x64_m(JIT_EX, offsetof(wl_exec, fuel_left)), 0);
    x64_mov_ri(a, X64_RSI, k == JIT_STUB_FUEL ? WL_TRAP_OUT_OF_FUEL : k);
    x64_mov_rr(a, true, X64_RCX, X64_RSP);
    jit_call_c_raw(fn, (const void *)jit_trap_at);
    x64_ud2(a);
  }
}

/* Instructions that take a comparison's result straight from the flags. */
static bool consumes_flags(uint16_t op) {
  return op == WL_OP_BR_IF || op == WL_OP_IF || op == WL_OP_I32_EQZ || op == WL_OP_SELECT ||
         op == WL_OP_SELECT_T;
}

/* Control instructions never call C; every other instruction outside the cache may. */
static bool is_control(uint16_t op) {
  switch (op) {
    case WL_OP_NOP: case WL_OP_UNREACHABLE: case WL_OP_BLOCK: case WL_OP_LOOP: case WL_OP_IF:
    case WL_OP_ELSE: case WL_OP_END: case WL_OP_BR: case WL_OP_BR_IF: case WL_OP_BR_TABLE:
    case WL_OP_RETURN:
      return true;
    default: return false;
  }
}

/* With a comparison's result in the flags: whether instruction `op` leaves it there. On top it
 * may be what the instruction consumes; otherwise the instruction must leave it alone and emit
 * only moves, stores and lea (constants and locals, and add of a constant, which jit_numeric.c
 * then emits as lea). */
static bool flags_survive(jit_fn *fn, uint16_t op) {
  bool on_top = fn->flags_h == fn->sp - 1;
  if (on_top && consumes_flags(op)) return true;
  switch (op) {
    case WL_OP_LOCAL_GET: case WL_OP_I32_CONST: case WL_OP_I64_CONST: return true;
    case WL_OP_LOCAL_SET: case WL_OP_LOCAL_TEE: return !on_top;
    case WL_OP_I32_ADD: case WL_OP_I64_ADD: {
      const jit_val *b = jit_at(fn, 0);
      return b->kind == JV_CONST && (int64_t)b->bits == (int32_t)b->bits &&
             fn->flags_h < fn->sp - 2;
    }
    default: return false;
  }
}

static wl_error *translate_body(jit_fn *fn) {
  while (!jit_body_done(fn)) {
    wl_instr in;
    wl_error *err = wl_read_instr(&fn->rd, &in);
    if (err) return err;
    if (fn->c->dump) {
      jit_list_push(&fn->c->lines, fn->a->len);
      jit_list_push(&fn->c->lines, fn->func_index);
      jit_list_push(&fn->c->lines, fn->def->code_offset + in.offset);
      jit_list_push(&fn->c->lines, in.op);
    }
    jit_trace_note(fn, fn->def->code_offset + in.offset);
    jit_fuel_count(fn, in.op);
    if (fn->flags_h != JIT_NO_FLAGS && !flags_survive(fn, in.op)) jit_materialize_flags(fn);
    bool aware = jit_tos_aware(in.op), saves = !aware && !is_control(in.op);
    if (!aware) jit_flush(fn);
    if (saves) jit_save_pinned(fn, false);  /* it may call C: before any argument register */
    bool done = jit_emit_control(fn, &in) || jit_emit_variable(fn, &in) ||
                jit_emit_numeric(fn, &in) || jit_emit_float(fn, &in) ||
                jit_emit_conversion(fn, &in) || jit_emit_memory(fn, &in) ||
                jit_emit_call(fn, &in) || jit_emit_table(fn, &in) ||
                jit_emit_simd(fn, &in);
    if (saves && fn->reachable) jit_restore_pinned(fn, false);
    if (done) continue;
    return wl_err(WL_ERR_UNSUPPORTED, "jit: instruction %s not supported",
                  wl_opinfo_table[in.op].name);
  }
  return NULL;
}

static void free_fn(jit_fn *fn) {
  for (uint32_t i = 0; i < fn->frames_cap; i++) free(fn->frames[i].ends.items);
  free(fn->frames);
  for (unsigned k = 0; k < JIT_NSTUBS; k++) free(fn->stubs[k].items);
  free(fn->vs);
  free(fn->local_class);
  free(fn->local_reg);
}

wl_error *jit_compile_function(jit_compiler *c, uint32_t defined_index) {
  const wl_moddesc *m = c->m;
  jit_fn fn = {0};
  fn.c = c;
  fn.a = &c->a;
  fn.def = &m->funcs[defined_index];
  fn.func_index = m->nfunc_imports + defined_index;
  fn.type = &m->types[fn.def->type_index];
  fn.nlocals = fn.type->nparams + fn.def->nlocals;
  fn.cell = c->cell;
  fn.frame_slots = fn.nlocals + fn.def->facts.max_height + 1;
  fn.reachable = true;
  fn.flags_h = JIT_NO_FLAGS;
  fn.vs_cap = fn.def->facts.max_height + 1;
  fn.vs = malloc(fn.vs_cap * sizeof *fn.vs);
  fn.local_class = malloc(fn.nlocals + 1);
  fn.local_reg = malloc(fn.nlocals + 1);
  if (!fn.vs || !fn.local_class || !fn.local_reg) abort();
  jit_assign_locals(&fn);
  wl_code_reader_init(&fn.rd, fn.def->code, fn.def->code_len, c->features, fn.def->code_offset);
  c->body_pos[defined_index] = c->a.len;
  fn.cur_offset = WL_TRACE_NO_OFFSET;  /* prologue traps: the caller's call is the site */
  emit_prologue(&fn);
  fn.cur_offset = fn.def->code_offset;
  jit_open_func_frame(&fn);
  jit_fuel_new_run(&fn);  /* after the stack checks: the interpreter checks depth at the call */
  wl_error *err = translate_body(&fn);
  jit_fuel_finish(&fn);
  if (!err) emit_stubs(&fn);
  free_fn(&fn);
  return err;
}
