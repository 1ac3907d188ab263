/* Structured control flow: block, loop, if/else, end, br, br_if, br_table, return,
 * unreachable, nop.
 *
 * Each frame owns one branch target: a loop's header (phis for the loop params) or the merge
 * block after `end` (phis for the results). Branches add their operand values as incoming
 * edges. A merge block no edge reached is unreachable and translation skips on to the
 * enclosing frame's else/end (aot_skip_dead). */
#include <stdlib.h>

#include "backends/aot/llvm/aot_ir.h"

static aot_frame *push_frame(aot_fn *fn) {
  if (fn->nframes == fn->frames_cap) {
    uint32_t cap = fn->frames_cap * 2 + 8;
    fn->frames = realloc(fn->frames, cap * sizeof *fn->frames);
    for (uint32_t i = fn->frames_cap; i < cap; i++) fn->frames[i] = (aot_frame){0};
    fn->frames_cap = cap;
  }
  aot_frame *f = &fn->frames[fn->nframes++];
  LLVMValueRef *phis = f->br_phis, *params = f->if_params;  /* reused storage */
  *f = (aot_frame){0};
  f->br_phis = phis;
  f->if_params = params;
  return f;
}

static aot_frame *frame_at(aot_fn *fn, uint32_t depth) {
  return &fn->frames[fn->nframes - 1 - depth];
}

static uint32_t branch_arity(const aot_frame *f) {
  return f->kind == AOT_FRAME_LOOP ? f->nparams : f->nresults;
}

static const wl_valtype *branch_types(const aot_frame *f) {
  return f->kind == AOT_FRAME_LOOP ? f->params : f->results;
}

/* Creates the phis of f->br_target (which must be empty) for its branch types. */
static void make_phis(aot_fn *fn, aot_frame *f) {
  aot_module *am = fn->am;
  uint32_t n = branch_arity(f);
  const wl_valtype *types = branch_types(f);
  f->br_phis = realloc(f->br_phis, (n + 1) * sizeof *f->br_phis);
  LLVMBasicBlockRef saved = LLVMGetInsertBlock(am->b);
  LLVMPositionBuilderAtEnd(am->b, f->br_target);
  for (uint32_t i = 0; i < n; i++) f->br_phis[i] = LLVMBuildPhi(am->b, aot_valtype(am, types[i]), "");
  LLVMPositionBuilderAtEnd(am->b, saved);
}

/* Adds one edge from the current block into f's branch target, carrying the top values. */
static void add_incoming(aot_fn *fn, aot_frame *f) {
  LLVMBasicBlockRef from = LLVMGetInsertBlock(fn->am->b);
  uint32_t n = branch_arity(f);
  for (uint32_t i = 0; i < n; i++) {
    LLVMValueRef v = fn->stack[fn->sp - n + i];
    LLVMAddIncoming(f->br_phis[i], &v, &from, 1);
  }
  f->nincoming++;
}

static void set_block_type(aot_fn *fn, aot_frame *f, const wl_instr *in) {
  const wl_moddesc *m = fn->am->m;
  switch (in->imm.block.kind) {
    case WL_BLOCK_EMPTY: break;
    case WL_BLOCK_VALTYPE:
      f->one_result = in->imm.block.valtype;
      f->results = &f->one_result;
      f->nresults = 1;
      break;
    default: {
      const wl_functype *t = &m->types[in->imm.block.type_index];
      f->params = t->params;
      f->nparams = t->nparams;
      f->results = t->results;
      f->nresults = t->nresults;
    }
  }
}

/* Code after an unconditional transfer is dead: translation continues at the innermost
 * frame's else (if still ahead) or end. */
void aot_skip_dead(aot_fn *fn) {
  fn->reachable = false;
  aot_frame *f = frame_at(fn, 0);
  bool else_ahead = f->kind == AOT_FRAME_IF && !f->else_seen;
  fn->rd.p = fn->rd.start + wl_skip_dead_code(fn->def, f->info, else_ahead, &fn->next_block);
  fn->sp = f->height;
}

