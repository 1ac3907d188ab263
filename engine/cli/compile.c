/* `wasmlab compile FILE.wasm -o FILE.so [--opt N] [engine options]`: AOT-compiles a module to
 * a shared object artifact. Run it with `WASMLAB_AOT_FILE=FILE.so wasmlab run --backend aot
 * FILE.wasm`; the engine refuses the artifact unless its key (module hash, wasmlab version,
 * features, optimization level, CPU) matches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/cli/cli_util.h"
#include "engine/cli/commands.h"
#include "engine/runtime/runtime.h"

#ifdef WASMLAB_HAVE_AOT
#include "backends/aot/aot.h"

static int usage(FILE *out, int status) {
  fprintf(out, "usage: wasmlab compile FILE.wasm -o FILE.so [--opt 0-3] [engine options]\n"
               "Compiles FILE.wasm ahead of time with LLVM (O2 by default) into an artifact;\n"
               "run it with: WASMLAB_AOT_FILE=FILE.so wasmlab run --backend aot FILE.wasm\n"
               "(an artifact built for another module, feature set, build or CPU is refused).\n");
  return status;
}

static int parse_opt(const char *s, uint32_t *opt) {
  if (!s || s[0] < '0' || s[0] > '3' || s[1]) {
    fprintf(stderr, "wasmlab compile: --opt takes 0, 1, 2 or 3\n");
    return -1;
  }
  *opt = (uint32_t)(s[0] - '0');
  return 0;
}

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

static int fail(wl_error *e, const char *path) {
  fprintf(stderr, "wasmlab compile: %s: %s\n", path, wl_error_message(e));
  wl_error_delete(e);
  return 1;
}

/* A fuel limit (--fuel) makes a metered artifact: only metered engines accept it. */
static int compile_file(const char *in, const char *out, const wl_config *cfg, uint32_t opt) {
  uint32_t features = cfg->features;
  uint8_t *bytes;
  size_t len;
  wl_error *read_error = wl_cli_read_file(in, &bytes, &len);
  if (read_error) return fail(read_error, in);
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  wl_moddesc *m = NULL;
  wl_error *e = wl_check_module_size(cfg, len);
  if (!e) e = wl_decode(bytes, len, features, &m);
  free(bytes);
  if (!e) e = wl_check_function_count(cfg, m);
  if (!e) e = wl_validate(m, features);
  if (!e) e = aot_compile_to_file(m, features, opt, cfg->fuel_limit ? &cfg->costs : NULL,
                                   cfg->aot_jobs, out);
  wl_moddesc_free(m);
  if (e) return fail(e, in);
  fprintf(stderr, "wasmlab compile: %s -> %s (O%u, %.3f s)\n", in, out, opt, seconds_since(&t0));
  return 0;
}

int wl_cli_compile(int argc, char **argv) {
  wl_config *cfg = wl_config_new();
  const char *in = NULL, *out = NULL;
  uint32_t opt = aot_default_opt_level();
  int rc = 0;
  for (int i = 1; i < argc && rc == 0; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      wl_config_delete(cfg);
      return usage(stdout, 0);
    } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
      out = argv[++i];
    } else if (!strcmp(argv[i], "--opt") && i + 1 < argc) {
      rc = parse_opt(argv[++i], &opt) ? 2 : 0;
    } else if (!strncmp(argv[i], "--opt=", 6)) {
      rc = parse_opt(argv[i] + 6, &opt) ? 2 : 0;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      int r = wl_cli_engine_option(cfg, argc, argv, &i);
      if (r == 0) fprintf(stderr, "wasmlab compile: unknown option %s\n", argv[i]);
      if (r <= 0) rc = 2;
    } else if (!in) {
      in = argv[i];
    } else {
      rc = usage(stderr, 2);
    }
  }
  if (rc == 0 && (!in || !out)) rc = usage(stderr, 2);
  if (rc == 0) rc = compile_file(in, out, cfg, opt);
  wl_config_delete(cfg);
  return rc;
}

#else

int wl_cli_compile(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "wasmlab compile: this build has no AOT backend (configure with -DWASMLAB_AOT=ON)\n");
  return 2;
}

#endif
