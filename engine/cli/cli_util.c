/* Shared helpers of the `wasmlab` command: files, names and value formatting. */
#include "engine/cli/cli_util.h"

#include <errno.h>
#include <spawn.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n > m && !strcmp(s + n - m, suffix);
}

/* A .wat file converted with wabt's wat2wasm (its diagnostics go to stderr) to a temporary
 * .wasm, whose bytes are then read. */
static wl_error *read_wat(const char *path, uint8_t **bytes, size_t *len) {
  const char *tmp = getenv("TMPDIR");
  char out[4096];
  snprintf(out, sizeof out, "%s/wasmlab-wat-XXXXXX.wasm", tmp && *tmp ? tmp : "/tmp");
  int fd = mkstemps(out, 5);
  if (fd < 0) return wl_error_new(WL_ERR_IO, "cannot create %s: %s", out, strerror(errno));
  close(fd);
  /* --debug-names: the text's $names become the name section (trap backtraces use it) */
  char *argv[] = {"wat2wasm", "--debug-names", (char *)path, "-o", out, NULL};
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ), status = 0;
  if (rc == 0)
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) continue;
  wl_error *e = NULL;
  if (rc != 0)
    e = wl_error_new(WL_ERR_IO, "%s: .wat input needs wabt's wat2wasm: %s", path, strerror(rc));
  else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    e = wl_error_new(WL_ERR_MALFORMED, "%s: wat2wasm could not convert it (see above)", path);
  else
    e = wl_cli_read_file(out, bytes, len);
  unlink(out);
  return e;
}

wl_error *wl_cli_read_file(const char *path, uint8_t **bytes, size_t *len) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return wl_error_new(WL_ERR_IO, "is a directory, not a module");
  if (has_suffix(path, ".wat")) return read_wat(path, bytes, len);
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

/* A NaN as the text format writes it: `nan` for the canonical payload, else `nan:0x...`,
 * with its sign; the bits are read directly, so every payload prints exactly. */
static void format_nan(char *buf, size_t size, const char *k, uint64_t bits, int width) {
  uint64_t payload = bits & ((1ull << (width == 32 ? 23 : 52)) - 1);
  uint64_t canonical = 1ull << (width == 32 ? 22 : 51);
  const char *sign = bits >> (width - 1) ? "-" : "";
  if (payload == canonical) snprintf(buf, size, "%s:%snan", k, sign);
  else snprintf(buf, size, "%s:%snan:0x%" PRIx64, k, sign, payload);
}

static void format_float(char *buf, size_t size, const char *k, const wl_val *v) {
  if (v->kind == WL_F32 && isnan(v->of.f32)) {
    uint32_t bits;
    memcpy(&bits, &v->of.f32, 4);
    format_nan(buf, size, k, bits, 32);
  } else if (v->kind == WL_F64 && isnan(v->of.f64)) {
    uint64_t bits;
    memcpy(&bits, &v->of.f64, 8);
    format_nan(buf, size, k, bits, 64);
  } else if (v->kind == WL_F32) {
    snprintf(buf, size, "%s:%.9g", k, (double)v->of.f32);  /* enough digits to read back */
  } else {
    snprintf(buf, size, "%s:%.17g", k, v->of.f64);
  }
}

void wl_cli_format_val(char *buf, size_t size, const wl_val *v) {
  const char *k = wl_cli_valkind_name((wl_valkind)v->kind);
  switch (v->kind) {
    case WL_I32: snprintf(buf, size, "%s:%" PRId32, k, v->of.i32); return;
    case WL_I64: snprintf(buf, size, "%s:%" PRId64, k, v->of.i64); return;
    case WL_F32:
    case WL_F64: format_float(buf, size, k, v); return;
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

const char *wl_cli_plain_val(const char *formatted) {
  const char *colon = strchr(formatted, ':');
  return colon ? colon + 1 : formatted;
}

int wl_cli_guest_exit_status(const char *context, int code) {
  if (code >= 0 && code <= 255) return code;
  /* WASI exit codes are u32: show the guest's number, not its int reinterpretation. */
  fprintf(stderr, "wasmlab: %s: the guest exited with status %u, outside 0-255; exiting with 255\n",
          context, (unsigned)code);
  return 255;
}
