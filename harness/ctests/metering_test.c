/* Fuel metering gives the same accounting on every backend: the same module, function,
 * argument and fuel limit end the same way (value, or which trap) and use exactly the same
 * fuel (wl_store_fuel_used) on the interpreter and on AOT code. Every limit from 1 up to what
 * the longest case needs is tried, so each possible trap point is compared, with the default
 * cost table and with another one set through the C API; bulk instructions pay per item.
 * Also: metered, unmetered and differently costed AOT compiles of one module are separate
 * artifacts in the cache.
 * Prints "N passed, M failed"; exits non-zero on any failure (0 with a note without AOT). */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/include/wasmlab.h"
#include "harness/ctests/check.h"

/*
 * (module
 *   (type $t (func (param i32) (result i32)))
 *   (import "host" "tick" (func $tick (param i32) (result i32)))
 *   (memory 1)
 *   (table 2 funcref)
 *   (table $big 300 funcref)
 *   (elem (i32.const 0) $sq $tick)
 *   (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
 *   (func (export "count") (param i32) (result i32) (local i32)
 *     (block $done
 *       (loop $l
 *         (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
 *         (local.set 1 (i32.add (local.get 1) (i32.const 1)))
 *         (br $l)))
 *     (local.get 1))
 *   (func (export "branches") (param i32) (result i32) (local i32)
 *     (loop $l
 *       (if (i32.and (local.get 0) (i32.const 1))
 *         (then (local.set 1 (i32.add (local.get 1) (i32.const 3))))
 *         (else (local.set 1 (i32.sub (local.get 1) (i32.const 1)))))
 *       (if (i32.eqz (i32.rem_u (local.get 0) (i32.const 3)))
 *         (then (local.set 1 (i32.mul (local.get 1) (i32.const 2)))))
 *       (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
 *       (br_if $l (local.get 0)))
 *     (local.get 1))
 *   (func $pick (param i32) (result i32)
 *     block $z (result i32)
 *       block $y (result i32)
 *         block $x (result i32)
 *           i32.const 10
 *           local.get 0
 *           i32.const 3
 *           i32.rem_u
 *           br_table $x $y $z
 *           i32.const 5
 *           drop
 *         end
 *         i32.const 1
 *         i32.add
 *         br $z
 *         i32.const 99
 *         drop
 *       end
 *       i32.const 2
 *       i32.add
 *     end)
 *   (func (export "table") (param i32) (result i32) (local i32)
 *     (loop $l
 *       (local.set 1 (i32.add (local.get 1) (call $pick (local.get 0))))
 *       (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
 *     (local.get 1))
 *   (func $fib (export "fib") (param i32) (result i32)
 *     (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
 *       (then (return (local.get 0)))
 *       (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
 *                      (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
 *   (func (export "mem") (param i32) (result i32) (local i32)
 *     (block $out
 *       (loop $l
 *         (br_if $out (i32.eqz (local.get 0)))
 *         (i32.store (i32.shl (local.get 0) (i32.const 2)) (local.get 0))
 *         (local.set 1 (i32.add (local.get 1) (i32.load (i32.shl (local.get 0) (i32.const 2)))))
 *         (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
 *         (br $l)))
 *     (local.get 1))
 *   (func (export "indirect") (param i32) (result i32) (local i32)
 *     (loop $l
 *       (local.set 1 (i32.add (local.get 1)
 *         (call_indirect (type $t) (local.get 0) (i32.and (local.get 0) (i32.const 1)))))
 *       (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
 *     (local.get 1))
 *   (func (export "trap") (param i32) (result i32) (local i32)
 *     (loop $l
 *       (local.set 1 (i32.add (local.get 1) (i32.const 7)))
 *       (if (i32.eq (local.get 0) (i32.const 3)) (then (local.set 1 (i32.div_u (local.get 1) (i32.const 0)))))
 *       (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
 *     (local.get 1))
 *   (func (export "early") (param i32) (result i32)
 *     (block $b
 *       (loop $l
 *         (if (i32.gt_u (local.get 0) (i32.const 100)) (then (return (i32.const -1))))
 *         (br_if $b (i32.eqz (local.get 0)))
 *         (local.set 0 (i32.add (local.get 0) (i32.const 9)))
 *         (br $l))
 *       unreachable)
 *     (i32.const 0))
 *   (func (export "multi") (param i32) (result i32)
 *     i32.const 0
 *     local.get 0
 *     loop $l (param i32 i32) (result i32 i32)
 *       local.set 0
 *       local.get 0
 *       i32.add
 *       local.get 0
 *       i32.const 1
 *       i32.sub
 *       local.get 0
 *       i32.const 1
 *       i32.gt_u
 *       br_if $l
 *     end
 *     drop)
 *   (data $d "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789")
 *   (elem $e func $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq $sq)
 *   (func (export "bulk") (param i32) (result i32)
 *     (memory.fill (i32.const 1000) (i32.const 7) (local.get 0))
 *     (memory.copy (i32.const 2000) (i32.const 1000) (local.get 0))
 *     (memory.init $d (i32.const 3000) (i32.const 0) (local.get 0))
 *     (table.fill $big (i32.const 0) (ref.null func) (local.get 0))
 *     (table.copy $big $big (i32.const 100) (i32.const 0) (local.get 0))
 *     (table.init $big $e (i32.const 0) (i32.const 0) (local.get 0))
 *     (i32.add (i32.load8_u (i32.const 2000)) (i32.load8_u (i32.add (i32.const 2999) (local.get 0))))))
 */
