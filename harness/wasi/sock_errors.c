/* The sock_* calls on descriptors that are not sockets (a file, a directory, stdout) answer
 * ENOTSOCK, and on closed or never-opened descriptors EBADF, as WASI preview 1 specifies
 * (the official suite checks only sock_shutdown on a file). argv[1] is a preopen's guest path.
 * One "ok NAME" line per check; "FAIL NAME" lines and exit status 1 otherwise. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static int failures, checks;

static void expect(const char *call, const char *on, __wasi_errno_t got, __wasi_errno_t want) {
  checks++;
  if (got == want) {
    printf("ok %s on %s\n", call, on);
  } else {
    printf("FAIL %s on %s: errno %u, expected %u\n", call, on, got, want);
    failures++;
  }
}

/* Every sock_* call on `fd`, each expected to fail with `want`. */
static void every_call(__wasi_fd_t fd, const char *on, __wasi_errno_t want) {
  char buf[8];
  __wasi_iovec_t in = {(uint8_t *)buf, sizeof buf};
  __wasi_ciovec_t out = {(const uint8_t *)"x", 1};
  __wasi_fd_t accepted;
  __wasi_size_t n;
  __wasi_roflags_t roflags;
  expect("sock_accept", on, __wasi_sock_accept(fd, 0, &accepted), want);
  expect("sock_recv", on, __wasi_sock_recv(fd, &in, 1, 0, &n, &roflags), want);
  expect("sock_send", on, __wasi_sock_send(fd, &out, 1, 0, &n), want);
  expect("sock_shutdown", on, __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR),
         want);
  /* The descriptor is checked before the flags: a bad `how` does not hide ENOTSOCK/EBADF. */
  expect("sock_shutdown(how=0)", on, __wasi_sock_shutdown(fd, 0), want);
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  char path[512];
  snprintf(path, sizeof path, "%s/sock_errors.txt", argv[1]);
  int file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  int dir = open(argv[1], O_RDONLY | O_DIRECTORY);
  int closed = open(path, O_RDONLY);
  if (file < 0 || dir < 0 || closed < 0 || close(closed) != 0) {
    perror("setup");
    return 2;
  }
  every_call((__wasi_fd_t)file, "a file", __WASI_ERRNO_NOTSOCK);
  every_call((__wasi_fd_t)dir, "a directory", __WASI_ERRNO_NOTSOCK);
  every_call(1, "stdout", __WASI_ERRNO_NOTSOCK);
  every_call((__wasi_fd_t)closed, "a closed fd", __WASI_ERRNO_BADF);
  every_call(4000, "an fd never opened", __WASI_ERRNO_BADF);
  close(file);
  close(dir);
  unlink(path);
  printf("%d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
