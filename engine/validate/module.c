/* wl_validate: the module-level rules (types, imports, limits, globals, exports, start),
 * then segments (segments.c), then every function body (func.c).
 *
 * NOTE for wl_moddesc_free (engine/decode/): the validator allocates m->declared_funcs
 * (calloc) and each m->funcs[i].facts.blocks (malloc); wl_moddesc_free must free() both.
 * Both are expected to be NULL before the first wl_validate (a calloc'd moddesc). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/features.h"
#include "engine/validate/validate_internal.h"
#include "proposals/reference_types/rules.h"
#include "proposals/multi_value/rules.h"
#include "proposals/mutable_globals/rules.h"
#include "proposals/multi_memory/rules.h"
#include "proposals/memory64/rules.h"

#define MAX_PAGES 65536u

static wl_error *unknown(const char *space, uint32_t index, const char *where) {
  return wl_err(WL_ERR_INVALID, "unknown %s %u in %s", space, index, where);
}

/* ------------------------------------------------------------------ types and limits */

static wl_error *validate_types(const wl_moddesc *m, uint32_t features) {
  wl_error *e = NULL;
  for (uint32_t i = 0; i < m->ntypes && !e; i++)
    e = wl_multi_value_check_type(&m->types[i], i, features);
  return e;
}

static wl_error *validate_table_limits(const wl_limits *l, const char *where) {
  if (l->has_max && l->min > l->max)
    return wl_err(WL_ERR_INVALID, "size minimum must not be greater than maximum in %s: "
                  "%llu > %llu", where, (unsigned long long)l->min, (unsigned long long)l->max);
  return NULL;
}

static wl_error *validate_memory_limits(const wl_limits *l, const char *where) {
  if (l->is64) {
    wl_error *e = wl_memory64_check_limits(l, where);
    return e ? e : validate_table_limits(l, where);
  }
  if (l->min > MAX_PAGES || (l->has_max && l->max > MAX_PAGES))
    return wl_err(WL_ERR_INVALID, "memory size must be at most 65536 pages (4GiB) in %s", where);
  return validate_table_limits(l, where);
}

/* ------------------------------------------------------------------ imports */

static wl_error *validate_import(const wl_moddesc *m, uint32_t features, uint32_t i) {
  const wl_import *im = &m->imports[i];
  char where[64];
  snprintf(where, sizeof where, "import[%u]", i);
  switch (im->kind) {
    case WL_KIND_FUNC:
      if (im->desc.type_index >= m->ntypes) return unknown("type", im->desc.type_index, where);
      return NULL;
    case WL_KIND_TABLE: return validate_table_limits(&im->desc.table.limits, where);
    case WL_KIND_MEMORY: return validate_memory_limits(&im->desc.memory, where);
    case WL_KIND_GLOBAL:
      return wl_mutable_globals_check(im->desc.global.mutable_, true, where, features);
    default:
      return wl_err(WL_ERR_INVALID, "invalid import kind %u in %s", im->kind, where);
  }
}

static wl_error *validate_imports(const wl_moddesc *m, uint32_t features) {
  wl_error *e = NULL;
  for (uint32_t i = 0; i < m->nimports && !e; i++) e = validate_import(m, features, i);
  return e;
}

/* ------------------------------------------------------------------ index spaces */

static wl_error *validate_func_types(const wl_moddesc *m) {
  for (uint32_t f = 0; f < m->nfuncs; f++)
    if (m->func_type[f] >= m->ntypes) {
      char where[32];
      snprintf(where, sizeof where, "func[%u]", f);
      return unknown("type", m->func_type[f], where);
    }
  return NULL;
}

static wl_error *validate_tables(const wl_moddesc *m, uint32_t features) {
  wl_error *e = wl_reference_types_check_table_count(m->ntables, features);
  if (e) return e;
  for (uint32_t t = m->ntable_imports; t < m->ntables; t++) {
    char where[32];
    snprintf(where, sizeof where, "table[%u]", t);
    wl_error *e = validate_table_limits(&m->tables[t].limits, where);
    if (e) return e;
  }
  return NULL;
}

static wl_error *validate_memories(const wl_moddesc *m, uint32_t features) {
  wl_error *count = wl_multi_memory_check_count(m->nmemories, features);
  if (count) return count;
  for (uint32_t i = m->nmemory_imports; i < m->nmemories; i++) {
    char where[32];
    snprintf(where, sizeof where, "memory[%u]", i);
    wl_error *e = validate_memory_limits(&m->memories[i], where);
    if (e) return e;
  }
  return NULL;
}

