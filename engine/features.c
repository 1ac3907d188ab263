#include "engine/features.h"
#include "engine/include/wasmlab.h"
#include "engine/util/error.h"
#include <string.h>

#define FEATURE(id, name, bit, version) \
  _Static_assert(WL_FEATURE_##id == (1u << bit), "wasmlab.h and features.def disagree on " name);
#include "proposals/features.def"
#undef FEATURE

static const struct { const char *name; unsigned version; } features[WL_FEATURE_COUNT] = {
#define FEATURE(id, name, bit, version) [bit] = {name, version},
#include "proposals/features.def"
#undef FEATURE
};

uint32_t wl_features_all(void) { return (1u << WL_FEATURE_COUNT) - 1; }

/* Features of the standards up to `version`. */
static uint32_t features_up_to(unsigned version) {
  uint32_t mask = 0;
  for (unsigned i = 0; i < WL_FEATURE_COUNT; i++)
    if (features[i].version <= version) mask |= 1u << i;
  return mask;
}

uint32_t wl_features_default(void) { return features_up_to(2); }
uint32_t wl_features_wasm1(void) { return features_up_to(1); }

const char *wl_feature_name_of(unsigned index) {
  return index < WL_FEATURE_COUNT ? features[index].name : "mvp";
}

int wl_feature_index_of(const char *cli_name) {
  for (unsigned i = 0; i < WL_FEATURE_COUNT; i++)
    if (strcmp(features[i].name, cli_name) == 0) return (int)i;
  return -1;
}

int wl_valtype_off_feature(uint8_t b, uint32_t features) {
  if ((b == 0x70 || b == 0x6F) && !wl_has_feature(features, REFERENCE_TYPES_INDEX))
    return REFERENCE_TYPES_INDEX;
  if (b == 0x7B && !wl_has_feature(features, SIMD_INDEX)) return SIMD_INDEX;
  return -1;
}

wl_error *wl_note_off_feature(wl_error *e, uint8_t b, uint32_t features) {
  int f = wl_valtype_off_feature(b, features);
  if (f < 0) return e;
  const char *type = b == 0x70 ? "funcref" : b == 0x6F ? "externref" : "v128";
  const char *name = wl_feature_name_of((unsigned)f);
  return wl_error_append(e, ": %s needs %s, which is off (--enable-%s)", type, name, name);
}
