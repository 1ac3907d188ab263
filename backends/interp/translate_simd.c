/* SIMD instructions, translated generically from their opcode row: the operands named by the
 * signature are popped (a v128 is two slot heights, named by its first slot), the result is
 * pushed to its canonical slot, and the handler gets [dst?, operands in signature order,
 * immediates]: a memarg's offset, a lane index, or the 16 immediate bytes as two words.
 * Every operand is read where it lives, so a v128 local needs no copy. */
#include <string.h>

#include "backends/interp/simd.h"
#include "backends/interp/translate.h"

/* wl_opcode -> IOP + 1 for the rows of the SIMD and relaxed SIMD tables (0 elsewhere). */
static const uint16_t simd_iop[WL_OP_COUNT] = {
#define OP(sym, prefix, code, name, imm, sig, feature, membytes) [WL_OP_##sym] = IOP_##sym + 1,
#include "proposals/simd/opcodes.def"
#include "proposals/relaxed_simd/opcodes.def"
#undef OP
};

static void emit_immediates(translator *t, const wl_instr *in) {
  switch (wl_opinfo_table[in->op].imm) {
    case WL_IMM_MEMARG: tr_emit(t, in->imm.memarg.offset); return;
    case WL_IMM_MEMLANE:
      tr_emit(t, in->imm.memarg.offset);
      tr_emit(t, in->lane);
      return;
    case WL_IMM_LANE: tr_emit(t, in->lane); return;
    case WL_IMM_V128:
    case WL_IMM_SHUFFLE:
      tr_emit(t, (int64_t)in->imm.v128.halves[0]);
      tr_emit(t, (int64_t)in->imm.v128.halves[1]);
      return;
    default: return;
  }
}

/* When the shuffle moves whole aligned 32-bit lanes (as compilers' lane interleaves and
 * half extractions do), the four source lane numbers packed one per byte; else -1. */
static int64_t lane32_shuffle(const wl_instr *in) {
  const uint8_t *m = in->imm.v128.bytes;
  int64_t packed = 0;
  for (int k = 0; k < 4; k++) {
    if (m[4 * k] % 4) return -1;
    for (int j = 1; j < 4; j++)
      if (m[4 * k + j] != m[4 * k] + j) return -1;
    packed |= (int64_t)(m[4 * k] / 4) << (8 * k);
  }
  return packed;
}

/* [op, dst, a, b] of a shuffle form; its lane words follow. */
static void emit_shuffle_head(translator *t, wl_iop op) {
  int64_t b = tr_pop_v128(t), a = tr_pop_v128(t);
  int64_t dst = tr_push_v128(t);
  tr_emit_op(t, op);
  tr_emit(t, dst);
  tr_emit(t, a);
  tr_emit(t, b);
}

static void translate_shuffle32(translator *t, int64_t lanes) {
  emit_shuffle_head(t, IOP_I8X16_SHUFFLE_32);
  tr_emit(t, lanes);
}

/* Only translated where the CPU has SSSE3 (v_pshufb_usable). */
static void translate_shuffle_pshufb(translator *t, const wl_instr *in) {
  uint8_t ma[16], mb[16];
  for (int i = 0; i < 16; i++) {
    uint8_t lane = in->imm.v128.bytes[i];
    ma[i] = lane < 16 ? lane : 0x80;
    mb[i] = lane >= 16 ? lane - 16 : 0x80;
  }
  uint64_t words[4];
  memcpy(words, ma, 16);
  memcpy(words + 2, mb, 16);
  emit_shuffle_head(t, IOP_I8X16_SHUFFLE_PSHUFB);
  for (int k = 0; k < 4; k++) tr_emit(t, (int64_t)words[k]);
}

/* The fast forms of i8x16.shuffle; false when the generic byte loop is used. */
static bool translate_fast_shuffle(translator *t, const wl_instr *in) {
  if (in->op != WL_OP_I8X16_SHUFFLE || !t->fast_paths) return false;
  int64_t lanes = lane32_shuffle(in);
  if (lanes >= 0) {
    translate_shuffle32(t, lanes);
    return true;
  }
#ifdef WL_HAVE_PSHUFB
  if (v_pshufb_usable()) {
    translate_shuffle_pshufb(t, in);
    return true;
  }
#endif
  return false;
}

bool tr_simd(translator *t, const wl_instr *in) {
  if (!simd_iop[in->op]) return false;
  if (translate_fast_shuffle(t, in)) return true;
  const char *sig = wl_opinfo_table[in->op].sig;
  const char *colon = sig;
  while (*colon != ':') colon++;
  int64_t operands[3];
  unsigned n = (unsigned)(colon - sig);
  for (unsigned k = n; k-- > 0;) operands[k] = sig[k] == 'v' ? tr_pop_v128(t) : tr_pop(t);
  int64_t dst = colon[1] == 'v' ? tr_push_v128(t) : colon[1] ? tr_push(t) : -1;
  tr_emit_op(t, (wl_iop)(simd_iop[in->op] - 1));
  if (dst >= 0) tr_emit(t, dst);
  for (unsigned k = 0; k < n; k++) tr_emit(t, operands[k]);
  emit_immediates(t, in);
  return true;
}
