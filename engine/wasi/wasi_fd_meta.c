/* Descriptor housekeeping: close, renumber, sync, advise, allocate, fdstat (type, flags,
 * rights) and filestat (size, times). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/wasi/wasi.h"

/* An open descriptor with `rights`, through which a host call returning -1/errno is made. */
#define WITH_FD(c, a, rights, f)                                  \
  wasi_fd *f;                                                     \
  do {                                                            \
    uint16_t err_ = wasi_fd_get((c)->wasi, wasi_arg_u32(a, 0), (rights), &f); \
    if (err_) return err_;                                        \
  } while (0)

static uint16_t host_result(int r) { return r == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno); }

static uint16_t fd_close(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, 0, f);
  wasi_fd_release(f);
  return WASI_ESUCCESS;
}

/* Moves `from` onto `to` (closing what `to` held); `from` becomes free. */
static uint16_t fd_renumber(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, 0, from);
  wasi_fd *to;
  uint16_t err = wasi_fd_get(c->wasi, wasi_arg_u32(a, 1), 0, &to);
  if (err) return err;
  if (from == to) return WASI_ESUCCESS;
  wasi_fd_release(to);
  *to = *from;
  *from = (wasi_fd){.host = -1};
  return WASI_ESUCCESS;
}

static uint16_t fd_datasync(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, WASI_RIGHT_FD_DATASYNC, f);
  return host_result(fdatasync(f->host));
}

static uint16_t fd_sync(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, WASI_RIGHT_FD_SYNC, f);
  return host_result(fsync(f->host));
}

static uint16_t fd_advise(wasi_ctx *c, const wl_val *a) {
  static const int advice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                               POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  WITH_FD(c, a, WASI_RIGHT_FD_ADVISE, f);
  uint32_t which = wasi_arg_u32(a, 3);
  if (which >= sizeof advice / sizeof advice[0]) return WASI_EINVAL;
  int r = posix_fadvise(f->host, (off_t)wasi_arg_u64(a, 1), (off_t)wasi_arg_u64(a, 2), advice[which]);
  return r == 0 ? WASI_ESUCCESS : wasi_errno_from_host(r);  /* posix_fadvise returns the errno */
}

static uint16_t fd_allocate(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, WASI_RIGHT_FD_ALLOCATE, f);
  uint64_t offset = wasi_arg_u64(a, 1), len = wasi_arg_u64(a, 2);
  if (offset > INT64_MAX || len > INT64_MAX - offset) return WASI_EINVAL;
  int r = posix_fallocate(f->host, (off_t)offset, (off_t)len);
  return r == 0 ? WASI_ESUCCESS : wasi_errno_from_host(r);
}

static uint16_t fdflags_of_host(int fl) {
  uint16_t flags = 0;
  if (fl & O_APPEND) flags |= WASI_FDFLAG_APPEND;
  if (fl & O_NONBLOCK) flags |= WASI_FDFLAG_NONBLOCK;
  /* On Linux O_SYNC includes the O_DSYNC bit, and O_RSYNC equals O_SYNC. */
  if ((fl & O_SYNC) == O_SYNC) flags |= WASI_FDFLAG_SYNC | WASI_FDFLAG_RSYNC;
  else if (fl & O_DSYNC) flags |= WASI_FDFLAG_DSYNC;
  return flags;
}

static uint16_t fd_fdstat_get(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, 0, f);
  uint8_t *p = wasi_mem_range(c, wasi_arg_u32(a, 1), 24);
  if (!p) return WASI_EFAULT;
  int fl = fcntl(f->host, F_GETFL);
  if (fl < 0) return wasi_errno_from_host(errno);
  for (int i = 0; i < 24; i++) p[i] = 0;
  p[0] = f->filetype;
  wasi_put_u16(p + 2, fdflags_of_host(fl));
  wasi_put_u64(p + 8, f->rights_base);
  wasi_put_u64(p + 16, f->rights_inheriting);
  return WASI_ESUCCESS;
}

/* Linux lets F_SETFL change only append and nonblock; the sync flags are fixed at open. */
static uint16_t fd_fdstat_set_flags(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, WASI_RIGHT_FD_FDSTAT_SET_FLAGS, f);
  uint32_t want = wasi_arg_u32(a, 1);
  if (want & ~(uint32_t)(WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK)) return WASI_ENOTSUP;
  int fl = fcntl(f->host, F_GETFL);
  if (fl < 0) return wasi_errno_from_host(errno);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (want & WASI_FDFLAG_APPEND) fl |= O_APPEND;
  if (want & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
  return host_result(fcntl(f->host, F_SETFL, fl));
}

