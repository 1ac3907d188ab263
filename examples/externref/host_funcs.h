/* Registers the tutorial's "extern_module" host functions in a linker. */
#ifndef EXTERNREF_HOST_FUNCS_H
#define EXTERNREF_HOST_FUNCS_H
#include "engine/include/wasmlab.h"

wl_error *define_extern_module(wl_linker *l);

#endif
