/* A small x86-64 assembler: just the instructions the baseline JIT emits, encoded directly
 * into a growable buffer. Jumps and calls are rel32 with patch helpers; memory operands are
 * [base + index * scale + disp32] (base always present). Registers use their hardware numbers,
 * so an encoding is a function of its arguments only (harness/ctests/jit_asm_test.c decodes
 * every form with capstone and compares). Out of memory sets `oom` and drops bytes. */
#ifndef WL_JIT_X64_H
#define WL_JIT_X64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
  X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15
} x64_reg;

/* XMM registers are numbered 0..15 the same way. */
typedef uint8_t x64_xmm;

#define X64_NO_INDEX (-1)

typedef struct {
  int8_t base;    /* x64_reg */
  int8_t index;   /* x64_reg or X64_NO_INDEX; never rsp */
  uint8_t scale;  /* 1, 2, 4 or 8 */
  int32_t disp;
} x64_mem;

static inline x64_mem x64_m(x64_reg base, int32_t disp) {
  return (x64_mem){(int8_t)base, X64_NO_INDEX, 1, disp};
}
static inline x64_mem x64_mi(x64_reg base, x64_reg index, uint8_t scale, int32_t disp) {
  return (x64_mem){(int8_t)base, (int8_t)index, scale, disp};
}

/* Condition codes, as in Jcc/SETcc/CMOVcc. */
typedef enum {
  X64_O, X64_NO, X64_B, X64_AE, X64_E, X64_NE, X64_BE, X64_A,
  X64_S, X64_NS, X64_P, X64_NP, X64_L, X64_GE, X64_LE, X64_G
} x64_cond;

/* The /digit of the 0x81 / 0x01-family group: ADD OR ADC SBB AND SUB XOR CMP. */
typedef enum { X64_ADD, X64_OR, X64_ADC, X64_SBB, X64_AND, X64_SUB, X64_XOR, X64_CMP } x64_alu;
/* Shifts and rotates by cl (0xD3 /digit). */
typedef enum { X64_ROL = 0, X64_ROR = 1, X64_SHL = 4, X64_SHR = 5, X64_SAR = 7 } x64_shift;
/* The 0xF7 group on one register. */
typedef enum { X64_NOT = 2, X64_NEG = 3, X64_MUL = 4, X64_DIV = 6, X64_IDIV = 7 } x64_unary_op;
/* F3 0F xx bit counts. */
typedef enum { X64_POPCNT = 0xB8, X64_TZCNT = 0xBC, X64_LZCNT = 0xBD } x64_bitcount_op;
/* Scalar SSE arithmetic (F3 = single, F2 = double prefix). */
typedef enum {
  X64_SQRT = 0x51, X64_FADD = 0x58, X64_FMUL = 0x59, X64_FCVT = 0x5A, X64_FSUB = 0x5C,
  X64_FDIV = 0x5E
} x64_sse;
/* roundss/roundsd immediates. */
typedef enum { X64_ROUND_NEAREST = 0, X64_ROUND_FLOOR = 1, X64_ROUND_CEIL = 2, X64_ROUND_TRUNC = 3 } x64_round_mode;

typedef struct {
  uint8_t *buf;
  size_t len, cap;
  bool oom;
} x64_asm;

void x64_init(x64_asm *a);
void x64_free(x64_asm *a);
void x64_byte(x64_asm *a, uint8_t b);
void x64_u32(x64_asm *a, uint32_t v);

