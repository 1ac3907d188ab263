/* Locals, globals, constants, drop and select. */
#include "backends/jit/jit.h"

/* rax = the wl_global * of global `index`. */
static void load_global_ptr(jit_fn *fn, uint32_t index) {
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(JIT_INST, offsetof(wl_instance, globals)));
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(X64_RAX, (int32_t)(8 * index)));
}

static void emit_select(jit_fn *fn) {
  x64_asm *a = fn->a;
  jit_load_top(fn, false, X64_RAX, 0);  /* condition */
  jit_load_top(fn, true, X64_RDX, 1);   /* second */
  jit_load_top(fn, true, X64_RCX, 2);   /* first */
  x64_test_rr(a, false, X64_RAX, X64_RAX);
  x64_cmov(a, X64_E, true, X64_RCX, X64_RDX);
  jit_replace(fn, 3, X64_RCX);
}

bool jit_emit_variable(jit_fn *fn, const wl_instr *in) {
  x64_asm *a = fn->a;
  switch (in->op) {
    case WL_OP_LOCAL_GET:
      jit_push_mem(fn, jit_local(in->imm.index));
      return true;
    case WL_OP_LOCAL_SET:
    case WL_OP_LOCAL_TEE:
      jit_load_top(fn, true, X64_RAX, 0);
      x64_store(a, 8, jit_local(in->imm.index), X64_RAX);
      if (in->op == WL_OP_LOCAL_SET) jit_pop(fn, 1);
      return true;
    case WL_OP_GLOBAL_GET:
      load_global_ptr(fn, in->imm.index);
      jit_push_mem(fn, x64_m(X64_RAX, offsetof(wl_global, value)));
      return true;
    case WL_OP_GLOBAL_SET:
      load_global_ptr(fn, in->imm.index);
      jit_load_top(fn, true, X64_RCX, 0);
      x64_store(a, 8, x64_m(X64_RAX, offsetof(wl_global, value)), X64_RCX);
      jit_pop(fn, 1);
      return true;
    case WL_OP_I32_CONST: jit_push_const(fn, (uint32_t)in->imm.i32); return true;
    case WL_OP_I64_CONST: jit_push_const(fn, (uint64_t)in->imm.i64); return true;
    case WL_OP_F32_CONST: jit_push_const(fn, in->imm.f32_bits); return true;
    case WL_OP_F64_CONST: jit_push_const(fn, in->imm.f64_bits); return true;
    case WL_OP_DROP: jit_pop(fn, 1); return true;
    case WL_OP_SELECT:
    case WL_OP_SELECT_T: emit_select(fn); return true;
    default: return false;
  }
}
