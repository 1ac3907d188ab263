/* Runtime tests that run no wasm code, so they hold whatever the backend: values, config,
 * memories, tables, globals, host functions called through the API (fuel, traps, argument
 * checks), instantiation (import checks, globals, segments in Wasm 2.0 and 1.0 semantics) and
 * early instance release. Uses the runtime internals (engine/runtime/internal.h) for the few
 * checks the public API cannot see. Prints "N passed, M failed"; exits non-zero on a failure. */
#include <stdio.h>
#include <string.h>

#include "engine/include/wasmlab.h"
#include "harness/ctests/check.h"
#include "engine/runtime/internal.h"
#include "proposals/reference_types/reference_types.h"


/* Checks `e` has `kind` (and a message starting with `prefix` when given); frees it. */
static void expect_error(wl_error *e, wl_error_kind kind, const char *prefix) {
  CHECK(e != NULL);
  if (!e) return;
  CHECK(wl_error_kind_of(e) == kind);
  if (prefix && strncmp(wl_error_message(e), prefix, strlen(prefix)) != 0) {
    fprintf(stderr, "message \"%s\" does not start with \"%s\"\n", wl_error_message(e), prefix);
    failed++;
  }
  wl_error_delete(e);
}

static void expect_ok(wl_error *e) {
  if (e) fprintf(stderr, "unexpected error: %s\n", wl_error_message(e));
  CHECK(e == NULL);
  wl_error_delete(e);
}

/* (module
 *   (import "env" "g" (global $g i32))
 *   (global (export "h") i32 (global.get $g))
 *   (global (export "k") i64 (i64.const -5))
 *   (global (export "f") f64 (f64.const 2.5))
 *   (table (export "t") 3 funcref)
 *   (func $f)
 *   (elem (i32.const 1) $f)
 *   (memory (export "m") 1 2)
 *   (data (i32.const 10) "hello")) */
static const uint8_t globals_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x03, 0x7f, 0x00, 0x03, 0x02,
    0x01, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x03, 0x05, 0x04, 0x01, 0x01, 0x01, 0x02,
    0x06, 0x17, 0x03, 0x7f, 0x00, 0x23, 0x00, 0x0b, 0x7e, 0x00, 0x42, 0x7b, 0x0b, 0x7c,
    0x00, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x40, 0x0b, 0x07, 0x15, 0x05,
    0x01, 0x68, 0x03, 0x01, 0x01, 0x6b, 0x03, 0x02, 0x01, 0x66, 0x03, 0x03, 0x01, 0x74,
    0x01, 0x00, 0x01, 0x6d, 0x02, 0x00, 0x09, 0x07, 0x01, 0x00, 0x41, 0x01, 0x0b, 0x01,
    0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, 0x0b, 0x0b, 0x01, 0x00, 0x41, 0x0a, 0x0b,
    0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
};

/* (module
 *   (import "env" "mem" (memory 1))
 *   (data (i32.const 0) "xy")
 *   (data (i32.const 65535) "zz")) */
static const uint8_t segs_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e,
    0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x0b, 0x11, 0x02, 0x00, 0x41, 0x00,
    0x0b, 0x02, 0x78, 0x79, 0x00, 0x41, 0xff, 0xff, 0x03, 0x0b, 0x02, 0x7a, 0x7a,
};

/* (module (import "env" "mem" (memory 1)) (import "env" "g" (global i32))) */
static const uint8_t memimp_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x15, 0x02, 0x03, 0x65, 0x6e,
    0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67,
    0x03, 0x7f, 0x00,
};

/* (module
 *   (import "env" "tab" (table 2 funcref))
 *   (func $f)
 *   (elem (i32.const 0) $f)
 *   (elem (i32.const 1) $f $f)) */
static const uint8_t elem_oob_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x02, 0x0d, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x74, 0x61, 0x62, 0x01, 0x70, 0x00,
    0x02, 0x03, 0x02, 0x01, 0x00, 0x09, 0x0e, 0x02, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,
    0x00, 0x41, 0x01, 0x0b, 0x02, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
};

/* ---------------------------------------------------------------- values and config */

