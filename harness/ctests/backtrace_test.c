/* Trap backtraces through the API on every backend: a trap in another instance (a's import
 * is b's export) and one returned by a host function that called back into wasm give the
 * frames of both instances, innermost first, with the import each outer frame calls. */
#include <stdio.h>
#include <string.h>

#include "harness/ctests/backends.h"
#include "harness/ctests/check.h"

/* b.wat: (module $b (func $boom (export "boom") (param i32) (result i32)
 *          (i32.div_u (i32.const 1) (local.get 0))))
 * a.wat: (module $a (import "b" "boom" (func $boom (param i32) (result i32)))
 *          (import "host" "fail" (func $fail (param i32) (result i32)))
 *          (func $via_b (export "via_b") (param i32) (result i32) (call $boom (local.get 0)))
 *          (func $via_host (export "via_host") (param i32) (result i32) (call $fail (local.get 0))))
 * both with wat2wasm --debug-names; b's i32.div_u is at 0x27, a's calls at 0x4a and 0x51. */
static const uint8_t a_wasm[] = { 0x0, 0x61, 0x73, 0x6d, 0x1, 0x0, 0x0, 0x0, 0x1, 0x6, 0x1, 0x60, 0x1, 0x7f, 0x1, 0x7f, 0x2, 0x16, 0x2, 0x1, 0x62, 0x4, 0x62, 0x6f, 0x6f, 0x6d, 0x0, 0x0, 0x4, 0x68, 0x6f, 0x73, 0x74, 0x4, 0x66, 0x61, 0x69, 0x6c, 0x0, 0x0, 0x3, 0x3, 0x2, 0x0, 0x0, 0x7, 0x14, 0x2, 0x5, 0x76, 0x69, 0x61, 0x5f, 0x62, 0x0, 0x2, 0x8, 0x76, 0x69, 0x61, 0x5f, 0x68, 0x6f, 0x73, 0x74, 0x0, 0x3, 0xa, 0xf, 0x2, 0x6, 0x0, 0x20, 0x0, 0x10, 0x0, 0xb, 0x6, 0x0, 0x20, 0x0, 0x10, 0x1, 0xb, 0x0, 0x34, 0x4, 0x6e, 0x61, 0x6d, 0x65, 0x0, 0x2, 0x1, 0x61, 0x1, 0x1e, 0x4, 0x0, 0x4, 0x62, 0x6f, 0x6f, 0x6d, 0x1, 0x4, 0x66, 0x61, 0x69, 0x6c, 0x2, 0x5, 0x76, 0x69, 0x61, 0x5f, 0x62, 0x3, 0x8, 0x76, 0x69, 0x61, 0x5f, 0x68, 0x6f, 0x73, 0x74, 0x2, 0x9, 0x4, 0x0, 0x0, 0x1, 0x0, 0x2, 0x0, 0x3, 0x0 };
static const uint8_t b_wasm[] = { 0x0, 0x61, 0x73, 0x6d, 0x1, 0x0, 0x0, 0x0, 0x1, 0x6, 0x1, 0x60, 0x1, 0x7f, 0x1, 0x7f, 0x3, 0x2, 0x1, 0x0, 0x7, 0x8, 0x1, 0x4, 0x62, 0x6f, 0x6f, 0x6d, 0x0, 0x0, 0xa, 0x9, 0x1, 0x7, 0x0, 0x41, 0x1, 0x20, 0x0, 0x6e, 0xb, 0x0, 0x17, 0x4, 0x6e, 0x61, 0x6d, 0x65, 0x0, 0x2, 0x1, 0x62, 0x1, 0x7, 0x1, 0x0, 0x4, 0x62, 0x6f, 0x6f, 0x6d, 0x2, 0x3, 0x1, 0x0, 0x0 };

static wl_store *store;
static wl_func *boom;

