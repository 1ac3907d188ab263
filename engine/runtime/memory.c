/* Linear memory. Each memory reserves 8 GiB of address space with no access (4 GiB of index
 * range + 4 GiB of offset range and guard), so native code may omit bounds checks, and commits
 * pages read/write as the memory grows. Pages never touched stay zero and cost nothing.
 * Every fully reserved memory is registered with the native runtime, whose signal handler
 * turns a fault inside it into "out of bounds memory access". */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine/runtime/internal.h"
#include "engine/runtime/native/native.h"

static void *reserve(size_t bytes) {
  void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

/* The full guard reservation, or (when address space runs out, e.g. thousands of live
 * memories) just enough for the maximum size: the interpreter checks bounds explicitly and
 * native backends see the smaller m->reserved. */
static bool reserve_memory(wl_memory *m) {
  m->reserved = WL_NATIVE_RESERVATION;
  m->base = reserve(m->reserved);
  if (m->base) return true;
  m->reserved = (size_t)m->max_pages * WL_PAGE_SIZE;
  if (m->reserved == 0) m->reserved = WL_PAGE_SIZE;  /* a valid base even for max 0 */
  m->base = reserve(m->reserved);
  return m->base != NULL;
}

static bool commit(wl_memory *m, uint64_t from, uint64_t to) {
  if (to == from) return true;
  return mprotect(m->base + from, (size_t)(to - from), PROT_READ | PROT_WRITE) == 0;
}

wl_error *wl_memory_create(wl_store *s, const wl_limits *pages, wl_instance *owner,
                           wl_memory **out) {
  *out = NULL;
  if (pages->has_max && pages->min > pages->max)
    return wl_err(WL_ERR_ARGUMENT, "size minimum must not be greater than maximum");
  uint64_t max = pages->has_max ? pages->max : WL_MAX_PAGES;
  /* An i64 memory may declare more than the engine supports; it just cannot grow past it. */
  if (pages->is64 && max > WL_MAX_PAGES) max = WL_MAX_PAGES;
  if (pages->min > WL_MAX_PAGES || max > WL_MAX_PAGES)
    return wl_err(pages->is64 ? WL_ERR_RESOURCE : WL_ERR_ARGUMENT,
                  "memory size must be at most 65536 pages (4GiB)");
  wl_error *over = wl_check_memory_limit(s, (uint64_t)pages->min * WL_PAGE_SIZE);
  if (over) return over;
  wl_memory_box *box = calloc(1, sizeof *box);
  if (!box) return wl_err(WL_ERR_RESOURCE, "out of memory");
  wl_memory *m = &box->memory;
  box->owner = owner;
  m->store = s;
  m->max_pages = (uint32_t)max;
  m->has_max = pages->has_max;
  m->is64 = pages->is64;
  if (!reserve_memory(m)) {
    free(box);
    return wl_err(WL_ERR_RESOURCE, "cannot reserve address space for a memory: %s",
                  strerror(errno));
  }
  if (wl_native_memory_guarded(m)) wl_native_register_memory(m);
  if (wl_memory_grow_pages(m, (uint32_t)pages->min) < 0) {
    wl_memory_destroy(m);
    return wl_err(WL_ERR_RESOURCE, "cannot commit %u pages of memory", (uint32_t)pages->min);
  }
  *out = m;
  return NULL;
}

void wl_memory_destroy(wl_memory *m) {
  if (!m) return;
  wl_store_refund_memory(m->store, m->size);
  if (m->base && wl_native_memory_guarded(m)) wl_native_unregister_memory(m);
  if (m->base) munmap(m->base, m->reserved);
  free((wl_memory_box *)m);
}

int32_t wl_memory_grow_pages(wl_memory *m, uint32_t delta) {
  return (int32_t)wl_memory_grow_pages64(m, delta);
}

int64_t wl_memory_grow_pages64(wl_memory *m, uint64_t delta) {
  uint32_t old = m->pages;
  if (delta > WL_MAX_PAGES) return -1;
  uint64_t pages = (uint64_t)old + delta;
  if (pages > m->max_pages || pages > WL_MAX_PAGES) return -1;
  uint64_t bytes = pages * WL_PAGE_SIZE;
  if (bytes > m->reserved) return -1;
  if (!wl_store_charge_memory(m->store, bytes - m->size)) return -1;
  if (!commit(m, m->size, bytes)) {
    wl_store_refund_memory(m->store, bytes - m->size);
    return -1;
  }
  m->pages = (uint32_t)pages;
  m->size = bytes;
  return old;
}

/* ---------------------------------------------------------------- public API */

wl_error *wl_memory_new(wl_store *s, uint32_t min_pages, uint32_t max_pages, bool has_max,
                        wl_memory **out) {
  *out = NULL;
  wl_limits lim = {min_pages, max_pages, has_max, false};
  wl_memory *m;
  wl_error *e = wl_memory_create(s, &lim, NULL, &m);
  if (e) return e;
  if (!wl_ptr_list_push(&s->memories, m)) {
    wl_memory_destroy(m);
    return wl_err(WL_ERR_RESOURCE, "out of memory");
  }
  *out = m;
  return NULL;
}

uint8_t *wl_memory_data(wl_memory *m) { return m->base; }
uint64_t wl_memory_size(const wl_memory *m) { return m->size; }

wl_error *wl_memory_grow(wl_memory *m, uint32_t delta_pages, uint32_t *old_pages) {
  uint32_t old = m->pages;
  if (wl_memory_grow_pages(m, delta_pages) < 0)
    return wl_err(WL_ERR_RESOURCE, "cannot grow memory from %u by %u pages", old, delta_pages);
  if (old_pages) *old_pages = old;
  return NULL;
}