static wl_error *validate_globals(wl_moddesc *m, uint32_t features) {
  for (uint32_t i = 0; i < m->nglobals - m->nglobal_imports; i++) {
    char where[32];
    snprintf(where, sizeof where, "global[%u]", m->nglobal_imports + i);
    const wl_globaldef *g = &m->globals[i];
    wl_error *e = wl_validate_constexpr(m, features, &g->init, g->type.type, where,
                                        m->declared_funcs);
    if (e) return e;
  }
  return NULL;
}

/* ------------------------------------------------------------------ exports, start */

static int compare_export_names(const void *a, const void *b) {
  const wl_export *x = *(const wl_export *const *)a, *y = *(const wl_export *const *)b;
  if (x->name_len != y->name_len) return x->name_len < y->name_len ? -1 : 1;
  return memcmp(x->name, y->name, x->name_len);
}

/* Sorting pointers keeps this O(n log n) for modules with many exports. */
static wl_error *check_duplicate_exports(const wl_moddesc *m) {
  if (m->nexports < 2) return NULL;
  const wl_export **sorted = malloc(m->nexports * sizeof *sorted);
  if (!sorted) return wl_err(WL_ERR_RESOURCE, "out of memory while validating exports");
  for (uint32_t i = 0; i < m->nexports; i++) sorted[i] = &m->exports[i];
  qsort(sorted, m->nexports, sizeof *sorted, compare_export_names);
  wl_error *e = NULL;
  for (uint32_t i = 1; i < m->nexports && !e; i++)
    if (compare_export_names(&sorted[i - 1], &sorted[i]) == 0)
      e = wl_err(WL_ERR_INVALID, "duplicate export name \"%s\"", sorted[i]->name);
  free(sorted);
  return e;
}

static wl_error *validate_export(wl_moddesc *m, uint32_t features, const wl_export *ex) {
  char where[300];
  snprintf(where, sizeof where, "export \"%.256s\"", ex->name);
  uint32_t x = ex->index;
  switch (ex->kind) {
    case WL_KIND_FUNC:
      if (x >= m->nfuncs) return unknown("function", x, where);
      m->declared_funcs[x] = 1;
      return NULL;
    case WL_KIND_TABLE: return x < m->ntables ? NULL : unknown("table", x, where);
    case WL_KIND_MEMORY: return x < m->nmemories ? NULL : unknown("memory", x, where);
    case WL_KIND_GLOBAL:
      if (x >= m->nglobals) return unknown("global", x, where);
      return wl_mutable_globals_check(m->global_types[x].mutable_, false, where, features);
    default:
      return wl_err(WL_ERR_INVALID, "invalid export kind %u in %s", ex->kind, where);
  }
}

static wl_error *validate_exports(wl_moddesc *m, uint32_t features) {
  for (uint32_t i = 0; i < m->nexports; i++) {
    wl_error *e = validate_export(m, features, &m->exports[i]);
    if (e) return e;
  }
  return check_duplicate_exports(m);
}

static wl_error *validate_start(const wl_moddesc *m) {
  if (!m->has_start) return NULL;
  if (m->start >= m->nfuncs) return unknown("function", m->start, "the start section");
  const wl_functype *ft = wl_moddesc_func_type(m, m->start);
  if (ft->nparams || ft->nresults)
    return wl_err(WL_ERR_INVALID, "start function must have type [] -> []: func[%u] has %u "
                  "params and %u results", m->start, ft->nparams, ft->nresults);
  return NULL;
}

/* ------------------------------------------------------------------ entry */

/* Structure first, then the set of functions ref.func may name (declared_funcs, gathered from
 * globals, segments and exports), and only then the function bodies that need it. */
wl_error *wl_validate(wl_moddesc *m, uint32_t features) {
  wl_error *e;
  if ((e = validate_types(m, features)) || (e = validate_imports(m, features)) ||
      (e = validate_func_types(m)) || (e = validate_tables(m, features)) ||
      (e = validate_memories(m, features)))
    return e;
  free(m->declared_funcs);
  m->declared_funcs = calloc(m->nfuncs ? m->nfuncs : 1, 1);
  if (!m->declared_funcs) return wl_err(WL_ERR_RESOURCE, "out of memory while validating");
  if ((e = validate_globals(m, features)) || (e = wl_validate_segments(m, features)) ||
      (e = validate_exports(m, features)) || (e = validate_start(m)))
    return e;
  return wl_validate_functions(m, features);
}
