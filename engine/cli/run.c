#define _GNU_SOURCE  /* strchrnul */
/* `wasmlab run`: runs a WASI command's _start, or one exported function with --invoke. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli/cli_util.h"
#include "engine/cli/commands.h"
#include "engine/cli/hostmod_options.h"

#define MAX_LIST 64  /* --dir and --env entries */

typedef struct {
  const char *path;
  const char *invoke;           /* NULL: run WASI _start */
  bool plain;                   /* --invoke-format=plain: results without their type */
  wl_backtrace_style backtrace; /* --backtrace=off|short|full: frames printed after a trap */
  char **args;                  /* after FILE: guest argv[1..] or --invoke arguments */
  int nargs;
  wl_wasi_preopen dirs[MAX_LIST];
  size_t ndirs;
  const char *env[MAX_LIST];
  size_t nenv;
  wl_cli_hostmods hostmods;     /* --allow-command, --kv, ... */
  char *owned[MAX_LIST];        /* "KEY=VALUE" strings made for --env KEY */
  size_t nowned;
} run_options;

static void print_run_help(FILE *out) {
  fprintf(out,
          "usage: wasmlab run [engine options] [--dir HOST[::GUEST]] [--env K=V | --env K]\n"
          "                   [--invoke NAME [--invoke-format typed|plain]]\n"
          "                   [--backtrace off|short|full] FILE [ARGS...]\n"
          "       wasmlab FILE [ARGS...]          (the same as wasmlab run FILE ARGS...)\n"
          "FILE is a .wasm module, or a .wat module converted with wabt's wat2wasm. Every\n"
          "option may also be written --option=VALUE.\n"
          "Without --invoke, runs the WASI command's _start with ARGS as its arguments (argv[0]\n"
          "is FILE); --dir preopens a host directory (as GUEST, default the same path; '.'\n"
          "components and trailing slashes are dropped) and --env passes a variable (--env K\n"
          "passes the host's value of K, or nothing when K is not set).\n"
          "With --invoke NAME, calls the exported function NAME with ARGS converted to its\n"
          "parameter types, written as the text format writes constants: i32/i64 decimal or\n"
          "0x hex with an optional sign and _ separators, f32/f64 decimal or hex floats, inf,\n"
          "nan or nan:0xPAYLOAD with an optional sign, externref as a number or null, funcref\n"
          "as null. Each result is printed on its own line as <type>:<value> (i32:-5,\n"
          "f32:1.5, f64:-nan:0x1, externref:42, funcref:null); --invoke-format=plain prints\n"
          "the value alone. Typed is the default because scripts parse it: only the type\n"
          "tells an f32 from an f64 or a NaN payload from a number.\n"
          "After a trap, its wasm backtrace follows the error line on stderr, innermost frame\n"
          "first, as wasmtime prints it: the module offset of the trapping instruction (or of\n"
          "the call, for outer frames), then module!function from the name section\n"
          "(<unknown> and <wasm function N> without one). --backtrace=short (the default)\n"
          "shows the innermost 32 frames; full shows every recorded frame with its function\n"
          "index, offset in the function and the import it calls; off prints none.\n"
          "\n"
          "exit status:\n"
          "  0      success (_start returned, or --invoke printed its results)\n"
          "  N      the guest called proc_exit(N), 0 <= N <= 255 (with or without --invoke)\n"
          "  255    the guest exited with a status outside 0-255 (a note on stderr gives it)\n"
          "  1      an error: the file cannot be read, decoded, validated, linked or\n"
          "         instantiated, a trap, a bad --invoke argument (one line on stderr)\n"
          "  2      a usage error (one line on stderr)\n");
  wl_cli_hostmods_help(out);
}

/* "a/./b//" -> "a/b"; "/" stays "/", "./" becomes ".". In place. */
static void normalize_guest_path(char *p) {
  char *out = p;
  const char *in = p;
  bool absolute = *p == '/';
  if (absolute) *out++ = *in++;
  while (*in) {
    while (*in == '/') in++;
    const char *end = strchrnul(in, '/');
    size_t n = (size_t)(end - in);
    bool dot = n == 1 && in[0] == '.';
    if (n && !dot) {
      if (out > p && out[-1] != '/') *out++ = '/';
      memmove(out, in, n);
      out += n;
    }
    in = end;
  }
  if (out == p) *out++ = '.';
  *out = '\0';
}

