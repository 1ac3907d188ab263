/* wasmlab's additions to the standard C API (wasm.h), in the manner of wasmtime.h: choose the
 * backend, proposals, fuel and limits on a wasm_config_t; read a trap's wasmlab kind and exit
 * code; give a store a WASI environment and get a module's WASI imports as externs.
 *
 * Ownership follows wasm.h: `own` results belong to the caller. */
#ifndef WASMLAB_WASM_H
#define WASMLAB_WASM_H

#include "wasm.h"
#include "wasmlab.h"

#ifdef __cplusplus
extern "C" {
#endif

#define own  /* as in wasm.h: marks owned data */

/* ---------------------------------------------------------------- config */

/* By name: "interp", "aot" or "jit". False (config unchanged) for an unknown name or a
 * backend this build lacks. */
WASM_API_EXTERN bool wasmlab_config_backend_set(wasm_config_t *, const char *backend);
/* A proposal by its CLI name ("bulk-memory", "reference-types", ...); false if unknown. */
WASM_API_EXTERN bool wasmlab_config_feature_set(wasm_config_t *, const char *feature, bool on);
/* The whole feature set as a wl_feature mask, or the W3C Wasm 1.0 set. */
WASM_API_EXTERN void wasmlab_config_features_set(wasm_config_t *, uint32_t wl_features);
WASM_API_EXTERN void wasmlab_config_mvp_set(wasm_config_t *);
/* Fuel: each executed instruction costs one unit; a call past `limit` traps with
 * WL_TRAP_OUT_OF_FUEL. 0 = unlimited (the default). */
WASM_API_EXTERN void wasmlab_config_fuel_set(wasm_config_t *, uint64_t limit);
/* Limits: the wasm + host call depth past which calls trap "call stack exhausted". */
WASM_API_EXTERN void wasmlab_config_max_call_depth_set(wasm_config_t *, uint32_t depth);

/* Fuel used by the store's last call (0 when metering is off). */
WASM_API_EXTERN uint64_t wasmlab_store_fuel_consumed(const wasm_store_t *);

/* ---------------------------------------------------------------- traps */

/* The trap's wasmlab kind (WL_TRAP_UNREACHABLE, ...): WL_TRAP_HOST for traps made with
 * wasm_trap_new, WL_TRAP_NONE for a link error or a WASI exit. */
WASM_API_EXTERN wl_trap_kind wasmlab_trap_kind(const wasm_trap_t *);
/* True when the trap is a WASI proc_exit; stores the guest's exit status. */
WASM_API_EXTERN bool wasmlab_trap_exit_status(const wasm_trap_t *, int *status);

/* ---------------------------------------------------------------- WASI */

typedef struct wasmlab_wasi_config_t wasmlab_wasi_config_t;

/* No arguments, no environment, no preopens; guest stdio is the host's. */
WASM_API_EXTERN own wasmlab_wasi_config_t *wasmlab_wasi_config_new(void);
WASM_API_EXTERN void wasmlab_wasi_config_delete(own wasmlab_wasi_config_t *);
/* The strings are copied. args[0] is the program name the guest sees. */
WASM_API_EXTERN void wasmlab_wasi_config_set_argv(wasmlab_wasi_config_t *, size_t argc,
                                                  const char *const argv[]);
WASM_API_EXTERN void wasmlab_wasi_config_set_env(wasmlab_wasi_config_t *, size_t n,
                                                 const char *const names[],
                                                 const char *const values[]);
/* Gives the guest `host_path` as `guest_path`; paths never resolve outside a preopen. */
WASM_API_EXTERN void wasmlab_wasi_config_preopen_dir(wasmlab_wasi_config_t *,
                                                     const char *host_path,
                                                     const char *guest_path);
/* Host descriptors for the guest's fds 0, 1 and 2. */
WASM_API_EXTERN void wasmlab_wasi_config_set_stdio(wasmlab_wasi_config_t *, int in, int out,
                                                   int err);

/* Gives the store a WASI environment (taking the config); false when it cannot be made
 * (e.g. a preopen is not a directory) or the store has one already. */
WASM_API_EXTERN bool wasmlab_store_set_wasi(wasm_store_t *, own wasmlab_wasi_config_t *);
/* One extern per import of the module, in import order: the WASI function for each
 * wasi_snapshot_preview1 import, NULL for every other import (the host fills those in).
 * False when the store has no WASI environment. */
WASM_API_EXTERN bool wasmlab_wasi_imports(wasm_store_t *, const wasm_module_t *,
                                          own wasm_extern_vec_t *out);

#undef own

#ifdef __cplusplus
}
#endif
#endif
