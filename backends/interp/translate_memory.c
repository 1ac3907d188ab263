/* Memory instructions: loads, stores, memory.size/grow and the bulk-memory group. Loads and
 * stores keep the static offset as an operand; the handler adds it to the 32-bit address in
 * 64-bit arithmetic and checks the access against the memory's current size. */
#include "backends/interp/translate.h"

/* If the instruction just emitted is [I32_ADD_IMM or I32_SUB_IMM, addr, a, c] computing
 * `addr`, a canonical slot the caller's instruction pops (so the sum is needed nowhere else),
 * removes it and returns a and the addend (mod 2^32). */
bool tr_take_add_imm(translator *t, int64_t addr, int64_t *a, uint32_t *c) {
  if (t->last_dst < 0 || t->oom || t->n < 4) return false;
  size_t at = t->n - 4;
  const void *h = t->code[at].h;
  bool is_add = h == t->handlers[IOP_I32_ADD_IMM];
  if (!is_add && h != t->handlers[IOP_I32_SUB_IMM]) return false;
  if ((size_t)t->last_dst != at + 1 || t->code[at + 1].i != addr) return false;
  *a = t->code[at + 2].i;
  uint32_t k = (uint32_t)t->code[at + 3].u;
  *c = is_add ? k : 0u - k;
  tr_rewind(t, at);
  return true;
}

/* The start of the instruction just emitted when it wrote `slot` (its dst word is last_dst,
 * right after the handler) and is `len` words long; -1 otherwise. */
static int64_t last_producer(const translator *t, int64_t slot, size_t len) {
  if (t->last_dst < 1 || t->oom) return -1;
  size_t at = (size_t)t->last_dst - 1;
  if (at + len != t->n || t->code[t->last_dst].i != slot) return -1;
  return (int64_t)at;
}

/* The store-fused form of the f64 add/sub/mul whose handler is h, or IOP_COUNT. */
static wl_iop f64_arith_store_op(const translator *t, const void *h) {
  if (h == t->handlers[IOP_F64_ADD]) return IOP_F64_ADD_STORE;
  if (h == t->handlers[IOP_F64_SUB]) return IOP_F64_SUB_STORE;
  if (h == t->handlers[IOP_F64_MUL]) return IOP_F64_MUL_STORE;
  return IOP_COUNT;
}

/* Whether an instruction starts at code word `at` (the trap-site table lists every start). */
static bool starts_at(const translator *t, size_t at) {
  for (uint32_t i = t->noffs; i-- > 0;)
    if (t->offs[i].at <= at) return t->offs[i].at == at;
  return false;
}

/* A product of f64 factors f[0..n) written to `d` by the instruction ending right at `at`:
 * F64_MUL3 [h, d, x, y, z] (n = 3) or F64_MUL [h, d, x, y] (n = 2), no label between. Returns
 * n, or 0 for none. */
static int product_before(const translator *t, size_t at, int64_t d, int64_t f[3]) {
  for (int n = 3; n >= 2; n--) {
    size_t len = (size_t)n + 2, m = at - len;
    if (at < len || t->label_at > m || t->code[m + 1].i != d ||
        t->code[m].h != t->handlers[n == 3 ? IOP_F64_MUL3 : IOP_F64_MUL] || !starts_at(t, m))
      continue;
    for (int k = 0; k < n; k++) f[k] = t->code[m + 2 + k].i;
    return n;
  }
  return 0;
}

/* Emits [F64_{MUL3,MUL2}_<op>_MEM or F64_MEM_<op>_{MUL3,MUL2}, addr, factors, offset]. */
static void emit_mem_product(translator *t, int n, bool mem_first, bool sub, int64_t addr,
                             const int64_t *f, uint64_t offset) {
  tr_emit_op(t, (wl_iop)(IOP_F64_MUL3_ADD_MEM + 4 * (n == 2) + 2 * mem_first + sub));
  tr_emit(t, addr);
  for (int k = 0; k < n; k++) tr_emit(t, f[k]);
  tr_emit(t, (int64_t)offset);
}

/* The load-op at `at` (its entry: the load's trap site) about to become [F64_<op>_MEM, addr,
 * a, offset], when a is the temporary a product right before it wrote (the load-op's own dst,
 * so nothing else reads it): one instruction at the product's start instead, keeping the
 * load-op's trap site (it runs the only bounds check). */
