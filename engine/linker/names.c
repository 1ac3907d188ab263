/* Open addressing with linear probing; the table doubles at 50% load so probes stay short. */
#include "engine/linker/names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a over "module\0name", so ("ab","c") and ("a","bc") hash apart. */
static uint64_t hash_pair(const char *module, const char *name) {
  uint64_t h = 1469598103934665603ull;
  for (const char *p = module; *p; p++) h = (h ^ (uint8_t)*p) * 1099511628211ull;
  h = (h ^ 0xffu) * 1099511628211ull;
  for (const char *p = name; *p; p++) h = (h ^ (uint8_t)*p) * 1099511628211ull;
  return h;
}

static wl_name_entry *find_slot(wl_name_entry *slots, size_t capacity, const char *module,
                                const char *name) {
  size_t mask = capacity - 1;
  for (size_t i = hash_pair(module, name) & mask;; i = (i + 1) & mask) {
    wl_name_entry *e = &slots[i];
    if (!e->module) return e;
    if (strcmp(e->module, module) == 0 && strcmp(e->name, name) == 0) return e;
  }
}

static bool grow(wl_name_table *t) {
  size_t capacity = t->capacity ? t->capacity * 2 : 16;
  wl_name_entry *slots = calloc(capacity, sizeof *slots);
  if (!slots) return false;
  for (size_t i = 0; i < t->capacity; i++) {
    wl_name_entry *old = &t->slots[i];
    if (old->module) *find_slot(slots, capacity, old->module, old->name) = *old;
  }
  free(t->slots);
  t->slots = slots;
  t->capacity = capacity;
  return true;
}

bool wl_names_put(wl_name_table *t, const char *module, const char *name, wl_extern value) {
  if ((t->count + 1) * 2 > t->capacity && !grow(t)) return false;
  wl_name_entry *e = find_slot(t->slots, t->capacity, module, name);
  if (!e->module) {
    char *m = strdup(module), *n = strdup(name);
    if (!m || !n) {
      free(m);
      free(n);
      return false;
    }
    e->module = m;
    e->name = n;
    t->count++;
  }
  e->value = value;
  return true;
}

bool wl_names_get(const wl_name_table *t, const char *module, const char *name, wl_extern *out) {
  if (!t->capacity) return false;
  wl_name_entry *e = find_slot(t->slots, t->capacity, module, name);
  if (!e->module) return false;
  *out = e->value;
  return true;
}

void wl_names_free(wl_name_table *t) {
  for (size_t i = 0; i < t->capacity; i++) {
    free(t->slots[i].module);
    free(t->slots[i].name);
  }
  free(t->slots);
  *t = (wl_name_table){0};
}
