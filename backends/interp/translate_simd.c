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

/* wl_opcode -> IOP + 1 of its constant form (simd_fused.def; 0 where there is none). */
static const uint16_t simd_k_iop[WL_OP_COUNT] = {
#define SIMD_K(sym) [WL_OP_##sym] = IOP_##sym##_K + 1,
#define SIMD_SHIFT_K(sym) [WL_OP_##sym] = IOP_##sym##_K + 1,
#include "backends/interp/simd_fused.def"
};

/* wl_opcode -> IOP + 1 of its fused-address form (simd_fused.def; 0 where there is none). */
static const uint16_t simd_addi_iop[WL_OP_COUNT] = {
#define SIMD_ADDI(sym) [WL_OP_##sym] = IOP_##sym##_ADDI + 1,
#include "backends/interp/simd_fused.def"
};

/* The start of the instruction just emitted when its handler is `op`, it wrote its result to
 * `slot` (a canonical slot the caller pops, so nothing else reads it) and it is `len` words
 * long; -1 otherwise. */
static int64_t just_emitted(const translator *t, wl_iop op, int64_t slot, size_t len) {
  if (t->last_dst < 1 || t->oom) return -1;
  size_t at = (size_t)t->last_dst - 1;
  if (at + len != t->n || t->code[at].h != t->handlers[op] || t->code[at + 1].i != slot) return -1;
  return (int64_t)at;
}

/* [op, dst, operands...] with dst noted for retargeting by a following local.set/tee. */
static void emit_head(translator *t, wl_iop op, int64_t dst) {
  tr_emit_op(t, op);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
}

/* A binary v128 instruction whose second operand the v128.const just emitted produced:
 * [OP_K, dst, a, low, high] instead of the two. */
static bool fuse_const_operand(translator *t, const wl_instr *in, int64_t a, int64_t b) {
  int64_t at = just_emitted(t, IOP_V128_CONST, b, 4);
  if (!simd_k_iop[in->op] || at < 0 || b != tr_slot(t, t->h - 2)) return false;
  int64_t low = t->code[at + 2].i, high = t->code[at + 3].i;
  tr_rewind(t, (size_t)at);
  t->h -= 4;
  emit_head(t, (wl_iop)(simd_k_iop[in->op] - 1), tr_push_v128(t));
  tr_emit(t, a);
  tr_emit(t, low);
  tr_emit(t, high);
  return true;
}

/* f64x2.add (f32x4.add) whose first operand the f64x2.mul (f32x4.mul) just emitted produced:
 * [MUL_ADD, dst, x, y, b] = x * y + b, both roundings kept. */
static bool fuse_mul_add(translator *t, const wl_instr *in, int64_t a, int64_t b) {
  bool f64 = in->op == WL_OP_F64X2_ADD;
  if (!f64 && in->op != WL_OP_F32X4_ADD) return false;
  int64_t at = just_emitted(t, f64 ? IOP_F64X2_MUL : IOP_F32X4_MUL, a, 4);
  if (at < 0 || a != tr_slot(t, t->h - 4)) return false;
  int64_t x = t->code[at + 2].i, y = t->code[at + 3].i;
  tr_rewind(t, (size_t)at);
  t->h -= 4;
  emit_head(t, f64 ? IOP_F64X2_MUL_ADD : IOP_F32X4_MUL_ADD, tr_push_v128(t));
  tr_emit(t, x);
  tr_emit(t, y);
  tr_emit(t, b);
  return true;
}

/* A shift whose count the i32.const just emitted gave: [OP_K, dst, a, count]. */
static bool fuse_shift_count(translator *t, const wl_instr *in) {
  int64_t count = t->vs[t->h - 1], bits;
  if (count != tr_slot(t, t->h - 1) || !tr_take_const(t, count, &bits)) return false;
  t->h--;
  int64_t a = tr_pop_v128(t);
  emit_head(t, (wl_iop)(simd_k_iop[in->op] - 1), tr_push_v128(t));
  tr_emit(t, a);
  tr_emit(t, bits);
  return true;
}

/* A v128 load (or v128.store) whose address the i32.add/sub of a constant just emitted
 * computed: [OP_ADDI, dst, a, offset, c] ([OP_ADDI, a, value, offset, c]). */
static bool fuse_address(translator *t, const wl_instr *in) {
  bool store = in->op == WL_OP_V128_STORE;
  uint32_t addr_h = t->h - (store ? 3 : 1);
  int64_t addr = t->vs[addr_h], a;
  uint32_t c;
  if (addr != tr_slot(t, addr_h) || !tr_take_add_imm(t, addr, &a, &c)) return false;
  wl_iop op = (wl_iop)(simd_addi_iop[in->op] - 1);
  if (store) {
    int64_t value = tr_pop_v128(t);
    t->h--;
    tr_emit_op(t, op);
    tr_emit(t, a);
    tr_emit(t, value);
  } else {
    t->h--;
    emit_head(t, op, tr_push_v128(t));
    tr_emit(t, a);
  }
  tr_emit(t, (int64_t)in->imm.memarg.offset);
  tr_emit(t, c);
  return true;
}

