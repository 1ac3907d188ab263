/* Table and reference instructions (reference-types and the table half of bulk-memory). */
#include "backends/interp/translate.h"

/* Emits op, its immediates, then the top `nin` values as operands; pops them. */
static void emit_table_op(translator *t, wl_iop op, const int64_t *imms, uint32_t nimm,
                          uint32_t nin) {
  uint32_t first = t->h - nin;
  tr_emit_op(t, op);
  for (uint32_t k = 0; k < nimm; k++) tr_emit(t, imms[k]);
  for (uint32_t i = first; i < t->h; i++) tr_emit(t, t->vs[i]);
  t->h = first;
}

static void translate_table_get(translator *t, uint32_t table) {
  int64_t i = tr_pop(t);
  int64_t dst = tr_push(t);
  tr_emit_op(t, IOP_TABLE_GET);
  tr_emit(t, dst);
  tr_emit(t, table);
  tr_emit(t, i);
}

static void translate_table_size(translator *t, uint32_t table) {
  int64_t dst = tr_push(t);
  tr_emit_op(t, IOP_TABLE_SIZE);
  tr_emit(t, dst);
  tr_emit(t, table);
}

static void translate_table_grow(translator *t, uint32_t table) {
  int64_t n = tr_pop(t), init = tr_pop(t);
  int64_t dst = tr_push(t);
  tr_emit_op(t, IOP_TABLE_GROW);
  tr_emit(t, dst);
  tr_emit(t, table);
  tr_emit(t, init);
  tr_emit(t, n);
}

static void translate_ref_func(translator *t, uint32_t func) {
  int64_t dst = tr_push(t);
  tr_emit_op(t, IOP_REF_FUNC);
  tr_emit(t, dst);
  tr_emit(t, func);
}

bool tr_table(translator *t, const wl_instr *in) {
  int64_t imm[2] = {in->imm.pair.a, in->imm.pair.b};
  int64_t index = in->imm.index;
  switch (in->op) {
    case WL_OP_TABLE_GET: translate_table_get(t, in->imm.index); return true;
    case WL_OP_TABLE_SET: emit_table_op(t, IOP_TABLE_SET, &index, 1, 2); return true;
    case WL_OP_TABLE_SIZE: translate_table_size(t, in->imm.index); return true;
    case WL_OP_TABLE_GROW: translate_table_grow(t, in->imm.index); return true;
    case WL_OP_TABLE_FILL: emit_table_op(t, IOP_TABLE_FILL, &index, 1, 3); return true;
    case WL_OP_TABLE_INIT: emit_table_op(t, IOP_TABLE_INIT, imm, 2, 3); return true;
    case WL_OP_TABLE_COPY: emit_table_op(t, IOP_TABLE_COPY, imm, 2, 3); return true;
    case WL_OP_ELEM_DROP: emit_table_op(t, IOP_ELEM_DROP, &index, 1, 0); return true;
    case WL_OP_REF_FUNC: translate_ref_func(t, in->imm.index); return true;
    default: return false;
  }
}
