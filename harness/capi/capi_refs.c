/* wasm.h: traps (host trap messages, wasm traps with their wasmlab kind, start-function
 * traps, misuse reported as traps), foreign objects as externrefs through globals, tables
 * and host functions with host info kept per object, funcrefs, fuel, and many instances
 * created and dropped with finalizers (no leaks under ASan). Exits 0 when every check passes. */
#include <string.h>

#include "engine/include/wasmlab_wasm.h"
#include "harness/capi/capi_check.h"

enum { G, FG, T, FAIL, UNREACHABLE, DIV, ECHO, SET_G, TABLE_GET, SPIN, SELF };

static wasm_trap_t *fail(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  (void)args, (void)results;
  wasm_message_t msg;
  wasm_name_new_from_string_nt(&msg, "host says no");
  wasm_trap_t *t = wasm_trap_new(env, &msg);
  wasm_name_delete(&msg);
  return t;
}

static wasm_trap_t *echo(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_func_t *func(const wasm_extern_vec_t *x, size_t i) {
  return wasm_extern_as_func(export_at(x, i));
}

static bool message_is(const wasm_trap_t *t, const char *want) {
  wasm_message_t m;
  wasm_trap_message(t, &m);
  /* The spec's wording first; wasmlab may add where it happened ("in the start function"). */
  bool same = m.size >= strlen(want) + 1 && strncmp(m.data, want, strlen(want)) == 0;
  if (!same) fprintf(stderr, "trap message \"%s\", expected \"%s\"\n", m.data, want);
  wasm_name_delete(&m);
  return same;
}

static wasm_trap_t *call(const wasm_func_t *f, size_t n, wasm_val_t *args, size_t nr,
                         wasm_val_t *results) {
  wasm_val_vec_t a = {n, args}, r = {nr, results};
  return wasm_func_call(f, &a, &r);
}

static void check_traps(const wasm_extern_vec_t *x) {
  wasm_val_t r = WASM_INIT_VAL;
  wasm_trap_t *t = call(func(x, FAIL), 0, NULL, 1, &r);
  CHECK(t && message_is(t, "host says no") && wasmlab_trap_kind(t) == WL_TRAP_HOST);
  /* The backtrace: the host function has no frame; its wasm caller (func 2) is at the call,
   * its first instruction. Copies keep the frames. */
  wasm_frame_vec_t trace;
  wasm_trap_trace(t, &trace);
  CHECK(trace.size == 1 && wasm_frame_func_index(trace.data[0]) == 2 &&
        wasm_frame_func_offset(trace.data[0]) == 0 && wasm_frame_module_offset(trace.data[0]) > 0);
  wasm_frame_vec_delete(&trace);
  wasm_trap_t *copy = wasm_trap_copy(t);
  CHECK(copy && message_is(copy, "host says no"));
  wasm_frame_t *origin = wasm_trap_origin(copy);
  CHECK(origin && wasm_frame_func_index(origin) == 2);
  wasm_frame_delete(origin);
  wasm_trap_delete(copy);
  wasm_trap_delete(t);

  t = call(func(x, UNREACHABLE), 0, NULL, 0, NULL);
  CHECK(t && message_is(t, "unreachable") && wasmlab_trap_kind(t) == WL_TRAP_UNREACHABLE);
  origin = wasm_trap_origin(t);
  CHECK(origin && wasm_frame_func_index(origin) == 3 && wasm_frame_func_offset(origin) == 0);
  wasm_frame_delete(origin);
  wasm_trap_delete(t);
  wasm_val_t args[] = {WASM_I32_VAL(1), WASM_I32_VAL(0)};
  t = call(func(x, DIV), 2, args, 1, &r);
  CHECK(t && message_is(t, "integer divide by zero") && wasmlab_trap_kind(t) == WL_TRAP_DIV_BY_ZERO);
  wasm_trap_delete(t);
  /* Misuse: argument count and type, too little result room. */
  t = call(func(x, DIV), 1, args, 1, &r);
  CHECK(t && wasmlab_trap_kind(t) == WL_TRAP_HOST);
  wasm_trap_delete(t);
  wasm_val_t wrong[] = {WASM_I64_VAL(1), WASM_I32_VAL(1)};
  t = call(func(x, DIV), 2, wrong, 1, &r);
  CHECK(t != NULL);
  wasm_trap_delete(t);
  t = call(func(x, DIV), 2, args + 0, 0, NULL);
  CHECK(t != NULL);
  wasm_trap_delete(t);
}

static void check_externrefs(wasm_store_t *store, const wasm_extern_vec_t *x) {
  wasm_foreign_t *foreign = wasm_foreign_new(store);
  wasm_ref_t *host = wasm_foreign_as_ref(foreign);
  static int info;
  wasm_ref_set_host_info(host, &info);
  wasm_val_t arg = WASM_REF_VAL(host), r = WASM_INIT_VAL;
  CHECK(call(func(x, ECHO), 1, &arg, 1, &r) == NULL);
  CHECK(r.kind == WASM_EXTERNREF && r.of.ref && wasm_ref_same(r.of.ref, host));
  CHECK(wasm_ref_get_host_info(r.of.ref) == &info);  /* host info belongs to the object */
  wasm_val_delete(&r);

  CHECK(call(func(x, SET_G), 1, &arg, 0, NULL) == NULL);
  wasm_val_t g;
  wasm_global_get(wasm_extern_as_global(export_at(x, G)), &g);
  CHECK(g.of.ref && wasm_ref_same(g.of.ref, host));
  wasm_val_delete(&g);

  wasm_table_t *t = wasm_extern_as_table(export_at(x, T));
  CHECK(wasm_table_set(t, 3, host));
  wasm_val_t idx = WASM_I32_VAL(3);
  CHECK(call(func(x, TABLE_GET), 1, &idx, 1, &r) == NULL);
  CHECK(r.of.ref && wasm_ref_get_host_info(r.of.ref) == &info);
  wasm_val_delete(&r);
  wasm_val_t null = WASM_REF_VAL(NULL);
  CHECK(call(func(x, ECHO), 1, &null, 1, &r) == NULL && r.of.ref == NULL);
  wasm_foreign_delete(foreign);

  /* A funcref back from wasm names the exported function. */
  wasm_val_t f = WASM_INIT_VAL;
  CHECK(call(func(x, SELF), 0, NULL, 1, &f) == NULL);
  CHECK(f.kind == WASM_FUNCREF && f.of.ref && wasm_func_same(wasm_ref_as_func(f.of.ref), func(x, SELF)));
  wasm_global_set(wasm_extern_as_global(export_at(x, FG)), &f);
  wasm_val_t back;
  wasm_global_get(wasm_extern_as_global(export_at(x, FG)), &back);
  CHECK(back.of.ref && wasm_ref_same(back.of.ref, f.of.ref));
  wasm_val_delete(&back);
  wasm_val_delete(&f);
}

static void check_start_trap(wasm_store_t *store) {
  wasm_module_t *m = load_module(store, "capi_start.wasm");
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t *trap = NULL;
  CHECK(wasm_instance_new(store, m, &none, &trap) == NULL);
  CHECK(trap && message_is(trap, "unreachable"));
  wasm_trap_delete(trap);
  wasm_module_delete(m);
}

static int live;
static void finalize(void *data) {
  (void)data;
  live--;
}

/* Instances dropped at once are finalized at once; the store finalizes the rest. */
static void check_lifecycle(wasm_engine_t *engine) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *m = load_module(store, "capi_start.wasm");
  wasm_module_t *empty;
  wasm_byte_vec_t bin;
  wasm_byte_vec_new(&bin, 8, "\0asm\1\0\0\0");
  empty = wasm_module_new(store, &bin);
  wasm_byte_vec_delete(&bin);
  CHECK(empty != NULL);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  for (int i = 0; i < 2000; i++) {
    wasm_instance_t *inst = wasm_instance_new(store, empty, &none, NULL);
    wasm_instance_set_host_info_with_finalizer(inst, (void *)(intptr_t)i, finalize);
    live++;
    wasm_instance_delete(inst);
  }
  CHECK(live == 0);
  wasm_instance_t *kept = wasm_instance_new(store, empty, &none, NULL);
  wasm_instance_set_host_info_with_finalizer(kept, NULL, finalize);
  live++;
  wasm_module_set_host_info_with_finalizer(empty, NULL, finalize);
  live++;
  wasm_module_t *share = wasm_module_copy(empty);
  wasm_module_delete(empty);
  CHECK(live == 2);  /* the copy keeps the module */
  wasm_module_delete(share);
  CHECK(live == 1);
  wasm_module_delete(m);
  wasm_instance_t *copy = wasm_instance_copy(kept);
  wasm_instance_delete(kept);
  CHECK(live == 1);
  wasm_instance_delete(copy);
  CHECK(live == 0);
  wasm_store_delete(store);
}

