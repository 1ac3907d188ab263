/* Engine configuration: features, backend, call depth, fuel and resource limits. */
#include <stdlib.h>

#include "engine/features.h"
#include "engine/runtime/internal.h"

wl_config *wl_config_new(void) {
  wl_config *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->features = wl_features_default();
  c->backend = WL_BACKEND_INTERP;
  c->max_call_depth = 10000;
  c->fuel_limit = 0;
  wl_costs_default(&c->costs);
  c->max_table_elements = WL_DEFAULT_MAX_TABLE_ELEMENTS;
  c->max_memory_bytes = WL_DEFAULT_MAX_MEMORY_BYTES;
  c->max_module_bytes = WL_DEFAULT_MAX_MODULE_BYTES;
  c->max_functions = WL_DEFAULT_MAX_FUNCTIONS;
  return c;
}

void wl_config_delete(wl_config *c) { free(c); }
void wl_config_set_features(wl_config *c, uint32_t features) { c->features = features; }
uint32_t wl_config_features(const wl_config *c) { return c->features; }
void wl_config_set_mvp(wl_config *c) { c->features = wl_features_wasm1(); }
void wl_config_set_max_call_depth(wl_config *c, uint32_t depth) { c->max_call_depth = depth; }
void wl_config_set_aot_jobs(wl_config *c, uint32_t jobs) { c->aot_jobs = jobs; }
void wl_config_set_fuel(wl_config *c, uint64_t limit) { c->fuel_limit = limit; }
wl_error *wl_config_set_cost(wl_config *c, const char *instr, uint64_t units,
                             uint64_t per_item) {
  return wl_costs_set(&c->costs, instr, units, per_item);
}

wl_error *wl_config_load_cost_table(wl_config *c, const char *path) {
  if (!path) return wl_err(WL_ERR_ARGUMENT, "no cost table path");
  return wl_costs_load(&c->costs, path);
}

void wl_config_set_max_table_elements(wl_config *c, uint64_t n) { c->max_table_elements = n; }
void wl_config_set_max_memory_bytes(wl_config *c, uint64_t n) { c->max_memory_bytes = n; }
void wl_config_set_max_module_bytes(wl_config *c, uint64_t n) { c->max_module_bytes = n; }
void wl_config_set_max_functions(wl_config *c, uint64_t n) { c->max_functions = n; }

wl_error *wl_config_enable(wl_config *c, const char *feature_name, bool on) {
  int index = feature_name ? wl_feature_index_of(feature_name) : -1;
  if (index < 0)
    return wl_err(WL_ERR_ARGUMENT, "unknown feature \"%s\"", feature_name ? feature_name : "");
  if (on)
    c->features |= 1u << index;
  else
    c->features &= ~(1u << index);
  return NULL;
}

/* `f` must be exactly one known flag. */
const char *wl_feature_name(wl_feature f) {
  uint32_t bits = (uint32_t)f;
  if (bits == 0 || (bits & (bits - 1)) != 0) return NULL;
  unsigned index = (unsigned)__builtin_ctz(bits);
  return index < WL_FEATURE_COUNT ? wl_feature_name_of(index) : NULL;
}

wl_error *wl_config_set_backend(wl_config *c, wl_backend_kind b) {
  if (!wl_backend_available(b))
    return wl_err(WL_ERR_UNSUPPORTED, "backend \"%s\" is not available in this build",
                  wl_backend_name(b));
  c->backend = b;
  return NULL;
}
