/* wasmlab host modules beyond WASI: running operating-system commands (`wasmedge_process`,
 * interface-compatible with WasmEdge's plugin) and a RocksDB key-value store (`wasmlab_kv`).
 * The guest-side headers are in examples/host-modules/; docs/host-modules.md is the
 * tutorial.
 *
 * Each module is a capability, granted per instance by defining it in that instance's linker.
 * A module that imports a host module its linker was not given fails wl_linker_instantiate
 * with WL_ERR_UNLINKABLE and a message that names the host module and the missing grant.
 *
 * These live in libwasmlab_hostmods.a (link it before libwasmlab.a, with -lrocksdb); the
 * conventions of wasmlab.h apply. The objects here must outlive every call into the host
 * functions they defined: delete them after the wl_store. */
#ifndef WASMLAB_HOSTMODS_H
#define WASMLAB_HOSTMODS_H

#include "wasmlab.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- wasmedge_process */

/* The state of one instance's process module: its allow list, the command the guest is
 * building and the outputs of the last run. Give each instance its own. */
typedef struct wl_process wl_process;

typedef struct {
  const char *const *allowed_commands;  /* program names exactly as the guest names them */
  size_t nallowed;
  bool allow_all;  /* any program (the --allow-command-all grant) */
} wl_process_options;

WL_API wl_error *wl_process_new(const wl_process_options *o, wl_process **out);
WL_API void wl_process_delete(wl_process *p);  /* accepts NULL */
/* Grants the process capability: defines every wasmedge_process_* function in the linker. */
WL_API wl_error *wl_linker_define_process(wl_linker *l, wl_process *p);

/* ---------------------------------------------------------------- wasmlab_kv */

/* One opened RocksDB store. Writable: the store is created when missing and RocksDB's lock
 * makes a second writer (in any process) fail to open with a WL_ERR_IO error that says the
 * store is locked. Read-only: opened in RocksDB's read-only mode, which takes no lock, so any
 * number of readers may run beside one writer; a reader sees the store as it was when opened
 * and cannot create one. A store RocksDB finds corrupt fails to open with WL_ERR_IO. */
typedef struct wl_kv_store wl_kv_store;

WL_API wl_error *wl_kv_store_open(const char *dir, bool writable, wl_kv_store **out);
WL_API void wl_kv_store_close(wl_kv_store *s);  /* accepts NULL */
/* Grants the key-value capability: defines wasmlab_kv in the linker as a view of `s` that sees
 * only `ns` (1..64 bytes of [A-Za-z0-9._-]; NULL means "default"). Without `write`, put and
 * delete answer WASMLAB_KV_READ_ONLY; `write` needs a writable store. */
WL_API wl_error *wl_linker_define_kv(wl_linker *l, wl_kv_store *s, const char *ns, bool write);

#ifdef __cplusplus
}
#endif
#endif
