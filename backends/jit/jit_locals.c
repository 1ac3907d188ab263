/* Locals in registers. The most used integer locals live in rbx, rbp, r10, r11, r9 and the most
 * used float locals in xmm8..xmm15 for the whole function; the rest stay in their slots. "Most
 * used" comes from one quick pass over the code counting local.get/set/tee, each use weighted
 * by 4^(loop depth) so a loop's locals win over the code around it. A
 * fixed home needs no bookkeeping at merges and loops. Calls save them to their slots and
 * reload them: the driver saves the caller-saved ones (r9, r10, r11, every xmm) around each
 * instruction that may call C (before it loads any argument register), and a direct call to a
 * wasm callee, which pins its own locals in rbx and rbp, saves those too. The registers no local takes join the operand cache's pools. */
#include <stdlib.h>

#include "backends/jit/jit.h"

#define BIT(r) ((uint16_t)(1u << (r)))

/* Callee-saved first (C calls keep them), then the registers no C call takes arguments in. */
static const x64_reg local_gprs[] = {X64_RBX, X64_RBP, X64_R10, X64_R11, X64_R9, X64_R8};
#define NLOCAL_GPRS (sizeof local_gprs / sizeof local_gprs[0])
#define FIRST_LOCAL_XMM 8
#define NLOCAL_XMMS 8

static jit_local_class class_of(wl_valtype t) {
  switch (t) {
    case WL_I32: return JIT_L_I32;
    case WL_I64: return JIT_L_I64;
    case WL_F32: return JIT_L_F32;
    case WL_F64: return JIT_L_F64;
    case WL_V128: return JIT_L_V128;
    default: return JIT_L_OTHER;
  }
}

static wl_valtype local_type(const jit_fn *fn, uint32_t i) {
  uint32_t np = fn->type->nparams;
  return i < np ? fn->type->params[i] : fn->def->local_types[i - np];
}

/* weight[i] = uses of local i, weighted by loop depth. An undecodable body keeps what was
 * counted: the translation pass reports the error. */
static void count_uses(const jit_fn *fn, uint32_t *weight) {
  wl_code_reader rd;
  wl_code_reader_init(&rd, fn->def->code, fn->def->code_len, fn->c->features, fn->def->code_offset);
  uint64_t loops = 0;  /* bit per open block (the 64 innermost): a loop? */
  uint32_t depth = 0, open = 0;
  while (rd.p < rd.end) {
    wl_instr in;
    wl_error *err = wl_read_instr(&rd, &in);
    if (err) {
      wl_error_delete(err);
      return;
    }
    switch (in.op) {
      case WL_OP_BLOCK: case WL_OP_IF: case WL_OP_LOOP: {
        bool loop = in.op == WL_OP_LOOP;
        loops = loops << 1 | loop;
        depth += loop;
        open++;
        break;
      }
      case WL_OP_END:
        if (open == 0) return;  /* the function's own end */
        depth -= (uint32_t)(loops & 1);
        loops >>= 1;
        open--;
        break;
      case WL_OP_LOCAL_GET: case WL_OP_LOCAL_SET: case WL_OP_LOCAL_TEE:
        weight[in.imm.index] += 1u << (2 * (depth < 8 ? depth : 8));
        break;
      default: break;
    }
  }
}

/* The heaviest unpinned local of class a or b (weight > 0), or UINT32_MAX. */
static uint32_t heaviest(const jit_fn *fn, const uint32_t *weight, jit_local_class a,
                         jit_local_class b) {
  uint32_t best = UINT32_MAX;
  for (uint32_t i = 0; i < fn->nlocals; i++) {
    jit_local_class k = (jit_local_class)fn->local_class[i];
    if ((k != a && k != b) || fn->local_reg[i] != JIT_IN_SLOT || weight[i] == 0) continue;
    if (best == UINT32_MAX || weight[i] > weight[best]) best = i;
  }
  return best;
}

