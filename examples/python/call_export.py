"""Call an export: numbers are converted by the function's types."""
import sys

import wasmlab

backend = sys.argv[1] if len(sys.argv) > 1 else "interp"
wasm = wasmlab.wat2wasm("""
(module
  (func (export "fib") (param i64) (result i64)
    (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
      (then (local.get 0))
      (else (i64.add (call 0 (i64.sub (local.get 0) (i64.const 1)))
                     (call 0 (i64.sub (local.get 0) (i64.const 2))))))))
""")
inst = wasmlab.instantiate(wasm, backend=backend)
print("fib(20) =", inst.exports.fib(20))
