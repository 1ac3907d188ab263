/* Type representations: value types, the four extern types (one layout, see capi.h), import
 * and export types, and their conversion from wasmlab's wl_extern_type. */
#include <stdlib.h>

#include "engine/wasm-c-api/capi.h"

/* ---------------------------------------------------------------- value types */

wasm_valtype_t *wasm_valtype_new(wasm_valkind_t k) {
  wasm_valtype_t *t = malloc(sizeof *t);
  if (t) t->kind = k;
  return t;
}

wasm_valtype_t *wasm_valtype_copy(const wasm_valtype_t *t) { return wasm_valtype_new(t->kind); }
void wasm_valtype_delete(wasm_valtype_t *t) { free(t); }
wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *t) { return t->kind; }

/* ---------------------------------------------------------------- extern types */

static wasm_externtype_t *externtype_new(wasm_externkind_t kind) {
  wasm_externtype_t *t = calloc(1, sizeof *t);
  if (t) t->kind = kind;
  return t;
}

wasm_externtype_t *wasm_externtype_copy(const wasm_externtype_t *t) {
  wasm_externtype_t *c = externtype_new(t->kind);
  if (!c) return NULL;
  wasm_valtype_vec_copy(&c->params, &t->params);
  wasm_valtype_vec_copy(&c->results, &t->results);
  c->content = t->content ? wasm_valtype_copy(t->content) : NULL;
  c->mutability = t->mutability;
  c->limits = t->limits;
  return c;
}

void wasm_externtype_delete(wasm_externtype_t *t) {
  if (!t) return;
  wasm_valtype_vec_delete(&t->params);
  wasm_valtype_vec_delete(&t->results);
  wasm_valtype_delete(t->content);
  free(t);
}

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t *t) { return t->kind; }

/* as_externtype, as_<kind>type (NULL on a kind mismatch), copy and delete of one extern type;
 * the specific type is the extern type itself (its only member). */
#define WLC_EXTERN_SUBTYPE(name, KIND)                                                       \
  wasm_externtype_t *wasm_##name##_as_externtype(wasm_##name##_t *t) { return &t->x; }      \
  const wasm_externtype_t *wasm_##name##_as_externtype_const(const wasm_##name##_t *t) {    \
    return &t->x;                                                                          \
  }                                                                                        \
  wasm_##name##_t *wasm_externtype_as_##name(wasm_externtype_t *t) {                        \
    return t->kind == KIND ? (wasm_##name##_t *)t : NULL;                                  \
  }                                                                                        \
  const wasm_##name##_t *wasm_externtype_as_##name##_const(const wasm_externtype_t *t) {    \
    return t->kind == KIND ? (const wasm_##name##_t *)t : NULL;                            \
  }                                                                                        \
  wasm_##name##_t *wasm_##name##_copy(const wasm_##name##_t *t) {                           \
    return (wasm_##name##_t *)wasm_externtype_copy(&t->x);                                 \
  }                                                                                        \
  void wasm_##name##_delete(wasm_##name##_t *t) { wasm_externtype_delete((wasm_externtype_t *)t); }

WLC_EXTERN_SUBTYPE(functype, WASM_EXTERN_FUNC)
WLC_EXTERN_SUBTYPE(globaltype, WASM_EXTERN_GLOBAL)
WLC_EXTERN_SUBTYPE(tabletype, WASM_EXTERN_TABLE)
WLC_EXTERN_SUBTYPE(memorytype, WASM_EXTERN_MEMORY)

wasm_functype_t *wasm_functype_new(wasm_valtype_vec_t *params, wasm_valtype_vec_t *results) {
  wasm_externtype_t *t = externtype_new(WASM_EXTERN_FUNC);
  if (!t) return NULL;
  t->params = *params;   /* takes the vectors */
  t->results = *results;
  return (wasm_functype_t *)t;
}

const wasm_valtype_vec_t *wasm_functype_params(const wasm_functype_t *t) { return &t->x.params; }
const wasm_valtype_vec_t *wasm_functype_results(const wasm_functype_t *t) {
  return &t->x.results;
}

wasm_globaltype_t *wasm_globaltype_new(wasm_valtype_t *content, wasm_mutability_t mut) {
  wasm_externtype_t *t = externtype_new(WASM_EXTERN_GLOBAL);
  if (!t) return NULL;
  t->content = content;
  t->mutability = mut;
  return (wasm_globaltype_t *)t;
}

const wasm_valtype_t *wasm_globaltype_content(const wasm_globaltype_t *t) { return t->x.content; }
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t *t) {
  return t->x.mutability;
}

wasm_tabletype_t *wasm_tabletype_new(wasm_valtype_t *element, const wasm_limits_t *limits) {
  wasm_externtype_t *t = externtype_new(WASM_EXTERN_TABLE);
  if (!t) return NULL;
  t->content = element;
  t->limits = *limits;
  return (wasm_tabletype_t *)t;
}

const wasm_valtype_t *wasm_tabletype_element(const wasm_tabletype_t *t) { return t->x.content; }
const wasm_limits_t *wasm_tabletype_limits(const wasm_tabletype_t *t) { return &t->x.limits; }

