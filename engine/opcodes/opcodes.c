#include "engine/opcodes/opcodes.h"
#include "engine/features.h"

#define MVP_INDEX WL_FEATURE_INDEX_MVP
const wl_opinfo wl_opinfo_table[WL_OP_COUNT] = {
#define OP(sym, prefix, code, name, imm, sig, feature, membytes) \
  [WL_OP_##sym] = {name, prefix, code, WL_IMM_##imm, sig, feature##_INDEX, membytes},
#include "engine/opcodes/all.def"
#undef OP
};

/* Encoding -> opcode + 1 (0 = undefined). Single-byte opcodes at [code], 0xFC-prefixed at
 * [256 + code], 0xFD-prefixed at [256 + FC_LIMIT + code]. Built at compile time from the
 * same rows. FD_LIMIT leaves room for relaxed SIMD (0x100..0x113). */
#define FC_LIMIT 32
#define FD_LIMIT 0x120
#define SLOT(prefix, code) \
  ((prefix) == 0 ? (code) : (prefix) == 0xFC ? 256 + (code) : 256 + FC_LIMIT + (code))
static const uint16_t encoding_to_op[256 + FC_LIMIT + FD_LIMIT] = {
#define OP(sym, prefix, code, name, imm, sig, feature, membytes) [SLOT(prefix, code)] = WL_OP_##sym + 1,
#include "engine/opcodes/all.def"
#undef OP
};

int wl_opcode_lookup(uint8_t prefix, uint32_t code) {
  if (prefix == 0x00 && code < 256) return (int)encoding_to_op[code] - 1;
  if (prefix == 0xFC && code < FC_LIMIT) return (int)encoding_to_op[256 + code] - 1;
  if (prefix == 0xFD && code < FD_LIMIT) return (int)encoding_to_op[SLOT(0xFD, code)] - 1;
  return -1;
}
