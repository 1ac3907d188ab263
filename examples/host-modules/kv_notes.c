/* kv_notes: a notebook in the wasmlab_kv store.
 *   kv_notes put KEY TEXT | get KEY | del KEY | list [PREFIX]
 * Build: clang-19 --target=wasm32-wasi -O2 -I examples/host-modules kv_notes.c -o kv_notes.wasm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmlab_kv.h"

static const char *status_name(int32_t s) {
  static const char *const names[] = {"ok", "not found", "buffer too small", "read-only",
                                      "bad handle", "too many scans", "store error"};
  return s >= 0 && s <= WASMLAB_KV_STORE_ERROR ? names[s] : "unknown status";
}

static int fail(const char *what, int32_t status) {
  fprintf(stderr, "kv_notes: %s: %s\n", what, status_name(status));
  return 1;
}

/* Prints a value, growing the buffer once if the first guess was too small. */
static int get(const char *key) {
  uint32_t len = 0, cap = 16;
  char *buf = malloc(cap);
  int32_t s = wasmlab_kv_get(key, strlen(key), buf, cap, &len);
  if (s == WASMLAB_KV_BUFFER_TOO_SMALL) {
    buf = realloc(buf, cap = len);
    s = wasmlab_kv_get(key, strlen(key), buf, cap, &len);
  }
  if (s == WASMLAB_KV_OK) printf("%.*s\n", (int)len, buf);
  free(buf);
  return s == WASMLAB_KV_OK ? 0 : fail(key, s);
}

static int list(const char *prefix) {
  uint32_t scan;
  int32_t s = wasmlab_kv_scan_open(prefix, strlen(prefix), &scan);
  if (s != WASMLAB_KV_OK) return fail("scan", s);
  char key[256], value[1024];
  uint32_t klen, vlen;
  while ((s = wasmlab_kv_scan_next(scan, key, sizeof key, &klen, value, sizeof value, &vlen)) ==
         WASMLAB_KV_OK)
    printf("%.*s: %.*s\n", (int)klen, key, (int)vlen, value);
  wasmlab_kv_scan_close(scan);
  return s == WASMLAB_KV_NOT_FOUND ? 0 : fail("scan", s);
}

int main(int argc, char **argv) {
  const char *cmd = argc > 1 ? argv[1] : "";
  int32_t s;
  if (!strcmp(cmd, "put") && argc == 4) {
    s = wasmlab_kv_put(argv[2], strlen(argv[2]), argv[3], strlen(argv[3]));
    return s == WASMLAB_KV_OK ? 0 : fail(argv[2], s);
  }
  if (!strcmp(cmd, "del") && argc == 3) {
    s = wasmlab_kv_delete(argv[2], strlen(argv[2]));
    return s == WASMLAB_KV_OK ? 0 : fail(argv[2], s);
  }
  if (!strcmp(cmd, "get") && argc == 3) return get(argv[2]);
  if (!strcmp(cmd, "list") && argc <= 3) return list(argc == 3 ? argv[2] : "");
  fprintf(stderr, "usage: kv_notes put KEY TEXT | get KEY | del KEY | list [PREFIX]\n");
  return 2;
}
