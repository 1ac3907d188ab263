/* `wasmlab spectest PATH [engine opts] [--json] [--keep]`: runs a .wast file, or every .wast
 * file of a folder (sorted, not recursive). Conversions with wast2json run as child
 * processes one file ahead of execution, so converting and executing overlap on two cores. */
#define _GNU_SOURCE  /* asprintf */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/cli/commands.h"
#include "spectest/spectest.h"

#define AHEAD 2  /* conversions in flight, counting the one the next execution waits for */

typedef struct {
  const char *path;
  bool json, keep, isolate;
  unsigned timeout_seconds;  /* per file; 0 = none */
} spectest_args;

typedef struct {
  char *wast;  /* as found: PATH or PATH/name.wast */
  char dir[PATH_MAX], json[PATH_MAX + 256], err[PATH_MAX + 32];
  char entry[PATH_MAX];  /* its conversion-cache folder, or "" without a cache */
  bool cached;           /* converted by an earlier run: nothing to wait for or remove */
  pid_t pid;
} job;

static void print_spectest_help(FILE *out) {
  fprintf(out,
          "usage: wasmlab spectest PATH [engine options] [--json] [--keep] [--timeout S]\n"
          "                       [--no-isolate]\n"
          "Runs a .wast script, or every .wast file in the folder PATH (sorted, not recursive):\n"
          "each is converted with wast2json (with --disable-<f> for every feature that is off)\n"
          "and its commands run in one store. Prints one summary line per file, a total and\n"
          "\"N passed, N failed\"; failures are listed as FILE:LINE: kind failed: expected ..., got ...\n"
          "  --json   one JSON object per command on stdout (file, line, kind, outcome\n"
          "           pass|fail|skip, expected, got, message); summaries go to stderr\n"
          "  --keep   keep the converted files and say where they are\n"
          "  --timeout S   fail a file that runs longer than S seconds (default 600, 0 = none)\n"
          "  --no-isolate  run files in this process (for a debugger); by default each file\n"
          "           runs in a child process, so a crash or hang fails only that file\n"
          "Set WASMLAB_WAST2JSON_CACHE=DIR to keep conversions in DIR, keyed by the file's bytes\n"
          "and the wast2json flags, so a second run converts nothing.\n"
          "Text-format assert_malformed modules are skipped (counted apart). Exit status 0 only\n"
          "when no command failed; 2 for usage errors.\n");
}

static int parse_spectest_args(int argc, char **argv, wl_config *cfg, spectest_args *a) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    int r = wl_cli_engine_option(cfg, argc, argv, &i);
    if (r < 0) return 2;
    if (r > 0) continue;
    if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
      print_spectest_help(stdout);
      return 0;
    } else if (!strcmp(arg, "--json")) {
      a->json = true;
    } else if (!strcmp(arg, "--keep")) {
      a->keep = true;
    } else if (!strcmp(arg, "--no-isolate")) {
      a->isolate = false;
    } else if (!strcmp(arg, "--timeout")) {
      char *end = NULL;
      unsigned long seconds = i + 1 < argc ? strtoul(argv[i + 1], &end, 10) : 0;
      if (!end || *end != '\0' || end == argv[i + 1] || seconds > 86400) {
        fprintf(stderr, "wasmlab spectest: --timeout expects seconds (0..86400)\n");
        return 2;
      }
      a->timeout_seconds = (unsigned)seconds;
      i++;
    } else if (arg[0] == '-') {
      fprintf(stderr, "wasmlab spectest: unknown option '%s'\n", arg);
      return 2;
    } else if (a->path) {
      fprintf(stderr, "wasmlab spectest: one PATH at a time ('%s' and '%s')\n", a->path, arg);
      return 2;
    } else {
      a->path = arg;
    }
  }
  if (!a->path) {
    print_spectest_help(stderr);
    return 2;
  }
  return -1;
}

/* ---------------------------------------------------------------- the file list */

static int is_wast(const struct dirent *d) {
  size_t n = strlen(d->d_name);
  return n > 5 && !strcmp(d->d_name + n - 5, ".wast");
}

/* The .wast files to run: PATH itself, or PATH's .wast files in name order. */
static char **list_files(const char *path, size_t *count) {
  struct stat st;
  if (stat(path, &st) != 0) return NULL;
  if (!S_ISDIR(st.st_mode)) {
    char **one = malloc(sizeof *one);
    if (one && (one[0] = strdup(path))) {
      *count = 1;
      return one;
    }
    free(one);
    return NULL;
  }
  struct dirent **entries;
  int n = scandir(path, &entries, is_wast, alphasort);
  if (n < 0) return NULL;
  char **files = calloc((size_t)n + 1, sizeof *files);
  for (int k = 0; k < n; k++) {
    if (files && asprintf(&files[k], "%s/%s", path, entries[k]->d_name) < 0) files[k] = NULL;
    free(entries[k]);
  }
  free(entries);
  *count = (size_t)n;
  return files;
}

/* ---------------------------------------------------------------- conversion jobs */

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static const char *stem_of(const char *wast, char stem[NAME_MAX + 1]) {
  snprintf(stem, NAME_MAX + 1, "%s", base_name(wast));
  stem[strlen(stem) - (strlen(stem) > 5 ? 5 : 0)] = '\0';  /* drop ".wast" */
  return stem;
}