/* Integer moves. `w64` selects the 64-bit form; 32-bit forms zero the upper half. */
void x64_mov_rr(x64_asm *a, bool w64, x64_reg dst, x64_reg src);
/* Shortest form for `imm`: mov r32 (zero-extended), mov r64 with sign-extended imm32, movabs. */
void x64_mov_ri(x64_asm *a, x64_reg dst, uint64_t imm);
/* Loads `bytes` (1, 2, 4, 8) from memory, zero- or sign-extended to 32 or 64 bits. */
void x64_load(x64_asm *a, unsigned bytes, bool sign, bool w64, x64_reg dst, x64_mem m);
void x64_store(x64_asm *a, unsigned bytes, x64_mem m, x64_reg src);
void x64_store_imm(x64_asm *a, bool w64, x64_mem m, int32_t imm);
void x64_lea(x64_asm *a, x64_reg dst, x64_mem m);
/* lea dst, [rip + rel32]: returns the rel32 position for x64_patch (target = a position). */
size_t x64_lea_rip(x64_asm *a, x64_reg dst);

/* Arithmetic and logic. */
void x64_alu_rr(x64_asm *a, x64_alu op, bool w64, x64_reg dst, x64_reg src);
void x64_alu_ri(x64_asm *a, x64_alu op, bool w64, x64_reg dst, int32_t imm);
/* Always the imm32 form; returns the immediate's position, to be rewritten by x64_set_u32. */
size_t x64_alu_ri32(x64_asm *a, x64_alu op, bool w64, x64_reg dst, int32_t imm);
void x64_set_u32(x64_asm *a, size_t pos, uint32_t v);
void x64_alu_rm(x64_asm *a, x64_alu op, bool w64, x64_reg dst, x64_mem m);
void x64_alu_mi(x64_asm *a, x64_alu op, bool w64, x64_mem m, int32_t imm);
void x64_test_rr(x64_asm *a, bool w64, x64_reg x, x64_reg y);
void x64_imul_rr(x64_asm *a, bool w64, x64_reg dst, x64_reg src);
void x64_shift_cl(x64_asm *a, x64_shift op, bool w64, x64_reg r);
void x64_unary(x64_asm *a, x64_unary_op op, bool w64, x64_reg r);
void x64_sign_extend_ax(x64_asm *a, bool w64);  /* cdq / cqo */
void x64_bitcount(x64_asm *a, x64_bitcount_op op, bool w64, x64_reg dst, x64_reg src);
void x64_movsx_rr(x64_asm *a, unsigned bytes, bool w64, x64_reg dst, x64_reg src);
void x64_setcc(x64_asm *a, x64_cond cc, x64_reg dst);  /* dst's low byte */
void x64_movzx8(x64_asm *a, x64_reg dst, x64_reg src); /* movzx r32, r8 */
void x64_cmov(x64_asm *a, x64_cond cc, bool w64, x64_reg dst, x64_reg src);

/* Control transfer. The *32 forms return the position of their rel32 field for x64_patch. */
size_t x64_jmp32(x64_asm *a);
size_t x64_jcc32(x64_asm *a, x64_cond cc);
size_t x64_call32(x64_asm *a);
void x64_patch(x64_asm *a, size_t rel32_pos, size_t target);
void x64_jmp_to(x64_asm *a, size_t target);
void x64_jcc_to(x64_asm *a, x64_cond cc, size_t target);
void x64_call_r(x64_asm *a, x64_reg r);
void x64_jmp_r(x64_asm *a, x64_reg r);
void x64_ret(x64_asm *a);
void x64_push(x64_asm *a, x64_reg r);
void x64_pop(x64_asm *a, x64_reg r);
void x64_ud2(x64_asm *a);

/* SSE scalars. */
void x64_movq_xr(x64_asm *a, bool w64, x64_xmm dst, x64_reg src);  /* movd / movq xmm, r */
void x64_movq_rx(x64_asm *a, bool w64, x64_reg dst, x64_xmm src);  /* movd / movq r, xmm */
void x64_sse_rr(x64_asm *a, x64_sse op, bool f64, x64_xmm dst, x64_xmm src);
void x64_ucomi(x64_asm *a, bool f64, x64_xmm x, x64_xmm y);
void x64_cvtsi2f(x64_asm *a, bool f64, bool src64, x64_xmm dst, x64_reg src);
void x64_round(x64_asm *a, bool f64, x64_xmm dst, x64_xmm src, x64_round_mode mode);

