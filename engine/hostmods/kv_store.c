/* Opening and closing a RocksDB store, and granting namespaced views of it to linkers. Open
 * errors are translated into messages that say what happened (locked, corrupt, missing) with
 * RocksDB's own text after them. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/hostmods/kv.h"

/* RocksDB's words for a LOCK file held by another process, or by this one. */
static bool held_lock(const char *why) {
  return strstr(why, "lock hold by current process") ||
         (strstr(why, "While lock file") && strstr(why, "temporarily unavailable"));
}

static wl_error *open_error(const char *dir, char *why) {
  wl_error *e;
  if (held_lock(why))
    e = wl_error_new(WL_ERR_IO,
                     "kv: store %s is locked: a writer already has it open (RocksDB: %s)",
                     dir, why);
  else if (strncmp(why, "Corruption", 10) == 0)
    e = wl_error_new(WL_ERR_IO, "kv: store %s is corrupt (RocksDB: %s)", dir, why);
  else
    e = wl_error_new(WL_ERR_IO, "kv: cannot open store %s (RocksDB: %s)", dir, why);
  rocksdb_free(why);
  return e;
}

static bool is_directory(const char *dir) {
  struct stat st;
  return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

static wl_error *open_db(wl_kv_store *s, const char *dir) {
  char *why = NULL;
  rocksdb_options_set_create_if_missing(s->options, s->writable);
  rocksdb_options_set_keep_log_file_num(s->options, 2);
  if (s->writable) {
    s->db = rocksdb_open(s->options, dir, &why);
  } else {
    if (!is_directory(dir))
      return wl_error_new(WL_ERR_IO, "kv: no store at %s (a read-only instance cannot create "
                          "one; open it once with write access)", dir);
    s->db = rocksdb_open_for_read_only(s->options, dir, 0, &why);
  }
  return why ? open_error(dir, why) : NULL;
}

wl_error *wl_kv_store_open(const char *dir, bool writable, wl_kv_store **out) {
  if (!dir || !*dir || !out) return wl_error_new(WL_ERR_ARGUMENT, "kv: missing store directory");
  wl_error *loaded = kv_rocksdb_load();
  if (loaded) return loaded;
  wl_kv_store *s = calloc(1, sizeof *s);
  if (!s) return wl_error_new(WL_ERR_RESOURCE, "kv: out of memory");
  s->writable = writable;
  s->options = rocksdb_options_create();
  s->read = rocksdb_readoptions_create();
  s->write = rocksdb_writeoptions_create();
  wl_error *e = s->options && s->read && s->write ? open_db(s, dir)
                                                  : wl_error_new(WL_ERR_RESOURCE, "kv: out of memory");
  if (e) {
    wl_kv_store_close(s);
    return e;
  }
  *out = s;
  return NULL;
}

static void view_free(kv_view *v) {
  for (int i = 0; i < KV_MAX_SCANS; i++) kv_scan_release(&v->scans[i]);
  hm_buf_free(&v->ns);
  free(v);
}

void wl_kv_store_close(wl_kv_store *s) {
  if (!s) return;
  /* Iterators must go before the database. */
  while (s->views) {
    kv_view *next = s->views->next;
    view_free(s->views);
    s->views = next;
  }
  if (s->db) rocksdb_close(s->db);
  if (s->write) rocksdb_writeoptions_destroy(s->write);
  if (s->read) rocksdb_readoptions_destroy(s->read);
  if (s->options) rocksdb_options_destroy(s->options);
  free(s);
}

static bool namespace_ok(const char *ns) {
  size_t n = strlen(ns);
  if (n == 0 || n > KV_MAX_NAMESPACE) return false;
  for (size_t i = 0; i < n; i++) {
    char c = ns[i];
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!word && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

wl_error *wl_linker_define_kv(wl_linker *l, wl_kv_store *s, const char *ns, bool write) {
  if (!l || !s) return wl_error_new(WL_ERR_ARGUMENT, "kv: missing linker or store");
  if (!ns) ns = "default";
  if (!namespace_ok(ns))
    return wl_error_new(WL_ERR_ARGUMENT, "kv: namespace \"%s\" must be 1 to %d characters of "
                        "A-Z a-z 0-9 . _ -", ns, KV_MAX_NAMESPACE);
  if (write && !s->writable)
    return wl_error_new(WL_ERR_ARGUMENT, "kv: write access needs a store opened for writing");
  kv_view *v = calloc(1, sizeof *v);
  if (!v || !hm_buf_append(&v->ns, ns, strlen(ns) + 1)) {  /* the NUL is the separator */
    if (v) view_free(v);
    return wl_error_new(WL_ERR_RESOURCE, "kv: out of memory");
  }
  v->store = s;
  v->write = write;
  v->next = s->views;
  s->views = v;
  return kv_define(l, v);
}

bool kv_store_key(const kv_view *v, const uint8_t *key, size_t len, hm_buf *out) {
  out->len = 0;
  return hm_buf_append(out, v->ns.data, v->ns.len) && hm_buf_append(out, key, len);
}
