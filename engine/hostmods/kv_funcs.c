/* wasmlab_kv's host functions. Keys and values are (pointer, length) in the caller's memory;
 * lengths come back through u32 out-pointers. Every range is checked before anything happens,
 * so an out-of-bounds pointer traps whatever the store holds; what the guest can get wrong
 * inside its memory is a status (kv.h):
 *   get(key, key_len, buf, buf_cap, len_out) -> status
 *   put(key, key_len, val, val_len) -> status          delete(key, key_len) -> status
 *   scan_open(prefix, prefix_len, handle_out) -> status
 *   scan_next(handle, key_buf, key_cap, key_len_out, val_buf, val_cap, val_len_out) -> status
 *   scan_close(handle) -> status */
#include <string.h>

#include "engine/hostmods/kv.h"

#define MODULE "wasmlab_kv"

static uint32_t arg_u32(const wl_val *args, int i) { return (uint32_t)args[i].of.i32; }

/* Checks and maps the guest range given by args[i] (pointer) and `len`. */
static wl_error *range(const hm_mem *m, const char *what, const wl_val *args, int i, uint64_t len,
                       uint8_t **out) {
  return hm_mem_range(m, what, arg_u32(args, i), len, out);
}

/* The store key for the guest key at args[0..1]. */
static wl_error *store_key(const kv_view *v, const hm_mem *m, const wl_val *args, hm_buf *key) {
  uint8_t *bytes;
  wl_error *e = range(m, "key", args, 0, arg_u32(args, 1), &bytes);
  if (!e && !kv_store_key(v, bytes, arg_u32(args, 1), key))
    e = wl_trap_new(WL_TRAP_HOST, "%s: out of memory", m->fn);
  return e;
}

static int32_t status_of(char *why) {
  if (!why) return KV_OK;
  rocksdb_free(why);
  return KV_STORE_ERROR;
}

/* Writes `n` bytes to a buffer of `cap` and the length to `len_out`; false when it does not fit
 * (only the length is written then). */
static bool give(uint8_t *buf, uint32_t cap, uint8_t *len_out, const void *bytes, size_t n) {
  hm_put_u32(len_out, (uint32_t)n);
  if (n > cap) return false;
  if (n) memcpy(buf, bytes, n);
  return true;
}

static wl_error *kv_get(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  kv_view *v = ud;
  hm_mem m;
  hm_buf key = {0};
  uint8_t *buf, *len_out;
  wl_error *e = hm_mem_of(caller, MODULE ".get", &m);
  if (!e) e = range(&m, "value buffer", args, 2, arg_u32(args, 3), &buf);
  if (!e) e = range(&m, "length out-pointer", args, 4, 4, &len_out);
  if (!e) e = store_key(v, &m, args, &key);
  if (!e) {
    size_t n = 0;
    char *why = NULL;
    char *value = rocksdb_get(v->store->db, v->store->read, (const char *)key.data, key.len, &n,
                              &why);
    if (why) res[0].of.i32 = status_of(why);
    else if (!value) res[0].of.i32 = KV_NOT_FOUND;
    else res[0].of.i32 = give(buf, arg_u32(args, 3), len_out, value, n) ? KV_OK : KV_BUFFER_TOO_SMALL;
    rocksdb_free(value);
  }
  hm_buf_free(&key);
  return e;
}

/* put and delete: the key at args[0..1] and, for put, the value at args[2..3]. */
static wl_error *kv_write(kv_view *v, wl_caller *caller, const char *fn, bool put,
                          const wl_val *args, wl_val *res) {
  hm_mem m;
  hm_buf key = {0};
  uint8_t *value = NULL;
  wl_error *e = hm_mem_of(caller, fn, &m);
  if (!e && put) e = range(&m, "value", args, 2, arg_u32(args, 3), &value);
  if (!e) e = store_key(v, &m, args, &key);
  if (!e) {
    char *why = NULL;
    const char *k = (const char *)key.data;
    if (v->write && put)
      rocksdb_put(v->store->db, v->store->write, k, key.len, (const char *)value,
                  arg_u32(args, 3), &why);
    else if (v->write)
      rocksdb_delete(v->store->db, v->store->write, k, key.len, &why);
    res[0].of.i32 = v->write ? status_of(why) : KV_READ_ONLY;
  }
  hm_buf_free(&key);
  return e;
}

