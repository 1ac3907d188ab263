/* Control instructions: block, loop, if, else, end, br, br_if, br_table, return, unreachable.
 * Each block/loop/if gets one wl_block_info entry, in opening order; its else/end offsets are
 * filled when those instructions are reached. */
#include <stdlib.h>

#include "engine/features.h"
#include "engine/validate/validate_internal.h"
#include "proposals/reference_types/rules.h"
#include "proposals/multi_value/rules.h"

/* One-element result lists for the value-type block form, indexed by the type's byte, so a
 * frame can point at them without owning storage. */
static const wl_valtype single_result[256] = {
    [0x7F] = 0x7F, [0x7E] = 0x7E, [0x7D] = 0x7D, [0x7C] = 0x7C,
    [0x7B] = 0x7B, [0x70] = 0x70, [0x6F] = 0x6F,
};

typedef struct {
  const wl_valtype *params, *results;
  uint32_t nparams, nresults;
} block_sig;

static bool resolve_block_type(wl_func_validator *v, const wl_instr *in, block_sig *sig) {
  *sig = (block_sig){0};
  switch (in->imm.block.kind) {
    case WL_BLOCK_EMPTY:
      return true;
    case WL_BLOCK_VALTYPE:
      sig->results = &single_result[in->imm.block.valtype];
      sig->nresults = 1;
      return true;
    default: break;
  }
  uint32_t ti = in->imm.block.type_index;
  if (ti >= v->m->ntypes) return wl_vfail_unknown(v, "type", ti, v->m->ntypes);
  /* Without multi-value a block may only have the empty or single-value forms. */
  if (!wl_multi_value_allows_block_type_index(v->features))
    return wl_vfail(v, "invalid result arity", "block type index needs multi-value");
  const wl_functype *ft = &v->m->types[ti];
  *sig = (block_sig){ft->params, ft->results, ft->nparams, ft->nresults};
  return true;
}

static bool append_block(wl_func_validator *v, const wl_instr *in, const block_sig *sig) {
  if (v->nblocks == v->blocks_cap) {
    uint32_t cap = v->blocks_cap ? v->blocks_cap * 2 : 16;
    wl_block_info *b = realloc(v->blocks, (size_t)cap * sizeof *b);
    if (!b) {
      v->err = wl_err(WL_ERR_RESOURCE, "out of memory while validating");
      return false;
    }
    v->blocks = b;
    v->blocks_cap = cap;
  }
  v->blocks[v->nblocks++] = (wl_block_info){
      .start = in->offset, .nparams = sig->nparams, .nresults = sig->nresults,
      .height = v->nvals};
  return true;
}

/* block, loop, if: pop the params (after if's condition), record, open the frame. */
static bool open_block(wl_func_validator *v, const wl_instr *in) {
  block_sig sig;
  if (!resolve_block_type(v, in, &sig)) return false;
  if (in->op == WL_OP_IF && !wl_pop_expect(v, 0x7F)) return false;
  if (!wl_pop_n(v, sig.params, sig.nparams)) return false;
  if (!append_block(v, in, &sig)) return false;
  return wl_push_ctrl(v, in->op, v->nblocks - 1, sig.params, sig.nparams, sig.results,
                      sig.nresults);
}

static bool do_else(wl_func_validator *v, const wl_instr *in) {
  if (v->ctrls[v->nctrls - 1].op != WL_OP_IF)
    return wl_vfail(v, "else without matching if", "%s", "");
  wl_ctrl_frame f;
  if (!wl_pop_ctrl(v, &f)) return false;
  v->blocks[f.block].else_pos = in->offset;
  return wl_push_ctrl(v, WL_OP_ELSE, f.block, f.params, f.nparams, f.results, f.nresults);
}

static bool same_types(const wl_valtype *a, uint32_t na, const wl_valtype *b, uint32_t nb) {
  if (na != nb) return false;
  for (uint32_t i = 0; i < na; i++)
    if (a[i] != b[i]) return false;
  return true;
}

