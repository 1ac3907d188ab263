/* Byte buffers, guest memory checks and registration shared by the host modules. */
#include "engine/hostmods/hostmods.h"

#include <stdlib.h>
#include <string.h>

bool hm_buf_reserve(hm_buf *b, size_t extra) {
  if (extra <= b->cap - b->len) return true;
  if (extra > SIZE_MAX / 2 - b->len) return false;
  size_t cap = b->cap ? b->cap : 64;
  while (cap - b->len < extra) cap *= 2;
  uint8_t *data = realloc(b->data, cap);
  if (!data) return false;
  b->data = data;
  b->cap = cap;
  return true;
}

bool hm_buf_append(hm_buf *b, const void *bytes, size_t n) {
  if (!n) return true;
  if (!hm_buf_reserve(b, n)) return false;
  memcpy(b->data + b->len, bytes, n);
  b->len += n;
  return true;
}

const char *hm_buf_cstr(hm_buf *b) {
  if (!hm_buf_reserve(b, 1)) return NULL;
  b->data[b->len] = '\0';
  return (const char *)b->data;
}

bool hm_buf_has_nul(const hm_buf *b) { return b->len && memchr(b->data, 0, b->len) != NULL; }

void hm_buf_free(hm_buf *b) {
  free(b->data);
  *b = (hm_buf){0};
}

wl_error *hm_mem_of(wl_caller *caller, const char *fn, hm_mem *out) {
  wl_memory *mem = wl_caller_memory(caller, 0);
  if (!mem) return wl_trap_new(WL_TRAP_HOST, "%s: the calling instance has no memory", fn);
  *out = (hm_mem){wl_memory_data(mem), wl_memory_size(mem), fn};
  return NULL;
}

wl_error *hm_mem_range(const hm_mem *m, const char *what, uint32_t ptr, uint64_t len,
                       uint8_t **out) {
  /* ptr < 2^32 and len is compared first, so the sum cannot wrap. */
  if (len > m->size || (uint64_t)ptr > m->size - len)
    return wl_trap_new(WL_TRAP_MEMORY_OOB,
                       "%s: %s [%u, +%llu) is outside the guest's %llu-byte memory", m->fn,
                       what, ptr, (unsigned long long)len, (unsigned long long)m->size);
  *out = m->base + ptr;
  return NULL;
}

void hm_put_u32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static size_t kinds_of(const char *letters, wl_valkind *out) {
  size_t n = strlen(letters);
  for (size_t i = 0; i < n; i++) out[i] = letters[i] == 'I' ? WL_I64 : WL_I32;
  return n;
}

wl_error *hm_define(wl_linker *l, const char *module, const hm_func *funcs, size_t n,
                    void *user_data) {
  enum { MAX_VALUES = 8 };
  for (size_t i = 0; i < n; i++) {
    wl_valkind params[MAX_VALUES], results[MAX_VALUES];
    wl_host_func_def def = {
        .name = funcs[i].name,
        .sig = {params, kinds_of(funcs[i].params, params), results,
                kinds_of(funcs[i].results, results)},
        .cb = funcs[i].cb,
        .cost = funcs[i].cost,
    };
    wl_error *e = wl_linker_define_host_module(l, module, &def, 1, user_data);
    if (e) return e;
  }
  return NULL;
}
