#include "proposals/bulk_memory/rules.h"

#include "engine/features.h"

bool wl_bulk_memory_datacount_section(uint32_t features) {
  return wl_has_feature(features, BULK_MEMORY_INDEX);
}

bool wl_bulk_memory_segment_flags(uint32_t features) {
  return wl_has_feature(features, BULK_MEMORY_INDEX);
}
