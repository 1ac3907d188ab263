"""Resource limits as configuration (issue 9, bug 6 and item 4): total table elements and total
linear memory of a store, module size and function count for compilation. A module that asks
for more than a limit fails with an error naming the limit, on every backend; a grow past a
limit returns -1 as the spec allows. The C API setters are checked in ctests/limits_test.c."""
import subprocess

import pytest

import wasmlab_env

BACKENDS = wasmlab_env.built_backends()


def wasm(tmp_path, name, text):
    wat, out = tmp_path / f"{name}.wat", tmp_path / f"{name}.wasm"
    wat.write_text(text)
    subprocess.run(["wat2wasm", str(wat), "-o", str(out)], check=True)
    return out


def run(wasmlab, module, backend, *flags, invoke="f"):
    return subprocess.run([str(wasmlab), "run", "--backend", backend, *flags, "--invoke", invoke,
                           str(module)], capture_output=True, text=True, timeout=120)


def assert_limit_error(done, limit):
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"exceeds the limit {limit}" in done.stderr, done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("backend", BACKENDS)
def test_many_big_tables_stop_at_the_default_limit(wasmlab, tmp_path, backend):
    """Bug 6: 100 tables of 10,000,000 entries took 7-8 GB; the default total stops them."""
    tables = "".join("(table 10000000 funcref)" for _ in range(100))
    module = wasm(tmp_path, "tables", f'(module {tables} (func (export "f") (result i32) i32.const 1))')
    assert_limit_error(run(wasmlab, module, backend), "max-table-elements")


@pytest.mark.parametrize("backend", BACKENDS)
def test_table_elements(wasmlab, tmp_path, backend):
    two = wasm(tmp_path, "two", """(module (table 60 funcref) (table $t 40 funcref)
      (func (export "f") (result i32) (i32.const 1))
      (func (export "grow") (result i32) (table.grow $t (ref.null func) (i32.const 1))))""")
    assert run(wasmlab, two, backend, "--max-table-elements", "100").stdout.strip() == "i32:1"
    assert_limit_error(run(wasmlab, two, backend, "--max-table-elements", "99"), "max-table-elements")
    grow = run(wasmlab, two, backend, "--max-table-elements", "100", invoke="grow")
    assert grow.stdout.strip() == "i32:-1", grow.stdout + grow.stderr
    grow = run(wasmlab, two, backend, "--max-table-elements", "101", invoke="grow")
    assert grow.stdout.strip() == "i32:40", grow.stdout + grow.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_memory_bytes(wasmlab, tmp_path, backend):
    mem = wasm(tmp_path, "mem", """(module (memory 2)
      (func (export "f") (result i32) (i32.const 1))
      (func (export "grow") (result i32) (memory.grow (i32.const 1))))""")
    assert run(wasmlab, mem, backend, "--max-memory-bytes", "131072").stdout.strip() == "i32:1"
    assert_limit_error(run(wasmlab, mem, backend, "--max-memory-bytes", "131071"), "max-memory-bytes")
    grow = run(wasmlab, mem, backend, "--max-memory-bytes", "131072", invoke="grow")
    assert grow.stdout.strip() == "i32:-1", grow.stdout + grow.stderr
    grow = run(wasmlab, mem, backend, "--max-memory-bytes", "196608", invoke="grow")
    assert grow.stdout.strip() == "i32:2", grow.stdout + grow.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_module_size_and_function_count(wasmlab, tmp_path, backend):
    three = wasm(tmp_path, "three", '(module (func) (func) (func (export "f") (result i32) i32.const 3))')
    assert run(wasmlab, three, backend, "--max-functions", "3").stdout.strip() == "i32:3"
    assert_limit_error(run(wasmlab, three, backend, "--max-functions", "2"), "max-functions")
    size = three.stat().st_size
    assert run(wasmlab, three, backend, "--max-module-bytes", str(size)).stdout.strip() == "i32:3"
    assert_limit_error(run(wasmlab, three, backend, "--max-module-bytes", str(size - 1)),
                       "max-module-bytes")


def test_many_functions_stop_at_the_default_limit(wasmlab, tmp_path):
    """Bug 6: 100,000 three-byte functions made the AOT compile take 2 GB and 49 s."""
    module = wasm(tmp_path, "funcs", "(module " + "(func)" * 100000 + ")")
    for backend in BACKENDS:
        assert_limit_error(run(wasmlab, module, backend), "max-functions")
    if "aot" in BACKENDS:
        done = subprocess.run([str(wasmlab), "compile", str(module), "-o", str(tmp_path / "f.so")],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode != 0 and "exceeds the limit max-functions" in done.stderr, done.stderr


def test_limit_flags_need_numbers(wasmlab, tmp_path):
    done = subprocess.run([str(wasmlab), "run", "--max-functions", "many", "x.wasm"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "--max-functions" in done.stderr
