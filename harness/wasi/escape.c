/* Every way out of the preopen must be refused. The preopen is fd 3; raw WASI calls are used
 * so that wasi-libc's own path handling cannot hide what the runtime does. The host test
 * creates, beside the preopen, a file "outside/secret.txt" and, inside, symlinks "out_rel"
 * (-> ../outside/secret.txt), "out_abs" (-> absolute path of the secret) and "out_dir"
 * (-> ../outside). Prints "refused NAME errno=N" or "ESCAPED NAME". */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define PREOPEN 3
static int escapes;

static void report(const char *name, __wasi_errno_t err) {
  if (err == 0) {
    printf("ESCAPED %s\n", name);
    escapes++;
  } else {
    printf("refused %s errno=%d\n", name, err);
  }
}

static __wasi_errno_t open_path(const char *path, __wasi_lookupflags_t flags, __wasi_oflags_t oflags) {
  __wasi_fd_t fd;
  __wasi_errno_t err = __wasi_path_open(PREOPEN, flags, path, oflags, __WASI_RIGHTS_FD_READ |
                                        __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  if (err == 0 && __wasi_fd_close(fd) != 0) printf("close failed\n");
  return err;
}

static void opens(void) {
  const __wasi_lookupflags_t follow = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  report("open_absolute", open_path("/etc/passwd", follow, 0));
  report("open_dotdot", open_path("../outside/secret.txt", follow, 0));
  report("open_dotdot_deep", open_path("inner/../../outside/secret.txt", follow, 0));
  report("open_dot_then_dotdot", open_path("./..", follow, __WASI_OFLAGS_DIRECTORY));
  report("open_symlink_relative_out", open_path("out_rel", follow, 0));
  report("open_symlink_absolute", open_path("out_abs", follow, 0));
  report("open_through_symlinked_dir", open_path("out_dir/secret.txt", follow, 0));
  report("create_through_symlinked_dir", open_path("out_dir/new.txt", follow, __WASI_OFLAGS_CREAT));
  report("open_symlink_nofollow", open_path("out_rel", 0, 0));
}

static void path_ops(void) {
  __wasi_filestat_t st;
  report("stat_dotdot", __wasi_path_filestat_get(PREOPEN, 0, "../outside/secret.txt", &st));
  report("stat_follow_out", __wasi_path_filestat_get(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                                     "out_rel", &st));
  report("mkdir_dotdot", __wasi_path_create_directory(PREOPEN, "../evil_dir"));
  report("mkdir_absolute", __wasi_path_create_directory(PREOPEN, "/tmp/evil_dir"));
  report("unlink_dotdot", __wasi_path_unlink_file(PREOPEN, "../outside/secret.txt"));
  report("unlink_through_symlinked_dir", __wasi_path_unlink_file(PREOPEN, "out_dir/secret.txt"));
  report("rename_out", __wasi_path_rename(PREOPEN, "inner/file.txt", PREOPEN, "../moved.txt"));
  report("rename_in", __wasi_path_rename(PREOPEN, "../outside/secret.txt", PREOPEN, "stolen.txt"));
  report("link_out", __wasi_path_link(PREOPEN, 0, "../outside/secret.txt", PREOPEN, "hard.txt"));
  report("link_follow_symlink_out", __wasi_path_link(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                                     "out_rel", PREOPEN, "hard2.txt"));
  report("symlink_absolute_target", __wasi_path_symlink("/etc/passwd", PREOPEN, "abs_link"));
  report("symlink_placed_outside", __wasi_path_symlink("x", PREOPEN, "../outside/planted"));
  char buf[64];
  __wasi_size_t used;
  report("readlink_dotdot", __wasi_path_readlink(PREOPEN, "../outside/link", (uint8_t *)buf,
                                                 sizeof buf, &used));
  report("rmdir_dotdot", __wasi_path_remove_directory(PREOPEN, "../outside"));
  report("set_times_out", __wasi_path_filestat_set_times(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                                         "out_rel", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
}

/* Sanity: legitimate access next to the refused ones still works. */
static void allowed(void) {
  __wasi_fd_t fd;
  __wasi_errno_t err = __wasi_path_open(PREOPEN, 0, "inner/../inner/file.txt", 0,
                                        __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  printf("%s inside_dotdot_path\n", err == 0 ? "allowed" : "BLOCKED");
  if (err == 0 && __wasi_fd_close(fd) != 0) printf("close failed\n");
  __wasi_fdstat_t fs;
  err = __wasi_fd_fdstat_get(PREOPEN, &fs);
  printf("%s preopen_fdstat\n", err == 0 && fs.fs_filetype == __WASI_FILETYPE_DIRECTORY ? "allowed" : "BLOCKED");
}

int main(void) {
  opens();
  path_ops();
  allowed();
  printf("%d escapes\n", escapes);
  return escapes ? 1 : 0;
}
