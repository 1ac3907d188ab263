/* `wasmlab cache info|clean|prune [--max-size N]`: the AOT artifact cache (see
 * backends/aot/aot_cache.c for where it is and how it is bounded). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "engine/cli/commands.h"

#ifdef WASMLAB_HAVE_AOT
#include "backends/aot/aot.h"

static int usage(FILE *out, int status) {
  fprintf(out,
          "usage: wasmlab cache info             where the AOT cache is, what it holds, its bound\n"
          "       wasmlab cache clean            remove every cached artifact\n"
          "       wasmlab cache prune [--max-size N]\n"
          "                                      remove the least recently used artifacts until\n"
          "                                      at most N bytes remain (K/M/G suffixes; default\n"
          "                                      the cache's bound)\n"
          "The cache is $WASMLAB_CACHE_DIR, else $XDG_CACHE_HOME/wasmlab/aot, else\n"
          "~/.cache/wasmlab/aot; its bound is $WASMLAB_CACHE_MAX_SIZE, else 512M, kept after\n"
          "every compile by removing the least recently used artifacts.\n");
  return status;
}

static void print_size(const char *label, uint64_t files, uint64_t bytes) {
  printf("%s %" PRIu64 " artifact%s, %" PRIu64 " bytes (%.1f MiB)\n", label, files,
         files == 1 ? "" : "s", bytes, (double)bytes / (1 << 20));
}

static int parse_max_size(int argc, char **argv, uint64_t *max) {
  *max = aot_cache_max_size();
  for (int i = 2; i < argc; i++) {
    const char *value = NULL;
    if (!strncmp(argv[i], "--max-size=", 11)) value = argv[i] + 11;
    else if (!strcmp(argv[i], "--max-size") && i + 1 < argc) value = argv[++i];
    if (!value) {
      fprintf(stderr, "wasmlab cache prune: unknown or incomplete option '%s'\n", argv[i]);
      return -1;
    }
    if (!aot_parse_size(value, max)) {
      fprintf(stderr, "wasmlab cache prune: --max-size expects bytes (or 64K, 512M, 2G), got "
                      "'%s'\n", value);
      return -1;
    }
  }
  return 0;
}

static int report(const char *what, wl_error *e) {
  if (!e) return 0;
  fprintf(stderr, "wasmlab cache %s: %s\n", what, wl_error_message(e));
  wl_error_delete(e);
  return 1;
}

int wl_cli_cache(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
    return usage(argc < 2 ? stderr : stdout, argc < 2 ? 2 : 0);
  const char *action = argv[1];
  int is_info = !strcmp(action, "info"), is_clean = !strcmp(action, "clean");
  int is_prune = !strcmp(action, "prune");
  if (!is_info && !is_clean && !is_prune) return usage(stderr, 2);
  uint64_t max = 0;
  if (!is_prune && argc > 2) return usage(stderr, 2);
  if (is_prune && parse_max_size(argc, argv, &max) < 0) return 2;
  char dir[4096];
  wl_error *unusable = aot_cache_dir(dir, sizeof dir);
  aot_cache_stats st;
  if (is_info) {
    printf("cache: %s\n", dir);
    if (unusable) printf("unusable: %s (runs compile in memory)\n", wl_error_message(unusable));
    wl_error_delete(unusable);
    if (report(action, aot_cache_stat(dir, &st))) return 1;
    print_size("holds:", st.files, st.bytes);
    printf("bound: %" PRIu64 " bytes (WASMLAB_CACHE_MAX_SIZE)\n", aot_cache_max_size());
    return 0;
  }
  if (unusable) return report(action, unusable);
  if (report(action, aot_cache_prune(dir, is_clean ? 0 : max, &st))) return 1;
  print_size("removed:", st.removed_files, st.removed_bytes);
  print_size("holds:", st.files, st.bytes);
  return 0;
}
#else
int wl_cli_cache(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "wasmlab cache: this build has no AOT backend, so there is no cache\n");
  return 1;
}
#endif
