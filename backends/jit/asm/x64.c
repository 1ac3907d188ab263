/* x86-64 encodings (Intel SDM vol. 2): [mandatory prefix] [REX] opcode ModRM [SIB] [disp]
 * [imm]. Every instruction goes through emit(), which builds REX, ModRM and SIB from one
 * register-or-memory operand; the functions below only choose opcodes. */
#include "backends/jit/asm/x64.h"

#include <stdlib.h>
#include <string.h>

void x64_init(x64_asm *a) { *a = (x64_asm){0}; }

void x64_free(x64_asm *a) {
  free(a->buf);
  *a = (x64_asm){0};
}

static bool reserve(x64_asm *a, size_t n) {
  if (a->len + n <= a->cap) return true;
  size_t cap = a->cap * 2 + 4096;
  while (cap < a->len + n) cap *= 2;
  uint8_t *buf = realloc(a->buf, cap);
  if (!buf) {
    a->oom = true;
    return false;
  }
  a->buf = buf;
  a->cap = cap;
  return true;
}

void x64_byte(x64_asm *a, uint8_t b) {
  if (reserve(a, 1)) a->buf[a->len++] = b;
}

void x64_u32(x64_asm *a, uint32_t v) {
  if (!reserve(a, 4)) return;
  memcpy(a->buf + a->len, &v, 4);
  a->len += 4;
}

static void u64(x64_asm *a, uint64_t v) {
  x64_u32(a, (uint32_t)v);
  x64_u32(a, (uint32_t)(v >> 32));
}

/* The r/m operand: a register or a memory reference. */
typedef struct {
  bool is_mem;
  uint8_t reg;
  x64_mem m;
} rm_operand;

static rm_operand R(unsigned r) { return (rm_operand){false, (uint8_t)r, {0}}; }
static rm_operand M(x64_mem m) { return (rm_operand){true, 0, m}; }

static bool fits8(int32_t v) { return v >= -128 && v <= 127; }

static void modrm_mem(x64_asm *a, unsigned reg, x64_mem m) {
  unsigned base = (unsigned)m.base & 7;
  bool sib = m.index != X64_NO_INDEX || base == 4;  /* rsp/r12 as base need a SIB */
  unsigned mod = (m.disp == 0 && base != 5) ? 0 : fits8(m.disp) ? 1 : 2;  /* rbp/r13: disp8 0 */
  x64_byte(a, (uint8_t)(mod << 6 | (reg & 7) << 3 | (sib ? 4 : base)));
  if (sib) {
    unsigned ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
    unsigned index = m.index == X64_NO_INDEX ? 4 : (unsigned)m.index & 7;
    x64_byte(a, (uint8_t)(ss << 6 | index << 3 | base));
  }
  if (mod == 1) x64_byte(a, (uint8_t)(int8_t)m.disp);
  if (mod == 2) x64_u32(a, (uint32_t)m.disp);
}

/* The REX bits W, R, X, B for `reg` and operand o (0: no REX needed for them). */
static unsigned rex_bits(bool w, unsigned reg, rm_operand o) {
  unsigned rex = (w ? 8 : 0) | (reg & 8 ? 4 : 0);
  if (o.is_mem) {
    if (o.m.index != X64_NO_INDEX && (o.m.index & 8)) rex |= 2;
    if (o.m.base & 8) rex |= 1;
  } else if (o.reg & 8) {
    rex |= 1;
  }
  return rex;
}

/* ModRM (and SIB, displacement) for `reg` and operand o. */
static void emit_modrm(x64_asm *a, unsigned reg, rm_operand o) {
  if (o.is_mem)
    modrm_mem(a, reg, o.m);
  else
    x64_byte(a, (uint8_t)(0xC0 | (reg & 7) << 3 | (o.reg & 7)));
}

/* `byte_regs`: the operands are 8-bit registers, so spl..dil need a REX prefix. */
static void emit(x64_asm *a, uint8_t prefix, bool w, bool byte_regs, const char *op, unsigned reg,
                 rm_operand o) {
  if (prefix) x64_byte(a, prefix);
  unsigned rex = rex_bits(w, reg, o);
  bool low_byte_reg = (reg >= 4 && reg < 8) || (!o.is_mem && o.reg >= 4 && o.reg < 8);
  bool need_rex = rex || (byte_regs && low_byte_reg);
  if (need_rex) x64_byte(a, (uint8_t)(0x40 | rex));
  for (const char *p = op; *p; p++) x64_byte(a, (uint8_t)*p);
  emit_modrm(a, reg, o);
}