/* Forms the register cache uses (operands in any register, memory or immediate). */
void x64_lea32(x64_asm *a, x64_reg dst, x64_mem m);  /* 32-bit result, zero-extended */
void x64_shift_ri(x64_asm *a, x64_shift op, bool w64, x64_reg r, uint8_t count);
void x64_imul_rri(x64_asm *a, bool w64, x64_reg dst, x64_reg src, int32_t imm);
void x64_imul_rm(x64_asm *a, bool w64, x64_reg dst, x64_mem m);
void x64_test_ri(x64_asm *a, bool w64, x64_reg r, int32_t imm);
void x64_cmov_rm(x64_asm *a, x64_cond cc, bool w64, x64_reg dst, x64_mem m);
void x64_fload(x64_asm *a, bool f64, x64_xmm dst, x64_mem m);    /* movss / movsd xmm, m */
void x64_fstore(x64_asm *a, bool f64, x64_mem m, x64_xmm src);   /* movss / movsd m, xmm */
void x64_movaps(x64_asm *a, x64_xmm dst, x64_xmm src);
void x64_xorps(x64_asm *a, x64_xmm dst, x64_xmm src);
void x64_andps(x64_asm *a, x64_xmm dst, x64_xmm src);
void x64_sse_rm(x64_asm *a, x64_sse op, bool f64, x64_xmm dst, x64_mem m);
void x64_ucomi_m(x64_asm *a, bool f64, x64_xmm x, x64_mem m);
void x64_cvttf2si(x64_asm *a, bool f64, bool dst64, x64_reg dst, x64_xmm src);  /* cvtts?2si */

/* SIMD (v128): unaligned 16-byte moves (frame cells are 8-byte aligned). */
void x64_movups_load(x64_asm *a, x64_xmm dst, x64_mem m);   /* movups xmm, m128 */
void x64_movups_store(x64_asm *a, x64_mem m, x64_xmm src);  /* movups m128, xmm */

/* Packed SSE (up to SSE4.1) in the legacy encoding: prefix << 16 | map << 8 | opcode, map 1 =
 * 0F, 2 = 0F 38, 3 = 0F 3A. Register operands only (packed memory operands would need 16-byte
 * alignment) except the loads of x64_vec_mem / x64_vec_gpr_mem, which have no such need. */
