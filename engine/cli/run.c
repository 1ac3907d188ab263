/* `wasmlab run`: runs a WASI command's _start, or one exported function with --invoke. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
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
  char **args;                  /* after FILE: guest argv[1..] or --invoke arguments */
  int nargs;
  wl_wasi_preopen dirs[MAX_LIST];
  size_t ndirs;
  const char *env[MAX_LIST];
  size_t nenv;
  wl_cli_hostmods hostmods;     /* --allow-command, --kv, ... */
} run_options;

static void print_run_help(FILE *out) {
  fprintf(out,
          "usage: wasmlab run [engine options] [--dir HOST[::GUEST]] [--env K=V]\n"
          "                   [--invoke NAME] FILE.wasm [ARGS...]\n"
          "Without --invoke, runs the WASI command's _start with ARGS as its arguments (argv[0]\n"
          "is FILE.wasm); --dir preopens a host directory (as GUEST, default the same path) and\n"
          "--env passes a variable. The exit status is the guest's proc_exit code (0 when\n"
          "_start returns).\n"
          "With --invoke NAME, calls the exported function NAME with ARGS converted to its\n"
          "parameter types: i32/i64 as decimal or 0x hex (negative allowed), f32/f64 as decimal,\n"
          "hex float, nan or [-]inf, externref as a number or null, funcref as null. Each result\n"
          "is printed on its own line as <type>:<value>, e.g. i32:-5, i64:7, f32:1.5,\n"
          "f64:-inf, externref:42, funcref:null (integers signed decimal; floats with enough\n"
          "digits to read back exactly).\n"
          "Errors (a missing file or export, a malformed module, wrong arguments, a trap) print\n"
          "one line on stderr and exit 1; usage errors exit 2.\n");
  wl_cli_hostmods_help(out);
}

static int add_dir(run_options *o, char *spec) {
  if (o->ndirs == MAX_LIST) return -1;
  char *sep = strstr(spec, "::");
  wl_wasi_preopen *d = &o->dirs[o->ndirs++];
  d->host_path = spec;
  d->guest_path = spec;
  if (sep) {
    *sep = '\0';  /* split "HOST::GUEST" in place; argv strings are writable */
    d->guest_path = sep + 2;
  }
  return 0;
}

/* Handles one run-specific option at argv[*i]. Returns 1 if taken, 0 if not one, -1 on error. */
static int run_option(run_options *o, int argc, char **argv, int *i) {
  const char *arg = argv[*i];
  int is_dir = !strcmp(arg, "--dir"), is_env = !strcmp(arg, "--env");
  int is_invoke = !strcmp(arg, "--invoke");
  if (!is_dir && !is_env && !is_invoke) return 0;
  if (*i + 1 >= argc) {
    fprintf(stderr, "wasmlab run: %s needs a value\n", arg);
    return -1;
  }
  char *value = argv[++*i];
  if (is_invoke) {
    o->invoke = value;
  } else if (is_dir) {
    if (add_dir(o, value) < 0) goto too_many;
  } else {
    if (!strchr(value, '=')) {
      fprintf(stderr, "wasmlab run: --env expects KEY=VALUE, got '%s'\n", value);
      return -1;
    }
    if (o->nenv == MAX_LIST) goto too_many;
    o->env[o->nenv++] = value;
  }
  return 1;
too_many:
  fprintf(stderr, "wasmlab run: at most %d %s options\n", MAX_LIST, arg);
  return -1;
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
  if (!o->path) {
    print_run_help(stderr);
    return 2;
  }
  o->args = argv + i;
  o->nargs = argc - i;
  return -1;
}

/* ---------------------------------------------------------------- --invoke arguments */

static int parse_int(const char *text, int bits, wl_val *out) {
  const char *digits = text[0] == '-' ? text + 1 : text;
  int base = (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) ? 16 : 10;
  char *end;
  errno = 0;
  unsigned long long magnitude = strtoull(digits, &end, base);
  if (errno || end == digits || *end != '\0' || digits[0] == '-' || digits[0] == '+') return 0;
  /* Accept the signed and the unsigned range: -2^(bits-1) .. 2^bits - 1. */
  unsigned long long limit = bits == 32 ? 0xFFFFFFFFull : ~0ull;
  unsigned long long negative_limit = 1ull << (bits - 1);
  if (text[0] == '-' ? magnitude > negative_limit : magnitude > limit) return 0;
  uint64_t v = text[0] == '-' ? (uint64_t)0 - magnitude : magnitude;
  *out = bits == 32 ? wl_val_i32((int32_t)(uint32_t)v) : wl_val_i64((int64_t)v);
  return 1;
}

static int parse_float(const char *text, wl_valkind kind, wl_val *out) {
  char *end;
  errno = 0;
  if (kind == WL_F32) {
    float f = strtof(text, &end);
    if (end == text || *end != '\0' || (errno == ERANGE && isinf(f))) return 0;
    *out = wl_val_f32(f);
  } else {
    double d = strtod(text, &end);
    if (end == text || *end != '\0' || (errno == ERANGE && isinf(d))) return 0;
    *out = wl_val_f64(d);
  }
  return 1;
}