/* Opcode strings: emit() walks them as bytes (no opcode the JIT uses contains a zero byte). */
#define OP1(b) ((const char[]){(char)(b), 0})
#define OP2(b1, b2) ((const char[]){(char)(b1), (char)(b2), 0})
#define OP3(b1, b2, b3) ((const char[]){(char)(b1), (char)(b2), (char)(b3), 0})

/* ---------------------------------------------------------------- moves */

void x64_mov_rr(x64_asm *a, bool w64, x64_reg dst, x64_reg src) {
  emit(a, 0, w64, false, OP1(0x89), src, R(dst));
}

void x64_mov_ri(x64_asm *a, x64_reg dst, uint64_t imm) {
  if (imm <= UINT32_MAX) {  /* B8+r imm32, zero-extended */
    if (dst & 8) x64_byte(a, 0x41);
    x64_byte(a, (uint8_t)(0xB8 + (dst & 7)));
    x64_u32(a, (uint32_t)imm);
  } else if ((int64_t)imm == (int32_t)imm) {  /* C7 /0 imm32, sign-extended */
    emit(a, 0, true, false, OP1(0xC7), 0, R(dst));
    x64_u32(a, (uint32_t)imm);
  } else {  /* REX.W B8+r imm64 */
    x64_byte(a, (uint8_t)(0x48 | (dst & 8 ? 1 : 0)));
    x64_byte(a, (uint8_t)(0xB8 + (dst & 7)));
    u64(a, imm);
  }
}

void x64_load(x64_asm *a, unsigned bytes, bool sign, bool w64, x64_reg dst, x64_mem m) {
  switch (bytes) {
    case 1: emit(a, 0, w64, false, OP2(0x0F, sign ? 0xBE : 0xB6), dst, M(m)); break;
    case 2: emit(a, 0, w64, false, OP2(0x0F, sign ? 0xBF : 0xB7), dst, M(m)); break;
    case 4:
      if (sign && w64)
        emit(a, 0, true, false, OP1(0x63), dst, M(m));  /* movsxd */
      else
        emit(a, 0, false, false, OP1(0x8B), dst, M(m));
      break;
    default: emit(a, 0, true, false, OP1(0x8B), dst, M(m)); break;
  }
}

void x64_store(x64_asm *a, unsigned bytes, x64_mem m, x64_reg src) {
  switch (bytes) {
    case 1: emit(a, 0, false, true, OP1(0x88), src, M(m)); break;
    case 2: emit(a, 0x66, false, false, OP1(0x89), src, M(m)); break;
    case 4: emit(a, 0, false, false, OP1(0x89), src, M(m)); break;
    default: emit(a, 0, true, false, OP1(0x89), src, M(m)); break;
  }
}

void x64_store_imm(x64_asm *a, bool w64, x64_mem m, int32_t imm) {
  emit(a, 0, w64, false, OP1(0xC7), 0, M(m));
  x64_u32(a, (uint32_t)imm);
}

void x64_lea(x64_asm *a, x64_reg dst, x64_mem m) { emit(a, 0, true, false, OP1(0x8D), dst, M(m)); }

size_t x64_lea_rip(x64_asm *a, x64_reg dst) {
  x64_byte(a, dst & 8 ? 0x4C : 0x48);
  x64_byte(a, 0x8D);
  x64_byte(a, (uint8_t)(0x05 | (dst & 7) << 3));  /* mod 00, rm 101: rip + disp32 */
  size_t pos = a->len;
  x64_u32(a, 0);
  return pos;
}

/* ---------------------------------------------------------------- arithmetic */

void x64_alu_rr(x64_asm *a, x64_alu op, bool w64, x64_reg dst, x64_reg src) {
  emit(a, 0, w64, false, OP1(op * 8 + 1), src, R(dst));  /* op r/m, r */
}

