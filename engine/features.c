#include "engine/features.h"
#include "engine/include/wasmlab.h"
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