static bool fuse_product_mem(translator *t, size_t at, bool sub, int64_t addr, int64_t a,
                             uint64_t offset) {
  int64_t f[3];
  int n = t->code[at + 1].i == a ? product_before(t, at, a, f) : 0;
  if (!n || !t->noffs || t->offs[t->noffs - 1].at != at) return false;
  wl_ioffset site = t->offs[t->noffs - 1];
  size_t m = at - (size_t)n - 2;
  tr_rewind(t, m);
  emit_mem_product(t, n, false, sub, addr, f, offset);
  site.at = (uint32_t)m;
  t->offs[t->noffs - 1] = site;
  return true;
}

/* f64.store of x op p just computed, where x is what the f64.load before the product loaded
 * from the same address and offset (x[i] op= a * b (* c)): either a product then a plain
 * F64_ADD/SUB [op, v, x, p], or an F64_MUL_ADD_CB/_SUB_CB pair [p, a, b, v, x, p]. Becomes
 * [F64_MEM_<op>_<product>, addr, factors, offset] at the load's start (its trap site; the
 * store's is the same bounds check). */
static bool fuse_mem_product(translator *t, int64_t addr, int64_t value, uint64_t offset) {
  if (t->last_dst < 1 || t->oom || t->code[t->last_dst].i != value) return false;
  size_t at = (size_t)t->last_dst - 1, start;
  const void *const *hs = t->handlers;
  int64_t f[3], x, p = value + 1; /* the product is the temporary right above the value */
  int n;
  bool sub;
  if (at + 4 == t->n && (t->code[at].h == hs[IOP_F64_ADD] || t->code[at].h == hs[IOP_F64_SUB])) {
    sub = t->code[at].h == hs[IOP_F64_SUB];
    x = t->code[at + 2].i;
    n = t->code[at + 3].i == p ? product_before(t, at, p, f) : 0;
    start = at - (size_t)n - 2;
  } else {
    start = at - 3; /* a pair: its second dst is at start + 4 */
    if (at < 3 || start + 7 != t->n || t->code[start + 1].i != p || t->code[start + 6].i != p ||
        (t->code[start].h != hs[IOP_F64_MUL_ADD_CB] && t->code[start].h != hs[IOP_F64_MUL_SUB_CB]) ||
        !starts_at(t, start))
      return false;
    sub = t->code[start].h == hs[IOP_F64_MUL_SUB_CB];
    x = t->code[start + 5].i;
    f[0] = t->code[start + 2].i;
    f[1] = t->code[start + 3].i;
    n = 2;
  }
  size_t ld = start - 4;
  /* the product must not read the loaded value (it would run before the load now) */
  if (!n || x != value || start < 4 || t->label_at > ld || t->code[ld].h != hs[IOP_F64_LOAD] ||
      t->code[ld + 1].i != x || t->code[ld + 2].i != addr || t->code[ld + 3].u != offset ||
      !starts_at(t, ld))
    return false;
  for (int k = 0; k < n; k++)
    if (f[k] == x) return false;
  tr_rewind(t, ld);
  emit_mem_product(t, n, true, sub, addr, f, offset);
  return true;
}

/* f64.store of a value the f64 add/sub/mul just emitted produced into its canonical slot:
 * rewrites that instruction [op, value, a, b] into [op_STORE, addr, a, b, offset]. */
static bool fuse_arith_store(translator *t, int64_t addr, int64_t value, uint64_t offset) {
  int64_t at = last_producer(t, value, 4);
  if (at < 0) return false;
  wl_iop fused = f64_arith_store_op(t, t->code[at].h);
  if (fused == IOP_COUNT) return false;
  int64_t a = t->code[at + 2].i, b = t->code[at + 3].i;
  tr_rewind(t, (size_t)at);
  tr_emit_op(t, fused);
  tr_emit(t, addr);
  tr_emit(t, a);
  tr_emit(t, b);
  tr_emit(t, (int64_t)offset);
  return true;
}

/* f64 add/sub/mul (wasm op) whose second operand `b` the f64.load just emitted produced:
 * removes the load and emits [op_LOAD, dst, a, addr, offset, c]. */
