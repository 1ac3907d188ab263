#include "proposals/memory64/rules.h"

#include "engine/features.h"

unsigned wl_memory64_offset_bits(uint32_t features) {
  return wl_has_feature(features, MEMORY64_INDEX) ? 64 : 32;
}

wl_valtype wl_memory64_address_type(const wl_limits *memory) { return memory->is64 ? 0x7E : 0x7F; }

bool wl_memory64_limits_flags(uint32_t features) {
  return wl_has_feature(features, MEMORY64_INDEX);
}

#define LIMITS_HAS_MAX 0x1u
#define LIMITS_I64 0x4u

bool wl_memory64_valid_flags(uint32_t flags) { return (flags & ~(LIMITS_HAS_MAX | LIMITS_I64)) == 0; }
bool wl_memory64_flags_is64(uint32_t flags) { return flags & LIMITS_I64; }

#define MAX_PAGES64 (1ull << 48)

wl_error *wl_memory64_check_limits(const wl_limits *memory, const char *where) {
  if (memory->min > MAX_PAGES64 || (memory->has_max && memory->max > MAX_PAGES64))
    return wl_err(WL_ERR_INVALID, "memory size must be at most 2^48 pages in %s", where);
  return NULL;
}
