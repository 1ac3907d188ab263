#include "engine/features.h"
#include "engine/include/wasmlab.h"
#include <string.h>

#define FEATURE(id, name, bit, in_1_0) \
  _Static_assert(WL_FEATURE_##id == (1u << bit), "wasmlab.h and features.def disagree on " name);
#include "proposals/features.def"
#undef FEATURE

static const struct { const char *name; bool in_1_0; } features[WL_FEATURE_COUNT] = {
#define FEATURE(id, name, bit, in_1_0) [bit] = {name, in_1_0},
#include "proposals/features.def"
#undef FEATURE
};

/* Proposals past Wasm 2.0: known, but only on when enabled. */
#define OPT_IN WL_FEATURE_MASK(RELAXED_SIMD)

uint32_t wl_features_all(void) {
  return ((1u << WL_FEATURE_COUNT) - 1) & ~OPT_IN;
}

uint32_t wl_features_known(void) { return (1u << WL_FEATURE_COUNT) - 1; }

uint32_t wl_features_wasm1(void) {
  uint32_t mask = 0;
  for (unsigned i = 0; i < WL_FEATURE_COUNT; i++)
    if (features[i].in_1_0) mask |= 1u << i;
  return mask;
}

const char *wl_feature_name_of(unsigned index) {
  return index < WL_FEATURE_COUNT ? features[index].name : "mvp";
}

int wl_feature_index_of(const char *cli_name) {
  for (unsigned i = 0; i < WL_FEATURE_COUNT; i++)
    if (strcmp(features[i].name, cli_name) == 0) return (int)i;
  return -1;
}
