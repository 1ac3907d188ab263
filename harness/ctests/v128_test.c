/* v128 through the public API on every backend the build has: v128 arguments and results
 * mixed with scalars (two io slots each), a host function taking and returning a v128, and a
 * mutable v128 global read and written from wasm and from the API.
 * Prints "N passed, M failed"; exits non-zero on a failure. */
#include <stdio.h>
#include <string.h>

#include "engine/include/wasmlab.h"
#include "harness/ctests/check.h"

/* (module
 *   (import "host" "xor0" (func $xor0 (param i32 v128) (result v128)))
 *   (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
 *   (func (export "swap") (param v128 i32 v128) (result v128 i32 v128)
 *     (local.get 2) (local.get 1) (local.get 0))
 *   (func (export "via_host") (param i32 v128) (result v128)
 *     (call $xor0 (local.get 0) (local.get 1)))
 *   (func (export "bump") (result v128)
 *     (global.set $g (i32x4.add (global.get $g) (v128.const i32x4 10 20 30 40)))
 *     (global.get $g))) */
static const uint8_t v128_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x14, 0x03, 0x60,
  0x02, 0x7f, 0x7b, 0x01, 0x7b, 0x60, 0x03, 0x7b, 0x7f, 0x7b, 0x03, 0x7b,
  0x7f, 0x7b, 0x60, 0x00, 0x01, 0x7b, 0x02, 0x0d, 0x01, 0x04, 0x68, 0x6f,
  0x73, 0x74, 0x04, 0x78, 0x6f, 0x72, 0x30, 0x00, 0x00, 0x03, 0x04, 0x03,
  0x01, 0x00, 0x02, 0x06, 0x16, 0x01, 0x7b, 0x01, 0xfd, 0x0c, 0x01, 0x00,
  0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00,
  0x00, 0x00, 0x0b, 0x07, 0x1e, 0x04, 0x01, 0x67, 0x03, 0x00, 0x04, 0x73,
  0x77, 0x61, 0x70, 0x00, 0x01, 0x08, 0x76, 0x69, 0x61, 0x5f, 0x68, 0x6f,
  0x73, 0x74, 0x00, 0x02, 0x04, 0x62, 0x75, 0x6d, 0x70, 0x00, 0x03, 0x0a,
  0x31, 0x03, 0x08, 0x00, 0x20, 0x02, 0x20, 0x01, 0x20, 0x00, 0x0b, 0x08,
  0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x00, 0x0b, 0x1d, 0x00, 0x23, 0x00,
  0xfd, 0x0c, 0x0a, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x1e, 0x00,
  0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0xfd, 0xae, 0x01, 0x24, 0x00, 0x23,
  0x00, 0x0b
};

static wl_val lanes32(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  uint32_t l[4] = {a, b, c, d};
  uint8_t bytes[16];
  memcpy(bytes, l, 16);
  return wl_val_v128(bytes);
}

static uint32_t lane32(const wl_val *v, int i) {
  uint32_t x;
  memcpy(&x, v->of.v128 + 4 * i, 4);
  return x;
}

/* xor0(i, v): v with i xor'ed into lane 0. */
static wl_error *host_xor0(void *data, wl_caller *c, const wl_val *args, wl_val *results) {
  (void)data, (void)c;
  results[0] = args[1];
  uint32_t x = lane32(&args[1], 0) ^ (uint32_t)args[0].of.i32;
  memcpy(results[0].of.v128, &x, 4);
  return NULL;
}

static wl_func *export_func(wl_instance *inst, const char *name) {
  wl_extern e;
  return wl_instance_export(inst, name, &e) && e.kind == WL_EXTERN_FUNC ? e.of.func : NULL;
}

static void run_on(wl_backend_kind backend) {
  wl_config *cfg = wl_config_new();
  CHECK(wl_config_set_backend(cfg, backend) == NULL);
  wl_engine *engine = NULL;
  CHECK(wl_engine_new(cfg, &engine) == NULL && engine);
  wl_config_delete(cfg);
  if (!engine) return;
  wl_store *s = wl_store_new(engine);
  wl_module *m = NULL;
  wl_error *e = wl_module_new(engine, v128_wasm, sizeof v128_wasm, &m);
  CHECK(e == NULL);
  if (e) {
    fprintf(stderr, "%s: %s\n", wl_backend_name(backend), wl_error_message(e));
    wl_error_delete(e);
    goto done;
  }
  wl_valkind params[2] = {WL_I32, WL_V128}, results[1] = {WL_V128};
  wl_signature sig = {params, 2, results, 1};
  wl_extern imp = {.kind = WL_EXTERN_FUNC,
                   .of.func = wl_func_new_host(s, sig, host_xor0, NULL, NULL, 0)};
  wl_instance *inst = NULL;
  CHECK(wl_instance_new(s, m, &imp, 1, &inst) == NULL && inst);
  if (!inst) goto done;

  wl_val args[3] = {lanes32(1, 2, 3, 4), wl_val_i32(-7), lanes32(5, 6, 7, 8)}, res[3];
  CHECK(wl_func_call(s, export_func(inst, "swap"), args, 3, res, 3) == NULL);
  CHECK(res[0].kind == WL_V128 && lane32(&res[0], 0) == 5 && lane32(&res[0], 3) == 8);
  CHECK(res[1].kind == WL_I32 && res[1].of.i32 == -7);
  CHECK(res[2].kind == WL_V128 && lane32(&res[2], 1) == 2 && lane32(&res[2], 3) == 4);

  wl_val hargs[2] = {wl_val_i32(0xff), lanes32(0x100, 9, 10, 11)};
  CHECK(wl_func_call(s, export_func(inst, "via_host"), hargs, 2, res, 1) == NULL);
  CHECK(lane32(&res[0], 0) == 0x1ff && lane32(&res[0], 3) == 11);

  CHECK(wl_func_call(s, export_func(inst, "bump"), NULL, 0, res, 1) == NULL);
  CHECK(lane32(&res[0], 0) == 11 && lane32(&res[0], 3) == 44);
  wl_extern g;
  CHECK(wl_instance_export(inst, "g", &g) && g.kind == WL_EXTERN_GLOBAL);
  wl_val gv = wl_global_get(g.of.global);
  CHECK(gv.kind == WL_V128 && lane32(&gv, 1) == 22);
  CHECK(wl_global_set(g.of.global, lanes32(100, 200, 300, 400)) == NULL);
  CHECK(wl_func_call(s, export_func(inst, "bump"), NULL, 0, res, 1) == NULL);
  CHECK(lane32(&res[0], 0) == 110 && lane32(&res[0], 2) == 330);
done:
  wl_module_delete(m);
  wl_store_delete(s);
  wl_engine_delete(engine);
}

int main(void) {
  const wl_backend_kind backends[] = {WL_BACKEND_INTERP, WL_BACKEND_JIT, WL_BACKEND_AOT};
  for (size_t i = 0; i < sizeof backends / sizeof *backends; i++)
    if (wl_backend_available(backends[i])) run_on(backends[i]);
  return check_summary();
}
