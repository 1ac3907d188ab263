/* wasm.h: globals (const and var, imported and exported, set from the API and from wasm),
 * tables (get/set/grow, a host function in a table, call_indirect traps, a stand-alone
 * table), memories (data, grow, bounds traps, a stand-alone memory) and handle identity.
 * Exits 0 when every check passes. */
#include "harness/capi/capi_check.h"

/* Export order: the text format lists them as they are declared. */
enum { VAR_I32, TABLE, MEMORY, GET_CI, GET_VF, SET_VF, GET_VE, CALL_AT, INC, LOAD8, STORE8 };

static wasm_func_t *func(const wasm_extern_vec_t *x, size_t i) {
  return wasm_extern_as_func(export_at(x, i));
}

/* Calls f with `n` arguments and room for one result when `result` is set. */
static wasm_trap_t *call(const wasm_func_t *f, size_t n, wasm_val_t *args, wasm_val_t *result) {
  wasm_val_vec_t a = {n, args};
  wasm_val_vec_t r = {result ? 1 : 0, result};
  return wasm_func_call(f, &a, &r);
}

static int32_t call_i32(const wasm_func_t *f, int32_t a, int32_t b, size_t n, bool *trapped) {
  wasm_val_t args[] = {WASM_I32_VAL(a), WASM_I32_VAL(b)};
  wasm_val_t r = WASM_INIT_VAL;
  wasm_trap_t *t = call(f, n, args, wasm_func_result_arity(f) ? &r : NULL);
  *trapped = t != NULL;
  wasm_trap_delete(t);
  return r.of.i32;
}

static wasm_trap_t *negate(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  results->data[0] = (wasm_val_t)WASM_I32_VAL(-args->data[0].of.i32);
  return NULL;
}

static void check_globals(const wasm_extern_vec_t *x, wasm_global_t *ci, wasm_global_t *vf) {
  wasm_val_t v;
  call(func(x, GET_CI), 0, NULL, &v);
  CHECK(v.kind == WASM_I64 && v.of.i64 == -5);
  wasm_val_t f = WASM_F32_VAL(2.5f);
  wasm_global_set(vf, &f);
  call(func(x, GET_VF), 0, NULL, &v);
  CHECK(v.of.f32 == 2.5f);
  wasm_val_t f2 = WASM_F32_VAL(-1.0f);
  CHECK(call(func(x, SET_VF), 1, &f2, NULL) == NULL);
  wasm_global_get(vf, &v);
  CHECK(v.kind == WASM_F32 && v.of.f32 == -1.0f);

  wasm_global_t *ve = wasm_extern_as_global(export_at(x, VAR_I32));
  wasm_val_t seven;
  wasm_global_get(ve, &seven);
  CHECK(seven.of.i32 == 7);
  wasm_val_t nine = WASM_I32_VAL(9);
  wasm_global_set(ve, &nine);
  call(func(x, GET_VE), 0, NULL, &v);
  CHECK(v.of.i32 == 9);
  /* A constant global keeps its value; a value of the wrong type is refused. */
  wasm_val_t other = WASM_I64_VAL(1);
  wasm_global_set(ci, &other);
  wasm_global_set(ve, &other);
  wasm_global_get(ci, &v);
  CHECK(v.of.i64 == -5);
  call(func(x, GET_VE), 0, NULL, &v);
  CHECK(v.of.i32 == 9);
  wasm_globaltype_t *gt = wasm_global_type(ve);
  CHECK(wasm_globaltype_mutability(gt) == WASM_VAR);
  wasm_globaltype_delete(gt);
  wasm_global_t *copy = wasm_global_copy(ve);
  CHECK(wasm_global_same(copy, ve) && !wasm_global_same(copy, vf));
  wasm_global_delete(copy);
}

