/* libFuzzer target: the AOT code generator (LLVM IR translation, the O2 pipeline with
 * LLVMVerifyModule semantics, object emission) on every module that decodes and validates;
 * an odd first byte also turns fuel metering on. Linking and loading are not exercised
 * here (they run `ld` and dlopen per input); the differential fuzzer covers them. */
#include <stdint.h>
#include <stdlib.h>

#include "backends/aot/aot.h"
#include "engine/include/wasmlab.h"
#include "engine/module.h"
#include "engine/runtime/runtime.h"

extern const aot_compiler wasmlab_aot_compiler;

static uint32_t default_features(void) {
  wl_config *c = wl_config_new();
  uint32_t features = wl_config_features(c);
  wl_config_delete(c);
  return features;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint32_t features;
  static wl_costs costs;
  if (!features) {
    features = default_features();
    wl_costs_default(&costs);
  }
  wl_moddesc *m = NULL;
  wl_error *e = wl_decode(data, size, features, &m);
  if (!e) e = wl_validate(m, features);
  if (!e) {
    aot_objects objs;
    bool metered = size > 0 && (data[size - 1] & 1);
    e = wasmlab_aot_compiler.compile_object(m, features, 2, metered ? &costs : NULL, 1, &objs);
    for (uint32_t i = 0; objs.data && i < objs.count; i++) free(objs.data[i]);
    free(objs.data);
    free(objs.len);
  }
  wl_error_delete(e);
  if (m) wl_moddesc_free(m);
  return 0;
}