/* Rights can only shrink. */
static uint16_t fd_fdstat_set_rights(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, 0, f);
  uint64_t base = wasi_arg_u64(a, 1), inheriting = wasi_arg_u64(a, 2);
  if ((base & ~f->rights_base) || (inheriting & ~f->rights_inheriting)) return WASI_ENOTCAPABLE;
  f->rights_base = base;
  f->rights_inheriting = inheriting;
  return WASI_ESUCCESS;
}

static uint64_t ns_of(const struct timespec *ts) {
  return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

uint16_t wasi_write_filestat(const wasi_ctx *c, uint32_t ptr, const struct stat *st) {
  uint8_t *p = wasi_mem_range(c, ptr, 64);
  if (!p) return WASI_EFAULT;
  for (int i = 0; i < 64; i++) p[i] = 0;
  wasi_put_u64(p + 0, (uint64_t)st->st_dev);
  wasi_put_u64(p + 8, (uint64_t)st->st_ino);
  p[16] = wasi_filetype_of_mode(st->st_mode);
  wasi_put_u64(p + 24, (uint64_t)st->st_nlink);
  wasi_put_u64(p + 32, (uint64_t)st->st_size);
  wasi_put_u64(p + 40, ns_of(&st->st_atim));
  wasi_put_u64(p + 48, ns_of(&st->st_mtim));
  wasi_put_u64(p + 56, ns_of(&st->st_ctim));
  return WASI_ESUCCESS;
}

static uint16_t fd_filestat_get(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, WASI_RIGHT_FD_FILESTAT_GET, f);
  struct stat st;
  if (fstat(f->host, &st) != 0) return wasi_errno_from_host(errno);
  return wasi_write_filestat(c, wasi_arg_u32(a, 1), &st);
}

static uint16_t fd_filestat_set_size(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, WASI_RIGHT_FD_FILESTAT_SET_SIZE, f);
  uint64_t size = wasi_arg_u64(a, 1);
  if (size > INT64_MAX) return WASI_EINVAL;
  return host_result(ftruncate(f->host, (off_t)size));
}

static uint16_t one_time(uint64_t ns, bool set, bool now, struct timespec *out) {
  if (set && now) return WASI_EINVAL;
  if (now) *out = (struct timespec){.tv_nsec = UTIME_NOW};
  else if (set) *out = (struct timespec){.tv_sec = (time_t)(ns / 1000000000u),
                                         .tv_nsec = (long)(ns % 1000000000u)};
  else *out = (struct timespec){.tv_nsec = UTIME_OMIT};
  return WASI_ESUCCESS;
}

uint16_t wasi_times(uint64_t atim, uint64_t mtim, uint16_t fst, struct timespec times[2]) {
  if (fst & ~(uint16_t)15) return WASI_EINVAL;
  uint16_t err = one_time(atim, fst & WASI_FST_ATIM, fst & WASI_FST_ATIM_NOW, &times[0]);
  if (!err) err = one_time(mtim, fst & WASI_FST_MTIM, fst & WASI_FST_MTIM_NOW, &times[1]);
  return err;
}

static uint16_t fd_filestat_set_times(wasi_ctx *c, const wl_val *a) {
  WITH_FD(c, a, WASI_RIGHT_FD_FILESTAT_SET_TIMES, f);
  struct timespec times[2];
  uint16_t err = wasi_times(wasi_arg_u64(a, 1), wasi_arg_u64(a, 2), (uint16_t)wasi_arg_u32(a, 3), times);
  if (err) return err;
  return host_result(futimens(f->host, times));
}

const wasi_def wasi_fd_meta_defs[] = {
    {"fd_close", "i", fd_close, false},
    {"fd_renumber", "ii", fd_renumber, false},
    {"fd_datasync", "i", fd_datasync, false},
    {"fd_sync", "i", fd_sync, false},
    {"fd_advise", "iIIi", fd_advise, false},
    {"fd_allocate", "iII", fd_allocate, false},
    {"fd_fdstat_get", "ii", fd_fdstat_get, false},
    {"fd_fdstat_set_flags", "ii", fd_fdstat_set_flags, false},
    {"fd_fdstat_set_rights", "iII", fd_fdstat_set_rights, false},
    {"fd_filestat_get", "ii", fd_filestat_get, false},
    {"fd_filestat_set_size", "iI", fd_filestat_set_size, false},
    {"fd_filestat_set_times", "iIIi", fd_filestat_set_times, false},
    {NULL, NULL, NULL, false},
};
