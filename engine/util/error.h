/* Errors as values: every failing stage returns a heap wl_error (NULL = success). */
#ifndef WL_UTIL_ERROR_H
#define WL_UTIL_ERROR_H
#include "engine/include/wasmlab.h"

struct wl_error {
  wl_error_kind kind;
  wl_trap_kind trap;   /* WL_TRAP_NONE unless kind is WL_ERR_TRAP or WL_ERR_UNINSTANTIABLE */
  int exit_code;       /* WL_ERR_EXIT only */
  char *message;
  wl_trace_frame *frames;  /* trap backtrace, innermost first (engine/runtime/trace.c) */
  size_t nframes, frames_omitted;
};

/* Frees e's frames and their names (error.c; trace.c fills them). */
void wl_error_free_frames(wl_error *e);

/* Same as wl_error_new, but for an allocation failure returns a static error object that
 * wl_error_delete recognises, so error paths never fail themselves. */
#define wl_err wl_error_new

/* Prefixes `e`'s message with "prefix: " (keeps kind). Returns e. */
wl_error *wl_error_wrap(wl_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends to `e`'s message (keeps kind): detail after the spec's wording, which must stay a
 * prefix because the spec tests match it. Returns e. */
wl_error *wl_error_append(wl_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