static int add_dir(run_options *o, char *spec) {
  if (o->ndirs == MAX_LIST) return -1;
  char *sep = strstr(spec, "::");
  wl_wasi_preopen *d = &o->dirs[o->ndirs];
  d->host_path = spec;
  d->guest_path = spec;
  if (sep) {
    *sep = '\0';  /* split "HOST::GUEST" in place; argv strings are writable */
    d->guest_path = sep + 2;
  }
  if (!*d->host_path || !*d->guest_path) {
    fprintf(stderr, "wasmlab run: --dir: the %s path is empty\n", *d->host_path ? "guest" : "host");
    return -2;
  }
  if (sep) normalize_guest_path(sep + 2);
  o->ndirs++;
  return 0;
}

static int add_env(run_options *o, char *value) {
  if (o->nenv == MAX_LIST) return -1;
  if (!*value || *value == '=') {
    fprintf(stderr, "wasmlab run: --env expects KEY=VALUE or KEY, got '%s'\n", value);
    return -2;
  }
  if (strchr(value, '=')) {
    o->env[o->nenv++] = value;
    return 0;
  }
  const char *host = getenv(value);
  if (!host) return 0;  /* not set on the host: the guest does not see it either */
  size_t n = strlen(value) + strlen(host) + 2;
  char *pair = malloc(n);
  if (!pair) return -1;
  snprintf(pair, n, "%s=%s", value, host);
  o->owned[o->nowned++] = pair;
  o->env[o->nenv++] = pair;
  return 0;
}

static int set_invoke(run_options *o, char *value) {
  o->invoke = value;
  return 0;
}

static int set_backtrace(run_options *o, char *value) {
  static const char *const styles[] = {"off", "short", "full"};
  for (int k = 0; k < 3; k++)
    if (!strcmp(value, styles[k])) {
      o->backtrace = (wl_backtrace_style)k;
      return 0;
    }
  fprintf(stderr, "wasmlab run: --backtrace is off, short or full, got '%s'\n", value);
  return -2;
}

static int set_invoke_format(run_options *o, char *value) {
  if (strcmp(value, "typed") && strcmp(value, "plain")) {
    fprintf(stderr, "wasmlab run: --invoke-format is typed or plain, got '%s'\n", value);
    return -2;
  }
  o->plain = !strcmp(value, "plain");
  return 0;
}

/* The run-specific options, each taking a value as "--name VALUE" or "--name=VALUE". To add
 * one, add a row. apply returns 0, -1 for "too many" (or out of memory), -2 after its own
 * message. */
static const struct {
  const char *name;
  int (*apply)(run_options *o, char *value);
} run_flags[] = {
    {"--dir", add_dir},
    {"--env", add_env},
    {"--invoke", set_invoke},
    {"--invoke-format", set_invoke_format},
    {"--backtrace", set_backtrace},
};

/* Handles one run-specific option at argv[*i]. Returns 1 if taken, 0 if not one, -1 on error. */
static int run_option(run_options *o, int argc, char **argv, int *i) {
  for (size_t k = 0; k < sizeof run_flags / sizeof run_flags[0]; k++) {
    int missing = 0;
    char *value = (char *)wl_cli_option_value(run_flags[k].name, argc, argv, i, &missing);
    if (missing) {
      fprintf(stderr, "wasmlab run: %s needs a value\n", run_flags[k].name);
      return -1;
    }
    if (!value) continue;
    int r = run_flags[k].apply(o, value);
    if (r == -1) fprintf(stderr, "wasmlab run: at most %d %s options\n", MAX_LIST, run_flags[k].name);
    return r < 0 ? -1 : 1;
  }
  return 0;
}

static bool looks_like_module(const char *s) {
  size_t n = strlen(s);
  return (n > 5 && !strcmp(s + n - 5, ".wasm")) || (n > 4 && !strcmp(s + n - 4, ".wat"));
}

static int missing_file(const run_options *o) {
  if (o->invoke && looks_like_module(o->invoke))
    fprintf(stderr, "wasmlab run: --invoke needs a function name before FILE (it got '%s' and "
                    "no FILE)\n", o->invoke);
  else
    fprintf(stderr, "wasmlab run: no FILE given (see 'wasmlab run --help')\n");
  return 2;
}

