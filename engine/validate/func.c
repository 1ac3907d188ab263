/* Validates every defined function body and records its facts (wl_func_facts).
 * Bodies are read only through wl_read_instr; the decoder has already run it over them, so
 * a reader error here means the decoder and the validator disagree. */
#include <stdlib.h>

#include "engine/validate/validate_internal.h"

static void reset_for_function(wl_func_validator *v, const wl_moddesc *m, uint32_t i) {
  v->func_index = m->nfunc_imports + i;
  v->func = &m->funcs[i];
  v->type = wl_moddesc_func_type(m, v->func_index);
  v->instr_offset = v->func->code_offset;
  v->nvals = v->nctrls = 0;
  v->blocks = NULL;
  v->nblocks = v->blocks_cap = 0;
  v->max_height = 0;
  v->uses_memory = v->has_calls = v->has_tail_calls = v->uses_v128 = false;
  v->wide_ops = NULL;
  v->nwide_ops = v->wide_ops_cap = 0;
}

/* Hands the block table over to the function's facts, trimmed to its size. */
static void store_facts(wl_func_validator *v, wl_funcdef *f) {
  wl_block_info *blocks = v->blocks;
  if (v->nblocks == 0) {
    free(blocks);
    blocks = NULL;
  } else if (v->nblocks < v->blocks_cap) {
    wl_block_info *trimmed = realloc(blocks, v->nblocks * sizeof *blocks);
    if (trimmed) blocks = trimmed;
  }
  free(f->facts.blocks);  /* from an earlier wl_validate of the same module, if any */
  free(f->facts.wide_ops);
  f->facts = (wl_func_facts){.max_height = v->max_height, .nblocks = v->nblocks,
                             .blocks = blocks, .uses_memory = v->uses_memory,
                             .has_calls = v->has_calls, .has_tail_calls = v->has_tail_calls,
                             .uses_v128 = v->uses_v128,
                             .nwide_ops = v->nwide_ops, .wide_ops = v->wide_ops};
  v->blocks = NULL;
  v->wide_ops = NULL;
}

static bool validate_body(wl_func_validator *v) {
  const wl_funcdef *f = v->func;
  wl_code_reader r;
  wl_code_reader_init(&r, f->code, f->code_len, v->features, f->code_offset);
  if (!wl_push_ctrl(v, WL_OP_COUNT, UINT32_MAX, NULL, 0, v->type->results, v->type->nresults))
    return false;
  while (v->nctrls > 0) {
    wl_instr in;
    wl_error *e = wl_read_instr(&r, &in);
    if (e) {
      v->err = e;
      return false;
    }
    v->instr_offset = f->code_offset + in.offset;
    if (!wl_validate_instr(v, &in)) return false;
  }
  if (r.p != r.end) {
    v->err = wl_err(WL_ERR_MALFORMED, "operators after the function's end at offset 0x%x",
                    f->code_offset + (uint32_t)(r.p - r.start));
    return false;
  }
  return true;
}

wl_error *wl_validate_functions(wl_moddesc *m, uint32_t features) {
  wl_func_validator v = {.m = m, .features = features};
  uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  for (uint32_t i = 0; i < ndefined && !v.err; i++) {
    reset_for_function(&v, m, i);
    if (validate_body(&v)) store_facts(&v, &m->funcs[i]);
    else {
      free(v.blocks);
      free(v.wide_ops);
    }
  }
  free(v.vals);
  free(v.ctrls);
  return v.err;
}