static int parse_ref(const char *text, wl_valkind kind, wl_val *out) {
  if (!strcmp(text, "null")) {
    *out = wl_val_null(kind);
    return 1;
  }
  if (kind != WL_EXTERNREF) return 0;  /* a funcref cannot be named on a command line */
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 0);
  if (errno || end == text || *end != '\0' || text[0] == '-' || v == UINTPTR_MAX) return 0;
  *out = wl_val_externref((void *)(uintptr_t)v);
  return 1;
}

/* A v128 is written as one 128-bit hex integer, "0x" and 1..32 digits: its least significant
 * byte is lane 0 of the i8x16 view (the way wl_cli_format_val prints it). */
static int parse_v128(const char *text, wl_val *out) {
  if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return 0;
  size_t n = strlen(text + 2);
  if (n == 0 || n > 32) return 0;
  uint8_t bytes[16] = {0};
  for (size_t k = 0; k < n; k++) {
    char c = text[2 + n - 1 - k];  /* k-th digit from the least significant end */
    if (!isxdigit((unsigned char)c)) return 0;
    int d = isdigit((unsigned char)c) ? c - '0' : (c | 0x20) - 'a' + 10;
    bytes[k / 2] |= (uint8_t)(d << (4 * (k % 2)));
  }
  *out = wl_val_v128(bytes);
  return 1;
}

static int parse_arg(const char *text, wl_valkind kind, wl_val *out) {
  switch (kind) {
    case WL_I32: return parse_int(text, 32, out);
    case WL_I64: return parse_int(text, 64, out);
    case WL_F32:
    case WL_F64: return parse_float(text, kind, out);
    case WL_FUNCREF:
    case WL_EXTERNREF: return parse_ref(text, kind, out);
    case WL_V128: return parse_v128(text, out);
    default: return 0;
  }
}

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
    if (!parse_arg(o->args[k], kind, &args[k])) {
      fprintf(stderr, "wasmlab: %s: argument %zu of '%s': '%s' is not a valid %s\n", o->path,
              k + 1, o->invoke, o->args[k], wl_cli_valkind_name(kind));
      return 0;
    }
  }
  return 1;
}

static int invoke_export(const run_options *o, wl_store *store, wl_instance *inst) {
  wl_extern ext;
  if (!wl_instance_export(inst, o->invoke, &ext) || ext.kind != WL_EXTERN_FUNC) {
    fprintf(stderr, "wasmlab: %s: no exported function '%s'\n", o->path, o->invoke);
    return 1;
  }
  wl_func *f = ext.of.func;
  size_t nparams = wl_func_param_count(f), nresults = wl_func_result_count(f);
  wl_val *args = calloc(nparams + 1, sizeof *args);
  wl_val *results = calloc(nresults + 1, sizeof *results);
  int status = 1;
  if (args && results && parse_invoke_args(o, f, args)) {
    wl_error *e = wl_func_call(store, f, args, nparams, results, nresults);
    if (e) {
      wl_cli_print_error(o->invoke, e);
      wl_error_delete(e);
    } else {
      for (size_t k = 0; k < nresults; k++) {
        char text[128];
        wl_cli_format_val(text, sizeof text, &results[k]);
        printf("%s\n", text);
      }
      status = 0;
    }
  }
  free(args);
  free(results);
  return status;
}

/* ---------------------------------------------------------------- running */

/* The exit status for an error: the guest's own code for proc_exit (also from a start
 * function during instantiation), else 1 after one line on stderr. Consumes e. */
static int error_status(const run_options *o, wl_error *e) {
  if (!e) return 0;
  int status = 1;
  if (wl_error_kind_of(e) == WL_ERR_EXIT) status = wl_error_exit_code(e);
  else wl_cli_print_error(o->path, e);
  wl_error_delete(e);
  return status;
}

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

static int run_module(const wl_config *cfg, run_options *o) {
  wl_engine *engine = NULL;
  wl_store *store = NULL;
  wl_module *module = NULL;
  wl_linker *linker = NULL;
  wl_wasi *wasi = NULL;
  wl_instance *inst = NULL;
  const char **guest_argv = calloc((size_t)o->nargs + 1, sizeof *guest_argv);
  wl_error *e = guest_argv ? wl_engine_new(cfg, &engine)
                           : wl_error_new(WL_ERR_RESOURCE, "out of memory");
  if (!e) e = wl_module_from_file(engine, o->path, &module);
  if (!e && !(store = wl_store_new(engine))) e = wl_error_new(WL_ERR_RESOURCE, "out of memory");
  if (!e && !(linker = wl_linker_new(store))) e = wl_error_new(WL_ERR_RESOURCE, "out of memory");
  if (!e) e = make_wasi(o, guest_argv, &wasi);
  if (!e) e = wl_linker_define_wasi(linker, wasi);
  if (!e) e = wl_cli_hostmods_define(&o->hostmods, linker);
  if (!e) e = wl_linker_instantiate(linker, module, &inst);
  int status;
  if (e) {
    status = error_status(o, e);
  } else if (o->invoke) {
    status = invoke_export(o, store, inst);
  } else {
    status = error_status(o, wl_wasi_run_start(store, inst));
  }
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
  int status = parse_run_args(argc, argv, cfg, o);
  if (status < 0) status = run_module(cfg, o);
  wl_config_delete(cfg);
  free(o);
  return status;
}
