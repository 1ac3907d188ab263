/* Shared by the host modules in engine/hostmods/: growable byte buffers, checked access to
 * the caller's linear memory, and host-module registration.
 *
 * A guest (pointer, length) that does not fit in the caller's memory 0 is a trap ("out of
 * bounds memory access", the message naming the function and argument), never a status: the
 * guest broke the calling convention. Everything the guest can get wrong within its memory
 * is a status code of the module. */
#ifndef WL_HOSTMODS_HOSTMODS_H
#define WL_HOSTMODS_HOSTMODS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/include/wasmlab.h"

/* ---------------------------------------------------------------- byte buffers */

typedef struct {
  uint8_t *data;  /* NULL until the first append */
  size_t len;
  size_t cap;
} hm_buf;

bool hm_buf_append(hm_buf *b, const void *bytes, size_t n);  /* false when out of memory */
bool hm_buf_reserve(hm_buf *b, size_t extra);
/* The contents as a NUL-terminated string (appends a NUL not counted in len); NULL when out
 * of memory. The pointer is valid until the next append. */
const char *hm_buf_cstr(hm_buf *b);
bool hm_buf_has_nul(const hm_buf *b);
void hm_buf_free(hm_buf *b);

/* ---------------------------------------------------------------- guest memory */

typedef struct {
  uint8_t *base;
  uint64_t size;
  const char *fn;  /* the host function, for trap messages */
} hm_mem;

/* The caller's memory 0; a trap when the caller exports/has none. */
wl_error *hm_mem_of(wl_caller *caller, const char *fn, hm_mem *out);
/* *out = base + ptr when [ptr, ptr+len) fits, else a trap naming `what`. */
wl_error *hm_mem_range(const hm_mem *m, const char *what, uint32_t ptr, uint64_t len,
                       uint8_t **out);
/* Little-endian u32 at an address already checked with hm_mem_range(..., 4, ...). */
void hm_put_u32(uint8_t *p, uint32_t v);

/* ---------------------------------------------------------------- definition */

/* One host function's shape: parameters and results as letters ('i' = i32), e.g. "iiii" and
 * "i" for (i32 i32 i32 i32) -> i32; "" for none. */
typedef struct {
  const char *name;
  const char *params;
  const char *results;
  wl_host_callback cb;
  uint64_t cost;  /* fuel per call */
} hm_func;

/* Defines `n` functions as host module `module` in `l`, all sharing `user_data`. */
wl_error *hm_define(wl_linker *l, const char *module, const hm_func *funcs, size_t n,
                    void *user_data);

#endif
