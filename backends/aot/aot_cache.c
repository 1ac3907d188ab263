/* The artifact cache: where it is, whether it is safe to use, opening artifacts without ever
 * blocking or following a link, and a size bound kept by least-recently-used eviction.
 *
 * Rules:
 * - The directory is $WASMLAB_CACHE_DIR, else $XDG_CACHE_HOME/wasmlab/aot, else
 *   ~/.cache/wasmlab/aot. It is used only when it is a directory owned by this user that only
 *   this user can write (a cache others can write is a way to make us dlopen their code);
 *   otherwise the backend compiles in memory and says so (aot_backend.c).
 * - An artifact is opened with O_NOFOLLOW | O_NONBLOCK and used only when fstat says it is a
 *   regular file: a FIFO, a device, a socket or a symlink at an artifact's path is refused
 *   without blocking, and the file that was checked is the one that is loaded (by its fd).
 * - Every hit sets the artifact's mtime, so mtime order is use order. After a store (the first
 *   of a process, then every 32nd: aot_backend.c keep_bound), the oldest artifacts are removed
 *   until the cache holds at most aot_cache_max_size() bytes.
 *   Only files named like artifacts (64 hex digits + ".so") and our own stale temporary files
 *   are ever counted or removed, so pointing the cache at a wrong folder deletes nothing else. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backends/aot/aot.h"

#define DEFAULT_MAX_SIZE (512ull << 20)
#define STALE_TEMP_SECONDS 3600  /* a temporary file this old belongs to a process that died */

static wl_error *make_dirs(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    int rc = mkdir(path, 0755);
    *p = '/';
    if (rc != 0 && errno != EEXIST)
      return wl_err(WL_ERR_IO, "cannot create %s: %s", path, strerror(errno));
  }
  if (mkdir(path, 0700) != 0 && errno != EEXIST)
    return wl_err(WL_ERR_IO, "cannot create %s: %s", path, strerror(errno));
  return NULL;
}

void aot_cache_location(char *out, size_t size) {
  const char *dir = getenv("WASMLAB_CACHE_DIR");
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  if (dir && *dir) snprintf(out, size, "%s", dir);
  else if (xdg && *xdg) snprintf(out, size, "%s/wasmlab/aot", xdg);
  else if (home && *home) snprintf(out, size, "%s/.cache/wasmlab/aot", home);
  else snprintf(out, size, "/tmp/wasmlab-aot-%d", (int)getuid());
}

wl_error *aot_cache_dir(char *out, size_t size) {
  aot_cache_location(out, size);
  wl_error *err = make_dirs(out);
  if (err) return err;
  struct stat st;
  if (stat(out, &st) != 0) return wl_err(WL_ERR_IO, "cannot stat %s: %s", out, strerror(errno));
  if (!S_ISDIR(st.st_mode)) return wl_err(WL_ERR_IO, "%s is not a directory", out);
  if (st.st_uid != geteuid()) return wl_err(WL_ERR_IO, "%s belongs to another user", out);
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return wl_err(WL_ERR_IO, "%s is writable by other users", out);
  if (access(out, W_OK | X_OK) != 0)
    return wl_err(WL_ERR_IO, "cannot write to %s: %s", out, strerror(errno));
  return NULL;
}

uint64_t aot_cache_max_size(void) {
  const char *text = getenv("WASMLAB_CACHE_MAX_SIZE");
  uint64_t n;
  if (text && *text && aot_parse_size(text, &n)) return n;
  return DEFAULT_MAX_SIZE;
}

bool aot_parse_size(const char *text, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(text, &end, 10);
  if (errno || end == text || text[0] == '-') return false;
  unsigned shift = 0;
  switch (*end) {
    case 'K': case 'k': shift = 10; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    default: break;
  }
  if (*end != '\0' || (shift && n > (~0ull >> shift))) return false;
  *out = (uint64_t)n << shift;
  return true;
}

wl_error *aot_open_artifact(const char *path, bool follow, int *fd, bool *absent) {
  *absent = false;
  *fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW));
  if (*fd < 0) {
    *absent = errno == ENOENT;
    if (errno == ELOOP) return wl_err(WL_ERR_IO, "aot artifact %s rejected: it is a symlink", path);
    return wl_err(WL_ERR_IO, "aot: cannot open the artifact %s: %s", path, strerror(errno));
  }
  struct stat st;
  if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(*fd);
    *fd = -1;
    return wl_err(WL_ERR_IO, "aot artifact %s rejected: it is not a regular file", path);
  }
  return NULL;
}

