/* The `wasmlab` command's allocator, named by `wasmlab --version --verbose`.
 *
 * The command links jemalloc when the build has it (CMakeLists.txt, WASMLAB_MALLOC): LLVM's
 * code generator allocates and frees millions of small objects per module from every compile
 * thread, and glibc's malloc spent ~9% of `llc`'s time in its own code on a partition of
 * bench/large; with jemalloc `wasmlab compile` of that module takes ~20% less time
 * (bench/RESULTS.md, issue 16). The engine libraries do not link it: an embedder keeps its
 * own allocator. Sanitizer builds keep the sanitizer's. */
#include <stdio.h>

#include "engine/cli/commands.h"

#ifdef WASMLAB_MALLOC_JEMALLOC
#include <jemalloc/jemalloc.h>

const char *wl_cli_allocator(void) {
  static char name[96];
  const char *version = NULL;
  size_t len = sizeof version;
  if (mallctl("version", &version, &len, NULL, 0) != 0 || !version) version = "?";
  snprintf(name, sizeof name, "jemalloc %s", version);
  return name;
}
#else
const char *wl_cli_allocator(void) { return "system"; }
#endif
