/* Which backends this build includes, and their names: the one place that lists them. */
#include <string.h>

#include "backends/backend.h"

extern const wl_backend wl_interp_backend;
#ifdef WASMLAB_HAVE_AOT
extern const wl_backend wl_aot_backend;
#endif
#ifdef WASMLAB_HAVE_JIT
extern const wl_backend wl_jit_backend;
#endif

static const char *const backend_names[] = {
    [WL_BACKEND_INTERP] = "interp",
    [WL_BACKEND_JIT] = "jit",
    [WL_BACKEND_AOT] = "aot",
};

#define NBACKENDS (sizeof backend_names / sizeof backend_names[0])

static const wl_backend *const built[NBACKENDS] = {
    [WL_BACKEND_INTERP] = &wl_interp_backend,
#ifdef WASMLAB_HAVE_JIT
    [WL_BACKEND_JIT] = &wl_jit_backend,
#endif
#ifdef WASMLAB_HAVE_AOT
    [WL_BACKEND_AOT] = &wl_aot_backend,
#endif
};

const wl_backend *wl_backend_get(wl_backend_kind kind) {
  return (unsigned)kind < NBACKENDS ? built[kind] : NULL;
}

unsigned wl_backend_kind_count(void) { return NBACKENDS; }

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
