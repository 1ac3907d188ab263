/* `wasmlab validate [engine opts] FILE.wasm`: decode + validate; prints "ok" or the error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli/cli_util.h"
#include "engine/cli/commands.h"

static void print_validate_help(FILE *out) {
  fprintf(out,
          "usage: wasmlab validate [engine options] FILE.wasm\n"
          "Decodes and validates FILE.wasm with the configured features. Prints \"ok\" and exits 0\n"
          "when it is valid; otherwise prints one line \"wasmlab: FILE: <malformed|invalid>: ...\"\n"
          "on stderr and exits 1. Usage errors exit 2.\n");
}

/* Parses the arguments into cfg and *path. Returns -1 to go on, else the exit code. */
static int parse_validate_args(int argc, char **argv, wl_config *cfg, const char **path) {
  for (int i = 1; i < argc; i++) {
    int r = wl_cli_engine_option(cfg, argc, argv, &i);
    if (r < 0) return 2;
    if (r > 0) continue;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      print_validate_help(stdout);
      return 0;
    }
    if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "wasmlab validate: unknown option '%s'\n", argv[i]);
      return 2;
    }
    if (*path) {
      fprintf(stderr, "wasmlab validate: one file at a time ('%s' and '%s')\n", *path, argv[i]);
      return 2;
    }
    *path = argv[i];
  }
  if (!*path) {
    print_validate_help(stderr);
    return 2;
  }
  return -1;
}

static int validate_file(const wl_config *cfg, const char *path) {
  wl_engine *engine = NULL;
  uint8_t *bytes = NULL;
  size_t len = 0;
  wl_error *e = wl_engine_new(cfg, &engine);
  if (!e) e = wl_cli_read_file(path, &bytes, &len);
  if (!e) e = wl_module_validate(engine, bytes, len);
  int status = 0;
  if (e) {
    wl_cli_print_error(path, e);
    wl_error_delete(e);
    status = 1;
  } else {
    printf("ok\n");
  }
  free(bytes);
  wl_engine_delete(engine);
  return status;
}

int wl_cli_validate(int argc, char **argv) {
  wl_config *cfg = wl_config_new();
  if (!cfg) {
    fprintf(stderr, "wasmlab: out of memory\n");
    return 1;
  }
  const char *path = NULL;
  int status = parse_validate_args(argc, argv, cfg, &path);
  if (status < 0) status = validate_file(cfg, path);
  wl_config_delete(cfg);
  return status;
}
