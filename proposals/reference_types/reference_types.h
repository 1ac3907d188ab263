/* reference-types runtime helpers for table instructions, shared by every backend.
 * The bool-returning ones return false after recording a trap in ex. */
#ifndef WL_PROPOSAL_REFERENCE_TYPES_H
#define WL_PROPOSAL_REFERENCE_TYPES_H
#include "engine/runtime/runtime.h"

bool wl_ref_table_get(wl_exec *ex, wl_table *t, uint32_t i, wl_slot *out);
bool wl_ref_table_set(wl_exec *ex, wl_table *t, uint32_t i, wl_slot ref);
/* table.grow: the old size, or -1 (no trap) when the table cannot grow. */
int32_t wl_ref_table_grow(wl_table *t, wl_slot init, uint32_t delta);
bool wl_ref_table_fill(wl_exec *ex, wl_table *t, uint32_t i, wl_slot ref, uint32_t n);
#endif
