/* Converting .wast scripts with wabt's wast2json, as child processes so that a folder can be
 * converted ahead of (and in parallel with) the execution of earlier files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spectest/spectest.h"

extern char **environ;

#define MAX_FLAGS 32

/* wast2json's feature flags use the same names as ours (`--disable-bulk-memory`, ...). Every
 * feature that is off is disabled explicitly, so the converter rejects or encodes exactly
 * as the configured engine expects: for the Wasm 1.0 set this gives the README's MVP flags
 * (e.g. `elem.wast` of 1.0 only converts with bulk memory off). */
/* Opt-in proposals (off in a default config, e.g. relaxed-simd) are off in wast2json too,
 * which only has --enable-<f> for them: each one that is on is enabled explicitly. */
size_t st_convert_flags(uint32_t features, char flags[][64], size_t max) {
  wl_config *defaults = wl_config_new();
  uint32_t default_on = defaults ? wl_config_features(defaults) : 0;
  wl_config_delete(defaults);
  size_t n = 0;
  for (unsigned bit = 0; bit < 32 && n < max; bit++) {
    const char *name = wl_feature_name((wl_feature)(1u << bit));
    bool on = (features >> bit) & 1u, opt_in = !((default_on >> bit) & 1u);
    if (name && !on && !opt_in) snprintf(flags[n++], 64, "--disable-%s", name);
    if (name && on && opt_in) snprintf(flags[n++], 64, "--enable-%s", name);
  }
  return n;
}

pid_t st_convert_start(const char *wast, const char *json_path, const char *stderr_path,
                       uint32_t features) {
  char flags[MAX_FLAGS][64];
  size_t nflags = st_convert_flags(features, flags, MAX_FLAGS);
  char *argv[MAX_FLAGS + 6];
  size_t argc = 0;
  argv[argc++] = "wast2json";
  for (size_t k = 0; k < nflags; k++) argv[argc++] = flags[k];
  argv[argc++] = (char *)wast;
  argv[argc++] = "-o";
  argv[argc++] = (char *)json_path;
  argv[argc] = NULL;

  posix_spawn_file_actions_t actions;
  if (posix_spawn_file_actions_init(&actions) != 0) return -1;
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  int rc = posix_spawnp(&pid, "wast2json", &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

/* The first line wast2json wrote to stderr, to explain a failed conversion. */
static void first_stderr_line(const char *stderr_path, char *buf, size_t size) {
  buf[0] = '\0';
  FILE *f = fopen(stderr_path, "r");
  if (!f) return;
  if (fgets(buf, (int)size, f)) buf[strcspn(buf, "\n")] = '\0';
  fclose(f);
}

bool st_convert_wait(pid_t pid, const char *stderr_path, char *why, size_t why_size) {
  int status;
  if (pid < 0) {
    snprintf(why, why_size, "cannot start wast2json (is wabt installed?)");
    return false;
  }
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      snprintf(why, why_size, "lost the wast2json process: %s", strerror(errno));
      return false;
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  char detail[512];
  first_stderr_line(stderr_path, detail, sizeof detail);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    snprintf(why, why_size, "cannot run wast2json (is wabt installed?)");
  else
    snprintf(why, why_size, "wast2json failed: %s", detail[0] ? detail : "no message");
  return false;
}

void st_remove_folder(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *entry;
  char path[PATH_MAX];
  while ((entry = readdir(d))) {
    if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, "..")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
    unlink(path);
  }
  closedir(d);
  rmdir(dir);
}
