/* Structured control flow: block, loop, if/else, end, br, br_if, br_table, return,
 * unreachable, nop.
 *
 * Values stay in their frame slots, so a merge needs no register state: every edge into a
 * frame's target leaves the carried values at the frame's target_slot (a block's or if's
 * results, a loop's params; slot 0 for the function, where its caller reads the results).
 * Forward jumps are patched at `end`. The bookkeeping (reachability, skipping dead code, which
 * ends start a fuel run) follows the AOT translator's, so metering matches it exactly. */
#include <stdlib.h>

#include "backends/jit/jit.h"

static jit_frame *push_frame(jit_fn *fn) {
  if (fn->nframes == fn->frames_cap) {
    uint32_t cap = fn->frames_cap * 2 + 8;
    fn->frames = realloc(fn->frames, cap * sizeof *fn->frames);
    if (!fn->frames) abort();
    for (uint32_t i = fn->frames_cap; i < cap; i++) fn->frames[i] = (jit_frame){0};
    fn->frames_cap = cap;
  }
  jit_frame *f = &fn->frames[fn->nframes++];
  jit_list ends = f->ends;  /* reused storage */
  *f = (jit_frame){0};
  f->ends = ends;
  f->ends.count = 0;
  return f;
}

static jit_frame *frame_at(jit_fn *fn, uint32_t depth) {
  return &fn->frames[fn->nframes - 1 - depth];
}

static uint32_t branch_arity(const jit_frame *f) {
  return f->kind == JIT_FRAME_LOOP ? f->nparams : f->nresults;
}

/* Moves the values a branch to f carries into place (the jump itself is the caller's). */
static void branch_moves(jit_fn *fn, jit_frame *f) {
  uint32_t n = branch_arity(f);
  jit_move_slots(fn, f->target_slot, fn->nlocals + fn->sp - n, n);
  f->nincoming++;
}

static bool branch_needs_moves(jit_fn *fn, const jit_frame *f) {
  uint32_t n = branch_arity(f);
  return n > 0 && f->target_slot != fn->nlocals + fn->sp - n;
}

/* Jumps (or conditionally jumps) to f's target. */
static void jump_to(jit_fn *fn, jit_frame *f, int cond) {
  x64_asm *a = fn->a;
  if (f->kind == JIT_FRAME_LOOP) {
    if (cond == JIT_ALWAYS)
      x64_jmp_to(a, f->loop_pos);
    else
      x64_jcc_to(a, (x64_cond)cond, f->loop_pos);
  } else {
    jit_list_push(&f->ends, cond == JIT_ALWAYS ? x64_jmp32(a) : x64_jcc32(a, (x64_cond)cond));
  }
}

static void set_block_type(jit_fn *fn, jit_frame *f, const wl_instr *in) {
  switch (in->imm.block.kind) {
    case WL_BLOCK_EMPTY: break;
    case WL_BLOCK_VALTYPE: f->nresults = 1; break;
    default: {
      const wl_functype *t = &fn->c->m->types[in->imm.block.type_index];
      f->nparams = t->nparams;
      f->nresults = t->nresults;
    }
  }
}

/* Code after an unconditional transfer is dead: translation continues at the innermost
 * frame's else (if still ahead) or end. */
void jit_skip_dead(jit_fn *fn) {
  fn->reachable = false;
  jit_frame *f = frame_at(fn, 0);
  bool else_ahead = f->kind == JIT_FRAME_IF && !f->else_seen;
  fn->rd.p = fn->rd.start + wl_skip_dead_code(fn->def, f->info, else_ahead, &fn->next_block);
  jit_set_height(fn, f->height);
}

void jit_open_func_frame(jit_fn *fn) {
  jit_frame *f = push_frame(fn);
  f->kind = JIT_FRAME_FUNC;
  f->nresults = fn->type->nresults;
  f->target_slot = 0;
}

bool jit_body_done(jit_fn *fn) { return fn->nframes == 0; }

