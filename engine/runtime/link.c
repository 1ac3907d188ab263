/* Import matching at instantiation: kinds, exact function types (by engine type id), limits
 * subtyping for tables and memories, exact type and mutability for globals. */
#include <stdarg.h>
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

/* ---------------------------------------------------------------- both types, as text */

typedef struct {
  char text[256];
  size_t len;
} type_text;

static void put(type_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(type_text *t, const char *fmt, ...) {
  if (t->len >= sizeof t->text) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(t->text + t->len, sizeof t->text - t->len, fmt, ap);
  va_end(ap);
  if (n > 0) t->len += (size_t)n;
}

static void put_valtypes(type_text *t, const char *what, const wl_valtype *v, uint32_t n) {
  if (n == 0) return;
  put(t, " (%s", what);
  for (uint32_t i = 0; i < n; i++) put(t, " %s", wl_valtype_name(v[i]));
  put(t, ")");
}

/* The text format's way of writing each extern type: (func (param i32) (result i32)),
 * (table 1 10 funcref), (memory i64 1), (global (mut f64)). */
static void put_func(type_text *t, const wl_functype *f) {
  put(t, "(func");
  put_valtypes(t, "param", f->params, f->nparams);
  put_valtypes(t, "result", f->results, f->nresults);
  put(t, ")");
}

static void put_limits(type_text *t, uint64_t min, bool has_max, uint64_t max) {
  put(t, " %llu", (unsigned long long)min);
  if (has_max) put(t, " %llu", (unsigned long long)max);
}

static void put_global(type_text *t, wl_valtype type, bool mutable_) {
  if (mutable_) put(t, "(global (mut %s))", wl_valtype_name(type));
  else put(t, "(global %s)", wl_valtype_name(type));
}

static void describe_import(type_text *t, const wl_module *m, const wl_import *imp) {
  switch (imp->kind) {
  case WL_KIND_FUNC: put_func(t, &m->desc->types[imp->desc.type_index]); break;
  case WL_KIND_TABLE:
    put(t, "(table");
    put_limits(t, imp->desc.table.limits.min, imp->desc.table.limits.has_max,
               imp->desc.table.limits.max);
    put(t, " %s)", wl_valtype_name(imp->desc.table.elemtype));
    break;
  case WL_KIND_MEMORY:
    put(t, "(memory%s", imp->desc.memory.is64 ? " i64" : "");
    put_limits(t, imp->desc.memory.min, imp->desc.memory.has_max, imp->desc.memory.max);
    put(t, ")");
    break;
  default: put_global(t, imp->desc.global.type, imp->desc.global.mutable_); break;
  }
}

/* What is given: its current size as the minimum (that is what must fit). */
static void describe_extern(type_text *t, const wl_extern *x) {
  switch (x->kind) {
  case WL_EXTERN_FUNC: put_func(t, x->of.func->type); break;
  case WL_EXTERN_TABLE:
    put(t, "(table");
    put_limits(t, x->of.table->size, x->of.table->has_max, x->of.table->max);
    put(t, " %s)", wl_valtype_name(x->of.table->elemtype));
    break;
  case WL_EXTERN_MEMORY:
    put(t, "(memory%s", x->of.memory->is64 ? " i64" : "");
    put_limits(t, x->of.memory->pages, x->of.memory->has_max, x->of.memory->max_pages);
    put(t, ")");
    break;
  default: put_global(t, x->of.global->type, x->of.global->mutable_); break;
  }
}

/* "incompatible import type" (the spec's wording, a prefix the spec tests match), what
 * differs, then both types. */
static wl_error *incompatible(const wl_module *m, const wl_import *imp, const wl_extern *x,
                              const char *why) {
  type_text want = {0}, given = {0};
  describe_import(&want, m, imp);
  describe_extern(&given, x);
  return wl_err(WL_ERR_UNLINKABLE,
                "incompatible import type: \"%s\" \"%s\": %s: expected %s, given %s",
                imp->module, imp->name, why, want.text, given.text);
}

/* ---------------------------------------------------------------- matching */

static const wl_store *extern_store(const wl_extern *x) {
  switch (x->kind) {
  case WL_EXTERN_FUNC: return x->of.func->store;
  case WL_EXTERN_TABLE: return x->of.table->store;
  case WL_EXTERN_MEMORY: return x->of.memory->store;
  default: return x->of.global->store;
  }
}

/* NULL when x fits imp (same kind), else what differs. */
static const char *difference(const wl_module *m, const wl_import *imp, const wl_extern *x) {
  switch (x->kind) {
  case WL_EXTERN_FUNC:
    return x->of.func->type_id != m->type_ids[imp->desc.type_index] ? "function type differs"
                                                                     : NULL;
  case WL_EXTERN_TABLE: {
    const wl_table *t = x->of.table;
    if (t->elemtype != imp->desc.table.elemtype) return "element type differs";
    return limits_match(t->size, t->max, t->has_max, &imp->desc.table.limits)
               ? NULL : "table limits do not match";
  }
  case WL_EXTERN_MEMORY: {
    const wl_memory *mem = x->of.memory;
    if (mem->is64 != imp->desc.memory.is64) return "memory index type differs";
    return limits_match(mem->pages, mem->max_pages, mem->has_max, &imp->desc.memory)
               ? NULL : "memory limits do not match";
  }
  default: {
    const wl_global *g = x->of.global;
    if (g->type != imp->desc.global.type) return "global type differs";
    return g->mutable_ != imp->desc.global.mutable_ ? "mutability differs" : NULL;
  }
  }
}

static wl_error *check_one(const wl_store *s, const wl_module *m, const wl_import *imp,
                           const wl_extern *x) {
  if (!x->of.func)  /* every union member is a pointer at the same place */
    return wl_err(WL_ERR_ARGUMENT, "import \"%s\" \"%s\" is missing", imp->module, imp->name);
  if ((unsigned)x->kind != imp->kind) {
    char why[64];
    snprintf(why, sizeof why, "expected a %s, got a %s", extern_kind_name(imp->kind),
             extern_kind_name(x->kind));
    return incompatible(m, imp, x, why);
  }
  if (extern_store(x) != s)
    return wl_err(WL_ERR_ARGUMENT, "import \"%s\" \"%s\" comes from another store", imp->module,
                  imp->name);
  const char *why = difference(m, imp, x);
  return why ? incompatible(m, imp, x, why) : NULL;
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
