"""Run a WASI command with arguments, an environment and a preopened directory."""
import sys
import tempfile
from pathlib import Path

import wasmlab

backend = sys.argv[1] if len(sys.argv) > 1 else "interp"
engine = wasmlab.Engine(wasmlab.Config(backend=backend))
store = wasmlab.Store(engine)
# Prints its argument count as a digit and "args", then exits with status 7.
module = wasmlab.Module.from_wat(engine, """
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $a (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "0 args\\n")
  (func (export "_start")
    (drop (call $a (i32.const 32) (i32.const 36)))
    (i32.store8 (i32.const 8) (i32.add (i32.const 48) (i32.load (i32.const 32))))
    (i32.store (i32.const 0) (i32.const 8))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 40)))
    (call $exit (i32.const 7))))
""")
with tempfile.TemporaryDirectory() as sandbox:
    Path(sandbox, "data.txt").write_text("visible to the guest as /data/data.txt\n")
    linker = wasmlab.Linker(store)
    linker.define_wasi(args=["prog", "a", "b"], env={"MODE": "demo"},
                       preopens={"/data": sandbox}, stdout=sys.stdout)
    sys.stdout.flush()
    status = linker.instantiate(module).run_wasi()
print("exit status", status)
