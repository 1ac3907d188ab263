/* libFuzzer target: decode, validate, compile for the interpreter, instantiate (imports from
 * the spec suites' `spectest` module) and call every exported function with zero arguments,
 * under a fuel limit so every input finishes quickly. Traps are fine; crashes, sanitizer
 * reports and leaks are not. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine/include/wasmlab.h"
#include "spectest/spectest.h"

#define FUEL 20000       /* per call: bounds the time of one input */
#define MAX_DEPTH 500    /* ASan frames are large */
#define MAX_VALUES 64

static wl_engine *make_engine(void) {
  wl_config *c = wl_config_new();
  wl_config_set_fuel(c, FUEL);
  wl_config_set_max_call_depth(c, MAX_DEPTH);
  wl_engine *engine = NULL;
  wl_error *e = wl_engine_new(c, &engine);
  wl_config_delete(c);
  if (e) __builtin_trap();
  return engine;
}

static wl_val zero_of(wl_valkind k) {
  switch (k) {
    case WL_I32: return wl_val_i32(0);
    case WL_I64: return wl_val_i64(0);
    case WL_F32: return wl_val_f32(0);
    case WL_F64: return wl_val_f64(0);
    default: return wl_val_null(k);
  }
}

static void call_with_zeros(wl_store *store, wl_func *f) {
  size_t np = wl_func_param_count(f), nr = wl_func_result_count(f);
  if (np > MAX_VALUES || nr > MAX_VALUES) return;
  wl_val args[MAX_VALUES], results[MAX_VALUES];
  for (size_t i = 0; i < np; i++) args[i] = zero_of(wl_func_param(f, i));
  wl_error_delete(wl_func_call(store, f, args, np, results, nr));
}

static void run_exports(wl_store *store, wl_instance *inst) {
  for (size_t i = 0; i < wl_instance_export_count(inst); i++) {
    wl_extern ext;
    const char *name = wl_instance_export_name(inst, i);
    if (wl_instance_export(inst, name, &ext) && ext.kind == WL_EXTERN_FUNC)
      call_with_zeros(store, ext.of.func);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static wl_engine *engine;
  if (!engine) engine = make_engine();
  wl_module *m = NULL;
  wl_error *e = wl_module_new(engine, data, size, &m);
  if (e) {
    wl_error_delete(e);
    return 0;
  }
  wl_store *store = wl_store_new(engine);
  wl_linker *linker = wl_linker_new(store);
  wl_instance *inst = NULL;
  e = st_define_spectest_module(linker, store);
  if (!e) e = wl_linker_instantiate(linker, m, &inst);
  if (!e) run_exports(store, inst);
  wl_error_delete(e);
  wl_linker_delete(linker);
  wl_store_delete(store);
  wl_module_delete(m);
  return 0;
}
