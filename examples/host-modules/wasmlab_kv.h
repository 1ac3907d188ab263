/* Guest side of the `wasmlab_kv` host module: a RocksDB key-value store, seen through one
 * namespace (the host chooses which). Keys and values are any bytes, given as (pointer,
 * length). Every call returns a status; lengths come back through `uint32_t *` out-pointers.
 * Pointers that do not fit in the module's memory trap.
 *
 *   get        copies the value into buf (buf_cap bytes) and sets *len. If the value is
 *              longer, returns WASMLAB_KV_BUFFER_TOO_SMALL with *len = the needed length.
 *   put/delete need the host's write grant, else WASMLAB_KV_READ_ONLY. delete of a missing
 *              key is WASMLAB_KV_OK.
 *   scan_open  starts a scan of the keys that begin with prefix (an empty prefix: every key),
 *              in ascending bytewise order, over a snapshot taken now; *handle names it.
 *   scan_next  gives the next key and value; WASMLAB_KV_NOT_FOUND at the end. When either
 *              buffer is too small it sets both lengths, returns WASMLAB_KV_BUFFER_TOO_SMALL
 *              and stays on that entry, so a retry with bigger buffers gets it.
 *   scan_close frees the handle (at most 16 scans are open at once). */
#ifndef WASMLAB_KV_H
#define WASMLAB_KV_H
#include <stdint.h>

enum {
  WASMLAB_KV_OK = 0,
  WASMLAB_KV_NOT_FOUND = 1,
  WASMLAB_KV_BUFFER_TOO_SMALL = 2,
  WASMLAB_KV_READ_ONLY = 3,
  WASMLAB_KV_BAD_HANDLE = 4,
  WASMLAB_KV_TOO_MANY_SCANS = 5,
  WASMLAB_KV_STORE_ERROR = 6,
};

#define WASMLAB_KV_IMPORT(name) __attribute__((import_module("wasmlab_kv"), import_name(#name)))

WASMLAB_KV_IMPORT(get)
int32_t wasmlab_kv_get(const void *key, uint32_t key_len, void *buf, uint32_t buf_cap,
                       uint32_t *len);
WASMLAB_KV_IMPORT(put)
int32_t wasmlab_kv_put(const void *key, uint32_t key_len, const void *value, uint32_t value_len);
WASMLAB_KV_IMPORT(delete)
int32_t wasmlab_kv_delete(const void *key, uint32_t key_len);
WASMLAB_KV_IMPORT(scan_open)
int32_t wasmlab_kv_scan_open(const void *prefix, uint32_t prefix_len, uint32_t *handle);
WASMLAB_KV_IMPORT(scan_next)
int32_t wasmlab_kv_scan_next(uint32_t handle, void *key_buf, uint32_t key_cap, uint32_t *key_len,
                             void *value_buf, uint32_t value_cap, uint32_t *value_len);
WASMLAB_KV_IMPORT(scan_close)
int32_t wasmlab_kv_scan_close(uint32_t handle);

#undef WASMLAB_KV_IMPORT
#endif
