/* The engine-wide function type registry: structurally equal types get the same id, so
 * call_indirect and import checks compare one integer. Ids index an array of interned copies;
 * a small open-addressing hash table finds them. */
#include <stdlib.h>
#include <string.h>

#include "engine/runtime/internal.h"

static uint32_t hash_bytes(uint32_t h, const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;  /* FNV-1a */
  return h;
}

static uint32_t hash_type(const wl_functype *t) {
  uint32_t h = 2166136261u ^ t->nparams;
  h = hash_bytes(h, t->params, t->nparams);
  h = (h ^ (t->nresults + 0x9e37u)) * 16777619u;
  return hash_bytes(h, t->results, t->nresults);
}

static bool same_type(const wl_functype *a, const wl_functype *b) {
  return a->nparams == b->nparams && a->nresults == b->nresults &&
         (a->nparams == 0 || memcmp(a->params, b->params, a->nparams) == 0) &&
         (a->nresults == 0 || memcmp(a->results, b->results, a->nresults) == 0);
}

static bool copy_type(wl_functype *dst, const wl_functype *src) {
  uint32_t n = src->nparams + src->nresults;
  uint8_t *buf = malloc(n ? n : 1);
  if (!buf) return false;
  if (src->nparams) memcpy(buf, src->params, src->nparams);
  if (src->nresults) memcpy(buf + src->nparams, src->results, src->nresults);
  dst->nparams = src->nparams;
  dst->nresults = src->nresults;
  dst->params = buf;
  dst->results = buf + src->nparams;
  return true;
}

static void insert_bucket(wl_type_registry *r, uint32_t id) {
  uint32_t mask = r->nbuckets - 1;
  for (uint32_t b = hash_type(&r->types[id]) & mask;; b = (b + 1) & mask)
    if (!r->buckets[b]) {
      r->buckets[b] = id + 1;
      return;
    }
}

/* Keeps the load factor at most 1/2. */
static bool grow_buckets(wl_type_registry *r) {
  uint32_t n = r->nbuckets ? r->nbuckets * 2 : 64;
  uint32_t *b = calloc(n, sizeof *b);
  if (!b) return false;
  free(r->buckets);
  r->buckets = b;
  r->nbuckets = n;
  for (uint32_t id = 0; id < r->count; id++) insert_bucket(r, id);
  return true;
}

static bool grow_types(wl_type_registry *r) {
  uint32_t cap = r->cap ? r->cap * 2 : 32;
  wl_functype *t = realloc(r->types, cap * sizeof *t);
  if (!t) return false;
  r->types = t;
  r->cap = cap;
  return true;
}

static uint32_t lookup(const wl_type_registry *r, const wl_functype *t) {
  if (!r->nbuckets) return WL_TYPE_ID_NONE;
  uint32_t mask = r->nbuckets - 1;
  for (uint32_t b = hash_type(t) & mask; r->buckets[b]; b = (b + 1) & mask)
    if (same_type(&r->types[r->buckets[b] - 1], t)) return r->buckets[b] - 1;
  return WL_TYPE_ID_NONE;
}

/* WL_TYPE_ID_NONE only when out of memory. */
uint32_t wl_engine_type_id(wl_engine *e, const wl_functype *t) {
  wl_type_registry *r = &e->types;
  uint32_t id = lookup(r, t);
  if (id != WL_TYPE_ID_NONE) return id;
  if (r->count == r->cap && !grow_types(r)) return WL_TYPE_ID_NONE;
  if ((r->count + 1) * 2 > r->nbuckets && !grow_buckets(r)) return WL_TYPE_ID_NONE;
  if (!copy_type(&r->types[r->count], t)) return WL_TYPE_ID_NONE;
  id = r->count++;
  insert_bucket(r, id);
  return id;
}

void wl_type_registry_free(wl_type_registry *r) {
  for (uint32_t i = 0; i < r->count; i++) free(r->types[i].params);
  free(r->types);
  free(r->buckets);
  memset(r, 0, sizeof *r);
}
