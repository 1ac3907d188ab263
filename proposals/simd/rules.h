/* simd (fixed-width SIMD, part of Wasm 2.0): decoding and validation rules. Without it v128
 * is not a value type and 0xFD is an unknown opcode byte, as in Wasm 1.0. The instructions
 * themselves are the rows of opcodes.def. */
#ifndef WL_PROPOSAL_SIMD_RULES_H
#define WL_PROPOSAL_SIMD_RULES_H
#include <stdbool.h>

#include "engine/decode/instr.h"
#include "engine/module.h"

/* Decoding: is byte `b` a value type because it is v128? */
bool wl_simd_valtype(uint8_t b, uint32_t features);
/* Decoding: does 0xFD start a prefixed instruction (else it is an illegal opcode)? */
bool wl_simd_prefix_enabled(uint32_t features);
/* Validation: the lane immediate of an extract/replace/load/store lane instruction, and the
 * 16 lane indices of i8x16.shuffle, are in range. Returns NULL or the message detail. */
const char *wl_simd_check_lanes(const wl_instr *in);
#endif
