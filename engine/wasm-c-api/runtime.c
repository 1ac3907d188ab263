/* Config, engine and store, and the wasmlab config extensions (wasmlab_wasm.h). */
#include <stdlib.h>

#include "engine/wasm-c-api/capi.h"

wasm_config_t *wasm_config_new(void) {
  wasm_config_t *c = malloc(sizeof *c);
  if (!c) return NULL;
  c->c = wl_config_new();
  if (!c->c) {
    free(c);
    return NULL;
  }
  /* One unchanged host program runs on any backend: the environment may choose it. */
  const char *name = getenv("WASMLAB_BACKEND");
  if (name && *name && !wasmlab_config_backend_set(c, name)) {
    wasm_config_delete(c);
    return NULL;
  }
  return c;
}

void wasm_config_delete(wasm_config_t *c) {
  if (!c) return;
  wl_config_delete(c->c);
  free(c);
}

bool wasmlab_config_backend_set(wasm_config_t *c, const char *name) {
  wl_backend_kind b;
  wl_error *e = wl_backend_from_name(name, &b);
  if (!e) e = wl_config_set_backend(c->c, b);
  wl_error_delete(e);
  return e == NULL;
}

bool wasmlab_config_feature_set(wasm_config_t *c, const char *feature, bool on) {
  wl_error *e = wl_config_enable(c->c, feature, on);
  wl_error_delete(e);
  return e == NULL;
}

void wasmlab_config_features_set(wasm_config_t *c, uint32_t features) {
  wl_config_set_features(c->c, features);
}

void wasmlab_config_mvp_set(wasm_config_t *c) { wl_config_set_mvp(c->c); }
void wasmlab_config_fuel_set(wasm_config_t *c, uint64_t limit) { wl_config_set_fuel(c->c, limit); }
void wasmlab_config_max_call_depth_set(wasm_config_t *c, uint32_t depth) {
  wl_config_set_max_call_depth(c->c, depth);
}

wasm_engine_t *wasm_engine_new(void) {
  wasm_config_t *c = wasm_config_new();
  return c ? wasm_engine_new_with_config(c) : NULL;
}

wasm_engine_t *wasm_engine_new_with_config(wasm_config_t *c) {
  wasm_engine_t *e = malloc(sizeof *e);
  wl_error *err = e ? wl_engine_new(c->c, &e->e) : NULL;
  wasm_config_delete(c);
  if (!e || err) {
    wl_error_delete(err);
    free(e);
    return NULL;
  }
  return e;
}

void wasm_engine_delete(wasm_engine_t *e) {
  if (!e) return;
  wl_engine_delete(e->e);
  free(e);
}

wasm_store_t *wasm_store_new(wasm_engine_t *e) {
  wasm_store_t *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->s = wl_store_new(e->e);
  if (!s->s) {
    free(s);
    return NULL;
  }
  s->engine = e;
  return s;
}

/* Everything in the store goes: instance records (finalized), the wasmlab store (which runs
 * host function finalizers), then host info of store objects and foreign objects. */
void wasm_store_delete(wasm_store_t *s) {
  if (!s) return;
  for (wlc_instance *i = s->instances, *next; i; i = next) {
    next = i->next;
    wlc_host_info_finalize(&i->host);
    free(i);
  }
  wl_linker_delete(s->wasi_linker);
  wl_store_delete(s->s);
  wl_wasi_delete(s->wasi);
  wlc_store_release_objects(s);
  free(s);
}

uint64_t wasmlab_store_fuel_consumed(const wasm_store_t *s) { return wl_store_fuel_used(s->s); }
