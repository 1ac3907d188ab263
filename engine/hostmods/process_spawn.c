/* Starting a command and talking to it: posix_spawnp (never a shell), one poll loop that feeds
 * stdin and drains stdout/stderr together (a child blocked writing a full pipe while we block
 * writing its stdin would deadlock), and a deadline that kills the child's process group. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/hostmods/process.h"

enum { READ_CHUNK = 64 * 1024, NO_PIDFD_POLL_MS = 5 };

typedef struct {
  int in, out, err;  /* our ends of the child's stdin/stdout/stderr pipes; -1 when closed */
  int pidfd;         /* -1 when the kernel has none: then poll in short steps */
  pid_t pid;
  bool reaped;
  int status;
  const uint8_t *input;
  size_t input_len, input_done;
  hm_buf *outputs[2];  /* stdout, stderr */
  bool overflow;       /* an output passed what a u32 length can describe, or memory ran out */
} child;

static void note(hm_buf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(hm_buf *err, const char *fmt, ...) {
  char text[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (n > 0) hm_buf_append(err, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
}

static int64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/* Three close-on-exec pipes: [0] stdin, [1] stdout, [2] stderr. */
static int make_pipes(int p[3][2]) {
  for (int i = 0; i < 3; i++) {
    if (pipe2(p[i], O_CLOEXEC) == 0) continue;
    int saved = errno;
    while (i--) {
      close(p[i][0]);
      close(p[i][1]);
    }
    return saved;
  }
  return 0;
}

/* The child starts with the pipes as 0..2 and nothing else open (close-on-exec or not), in a
 * process group of its own, with an empty signal mask and every signal at its default (the
 * engine's handlers and an ignored SIGPIPE must not carry over). */
static int start(const proc_command *c, int p[3][2], pid_t *pid) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  if (posix_spawn_file_actions_init(&fa)) return ENOMEM;
  if (posix_spawnattr_init(&at)) {
    posix_spawn_file_actions_destroy(&fa);
    return ENOMEM;
  }
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  sigdelset(&all, SIGKILL);
  sigdelset(&all, SIGSTOP);
  int rc = posix_spawn_file_actions_adddup2(&fa, p[0][0], 0);
  if (!rc) rc = posix_spawn_file_actions_adddup2(&fa, p[1][1], 1);
  if (!rc) rc = posix_spawn_file_actions_adddup2(&fa, p[2][1], 2);
  if (!rc) rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  if (!rc) rc = posix_spawnattr_setsigmask(&at, &none);
  if (!rc) rc = posix_spawnattr_setsigdefault(&at, &all);
  if (!rc) rc = posix_spawnattr_setpgroup(&at, 0);
  if (!rc)
    rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                           POSIX_SPAWN_SETSIGDEF);
  if (!rc) rc = posix_spawnp(pid, c->argv[0], &fa, &at, c->argv, c->envp);
  posix_spawnattr_destroy(&at);
  posix_spawn_file_actions_destroy(&fa);
  return rc;
}

static void feed_stdin(child *k) {
  while (k->input_done < k->input_len) {
    ssize_t n = write(k->in, k->input + k->input_done, k->input_len - k->input_done);
    if (n > 0) {
      k->input_done += (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      return;
    } else {
      break;  /* EPIPE: the child closed its stdin; the rest of the input is dropped */
    }
  }
  close_fd(&k->in);  /* end of input */
}

static void drain(child *k, int *fd, hm_buf *b) {
  for (;;) {
    if (b->len > UINT32_MAX - READ_CHUNK || !hm_buf_reserve(b, READ_CHUNK)) {
      k->overflow = true;
      return;
    }
    ssize_t n = read(*fd, b->data + b->len, READ_CHUNK);
    if (n > 0) {
      b->len += (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      if (n == 0 || errno != EAGAIN) close_fd(fd);
      return;
    }
  }
}

static bool child_exited(const child *k) {
  siginfo_t si = {0};
  return waitid(P_PID, (id_t)k->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == k->pid;
}

/* The command is one unit: when its first process ends, what it left behind in its process
 * group ends too (before the reap, so the group id cannot have been reused). */
static void finish(child *k) {
  kill(-k->pid, SIGKILL);
  while (waitpid(k->pid, &k->status, 0) < 0 && errno == EINTR) {
  }
  k->reaped = true;
}

static void set_nonblocking(int fd) {
  if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* One round of poll: returns false at the deadline (or when poll itself fails, which ends
 * the command the same way). */
static bool step(child *k, int64_t deadline) {
  struct pollfd pf[4];
  int *fds[4];
  int n = 0;
  int *watched[] = {&k->in, &k->out, &k->err};
  for (int i = 0; i < 3; i++) {
    if (*watched[i] < 0) continue;
    pf[n] = (struct pollfd){.fd = *watched[i], .events = i == 0 ? POLLOUT : POLLIN};
    fds[n++] = watched[i];
  }
  if (!k->reaped && k->pidfd >= 0) {
    pf[n] = (struct pollfd){.fd = k->pidfd, .events = POLLIN};
    fds[n++] = &k->pidfd;
  }
  int64_t left = deadline - now_ms();
  if (left <= 0) return false;
  int wait = left > INT_MAX ? INT_MAX : (int)left;
  if (k->pidfd < 0 && !k->reaped && wait > NO_PIDFD_POLL_MS) wait = NO_PIDFD_POLL_MS;
  if (poll(pf, (nfds_t)n, wait) < 0) return errno == EINTR;
  for (int i = 0; i < n; i++) {
    if (!pf[i].revents) continue;
    if (fds[i] == &k->in) feed_stdin(k);
    else if (fds[i] == &k->out) drain(k, &k->out, k->outputs[0]);
    else if (fds[i] == &k->err) drain(k, &k->err, k->outputs[1]);
    else finish(k);
  }
  if (!k->reaped && k->pidfd < 0 && child_exited(k)) finish(k);
  return true;
}

static int32_t exit_code_of(int status) {
  if (WIFEXITED(status)) return (int8_t)WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return PROC_EXIT_FAILED;
}

/* Talks to the started child until it is done or the deadline passes. */
static int32_t supervise(child *k, const proc_command *c, hm_buf *err) {
  set_nonblocking(k->in);
  set_nonblocking(k->out);
  set_nonblocking(k->err);
  if (!k->input_len) close_fd(&k->in);
  int64_t deadline = now_ms() + c->timeout_ms;
  bool in_time = true;
  while (in_time && !k->overflow && (k->out >= 0 || k->err >= 0 || !k->reaped))
    in_time = step(k, deadline);
  /* Exited in time: its status counts, even if something that left its group kept the
   * pipes open until the deadline. */
  bool exited = k->reaped;
  if (!exited) {
    kill(k->pid, SIGKILL);  /* also when it left its group */
    finish(k);
  }
  close_fd(&k->in);
  close_fd(&k->out);
  close_fd(&k->err);
  close_fd(&k->pidfd);
  if (k->overflow) {
    note(err, "wasmedge_process: the output of \"%s\" is too large to capture; it was killed\n",
         c->argv[0]);
    return PROC_EXIT_FAILED;
  }
  return exited ? exit_code_of(k->status) : ETIMEDOUT;
}

int32_t proc_spawn(const proc_command *c, hm_buf *out, hm_buf *err) {
  int p[3][2];
  int rc = make_pipes(p);
  if (rc) {
    note(err, "wasmedge_process: cannot create pipes: %s\n", strerror(rc));
    return PROC_EXIT_FAILED;
  }
  /* Writing to a child that closed its stdin raises SIGPIPE: keep it blocked meanwhile and
   * swallow what arrived, unless one was already pending for someone else. */
  sigset_t pipe_set, old, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  child k = {.in = p[0][1], .out = p[1][0], .err = p[2][0], .pidfd = -1,
             .input = c->stdin_data, .input_len = c->stdin_len, .outputs = {out, err}};
  rc = start(c, p, &k.pid);
  close(p[0][0]);
  close(p[1][1]);
  close(p[2][1]);
  int32_t code;
  if (rc) {
    close_fd(&k.in);
    close_fd(&k.out);
    close_fd(&k.err);
    note(err, "wasmedge_process: cannot run \"%s\": %s\n", c->argv[0], strerror(rc));
    code = PROC_EXIT_FAILED;
  } else {
    k.pidfd = pidfd_open(k.pid, 0);
    code = supervise(&k, c, err);
  }
  struct timespec zero = {0, 0};
  if (!was_pending)
    while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE) {
    }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return code;
}
