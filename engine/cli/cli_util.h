/* Helpers shared by the `wasmlab` subcommands and the spec-test runner: reading files,
 * naming error kinds and value kinds, and printing values in one format everywhere. */
#ifndef WL_CLI_UTIL_H
#define WL_CLI_UTIL_H
#include <stddef.h>
#include <stdint.h>

#include "engine/include/wasmlab.h"

/* Reads a whole file into a malloc'ed buffer (caller frees). Errors are WL_ERR_IO. */
wl_error *wl_cli_read_file(const char *path, uint8_t **bytes, size_t *len);

/* "malformed", "invalid", "trap", ... */
const char *wl_cli_error_kind_name(wl_error_kind kind);
/* "i32", "funcref", ...; "?" for an unknown kind. */
const char *wl_cli_valkind_name(wl_valkind kind);
/* A valkind from its text name; false when there is none. */
int wl_cli_valkind_from_name(const char *name, wl_valkind *out);

/* Formats a value as `kind:value` (i32:-5, f32:1.5, externref:42, funcref:null) into buf. */
void wl_cli_format_val(char *buf, size_t size, const wl_val *v);

/* One line on stderr: "wasmlab: <context>: <kind>: <message>" (a trap names its kind). */
void wl_cli_print_error(const char *context, const wl_error *e);

#endif