static bool do_end(wl_func_validator *v, const wl_instr *in) {
  wl_ctrl_frame f;
  if (!wl_pop_ctrl(v, &f)) return false;
  /* An if without else behaves as if its else passed the params through unchanged. */
  if (f.op == WL_OP_IF && !same_types(f.params, f.nparams, f.results, f.nresults))
    return wl_vfail(v, "type mismatch", "if without else must leave its params as results");
  if (f.block != UINT32_MAX) v->blocks[f.block].end = in->offset;
  if (v->nctrls == 0) return true;  /* the function's final end: results checked by pop */
  return wl_push_n(v, f.results, f.nresults);
}

static bool do_br(wl_func_validator *v, const wl_instr *in) {
  const wl_ctrl_frame *f = wl_label(v, in->imm.index);
  if (!f) return false;
  uint32_t n;
  const wl_valtype *types = wl_label_types(f, &n);
  if (!wl_pop_n(v, types, n)) return false;
  wl_set_unreachable(v);
  return true;
}

static bool do_br_if(wl_func_validator *v, const wl_instr *in) {
  const wl_ctrl_frame *f = wl_label(v, in->imm.index);
  if (!f || !wl_pop_expect(v, 0x7F)) return false;
  uint32_t n;
  const wl_valtype *types = wl_label_types(f, &n);
  return wl_pop_n(v, types, n) && wl_push_n(v, types, n);
}

/* br_table: every target must exist and have the default's arity, and the operands must
 * suit every target; then it behaves like br to the default. */
static bool do_br_table(wl_func_validator *v, const wl_instr *in) {
  uint32_t count = in->imm.br_table.count;
  const uint8_t *p = in->imm.br_table.labels;
  uint32_t def = 0;
  for (uint32_t i = 0; i <= count; i++) {
    def = wl_br_table_label(&p);
    if (!wl_label(v, def)) return false;
  }
  if (!wl_pop_expect(v, 0x7F)) return false;
  bool per_target_typing = wl_reference_types_per_target_br_table(v->features);
  uint32_t arity;
  const wl_valtype *def_types = wl_label_types(wl_label(v, def), &arity);
  p = in->imm.br_table.labels;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t depth = wl_br_table_label(&p), n;
    const wl_valtype *types = wl_label_types(wl_label(v, depth), &n);
    if (n != arity)
      return wl_vfail(v, "type mismatch", "br_table target %u has %u values, default %u",
                      depth, n, arity);
    /* Before reference-types (Wasm 1.0) every target needed exactly the default's types,
     * even when the operands are unknown; since then each target is checked on its own. */
    if (!per_target_typing && !same_types(types, n, def_types, arity))
      return wl_vfail(v, "type mismatch", "br_table targets %u and %u differ in type", depth,
                      def);
    if (!wl_peek_n(v, types, n)) return false;
  }
  if (!wl_pop_n(v, def_types, arity)) return false;
  wl_set_unreachable(v);
  return true;
}

static bool do_return(wl_func_validator *v) {
  if (!wl_pop_n(v, v->type->results, v->type->nresults)) return false;
  wl_set_unreachable(v);
  return true;
}

bool wl_validate_control(wl_func_validator *v, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_UNREACHABLE: wl_set_unreachable(v); return true;
    case WL_OP_BLOCK:
    case WL_OP_LOOP:
    case WL_OP_IF: return open_block(v, in);
    case WL_OP_ELSE: return do_else(v, in);
    case WL_OP_END: return do_end(v, in);
    case WL_OP_BR: return do_br(v, in);
    case WL_OP_BR_IF: return do_br_if(v, in);
    case WL_OP_BR_TABLE: return do_br_table(v, in);
    case WL_OP_RETURN: return do_return(v);
    default: return wl_vfail(v, "type mismatch", "not a control instruction");
  }
}
