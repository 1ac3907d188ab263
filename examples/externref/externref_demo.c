/* The externref tutorial, host side: creates C objects, hands them to guest code as
 * externrefs, and prints what the guest computed with them.
 *
 *   externref_demo [--backend NAME] WASM_DIR
 *
 * WASM_DIR holds funcs.wasm, stl.wasm and print_mul.wasm (wat2wasm of the .wat files here).
 * Exit status 0 when every call behaved; the output is checked by harness/test_externref.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/include/wasmlab.h"
#include "host_funcs.h"
#include "host_objects.h"

typedef struct {
  wl_engine *engine;
  wl_store *store;
  wl_linker *linker;
  wl_instance *funcs, *stl, *print_mul;
} demo;

static void die(const char *what, wl_error *e) {
  fprintf(stderr, "externref_demo: %s: %s\n", what, e ? wl_error_message(e) : "failed");
  exit(1);
}

static wl_instance *instantiate(demo *d, const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.wasm", dir, name);
  wl_module *m = NULL;
  wl_instance *inst = NULL;
  wl_error *e = wl_module_from_file(d->engine, path, &m);
  if (!e) e = wl_linker_instantiate(d->linker, m, &inst);
  if (e) die(path, e);
  wl_module_delete(m);  /* the instance keeps the module alive */
  return inst;
}

static wl_val ref(void *object) { return wl_val_externref(object); }

/* Calls export `name` of `inst`; returns NULL or the error (e.g. a trap). */
static wl_error *call(demo *d, wl_instance *inst, const char *name, const wl_val *args,
                      size_t nargs, wl_val *result) {
  wl_extern f;
  if (!wl_instance_export(inst, name, &f) || f.kind != WL_EXTERN_FUNC)
    die(name, wl_error_new(WL_ERR_ARGUMENT, "no such export"));
  return wl_func_call(d->store, f.of.func, args, nargs, result, result ? 1 : 0);
}

static int32_t call_i32(demo *d, wl_instance *inst, const char *name, const wl_val *args, size_t n) {
  wl_val result = wl_val_i32(0);
  wl_error *e = call(d, inst, name, args, n, &result);
  if (e) die(name, e);
  return result.of.i32;
}

static void call_void(demo *d, wl_instance *inst, const char *name, const wl_val *args, size_t n) {
  wl_error *e = call(d, inst, name, args, n, NULL);
  if (e) die(name, e);
}

static void computing_objects(demo *d) {
  adder add = adder_make();
  squarer sq = squarer_make();
  multiply mul = multiply_make();
  wl_val a1[] = {ref(&add), wl_val_i32(1234), wl_val_i32(5678)};
  printf("call_add(adder, 1234, 5678) = %d\n", call_i32(d, d->funcs, "call_add", a1, 3));
  wl_val a2[] = {ref(&mul), wl_val_i32(789), wl_val_i32(4321)};
  printf("call_mul(mul, 789, 4321) = %d\n", call_i32(d, d->funcs, "call_mul", a2, 3));
  wl_val a3[] = {ref(&sq), wl_val_i32(8256)};
  printf("call_square(squarer, 8256) = %d\n", call_i32(d, d->funcs, "call_square", a3, 2));
  wl_val a4[] = {ref(&add), ref(&sq), wl_val_i32(210), wl_val_i32(654)};
  printf("call_add_square(adder, squarer, 210, 654) = %d\n",
         call_i32(d, d->funcs, "call_add_square", a4, 4));
  printf("adder calls = %d\n", add.calls);
}

static void streams(demo *d) {
  string_stream *s = stream_new();
  host_string hello = string_make("hello world!");
  wl_val a1[] = {ref(s), ref(&hello)};
  call_void(d, d->stl, "call_ostream_str", a1, 2);
  printf("stream = \"%s\"\n", s->text);
  wl_val a2[] = {ref(s), wl_val_i32(123456)};
  call_void(d, d->stl, "call_ostream_u32", a2, 2);
  printf("stream = \"%s\"\n", s->text);
  stream_free(s);
}

static void print_map(const string_map *m) {
  printf("map = {");
  for (size_t i = 0; i < m->len; i++) printf("%s%s: %s", i ? ", " : "", m->keys[i], m->values[i]);
  printf("}\n");
}

