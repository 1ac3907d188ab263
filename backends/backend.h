/* The one interface every execution backend implements (interp, jit, aot).
 *
 * Flow: the engine decodes and validates a module, then calls compile() once per module.
 * When an instance is created, the engine allocates a wl_func for each defined function (type,
 * type_id, instance, index set) and calls bind_func() so the backend fills in entry, code and
 * optionally native. Funcrefs, tables, call_indirect and host functions then work across
 * backends because every call goes through wl_func.entry (see engine/runtime/runtime.h).
 * Backends never include each other's headers. */
#ifndef WL_BACKEND_H
#define WL_BACKEND_H

#include "engine/module.h"
#include "engine/runtime/runtime.h"

typedef struct wl_backend {
  const char *name;
  /* Optional (NULL: always usable): false when the build has the backend but it cannot run
   * here (aot without its compiler library), with the reason in `why`. */
  bool (*usable)(char *why, size_t size);
  /* Compiles a validated module. `*out` is the backend's module code, released by free_code. */
  wl_error *(*compile)(wl_engine *e, const wl_moddesc *m, void **out);
  void (*free_code)(void *code);
  /* Fills f->entry, f->code (and f->native) for defined function f->index of f->instance. */
  void (*bind_func)(void *code, wl_func *f);
  /* Optional per-instance setup and release (may be NULL). */
  wl_error *(*instance_init)(void *code, wl_instance *inst);
  void (*instance_free)(void *code, wl_instance *inst);
} wl_backend;

/* The backend of that kind, or NULL when this build does not include it. Every backend is
 * declared in registry.c only: adding one touches no other file of the engine or the CLI. */
const wl_backend *wl_backend_get(wl_backend_kind kind);
/* Number of backend kinds (built or not): kinds are 0 .. wl_backend_kind_count() - 1. */
unsigned wl_backend_kind_count(void);

#endif
