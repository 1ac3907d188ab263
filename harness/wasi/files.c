/* File system work inside a preopened directory (argv[1] is its guest path): create, read,
 * write, seek, tell, pread/pwrite, truncate, stat, rename, readdir (large listings too), mkdir,
 * rmdir, unlink, symlink, readlink, hard links, timestamps, fd_renumber. One "ok NAME" line per
 * step that behaves; "FAIL NAME" lines and exit status 1 otherwise. Leaves keep.txt behind for
 * the host to inspect. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static const char *root;
static int failures;

static void check(const char *name, int ok) {
  if (ok) {
    printf("ok %s\n", name);
  } else {
    printf("FAIL %s (errno %d: %s)\n", name, errno, strerror(errno));
    failures++;
  }
}

static const char *at(const char *rel) {
  static char buf[4][1024];
  static int next;
  char *b = buf[next++ % 4];
  snprintf(b, sizeof buf[0], "%s/%s", root, rel);
  return b;
}

static int file_is(const char *rel, const char *want) {
  char got[256] = {0};
  int fd = open(at(rel), O_RDONLY);
  if (fd < 0) return 0;
  ssize_t n = read(fd, got, sizeof got - 1);
  close(fd);
  return n == (ssize_t)strlen(want) && memcmp(got, want, (size_t)n) == 0;
}

static int write_file(const char *rel, const char *text) {
  FILE *f = fopen(at(rel), "w");
  if (!f) return 0;
  int ok = fputs(text, f) >= 0;
  return fclose(f) == 0 && ok;
}

static void basic_io(void) {
  check("create_write", write_file("a.txt", "hello file\n"));
  check("read_back", file_is("a.txt", "hello file\n"));
  int fd = open(at("a.txt"), O_RDWR);
  check("open_rdwr", fd >= 0);
  check("seek_set", lseek(fd, 6, SEEK_SET) == 6);
  check("write_at_pos", write(fd, "FILE", 4) == 4);
  check("tell", lseek(fd, 0, SEEK_CUR) == 10);
  check("seek_end", lseek(fd, 0, SEEK_END) == 11);
  char buf[8] = {0};
  check("pread", pread(fd, buf, 4, 6) == 4 && memcmp(buf, "FILE", 4) == 0);
  check("pwrite", pwrite(fd, "J", 1, 0) == 1);
  check("pread_keeps_offset", lseek(fd, 0, SEEK_CUR) == 11);
  struct stat st;
  check("fstat", fstat(fd, &st) == 0 && st.st_size == 11 && S_ISREG(st.st_mode));
  check("ftruncate", ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
  check("close", close(fd) == 0);
  check("content_after_edits", file_is("a.txt", "Jello"));
  check("stat_path", stat(at("a.txt"), &st) == 0 && st.st_size == 5);
  errno = 0;
  check("excl_refuses_existing", open(at("a.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644) < 0 &&
                                     errno == EEXIST);
  fd = open(at("a.txt"), O_WRONLY | O_APPEND);
  check("append_flag", fd >= 0 && (fcntl(fd, F_GETFL) & O_APPEND) && write(fd, "!", 1) == 1);
  close(fd);
  check("append_wrote_at_end", file_is("a.txt", "Jello!"));
  errno = 0;
  check("missing_is_enoent", open(at("nope.txt"), O_RDONLY) < 0 && errno == ENOENT);
}

static void directories_and_links(void) {
  struct stat st;
  check("mkdir", mkdir(at("sub"), 0755) == 0);
  errno = 0;
  check("mkdir_exists", mkdir(at("sub"), 0755) < 0 && errno == EEXIST);
  check("write_in_subdir", write_file("sub/b.txt", "bee"));
  check("rename", rename(at("a.txt"), at("sub/c.txt")) == 0);
  errno = 0;
  check("rename_source_gone", stat(at("a.txt"), &st) < 0 && errno == ENOENT);
  check("rename_target", file_is("sub/c.txt", "Jello!"));
  check("symlink", symlink("c.txt", at("sub/link")) == 0);
  char target[64] = {0};
  check("readlink", readlink(at("sub/link"), target, sizeof target) == 5 &&
                        strcmp(target, "c.txt") == 0);
  check("lstat_symlink", lstat(at("sub/link"), &st) == 0 && S_ISLNK(st.st_mode));
  check("follow_symlink_inside", file_is("sub/link", "Jello!"));
  check("symlink_up_inside", symlink("../sub/c.txt", at("sub/uplink")) == 0 &&
                                 file_is("sub/uplink", "Jello!"));
  check("hard_link", link(at("sub/c.txt"), at("sub/hard")) == 0 &&
                         stat(at("sub/c.txt"), &st) == 0 && st.st_nlink == 2);
  struct timespec times[2] = {{1000000000, 0}, {1000000000, 500}};
  check("utimensat", utimensat(AT_FDCWD, at("sub/c.txt"), times, 0) == 0 &&
                         stat(at("sub/c.txt"), &st) == 0 && st.st_mtim.tv_sec == 1000000000 &&
                         st.st_mtim.tv_nsec == 500);
  errno = 0;
  check("rmdir_not_empty", rmdir(at("sub")) < 0 && errno == ENOTEMPTY);
  const char *names[] = {"sub/hard", "sub/link", "sub/uplink", "sub/b.txt", "sub/c.txt"};
  int ok = 1;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) ok &= unlink(at(names[i])) == 0;
  check("unlink", ok);
  check("rmdir", rmdir(at("sub")) == 0);
  errno = 0;
  check("rmdir_gone", stat(at("sub"), &st) < 0 && errno == ENOENT);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 200 names of ~150 bytes overflow wasi-libc's readdir buffer, so cookies get used. */
