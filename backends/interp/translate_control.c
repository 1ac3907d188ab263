/* Control instructions: block, loop, if/else, end, br, br_if, br_table, return, unreachable.
 * Branches carry their values with a precomputed block move (dst, src, n): the top n values go
 * to the target frame's height. Forward targets are chained through their target words and
 * patched at the frame's end. */
#include "backends/interp/translate.h"

static ctl_frame *label_frame(translator *t, uint32_t depth) {
  return &t->ctl[t->nctl - 1 - depth];
}

static uint32_t branch_arity(const ctl_frame *f) {
  return f->kind == CTL_LOOP ? f->nparams : f->nresults;
}

/* Emits the target word of a branch to frame f. */
static void emit_branch_target(translator *t, ctl_frame *f) {
  if (f->kind != CTL_LOOP) f->assigned_at_end &= t->assigned;
  if (f->kind == CTL_LOOP) {
    tr_emit_target(t, f->loop_start);
    return;
  }
  int64_t word = (int64_t)t->n;
  tr_emit_target(t, (size_t)f->fwd_chain);
  f->fwd_chain = word;
  f->has_incoming = true;
}

static void patch_chain(translator *t, int64_t word, size_t dest) {
  while (word >= 0 && !t->oom) {
    int64_t next = t->code[word].i;
    t->code[word].i = (int64_t)dest;
    word = next;
  }
}

/* A label: code may be reached from elsewhere, so nothing before it can be fused with. */
static void mark_label(translator *t) {
  tr_forget(t);
  t->pair_at = t->addi_at = t->const_at = t->prev_const_at = -1;
  t->label_at = t->n;
}

/* [CONST, dst, bits][BR_IF/UNLESS_F64_<cmp>(_IMM), a, b] (the target not yet emitted), adjacent
 * with no label between (const_at): one K_BR_*_F64_<cmp>(_IMM), [dst, bits, a, b]; the branch
 * cannot trap, so its trap-site entry goes. */
static void fuse_const_branch(translator *t, size_t at) {
  int64_t first = t->const_at;
  if (first < 0 || t->oom || (size_t)first + 3 != at || at + 3 != t->n) return;
  if (t->code[first].h != t->handlers[IOP_CONST]) return;
  int k = tr_handler_index(t, at, IOP_BR_IF_F64_EQ, IOP_BR_UNLESS_F64_GE_IMM);
  if (k < 0) return;
  int64_t a = t->code[at + 1].i, b = t->code[at + 2].i;
  tr_rewind_untrapping(t, at);
  t->code[first].h = t->handlers[IOP_K_BR_IF_F64_EQ + k];
  tr_emit(t, a);
  tr_emit(t, b);
}

/* Resets the simulated stack to `height` canonical entries. */
static void reset_stack(translator *t, uint32_t height) {
  t->h = height;
  for (uint32_t i = 0; i < height; i++) t->vs[i] = tr_slot(t, i);
}

static void set_dead(translator *t) { tr_top(t)->dead = true; }
static void emit_return(translator *t);

/* ---------------------------------------------------------------- fused compares */

static wl_iop fused_branch_op(uint16_t cmp) {
  switch (cmp) {
    case WL_OP_I32_EQZ: return IOP_BR_IF_EQZ;
    case WL_OP_I32_EQ: return IOP_BR_IF_I32_EQ;
    case WL_OP_I32_NE: return IOP_BR_IF_I32_NE;
    case WL_OP_I32_LT_S: return IOP_BR_IF_I32_LT_S;
    case WL_OP_I32_LT_U: return IOP_BR_IF_I32_LT_U;
    case WL_OP_I32_GT_S: return IOP_BR_IF_I32_GT_S;
    case WL_OP_I32_GT_U: return IOP_BR_IF_I32_GT_U;
    case WL_OP_I32_LE_S: return IOP_BR_IF_I32_LE_S;
    case WL_OP_I32_LE_U: return IOP_BR_IF_I32_LE_U;
    case WL_OP_I32_GE_S: return IOP_BR_IF_I32_GE_S;
    case WL_OP_I32_GE_U: return IOP_BR_IF_I32_GE_U;
    default: return IOP_COUNT;
  }
}

