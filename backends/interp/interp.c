/* The interpreter backend: the wl_backend vtable. Translation lives in translate*.c, execution
 * in exec.c (the dispatch loop). */
#include "backends/interp/interp.h"

const wl_backend wl_interp_backend = {
    .name = "interp",
    .compile = wl_interp_compile,
    .free_code = wl_interp_free_code,
    .bind_func = wl_interp_bind_func,
    .instance_init = NULL,
    .instance_free = NULL,
};
