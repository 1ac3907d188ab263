"""A Python host function, with an externref carrying a Python object through wasm."""
import sys

import wasmlab

backend = sys.argv[1] if len(sys.argv) > 1 else "interp"
engine = wasmlab.Engine(wasmlab.Config(backend=backend))
store = wasmlab.Store(engine)
module = wasmlab.Module.from_wat(engine, """
(module
  (import "py" "greet" (func $greet (param externref i32) (result i32)))
  (func (export "run") (param externref) (result i32)
    (call $greet (local.get 0) (i32.const 3))))
""")
seen = []


def greet(obj, times):
    seen.append(obj)
    print(f"hello {obj['name']} x{times}")
    return len(obj["name"]) * times


linker = wasmlab.Linker(store)
linker.define_func("py", "greet", ["externref", "i32"], ["i32"], greet)
inst = linker.instantiate(module)
person = {"name": "Ada"}
print("result:", inst.exports.run(person))
assert seen[0] is person