void aot_open_func_frame(aot_fn *fn) {
  aot_frame *f = push_frame(fn);
  f->kind = AOT_FRAME_FUNC;
  f->results = fn->type->results;
  f->nresults = fn->type->nresults;
  f->br_target = LLVMAppendBasicBlockInContext(fn->am->ctx, fn->fn, "return");
  make_phis(fn, f);
}

bool aot_body_done(aot_fn *fn) { return fn->nframes == 0; }

static aot_frame *open_frame(aot_fn *fn, aot_frame_kind kind, const wl_instr *in) {
  const wl_block_info *info = &fn->def->facts.blocks[fn->next_block++];
  aot_frame *f = push_frame(fn);
  f->kind = kind;
  f->info = info;
  set_block_type(fn, f, in);
  f->height = fn->sp - f->nparams;
  return f;
}

static void emit_block(aot_fn *fn, const wl_instr *in) {
  aot_frame *f = open_frame(fn, AOT_FRAME_BLOCK, in);
  f->br_target = LLVMAppendBasicBlockInContext(fn->am->ctx, fn->fn, "block_end");
  make_phis(fn, f);
}

static void emit_loop(aot_fn *fn, const wl_instr *in) {
  aot_frame *f = open_frame(fn, AOT_FRAME_LOOP, in);
  f->br_target = LLVMAppendBasicBlockInContext(fn->am->ctx, fn->fn, "loop");
  make_phis(fn, f);
  add_incoming(fn, f);
  LLVMBuildBr(fn->am->b, f->br_target);
  LLVMPositionBuilderAtEnd(fn->am->b, f->br_target);
  for (uint32_t i = 0; i < f->nparams; i++) fn->stack[f->height + i] = f->br_phis[i];
  aot_fuel_new_run(fn);  /* in the header: every iteration pays */
}

static void emit_if(aot_fn *fn, const wl_instr *in) {
  aot_module *am = fn->am;
  LLVMValueRef cond = aot_pop(fn);
  aot_frame *f = open_frame(fn, AOT_FRAME_IF, in);
  f->br_target = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "if_end");
  make_phis(fn, f);
  f->if_params = realloc(f->if_params, (f->nparams + 1) * sizeof *f->if_params);
  for (uint32_t i = 0; i < f->nparams; i++) f->if_params[i] = fn->stack[f->height + i];
  LLVMBasicBlockRef then_bb = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "then");
  f->else_bb = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "else");
  LLVMValueRef c = LLVMBuildICmp(am->b, LLVMIntNE, cond, aot_const_i32(fn, 0), "");
  LLVMBuildCondBr(am->b, c, then_bb, f->else_bb);
  LLVMPositionBuilderAtEnd(am->b, then_bb);
  aot_fuel_new_run(fn);
}

/* Ends the arm that is open now and starts the else arm with the if's params. */
static void begin_else_arm(aot_fn *fn, aot_frame *f) {
  if (fn->reachable) {
    add_incoming(fn, f);
    LLVMBuildBr(fn->am->b, f->br_target);
  }
  LLVMPositionBuilderAtEnd(fn->am->b, f->else_bb);
  fn->sp = f->height;
  for (uint32_t i = 0; i < f->nparams; i++) aot_push(fn, f->if_params[i]);
  f->else_seen = true;
  fn->reachable = true;
}

/* Leaves the merge block current; returns false when no edge reaches it. */
static bool enter_merge(aot_fn *fn, aot_frame *f) {
  aot_module *am = fn->am;
  if (fn->reachable) {
    add_incoming(fn, f);
    LLVMBuildBr(am->b, f->br_target);
  }
  LLVMPositionBuilderAtEnd(am->b, f->br_target);
  fn->sp = f->height;
  if (f->nincoming == 0) {
    for (uint32_t i = 0; i < f->nresults; i++) LLVMInstructionEraseFromParent(f->br_phis[i]);
    LLVMBuildUnreachable(am->b);
    return false;
  }
  for (uint32_t i = 0; i < f->nresults; i++) aot_push(fn, f->br_phis[i]);
  return true;
}

