/* Constant expressions (global initialisers, segment offsets and element items), read with
 * the shared instruction reader. The validator has already checked them: constant-producing
 * instructions (and, with extended-const, i32/i64 add/sub/mul) that leave one value, then
 * `end`. */
#include <stdlib.h>

#include "engine/decode/instr.h"
#include "engine/features.h"
#include "engine/runtime/internal.h"
#include "proposals/extended_const/rules.h"

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

/* Runs the expression on `stack` (room for one value per byte); out[0..1] receive the value
 * left (out[1]: the high half of a v128, which only stands alone: extended-const's arithmetic
 * is on i32/i64). */
static void run(const wl_instance *inst, const wl_constexpr *e, wl_slot *stack, wl_slot *out) {
  wl_code_reader r;
  /* Every feature on: the expression was decoded under the module's own feature set. */
  wl_code_reader_init(&r, e->code, e->len, wl_features_all(), e->offset);
  uint32_t height = 0;
  wl_slot hi = 0;
  while (r.p < r.end) {
    wl_instr in;
    wl_error *err = wl_read_instr(&r, &in);
    if (err) {  /* unreachable for validated input */
      wl_error_delete(err);
      break;
    }
    if (in.op == WL_OP_END) break;
    if (wl_extended_const_instr(in.op, wl_features_all()) && height >= 2) {
      height--;
      stack[height - 1] = wl_extended_const_apply(in.op, stack[height - 1], stack[height]);
    } else {
      hi = 0;
      stack[height++] = const_value(inst, &in, &hi);
    }
  }
  out[0] = height ? stack[height - 1] : 0;
  out[1] = hi;
}

void wl_eval_const_slots(const wl_instance *inst, const wl_constexpr *e, wl_slot *out) {
  wl_slot small[8];
  wl_slot *stack = e->len < 8 ? small : malloc((e->len + 1) * sizeof *stack);
  out[0] = out[1] = 0;
  if (!stack) return;  /* cannot happen for the short expressions modules contain */
  run(inst, e, stack, out);
  if (stack != small) free(stack);
}

wl_slot wl_eval_const(const wl_instance *inst, const wl_constexpr *e) {
  wl_slot v[2];
  wl_eval_const_slots(inst, e, v);
  return v[0];
}