bool tr_fuse_load_arith(translator *t, uint16_t op, int64_t dst, int64_t a, int64_t b) {
  wl_iop fused = op == WL_OP_F64_ADD   ? IOP_F64_ADD_LOAD
                 : op == WL_OP_F64_SUB ? IOP_F64_SUB_LOAD
                 : op == WL_OP_F64_MUL ? IOP_F64_MUL_LOAD
                                       : IOP_COUNT;
  if (fused == IOP_COUNT || a == b) return false;
  int64_t at = last_producer(t, b, 4);
  bool addi = at < 0;
  if (addi) at = last_producer(t, b, 5);
  if (at < 0) return false;
  if (t->code[at].h != t->handlers[addi ? IOP_F64_LOAD_ADDI : IOP_F64_LOAD]) return false;
  int64_t addr = t->code[at + 2].i, offset = t->code[at + 3].i;
  int64_t c = addi ? t->code[at + 4].i : 0;
  tr_rewind(t, (size_t)at);
  tr_emit_op(t, fused);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, a);
  tr_emit(t, addr);
  tr_emit(t, offset);
  tr_emit(t, c);
  return true;
}

/* f64.store of the value an f64 load-op ([op_LOAD, dst, a, addr, offset, 0]) just produced,
 * to the same address slot and offset: rewrites it into [op_MEM, addr, a, offset]. */
static bool fuse_load_arith_store(translator *t, int64_t addr, int64_t value, uint64_t offset) {
  int64_t at = last_producer(t, value, 6);
  if (at < 0) return false;
  const void *h = t->code[at].h;
  wl_iop fused = h == t->handlers[IOP_F64_ADD_LOAD]   ? IOP_F64_ADD_MEM
                 : h == t->handlers[IOP_F64_SUB_LOAD] ? IOP_F64_SUB_MEM
                 : h == t->handlers[IOP_F64_MUL_LOAD] ? IOP_F64_MUL_MEM
                                                      : IOP_COUNT;
  if (fused == IOP_COUNT || t->code[at + 3].i != addr || t->code[at + 4].u != offset ||
      t->code[at + 5].i != 0)
    return false;
  int64_t a = t->code[at + 2].i;
  if ((fused == IOP_F64_ADD_MEM || fused == IOP_F64_SUB_MEM) &&
      fuse_product_mem(t, (size_t)at, fused == IOP_F64_SUB_MEM, addr, a, offset))
    return true;
  tr_rewind(t, (size_t)at);
  tr_emit_op(t, fused);
  tr_emit(t, addr);
  tr_emit(t, a);
  tr_emit(t, (int64_t)offset);
  return true;
}

/* A narrow store of the value a load of the same width produced (the store keeps only the
 * loaded bytes, so the load's sign extension does not matter): COPY8 or COPY16. */
static bool narrow_copy(const translator *t, wl_iop store, const void *h, wl_iop *copy) {
  const void *const *hs = t->handlers;
  if ((store == IOP_I32_STORE8 && (h == hs[IOP_I32_LOAD8_U] || h == hs[IOP_I32_LOAD8_S])) ||
      (store == IOP_I64_STORE8 && (h == hs[IOP_I64_LOAD8_U] || h == hs[IOP_I64_LOAD8_S]))) {
    *copy = IOP_COPY8;
    return true;
  }
  if ((store == IOP_I32_STORE16 && (h == hs[IOP_I32_LOAD16_U] || h == hs[IOP_I32_LOAD16_S])) ||
      (store == IOP_I64_STORE16 && (h == hs[IOP_I64_LOAD16_U] || h == hs[IOP_I64_LOAD16_S]))) {
    *copy = IOP_COPY16;
    return true;
  }
  return false;
}

/* A store of the value the load just emitted produced, same width and bits (i32.load ->
 * i32.store, f64.load -> f64.store, ...): rewrites the load into [COPY<w>, addr, src addr,
 * src offset, offset]. */
static bool fuse_load_store(translator *t, wl_iop store, int64_t addr, int64_t value,
                            uint64_t offset) {
  int64_t at = last_producer(t, value, 4);
  if (at < 0) return false;
  const void *h = t->code[at].h;
  wl_iop copy;
  if ((store == IOP_I32_STORE && h == t->handlers[IOP_I32_LOAD]) ||
      (store == IOP_F32_STORE && h == t->handlers[IOP_F32_LOAD]))
    copy = IOP_COPY32;
  else if ((store == IOP_I64_STORE && h == t->handlers[IOP_I64_LOAD]) ||
           (store == IOP_F64_STORE && h == t->handlers[IOP_F64_LOAD]))
    copy = IOP_COPY64;
  else if (store == IOP_I64_STORE32 &&
           (h == t->handlers[IOP_I64_LOAD32_U] || h == t->handlers[IOP_I64_LOAD32_S]))
    copy = IOP_COPY32;
  else if (narrow_copy(t, store, h, &copy))
    ;
  else
    return false;
  int64_t src = t->code[at + 2].i, src_offset = t->code[at + 3].i;
  tr_rewind(t, (size_t)at);
  tr_emit_op(t, copy);
  tr_emit(t, addr);
  tr_emit(t, src);
  tr_emit(t, src_offset);
  tr_emit(t, (int64_t)offset);
  return true;
}

