/* path_open with every combination of O_DIRECTORY, O_CREAT, O_TRUNC, O_EXCL and rights on a
 * file, a directory and a missing name, checked against WASI preview 1 (what the official suite
 * leaves out). argv[1] is a preopen's guest path; the preopen is fd 3. The rules:
 * - O_DIRECTORY: the target must be a directory (ENOTDIR, ENOENT when missing); it cannot be
 *   combined with O_CREAT, O_EXCL or O_TRUNC (EINVAL); with a right to write, EISDIR.
 * - no O_DIRECTORY on a directory: EISDIR with a right to write or with O_CREAT/O_TRUNC.
 * - O_CREAT|O_EXCL on anything that exists: EEXIST; O_EXCL alone is ignored (as in POSIX).
 * - O_CREAT needs PATH_CREATE_FILE and O_TRUNC PATH_FILESTAT_SET_SIZE on the directory; rights
 *   asked for the new descriptor beyond the directory's inheriting rights: ENOTCAPABLE; rights
 *   that do not apply to the type (FD_READDIR on a file, FD_SEEK on a directory) are dropped.
 * One "ok NAME" line per check; "FAIL NAME" lines and exit status 1 otherwise. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

enum { ROOT = 3 };
#define O_DIR __WASI_OFLAGS_DIRECTORY
#define O_CREAT_ __WASI_OFLAGS_CREAT
#define O_EXCL_ __WASI_OFLAGS_EXCL
#define O_TRUNC_ __WASI_OFLAGS_TRUNC
#define R_READ __WASI_RIGHTS_FD_READ
#define R_WRITE __WASI_RIGHTS_FD_WRITE
#define R_READDIR __WASI_RIGHTS_FD_READDIR
#define R_SEEK __WASI_RIGHTS_FD_SEEK
#define R_SET_SIZE __WASI_RIGHTS_FD_FILESTAT_SET_SIZE

static int failures, checks;

typedef struct {
  const char *name;
  const char *path;
  __wasi_oflags_t oflags;
  __wasi_rights_t base, inheriting;
  __wasi_errno_t want;
} open_case;

static __wasi_errno_t try_open(__wasi_fd_t dir, const open_case *t, __wasi_fd_t *fd) {
  return __wasi_path_open(dir, 0, t->path, t->oflags, t->base, t->inheriting, 0, fd);
}

static void check(const char *name, int ok, const char *detail) {
  checks++;
  if (ok) printf("ok %s\n", name);
  else printf("FAIL %s: %s\n", name, detail);
  failures += !ok;
}

static void run_case(__wasi_fd_t dir, const open_case *t) {
  __wasi_fd_t fd;
  __wasi_errno_t got = try_open(dir, t, &fd);
  char detail[96];
  snprintf(detail, sizeof detail, "errno %u, expected %u", got, t->want);
  check(t->name, got == t->want, detail);
  if (got == 0) (void)__wasi_fd_close(fd);
}

static const open_case on_root[] = {
    /* a directory */
    {"dir O_DIRECTORY no rights", "dir", O_DIR, 0, 0, 0},
    {"dir O_DIRECTORY read", "dir", O_DIR, R_READ, 0, 0},
    {"dir O_DIRECTORY readdir", "dir", O_DIR, R_READDIR, 0, 0},
    {"dir O_DIRECTORY write", "dir", O_DIR, R_WRITE, 0, __WASI_ERRNO_ISDIR},
    {"dir O_DIRECTORY read+write", "dir", O_DIR, R_READ | R_WRITE, 0, __WASI_ERRNO_ISDIR},
    {"dir O_DIRECTORY set_size", "dir", O_DIR, R_SET_SIZE, 0, __WASI_ERRNO_ISDIR},
    {"dir O_DIRECTORY|O_CREAT", "dir", O_DIR | O_CREAT_, 0, 0, __WASI_ERRNO_INVAL},
    {"dir O_DIRECTORY|O_EXCL", "dir", O_DIR | O_EXCL_, 0, 0, __WASI_ERRNO_INVAL},
    {"dir O_DIRECTORY|O_TRUNC", "dir", O_DIR | O_TRUNC_, 0, 0, __WASI_ERRNO_INVAL},
    {"dir O_DIRECTORY|O_CREAT|O_EXCL", "dir", O_DIR | O_CREAT_ | O_EXCL_, 0, 0,
     __WASI_ERRNO_INVAL},
    {"dir no flags read", "dir", 0, R_READ, 0, 0},
    {"dir no flags write", "dir", 0, R_WRITE, 0, __WASI_ERRNO_ISDIR},
    {"dir O_CREAT", "dir", O_CREAT_, R_READ, 0, __WASI_ERRNO_ISDIR},
    {"dir O_CREAT|O_EXCL", "dir", O_CREAT_ | O_EXCL_, R_READ, 0, __WASI_ERRNO_EXIST},
    {"dir O_TRUNC", "dir", O_TRUNC_, R_READ, 0, __WASI_ERRNO_ISDIR},
    {"dir O_EXCL alone", "dir", O_EXCL_, R_READ, 0, 0},
    {"dir/ trailing slash O_DIRECTORY", "dir/", O_DIR, R_READ, 0, 0},
    /* a regular file */
    {"file O_DIRECTORY", "file", O_DIR, R_READ, 0, __WASI_ERRNO_NOTDIR},
    {"file O_DIRECTORY|O_CREAT", "file", O_DIR | O_CREAT_, R_READ, 0, __WASI_ERRNO_INVAL},
    {"file read", "file", 0, R_READ, 0, 0},
    {"file read+write", "file", 0, R_READ | R_WRITE, 0, 0},
    {"file O_CREAT", "file", O_CREAT_, R_READ | R_WRITE, 0, 0},
    {"file O_CREAT|O_EXCL", "file", O_CREAT_ | O_EXCL_, R_WRITE, 0, __WASI_ERRNO_EXIST},
    {"file O_EXCL alone", "file", O_EXCL_, R_READ, 0, 0},
    {"file O_TRUNC write", "file", O_TRUNC_, R_WRITE, 0, 0},
    {"file/ trailing slash", "file/", 0, R_READ, 0, __WASI_ERRNO_NOTDIR},
    /* a name that does not exist */
    {"missing read", "missing", 0, R_READ, 0, __WASI_ERRNO_NOENT},
    {"missing O_DIRECTORY", "missing", O_DIR, 0, 0, __WASI_ERRNO_NOENT},
    {"missing O_TRUNC", "missing", O_TRUNC_, R_WRITE, 0, __WASI_ERRNO_NOENT},
    {"missing O_DIRECTORY|O_CREAT", "missing", O_DIR | O_CREAT_, 0, 0, __WASI_ERRNO_INVAL},
    {"unknown oflags bit", "file", 0x10, R_READ, 0, __WASI_ERRNO_INVAL},
};

