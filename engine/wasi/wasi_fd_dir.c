/* fd_prestat_get, fd_prestat_dir_name (how the guest discovers its preopened directories) and
 * fd_readdir (directory listing with resumable cookies). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/wasi/wasi.h"

static uint16_t preopen_of(wasi_ctx *c, uint32_t fd, wasi_fd **out) {
  uint16_t err = wasi_fd_get(c->wasi, fd, 0, out);
  if (err) return err;
  return (*out)->preopen_name ? WASI_ESUCCESS : WASI_EBADF;
}

static uint16_t fd_prestat_get(wasi_ctx *c, const wl_val *a) {
  wasi_fd *f;
  uint16_t err = preopen_of(c, wasi_arg_u32(a, 0), &f);
  if (err) return err;
  uint8_t *p = wasi_mem_range(c, wasi_arg_u32(a, 1), 8);
  if (!p) return WASI_EFAULT;
  memset(p, 0, 8);  /* tag 0: a directory */
  wasi_put_u32(p + 4, (uint32_t)strlen(f->preopen_name));
  return WASI_ESUCCESS;
}

static uint16_t fd_prestat_dir_name(wasi_ctx *c, const wl_val *a) {
  wasi_fd *f;
  uint16_t err = preopen_of(c, wasi_arg_u32(a, 0), &f);
  if (err) return err;
  size_t len = strlen(f->preopen_name);
  if (wasi_arg_u32(a, 2) < len) return WASI_ENAMETOOLONG;
  uint8_t *p = wasi_mem_range(c, wasi_arg_u32(a, 1), len);
  if (!p) return WASI_EFAULT;
  memcpy(p, f->preopen_name, len);  /* not NUL-terminated: the guest knows the length */
  return WASI_ESUCCESS;
}

/* The directory stream works on its own duplicate so closing it leaves `host` open. */
static uint16_t open_stream(wasi_fd *f) {
  if (f->dir) return WASI_ESUCCESS;
  int dup_fd = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dup_fd < 0) return wasi_errno_from_host(errno);
  if (!(f->dir = fdopendir(dup_fd))) {
    int saved = errno;
    close(dup_fd);
    return wasi_errno_from_host(saved);
  }
  return WASI_ESUCCESS;
}

static uint8_t entry_type(DIR *dir, const struct dirent *e) {
  switch (e->d_type) {
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_FIFO: return WASI_FILETYPE_UNKNOWN;
    default: {
      struct stat st;  /* some file systems do not fill d_type */
      if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return WASI_FILETYPE_UNKNOWN;
      return wasi_filetype_of_mode(st.st_mode);
    }
  }
}

/* Copies up to `room` bytes of `src`; returns how many were copied. */
static uint32_t copy_part(uint8_t *dst, const void *src, uint32_t len, uint32_t room) {
  uint32_t n = len < room ? len : room;
  memcpy(dst, src, n);
  return n;
}

/* Fills the buffer with (header, name) records from `cookie` on. A record that does not fit is
 * cut off: a full buffer tells the guest to call again with a bigger one or a later cookie. */
static uint16_t fd_readdir(wasi_ctx *c, const wl_val *a) {
  wasi_fd *f;
  uint16_t err = wasi_fd_get(c->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_READDIR, &f);
  if (err) return err;
  uint32_t len = wasi_arg_u32(a, 2), used_ptr = wasi_arg_u32(a, 4);
  uint64_t cookie = wasi_arg_u64(a, 3);
  uint8_t *buf = wasi_mem_range(c, wasi_arg_u32(a, 1), len);
  if (!buf || !wasi_mem_range(c, used_ptr, 4)) return WASI_EFAULT;
  if ((err = open_stream(f))) return err;
  if (cookie == 0) rewinddir(f->dir);
  else seekdir(f->dir, (long)cookie);  /* cookies are telldir() positions we handed out */
  uint32_t used = 0;
  struct dirent *e;
  while (used < len && (errno = 0, e = readdir(f->dir))) {
    uint8_t header[24] = {0};
    uint32_t namelen = (uint32_t)strlen(e->d_name);
    wasi_put_u64(header, (uint64_t)telldir(f->dir));
    wasi_put_u64(header + 8, (uint64_t)e->d_ino);
    wasi_put_u32(header + 16, namelen);
    header[20] = entry_type(f->dir, e);
    used += copy_part(buf + used, header, sizeof header, len - used);
    used += copy_part(buf + used, e->d_name, namelen, len - used);
  }
  if (used < len && errno) return wasi_errno_from_host(errno);
  wasi_store_u32(c, used_ptr, used);
  return WASI_ESUCCESS;
}

const wasi_def wasi_fd_dir_defs[] = {
    {"fd_prestat_get", "ii", fd_prestat_get, false},
    {"fd_prestat_dir_name", "iii", fd_prestat_dir_name, false},
    {"fd_readdir", "iiiIi", fd_readdir, false},
    {NULL, NULL, NULL, false},
};
