/* The `wasmlab` command: dispatches argv[1] to a subcommand (commands.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/backend.h"
#include "engine/cli/commands.h"
#include "spectest/fuzz.h"

typedef int (*command_fn)(int argc, char **argv);

static const struct {
  const char *name;
  command_fn run;
  const char *summary;  /* NULL: hidden from --help (developer tools) */
} commands[] = {
    {"run", wl_cli_run, "run a module (WASI _start, or an export with --invoke); traps\n"
                        "             print a wasm backtrace (--backtrace=off|short|full)"},
    {"validate", wl_cli_validate, "decode and validate a module"},
    {"spectest", wl_cli_spectest, "run WebAssembly spec tests (.wast files)"},
    {"compile", wl_cli_compile, "compile a module ahead of time to a shared object"},
    {"cache", wl_cli_cache, "AOT artifact cache: info, clean, prune [--max-size N]"},
    {"fuzz-validate", wl_cli_fuzz_validate, NULL},
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

/* "interp|aot": the backends this build has (help never offers one it lacks). */
static void built_backends(char *buf, size_t size) {
  const wl_backend_kind all[] = {WL_BACKEND_INTERP, WL_BACKEND_JIT, WL_BACKEND_AOT};
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < sizeof all / sizeof all[0] && used < size; i++)
    if (wl_backend_available(all[i]))
      used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "|" : "",
                               wl_backend_name(all[i]));
}

static void print_usage(FILE *out) {
  char backends[64];
  built_backends(backends, sizeof backends);
  fprintf(out,
          "usage: wasmlab <command> [options] ...\n"
          "       wasmlab FILE.wasm [ARGS...]   (short for: wasmlab run FILE.wasm ARGS...)\n"
          "       wasmlab --version [--verbose]\n\n"
          "commands:\n");
  for (size_t i = 0; i < COMMAND_COUNT; i++)
    if (commands[i].summary) fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\nengine options (every command; also as --option=VALUE):\n"
          "  --backend %-16s execution backend (default interp)\n", backends);
  fprintf(out,
          "  --enable-<feature>         turn a proposal on\n"
          "  --disable-<feature>        turn a proposal off\n"
          "  --mvp                      the W3C Wasm 1.0 feature set\n"
          "  --fuel N                   trap after N executed instructions (0 = unlimited)\n"
          "  --cost-table FILE          metering costs: lines \"<instruction> <units> [<per-item>]\"\n"
          "  --max-call-depth N         trap with \"call stack exhausted\" past N nested calls\n"
          "  --aot-jobs N               AOT code generation threads (default 0: one per core)\n"
          "  --max-table-elements N     limit the elements of all tables (default 20000000)\n"
          "  --max-memory-bytes N       limit the bytes of all memories (default 8 GiB)\n"
          "  --max-module-bytes N       refuse to compile larger modules (default 256 MiB)\n"
          "  --max-functions N          refuse to compile more functions (default 50000)\n"
          "\nexit status: 0 success; the guest's proc_exit code (0-255) for run; 255 when the\n"
          "guest's status is outside 0-255 (with a note); 1 an error (unreadable, malformed,\n"
          "invalid or unlinkable module, trap); 2 a usage error.\n"
          "\n'wasmlab <command> --help' describes a command; 'wasmlab --version --verbose' lists\n"
          "the features and backends of this build.\n");
}

/* Build options as the compiler saw them: the CLI is compiled with the library's flags. */
static void print_build_options(void) {
#ifdef __OPTIMIZE__
  const char *optimized = "yes";
#else
  const char *optimized = "no";
#endif
#ifdef NDEBUG
  const char *assertions = "off";
#else
  const char *assertions = "on";
#endif
#if defined(__SANITIZE_ADDRESS__)
  const char *sanitize = "address,undefined";
#else
  const char *sanitize = "none";
#endif
  printf("build: optimized=%s assertions=%s sanitize=%s compiler=%s\n", optimized, assertions,
         sanitize, __VERSION__);
  printf("allocator: %s\n", wl_cli_allocator());
}

/* The backends this build has and can run here; a note for each it has but cannot run. */
static void print_backends(void) {
  char notes[1024] = "", why[512];
  printf("backends:");
  for (unsigned k = 0; k < wl_backend_kind_count(); k++) {
    const wl_backend *b = wl_backend_get((wl_backend_kind)k);
    if (!b) continue;
    if (!b->usable || b->usable(why, sizeof why))
      printf(" %s", b->name);
    else
      snprintf(notes + strlen(notes), sizeof notes - strlen(notes), "note: %s\n", why);
  }
  printf("\n%s", notes);
}

/* Every feature the engine knows, with whether it is on by default and under --mvp. */
static void print_features(void) {
  wl_config *defaults = wl_config_new();
  wl_config *mvp = wl_config_new();
  if (!defaults || !mvp) {
    wl_config_delete(defaults);
    wl_config_delete(mvp);
    return;
  }
  wl_config_set_mvp(mvp);
  uint32_t on = wl_config_features(defaults), mvp_on = wl_config_features(mvp);
  printf("features:\n");
  for (unsigned bit = 0; bit < 32; bit++) {
    const char *name = wl_feature_name((wl_feature)(1u << bit));
    if (!name) continue;
    printf("  %-24s default=%s mvp=%s\n", name, (on >> bit) & 1 ? "on" : "off",
           (mvp_on >> bit) & 1 ? "on" : "off");
  }
  wl_config_delete(defaults);
  wl_config_delete(mvp);
}

static int print_version(int verbose) {
  printf("wasmlab %s\n", WASMLAB_VERSION);
  if (!verbose) return 0;
  print_build_options();
  print_backends();
  print_features();
  return 0;
}

/* `wasmlab FILE.wasm ...`: a .wasm or .wat name, or any existing file that is no command. */
static bool is_module_path(const char *arg) {
  size_t n = strlen(arg);
  if ((n > 5 && !strcmp(arg + n - 5, ".wasm")) || (n > 4 && !strcmp(arg + n - 4, ".wat")))
    return true;
  struct stat st;
  return arg[0] != '-' && stat(arg, &st) == 0 && S_ISREG(st.st_mode);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  const char *command = argv[1];
  if (!strcmp(command, "--help") || !strcmp(command, "-h") || !strcmp(command, "help")) {
    print_usage(stdout);
    return 0;
  }
  if (!strcmp(command, "--version") || !strcmp(command, "-V")) {
    int verbose = argc > 2 && (!strcmp(argv[2], "--verbose") || !strcmp(argv[2], "-v"));
    return print_version(verbose);
  }
  for (size_t i = 0; i < COMMAND_COUNT; i++)
    if (!strcmp(command, commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  if (is_module_path(command)) return wl_cli_run(argc, argv);  /* argv[0] stands for "run" */
  fprintf(stderr, "wasmlab: unknown command '%s' (see 'wasmlab --help')\n", command);
  return 2;
}