static void maps(demo *d) {
  string_map *m = map_new();
  host_string k1 = string_make("hello"), v1 = string_make("world");
  host_string k2 = string_make("wasm"), v2 = string_make("externref");
  wl_val i1[] = {ref(m), ref(&k1), ref(&v1)}, i2[] = {ref(m), ref(&k2), ref(&v2)};
  call_void(d, d->stl, "call_map_insert", i1, 3);
  call_void(d, d->stl, "call_map_insert", i2, 3);
  print_map(m);
  wl_val e1[] = {ref(m), ref(&k1)};
  call_void(d, d->stl, "call_map_erase", e1, 2);
  print_map(m);
  map_free(m);
}

static void print_set(const int_set *s) {
  printf("set = {");
  for (size_t i = 0; i < s->len; i++) printf("%s%d", i ? ", " : "", s->items[i]);
  printf("}\n");
}

static void sets(demo *d) {
  int_set *s = set_new();
  const int32_t values[] = {30, 10, 20, 10};
  for (size_t i = 0; i < 4; i++) {
    wl_val a[] = {ref(s), wl_val_i32(values[i])};
    call_void(d, d->stl, "call_set_insert", a, 2);
  }
  print_set(s);
  wl_val e[] = {ref(s), wl_val_i32(10)};
  call_void(d, d->stl, "call_set_erase", e, 2);
  print_set(s);
  set_free(s);
}

static void vectors(demo *d) {
  u32_vector *v = vector_new();
  for (uint32_t x = 10; x <= 90; x += 10) vector_push(v, x);
  wl_val push[] = {ref(v), wl_val_i32(100)};
  call_void(d, d->stl, "call_vector_push", push, 2);
  printf("vector size = %zu, back = %u\n", v->len, v->items[v->len - 1]);
  u32_iterator begin = iterator_make(v, 3), end = iterator_make(v, v->len - 2);
  wl_val sum[] = {ref(&begin), ref(&end)};
  printf("call_vector_sum(begin+3, end-2) = %d\n", call_i32(d, d->stl, "call_vector_sum", sum, 2));
  vector_free(v);
}

static void mixed(demo *d) {
  string_stream *s = stream_new();
  multiply mul = multiply_make();
  wl_val a[] = {ref(s), ref(&mul), wl_val_i32(123), wl_val_i32(456)};
  call_void(d, d->print_mul, "print_mul", a, 4);
  printf("print_mul(stream, mul, 123, 456) wrote \"%s\"\n", s->text);
  stream_free(s);
}

/* A null externref, or the wrong object, where a host function needs one: a clean trap. */
static void misuse(demo *d) {
  squarer sq = squarer_make();
  wl_val bad[][3] = {
      {wl_val_null(WL_EXTERNREF), wl_val_i32(1), wl_val_i32(2)},
      {ref(&sq), wl_val_i32(1), wl_val_i32(2)},
  };
  for (int i = 0; i < 2; i++) {
    wl_val result = wl_val_i32(0);
    wl_error *e = call(d, d->funcs, "call_add", bad[i], 3, &result);
    if (!e) die("misuse", wl_error_new(WL_ERR_ARGUMENT, "call_add with a bad object did not trap"));
    printf("trap: %s (kind %s)\n", wl_error_message(e),
           wl_error_kind_of(e) == WL_ERR_TRAP ? "trap" : "other");
    wl_error_delete(e);
  }
}

static void setup(demo *d, const char *backend, const char *dir) {
  wl_config *cfg = wl_config_new();
  wl_error *e = NULL;
  if (backend) {
    wl_backend_kind kind;
    e = wl_backend_from_name(backend, &kind);
    if (!e) e = wl_config_set_backend(cfg, kind);
  }
  if (!e) e = wl_engine_new(cfg, &d->engine);
  wl_config_delete(cfg);
  if (e) die("engine", e);
  d->store = wl_store_new(d->engine);
  d->linker = wl_linker_new(d->store);
  if ((e = define_extern_module(d->linker))) die("extern_module", e);
  d->funcs = instantiate(d, dir, "funcs");
  d->stl = instantiate(d, dir, "stl");
  d->print_mul = instantiate(d, dir, "print_mul");
}

int main(int argc, char **argv) {
  const char *backend = NULL;
  int i = 1;
  if (argc > 2 && strcmp(argv[1], "--backend") == 0) backend = argv[2], i = 3;
  if (i != argc - 1) {
    fprintf(stderr, "usage: externref_demo [--backend NAME] WASM_DIR\n");
    return 2;
  }
  demo d = {0};
  setup(&d, backend, argv[i]);
  computing_objects(&d);
  streams(&d);
  maps(&d);
  sets(&d);
  vectors(&d);
  mixed(&d);
  misuse(&d);
  wl_linker_delete(d.linker);
  wl_store_delete(d.store);
  wl_engine_delete(d.engine);
  return 0;
}