static const uint8_t meter_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0d, 0x02, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x02, 0x7f, 0x7f, 0x02, 0x0d, 0x01, 0x04, 0x68,
    0x6f, 0x73, 0x74, 0x04, 0x74, 0x69, 0x63, 0x6b, 0x00, 0x00, 0x03, 0x0d, 0x0c, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02,
    0x70, 0x00, 0x02, 0x70, 0x00, 0xac, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x51,
    0x0a, 0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x02, 0x08, 0x62, 0x72, 0x61, 0x6e,
    0x63, 0x68, 0x65, 0x73, 0x00, 0x03, 0x05, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x00, 0x05,
    0x03, 0x66, 0x69, 0x62, 0x00, 0x06, 0x03, 0x6d, 0x65, 0x6d, 0x00, 0x07, 0x08, 0x69,
    0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x08, 0x04, 0x74, 0x72, 0x61, 0x70,
    0x00, 0x09, 0x05, 0x65, 0x61, 0x72, 0x6c, 0x79, 0x00, 0x0a, 0x05, 0x6d, 0x75, 0x6c,
    0x74, 0x69, 0x00, 0x0b, 0x04, 0x62, 0x75, 0x6c, 0x6b, 0x00, 0x0c, 0x09, 0x3d, 0x02,
    0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x00, 0x01, 0x00, 0x32, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x0c, 0x01, 0x01, 0x0a, 0xd4, 0x03, 0x0c, 0x07, 0x00, 0x20,
    0x00, 0x20, 0x00, 0x6c, 0x0b, 0x1c, 0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20,
    0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x0c,
    0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b, 0x3b, 0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x00,
    0x41, 0x01, 0x71, 0x04, 0x40, 0x20, 0x01, 0x41, 0x03, 0x6a, 0x21, 0x01, 0x05, 0x20,
    0x01, 0x41, 0x01, 0x6b, 0x21, 0x01, 0x0b, 0x20, 0x00, 0x41, 0x03, 0x70, 0x45, 0x04,
    0x40, 0x20, 0x01, 0x41, 0x02, 0x6c, 0x21, 0x01, 0x0b, 0x20, 0x00, 0x41, 0x01, 0x6b,
    0x21, 0x00, 0x20, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b, 0x26, 0x00, 0x02, 0x7f,
    0x02, 0x7f, 0x02, 0x7f, 0x41, 0x0a, 0x20, 0x00, 0x41, 0x03, 0x70, 0x0e, 0x02, 0x00,
    0x01, 0x02, 0x41, 0x05, 0x1a, 0x0b, 0x41, 0x01, 0x6a, 0x0c, 0x01, 0x41, 0xe3, 0x00,
    0x1a, 0x0b, 0x41, 0x02, 0x6a, 0x0b, 0x0b, 0x1b, 0x01, 0x01, 0x7f, 0x03, 0x40, 0x20,
    0x01, 0x20, 0x00, 0x10, 0x04, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x22,
    0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b, 0x1d, 0x00, 0x20, 0x00, 0x41, 0x02, 0x49,
    0x04, 0x7f, 0x20, 0x00, 0x0f, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x06, 0x20,
    0x00, 0x41, 0x02, 0x6b, 0x10, 0x06, 0x6a, 0x0b, 0x0b, 0x31, 0x01, 0x01, 0x7f, 0x02,
    0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x00, 0x41, 0x02, 0x74, 0x20,
    0x00, 0x36, 0x02, 0x00, 0x20, 0x01, 0x20, 0x00, 0x41, 0x02, 0x74, 0x28, 0x02, 0x00,
    0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b,
    0x20, 0x01, 0x0b, 0x21, 0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x01, 0x20, 0x00, 0x20,
    0x00, 0x41, 0x01, 0x71, 0x11, 0x00, 0x00, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01,
    0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b, 0x28, 0x01, 0x01, 0x7f, 0x03,
    0x40, 0x20, 0x01, 0x41, 0x07, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x03, 0x46, 0x04,
    0x40, 0x20, 0x01, 0x41, 0x00, 0x6e, 0x21, 0x01, 0x0b, 0x20, 0x00, 0x41, 0x01, 0x6b,
    0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b, 0x25, 0x00, 0x02, 0x40, 0x03, 0x40,
    0x20, 0x00, 0x41, 0xe4, 0x00, 0x4b, 0x04, 0x40, 0x41, 0x7f, 0x0f, 0x0b, 0x20, 0x00,
    0x45, 0x0d, 0x01, 0x20, 0x00, 0x41, 0x09, 0x6a, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x00,
    0x0b, 0x41, 0x00, 0x0b, 0x1b, 0x00, 0x41, 0x00, 0x20, 0x00, 0x03, 0x01, 0x21, 0x00,
    0x20, 0x00, 0x6a, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x20, 0x00, 0x41, 0x01, 0x4b, 0x0d,
    0x00, 0x0b, 0x1a, 0x0b, 0x51, 0x00, 0x41, 0xe8, 0x07, 0x41, 0x07, 0x20, 0x00, 0xfc,
    0x0b, 0x00, 0x41, 0xd0, 0x0f, 0x41, 0xe8, 0x07, 0x20, 0x00, 0xfc, 0x0a, 0x00, 0x00,
    0x41, 0xb8, 0x17, 0x41, 0x00, 0x20, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x41, 0x00, 0xd0,
    0x70, 0x20, 0x00, 0xfc, 0x11, 0x01, 0x41, 0xe4, 0x00, 0x41, 0x00, 0x20, 0x00, 0xfc,
    0x0e, 0x01, 0x01, 0x41, 0x00, 0x41, 0x00, 0x20, 0x00, 0xfc, 0x0c, 0x01, 0x01, 0x41,
    0xd0, 0x0f, 0x2d, 0x00, 0x00, 0x41, 0xb7, 0x17, 0x20, 0x00, 0x6a, 0x2d, 0x00, 0x00,
    0x6a, 0x0b, 0x0b, 0xa4, 0x01, 0x01, 0x01, 0xa0, 0x01, 0x30, 0x31, 0x32, 0x33, 0x34,
    0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38,
    0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32,
    0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36,
    0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30,
    0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34,
    0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38,
    0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32,
    0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36,
    0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30,
    0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34,
    0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38,
    0x39,
};