/* Returns -1 to go on, else the exit code. Options stop at FILE; the rest are ARGS. */
static int parse_run_args(int argc, char **argv, wl_config *cfg, run_options *o) {
  int i = 1;
  for (; i < argc && !o->path; i++) {
    const char *arg = argv[i];
    if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
      print_run_help(stdout);
      return 0;
    }
    if (!strcmp(arg, "--")) {
      if (i + 1 < argc) o->path = argv[++i];
      continue;
    }
    int r = wl_cli_engine_option(cfg, argc, argv, &i);
    if (r == 0) r = run_option(o, argc, argv, &i);
    if (r == 0) r = wl_cli_hostmod_option(&o->hostmods, argc, argv, &i);
    if (r < 0) return 2;
    if (r > 0) continue;
    if (arg[0] == '-' && arg[1] != '\0') {
      fprintf(stderr, "wasmlab run: unknown option '%s'\n", arg);
      return 2;
    }
    o->path = arg;
  }
  if (!o->path) return missing_file(o);
  o->args = argv + i;
  o->nargs = argc - i;
  return -1;
}

/* ---------------------------------------------------------------- --invoke arguments */

static void describe_params(const wl_func *f, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < wl_func_param_count(f) && used < size; k++)
    used += snprintf(buf + used, size - used, "%s%s", k ? " " : "",
                     wl_cli_valkind_name(wl_func_param(f, k)));
}

static int parse_invoke_args(const run_options *o, const wl_func *f, wl_val *args) {
  size_t want = wl_func_param_count(f);
  if ((size_t)o->nargs != want) {
    char params[256];
    describe_params(f, params, sizeof params);
    fprintf(stderr, "wasmlab: %s: '%s' takes %zu argument%s (%s), got %d\n", o->path, o->invoke,
            want, want == 1 ? "" : "s", params, o->nargs);
    return 0;
  }
  for (size_t k = 0; k < want; k++) {
    wl_valkind kind = wl_func_param(f, k);
    if (!wl_cli_parse_val(o->args[k], kind, &args[k])) {
      fprintf(stderr, "wasmlab: %s: argument %zu of '%s': '%s' is not a valid %s\n", o->path,
              k + 1, o->invoke, o->args[k], wl_cli_valkind_name(kind));
      return 0;
    }
  }
  return 1;
}

/* "add (func), memory (memory), g (global)", or "nothing" */
static void describe_exports(const wl_module *m, char *buf, size_t size) {
  static const char *const kinds[] = {"func", "table", "memory", "global"};
  size_t used = 0, n = wl_module_export_count(m);
  snprintf(buf, size, "nothing");
  for (size_t k = 0; k < n && used < size; k++) {
    wl_export_info e = wl_module_export(m, k);
    used += (size_t)snprintf(buf + used, size - used, "%s%s (%s)", k ? ", " : "", e.name,
                             kinds[e.kind & 3]);
  }
}

static void print_backtrace(const run_options *o, const wl_error *e) {
  size_t n = wl_backtrace_format(e, o->backtrace, NULL, 0);
  char *text = n ? malloc(n + 1) : NULL;
  if (!text) return;
  wl_backtrace_format(e, o->backtrace, text, n + 1);
  fputs(text, stderr);
  free(text);
}

/* The exit status for an error: the guest's own code for proc_exit (also from a start
 * function during instantiation, or under --invoke), else 1 after one line on stderr naming
 * `context`. Consumes e. */
static int error_status(const run_options *o, const char *context, wl_error *e) {
  if (!e) return 0;
  int status = 1;
  if (wl_error_kind_of(e) == WL_ERR_EXIT)
    status = wl_cli_guest_exit_status(o->path, wl_error_exit_code(e));
  else {
    wl_cli_print_error(context, e);
    print_backtrace(o, e);
  }
  wl_error_delete(e);
  return status;
}

static void print_results(const run_options *o, const wl_val *results, size_t n) {
  for (size_t k = 0; k < n; k++) {
    char text[128];
    wl_cli_format_val(text, sizeof text, &results[k]);
    printf("%s\n", o->plain ? wl_cli_plain_val(text) : text);
  }
}

static int invoke_export(const run_options *o, wl_store *store, const wl_module *m,
                         wl_instance *inst) {
  wl_extern ext;
  if (!wl_instance_export(inst, o->invoke, &ext) || ext.kind != WL_EXTERN_FUNC) {
    char exports[1024];
    describe_exports(m, exports, sizeof exports);
    fprintf(stderr, "wasmlab: %s: no exported function '%s'; it exports %s\n", o->path,
            o->invoke, exports);
    return 1;
  }
  wl_func *f = ext.of.func;
  size_t nparams = wl_func_param_count(f), nresults = wl_func_result_count(f);
  wl_val *args = calloc(nparams + 1, sizeof *args);
  wl_val *results = calloc(nresults + 1, sizeof *results);
  int status = 1;
  if (args && results && parse_invoke_args(o, f, args)) {
    status = error_status(o, o->invoke, wl_func_call(store, f, args, nparams, results, nresults));
    if (status == 0) print_results(o, results, nresults);
  }
  free(args);
  free(results);
  return status;
}