static void test_values(void) {
  wl_val zero = wl_val_externref(NULL);
  CHECK(zero.kind == WL_EXTERNREF && !wl_val_is_null(&zero));
  CHECK(wl_val_externref_ptr(&zero) == NULL);
  int x;
  wl_val px = wl_val_externref(&x);
  CHECK(wl_val_externref_ptr(&px) == &x);
  wl_val null = wl_val_null(WL_EXTERNREF);
  CHECK(wl_val_is_null(&null));
  wl_val fnull = wl_val_funcref(NULL);
  CHECK(fnull.kind == WL_FUNCREF && wl_val_is_null(&fnull) && wl_val_func(&fnull) == NULL);
  wl_val bad = wl_val_externref((void *)UINTPTR_MAX);
  CHECK(bad.kind != WL_EXTERNREF);  /* reserved: rejected by every API call below */
}

static void test_config(void) {
  wl_config *c = wl_config_new();
  CHECK(wl_config_features(c) & WL_FEATURE_BULK_MEMORY);
  CHECK(wl_config_features(c) & WL_FEATURE_SIMD);
  const uint32_t wasm3 = WL_FEATURE_TAIL_CALL | WL_FEATURE_EXTENDED_CONST |
                         WL_FEATURE_MULTI_MEMORY | WL_FEATURE_MEMORY64;
  CHECK(!(wl_config_features(c) & wasm3));  /* Wasm 3.0 proposals: off by default */
  expect_ok(wl_config_enable(c, "memory64", true));
  CHECK((wl_config_features(c) & wasm3) == WL_FEATURE_MEMORY64);
  CHECK(strcmp(wl_feature_name(WL_FEATURE_TAIL_CALL), "tail-call") == 0);
  expect_ok(wl_config_enable(c, "memory64", false));
  expect_ok(wl_config_enable(c, "bulk-memory", false));
  CHECK(!(wl_config_features(c) & WL_FEATURE_BULK_MEMORY));
  expect_error(wl_config_enable(c, "no-such-thing", true), WL_ERR_ARGUMENT, "unknown feature");
  wl_config_set_mvp(c);
  CHECK(wl_config_features(c) == WL_FEATURE_MUTABLE_GLOBALS);
  CHECK(strcmp(wl_feature_name(WL_FEATURE_REFERENCE_TYPES), "reference-types") == 0);
  CHECK(wl_feature_name((wl_feature)3) == NULL);
  wl_backend_kind b = WL_BACKEND_AOT;
  expect_ok(wl_backend_from_name("interp", &b));
  CHECK(b == WL_BACKEND_INTERP && strcmp(wl_backend_name(b), "interp") == 0);
  expect_error(wl_backend_from_name("fast", &b), WL_ERR_ARGUMENT, "unknown backend");
  CHECK(wl_backend_available(WL_BACKEND_INTERP));
  /* Each kind is either built (and selectable) or refused as unsupported. */
  for (int k = WL_BACKEND_INTERP; k <= WL_BACKEND_AOT; k++) {
    wl_error *e = wl_config_set_backend(c, (wl_backend_kind)k);
    if (wl_backend_available((wl_backend_kind)k))
      expect_ok(e);
    else
      expect_error(e, WL_ERR_UNSUPPORTED, NULL);
  }
  expect_error(wl_config_set_backend(c, (wl_backend_kind)99), WL_ERR_UNSUPPORTED, NULL);
  wl_config_delete(c);
}

/* ---------------------------------------------------------------- objects */

static void test_memory(wl_store *s) {
  wl_memory *m = NULL;
  expect_ok(wl_memory_new(s, 1, 3, true, &m));
  CHECK(m && wl_memory_size(m) == 65536);
  uint8_t *d = wl_memory_data(m);
  CHECK(d[0] == 0 && d[65535] == 0);
  d[65535] = 7;
  uint32_t old = 0;
  expect_ok(wl_memory_grow(m, 2, &old));
  CHECK(old == 1 && wl_memory_size(m) == 3 * 65536 && d[3 * 65536 - 1] == 0 && d[65535] == 7);
  expect_error(wl_memory_grow(m, 1, &old), WL_ERR_RESOURCE, NULL);
  CHECK(wl_memory_grow_pages(m, 0) == 3);
  expect_error(wl_memory_new(s, 2, 1, true, &m), WL_ERR_ARGUMENT, NULL);
  expect_error(wl_memory_new(s, 65537, 0, false, &m), WL_ERR_ARGUMENT, NULL);
  wl_memory *big = NULL;
  expect_ok(wl_memory_new(s, 0, 0, false, &big));
  CHECK(wl_memory_grow_pages(big, 65536) == 0 && wl_memory_size(big) == 65536ull * 65536);
  CHECK(wl_memory_grow_pages(big, 1) == -1);
}

