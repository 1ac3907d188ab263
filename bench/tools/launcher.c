/* launcher: runs one command and reports its wall time, CPU time and peak RSS.
 *
 * Usage: launcher [-t SECONDS] -o REPORT -- COMMAND [ARGS...]
 * REPORT receives one line:
 *   "<wall seconds> <peak RSS KiB> <exit code or -signal> <timed out 0|1> <user s> <system s>"
 * stdin, stdout and stderr pass through to COMMAND.
 *
 * CPU time is the child's user and system time from the same wait4 rusage: all its threads and
 * the descendants it waited for. On a shared machine it is steadier than wall time, which also
 * counts the time the child spent waiting for a core.
 *
 * Why not measure from Python: Linux keeps ru_maxrss across execve, so a child forked from a
 * 30 MiB Python process reports at least 30 MiB. Forked from this small program, the child starts
 * from about 1 MiB, as with /usr/bin/time; and the clock here brackets only fork..wait4. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static volatile pid_t child;

static void on_alarm(int signal_number) {
  (void)signal_number;
  timed_out = 1;
  if (child > 0) kill(child, SIGKILL);
}

static double seconds_since(const struct timespec *start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) * 1e-9;
}

static double timeval_seconds(const struct timeval *t) {
  return (double)t->tv_sec + (double)t->tv_usec * 1e-6;
}

static int usage(void) {
  fputs("usage: launcher [-t SECONDS] -o REPORT -- COMMAND [ARGS...]\n", stderr);
  return 2;
}

/* Exit status in the report's form: the exit code, or minus the signal that killed it. */
static int status_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

int main(int argc, char **argv) {
  const char *report_path = NULL;
  unsigned timeout = 0;
  int opt;
  while ((opt = getopt(argc, argv, "t:o:")) != -1) {
    if (opt == 't') timeout = (unsigned)strtoul(optarg, NULL, 10);
    else if (opt == 'o') report_path = optarg;
    else return usage();
  }
  if (!report_path || optind >= argc) return usage();
  FILE *report = fopen(report_path, "w");
  if (!report) {
    perror(report_path);
    return 2;
  }

  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[optind], argv + optind);
    fprintf(stderr, "launcher: %s: %s\n", argv[optind], strerror(errno));
    _exit(127);
  }
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  child = pid;
  signal(SIGALRM, on_alarm);
  alarm(timeout);

  int status;
  struct rusage usage_of_child;
  while (wait4(pid, &status, 0, &usage_of_child) < 0) {
    if (errno != EINTR) {
      perror("wait4");
      return 2;
    }
  }
  double wall = seconds_since(&start);
  fprintf(report, "%.9f %ld %d %d %.6f %.6f\n", wall, usage_of_child.ru_maxrss,
          status_code(status), (int)timed_out, timeval_seconds(&usage_of_child.ru_utime),
          timeval_seconds(&usage_of_child.ru_stime));
  return fclose(report) == 0 ? 0 : 2;
}