/* The compare testing the opposite condition (for `if`, which branches when false). */
static uint16_t negated_compare(uint16_t cmp) {
  switch (cmp) {
    case WL_OP_I32_EQ: return WL_OP_I32_NE;
    case WL_OP_I32_NE: return WL_OP_I32_EQ;
    case WL_OP_I32_LT_S: return WL_OP_I32_GE_S;
    case WL_OP_I32_GE_S: return WL_OP_I32_LT_S;
    case WL_OP_I32_GT_S: return WL_OP_I32_LE_S;
    case WL_OP_I32_LE_S: return WL_OP_I32_GT_S;
    case WL_OP_I32_LT_U: return WL_OP_I32_GE_U;
    case WL_OP_I32_GE_U: return WL_OP_I32_LT_U;
    case WL_OP_I32_GT_U: return WL_OP_I32_LE_U;
    case WL_OP_I32_LE_U: return WL_OP_I32_GT_U;
    default: return WL_OP_COUNT;
  }
}

/* The f64 compare + branch for wasm compare `cmp`: jumping when it holds, or when it does not
 * (`negate`). */
static wl_iop f64_branch_op(uint16_t cmp, bool negate) {
  wl_iop first = negate ? IOP_BR_UNLESS_F64_EQ : IOP_BR_IF_F64_EQ;
  return (wl_iop)(first + 2 * (cmp - WL_OP_F64_EQ));
}

static bool is_f64_compare(uint16_t op) { return op >= WL_OP_F64_EQ && op <= WL_OP_F64_GE; }

/* Fused tests that have their own branch-when-false (BR_UNLESS_*) form. */
static bool has_unless_form(uint16_t op) { return is_f64_compare(op) || op == WL_OP_I32_AND; }

static wl_iop test_branch_op(uint16_t cmp, bool negate) {
  if (cmp == WL_OP_I32_AND) return negate ? IOP_BR_UNLESS_I32_AND : IOP_BR_IF_I32_AND;
  if (is_f64_compare(cmp)) return f64_branch_op(cmp, negate);
  return fused_branch_op(cmp);
}

/* If the condition slot `cond` was produced by the instruction just emitted, a fusable
 * compare [cmp, dst, a(, b)], rewrites it in place into [BR_IF_<cmp>, a(, b)] (the caller then
 * emits the target) and returns true. `negate` asks for the branch-when-false form. An i32.eqz
 * of a compare emitted right before it fuses with that compare, negated. */
static bool fuse_compare(translator *t, int64_t cond, bool negate) {
  if (t->last_cmp < 0 || t->oom) return false;
  size_t at = (size_t)t->last_cmp;
  if (t->code[at + 1].i != cond) return false;
  uint16_t cmp = t->last_cmp_op;
  bool imm = t->last_cmp_imm;
  if (cmp == WL_OP_I32_EQZ && t->eqz_cmp >= 0) {
    at = (size_t)t->eqz_cmp;
    cmp = t->eqz_cmp_op;
    imm = t->eqz_cmp_imm;
    negate = !negate;
  }
  if (cmp == WL_OP_I64_EQZ) {
    /* [I64_EQZ, dst, a] -> [BR_IF_I64_EQZ or _NEZ, a] */
    t->code[at].h = t->handlers[negate ? IOP_BR_IF_I64_NEZ : IOP_BR_IF_I64_EQZ];
    t->code[at + 1] = t->code[at + 2];
    tr_rewind(t, at + 2);
    return true;
  }
  bool is_eqz = cmp == WL_OP_I32_EQZ;
  if (negate && !has_unless_form(cmp)) {
    if (is_eqz) {
      /* if (eqz a): skip the then-arm when a != 0 */
      t->code[at].h = t->handlers[IOP_BR_IF];
      t->code[at + 1].i = t->code[at + 2].i;
      tr_rewind(t, at + 2);
      return true;
    }
    cmp = negated_compare(cmp);
  }
  wl_iop op = test_branch_op(cmp, negate);
  if (imm) op = (wl_iop)(op + 1);
  t->code[at].h = t->handlers[op];
  size_t nops = is_eqz ? 1 : 2;
  for (size_t k = 0; k < nops; k++) t->code[at + 1 + k] = t->code[at + 2 + k];
  tr_rewind(t, at + 1 + nops);
  if (!is_eqz) tr_fuse_addi_branch(t, at);
  if (t->fast_paths && is_f64_compare(cmp)) fuse_const_branch(t, at);
  return true;
}

