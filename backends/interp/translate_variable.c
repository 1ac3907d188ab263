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

/* When the last instruction produced the value at heights top..top+width-1 into its canonical
 * slots and nothing below top still reads local x, retargets that instruction to write x
 * directly and returns true (handlers read every operand before they write). */
static bool retarget_to_local(translator *t, int64_t x, uint32_t top, uint32_t width) {
  int64_t v = t->vs[top];
  if (t->last_dst < 0 || t->oom || v != tr_slot(t, top) || t->code[t->last_dst].i != v) return false;
  for (uint32_t k = 0; k < width; k++)
    if (has_refs(t, x + k, top)) return false;
  size_t at = (size_t)t->last_dst - 1;
  t->code[t->last_dst].i = x;
  for (uint32_t k = 0; k < width; k++) t->vs[top + k] = x + k;
  tr_forget(t);
  tr_pair_addi(t, at);
  return true;
}

/* Writes the value at the top of the simulated stack (one slot, or a v128's two) into local x,
 * retargeting its producer when it can. Returns with the value still on the stack. */
static void store_top_to_local(translator *t, int64_t x, bool wide) {
  uint32_t width = wide ? 2 : 1, top = t->h - width;
  int64_t v = t->vs[top];
  if (v == x || retarget_to_local(t, x, top, width)) return;
  for (uint32_t k = 0; k < width; k++) materialize_refs(t, x + k, top);
  tr_emit_op(t, wide ? IOP_COPY_V128 : IOP_COPY);
  tr_emit(t, x);
  tr_emit(t, v);
}

void tr_note_local_write(translator *t, uint32_t index) {
  uint32_t j = index - t->type->nparams;
  if (index >= t->type->nparams && j < 64) t->assigned |= (uint64_t)1 << j;
}

static void translate_local_get(translator *t, uint32_t index) {
  int64_t x = tr_local(t, index);
  uint32_t n = tr_local_is_v128(t, index) ? 2 : 1;
  uint32_t j = index - t->type->nparams; /* declared local j (wraps for a param) */
  bool surely = index < t->type->nparams || (j < 64 && (t->assigned >> j & 1));
  if (!surely && (uint32_t)x + n > t->zero_end) t->zero_end = (uint32_t)x + n;
  for (uint32_t k = 0; k < n; k++) {
    t->vs[t->h++] = x + k;
    if (!t->fast_paths) tr_materialize(t, t->h - 1);
  }
}

/* local.set and local.tee (`keep`: the value stays on the stack). */
static void translate_local_store(translator *t, uint32_t index, bool keep) {
  int64_t x = tr_local(t, index);
  tr_note_local_write(t, index);
  bool wide = tr_local_is_v128(t, index);
  store_top_to_local(t, x, wide);
  if (!keep) t->h -= wide ? 2 : 1;
}

static void translate_const(translator *t, uint64_t bits) {
  int64_t dst = tr_push(t);
  size_t at = tr_emit_op(t, IOP_CONST);
  if (t->fast_paths) {
    t->prev_const_at = t->const_at;
    t->const_at = (int64_t)at;
  }
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, (int64_t)bits);
}

static void translate_select(translator *t, bool wide) {
  int64_t c = tr_pop(t);
  int64_t b = wide ? tr_pop_v128(t) : tr_pop(t), a = wide ? tr_pop_v128(t) : tr_pop(t);
  int64_t dst = wide ? tr_push_v128(t) : tr_push(t);
  tr_emit_op(t, wide ? IOP_SELECT_V128 : IOP_SELECT);
  if (!wide) tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, a);
  tr_emit(t, b);
  tr_emit(t, c);
}

static bool global_is_v128(const translator *t, uint32_t index) {
  return wl_is_vectype(t->m->global_types[index].type);
}

static void translate_global_get(translator *t, uint32_t index) {
  bool wide = global_is_v128(t, index);
  int64_t dst = wide ? tr_push_v128(t) : tr_push(t);
  tr_emit_op(t, wide ? IOP_GLOBAL_GET_V128 : IOP_GLOBAL_GET);
  if (!wide) tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, index);
}

static void translate_global_set(translator *t, uint32_t index) {
  bool wide = global_is_v128(t, index);
  int64_t v = wide ? tr_pop_v128(t) : tr_pop(t);
  tr_emit_op(t, wide ? IOP_GLOBAL_SET_V128 : IOP_GLOBAL_SET);
  tr_emit(t, index);
  tr_emit(t, v);
}

bool tr_variable(translator *t, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_LOCAL_GET: translate_local_get(t, in->imm.index); return true;
    case WL_OP_LOCAL_SET: translate_local_store(t, in->imm.index, false); return true;
    case WL_OP_LOCAL_TEE: translate_local_store(t, in->imm.index, true); return true;
    case WL_OP_GLOBAL_GET: translate_global_get(t, in->imm.index); return true;
    case WL_OP_GLOBAL_SET: translate_global_set(t, in->imm.index); return true;
    case WL_OP_I32_CONST: translate_const(t, (uint32_t)in->imm.i32); return true;
    case WL_OP_I64_CONST: translate_const(t, (uint64_t)in->imm.i64); return true;
    case WL_OP_F32_CONST: translate_const(t, in->imm.f32_bits); return true;
    case WL_OP_F64_CONST: translate_const(t, in->imm.f64_bits); return true;
    case WL_OP_REF_NULL: translate_const(t, 0); return true;
    case WL_OP_DROP: t->h -= tr_wide_op(t, in) ? 2 : 1; return true;
    case WL_OP_SELECT: translate_select(t, tr_wide_op(t, in)); return true;
    case WL_OP_SELECT_T: translate_select(t, wl_is_vectype(in->imm.valtype)); return true;
    default: return false;
  }
}
