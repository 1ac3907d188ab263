/* Constant expressions (global initialisers, segment offsets and element items), read with
 * the shared instruction reader. The validator has already checked them: one
 * constant-producing instruction followed by `end`. */
#include "engine/decode/instr.h"
#include "engine/features.h"
#include "engine/runtime/internal.h"

static wl_slot const_value(const wl_instance *inst, const wl_instr *in, wl_slot *hi) {
  switch (in->op) {
  case WL_OP_V128_CONST: *hi = in->imm.v128.halves[1]; return in->imm.v128.halves[0];
  case WL_OP_I32_CONST: return (uint32_t)in->imm.i32;
  case WL_OP_I64_CONST: return (uint64_t)in->imm.i64;
  case WL_OP_F32_CONST: return in->imm.f32_bits;
  case WL_OP_F64_CONST: return in->imm.f64_bits;
  case WL_OP_REF_FUNC: return (uintptr_t)inst->funcs[in->imm.index];
  case WL_OP_GLOBAL_GET:
    *hi = inst->globals[in->imm.index]->v128[1];  /* the high half of a v128; unused else */
    return inst->globals[in->imm.index]->value;
  default: return 0;  /* ref.null */
  }
}

void wl_eval_const_slots(const wl_instance *inst, const wl_constexpr *e, wl_slot *out) {
  wl_code_reader r;
  /* Every feature on: the expression was decoded under the module's own feature set. */
  wl_code_reader_init(&r, e->code, e->len, wl_features_known(), e->offset);
  wl_instr in;
  wl_slot value = 0, hi = 0;
  while (r.p < r.end) {
    wl_error *err = wl_read_instr(&r, &in);
    if (err) {  /* unreachable for validated input */
      wl_error_delete(err);
      break;
    }
    if (in.op == WL_OP_END) break;
    value = const_value(inst, &in, &hi);
  }
  out[0] = value;
  out[1] = hi;
}

wl_slot wl_eval_const(const wl_instance *inst, const wl_constexpr *e) {
  wl_slot v[2];
  wl_eval_const_slots(inst, e, v);
  return v[0];
}
