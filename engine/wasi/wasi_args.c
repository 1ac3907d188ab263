/* args_get, args_sizes_get, environ_get, environ_sizes_get: the guest sees exactly the strings
 * given in wl_wasi_options, laid out as NUL-terminated strings plus a pointer array. */
#include <string.h>

#include "engine/wasi/wasi.h"

/* Writes `n` pointers at `ptrs` and the strings back to back at `buf`. */
static uint16_t write_strings(const wasi_ctx *c, char **strings, size_t n, uint32_t ptrs,
                              uint32_t buf) {
  if (!wasi_mem_range(c, ptrs, (uint64_t)n * 4)) return WASI_EFAULT;
  uint64_t offset = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(strings[i]) + 1;
    if ((uint64_t)buf + offset > UINT32_MAX) return WASI_EFAULT;
    uint8_t *dst = wasi_mem_range(c, (uint32_t)(buf + offset), len);
    if (!dst) return WASI_EFAULT;
    memcpy(dst, strings[i], len);
    wasi_store_u32(c, ptrs + 4 * (uint32_t)i, (uint32_t)(buf + offset));
    offset += len;
  }
  return WASI_ESUCCESS;
}

static uint16_t write_sizes(const wasi_ctx *c, char **strings, size_t n, uint32_t count_ptr,
                            uint32_t size_ptr) {
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) total += strlen(strings[i]) + 1;
  if (total > UINT32_MAX) return WASI_EOVERFLOW;
  if (!wasi_store_u32(c, count_ptr, (uint32_t)n)) return WASI_EFAULT;
  if (!wasi_store_u32(c, size_ptr, (uint32_t)total)) return WASI_EFAULT;
  return WASI_ESUCCESS;
}

static uint16_t args_get(wasi_ctx *c, const wl_val *a) {
  return write_strings(c, c->wasi->args, c->wasi->nargs, wasi_arg_u32(a, 0), wasi_arg_u32(a, 1));
}

static uint16_t args_sizes_get(wasi_ctx *c, const wl_val *a) {
  return write_sizes(c, c->wasi->args, c->wasi->nargs, wasi_arg_u32(a, 0), wasi_arg_u32(a, 1));
}

static uint16_t environ_get(wasi_ctx *c, const wl_val *a) {
  return write_strings(c, c->wasi->env, c->wasi->nenv, wasi_arg_u32(a, 0), wasi_arg_u32(a, 1));
}

static uint16_t environ_sizes_get(wasi_ctx *c, const wl_val *a) {
  return write_sizes(c, c->wasi->env, c->wasi->nenv, wasi_arg_u32(a, 0), wasi_arg_u32(a, 1));
}

const wasi_def wasi_args_defs[] = {
    {"args_get", "ii", args_get, false},
    {"args_sizes_get", "ii", args_sizes_get, false},
    {"environ_get", "ii", environ_get, false},
    {"environ_sizes_get", "ii", environ_sizes_get, false},
    {NULL, NULL, NULL, false},
};