static void alu_imm(x64_asm *a, x64_alu op, bool w64, rm_operand o, int32_t imm) {
  if (fits8(imm)) {
    emit(a, 0, w64, false, OP1(0x83), op, o);
    x64_byte(a, (uint8_t)(int8_t)imm);
  } else {
    emit(a, 0, w64, false, OP1(0x81), op, o);
    x64_u32(a, (uint32_t)imm);
  }
}

void x64_alu_ri(x64_asm *a, x64_alu op, bool w64, x64_reg dst, int32_t imm) {
  alu_imm(a, op, w64, R(dst), imm);
}

size_t x64_alu_ri32(x64_asm *a, x64_alu op, bool w64, x64_reg dst, int32_t imm) {
  emit(a, 0, w64, false, OP1(0x81), op, R(dst));
  size_t pos = a->len;
  x64_u32(a, (uint32_t)imm);
  return pos;
}

void x64_set_u32(x64_asm *a, size_t pos, uint32_t v) {
  if (!a->oom && pos + 4 <= a->len) memcpy(a->buf + pos, &v, 4);
}

void x64_alu_rm(x64_asm *a, x64_alu op, bool w64, x64_reg dst, x64_mem m) {
  emit(a, 0, w64, false, OP1(op * 8 + 3), dst, M(m));  /* op r, r/m */
}

void x64_alu_mi(x64_asm *a, x64_alu op, bool w64, x64_mem m, int32_t imm) {
  alu_imm(a, op, w64, M(m), imm);
}

void x64_test_rr(x64_asm *a, bool w64, x64_reg x, x64_reg y) {
  emit(a, 0, w64, false, OP1(0x85), y, R(x));
}

void x64_imul_rr(x64_asm *a, bool w64, x64_reg dst, x64_reg src) {
  emit(a, 0, w64, false, OP2(0x0F, 0xAF), dst, R(src));
}

void x64_shift_cl(x64_asm *a, x64_shift op, bool w64, x64_reg r) {
  emit(a, 0, w64, false, OP1(0xD3), op, R(r));
}

void x64_unary(x64_asm *a, x64_unary_op op, bool w64, x64_reg r) {
  emit(a, 0, w64, false, OP1(0xF7), op, R(r));
}

void x64_sign_extend_ax(x64_asm *a, bool w64) {
  if (w64) x64_byte(a, 0x48);
  x64_byte(a, 0x99);
}

void x64_bitcount(x64_asm *a, x64_bitcount_op op, bool w64, x64_reg dst, x64_reg src) {
  emit(a, 0xF3, w64, false, OP2(0x0F, op), dst, R(src));
}

void x64_movsx_rr(x64_asm *a, unsigned bytes, bool w64, x64_reg dst, x64_reg src) {
  if (bytes == 4)
    emit(a, 0, true, false, OP1(0x63), dst, R(src));
  else
    emit(a, 0, w64, bytes == 1, OP2(0x0F, bytes == 1 ? 0xBE : 0xBF), dst, R(src));
}

void x64_setcc(x64_asm *a, x64_cond cc, x64_reg dst) {
  emit(a, 0, false, true, OP2(0x0F, 0x90 + cc), 0, R(dst));
}

void x64_movzx8(x64_asm *a, x64_reg dst, x64_reg src) {
  emit(a, 0, false, true, OP2(0x0F, 0xB6), dst, R(src));
}

void x64_cmov(x64_asm *a, x64_cond cc, bool w64, x64_reg dst, x64_reg src) {
  emit(a, 0, w64, false, OP2(0x0F, 0x40 + cc), dst, R(src));
}

/* ---------------------------------------------------------------- control */

static size_t rel32_here(x64_asm *a) {
  size_t pos = a->len;
  x64_u32(a, 0);
  return pos;
}

size_t x64_jmp32(x64_asm *a) {
  x64_byte(a, 0xE9);
  return rel32_here(a);
}

size_t x64_jcc32(x64_asm *a, x64_cond cc) {
  x64_byte(a, 0x0F);
  x64_byte(a, (uint8_t)(0x80 + cc));
  return rel32_here(a);
}

size_t x64_call32(x64_asm *a) {
  x64_byte(a, 0xE8);
  return rel32_here(a);
}

void x64_patch(x64_asm *a, size_t pos, size_t target) {
  if (a->oom || pos + 4 > a->len) return;
  int32_t rel = (int32_t)((int64_t)target - (int64_t)(pos + 4));
  memcpy(a->buf + pos, &rel, 4);
}

