/* reference-types: validation and decoding rules (the runtime helpers are in
 * reference_types.h). Without it: one table at most, funcref is the only reference type and
 * is not a value type, call_indirect's table byte is zero, and br_table's targets must all
 * have exactly the default target's types (Wasm 1.0 typing, even in unreachable code). */
#ifndef WL_PROPOSAL_REFERENCE_TYPES_RULES_H
#define WL_PROPOSAL_REFERENCE_TYPES_RULES_H
#include <stdbool.h>

#include "engine/module.h"

wl_error *wl_reference_types_check_table_count(uint32_t ntables, uint32_t features);
/* Decoding: is byte `b` a value type because it is a reference type? */
bool wl_reference_types_valtype(uint8_t b, uint32_t features);
/* Decoding: is call_indirect's table immediate a LEB index (else a single zero byte)? */
bool wl_reference_types_table_index_immediate(uint32_t features);
/* Validation: are br_table targets typed each on its own (2.0) rather than all alike (1.0)? */
bool wl_reference_types_per_target_br_table(uint32_t features);
#endif
