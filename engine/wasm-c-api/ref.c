/* Handles: one struct wasm_ref_t for every reference type. Here: making, copying, comparing
 * and deleting handles, host info, and the conversions between the reference types (the same
 * pointer, checked by kind). */
#include <stdlib.h>

#include "engine/wasm-c-api/capi.h"

wasm_ref_t *wlc_handle_new(wlc_kind kind, wasm_store_t *s) {
  wasm_ref_t *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->kind = kind;
  r->store = s;
  return r;
}

static const wlc_kind extern_kinds[] = {[WL_EXTERN_FUNC] = WLC_FUNC, [WL_EXTERN_TABLE] = WLC_TABLE,
                                        [WL_EXTERN_MEMORY] = WLC_MEMORY,
                                        [WL_EXTERN_GLOBAL] = WLC_GLOBAL};

wasm_ref_t *wlc_extern_handle(wasm_store_t *s, wl_extern x, wlc_instance *owner) {
  wasm_ref_t *r = wlc_handle_new(extern_kinds[x.kind], s);
  if (!r) return NULL;
  switch (x.kind) {
  case WL_EXTERN_FUNC: r->of.func = x.of.func; break;
  case WL_EXTERN_TABLE: r->of.table = x.of.table; break;
  case WL_EXTERN_MEMORY: r->of.memory = x.of.memory; break;
  default: r->of.global = x.of.global; break;
  }
  r->owner = owner;
  if (owner) owner->handles++;
  return r;
}

bool wlc_to_extern(const wasm_ref_t *r, wl_extern *out) {
  switch (r->kind) {
  case WLC_FUNC: *out = (wl_extern){.kind = WL_EXTERN_FUNC, .of.func = r->of.func}; return true;
  case WLC_TABLE: *out = (wl_extern){.kind = WL_EXTERN_TABLE, .of.table = r->of.table}; return true;
  case WLC_MEMORY:
    *out = (wl_extern){.kind = WL_EXTERN_MEMORY, .of.memory = r->of.memory};
    return true;
  case WLC_GLOBAL:
    *out = (wl_extern){.kind = WL_EXTERN_GLOBAL, .of.global = r->of.global};
    return true;
  default: return false;
  }
}

void wlc_host_info_finalize(wlc_host_info *h) {
  if (h->finalizer) h->finalizer(h->info);
  *h = (wlc_host_info){0};
}

/* ---------------------------------------------------------------- instances */

static void unlink_instance(wlc_instance *i) {
  if (i->prev) i->prev->next = i->next;
  else i->store->instances = i->next;
  if (i->next) i->next->prev = i->prev;
}

/* Drops one handle of the instance. At the last one the instance is finalized, and released
 * now unless funcrefs escaped in its store (then the store releases it). */
void wlc_instance_release(wlc_instance *i) {
  if (--i->handles > 0) return;
  unlink_instance(i);
  wlc_host_info_finalize(&i->host);
  if (!i->store->funcrefs_escaped) wl_instance_delete(i->inst);
  free(i);
}

/* ---------------------------------------------------------------- host info */

/* The object a handle names: what `same` compares and host info is keyed by. */
static const void *identity(const wasm_ref_t *r) {
  switch (r->kind) {
  case WLC_FUNC: return r->of.func;
  case WLC_GLOBAL: return r->of.global;
  case WLC_TABLE: return r->of.table;
  case WLC_MEMORY: return r->of.memory;
  case WLC_FOREIGN: return r->of.foreign;
  case WLC_INSTANCE: return r->of.instance;
  case WLC_MODULE: return r->of.module;
  default: return r->of.trap;
  }
}

static size_t bucket_of(const void *key) { return ((uintptr_t)key >> 4) % WLC_INFO_BUCKETS; }

/* The host info record of `r`'s object; with `create`, made when missing (NULL if out of
 * memory or, without `create`, when there is none). */
static wlc_host_info *host_info_of(const wasm_ref_t *r, bool create) {
  switch (r->kind) {
  case WLC_FOREIGN: return &r->of.foreign->host;
  case WLC_INSTANCE: return &r->of.instance->host;
  case WLC_MODULE: return &r->of.module->host;
  case WLC_TRAP: return &r->of.trap->host;
  default: break;
  }
  const void *key = identity(r);
  wlc_info_entry **head = &r->store->info[bucket_of(key)];
  for (wlc_info_entry *e = *head; e; e = e->next)
    if (e->key == key) return &e->host;
  if (!create) return NULL;
  wlc_info_entry *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  e->key = key;
  e->next = *head;
  *head = e;
  return &e->host;
}

