/* Locals (allocas promoted to SSA by the optimizer), globals (through wl_global.value, kept
 * zero-extended per the slot convention) and the parametric drop/select. */
#include "backends/aot/llvm/aot_ir.h"

static LLVMValueRef global_cell(aot_fn *fn, uint32_t index) {
  LLVMValueRef g = aot_load_ptr_elem(fn, fn->inst, offsetof(wl_instance, globals), index);
  LLVMValueRef off = aot_const_i64(fn, offsetof(wl_global, value));
  return LLVMBuildInBoundsGEP2(fn->am->b, fn->am->i8, g, &off, 1, "");
}

static void emit_global_get(aot_fn *fn, uint32_t index) {
  wl_valtype t = fn->am->m->global_types[index].type;
  aot_push(fn, aot_from_slot(fn->am, fn->am->b, global_cell(fn, index), t));
}

static void emit_global_set(aot_fn *fn, uint32_t index) {
  wl_valtype t = fn->am->m->global_types[index].type;
  LLVMValueRef v = aot_pop(fn);
  /* Volatile like guest memory stores: a global written after a faulting load must not be
   * written before the fault (backends/aot/README.md, "Traps are effects"). */
  LLVMSetVolatile(aot_to_slot(fn->am, fn->am->b, global_cell(fn, index), t, v), 1);
}

static void emit_select(aot_fn *fn) {
  LLVMValueRef cond = aot_pop(fn);
  LLVMValueRef b = aot_pop(fn);
  LLVMValueRef a = aot_pop(fn);
  LLVMValueRef c = LLVMBuildICmp(fn->am->b, LLVMIntNE, cond, aot_const_i32(fn, 0), "");
  aot_push(fn, LLVMBuildSelect(fn->am->b, c, a, b, ""));
}

bool aot_emit_variable(aot_fn *fn, const wl_instr *in) {
  LLVMBuilderRef b = fn->am->b;
  uint32_t i = in->imm.index;
  switch (in->op) {
    case WL_OP_LOCAL_GET:
      aot_push(fn, LLVMBuildLoad2(b, aot_valtype(fn->am, fn->local_types[i]), fn->locals[i], ""));
      return true;
    case WL_OP_LOCAL_SET: LLVMBuildStore(b, aot_pop(fn), fn->locals[i]); return true;
    case WL_OP_LOCAL_TEE: LLVMBuildStore(b, aot_top(fn), fn->locals[i]); return true;
    case WL_OP_GLOBAL_GET: emit_global_get(fn, i); return true;
    case WL_OP_GLOBAL_SET: emit_global_set(fn, i); return true;
    case WL_OP_DROP: aot_pop(fn); return true;
    case WL_OP_SELECT:
    case WL_OP_SELECT_T: emit_select(fn); return true;
    default: return false;
  }
}
