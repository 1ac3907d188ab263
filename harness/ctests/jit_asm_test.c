/* The JIT's assembler (backends/jit/asm/x64.c), checked against capstone: every emitter, over
 * registers that need REX bits, SIB bytes (rsp/r12 bases), disp8 0 (rbp/r13 bases), disp8 and
 * disp32, is decoded and compared with the expected Intel syntax, one instruction each. */
#include <stdio.h>
#include <string.h>

#include "harness/ctests/check.h"

#ifdef WASMLAB_HAVE_JIT
#include <capstone/capstone.h>

#include "backends/jit/asm/x64.h"

#define BASE 0x1000

static csh cs;

/* The bytes in `a` must decode to exactly one instruction reading `want`. */
static void expect(x64_asm *a, const char *want, int line) {
  cs_insn *insn = NULL;
  size_t n = cs_disasm(cs, a->buf, a->len, BASE, 0, &insn);
  char got[256] = "(undecodable)";
  if (n >= 1) snprintf(got, sizeof got, "%s %s", insn[0].mnemonic, insn[0].op_str);
  size_t used = n >= 1 ? insn[0].size : 0;
  bool ok = n == 1 && used == a->len && strcmp(got, want) == 0;
  CHECK(ok);
  if (!ok) fprintf(stderr, "line %d: want \"%s\", got \"%s\" (%zu instructions)\n", line, want, got, n);
  if (insn) cs_free(insn, n);
  x64_free(a);
}

#define T(want, ...)       \
  do {                     \
    x64_asm a_;            \
    x64_init(&a_);         \
    x64_asm *a = &a_;      \
    __VA_ARGS__;           \
    expect(a, want, __LINE__); \
  } while (0)

static void test_moves(void) {
  T("mov rax, rcx", x64_mov_rr(a, true, X64_RAX, X64_RCX));
  T("mov r15d, r8d", x64_mov_rr(a, false, X64_R15, X64_R8));
  T("mov eax, 0x7b", x64_mov_ri(a, X64_RAX, 123));
  T("mov r9d, 0xffffffff", x64_mov_ri(a, X64_R9, 0xFFFFFFFFu));
  T("mov rdx, -2", x64_mov_ri(a, X64_RDX, (uint64_t)-2));
  T("movabs r11, 0x123456789a", x64_mov_ri(a, X64_R11, 0x123456789aull));
  T("mov rax, qword ptr [r15 + 0x10]", x64_load(a, 8, false, true, X64_RAX, x64_m(X64_R15, 16)));
  T("mov rcx, qword ptr [r12]", x64_load(a, 8, false, true, X64_RCX, x64_m(X64_R12, 0)));
  T("mov rcx, qword ptr [rsp + 8]", x64_load(a, 8, false, true, X64_RCX, x64_m(X64_RSP, 8)));
  T("mov eax, dword ptr [r13]", x64_load(a, 4, false, false, X64_RAX, x64_m(X64_R13, 0)));
  T("mov eax, dword ptr [rbp + 0x12345]", x64_load(a, 4, false, false, X64_RAX, x64_m(X64_RBP, 0x12345)));
  T("movzx eax, byte ptr [r14 + rax + 3]",
    x64_load(a, 1, false, false, X64_RAX, x64_mi(X64_R14, X64_RAX, 1, 3)));
  T("movsx rax, word ptr [r14 + r12*8 - 0x80]",
    x64_load(a, 2, true, true, X64_RAX, x64_mi(X64_R14, X64_R12, 8, -128)));
  T("movsxd r10, dword ptr [rdi + rcx*4]",
    x64_load(a, 4, true, true, X64_R10, x64_mi(X64_RDI, X64_RCX, 4, 0)));
  T("movsx ecx, byte ptr [rax]", x64_load(a, 1, true, false, X64_RCX, x64_m(X64_RAX, 0)));
  T("movzx r8d, word ptr [r9 + 2]", x64_load(a, 2, false, false, X64_R8, x64_m(X64_R9, 2)));
  T("mov byte ptr [r14 + rax], sil", x64_store(a, 1, x64_mi(X64_R14, X64_RAX, 1, 0), X64_RSI));
  T("mov byte ptr [rax], cl", x64_store(a, 1, x64_m(X64_RAX, 0), X64_RCX));
  T("mov word ptr [r14 + rax + 0x200], dx",
    x64_store(a, 2, x64_mi(X64_R14, X64_RAX, 1, 0x200), X64_RDX));
  T("mov dword ptr [r15 + 8], r9d", x64_store(a, 4, x64_m(X64_R15, 8), X64_R9));
  T("mov qword ptr [r15 - 8], rax", x64_store(a, 8, x64_m(X64_R15, -8), X64_RAX));
  T("mov qword ptr [r15 + 0x18], -7", x64_store_imm(a, true, x64_m(X64_R15, 24), -7));
  T("mov dword ptr [r12 + 0x40], 5", x64_store_imm(a, false, x64_m(X64_R12, 64), 5));
  T("lea r15, [r15 + 0x100]", x64_lea(a, X64_R15, x64_m(X64_R15, 256)));
  T("lea rdx, [r15 + 0x20]", x64_lea(a, X64_RDX, x64_m(X64_R15, 32)));
  T("lea rcx, [rip + 0x10]", x64_patch(a, x64_lea_rip(a, X64_RCX), 0x17));
  T("lea r9, [rip - 7]", x64_patch(a, x64_lea_rip(a, X64_R9), 0));
}

