/* The engine's side of the compiler library: finding it, loading it on first use and
 * checking it was built with this engine; plus the small settings both halves share
 * (optimization level, phase timing).
 *
 * Why a separate library: libLLVM costs ~10 ms and ~50 MB RSS to load, which every wasmlab
 * process paid before, even `--version` or an interpreter run. Now only a process that
 * really compiles a module loads it; running a cached or `wasmlab compile`d artifact does not. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/aot/aot.h"

#ifndef WASMLAB_AOT_COMPILER_DIR
#define WASMLAB_AOT_COMPILER_DIR ""
#endif

double aot_clock(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void aot_report_phase(const char *what, double since) {
  static int on = -1;
  if (on < 0) on = getenv("WASMLAB_AOT_TIMING") != NULL;
  if (on) fprintf(stderr, "aot: %-10s %8.3f ms\n", what, (aot_clock() - since) * 1e3);
}

uint32_t aot_default_opt_level(void) {
  const char *s = getenv("WASMLAB_AOT_OPT");
  if (s && s[0] >= '0' && s[0] <= '3' && s[1] == 0) return (uint32_t)(s[0] - '0');
  return 2;
}

/* `dir`/AOT_COMPILER_LIB into out when it exists (out holds it either way). */
static bool candidate(const char *dir, char *out, size_t size) {
  int n = snprintf(out, size, "%s/%s", dir, AOT_COMPILER_LIB);
  return n > 0 && (size_t)n < size && access(out, R_OK) == 0;
}

/* The directory of `path` (a file name) into dir; false when it has none. */
static bool dir_of(const char *path, char *dir, size_t size) {
  const char *slash = strrchr(path, '/');
  if (!slash || (size_t)(slash - path) >= size) return false;
  memcpy(dir, path, (size_t)(slash - path));
  dir[slash - path] = 0;
  return true;
}

bool aot_compiler_path(char *out, size_t size) {
  const char *env = getenv("WASMLAB_AOT_COMPILER");
  if (env && *env) {
    snprintf(out, size, "%s", env);
    return access(out, R_OK) == 0;
  }
  char dir[PATH_MAX], exe[PATH_MAX], first[PATH_MAX] = "";
  Dl_info info;
  /* The engine's own image: libwasmlab.so, or the executable it is linked into. */
  if (dladdr((void *)aot_compiler_path, &info) && info.dli_fname &&
      dir_of(info.dli_fname, dir, sizeof dir)) {
    if (candidate(dir, out, size)) return true;
    snprintf(first, sizeof first, "%s", out);
  }
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    if (dir_of(exe, dir, sizeof dir) && candidate(dir, out, size)) return true;
    if (!*first) snprintf(first, sizeof first, "%s", out);
  }
  /* Embedders linking build/libwasmlab.a from elsewhere still find the build's copy. */
  if (*WASMLAB_AOT_COMPILER_DIR && candidate(WASMLAB_AOT_COMPILER_DIR, out, size)) return true;
  if (*first) snprintf(out, size, "%s", first);
  return false;
}

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const aot_compiler *compiler;
static char load_error[PATH_MAX + 256];

static const char *check_compiler(const aot_compiler *c) {
  if (c->iface != AOT_COMPILER_IFACE) return "another interface version";
  if (!c->version || strcmp(c->version, WASMLAB_VERSION)) return "another wasmlab version";
  if (!c->layout || c->layout() != aot_layout_fingerprint()) return "another engine layout";
  return NULL;
}

static void load_compiler(void) {
  char path[PATH_MAX];
  if (!aot_compiler_path(path, sizeof path)) {
    snprintf(load_error, sizeof load_error,
             "the AOT compiler library %s was not found (set WASMLAB_AOT_COMPILER)", path);
    return;
  }
  double t = aot_clock();
  void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  aot_report_phase("llvm-load", t);
  if (!dl) {
    snprintf(load_error, sizeof load_error, "cannot load the AOT compiler: %s", dlerror());
    return;
  }
  const aot_compiler *c = dlsym(dl, AOT_COMPILER_SYM);
  const char *why = c ? check_compiler(c) : "no " AOT_COMPILER_SYM " symbol";
  if (why) {
    snprintf(load_error, sizeof load_error, "the AOT compiler %s does not fit this engine: %s",
             path, why);
    dlclose(dl);
    return;
  }
  compiler = c;  /* stays loaded for the life of the process */
}

wl_error *aot_compile_object(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                             const wl_costs *costs, uint32_t jobs, aot_objects *out) {
  memset(out, 0, sizeof *out);
  pthread_once(&load_once, load_compiler);
  if (!compiler) return wl_err(WL_ERR_UNSUPPORTED, "aot: %s", load_error);
  return compiler->compile_object(m, features, opt_level, costs, jobs, out);
}

int (*aot_compiler_linker(void))(int argc, const char *const *argv, char **message) {
  pthread_once(&load_once, load_compiler);
  return compiler ? compiler->link : NULL;
}
