/* Engine options shared by every subcommand (see commands.h). Each error names the flag. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli/commands.h"

/* Matches "--name VALUE" and "--name=VALUE". Returns the value, or NULL when argv[*i] is not
 * this option; sets *missing when the option is there but its value is not. */
const char *wl_cli_option_value(const char *name, int argc, char **argv, int *i, int *missing) {
  const char *arg = argv[*i];
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0) return NULL;
  if (arg[n] == '=') return arg + n + 1;
  if (arg[n] != '\0') return NULL;
  if (*i + 1 >= argc) {
    *missing = 1;
    return NULL;
  }
  *i += 1;
  return argv[*i];
}

static int parse_u64(const char *flag, const char *text, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || end == text || *end != '\0' || text[0] == '-') {
    fprintf(stderr, "wasmlab: %s expects a non-negative integer, got '%s'\n", flag, text);
    return -1;
  }
  *out = v;
  return 1;
}

static int set_backend(wl_config *cfg, const char *name) {
  wl_backend_kind kind;
  wl_error *e = wl_backend_from_name(name, &kind);
  if (!e && !wl_backend_available(kind))
    e = wl_error_new(WL_ERR_UNSUPPORTED, "backend '%s' is not built into this wasmlab", name);
  if (!e) e = wl_config_set_backend(cfg, kind);
  if (e) {
    fprintf(stderr, "wasmlab: --backend %s: %s\n", name, wl_error_message(e));
    wl_error_delete(e);
    return -1;
  }
  return 1;
}

static int set_feature(wl_config *cfg, const char *flag, const char *name, int on) {
  wl_error *e = wl_config_enable(cfg, name, on);
  if (!e) return 1;
  fprintf(stderr, "wasmlab: %s: %s\n", flag, wl_error_message(e));
  wl_error_delete(e);
  return -1;
}

static int numeric_option(wl_config *cfg, const char *flag, const char *value) {
  uint64_t n;
  if (parse_u64(flag, value, &n) < 0) return -1;
  if (strcmp(flag, "--fuel") == 0) {
    wl_config_set_fuel(cfg, n);
  } else if (strcmp(flag, "--aot-jobs") == 0) {
    if (n > 256) {
      fprintf(stderr, "wasmlab: --aot-jobs must be between 0 (one per core) and 256\n");
      return -1;
    }
    wl_config_set_aot_jobs(cfg, (uint32_t)n);
  } else {
    if (n == 0 || n > UINT32_MAX) {
      fprintf(stderr, "wasmlab: --max-call-depth must be between 1 and %" PRIu32 "\n", UINT32_MAX);
      return -1;
    }
    wl_config_set_max_call_depth(cfg, (uint32_t)n);
  }
  return 1;
}

/* Resource limits (wl_config_set_max_*): "--max-NAME N", 0 = no limit. */
static const struct {
  const char *flag;
  void (*set)(wl_config *, uint64_t);
} limit_flags[] = {
    {"--max-table-elements", wl_config_set_max_table_elements},
    {"--max-memory-bytes", wl_config_set_max_memory_bytes},
    {"--max-module-bytes", wl_config_set_max_module_bytes},
    {"--max-functions", wl_config_set_max_functions},
};

static int limit_option(wl_config *cfg, int argc, char **argv, int *i) {
  for (size_t k = 0; k < sizeof limit_flags / sizeof limit_flags[0]; k++) {
    int missing = 0;
    const char *value = wl_cli_option_value(limit_flags[k].flag, argc, argv, i, &missing);
    if (missing) {
      fprintf(stderr, "wasmlab: %s needs a value\n", limit_flags[k].flag);
      return -1;
    }
    if (!value) continue;
    uint64_t n;
    if (parse_u64(limit_flags[k].flag, value, &n) < 0) return -1;
    limit_flags[k].set(cfg, n);
    return 1;
  }
  return 0;
}

/* --cost-table FILE: the metering cost of each instruction (wl_config_load_cost_table). */
static int cost_table_option(wl_config *cfg, int argc, char **argv, int *i) {
  int missing = 0;
  const char *path = wl_cli_option_value("--cost-table", argc, argv, i, &missing);
  if (missing) fprintf(stderr, "wasmlab: --cost-table needs a file\n");
  if (!path) return missing ? -1 : 0;
  wl_error *e = wl_config_load_cost_table(cfg, path);
  if (!e) return 1;
  fprintf(stderr, "wasmlab: --cost-table: %s\n", wl_error_message(e));
  wl_error_delete(e);
  return -1;
}

int wl_cli_engine_option(wl_config *cfg, int argc, char **argv, int *i) {
  const char *arg = argv[*i];
  int missing = 0;
  const char *value;
  if (strcmp(arg, "--mvp") == 0) {
    wl_config_set_mvp(cfg);
    return 1;
  }
  if (strncmp(arg, "--enable-", 9) == 0) return set_feature(cfg, arg, arg + 9, 1);
  if (strncmp(arg, "--disable-", 10) == 0) return set_feature(cfg, arg, arg + 10, 0);
  static const char *const valued[] = {"--backend", "--fuel", "--max-call-depth", "--aot-jobs"};
  for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
    value = wl_cli_option_value(valued[k], argc, argv, i, &missing);
    if (missing) {
      fprintf(stderr, "wasmlab: %s needs a value\n", valued[k]);
      return -1;
    }
    if (!value) continue;
    if (k == 0) return set_backend(cfg, value);
    return numeric_option(cfg, valued[k], value);
  }
  int limit = limit_option(cfg, argc, argv, i);
  return limit ? limit : cost_table_option(cfg, argc, argv, i);
}
