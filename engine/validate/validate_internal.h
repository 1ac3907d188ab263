/* Internal interface of the validator (engine/validate/). Not for other folders.
 *
 * The function-body validator follows the algorithm of the spec's validation appendix: an
 * operand stack of value types (0 = "unknown", the bottom type of unreachable code) and a
 * stack of control frames, each remembering the operand height on entry and whether the rest
 * of its body is unreachable (then pops below the frame's height yield "unknown").
 *
 * Ownership (for wl_moddesc_free in engine/decode/): the validator allocates
 * m->declared_funcs (calloc, nfuncs bytes) and every m->funcs[i].facts.blocks and
 * .wide_ops (malloc); wl_moddesc_free must free() them. */
#ifndef WL_VALIDATE_INTERNAL_H
#define WL_VALIDATE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/decode/instr.h"
#include "engine/module.h"

#define WL_TYPE_UNKNOWN ((wl_valtype)0)

/* "i32", "funcref", ...; "unknown" for WL_TYPE_UNKNOWN. */
const char *wl_valtype_name(wl_valtype t);

/* ------------------------------------------------------------------ function bodies */

typedef struct {
  uint16_t op;                /* WL_OP_BLOCK / LOOP / IF / ELSE, or WL_OP_COUNT for the body */
  bool unreachable;           /* the rest of this frame is dead code (stack polymorphic) */
  uint32_t height;            /* operand height below the frame's params */
  uint32_t block;             /* index in the block table; UINT32_MAX for the function body */
  const wl_valtype *params, *results;
  uint32_t nparams, nresults;
} wl_ctrl_frame;

typedef struct {
  const wl_moddesc *m;
  uint32_t features;

  /* The function being validated. */
  uint32_t func_index;
  const wl_funcdef *func;
  const wl_functype *type;
  uint32_t instr_offset;      /* module offset of the current instruction, for messages */

  /* Stacks, reused across the module's functions; grown geometrically. */
  wl_valtype *vals;
  uint32_t nvals, vals_cap;
  wl_ctrl_frame *ctrls;
  uint32_t nctrls, ctrls_cap;

  /* Facts being collected for the current function. */
  wl_block_info *blocks;
  uint32_t nblocks, blocks_cap;
  uint32_t max_height;
  bool uses_memory, has_calls, has_tail_calls, uses_v128;
  uint32_t *wide_ops;
  uint32_t nwide_ops, wide_ops_cap;

  wl_error *err;              /* set by every failing helper, which then returns false */
} wl_func_validator;

/* stack.c: errors, operand stack and control stack primitives. All return false on failure
 * with v->err set. */
bool wl_vfail(wl_func_validator *v, const char *what, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool wl_vfail_unknown(wl_func_validator *v, const char *space, uint32_t index, uint32_t count);
bool wl_push(wl_func_validator *v, wl_valtype t);
bool wl_push_n(wl_func_validator *v, const wl_valtype *types, uint32_t n);
bool wl_pop_any(wl_func_validator *v, wl_valtype *out);
bool wl_pop_expect(wl_func_validator *v, wl_valtype want);
bool wl_pop_n(wl_func_validator *v, const wl_valtype *types, uint32_t n);
/* Checks that the top of the stack matches `types` without popping (br_table labels). */
bool wl_peek_n(wl_func_validator *v, const wl_valtype *types, uint32_t n);
/* Records that the drop/select being validated has v128 operands (wl_func_facts.wide_ops). */
bool wl_note_wide_op(wl_func_validator *v, const wl_instr *in);
bool wl_push_ctrl(wl_func_validator *v, uint16_t op, uint32_t block,
                  const wl_valtype *params, uint32_t nparams,
                  const wl_valtype *results, uint32_t nresults);
/* Pops the top frame into *out after checking its results are exactly on the stack. */
bool wl_pop_ctrl(wl_func_validator *v, wl_ctrl_frame *out);
void wl_set_unreachable(wl_func_validator *v);
/* Label n (0 = innermost); NULL after reporting "unknown label". */
const wl_ctrl_frame *wl_label(wl_func_validator *v, uint32_t depth);
static inline const wl_valtype *wl_label_types(const wl_ctrl_frame *f, uint32_t *n) {
  bool loop = f->op == WL_OP_LOOP;
  *n = loop ? f->nparams : f->nresults;
  return loop ? f->params : f->results;
}

/* control.c: block, loop, if, else, end, br, br_if, br_table, return, unreachable. */
bool wl_validate_control(wl_func_validator *v, const wl_instr *in);

/* instr.c: one instruction of any kind (dispatches control ones to control.c). */
bool wl_validate_instr(wl_func_validator *v, const wl_instr *in);

/* func.c: validates every defined function and fills its facts. */
wl_error *wl_validate_functions(wl_moddesc *m, uint32_t features);

/* ------------------------------------------------------------------ module level */

/* segments.c: element and data segments (marks the functions they name in declared_funcs). */
wl_error *wl_validate_segments(wl_moddesc *m, uint32_t features);

/* Validates a constant expression producing one value of type `want`. `where` names the
 * place for messages ("global[2]"). ref.func indices are marked in `declared` when not NULL. */
wl_error *wl_validate_constexpr(const wl_moddesc *m, uint32_t features, const wl_constexpr *ce,
                                wl_valtype want, const char *where, uint8_t *declared);

#endif