static void test_table(wl_store *s) {
  wl_table *t = NULL;
  int x;
  expect_ok(wl_table_new(s, WL_EXTERNREF, 2, 4, true, wl_val_externref(&x), &t));
  CHECK(wl_table_size(t) == 2);
  wl_val v;
  expect_ok(wl_table_get(t, 1, &v));
  CHECK(v.kind == WL_EXTERNREF && wl_val_externref_ptr(&v) == &x);
  expect_ok(wl_table_set(t, 0, wl_val_null(WL_EXTERNREF)));
  expect_ok(wl_table_get(t, 0, &v));
  CHECK(wl_val_is_null(&v));
  expect_error(wl_table_get(t, 2, &v), WL_ERR_ARGUMENT, NULL);
  expect_error(wl_table_set(t, 0, wl_val_i32(1)), WL_ERR_ARGUMENT, NULL);
  expect_error(wl_table_set(t, 0, wl_val_funcref(NULL)), WL_ERR_ARGUMENT, NULL);
  expect_error(wl_table_set(t, 0, wl_val_externref((void *)UINTPTR_MAX)), WL_ERR_ARGUMENT, NULL);
  CHECK(wl_ref_table_grow(t, 0, 2) == 2 && wl_table_size(t) == 4);
  CHECK(wl_ref_table_grow(t, 0, 1) == -1);
  expect_error(wl_table_new(s, WL_I32, 0, 0, false, wl_val_i32(0), &t), WL_ERR_ARGUMENT, NULL);
}

static void test_global(wl_store *s) {
  wl_global *g = NULL, *c = NULL;
  expect_ok(wl_global_new(s, WL_F64, true, wl_val_f64(1.5), &g));
  CHECK(wl_global_get(g).of.f64 == 1.5);
  expect_ok(wl_global_set(g, wl_val_f64(-2.0)));
  CHECK(wl_global_get(g).kind == WL_F64 && wl_global_get(g).of.f64 == -2.0);
  expect_error(wl_global_set(g, wl_val_f32(1.0f)), WL_ERR_ARGUMENT, NULL);
  expect_ok(wl_global_new(s, WL_I32, false, wl_val_i32(-3), &c));
  CHECK(wl_global_get(c).of.i32 == -3);
  expect_error(wl_global_set(c, wl_val_i32(1)), WL_ERR_ARGUMENT, "global is immutable");
  expect_error(wl_global_new(s, WL_EXTERNREF, false, wl_val_externref((void *)UINTPTR_MAX), &c),
               WL_ERR_ARGUMENT, NULL);
}

/* ---------------------------------------------------------------- host functions */

static const wl_valkind mixed_params[] = {WL_I32, WL_I64, WL_F32, WL_F64, WL_EXTERNREF};
static const wl_valkind mixed_results[] = {WL_F64, WL_EXTERNREF};

static wl_error *host_mixed(void *data, wl_caller *c, const wl_val *a, wl_val *r) {
  int *calls = data;
  (*calls)++;
  if (wl_caller_instance(c) != NULL) return wl_error_new(WL_ERR_ARGUMENT, "caller set");
  r[0].of.f64 = a[0].of.i32 + (double)a[1].of.i64 + a[2].of.f32 + a[3].of.f64;
  r[1] = a[4];
  return NULL;
}

static wl_error *host_fail(void *data, wl_caller *c, const wl_val *a, wl_val *r) {
  (void)c, (void)r;
  switch (a[0].of.i32) {
  case 0: return wl_error_new(WL_ERR_IO, "disk on %s", (const char *)data);
  case 1: return wl_trap_new(WL_TRAP_DIV_BY_ZERO, "integer divide by zero");
  default: return wl_exit_new(3);
  }
}

/* Calls itself through the API: each level is one more call depth. */
static wl_error *host_recurse(void *data, wl_caller *c, const wl_val *a, wl_val *r) {
  (void)a, (void)r;
  wl_val arg = wl_val_i32(0);
  return wl_func_call(wl_caller_store(c), *(wl_func **)data, &arg, 1, NULL, 0);
}