static void check_tables(wasm_store_t *store, const wasm_extern_vec_t *x) {
  wasm_table_t *t = wasm_extern_as_table(export_at(x, TABLE));
  const wasm_func_t *at = func(x, CALL_AT);
  bool trapped;
  CHECK(wasm_table_size(t) == 3);
  CHECK(call_i32(at, 41, 1, 2, &trapped) == 42 && !trapped);
  call_i32(at, 0, 0, 2, &trapped);
  CHECK(trapped);  /* null element */
  call_i32(at, 0, 3, 2, &trapped);
  CHECK(trapped);  /* past the end */

  wasm_functype_t *ty = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t *neg = wasm_func_new(store, ty, negate);
  wasm_functype_delete(ty);
  CHECK(wasm_table_set(t, 0, wasm_func_as_ref(neg)));
  CHECK(call_i32(at, 5, 0, 2, &trapped) == -5 && !trapped);
  CHECK(!wasm_table_set(t, 3, NULL));
  wasm_ref_t *r = wasm_table_get(t, 1);
  CHECK(r && wasm_ref_as_func(r) && wasm_func_same(wasm_ref_as_func(r), func(x, INC)));
  wasm_ref_delete(r);
  CHECK(wasm_table_get(t, 2) == NULL && wasm_table_get(t, 99) == NULL);
  CHECK(wasm_table_grow(t, 2, wasm_func_as_ref(neg)));
  CHECK(wasm_table_size(t) == 5);
  CHECK(call_i32(at, 8, 4, 2, &trapped) == -8 && !trapped);
  CHECK(!wasm_table_grow(t, 2, NULL));  /* maximum 6 */
  CHECK(wasm_table_grow(t, 0, NULL));
  wasm_func_delete(neg);

  wasm_limits_t limits = {2, 2};
  wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_table_t *alone = wasm_table_new(store, tt, NULL);
  CHECK(alone && wasm_table_size(alone) == 2 && !wasm_table_grow(alone, 1, NULL));
  wasm_tabletype_t *back = wasm_table_type(alone);
  CHECK(wasm_tabletype_limits(back)->max == 2);
  wasm_tabletype_delete(back);
  wasm_tabletype_delete(tt);
  wasm_table_delete(alone);
}

static void check_memories(wasm_store_t *store, const wasm_extern_vec_t *x) {
  wasm_memory_t *m = wasm_extern_as_memory(export_at(x, MEMORY));
  bool trapped;
  CHECK(wasm_memory_size(m) == 1 && wasm_memory_data_size(m) == 0x10000);
  CHECK(wasm_memory_data(m)[16] == 0x2a);
  CHECK(call_i32(func(x, LOAD8), 17, 0, 1, &trapped) == 0x2b);
  wasm_memory_data(m)[100] = 7;
  CHECK(call_i32(func(x, LOAD8), 100, 0, 1, &trapped) == 7);
  call_i32(func(x, STORE8), 200, 9, 2, &trapped);
  CHECK(!trapped && wasm_memory_data(m)[200] == 9);
  call_i32(func(x, LOAD8), 0x10000, 0, 1, &trapped);
  CHECK(trapped);
  CHECK(wasm_memory_grow(m, 1) && wasm_memory_size(m) == 2);
  call_i32(func(x, LOAD8), 0x10000, 0, 1, &trapped);
  CHECK(!trapped);
  CHECK(!wasm_memory_grow(m, 1) && wasm_memory_grow(m, 0));

  wasm_limits_t limits = {3, wasm_limits_max_default};
  wasm_memorytype_t *mt = wasm_memorytype_new(&limits);
  wasm_memory_t *alone = wasm_memory_new(store, mt);
  CHECK(alone && wasm_memory_size(alone) == 3 && wasm_memory_grow(alone, 1));
  wasm_memorytype_t *back = wasm_memory_type(alone);
  CHECK(wasm_memorytype_limits(back)->min == 4);
  CHECK(wasm_memorytype_limits(back)->max == wasm_limits_max_default);
  wasm_memorytype_delete(back);
  wasm_memorytype_delete(mt);
  wasm_memory_delete(alone);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, "capi_objects.wasm");
  wasm_globaltype_t *ct = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_CONST);
  wasm_globaltype_t *vt = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_VAR);
  wasm_val_t c = WASM_I64_VAL(-5), f = WASM_F32_VAL(0);
  wasm_global_t *ci = wasm_global_new(store, ct, &c);
  wasm_global_t *vf = wasm_global_new(store, vt, &f);
  wasm_val_t wrong = WASM_I32_VAL(1);
  CHECK(wasm_global_new(store, ct, &wrong) == NULL);
  wasm_globaltype_delete(ct);
  wasm_globaltype_delete(vt);
  wasm_extern_t *externs[] = {wasm_global_as_extern(ci), wasm_global_as_extern(vf)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_module_delete(module);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 11);

  check_globals(&exports, ci, vf);
  check_tables(store, &exports);
  check_memories(store, &exports);

  wasm_global_delete(ci);
  wasm_global_delete(vf);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_summary();
}
