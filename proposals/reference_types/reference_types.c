/* reference-types runtime helpers: table.get/set/grow/fill with the spec's bounds rules.
 * Bounds are checked in 64-bit arithmetic so i + n cannot wrap. */
#include <stdlib.h>

#include "proposals/reference_types/reference_types.h"

bool wl_ref_table_get(wl_exec *ex, wl_table *t, uint32_t i, wl_slot *out) {
  if (i >= t->size) return wl_trap(ex, WL_TRAP_TABLE_OOB);
  *out = t->elems[i];
  return true;
}

bool wl_ref_table_set(wl_exec *ex, wl_table *t, uint32_t i, wl_slot ref) {
  if (i >= t->size) return wl_trap(ex, WL_TRAP_TABLE_OOB);
  t->elems[i] = ref;
  return true;
}

int32_t wl_ref_table_grow(wl_table *t, wl_slot init, uint32_t delta) {
  uint32_t old = t->size;
  uint64_t size = (uint64_t)old + delta;
  uint64_t max = t->has_max ? t->max : UINT32_MAX;
  if (size > max || size > WL_MAX_TABLE_SIZE) return -1;
  if (delta == 0) return (int32_t)old;
  if (!wl_store_charge_table(t->store, delta)) return -1;
  wl_slot *elems = realloc(t->elems, (size_t)size * sizeof *elems);
  if (!elems) {
    wl_store_refund_table(t->store, delta);
    return -1;
  }
  for (uint64_t i = old; i < size; i++) elems[i] = init;
  t->elems = elems;
  t->size = (uint32_t)size;
  return (int32_t)old;
}

bool wl_ref_table_fill(wl_exec *ex, wl_table *t, uint32_t i, wl_slot ref, uint32_t n) {
  if ((uint64_t)i + n > t->size) return wl_trap(ex, WL_TRAP_TABLE_OOB);
  if (!wl_charge_items(ex, WL_OP_TABLE_FILL, n)) return false;
  for (uint32_t k = 0; k < n; k++) t->elems[i + k] = ref;
  return true;
}