/* ---------------------------------------------------------------- running */

static wl_error *make_wasi(const run_options *o, const char **guest_argv, wl_wasi **out) {
  guest_argv[0] = o->path;
  size_t nguest = 1;
  if (!o->invoke)
    for (int k = 0; k < o->nargs; k++) guest_argv[nguest++] = o->args[k];
  wl_wasi_options w = {
      .args = guest_argv, .nargs = nguest, .env = o->env, .nenv = o->nenv,
      .preopens = o->dirs, .npreopens = o->ndirs,
      .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2,
  };
  return wl_wasi_new(&w, out);
}

static wl_error *load_module(wl_engine *engine, const char *path, wl_module **out) {
  uint8_t *bytes = NULL;
  size_t len = 0;
  wl_error *e = wl_cli_read_file(path, &bytes, &len);
  if (!e) e = wl_module_new(engine, bytes, len, out);
  free(bytes);
  return e;
}

/* A module without _start is a reactor or a library: say what to do instead. */
static int run_start(const run_options *o, wl_store *store, const wl_module *m,
                     wl_instance *inst) {
  wl_extern start;
  if (!wl_instance_export(inst, "_start", &start)) {
    char exports[1024];
    describe_exports(m, exports, sizeof exports);
    fprintf(stderr, "wasmlab: %s: the module has no _start (a reactor or library, not a "
                    "command); call an export with --invoke NAME; it exports %s\n", o->path, exports);
    return 1;
  }
  return error_status(o, o->path, wl_wasi_run_start(store, inst));
}

static int run_module(const wl_config *cfg, run_options *o) {
  wl_engine *engine = NULL;
  wl_store *store = NULL;
  wl_module *module = NULL;
  wl_linker *linker = NULL;
  wl_wasi *wasi = NULL;
  wl_instance *inst = NULL;
  const char *context = o->path;
  const char **guest_argv = calloc((size_t)o->nargs + 1, sizeof *guest_argv);
  wl_error *e = guest_argv ? wl_engine_new(cfg, &engine)
                           : wl_error_new(WL_ERR_RESOURCE, "out of memory");
  if (!e) e = load_module(engine, o->path, &module);
  if (!e && !(store = wl_store_new(engine))) e = wl_error_new(WL_ERR_RESOURCE, "out of memory");
  if (!e && !(linker = wl_linker_new(store))) e = wl_error_new(WL_ERR_RESOURCE, "out of memory");
  if (!e && (e = make_wasi(o, guest_argv, &wasi))) context = "--dir";  /* not the module's fault */
  if (!e) e = wl_linker_define_wasi(linker, wasi);
  if (!e) e = wl_cli_hostmods_define(&o->hostmods, linker);
  if (!e && (e = wl_linker_instantiate(linker, module, &inst)) &&
      wl_error_kind_of(e) == WL_ERR_TRAP)
    context = "start function";  /* the only code that runs while instantiating */
  int status;
  if (e) status = error_status(o, context, e);
  else if (o->invoke) status = invoke_export(o, store, module, inst);
  else status = run_start(o, store, module, inst);
  fflush(stdout);
  wl_linker_delete(linker);
  wl_store_delete(store);
  wl_wasi_delete(wasi);
  wl_cli_hostmods_release(&o->hostmods);
  wl_module_delete(module);
  wl_engine_delete(engine);
  free(guest_argv);
  return status;
}

int wl_cli_run(int argc, char **argv) {
  wl_config *cfg = wl_config_new();
  run_options *o = calloc(1, sizeof *o);
  if (!cfg || !o) {
    fprintf(stderr, "wasmlab: out of memory\n");
    wl_config_delete(cfg);
    free(o);
    return 1;
  }
  o->backtrace = WL_BACKTRACE_SHORT;
  int status = parse_run_args(argc, argv, cfg, o);
  if (status < 0) status = run_module(cfg, o);
  for (size_t k = 0; k < o->nowned; k++) free(o->owned[k]);
  wl_config_delete(cfg);
  free(o);
  return status;
}
