/* The vector types. A vector owns its array and its elements: `copy` copies each element
 * (a new handle or type for pointer vectors, a copied reference for values) and `delete`
 * deletes each one. Arrays come from calloc, so an uninitialized pointer vector holds NULLs,
 * which delete skips. */
#include <stdlib.h>

#include "engine/wasm-c-api/capi.h"

/* The operations every vector has; COPY_ELEM(dst, src) and DELETE_ELEM(p) say how one
 * element is copied and released. */
#define WLC_DEFINE_VEC(name, elem_t, COPY_ELEM, DELETE_ELEM)                                \
  void wasm_##name##_vec_new_empty(wasm_##name##_vec_t *out) {                              \
    out->size = 0;                                                                          \
    out->data = NULL;                                                                       \
  }                                                                                         \
  void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t *out, size_t n) {            \
    out->data = n ? calloc(n, sizeof(elem_t)) : NULL;                                       \
    out->size = out->data ? n : 0;                                                          \
  }                                                                                         \
  void wasm_##name##_vec_new(wasm_##name##_vec_t *out, size_t n, elem_t const src[]) {      \
    wasm_##name##_vec_new_uninitialized(out, n);                                            \
    for (size_t i = 0; i < out->size; i++) out->data[i] = src[i];                           \
  }                                                                                         \
  void wasm_##name##_vec_copy(wasm_##name##_vec_t *out, const wasm_##name##_vec_t *src) {   \
    wasm_##name##_vec_new_uninitialized(out, src->size);                                    \
    for (size_t i = 0; i < out->size; i++) COPY_ELEM(&out->data[i], &src->data[i]);         \
  }                                                                                         \
  void wasm_##name##_vec_delete(wasm_##name##_vec_t *v) {                                   \
    if (!v) return;                                                                         \
    for (size_t i = 0; i < v->size; i++) DELETE_ELEM(&v->data[i]);                          \
    free(v->data);                                                                          \
    v->data = NULL;                                                                         \
    v->size = 0;                                                                            \
  }

#define COPY_PLAIN(dst, src) (*(dst) = *(src))
#define DELETE_NOTHING(p) ((void)(p))
WLC_DEFINE_VEC(byte, wasm_byte_t, COPY_PLAIN, DELETE_NOTHING)

#define COPY_VAL(dst, src) wasm_val_copy(dst, src)
#define DELETE_VAL(p) wasm_val_delete(p)
WLC_DEFINE_VEC(val, wasm_val_t, COPY_VAL, DELETE_VAL)

/* Pointer vectors: each element is copied with wasm_X_copy and freed with wasm_X_delete. */
#define WLC_DEFINE_PTR_VEC(name)                                                  \
  static void copy_##name(wasm_##name##_t **dst, wasm_##name##_t *const *src) {   \
    *dst = *src ? wasm_##name##_copy(*src) : NULL;                                \
  }                                                                               \
  static void delete_##name(wasm_##name##_t **p) {                                \
    if (*p) wasm_##name##_delete(*p);                                             \
  }                                                                               \
  WLC_DEFINE_VEC(name, wasm_##name##_t *, copy_##name, delete_##name)

WLC_DEFINE_PTR_VEC(frame)
WLC_DEFINE_PTR_VEC(extern)
WLC_DEFINE_PTR_VEC(valtype)
WLC_DEFINE_PTR_VEC(functype)
WLC_DEFINE_PTR_VEC(globaltype)
WLC_DEFINE_PTR_VEC(tabletype)
WLC_DEFINE_PTR_VEC(memorytype)
WLC_DEFINE_PTR_VEC(externtype)
WLC_DEFINE_PTR_VEC(importtype)
WLC_DEFINE_PTR_VEC(exporttype)
