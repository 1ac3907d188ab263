/* Translation driver: compile/free/bind, the per-function loop, emission and the simulated
 * operand stack. The instruction groups live in translate_<group>.c. */
#include <stdlib.h>
#include <string.h>

#include "backends/interp/translate.h"

/* ---------------------------------------------------------------- emission */

static void grow_code(translator *t) {
  size_t cap = t->cap ? t->cap * 2 : 256;
  wl_iword *c = realloc(t->code, cap * sizeof *c);
  if (!c) {
    t->oom = true;
    t->n = 0;  /* keep writing into the old buffer harmlessly; the result is discarded */
    return;
  }
  t->code = c;
  t->cap = cap;
}

void tr_emit(translator *t, int64_t word) {
  if (t->n == t->cap) grow_code(t);
  if (t->n == t->cap) return;
  t->code[t->n++].i = word;
}

void tr_emit_ptr(translator *t, const void *p) {
  if (t->n == t->cap) grow_code(t);
  if (t->n == t->cap) return;
  t->code[t->n++].h = p;
}

/* The fast paths (local.get folding, result retargeting, immediates, compare+branch fusion)
 * can be switched off to check them against the plain translation. */
static bool fast_paths_enabled(void) {
  const char *v = getenv("WASMLAB_INTERP_SLOW");
  return !(v && *v && *v != '0');
}

/* The peephole state describes the last instruction emitted; it is forgotten whenever another
 * instruction starts or emitted code is rewritten or removed, so no fusion ever acts on an
 * instruction that is no longer there (issue 9, bugs 1 and 2). */
void tr_forget(translator *t) { t->last_dst = t->last_cmp = t->eqz_cmp = -1; }

void tr_rewind(translator *t, size_t at) {
  t->n = at;
  tr_forget(t);
  t->pair_at = -1;
  if (t->addi_at >= (int64_t)at) t->addi_at = -1;
  if (t->const_at >= (int64_t)at) {
    /* a constant taken as an immediate: the one right before it is again the last */
    t->const_at = t->prev_const_at >= 0 && t->prev_const_at + 3 == (int64_t)at ? t->prev_const_at : -1;
    t->prev_const_at = -1;
  }
}

void tr_rewind_untrapping(translator *t, size_t at) {
  tr_rewind(t, at);
  if (t->noffs && t->offs[t->noffs - 1].at == at) t->noffs--;
}

int tr_handler_index(const translator *t, size_t at, wl_iop first, wl_iop last) {
  for (int i = 0; i <= (int)(last - first); i++)
    if (t->code[at].h == t->handlers[first + i]) return i;
  return -1;
}

size_t tr_emit_op(translator *t, wl_iop op) {
  size_t at = t->n;
  t->pair_at = -1;
  tr_note_offset(t, at);
  tr_emit_ptr(t, t->handlers[op]);
  tr_forget(t);
  return at;
}

/* [RETURN or RETURN_1, src, n]: the n result slots at slot src. */
void tr_emit_return(translator *t, int64_t src, uint32_t n) {
  tr_emit_op(t, n == 1 && t->fast_paths ? IOP_RETURN_1 : IOP_RETURN);
  tr_emit(t, src);
  tr_emit(t, n);
}

/* Records the peephole state after an instruction that wrote the top of stack: `dst_word` is
 * the index of its dst operand word, `cmp_at` its start when it is a fusable compare. */
void tr_note_result(translator *t, size_t dst_word) {
  if (t->fast_paths) t->last_dst = (int64_t)dst_word;
}

/* Emits a word holding a code index, converted to an address when the function is done. */
void tr_emit_target(translator *t, size_t code_index) {
  if (t->ntargets == t->cap_targets) {
    size_t cap = t->cap_targets ? t->cap_targets * 2 : 64;
    size_t *p = realloc(t->targets, cap * sizeof *p);
    if (!p) {
      t->oom = true;
      return;
    }
    t->targets = p;
    t->cap_targets = cap;
  }
  t->targets[t->ntargets++] = t->n;
  tr_emit(t, (int64_t)code_index);
}

