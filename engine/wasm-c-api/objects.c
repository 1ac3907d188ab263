/* Globals, tables and memories: store objects reached through handles. */
#include "engine/wasm-c-api/capi.h"

static wasm_ref_t *handle(const void *h) { return (wasm_ref_t *)h; }

static wl_extern_type type_of(const void *h) {
  wl_extern x;
  wlc_to_extern(handle(h), &x);
  return wl_extern_type_of(x);
}

static bool ok(wl_error *e) {
  wl_error_delete(e);
  return e == NULL;
}

/* ---------------------------------------------------------------- globals */

wasm_global_t *wasm_global_new(wasm_store_t *s, const wasm_globaltype_t *type,
                               const wasm_val_t *val) {
  uint8_t kind = wlc_valkind_to_wl(type->x.content->kind);
  wl_val v;
  wl_global *g = NULL;
  if (!wlc_val_to_wl(s, val, kind, &v) ||
      !ok(wl_global_new(s->s, (wl_valkind)kind, type->x.mutability == WASM_VAR, v, &g)))
    return NULL;
  return (wasm_global_t *)wlc_extern_handle(
      s, (wl_extern){.kind = WL_EXTERN_GLOBAL, .of.global = g}, NULL);
}

wasm_globaltype_t *wasm_global_type(const wasm_global_t *g) {
  wl_extern_type t = type_of(g);
  return (wasm_globaltype_t *)wlc_externtype_from_wl(&t);
}

void wasm_global_get(const wasm_global_t *g, wasm_val_t *out) {
  wl_val v = wl_global_get(handle(g)->of.global);
  wlc_val_from_wl(handle(g)->store, &v, out);
}

/* The standard gives no way to fail: a value of the wrong type or a constant global is
 * left unchanged. */
void wasm_global_set(wasm_global_t *g, const wasm_val_t *val) {
  wl_val v;
  if (wlc_val_to_wl(handle(g)->store, val, (uint8_t)type_of(g).content, &v))
    ok(wl_global_set(handle(g)->of.global, v));
}

/* ---------------------------------------------------------------- tables */

wasm_table_t *wasm_table_new(wasm_store_t *s, const wasm_tabletype_t *type, wasm_ref_t *init) {
  uint8_t elem = wlc_valkind_to_wl(type->x.content->kind);
  const wasm_limits_t *l = &type->x.limits;
  wl_val v;
  wl_table *t = NULL;
  if (!wlc_ref_to_wl(s, init, elem, &v) ||
      !ok(wl_table_new(s->s, (wl_valkind)elem, l->min, l->max,
                       l->max != wasm_limits_max_default, v, &t)))
    return NULL;
  return (wasm_table_t *)wlc_extern_handle(s, (wl_extern){.kind = WL_EXTERN_TABLE, .of.table = t},
                                           NULL);
}

wasm_tabletype_t *wasm_table_type(const wasm_table_t *t) {
  wl_extern_type ty = type_of(t);
  return (wasm_tabletype_t *)wlc_externtype_from_wl(&ty);
}

wasm_ref_t *wasm_table_get(const wasm_table_t *t, wasm_table_size_t index) {
  wl_val v;
  if (!ok(wl_table_get(handle(t)->of.table, index, &v))) return NULL;
  wasm_val_t out;
  wlc_val_from_wl(handle(t)->store, &v, &out);
  return out.of.ref;
}

bool wasm_table_set(wasm_table_t *t, wasm_table_size_t index, wasm_ref_t *ref) {
  wl_val v;
  return wlc_ref_to_wl(handle(t)->store, ref, (uint8_t)type_of(t).content, &v) &&
         ok(wl_table_set(handle(t)->of.table, index, v));
}

wasm_table_size_t wasm_table_size(const wasm_table_t *t) {
  return wl_table_size(handle(t)->of.table);
}

bool wasm_table_grow(wasm_table_t *t, wasm_table_size_t delta, wasm_ref_t *init) {
  wl_val v;
  return wlc_ref_to_wl(handle(t)->store, init, (uint8_t)type_of(t).content, &v) &&
         ok(wl_table_grow(handle(t)->of.table, delta, v, NULL));
}

/* ---------------------------------------------------------------- memories */

wasm_memory_t *wasm_memory_new(wasm_store_t *s, const wasm_memorytype_t *type) {
  const wasm_limits_t *l = &type->x.limits;
  wl_memory *m = NULL;
  if (!ok(wl_memory_new(s->s, l->min, l->max, l->max != wasm_limits_max_default, &m)))
    return NULL;
  return (wasm_memory_t *)wlc_extern_handle(
      s, (wl_extern){.kind = WL_EXTERN_MEMORY, .of.memory = m}, NULL);
}

wasm_memorytype_t *wasm_memory_type(const wasm_memory_t *m) {
  wl_extern_type t = type_of(m);
  return (wasm_memorytype_t *)wlc_externtype_from_wl(&t);
}

byte_t *wasm_memory_data(wasm_memory_t *m) {
  return (byte_t *)wl_memory_data(handle(m)->of.memory);
}

size_t wasm_memory_data_size(const wasm_memory_t *m) {
  return (size_t)wl_memory_size(handle(m)->of.memory);
}

wasm_memory_pages_t wasm_memory_size(const wasm_memory_t *m) {
  return (wasm_memory_pages_t)(wl_memory_size(handle(m)->of.memory) / MEMORY_PAGE_SIZE);
}

bool wasm_memory_grow(wasm_memory_t *m, wasm_memory_pages_t delta) {
  return ok(wl_memory_grow(handle(m)->of.memory, delta, NULL));
}