/* Through a directory descriptor that may only open, list, and hand down FD_READ. */
static const open_case on_limited[] = {
    {"limited: read inner", "inner", 0, R_READ, 0, 0},
    {"limited: readdir on a file is dropped", "inner", 0, R_READ | R_READDIR, 0, 0},
    {"limited: write not inheritable", "inner", 0, R_WRITE, 0, __WASI_ERRNO_NOTCAPABLE},
    {"limited: inheriting beyond", "inner", 0, R_READ, R_WRITE, __WASI_ERRNO_NOTCAPABLE},
    {"limited: O_CREAT without PATH_CREATE_FILE", "new", O_CREAT_, R_READ, 0,
     __WASI_ERRNO_NOTCAPABLE},
    {"limited: O_TRUNC without PATH_FILESTAT_SET_SIZE", "inner", O_TRUNC_, R_READ, 0,
     __WASI_ERRNO_NOTCAPABLE},
};

static int setup(void) {
  __wasi_fd_t fd;
  __wasi_rights_t rw = R_READ | R_WRITE;
  if (__wasi_path_create_directory(ROOT, "dir")) return 0;
  if (__wasi_path_open(ROOT, 0, "file", O_CREAT_, rw, 0, 0, &fd)) return 0;
  (void)__wasi_fd_close(fd);
  if (__wasi_path_open(ROOT, 0, "dir/inner", O_CREAT_, rw, 0, 0, &fd)) return 0;
  (void)__wasi_fd_close(fd);
  return 1;
}

static void check_dropped_rights(void) {
  __wasi_fd_t fd;
  __wasi_fdstat_t st;
  int ok = __wasi_path_open(ROOT, 0, "file", 0, R_READ | R_READDIR, 0, 0, &fd) == 0 &&
           __wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_rights_base == R_READ;
  (void)__wasi_fd_close(fd);
  check("file: FD_READDIR dropped from its rights", ok, "rights not as expected");
  ok = __wasi_path_open(ROOT, 0, "dir", O_DIR, R_READDIR | R_SEEK, 0, 0, &fd) == 0 &&
       __wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_rights_base == R_READDIR;
  (void)__wasi_fd_close(fd);
  check("dir: FD_SEEK dropped from its rights", ok, "rights not as expected");
}

static void cleanup(void) {
  int ok = __wasi_path_unlink_file(ROOT, "dir/inner") == 0 &&
           __wasi_path_remove_directory(ROOT, "dir") == 0 &&
           __wasi_path_unlink_file(ROOT, "file") == 0;
  check("cleanup", ok, "could not remove what setup made");
}

int main(void) {
  if (!setup()) {
    printf("FAIL setup\n");
    return 2;
  }
  for (size_t i = 0; i < sizeof on_root / sizeof on_root[0]; i++) run_case(ROOT, &on_root[i]);
  __wasi_fd_t limited;
  __wasi_rights_t base = __WASI_RIGHTS_PATH_OPEN | R_READDIR;
  if (__wasi_path_open(ROOT, 0, "dir", O_DIR, base, R_READ, 0, &limited)) {
    printf("FAIL open the limited directory\n");
    return 2;
  }
  for (size_t i = 0; i < sizeof on_limited / sizeof on_limited[0]; i++)
    run_case(limited, &on_limited[i]);
  (void)__wasi_fd_close(limited);
  check_dropped_rights();
  cleanup();
  printf("%d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
