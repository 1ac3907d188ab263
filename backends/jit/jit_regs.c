/* The register cache: where each operand stack value is (slot, constant, a local read lazily,
 * a register, or the flags of a comparison) while straight-line code runs. Values stay in
 * registers until pressure spills the deepest one or a control instruction flushes them all to
 * their slots (merges then need no register state; pinned locals, jit_locals.c, keep one
 * register for the whole function, so they need none either). Scratch registers rax, rcx, rdx
 * are never cached: emitters use them freely. */
#include "backends/jit/jit.h"

#define BIT(r) ((uint16_t)(1u << (r)))

static x64_mem slot_mem(const jit_fn *fn, uint32_t h) { return x64_m(JIT_FP, jit_slot(fn, h)); }

bool jit_top_const(const jit_fn *fn, uint64_t *bits) {
  if (fn->sp == 0 || fn->vs[fn->sp - 1].kind != JV_CONST) return false;
  *bits = fn->vs[fn->sp - 1].bits;
  return true;
}

uint16_t jit_val_mask(const jit_val *v) {
  return v->kind == JV_GPR || v->kind == JV_XMM ? BIT(v->reg) : 0;
}

static void release(jit_fn *fn, const jit_val *v) {
  if (v->kind == JV_GPR) fn->gpr_busy &= (uint16_t)~BIT(v->reg);
  if (v->kind == JV_XMM) fn->xmm_busy &= (uint16_t)~BIT(v->reg);
}

int jit_val_gpr(const jit_fn *fn, const jit_val *v) {
  if (v->kind == JV_GPR) return v->reg;
  if (v->kind == JV_LOCAL) {
    uint8_t r = fn->local_reg[v->local];
    if (r != JIT_IN_SLOT && !(r & JIT_XMM_BIT)) return r;
  }
  return -1;
}

int jit_val_xmm(const jit_fn *fn, const jit_val *v) {
  if (v->kind == JV_XMM) return v->reg;
  if (v->kind == JV_LOCAL) {
    uint8_t r = fn->local_reg[v->local];
    if (r != JIT_IN_SLOT && (r & JIT_XMM_BIT)) return r & 15;
  }
  return -1;
}

static bool local_is_f64(const jit_fn *fn, uint32_t i) { return fn->local_class[i] == JIT_L_F64; }

bool jit_val_mem(const jit_fn *fn, const jit_val *v, uint32_t h, x64_mem *m) {
  if (v->kind == JV_SLOT) {
    *m = slot_mem(fn, h);
    return true;
  }
  if (v->kind == JV_LOCAL && fn->local_reg[v->local] == JIT_IN_SLOT) {
    *m = jit_local(fn, v->local);
    return true;
  }
  return false;
}

/* A 64-bit constant into memory without a scratch register. */
static void store_const(jit_fn *fn, x64_mem m, uint64_t bits) {
  if ((int64_t)bits == (int32_t)bits) {
    x64_store_imm(fn->a, true, m, (int32_t)bits);
    return;
  }
  x64_store_imm(fn->a, false, m, (int32_t)(uint32_t)bits);
  m.disp += 4;
  x64_store_imm(fn->a, false, m, (int32_t)(uint32_t)(bits >> 32));
}

/* An xmm value into an 8-byte slot: an f32 keeps the upper half zero (the slot convention). */
static void store_xmm(jit_fn *fn, x64_mem m, x64_xmm x, bool f64) {
  x64_fstore(fn->a, f64, m, x);
  if (f64) return;
  m.disp += 4;
  x64_store_imm(fn->a, false, m, 0);
}

void jit_val_to_gpr(jit_fn *fn, const jit_val *v, uint32_t h, bool w64, x64_reg dst) {
  x64_mem m;
  int r = jit_val_gpr(fn, v), x = jit_val_xmm(fn, v);
  if (r >= 0) {
    if (r != (int)dst) x64_mov_rr(fn->a, w64, dst, (x64_reg)r);
  } else if (x >= 0) {
    bool f64 = v->kind == JV_XMM ? v->f64 : local_is_f64(fn, v->local);
    x64_movq_rx(fn->a, f64 && w64, dst, (x64_xmm)x);
  } else if (v->kind == JV_CONST) {
    x64_mov_ri(fn->a, dst, w64 ? v->bits : (uint32_t)v->bits);
  } else if (v->kind == JV_FLAGS) {
    x64_setcc(fn->a, (x64_cond)v->reg, dst);
    x64_movzx8(fn->a, dst, dst);
  } else if (jit_val_mem(fn, v, h, &m)) {
    x64_load(fn->a, w64 ? 8 : 4, false, w64, dst, m);
  }
}

