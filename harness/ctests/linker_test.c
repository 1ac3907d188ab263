/* C-level tests of the linker: host modules, define_instance, capability rules, and the
 * unlinkable error wording. Exit status 0 when every check passes. */
#include <stdio.h>
#include <string.h>

#include "engine/include/wasmlab.h"

/* (import "host" "add" (func (param i32 i32) (result i32))) (import "host" "g" (global i32))
 * (func (export "run") (param i32) (result i32) (call $add (local.get 0) (global.get $g)))
 * (memory (export "mem") 1) */
static const uint8_t adder_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60, 0x02, 0x7f,
    0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x02, 0x16, 0x02, 0x04, 0x68, 0x6f,
    0x73, 0x74, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x01,
    0x67, 0x03, 0x7f, 0x00, 0x03, 0x02, 0x01, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
    0x0d, 0x02, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00,
    0x0a, 0x0a, 0x01, 0x08, 0x00, 0x20, 0x00, 0x23, 0x00, 0x10, 0x00, 0x0b};

/* (import "reg" "run" (func (param i32) (result i32))) (import "reg" "mem" (memory 1))
 * (func (export "twice") (param i32) (result i32) (call $run (call $run (local.get 0)))) */
static const uint8_t twice_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x02, 0x16, 0x02, 0x03, 0x72, 0x65, 0x67, 0x03, 0x72, 0x75, 0x6e, 0x00,
    0x00, 0x03, 0x72, 0x65, 0x67, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x03, 0x02,
    0x01, 0x00, 0x07, 0x09, 0x01, 0x05, 0x74, 0x77, 0x69, 0x63, 0x65, 0x00, 0x01, 0x0a,
    0x0a, 0x01, 0x08, 0x00, 0x20, 0x00, 0x10, 0x00, 0x10, 0x00, 0x0b};

static int failures;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                     \
    }                                                                 \
  } while (0)

static wl_error *host_add(void *user_data, wl_caller *caller, const wl_val *args,
                          wl_val *results) {
  (void)caller;
  int *calls = user_data;
  (*calls)++;
  results[0].of.i32 = args[0].of.i32 + args[1].of.i32;
  return NULL;
}

static const wl_valkind two_i32[] = {WL_I32, WL_I32};
static const wl_host_func_def host_defs[] = {
    {"add", {two_i32, 2, two_i32, 1}, host_add, 1},
};

/* Checks that `e` is an unlinkable error whose message starts with `prefix`; frees it. */
static void expect_unlinkable(wl_error *e, const char *prefix) {
  CHECK(e != NULL);
  if (!e) return;
  CHECK(wl_error_kind_of(e) == WL_ERR_UNLINKABLE);
  if (strncmp(wl_error_message(e), prefix, strlen(prefix)) != 0) {
    fprintf(stderr, "message \"%s\" does not start with \"%s\"\n", wl_error_message(e), prefix);
    failures++;
  }
  wl_error_delete(e);
}

static int32_t call_i32(wl_store *s, wl_instance *inst, const char *name, int32_t arg) {
  wl_extern ext;
  CHECK(wl_instance_export(inst, name, &ext) && ext.kind == WL_EXTERN_FUNC);
  wl_val in = wl_val_i32(arg), out = wl_val_i32(0);
  wl_error *e = wl_func_call(s, ext.of.func, &in, 1, &out, 1);
  CHECK(e == NULL);
  wl_error_delete(e);
  return out.of.i32;
}

static void test_linking(wl_engine *engine) {
  wl_store *s = wl_store_new(engine);
  wl_linker *l = wl_linker_new(s);
  wl_module *adder = NULL, *twice = NULL;
  CHECK(!wl_module_new(engine, adder_wasm, sizeof adder_wasm, &adder));
  CHECK(!wl_module_new(engine, twice_wasm, sizeof twice_wasm, &twice));
  int calls = 0;
  wl_instance *inst = NULL;

  CHECK(!wl_linker_define_host_module(l, "host", host_defs, 1, &calls));
  expect_unlinkable(wl_linker_instantiate(l, adder, &inst), "unknown import \"host\" \"g\"");

  /* A function where a global is wanted: kind mismatch. */
  wl_extern add_fn;
  CHECK(wl_linker_get(l, "host", "add", &add_fn));
  CHECK(!wl_linker_define(l, "host", "g", add_fn));
  expect_unlinkable(wl_linker_instantiate(l, adder, &inst), "incompatible import type");

  /* A later definition replaces the earlier one. */
  wl_global *g = NULL;
  CHECK(!wl_global_new(s, WL_I32, false, wl_val_i32(100), &g));
  CHECK(!wl_linker_define(l, "host", "g", (wl_extern){.kind = WL_EXTERN_GLOBAL, .of.global = g}));
  CHECK(!wl_linker_instantiate(l, adder, &inst));
  CHECK(call_i32(s, inst, "run", 5) == 105);
  CHECK(calls == 1);

  /* Every export of an instance, registered under a module name. */
  CHECK(!wl_linker_define_instance(l, "reg", inst));
  wl_extern mem;
  CHECK(wl_linker_get(l, "reg", "mem", &mem) && mem.kind == WL_EXTERN_MEMORY);
  wl_instance *inst2 = NULL;
  CHECK(!wl_linker_instantiate(l, twice, &inst2));
  CHECK(call_i32(s, inst2, "twice", 1) == 201);

  /* Capabilities: once a rule exists, only allowed imports link. */
  wl_linker_allow(l, "reg", "run");
  expect_unlinkable(wl_linker_instantiate(l, twice, &inst2), "import \"reg\" \"mem\" not permitted");
  wl_linker_allow(l, "reg", "*");
  CHECK(!wl_linker_instantiate(l, twice, &inst2));
  expect_unlinkable(wl_linker_instantiate(l, adder, &inst2), "import \"host\" \"add\" not permitted");

  wl_linker_delete(l);
  wl_module_delete(adder);
  wl_module_delete(twice);
  wl_store_delete(s);
}

/* Many modules, many names: lookups survive table growth. */
static void test_many_definitions(wl_engine *engine) {
  wl_store *s = wl_store_new(engine);
  wl_linker *l = wl_linker_new(s);
  wl_global *g = NULL;
  CHECK(!wl_global_new(s, WL_I32, false, wl_val_i32(7), &g));
  char module[32], name[32];
  for (int i = 0; i < 2000; i++) {
    snprintf(module, sizeof module, "m%d", i % 37);
    snprintf(name, sizeof name, "n%d", i);
    CHECK(!wl_linker_define(l, module, name, (wl_extern){.kind = WL_EXTERN_GLOBAL, .of.global = g}));
  }
  wl_extern out;
  CHECK(wl_linker_get(l, "m3", "n1998", &out) == false);
  CHECK(wl_linker_get(l, "m0", "n1998", &out) && out.of.global == g);  /* 1998 = 37 * 54 */
  CHECK(!wl_linker_get(l, "m0n", "1998", &out));
  wl_linker_delete(l);
  wl_store_delete(s);
}

int main(void) {
  wl_engine *engine = NULL;
  wl_config *c = wl_config_new();
  wl_error *e = wl_engine_new(c, &engine);
  wl_config_delete(c);
  if (e) {
    fprintf(stderr, "engine: %s\n", wl_error_message(e));
    return 1;
  }
  test_linking(engine);
  test_many_definitions(engine);
  wl_engine_delete(engine);
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  else printf("linker_test: all checks passed\n");
  return failures != 0;
}