static jit_frame *open_frame(jit_fn *fn, jit_frame_kind kind, const wl_instr *in) {
  const wl_block_info *info = &fn->def->facts.blocks[fn->next_block++];
  jit_frame *f = push_frame(fn);
  f->kind = kind;
  f->info = info;
  set_block_type(fn, f, in);
  f->height = fn->sp - f->nparams;
  f->target_slot = fn->nlocals + f->height;
  return f;
}

static void emit_loop(jit_fn *fn, const wl_instr *in) {
  jit_frame *f = open_frame(fn, JIT_FRAME_LOOP, in);
  f->nincoming++;  /* the entry edge */
  f->loop_pos = fn->a->len;
  jit_fuel_new_run(fn);  /* in the header: every iteration pays */
}

/* if and br_if take their condition from the operand cache (the driver does not flush before
 * them) and flush the rest: every value is in its slot at the branch. Returns the condition
 * code under which the branch is taken: a comparison's own (its flags survive the flush, which
 * only moves and stores), else "not zero" after a test. */
static x64_cond pop_condition(jit_fn *fn) {
  jit_val *c = jit_at(fn, 0);
  if (c->kind == JV_FLAGS) {
    x64_cond cc = (x64_cond)c->reg;
    jit_pop(fn, 1);
    jit_flush(fn);
    return cc;
  }
  jit_flush_below(fn, 1);
  int r = jit_val_gpr(fn, c);
  x64_mem m;
  if (r >= 0) {
    x64_test_rr(fn->a, false, (x64_reg)r, (x64_reg)r);
  } else if (jit_val_mem(fn, c, fn->sp - 1, &m)) {
    x64_alu_mi(fn->a, X64_CMP, false, m, 0);
  } else {
    jit_load_top(fn, false, X64_RAX, 0);
    x64_test_rr(fn->a, false, X64_RAX, X64_RAX);
  }
  jit_pop(fn, 1);
  return X64_NE;
}

static x64_cond invert(x64_cond cc) { return (x64_cond)(cc ^ 1); }

static void emit_if(jit_fn *fn, const wl_instr *in) {
  x64_cond cc = pop_condition(fn);
  jit_frame *f = open_frame(fn, JIT_FRAME_IF, in);
  f->else_jump = x64_jcc32(fn->a, invert(cc));
  jit_fuel_new_run(fn);
}

/* Ends the arm that is open now and starts the else arm; its params are still in their slots
 * (the then arm did not run on this path). */
static void begin_else_arm(jit_fn *fn, jit_frame *f) {
  if (fn->reachable) {
    branch_moves(fn, f);
    jump_to(fn, f, JIT_ALWAYS);
  }
  x64_patch(fn->a, f->else_jump, fn->a->len);
  f->else_jump = 0;
  jit_set_height(fn, f->height + f->nparams);
  f->else_seen = true;
  fn->reachable = true;
}

/* Binds the merge point after `end`; returns false when no edge reaches it. */
static bool enter_merge(jit_fn *fn, jit_frame *f) {
  if (fn->reachable) branch_moves(fn, f);  /* the fall-through: no jump needed */
  for (uint32_t i = 0; i < f->ends.count; i++) x64_patch(fn->a, f->ends.items[i], fn->a->len);
  jit_set_height(fn, f->height + f->nresults);
  return f->nincoming > 0;
}

static void emit_end(jit_fn *fn) {
  jit_frame *f = frame_at(fn, 0);
  bool implicit_else = f->kind == JIT_FRAME_IF && !f->else_seen;
  if (implicit_else) begin_else_arm(fn, f);
  /* Metering: the merge starts a run when anything but the fall-through of the arm just
   * translated reaches it (a branch, the other arm, or the false edge of an else-less if). */
  bool new_run = implicit_else || f->nincoming > 0;
  bool live;
  if (f->kind == JIT_FRAME_LOOP)
    live = fn->reachable;  /* only fall-through leaves a loop; results stay on the stack */
  else
    live = enter_merge(fn, f);
  if (f->kind == JIT_FRAME_FUNC)
    jit_epilogue(fn);
  else if (f->kind != JIT_FRAME_LOOP && live && new_run)
    jit_fuel_new_run(fn);
  fn->nframes--;
  fn->reachable = live;
  if (!live && fn->nframes > 0) jit_skip_dead(fn);
}