static void big_listing(void) {
  char name[200];
  check("mkdir_many", mkdir(at("many"), 0755) == 0);
  int ok = 1;
  for (int i = 0; i < 200; i++) {
    snprintf(name, sizeof name, "many/%03d_%0145d", i, 0);
    ok &= write_file(name, "x");
  }
  check("create_many", ok);
  DIR *d = opendir(at("many"));
  check("opendir", d != NULL);
  if (!d) return;
  char *seen[256];
  int n = 0;
  for (struct dirent *e; (e = readdir(d)) && n < 256;) {
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) seen[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(seen, (size_t)n, sizeof seen[0], cmp_str);
  ok = n == 200;
  for (int i = 0; ok && i < n; i++) {
    snprintf(name, sizeof name, "%03d_%0145d", i, 0);
    ok = strcmp(seen[i], name) == 0;
  }
  check("readdir_all_once", ok);
  ok = 1;
  for (int i = 0; i < n; i++) {
    snprintf(name, sizeof name, "many/%s", seen[i]);
    ok &= unlink(at(name)) == 0;
    free(seen[i]);
  }
  check("cleanup_many", ok && rmdir(at("many")) == 0);
}

static void renumber(void) {
  int a = open(at("r1.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int b = open(at("r2.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  check("renumber", a >= 0 && b >= 0 && __wasi_fd_renumber((__wasi_fd_t)a, (__wasi_fd_t)b) == 0);
  check("renumbered_writes", write(b, "via b", 5) == 5 && close(b) == 0);
  errno = 0;
  check("renumber_source_closed", close(a) < 0 && errno == EBADF);
  check("renumber_content", file_is("r1.txt", "via b") && file_is("r2.txt", ""));
  unlink(at("r1.txt"));
  unlink(at("r2.txt"));
}

int main(int argc, char **argv) {
  root = argc > 1 ? argv[1] : "/sandbox";
  basic_io();
  directories_and_links();
  big_listing();
  renumber();
  check("keep_file", write_file("keep.txt", "written by the guest\n"));
  printf("%d failures\n", failures);
  return failures ? 1 : 0;
}
