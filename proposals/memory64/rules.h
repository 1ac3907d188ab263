/* memory64: memories indexed by i64. A memory type's limits flag has bit 2 set for an i64
 * memory (then min/max are u64, at most 2^48 pages); loads, stores, memory.size/grow/fill/
 * copy/init and active data segment offsets use that memory's index type for addresses and
 * sizes; a memarg offset is a u64 (for an i32 memory it must still fit 32 bits). Without it
 * every memory is an i32 memory, as in Wasm 2.0. */
#ifndef WL_PROPOSAL_MEMORY64_RULES_H
#define WL_PROPOSAL_MEMORY64_RULES_H
#include <stdbool.h>
#include <stdint.h>

#include "engine/module.h"

/* Validation: the address type of a memory (0x7F i32, 0x7E i64). */
wl_valtype wl_memory64_address_type(const wl_limits *memory);
/* Decoding: do memory limits flags have the i64 bit (else they are 0 or 1, as in 2.0)? */
bool wl_memory64_limits_flags(uint32_t features);
/* With memory64: flags 0/1 (i32 memory) or 4/5 (i64 memory); bit 0 = has a maximum. */
bool wl_memory64_valid_flags(uint32_t flags);
bool wl_memory64_flags_is64(uint32_t flags);
/* Validation: an i64 memory's limits are at most 2^48 pages. */
wl_error *wl_memory64_check_limits(const wl_limits *memory, const char *where);
/* Decoding: the width of a memarg offset's LEB (32, or 64 with memory64). */
unsigned wl_memory64_offset_bits(uint32_t features);
#endif