/* ---------------------------------------------------------------- blocks */

/* The block's param and result counts in slots, from its block type. */
static void block_slots(const translator *t, const wl_instr *in, uint32_t *np, uint32_t *nr) {
  *np = *nr = 0;
  if (in->imm.block.kind == WL_BLOCK_VALTYPE) *nr = wl_valtype_slots(in->imm.block.valtype);
  if (in->imm.block.kind != WL_BLOCK_TYPEIDX) return;
  const wl_functype *ft = &t->m->types[in->imm.block.type_index];
  *np = wl_types_slots(ft->params, ft->nparams);
  *nr = wl_types_slots(ft->results, ft->nresults);
}

static void translate_block(translator *t, const wl_instr *in, ctl_kind kind) {
  uint32_t np, nr;
  block_slots(t, in, &np, &nr);
  t->next_block++;
  tr_materialize_all(t);
  tr_push_ctl(t, kind, t->h - np, np, nr);
  if (t->oom) return;
  if (kind == CTL_LOOP) {
    mark_label(t);
    tr_top(t)->loop_start = t->n;
    tr_new_run(t);
  }
}

static void translate_if(translator *t, const wl_instr *in) {
  uint32_t np, nr;
  block_slots(t, in, &np, &nr);
  t->next_block++;
  int64_t cond = tr_pop(t);
  tr_materialize_all(t);
  if (!fuse_compare(t, cond, true)) {
    tr_emit_op(t, IOP_BR_UNLESS);
    tr_emit(t, cond);
  }
  int64_t else_word = (int64_t)t->n;
  tr_emit_target(t, 0);
  tr_push_ctl(t, CTL_IF, t->h - np, np, nr);
  if (t->oom) return;
  tr_top(t)->else_word = else_word;
  tr_new_run(t);
}

static void translate_else(translator *t) {
  ctl_frame *f = tr_top(t);
  if (!f->dead) {
    tr_materialize_top(t, f->nresults);
    tr_emit_op(t, IOP_BR);
    emit_branch_target(t, f);
  }
  if (!t->oom) t->code[f->else_word].i = (int64_t)t->n;
  f->else_word = -1;
  if (!f->dead) f->assigned_at_end &= t->assigned;
  t->assigned = f->assigned_at_start;
  f->dead = false;
  reset_stack(t, f->height + f->nparams);
  mark_label(t);
  tr_new_run(t);
}

static void translate_end(translator *t) {
  ctl_frame *f = tr_top(t);
  if (f->kind == CTL_FUNC && !f->dead && !f->has_incoming) {
    emit_return(t);  /* only the fallthrough reaches the end */
    t->nctl--;
    return;
  }
  if (!f->dead) tr_materialize_top(t, f->nresults);
  if (f->kind == CTL_IF && f->else_word >= 0) {
    /* no else: a false condition lands here with the params, which equal the results */
    if (!t->oom) t->code[f->else_word].i = (int64_t)t->n;
    f->has_incoming = true;
  }
  bool reachable = !f->dead || f->has_incoming;
  /* what is surely written after the end: on the fallthrough and every branch to it (and, for
   * an if without else, on the false path); a loop's own branches go to its head */
  uint64_t after = f->assigned_at_end;
  if (!f->dead) after &= t->assigned;
  if (f->kind == CTL_IF && f->else_word >= 0) after &= f->assigned_at_start;
  t->assigned = after;
  patch_chain(t, f->fwd_chain, t->n);
  mark_label(t);
  uint32_t height = f->height + f->nresults;
  ctl_kind kind = f->kind;
  uint32_t nresults = f->nresults;
  t->nctl--;
  reset_stack(t, height);
  if (kind == CTL_FUNC) {
    tr_emit_return(t, tr_slot(t, 0), nresults);
    return;
  }
  if (!reachable) {
    set_dead(t);
    return;
  }
  if (f->has_incoming) tr_new_run(t);
}

