/* A growable array of pointers: the store's ownership lists. */
#include <stdlib.h>

#include "engine/runtime/internal.h"

bool wl_ptr_list_push(wl_ptr_list *l, void *p) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    void **items = realloc(l->items, cap * sizeof *items);
    if (!items) return false;
    l->items = items;
    l->cap = cap;
  }
  l->items[l->count++] = p;
  return true;
}

void wl_ptr_list_swap_remove(wl_ptr_list *l, size_t i) {
  l->items[i] = l->items[--l->count];
}