void x64_jmp_to(x64_asm *a, size_t target) { x64_patch(a, x64_jmp32(a), target); }

void x64_jcc_to(x64_asm *a, x64_cond cc, size_t target) { x64_patch(a, x64_jcc32(a, cc), target); }

void x64_call_r(x64_asm *a, x64_reg r) { emit(a, 0, false, false, OP1(0xFF), 2, R(r)); }
void x64_jmp_r(x64_asm *a, x64_reg r) { emit(a, 0, false, false, OP1(0xFF), 4, R(r)); }
void x64_ret(x64_asm *a) { x64_byte(a, 0xC3); }
void x64_ud2(x64_asm *a) {
  x64_byte(a, 0x0F);
  x64_byte(a, 0x0B);
}

void x64_push(x64_asm *a, x64_reg r) {
  if (r & 8) x64_byte(a, 0x41);
  x64_byte(a, (uint8_t)(0x50 + (r & 7)));
}

void x64_pop(x64_asm *a, x64_reg r) {
  if (r & 8) x64_byte(a, 0x41);
  x64_byte(a, (uint8_t)(0x58 + (r & 7)));
}

/* ---------------------------------------------------------------- SSE */

void x64_movq_xr(x64_asm *a, bool w64, x64_xmm dst, x64_reg src) {
  emit(a, 0x66, w64, false, OP2(0x0F, 0x6E), dst, R(src));
}

void x64_movq_rx(x64_asm *a, bool w64, x64_reg dst, x64_xmm src) {
  emit(a, 0x66, w64, false, OP2(0x0F, 0x7E), src, R(dst));
}

void x64_sse_rr(x64_asm *a, x64_sse op, bool f64, x64_xmm dst, x64_xmm src) {
  emit(a, f64 ? 0xF2 : 0xF3, false, false, OP2(0x0F, op), dst, R(src));
}

void x64_ucomi(x64_asm *a, bool f64, x64_xmm x, x64_xmm y) {
  emit(a, f64 ? 0x66 : 0, false, false, OP2(0x0F, 0x2E), x, R(y));
}

void x64_cvtsi2f(x64_asm *a, bool f64, bool src64, x64_xmm dst, x64_reg src) {
  emit(a, f64 ? 0xF2 : 0xF3, src64, false, OP2(0x0F, 0x2A), dst, R(src));
}

void x64_round(x64_asm *a, bool f64, x64_xmm dst, x64_xmm src, x64_round_mode mode) {
  emit(a, 0x66, false, false, OP3(0x0F, 0x3A, f64 ? 0x0B : 0x0A), dst, R(src));
  x64_byte(a, (uint8_t)mode);
}

/* ---------------------------------------------------------------- register-cache forms */

void x64_lea32(x64_asm *a, x64_reg dst, x64_mem m) { emit(a, 0, false, false, OP1(0x8D), dst, M(m)); }

void x64_shift_ri(x64_asm *a, x64_shift op, bool w64, x64_reg r, uint8_t count) {
  emit(a, 0, w64, false, OP1(0xC1), op, R(r));
  x64_byte(a, count);
}

void x64_imul_rri(x64_asm *a, bool w64, x64_reg dst, x64_reg src, int32_t imm) {
  if (fits8(imm)) {
    emit(a, 0, w64, false, OP1(0x6B), dst, R(src));
    x64_byte(a, (uint8_t)(int8_t)imm);
  } else {
    emit(a, 0, w64, false, OP1(0x69), dst, R(src));
    x64_u32(a, (uint32_t)imm);
  }
}

void x64_imul_rm(x64_asm *a, bool w64, x64_reg dst, x64_mem m) {
  emit(a, 0, w64, false, OP2(0x0F, 0xAF), dst, M(m));
}

void x64_test_ri(x64_asm *a, bool w64, x64_reg r, int32_t imm) {
  emit(a, 0, w64, false, OP1(0xF7), 0, R(r));
  x64_u32(a, (uint32_t)imm);
}

void x64_cmov_rm(x64_asm *a, x64_cond cc, bool w64, x64_reg dst, x64_mem m) {
  emit(a, 0, w64, false, OP2(0x0F, 0x40 + cc), dst, M(m));
}