/* host.fail: calls b's boom with its argument and returns whatever that gave (a trap). */
static wl_error *fail(void *data, wl_caller *caller, const wl_val *args, wl_val *results) {
  (void)data, (void)caller;
  return wl_func_call(store, boom, args, 1, results, 1);
}

static const wl_valkind one_i32[] = {WL_I32};
static const wl_host_func_def host_defs[] = {{"fail", {one_i32, 1, one_i32, 1}, fail, 1}};

static void check_frame(const wl_error *e, size_t i, uint32_t func, uint32_t offset,
                        const char *name, const char *module, const char *import) {
  const wl_trace_frame *f = wl_error_frame(e, i);
  CHECK(f != NULL);
  if (!f) return;
  CHECK(f->func_index == func && f->module_offset == offset);
  CHECK(f->func_name && !strcmp(f->func_name, name));
  CHECK(f->module_name && !strcmp(f->module_name, module));
  CHECK(import ? f->calls_import && !strcmp(f->calls_import, import) : !f->calls_import);
}

static wl_error *call(wl_instance *inst, const char *name) {
  wl_extern x;
  CHECK(wl_instance_export(inst, name, &x) && x.kind == WL_EXTERN_FUNC);
  wl_val arg = wl_val_i32(0), result = wl_val_i32(0);
  return wl_func_call(store, x.of.func, &arg, 1, &result, 1);
}

static void test(wl_backend_kind backend) {
  wl_config *cfg = wl_config_new();
  CHECK(!wl_config_set_backend(cfg, backend));
  wl_engine *engine = NULL;
  CHECK(!wl_engine_new(cfg, &engine));
  wl_config_delete(cfg);
  store = wl_store_new(engine);
  wl_module *ma = NULL, *mb = NULL;
  CHECK(!wl_module_new(engine, a_wasm, sizeof a_wasm, &ma));
  CHECK(!wl_module_new(engine, b_wasm, sizeof b_wasm, &mb));
  wl_linker *l = wl_linker_new(store);
  wl_instance *ib = NULL, *ia = NULL;
  CHECK(!wl_linker_instantiate(l, mb, &ib));
  CHECK(!wl_linker_define_instance(l, "b", ib));
  CHECK(!wl_linker_define_host_module(l, "host", host_defs, 1, NULL));
  CHECK(!wl_linker_instantiate(l, ma, &ia));
  wl_extern x;
  CHECK(wl_instance_export(ib, "boom", &x));
  boom = x.of.func;

  wl_error *e = call(ia, "via_b");
  CHECK(e && wl_error_trap_kind(e) == WL_TRAP_DIV_BY_ZERO && wl_error_frame_count(e) == 2);
  check_frame(e, 0, 0, 0x27, "boom", "b", NULL);
  check_frame(e, 1, 2, 0x4a, "via_b", "a", "b.boom");
  char text[512];
  wl_backtrace_format(e, WL_BACKTRACE_FULL, text, sizeof text);
  CHECK(strstr(text, "    1:   0x4a - a!via_b  (func 2, +0x2, calls import b.boom)\n") != NULL);
  wl_error_delete(e);

  e = call(ia, "via_host");  /* the host function's nested call trapped */
  CHECK(e && wl_error_trap_kind(e) == WL_TRAP_DIV_BY_ZERO && wl_error_frame_count(e) == 2);
  check_frame(e, 0, 0, 0x27, "boom", "b", NULL);
  check_frame(e, 1, 3, 0x51, "via_host", "a", "host.fail");
  wl_error_delete(e);

  CHECK(wl_backtrace_format(NULL, WL_BACKTRACE_SHORT, text, sizeof text) == 0);
  wl_linker_delete(l);
  wl_module_delete(ma);
  wl_module_delete(mb);
  wl_store_delete(store);
  wl_engine_delete(engine);
  printf("%s: backtraces checked\n", wl_backend_name(backend));
}

int main(void) {
  run_on_every_backend(test);
  return check_summary();
}
