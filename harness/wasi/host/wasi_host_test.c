/* The WASI host functions called one by one with exact arguments, through
 * wasi_imports.wat (each import re-exported), on a scratch preopen: arguments, environment,
 * clocks, random, fd I/O and metadata, readdir with tiny buffers (cookies), paths, links,
 * renumber, escapes, poll_oneoff, proc_exit, and EFAULT for guest pointers out of bounds.
 *
 *   wasi_host_test [--backend NAME] wasi_imports.wasm
 *
 * Built and run by harness/test_wasi.py; prints FAIL lines and exits 1 on any failure. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/include/wasmlab.h"

static wl_store *S;
static wl_instance *I;
static uint8_t *M;
static int fails;
#define CHECK(c)                                  \
  do {                                            \
    if (!(c)) {                                   \
      printf("FAIL line %d: %s\n", __LINE__, #c); \
      fails++;                                    \
    }                                             \
  } while (0)

static int64_t call(const char *name, ...) {
  wl_extern f;
  if (!wl_instance_export(I, name, &f)) {
    printf("no %s\n", name);
    exit(1);
  }
  size_t n = wl_func_param_count(f.of.func);
  wl_val a[16];
  va_list ap;
  va_start(ap, name);
  for (size_t i = 0; i < n; i++)
    a[i] = wl_func_param(f.of.func, i) == WL_I64 ? wl_val_i64(va_arg(ap, int64_t))
                                                 : wl_val_i32(va_arg(ap, int32_t));
  va_end(ap);
  wl_val r = wl_val_i32(-1);
  wl_error *e = wl_func_call(S, f.of.func, a, n, &r, wl_func_result_count(f.of.func));
  if (e) {
    int k = wl_error_kind_of(e);
    printf("%s -> error kind %d code %d: %s\n", name, k, wl_error_exit_code(e),
           wl_error_message(e));
    wl_error_delete(e);
    return -1000 - k;
  }
  M = wl_memory_data(({
    wl_extern m;
    wl_instance_export(I, "memory", &m);
    m.of.memory;
  }));
  return r.of.i32;
}
static int32_t P(uint32_t off, const char *s) {
  memcpy(M + off, s, strlen(s));
  return (int32_t)strlen(s);
}
static uint32_t U32(uint32_t off) {
  uint32_t v;
  memcpy(&v, M + off, 4);
  return v;
}
static uint64_t U64(uint32_t off) {
  uint64_t v;
  memcpy(&v, M + off, 8);
  return v;
}
#define PATH(off, s) off, P(off, s)
#define ALL ((int64_t)0x3fffffff)
/* Every right but those that write (FD_WRITE, FD_ALLOCATE, FD_FILESTAT_SET_SIZE): for directories. */
#define DIR_ALL (ALL & ~(int64_t)((1 << 6) | (1 << 8) | (1 << 22)))