void jit_val_to_xmm(jit_fn *fn, const jit_val *v, uint32_t h, bool f64, x64_xmm dst) {
  x64_mem m;
  int r = jit_val_gpr(fn, v), x = jit_val_xmm(fn, v);
  if (x >= 0) {
    if (x != dst) x64_movaps(fn->a, dst, (x64_xmm)x);
  } else if (r >= 0) {
    x64_movq_xr(fn->a, f64, dst, (x64_reg)r);
  } else if (v->kind == JV_CONST && v->bits == 0) {
    x64_xorps(fn->a, dst, dst);
  } else if (v->kind == JV_CONST) {
    x64_mov_ri(fn->a, X64_RAX, v->bits);  /* float emitters keep nothing in rax */
    x64_movq_xr(fn->a, f64, dst, X64_RAX);
  } else if (jit_val_mem(fn, v, h, &m)) {
    x64_fload(fn->a, f64, dst, m);
  }
}

void jit_alu_val(jit_fn *fn, x64_alu op, bool w64, x64_reg dst, const jit_val *v, uint32_t h) {
  x64_mem m;
  int r = jit_val_gpr(fn, v);
  int64_t k = (int64_t)v->bits;
  if (r >= 0) {
    x64_alu_rr(fn->a, op, w64, dst, (x64_reg)r);
  } else if (v->kind == JV_CONST && (!w64 || k == (int32_t)k)) {
    x64_alu_ri(fn->a, op, w64, dst, (int32_t)k);  /* a 32-bit op reads the low half only */
  } else if (jit_val_mem(fn, v, h, &m)) {
    x64_alu_rm(fn->a, op, w64, dst, m);
  } else {
    x64_reg t = dst == X64_RDX ? X64_RCX : X64_RDX;  /* rcx/rdx: whichever dst is not */
    if (dst == X64_RCX) t = X64_RAX;
    jit_val_to_gpr(fn, v, h, w64, t);
    x64_alu_rr(fn->a, op, w64, dst, t);
  }
}

/* Writes vs[h] to its slot. */
static void spill(jit_fn *fn, uint32_t h) {
  jit_val *v = &fn->vs[h];
  x64_mem m = slot_mem(fn, h);
  int r = jit_val_gpr(fn, v), x = jit_val_xmm(fn, v);
  switch (v->kind) {
    case JV_SLOT: return;
    case JV_CONST: store_const(fn, m, v->bits); break;
    case JV_FLAGS:
    case JV_LOCAL:
      if (r >= 0) {
        x64_store(fn->a, 8, m, (x64_reg)r);
      } else if (x >= 0) {
        store_xmm(fn, m, (x64_xmm)x, local_is_f64(fn, v->local));
      } else {
        jit_val_to_gpr(fn, v, h, true, X64_RAX);
        x64_store(fn->a, 8, m, X64_RAX);
      }
      break;
    case JV_GPR: x64_store(fn->a, 8, m, (x64_reg)v->reg); break;
    case JV_XMM:
      if (v->v128)
        x64_movups_store(fn->a, m, v->reg);  /* the whole 16-byte cell */
      else
        store_xmm(fn, m, v->reg, v->f64);
      break;
  }
  if (v->kind == JV_FLAGS) fn->flags_h = JIT_NO_FLAGS;
  release(fn, v);
  v->kind = JV_SLOT;
}

void jit_flush_below(jit_fn *fn, uint32_t keep) {
  uint32_t end = fn->sp - keep;
  for (uint32_t h = fn->vs_lo; h < end; h++) spill(fn, h);
  if (fn->vs_lo < end) fn->vs_lo = end;
}

void jit_flush(jit_fn *fn) { jit_flush_below(fn, 0); }

void jit_set_height(jit_fn *fn, uint32_t h) {
  /* A merge no edge reaches may claim more results than the validator's height bound (no
   * code follows it, so nothing reads those entries). */
  for (uint32_t i = fn->sp; i < h && i < fn->vs_cap; i++) fn->vs[i].kind = JV_SLOT;
  fn->sp = h;
  fn->vs_lo = h;
  fn->gpr_busy = fn->xmm_busy = 0;
  fn->flags_h = JIT_NO_FLAGS;
}