static void test_arithmetic(void) {
  T("add eax, ecx", x64_alu_rr(a, X64_ADD, false, X64_RAX, X64_RCX));
  T("sub r8, r15", x64_alu_rr(a, X64_SUB, true, X64_R8, X64_R15));
  T("xor ebx, ebx", x64_alu_rr(a, X64_XOR, false, X64_RBX, X64_RBX));
  T("cmp rax, rcx", x64_alu_rr(a, X64_CMP, true, X64_RAX, X64_RCX));
  T("and eax, 0x7fffffff", x64_alu_ri(a, X64_AND, false, X64_RAX, 0x7fffffff));
  T("or rcx, 0xffffffffffffffff", x64_alu_ri(a, X64_OR, true, X64_RCX, -1));
  T("sub rsp, 8", x64_alu_ri(a, X64_SUB, true, X64_RSP, 8));
  T("cmp r10d, 0x1000", x64_alu_ri(a, X64_CMP, false, X64_R10, 0x1000));
  T("cmp rax, 0x2a", x64_set_u32(a, x64_alu_ri32(a, X64_CMP, true, X64_RAX, 0), 42));
  T("sub rax, 7", x64_alu_ri32(a, X64_SUB, true, X64_RAX, 7));
  T("add eax, dword ptr [r15 + 8]", x64_alu_rm(a, X64_ADD, false, X64_RAX, x64_m(X64_R15, 8)));
  T("cmp rsp, qword ptr [rax]", x64_alu_rm(a, X64_CMP, true, X64_RSP, x64_m(X64_RAX, 0)));
  T("sub qword ptr [r12 + 0x28], 0x1234",
    x64_alu_mi(a, X64_SUB, true, x64_m(X64_R12, 0x28), 0x1234));
  T("cmp dword ptr [r12 + 4], 3", x64_alu_mi(a, X64_CMP, false, x64_m(X64_R12, 4), 3));
  T("test eax, eax", x64_test_rr(a, false, X64_RAX, X64_RAX));
  T("test r9, rdx", x64_test_rr(a, true, X64_R9, X64_RDX));
  T("imul eax, ecx", x64_imul_rr(a, false, X64_RAX, X64_RCX));
  T("imul r11, r12", x64_imul_rr(a, true, X64_R11, X64_R12));
  T("shl eax, cl", x64_shift_cl(a, X64_SHL, false, X64_RAX));
  T("sar r8, cl", x64_shift_cl(a, X64_SAR, true, X64_R8));
  T("shr rax, cl", x64_shift_cl(a, X64_SHR, true, X64_RAX));
  T("rol eax, cl", x64_shift_cl(a, X64_ROL, false, X64_RAX));
  T("ror rdx, cl", x64_shift_cl(a, X64_ROR, true, X64_RDX));
  T("neg rax", x64_unary(a, X64_NEG, true, X64_RAX));
  T("not r13d", x64_unary(a, X64_NOT, false, X64_R13));
  T("div ecx", x64_unary(a, X64_DIV, false, X64_RCX));
  T("idiv rcx", x64_unary(a, X64_IDIV, true, X64_RCX));
  T("cdq ", x64_sign_extend_ax(a, false));
  T("cqo ", x64_sign_extend_ax(a, true));
  T("popcnt eax, ecx", x64_bitcount(a, X64_POPCNT, false, X64_RAX, X64_RCX));
  T("lzcnt r8, rax", x64_bitcount(a, X64_LZCNT, true, X64_R8, X64_RAX));
  T("tzcnt eax, r9d", x64_bitcount(a, X64_TZCNT, false, X64_RAX, X64_R9));
  T("movsx eax, al", x64_movsx_rr(a, 1, false, X64_RAX, X64_RAX));
  T("movsx rax, sil", x64_movsx_rr(a, 1, true, X64_RAX, X64_RSI));
  T("movsx rcx, cx", x64_movsx_rr(a, 2, true, X64_RCX, X64_RCX));
  T("movsxd rax, eax", x64_movsx_rr(a, 4, true, X64_RAX, X64_RAX));
  T("sete al", x64_setcc(a, X64_E, X64_RAX));
  T("setb sil", x64_setcc(a, X64_B, X64_RSI));
  T("setg r8b", x64_setcc(a, X64_G, X64_R8));
  T("movzx eax, al", x64_movzx8(a, X64_RAX, X64_RAX));
  T("movzx ecx, dil", x64_movzx8(a, X64_RCX, X64_RDI));
  T("cmovne rax, rcx", x64_cmov(a, X64_NE, true, X64_RAX, X64_RCX));
  T("cmovl r10d, r11d", x64_cmov(a, X64_L, false, X64_R10, X64_R11));
}

