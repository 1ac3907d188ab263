/* Instances: a counted record per wasmlab instance (see capi.h), its exports as extern
 * handles that keep it alive. */
#include <stdlib.h>

#include "engine/wasm-c-api/capi.h"

static wl_error *imports_to_wl(const wasm_extern_vec_t *imports, size_t want, wl_extern **out) {
  if (imports->size < want)
    return wl_error_new(WL_ERR_UNLINKABLE, "%zu imports given, the module needs %zu",
                        imports->size, want);
  *out = calloc(want ? want : 1, sizeof **out);
  if (!*out) return wl_error_new(WL_ERR_RESOURCE, "out of memory");
  for (size_t i = 0; i < want; i++)
    if (!imports->data[i] || !wlc_to_extern((const wasm_ref_t *)imports->data[i], &(*out)[i]))
      return wl_error_new(WL_ERR_UNLINKABLE, "import %zu is not an extern", i);
  return NULL;
}

static wasm_instance_t *instance_handle(wasm_store_t *s, wl_instance *inst) {
  wlc_instance *rec = calloc(1, sizeof *rec);
  wasm_ref_t *r = rec ? wlc_handle_new(WLC_INSTANCE, s) : NULL;
  if (!r) {
    free(rec);
    wl_instance_delete(inst);
    return NULL;
  }
  *rec = (wlc_instance){.inst = inst, .store = s, .handles = 1, .next = s->instances};
  if (s->instances) s->instances->prev = rec;
  s->instances = rec;
  r->of.instance = rec;
  return (wasm_instance_t *)r;
}

wasm_instance_t *wasm_instance_new(wasm_store_t *s, const wasm_module_t *module,
                                   const wasm_extern_vec_t *imports, wasm_trap_t **trap) {
  if (trap) *trap = NULL;
  wl_module *m = wlc_module_of(module);
  wl_extern *ext = NULL;
  wl_instance *inst = NULL;
  wl_error *e = imports_to_wl(imports, wl_module_import_count(m), &ext);
  if (!e) e = wl_instance_new(s->s, m, ext, wl_module_import_count(m), &inst);
  free(ext);
  if (e) {
    if (trap) *trap = wlc_trap_from_error(e);
    else wl_error_delete(e);
    return NULL;
  }
  return instance_handle(s, inst);
}

void wasm_instance_exports(const wasm_instance_t *instance, wasm_extern_vec_t *out) {
  const wasm_ref_t *r = (const wasm_ref_t *)instance;
  wlc_instance *rec = r->of.instance;
  wasm_extern_vec_new_uninitialized(out, wl_instance_export_count(rec->inst));
  for (size_t i = 0; i < out->size; i++) {
    wl_extern x;
    if (wl_instance_export_at(rec->inst, i, &x))
      out->data[i] = (wasm_extern_t *)wlc_extern_handle(r->store, x, rec);
  }
}