/* Paths are bounded by PATH_MAX; a truncated one fails at mkdir/open, never overflows. */
static void set_paths(job *j, const char *dir) {
  char stem[NAME_MAX + 1];
  stem_of(j->wast, stem);
  if (snprintf(j->dir, sizeof j->dir, "%s", dir) >= (int)sizeof j->dir) j->dir[0] = 0;
  if (snprintf(j->json, sizeof j->json, "%s/%.200s.json", j->dir, stem) >= (int)sizeof j->json)
    j->json[0] = 0;
  snprintf(j->err, sizeof j->err, "%s/wast2json.stderr", j->dir);
}

/* With a cache: a hit needs no conversion; a miss converts into a fresh folder beside the
 * entry (same file system, so finish_job can rename it into place). */
static bool start_cached_job(job *j, const char *cache, uint32_t features) {
  if (!cache || !st_cache_entry(cache, j->wast, features, j->entry, sizeof j->entry)) {
    j->entry[0] = '\0';
    return false;
  }
  set_paths(j, j->entry);
  if (access(j->json, R_OK) == 0) {
    j->cached = true;
    return true;
  }
  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", j->entry) >= (int)sizeof tmp || !mkdtemp(tmp)) {
    j->entry[0] = '\0';
    return false;
  }
  set_paths(j, tmp);
  j->pid = st_convert_start(j->wast, j->json, j->err, features);
  return true;
}

static void start_job(job *j, const char *tmp, const char *cache, uint32_t features) {
  if (start_cached_job(j, cache, features)) return;
  char stem[NAME_MAX + 1], dir[PATH_MAX + 256];
  snprintf(dir, sizeof dir, "%s/%.200s", tmp, stem_of(j->wast, stem));
  set_paths(j, dir);
  j->pid = mkdir(j->dir, 0700) == 0 ? st_convert_start(j->wast, j->json, j->err, features) : -1;
}

/* Waits for the job's conversion and moves it into the cache when it has an entry there. */
static bool conversion_done(job *j, char *why, size_t why_size) {
  if (j->cached) return true;
  if (!st_convert_wait(j->pid, j->err, why, why_size)) return false;
  if (j->entry[0] && st_cache_publish(j->dir, j->entry)) {
    set_paths(j, j->entry);
    j->cached = true;
  }
  return true;
}

static void add_counts(st_counts *total, const st_counts *c) {
  total->passed += c->passed;
  total->failed += c->failed;
  total->skipped += c->skipped;
}

static void finish_job(job *j, wl_engine *engine, const spectest_args *a, st_counts *total) {
  st_report report = {.json = a->json, .file = j->wast, .tally_fd = -1};
  char why[600];
  if (!conversion_done(j, why, sizeof why))
    st_report_outcome(&report, 0, "convert", ST_FAIL, "wast2json output", "none", why);
  else if (a->isolate)
    st_run_script_isolated(engine, j->json, &report, a->timeout_seconds);
  else
    st_run_script(engine, j->json, &report);
  fflush(stdout);
  st_print_counts(a->json ? stderr : stdout, j->wast, &report.counts);
  add_counts(total, &report.counts);
  if (!a->keep && !j->cached) st_remove_folder(j->dir);
}

static void run_files(char **files, size_t n, wl_engine *engine, uint32_t features,
                      const char *tmp, const spectest_args *a, st_counts *total) {
  const char *cache = st_cache_root();
  job *jobs = calloc(n, sizeof *jobs);
  if (!jobs) {
    total->failed++;
    fprintf(stderr, "wasmlab spectest: out of memory\n");
    return;
  }
  size_t started = 0;
  for (size_t k = 0; k < n; k++) {
    for (; started < n && started < k + AHEAD; started++) {
      jobs[started].wast = files[started];
      start_job(&jobs[started], tmp, cache, features);
    }
    finish_job(&jobs[k], engine, a, total);
  }
  free(jobs);
}

/* ---------------------------------------------------------------- the command */

static int run_spectest(const wl_config *cfg, const spectest_args *a) {
  size_t n = 0;
  char **files = list_files(a->path, &n);
  if (!files || n == 0) {
    fprintf(stderr, "wasmlab spectest: %s %s\n", files ? "no .wast files in" : "cannot read",
            a->path);
    free(files);
    return 1;
  }
  const char *tmpdir = getenv("TMPDIR");
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s/wasmlab-spectest-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
  wl_engine *engine = NULL;
  wl_error *e = wl_engine_new(cfg, &engine);
  st_counts total = {0, 0, 0};
  if (e) {
    fprintf(stderr, "wasmlab spectest: %s\n", wl_error_message(e));
    wl_error_delete(e);
    total.failed = 1;
  } else if (!mkdtemp(tmp)) {
    fprintf(stderr, "wasmlab spectest: cannot create a folder in %s\n", tmpdir ? tmpdir : "/tmp");
    total.failed = 1;
  } else {
    run_files(files, n, engine, wl_config_features(cfg), tmp, a, &total);
    if (a->keep) fprintf(stderr, "wasmlab spectest: converted files kept in %s\n", tmp);
    else rmdir(tmp);
    FILE *out = a->json ? stderr : stdout;
    st_print_counts(out, "total", &total);
    fprintf(out, "%lu passed, %lu failed\n", total.passed, total.failed);
  }
  wl_engine_delete(engine);
  for (size_t k = 0; k < n; k++) free(files[k]);
  free(files);
  return total.failed ? 1 : 0;
}

int wl_cli_spectest(int argc, char **argv) {
  wl_config *cfg = wl_config_new();
  if (!cfg) {
    fprintf(stderr, "wasmlab: out of memory\n");
    return 1;
  }
  spectest_args a = {.isolate = true, .timeout_seconds = 600};
  int status = parse_spectest_args(argc, argv, cfg, &a);
  if (status < 0) status = run_spectest(cfg, &a);
  wl_config_delete(cfg);
  return status;
}