wasm_memorytype_t *wasm_memorytype_new(const wasm_limits_t *limits) {
  wasm_externtype_t *t = externtype_new(WASM_EXTERN_MEMORY);
  if (!t) return NULL;
  t->limits = *limits;
  return (wasm_memorytype_t *)t;
}

const wasm_limits_t *wasm_memorytype_limits(const wasm_memorytype_t *t) { return &t->x.limits; }

/* ---------------------------------------------------------------- from and to wasmlab */

static void valtypes_from_wl(wasm_valtype_vec_t *out, uint32_t n, const uint8_t *kinds) {
  wasm_valtype_vec_new_uninitialized(out, n);
  for (size_t i = 0; i < out->size; i++)
    out->data[i] = wasm_valtype_new(wlc_valkind_from_wl(kinds[i]));
}

static wasm_limits_t limits_from_wl(const wl_extern_type *t) {
  return (wasm_limits_t){t->min, t->has_max ? t->max : wasm_limits_max_default};
}

wasm_externtype_t *wlc_externtype_from_wl(const wl_extern_type *t) {
  static const wasm_externkind_t kinds[] = {
      [WL_EXTERN_FUNC] = WASM_EXTERN_FUNC, [WL_EXTERN_TABLE] = WASM_EXTERN_TABLE,
      [WL_EXTERN_MEMORY] = WASM_EXTERN_MEMORY, [WL_EXTERN_GLOBAL] = WASM_EXTERN_GLOBAL};
  wasm_externtype_t *x = externtype_new(kinds[t->kind]);
  if (!x) return NULL;
  if (t->kind == WL_EXTERN_FUNC) {
    valtypes_from_wl(&x->params, t->nparams, t->params);
    valtypes_from_wl(&x->results, t->nresults, t->results);
  }
  if (t->kind == WL_EXTERN_TABLE || t->kind == WL_EXTERN_GLOBAL)
    x->content = wasm_valtype_new(wlc_valkind_from_wl((uint8_t)t->content));
  if (t->kind == WL_EXTERN_TABLE || t->kind == WL_EXTERN_MEMORY) x->limits = limits_from_wl(t);
  x->mutability = t->mutable_ ? WASM_VAR : WASM_CONST;
  return x;
}

wasm_functype_t *wlc_functype_from_wl(const wl_extern_type *t) {
  return (wasm_functype_t *)wlc_externtype_from_wl(t);
}

bool wlc_functype_to_wl(const wasm_functype_t *t, wl_valkind **kinds, wl_signature *sig) {
  size_t np = t->x.params.size, nr = t->x.results.size;
  *kinds = malloc((np + nr + 1) * sizeof **kinds);
  if (!*kinds) return false;
  for (size_t i = 0; i < np; i++) (*kinds)[i] = wlc_valkind_to_wl(t->x.params.data[i]->kind);
  for (size_t i = 0; i < nr; i++)
    (*kinds)[np + i] = wlc_valkind_to_wl(t->x.results.data[i]->kind);
  *sig = (wl_signature){*kinds, np, *kinds + np, nr};
  return true;
}

/* ---------------------------------------------------------------- import and export types */

wasm_importtype_t *wasm_importtype_new(wasm_name_t *module, wasm_name_t *name,
                                       wasm_externtype_t *type) {
  wasm_importtype_t *t = malloc(sizeof *t);
  if (!t) return NULL;
  *t = (wasm_importtype_t){*module, *name, type};
  return t;
}

wasm_importtype_t *wasm_importtype_copy(const wasm_importtype_t *t) {
  wasm_name_t module, name;
  wasm_name_copy(&module, &t->module);
  wasm_name_copy(&name, &t->name);
  return wasm_importtype_new(&module, &name, wasm_externtype_copy(t->type));
}

void wasm_importtype_delete(wasm_importtype_t *t) {
  if (!t) return;
  wasm_name_delete(&t->module);
  wasm_name_delete(&t->name);
  wasm_externtype_delete(t->type);
  free(t);
}

const wasm_name_t *wasm_importtype_module(const wasm_importtype_t *t) { return &t->module; }
const wasm_name_t *wasm_importtype_name(const wasm_importtype_t *t) { return &t->name; }
const wasm_externtype_t *wasm_importtype_type(const wasm_importtype_t *t) { return t->type; }

wasm_exporttype_t *wasm_exporttype_new(wasm_name_t *name, wasm_externtype_t *type) {
  wasm_exporttype_t *t = malloc(sizeof *t);
  if (!t) return NULL;
  *t = (wasm_exporttype_t){*name, type};
  return t;
}

wasm_exporttype_t *wasm_exporttype_copy(const wasm_exporttype_t *t) {
  wasm_name_t name;
  wasm_name_copy(&name, &t->name);
  return wasm_exporttype_new(&name, wasm_externtype_copy(t->type));
}

void wasm_exporttype_delete(wasm_exporttype_t *t) {
  if (!t) return;
  wasm_name_delete(&t->name);
  wasm_externtype_delete(t->type);
  free(t);
}

const wasm_name_t *wasm_exporttype_name(const wasm_exporttype_t *t) { return &t->name; }
const wasm_externtype_t *wasm_exporttype_type(const wasm_exporttype_t *t) { return t->type; }