static void count_finalizer(void *data) { ++*(int *)data; }

static wl_func *new_host(wl_store *s, const wl_valkind *p, size_t np, const wl_valkind *r,
                         size_t nr, wl_host_callback cb, void *data, uint64_t cost) {
  wl_signature sig = {p, np, r, nr};
  return wl_func_new_host(s, sig, cb, data, NULL, cost);
}

static void test_host_calls(wl_store *s) {
  int calls = 0;
  wl_func *f = new_host(s, mixed_params, 5, mixed_results, 2, host_mixed, &calls, 0);
  CHECK(f && wl_func_param_count(f) == 5 && wl_func_result_count(f) == 2);
  CHECK(wl_func_param(f, 4) == WL_EXTERNREF && wl_func_result(f, 0) == WL_F64);
  wl_val args[5] = {wl_val_i32(-1), wl_val_i64(1000), wl_val_f32(0.5f), wl_val_f64(0.25),
                    wl_val_externref(NULL)};
  wl_val res[2];
  expect_ok(wl_func_call(s, f, args, 5, res, 2));
  CHECK(calls == 1 && res[0].kind == WL_F64 && res[0].of.f64 == 999.75);
  CHECK(res[1].kind == WL_EXTERNREF && !wl_val_is_null(&res[1]) &&
        wl_val_externref_ptr(&res[1]) == NULL);
  args[4] = wl_val_null(WL_EXTERNREF);
  expect_ok(wl_func_call(s, f, args, 5, res, 2));
  CHECK(wl_val_is_null(&res[1]));
  expect_error(wl_func_call(s, f, args, 4, res, 2), WL_ERR_ARGUMENT, "expected 5 arguments");
  expect_error(wl_func_call(s, f, args, 5, res, 1), WL_ERR_ARGUMENT, NULL);
  args[1] = wl_val_i32(1);
  expect_error(wl_func_call(s, f, args, 5, res, 2), WL_ERR_ARGUMENT, "argument 1");
  args[1] = wl_val_i64(1), args[4] = wl_val_externref((void *)UINTPTR_MAX);
  expect_error(wl_func_call(s, f, args, 5, res, 2), WL_ERR_ARGUMENT, "argument 4");
  CHECK(calls == 2);
}

static void test_host_errors(wl_store *s) {
  static const wl_valkind i32[] = {WL_I32};
  wl_func *f = new_host(s, i32, 1, NULL, 0, host_fail, "fire", 0);
  wl_val a = wl_val_i32(0);
  wl_error *e = wl_func_call(s, f, &a, 1, NULL, 0);
  CHECK(e && wl_error_kind_of(e) == WL_ERR_TRAP && wl_error_trap_kind(e) == WL_TRAP_HOST);
  CHECK(e && strcmp(wl_error_message(e), "disk on fire") == 0);
  wl_error_delete(e);
  a = wl_val_i32(1);
  e = wl_func_call(s, f, &a, 1, NULL, 0);
  CHECK(e && wl_error_trap_kind(e) == WL_TRAP_DIV_BY_ZERO);
  wl_error_delete(e);
  a = wl_val_i32(2);
  e = wl_func_call(s, f, &a, 1, NULL, 0);
  CHECK(e && wl_error_kind_of(e) == WL_ERR_EXIT && wl_error_exit_code(e) == 3);
  wl_error_delete(e);
  CHECK(new_host(s, (const wl_valkind[]){(wl_valkind)0x42}, 1, NULL, 0, host_fail, NULL, 0) ==
        NULL);
}

static wl_store *new_store(uint32_t depth, uint64_t fuel, wl_engine **engine) {
  wl_config *c = wl_config_new();
  wl_config_set_max_call_depth(c, depth);
  wl_config_set_fuel(c, fuel);
  wl_error *e = wl_engine_new(c, engine);
  wl_config_delete(c);
  CHECK(e == NULL);
  wl_error_delete(e);
  return e ? NULL : wl_store_new(*engine);
}

