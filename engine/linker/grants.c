/* Host modules that are capabilities (engine/hostmods/): an instance may import one only when
 * its linker was given it. This table lets an unresolved import say which grant is missing
 * instead of only "unknown import". */
#include <string.h>

#include "engine/linker/linker.h"

static const struct {
  const char *module;
  const char *grant;
} gated[] = {
    {"wasmedge_process", "the process capability (wasmlab run --allow-command NAME or "
                         "--allow-command-all; C API wl_linker_define_process)"},
    {"wasmlab_kv", "the key-value capability (wasmlab run --kv DIR; C API wl_linker_define_kv)"},
};

const char *wl_linker_missing_grant(const char *module) {
  for (size_t i = 0; i < sizeof gated / sizeof gated[0]; i++)
    if (strcmp(gated[i].module, module) == 0) return gated[i].grant;
  return NULL;
}
