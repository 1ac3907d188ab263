/* wasmlab_wasm.h's WASI: arguments and stdout given to the guest, the module's WASI imports
 * handed out as externs beside a host import, and proc_exit seen as a trap with its status.
 * Exits 0 when every check passes. */
#include <string.h>
#include <unistd.h>

#include "engine/include/wasmlab_wasm.h"
#include "harness/capi/capi_check.h"

static wasm_trap_t *status(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  (void)args;
  results->data[0] = (wasm_val_t)WASM_I32_VAL(3);
  return NULL;
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, "capi_wasi.wasm");
  wasm_extern_vec_t none;
  CHECK(!wasmlab_wasi_imports(store, module, &none));  /* no WASI yet */

  FILE *out = tmpfile();
  wasmlab_wasi_config_t *wasi = wasmlab_wasi_config_new();
  const char *argv[] = {"prog", "one", "two"};
  wasmlab_wasi_config_set_argv(wasi, 3, argv);
  const char *names[] = {"K"}, *values[] = {"V"};
  wasmlab_wasi_config_set_env(wasi, 1, names, values);
  wasmlab_wasi_config_set_stdio(wasi, 0, fileno(out), 2);
  CHECK(wasmlab_store_set_wasi(store, wasi));
  CHECK(!wasmlab_store_set_wasi(store, wasmlab_wasi_config_new()));  /* only once */

  wasm_extern_vec_t imports;
  CHECK(wasmlab_wasi_imports(store, module, &imports));
  CHECK(imports.size == 4 && imports.data[0] && imports.data[2] && imports.data[3] == NULL);
  wasm_functype_t *type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  imports.data[3] = wasm_func_as_extern(wasm_func_new(store, type, status));
  wasm_functype_delete(type);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_delete(&imports);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_vec_t empty = WASM_EMPTY_VEC;
  wasm_trap_t *trap = wasm_func_call(wasm_extern_as_func(exports.data[1]), &empty, &empty);
  int code = -1;
  CHECK(trap && wasmlab_trap_exit_status(trap, &code) && code == 3);
  wasm_trap_delete(trap);

  char buf[16] = {0};
  rewind(out);
  CHECK(fread(buf, 1, sizeof buf - 1, out) == 5 && strcmp(buf, "3 hi\n") == 0);
  fclose(out);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_summary();
}
