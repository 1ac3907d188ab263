/* wasi_snapshot_preview1, internal to engine/wasi/: the wl_wasi state, the guest's fd table,
 * guest memory access with bounds checks, and the ABI constants (numbers from the witx spec).
 *
 * Every host function returns a WASI errno (uint16_t); only proc_exit returns an engine error.
 * Guest pointers are never dereferenced unchecked: all access goes through wasi_mem_*. */
#ifndef WL_WASI_WASI_H
#define WL_WASI_WASI_H
#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine/include/wasmlab.h"

/* ---------------------------------------------------------------- errno (subset we produce) */
enum {
  WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EAGAIN = 6, WASI_EBADF = 8,
  WASI_EEXIST = 20, WASI_EFAULT = 21, WASI_EINVAL = 28, WASI_EIO = 29, WASI_EISDIR = 31,
  WASI_ELOOP = 32, WASI_ENAMETOOLONG = 37, WASI_ENOENT = 44, WASI_ENOMEM = 48,
  WASI_ENOSYS = 52, WASI_ENOTDIR = 54, WASI_ENOTEMPTY = 55, WASI_ENOTSOCK = 57, WASI_ENOTSUP = 58,
  WASI_EOVERFLOW = 61, WASI_EPERM = 63, WASI_ESPIPE = 70, WASI_EXDEV = 75, WASI_ENOTCAPABLE = 76,
};

/* Translates a host errno value to the WASI one (WASI_EIO for anything unknown). */
uint16_t wasi_errno_from_host(int host_errno);

/* ---------------------------------------------------------------- ABI constants */
enum {
  WASI_FILETYPE_UNKNOWN = 0, WASI_FILETYPE_BLOCK_DEVICE = 1, WASI_FILETYPE_CHARACTER_DEVICE = 2,
  WASI_FILETYPE_DIRECTORY = 3, WASI_FILETYPE_REGULAR_FILE = 4, WASI_FILETYPE_SOCKET_DGRAM = 5,
  WASI_FILETYPE_SOCKET_STREAM = 6, WASI_FILETYPE_SYMBOLIC_LINK = 7,
};
enum { WASI_FDFLAG_APPEND = 1, WASI_FDFLAG_DSYNC = 2, WASI_FDFLAG_NONBLOCK = 4,
       WASI_FDFLAG_RSYNC = 8, WASI_FDFLAG_SYNC = 16 };
enum { WASI_O_CREAT = 1, WASI_O_DIRECTORY = 2, WASI_O_EXCL = 4, WASI_O_TRUNC = 8 };
enum { WASI_LOOKUP_SYMLINK_FOLLOW = 1 };
enum { WASI_FST_ATIM = 1, WASI_FST_ATIM_NOW = 2, WASI_FST_MTIM = 4, WASI_FST_MTIM_NOW = 8 };
enum { WASI_WHENCE_SET = 0, WASI_WHENCE_CUR = 1, WASI_WHENCE_END = 2 };

#define WASI_RIGHT(n) ((uint64_t)1 << (n))
#define WASI_RIGHT_FD_DATASYNC WASI_RIGHT(0)
#define WASI_RIGHT_FD_READ WASI_RIGHT(1)
#define WASI_RIGHT_FD_SEEK WASI_RIGHT(2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS WASI_RIGHT(3)
#define WASI_RIGHT_FD_SYNC WASI_RIGHT(4)
#define WASI_RIGHT_FD_TELL WASI_RIGHT(5)
#define WASI_RIGHT_FD_WRITE WASI_RIGHT(6)
#define WASI_RIGHT_FD_ADVISE WASI_RIGHT(7)
#define WASI_RIGHT_FD_ALLOCATE WASI_RIGHT(8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY WASI_RIGHT(9)
#define WASI_RIGHT_PATH_CREATE_FILE WASI_RIGHT(10)
#define WASI_RIGHT_PATH_LINK_SOURCE WASI_RIGHT(11)
#define WASI_RIGHT_PATH_LINK_TARGET WASI_RIGHT(12)
#define WASI_RIGHT_PATH_OPEN WASI_RIGHT(13)
#define WASI_RIGHT_FD_READDIR WASI_RIGHT(14)
#define WASI_RIGHT_PATH_READLINK WASI_RIGHT(15)
#define WASI_RIGHT_PATH_RENAME_SOURCE WASI_RIGHT(16)
#define WASI_RIGHT_PATH_RENAME_TARGET WASI_RIGHT(17)
#define WASI_RIGHT_PATH_FILESTAT_GET WASI_RIGHT(18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE WASI_RIGHT(19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES WASI_RIGHT(20)
#define WASI_RIGHT_FD_FILESTAT_GET WASI_RIGHT(21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE WASI_RIGHT(22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES WASI_RIGHT(23)
#define WASI_RIGHT_PATH_SYMLINK WASI_RIGHT(24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY WASI_RIGHT(25)
#define WASI_RIGHT_PATH_UNLINK_FILE WASI_RIGHT(26)
#define WASI_RIGHT_POLL_FD_READWRITE WASI_RIGHT(27)
#define WASI_RIGHT_SOCK_SHUTDOWN WASI_RIGHT(28)
#define WASI_RIGHT_SOCK_ACCEPT WASI_RIGHT(29)
#define WASI_RIGHTS_ALL (WASI_RIGHT(30) - 1)

