"""The Python package (python/wasmlab) on every backend: modules and reflection, calls with
conversion by type, host functions with externrefs carrying Python objects, memory as a
memoryview, globals, tables, traps with their kind, fuel, WASI through the linker, and misuse
raising Python exceptions; then every examples/python/ script runs."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import wasmlab_env

PYTHON_DIR = wasmlab_env.REPO / "python"
os.environ.setdefault("WASMLAB_BUILD", str(wasmlab_env.build_dir()))
sys.path.insert(0, str(PYTHON_DIR))
import wasmlab  # noqa: E402

BACKENDS = wasmlab_env.built_backends()
EXAMPLES = sorted((wasmlab_env.REPO / "examples" / "python").glob("*.py"))

WAT = """
(module
  (import "py" "twice" (func $twice (param f64) (result f64)))
  (import "py" "keep" (func $keep (param externref) (result externref)))
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (global (export "pi") f64 (f64.const 3.25))
  (table (export "table") 2 4 funcref)
  (memory (export "memory") 1 2)
  (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "wide") (param i64 f32) (result i64 f32) (local.get 0) (local.get 1))
  (func (export "twice") (param f64) (result f64) (call $twice (local.get 0)))
  (func (export "keep") (param externref) (result externref) (call $keep (local.get 0)))
  (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "call_at") (param i32 i32 i32) (result i32)
    (call_indirect (param i32 i32) (result i32) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "n\\00x") (result i32) (i32.const 1))
  (elem (i32.const 0) $add))
