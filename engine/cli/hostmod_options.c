/* The host-module grants of `wasmlab run` (see hostmod_options.h). */
#include <string.h>

#include "engine/cli/hostmod_options.h"

void wl_cli_hostmods_help(FILE *out) {
  fprintf(out,
          "Host modules (each a capability; without its option an import of it fails to link):\n"
          "  --allow-command NAME   wasmedge_process may run program NAME (repeatable)\n"
          "  --allow-command-all    wasmedge_process may run any program\n"
          "  --kv DIR               wasmlab_kv on the RocksDB store in DIR (read-only unless\n"
          "                         --kv-write, which also creates it)\n"
          "  --kv-namespace NAME    the namespace this instance sees (default: default)\n"
          "  --kv-write             allow put and delete\n");
}

int wl_cli_hostmod_option(wl_cli_hostmods *h, int argc, char **argv, int *i) {
  const char *arg = argv[*i];
  if (!strcmp(arg, "--allow-command-all")) {
    h->all_commands = true;
    return 1;
  }
  if (!strcmp(arg, "--kv-write")) {
    h->kv_write = true;
    return 1;
  }
  bool command = !strcmp(arg, "--allow-command"), dir = !strcmp(arg, "--kv"),
       ns = !strcmp(arg, "--kv-namespace");
  if (!command && !dir && !ns) return 0;
  if (*i + 1 >= argc) {
    fprintf(stderr, "wasmlab run: %s needs a value\n", arg);
    return -1;
  }
  const char *value = argv[++*i];
  if (dir) {
    h->kv_dir = value;
  } else if (ns) {
    h->kv_namespace = value;
  } else if (h->ncommands == WL_CLI_MAX_COMMANDS) {
    fprintf(stderr, "wasmlab run: at most %d --allow-command options\n", WL_CLI_MAX_COMMANDS);
    return -1;
  } else {
    h->commands[h->ncommands++] = value;
  }
  return 1;
}

static wl_error *define_process(wl_cli_hostmods *h, wl_linker *l) {
  if (!h->ncommands && !h->all_commands) return NULL;
  wl_process_options o = {h->commands, h->ncommands, h->all_commands};
  wl_error *e = wl_process_new(&o, &h->process);
  return e ? e : wl_linker_define_process(l, h->process);
}

static wl_error *define_kv(wl_cli_hostmods *h, wl_linker *l) {
  if (!h->kv_dir) {
    if (h->kv_write || h->kv_namespace)
      return wl_error_new(WL_ERR_ARGUMENT, "%s needs --kv DIR",
                          h->kv_write ? "--kv-write" : "--kv-namespace");
    return NULL;
  }
  wl_error *e = wl_kv_store_open(h->kv_dir, h->kv_write, &h->kv);
  return e ? e : wl_linker_define_kv(l, h->kv, h->kv_namespace, h->kv_write);
}

wl_error *wl_cli_hostmods_define(wl_cli_hostmods *h, wl_linker *l) {
  wl_error *e = define_process(h, l);
  return e ? e : define_kv(h, l);
}

void wl_cli_hostmods_release(wl_cli_hostmods *h) {
  wl_process_delete(h->process);
  wl_kv_store_close(h->kv);
  h->process = NULL;
  h->kv = NULL;
}
