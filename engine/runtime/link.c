/* Import matching at instantiation: kinds, exact function types (by engine type id), limits
 * subtyping for tables and memories, exact type and mutability for globals. */
#include <stdio.h>

#include "engine/runtime/internal.h"

static const char *extern_kind_name(unsigned k) {
  static const char *const names[] = {"function", "table", "memory", "global"};
  return k < 4 ? names[k] : "unknown";
}

/* The actual limits (current size, maximum) must lie within the declared ones. */
static bool limits_match(uint32_t min, uint32_t max, bool has_max, const wl_limits *declared) {
  if (min < declared->min) return false;
  if (!declared->has_max) return true;
  return has_max && max <= declared->max;
}

static wl_error *incompatible(const wl_import *imp, const char *why) {
  return wl_err(WL_ERR_UNLINKABLE, "incompatible import type: \"%s\" \"%s\": %s", imp->module,
                imp->name, why);
}

static const wl_store *extern_store(const wl_extern *x) {
  switch (x->kind) {
  case WL_EXTERN_FUNC: return x->of.func->store;
  case WL_EXTERN_TABLE: return x->of.table->store;
  case WL_EXTERN_MEMORY: return x->of.memory->store;
  default: return x->of.global->store;
  }
}

static wl_error *check_func(const wl_module *m, const wl_import *imp, const wl_func *f) {
  if (f->type_id != m->type_ids[imp->desc.type_index])
    return incompatible(imp, "function type differs");
  return NULL;
}

static wl_error *check_table(const wl_import *imp, const wl_table *t) {
  if (t->elemtype != imp->desc.table.elemtype) return incompatible(imp, "element type differs");
  if (!limits_match(t->size, t->max, t->has_max, &imp->desc.table.limits))
    return incompatible(imp, "table limits do not match");
  return NULL;
}

static wl_error *check_memory(const wl_import *imp, const wl_memory *mem) {
  if (mem->is64 != imp->desc.memory.is64) return incompatible(imp, "memory index type differs");
  if (!limits_match(mem->pages, mem->max_pages, mem->has_max, &imp->desc.memory))
    return incompatible(imp, "memory limits do not match");
  return NULL;
}

static wl_error *check_global(const wl_import *imp, const wl_global *g) {
  if (g->type != imp->desc.global.type) return incompatible(imp, "global type differs");
  if (g->mutable_ != imp->desc.global.mutable_) return incompatible(imp, "mutability differs");
  return NULL;
}

static wl_error *check_one(const wl_store *s, const wl_module *m, const wl_import *imp,
                           const wl_extern *x) {
  if (!x->of.func)  /* every union member is a pointer at the same place */
    return wl_err(WL_ERR_ARGUMENT, "import \"%s\" \"%s\" is missing", imp->module, imp->name);
  if ((unsigned)x->kind != imp->kind) {
    char why[64];
    snprintf(why, sizeof why, "expected a %s, got a %s", extern_kind_name(imp->kind),
             extern_kind_name(x->kind));
    return incompatible(imp, why);
  }
  if (extern_store(x) != s)
    return wl_err(WL_ERR_ARGUMENT, "import \"%s\" \"%s\" comes from another store", imp->module,
                  imp->name);
  switch (x->kind) {
  case WL_EXTERN_FUNC: return check_func(m, imp, x->of.func);
  case WL_EXTERN_TABLE: return check_table(imp, x->of.table);
  case WL_EXTERN_MEMORY: return check_memory(imp, x->of.memory);
  default: return check_global(imp, x->of.global);
  }
}

wl_error *wl_check_imports(wl_store *s, const wl_module *m, const wl_extern *imports,
                           size_t nimports) {
  const wl_moddesc *d = m->desc;
  if (nimports != d->nimports)
    return wl_err(WL_ERR_ARGUMENT, "the module has %u imports, got %zu", d->nimports, nimports);
  for (uint32_t i = 0; i < d->nimports; i++) {
    wl_error *e = check_one(s, m, &d->imports[i], &imports[i]);
    if (e) return e;
  }
  return NULL;
}