/* Metering: starts a new straight-line run with its own CHARGE instruction. */
void tr_new_run(translator *t) {
  if (!t->metered) return;
  tr_emit_op(t, IOP_CHARGE);
  t->charge_word = (int64_t)t->n;
  tr_emit(t, 0);
}

/* If the instruction just emitted is [CONST, slot, bits] writing `slot`, returns true with its
 * bits and removes it (the constant becomes an immediate of the next instruction). Callers
 * pass a slot the next instruction pops, so the constant is needed nowhere else. */
bool tr_take_const(translator *t, int64_t slot, int64_t *bits) {
  if (t->last_dst < 0 || t->oom || t->n < 3) return false;
  size_t at = t->n - 3;
  if ((size_t)t->last_dst != at + 1 || t->code[at].h != t->handlers[IOP_CONST]) return false;
  if (t->code[at + 1].i != slot) return false;
  *bits = t->code[at + 2].i;
  tr_rewind(t, at);
  return true;
}

/* ---------------------------------------------------------------- simulated stack */

int64_t tr_pop(translator *t) { return t->vs[--t->h]; }

int64_t tr_push(translator *t) {
  int64_t s = tr_slot(t, t->h);
  t->vs[t->h++] = s;
  return s;
}

int64_t tr_push_v128(translator *t) {
  int64_t s = tr_push(t);
  tr_push(t);
  return s;
}

int64_t tr_pop_v128(translator *t) {
  t->h--;
  return tr_pop(t);
}

bool tr_local_is_v128(const translator *t, uint32_t x) {
  uint32_t np = t->type->nparams;
  return wl_is_vectype(x < np ? t->type->params[x] : t->fd->local_types[x - np]);
}

bool tr_wide_op(translator *t, const wl_instr *in) {
  const wl_func_facts *f = &t->fd->facts;
  while (t->next_wide < f->nwide_ops && f->wide_ops[t->next_wide] < in->offset) t->next_wide++;
  return t->next_wide < f->nwide_ops && f->wide_ops[t->next_wide] == in->offset;
}

void tr_materialize(translator *t, uint32_t height) {
  int64_t canon = tr_slot(t, height);
  if (t->vs[height] == canon) return;
  tr_emit_op(t, IOP_COPY);
  tr_emit(t, canon);
  tr_emit(t, t->vs[height]);
  t->vs[height] = canon;
}

void tr_materialize_all(translator *t) {
  for (uint32_t i = 0; i < t->h; i++) tr_materialize(t, i);
}

void tr_materialize_top(translator *t, uint32_t n) {
  for (uint32_t i = t->h - n; i < t->h; i++) tr_materialize(t, i);
}

void tr_push_ctl(translator *t, ctl_kind kind, uint32_t height, uint32_t np, uint32_t nr) {
  if (t->nctl == t->cap_ctl) {
    uint32_t cap = t->cap_ctl ? t->cap_ctl * 2 : 16;
    ctl_frame *c = realloc(t->ctl, cap * sizeof *c);
    if (!c) {
      t->oom = true;
      return;
    }
    t->ctl = c;
    t->cap_ctl = cap;
  }
  ctl_frame *f = &t->ctl[t->nctl++];
  memset(f, 0, sizeof *f);
  f->kind = (uint8_t)kind;
  f->height = height;
  f->nparams = np;
  f->nresults = nr;
  f->fwd_chain = -1;
  f->else_word = -1;
  f->assigned_at_start = t->assigned;
  f->assigned_at_end = ~(uint64_t)0;
}

/* ---------------------------------------------------------------- unreachable code */

void tr_dead(translator *t, const wl_instr *in) {
  ctl_frame *f = tr_top(t);
  switch (in->op) {
    case WL_OP_BLOCK:
    case WL_OP_LOOP:
    case WL_OP_IF:
      t->next_block++;
      tr_push_ctl(t, CTL_BLOCK, 0, 0, 0);
      if (t->oom) return;
      tr_top(t)->dead = tr_top(t)->dead_frame = true;
      return;
    case WL_OP_ELSE:
    case WL_OP_END:
      if (f->dead_frame) {
        if (in->op == WL_OP_END) t->nctl--;
        return;
      }
      tr_control(t, in);
      return;
    default:
      return;
  }
}