/* f64.mul whose first operand `a` the f64.mul just emitted produced (into the canonical slot
 * dst, which this one overwrites): [F64_MUL, a, x, y] becomes [F64_MUL3, dst, x, y, b]. */
bool tr_fuse_mul_mul(translator *t, int64_t dst, int64_t a, int64_t b) {
  if (a != dst || b == a) return false;
  int64_t at = last_producer(t, a, 4);
  if (at < 0 || t->code[at].h != t->handlers[IOP_F64_MUL]) return false;
  t->code[at].h = t->handlers[IOP_F64_MUL3];
  tr_emit(t, b);
  t->last_dst = at + 1;
  return true;
}

/* ---------------------------------------------------------------- other memories */

/* Memory 0 of i32 addresses is the fast path (cached base and size, fused forms); any other
 * memory (multi-memory) or an i64 one (memory64) goes through multi_memory.h's helpers. */
bool tr_is_fast_memory(const translator *t, uint32_t memory) {
  return memory == 0 && !t->m->memories[0].is64;
}

static void translate_access_n(translator *t, const wl_instr *in, bool is_load) {
  if (is_load) {
    int64_t addr = tr_pop(t);
    int64_t dst = tr_push(t);
    tr_emit_op(t, IOP_MEM_LOAD);
    tr_note_result(t, t->n);
    tr_emit(t, dst);
    tr_emit(t, addr);
  } else {
    int64_t value = tr_pop(t);
    tr_emit_op(t, IOP_MEM_STORE);
    tr_emit(t, tr_pop(t));
    tr_emit(t, value);
  }
  tr_emit(t, (int64_t)in->imm.memarg.offset);
  tr_emit(t, in->imm.memarg.memory);
  tr_emit(t, in->op);
}

/* Load forms (ops.def): a constant address folds into _ABS, an address computed by an i32
 * add/sub of a constant into _ADDI; otherwise the plain [dst, addr, offset]. */
static void translate_load(translator *t, wl_iop op, const wl_instr *in) {
  if (!tr_is_fast_memory(t, in->imm.memarg.memory)) {
    translate_access_n(t, in, true);
    return;
  }
  int64_t addr = tr_pop(t);
  uint64_t offset = in->imm.memarg.offset;
  int64_t a, k;
  uint32_t c;
  bool canon = addr == tr_slot(t, t->h);
  if (canon && tr_take_const(t, addr, &k)) {
    int64_t dst = tr_push(t);
    tr_emit_op(t, (wl_iop)(op + 2));
    tr_note_result(t, t->n);
    tr_emit(t, dst);
    tr_emit(t, (int64_t)((uint64_t)(uint32_t)k + offset));
    return;
  }
  bool fused = canon && tr_take_add_imm(t, addr, &a, &c);
  int64_t dst = tr_push(t);
  tr_emit_op(t, fused ? (wl_iop)(op + 1) : op);
  tr_note_result(t, t->n);
  tr_emit(t, dst);
  tr_emit(t, fused ? a : addr);
  tr_emit(t, (int64_t)offset);
  if (fused) tr_emit(t, c);
}

/* If the instruction just emitted is [I32_OR_IMM, value, a, c] computing `value` (a
 * canonical slot the store pops), removes it and returns a and c. */
static bool take_or_imm(translator *t, int64_t value, int64_t *a, uint32_t *c) {
  int64_t at = last_producer(t, value, 4);
  if (at < 0 || t->code[at].h != t->handlers[IOP_I32_OR_IMM]) return false;
  *a = t->code[at + 2].i;
  *c = (uint32_t)t->code[at + 3].u;
  tr_rewind(t, (size_t)at);
  return true;
}

/* The trap-site entry of the instruction starting at `at`, or NULL. */
static wl_ioffset *entry_at(translator *t, size_t at) {
  for (uint32_t i = t->noffs; i-- > 0;)
    if (t->offs[i].at <= at) return t->offs[i].at == at ? &t->offs[i] : NULL;
  return NULL;
}

