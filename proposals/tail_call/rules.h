/* tail-call: return_call and return_call_indirect (opcodes.def). A tail call returns the
 * callee's results as the caller's own, so the callee's result types must equal the calling
 * function's; backends run it in constant native and value stack (the callee reuses the
 * caller's frame). Without the proposal 0x12 and 0x13 are illegal opcodes. */
#ifndef WL_PROPOSAL_TAIL_CALL_RULES_H
#define WL_PROPOSAL_TAIL_CALL_RULES_H
#include <stdbool.h>

#include "engine/module.h"

/* Validation: may a function of type `caller` tail-call one of type `callee`? */
bool wl_tail_call_results_match(const wl_functype *caller, const wl_functype *callee);
#endif
