/* Guest memory access. Every guest pointer is checked against the caller's memory size before
 * any byte moves; WASI functions answer WASI_EFAULT for a range that does not fit. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "engine/wasi/wasi.h"

uint8_t *wasi_mem_range(const wasi_ctx *c, uint32_t ptr, uint64_t len) {
  if (!c->mem) return NULL;
  /* ptr < 2^32 and len is checked first, so the sum cannot wrap. */
  if (len > c->mem_size || (uint64_t)ptr > c->mem_size - len) return NULL;
  return c->mem + ptr;
}

void wasi_put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

void wasi_put_u32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

void wasi_put_u64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

bool wasi_store_u8(const wasi_ctx *c, uint32_t ptr, uint8_t v) {
  uint8_t *p = wasi_mem_range(c, ptr, 1);
  if (p) *p = v;
  return p != NULL;
}

bool wasi_store_u16(const wasi_ctx *c, uint32_t ptr, uint16_t v) {
  uint8_t *p = wasi_mem_range(c, ptr, 2);
  if (p) wasi_put_u16(p, v);
  return p != NULL;
}

bool wasi_store_u32(const wasi_ctx *c, uint32_t ptr, uint32_t v) {
  uint8_t *p = wasi_mem_range(c, ptr, 4);
  if (p) wasi_put_u32(p, v);
  return p != NULL;
}

bool wasi_store_u64(const wasi_ctx *c, uint32_t ptr, uint64_t v) {
  uint8_t *p = wasi_mem_range(c, ptr, 8);
  if (p) wasi_put_u64(p, v);
  return p != NULL;
}

bool wasi_load_u16(const wasi_ctx *c, uint32_t ptr, uint16_t *v) {
  uint8_t *p = wasi_mem_range(c, ptr, 2);
  if (p) *v = (uint16_t)get_le(p, 2);
  return p != NULL;
}

bool wasi_load_u32(const wasi_ctx *c, uint32_t ptr, uint32_t *v) {
  uint8_t *p = wasi_mem_range(c, ptr, 4);
  if (p) *v = (uint32_t)get_le(p, 4);
  return p != NULL;
}

bool wasi_load_u64(const wasi_ctx *c, uint32_t ptr, uint64_t *v) {
  uint8_t *p = wasi_mem_range(c, ptr, 8);
  if (p) *v = get_le(p, 8);
  return p != NULL;
}

uint16_t wasi_iovecs(const wasi_ctx *c, uint32_t iovs, uint32_t iovs_len, struct iovec **out,
                     int *count) {
  uint32_t n = iovs_len < IOV_MAX ? iovs_len : IOV_MAX;
  if (!wasi_mem_range(c, iovs, (uint64_t)iovs_len * 8)) return WASI_EFAULT;
  struct iovec *v = calloc(n ? n : 1, sizeof *v);
  if (!v) return WASI_ENOMEM;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t buf = 0, len = 0;  /* the whole iovec array was range-checked above */
    wasi_load_u32(c, iovs + 8 * i, &buf);
    wasi_load_u32(c, iovs + 8 * i + 4, &len);
    uint8_t *p = wasi_mem_range(c, buf, len);
    if (!p) {
      free(v);
      return WASI_EFAULT;
    }
    v[i].iov_base = p;
    v[i].iov_len = len;
  }
  *out = v;
  *count = (int)n;
  return WASI_ESUCCESS;
}
