/* `wasmlab run` options that grant host modules (engine/hostmods/) to the instance:
 *   --allow-command NAME (repeatable), --allow-command-all   -> wasmedge_process
 *   --kv DIR, --kv-namespace NAME, --kv-write                 -> wasmlab_kv
 * A module is defined in the linker only when one of its options was given: without them, an
 * import of it fails to link with an error naming the missing grant. */
#ifndef WL_CLI_HOSTMOD_OPTIONS_H
#define WL_CLI_HOSTMOD_OPTIONS_H
#include <stdio.h>

#include "engine/include/wasmlab_hostmods.h"

#define WL_CLI_MAX_COMMANDS 64

typedef struct {
  const char *commands[WL_CLI_MAX_COMMANDS];
  size_t ncommands;
  bool all_commands;
  const char *kv_dir, *kv_namespace;
  bool kv_write;
  wl_process *process;  /* created by wl_cli_hostmods_define */
  wl_kv_store *kv;
} wl_cli_hostmods;

/* Like wl_cli_engine_option: 1 when argv[*i] was one of ours, 0 when not, -1 after an error. */
int wl_cli_hostmod_option(wl_cli_hostmods *h, int argc, char **argv, int *i);
/* Opens what was asked for and defines it in the linker. */
wl_error *wl_cli_hostmods_define(wl_cli_hostmods *h, wl_linker *l);
/* After the store is deleted. */
void wl_cli_hostmods_release(wl_cli_hostmods *h);
void wl_cli_hostmods_help(FILE *out);

#endif
