/* bulk-memory: decoding rules (the runtime helpers are in bulk_memory.h). Without it there is
 * no data count section, and element and data segments have the Wasm 1.0 layout (a table or
 * memory index first, active only) instead of a flags field with passive/declarative forms. */
#ifndef WL_PROPOSAL_BULK_MEMORY_RULES_H
#define WL_PROPOSAL_BULK_MEMORY_RULES_H
#include <stdbool.h>
#include <stdint.h>

bool wl_bulk_memory_datacount_section(uint32_t features);
bool wl_bulk_memory_segment_flags(uint32_t features);
#endif