int main(int argc, char **argv) {
  const char *backend = argc == 4 && strcmp(argv[1], "--backend") == 0 ? argv[2] : NULL;
  if (argc != 2 && !backend) {
    fprintf(stderr, "usage: wasi_host_test [--backend NAME] FILE.wasm\n");
    return 2;
  }
  const char *wasm = argv[argc - 1];
  char tmpl[] = "/tmp/wasi_host_testXXXXXX";
  char *box = mkdtemp(tmpl);
  char outside[256];
  snprintf(outside, sizeof outside, "%s_out", box);
  mkdir(outside, 0755);
  char cmd[600];
  snprintf(cmd, sizeof cmd,
           "echo secret > %s/s.txt && ln -s ../%s_out/s.txt %s/lnk && ln -s %s/s.txt %s/abs",
           outside, strrchr(box, '/') + 1, box, outside, box);
  system(cmd);
  wl_config *c = wl_config_new();
  wl_engine *eng;
  if (backend) {
    wl_backend_kind k;
    if (wl_backend_from_name(backend, &k) || wl_config_set_backend(c, k)) {
      fprintf(stderr, "no backend %s\n", backend);
      return 2;
    }
  }
  if (wl_engine_new(c, &eng)) return 2;
  S = wl_store_new(eng);
  wl_linker *l = wl_linker_new(S);
  const char *args[] = {"prog", "a1", "arg two"};
  const char *env[] = {"K=V", "X="};
  wl_wasi_preopen pre = {box, "/sandbox"};
  wl_wasi_options o = {args, 3, env, 2, &pre, 1, 0, 1, 2};
  wl_wasi *w;
  CHECK(!wl_wasi_new(&o, &w));
  CHECK(!wl_linker_define_wasi(l, w));
  wl_module *m;
  CHECK(!wl_module_from_file(eng, wasm, &m));
  CHECK(!wl_linker_instantiate(l, m, &I));
  call("sched_yield");
  /* args / env */
  CHECK(call("args_sizes_get", 0, 4) == 0 && U32(0) == 3 && U32(4) == 5 + 3 + 8);
  CHECK(call("args_get", 100, 200) == 0 && strcmp((char *)M + U32(104), "a1") == 0 &&
        strcmp((char *)M + U32(108), "arg two") == 0);
  CHECK(call("environ_sizes_get", 0, 4) == 0 && U32(0) == 2 && U32(4) == 7);
  CHECK(call("environ_get", 100, 200) == 0 && strcmp((char *)M + U32(100), "K=V") == 0 &&
        strcmp((char *)M + U32(104), "X=") == 0);
  CHECK(call("args_get", 65534, 200) == 21);
  /* clocks, random */
  CHECK(call("clock_time_get", 1, (int64_t)1, 0) == 0 && U64(0) > 0);
  CHECK(call("clock_time_get", 0, (int64_t)1, 8) == 0 &&
        U64(8) / 1000000000u - (uint64_t)time(NULL) + 2 < 5);
  CHECK(call("clock_res_get", 1, 0) == 0 && U64(0) > 0 && call("clock_res_get", 9, 0) == 28);
  memset(M + 300, 0, 32);
  CHECK(call("random_get", 300, 32) == 0);
  int nz = 0;
  for (int i = 0; i < 32; i++) nz += M[300 + i] != 0;
  CHECK(nz > 20);
  CHECK(call("random_get", 65530, 100) == 21);
  /* stdout */
  P(1000, "fd_write to stdout works\n");
  memcpy(M + 16, (uint32_t[]){1000, 25}, 8);
  CHECK(call("fd_write", 1, 16, 1, 24) == 0 && U32(24) == 25);
  memcpy(M + 16, (uint32_t[]){65530, 25}, 8);
  CHECK(call("fd_write", 1, 16, 1, 24) == 21);
  /* prestat */
  CHECK(call("fd_prestat_get", 3, 0) == 0 && M[0] == 0 && U32(4) == 8);
  CHECK(call("fd_prestat_dir_name", 3, 100, 8) == 0 && memcmp(M + 100, "/sandbox", 8) == 0);
  CHECK(call("fd_prestat_get", 4, 0) == 8 && call("fd_prestat_get", 1, 0) == 8);
  /* files */
  CHECK(call("path_open", 3, 0, PATH(2000, "a.txt"), 1 | 8, ALL, ALL, 0, 0) == 0);
  int fd = (int)U32(0);
  CHECK(fd == 4);
  P(1000, "hello world");
  memcpy(M + 16, (uint32_t[]){1000, 11}, 8);
  CHECK(call("fd_write", fd, 16, 1, 24) == 0 && U32(24) == 11);
  CHECK(call("fd_tell", fd, 32) == 0 && U64(32) == 11);
  CHECK(call("fd_seek", fd, (int64_t)-5, 2, 32) == 0 && U64(32) == 6);
  memcpy(M + 16, (uint32_t[]){3000, 5}, 8);
  CHECK(call("fd_read", fd, 16, 1, 24) == 0 && U32(24) == 5 && memcmp(M + 3000, "world", 5) == 0);
  memcpy(M + 16, (uint32_t[]){3000, 5}, 8);
  CHECK(call("fd_pread", fd, 16, 1, (int64_t)0, 24) == 0 && memcmp(M + 3000, "hello", 5) == 0);
  P(1000, "J");
  memcpy(M + 16, (uint32_t[]){1000, 1}, 8);
  CHECK(call("fd_pwrite", fd, 16, 1, (int64_t)0, 24) == 0 && U32(24) == 1);
  CHECK(call("fd_filestat_get", fd, 400) == 0 && M[416] == 4 && U64(432) == 11);
  CHECK(call("fd_filestat_set_size", fd, (int64_t)5) == 0 &&
        call("fd_filestat_get", fd, 400) == 0 && U64(432) == 5);
  CHECK(call("fd_filestat_set_times", fd, (int64_t)5000000000, (int64_t)7000000000, 1 | 4) == 0 &&
        call("fd_filestat_get", fd, 400) == 0 && U64(440) == 5000000000ull &&
        U64(448) == 7000000000ull);
  CHECK(call("fd_fdstat_get", fd, 500) == 0 && M[500] == 4 && U64(508) != 0);
  CHECK(call("fd_fdstat_set_flags", fd, 1) == 0 && call("fd_fdstat_get", fd, 500) == 0 &&
        (M[502] & 1));
  CHECK(call("fd_advise", fd, (int64_t)0, (int64_t)0, 1) == 0 &&
        call("fd_allocate", fd, (int64_t)0, (int64_t)100) == 0);
  CHECK(call("fd_sync", fd) == 0 && call("fd_datasync", fd) == 0);
  CHECK(call("sock_recv", fd, 16, 1, 0, 24, 28) == 57 && call("sock_shutdown", fd, 3) == 57);
  CHECK(call("fd_fdstat_set_rights", fd, (int64_t)2, (int64_t)0) == 0);
  memcpy(M + 16, (uint32_t[]){1000, 1}, 8);
  CHECK(call("fd_write", fd, 16, 1, 24) == 76);
  CHECK(call("fd_fdstat_set_rights", fd, ALL, (int64_t)0) == 76);
  CHECK(call("fd_close", fd) == 0 && call("fd_close", fd) == 8);
  {
    char p[300];
    snprintf(p, sizeof p, "%s/a.txt", box);
    struct stat st;
    CHECK(stat(p, &st) == 0 && st.st_size == 100);
    FILE *f = fopen(p, "r");
    char b[8] = {0};
    fread(b, 1, 5, f);
    fclose(f);
    CHECK(memcmp(b, "Jello", 5) == 0);
  }
  /* dirs and links */
  CHECK(call("path_create_directory", 3, PATH(2000, "d")) == 0 &&
        call("path_create_directory", 3, PATH(2000, "d")) == 20);
  CHECK(call("path_filestat_get", 3, 0, PATH(2000, "d"), 400) == 0 && M[416] == 3);
  CHECK(call("path_rename", 3, PATH(2000, "a.txt"), 3, PATH(2100, "d/b.txt")) == 0);
  CHECK(call("path_symlink", PATH(2000, "b.txt"), 3, PATH(2100, "d/l")) == 0);
  CHECK(call("path_readlink", 3, PATH(2000, "d/l"), 3000, 64, 24) == 0 && U32(24) == 5 &&
        memcmp(M + 3000, "b.txt", 5) == 0);
  CHECK(call("path_filestat_get", 3, 0, PATH(2000, "d/l"), 400) == 0 && M[416] == 7);
  CHECK(call("path_filestat_get", 3, 1, PATH(2000, "d/l"), 400) == 0 && M[416] == 4);
  CHECK(call("path_link", 3, 0, PATH(2000, "d/b.txt"), 3, PATH(2100, "d/h")) == 0 &&
        call("path_filestat_get", 3, 0, PATH(2000, "d/h"), 400) == 0 && U64(424) == 2);
  CHECK(call("path_link", 3, 1, PATH(2000, "d/l"), 3, PATH(2100, "d/h2")) == 0 &&
        call("path_filestat_get", 3, 0, PATH(2000, "d/h2"), 400) == 0 && U64(424) == 3);
  CHECK(call("path_filestat_set_times", 3, 1, PATH(2000, "d/l"), (int64_t)0, (int64_t)9000000000,
             4) == 0 &&
        call("path_filestat_get", 3, 0, PATH(2000, "d/b.txt"), 400) == 0 &&
        U64(448) == 9000000000ull);
  CHECK(call("path_remove_directory", 3, PATH(2000, "d")) == 55);
  /* readdir with a tiny buffer: cookies */
  /* A directory with a right to write is refused (EISDIR); without it, it opens. */
  CHECK(call("path_open", 3, 0, PATH(2000, "d"), 2, ALL, ALL, 0, 0) == 31);
  CHECK(call("path_open", 3, 0, PATH(2000, "d"), 2, DIR_ALL, ALL, 0, 0) == 0);
  int dfd = (int)U32(0);
  {
    int count = 0;
    uint64_t cookie = 0;
    for (int iter = 0; iter < 50; iter++) {
      CHECK(call("fd_readdir", dfd, 5000, 40, cookie, 24) == 0);
      uint32_t used = U32(24);
      if (used < 24) break;
      uint32_t nl = U32(5016);
      if (24 + nl <= used) {
        count++;
        cookie = U64(5000);
      } else
        break;
      if (used < 40 && 24 + nl == used) { /* last */
      }
    }
    printf("readdir entries with 40-byte buffer: %d\n", count);
    CHECK(count == 6);
  }
  CHECK(call("fd_readdir", dfd, 5000, 4096, (int64_t)0, 24) == 0 && U32(24) > 24 * 6);
  CHECK(call("fd_renumber", dfd, 9) == 8); /* 9 is not open */
  CHECK(call("path_open", 3, 0, PATH(2000, "d/h"), 0, ALL, ALL, 0, 0) == 0);
  int hfd = (int)U32(0);
  CHECK(call("fd_renumber", dfd, hfd) == 0 && call("fd_close", dfd) == 8 &&
        call("fd_readdir", hfd, 5000, 4096, (int64_t)0, 24) == 0);
  CHECK(call("fd_close", hfd) == 0);
  const char *gone[] = {"d/l", "d/h", "d/h2", "d/b.txt"};
  for (int i = 0; i < 4; i++) CHECK(call("path_unlink_file", 3, PATH(2000, gone[i])) == 0);
  CHECK(call("path_remove_directory", 3, PATH(2000, "d")) == 0 &&
        call("path_filestat_get", 3, 0, PATH(2000, "d"), 400) == 44);
  /* escapes */
  CHECK(call("path_open", 3, 0, PATH(2000, "../x"), 0, ALL, ALL, 0, 0) == 76);
  CHECK(call("path_open", 3, 0, PATH(2000, "/etc/passwd"), 0, ALL, ALL, 0, 0) == 76);
  CHECK(call("path_open", 3, 1, PATH(2000, "lnk"), 0, ALL, ALL, 0, 0) == 76);
  CHECK(call("path_open", 3, 1, PATH(2000, "abs"), 0, ALL, ALL, 0, 0) == 76);
  CHECK(call("path_open", 3, 0, PATH(2000, "lnk"), 0, ALL, ALL, 0, 0) == 32);
  CHECK(call("path_open", 3, 0, PATH(2000, "."), 2, DIR_ALL, ALL, 0, 0) == 0 &&
        call("fd_close", (int)U32(0)) == 0);
  CHECK(call("path_open", 3, 0, 65530, 100, 0, ALL, ALL, 0, 0) == 21);
  CHECK(call("path_open", 3, 0, PATH(2000, "x"), 0, ALL, ALL, 0, 65534) == 21);
  /* poll: 15 ms relative clock */
  memset(M + 6000, 0, 48);
  M[6000] = 7;
  M[6008] = 0;
  uint64_t to = 15000000;
  memcpy(M + 6024, &to, 8);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  CHECK(call("poll_oneoff", 6000, 6100, 1, 24) == 0 && U32(24) == 1 && M[6100] == 7 &&
        M[6110] == 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  CHECK((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) >= 15000000);
  /* poll: fd write on stdout ready + long clock */
  memset(M + 6000, 0, 96);
  M[6000] = 1;
  M[6008] = 0;
  to = 5000000000ull;
  memcpy(M + 6024, &to, 8);
  M[6048] = 2;
  M[6056] = 2;
  M[6064] = 1;
  CHECK(call("poll_oneoff", 6000, 6100, 2, 24) == 0 && U32(24) == 1 && M[6100] == 2 &&
        M[6110] == 2);
  CHECK(call("proc_raise", 2) == 58);
  CHECK(call("proc_exit", 42) == -1000 - WL_ERR_EXIT);
  wl_linker_delete(l);
  wl_module_delete(m);
  wl_store_delete(S);
  wl_wasi_delete(w);
  wl_engine_delete(eng);
  wl_config_delete(c);
  snprintf(cmd, sizeof cmd, "rm -rf %s %s", box, outside);
  system(cmd);
  printf("%d failures\n", fails);
  return fails != 0;
}
