"""The `wasmlab` command line: usage, version, validate and run, especially the error paths
(each a one-line message on stderr and a non-zero exit status)."""
import os
import subprocess

import pytest

import wasmlab_env

MATH_WAT = """
(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "wide") (param i64 f32 f64) (result i64 f32 f64)
    local.get 0 local.get 1 local.get 2)
  (func (export "ref") (param externref) (result externref) local.get 0)
  (func (export "nothing"))
  (func (export "vec") (param i32 v128) (result v128 i32)
    (i32x4.add (local.get 1) (v128.const i32x4 1 2 3 4)) (local.get 0))
  (global (export "g") i32 (i32.const 1)))
"""
# A WASI command whose _start exits with status 7.
EXIT7_WAT = """
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 7))))
"""
# A WASI command that writes "hello\\n" to stdout and returns.
HELLO_WAT = """
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
"""
INVALID_WAT = '(module (func (result i32) i64.const 1))'


def compile_wat(folder, name, text, *flags):
    wat, wasm = folder / f"{name}.wat", folder / f"{name}.wasm"
    wat.write_text(text)
    subprocess.run(["wat2wasm", *flags, str(wat), "-o", str(wasm)], check=True)
    return wasm


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    garbage = folder / "garbage.wasm"
    garbage.write_bytes(b"\0asm\x02\0\0\0junk")
    return {
        "math": compile_wat(folder, "math", MATH_WAT),
        "exit7": compile_wat(folder, "exit7", EXIT7_WAT),
        "hello": compile_wat(folder, "hello", HELLO_WAT),
        "invalid": compile_wat(folder, "invalid", INVALID_WAT, "--no-check"),
        "garbage": garbage,
        "missing": folder / "no-such-file.wasm",
    }


def wasmlab_run(wasmlab, *args):
    return subprocess.run([str(wasmlab), *map(str, args)], capture_output=True, text=True,
                          timeout=60)


def assert_one_line_error(done, status=1, words=()):
    assert done.returncode == status, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], lines[0]


# ---------------------------------------------------------------- top level

def test_no_arguments_is_usage_error(wasmlab):
    assert wasmlab_run(wasmlab).returncode == 2


def test_help(wasmlab):
    done = wasmlab_run(wasmlab, "--help")
    assert done.returncode == 0
    for command in ("run", "validate", "spectest", "compile"):
        assert command in done.stdout


def test_unknown_command(wasmlab):
    assert_one_line_error(wasmlab_run(wasmlab, "frobnicate"), 2, ["frobnicate"])


def test_version(wasmlab):
    done = wasmlab_run(wasmlab, "--version")
    assert done.returncode == 0 and done.stdout.startswith("wasmlab ")


def test_version_verbose_lists_backends_and_features(wasmlab):
    out = wasmlab_run(wasmlab, "--version", "--verbose").stdout
    assert "backends:" in out and "interp" in out
    assert "build:" in out
    for feature in ("bulk-memory", "reference-types", "multi-value", "sign-extension"):
        assert feature in out


# ---------------------------------------------------------------- validate

def test_validate_ok(wasmlab, modules):
    done = wasmlab_run(wasmlab, "validate", modules["math"])
    assert done.returncode == 0 and done.stdout.strip() == "ok"


def test_validate_missing_file(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "validate", modules["missing"]),
                          words=["no-such-file.wasm"])


def test_validate_malformed(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "validate", modules["garbage"]),
                          words=["malformed"])


def test_validate_invalid(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "validate", modules["invalid"]),
                          words=["invalid", "type mismatch"])


def test_validate_without_file_is_usage_error(wasmlab):
    assert wasmlab_run(wasmlab, "validate").returncode == 2


def test_bad_backend_is_named(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "validate", "--backend", "nope", modules["math"]),
                          2, ["--backend"])


def test_bad_fuel_is_named(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "validate", "--fuel", "lots", modules["math"]),
                          2, ["--fuel"])


# ---------------------------------------------------------------- run --invoke

