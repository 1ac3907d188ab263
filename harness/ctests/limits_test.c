/* Resource limits through the C API (wl_config_set_max_*): tables and memories of a store
 * count together, released instances give their share back, and each error names its limit.
 * Runs on every backend the build has. Prints "N passed, M failed". The CLI flags and the
 * compile limits are tested in harness/test_limits.py. */
#include <string.h>

#include "engine/include/wasmlab.h"
#include "harness/ctests/backends.h"
#include "harness/ctests/check.h"

/* (module (table 60 funcref) (memory 1)) */
static const uint8_t table_memory_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04, 0x04, 0x01,
    0x70, 0x00, 0x3c, 0x05, 0x03, 0x01, 0x00, 0x01,
};

static void expect_limit(wl_error *e, const char *limit) {
  CHECK(e != NULL);
  if (!e) return;
  CHECK(wl_error_kind_of(e) == WL_ERR_RESOURCE);
  if (!strstr(wl_error_message(e), limit)) {
    fprintf(stderr, "message \"%s\" does not name %s\n", wl_error_message(e), limit);
    failed++;
  }
  wl_error_delete(e);
}

static wl_engine *limited_engine(wl_backend_kind backend) {
  wl_config *c = wl_config_new();
  wl_error *e = wl_config_set_backend(c, backend);
  wl_config_set_max_table_elements(c, 100);
  wl_config_set_max_memory_bytes(c, 2 * 65536);
  wl_config_set_max_module_bytes(c, sizeof table_memory_wasm);
  wl_config_set_max_functions(c, 0);  /* no limit */
  wl_engine *engine = NULL;
  if (!e) e = wl_engine_new(c, &engine);
  wl_config_delete(c);
  CHECK(e == NULL);
  wl_error_delete(e);
  return engine;
}

/* The module's table (60) and memory (1 page) plus API objects, against 100 and 2 pages. */
static void test_store_totals(wl_engine *engine) {
  wl_store *s = wl_store_new(engine);
  wl_module *m = NULL;
  CHECK(wl_module_new(engine, table_memory_wasm, sizeof table_memory_wasm, &m) == NULL);
  wl_instance *a = NULL, *b = NULL;
  if (m) CHECK(wl_instance_new(s, m, NULL, 0, &a) == NULL);
  if (m) expect_limit(wl_instance_new(s, m, NULL, 0, &b), "max-table-elements");
  wl_table *t = NULL;
  wl_val null_ref = {.kind = WL_FUNCREF};
  expect_limit(wl_table_new(s, WL_FUNCREF, 41, 0, false, null_ref, &t), "max-table-elements");
  CHECK(wl_table_new(s, WL_FUNCREF, 40, 0, false, null_ref, &t) == NULL);
  wl_memory *mem = NULL;
  expect_limit(wl_memory_new(s, 2, 0, false, &mem), "max-memory-bytes");
  CHECK(wl_memory_new(s, 1, 0, false, &mem) == NULL);
  uint32_t old = 0;
  wl_error *over = mem ? wl_memory_grow(mem, 1, &old) : NULL;  /* 3 pages in all */
  CHECK(over != NULL);
  wl_error_delete(over);
  wl_instance_delete(a);  /* its table and memory go back to the store */
  CHECK(mem && wl_memory_grow(mem, 1, &old) == NULL && old == 1);
  expect_limit(wl_table_new(s, WL_FUNCREF, 61, 0, false, null_ref, &t), "max-table-elements");
  CHECK(wl_table_new(s, WL_FUNCREF, 60, 0, false, null_ref, &t) == NULL);
  wl_module_delete(m);
  wl_store_delete(s);
}

static void test_module_size(wl_engine *engine) {
  uint8_t bigger[sizeof table_memory_wasm + 6];
  memcpy(bigger, table_memory_wasm, sizeof table_memory_wasm);
  memcpy(bigger + sizeof table_memory_wasm, "\0\4\3abc", 6);  /* a custom section */
  wl_module *m = NULL;
  expect_limit(wl_module_new(engine, bigger, sizeof bigger, &m), "max-module-bytes");
  CHECK(m == NULL);
}

static void run_backend(wl_backend_kind backend) {
  wl_engine *engine = limited_engine(backend);
  if (!engine) return;
  test_store_totals(engine);
  test_module_size(engine);
  wl_engine_delete(engine);
}

int main(void) {
  run_on_every_backend(run_backend);
  return check_summary();
}
