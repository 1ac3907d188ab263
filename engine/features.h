/* Feature bits, generated from proposals/features.def. The public header mirrors them as
 * WL_FEATURE_* flags; features.c checks at compile time that both agree. */
#ifndef WL_FEATURES_H
#define WL_FEATURES_H
#include <stdbool.h>
#include <stdint.h>

enum {
#define FEATURE(id, name, bit, version) id##_INDEX = bit,
#include "proposals/features.def"
#undef FEATURE
  WL_FEATURE_COUNT
};

#define WL_FEATURE_MASK(id) (1u << id##_INDEX)

static inline bool wl_has_feature(uint32_t features, unsigned index) {
  return index == 0xFF || (features >> index) & 1u;
}

uint32_t wl_features_all(void);     /* every feature the engine implements, opt-in ones too */
uint32_t wl_features_default(void); /* the Wasm 2.0 set: a new config's features */
uint32_t wl_features_wasm1(void);  /* the W3C Wasm 1.0 set (`--mvp`) */
const char *wl_feature_name_of(unsigned index);
int wl_feature_index_of(const char *cli_name); /* -1 if unknown */

#endif
