/* Calls. Results come back in the argument slots (from the first argument's height up).
 * Functions defined in this module are called through their wl_ifunc directly (CALL_LOCAL);
 * imports go through the instance's function table. */
#include "backends/interp/translate.h"

static uint32_t param_slots(const wl_functype *ft) {
  return wl_types_slots(ft->params, ft->nparams);
}

static uint32_t result_slots(const wl_functype *ft) {
  return wl_types_slots(ft->results, ft->nresults);
}

static void finish_call(translator *t, const wl_functype *ft, uint32_t argbase_height) {
  t->h = argbase_height;
  uint32_t n = result_slots(ft);
  for (uint32_t i = 0; i < n; i++) tr_push(t);
}

/* A function of this module takes each argument from wherever it lives (CALL_LOCAL lists the
 * slots); an import gets its arguments materialised, as wl_call reads them from io. */
static void translate_direct_call(translator *t, uint32_t func_index) {
  const wl_functype *ft = wl_moddesc_func_type(t->m, func_index);
  uint32_t argh = t->h - param_slots(ft);
  if (func_index >= t->m->nfunc_imports) {
    uint32_t np = param_slots(ft);
    tr_emit_op(t, !t->fast_paths ? IOP_CALL_LOCAL
                  : np == 1      ? IOP_CALL_LOCAL_1
                  : np == 2      ? IOP_CALL_LOCAL_2
                                 : IOP_CALL_LOCAL);
    tr_emit_ptr(t, &t->im->funcs[func_index - t->m->nfunc_imports]);
    size_t result_word = t->n;
    tr_emit(t, tr_slot(t, argh));
    tr_emit(t, (int64_t)t->frame_slots + WL_IREC_SLOTS);
    for (uint32_t i = argh; i < t->h; i++) tr_emit(t, t->vs[i]);
    finish_call(t, ft, argh);
    /* the word naming where the callee's results go: a local.set of its one result
     * retargets it (the callee writes the local; nothing else reads that word) */
    if (result_slots(ft) == 1) tr_note_result(t, result_word);
    return;
  } else {
    tr_materialize_top(t, param_slots(ft));
    tr_emit_op(t, IOP_CALL);
    tr_emit(t, func_index);
    tr_emit(t, tr_slot(t, argh));
  }
  finish_call(t, ft, argh);
}

static void translate_indirect_call(translator *t, const wl_instr *in) {
  const wl_functype *ft = &t->m->types[in->imm.call_indirect.type_index];
  int64_t elem = tr_pop(t);
  tr_materialize_top(t, param_slots(ft));
  uint32_t argh = t->h - param_slots(ft);
  tr_emit_op(t, IOP_CALL_INDIRECT);
  tr_emit(t, in->imm.call_indirect.type_index);
  tr_emit(t, in->imm.call_indirect.table_index);
  tr_emit(t, tr_slot(t, argh));
  tr_emit(t, elem);
  finish_call(t, ft, argh);
}

/* ---------------------------------------------------------------- tail calls */

/* return_call: a function of this module replaces this frame (RETURN_CALL_LOCAL); an import
 * is called normally and its results returned (they are this function's). */
static void translate_return_call(translator *t, uint32_t func_index) {
  const wl_functype *ft = wl_moddesc_func_type(t->m, func_index);
  uint32_t argh = t->h - param_slots(ft);
  tr_materialize_top(t, param_slots(ft));
  if (func_index >= t->m->nfunc_imports) {
    tr_emit_op(t, IOP_RETURN_CALL_LOCAL);
    tr_emit_ptr(t, &t->im->funcs[func_index - t->m->nfunc_imports]);
    tr_emit(t, tr_slot(t, argh));
  } else {
    tr_emit_op(t, IOP_CALL);
    tr_emit(t, func_index);
    tr_emit(t, tr_slot(t, argh));
    tr_emit_return(t, tr_slot(t, argh), result_slots(ft));
  }
  tr_top(t)->dead = true;
}

/* [RETURN_CALL_INDIRECT ...][RETURN argbase, nresults]: the RETURN is reached only when the
 * callee is not interpreted code of this instance (then it was an ordinary call). */
static void translate_return_call_indirect(translator *t, const wl_instr *in) {
  const wl_functype *ft = &t->m->types[in->imm.call_indirect.type_index];
  int64_t elem = tr_pop(t);
  tr_materialize_top(t, param_slots(ft));
  int64_t argbase = tr_slot(t, t->h - param_slots(ft));
  tr_emit_op(t, IOP_RETURN_CALL_INDIRECT);
  tr_emit(t, in->imm.call_indirect.type_index);
  tr_emit(t, in->imm.call_indirect.table_index);
  tr_emit(t, argbase);
  tr_emit(t, elem);
  tr_emit_return(t, argbase, result_slots(ft));
  tr_top(t)->dead = true;
}

bool tr_call(translator *t, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_CALL: translate_direct_call(t, in->imm.index); return true;
    case WL_OP_CALL_INDIRECT: translate_indirect_call(t, in); return true;
    case WL_OP_RETURN_CALL: translate_return_call(t, in->imm.index); return true;
    case WL_OP_RETURN_CALL_INDIRECT: translate_return_call_indirect(t, in); return true;
    default: return false;
  }
}
