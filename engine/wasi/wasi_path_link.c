/* path_link, path_rename, path_symlink, path_readlink: operations naming two paths, or a link's
 * contents. Each path is resolved beneath its own directory descriptor. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/wasi/wasi.h"

static uint16_t resolve_in(wasi_ctx *c, uint32_t fd, uint64_t right, uint32_t path, uint32_t len,
                           wasi_path *p) {
  wasi_fd *dir;
  uint16_t err = wasi_fd_get(c->wasi, fd, right, &dir);
  if (err) return err;
  if (dir->filetype != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
  return wasi_path_resolve(c, dir, path, len, p);
}

static uint16_t result_of(int r) { return r == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno); }

/* path_rename(fd, old_path, old_len, new_fd, new_path, new_len) */
static uint16_t path_rename(wasi_ctx *c, const wl_val *a) {
  wasi_path from, to;
  uint16_t err = resolve_in(c, wasi_arg_u32(a, 0), WASI_RIGHT_PATH_RENAME_SOURCE,
                            wasi_arg_u32(a, 1), wasi_arg_u32(a, 2), &from);
  if (err) return err;
  err = resolve_in(c, wasi_arg_u32(a, 3), WASI_RIGHT_PATH_RENAME_TARGET, wasi_arg_u32(a, 4),
                   wasi_arg_u32(a, 5), &to);
  if (!err) {
    if (wasi_path_is_dot(&from) || wasi_path_is_dot(&to)) err = WASI_EINVAL;
    else err = result_of(renameat(from.dirfd, from.name, to.dirfd, to.name));
    wasi_path_done(&to);
  }
  wasi_path_done(&from);
  return err;
}

/* With SYMLINK_FOLLOW the link target is resolved beneath the source directory first, so a
 * symlink pointing outside cannot be turned into a hard link to an outside file. */
static uint16_t link_source(wasi_ctx *c, const wl_val *a, int new_dir, const char *new_name) {
  wasi_fd *dir;
  uint16_t err = wasi_fd_get(c->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_PATH_LINK_SOURCE, &dir);
  if (err) return err;
  if (dir->filetype != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
  if (!(wasi_arg_u32(a, 1) & WASI_LOOKUP_SYMLINK_FOLLOW)) {
    wasi_path from;
    if ((err = wasi_path_resolve(c, dir, wasi_arg_u32(a, 2), wasi_arg_u32(a, 3), &from))) return err;
    err = result_of(linkat(from.dirfd, from.name, new_dir, new_name, 0));
    wasi_path_done(&from);
    return err;
  }
  char *full;
  if ((err = wasi_path_copy(c, wasi_arg_u32(a, 2), wasi_arg_u32(a, 3), &full))) return err;
  int fd = wasi_open_beneath(dir, full, O_PATH, 0, true);
  free(full);
  if (fd < 0) return wasi_resolve_errno(errno);
  err = result_of(wasi_link_fd(fd, new_dir, new_name));
  close(fd);
  return err;
}

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len) */
static uint16_t path_link(wasi_ctx *c, const wl_val *a) {
  wasi_path to;
  uint16_t err = resolve_in(c, wasi_arg_u32(a, 4), WASI_RIGHT_PATH_LINK_TARGET, wasi_arg_u32(a, 5),
                            wasi_arg_u32(a, 6), &to);
  if (err) return err;
  err = wasi_path_is_dot(&to) ? WASI_EEXIST : link_source(c, a, to.dirfd, to.name);
  wasi_path_done(&to);
  return err;
}

/* path_symlink(old_path, old_len, fd, new_path, new_len). The contents are only text, but an
 * absolute target is refused: it could never resolve inside the sandbox, and host tools
 * walking the preopen later would follow it out. */
static uint16_t path_symlink(wasi_ctx *c, const wl_val *a) {
  char *target;
  uint16_t err = wasi_string_copy(c, wasi_arg_u32(a, 0), wasi_arg_u32(a, 1), &target);
  if (err) return err;
  if (target[0] == '/') {
    free(target);
    return WASI_ENOTCAPABLE;
  }
  wasi_path p;
  err = resolve_in(c, wasi_arg_u32(a, 2), WASI_RIGHT_PATH_SYMLINK, wasi_arg_u32(a, 3),
                   wasi_arg_u32(a, 4), &p);
  if (!err) {
    err = wasi_path_is_dot(&p) ? WASI_EEXIST : result_of(symlinkat(target, p.dirfd, p.name));
    wasi_path_done(&p);
  }
  free(target);
  return err;
}

/* path_readlink(fd, path, path_len, buf, buf_len, bufused_ptr): the contents, cut to fit. */
static uint16_t path_readlink(wasi_ctx *c, const wl_val *a) {
  uint32_t buf_len = wasi_arg_u32(a, 4), used_ptr = wasi_arg_u32(a, 5);
  uint8_t *buf = wasi_mem_range(c, wasi_arg_u32(a, 3), buf_len);
  if (!buf || !wasi_mem_range(c, used_ptr, 4)) return WASI_EFAULT;
  wasi_path p;
  uint16_t err = resolve_in(c, wasi_arg_u32(a, 0), WASI_RIGHT_PATH_READLINK, wasi_arg_u32(a, 1),
                            wasi_arg_u32(a, 2), &p);
  if (err) return err;
  char target[4096];
  ssize_t n = readlinkat(p.dirfd, p.name, target, sizeof target);
  err = n < 0 ? wasi_errno_from_host(errno) : WASI_ESUCCESS;
  wasi_path_done(&p);
  if (err) return err;
  uint32_t copied = (uint64_t)n < buf_len ? (uint32_t)n : buf_len;
  memcpy(buf, target, copied);
  wasi_store_u32(c, used_ptr, copied);
  return WASI_ESUCCESS;
}

const wasi_def wasi_path_link_defs[] = {
    {"path_link", "iiiiiii", path_link, false},
    {"path_rename", "iiiiii", path_rename, false},
    {"path_symlink", "iiiii", path_symlink, false},
    {"path_readlink", "iiiiii", path_readlink, false},
    {NULL, NULL, NULL, false},
};
