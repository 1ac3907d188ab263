/* multi-memory: a module may define and import several memories, and every memory
 * instruction names one. Encoding: memory.size/grow/fill take a memory index (LEB u32) where
 * Wasm 2.0 has a zero byte, memory.copy two (destination, source), memory.init one after the
 * data index; a load/store's memarg names a memory other than 0 by setting bit 6 of its
 * alignment field, followed by the index. Without it there is at most one memory and those
 * bytes are the reserved zero bytes of Wasm 2.0. */
#ifndef WL_PROPOSAL_MULTI_MEMORY_RULES_H
#define WL_PROPOSAL_MULTI_MEMORY_RULES_H
#include <stdbool.h>

#include "engine/module.h"

/* Validation: more than one memory needs multi-memory. */
wl_error *wl_multi_memory_check_count(uint32_t nmemories, uint32_t features);
/* Decoding: are memory indices LEB immediates (else reserved zero bytes)? */
bool wl_multi_memory_index_immediates(uint32_t features);
/* Decoding: does a memarg whose alignment field is `align_field` carry a memory index? */
bool wl_multi_memory_memarg_has_index(uint32_t align_field, uint32_t features);
/* The alignment exponent of such a field once its memory-index flag is taken out. */
uint32_t wl_multi_memory_memarg_align(uint32_t align_field);
#endif
