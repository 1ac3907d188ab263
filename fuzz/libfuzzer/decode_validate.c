/* libFuzzer target: decode + validate any bytes with every Wasm 2.0 feature on (the
 * decoder and validator must reject hostile input cleanly, never crash or over-read). */
#include <stddef.h>
#include <stdint.h>

#include "engine/include/wasmlab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static wl_engine *engine;
  if (!engine) {
    wl_config *c = wl_config_new();
    wl_error *e = wl_engine_new(c, &engine);
    wl_config_delete(c);
    if (e) __builtin_trap();
  }
  wl_error_delete(wl_module_validate(engine, data, size));
  return 0;
}
