/* A hash table keyed by (module, name) string pairs, holding one wl_extern each.
 * Internal to the linker. Keys are copied; later puts replace earlier values. */
#ifndef WL_LINKER_NAMES_H
#define WL_LINKER_NAMES_H
#include <stdbool.h>
#include <stddef.h>

#include "engine/include/wasmlab.h"

typedef struct {
  char *module;  /* NULL marks an empty slot */
  char *name;
  wl_extern value;
} wl_name_entry;

typedef struct {
  wl_name_entry *slots;
  size_t capacity;  /* a power of two, or 0 before the first put */
  size_t count;
} wl_name_table;

/* False only when memory runs out (the table is then unchanged). */
bool wl_names_put(wl_name_table *t, const char *module, const char *name, wl_extern value);
bool wl_names_get(const wl_name_table *t, const char *module, const char *name, wl_extern *out);
void wl_names_free(wl_name_table *t);

#endif
