/* Embeds the library through the public API only: a host function called from wasm with
 * externref arguments (a host pointer of value 0 is a reference distinct from null), traps
 * caught and reported with their kind (unreachable, division, out-of-bounds memory,
 * call_indirect, stack exhaustion from infinite recursion, fuel), a start function trap, and
 * instances created and freed repeatedly (run under the ASan build to check for leaks).
 * Prints "N passed, M failed"; exits non-zero on any failure. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/include/wasmlab.h"
#include "harness/ctests/check.h"


/* (module
 *   (type $ii_i (func (param i32 i32) (result i32)))
 *   (import "host" "take" (func $take (param externref i32) (result i32)))
 *   (memory (export "mem") 1)
 *   (table 2 funcref)
 *   (elem (i32.const 0) $add $id)
 *   (func (export "call_host") (param externref i32) (result i32)
 *     (call $take (local.get 0) (local.get 1)))
 *   (func (export "echo") (param externref) (result externref) (local.get 0))
 *   (func (export "unreachable") unreachable)
 *   (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
 *   (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
 *   (func $add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
 *   (func $id (param i32) (result i32) (local.get 0))
 *   (func (export "call_ii") (param i32) (result i32)
 *     (call_indirect (type $ii_i) (i32.const 1) (i32.const 2) (local.get 0)))
 *   (func $rec (export "recurse") (param i32) (result i32)
 *     (i32.add (call $rec (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
 *   (func (export "spin") (loop $l (br $l)))
 * ) */
static const uint8_t embed_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1a, 0x05, 0x60, 0x02, 0x7f,
    0x7f, 0x01, 0x7f, 0x60, 0x02, 0x6f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x6f, 0x01, 0x6f,
    0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x02, 0x0d, 0x01, 0x04, 0x68, 0x6f,
    0x73, 0x74, 0x04, 0x74, 0x61, 0x6b, 0x65, 0x00, 0x01, 0x03, 0x0b, 0x0a, 0x01, 0x02,
    0x03, 0x00, 0x04, 0x00, 0x04, 0x04, 0x04, 0x03, 0x04, 0x04, 0x01, 0x70, 0x00, 0x02,
    0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x50, 0x09, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00,
    0x09, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x01, 0x04, 0x65,
    0x63, 0x68, 0x6f, 0x00, 0x02, 0x0b, 0x75, 0x6e, 0x72, 0x65, 0x61, 0x63, 0x68, 0x61,
    0x62, 0x6c, 0x65, 0x00, 0x03, 0x03, 0x64, 0x69, 0x76, 0x00, 0x04, 0x04, 0x6c, 0x6f,
    0x61, 0x64, 0x00, 0x05, 0x07, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x69, 0x69, 0x00, 0x08,
    0x07, 0x72, 0x65, 0x63, 0x75, 0x72, 0x73, 0x65, 0x00, 0x09, 0x04, 0x73, 0x70, 0x69,
    0x6e, 0x00, 0x0a, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x06, 0x07, 0x0a,
    0x51, 0x0a, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x00, 0x0b, 0x04, 0x00, 0x20,
    0x00, 0x0b, 0x03, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d, 0x0b,
    0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01,
    0x6a, 0x0b, 0x04, 0x00, 0x20, 0x00, 0x0b, 0x0b, 0x00, 0x41, 0x01, 0x41, 0x02, 0x20,
    0x00, 0x11, 0x00, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x10, 0x09,
    0x41, 0x01, 0x6a, 0x0b, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,
};

/* (module
 *   (import "env" "mem" (memory 1))
 *   (data (i32.const 0) "ab")
 *   (func $s (i32.store8 (i32.const 2) (i32.const 99)) unreachable)
 *   (start $s)) */
static const uint8_t start_trap_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01,
    0x03, 0x02, 0x01, 0x00, 0x08, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x41, 0x02,
    0x41, 0xe3, 0x00, 0x3a, 0x00, 0x00, 0x00, 0x0b, 0x0b, 0x08, 0x01, 0x00, 0x41, 0x00,
    0x0b, 0x02, 0x61, 0x62,
};

/* ---------------------------------------------------------------- helpers */

typedef struct {
  wl_store *store;
  wl_instance *inst;
  int host_calls;
} fixture;

static wl_func *export_func(fixture *fx, const char *name) {
  wl_extern x;
  bool found = wl_instance_export(fx->inst, name, &x) && x.kind == WL_EXTERN_FUNC;
  CHECK(found);
  return found ? x.of.func : NULL;
}

/* Calls an export with i32 arguments; returns its i32 result, or the error in *err. */
static int32_t call_i32(fixture *fx, const char *name, int32_t a, int32_t b, wl_error **err) {
  wl_func *f = export_func(fx, name);
  wl_val args[2] = {wl_val_i32(a), wl_val_i32(b)}, res = wl_val_i32(0);
  if (!f) return 0;
  *err = wl_func_call(fx->store, f, args, wl_func_param_count(f), &res, 1);
  return res.of.i32;
}