/* ---------------------------------------------------------------- per function */

static bool translate_instr(translator *t, const wl_instr *in) {
  if (t->charge_word >= 0) t->code[t->charge_word].i += t->costs->instr[in->op];

  return tr_control(t, in) || tr_call(t, in) || tr_variable(t, in) || tr_memory(t, in) ||
         tr_table(t, in) || tr_numeric(t, in) || tr_simd(t, in);
}

static void resolve_targets(translator *t) {
  for (size_t k = 0; k < t->ntargets; k++) {
    wl_iword *w = &t->code[t->targets[k]];
    w->h = &t->code[w->i];
  }
}

static wl_error *translate_body(translator *t) {
  wl_code_reader r;
  wl_code_reader_init(&r, t->fd->code, t->fd->code_len, t->features, t->fd->code_offset);
  tr_push_ctl(t, CTL_FUNC, 0, 0, wl_types_slots(t->type->results, t->type->nresults));
  tr_new_run(t);
  while (t->nctl > 0 && !t->oom) {
    wl_instr in;
    wl_error *err = wl_read_instr(&r, &in);
    if (err) return err;
    if (tr_top(t)->dead) {
      tr_dead(t, &in);
      continue;
    }
    t->cur_offset = t->fd->code_offset + in.offset;
    t->cur_is_access = wl_opinfo_table[in.op].imm == WL_IMM_MEMARG;
    if (!translate_instr(t, &in))
      return wl_err(WL_ERR_UNSUPPORTED, "interp: instruction %s not supported",
                    wl_opinfo_table[in.op].name);
  }
  if (t->oom) return wl_err(WL_ERR_RESOURCE, "interp: out of memory");
  return NULL;
}

/* With a v128 param or local, locals no longer sit at their index: map each to its slot. */
static bool layout_locals(translator *t) {
  const wl_functype *ty = t->type;
  uint32_t n = ty->nparams + t->fd->nlocals;
  uint32_t slots = wl_types_slots(ty->params, ty->nparams) +
                   wl_types_slots(t->fd->local_types, t->fd->nlocals);
  t->base = slots;
  if (slots == n) return true;
  t->local_slot = malloc((size_t)n * sizeof *t->local_slot);
  if (!t->local_slot) return false;
  for (uint32_t x = 0, at = 0; x < n; x++) {
    t->local_slot[x] = at;
    at += tr_local_is_v128(t, x) ? 2 : 1;
  }
  return true;
}

static void reset_function_state(translator *t, uint32_t def_index) {
  t->fd = &t->m->funcs[def_index];
  t->type = &t->m->types[t->fd->type_index];
  t->local_slot = NULL;
  t->next_block = t->next_wide = 0;
  t->code = NULL;
  t->n = t->cap = 0;
  t->ntargets = 0;
  t->h = 0;
  t->nctl = 0;
  tr_forget(t);
  t->pair_at = t->addi_at = t->const_at = t->prev_const_at = -1;
  t->assigned = 0;
  t->zero_end = 0;
  t->label_at = 0;
  t->charge_word = -1;
  t->cur_offset = t->fd->code_offset;
  t->cur_is_access = false;
  t->offs = NULL;
  t->noffs = t->cap_offs = 0;
}

/* The validator's max_height counts values actually pushed; after unreachable code the
 * translator still resets the stack to a block's result height at its end, so size the
 * operand area for those heights too. Heights are in values; where a v128 is pushed, every
 * value is counted as two slots (an upper bound: scalar code keeps its exact size). */
