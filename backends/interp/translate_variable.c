/* Variables and parametric instructions: local.get/set/tee, global.get/set, constants, drop,
 * select. local.get emits nothing: it pushes a virtual entry naming the local's slot. */
#include "backends/interp/translate.h"

/* Materialises every entry below `height` that still names local slot `x`. */
static void materialize_refs(translator *t, int64_t x, uint32_t height) {
  for (uint32_t i = 0; i < height; i++)
    if (t->vs[i] == x) tr_materialize(t, i);
}

static bool has_refs(const translator *t, int64_t x, uint32_t height) {
  for (uint32_t i = 0; i < height; i++)
    if (t->vs[i] == x) return true;
  return false;
}

/* Writes the value at height h-1 (still on the simulated stack) into local x. When the last
 * instruction produced that value into its canonical slot, it is retargeted to write x
 * directly. Returns with the value still on the stack. */
static void store_top_to_local(translator *t, int64_t x) {
  uint32_t top = t->h - 1;
  int64_t v = t->vs[top];
  if (v == x) return;
  if (t->last_dst >= 0 && v == tr_slot(t, top) && !has_refs(t, x, top) && !t->oom &&
      t->code[t->last_dst].i == v) {
    t->code[t->last_dst].i = x;
    t->vs[top] = x;
    tr_forget(t);
    return;
  }
  materialize_refs(t, x, top);
  tr_emit_op(t, IOP_COPY);
  tr_emit(t, x);
  tr_emit(t, v);
}

static void translate_const(translator *t, uint64_t bits) {
  int64_t dst = tr_push(t);
  tr_emit_op(t, IOP_CONST);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, (int64_t)bits);
}

static void translate_select(translator *t) {
  int64_t c = tr_pop(t), b = tr_pop(t), a = tr_pop(t);
  int64_t dst = tr_push(t);
  tr_emit_op(t, IOP_SELECT);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, a);
  tr_emit(t, b);
  tr_emit(t, c);
}

static void translate_global_get(translator *t, uint32_t index) {
  int64_t dst = tr_push(t);
  tr_emit_op(t, IOP_GLOBAL_GET);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, index);
}

static void translate_global_set(translator *t, uint32_t index) {
  int64_t v = tr_pop(t);
  tr_emit_op(t, IOP_GLOBAL_SET);
  tr_emit(t, index);
  tr_emit(t, v);
}

bool tr_variable(translator *t, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_LOCAL_GET:
      t->vs[t->h++] = in->imm.index;
      if (!t->fast_paths) tr_materialize(t, t->h - 1);
      return true;
    case WL_OP_LOCAL_SET:
      store_top_to_local(t, in->imm.index);
      t->h--;
      return true;
    case WL_OP_LOCAL_TEE: store_top_to_local(t, in->imm.index); return true;
    case WL_OP_GLOBAL_GET: translate_global_get(t, in->imm.index); return true;
    case WL_OP_GLOBAL_SET: translate_global_set(t, in->imm.index); return true;
    case WL_OP_I32_CONST: translate_const(t, (uint32_t)in->imm.i32); return true;
    case WL_OP_I64_CONST: translate_const(t, (uint64_t)in->imm.i64); return true;
    case WL_OP_F32_CONST: translate_const(t, in->imm.f32_bits); return true;
    case WL_OP_F64_CONST: translate_const(t, in->imm.f64_bits); return true;
    case WL_OP_REF_NULL: translate_const(t, 0); return true;
    case WL_OP_DROP: t->h--; return true;
    case WL_OP_SELECT:
    case WL_OP_SELECT_T: translate_select(t); return true;
    default: return false;
  }
}