"""


@pytest.fixture(scope="module")
def wasm():
    return wasmlab.wat2wasm(WAT)


def make(backend, wasm, host_twice=lambda x: 2 * x, host_keep=lambda r: r, **config):
    engine = wasmlab.Engine(wasmlab.Config(backend=backend, **config))
    store = wasmlab.Store(engine)
    linker = wasmlab.Linker(store)
    linker.define_func("py", "twice", ["f64"], ["f64"], host_twice)
    linker.define_func("py", "keep", ["externref"], ["externref"], host_keep)
    return store, linker.instantiate(wasmlab.Module(engine, wasm))


@pytest.mark.parametrize("backend", BACKENDS)
def test_module_reflection(backend, wasm):
    engine = wasmlab.Engine(wasmlab.Config(backend=backend))
    module = wasmlab.Module(engine, wasm)
    imports = module.imports
    assert [(i.module, i.name) for i in imports] == [("py", "twice"), ("py", "keep")]
    assert imports[0].type == wasmlab.FuncType(("f64",), ("f64",))
    exports = {e.name: e.type for e in module.exports}
    assert exports["counter"] == wasmlab.GlobalType("i32", True)
    assert exports["pi"] == wasmlab.GlobalType("f64", False)
    assert exports["table"] == wasmlab.TableType("funcref", 2, 4)
    assert exports["memory"] == wasmlab.MemoryType(1, 2)
    assert exports["wide"] == wasmlab.FuncType(("i64", "f32"), ("i64", "f32"))
    wasmlab.Module.validate(engine, wasm)
    with pytest.raises(wasmlab.WasmlabError) as bad:
        wasmlab.Module.validate(engine, b"\0asm\x01\0\0\0\x05")
    assert bad.value.kind == "malformed"


@pytest.mark.parametrize("backend", BACKENDS)
def test_calls_convert_numbers(backend, wasm):
    _, inst = make(backend, wasm)
    ex = inst.exports
    assert ex.add(2, 3) == 5
    assert ex.add(0x7FFFFFFF, 1) == -0x80000000  # i32 wraps and comes back signed
    assert ex.add(0xFFFFFFFF, 0) == -1          # unsigned spelling accepted
    assert ex.wide(-(1 << 63), 1.5) == (-(1 << 63), 1.5)
    assert ex.twice(1.25) == 2.5
    assert ex["add"](1, 1) == 2 and "add" in ex and len(ex) == 14
    assert ex["n\0x"]() == 1 and "n" not in ex  # names are exact, NUL bytes included


@pytest.mark.parametrize("backend", BACKENDS)
def test_host_functions_and_externref(backend, wasm):
    seen = []
    _, inst = make(backend, wasm, host_keep=lambda r: seen.append(r) or r)
    obj = {"any": ["python", "object"]}
    assert inst.exports.keep(obj) is obj
    assert inst.exports.keep(None) is None
    assert seen == [obj, None]


@pytest.mark.parametrize("backend", BACKENDS)
def test_host_exception_propagates(backend, wasm):
    def broken(x):
        raise KeyError("from the host")
    _, inst = make(backend, wasm, host_twice=broken)
    with pytest.raises(KeyError, match="from the host"):
        inst.exports.twice(1.0)
    _, inst = make(backend, wasm, host_twice=lambda x: "not a float")
    with pytest.raises(TypeError):
        inst.exports.twice(1.0)
    _, inst = make(backend, wasm, host_twice=lambda x: (_ for _ in ()).throw(
        wasmlab.Trap("custom", "unreachable")))
    with pytest.raises(wasmlab.Trap) as t:
        inst.exports.twice(1.0)
    assert t.value.kind == "unreachable"


@pytest.mark.parametrize("backend", BACKENDS)
def test_memory_globals_tables(backend, wasm):
    store, inst = make(backend, wasm)
    ex = inst.exports
    mem = ex.memory
    assert mem.size == 1 and len(mem.data) == 65536
    mem.data[8:12] = (0x01020304).to_bytes(4, "little")
    assert ex.load(8) == 0x01020304
    mem.write(100, b"hi")
    assert mem.read(100, 2) == b"hi"
    assert mem.grow(1) == 1 and mem.size == 2
    with pytest.raises(wasmlab.WasmlabError):
        mem.grow(1)
    counter = ex.counter
    ex.bump()
    ex.bump()
    assert counter.value == 2
    counter.value = 40
    ex.bump()
    assert counter.value == 41
    with pytest.raises(wasmlab.WasmlabError):
        ex.pi.value = 1.0  # immutable
    table = ex.table
    assert len(table) == 2 and table[0] == ex.add and table[1] is None
    assert ex.call_at(4, 5, 0) == 9
    host = wasmlab.Func(store, ["i32", "i32"], ["i32"], lambda a, b: a * b)
    table[1] = host
    assert ex.call_at(4, 5, 1) == 20
    assert table.grow(2, ex.add) == 2 and len(table) == 4 and table[3] == ex.add
    with pytest.raises(IndexError):
        table[4]
    g = wasmlab.Global(store, "externref", True, None)
    g.value = [1, 2]
    assert g.value == [1, 2]
    standalone = wasmlab.Memory(store, 1, 1)
    standalone.data[0] = 255
    assert standalone.data[0] == 255


@pytest.mark.parametrize("backend", BACKENDS)
def test_traps_have_kinds(backend, wasm):
    _, inst = make(backend, wasm)
    with pytest.raises(wasmlab.Trap) as t:
        inst.exports.div(1, 0)
    assert t.value.kind == "integer divide by zero"
    with pytest.raises(wasmlab.Trap) as t:
        inst.exports.load(65535)
    assert t.value.kind == "out of bounds memory access"
    with pytest.raises(wasmlab.Trap) as t:
        inst.exports.call_at(1, 2, 1)
    assert t.value.kind == "uninitialized element"


@pytest.mark.parametrize("backend", BACKENDS)
def test_fuel(backend, wasm):
    store, inst = make(backend, wasm, fuel=5000)
    with pytest.raises(wasmlab.Trap) as t:
        inst.exports.spin()
    assert t.value.kind == "fuel exhausted"
    assert inst.exports.add(1, 2) == 3 and store.fuel_consumed > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_misuse_raises(backend, wasm):
    store, inst = make(backend, wasm)
    with pytest.raises(TypeError):
        inst.exports.add(1)
    with pytest.raises(TypeError):
        inst.exports.add("1", 2)
    with pytest.raises(TypeError):
        inst.exports.twice("x")
    with pytest.raises(OverflowError):
        inst.exports.add(1 << 40, 0)
    with pytest.raises(TypeError):
        inst.exports.table[0] = "not a function"
    with pytest.raises(wasmlab.WasmlabError) as link:
        wasmlab.Instance(store, inst.module, [])
    assert link.value.kind == "argument"  # the engine reports a wrong import count so
    with pytest.raises(ValueError):
        wasmlab.Config(backend="no-such-backend")
    with pytest.raises(wasmlab.WasmlabError):
        wasmlab.Engine(wasmlab.Config(backend=backend, features={"no-such-feature": True}))
    with pytest.raises(TypeError):
        wasmlab.Module(store.engine, "not bytes")
    add, mem = inst.exports.add, inst.exports.memory
    store.close()
    for use in (lambda: add(1, 2), lambda: mem.data, lambda: inst.exports.add,
                lambda: wasmlab.Func(store, [], [], lambda: None), lambda: store.fuel_consumed):
        with pytest.raises(wasmlab.WasmlabError, match="closed"):
            use()


@pytest.mark.parametrize("backend", BACKENDS)
def test_linker_capabilities(backend, wasm):
    engine = wasmlab.Engine(wasmlab.Config(backend=backend))
    store = wasmlab.Store(engine)
    linker = wasmlab.Linker(store)
    linker.define_func("py", "twice", ["f64"], ["f64"], lambda x: 2 * x)
    linker.define_func("py", "keep", ["externref"], ["externref"], lambda r: r)
    linker.allow("py", "twice")
    with pytest.raises(wasmlab.WasmlabError) as denied:
        linker.instantiate(wasmlab.Module(engine, wasm))
    assert denied.value.kind == "unlinkable" and "not permitted" in str(denied.value)
    linker.allow("py", "keep")
    assert linker.instantiate(wasmlab.Module(engine, wasm)).exports.twice(2.0) == 4.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_wasi(backend, tmp_path):
    engine = wasmlab.Engine(wasmlab.Config(backend=backend))
    store = wasmlab.Store(engine)
    module = wasmlab.Module.from_wat(engine, """
    (module
      (import "wasi_snapshot_preview1" "environ_sizes_get" (func $e (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_sizes_get" (func $a (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "a=? e=?\\n")
      (func (export "_start")
        (drop (call $a (i32.const 0) (i32.const 4)))
        (drop (call $e (i32.const 8) (i32.const 12)))
        (i32.store8 (i32.const 18) (i32.add (i32.const 48) (i32.load (i32.const 0))))
        (i32.store8 (i32.const 22) (i32.add (i32.const 48) (i32.load (i32.const 8))))
        (i32.store (i32.const 32) (i32.const 16))
        (i32.store (i32.const 36) (i32.const 8))
        (drop (call $w (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))))
    """)
    out = (tmp_path / "out.txt").open("w+")
    linker = wasmlab.Linker(store)
    linker.define_wasi(args=["prog", "x"], env={"A": "1", "B": "2", "C": "3"},
                       preopens={"/sandbox": tmp_path}, stdout=out)
    assert linker.instantiate(module).run_wasi() == 0
    out.seek(0)
    assert out.read() == "a=2 e=3\n"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
@pytest.mark.parametrize("backend", BACKENDS)
def test_example_runs(example, backend):
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    done = subprocess.run([sys.executable, str(example), backend], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip()
