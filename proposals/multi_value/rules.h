/* multi-value: functions and blocks with several results, blocks with parameters.
 * Without it a function type has at most one result and a block type is empty or one value
 * type (never a type index), as in Wasm 1.0. */
#ifndef WL_PROPOSAL_MULTI_VALUE_RULES_H
#define WL_PROPOSAL_MULTI_VALUE_RULES_H
#include "engine/module.h"

/* Validation: type[index] must have at most one result without multi-value. */
wl_error *wl_multi_value_check_type(const wl_functype *t, uint32_t index, uint32_t features);
/* Decoding and validation: may a block type name a type index (s33 >= 0)? */
bool wl_multi_value_allows_block_type_index(uint32_t features);
#endif
