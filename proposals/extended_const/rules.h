/* extended-const: i32/i64 add, sub and mul are constant instructions, so global initialisers
 * and segment offsets may compute (e.g. `global.get $base` + an offset). Without it a constant
 * expression is a single t.const, ref.null, ref.func or global.get, as in Wasm 2.0. */
#ifndef WL_PROPOSAL_EXTENDED_CONST_RULES_H
#define WL_PROPOSAL_EXTENDED_CONST_RULES_H
#include <stdbool.h>
#include <stdint.h>

/* Validation: is instruction `op` (a wl_opcode) constant because of extended-const? */
bool wl_extended_const_instr(uint16_t op, uint32_t features);

/* Evaluation of one of those instructions on its operands (wrapping, as in code; i32 operands
 * and result are zero-extended to 64 bits). */
uint64_t wl_extended_const_apply(uint16_t op, uint64_t a, uint64_t b);
#endif