#define TICK_COST 5          /* fuel the host import charges per call */
#define ENOUGH 1000000000ull /* a limit no case reaches */

typedef struct {
  const char *name;
  int32_t arg;
} call_case;

/* Loops, if/else, else-less if, br_if, br_table with dead code, calls, recursion, memory,
 * call_indirect to wasm and to the host, a division trap, return from a loop, loop params,
 * bulk memory and table instructions charging per item (the last one traps in table.init). */
static const call_case cases[] = {
    {"count", 20},    {"branches", 12}, {"table", 9},    {"fib", 6},
    {"mem", 15},      {"indirect", 8},  {"trap", 6},     {"trap", 2},
    {"early", 4},     {"early", 200},   {"multi", 10},   {"bulk", 0},
    {"bulk", 10},     {"bulk", 40},     {"bulk", 60},
};
#define NCASES (sizeof cases / sizeof cases[0])

typedef struct {
  bool ok;              /* returned normally */
  wl_trap_kind trap;    /* otherwise the trap (WL_TRAP_NONE for any other error) */
  int32_t value;
  uint64_t used;
} outcome;

typedef struct {
  wl_engine *engine;
  wl_store *store;
  wl_module *module;
  wl_instance *inst;
} runner;

static wl_error *host_tick(void *data, wl_caller *caller, const wl_val *args, wl_val *results) {
  (void)data, (void)caller;
  results[0].of.i32 = args[0].of.i32 + 1;
  return NULL;
}

