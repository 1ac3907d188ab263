/* Engines: a copy of the configuration, the backend, and the function type registry. */
#include <stdlib.h>

#include "engine/runtime/internal.h"

wl_error *wl_engine_new(const wl_config *c, wl_engine **out) {
  if (!out) return wl_err(WL_ERR_ARGUMENT, "no place for the engine");
  *out = NULL;
  if (!c) return wl_err(WL_ERR_ARGUMENT, "no configuration");
  const wl_backend *b = wl_backend_get(c->backend);
  if (!b)
    return wl_err(WL_ERR_UNSUPPORTED, "backend \"%s\" is not available in this build",
                  wl_backend_name(c->backend));
  wl_engine *e = calloc(1, sizeof *e);
  if (!e) return wl_err(WL_ERR_RESOURCE, "out of memory");
  e->config = *c;
  e->backend = b;
  *out = e;
  return NULL;
}

void wl_engine_delete(wl_engine *e) {
  if (!e) return;
  wl_type_registry_free(&e->types);
  free(e);
}

const wl_config *wl_engine_config(const wl_engine *e) { return &e->config; }