static void test_control(void) {
  T("jmp 0x1000", x64_jmp_to(a, 0));
  T("jmp 0x1040", x64_patch(a, x64_jmp32(a), 0x40));
  T("je 0x1000", x64_jcc_to(a, X64_E, 0));
  T("jae 0x1200", x64_patch(a, x64_jcc32(a, X64_AE), 0x200));
  T("call 0x1010", x64_patch(a, x64_call32(a), 0x10));
  T("call rax", x64_call_r(a, X64_RAX));
  T("call r11", x64_call_r(a, X64_R11));
  T("jmp rcx", x64_jmp_r(a, X64_RCX));
  T("ret ", x64_ret(a));
  T("push r15", x64_push(a, X64_R15));
  T("push rbx", x64_push(a, X64_RBX));
  T("pop r12", x64_pop(a, X64_R12));
  T("pop rbp", x64_pop(a, X64_RBP));
  T("ud2 ", x64_ud2(a));
}

static void test_sse(void) {
  T("movd xmm0, eax", x64_movq_xr(a, false, 0, X64_RAX));
  T("movq xmm9, r10", x64_movq_xr(a, true, 9, X64_R10));
  T("movd ecx, xmm1", x64_movq_rx(a, false, X64_RCX, 1));
  T("movq rax, xmm0", x64_movq_rx(a, true, X64_RAX, 0));
  T("addss xmm0, xmm1", x64_sse_rr(a, X64_FADD, false, 0, 1));
  T("subsd xmm0, xmm1", x64_sse_rr(a, X64_FSUB, true, 0, 1));
  T("mulsd xmm8, xmm15", x64_sse_rr(a, X64_FMUL, true, 8, 15));
  T("divss xmm2, xmm3", x64_sse_rr(a, X64_FDIV, false, 2, 3));
  T("sqrtsd xmm0, xmm0", x64_sse_rr(a, X64_SQRT, true, 0, 0));
  T("cvtss2sd xmm0, xmm0", x64_sse_rr(a, X64_FCVT, false, 0, 0));
  T("cvtsd2ss xmm1, xmm0", x64_sse_rr(a, X64_FCVT, true, 1, 0));
  T("ucomiss xmm0, xmm1", x64_ucomi(a, false, 0, 1));
  T("ucomisd xmm1, xmm0", x64_ucomi(a, true, 1, 0));
  T("cvtsi2ss xmm0, eax", x64_cvtsi2f(a, false, false, 0, X64_RAX));
  T("cvtsi2sd xmm0, rax", x64_cvtsi2f(a, true, true, 0, X64_RAX));
  T("roundss xmm0, xmm0, 1", x64_round(a, false, 0, 0, X64_ROUND_FLOOR));
  T("roundsd xmm0, xmm1, 3", x64_round(a, true, 0, 1, X64_ROUND_TRUNC));
}