static void emit_br(jit_fn *fn, uint32_t depth) {
  jit_frame *f = frame_at(fn, depth);
  branch_moves(fn, f);
  jump_to(fn, f, JIT_ALWAYS);
  jit_skip_dead(fn);
}

void jit_emit_return(jit_fn *fn) { emit_br(fn, fn->nframes - 1); }

static void emit_br_if(jit_fn *fn, uint32_t depth) {
  x64_cond cc = pop_condition(fn);
  jit_frame *f = frame_at(fn, depth);
  if (branch_needs_moves(fn, f)) {
    size_t skip = x64_jcc32(fn->a, invert(cc));
    branch_moves(fn, f);
    jump_to(fn, f, JIT_ALWAYS);
    x64_patch(fn->a, skip, fn->a->len);
  } else {
    f->nincoming++;
    jump_to(fn, f, cc);
  }
  jit_fuel_new_run(fn);
}

/* A jump table of rel32 offsets (from the table) to one stub per label; each stub moves the
 * carried values and jumps. Out-of-range indices take the default. */
static void emit_br_table(jit_fn *fn, const wl_instr *in) {
  x64_asm *a = fn->a;
  jit_load_top(fn, false, X64_RAX, 0);
  jit_pop(fn, 1);
  const uint8_t *p = in->imm.br_table.labels;
  uint32_t count = in->imm.br_table.count;
  uint32_t *labels = malloc((count + 1) * sizeof *labels);
  if (!labels) abort();
  for (uint32_t i = 0; i <= count; i++) labels[i] = wl_br_table_label(&p);
  x64_alu_ri(a, X64_CMP, false, X64_RAX, (int32_t)count);
  size_t to_default = x64_jcc32(a, X64_AE);
  size_t table_ref = x64_lea_rip(a, X64_RCX);
  x64_load(a, 4, true, true, X64_RAX, x64_mi(X64_RCX, X64_RAX, 4, 0));
  x64_alu_rr(a, X64_ADD, true, X64_RAX, X64_RCX);
  x64_jmp_r(a, X64_RAX);
  size_t table = a->len;
  x64_patch(a, table_ref, table);
  for (uint32_t i = 0; i < count; i++) x64_u32(a, 0);
  for (uint32_t i = 0; i <= count; i++) {
    if (i < count)
      x64_set_u32(a, table + 4 * i, (uint32_t)(a->len - table));
    else
      x64_patch(a, to_default, a->len);
    jit_frame *f = frame_at(fn, labels[i]);
    branch_moves(fn, f);
    jump_to(fn, f, JIT_ALWAYS);
  }
  free(labels);
  jit_skip_dead(fn);
}

static void emit_unreachable(jit_fn *fn) {
  jit_to_stub(fn, JIT_ALWAYS, WL_TRAP_UNREACHABLE);
  jit_skip_dead(fn);
}

bool jit_emit_control(jit_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_NOP: return true;
    case WL_OP_UNREACHABLE: emit_unreachable(fn); return true;
    case WL_OP_BLOCK: open_frame(fn, JIT_FRAME_BLOCK, in); return true;
    case WL_OP_LOOP: emit_loop(fn, in); return true;
    case WL_OP_IF: emit_if(fn, in); return true;
    case WL_OP_ELSE:
      begin_else_arm(fn, frame_at(fn, 0));
      jit_fuel_new_run(fn);
      return true;
    case WL_OP_END: emit_end(fn); return true;
    case WL_OP_BR: emit_br(fn, in->imm.index); return true;
    case WL_OP_BR_IF: emit_br_if(fn, in->imm.index); return true;
    case WL_OP_BR_TABLE: emit_br_table(fn, in); return true;
    case WL_OP_RETURN: jit_emit_return(fn); return true;
    default: return false;
  }
}
