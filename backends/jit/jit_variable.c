/* Locals, globals, constants, drop and select. local.get is lazy (a JV_LOCAL entry reads the
 * local's register or slot where it is used); local.set writes the local's home directly. */
#include "backends/jit/jit.h"

/* rax = the wl_global * of global `index`. */
static void load_global_ptr(jit_fn *fn, uint32_t index) {
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(JIT_INST, offsetof(wl_instance, globals)));
  x64_load(fn->a, 8, false, true, X64_RAX, x64_m(X64_RAX, (int32_t)(8 * index)));
}

/* cond ? first : second, with cmov; a comparison's flags are used as they are (the operand
 * moves in between do not touch them). */
static void emit_select(jit_fn *fn) {
  x64_asm *a = fn->a;
  jit_val *c = jit_at(fn, 0);
  x64_cond keep_first = X64_NE;
  if (c->kind == JV_FLAGS) {
    keep_first = (x64_cond)c->reg;
  } else {
    jit_load_top(fn, false, X64_RAX, 0);
    x64_test_rr(a, false, X64_RAX, X64_RAX);
  }
  jit_load_top(fn, true, X64_RDX, 1);   /* second */
  jit_load_top(fn, true, X64_RCX, 2);   /* first */
  x64_cmov(a, (x64_cond)(keep_first ^ 1), true, X64_RCX, X64_RDX);
  jit_replace(fn, 3, X64_RCX);
}

/* Stores v (at height h) into local i's slot. */
static void store_to_slot(jit_fn *fn, uint32_t i, const jit_val *v, uint32_t h) {
  x64_mem m = jit_local(fn, i);
  int r = jit_val_gpr(fn, v), x = jit_val_xmm(fn, v);
  if (r >= 0) {
    x64_store(fn->a, 8, m, (x64_reg)r);
  } else if (x >= 0 && (fn->local_class[i] == JIT_L_F64 || fn->local_class[i] == JIT_L_I64)) {
    x64_fstore(fn->a, true, m, (x64_xmm)x);
  } else if (v->kind == JV_CONST && (int64_t)v->bits == (int32_t)v->bits) {
    x64_store_imm(fn->a, true, m, (int32_t)v->bits);
  } else {
    jit_val_to_gpr(fn, v, h, true, X64_RAX);
    x64_store(fn->a, 8, m, X64_RAX);
  }
}

static void set_local(jit_fn *fn, uint32_t i, bool tee) {
  jit_val *v = jit_at(fn, 0);
  uint32_t h = fn->sp - 1;
  if (v->kind == JV_LOCAL && v->local == i) {  /* local.get x; local.set x */
    if (!tee) jit_pop(fn, 1);
    return;
  }
  jit_local_changing_below(fn, i, 1);
  uint8_t home = fn->local_reg[i];
  bool w64 = fn->local_class[i] == JIT_L_I64 || fn->local_class[i] == JIT_L_F64;
  if (home == JIT_IN_SLOT) {
    store_to_slot(fn, i, v, h);
    if (!tee) jit_pop(fn, 1);
    return;
  }
  if (home & JIT_XMM_BIT)
    jit_val_to_xmm(fn, v, h, w64, home & 15);
  else
    jit_val_to_gpr(fn, v, h, w64, (x64_reg)home);
  jit_pop(fn, 1);
  if (tee) jit_push_val(fn, (jit_val){.kind = JV_LOCAL, .local = i});
}

bool jit_emit_variable(jit_fn *fn, const wl_instr *in) {
  x64_asm *a = fn->a;
  /* only a module with 16-byte cells has v128 locals and globals */
  bool wide = fn->cell == JIT_V128_CELL;
  bool v128_local = wide && (in->op == WL_OP_LOCAL_GET || in->op == WL_OP_LOCAL_SET ||
                             in->op == WL_OP_LOCAL_TEE) && fn->local_class[in->imm.index] == JIT_L_V128;
  bool v128_global = wide && (in->op == WL_OP_GLOBAL_GET || in->op == WL_OP_GLOBAL_SET) &&
                     wl_is_vectype(fn->c->m->global_types[in->imm.index].type);
  if (v128_local || v128_global) {
    switch (in->op) {
      case WL_OP_LOCAL_GET: jit_v128_local_get(fn, in->imm.index); return true;
      case WL_OP_LOCAL_SET: jit_v128_local_set(fn, in->imm.index, false); return true;
      case WL_OP_LOCAL_TEE: jit_v128_local_set(fn, in->imm.index, true); return true;
      case WL_OP_GLOBAL_GET: jit_v128_global_get(fn, in->imm.index); return true;
      default: jit_v128_global_set(fn, in->imm.index); return true;
    }
  }
  switch (in->op) {
    case WL_OP_LOCAL_GET:
      jit_push_val(fn, (jit_val){.kind = JV_LOCAL, .local = in->imm.index});
      return true;
    case WL_OP_LOCAL_SET: set_local(fn, in->imm.index, false); return true;
    case WL_OP_LOCAL_TEE: set_local(fn, in->imm.index, true); return true;
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
    case WL_OP_DROP: jit_pop(fn, 1); return true;  /* a v128 is one value too */
    case WL_OP_SELECT:
      if (wide && jit_wide_op(fn, in))
        jit_v128_select(fn);
      else
        emit_select(fn);
      return true;
    case WL_OP_SELECT_T:
      if (wl_is_vectype(in->imm.valtype))
        jit_v128_select(fn);
      else
        emit_select(fn);
      return true;
    default: return false;
  }
}
