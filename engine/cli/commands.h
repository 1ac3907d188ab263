/* The `wasmlab` subcommands; main.c dispatches on argv[1]. Each returns the process exit code.
 * argv[0] is the subcommand name. */
#ifndef WL_CLI_COMMANDS_H
#define WL_CLI_COMMANDS_H
#include "engine/include/wasmlab.h"

int wl_cli_run(int argc, char **argv);       /* run.c: run a module (WASI _start or --invoke) */
int wl_cli_validate(int argc, char **argv);  /* validate.c: decode + validate, report errors */
int wl_cli_spectest(int argc, char **argv);  /* spectest/: run .wast files through wast2json */
int wl_cli_compile(int argc, char **argv);   /* compile.c: AOT-compile to a shared object */
int wl_cli_cache(int argc, char **argv);     /* cache.c: inspect, clean, prune the AOT cache */

/* Engine options shared by every subcommand: --backend B, --enable-<f>, --disable-<f>, --mvp,
 * --fuel N, --max-call-depth N, the limits --max-<limit> N (also the --opt form). Returns 1 when argv[*i] was one
 * (advancing *i past a value it took), 0 when it is not an engine option, -1 after printing an
 * error for a bad one. */
int wl_cli_engine_option(wl_config *cfg, int argc, char **argv, int *i);

/* Matches argv[*i] against option `name` as "--name VALUE" or "--name=VALUE": the value
 * (advancing *i past a separate one), or NULL when it is not this option; *missing is set
 * when it is, but its value is not there. */
const char *wl_cli_option_value(const char *name, int argc, char **argv, int *i, int *missing);

/* allocator.c: the command's malloc ("jemalloc 5.3.0-..." or "system"). */
const char *wl_cli_allocator(void);

#endif
