/* Extern types for reflection: what an import, an export or a runtime object is, read from the
 * module description or the object itself. */
#include "engine/runtime/internal.h"
#include "proposals/reference_types/reference_types.h"

static wl_extern_type func_type(const wl_functype *t) {
  return (wl_extern_type){.kind = WL_EXTERN_FUNC, .nparams = t->nparams,
                          .nresults = t->nresults, .params = t->params, .results = t->results};
}

static wl_extern_type table_type(const wl_tabletype *t) {
  return (wl_extern_type){.kind = WL_EXTERN_TABLE, .content = (wl_valkind)t->elemtype,
                          .min = t->limits.min, .max = t->limits.max,
                          .has_max = t->limits.has_max};
}

static wl_extern_type memory_type(const wl_limits *l) {
  return (wl_extern_type){.kind = WL_EXTERN_MEMORY, .min = l->min, .max = l->max,
                          .has_max = l->has_max};
}

static wl_extern_type global_type(const wl_globaltype *g) {
  return (wl_extern_type){.kind = WL_EXTERN_GLOBAL, .content = (wl_valkind)g->type,
                          .mutable_ = g->mutable_};
}

wl_extern_type wl_module_import_type(const wl_module *m, size_t i) {
  const wl_import *imp = &m->desc->imports[i];
  switch (imp->kind) {
  case WL_KIND_FUNC: return func_type(&m->desc->types[imp->desc.type_index]);
  case WL_KIND_TABLE: return table_type(&imp->desc.table);
  case WL_KIND_MEMORY: return memory_type(&imp->desc.memory);
  default: return global_type(&imp->desc.global);
  }
}

wl_extern_type wl_module_export_type(const wl_module *m, size_t i) {
  const wl_moddesc *d = m->desc;
  const wl_export *ex = &d->exports[i];
  switch (ex->kind) {
  case WL_KIND_FUNC: return func_type(wl_moddesc_func_type(d, ex->index));
  case WL_KIND_TABLE: return table_type(&d->tables[ex->index]);
  case WL_KIND_MEMORY: return memory_type(&d->memories[ex->index]);
  default: return global_type(&d->global_types[ex->index]);
  }
}

wl_extern_type wl_extern_type_of(wl_extern x) {
  switch (x.kind) {
  case WL_EXTERN_FUNC: return func_type(x.of.func->type);
  case WL_EXTERN_TABLE: {
    const wl_table *t = x.of.table;
    return table_type(&(wl_tabletype){t->elemtype, {t->size, t->max, t->has_max, false}});
  }
  case WL_EXTERN_MEMORY: {
    const wl_memory *m = x.of.memory;
    return memory_type(&(wl_limits){m->pages, m->max_pages, m->has_max, m->is64});
  }
  default: return global_type(&(wl_globaltype){x.of.global->type, x.of.global->mutable_});
  }
}

wl_error *wl_table_grow(wl_table *t, uint32_t delta, wl_val init, uint32_t *old_size) {
  if (!wl_val_fits(&init, t->elemtype, t->store))
    return wl_err(WL_ERR_ARGUMENT, "value is not a %s", wl_valkind_name(t->elemtype));
  int32_t old = wl_ref_table_grow(t, wl_val_to_slot(&init), delta);
  if (old < 0)
    return wl_err(WL_ERR_RESOURCE, "cannot grow table from %u by %u elements", t->size, delta);
  if (old_size) *old_size = (uint32_t)old;
  return NULL;
}