static void report(const char *what, wl_error *e) {
  if (e) fprintf(stderr, "%s: %s\n", what, wl_error_message(e));
  wl_error_delete(e);
}

static void runner_close(runner *r) {
  if (r->store) wl_store_delete(r->store);
  if (r->module) wl_module_delete(r->module);
  if (r->engine) wl_engine_delete(r->engine);
}

/* A cost table unlike the default one (wl_config_set_cost): heavier arithmetic, branches and
 * calls, and bulk items of two instructions dearer; the accounting must still agree. */
typedef struct {
  const char *instr;
  uint64_t units, per_item;
} cost_entry;
static const cost_entry custom_costs[] = {
    {"i32.add", 3, 0}, {"br_if", 2, 0}, {"call", 4, 0}, {"memory.fill", 2, 5}, {"table.copy", 1, 2},
};
static bool use_custom_costs;

static wl_error *set_custom_costs(wl_config *c) {
  wl_error *e = NULL;
  for (size_t i = 0; !e && i < sizeof custom_costs / sizeof custom_costs[0]; i++)
    e = wl_config_set_cost(c, custom_costs[i].instr, custom_costs[i].units,
                           custom_costs[i].per_item);
  return e;
}

/* An engine with `fuel` on `backend`, and the module instantiated in a fresh store. */
static bool runner_open(runner *r, wl_backend_kind backend, uint64_t fuel) {
  *r = (runner){0};
  wl_config *c = wl_config_new();
  wl_error *e = wl_config_set_backend(c, backend);
  wl_config_set_fuel(c, fuel);
  if (!e && use_custom_costs) e = set_custom_costs(c);
  if (!e) e = wl_engine_new(c, &r->engine);
  wl_config_delete(c);
  if (!e) e = wl_module_new(r->engine, meter_wasm, sizeof meter_wasm, &r->module);
  if (!e) {
    r->store = wl_store_new(r->engine);
    static const wl_valkind i32[] = {WL_I32};
    wl_signature sig = {i32, 1, i32, 1};
    wl_extern tick = {.kind = WL_EXTERN_FUNC};
    tick.of.func = wl_func_new_host(r->store, sig, host_tick, NULL, NULL, TICK_COST);
    e = wl_instance_new(r->store, r->module, &tick, 1, &r->inst);
  }
  bool ok = e == NULL;
  report(wl_backend_name(backend), e);
  if (!ok) runner_close(r);
  return ok;
}

static outcome run_case(runner *r, const call_case *c) {
  outcome o = {0};
  wl_extern x;
  if (!wl_instance_export(r->inst, c->name, &x) || x.kind != WL_EXTERN_FUNC) return o;
  wl_val arg = wl_val_i32(c->arg), res = wl_val_i32(0);
  wl_error *e = wl_func_call(r->store, x.of.func, &arg, 1, &res, 1);
  o.ok = e == NULL;
  o.trap = e ? wl_error_trap_kind(e) : WL_TRAP_NONE;
  o.value = e ? 0 : res.of.i32;
  o.used = wl_store_fuel_used(r->store);
  wl_error_delete(e);
  return o;
}

static void print_outcome(const char *backend, outcome o) {
  if (o.ok)
    fprintf(stderr, "  %s: value %d, fuel used %llu\n", backend, o.value,
            (unsigned long long)o.used);
  else
    fprintf(stderr, "  %s: trap \"%s\", fuel used %llu\n", backend,
            wl_trap_kind_message(o.trap), (unsigned long long)o.used);
}

/* Checks one case under one limit on `other`; returns the fuel the interpreter used. */
static uint64_t compare(runner *interp, runner *other, wl_backend_kind kind, const call_case *c,
                        uint64_t limit) {
  outcome a = run_case(interp, c), b = run_case(other, c);
  bool same = a.ok == b.ok && a.trap == b.trap && a.value == b.value && a.used == b.used;
  CHECK(same);
  if (!same) {
    fprintf(stderr, "%s(%d) with fuel %llu differs:\n", c->name, c->arg,
            (unsigned long long)limit);
    print_outcome("interp", a);
    print_outcome(wl_backend_name(kind), b);
  }
  /* Running out always reports the whole limit as used. */
  if (!a.ok && a.trap == WL_TRAP_OUT_OF_FUEL) CHECK(a.used == limit);
  return a.used;
}