static void expect_value(fixture *fx, const char *name, int32_t a, int32_t b, int32_t want) {
  wl_error *e = NULL;
  int32_t got = call_i32(fx, name, a, b, &e);
  if (e) fprintf(stderr, "%s: unexpected error: %s\n", name, wl_error_message(e));
  CHECK(e == NULL && got == want);
  wl_error_delete(e);
}

static void expect_trap(fixture *fx, const char *name, int32_t a, int32_t b, wl_trap_kind k) {
  wl_error *e = NULL;
  call_i32(fx, name, a, b, &e);
  CHECK(e && wl_error_kind_of(e) == WL_ERR_TRAP && wl_error_trap_kind(e) == k);
  CHECK(e && strcmp(wl_error_message(e), wl_trap_kind_message(k)) == 0);
  if (e && wl_error_trap_kind(e) != k)
    fprintf(stderr, "%s: expected \"%s\", got \"%s\"\n", name, wl_trap_kind_message(k),
            wl_error_message(e));
  wl_error_delete(e);
}

/* ---------------------------------------------------------------- the host function */

typedef struct { int32_t base; } host_object;

/* take(ref, n): -1 for null, 100 + n for the host pointer NULL, base + n for an object;
 * n == 13 fails, which must trap the guest as a host error. */
static wl_error *host_take(void *data, wl_caller *caller, const wl_val *args, wl_val *results) {
  fixture *fx = data;
  fx->host_calls++;
  if (wl_caller_instance(caller) != fx->inst || wl_caller_store(caller) != fx->store)
    return wl_error_new(WL_ERR_ARGUMENT, "wrong caller");
  if (!wl_caller_memory(caller, 0) || wl_caller_memory(caller, 1))
    return wl_error_new(WL_ERR_ARGUMENT, "wrong caller memory");
  if (args[1].of.i32 == 13) return wl_error_new(WL_ERR_IO, "unlucky number");
  int32_t n = args[1].of.i32;
  if (wl_val_is_null(&args[0])) {
    results[0].of.i32 = -1;
  } else {
    host_object *o = wl_val_externref_ptr(&args[0]);
    results[0].of.i32 = o ? o->base + n : 100 + n;
  }
  return NULL;
}

static wl_error *instantiate_embed(wl_engine *engine, fixture *fx) {
  static const wl_valkind params[] = {WL_EXTERNREF, WL_I32}, results[] = {WL_I32};
  wl_signature sig = {params, 2, results, 1};
  wl_func *take = wl_func_new_host(fx->store, sig, host_take, fx, NULL, 0);
  CHECK(take != NULL);
  wl_module *m = NULL;
  wl_error *e = wl_module_new(engine, embed_wasm, sizeof embed_wasm, &m);
  if (e) return e;
  wl_extern imp = {.kind = WL_EXTERN_FUNC, .of.func = take};
  e = wl_instance_new(fx->store, m, &imp, 1, &fx->inst);
  wl_module_delete(m);
  return e;
}

/* ---------------------------------------------------------------- tests */

static int32_t call_host(fixture *fx, wl_val ref, int32_t n, wl_error **e) {
  wl_val args[2] = {ref, wl_val_i32(n)}, res = wl_val_i32(0);
  *e = wl_func_call(fx->store, export_func(fx, "call_host"), args, 2, &res, 1);
  return res.of.i32;
}

static void test_externref(fixture *fx) {
  host_object obj = {1000};
  wl_error *e;
  CHECK(call_host(fx, wl_val_externref(NULL), 5, &e) == 105 && !e);
  CHECK(call_host(fx, wl_val_null(WL_EXTERNREF), 5, &e) == -1 && !e);
  CHECK(call_host(fx, wl_val_externref(&obj), 7, &e) == 1007 && !e);
  CHECK(fx->host_calls == 3);
  call_host(fx, wl_val_externref(&obj), 13, &e);
  CHECK(e && wl_error_trap_kind(e) == WL_TRAP_HOST && strstr(wl_error_message(e), "unlucky"));
  wl_error_delete(e);
  call_host(fx, wl_val_i32(0), 1, &e);  /* wrong argument kind */
  CHECK(e && wl_error_kind_of(e) == WL_ERR_ARGUMENT);
  wl_error_delete(e);

  wl_func *echo = export_func(fx, "echo");
  wl_val in = wl_val_externref(NULL), out = wl_val_i32(0);
  e = wl_func_call(fx->store, echo, &in, 1, &out, 1);
  CHECK(!e && out.kind == WL_EXTERNREF && !wl_val_is_null(&out) &&
        wl_val_externref_ptr(&out) == NULL);
  in = wl_val_null(WL_EXTERNREF);
  e = wl_func_call(fx->store, echo, &in, 1, &out, 1);
  CHECK(!e && wl_val_is_null(&out));
}

