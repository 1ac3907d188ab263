/* path_open, path_create_directory, path_remove_directory, path_unlink_file,
 * path_filestat_get, path_filestat_set_times: everything relative to a directory descriptor
 * and resolved by wasi_resolve.c, so nothing reaches outside a preopen. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/wasi/wasi.h"

/* A directory fd with `rights`, and the guest path (arguments `pi`, `pi+1`) resolved in it. */
static uint16_t dir_and_path(wasi_ctx *c, uint32_t fd, uint64_t rights, uint32_t path,
                             uint32_t len, wasi_fd **dir, wasi_path *p) {
  uint16_t err = wasi_fd_get(c->wasi, fd, rights, dir);
  if (err) return err;
  if ((*dir)->filetype != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
  return wasi_path_resolve(c, *dir, path, len, p);
}

static uint16_t result_of(int r) { return r == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno); }

static uint16_t path_create_directory(wasi_ctx *c, const wl_val *a) {
  wasi_fd *dir;
  wasi_path p;
  uint16_t err = dir_and_path(c, wasi_arg_u32(a, 0), WASI_RIGHT_PATH_CREATE_DIRECTORY,
                              wasi_arg_u32(a, 1), wasi_arg_u32(a, 2), &dir, &p);
  if (err) return err;
  err = wasi_path_is_dot(&p) ? WASI_EEXIST : result_of(mkdirat(p.dirfd, p.name, 0777));
  wasi_path_done(&p);
  return err;
}

static uint16_t remove_entry(wasi_ctx *c, const wl_val *a, uint64_t right, int flags) {
  wasi_fd *dir;
  wasi_path p;
  uint16_t err = dir_and_path(c, wasi_arg_u32(a, 0), right, wasi_arg_u32(a, 1),
                              wasi_arg_u32(a, 2), &dir, &p);
  if (err) return err;
  err = wasi_path_is_dot(&p) ? WASI_EINVAL : result_of(unlinkat(p.dirfd, p.name, flags));
  wasi_path_done(&p);
  return err;
}

static uint16_t path_remove_directory(wasi_ctx *c, const wl_val *a) {
  return remove_entry(c, a, WASI_RIGHT_PATH_REMOVE_DIRECTORY, AT_REMOVEDIR);
}

static uint16_t path_unlink_file(wasi_ctx *c, const wl_val *a) {
  return remove_entry(c, a, WASI_RIGHT_PATH_UNLINK_FILE, 0);
}

/* An O_PATH descriptor for the whole path beneath the fd in argument 0, with lookup flags in
 * argument 1 and the path in arguments 2, 3. */
static uint16_t open_path_fd(wasi_ctx *c, const wl_val *a, uint64_t right, int *out) {
  wasi_fd *dir;
  uint16_t err = wasi_fd_get(c->wasi, wasi_arg_u32(a, 0), right, &dir);
  if (err) return err;
  if (dir->filetype != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
  char *full;
  if ((err = wasi_path_copy(c, wasi_arg_u32(a, 2), wasi_arg_u32(a, 3), &full))) return err;
  bool follow = wasi_arg_u32(a, 1) & WASI_LOOKUP_SYMLINK_FOLLOW;
  *out = wasi_open_beneath(dir, full, O_PATH, 0, follow);
  err = *out < 0 ? wasi_resolve_errno(errno) : WASI_ESUCCESS;
  free(full);
  return err;
}

static uint16_t path_filestat_get(wasi_ctx *c, const wl_val *a) {
  int fd;
  uint16_t err = open_path_fd(c, a, WASI_RIGHT_PATH_FILESTAT_GET, &fd);
  if (err) return err;
  struct stat st;
  /* fstat on an O_PATH descriptor of a symlink describes the link itself. */
  err = fstat(fd, &st) == 0 ? wasi_write_filestat(c, wasi_arg_u32(a, 4), &st)
                            : wasi_errno_from_host(errno);
  close(fd);
  return err;
}

static uint16_t path_filestat_set_times(wasi_ctx *c, const wl_val *a) {
  struct timespec times[2];
  uint16_t err = wasi_times(wasi_arg_u64(a, 4), wasi_arg_u64(a, 5), (uint16_t)wasi_arg_u32(a, 6),
                            times);
  if (err) return err;
  int fd;
  if ((err = open_path_fd(c, a, WASI_RIGHT_PATH_FILESTAT_SET_TIMES, &fd))) return err;
  err = result_of(wasi_utimens_fd(fd, times));
  close(fd);
  return err;
}

/* ---------------------------------------------------------------- path_open */

typedef struct {
  uint32_t dirflags, oflags, fdflags;
  uint64_t base, inheriting;
} open_request;

/* The host access mode follows the rights asked for, O_DIRECTORY or not: a directory opened
 * with a right to write fails as the kernel says (EISDIR), never silently read-only. */
static int host_open_flags(const open_request *r) {
  bool read = r->base & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
  bool write = r->base & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE |
                          WASI_RIGHT_FD_FILESTAT_SET_SIZE);
  int flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (r->oflags & WASI_O_DIRECTORY) flags |= O_DIRECTORY;
  if (r->oflags & WASI_O_CREAT) flags |= O_CREAT;
  if (r->oflags & WASI_O_EXCL) flags |= O_EXCL;
  if (r->oflags & WASI_O_TRUNC) flags |= O_TRUNC;
  if (r->fdflags & WASI_FDFLAG_APPEND) flags |= O_APPEND;
  if (r->fdflags & WASI_FDFLAG_DSYNC) flags |= O_DSYNC;
  if (r->fdflags & WASI_FDFLAG_NONBLOCK) flags |= O_NONBLOCK;
  if (r->fdflags & WASI_FDFLAG_RSYNC) flags |= O_RSYNC;
  if (r->fdflags & WASI_FDFLAG_SYNC) flags |= O_SYNC;
  return flags;
}

