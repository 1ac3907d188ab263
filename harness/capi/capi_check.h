/* Shared by the wasm.h tests: the CHECK counter of the C tests and loading a module that
 * test_capi.py compiled from the test's .wat into the working directory. */
#ifndef WL_CAPI_CHECK_H
#define WL_CAPI_CHECK_H
#include <stdio.h>
#include <stdlib.h>

#include "engine/include/wasm.h"
#include "harness/ctests/check.h"

static inline wasm_module_t *load_module(wasm_store_t *store, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_t binary;
  wasm_byte_vec_new_uninitialized(&binary, (size_t)size);
  size_t got = fread(binary.data, 1, (size_t)size, f);
  fclose(f);
  wasm_module_t *m = got == (size_t)size ? wasm_module_new(store, &binary) : NULL;
  wasm_byte_vec_delete(&binary);
  if (!m) {
    fprintf(stderr, "cannot compile %s\n", path);
    exit(2);
  }
  return m;
}

/* The export at `i` as the kind wanted, or exit: the tests know their modules' layout. */
static inline wasm_extern_t *export_at(const wasm_extern_vec_t *exports, size_t i) {
  if (i >= exports->size) {
    fprintf(stderr, "no export %zu\n", i);
    exit(2);
  }
  return exports->data[i];
}
#endif