static void test_cache_forms(void) {
  T("lea esi, [r10 + 1]", x64_lea32(a, X64_RSI, x64_m(X64_R10, 1)));
  T("lea r8d, [rbx + r11]", x64_lea32(a, X64_R8, x64_mi(X64_RBX, X64_R11, 1, 0)));
  T("shl esi, 2", x64_shift_ri(a, X64_SHL, false, X64_RSI, 2));
  T("sar r9, 0x3f", x64_shift_ri(a, X64_SAR, true, X64_R9, 63));
  T("imul esi, r10d, 0xc", x64_imul_rri(a, false, X64_RSI, X64_R10, 12));
  T("imul r8, rbx, 0x10000", x64_imul_rri(a, true, X64_R8, X64_RBX, 0x10000));
  T("imul edi, dword ptr [r15 + 0x18]", x64_imul_rm(a, false, X64_RDI, x64_m(X64_R15, 24)));
  T("test r11d, 0xff", x64_test_ri(a, false, X64_R11, 255));
  T("cmove rsi, qword ptr [r15 + 8]", x64_cmov_rm(a, X64_E, true, X64_RSI, x64_m(X64_R15, 8)));
  T("movsd xmm9, qword ptr [r15 + 0x20]", x64_fload(a, true, 9, x64_m(X64_R15, 32)));
  T("movss xmm2, dword ptr [r14 + rax + 4]", x64_fload(a, false, 2, x64_mi(X64_R14, X64_RAX, 1, 4)));
  T("movsd qword ptr [r15 + 8], xmm15", x64_fstore(a, true, x64_m(X64_R15, 8), 15));
  T("movss dword ptr [r14 + rsi], xmm3", x64_fstore(a, false, x64_mi(X64_R14, X64_RSI, 1, 0), 3));
  T("movaps xmm10, xmm2", x64_movaps(a, 10, 2));
  T("xorps xmm3, xmm3", x64_xorps(a, 3, 3));
  T("andps xmm12, xmm1", x64_andps(a, 12, 1));
  T("addsd xmm2, qword ptr [r15 + 0x10]", x64_sse_rm(a, X64_FADD, true, 2, x64_m(X64_R15, 16)));
  T("mulss xmm8, dword ptr [r15]", x64_sse_rm(a, X64_FMUL, false, 8, x64_m(X64_R15, 0)));
  T("ucomisd xmm2, qword ptr [r15 + 8]", x64_ucomi_m(a, true, 2, x64_m(X64_R15, 8)));
  T("cvttsd2si eax, xmm2", x64_cvttf2si(a, true, false, X64_RAX, 2));
  T("cvttss2si rax, xmm9", x64_cvttf2si(a, false, true, X64_RAX, 9));
}

static void test_simd_forms(void) {
  T("movups xmm0, xmmword ptr [r15 + 0x20]", x64_movups_load(a, 0, x64_m(X64_R15, 32)));
  T("movups xmm9, xmmword ptr [r14 + rax + 4]", x64_movups_load(a, 9, x64_mi(X64_R14, X64_RAX, 1, 4)));
  T("movups xmmword ptr [r15 + 0x10], xmm1", x64_movups_store(a, x64_m(X64_R15, 16), 1));
  T("movups xmmword ptr [rdx + rcx], xmm12", x64_movups_store(a, x64_mi(X64_RDX, X64_RCX, 1, 0), 12));
}

