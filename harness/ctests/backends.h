/* The C tests that hold for every backend run through this: once per backend the build has
 * (the interpreter always; jit and aot when built), saying which ones it lacks. */
#ifndef WL_CTESTS_BACKENDS_H
#define WL_CTESTS_BACKENDS_H
#include <stdio.h>

#include "engine/include/wasmlab.h"

static inline void run_on_every_backend(void (*test)(wl_backend_kind)) {
  static const wl_backend_kind all[] = {WL_BACKEND_INTERP, WL_BACKEND_JIT, WL_BACKEND_AOT};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    if (wl_backend_available(all[i]))
      test(all[i]);
    else
      printf("%s backend not in this build: not tested\n", wl_backend_name(all[i]));
  }
}
#endif