/* What the directory must allow for this open. */
static uint64_t rights_needed(const open_request *r) {
  uint64_t need = WASI_RIGHT_PATH_OPEN;
  if (r->oflags & WASI_O_CREAT) need |= WASI_RIGHT_PATH_CREATE_FILE;
  if (r->oflags & WASI_O_TRUNC) need |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
  return need;
}

/* Requests that no file can satisfy, refused before touching the file system: O_DIRECTORY
 * with O_CREAT, O_EXCL or O_TRUNC (a directory is neither created nor truncated by path_open;
 * Linux before 6.4 would create a regular file), and bits outside the four oflags. */
static uint16_t check_oflags(uint32_t oflags) {
  uint32_t known = WASI_O_CREAT | WASI_O_DIRECTORY | WASI_O_EXCL | WASI_O_TRUNC;
  if (oflags & ~known) return WASI_EINVAL;
  if ((oflags & WASI_O_DIRECTORY) && (oflags & (WASI_O_CREAT | WASI_O_EXCL | WASI_O_TRUNC)))
    return WASI_EINVAL;
  return WASI_ESUCCESS;
}

/* A new descriptor's rights: what was asked, less what does not apply to its type (the only
 * reduction the spec allows); asking for an applicable right the directory may not hand down
 * is ENOTCAPABLE, as is an inheriting set beyond the directory's. */
static uint16_t granted_rights(const wasi_fd *dir, const open_request *r, uint8_t type,
                               uint64_t *base) {
  uint64_t fits = type == WASI_FILETYPE_DIRECTORY ? WASI_RIGHTS_DIRECTORY : WASI_RIGHTS_FILE;
  *base = r->base & fits;
  if ((*base & ~dir->rights_inheriting) || (r->inheriting & ~dir->rights_inheriting))
    return WASI_ENOTCAPABLE;
  return WASI_ESUCCESS;
}

static uint16_t open_entry(const wasi_fd *dir, const char *full, const open_request *r,
                           wasi_fd *entry) {
  int host = wasi_open_beneath(dir, full, host_open_flags(r), 0666,
                               r->dirflags & WASI_LOOKUP_SYMLINK_FOLLOW);
  if (host < 0) return wasi_resolve_errno(errno);
  uint8_t type = wasi_filetype_of_host(host);
  uint64_t base;
  uint16_t err = granted_rights(dir, r, type, &base);
  if (err) {
    close(host);
    return err;
  }
  *entry = (wasi_fd){.host = host, .owned = true, .filetype = type, .rights_base = base,
                     .rights_inheriting = r->inheriting};
  return WASI_ESUCCESS;
}

static uint16_t path_open(wasi_ctx *c, const wl_val *a) {
  open_request r = {.dirflags = wasi_arg_u32(a, 1), .oflags = wasi_arg_u32(a, 4),
                    .base = wasi_arg_u64(a, 5), .inheriting = wasi_arg_u64(a, 6),
                    .fdflags = wasi_arg_u32(a, 7)};
  uint32_t fd_ptr = wasi_arg_u32(a, 8);
  wasi_fd *dir;
  uint16_t err = wasi_fd_get(c->wasi, wasi_arg_u32(a, 0), rights_needed(&r), &dir);
  if (err) return err;
  if (dir->filetype != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
  if ((err = check_oflags(r.oflags))) return err;
  if (!wasi_mem_range(c, fd_ptr, 4)) return WASI_EFAULT;
  char *full;
  if ((err = wasi_path_copy(c, wasi_arg_u32(a, 2), wasi_arg_u32(a, 3), &full))) return err;
  wasi_fd entry;
  err = open_entry(dir, full, &r, &entry);
  free(full);
  if (err) return err;
  uint32_t fd;
  if ((err = wasi_fd_install(c->wasi, entry, &fd))) {
    close(entry.host);
    return err;
  }
  wasi_store_u32(c, fd_ptr, fd);
  return WASI_ESUCCESS;
}

const wasi_def wasi_path_defs[] = {
    {"path_open", "iiiiiIIii", path_open, false},
    {"path_create_directory", "iii", path_create_directory, false},
    {"path_remove_directory", "iii", path_remove_directory, false},
    {"path_unlink_file", "iii", path_unlink_file, false},
    {"path_filestat_get", "iiiii", path_filestat_get, false},
    {"path_filestat_set_times", "iiiiIIi", path_filestat_set_times, false},
    {NULL, NULL, NULL, false},
};
