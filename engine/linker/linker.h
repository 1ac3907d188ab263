/* Linker internals shared with engine/wasi/ (which creates host functions one by one). */
#ifndef WL_LINKER_LINKER_H
#define WL_LINKER_LINKER_H
#include "engine/include/wasmlab.h"

/* The store the linker creates host functions in (borrowed). */
wl_store *wl_linker_store(const wl_linker *l);

/* For a host module that is a capability (grants.c): the grant an instance needs to import it,
 * in words; NULL for any other module. */
const char *wl_linker_missing_grant(const char *module);

#endif
