/* The linker: named definitions keyed by (module, name), capability rules, and import
 * resolution for wl_linker_instantiate. Definitions live in an open-addressing hash table so
 * spectest runs that `register` many instances stay linear. Only the public API is used. */
#include <stdlib.h>
#include <string.h>

#include "engine/include/wasmlab.h"
#include "engine/linker/linker.h"
#include "engine/linker/names.h"

struct wl_linker {
  wl_store *store;
  wl_name_table defs;   /* (module, name) -> wl_extern */
  wl_name_table allow;  /* (module, name or "*") -> presence */
  wl_name_table modules;  /* (module, "") for every module with a definition */
  bool has_rules;       /* once a rule exists, only allowed imports link */
};

wl_linker *wl_linker_new(wl_store *s) {
  wl_linker *l = calloc(1, sizeof *l);
  if (!l) return NULL;
  l->store = s;
  return l;
}

wl_store *wl_linker_store(const wl_linker *l) { return l->store; }

void wl_linker_delete(wl_linker *l) {
  if (!l) return;
  wl_names_free(&l->defs);
  wl_names_free(&l->allow);
  wl_names_free(&l->modules);
  free(l);
}

wl_error *wl_linker_define(wl_linker *l, const char *module, const char *name, wl_extern ext) {
  if (!l || !module || !name) return wl_error_new(WL_ERR_ARGUMENT, "linker: missing name");
  if (!wl_names_put(&l->defs, module, name, ext) || !wl_names_put(&l->modules, module, "", ext))
    return wl_error_new(WL_ERR_RESOURCE, "linker: out of memory");
  return NULL;
}

wl_error *wl_linker_define_instance(wl_linker *l, const char *module, wl_instance *inst) {
  size_t n = wl_instance_export_count(inst);
  for (size_t i = 0; i < n; i++) {
    const char *name = wl_instance_export_name(inst, i);
    wl_extern ext;
    if (!wl_instance_export(inst, name, &ext))
      return wl_error_new(WL_ERR_ARGUMENT, "linker: export \"%s\" vanished", name);
    wl_error *e = wl_linker_define(l, module, name, ext);
    if (e) return e;
  }
  return NULL;
}

wl_error *wl_linker_define_host_module(wl_linker *l, const char *module,
                                       const wl_host_func_def *defs, size_t n, void *user_data) {
  for (size_t i = 0; i < n; i++) {
    wl_func *f = wl_func_new_host(l->store, defs[i].sig, defs[i].cb, user_data, NULL, defs[i].cost);
    if (!f) return wl_error_new(WL_ERR_RESOURCE, "linker: cannot create \"%s\" \"%s\"", module,
                                defs[i].name);
    wl_extern ext = {.kind = WL_EXTERN_FUNC, .of.func = f};
    wl_error *e = wl_linker_define(l, module, defs[i].name, ext);
    if (e) return e;
  }
  return NULL;
}

void wl_linker_allow(wl_linker *l, const char *module, const char *name) {
  wl_extern present = {.kind = WL_EXTERN_FUNC, .of.func = NULL};
  /* Out of memory here only makes the rule set stricter, never looser. */
  (void)wl_names_put(&l->allow, module, name, present);
  l->has_rules = true;
}

bool wl_linker_get(const wl_linker *l, const char *module, const char *name, wl_extern *out) {
  return wl_names_get(&l->defs, module, name, out);
}

static bool import_permitted(const wl_linker *l, const char *module, const char *name) {
  wl_extern unused;
  if (!l->has_rules) return true;
  return wl_names_get(&l->allow, module, name, &unused) ||
         wl_names_get(&l->allow, module, "*", &unused);
}

/* Finds the definition for import `i`, checking capability and kind. */
static wl_error *resolve_import(const wl_linker *l, const wl_module *m, size_t i, wl_extern *out) {
  wl_import_info imp = wl_module_import(m, i);
  if (!import_permitted(l, imp.module, imp.name))
    return wl_error_new(WL_ERR_UNLINKABLE, "import \"%s\" \"%s\" not permitted", imp.module,
                        imp.name);
  if (!wl_linker_get(l, imp.module, imp.name, out)) {
    wl_extern unused;
    const char *grant = wl_linker_missing_grant(imp.module);
    if (grant && !wl_names_get(&l->modules, imp.module, "", &unused))
      return wl_error_new(WL_ERR_UNLINKABLE,
                          "unknown import \"%s\" \"%s\": host module \"%s\" was not granted "
                          "to this instance; it needs %s", imp.module, imp.name, imp.module, grant);
    return wl_error_new(WL_ERR_UNLINKABLE, "unknown import \"%s\" \"%s\"", imp.module, imp.name);
  }
  return NULL;  /* kinds and types: wl_instance_new's check names both types */
}

wl_error *wl_linker_instantiate(wl_linker *l, wl_module *m, wl_instance **out) {
  size_t n = wl_module_import_count(m);
  wl_extern *imports = calloc(n ? n : 1, sizeof *imports);
  if (!imports) return wl_error_new(WL_ERR_RESOURCE, "linker: out of memory");
  wl_error *e = NULL;
  for (size_t i = 0; i < n && !e; i++) e = resolve_import(l, m, i, &imports[i]);
  if (!e) e = wl_instance_new(l->store, m, imports, n, out);
  free(imports);
  return e;
}
