/* The `spectest` host module every spec script may import from (see the spec's test/core
 * README): print functions that print nothing, four immutable globals, a table and a memory. */
#include "spectest/spectest.h"

static wl_error *print_nothing(void *user_data, wl_caller *caller, const wl_val *args,
                               wl_val *results) {
  (void)user_data, (void)caller, (void)args, (void)results;
  return NULL;  /* output would only slow the run down and clutter the report */
}

#define SIG(params) {params, sizeof params / sizeof params[0], NULL, 0}

static const wl_valkind p_i32[] = {WL_I32}, p_i64[] = {WL_I64}, p_f32[] = {WL_F32},
                        p_f64[] = {WL_F64}, p_i32_f32[] = {WL_I32, WL_F32},
                        p_f64_f64[] = {WL_F64, WL_F64};

static const wl_host_func_def print_functions[] = {
    {"print", {NULL, 0, NULL, 0}, print_nothing, 1},
    {"print_i32", SIG(p_i32), print_nothing, 1},
    {"print_i64", SIG(p_i64), print_nothing, 1},
    {"print_f32", SIG(p_f32), print_nothing, 1},
    {"print_f64", SIG(p_f64), print_nothing, 1},
    {"print_i32_f32", SIG(p_i32_f32), print_nothing, 1},
    {"print_f64_f64", SIG(p_f64_f64), print_nothing, 1},
};

static wl_error *define_global(wl_linker *linker, wl_store *store, const char *name, wl_val v) {
  wl_global *g;
  wl_error *e = wl_global_new(store, (wl_valkind)v.kind, false, v, &g);
  if (e) return e;
  wl_extern ext = {.kind = WL_EXTERN_GLOBAL, .of.global = g};
  return wl_linker_define(linker, "spectest", name, ext);
}

static wl_error *define_globals(wl_linker *linker, wl_store *store) {
  wl_error *e = define_global(linker, store, "global_i32", wl_val_i32(666));
  if (!e) e = define_global(linker, store, "global_i64", wl_val_i64(666));
  if (!e) e = define_global(linker, store, "global_f32", wl_val_f32(666.6f));
  if (!e) e = define_global(linker, store, "global_f64", wl_val_f64(666.6));
  return e;
}

static wl_error *define_table_and_memory(wl_linker *linker, wl_store *store) {
  wl_table *table;
  wl_memory *memory;
  wl_error *e = wl_table_new(store, WL_FUNCREF, 10, 20, true, wl_val_null(WL_FUNCREF), &table);
  if (!e) e = wl_linker_define(linker, "spectest", "table",
                               (wl_extern){.kind = WL_EXTERN_TABLE, .of.table = table});
  if (!e) e = wl_memory_new(store, 1, 2, true, &memory);
  if (!e) e = wl_linker_define(linker, "spectest", "memory",
                               (wl_extern){.kind = WL_EXTERN_MEMORY, .of.memory = memory});
  return e;
}

wl_error *st_define_spectest_module(wl_linker *linker, wl_store *store) {
  wl_error *e = wl_linker_define_host_module(
      linker, "spectest", print_functions, sizeof print_functions / sizeof print_functions[0],
      NULL);
  if (!e) e = define_globals(linker, store);
  if (!e) e = define_table_and_memory(linker, store);
  return e;
}
