/* Shared helpers of the `wasmlab` command: files, names and value formatting. */
#include "engine/cli/cli_util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wl_error *wl_cli_read_file(const char *path, uint8_t **bytes, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return wl_error_new(WL_ERR_IO, "cannot open %s: %s", path, strerror(errno));
  uint8_t *buf = NULL;
  size_t size = 0, cap = 0;
  int out_of_memory = 0;
  for (;;) {
    if (size == cap) {
      size_t bigger = cap ? cap * 2 : 64 * 1024;
      uint8_t *grown = realloc(buf, bigger);
      if (!grown) {
        out_of_memory = 1;
        break;
      }
      buf = grown;
      cap = bigger;
    }
    size_t got = fread(buf + size, 1, cap - size, f);
    size += got;
    if (got == 0) break;
  }
  int read_error = ferror(f);
  fclose(f);
  if (out_of_memory || read_error) {
    free(buf);
    return wl_error_new(WL_ERR_IO, "cannot read %s%s", path, out_of_memory ? ": out of memory" : "");
  }
  *bytes = buf;
  *len = size;
  return NULL;
}

const char *wl_cli_error_kind_name(wl_error_kind kind) {
  switch (kind) {
    case WL_ERR_MALFORMED: return "malformed";
    case WL_ERR_INVALID: return "invalid";
    case WL_ERR_UNLINKABLE: return "unlinkable";
    case WL_ERR_UNINSTANTIABLE: return "uninstantiable";
    case WL_ERR_TRAP: return "trap";
    case WL_ERR_EXIT: return "exit";
    case WL_ERR_ARGUMENT: return "argument error";
    case WL_ERR_IO: return "i/o error";
    case WL_ERR_UNSUPPORTED: return "unsupported";
    case WL_ERR_RESOURCE: return "out of resources";
  }
  return "error";
}

static const struct {
  wl_valkind kind;
  const char *name;
} valkind_names[] = {
    {WL_I32, "i32"},   {WL_I64, "i64"},         {WL_F32, "f32"},         {WL_F64, "f64"},
    {WL_V128, "v128"}, {WL_FUNCREF, "funcref"}, {WL_EXTERNREF, "externref"},
};

const char *wl_cli_valkind_name(wl_valkind kind) {
  for (size_t i = 0; i < sizeof valkind_names / sizeof valkind_names[0]; i++)
    if (valkind_names[i].kind == kind) return valkind_names[i].name;
  return "?";
}

int wl_cli_valkind_from_name(const char *name, wl_valkind *out) {
  for (size_t i = 0; i < sizeof valkind_names / sizeof valkind_names[0]; i++) {
    if (strcmp(valkind_names[i].name, name) == 0) {
      *out = valkind_names[i].kind;
      return 1;
    }
  }
  return 0;
}

void wl_cli_format_val(char *buf, size_t size, const wl_val *v) {
  const char *k = wl_cli_valkind_name((wl_valkind)v->kind);
  switch (v->kind) {
    case WL_I32: snprintf(buf, size, "%s:%" PRId32, k, v->of.i32); return;
    case WL_I64: snprintf(buf, size, "%s:%" PRId64, k, v->of.i64); return;
    /* %.9g and %.17g print enough digits to read the exact float back. */
    case WL_F32: snprintf(buf, size, "%s:%.9g", k, (double)v->of.f32); return;
    case WL_F64: snprintf(buf, size, "%s:%.17g", k, v->of.f64); return;
    case WL_EXTERNREF:
      if (wl_val_is_null(v)) snprintf(buf, size, "%s:null", k);
      else snprintf(buf, size, "%s:%" PRIuPTR, k, (uintptr_t)wl_val_externref_ptr(v));
      return;
    case WL_FUNCREF:
      snprintf(buf, size, "%s:%s", k, wl_val_is_null(v) ? "null" : "func");
      return;
    case WL_V128: { /* one 128-bit hex integer: lane 0 of i8x16 is its last byte */
      int used = snprintf(buf, size, "%s:0x", k);
      for (int b = 15; b >= 0 && used > 0 && (size_t)used < size; b--)
        used += snprintf(buf + used, size - (size_t)used, "%02x", v->of.v128[b]);
      return;
    }
    default: snprintf(buf, size, "%s", k); return;
  }
}

void wl_cli_print_error(const char *context, const wl_error *e) {
  const char *message = wl_error_message(e);
  if (wl_error_kind_of(e) == WL_ERR_TRAP) {
    /* Name the trap in the spec's words, then the engine's detail if it adds anything. */
    const char *kind = wl_trap_kind_message(wl_error_trap_kind(e));
    if (strncmp(message, kind, strlen(kind)) == 0)
      fprintf(stderr, "wasmlab: %s: trap: %s\n", context, message);
    else
      fprintf(stderr, "wasmlab: %s: trap: %s: %s\n", context, kind, message);
    return;
  }
  fprintf(stderr, "wasmlab: %s: %s: %s\n", context, wl_cli_error_kind_name(wl_error_kind_of(e)),
          message);
}
