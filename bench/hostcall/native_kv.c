/* The same kv-put / kv-get loops as hostcall.c, natively against the RocksDB C API with the
 * options wasmlab_kv uses: the part of a guest's kv call that is the store itself.
 *   native_kv DIR N  ->  "<case> <calls> <total ns> <ns per call>" */
#include <rocksdb/c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The store key a wasmlab_kv view in namespace "default" writes for the guest key. */
static void make_key(uint32_t i, char key[16]) {
  memcpy(key, "default\0k", 9);
  for (int b = 0; b < 7; b++) key[9 + b] = (char)('a' + ((i >> (4 * b)) & 15));
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  uint32_t n = (uint32_t)atoi(argv[2]);
  rocksdb_options_t *o = rocksdb_options_create();
  rocksdb_options_set_create_if_missing(o, 1);
  rocksdb_options_set_keep_log_file_num(o, 2);
  char *err = NULL;
  rocksdb_t *db = rocksdb_open(o, argv[1], &err);
  if (err) return fprintf(stderr, "%s\n", err), 1;
  rocksdb_writeoptions_t *w = rocksdb_writeoptions_create();
  rocksdb_readoptions_t *r = rocksdb_readoptions_create();
  char key[16];
  int64_t t = now_ns();
  for (uint32_t i = 0; i < n; i++) {
    make_key(i, key);
    rocksdb_put(db, w, key, sizeof key, "value-0123456789", 16, &err);
    if (err) return 1;
  }
  int64_t put = now_ns() - t;
  t = now_ns();
  for (uint32_t i = 0; i < n; i++) {
    make_key((i * 2654435761u) % n, key);
    size_t len;
    char *v = rocksdb_get(db, r, key, sizeof key, &len, &err);
    if (!v || err) return 1;
    rocksdb_free(v);
  }
  int64_t get = now_ns() - t;
  printf("kv-put %u %lld %.1f\nkv-get %u %lld %.1f\n", n, (long long)put, (double)put / n, n,
         (long long)get, (double)get / n);
  rocksdb_readoptions_destroy(r);
  rocksdb_writeoptions_destroy(w);
  rocksdb_close(db);
  rocksdb_options_destroy(o);
  return 0;
}
