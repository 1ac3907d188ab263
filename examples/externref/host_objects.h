/* The host objects of the externref tutorial. A guest holds them only as externrefs; every
 * object starts with a `kind` tag so a host function can refuse the wrong object (or a null)
 * with a clear trap instead of misreading memory. */
#ifndef EXTERNREF_HOST_OBJECTS_H
#define EXTERNREF_HOST_OBJECTS_H
#include <stddef.h>
#include <stdint.h>

typedef enum {
  OBJ_ADDER = 1, OBJ_SQUARER, OBJ_MULTIPLY, OBJ_STRING, OBJ_STREAM, OBJ_MAP, OBJ_SET,
  OBJ_VECTOR, OBJ_ITERATOR,
} object_kind;

typedef struct { object_kind kind; } object;

/* A class with a method: add(a, b). */
typedef struct { object base; int32_t calls; } adder;
/* A functor: something callable that squares. */
typedef struct { object base; int32_t (*apply)(int32_t); } squarer;
/* A plain function pointer, wrapped so it travels as an object pointer. */
typedef struct { object base; int32_t (*fn)(int32_t, int32_t); } multiply;
/* An immutable string (map keys and values, stream input). */
typedef struct { object base; const char *text; } host_string;
/* std::ostringstream: text appended at the end. */
typedef struct { object base; char *text; size_t len, cap; } string_stream;
/* std::map<string, string>: entries sorted by key. */
typedef struct { object base; char **keys, **values; size_t len, cap; } string_map;
/* std::set<int32_t>: sorted, no duplicates. */
typedef struct { object base; int32_t *items; size_t len, cap; } int_set;
/* std::vector<uint32_t> and an iterator (a position) into one. */
typedef struct { object base; uint32_t *items; size_t len, cap; } u32_vector;
typedef struct { object base; const u32_vector *vec; size_t pos; } u32_iterator;

adder adder_make(void);
squarer squarer_make(void);
multiply multiply_make(void);
host_string string_make(const char *text);
string_stream *stream_new(void);
string_map *map_new(void);
int_set *set_new(void);
u32_vector *vector_new(void);
u32_iterator iterator_make(const u32_vector *v, size_t pos);
void stream_free(string_stream *s);
void map_free(string_map *m);
void set_free(int_set *s);
void vector_free(u32_vector *v);

int32_t adder_add(adder *a, int32_t x, int32_t y);
void stream_write(string_stream *s, const char *text);
void map_insert(string_map *m, const char *key, const char *value);
void map_erase(string_map *m, const char *key);
const char *map_find(const string_map *m, const char *key);  /* NULL when absent */
void set_insert(int_set *s, int32_t v);
void set_erase(int_set *s, int32_t v);
void vector_push(u32_vector *v, uint32_t x);
uint32_t vector_sum(const u32_iterator *begin, const u32_iterator *end);

/* With its article, for messages: "an adder". */
const char *object_kind_name(object_kind k);

#endif