/* The fused forms of a binary v128 instruction ("vv:v"); false when none applies. */
static bool translate_fused_binary(translator *t, const wl_instr *in) {
  if (!t->fast_paths || strcmp(wl_opinfo_table[in->op].sig, "vv:v") != 0) return false;
  int64_t a = t->vs[t->h - 4], b = t->vs[t->h - 2]; /* peeked: popped only when fused */
  return fuse_const_operand(t, in, a, b) || fuse_mul_add(t, in, a, b);
}

/* [I64X2_EXTRACT_LANE, dst, v, lane] emitted at `at`: its vector, else -1 when it is not one
 * or extracts another lane or writes elsewhere. */
static int64_t extract_at(const translator *t, size_t at, int64_t dst, uint64_t lane) {
  if (t->code[at].h != t->handlers[IOP_I64X2_EXTRACT_LANE]) return -1;
  if (t->code[at + 1].i != dst || t->code[at + 3].u != lane) return -1;
  return t->code[at + 2].i;
}

bool tr_fuse_or_lanes(translator *t, int64_t dst, int64_t a, int64_t b) {
  if (t->last_dst < 1 || t->oom || a != dst || b != dst + 1 || t->n < 8) return false;
  size_t second = (size_t)t->last_dst - 1, first = second - 4;
  if (second + 4 != t->n) return false;
  /* i64.or is commutative bit for bit: the lanes may come in either order */
  int64_t v = extract_at(t, first, a, 0), w = extract_at(t, second, b, 1);
  if (v < 0 || v != w) {
    v = extract_at(t, first, a, 1);
    w = extract_at(t, second, b, 0);
  }
  if (v < 0 || v != w) return false;
  tr_rewind(t, first);
  emit_head(t, IOP_I64X2_OR_LANES, dst);
  tr_emit(t, v);
  return true;
}

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

static bool is_memory_access(const wl_instr *in) {
  wl_imm_kind imm = wl_opinfo_table[in->op].imm;
  return imm == WL_IMM_MEMARG || imm == WL_IMM_MEMLANE;
}

/* A v128 access to another memory or an i64 one: the generic V_MEM_N (simd.inc). */
static void translate_access_n(translator *t, const wl_instr *in) {
  const char *sig = wl_opinfo_table[in->op].sig;  /* "i:v", "iv:v" or "iv:" */
  int64_t vec = sig[1] == 'v' ? tr_pop_v128(t) : 0;
  int64_t addr = tr_pop(t);
  if (sig[strlen(sig) - 1] == 'v') {
    emit_head(t, IOP_V_MEM_N, tr_push_v128(t));
  } else {
    tr_emit_op(t, IOP_V_MEM_N);
    tr_emit(t, 0);  /* no result */
  }
  tr_emit(t, addr);
  tr_emit(t, vec);
  tr_emit(t, in->op);
  tr_emit(t, in->imm.memarg.memory);
  tr_emit(t, (int64_t)in->imm.memarg.offset);
  tr_emit(t, wl_opinfo_table[in->op].imm == WL_IMM_MEMLANE ? in->lane : 0);
}

bool tr_simd(translator *t, const wl_instr *in) {
  if (!simd_iop[in->op]) return false;
  if (is_memory_access(in) && !tr_is_fast_memory(t, in->imm.memarg.memory)) {
    translate_access_n(t, in);
    return true;
  }
  if (translate_fast_shuffle(t, in) || translate_fused_binary(t, in)) return true;
  if (t->fast_paths && simd_addi_iop[in->op] && fuse_address(t, in)) return true;
  if (t->fast_paths && simd_k_iop[in->op] && wl_opinfo_table[in->op].sig[1] == 'i' &&
      fuse_shift_count(t, in))
    return true;
  const char *sig = wl_opinfo_table[in->op].sig;
  const char *colon = sig;
  while (*colon != ':') colon++;
  int64_t operands[3];
  unsigned n = (unsigned)(colon - sig);
  for (unsigned k = n; k-- > 0;) operands[k] = sig[k] == 'v' ? tr_pop_v128(t) : tr_pop(t);
  int64_t dst = colon[1] == 'v' ? tr_push_v128(t) : colon[1] ? tr_push(t) : -1;
  if (dst >= 0) emit_head(t, (wl_iop)(simd_iop[in->op] - 1), dst);
  else tr_emit_op(t, (wl_iop)(simd_iop[in->op] - 1));
  for (unsigned k = 0; k < n; k++) tr_emit(t, operands[k]);
  emit_immediates(t, in);
  return true;
}
