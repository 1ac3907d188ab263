/* Memory instructions: loads, stores, memory.size/grow and the bulk-memory group. Loads and
 * stores keep the static offset as an operand; the handler adds it to the 32-bit address in
 * 64-bit arithmetic and checks the access against the memory's current size. */
#include "backends/interp/translate.h"

static void translate_load(translator *t, wl_iop op, const wl_instr *in) {
  int64_t addr = tr_pop(t);
  int64_t dst = tr_push(t);
  tr_emit_op(t, op);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, addr);
  tr_emit(t, in->imm.memarg.offset);
}

static void translate_store(translator *t, wl_iop op, const wl_instr *in) {
  int64_t value = tr_pop(t);
  int64_t addr = tr_pop(t);
  tr_emit_op(t, op);
  tr_emit(t, addr);
  tr_emit(t, value);
  tr_emit(t, in->imm.memarg.offset);
}

/* Emits op with a leading immediate (when has_imm) and the top `nin` values as operands. */
static void emit_with_operands(translator *t, wl_iop op, bool has_imm, int64_t imm, uint32_t nin) {
  uint32_t first = t->h - nin;
  tr_emit_op(t, op);
  if (has_imm) tr_emit(t, imm);
  for (uint32_t i = first; i < t->h; i++) tr_emit(t, t->vs[i]);
  t->h = first;
}

static void translate_memory_size(translator *t) {
  int64_t dst = tr_push(t);
  tr_emit_op(t, IOP_MEMORY_SIZE);
  tr_emit(t, dst);
}

static void translate_memory_grow(translator *t) {
  int64_t delta = tr_pop(t);
  int64_t dst = tr_push(t);
  tr_emit_op(t, IOP_MEMORY_GROW);
  tr_emit(t, dst);
  tr_emit(t, delta);
}

bool tr_memory(translator *t, const wl_instr *in) {
  switch (in->op) {
#define LOADOP(n) \
  case WL_OP_##n: translate_load(t, IOP_##n, in); return true;
#define STOREOP(n) \
  case WL_OP_##n: translate_store(t, IOP_##n, in); return true;
#include "backends/interp/ops.def"
    case WL_OP_MEMORY_SIZE: translate_memory_size(t); return true;
    case WL_OP_MEMORY_GROW: translate_memory_grow(t); return true;
    case WL_OP_MEMORY_INIT:
      emit_with_operands(t, IOP_MEMORY_INIT, true, in->imm.pair.a, 3);
      return true;
    case WL_OP_DATA_DROP:
      tr_emit_op(t, IOP_DATA_DROP);
      tr_emit(t, in->imm.index);
      return true;
    case WL_OP_MEMORY_COPY: emit_with_operands(t, IOP_MEMORY_COPY, false, 0, 3); return true;
    case WL_OP_MEMORY_FILL: emit_with_operands(t, IOP_MEMORY_FILL, false, 0, 3); return true;
    default: return false;
  }
}