/* Every packed form the SIMD emitters use (jit_simd_ops.c). */
static void test_vec_forms(void) {
  T("paddb xmm2, xmm3", x64_vec(a, X64_PADDB, 2, 3));
  T("paddw xmm9, xmm1", x64_vec(a, X64_PADDW, 9, 1));
  T("paddd xmm4, xmm12", x64_vec(a, X64_PADDD, 4, 12));
  T("paddq xmm15, xmm8", x64_vec(a, X64_PADDQ, 15, 8));
  T("psubb xmm2, xmm3", x64_vec(a, X64_PSUBB, 2, 3));
  T("psubw xmm9, xmm1", x64_vec(a, X64_PSUBW, 9, 1));
  T("psubd xmm4, xmm12", x64_vec(a, X64_PSUBD, 4, 12));
  T("psubq xmm15, xmm8", x64_vec(a, X64_PSUBQ, 15, 8));
  T("pmullw xmm2, xmm3", x64_vec(a, X64_PMULLW, 2, 3));
  T("pmulld xmm9, xmm1", x64_vec(a, X64_PMULLD, 9, 1));
  T("paddsb xmm4, xmm12", x64_vec(a, X64_PADDSB, 4, 12));
  T("paddusb xmm15, xmm8", x64_vec(a, X64_PADDUSB, 15, 8));
  T("paddsw xmm2, xmm3", x64_vec(a, X64_PADDSW, 2, 3));
  T("paddusw xmm9, xmm1", x64_vec(a, X64_PADDUSW, 9, 1));
  T("psubsb xmm4, xmm12", x64_vec(a, X64_PSUBSB, 4, 12));
  T("psubusb xmm15, xmm8", x64_vec(a, X64_PSUBUSB, 15, 8));
  T("psubsw xmm2, xmm3", x64_vec(a, X64_PSUBSW, 2, 3));
  T("psubusw xmm9, xmm1", x64_vec(a, X64_PSUBUSW, 9, 1));
  T("pavgb xmm4, xmm12", x64_vec(a, X64_PAVGB, 4, 12));
  T("pavgw xmm15, xmm8", x64_vec(a, X64_PAVGW, 15, 8));
  T("pminsb xmm2, xmm3", x64_vec(a, X64_PMINSB, 2, 3));
  T("pminub xmm9, xmm1", x64_vec(a, X64_PMINUB, 9, 1));
  T("pminsw xmm4, xmm12", x64_vec(a, X64_PMINSW, 4, 12));
  T("pminuw xmm15, xmm8", x64_vec(a, X64_PMINUW, 15, 8));
  T("pminsd xmm2, xmm3", x64_vec(a, X64_PMINSD, 2, 3));
  T("pminud xmm9, xmm1", x64_vec(a, X64_PMINUD, 9, 1));
  T("pmaxsb xmm4, xmm12", x64_vec(a, X64_PMAXSB, 4, 12));
  T("pmaxub xmm15, xmm8", x64_vec(a, X64_PMAXUB, 15, 8));
  T("pmaxsw xmm2, xmm3", x64_vec(a, X64_PMAXSW, 2, 3));
  T("pmaxuw xmm9, xmm1", x64_vec(a, X64_PMAXUW, 9, 1));
  T("pmaxsd xmm4, xmm12", x64_vec(a, X64_PMAXSD, 4, 12));
  T("pmaxud xmm15, xmm8", x64_vec(a, X64_PMAXUD, 15, 8));
  T("pcmpeqb xmm2, xmm3", x64_vec(a, X64_PCMPEQB, 2, 3));
  T("pcmpeqw xmm9, xmm1", x64_vec(a, X64_PCMPEQW, 9, 1));
  T("pcmpeqd xmm4, xmm12", x64_vec(a, X64_PCMPEQD, 4, 12));
  T("pcmpeqq xmm15, xmm8", x64_vec(a, X64_PCMPEQQ, 15, 8));
  T("pcmpgtb xmm2, xmm3", x64_vec(a, X64_PCMPGTB, 2, 3));
  T("pcmpgtw xmm9, xmm1", x64_vec(a, X64_PCMPGTW, 9, 1));
  T("pcmpgtd xmm4, xmm12", x64_vec(a, X64_PCMPGTD, 4, 12));
  T("pand xmm15, xmm8", x64_vec(a, X64_PAND, 15, 8));
  T("pandn xmm2, xmm3", x64_vec(a, X64_PANDN, 2, 3));
  T("por xmm9, xmm1", x64_vec(a, X64_POR, 9, 1));
  T("pxor xmm4, xmm12", x64_vec(a, X64_PXOR, 4, 12));
  T("addps xmm15, xmm8", x64_vec(a, X64_ADDPS, 15, 8));
  T("subps xmm2, xmm3", x64_vec(a, X64_SUBPS, 2, 3));
  T("mulps xmm9, xmm1", x64_vec(a, X64_MULPS, 9, 1));
  T("divps xmm4, xmm12", x64_vec(a, X64_DIVPS, 4, 12));
  T("sqrtps xmm15, xmm8", x64_vec(a, X64_SQRTPS, 15, 8));
  T("addpd xmm2, xmm3", x64_vec(a, X64_ADDPD, 2, 3));
  T("subpd xmm9, xmm1", x64_vec(a, X64_SUBPD, 9, 1));
  T("mulpd xmm4, xmm12", x64_vec(a, X64_MULPD, 4, 12));
  T("divpd xmm15, xmm8", x64_vec(a, X64_DIVPD, 15, 8));
  T("sqrtpd xmm2, xmm3", x64_vec(a, X64_SQRTPD, 2, 3));
  T("pshufb xmm9, xmm1", x64_vec(a, X64_PSHUFB, 9, 1));
  T("punpcklqdq xmm4, xmm12", x64_vec(a, X64_PUNPCKLQDQ, 4, 12));
  T("punpckhqdq xmm15, xmm8", x64_vec(a, X64_PUNPCKHQDQ, 15, 8));
  T("packsswb xmm2, xmm3", x64_vec(a, X64_PACKSSWB, 2, 3));
  T("ptest xmm9, xmm1", x64_vec(a, X64_PTEST, 9, 1));
  T("pabsb xmm4, xmm12", x64_vec(a, X64_PABSB, 4, 12));
  T("pabsw xmm15, xmm8", x64_vec(a, X64_PABSW, 15, 8));
  T("pabsd xmm2, xmm3", x64_vec(a, X64_PABSD, 2, 3));
  T("minps xmm9, xmm1", x64_vec(a, X64_MINPS, 9, 1));
  T("maxps xmm4, xmm12", x64_vec(a, X64_MAXPS, 4, 12));
  T("minpd xmm15, xmm8", x64_vec(a, X64_MINPD, 15, 8));
  T("maxpd xmm2, xmm3", x64_vec(a, X64_MAXPD, 2, 3));
  T("cvtdq2ps xmm9, xmm1", x64_vec(a, X64_CVTDQ2PS, 9, 1));
  T("cvtdq2pd xmm4, xmm12", x64_vec(a, X64_CVTDQ2PD, 4, 12));
  T("cvtps2pd xmm15, xmm8", x64_vec(a, X64_CVTPS2PD, 15, 8));
  T("cvtpd2ps xmm2, xmm3", x64_vec(a, X64_CVTPD2PS, 2, 3));
  T("pmaddwd xmm9, xmm1", x64_vec(a, X64_PMADDWD, 9, 1));
  T("packuswb xmm4, xmm12", x64_vec(a, X64_PACKUSWB, 4, 12));
  T("packssdw xmm15, xmm8", x64_vec(a, X64_PACKSSDW, 15, 8));
  T("packusdw xmm2, xmm3", x64_vec(a, X64_PACKUSDW, 2, 3));
  T("psllw xmm9, xmm1", x64_vec(a, X64_PSLLW, 9, 1));
  T("pslld xmm4, xmm12", x64_vec(a, X64_PSLLD, 4, 12));
  T("psllq xmm15, xmm8", x64_vec(a, X64_PSLLQ, 15, 8));
  T("psrlw xmm2, xmm3", x64_vec(a, X64_PSRLW, 2, 3));
  T("psrld xmm9, xmm1", x64_vec(a, X64_PSRLD, 9, 1));
  T("psrlq xmm4, xmm12", x64_vec(a, X64_PSRLQ, 4, 12));
  T("psraw xmm15, xmm8", x64_vec(a, X64_PSRAW, 15, 8));
  T("psrad xmm2, xmm3", x64_vec(a, X64_PSRAD, 2, 3));
  T("pmovsxbw xmm9, xmm1", x64_vec(a, X64_PMOVSXBW, 9, 1));
  T("pmovsxwd xmm4, xmm12", x64_vec(a, X64_PMOVSXWD, 4, 12));
  T("pmovsxdq xmm15, xmm8", x64_vec(a, X64_PMOVSXDQ, 15, 8));
  T("pmovzxbw xmm2, xmm3", x64_vec(a, X64_PMOVZXBW, 2, 3));
  T("pmovzxwd xmm9, xmm1", x64_vec(a, X64_PMOVZXWD, 9, 1));
  T("pmovzxdq xmm4, xmm12", x64_vec(a, X64_PMOVZXDQ, 4, 12));
  T("pshufd xmm1, xmm10, 0x1b", x64_vec_imm(a, X64_PSHUFD, 1, 10, 0x1b));
  T("pshuflw xmm3, xmm3, 0", x64_vec_imm(a, X64_PSHUFLW, 3, 3, 0));
  T("cmpltps xmm2, xmm3", x64_vec_imm(a, X64_CMPPS, 2, 3, 1));
  T("cmpneqpd xmm9, xmm1", x64_vec_imm(a, X64_CMPPD, 9, 1, 4));
  T("roundps xmm2, xmm2, 2", x64_vec_imm(a, X64_ROUNDPS, 2, 2, 2));
  T("roundpd xmm11, xmm11, 3", x64_vec_imm(a, X64_ROUNDPD, 11, 11, 3));
  T("psllw xmm1, 5", x64_vec_shift_imm(a, X64_PSHIFTW_IMM, 6, 1, 5));
  T("psrad xmm9, 0x1f", x64_vec_shift_imm(a, X64_PSHIFTD_IMM, 4, 9, 31));
  T("psrlq xmm1, 1", x64_vec_shift_imm(a, X64_PSHIFTQ_IMM, 2, 1, 1));
  T("psraw xmm4, 3", x64_vec_shift_imm(a, X64_PSHIFTW_IMM, 4, 4, 3));
  T("pmovsxbw xmm2, qword ptr [r14 + rax + 8]", x64_vec_mem(a, X64_PMOVSXBW, 2, x64_mi(X64_R14, X64_RAX, 1, 8)));
  T("pmovzxdq xmm10, qword ptr [rdx + rcx]", x64_vec_mem(a, X64_PMOVZXDQ, 10, x64_mi(X64_RDX, X64_RCX, 1, 0)));
  T("movlps xmm3, qword ptr [r14 + rax]", x64_vec_mem(a, X64_MOVLPS, 3, x64_mi(X64_R14, X64_RAX, 1, 0)));
  T("movhps xmm12, qword ptr [r14 + 0x10]", x64_vec_mem(a, X64_MOVHPS, 12, x64_m(X64_R14, 16)));
  T("pextrb esi, xmm2, 0xf", x64_vec_gpr(a, X64_PEXTRB, false, 2, X64_RSI, 15));
  T("pextrd r8d, xmm9, 3", x64_vec_gpr(a, X64_PEXTRD, false, 9, X64_R8, 3));
  T("pextrq rax, xmm3, 1", x64_vec_gpr(a, X64_PEXTRD, true, 3, X64_RAX, 1));
  T("pextrw edi, xmm11, 7", x64_vec_gpr(a, X64_PEXTRW, false, X64_RDI, 11, 7));
  T("pinsrb xmm2, eax, 9", x64_vec_gpr(a, X64_PINSRB, false, 2, X64_RAX, 9));
  T("pinsrw xmm10, eax, 2", x64_vec_gpr(a, X64_PINSRW, false, 10, X64_RAX, 2));
  T("pinsrd xmm3, r9d, 1", x64_vec_gpr(a, X64_PINSRD, false, 3, X64_R9, 1));
  T("pinsrq xmm0, rax, 1", x64_vec_gpr(a, X64_PINSRD, true, 0, X64_RAX, 1));
  T("pmovmskb esi, xmm2", x64_vec_gpr(a, X64_PMOVMSKB, false, X64_RSI, 2, -1));
  T("movmskps eax, xmm9", x64_vec_gpr(a, X64_MOVMSKPS, false, X64_RAX, 9, -1));
  T("movmskpd r10d, xmm1", x64_vec_gpr(a, X64_MOVMSKPD, false, X64_R10, 1, -1));
  T("pinsrb xmm2, byte ptr [r14 + rax + 3], 5", x64_vec_gpr_mem(a, X64_PINSRB, 2, x64_mi(X64_R14, X64_RAX, 1, 3), 5));
  T("pinsrw xmm9, word ptr [rdx + rcx], 1", x64_vec_gpr_mem(a, X64_PINSRW, 9, x64_mi(X64_RDX, X64_RCX, 1, 0), 1));
  T("pinsrd xmm4, dword ptr [r14 + 4], 3", x64_vec_gpr_mem(a, X64_PINSRD, 4, x64_m(X64_R14, 4), 3));
}

int main(void) {
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
    CHECK(!"capstone cannot open x86-64");
    return check_summary();
  }
  test_moves();
  test_arithmetic();
  test_control();
  test_simd_forms();
  test_vec_forms();
  test_sse();
  test_cache_forms();
  cs_close(&cs);
  return check_summary();
}

#else

int main(void) {
  printf("this build has no JIT: assembler not built\n");
  return check_summary();
}

#endif
