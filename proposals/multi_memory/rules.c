#include "proposals/multi_memory/rules.h"

#include "engine/features.h"

#define MEMARG_HAS_INDEX 0x40u  /* bit 6 of a memarg's alignment field */

wl_error *wl_multi_memory_check_count(uint32_t nmemories, uint32_t features) {
  if (nmemories <= 1 || wl_has_feature(features, MULTI_MEMORY_INDEX)) return NULL;
  return wl_err(WL_ERR_INVALID, "multiple memories: %u memories need multi-memory", nmemories);
}

bool wl_multi_memory_index_immediates(uint32_t features) {
  return wl_has_feature(features, MULTI_MEMORY_INDEX);
}

bool wl_multi_memory_memarg_has_index(uint32_t align_field, uint32_t features) {
  return (align_field & MEMARG_HAS_INDEX) && (align_field & ~0x7Fu) == 0 &&
         wl_has_feature(features, MULTI_MEMORY_INDEX);
}

uint32_t wl_multi_memory_memarg_align(uint32_t align_field) {
  return align_field & ~MEMARG_HAS_INDEX;
}
