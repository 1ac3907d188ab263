/* Which backends this build includes, and their names. */
#include <string.h>

#include "backends/backend.h"

#ifdef WASMLAB_HAVE_AOT
extern const wl_backend wl_aot_backend;
#endif

static const char *const backend_names[] = {
    [WL_BACKEND_INTERP] = "interp",
    [WL_BACKEND_JIT] = "jit",
    [WL_BACKEND_AOT] = "aot",
};

#define NBACKENDS (sizeof backend_names / sizeof backend_names[0])

const wl_backend *wl_backend_get(wl_backend_kind kind) {
  switch (kind) {
  case WL_BACKEND_INTERP: return &wl_interp_backend;
#ifdef WASMLAB_HAVE_AOT
  case WL_BACKEND_AOT: return &wl_aot_backend;
#endif
  default: return NULL;
  }
}

bool wl_backend_available(wl_backend_kind b) { return wl_backend_get(b) != NULL; }

const char *wl_backend_name(wl_backend_kind b) {
  return (unsigned)b < NBACKENDS ? backend_names[b] : "unknown";
}

wl_error *wl_backend_from_name(const char *name, wl_backend_kind *out) {
  for (unsigned k = 0; name && k < NBACKENDS; k++)
    if (strcmp(name, backend_names[k]) == 0) {
      *out = (wl_backend_kind)k;
      return NULL;
    }
  return wl_error_new(WL_ERR_ARGUMENT, "unknown backend \"%s\" (expected interp, jit or aot)",
                      name ? name : "");
}