/* i32.store of x to q right after [I32_LOAD, x, p, op][COPY32, p, q, oq, op] (x = mem[p];
 * mem[p] = mem[q]; mem[q] = x: a swap, the store to q's own slot and offset, no label
 * between): one [I32_SWAP, x, p, q, op, oq] at the load's start, its trap sites the load's
 * and then the copy's load (both stores hit addresses those checks covered). */
static bool fuse_swap(translator *t, int64_t addr, int64_t value, uint64_t offset) {
  if (!t->fast_paths || t->oom || t->n < 9 || t->label_at > t->n - 9) return false;
  size_t ld = t->n - 9, cp = t->n - 5;
  const wl_iword *c = t->code;
  int64_t x = c[ld + 1].i, p = c[ld + 2].i, q = c[cp + 2].i;
  if (c[ld].h != t->handlers[IOP_I32_LOAD] || c[cp].h != t->handlers[IOP_COPY32] ||
      value != x || x == p || x == q || c[cp + 1].i != p || c[cp + 4].u != c[ld + 3].u ||
      addr != q || c[cp + 3].u != offset)
    return false;
  wl_ioffset *first = entry_at(t, ld), *second = entry_at(t, cp);
  if (!first || !second) return false;
  first->off2 = second->off;
  uint64_t op = c[ld + 3].u;
  tr_rewind(t, cp);
  t->noffs = (uint32_t)(first - t->offs) + 1;
  t->code[ld].h = t->handlers[IOP_I32_SWAP];
  t->code[ld + 3].i = q;
  tr_emit(t, (int64_t)op);
  tr_emit(t, (int64_t)offset);
  return true;
}

/* An i32.store right after a plain one (no label between, the earlier one an instruction
 * start): appends this one to it as [I32_STORE2, ...]; its trap site is the second access. */
static bool pair_store(translator *t, int64_t addr, int64_t value, uint64_t offset) {
  if (!t->fast_paths || t->oom || t->n < 4 || t->label_at > t->n - 4 || !t->noffs) return false;
  size_t at = t->n - 4;
  wl_ioffset *o = &t->offs[t->noffs - 1];
  if (t->code[at].h != t->handlers[IOP_I32_STORE] || o->at != at) return false;
  t->code[at].h = t->handlers[IOP_I32_STORE2];
  o->off2 = t->cur_offset;
  tr_forget(t);
  t->pair_at = -1;
  tr_emit(t, addr);
  tr_emit(t, value);
  tr_emit(t, (int64_t)offset);
  return true;
}

static void emit_store(translator *t, wl_iop op, int64_t x, int64_t y, uint64_t offset,
                       uint32_t c) {
  tr_emit_op(t, op);
  tr_emit(t, x);
  tr_emit(t, y);
  tr_emit(t, (int64_t)offset);
  tr_emit(t, c);
}

/* Store forms (ops.def): a constant value just pushed folds into _IMM; a value just computed
 * by f64 arithmetic, a same-width load or an i32 add of a constant fuses with its producer
 * (fused.inc); when the value needed no code (a local), a constant address just pushed folds
 * into _ABS and an address just computed by an i32 add of a constant into _ADDI. */
static void translate_store(translator *t, wl_iop op, const wl_instr *in) {
  if (!tr_is_fast_memory(t, in->imm.memarg.memory)) {
    translate_access_n(t, in, false);
    return;
  }
  int64_t value = tr_pop(t);
  int64_t addr = tr_pop(t);
  uint64_t offset = in->imm.memarg.offset;
  int64_t k;
  bool value_canon = value == tr_slot(t, t->h + 1);
  if (value_canon && tr_take_const(t, value, &k)) {
    tr_emit_op(t, (wl_iop)(op + 1));
    tr_emit(t, addr);
    tr_emit(t, k);
    tr_emit(t, (int64_t)offset);
    return;
  }
  if (value_canon && op == IOP_F64_STORE &&
      (fuse_mem_product(t, addr, value, offset) || fuse_arith_store(t, addr, value, offset) ||
       fuse_load_arith_store(t, addr, value, offset)))
    return;
  if (value_canon && fuse_load_store(t, op, addr, value, offset)) return;
  int64_t a;
  uint32_t c;
  if (value_canon && op == IOP_I32_STORE && tr_take_add_imm(t, value, &a, &c)) {
    emit_store(t, IOP_I32_STORE_ADDV, addr, a, offset, c);
    return;
  }
  if (value_canon && op == IOP_I32_STORE && take_or_imm(t, value, &a, &c)) {
    emit_store(t, IOP_I32_STORE_ORV, addr, a, offset, c);
    return;
  }
  if (!value_canon && addr == tr_slot(t, t->h) && tr_take_add_imm(t, addr, &a, &c)) {
    emit_store(t, (wl_iop)(op + 3), a, value, offset, c);
    return;
  }
  if (!value_canon && addr == tr_slot(t, t->h) && tr_take_const(t, addr, &k)) {
    tr_emit_op(t, (wl_iop)(op + 2));
    tr_emit(t, (int64_t)((uint64_t)(uint32_t)k + offset));
    tr_emit(t, value);
    return;
  }
  if (op == IOP_I32_STORE && (fuse_swap(t, addr, value, offset) || pair_store(t, addr, value, offset)))
    return;
  tr_emit_op(t, op);
  tr_emit(t, addr);
  tr_emit(t, value);
  tr_emit(t, (int64_t)offset);
}