static void test_traps(fixture *fx) {
  expect_trap(fx, "unreachable", 0, 0, WL_TRAP_UNREACHABLE);
  expect_value(fx, "div", 7, 2, 3);
  expect_trap(fx, "div", 1, 0, WL_TRAP_DIV_BY_ZERO);
  expect_trap(fx, "div", INT32_MIN, -1, WL_TRAP_INT_OVERFLOW);
  wl_extern mem;
  CHECK(wl_instance_export(fx->inst, "mem", &mem) && mem.kind == WL_EXTERN_MEMORY);
  memcpy(wl_memory_data(mem.of.memory) + 65532, "\x01\x02\x03\x04", 4);
  expect_value(fx, "load", 65532, 0, 0x04030201);
  expect_trap(fx, "load", 65533, 0, WL_TRAP_MEMORY_OOB);
  expect_trap(fx, "load", -1, 0, WL_TRAP_MEMORY_OOB);
  expect_value(fx, "call_ii", 0, 0, 3);
  expect_trap(fx, "call_ii", 1, 0, WL_TRAP_INDIRECT_MISMATCH);
  expect_trap(fx, "call_ii", 2, 0, WL_TRAP_UNDEFINED_ELEMENT);
  expect_trap(fx, "recurse", 0, 0, WL_TRAP_STACK_EXHAUSTED);
  expect_value(fx, "div", 9, 3, 3);  /* the store is usable after every trap */
}

static void on_alarm(int sig) {
  (void)sig;
  static const char msg[] = "fuel metering did not stop an infinite loop\n";
  (void)!write(2, msg, sizeof msg - 1);
  _exit(2);
}

static void test_fuel(void) {
  wl_config *c = wl_config_new();
  wl_config_set_fuel(c, 100000);
  wl_engine *engine = NULL;
  wl_error *e = wl_engine_new(c, &engine);
  wl_config_delete(c);
  CHECK(e == NULL);
  fixture fx = {wl_store_new(engine), NULL, 0};
  e = instantiate_embed(engine, &fx);
  CHECK(e == NULL);
  if (!e) {
    signal(SIGALRM, on_alarm);
    alarm(20);
    expect_trap(&fx, "spin", 0, 0, WL_TRAP_OUT_OF_FUEL);
    alarm(0);
    CHECK(wl_store_fuel_used(fx.store) == 100000);
    expect_value(&fx, "div", 8, 2, 4);
    CHECK(wl_store_fuel_used(fx.store) > 0 && wl_store_fuel_used(fx.store) < 100);
  }
  wl_error_delete(e);
  wl_store_delete(fx.store);
  wl_engine_delete(engine);
}

/* The start function writes, then traps: the instance fails, the write stays visible. */
static void test_start_trap(wl_engine *engine) {
  wl_store *s = wl_store_new(engine);
  wl_memory *mem = NULL;
  wl_module *m = NULL;
  CHECK(wl_memory_new(s, 1, 0, false, &mem) == NULL);
  CHECK(wl_module_new(engine, start_trap_wasm, sizeof start_trap_wasm, &m) == NULL);
  if (mem && m) {
    wl_extern imp = {.kind = WL_EXTERN_MEMORY, .of.memory = mem};
    wl_instance *inst = NULL;
    wl_error *e = wl_instance_new(s, m, &imp, 1, &inst);
    CHECK(e && inst == NULL && wl_error_kind_of(e) == WL_ERR_UNINSTANTIABLE);
    CHECK(e && wl_error_trap_kind(e) == WL_TRAP_UNREACHABLE);
    CHECK(memcmp(wl_memory_data(mem), "ab\x63", 3) == 0);
    wl_error_delete(e);
  }
  wl_module_delete(m);
  wl_store_delete(s);
}

static void test_many_instances(wl_engine *engine) {
  wl_store *s = wl_store_new(engine);
  int ok = 0;
  for (int i = 0; i < 300; i++) {
    fixture fx = {s, NULL, 0};
    wl_error *e = instantiate_embed(engine, &fx);
    if (!e) {
      wl_error *err = NULL;
      ok += call_i32(&fx, "div", 10, 5, &err) == 2 && !err;
      wl_error_delete(err);
    }
    wl_error_delete(e);
    wl_instance_delete(fx.inst);
  }
  CHECK(ok == 300);
  wl_store_delete(s);
}

int main(void) {
  wl_config *c = wl_config_new();  /* the defaults: call depth 10000 */
  wl_engine *engine = NULL;
  wl_error *e = wl_engine_new(c, &engine);
  wl_config_delete(c);
  if (e) {
    fprintf(stderr, "engine: %s\n", wl_error_message(e));
    return 1;
  }
  fixture fx = {wl_store_new(engine), NULL, 0};
  e = instantiate_embed(engine, &fx);
  if (e) {
    fprintf(stderr, "instantiate: %s\n", wl_error_message(e));
    failed++;
  } else {
    test_externref(&fx);
    test_traps(&fx);
  }
  wl_error_delete(e);
  wl_store_delete(fx.store);
  test_fuel();
  test_start_trap(engine);
  test_many_instances(engine);
  wl_engine_delete(engine);
  return check_summary();
}