/* Runs the finalizers of the store objects' host info and frees the foreign objects. */
void wlc_store_release_objects(wasm_store_t *s) {
  for (size_t b = 0; b < WLC_INFO_BUCKETS; b++)
    for (wlc_info_entry *e = s->info[b], *next; e; e = next) {
      next = e->next;
      wlc_host_info_finalize(&e->host);
      free(e);
    }
  for (wlc_foreign *f = s->foreigns, *next; f; f = next) {
    next = f->next;
    wlc_host_info_finalize(&f->host);
    free(f);
  }
}

/* ---------------------------------------------------------------- the ref operations */

static void ref_delete(wasm_ref_t *r) {
  if (!r) return;
  switch (r->kind) {
  case WLC_INSTANCE: wlc_instance_release(r->of.instance); break;
  case WLC_MODULE: wasm_module_delete((wasm_module_t *)r); return;
  case WLC_TRAP: wasm_trap_delete((wasm_trap_t *)r); return;
  default: if (r->owner) wlc_instance_release(r->owner); break;
  }
  free(r);
}

static wasm_ref_t *ref_copy(const wasm_ref_t *r) {
  if (r->kind == WLC_MODULE) return (wasm_ref_t *)wasm_module_copy((const wasm_module_t *)r);
  if (r->kind == WLC_TRAP) return (wasm_ref_t *)wasm_trap_copy((const wasm_trap_t *)r);
  wasm_ref_t *c = malloc(sizeof *c);
  if (!c) return NULL;
  *c = *r;
  if (r->owner) r->owner->handles++;
  if (r->kind == WLC_INSTANCE) r->of.instance->handles++;
  return c;
}

static bool ref_same(const wasm_ref_t *a, const wasm_ref_t *b) {
  return a->kind == b->kind && identity(a) == identity(b);
}

static void *ref_host_info(const wasm_ref_t *r) {
  wlc_host_info *h = host_info_of(r, false);
  return h ? h->info : NULL;
}

static void ref_set_host_info(wasm_ref_t *r, void *info, void (*finalizer)(void *)) {
  wlc_host_info *h = host_info_of(r, true);
  if (h) *h = (wlc_host_info){info, finalizer};
}

/* The common operations of one reference type, for the types whose copy and delete are the
 * generic ones. */
#define WLC_REF_COMMON(name)                                                                 \
  bool wasm_##name##_same(const wasm_##name##_t *a, const wasm_##name##_t *b) {             \
    return ref_same((const wasm_ref_t *)a, (const wasm_ref_t *)b);                          \
  }                                                                                          \
  void *wasm_##name##_get_host_info(const wasm_##name##_t *r) {                             \
    return ref_host_info((const wasm_ref_t *)r);                                            \
  }                                                                                          \
  void wasm_##name##_set_host_info(wasm_##name##_t *r, void *info) {                        \
    ref_set_host_info((wasm_ref_t *)r, info, NULL);                                         \
  }                                                                                          \
  void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t *r, void *info,           \
                                                  void (*fin)(void *)) {                    \
    ref_set_host_info((wasm_ref_t *)r, info, fin);                                          \
  }

#define WLC_REF_GENERIC(name)                                                                \
  WLC_REF_COMMON(name)                                                                       \
  wasm_##name##_t *wasm_##name##_copy(const wasm_##name##_t *r) {                           \
    return (wasm_##name##_t *)ref_copy((const wasm_ref_t *)r);                              \
  }                                                                                          \
  void wasm_##name##_delete(wasm_##name##_t *r) { ref_delete((wasm_ref_t *)r); }

/* as_ref and back: the same handle; the way back checks the kind. */
#define WLC_AS_REF(name, KIND)                                                               \
  wasm_ref_t *wasm_##name##_as_ref(wasm_##name##_t *r) { return (wasm_ref_t *)r; }          \
  const wasm_ref_t *wasm_##name##_as_ref_const(const wasm_##name##_t *r) {                  \
    return (const wasm_ref_t *)r;                                                           \
  }                                                                                          \
  wasm_##name##_t *wasm_ref_as_##name(wasm_ref_t *r) {                                      \
    return r && r->kind == KIND ? (wasm_##name##_t *)r : NULL;                              \
  }                                                                                          \
  const wasm_##name##_t *wasm_ref_as_##name##_const(const wasm_ref_t *r) {                  \
    return r && r->kind == KIND ? (const wasm_##name##_t *)r : NULL;                        \
  }