static void test_depth_and_fuel(void) {
  static const wl_valkind i32[] = {WL_I32};
  wl_engine *engine;
  wl_store *s = new_store(5, 0, &engine);
  wl_func *self = NULL;
  self = new_host(s, i32, 1, NULL, 0, host_recurse, &self, 0);
  wl_val a = wl_val_i32(0);
  wl_error *e = wl_func_call(s, self, &a, 1, NULL, 0);
  CHECK(e && wl_error_trap_kind(e) == WL_TRAP_STACK_EXHAUSTED);
  wl_error_delete(e);
  CHECK(wl_store_exec(s)->depth == 0 && wl_store_fuel_used(s) == 0);
  wl_store_delete(s);
  wl_engine_delete(engine);

  s = new_store(100, 10, &engine);
  int calls = 0;
  wl_func *cheap = new_host(s, mixed_params, 5, mixed_results, 2, host_mixed, &calls, 4);
  wl_val args[5] = {wl_val_i32(0), wl_val_i64(0), wl_val_f32(0), wl_val_f64(0),
                    wl_val_externref(NULL)};
  wl_val res[2];
  expect_ok(wl_func_call(s, cheap, args, 5, res, 2));
  CHECK(wl_store_fuel_used(s) == 4);
  self = new_host(s, i32, 1, NULL, 0, host_recurse, &self, 3);  /* 3 per level, 10 in all */
  e = wl_func_call(s, self, &a, 1, NULL, 0);
  CHECK(e && wl_error_trap_kind(e) == WL_TRAP_OUT_OF_FUEL);
  wl_error_delete(e);
  CHECK(wl_store_fuel_used(s) == 10 || wl_store_fuel_used(s) == 9);
  wl_store_delete(s);
  wl_engine_delete(engine);
}

static void test_finalizer(wl_engine *engine) {
  int finalized = 0;
  wl_store *s = wl_store_new(engine);
  wl_signature sig = {NULL, 0, NULL, 0};
  CHECK(wl_func_new_host(s, sig, host_fail, &finalized, count_finalizer, 0) != NULL);
  CHECK(wl_func_new_host(s, sig, host_fail, &finalized, count_finalizer, 0) != NULL);
  wl_store_delete(s);
  CHECK(finalized == 2);
}

/* ---------------------------------------------------------------- instances */

static wl_module *load(wl_engine *engine, const uint8_t *bytes, size_t len) {
  wl_module *m = NULL;
  wl_error *e = wl_module_new(engine, bytes, len, &m);
  if (e) fprintf(stderr, "module: %s\n", wl_error_message(e));
  CHECK(e == NULL);
  wl_error_delete(e);
  return m;
}

static wl_extern export_of(wl_instance *inst, const char *name) {
  wl_extern x = {0};
  CHECK(wl_instance_export(inst, name, &x));
  return x;
}

static size_t live_instances(wl_store *s) { return s->instances.count; }

static void check_globals_instance(wl_instance *inst) {
  CHECK(wl_instance_export_count(inst) == 5);
  CHECK(strcmp(wl_instance_export_name(inst, 4), "m") == 0);
  CHECK(!wl_instance_export(inst, "nope", NULL));
  CHECK(wl_global_get(export_of(inst, "h").of.global).of.i32 == 42);
  CHECK(wl_global_get(export_of(inst, "k").of.global).of.i64 == -5);
  CHECK(wl_global_get(export_of(inst, "f").of.global).of.f64 == 2.5);
  wl_table *t = export_of(inst, "t").of.table;
  wl_val v;
  CHECK(wl_table_size(t) == 3);
  expect_ok(wl_table_get(t, 0, &v));
  CHECK(v.kind == WL_FUNCREF && wl_val_is_null(&v));
  expect_ok(wl_table_get(t, 1, &v));
  CHECK(!wl_val_is_null(&v) && wl_func_param_count(wl_val_func(&v)) == 0);
  wl_memory *m = export_of(inst, "m").of.memory;
  CHECK(wl_memory_size(m) == 65536 && memcmp(wl_memory_data(m) + 10, "hello", 5) == 0);
  expect_ok(wl_memory_grow(m, 1, NULL));
  expect_error(wl_memory_grow(m, 1, NULL), WL_ERR_RESOURCE, NULL);
}

