/* Linker internals shared with engine/wasi/ (which creates host functions one by one). */
#ifndef WL_LINKER_LINKER_H
#define WL_LINKER_LINKER_H
#include "engine/include/wasmlab.h"

/* The store the linker creates host functions in (borrowed). */
wl_store *wl_linker_store(const wl_linker *l);

#endif
