/* Path resolution that never leaves a preopened directory.
 *
 * Two walls: (1) a lexical check refuses absolute paths and `..` that climbs above the start
 * directory before any system call; (2) every lookup goes through openat2(RESOLVE_BENEATH),
 * where the kernel refuses any step -- `..` or a symlink, relative or absolute -- that would
 * leave the directory (EXDEV, reported as WASI_ENOTCAPABLE). Operations on the last component
 * use the *at() calls on its parent, which do not follow a final symlink.
 * Where openat2 is missing (Linux < 5.6) a component-by-component walk with O_NOFOLLOW takes
 * over; it follows no symlink at all, which is stricter but equally safe. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/wasi/wasi.h"

uint16_t wasi_resolve_errno(int host_errno) {
  return host_errno == EXDEV ? WASI_ENOTCAPABLE : wasi_errno_from_host(host_errno);
}

/* Lexical wall: no absolute path, no `..` below depth 0. */
static uint16_t check_lexically(const char *path) {
  if (path[0] == '/') return WASI_ENOTCAPABLE;
  long depth = 0;
  for (const char *p = path; *p;) {
    size_t n = strcspn(p, "/");
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      if (--depth < 0) return WASI_ENOTCAPABLE;
    } else if (n > 0 && !(n == 1 && p[0] == '.')) {
      depth++;
    }
    p += n;
    while (*p == '/') p++;
  }
  return WASI_ESUCCESS;
}

uint16_t wasi_string_copy(const wasi_ctx *c, uint32_t ptr, uint32_t len, char **out) {
  const uint8_t *src = wasi_mem_range(c, ptr, len);
  if (!src) return WASI_EFAULT;
  if (len >= 4096) return WASI_ENAMETOOLONG;
  if (len == 0) return WASI_ENOENT;
  if (memchr(src, 0, len)) return WASI_EINVAL;
  char *copy = malloc(len + 1);
  if (!copy) return WASI_ENOMEM;
  memcpy(copy, src, len);
  copy[len] = 0;
  *out = copy;
  return WASI_ESUCCESS;
}

uint16_t wasi_path_copy(const wasi_ctx *c, uint32_t path, uint32_t len, char **out) {
  uint16_t err = wasi_string_copy(c, path, len, out);
  if (err) return err;
  if ((err = check_lexically(*out))) {
    free(*out);
    *out = NULL;
  }
  return err;
}

/* ---------------------------------------------------------------- opening beneath */

static bool openat2_missing;

/* Fallback walk: each intermediate component opened O_PATH|O_NOFOLLOW, `..` resolved
 * lexically (check_lexically already proved it stays inside). */
static int walk_open(int root, const char *path, int flags, unsigned mode) {
  char *copy = strdup(path);
  if (!copy) return errno = ENOMEM, -1;
  char *parts[512];
  size_t n = 0;
  for (char *save = NULL, *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
    if (strcmp(t, ".") == 0) continue;
    if (strcmp(t, "..") == 0) { if (n) n--; continue; }
    if (n == sizeof parts / sizeof parts[0]) { free(copy); return errno = ENAMETOOLONG, -1; }
    parts[n++] = t;
  }
  int cur = root, fd = -1;
  for (size_t i = 0; i + 1 < n; i++) {
    int next = openat(cur, parts[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (cur != root) close(cur);
    if (next < 0) { free(copy); return -1; }
    cur = next;
  }
  fd = openat(cur, n ? parts[n - 1] : ".", flags | O_NOFOLLOW | O_CLOEXEC, mode);
  int saved = errno;
  if (cur != root) close(cur);
  free(copy);
  errno = saved;
  return fd;
}

int wasi_open_beneath(const wasi_fd *dir, const char *full, int flags, unsigned mode, bool follow) {
  if (!follow) flags |= O_NOFOLLOW;
  if (!openat2_missing) {
    struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
                           /* openat2 rejects a mode without O_CREAT; O_TMPFILE includes
                            * the O_DIRECTORY bit, hence the exact comparison. */
                           .mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? mode : 0,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long fd = syscall(SYS_openat2, dir->host, full, &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS) return (int)fd;
    openat2_missing = true;
  }
  return walk_open(dir->host, full, flags, mode);
}

/* ---------------------------------------------------------------- parent + last component */

static void split(wasi_path *p) {
  char *s = p->full;
  size_t end = strlen(s);
  while (end > 1 && s[end - 1] == '/') end--;  /* trailing slashes stay with the name */
  size_t slash = end;
  while (slash > 0 && s[slash - 1] != '/') slash--;
  p->name = s + slash;
  if (slash == 0) {
    p->parent = strdup(".");
  } else {
    p->parent = strndup(s, slash);
  }
}

uint16_t wasi_path_resolve(const wasi_ctx *c, const wasi_fd *dir, uint32_t path, uint32_t len,
                           wasi_path *out) {
  *out = (wasi_path){.dirfd = -1};
  uint16_t err = wasi_path_copy(c, path, len, &out->full);
  if (err) return err;
  split(out);
  if (!out->parent) {
    wasi_path_done(out);
    return WASI_ENOMEM;
  }
  out->dirfd = wasi_open_beneath(dir, out->parent, O_PATH | O_DIRECTORY, 0, true);
  if (out->dirfd < 0) {
    err = wasi_resolve_errno(errno);
    wasi_path_done(out);
    return err;
  }
  return WASI_ESUCCESS;
}

bool wasi_path_is_dot(const wasi_path *p) {
  size_t n = strcspn(p->name, "/");
  return (n == 1 && p->name[0] == '.') || (n == 2 && p->name[0] == '.' && p->name[1] == '.');
}

void wasi_path_done(wasi_path *p) {
  if (p->dirfd >= 0) close(p->dirfd);
  free(p->full);
  free(p->parent);
  *p = (wasi_path){.dirfd = -1};
}

/* ---------------------------------------------------------------- acting on an O_PATH fd */

static void proc_path(int fd, char *buf, size_t size) { snprintf(buf, size, "/proc/self/fd/%d", fd); }

int wasi_utimens_fd(int path_fd, const struct timespec times[2]) {
  if (utimensat(path_fd, "", times, AT_EMPTY_PATH) == 0) return 0;
  char p[64];
  proc_path(path_fd, p, sizeof p);  /* kernels before 5.8 lack AT_EMPTY_PATH here */
  return utimensat(AT_FDCWD, p, times, 0);
}

int wasi_link_fd(int path_fd, int new_dir, const char *new_name) {
  if (linkat(path_fd, "", new_dir, new_name, AT_EMPTY_PATH) == 0) return 0;
  if (errno == EEXIST) return -1;
  char p[64];
  proc_path(path_fd, p, sizeof p);  /* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc does not */
  return linkat(AT_FDCWD, p, new_dir, new_name, AT_SYMLINK_FOLLOW);
}