static void emit_end(aot_fn *fn) {
  aot_frame *f = frame_at(fn, 0);
  bool implicit_else = f->kind == AOT_FRAME_IF && !f->else_seen;
  if (implicit_else) begin_else_arm(fn, f);
  /* Metering: the merge starts a run when anything but the fall-through of the arm just
   * translated reaches it (a branch, the other arm, or the false edge of an else-less if);
   * the interpreter's has_incoming. */
  bool new_run = implicit_else || f->nincoming > 0;
  bool live;
  if (f->kind == AOT_FRAME_LOOP) {
    live = fn->reachable;  /* only fall-through leaves a loop; results stay on the stack */
  } else {
    live = enter_merge(fn, f);
  }
  if (f->kind == AOT_FRAME_FUNC && live) {
    aot_build_return(fn, &fn->stack[fn->sp - f->nresults], f->nresults);
  } else if (f->kind != AOT_FRAME_LOOP && live && new_run) {
    aot_fuel_new_run(fn);
  }
  fn->nframes--;
  fn->reachable = live;
  if (!live && fn->nframes > 0) aot_skip_dead(fn);
}

static void emit_br(aot_fn *fn, uint32_t depth) {
  aot_frame *f = frame_at(fn, depth);
  add_incoming(fn, f);
  LLVMBuildBr(fn->am->b, f->br_target);
  aot_skip_dead(fn);
}

static void emit_br_if(aot_fn *fn, uint32_t depth) {
  aot_module *am = fn->am;
  LLVMValueRef cond = aot_pop(fn);
  aot_frame *f = frame_at(fn, depth);
  add_incoming(fn, f);
  LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(am->ctx, fn->fn, "");
  LLVMValueRef c = LLVMBuildICmp(am->b, LLVMIntNE, cond, aot_const_i32(fn, 0), "");
  LLVMBuildCondBr(am->b, c, f->br_target, cont);
  LLVMPositionBuilderAtEnd(am->b, cont);
  aot_fuel_new_run(fn);
}

/* One switch edge per label (phis get one entry per edge, duplicates included). */
static void emit_br_table(aot_fn *fn, const wl_instr *in) {
  LLVMValueRef index = aot_pop(fn);
  const uint8_t *p = in->imm.br_table.labels;
  uint32_t count = in->imm.br_table.count;
  uint32_t labels_on_stack[count + 1];
  for (uint32_t i = 0; i <= count; i++) labels_on_stack[i] = wl_br_table_label(&p);
  aot_frame *def = frame_at(fn, labels_on_stack[count]);
  LLVMValueRef sw = LLVMBuildSwitch(fn->am->b, index, def->br_target, count);
  add_incoming(fn, def);
  for (uint32_t i = 0; i < count; i++) {
    aot_frame *f = frame_at(fn, labels_on_stack[i]);
    LLVMAddCase(sw, aot_const_i32(fn, i), f->br_target);
    add_incoming(fn, f);
  }
  aot_skip_dead(fn);
}

bool aot_emit_control(aot_fn *fn, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_NOP: return true;
    case WL_OP_UNREACHABLE:
      aot_trap_now(fn, WL_TRAP_UNREACHABLE);
      aot_skip_dead(fn);
      return true;
    case WL_OP_BLOCK: emit_block(fn, in); return true;
    case WL_OP_LOOP: emit_loop(fn, in); return true;
    case WL_OP_IF: emit_if(fn, in); return true;
    case WL_OP_ELSE:
      begin_else_arm(fn, frame_at(fn, 0));
      aot_fuel_new_run(fn);
      return true;
    case WL_OP_END: emit_end(fn); return true;
    case WL_OP_BR: emit_br(fn, in->imm.index); return true;
    case WL_OP_BR_IF: emit_br_if(fn, in->imm.index); return true;
    case WL_OP_BR_TABLE: emit_br_table(fn, in); return true;
    case WL_OP_RETURN: emit_br(fn, fn->nframes - 1); return true;
    default: return false;
  }
}
