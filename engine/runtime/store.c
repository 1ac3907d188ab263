/* Stores: own every runtime object created in them and the execution context. */
#include <stdlib.h>

#include "engine/runtime/internal.h"

wl_store *wl_store_new(wl_engine *e) {
  if (!e) return NULL;
  wl_store *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->engine = e;
  if (!wl_exec_init(&s->exec, s, e->config.max_call_depth)) {
    free(s);
    return NULL;
  }
  return s;
}

static void free_list(wl_ptr_list *l, void (*destroy)(void *)) {
  for (size_t i = 0; i < l->count; i++) destroy(l->items[i]);
  free(l->items);
  l->items = NULL;
  l->count = l->cap = 0;
}

static void destroy_instance(void *p) { wl_instance_release(p); }
static void destroy_func(void *p) { wl_host_func_destroy(p); }
static void destroy_table(void *p) { wl_table_destroy(p); }
static void destroy_memory(void *p) { wl_memory_destroy(p); }
static void destroy_global(void *p) { wl_global_destroy(p); }

/* Instances first: their backend state may refer to host functions until released. */
void wl_store_delete(wl_store *s) {
  if (!s) return;
  free_list(&s->instances, destroy_instance);
  free_list(&s->funcs, destroy_func);
  free_list(&s->tables, destroy_table);
  free_list(&s->memories, destroy_memory);
  free_list(&s->globals, destroy_global);
  wl_exec_free(&s->exec);
  free(s);
}

uint64_t wl_store_fuel_used(const wl_store *s) { return s->fuel_used; }
wl_exec *wl_store_exec(wl_store *s) { return &s->exec; }
wl_engine *wl_store_engine(wl_store *s) { return s->engine; }