static wl_error *kv_put(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  return kv_write(ud, caller, MODULE ".put", true, args, res);
}

static wl_error *kv_delete(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  return kv_write(ud, caller, MODULE ".delete", false, args, res);
}

static wl_error *kv_scan_open_fn(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  hm_mem m;
  uint8_t *prefix, *handle_out;
  wl_error *e = hm_mem_of(caller, MODULE ".scan_open", &m);
  if (!e) e = range(&m, "prefix", args, 0, arg_u32(args, 1), &prefix);
  if (!e) e = range(&m, "handle out-pointer", args, 2, 4, &handle_out);
  if (e) return e;
  uint32_t handle = 0;
  res[0].of.i32 = kv_scan_open(ud, prefix, arg_u32(args, 1), &handle);
  if (res[0].of.i32 == KV_OK) hm_put_u32(handle_out, handle);
  return NULL;
}

/* The current entry of an open scan, if it still has the scan's prefix. */
static bool scan_entry(kv_scan *s, const kv_view *v, const char **k, size_t *kn, const char **val,
                       size_t *vn) {
  if (!rocksdb_iter_valid(s->it)) return false;
  *k = rocksdb_iter_key(s->it, kn);
  if (*kn < s->prefix.len || memcmp(*k, s->prefix.data, s->prefix.len) != 0) return false;
  *k += v->ns.len;  /* the guest sees its own key, without the namespace */
  *kn -= v->ns.len;
  *val = rocksdb_iter_value(s->it, vn);
  return true;
}

static wl_error *kv_scan_next_fn(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  kv_view *v = ud;
  hm_mem m;
  uint8_t *kbuf, *klen, *vbuf, *vlen;
  wl_error *e = hm_mem_of(caller, MODULE ".scan_next", &m);
  if (!e) e = range(&m, "key buffer", args, 1, arg_u32(args, 2), &kbuf);
  if (!e) e = range(&m, "key length out-pointer", args, 3, 4, &klen);
  if (!e) e = range(&m, "value buffer", args, 4, arg_u32(args, 5), &vbuf);
  if (!e) e = range(&m, "value length out-pointer", args, 6, 4, &vlen);
  if (e) return e;
  kv_scan *s = kv_scan_get(v, arg_u32(args, 0));
  const char *k, *val;
  size_t kn, vn;
  char *why = NULL;
  if (!s) {
    res[0].of.i32 = KV_BAD_HANDLE;
  } else if (!scan_entry(s, v, &k, &kn, &val, &vn)) {
    rocksdb_iter_get_error(s->it, &why);
    res[0].of.i32 = why ? status_of(why) : KV_NOT_FOUND;
  } else {
    bool fits = give(kbuf, arg_u32(args, 2), klen, k, kn);
    fits = give(vbuf, arg_u32(args, 5), vlen, val, vn) && fits;
    res[0].of.i32 = fits ? KV_OK : KV_BUFFER_TOO_SMALL;
    if (fits) rocksdb_iter_next(s->it);  /* too small: the guest retries the same entry */
  }
  return NULL;
}

static wl_error *kv_scan_close_fn(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)caller;
  kv_scan *s = kv_scan_get(ud, arg_u32(args, 0));
  if (s) kv_scan_release(s);
  res[0].of.i32 = s ? KV_OK : KV_BAD_HANDLE;
  return NULL;
}

/* A store operation costs more fuel than an instruction; a few tens of them is a fair guess
 * at its price relative to interpreted code. */
static const hm_func kv_funcs[] = {
    {"get", "iiiii", "i", kv_get, 20},
    {"put", "iiii", "i", kv_put, 20},
    {"delete", "ii", "i", kv_delete, 20},
    {"scan_open", "iii", "i", kv_scan_open_fn, 20},
    {"scan_next", "iiiiiii", "i", kv_scan_next_fn, 10},
    {"scan_close", "i", "i", kv_scan_close_fn, 1},
};

wl_error *kv_define(wl_linker *l, kv_view *v) {
  return hm_define(l, MODULE, kv_funcs, sizeof kv_funcs / sizeof kv_funcs[0], v);
}
