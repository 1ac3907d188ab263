/* Prefix scans: a RocksDB iterator per open scan (it reads one consistent snapshot, taken at
 * scan_open), positioned at the first key with the prefix; keys come back in RocksDB's
 * order, bytewise ascending. */
#include <string.h>

#include "engine/hostmods/kv.h"

int32_t kv_scan_open(kv_view *v, const uint8_t *prefix, size_t len, uint32_t *handle) {
  for (uint32_t i = 0; i < KV_MAX_SCANS; i++) {
    kv_scan *s = &v->scans[i];
    if (s->it) continue;
    if (!kv_store_key(v, prefix, len, &s->prefix)) return KV_STORE_ERROR;
    s->it = rocksdb_create_iterator(v->store->db, v->store->read);
    if (!s->it) return KV_STORE_ERROR;
    rocksdb_iter_seek(s->it, (const char *)s->prefix.data, s->prefix.len);
    *handle = i;
    return KV_OK;
  }
  return KV_TOO_MANY_SCANS;
}

void kv_scan_release(kv_scan *s) {
  if (s->it) rocksdb_iter_destroy(s->it);
  s->it = NULL;
  hm_buf_free(&s->prefix);
}

kv_scan *kv_scan_get(kv_view *v, uint32_t handle) {
  if (handle >= KV_MAX_SCANS || !v->scans[handle].it) return NULL;
  return &v->scans[handle];
}
