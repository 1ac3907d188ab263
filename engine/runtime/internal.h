/* Runtime internals shared by engine/runtime and engine/api only (backends use runtime.h):
 * the engine and store layouts, ownership bookkeeping, and creation/release of runtime objects.
 *
 * Ownership model:
 *  - The store owns its instances and the objects created through the API (host functions,
 *    tables, memories, globals), each kept in a pointer list.
 *  - An instance owns the objects it defined itself (the non-imported part of its index spaces);
 *    they are freed with the instance.
 *  - Tables, memories and globals are allocated inside a "box" that remembers the instance that
 *    defined them (NULL for API-created ones), so importing one can be tracked as a dependency
 *    on its owner (wl_instance.importers). */
#ifndef WL_RUNTIME_INTERNAL_H
#define WL_RUNTIME_INTERNAL_H

#include <stddef.h>

#include "backends/backend.h"
#include "engine/runtime/runtime.h"

#define WL_TYPE_ID_NONE UINT32_MAX

/* ---------------------------------------------------------------- engine */

typedef struct {
  wl_functype *types;   /* interned copies; the id is the index */
  uint32_t count, cap;
  uint32_t *buckets;    /* open addressing: id + 1, or 0 for empty */
  uint32_t nbuckets;    /* power of two */
} wl_type_registry;

struct wl_engine {
  wl_config config;
  const wl_backend *backend;
  wl_type_registry types;
};

void wl_type_registry_free(wl_type_registry *r);

/* ---------------------------------------------------------------- store */

typedef struct {
  void **items;
  size_t count, cap;
} wl_ptr_list;

bool wl_ptr_list_push(wl_ptr_list *l, void *p);
/* Removes the item at `i` by moving the last one into its place. */
void wl_ptr_list_swap_remove(wl_ptr_list *l, size_t i);

struct wl_store {
  wl_engine *engine;
  wl_exec exec;
  uint64_t fuel_used;
  /* The instance of the wasm function running now (NULL at the API boundary); maintained by
   * wl_call so a host function can tell which instance called it. */
  wl_instance *current;
  wl_ptr_list instances;  /* wl_instance_box *, each knowing its slot here */
  wl_ptr_list funcs;      /* host functions */
  wl_ptr_list tables, memories, globals;  /* created through the API */
  /* Held by all live tables and memories of the store, charged against the config's limits. */
  uint64_t table_elements, memory_bytes;
};

/* engine/runtime/limits.c: NULL when a new table or memory fits the store's limit, else an
 * error naming the limit (charging and the compile checks are in runtime.h). */
wl_error *wl_check_table_limit(const wl_store *s, uint64_t elements);
wl_error *wl_check_memory_limit(const wl_store *s, uint64_t bytes);

struct wl_caller {
  wl_instance *instance;
  wl_store *store;
};

/* Execution stack of the store: reserved lazily (MAP_NORESERVE). */
bool wl_exec_init(wl_exec *ex, wl_store *s, uint32_t max_depth);
void wl_exec_free(wl_exec *ex);

/* ---------------------------------------------------------------- values */

/* Scalars and references: one slot. */
wl_slot wl_val_to_slot(const wl_val *v);
wl_val wl_slot_to_val(wl_valtype kind, wl_slot s);
/* Any type: writes/reads wl_valtype_slots(kind) slots, returns that count. */
uint32_t wl_val_to_slots(const wl_val *v, wl_slot *out);
uint32_t wl_slots_to_val(wl_valtype kind, const wl_slot *in, wl_val *out);
/* True when `v` is a well-formed value of type `t` (kind matches; for funcref, a function of
 * store `s` or null). */
bool wl_val_fits(const wl_val *v, wl_valtype t, const wl_store *s);
const char *wl_valkind_name(wl_valtype t);

/* ---------------------------------------------------------------- objects */

typedef struct {
  wl_table table;
  wl_instance *owner;
} wl_table_box;

typedef struct {
  wl_memory memory;
  wl_instance *owner;
} wl_memory_box;

typedef struct {
  wl_global global;
  wl_instance *owner;
} wl_global_box;

static inline wl_instance *wl_table_owner(wl_table *t) { return ((wl_table_box *)t)->owner; }
static inline wl_instance *wl_memory_owner(wl_memory *m) { return ((wl_memory_box *)m)->owner; }
static inline wl_instance *wl_global_owner(wl_global *g) { return ((wl_global_box *)g)->owner; }

wl_error *wl_table_create(wl_store *s, const wl_tabletype *type, wl_slot init,
                          wl_instance *owner, wl_table **out);
void wl_table_destroy(wl_table *t);
wl_error *wl_memory_create(wl_store *s, const wl_limits *pages, wl_instance *owner,
                           wl_memory **out);
void wl_memory_destroy(wl_memory *m);
/* `value` holds wl_valtype_slots(type.type) slots. */
wl_error *wl_global_create(wl_store *s, wl_globaltype type, const wl_slot *value, wl_instance *owner,
                           wl_global **out);
void wl_global_destroy(wl_global *g);
/* Host functions: runs the finalizer and frees the signature. */
void wl_host_func_destroy(wl_func *f);

/* ---------------------------------------------------------------- instances */

typedef struct {
  wl_instance inst;
  size_t store_slot;        /* index in store->instances while listed there */
  bool listed;              /* in store->instances */
  bool backend_ready;       /* backend->instance_init succeeded, so instance_free is due */
  bool zombie;              /* failed instantiation after writing outside itself: kept (dead)
                               until the store goes */
  wl_func *own_funcs;       /* one block for every defined function */
} wl_instance_box;

static inline wl_instance_box *wl_instance_box_of(wl_instance *i) { return (wl_instance_box *)i; }

/* Import checks (link.c): every import against the module's declared type. */
wl_error *wl_check_imports(wl_store *s, const wl_module *m, const wl_extern *imports,
                           size_t nimports);
/* Element and data segments (segments.c), after every index space is set up. */
wl_error *wl_init_segments(wl_instance *inst);
/* Frees the instance and everything it defined, and drops its module reference. Touches no
 * other instance (the store frees instances in any order); wl_instance_delete adjusts the
 * exporters' importer counts first. */
void wl_instance_release(wl_instance *inst);

/* Fuel/metering boundary for invocations coming from outside wasm (API, start function). */
wl_error *wl_invoke(wl_store *s, wl_instance *caller, wl_func *f, wl_slot *io);

void wl_module_retain(wl_module *m);

#endif