static void test_instantiate(wl_engine *engine) {
  wl_store *s = wl_store_new(engine);
  wl_module *m = load(engine, globals_wasm, sizeof globals_wasm);
  CHECK(wl_module_import_count(m) == 1 && wl_module_export_count(m) == 5);
  wl_import_info ii = wl_module_import(m, 0);
  CHECK(strcmp(ii.module, "env") == 0 && strcmp(ii.name, "g") == 0 &&
        ii.kind == WL_EXTERN_GLOBAL);
  CHECK(wl_module_export(m, 3).kind == WL_EXTERN_TABLE);
  wl_global *g42, *g64, *gmut;
  expect_ok(wl_global_new(s, WL_I32, false, wl_val_i32(42), &g42));
  expect_ok(wl_global_new(s, WL_I64, false, wl_val_i64(42), &g64));
  expect_ok(wl_global_new(s, WL_I32, true, wl_val_i32(42), &gmut));
  wl_instance *inst = NULL;
  wl_extern imp = {.kind = WL_EXTERN_GLOBAL, .of.global = g42};
  expect_ok(wl_instance_new(s, m, &imp, 1, &inst));
  if (inst) check_globals_instance(inst);
  imp.of.global = g64;
  expect_error(wl_instance_new(s, m, &imp, 1, &inst), WL_ERR_UNLINKABLE,
               "incompatible import type");
  imp.of.global = gmut;
  expect_error(wl_instance_new(s, m, &imp, 1, &inst), WL_ERR_UNLINKABLE,
               "incompatible import type");
  wl_memory *mem;
  expect_ok(wl_memory_new(s, 1, 0, false, &mem));
  imp = (wl_extern){.kind = WL_EXTERN_MEMORY, .of.memory = mem};
  expect_error(wl_instance_new(s, m, &imp, 1, &inst), WL_ERR_UNLINKABLE,
               "incompatible import type");
  expect_error(wl_instance_new(s, m, NULL, 0, &inst), WL_ERR_ARGUMENT, NULL);
  CHECK(live_instances(s) == 1);
  wl_module_delete(m);  /* the instance keeps it alive */
  if (inst) check_globals_instance(inst);
  wl_store_delete(s);
}

/* The data segment at 65535 does not fit one page; the one at 0 comes first. */
static void test_data_segments(wl_engine *engine, bool wasm2) {
  wl_store *s = wl_store_new(engine);
  wl_module *m = load(engine, segs_wasm, sizeof segs_wasm);
  wl_memory *mem, *empty;
  expect_ok(wl_memory_new(s, 1, 0, false, &mem));
  expect_ok(wl_memory_new(s, 0, 0, false, &empty));
  wl_instance *inst = NULL;
  wl_extern imp = {.kind = WL_EXTERN_MEMORY, .of.memory = empty};
  expect_error(wl_instance_new(s, m, &imp, 1, &inst), WL_ERR_UNLINKABLE,
               "incompatible import type");
  imp.of.memory = mem;
  wl_error *e = wl_instance_new(s, m, &imp, 1, &inst);
  CHECK(e && inst == NULL);
  if (wasm2) {
    CHECK(e && wl_error_kind_of(e) == WL_ERR_UNINSTANTIABLE);
    CHECK(e && wl_error_trap_kind(e) == WL_TRAP_MEMORY_OOB);
    CHECK(memcmp(wl_memory_data(mem), "xy", 2) == 0);
  } else {
    CHECK(e && wl_error_kind_of(e) == WL_ERR_UNLINKABLE);
    /* The spec's wording first, then which segment. */
    const char *want = "data segment does not fit (data segment ";
    CHECK(e && strncmp(wl_error_message(e), want, strlen(want)) == 0);
    CHECK(wl_memory_data(mem)[0] == 0);
  }
  wl_error_delete(e);
  wl_module_delete(m);
  wl_store_delete(s);
}

