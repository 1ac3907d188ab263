/* Tables: a growable array of reference slots (0 = null). */
#include <stdlib.h>

#include "engine/runtime/internal.h"
#include "proposals/reference_types/reference_types.h"

wl_error *wl_table_create(wl_store *s, const wl_tabletype *type, wl_slot init,
                          wl_instance *owner, wl_table **out) {
  *out = NULL;
  const wl_limits *lim = &type->limits;
  if (lim->min > WL_MAX_TABLE_SIZE)
    return wl_err(WL_ERR_RESOURCE, "table size %u exceeds the engine limit %u",
                  (uint32_t)lim->min, WL_MAX_TABLE_SIZE);
  wl_error *over = wl_check_table_limit(s, (uint32_t)lim->min);
  if (over) return over;
  wl_table_box *box = calloc(1, sizeof *box);
  if (!box) return wl_err(WL_ERR_RESOURCE, "out of memory");
  wl_table *t = &box->table;
  box->owner = owner;
  t->store = s;
  t->elemtype = type->elemtype;
  t->has_max = lim->has_max;
  t->max = lim->has_max ? (uint32_t)lim->max : UINT32_MAX;  /* tables have u32 limits */
  if (wl_ref_table_grow(t, init, (uint32_t)lim->min) < 0) {
    free(box);
    return wl_err(WL_ERR_RESOURCE, "out of memory for a table of %u elements",
                  (uint32_t)lim->min);
  }
  *out = t;
  return NULL;
}

void wl_table_destroy(wl_table *t) {
  if (!t) return;
  wl_store_refund_table(t->store, t->size);
  free(t->elems);
  free((wl_table_box *)t);
}

/* ---------------------------------------------------------------- public API */

wl_error *wl_table_new(wl_store *s, wl_valkind elem, uint32_t min, uint32_t max, bool has_max,
                       wl_val init, wl_table **out) {
  *out = NULL;
  if (elem != WL_FUNCREF && elem != WL_EXTERNREF)
    return wl_err(WL_ERR_ARGUMENT, "table element type must be funcref or externref");
  if (has_max && max < min)
    return wl_err(WL_ERR_ARGUMENT, "size minimum must not be greater than maximum");
  if (!wl_val_fits(&init, (wl_valtype)elem, s))
    return wl_err(WL_ERR_ARGUMENT, "table initial value is not a %s",
                  wl_valkind_name((wl_valtype)elem));
  wl_tabletype type = {(wl_valtype)elem, {min, max, has_max, false}};
  wl_table *t;
  wl_error *e = wl_table_create(s, &type, wl_val_to_slot(&init), NULL, &t);
  if (e) return e;
  if (!wl_ptr_list_push(&s->tables, t)) {
    wl_table_destroy(t);
    return wl_err(WL_ERR_RESOURCE, "out of memory");
  }
  *out = t;
  return NULL;
}

uint32_t wl_table_size(const wl_table *t) { return t->size; }

wl_error *wl_table_get(const wl_table *t, uint32_t i, wl_val *out) {
  if (i >= t->size)
    return wl_err(WL_ERR_ARGUMENT, "table index %u out of bounds (size %u)", i, t->size);
  *out = wl_slot_to_val(t->elemtype, t->elems[i]);
  return NULL;
}

wl_error *wl_table_set(wl_table *t, uint32_t i, wl_val v) {
  if (i >= t->size)
    return wl_err(WL_ERR_ARGUMENT, "table index %u out of bounds (size %u)", i, t->size);
  if (!wl_val_fits(&v, t->elemtype, t->store))
    return wl_err(WL_ERR_ARGUMENT, "value is not a %s", wl_valkind_name(t->elemtype));
  t->elems[i] = wl_val_to_slot(&v);
  return NULL;
}