void x64_fload(x64_asm *a, bool f64, x64_xmm dst, x64_mem m) {
  emit(a, f64 ? 0xF2 : 0xF3, false, false, OP2(0x0F, 0x10), dst, M(m));
}

void x64_fstore(x64_asm *a, bool f64, x64_mem m, x64_xmm src) {
  emit(a, f64 ? 0xF2 : 0xF3, false, false, OP2(0x0F, 0x11), src, M(m));
}

void x64_movaps(x64_asm *a, x64_xmm dst, x64_xmm src) {
  emit(a, 0, false, false, OP2(0x0F, 0x28), dst, R(src));
}

void x64_andps(x64_asm *a, x64_xmm dst, x64_xmm src) {
  emit(a, 0, false, false, OP2(0x0F, 0x54), dst, R(src));
}

void x64_xorps(x64_asm *a, x64_xmm dst, x64_xmm src) {
  emit(a, 0, false, false, OP2(0x0F, 0x57), dst, R(src));
}

void x64_sse_rm(x64_asm *a, x64_sse op, bool f64, x64_xmm dst, x64_mem m) {
  emit(a, f64 ? 0xF2 : 0xF3, false, false, OP2(0x0F, op), dst, M(m));
}

void x64_ucomi_m(x64_asm *a, bool f64, x64_xmm x, x64_mem m) {
  emit(a, f64 ? 0x66 : 0, false, false, OP2(0x0F, 0x2E), x, M(m));
}

void x64_cvttf2si(x64_asm *a, bool f64, bool dst64, x64_reg dst, x64_xmm src) {
  emit(a, f64 ? 0xF2 : 0xF3, dst64, false, OP2(0x0F, 0x2C), dst, R(src));
}

/* ---------------------------------------------------------------- SIMD (v128) forms */

void x64_movups_load(x64_asm *a, x64_xmm dst, x64_mem m) {
  emit(a, 0, false, false, OP2(0x0F, 0x10), dst, M(m));
}

void x64_movups_store(x64_asm *a, x64_mem m, x64_xmm src) {
  emit(a, 0, false, false, OP2(0x0F, 0x11), src, M(m));
}

/* prefix (66/F2/F3 or none), REX, 0F [38 | 3A], opcode, ModRM: the legacy SSE encoding. */
static void emit_vec(x64_asm *a, x64_vec_op op, bool w, unsigned reg, rm_operand o) {
  uint8_t prefix = (uint8_t)(op >> 16), map = (uint8_t)(op >> 8);
  if (prefix) x64_byte(a, prefix);
  unsigned rex = rex_bits(w, reg, o);
  if (rex) x64_byte(a, (uint8_t)(0x40 | rex));
  x64_byte(a, 0x0F);
  if (map == 2) x64_byte(a, 0x38);
  if (map == 3) x64_byte(a, 0x3A);
  x64_byte(a, (uint8_t)op);
  emit_modrm(a, reg, o);
}

void x64_vec(x64_asm *a, x64_vec_op op, x64_xmm dst, x64_xmm src) { emit_vec(a, op, false, dst, R(src)); }

void x64_vec_imm(x64_asm *a, x64_vec_op op, x64_xmm dst, x64_xmm src, uint8_t imm) {
  emit_vec(a, op, false, dst, R(src));
  x64_byte(a, imm);
}

void x64_vec_mem(x64_asm *a, x64_vec_op op, x64_xmm dst, x64_mem m) { emit_vec(a, op, false, dst, M(m)); }

void x64_vec_shift_imm(x64_asm *a, x64_vec_op op, unsigned digit, x64_xmm x, uint8_t count) {
  emit_vec(a, op, false, digit, R(x));
  x64_byte(a, count);
}

void x64_vec_gpr(x64_asm *a, x64_vec_op op, bool w, unsigned reg, unsigned rm, int imm) {
  emit_vec(a, op, w, reg, R(rm));
  if (imm >= 0) x64_byte(a, (uint8_t)imm);
}

void x64_vec_gpr_mem(x64_asm *a, x64_vec_op op, x64_xmm x, x64_mem m, uint8_t imm) {
  emit_vec(a, op, false, x, M(m));
  x64_byte(a, imm);
}
