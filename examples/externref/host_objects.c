/* Plain C stand-ins for the C++ objects of the original tutorial. Allocation failures abort:
 * this is an example program, not a library. */
#include "host_objects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *grow(void *p, size_t *cap, size_t need, size_t item) {
  if (need <= *cap) return p;
  size_t n = *cap ? *cap * 2 : 8;
  while (n < need) n *= 2;
  p = realloc(p, n * item);
  if (!p) abort();
  *cap = n;
  return p;
}

static char *copy(const char *s) {
  char *c = strdup(s);
  if (!c) abort();
  return c;
}

static int32_t square(int32_t x) { return (int32_t)((uint32_t)x * (uint32_t)x); }
static int32_t mul(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }

adder adder_make(void) { return (adder){{OBJ_ADDER}, 0}; }
squarer squarer_make(void) { return (squarer){{OBJ_SQUARER}, square}; }
multiply multiply_make(void) { return (multiply){{OBJ_MULTIPLY}, mul}; }
host_string string_make(const char *text) { return (host_string){{OBJ_STRING}, text}; }
u32_iterator iterator_make(const u32_vector *v, size_t pos) {
  return (u32_iterator){{OBJ_ITERATOR}, v, pos};
}

static void *zalloc(size_t size, object_kind kind) {
  object *o = calloc(1, size);
  if (!o) abort();
  o->kind = kind;
  return o;
}

string_stream *stream_new(void) { return zalloc(sizeof(string_stream), OBJ_STREAM); }
string_map *map_new(void) { return zalloc(sizeof(string_map), OBJ_MAP); }
int_set *set_new(void) { return zalloc(sizeof(int_set), OBJ_SET); }
u32_vector *vector_new(void) { return zalloc(sizeof(u32_vector), OBJ_VECTOR); }

void stream_free(string_stream *s) { free(s->text); free(s); }
void set_free(int_set *s) { free(s->items); free(s); }
void vector_free(u32_vector *v) { free(v->items); free(v); }
void map_free(string_map *m) {
  for (size_t i = 0; i < m->len; i++) free(m->keys[i]), free(m->values[i]);
  free(m->keys);
  free(m->values);
  free(m);
}

int32_t adder_add(adder *a, int32_t x, int32_t y) {
  a->calls++;
  return (int32_t)((uint32_t)x + (uint32_t)y);
}

void stream_write(string_stream *s, const char *text) {
  size_t n = strlen(text);
  s->text = grow(s->text, &s->cap, s->len + n + 1, 1);
  memcpy(s->text + s->len, text, n + 1);
  s->len += n;
}

/* Index of the first key >= `key` (binary search over the sorted keys). */
static size_t map_lower_bound(const string_map *m, const char *key) {
  size_t lo = 0, hi = m->len;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(m->keys[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Like std::map::insert: an existing key keeps its value. */
void map_insert(string_map *m, const char *key, const char *value) {
  size_t i = map_lower_bound(m, key);
  if (i < m->len && strcmp(m->keys[i], key) == 0) return;
  size_t cap = m->cap;  /* keys and values share one capacity: both grow alike */
  m->keys = grow(m->keys, &cap, m->len + 1, sizeof *m->keys);
  m->values = grow(m->values, &m->cap, m->len + 1, sizeof *m->values);
  memmove(m->keys + i + 1, m->keys + i, (m->len - i) * sizeof *m->keys);
  memmove(m->values + i + 1, m->values + i, (m->len - i) * sizeof *m->values);
  m->keys[i] = copy(key);
  m->values[i] = copy(value);
  m->len++;
}

void map_erase(string_map *m, const char *key) {
  size_t i = map_lower_bound(m, key);
  if (i >= m->len || strcmp(m->keys[i], key) != 0) return;
  free(m->keys[i]);
  free(m->values[i]);
  memmove(m->keys + i, m->keys + i + 1, (m->len - i - 1) * sizeof *m->keys);
  memmove(m->values + i, m->values + i + 1, (m->len - i - 1) * sizeof *m->values);
  m->len--;
}

const char *map_find(const string_map *m, const char *key) {
  size_t i = map_lower_bound(m, key);
  return i < m->len && strcmp(m->keys[i], key) == 0 ? m->values[i] : NULL;
}

static size_t set_lower_bound(const int_set *s, int32_t v) {
  size_t lo = 0, hi = s->len;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->items[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void set_insert(int_set *s, int32_t v) {
  size_t i = set_lower_bound(s, v);
  if (i < s->len && s->items[i] == v) return;
  s->items = grow(s->items, &s->cap, s->len + 1, sizeof *s->items);
  memmove(s->items + i + 1, s->items + i, (s->len - i) * sizeof *s->items);
  s->items[i] = v;
  s->len++;
}

void set_erase(int_set *s, int32_t v) {
  size_t i = set_lower_bound(s, v);
  if (i >= s->len || s->items[i] != v) return;
  memmove(s->items + i, s->items + i + 1, (s->len - i - 1) * sizeof *s->items);
  s->len--;
}

void vector_push(u32_vector *v, uint32_t x) {
  v->items = grow(v->items, &v->cap, v->len + 1, sizeof *v->items);
  v->items[v->len++] = x;
}

/* std::accumulate(begin, end, 0u); both iterators must point into the same vector. */
uint32_t vector_sum(const u32_iterator *begin, const u32_iterator *end) {
  uint32_t sum = 0;
  for (size_t i = begin->pos; i < end->pos && i < begin->vec->len; i++) sum += begin->vec->items[i];
  return sum;
}

const char *object_kind_name(object_kind k) {
  static const char *const names[] = {"an unknown object", "an adder", "a squarer",
                                      "a multiply function", "a string", "a string stream",
                                      "a map", "a set", "a vector", "an iterator"};
  return (size_t)k < sizeof names / sizeof names[0] ? names[k] : names[0];
}
