"""Memory as a writable memoryview, and traps as exceptions with their kind."""
import sys

import wasmlab

backend = sys.argv[1] if len(sys.argv) > 1 else "interp"
inst = wasmlab.instantiate(wasmlab.wat2wasm("""
(module
  (memory (export "mem") 1)
  (func (export "sum") (param i32 i32) (result i32) (local i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get 1)))
      (local.set 2 (i32.add (local.get 2) (i32.load8_u (local.get 0))))
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
      (br $l)))
    (local.get 2))
  (func (export "crash") (unreachable)))
"""), backend=backend)
mem = inst.exports.mem
mem.data[0:4] = bytes([1, 2, 3, 4])
print("sum of the bytes:", inst.exports.sum(0, 4))
try:
    inst.exports.sum(65535, 2)
except wasmlab.Trap as trap:
    print("trapped:", trap.kind)
try:
    inst.exports.crash()
except wasmlab.Trap as trap:
    print("trapped:", trap.kind)
