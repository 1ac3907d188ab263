#include "proposals/reference_types/rules.h"

#include "engine/features.h"

wl_error *wl_reference_types_check_table_count(uint32_t ntables, uint32_t features) {
  if (ntables <= 1 || wl_has_feature(features, REFERENCE_TYPES_INDEX)) return NULL;
  return wl_err(WL_ERR_INVALID, "multiple tables: %u tables need reference-types", ntables);
}

bool wl_reference_types_valtype(uint8_t b, uint32_t features) {
  return wl_is_reftype(b) && wl_has_feature(features, REFERENCE_TYPES_INDEX);
}

bool wl_reference_types_table_index_immediate(uint32_t features) {
  return wl_has_feature(features, REFERENCE_TYPES_INDEX);
}

bool wl_reference_types_per_target_br_table(uint32_t features) {
  return wl_has_feature(features, REFERENCE_TYPES_INDEX);
}