/* ---------------------------------------------------------------- branches */

/* A single result is returned from wherever it lives (it may be a local). */
static void emit_return(translator *t) {
  uint32_t n = wl_types_slots(t->type->results, t->type->nresults);
  int64_t src = n == 1 ? t->vs[t->h - 1] : tr_slot(t, t->h - n);
  if (n != 1) tr_materialize_top(t, n);
  tr_emit_return(t, src, n);
}

static void translate_br(translator *t, uint32_t depth) {
  ctl_frame *f = label_frame(t, depth);
  if (f->kind == CTL_FUNC) {
    emit_return(t);
    set_dead(t);
    return;
  }
  uint32_t n = branch_arity(f);
  tr_materialize_top(t, n);
  int64_t src = tr_slot(t, t->h - n), dst = tr_slot(t, f->height);
  if (n == 0 || src == dst) {
    tr_emit_op(t, IOP_BR);
    emit_branch_target(t, f);
  } else {
    tr_emit_op(t, IOP_BR_MOVE);
    emit_branch_target(t, f);
    tr_emit(t, dst);
    tr_emit(t, src);
    tr_emit(t, n);
  }
  set_dead(t);
}

static void translate_br_if(translator *t, uint32_t depth) {
  int64_t cond = tr_pop(t);
  ctl_frame *f = label_frame(t, depth);
  uint32_t n = branch_arity(f);
  tr_materialize_top(t, n);
  int64_t src = tr_slot(t, t->h - n), dst = tr_slot(t, f->height);
  if (n == 0 || src == dst) {
    if (!fuse_compare(t, cond, false)) {
      tr_emit_op(t, IOP_BR_IF);
      tr_emit(t, cond);
    }
    emit_branch_target(t, f);
  } else {
    tr_emit_op(t, IOP_BR_IF_MOVE);
    tr_emit(t, cond);
    emit_branch_target(t, f);
    tr_emit(t, dst);
    tr_emit(t, src);
    tr_emit(t, n);
  }
  tr_forget(t);
  tr_new_run(t);
}

static void translate_br_table(translator *t, const wl_instr *in) {
  int64_t index = tr_pop(t);
  const uint8_t *p = in->imm.br_table.labels;
  uint32_t count = in->imm.br_table.count;
  /* every label has the same arity (validated); the first one tells it */
  const uint8_t *peek = p;
  uint32_t n = branch_arity(label_frame(t, wl_br_table_label(&peek)));
  tr_materialize_top(t, n);
  tr_emit_op(t, IOP_BR_TABLE);
  tr_emit(t, index);
  tr_emit(t, count);
  int64_t src = tr_slot(t, t->h - n);
  for (uint32_t k = 0; k <= count; k++) {
    ctl_frame *f = label_frame(t, wl_br_table_label(&p));
    int64_t dst = tr_slot(t, f->height);
    emit_branch_target(t, f);
    tr_emit(t, dst);
    tr_emit(t, src);
    tr_emit(t, src == dst ? 0 : n);
  }
  set_dead(t);
}

bool tr_control(translator *t, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_NOP: return true;
    case WL_OP_UNREACHABLE:
      tr_emit_op(t, IOP_UNREACHABLE);
      set_dead(t);
      return true;
    case WL_OP_BLOCK: translate_block(t, in, CTL_BLOCK); return true;
    case WL_OP_LOOP: translate_block(t, in, CTL_LOOP); return true;
    case WL_OP_IF: translate_if(t, in); return true;
    case WL_OP_ELSE: translate_else(t); return true;
    case WL_OP_END: translate_end(t); return true;
    case WL_OP_BR: translate_br(t, in->imm.index); return true;
    case WL_OP_BR_IF: translate_br_if(t, in->imm.index); return true;
    case WL_OP_BR_TABLE: translate_br_table(t, in); return true;
    case WL_OP_RETURN:
      emit_return(t);
      set_dead(t);
      return true;
    default: return false;
  }
}
