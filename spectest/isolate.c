/* Running one script in a child process (see st_run_script_isolated in spectest.h). The child
 * prints its own report lines; it sends each outcome as a 5-byte record (outcome, line) over
 * a pipe, which the parent counts, so the counts survive a crash of the child. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spectest/spectest.h"

typedef struct {
  st_counts counts;
  int last_line;       /* of the last command that finished */
  unsigned char partial[5];
  size_t have;         /* bytes of `partial` received */
} tally;

static void run_child(wl_engine *engine, const char *json_path, st_report *report, int fd) {
  report->tally_fd = fd;
  setvbuf(stdout, NULL, _IOLBF, 0);  /* lines reach the output even if the child dies */
  st_run_script(engine, json_path, report);
  /* exit, not _exit: LeakSanitizer checks at exit, so a sanitizer build reports the leaks of
   * this script's run (as a non-zero status); stdio was flushed before the fork. */
  exit(0);
}

static void take_bytes(tally *t, const unsigned char *bytes, size_t n) {
  for (size_t k = 0; k < n; k++) {
    t->partial[t->have++] = bytes[k];
    if (t->have < sizeof t->partial) continue;
    t->have = 0;
    st_outcome o = (st_outcome)t->partial[0];
    t->last_line = (int)(t->partial[1] | t->partial[2] << 8 | t->partial[3] << 16 |
                         (unsigned)t->partial[4] << 24);
    if (o == ST_PASS) t->counts.passed++;
    else if (o == ST_FAIL) t->counts.failed++;
    else t->counts.skipped++;
  }
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads tallies until the child closes the pipe. Returns false on timeout. */
static bool collect(int fd, tally *t, unsigned timeout_seconds) {
  long long deadline = now_ms() + (long long)timeout_seconds * 1000;
  unsigned char buf[4096];
  for (;;) {
    int wait_ms = -1;
    if (timeout_seconds) {
      long long left = deadline - now_ms();
      if (left <= 0) return false;
      wait_ms = left > 60000 ? 60000 : (int)left;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int ready = poll(&p, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  /* re-check the deadline */
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    take_bytes(t, buf, (size_t)n);
  }
}

static void report_abnormal_end(st_report *report, const tally *t, int status, bool timed_out,
                                unsigned timeout_seconds) {
  char got[256], where[64];
  if (t->last_line > 0) snprintf(where, sizeof where, "after the command at line %d", t->last_line);
  else snprintf(where, sizeof where, "before the first command finished");
  if (timed_out)
    snprintf(got, sizeof got, "no result within %u s (hang?) %s", timeout_seconds, where);
  else if (WIFSIGNALED(status))
    snprintf(got, sizeof got, "crashed with signal %d (%s) %s", WTERMSIG(status),
             strsignal(WTERMSIG(status)), where);
  else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    snprintf(got, sizeof got, "exited with status %d %s", WEXITSTATUS(status), where);
  else
    return;
  st_report_outcome(report, t->last_line, "script", ST_FAIL, "every command run", got, NULL);
}

void st_run_script_isolated(wl_engine *engine, const char *json_path, st_report *report,
                            unsigned timeout_seconds) {
  int fds[2];
  fflush(stdout);  /* or the child would print the parent's buffered output again */
  fflush(stderr);
  if (pipe(fds) != 0) {
    st_run_script(engine, json_path, report);
    return;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    st_run_script(engine, json_path, report);
    return;
  }
  if (pid == 0) {
    close(fds[0]);
    run_child(engine, json_path, report, fds[1]);
  }
  close(fds[1]);
  tally t = {{0, 0, 0}, 0, {0}, 0};
  bool finished = collect(fds[0], &t, timeout_seconds);
  if (!finished) kill(pid, SIGKILL);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  report->counts.passed += t.counts.passed;
  report->counts.failed += t.counts.failed;
  report->counts.skipped += t.counts.skipped;
  report_abnormal_end(report, &t, status, !finished, timeout_seconds);
}