void jit_pop(jit_fn *fn, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) release(fn, &fn->vs[fn->sp - 1 - i]);
  fn->sp -= n;
  if (fn->vs_lo > fn->sp) fn->vs_lo = fn->sp;
  if (fn->flags_h != JIT_NO_FLAGS && fn->flags_h >= fn->sp) fn->flags_h = JIT_NO_FLAGS;
}

void jit_push_val(jit_fn *fn, jit_val v) {
  if (v.kind == JV_GPR) fn->gpr_busy |= BIT(v.reg);
  if (v.kind == JV_XMM) fn->xmm_busy |= BIT(v.reg);
  if (v.kind == JV_FLAGS) fn->flags_h = fn->sp;
  fn->vs[fn->sp++] = v;
}

void jit_push_gpr(jit_fn *fn, x64_reg r) { jit_push_val(fn, (jit_val){.kind = JV_GPR, .reg = (uint8_t)r}); }

void jit_push_xmm(jit_fn *fn, x64_xmm x, bool f64) {
  jit_push_val(fn, (jit_val){.kind = JV_XMM, .reg = x, .f64 = f64});
}

static unsigned lowest(uint16_t mask) { return (unsigned)__builtin_ctz(mask); }

/* Frees the deepest register of `kind` not in `avoid` by spilling its value. */
static unsigned spill_deepest(jit_fn *fn, uint8_t kind, uint16_t avoid) {
  for (uint32_t h = fn->vs_lo; h < fn->sp; h++) {
    jit_val *v = &fn->vs[h];
    if (v->kind == kind && !(avoid & BIT(v->reg))) {
      unsigned r = v->reg;
      spill(fn, h);
      return r;
    }
  }
  return 16;  /* unreachable: the pools are larger than what emitters hold at once */
}

x64_reg jit_alloc_gpr(jit_fn *fn, uint16_t avoid) {
  uint16_t free = fn->gpr_pool & (uint16_t)~(fn->gpr_busy | avoid);
  unsigned r = free ? lowest(free) : spill_deepest(fn, JV_GPR, avoid);
  fn->gpr_busy |= BIT(r);
  return (x64_reg)r;
}

x64_xmm jit_alloc_xmm(jit_fn *fn, uint16_t avoid) {
  uint16_t free = fn->xmm_pool & (uint16_t)~(fn->xmm_busy | avoid);
  unsigned x = free ? lowest(free) : spill_deepest(fn, JV_XMM, avoid);
  fn->xmm_busy |= BIT(x);
  return (x64_xmm)x;
}

void jit_push_v128(jit_fn *fn, x64_xmm x) {
  jit_push_val(fn, (jit_val){.kind = JV_XMM, .reg = x, .v128 = true});
}

void jit_materialize_flags(jit_fn *fn) {
  if (fn->flags_h == JIT_NO_FLAGS) return;
  jit_val *v = &fn->vs[fn->flags_h];
  fn->flags_h = JIT_NO_FLAGS;
  x64_reg r = jit_alloc_gpr(fn, 0);  /* a spill only stores: the flags survive */
  x64_setcc(fn->a, (x64_cond)v->reg, r);
  x64_movzx8(fn->a, r, r);
  *v = (jit_val){.kind = JV_GPR, .reg = (uint8_t)r};
}

void jit_local_changing(jit_fn *fn, uint32_t i) { jit_local_changing_below(fn, i, 0); }

/* vs[h], a read of a local in a register, becomes a copy in a cache register (not in the top
 * `keep` operands' registers, which the caller still reads). */
static void copy_local(jit_fn *fn, uint32_t h, uint32_t keep) {
  uint16_t avoid = 0;
  for (uint32_t k = 0; k < keep; k++) avoid |= jit_val_mask(jit_at(fn, k));
  jit_val *v = &fn->vs[h];
  uint8_t home = fn->local_reg[v->local];
  if (home & JIT_XMM_BIT) {
    bool f64 = local_is_f64(fn, v->local);
    x64_xmm x = jit_alloc_xmm(fn, avoid);
    x64_movaps(fn->a, x, home & 15);
    *v = (jit_val){.kind = JV_XMM, .reg = x, .f64 = f64};
  } else {
    x64_reg r = jit_alloc_gpr(fn, avoid);
    x64_mov_rr(fn->a, true, r, (x64_reg)home);
    *v = (jit_val){.kind = JV_GPR, .reg = (uint8_t)r};
  }
}

void jit_local_changing_below(jit_fn *fn, uint32_t i, uint32_t keep) {
  for (uint32_t h = fn->vs_lo; h + keep < fn->sp; h++) {
    if (fn->vs[h].kind != JV_LOCAL || fn->vs[h].local != i) continue;
    if (fn->local_reg[i] == JIT_IN_SLOT)
      spill(fn, h);
    else
      copy_local(fn, h, keep);
  }
}