void jit_assign_locals(jit_fn *fn) {
  unsigned ngpr = 0, nxmm = 0;
  fn->gpr_pool = BIT(X64_RSI) | BIT(X64_RDI);
  fn->xmm_pool = 0xFC;  /* xmm2..xmm7; xmm0/xmm1 are scratch */
  for (uint32_t i = 0; i < fn->nlocals; i++) {
    fn->local_class[i] = (uint8_t)class_of(local_type(fn, i));
    fn->local_reg[i] = JIT_IN_SLOT;
  }
  uint32_t *weight = calloc(fn->nlocals + 1, sizeof *weight);
  if (!weight) abort();
  uint32_t nint = 0, nfloat = 0;
  for (uint32_t i = 0; i < fn->nlocals; i++) {
    nint += fn->local_class[i] == JIT_L_I32 || fn->local_class[i] == JIT_L_I64;
    nfloat += fn->local_class[i] == JIT_L_F32 || fn->local_class[i] == JIT_L_F64;
  }
  if (nint <= NLOCAL_GPRS && nfloat <= NLOCAL_XMMS)  /* room for all: no need to count */
    for (uint32_t i = 0; i < fn->nlocals; i++) weight[i] = 1;
  else
    count_uses(fn, weight);
  for (; ngpr < NLOCAL_GPRS; ngpr++) {
    uint32_t i = heaviest(fn, weight, JIT_L_I32, JIT_L_I64);
    if (i == UINT32_MAX) break;
    fn->local_reg[i] = (uint8_t)local_gprs[ngpr];
    fn->pinned[fn->npinned++] = i;
  }
  for (; nxmm < NLOCAL_XMMS; nxmm++) {
    uint32_t i = heaviest(fn, weight, JIT_L_F32, JIT_L_F64);
    if (i == UINT32_MAX) break;
    fn->local_reg[i] = (uint8_t)(JIT_XMM_BIT | (FIRST_LOCAL_XMM + nxmm));
    fn->pinned[fn->npinned++] = i;
  }
  free(weight);
  for (unsigned g = ngpr; g < NLOCAL_GPRS; g++) fn->gpr_pool |= BIT(local_gprs[g]);
  for (unsigned x = nxmm; x < NLOCAL_XMMS; x++) fn->xmm_pool |= BIT(FIRST_LOCAL_XMM + x);
}

static bool callee_saved(uint8_t reg) { return reg == X64_RBX || reg == X64_RBP; }

void jit_load_pinned_locals(jit_fn *fn) {
  for (uint32_t k = 0; k < fn->npinned; k++) {
    uint32_t i = fn->pinned[k];
    uint8_t r = fn->local_reg[i];
    bool param = i < fn->type->nparams;
    if (r & JIT_XMM_BIT) {
      if (param)
        x64_fload(fn->a, fn->local_class[i] == JIT_L_F64, r & 15, jit_local(fn, i));
      else
        x64_xorps(fn->a, r & 15, r & 15);
    } else if (param) {
      x64_load(fn->a, 8, false, true, (x64_reg)r, jit_local(fn, i));
    } else {
      x64_alu_rr(fn->a, X64_XOR, false, (x64_reg)r, (x64_reg)r);
    }
  }
}

void jit_save_pinned(jit_fn *fn, bool all) {
  for (uint32_t k = 0; k < fn->npinned; k++) {
    uint32_t i = fn->pinned[k];
    uint8_t r = fn->local_reg[i];
    if (r & JIT_XMM_BIT)
      x64_fstore(fn->a, fn->local_class[i] == JIT_L_F64, jit_local(fn, i), r & 15);
    else if (all || !callee_saved(r))
      x64_store(fn->a, 8, jit_local(fn, i), (x64_reg)r);
  }
}

void jit_restore_pinned(jit_fn *fn, bool all) {
  for (uint32_t k = 0; k < fn->npinned; k++) {
    uint32_t i = fn->pinned[k];
    uint8_t r = fn->local_reg[i];
    if (r & JIT_XMM_BIT)
      x64_fload(fn->a, fn->local_class[i] == JIT_L_F64, r & 15, jit_local(fn, i));
    else if (all || !callee_saved(r))
      x64_load(fn->a, 8, false, true, (x64_reg)r, jit_local(fn, i));
  }
}

void jit_save_callee_pinned(jit_fn *fn) {
  for (uint32_t k = 0; k < fn->npinned; k++) {
    uint32_t i = fn->pinned[k];
    if (callee_saved(fn->local_reg[i])) x64_store(fn->a, 8, jit_local(fn, i), (x64_reg)fn->local_reg[i]);
  }
}

void jit_restore_callee_pinned(jit_fn *fn) {
  for (uint32_t k = 0; k < fn->npinned; k++) {
    uint32_t i = fn->pinned[k];
    if (callee_saved(fn->local_reg[i]))
      x64_load(fn->a, 8, false, true, (x64_reg)fn->local_reg[i], jit_local(fn, i));
  }
}
