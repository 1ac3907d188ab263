/* fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell: data transfer through guest iovecs,
 * each checked against the caller's memory before the host call. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "engine/wasi/wasi.h"

typedef enum { TRANSFER_READ, TRANSFER_WRITE } transfer_dir;

/* One read or write, positioned when `offset` is non-negative; stores the byte count. */
static uint16_t transfer(wasi_ctx *c, uint32_t fd, transfer_dir dir, uint32_t iovs,
                         uint32_t iovs_len, int64_t offset, uint32_t count_ptr) {
  uint64_t rights = dir == TRANSFER_READ ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE;
  if (offset >= 0) rights |= WASI_RIGHT_FD_SEEK;
  wasi_fd *f;
  uint16_t err = wasi_fd_get(c->wasi, fd, rights, &f);
  if (err) return err;
  if (f->filetype == WASI_FILETYPE_DIRECTORY) return WASI_EISDIR;
  if (!wasi_mem_range(c, count_ptr, 4)) return WASI_EFAULT;
  struct iovec *v;
  int n;
  if ((err = wasi_iovecs(c, iovs, iovs_len, &v, &n))) return err;
  ssize_t done;
  if (dir == TRANSFER_READ)
    done = offset >= 0 ? preadv(f->host, v, n, offset) : readv(f->host, v, n);
  else
    done = offset >= 0 ? pwritev(f->host, v, n, offset) : writev(f->host, v, n);
  int saved = errno;
  free(v);
  if (done < 0) return wasi_errno_from_host(saved);
  wasi_store_u32(c, count_ptr, (uint32_t)done);
  return WASI_ESUCCESS;
}

static uint16_t fd_read(wasi_ctx *c, const wl_val *a) {
  return transfer(c, wasi_arg_u32(a, 0), TRANSFER_READ, wasi_arg_u32(a, 1), wasi_arg_u32(a, 2),
                  -1, wasi_arg_u32(a, 3));
}

static uint16_t fd_write(wasi_ctx *c, const wl_val *a) {
  return transfer(c, wasi_arg_u32(a, 0), TRANSFER_WRITE, wasi_arg_u32(a, 1), wasi_arg_u32(a, 2),
                  -1, wasi_arg_u32(a, 3));
}

static uint16_t positioned(wasi_ctx *c, const wl_val *a, transfer_dir dir) {
  uint64_t offset = wasi_arg_u64(a, 3);
  if (offset > INT64_MAX) return WASI_EINVAL;
  return transfer(c, wasi_arg_u32(a, 0), dir, wasi_arg_u32(a, 1), wasi_arg_u32(a, 2),
                  (int64_t)offset, wasi_arg_u32(a, 4));
}

static uint16_t fd_pread(wasi_ctx *c, const wl_val *a) { return positioned(c, a, TRANSFER_READ); }
static uint16_t fd_pwrite(wasi_ctx *c, const wl_val *a) { return positioned(c, a, TRANSFER_WRITE); }

static uint16_t seek(wasi_ctx *c, uint32_t fd, int64_t offset, uint8_t whence, uint32_t out) {
  static const int host_whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  if (whence > WASI_WHENCE_END) return WASI_EINVAL;
  /* Asking for the current position is a tell, which needs only that right. */
  bool tell_only = offset == 0 && whence == WASI_WHENCE_CUR;
  wasi_fd *f;
  uint16_t err = wasi_fd_get(c->wasi, fd, tell_only ? WASI_RIGHT_FD_TELL : WASI_RIGHT_FD_SEEK, &f);
  if (err) return err;
  if (!wasi_mem_range(c, out, 8)) return WASI_EFAULT;
  off_t pos = lseek(f->host, offset, host_whence[whence]);
  if (pos < 0) return wasi_errno_from_host(errno);
  wasi_store_u64(c, out, (uint64_t)pos);
  return WASI_ESUCCESS;
}

static uint16_t fd_seek(wasi_ctx *c, const wl_val *a) {
  return seek(c, wasi_arg_u32(a, 0), (int64_t)wasi_arg_u64(a, 1), (uint8_t)wasi_arg_u32(a, 2),
              wasi_arg_u32(a, 3));
}

static uint16_t fd_tell(wasi_ctx *c, const wl_val *a) {
  return seek(c, wasi_arg_u32(a, 0), 0, WASI_WHENCE_CUR, wasi_arg_u32(a, 1));
}

const wasi_def wasi_fd_io_defs[] = {
    {"fd_read", "iiii", fd_read, false},
    {"fd_write", "iiii", fd_write, false},
    {"fd_pread", "iiiIi", fd_pread, false},
    {"fd_pwrite", "iiiIi", fd_pwrite, false},
    {"fd_seek", "iIii", fd_seek, false},
    {"fd_tell", "ii", fd_tell, false},
    {NULL, NULL, NULL, false},
};