#define X64_VEC(prefix, map, op) ((prefix) << 16 | (map) << 8 | (op))
typedef enum {
  X64_PADDB = X64_VEC(0x66, 1, 0xFC), X64_PADDW = X64_VEC(0x66, 1, 0xFD),
  X64_PADDD = X64_VEC(0x66, 1, 0xFE), X64_PADDQ = X64_VEC(0x66, 1, 0xD4),
  X64_PSUBB = X64_VEC(0x66, 1, 0xF8), X64_PSUBW = X64_VEC(0x66, 1, 0xF9),
  X64_PSUBD = X64_VEC(0x66, 1, 0xFA), X64_PSUBQ = X64_VEC(0x66, 1, 0xFB),
  X64_PMULLW = X64_VEC(0x66, 1, 0xD5), X64_PMULLD = X64_VEC(0x66, 2, 0x40),
  X64_PADDSB = X64_VEC(0x66, 1, 0xEC), X64_PADDUSB = X64_VEC(0x66, 1, 0xDC),
  X64_PADDSW = X64_VEC(0x66, 1, 0xED), X64_PADDUSW = X64_VEC(0x66, 1, 0xDD),
  X64_PSUBSB = X64_VEC(0x66, 1, 0xE8), X64_PSUBUSB = X64_VEC(0x66, 1, 0xD8),
  X64_PSUBSW = X64_VEC(0x66, 1, 0xE9), X64_PSUBUSW = X64_VEC(0x66, 1, 0xD9),
  X64_PAVGB = X64_VEC(0x66, 1, 0xE0), X64_PAVGW = X64_VEC(0x66, 1, 0xE3),
  X64_PMINSB = X64_VEC(0x66, 2, 0x38), X64_PMINUB = X64_VEC(0x66, 1, 0xDA),
  X64_PMINSW = X64_VEC(0x66, 1, 0xEA), X64_PMINUW = X64_VEC(0x66, 2, 0x3A),
  X64_PMINSD = X64_VEC(0x66, 2, 0x39), X64_PMINUD = X64_VEC(0x66, 2, 0x3B),
  X64_PMAXSB = X64_VEC(0x66, 2, 0x3C), X64_PMAXUB = X64_VEC(0x66, 1, 0xDE),
  X64_PMAXSW = X64_VEC(0x66, 1, 0xEE), X64_PMAXUW = X64_VEC(0x66, 2, 0x3E),
  X64_PMAXSD = X64_VEC(0x66, 2, 0x3D), X64_PMAXUD = X64_VEC(0x66, 2, 0x3F),
  X64_PCMPEQB = X64_VEC(0x66, 1, 0x74), X64_PCMPEQW = X64_VEC(0x66, 1, 0x75),
  X64_PCMPEQD = X64_VEC(0x66, 1, 0x76), X64_PCMPEQQ = X64_VEC(0x66, 2, 0x29),
  X64_PCMPGTB = X64_VEC(0x66, 1, 0x64), X64_PCMPGTW = X64_VEC(0x66, 1, 0x65),
  X64_PCMPGTD = X64_VEC(0x66, 1, 0x66),
  X64_PAND = X64_VEC(0x66, 1, 0xDB), X64_PANDN = X64_VEC(0x66, 1, 0xDF),
  X64_POR = X64_VEC(0x66, 1, 0xEB), X64_PXOR = X64_VEC(0x66, 1, 0xEF),
  X64_ADDPS = X64_VEC(0, 1, 0x58), X64_SUBPS = X64_VEC(0, 1, 0x5C),
  X64_MULPS = X64_VEC(0, 1, 0x59), X64_DIVPS = X64_VEC(0, 1, 0x5E),
  X64_SQRTPS = X64_VEC(0, 1, 0x51), X64_CMPPS = X64_VEC(0, 1, 0xC2),
  X64_ADDPD = X64_VEC(0x66, 1, 0x58), X64_SUBPD = X64_VEC(0x66, 1, 0x5C),
  X64_MULPD = X64_VEC(0x66, 1, 0x59), X64_DIVPD = X64_VEC(0x66, 1, 0x5E),
  X64_SQRTPD = X64_VEC(0x66, 1, 0x51), X64_CMPPD = X64_VEC(0x66, 1, 0xC2),
  X64_PSHUFB = X64_VEC(0x66, 2, 0x00), X64_PSHUFD = X64_VEC(0x66, 1, 0x70),
  X64_PSHUFLW = X64_VEC(0xF2, 1, 0x70), X64_PUNPCKLQDQ = X64_VEC(0x66, 1, 0x6C),
  X64_PUNPCKHQDQ = X64_VEC(0x66, 1, 0x6D), X64_PACKSSWB = X64_VEC(0x66, 1, 0x63),
  X64_PTEST = X64_VEC(0x66, 2, 0x17),
  X64_PABSB = X64_VEC(0x66, 2, 0x1C), X64_PABSW = X64_VEC(0x66, 2, 0x1D),
  X64_PABSD = X64_VEC(0x66, 2, 0x1E),
  X64_MINPS = X64_VEC(0, 1, 0x5D), X64_MAXPS = X64_VEC(0, 1, 0x5F),
  X64_MINPD = X64_VEC(0x66, 1, 0x5D), X64_MAXPD = X64_VEC(0x66, 1, 0x5F),
  X64_ROUNDPS = X64_VEC(0x66, 3, 0x08), X64_ROUNDPD = X64_VEC(0x66, 3, 0x09),
  X64_CVTDQ2PS = X64_VEC(0, 1, 0x5B), X64_CVTDQ2PD = X64_VEC(0xF3, 1, 0xE6),
  X64_CVTPS2PD = X64_VEC(0, 1, 0x5A), X64_CVTPD2PS = X64_VEC(0x66, 1, 0x5A),
  X64_PMADDWD = X64_VEC(0x66, 1, 0xF5),
  X64_PACKUSWB = X64_VEC(0x66, 1, 0x67), X64_PACKSSDW = X64_VEC(0x66, 1, 0x6B),
  X64_PACKUSDW = X64_VEC(0x66, 2, 0x2B),
  X64_MOVLPS = X64_VEC(0, 1, 0x12), X64_MOVHPS = X64_VEC(0, 1, 0x16),  /* x64_vec_mem: m64 */
  X64_PMOVMSKB = X64_VEC(0x66, 1, 0xD7), X64_MOVMSKPS = X64_VEC(0, 1, 0x50),
  X64_MOVMSKPD = X64_VEC(0x66, 1, 0x50),
  X64_PSHIFTW_IMM = X64_VEC(0x66, 1, 0x71), X64_PSHIFTD_IMM = X64_VEC(0x66, 1, 0x72),
  X64_PSHIFTQ_IMM = X64_VEC(0x66, 1, 0x73),  /* digit: 6 shl, 2 shr, 4 sar */
  X64_PSLLW = X64_VEC(0x66, 1, 0xF1), X64_PSLLD = X64_VEC(0x66, 1, 0xF2),
  X64_PSLLQ = X64_VEC(0x66, 1, 0xF3), X64_PSRLW = X64_VEC(0x66, 1, 0xD1),
  X64_PSRLD = X64_VEC(0x66, 1, 0xD2), X64_PSRLQ = X64_VEC(0x66, 1, 0xD3),
  X64_PSRAW = X64_VEC(0x66, 1, 0xE1), X64_PSRAD = X64_VEC(0x66, 1, 0xE2),
  X64_PMOVSXBW = X64_VEC(0x66, 2, 0x20), X64_PMOVSXWD = X64_VEC(0x66, 2, 0x23),
  X64_PMOVSXDQ = X64_VEC(0x66, 2, 0x25), X64_PMOVZXBW = X64_VEC(0x66, 2, 0x30),
  X64_PMOVZXWD = X64_VEC(0x66, 2, 0x33), X64_PMOVZXDQ = X64_VEC(0x66, 2, 0x35),
  /* with a general register (x64_vec_gpr: reg, rm as the instruction has them) */
  X64_PEXTRB = X64_VEC(0x66, 3, 0x14), X64_PEXTRD = X64_VEC(0x66, 3, 0x16),  /* reg xmm, rm gpr */
  X64_PEXTRW = X64_VEC(0x66, 1, 0xC5),                                        /* reg gpr, rm xmm */
  X64_PINSRB = X64_VEC(0x66, 3, 0x20), X64_PINSRW = X64_VEC(0x66, 1, 0xC4),
  X64_PINSRD = X64_VEC(0x66, 3, 0x22),                                        /* reg xmm, rm gpr */
} x64_vec_op;
void x64_vec(x64_asm *a, x64_vec_op op, x64_xmm dst, x64_xmm src);
void x64_vec_imm(x64_asm *a, x64_vec_op op, x64_xmm dst, x64_xmm src, uint8_t imm);
void x64_vec_mem(x64_asm *a, x64_vec_op op, x64_xmm dst, x64_mem m);  /* pmovsx/zx from m64 */
void x64_vec_shift_imm(x64_asm *a, x64_vec_op op, unsigned digit, x64_xmm x, uint8_t count);
/* w: REX.W (pextrq / pinsrq); imm < 0: none */
void x64_vec_gpr(x64_asm *a, x64_vec_op op, bool w, unsigned reg, unsigned rm, int imm);
void x64_vec_gpr_mem(x64_asm *a, x64_vec_op op, x64_xmm x, x64_mem m, uint8_t imm);  /* pinsr* x, m */

#endif
