/* SIMD instructions, translated generically from their opcode row: the operands named by the
 * signature are popped (a v128 is two slot heights, named by its first slot), the result is
 * pushed to its canonical slot, and the handler gets [dst?, operands in signature order,
 * immediates]: a memarg's offset, a lane index, or the 16 immediate bytes as two words.
 * Every operand is read where it lives, so a v128 local needs no copy. */
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

bool tr_simd(translator *t, const wl_instr *in) {
  if (!simd_iop[in->op]) return false;
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
