#include "proposals/mutable_globals/rules.h"

#include "engine/features.h"

wl_error *wl_mutable_globals_check(bool mutable_, bool is_import, const char *where,
                                   uint32_t features) {
  if (!mutable_ || wl_has_feature(features, MUTABLE_GLOBALS_INDEX)) return NULL;
  return wl_err(WL_ERR_INVALID, "mutable globals cannot be %s in %s",
                is_import ? "imported" : "exported", where);
}
