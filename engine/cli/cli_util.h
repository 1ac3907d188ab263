/* Helpers shared by the `wasmlab` subcommands and the spec-test runner: reading files,
 * naming error kinds and value kinds, and printing values in one format everywhere. */
#ifndef WL_CLI_UTIL_H
#define WL_CLI_UTIL_H
#include <stddef.h>
#include <stdint.h>

#include "engine/include/wasmlab.h"

/* Reads a whole module file into a malloc'ed buffer (caller frees): a .wat file is converted
 * with wabt's wat2wasm first; a directory is refused as one. Errors are WL_ERR_IO (a .wat that
 * does not convert: WL_ERR_MALFORMED). */
wl_error *wl_cli_read_file(const char *path, uint8_t **bytes, size_t *len);

/* "malformed", "invalid", "trap", ... */
const char *wl_cli_error_kind_name(wl_error_kind kind);
/* "i32", "funcref", ...; "?" for an unknown kind. */
const char *wl_cli_valkind_name(wl_valkind kind);
/* A valkind from its text name; false when there is none. */
int wl_cli_valkind_from_name(const char *name, wl_valkind *out);

/* Formats a value as `kind:value` (i32:-5, f32:1.5, f32:-nan:0x200000, externref:42,
 * funcref:null) into buf. */
void wl_cli_format_val(char *buf, size_t size, const wl_val *v);
/* The `kind:` prefix of a formatted value stripped (plain output): "i32:-5" -> "-5". */
const char *wl_cli_plain_val(const char *formatted);
/* Parses a value of `kind` written as the text format writes constants (text_values.c):
 * 1 on success, 0 when the text is not one. */
int wl_cli_parse_val(const char *text, wl_valkind kind, wl_val *out);
/* The process exit status for a guest's exit code: the code itself when it is 0-255, else 255
 * after a note on stderr (a status outside 0-255 would be truncated, 256 to a lying 0). */
int wl_cli_guest_exit_status(const char *context, int code);

/* One line on stderr: "wasmlab: <context>: <kind>: <message>" (a trap names its kind). */
void wl_cli_print_error(const char *context, const wl_error *e);

#endif
