/* wasm.h: host functions with and without environment and their finalizer, multi-value calls
 * both ways, module and instance reflection (import/export types, current extern types),
 * validation, serialization, and the config extensions. Exits 0 when every check passes. */
#include <string.h>

#include "engine/include/wasmlab_wasm.h"
#include "harness/capi/capi_check.h"

static int hellos, finalized;

static wasm_trap_t *hello(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  (void)results;
  CHECK(args->size == 0);
  hellos++;
  return NULL;
}

static wasm_trap_t *scaled(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 * *(int *)env;
  return NULL;
}

static void count_finalize(void *env) {
  CHECK(*(int *)env == 10);
  finalized++;
}

/* Reverses the four values: (i32 i64 f32 f64) -> (f64 f32 i64 i32). */
static wasm_trap_t *swap(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  for (size_t i = 0; i < 4; i++) wasm_val_copy(&results->data[i], &args->data[3 - i]);
  return NULL;
}

static wasm_func_t *make_swap(wasm_store_t *store) {
  wasm_valtype_t *ps[] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_f32(),
                          wasm_valtype_new_f64()};
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new(&params, 4, ps);
  wasm_valtype_vec_new_uninitialized(&results, 4);
  for (size_t i = 0; i < 4; i++) results.data[i] = wasm_valtype_copy(params.data[3 - i]);
  wasm_functype_t *type = wasm_functype_new(&params, &results);
  wasm_func_t *f = wasm_func_new(store, type, swap);
  wasm_functype_delete(type);
  return f;
}

static void check_reflection(const wasm_module_t *module, const wasm_extern_vec_t *exports) {
  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  CHECK(imports.size == 3);
  const wasm_name_t *m = wasm_importtype_module(imports.data[1]);
  const wasm_name_t *n = wasm_importtype_name(imports.data[1]);
  CHECK(m->size == 4 && memcmp(m->data, "host", 4) == 0);
  CHECK(n->size == 6 && memcmp(n->data, "scaled", 6) == 0);
  const wasm_functype_t *ft = wasm_externtype_as_functype_const(wasm_importtype_type(imports.data[2]));
  CHECK(ft && wasm_functype_params(ft)->size == 4 && wasm_functype_results(ft)->size == 4);
  CHECK(wasm_valtype_kind(wasm_functype_results(ft)->data[0]) == WASM_F64);
  wasm_importtype_vec_delete(&imports);

  wasm_exporttype_vec_t types;
  wasm_module_exports(module, &types);
  CHECK(types.size == 7 && exports->size == 7);
  const wasm_globaltype_t *gt = wasm_externtype_as_globaltype_const(wasm_exporttype_type(types.data[2]));
  CHECK(gt && wasm_globaltype_mutability(gt) == WASM_VAR);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(gt)) == WASM_F64);
  const wasm_tabletype_t *tt = wasm_externtype_as_tabletype_const(wasm_exporttype_type(types.data[3]));
  CHECK(tt && wasm_tabletype_limits(tt)->min == 2 && wasm_tabletype_limits(tt)->max == 7);
  CHECK(wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_FUNCREF);
  const wasm_memorytype_t *mt = wasm_externtype_as_memorytype_const(wasm_exporttype_type(types.data[4]));
  CHECK(mt && wasm_memorytype_limits(mt)->min == 1 && wasm_memorytype_limits(mt)->max == 3);
  CHECK(wasm_externtype_as_functype_const(wasm_exporttype_type(types.data[4])) == NULL);
  const wasm_name_t *nul = wasm_exporttype_name(types.data[5]);
  CHECK(nul->size == 3 && memcmp(nul->data, "n\0x", 3) == 0);
  CHECK(wasm_exporttype_name(types.data[6])->size == 1);
  for (size_t i = 0; i < types.size; i++)
    CHECK(wasm_extern_kind(exports->data[i]) == wasm_externtype_kind(wasm_exporttype_type(types.data[i])));
  wasm_exporttype_vec_t copy;
  wasm_exporttype_vec_copy(&copy, &types);
  CHECK(copy.size == 7 && wasm_exporttype_name(copy.data[0])->size == 3);
  wasm_exporttype_vec_delete(&copy);
  wasm_exporttype_vec_delete(&types);

  /* The current type of a memory follows its size. */
  wasm_memory_t *mem = wasm_extern_as_memory(exports->data[4]);
  CHECK(wasm_memory_grow(mem, 1));
  wasm_externtype_t *now = wasm_extern_type(exports->data[4]);
  CHECK(wasm_memorytype_limits(wasm_externtype_as_memorytype(now))->min == 2);
  wasm_externtype_delete(now);
  wasm_func_t *run = wasm_extern_as_func(exports->data[0]);
  CHECK(wasm_func_param_arity(run) == 2 && wasm_func_result_arity(run) == 1);
}