/* The second element segment does not fit the imported table of 2. */
static void test_elem_segments(wl_engine *engine, bool wasm2) {
  wl_store *s = wl_store_new(engine);
  wl_module *m = load(engine, elem_oob_wasm, sizeof elem_oob_wasm);
  wl_table *t;
  expect_ok(wl_table_new(s, WL_FUNCREF, 2, 0, false, wl_val_funcref(NULL), &t));
  wl_instance *inst = NULL;
  wl_extern imp = {.kind = WL_EXTERN_TABLE, .of.table = t};
  wl_error *e = wl_instance_new(s, m, &imp, 1, &inst);
  wl_val v;
  expect_ok(wl_table_get(t, 0, &v));
  if (wasm2) {
    CHECK(e && wl_error_kind_of(e) == WL_ERR_UNINSTANTIABLE);
    CHECK(e && wl_error_trap_kind(e) == WL_TRAP_TABLE_OOB);
    /* The failed instance's function stays in the table, and stays alive. */
    CHECK(!wl_val_is_null(&v) && wl_func_param_count(wl_val_func(&v)) == 0);
    CHECK(live_instances(s) == 1);
  } else {
    CHECK(e && wl_error_kind_of(e) == WL_ERR_UNLINKABLE);
    /* The spec's wording first, then which segment. */
    const char *want = "elements segment does not fit (elem segment ";
    CHECK(e && strncmp(wl_error_message(e), want, strlen(want)) == 0);
    CHECK(wl_val_is_null(&v) && live_instances(s) == 0);
  }
  wl_error_delete(e);
  wl_module_delete(m);
  wl_store_delete(s);
}

/* B imports A's memory and global: deleting A first keeps it until B goes. */
static void test_instance_delete(wl_engine *engine) {
  wl_store *s = wl_store_new(engine);
  wl_module *ma = load(engine, globals_wasm, sizeof globals_wasm);
  wl_module *mb = load(engine, memimp_wasm, sizeof memimp_wasm);
  wl_global *g;
  expect_ok(wl_global_new(s, WL_I32, false, wl_val_i32(42), &g));
  wl_instance *a = NULL, *b = NULL, *lone = NULL;
  wl_extern imp = {.kind = WL_EXTERN_GLOBAL, .of.global = g};
  expect_ok(wl_instance_new(s, ma, &imp, 1, &a));
  expect_ok(wl_instance_new(s, ma, &imp, 1, &lone));
  if (!a || !lone) goto out;
  wl_extern imps[2] = {export_of(a, "m"), export_of(a, "h")};
  expect_ok(wl_instance_new(s, mb, imps, 2, &b));
  CHECK(a->importers == 2 && live_instances(s) == 3);
  wl_instance_delete(lone);
  CHECK(live_instances(s) == 2);
  wl_instance_delete(a);
  CHECK(live_instances(s) == 2 && a->dead);
  wl_instance_delete(b);
  CHECK(live_instances(s) == 0);
out:
  wl_module_delete(ma);
  wl_module_delete(mb);
  wl_store_delete(s);
}

static void test_many_instances(wl_engine *engine) {
  wl_store *s = wl_store_new(engine);
  wl_module *m = load(engine, globals_wasm, sizeof globals_wasm);
  wl_global *g;
  expect_ok(wl_global_new(s, WL_I32, false, wl_val_i32(42), &g));
  wl_extern imp = {.kind = WL_EXTERN_GLOBAL, .of.global = g};
  int ok = 0;
  for (int i = 0; i < 2000; i++) {  /* 16 TiB of reservations if any leaked */
    wl_instance *inst = NULL;
    wl_error *e = wl_instance_new(s, m, &imp, 1, &inst);
    ok += e == NULL;
    wl_error_delete(e);
    wl_instance_delete(inst);
  }
  CHECK(ok == 2000 && live_instances(s) == 0);
  wl_module_delete(m);
  wl_store_delete(s);
}

static wl_engine *new_engine(bool mvp) {
  wl_config *c = wl_config_new();
  if (mvp) wl_config_set_mvp(c);
  wl_engine *e = NULL;
  expect_ok(wl_engine_new(c, &e));
  wl_config_delete(c);
  return e;
}

int main(void) {
  test_values();
  test_config();
  wl_engine *engine = new_engine(false), *mvp = new_engine(true);
  if (!engine || !mvp) return 1;
  wl_store *s = wl_store_new(engine);
  test_memory(s);
  test_table(s);
  test_global(s);
  test_host_calls(s);
  test_host_errors(s);
  wl_store_delete(s);
  test_depth_and_fuel();
  test_finalizer(engine);
  test_instantiate(engine);
  test_data_segments(engine, true);
  test_data_segments(mvp, false);
  test_elem_segments(engine, true);
  test_elem_segments(mvp, false);
  test_instance_delete(engine);
  test_many_instances(engine);
  wl_engine_delete(engine);
  wl_engine_delete(mvp);
  return check_summary();
}
