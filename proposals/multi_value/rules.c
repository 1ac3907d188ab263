#include "proposals/multi_value/rules.h"

#include "engine/features.h"

wl_error *wl_multi_value_check_type(const wl_functype *t, uint32_t index, uint32_t features) {
  if (wl_has_feature(features, MULTI_VALUE_INDEX) || t->nresults <= 1) return NULL;
  return wl_err(WL_ERR_INVALID, "invalid result arity in type[%u]: %u results need multi-value",
                index, t->nresults);
}

bool wl_multi_value_allows_block_type_index(uint32_t features) {
  return wl_has_feature(features, MULTI_VALUE_INDEX);
}