static void check_fuel(void) {
  wasm_config_t *c = wasm_config_new();
  wasmlab_config_fuel_set(c, 10000);
  wasm_engine_t *e = wasm_engine_new_with_config(c);
  wasm_store_t *s = wasm_store_new(e);
  wasm_module_t *m = load_module(s, "capi_refs.wasm");
  wasm_functype_t *ft = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_functype_t *et = wasm_functype_new_1_1(wasm_valtype_new_externref(), wasm_valtype_new_externref());
  wasm_func_t *imports[] = {wasm_func_new_with_env(s, ft, fail, s, NULL), wasm_func_new(s, et, echo)};
  wasm_functype_delete(ft);
  wasm_functype_delete(et);
  wasm_extern_t *xs[] = {wasm_func_as_extern(imports[0]), wasm_func_as_extern(imports[1])};
  wasm_extern_vec_t iv = WASM_ARRAY_VEC(xs);
  wasm_instance_t *inst = wasm_instance_new(s, m, &iv, NULL);
  wasm_extern_vec_t x;
  wasm_instance_exports(inst, &x);
  wasm_trap_t *t = call(func(&x, SPIN), 0, NULL, 0, NULL);
  CHECK(t && wasmlab_trap_kind(t) == WL_TRAP_OUT_OF_FUEL);
  CHECK(wasmlab_store_fuel_consumed(s) >= 10000);
  wasm_trap_delete(t);
  wasm_extern_vec_delete(&x);
  wasm_instance_delete(inst);
  wasm_func_delete(imports[0]);
  wasm_func_delete(imports[1]);
  wasm_module_delete(m);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, "capi_refs.wasm");
  wasm_functype_t *ft = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_functype_t *et = wasm_functype_new_1_1(wasm_valtype_new_externref(), wasm_valtype_new_externref());
  wasm_func_t *fs[] = {wasm_func_new_with_env(store, ft, fail, store, NULL),
                       wasm_func_new(store, et, echo)};
  wasm_functype_delete(ft);
  wasm_functype_delete(et);
  wasm_extern_t *externs[] = {wasm_func_as_extern(fs[0]), wasm_func_as_extern(fs[1])};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_extern_vec_t too_few = {1, externs};
  wasm_trap_t *link = NULL;
  CHECK(wasm_instance_new(store, module, &too_few, &link) == NULL && link != NULL);
  wasm_trap_delete(link);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(fs[0]);
  wasm_func_delete(fs[1]);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);

  check_traps(&exports);
  check_externrefs(store, &exports);
  check_start_trap(store);
  wasm_extern_vec_delete(&exports);
  wasm_store_delete(store);
  check_lifecycle(engine);
  check_fuel();
  wasm_engine_delete(engine);
  return check_summary();
}
