/* The wast2json conversion cache: a second run of the same .wast file with the same flags
 * converts nothing. Keys hash the file's bytes and the flags (not its path or time), so an
 * edited file or a changed feature set gets a new entry and a stale one is never used. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spectest/spectest.h"

#define MAX_FLAGS 32
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t k = 0; k < n; k++) h = (h ^ p[k]) * FNV_PRIME;
  return h;
}

static bool hash_file(const char *path, uint64_t *h) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  unsigned char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) *h = fnv1a(*h, buf, n);
  bool ok = !ferror(f);
  fclose(f);
  return ok;
}

const char *st_cache_root(void) {
  const char *root = getenv("WASMLAB_WAST2JSON_CACHE");
  if (!root || !*root) return NULL;
  if (mkdir(root, 0700) != 0 && errno != EEXIST) return NULL;
  return root;
}

bool st_cache_entry(const char *root, const char *wast, uint32_t features, char *dir,
                    size_t size) {
  uint64_t h = FNV_OFFSET;
  if (!hash_file(wast, &h)) return false;
  char flags[MAX_FLAGS][64];
  size_t n = st_convert_flags(features, flags, MAX_FLAGS);
  for (size_t k = 0; k < n; k++) h = fnv1a(h, flags[k], strlen(flags[k]) + 1);
  const char *slash = strrchr(wast, '/');
  const char *name = slash ? slash + 1 : wast;
  size_t stem = strlen(name) > 5 ? strlen(name) - 5 : strlen(name);  /* without ".wast" */
  int w = snprintf(dir, size, "%s/%.*s-%016llx", root, (int)(stem > 200 ? 200 : stem), name,
                   (unsigned long long)h);
  return w > 0 && (size_t)w < size;
}

bool st_cache_publish(const char *tmp_dir, const char *entry) {
  char err[PATH_MAX + 32];
  snprintf(err, sizeof err, "%s/wast2json.stderr", tmp_dir);
  unlink(err);
  if (rename(tmp_dir, entry) == 0) return true;
  if (errno != EEXIST && errno != ENOTEMPTY) return false;
  /* Another run published the same entry first: theirs is as good as ours. */
  st_remove_folder(tmp_dir);
  return true;
}