static void check_calls(const wasm_extern_vec_t *exports) {
  const wasm_func_t *run = wasm_extern_as_func(exports->data[0]);
  wasm_val_t as[] = {WASM_I32_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t rs[] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(run, &args, &results) == NULL);
  CHECK(rs[0].kind == WASM_I32 && rs[0].of.i32 == 70 && hellos == 1);

  const wasm_func_t *swap2 = wasm_extern_as_func(exports->data[1]);
  wasm_val_t ms[] = {WASM_I32_VAL(1), WASM_I64_VAL(-2), WASM_F32_VAL(3.5f), WASM_F64_VAL(4.25)};
  wasm_val_t mr[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t margs = WASM_ARRAY_VEC(ms), mres = WASM_ARRAY_VEC(mr);
  CHECK(wasm_func_call(swap2, &margs, &mres) == NULL);
  CHECK(mr[0].of.i32 == 1 && mr[1].of.i64 == -2 && mr[2].of.f32 == 3.5f && mr[3].of.f64 == 4.25);
  CHECK(mr[3].kind == WASM_F64);

  /* Each of the exports "n\0x" and "n" is its own function. */
  for (int i = 0; i < 2; i++) {
    wasm_val_t one = WASM_INIT_VAL;
    wasm_val_vec_t none = WASM_EMPTY_VEC, res = {1, &one};
    CHECK(wasm_func_call(wasm_extern_as_func(exports->data[5 + i]), &none, &res) == NULL);
    CHECK(one.of.i32 == 1 + i);
  }
}

static void check_serialize(wasm_store_t *store, const wasm_module_t *module) {
  wasm_byte_vec_t bytes;
  wasm_module_serialize(module, &bytes);
  wasm_module_t *again = wasm_module_deserialize(store, &bytes);
  CHECK(again != NULL);
  wasm_exporttype_vec_t types;
  wasm_module_exports(again, &types);
  CHECK(types.size == 7);
  wasm_exporttype_vec_delete(&types);
  wasm_module_delete(again);
  bytes.data[0] ^= 1;  /* not a serialized module any more */
  CHECK(wasm_module_deserialize(store, &bytes) == NULL);
  wasm_byte_vec_delete(&bytes);

  wasm_byte_vec_t junk;
  wasm_name_new_from_string(&junk, "\0asm junk");
  CHECK(!wasm_module_validate(store, &junk));
  CHECK(wasm_module_new(store, &junk) == NULL);
  wasm_byte_vec_delete(&junk);
}

static void check_config(void) {
  wasm_config_t *c = wasm_config_new();
  CHECK(!wasmlab_config_backend_set(c, "no-such-backend"));
  CHECK(wasmlab_config_backend_set(c, "interp"));
  CHECK(!wasmlab_config_feature_set(c, "no-such-feature", true));
  CHECK(wasmlab_config_feature_set(c, "bulk-memory", false));
  wasmlab_config_fuel_set(c, 1000);
  wasmlab_config_max_call_depth_set(c, 500);
  wasm_engine_t *e = wasm_engine_new_with_config(c);
  CHECK(e != NULL);
  wasm_engine_delete(e);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, "capi_basics.wasm");

  wasm_functype_t *t00 = wasm_functype_new_0_0();
  wasm_functype_t *t11 = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  static int factor = 10;
  wasm_func_t *fs[] = {wasm_func_new(store, t00, hello),
                       wasm_func_new_with_env(store, t11, scaled, &factor, count_finalize),
                       make_swap(store)};
  wasm_functype_delete(t00);
  wasm_functype_delete(t11);
  wasm_extern_t *externs[] = {wasm_func_as_extern(fs[0]), wasm_func_as_extern(fs[1]),
                              wasm_func_as_extern(fs[2])};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  for (size_t i = 0; i < 3; i++) wasm_func_delete(fs[i]);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_instance_delete(instance);  /* the exports keep it alive */

  check_calls(&exports);
  check_reflection(module, &exports);
  check_serialize(store, module);
  check_config();
  wasm_extern_vec_delete(&exports);
  wasm_module_delete(module);
  CHECK(finalized == 0);
  wasm_store_delete(store);
  CHECK(finalized == 1);  /* the environment's finalizer ran with the store */
  wasm_engine_delete(engine);
  return check_summary();
}
