/* wasmlab_kv, internal to engine/hostmods/: a RocksDB store, the namespaced views instances
 * see of it, and their open prefix scans.
 *
 * A view's keys live in the store as NAMESPACE 0x00 KEY: namespace names contain no NUL, so
 * one namespace's keys can never be a prefix of, or sort inside, another's. */
#ifndef WL_HOSTMODS_KV_H
#define WL_HOSTMODS_KV_H
#include "engine/hostmods/rocksdb_lib.h"

#include "engine/hostmods/hostmods.h"
#include "engine/include/wasmlab_hostmods.h"

/* The status codes the guest sees (examples/host-modules/wasmlab_kv.h repeats them). */
enum {
  KV_OK = 0,
  KV_NOT_FOUND = 1,         /* no such key; a scan at its end */
  KV_BUFFER_TOO_SMALL = 2,  /* the needed lengths were written; nothing else changed */
  KV_READ_ONLY = 3,         /* put/delete without the write grant */
  KV_BAD_HANDLE = 4,        /* not an open scan */
  KV_TOO_MANY_SCANS = 5,
  KV_STORE_ERROR = 6,       /* RocksDB reported an error */
};

enum { KV_MAX_SCANS = 16, KV_MAX_NAMESPACE = 64 };

typedef struct {
  rocksdb_iterator_t *it;  /* NULL: the slot is free */
  hm_buf prefix;           /* namespace + 0x00 + the guest's prefix */
} kv_scan;

typedef struct kv_view {
  wl_kv_store *store;
  hm_buf ns;  /* namespace + 0x00 */
  bool write;
  kv_scan scans[KV_MAX_SCANS];
  struct kv_view *next;  /* the store's list, freed with it */
} kv_view;

struct wl_kv_store {
  rocksdb_t *db;
  rocksdb_options_t *options;
  rocksdb_readoptions_t *read;
  rocksdb_writeoptions_t *write;
  bool writable;
  kv_view *views;
};

/* Defines wasmlab_kv's functions for `v` (kv_funcs.c). */
wl_error *kv_define(wl_linker *l, kv_view *v);

/* Store keys for a view: ns + key, in `out` (cleared first). False when out of memory. */
bool kv_store_key(const kv_view *v, const uint8_t *key, size_t len, hm_buf *out);

/* Scans (kv_scan.c); each returns a status. */
int32_t kv_scan_open(kv_view *v, const uint8_t *prefix, size_t len, uint32_t *handle);
void kv_scan_release(kv_scan *s);
kv_scan *kv_scan_get(kv_view *v, uint32_t handle);  /* NULL when not open */

#endif