/* [op, imm x nimm, the top nin values as operands]; pops them. */
static void emit_with_immediates(translator *t, wl_iop op, const int64_t *imm, uint32_t nimm,
                                 uint32_t nin) {
  uint32_t first = t->h - nin;
  tr_emit_op(t, op);
  for (uint32_t i = 0; i < nimm; i++) tr_emit(t, imm[i]);
  for (uint32_t i = first; i < t->h; i++) tr_emit(t, t->vs[i]);
  t->h = first;
}

/* Emits op with a leading immediate (when has_imm) and the top `nin` values as operands. */
static void emit_with_operands(translator *t, wl_iop op, bool has_imm, int64_t imm, uint32_t nin) {
  emit_with_immediates(t, op, &imm, has_imm ? 1 : 0, nin);
}

static void translate_memory_size(translator *t, uint32_t memory) {
  bool fast = tr_is_fast_memory(t, memory);
  int64_t dst = tr_push(t);
  tr_emit_op(t, fast ? IOP_MEMORY_SIZE : IOP_MEMORY_SIZE_N);
  tr_emit(t, dst);
  if (!fast) tr_emit(t, memory);
}

static void translate_memory_grow(translator *t, uint32_t memory) {
  bool fast = tr_is_fast_memory(t, memory);
  int64_t delta = tr_pop(t);
  int64_t dst = tr_push(t);
  tr_emit_op(t, fast ? IOP_MEMORY_GROW : IOP_MEMORY_GROW_N);
  tr_emit(t, dst);
  tr_emit(t, delta);
  if (!fast) tr_emit(t, memory);
}

static void translate_copy(translator *t, const wl_instr *in) {
  uint32_t d = in->imm.pair.a, s = in->imm.pair.b;
  if (d == 0 && s == 0 && tr_is_fast_memory(t, 0)) {
    emit_with_operands(t, IOP_MEMORY_COPY, false, 0, 3);
    return;
  }
  int64_t mems[2] = {d, s};
  emit_with_immediates(t, IOP_MEMORY_COPY_N, mems, 2, 3);
}

static void translate_fill(translator *t, uint32_t memory) {
  if (tr_is_fast_memory(t, memory)) emit_with_operands(t, IOP_MEMORY_FILL, false, 0, 3);
  else emit_with_operands(t, IOP_MEMORY_FILL_N, true, memory, 3);
}

bool tr_memory(translator *t, const wl_instr *in) {
  switch (in->op) {
#define LOADOP(n) \
  case WL_OP_##n: translate_load(t, IOP_##n, in); return true;
#define STOREOP(n) \
  case WL_OP_##n: translate_store(t, IOP_##n, in); return true;
#include "backends/interp/ops.def"
    case WL_OP_MEMORY_SIZE: translate_memory_size(t, in->imm.index); return true;
    case WL_OP_MEMORY_GROW: translate_memory_grow(t, in->imm.index); return true;
    case WL_OP_MEMORY_INIT: {
      int64_t imm[2] = {in->imm.pair.a, in->imm.pair.b};
      emit_with_immediates(t, IOP_MEMORY_INIT, imm, 2, 3);
      return true;
    }
    case WL_OP_DATA_DROP:
      tr_emit_op(t, IOP_DATA_DROP);
      tr_emit(t, in->imm.index);
      return true;
    case WL_OP_MEMORY_COPY: translate_copy(t, in); return true;
    case WL_OP_MEMORY_FILL: translate_fill(t, in->imm.index); return true;
    default: return false;
  }
}
