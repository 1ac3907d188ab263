"""Run one module on every backend this build has: same results, same fuel."""
import time

import wasmlab

wasm = wasmlab.wat2wasm("""
(module
  (func (export "sum") (param i32) (result i64) (local i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get 1)))
""")
for backend in wasmlab.backends():
    engine = wasmlab.Engine(wasmlab.Config(backend=backend, fuel=10**9))
    store = wasmlab.Store(engine)
    inst = wasmlab.Instance(store, wasmlab.Module(engine, wasm))
    start = time.perf_counter()
    result = inst.exports.sum(1_000_000)
    ms = (time.perf_counter() - start) * 1000
    print(f"{backend:7} sum={result} fuel={store.fuel_consumed} time={ms:.1f} ms")