void aot_cache_touch(int fd) { (void)futimens(fd, NULL); }

/* ---------------------------------------------------------------- scanning and eviction */

typedef struct {
  char name[80];
  uint64_t bytes;
  struct timespec used;
} entry;

static bool is_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
  return true;
}

static bool is_artifact_name(const char *name) {
  return strlen(name) == 67 && is_hex(name, 64) && !strcmp(name + 64, ".so");
}

/* A temporary file of aot_backend.c / aot_artifact.c: "<artifact>.tmp<pid>[.<x>.o]". */
static bool is_temp_name(const char *name) {
  return strlen(name) > 71 && is_hex(name, 64) && !strncmp(name + 64, ".so.tmp", 7);
}

static int older_first(const void *a, const void *b) {
  const struct timespec *x = &((const entry *)a)->used, *y = &((const entry *)b)->used;
  if (x->tv_sec != y->tv_sec) return x->tv_sec < y->tv_sec ? -1 : 1;
  return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

static bool push(entry **list, size_t *n, size_t *cap, const char *name, const struct stat *st) {
  if (*n == *cap) {
    size_t grown = *cap ? *cap * 2 : 256;
    entry *e = realloc(*list, grown * sizeof *e);
    if (!e) return false;
    *list = e;
    *cap = grown;
  }
  entry *e = &(*list)[(*n)++];
  snprintf(e->name, sizeof e->name, "%s", name);
  e->bytes = (uint64_t)st->st_size;
  e->used = st->st_mtim;
  return true;
}

/* The artifacts in `dirfd`, oldest use first; removes stale temporary files on the way. */
static wl_error *list_artifacts(int dirfd, const char *dir, entry **out, size_t *count) {
  int scan_fd = dup(dirfd);
  DIR *d = scan_fd < 0 ? NULL : fdopendir(scan_fd);
  if (!d) {
    if (scan_fd >= 0) close(scan_fd);
    return wl_err(WL_ERR_IO, "cannot read %s: %s", dir, strerror(errno));
  }
  entry *list = NULL;
  size_t n = 0, cap = 0;
  time_t now = time(NULL);
  struct dirent *de;
  bool ok = true;
  while (ok && (de = readdir(d))) {
    struct stat st;
    bool artifact = is_artifact_name(de->d_name), temp = is_temp_name(de->d_name);
    if ((!artifact && !temp) || fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    if (temp && now - st.st_mtim.tv_sec > STALE_TEMP_SECONDS) unlinkat(dirfd, de->d_name, 0);
    else if (artifact) ok = push(&list, &n, &cap, de->d_name, &st);
  }
  closedir(d);
  if (!ok) {
    free(list);
    return wl_err(WL_ERR_RESOURCE, "out of memory");
  }
  qsort(list, n, sizeof *list, older_first);
  *out = list;
  *count = n;
  return NULL;
}

wl_error *aot_cache_prune(const char *dir, uint64_t max_bytes, aot_cache_stats *stats) {
  aot_cache_stats s = {0};
  int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0) return wl_err(WL_ERR_IO, "cannot open %s: %s", dir, strerror(errno));
  entry *list = NULL;
  size_t n = 0;
  wl_error *err = list_artifacts(dirfd, dir, &list, &n);
  if (!err) {
    for (size_t i = 0; i < n; i++) s.bytes += list[i].bytes;
    s.files = n;
    for (size_t i = 0; i < n && s.bytes > max_bytes; i++) {
      if (unlinkat(dirfd, list[i].name, 0) != 0) continue;
      s.bytes -= list[i].bytes;
      s.files--;
      s.removed_files++;
      s.removed_bytes += list[i].bytes;
    }
    free(list);
  }
  close(dirfd);
  if (stats) *stats = s;
  return err;
}

wl_error *aot_cache_stat(const char *dir, aot_cache_stats *stats) {
  return aot_cache_prune(dir, UINT64_MAX, stats);
}
