/* C API misuse must come back as an error (or a documented "none" value), never a crash
 * (issue 9, bug 9): NULL arrays with nonzero counts, out-of-range indices, contradictory
 * limits. Runs on every backend the build has. Prints "N passed, M failed". */
#include <string.h>

#include "engine/include/wasmlab.h"
#include "harness/ctests/backends.h"
#include "harness/ctests/check.h"

/* (module
 *   (import "env" "f" (func (param i32) (result i32)))
 *   (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
 *   (func (export "seven") (result i32) (i32.const 7))) */
static const uint8_t misuse_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x02, 0x09,
    0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00, 0x03, 0x03, 0x02, 0x01, 0x02,
    0x07, 0x0f, 0x02, 0x03, 0x61, 0x64, 0x64, 0x00, 0x01, 0x05, 0x73, 0x65, 0x76, 0x65,
    0x6e, 0x00, 0x02, 0x0a, 0x0e, 0x02, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
    0x04, 0x00, 0x41, 0x07, 0x0b,
};

/* Checks `e` is an error of `kind` whose message contains `part`; frees it. */
static void expect_error(wl_error *e, wl_error_kind kind, const char *part) {
  CHECK(e != NULL);
  if (!e) return;
  CHECK(wl_error_kind_of(e) == kind);
  if (!strstr(wl_error_message(e), part)) {
    fprintf(stderr, "message \"%s\" does not mention \"%s\"\n", wl_error_message(e), part);
    failed++;
  }
  wl_error_delete(e);
}

static wl_error *identity(void *data, wl_caller *caller, const wl_val *args, wl_val *results) {
  (void)data, (void)caller;
  results[0] = args[0];
  return NULL;
}

static const wl_valkind one_i32[] = {WL_I32};

static void test_host_signatures(wl_store *s) {
  wl_signature no_params = {NULL, 2, one_i32, 1}, no_results = {one_i32, 1, NULL, 1};
  CHECK(wl_func_new_host(s, no_params, identity, NULL, NULL, 0) == NULL);
  CHECK(wl_func_new_host(s, no_results, identity, NULL, NULL, 0) == NULL);
  wl_signature empty = {NULL, 0, NULL, 0};  /* NULL is fine where nothing is read */
  CHECK(wl_func_new_host(s, empty, identity, NULL, NULL, 0) != NULL);
}

static void test_calls(wl_store *s, wl_instance *inst) {
  wl_extern add, seven;
  CHECK(wl_instance_export(inst, "add", &add) && wl_instance_export(inst, "seven", &seven));
  wl_val args[2] = {{.kind = WL_I32, .of.i32 = 2}, {.kind = WL_I32, .of.i32 = 3}}, res[1];
  expect_error(wl_func_call(s, add.of.func, NULL, 2, res, 1), WL_ERR_ARGUMENT, "arguments");
  expect_error(wl_func_call(s, add.of.func, args, 2, NULL, 1), WL_ERR_ARGUMENT, "results");
  expect_error(wl_func_call(s, add.of.func, args, 2, NULL, 0), WL_ERR_ARGUMENT, "results");
  CHECK(wl_func_call(s, add.of.func, args, 2, res, 1) == NULL && res[0].of.i32 == 5);
  CHECK(wl_func_call(s, seven.of.func, NULL, 0, res, 1) == NULL && res[0].of.i32 == 7);
  /* parameter and result kinds past the end are 0, which is no wl_valkind */
  CHECK(wl_func_param(add.of.func, 1) == WL_I32 && wl_func_result(add.of.func, 0) == WL_I32);
  CHECK((int)wl_func_param(add.of.func, 2) == 0 && (int)wl_func_param(add.of.func, 99) == 0);
  CHECK((int)wl_func_result(add.of.func, 1) == 0 && (int)wl_func_result(seven.of.func, 99) == 0);
}

static void test_module_info(wl_module *m) {
  CHECK(wl_module_import_count(m) == 1 && wl_module_export_count(m) == 2);
  wl_import_info imp = wl_module_import(m, 0);
  CHECK(imp.module && strcmp(imp.module, "env") == 0 && strcmp(imp.name, "f") == 0);
  imp = wl_module_import(m, 1);
  CHECK(imp.module == NULL && imp.name == NULL);
  imp = wl_module_import(m, 999);
  CHECK(imp.module == NULL && imp.name == NULL);
  wl_export_info ex = wl_module_export(m, 999);
  CHECK(ex.name == NULL);
}

static void test_limits(wl_store *s) {
  wl_memory *mem = (wl_memory *)&mem;
  expect_error(wl_memory_new(s, 5, 1, true, &mem), WL_ERR_ARGUMENT,
               "minimum must not be greater than maximum");
  CHECK(mem == NULL);
  expect_error(wl_memory_new(s, 70000, 0, false, &mem), WL_ERR_ARGUMENT, "65536 pages");
  CHECK(wl_memory_new(s, 1, 1, true, &mem) == NULL && mem != NULL);
  wl_table *t = NULL;
  wl_val null_ref = {.kind = WL_FUNCREF};
  expect_error(wl_table_new(s, WL_FUNCREF, 5, 1, true, null_ref, &t), WL_ERR_ARGUMENT,
               "minimum must not be greater than maximum");
}

static void run_backend(wl_backend_kind backend) {
  wl_config *c = wl_config_new();
  wl_error *e = wl_config_set_backend(c, backend);
  wl_engine *engine = NULL;
  if (!e) e = wl_engine_new(c, &engine);
  wl_config_delete(c);
  CHECK(e == NULL);
  wl_error_delete(e);
  if (!engine) return;
  wl_store *s = wl_store_new(engine);
  wl_module *m = NULL;
  CHECK(wl_module_new(engine, misuse_wasm, sizeof misuse_wasm, &m) == NULL);
  wl_signature sig = {one_i32, 1, one_i32, 1};
  wl_extern imp = {.kind = WL_EXTERN_FUNC};
  imp.of.func = wl_func_new_host(s, sig, identity, NULL, NULL, 0);
  wl_instance *inst = NULL;
  if (m) CHECK(wl_instance_new(s, m, &imp, 1, &inst) == NULL);
  if (m) test_module_info(m);
  if (inst) test_calls(s, inst);
  test_host_signatures(s);
  test_limits(s);
  wl_module_delete(m);
  wl_store_delete(s);
  wl_engine_delete(engine);
}

int main(void) {
  run_on_every_backend(run_backend);
  return check_summary();
}