/* The next instruction's opcode byte and LEB index, read without decoding it. */
static bool next_local_write(const jit_fn *fn, uint32_t *index, bool *tee) {
  const uint8_t *p = fn->rd.p, *end = fn->rd.end;
  if (p >= end || (*p != 0x21 && *p != 0x22)) return false;  /* local.set, local.tee */
  *tee = *p++ == 0x22;
  uint32_t v = 0;
  for (unsigned shift = 0; p < end && shift < 35; shift += 7) {
    uint8_t b = *p++;
    v |= (uint32_t)(b & 0x7F) << shift;
    if (!(b & 0x80)) {
      *index = v;
      return true;
    }
  }
  return false;
}

static int result_home(jit_fn *fn, uint32_t nops, uint32_t *local, bool xmm) {
  uint32_t i;
  bool tee;
  if (!next_local_write(fn, &i, &tee) || i >= fn->nlocals) return -1;
  uint8_t r = fn->local_reg[i];
  if (r == JIT_IN_SLOT || !(r & JIT_XMM_BIT) != !xmm) return -1;
  jit_local_changing_below(fn, i, nops);  /* older readers keep the old value */
  *local = i;
  return r & 15;
}

int jit_result_home(jit_fn *fn, uint32_t nops, uint32_t *local) {
  return result_home(fn, nops, local, false);
}

int jit_result_xmm_home(jit_fn *fn, uint32_t nops, uint32_t *local) {
  return result_home(fn, nops, local, true);
}

bool jit_tos_aware(uint16_t op) {
  if (op >= WL_OP_I32_LOAD && op <= WL_OP_I64_STORE32) return true;
  if (op >= WL_OP_F32_MIN && op <= WL_OP_F32_MAX) return false;  /* C helpers */
  if (op >= WL_OP_F64_MIN && op <= WL_OP_F64_MAX) return false;
  if (op >= WL_OP_I32_TRUNC_F32_S && op <= WL_OP_I32_TRUNC_F64_U) return false;
  if (op >= WL_OP_I64_TRUNC_F32_S && op <= WL_OP_I64_TRUNC_F64_U) return false;
  if (op == WL_OP_F32_CONVERT_I64_U || op == WL_OP_F64_CONVERT_I64_U) return false;
  if (op >= WL_OP_I32_CONST && op <= WL_OP_F64_REINTERPRET_I64) return true;
  if (op >= WL_OP_I32_EXTEND8_S && op <= WL_OP_I64_EXTEND32_S) return true;
  if (op >= WL_OP_V128_LOAD) return jit_simd_inline(op);  /* all.def: SIMD rows after the core */
  switch (op) {
    case WL_OP_DROP: case WL_OP_SELECT: case WL_OP_SELECT_T: case WL_OP_LOCAL_GET:
    case WL_OP_LOCAL_SET: case WL_OP_LOCAL_TEE: case WL_OP_GLOBAL_GET: case WL_OP_GLOBAL_SET:
    case WL_OP_IF: case WL_OP_BR_IF:  /* they flush themselves after popping the condition */
      return true;
    default: return false;
  }
}

void jit_load_top(jit_fn *fn, bool w64, x64_reg r, uint32_t depth) {
  jit_val_to_gpr(fn, jit_at(fn, depth), fn->sp - 1 - depth, w64, r);
}

void jit_alu_top(jit_fn *fn, x64_alu op, bool w64, x64_reg dst) {
  jit_alu_val(fn, op, w64, dst, jit_at(fn, 0), fn->sp - 1);
}

void jit_replace(jit_fn *fn, uint32_t pop, x64_reg r) {
  jit_pop(fn, pop);
  x64_reg f = jit_alloc_gpr(fn, 0);
  x64_mov_rr(fn->a, true, f, r);
  jit_push_gpr(fn, f);
}

void jit_push_reg(jit_fn *fn, x64_reg r) { jit_replace(fn, 0, r); }

void jit_push_mem(jit_fn *fn, x64_mem m) {
  x64_reg f = jit_alloc_gpr(fn, 0);
  x64_load(fn->a, 8, false, true, f, m);
  jit_push_gpr(fn, f);
}

void jit_push_const(jit_fn *fn, uint64_t bits) {
  jit_push_val(fn, (jit_val){.kind = JV_CONST, .bits = bits});
}