@pytest.mark.parametrize("args,expected", [
    (["add", "2", "3"], ["i32:5"]),
    (["add", "0x10", "-1"], ["i32:15"]),
    (["add", "4294967295", "1"], ["i32:0"]),
    (["wide", "-9000000000", "1.5", "-inf"], ["i64:-9000000000", "f32:1.5", "f64:-inf"]),
    (["ref", "42"], ["externref:42"]),
    (["ref", "null"], ["externref:null"]),
    (["nothing"], []),
    # a v128 is one hex integer, lane 0 in the lowest byte
    (["vec", "7", "0x0000000a000000090000000800000007"],
     ["v128:0x0000000e0000000c0000000a00000008", "i32:7"]),
    (["vec", "0", "0xff"], ["v128:0x00000004000000030000000200000100", "i32:0"]),
])
def test_invoke(wasmlab, modules, args, expected):
    done = wasmlab_run(wasmlab, "run", "--invoke", args[0], modules["math"], *args[1:])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == expected


def test_invoke_nan(wasmlab, modules):
    done = wasmlab_run(wasmlab, "run", "--invoke", "wide", modules["math"], "0", "nan", "0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[1].lstrip("f32:-") == "nan"


def test_invoke_missing_export(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "run", "--invoke", "nope", modules["math"]),
                          words=["nope"])


def test_invoke_global_is_not_a_function(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "run", "--invoke", "g", modules["math"]))


def test_invoke_wrong_argument_count(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "run", "--invoke", "add", modules["math"], "1"),
                          words=["add"])


@pytest.mark.parametrize("bad", ["abc", "1.5", "4294967296", "-2147483649", ""])
def test_invoke_wrong_argument_type(wasmlab, modules, bad):
    assert_one_line_error(
        wasmlab_run(wasmlab, "run", "--invoke", "add", modules["math"], "1", bad))


def test_invoke_trap(wasmlab, modules):
    """One error line, then the trap's backtrace (harness/test_backtrace.py checks frames)."""
    assert_one_line_error(wasmlab_run(wasmlab, "run", "--backtrace=off", "--invoke", "div",
                                      modules["math"], "1", "0"),
                          words=["integer divide by zero"])
    done = wasmlab_run(wasmlab, "run", "--invoke", "div", modules["math"], "1", "0")
    assert done.returncode == 1
    assert "integer divide by zero" in done.stderr.splitlines()[0]
    assert done.stderr.splitlines()[1] == "wasm backtrace:"


def test_run_missing_file(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "run", modules["missing"]),
                          words=["no-such-file.wasm"])


def test_run_malformed_file(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "run", modules["garbage"]), words=["malformed"])


def test_run_unknown_option(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "run", "--frob", modules["math"]), 2, ["--frob"])


# ---------------------------------------------------------------- run (WASI _start)

def test_run_exit_code_is_the_guests(wasmlab, modules):
    done = wasmlab_run(wasmlab, "run", modules["exit7"])
    assert done.returncode == 7, done.stderr


def test_run_hello(wasmlab, modules):
    done = wasmlab_run(wasmlab, "run", modules["hello"])
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hello\n"


def test_run_without_start(wasmlab, modules):
    assert_one_line_error(wasmlab_run(wasmlab, "run", modules["math"]))


# ---------------------------------------------------------------- compile (AOT artifacts)

needs_aot = pytest.mark.skipif("aot" not in wasmlab_env.built_backends(),
                               reason="this build has no AOT backend")


@needs_aot
def test_compile_help(wasmlab):
    done = wasmlab_run(wasmlab, "compile", "--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: wasmlab compile"), done.stderr


@needs_aot
def test_compiled_artifact_runs_from_a_relative_path(wasmlab, modules, tmp_path):
    """Regression: dlopen searched the library path for "x.so" instead of the file here."""
    wasm = tmp_path / "math.wasm"
    wasm.write_bytes(modules["math"].read_bytes())
    done = subprocess.run([str(wasmlab), "compile", "math.wasm", "-o", "math.so"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([str(wasmlab), "run", "--backend", "aot", "--invoke", "add",
                           "math.wasm", "2", "3"], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "WASMLAB_AOT_FILE": "math.so"}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["i32:5"]


@needs_aot
def test_artifact_of_another_module_is_refused(wasmlab, modules, tmp_path):
    done = wasmlab_run(wasmlab, "compile", modules["math"], "-o", tmp_path / "math.so")
    assert done.returncode == 0, done.stderr
    done = subprocess.run([str(wasmlab), "run", "--backend", "aot", modules["hello"]],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "WASMLAB_AOT_FILE": str(tmp_path / "math.so")})
    assert done.returncode != 0 and "hello" not in done.stdout
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
