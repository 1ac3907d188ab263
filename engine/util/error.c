#include "engine/util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static wl_error out_of_memory = {WL_ERR_RESOURCE, WL_TRAP_NONE, 0, "out of memory", NULL, 0, 0};

static const char *const trap_messages[WL_TRAP_KIND_COUNT] = {
    [WL_TRAP_NONE] = "no trap",
    [WL_TRAP_UNREACHABLE] = "unreachable",
    [WL_TRAP_INT_OVERFLOW] = "integer overflow",
    [WL_TRAP_DIV_BY_ZERO] = "integer divide by zero",
    [WL_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
    [WL_TRAP_MEMORY_OOB] = "out of bounds memory access",
    [WL_TRAP_TABLE_OOB] = "out of bounds table access",
    [WL_TRAP_UNDEFINED_ELEMENT] = "undefined element",
    [WL_TRAP_UNINITIALIZED_ELEMENT] = "uninitialized element",
    [WL_TRAP_INDIRECT_MISMATCH] = "indirect call type mismatch",
    [WL_TRAP_NULL_REFERENCE] = "null reference",
    [WL_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
    [WL_TRAP_OUT_OF_FUEL] = "fuel exhausted",
    [WL_TRAP_HOST] = "host error",
};

const char *wl_trap_kind_message(wl_trap_kind k) {
  return (unsigned)k < WL_TRAP_KIND_COUNT ? trap_messages[k] : "unknown trap";
}

static wl_error *error_vnew(wl_error_kind kind, wl_trap_kind trap, const char *fmt, va_list ap) {
  wl_error *e = calloc(1, sizeof *e);
  if (!e) return &out_of_memory;
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  e->message = malloc((size_t)(n < 0 ? 0 : n) + 1);
  if (!e->message) { free(e); return &out_of_memory; }
  vsnprintf(e->message, (size_t)n + 1, fmt, ap);
  e->kind = kind;
  e->trap = trap;
  return e;
}

wl_error *wl_error_new(wl_error_kind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wl_error *e = error_vnew(kind, WL_TRAP_NONE, fmt, ap);
  va_end(ap);
  return e;
}

wl_error *wl_trap_new(wl_trap_kind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wl_error *e = error_vnew(WL_ERR_TRAP, kind, fmt, ap);
  va_end(ap);
  return e;
}

wl_error *wl_exit_new(int code) {
  wl_error *e = wl_error_new(WL_ERR_EXIT, "exit with code %d", code);
  if (e != &out_of_memory) e->exit_code = code;
  return e;
}

/* e's message becomes `before` + message + `after`. */
static wl_error *surround(wl_error *e, const char *before, const char *after) {
  size_t n = strlen(before) + strlen(e->message) + strlen(after) + 1;
  char *m = malloc(n);
  if (!m) return e;
  snprintf(m, n, "%s%s%s", before, e->message, after);
  free(e->message);
  e->message = m;
  return e;
}

wl_error *wl_error_wrap(wl_error *e, const char *fmt, ...) {
  if (!e || e == &out_of_memory) return e;
  char prefix[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(prefix, sizeof prefix - 2, fmt, ap);
  va_end(ap);
  if (n >= 0) strcat(prefix, ": ");
  return surround(e, prefix, "");
}

wl_error *wl_error_append(wl_error *e, const char *fmt, ...) {
  if (!e || e == &out_of_memory) return e;
  char suffix[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(suffix, sizeof suffix, fmt, ap);
  va_end(ap);
  return surround(e, "", suffix);
}

wl_error_kind wl_error_kind_of(const wl_error *e) { return e->kind; }
const char *wl_error_message(const wl_error *e) { return e->message; }
wl_trap_kind wl_error_trap_kind(const wl_error *e) { return e->trap; }
int wl_error_exit_code(const wl_error *e) { return e->exit_code; }

void wl_error_free_frames(wl_error *e) {
  for (size_t i = 0; i < e->nframes; i++) {
    free((char *)e->frames[i].func_name);
    free((char *)e->frames[i].module_name);
    free((char *)e->frames[i].calls_import);
  }
  free(e->frames);
  e->frames = NULL;
  e->nframes = e->frames_omitted = 0;
}

void wl_error_delete(wl_error *e) {
  if (!e || e == &out_of_memory) return;
  wl_error_free_frames(e);
  free(e->message);
  free(e);
}