/* Rights that make sense on a regular file / on a directory; a new descriptor gets the
 * intersection of what was asked, what the parent may hand down, and what fits its type. */
#define WASI_RIGHTS_FILE                                                                        \
  (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |                           \
   WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL | WASI_RIGHT_FD_WRITE | \
   WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_GET |                  \
   WASI_RIGHT_FD_FILESTAT_SET_SIZE | WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_DIRECTORY                                                                     \
  (WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_ADVISE |                   \
   WASI_RIGHT_PATH_CREATE_DIRECTORY | WASI_RIGHT_PATH_CREATE_FILE | WASI_RIGHT_PATH_LINK_SOURCE | \
   WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN | WASI_RIGHT_FD_READDIR |                   \
   WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_RENAME_SOURCE | WASI_RIGHT_PATH_RENAME_TARGET |     \
   WASI_RIGHT_PATH_FILESTAT_GET | WASI_RIGHT_PATH_FILESTAT_SET_SIZE |                             \
   WASI_RIGHT_PATH_FILESTAT_SET_TIMES | WASI_RIGHT_FD_FILESTAT_GET |                              \
   WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_PATH_SYMLINK | WASI_RIGHT_PATH_REMOVE_DIRECTORY | \
   WASI_RIGHT_PATH_UNLINK_FILE)

/* ---------------------------------------------------------------- state */

typedef struct {
  bool in_use;
  bool owned;            /* we close `host` on fd_close; stdio descriptors are borrowed */
  int host;              /* host descriptor */
  uint8_t filetype;      /* WASI_FILETYPE_* */
  uint64_t rights_base;
  uint64_t rights_inheriting;
  char *preopen_name;    /* guest path of a preopened directory, else NULL */
  DIR *dir;              /* lazily opened stream for fd_readdir (on a dup of `host`) */
} wasi_fd;

struct wl_wasi {
  char **args;
  size_t nargs;
  char **env;
  size_t nenv;
  wasi_fd *fds;
  uint32_t nfds;  /* entries allocated in `fds` */
  struct wasi_binding *bindings;  /* one per defined host function (see wasi.c) */
  size_t nbindings;
};

/* One host call: the WASI state and the caller's linear memory (may be absent). */
typedef struct {
  wl_wasi *wasi;
  uint8_t *mem;
  uint64_t mem_size;
  bool exit_requested;  /* set by proc_exit: the call unwinds with wl_exit_new(exit_code) */
  int exit_code;
} wasi_ctx;

/* ---------------------------------------------------------------- guest memory */

/* A pointer to guest range [ptr, ptr+len), or NULL when it does not fit in memory. */
uint8_t *wasi_mem_range(const wasi_ctx *c, uint32_t ptr, uint64_t len);
/* Little-endian stores and loads; false when out of bounds. */
bool wasi_store_u8(const wasi_ctx *c, uint32_t ptr, uint8_t v);
bool wasi_store_u16(const wasi_ctx *c, uint32_t ptr, uint16_t v);
bool wasi_store_u32(const wasi_ctx *c, uint32_t ptr, uint32_t v);
bool wasi_store_u64(const wasi_ctx *c, uint32_t ptr, uint64_t v);
bool wasi_load_u16(const wasi_ctx *c, uint32_t ptr, uint16_t *v);
bool wasi_load_u32(const wasi_ctx *c, uint32_t ptr, uint32_t *v);
bool wasi_load_u64(const wasi_ctx *c, uint32_t ptr, uint64_t *v);
void wasi_put_u16(uint8_t *p, uint16_t v);
void wasi_put_u32(uint8_t *p, uint32_t v);
void wasi_put_u64(uint8_t *p, uint64_t v);

/* Guest iovec array -> host iovecs (bounded by IOV_MAX; extra entries are left off, which the
 * guest sees as a short transfer). Returns an errno; *out is malloc'd, free it. */
struct iovec;
uint16_t wasi_iovecs(const wasi_ctx *c, uint32_t iovs, uint32_t iovs_len, struct iovec **out,
                     int *count);

/* ---------------------------------------------------------------- fd table */

/* The fd entry for `fd` if it is open and has every right in `rights`. */
uint16_t wasi_fd_get(wl_wasi *w, uint32_t fd, uint64_t rights, wasi_fd **out);
/* Installs a new entry in the lowest free slot (after the preopens); *fd gets its number. */
uint16_t wasi_fd_install(wl_wasi *w, wasi_fd entry, uint32_t *fd);
void wasi_fd_release(wasi_fd *f);  /* closes what it owns, marks the slot free */
/* WASI filetype of a host descriptor / stat mode. */
uint8_t wasi_filetype_of_mode(unsigned mode);
uint8_t wasi_filetype_of_host(int host_fd);

/* Shared by the fd_ and path_ variants (wasi_fd_meta.c). */
struct stat;

uint16_t wasi_write_filestat(const wasi_ctx *c, uint32_t ptr, const struct stat *st);
/* fd_filestat_set_times / path_filestat_set_times arguments -> utimensat's times[2]. */
uint16_t wasi_times(uint64_t atim, uint64_t mtim, uint16_t fst_flags, struct timespec times[2]);

/* ---------------------------------------------------------------- path resolution */

/* A guest path resolved beneath a directory descriptor: `dirfd` is an O_PATH descriptor of the
 * parent directory (close it with wasi_path_done) and `name` the last component, so the *at()
 * call that acts on it never follows a final symlink. `full` keeps the whole relative path for
 * operations that must follow a final symlink through the kernel's own beneath-check. */
typedef struct {
  int dirfd;
  char *full;        /* NUL-terminated copy of the guest path */
  const char *name;  /* last component, trailing slashes kept (the kernel checks them) */
  char *parent;      /* everything before `name`, or "." */
} wasi_path;

/* Copies a guest string of `len` bytes into a NUL-terminated host string (*out, malloc'd);
 * empty, NUL-containing or over-long strings are refused. */
uint16_t wasi_string_copy(const wasi_ctx *c, uint32_t ptr, uint32_t len, char **out);
/* Copies the guest path into a NUL-terminated host string (*out, malloc'd), refusing absolute
 * paths and `..` that climbs above the directory with WASI_ENOTCAPABLE. */
uint16_t wasi_path_copy(const wasi_ctx *c, uint32_t path, uint32_t len, char **out);
/* wasi_path_copy, then opens the path's parent directory beneath `dir`. */
uint16_t wasi_path_resolve(const wasi_ctx *c, const wasi_fd *dir, uint32_t path, uint32_t len,
                           wasi_path *out);
void wasi_path_done(wasi_path *p);
/* True when `p` names the directory itself ("." or ".." as last component): no entry to
 * create, remove or rename. */
bool wasi_path_is_dot(const wasi_path *p);
/* Opens `full` beneath `dir->host`, never escaping it: -1 with errno set on failure (EXDEV
 * for an escape attempt). `follow` follows a final symlink (again only beneath `dir`). */
int wasi_open_beneath(const wasi_fd *dir, const char *full, int flags, unsigned mode, bool follow);
/* Host errno of a beneath-resolution -> WASI errno (an escape becomes WASI_ENOTCAPABLE). */
uint16_t wasi_resolve_errno(int host_errno);
/* utimensat / linkat on what an O_PATH descriptor refers to. */
int wasi_utimens_fd(int path_fd, const struct timespec times[2]);
int wasi_link_fd(int path_fd, int new_dir, const char *new_name);

/* ---------------------------------------------------------------- host functions */

/* Each returns a WASI errno. Arguments are the wasm parameters in order. */
typedef uint16_t (*wasi_impl)(wasi_ctx *c, const wl_val *args);

typedef struct {
  const char *name;
  const char *params;   /* one letter per parameter: 'i' = i32, 'I' = i64 */
  wasi_impl impl;
  bool no_result;       /* proc_exit: no errno result, it never returns */
} wasi_def;

/* The tables of definitions each area file exports; NULL name ends a table. */
extern const wasi_def wasi_args_defs[];
extern const wasi_def wasi_clock_defs[];
extern const wasi_def wasi_fd_io_defs[];
extern const wasi_def wasi_fd_meta_defs[];
extern const wasi_def wasi_fd_dir_defs[];
extern const wasi_def wasi_path_defs[];
extern const wasi_def wasi_path_link_defs[];
extern const wasi_def wasi_poll_defs[];
extern const wasi_def wasi_sock_defs[];

static inline uint32_t wasi_arg_u32(const wl_val *args, int i) { return (uint32_t)args[i].of.i32; }
static inline uint64_t wasi_arg_u64(const wl_val *args, int i) { return (uint64_t)args[i].of.i64; }

#endif