/* The backends of this build compared with the interpreter. */
static size_t other_backends(wl_backend_kind out[8]) {
  size_t n = 0;
  for (int k = WL_BACKEND_INTERP + 1; k <= WL_BACKEND_AOT; k++)
    if (wl_backend_available((wl_backend_kind)k)) out[n++] = (wl_backend_kind)k;
  return n;
}

/* Runs every case under `limit` on every backend; returns the most fuel any case used. Each
 * backend is compared with a fresh interpreter instance: cases leave state (memory, tables)
 * behind, so both sides must start from the same instance state. */
static uint64_t compare_all(uint64_t limit) {
  wl_backend_kind others[8];
  size_t nothers = other_backends(others);
  runner interp, other;
  uint64_t most = 0;
  for (size_t k = 0; k < nothers; k++) {
    bool opened = runner_open(&interp, WL_BACKEND_INTERP, limit);
    CHECK(opened);
    if (!opened) break;
    if (!runner_open(&other, others[k], limit)) {
      CHECK(!"a backend's runner could not be opened");
      runner_close(&interp);
      continue;
    }
    for (size_t i = 0; i < NCASES; i++) {
      uint64_t used = compare(&interp, &other, others[k], &cases[i], limit);
      if (used > most) most = used;
    }
    runner_close(&other);
    runner_close(&interp);
  }
  return most;
}

static size_t count_artifacts(const char *dir) {
  DIR *d = opendir(dir);
  size_t n = 0;
  for (struct dirent *ent; d && (ent = readdir(d));) {
    size_t len = strlen(ent->d_name);
    if (len > 3 && strcmp(ent->d_name + len - 3, ".so") == 0) n++;
  }
  if (d) closedir(d);
  return n;
}

static void remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  for (struct dirent *ent; d && (ent = readdir(d));) {
    if (ent->d_name[0] == '.') continue;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
    unlink(path);
  }
  if (d) closedir(d);
  rmdir(dir);
}

/* Every limit from 1 up to what the longest case needs, on both backends. */
static void compare_every_limit(void) {
  uint64_t most = compare_all(ENOUGH);
  CHECK(most > 0 && most < 5000);
  printf("limits 1..%llu compared%s\n", (unsigned long long)most + 1,
         use_custom_costs ? " with a custom cost table" : "");
  for (uint64_t limit = 1; limit <= most + 1 && limit < 5000; limit++) compare_all(limit);
}

/* The bulk instructions charge per item: ten more items in each of the six cost ten times
 * their per-item costs more. */
static void check_per_item(uint64_t per_item_sum) {
  runner r;
  if (!runner_open(&r, WL_BACKEND_INTERP, ENOUGH)) {
    CHECK(!"the per-item runner could not be opened");
    return;
  }
  const call_case ten = {"bulk", 10}, twenty = {"bulk", 20};
  uint64_t a = run_case(&r, &ten).used, b = run_case(&r, &twenty).used;
  CHECK(b - a == 10 * per_item_sum);
  if (b - a != 10 * per_item_sum)
    fprintf(stderr, "bulk(20) used %llu, bulk(10) %llu: expected %llu more\n",
            (unsigned long long)b, (unsigned long long)a,
            (unsigned long long)(10 * per_item_sum));
  runner_close(&r);
}

int main(void) {
  wl_backend_kind others[8];
  if (other_backends(others) == 0) {
    printf("no backend besides interp: metering comparison skipped\n");
    return check_summary();
  }
  bool aot = wl_backend_available(WL_BACKEND_AOT);
  /* A private cache: it must end up holding exactly one metered and one unmetered artifact. */
  char cache[] = "/tmp/wasmlab-metering-XXXXXX";
  CHECK(mkdtemp(cache) != NULL);
  setenv("WASMLAB_CACHE_DIR", cache, 1);

  compare_every_limit();
  check_per_item(6);
  if (aot) CHECK(count_artifacts(cache) == 1);

  /* Unmetered: same values, no fuel counted, and a second artifact beside the metered one. */
  CHECK(compare_all(0) == 0);  /* no fuel counted */
  if (aot) CHECK(count_artifacts(cache) == 2);

  /* Another cost table is compiled into another artifact, with the same agreement. */
  use_custom_costs = true;
  compare_every_limit();
  check_per_item(5 + 1 + 1 + 1 + 2 + 1);
  if (aot) CHECK(count_artifacts(cache) == 3);
  remove_dir(cache);
  return check_summary();
}