WLC_REF_GENERIC(ref)
WLC_REF_GENERIC(func)
WLC_REF_GENERIC(global)
WLC_REF_GENERIC(table)
WLC_REF_GENERIC(memory)
WLC_REF_GENERIC(foreign)
WLC_REF_GENERIC(instance)
WLC_REF_COMMON(module)
WLC_REF_COMMON(trap)
WLC_AS_REF(func, WLC_FUNC)
WLC_AS_REF(global, WLC_GLOBAL)
WLC_AS_REF(table, WLC_TABLE)
WLC_AS_REF(memory, WLC_MEMORY)
WLC_AS_REF(foreign, WLC_FOREIGN)
WLC_AS_REF(instance, WLC_INSTANCE)
WLC_AS_REF(module, WLC_MODULE)
WLC_AS_REF(trap, WLC_TRAP)

/* ---------------------------------------------------------------- externs */

static bool is_extern(const wasm_ref_t *r) { return r && r->kind <= WLC_MEMORY; }

WLC_REF_GENERIC(extern)

wasm_ref_t *wasm_extern_as_ref(wasm_extern_t *x) { return (wasm_ref_t *)x; }
const wasm_ref_t *wasm_extern_as_ref_const(const wasm_extern_t *x) { return (const wasm_ref_t *)x; }
wasm_extern_t *wasm_ref_as_extern(wasm_ref_t *r) {
  return is_extern(r) ? (wasm_extern_t *)r : NULL;
}
const wasm_extern_t *wasm_ref_as_extern_const(const wasm_ref_t *r) {
  return is_extern(r) ? (const wasm_extern_t *)r : NULL;
}

wasm_externkind_t wasm_extern_kind(const wasm_extern_t *x) {
  static const wasm_externkind_t kinds[] = {[WLC_FUNC] = WASM_EXTERN_FUNC,
                                            [WLC_GLOBAL] = WASM_EXTERN_GLOBAL,
                                            [WLC_TABLE] = WASM_EXTERN_TABLE,
                                            [WLC_MEMORY] = WASM_EXTERN_MEMORY};
  return kinds[((const wasm_ref_t *)x)->kind];
}

wasm_externtype_t *wasm_extern_type(const wasm_extern_t *x) {
  wl_extern e;
  if (!wlc_to_extern((const wasm_ref_t *)x, &e)) return NULL;
  wl_extern_type t = wl_extern_type_of(e);
  return wlc_externtype_from_wl(&t);
}

/* X_as_extern and extern_as_X: the same handle; the way back checks the kind. */
#define WLC_AS_EXTERN(name, KIND)                                                            \
  wasm_extern_t *wasm_##name##_as_extern(wasm_##name##_t *r) { return (wasm_extern_t *)r; } \
  const wasm_extern_t *wasm_##name##_as_extern_const(const wasm_##name##_t *r) {            \
    return (const wasm_extern_t *)r;                                                        \
  }                                                                                          \
  wasm_##name##_t *wasm_extern_as_##name(wasm_extern_t *x) {                                \
    return x && ((wasm_ref_t *)x)->kind == KIND ? (wasm_##name##_t *)x : NULL;              \
  }                                                                                          \
  const wasm_##name##_t *wasm_extern_as_##name##_const(const wasm_extern_t *x) {            \
    return x && ((const wasm_ref_t *)x)->kind == KIND ? (const wasm_##name##_t *)x : NULL;  \
  }

WLC_AS_EXTERN(func, WLC_FUNC)
WLC_AS_EXTERN(global, WLC_GLOBAL)
WLC_AS_EXTERN(table, WLC_TABLE)
WLC_AS_EXTERN(memory, WLC_MEMORY)

/* ---------------------------------------------------------------- foreign objects */

wasm_foreign_t *wasm_foreign_new(wasm_store_t *s) {
  wlc_foreign *f = calloc(1, sizeof *f);
  wasm_ref_t *r = f ? wlc_handle_new(WLC_FOREIGN, s) : NULL;
  if (!r) {
    free(f);
    return NULL;
  }
  f->next = s->foreigns;
  s->foreigns = f;
  r->of.foreign = f;
  return (wasm_foreign_t *)r;
}