static uint32_t operand_capacity(const wl_funcdef *fd, const wl_functype *type) {
  uint32_t cap = fd->facts.max_height;
  if (type->nresults > cap) cap = type->nresults;
  for (uint32_t i = 0; i < fd->facts.nblocks; i++) {
    const wl_block_info *b = &fd->facts.blocks[i];
    uint32_t arity = b->nparams > b->nresults ? b->nparams : b->nresults;
    if (b->height + arity > cap) cap = b->height + arity;
  }
  uint32_t result_slots = wl_types_slots(type->results, type->nresults);
  if (fd->facts.uses_v128) cap *= 2;
  return cap > result_slots ? cap : result_slots;
}

static wl_error *translate_function(translator *t, uint32_t def_index, wl_ifunc *out) {
  reset_function_state(t, def_index);
  uint32_t max_height = operand_capacity(t->fd, t->type);
  t->vs = malloc(((size_t)max_height + 1) * sizeof *t->vs);
  if (!t->vs || !layout_locals(t)) {
    free(t->vs);
    return wl_err(WL_ERR_RESOURCE, "interp: out of memory");
  }
  t->frame_slots = t->base + max_height;
  wl_error *err = translate_body(t);
  free(t->vs);
  free(t->local_slot);
  t->vs = NULL;
  t->local_slot = NULL;
  if (err || t->oom) {
    free(t->code);
    free(t->offs);
    if (!err) err = wl_err(WL_ERR_RESOURCE, "interp: out of memory");
    return wl_error_wrap(err, "function %u", t->m->nfunc_imports + def_index);
  }
  resolve_targets(t);
  out->nparams = wl_types_slots(t->type->params, t->type->nparams);
  out->nresults = wl_types_slots(t->type->results, t->type->nresults);
  out->nlocals = t->base - out->nparams;
  out->nzero = !t->fast_paths                ? out->nlocals
               : t->zero_end > out->nparams ? t->zero_end - out->nparams
                                            : 0;
  out->frame_slots = t->base + max_height;
  out->code = t->code;
  out->ncode = t->n;
  out->func_index = t->m->nfunc_imports + def_index;
  out->offsets = t->offs;
  out->noffsets = t->noffs;
  return NULL;
}

/* ---------------------------------------------------------------- backend entry points */

wl_error *wl_interp_compile(wl_engine *e, const wl_moddesc *m, void **out) {
  *out = NULL;
  wl_imodule *im = calloc(1, sizeof *im);
  uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  if (!im) return wl_err(WL_ERR_RESOURCE, "interp: out of memory");
  im->nfunc_imports = m->nfunc_imports;
  im->ndefined = ndefined;
  im->funcs = calloc(ndefined ? ndefined : 1, sizeof *im->funcs);
  if (!im->funcs) {
    free(im);
    return wl_err(WL_ERR_RESOURCE, "interp: out of memory");
  }
  const wl_config *cfg = wl_engine_config(e);
  translator t = {.m = m, .im = im, .handlers = wl_interp_handlers(),
                  .features = cfg->features, .metered = cfg->fuel_limit != 0,
                  .costs = &cfg->costs,
                  .fast_paths = fast_paths_enabled()};
  wl_error *err = NULL;
  bool dump = wl_interp_dump_enabled();
  for (uint32_t i = 0; i < ndefined && !err; i++) {
    err = translate_function(&t, i, &im->funcs[i]);
    if (!err && dump) wl_interp_dump(&im->funcs[i], m->nfunc_imports + i, stderr);
  }
  free(t.targets);
  free(t.ctl);
  if (err) {
    wl_interp_free_code(im);
    return err;
  }
  *out = im;
  return NULL;
}

void wl_interp_free_code(void *code) {
  wl_imodule *im = code;
  if (!im) return;
  for (uint32_t i = 0; i < im->ndefined; i++) {
    free(im->funcs[i].code);
    free(im->funcs[i].offsets);
  }
  free(im->funcs);
  free(im);
}

void wl_interp_bind_func(void *code, wl_func *f) {
  wl_imodule *im = code;
  f->entry = wl_interp_entry;
  f->code = &im->funcs[f->index - im->nfunc_imports];
  f->native = NULL;
}
