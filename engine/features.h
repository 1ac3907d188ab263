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
/* The feature a value type byte belongs to when that feature is off in `features` (externref
 * and funcref: reference-types, v128: simd), else -1: decoders name it in their error. */
int wl_valtype_off_feature(uint8_t type_byte, uint32_t features);
/* Appends "externref needs reference-types, which is off (--enable-reference-types)" to a
 * "malformed value/reference type" error when that is why. Returns e. */
struct wl_error *wl_note_off_feature(struct wl_error *e, uint8_t type_byte, uint32_t features);

#endif
