#include "proposals/extended_const/rules.h"

#include "engine/features.h"
#include "engine/opcodes/opcodes.h"

static bool is_extended_op(uint16_t op) {
  switch (op) {
    case WL_OP_I32_ADD: case WL_OP_I32_SUB: case WL_OP_I32_MUL:
    case WL_OP_I64_ADD: case WL_OP_I64_SUB: case WL_OP_I64_MUL: return true;
    default: return false;
  }
}

bool wl_extended_const_instr(uint16_t op, uint32_t features) {
  return is_extended_op(op) && wl_has_feature(features, EXTENDED_CONST_INDEX);
}

uint64_t wl_extended_const_apply(uint16_t op, uint64_t a, uint64_t b) {
  switch (op) {
    case WL_OP_I32_ADD: return (uint32_t)(a + b);
    case WL_OP_I32_SUB: return (uint32_t)(a - b);
    case WL_OP_I32_MUL: return (uint32_t)((uint32_t)a * (uint32_t)b);
    case WL_OP_I64_ADD: return a + b;
    case WL_OP_I64_SUB: return a - b;
    default: return a * b;  /* i64.mul */
  }
}
