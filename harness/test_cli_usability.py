"""The command line as people expect it (issue 17): exit codes that never lie, familiar flags
(--opt=value, --env KEY, .wat input, --invoke-format, `wasmlab FILE.wasm`, a reactor hint,
--dir normalisation), --invoke values in the text format's syntax, and errors that name
their cause. Each runs on every backend the build has where the backend matters."""
import os
import subprocess

import pytest

import wasmlab_env

BACKENDS = wasmlab_env.built_backends()

WAT = """
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "id32") (param f32) (result f32) local.get 0)
  (func (export "id64") (param f64) (result f64) local.get 0)
  (func (export "i32") (param i32) (result i32) local.get 0)
  (func (export "i64") (param i64) (result i64) local.get 0)
  (func (export "exit") (param i32) (call $exit (local.get 0)))
  (global (export "g") i32 (i32.const 1)))
"""
# A command: _start exits with the status given in the code below (patched per test).
EXIT_WAT = """
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const CODE))))
"""
TRAPPING_START_WAT = '(module (func $s unreachable) (start $s))'
SIGN_EXT_WAT = '(module (func (export "f") (param i32) (result i32) local.get 0 i32.extend8_s))'


def run(*args, **kwargs):
    return subprocess.run([str(wasmlab_env.wasmlab_binary()), *map(str, args)],
                          capture_output=True, text=True, timeout=120, **kwargs)


def one_line(done, status):
    assert done.returncode == status, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("usability")
    (out / "m.wat").write_text(WAT)
    subprocess.run(["wat2wasm", str(out / "m.wat"), "-o", str(out / "m.wasm")], check=True)
    for name, text in [("start_trap", TRAPPING_START_WAT), ("sign", SIGN_EXT_WAT)]:
        (out / f"{name}.wat").write_text(text)
    for code in (0, 7, 256, 4294967295):
        (out / f"exit{code}.wat").write_text(EXIT_WAT.replace("CODE", str(code)))
    return out


# ---------------------------------------------------------------- exit codes

@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("code,status", [(0, 0), (7, 7), (256, 255), (4294967295, 255)])
def test_guest_exit_status_never_lies(folder, backend, code, status):
    done = run("run", "--backend", backend, folder / f"exit{code}.wat")
    assert done.returncode == status, done.stderr
    if status != code:
        assert f"status {code}, outside 0-255; exiting with 255" in done.stderr


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("code,status", [(3, 3), (0, 0), (256, 255)])
def test_invoke_passes_proc_exit_through(folder, backend, code, status):
    done = run("run", "--backend", backend, "--invoke", "exit", folder / "m.wasm", code)
    assert done.returncode == status, done.stderr


def test_exit_statuses_are_listed_in_help():
    for args in (["--help"], ["run", "--help"]):
        out = run(*args).stdout
        assert "exit status" in out and "255" in out and "usage error" in out


# ---------------------------------------------------------------- familiar flags

def test_opt_equals_value_for_every_run_option(folder, tmp_path):
    done = run("run", "--backend=interp", f"--dir={tmp_path}::/d", "--env=A=1",
               "--invoke=i32", "--invoke-format=plain", "--fuel=100000", folder / "m.wasm", 4)
    assert (done.returncode, done.stdout) == (0, "4\n"), done.stderr


def test_invoke_format(folder):
    assert run("run", "--invoke", "i64", folder / "m.wasm", "-3").stdout == "i64:-3\n"
    plain = run("run", "--invoke", "i64", "--invoke-format", "plain", folder / "m.wasm", "-3")
    assert plain.stdout == "-3\n"
    bad = run("run", "--invoke", "i64", "--invoke-format", "fancy", folder / "m.wasm", "1")
    assert "typed or plain" in one_line(bad, 2)


def environment_program(tmp_path):
    src, wasm = tmp_path / "env.c", tmp_path / "env.wasm"
    src.write_text('#include <stdio.h>\n#include <stdlib.h>\n'
                   'int main(void) { const char *v = getenv("WL_TEST_VAR");'
                   ' printf("%s\\n", v ? v : "(unset)"); return 0; }\n')
    subprocess.run(["clang-19", "--target=wasm32-wasi", "-O2", str(src), "-o", str(wasm)],
                   check=True)
    return wasm


def test_env_key_inherits_the_host_value(tmp_path):
    wasm = environment_program(tmp_path)
    env = {**os.environ, "WL_TEST_VAR": "from the host"}
    assert run("run", "--env", "WL_TEST_VAR", wasm, env=env).stdout == "from the host\n"
    unset = {k: v for k, v in os.environ.items() if k != "WL_TEST_VAR"}
    assert run("run", "--env", "WL_TEST_VAR", wasm, env=unset).stdout == "(unset)\n"
    assert run("run", wasm, env=env).stdout == "(unset)\n"  # nothing leaks without --env


@pytest.mark.parametrize("backend", BACKENDS)
def test_wat_input(folder, backend):
    done = run("run", "--backend", backend, "--invoke", "i32", folder / "m.wat", "9")
    assert (done.returncode, done.stdout) == (0, "i32:9\n"), done.stderr
    assert run("validate", folder / "m.wat").stdout == "ok\n"


def test_broken_wat_is_malformed(tmp_path):
    (tmp_path / "bad.wat").write_text("(module (func (result i32) i32.konst 1))")
    done = run("run", "--invoke", "f", tmp_path / "bad.wat")
    assert done.returncode == 1 and "wat2wasm could not convert it" in done.stderr


def test_file_shorthand_runs(folder):
    assert run(folder / "exit7.wat").returncode == 7
    assert "no _start" in one_line(run(folder / "m.wasm"), 1)  # it went through `run`
    assert "unknown command" in one_line(run("no-such-command"), 2)


def test_invoke_without_name_is_a_one_line_usage_error(folder):
    assert "--invoke needs a function name" in one_line(run("run", "--invoke",
                                                            folder / "m.wasm"), 2)
    assert "no FILE given" in one_line(run("run", "--backend", "interp"), 2)


def test_reactor_hint(folder):
    line = one_line(run("run", folder / "m.wasm"), 1)
    assert "no _start" in line and "--invoke NAME" in line and "i32 (func)" in line


@pytest.mark.parametrize("guest,seen", [("/data/", "/data"), ("/data/./x//", "/data/x"),
                                        (".", "."), ("./", "."), ("/", "/")])
def test_dir_guest_paths_are_normalised(tmp_path, guest, seen):
    src, wasm = tmp_path / "pre.c", tmp_path / "pre.wasm"
    src.write_text('#include <stdio.h>\n#include <wasi/api.h>\nint main(void) {\n'
                   '  __wasi_prestat_t p; char name[256] = {0};\n'
                   '  if (__wasi_fd_prestat_get(3, &p) || p.u.dir.pr_name_len >= 256 ||\n'
                   '      __wasi_fd_prestat_dir_name(3, (uint8_t *)name, p.u.dir.pr_name_len))\n'
                   '    return 3;\n  printf("%s\\n", name);\n  return 0;\n}\n')
    subprocess.run(["clang-19", "--target=wasm32-wasi", "-O2", str(src), "-o", str(wasm)],
                   check=True)
    done = run("run", "--dir", f"{tmp_path}::{guest}", wasm)
    assert (done.returncode, done.stdout) == (0, seen + "\n"), done.stderr


@pytest.mark.parametrize("spec,which", [("::/x", "host"), ("/tmp::", "guest"), ("", "host")])
def test_empty_dir_paths_are_refused(folder, spec, which):
    assert f"the {which} path is empty" in one_line(run("run", "--dir", spec, folder / "m.wasm"),
                                                    2)


def test_help_lists_only_built_backends():
    out = run("--help").stdout
    listed = out.split("--backend", 1)[1].split()[0].split("|")
    assert listed == BACKENDS or set(listed) >= set(BACKENDS)
    assert set(listed) <= set(BACKENDS + ["jit"]) and ("jit" in BACKENDS or "jit" not in listed)


# ---------------------------------------------------------------- --invoke values

@pytest.mark.parametrize("func,arg,printed", [
    ("i32", "+5", "i32:5"), ("i32", "1_000", "i32:1000"), ("i32", "0xffff_ffff", "i32:-1"),
    ("i32", "-0x8000_0000", "i32:-2147483648"), ("i64", "+9_223_372_036_854_775_807",
                                                 "i64:9223372036854775807"),
    ("id32", "nan:0x1", "f32:nan:0x1"), ("id32", "-nan:0x200000", "f32:-nan:0x200000"),
    ("id32", "nan", "f32:nan"), ("id32", "-nan", "f32:-nan"), ("id32", "0x1.8p3", "f32:12"),
    ("id32", "-0x1p-149", "f32:-1.40129846e-45"), ("id32", "+inf", "f32:inf"),
    ("id32", "1_0.2_5", "f32:10.25"), ("id64", "nan:0xf_ffff_ffff_ffff", "f64:nan:0xfffffffffffff"),
    ("id64", "-nan:0x4", "f64:-nan:0x4"), ("id64", "0x1p1023", "f64:8.9884656743115795e+307"),
])
def test_invoke_values_in_text_format_syntax(folder, func, arg, printed):
    done = run("run", "--invoke", func, folder / "m.wasm", arg)
    assert (done.returncode, done.stdout) == (0, printed + "\n"), done.stderr


@pytest.mark.parametrize("func,arg", [
    ("i32", "+2147483648"), ("i32", "4294967296"), ("i32", "1__0"), ("i32", "_1"),
    ("i32", "1_"), ("i32", "0x"), ("id32", "1e39"), ("id32", "0x1p128"), ("id32", "nan:0x0"),
    ("id32", "nan:0x800000"), ("id64", "nan:0x10000000000000"), ("id32", "infinity"),
    ("id32", "1.5x"), ("id32", "."), ("id64", "1e309"),
])
def test_invoke_values_the_text_format_rejects(folder, func, arg):
    assert "is not a valid" in one_line(run("run", "--invoke", func, folder / "m.wasm", arg), 1)


# ---------------------------------------------------------------- errors that name the cause

def test_disabled_feature_is_named(folder):
    line = one_line(run("run", "--mvp", "--invoke", "f", folder / "sign.wat", "1"), 1)
    assert "i32.extend8_s needs sign-extension, which is off" in line


def test_disabled_misc_prefix_instruction_is_named(tmp_path):
    (tmp_path / "sat.wat").write_text(
        '(module (func (param f32) (result i32) local.get 0 i32.trunc_sat_f32_s))')
    line = one_line(run("validate", "--mvp", tmp_path / "sat.wat"), 1)
    assert "i32.trunc_sat_f32_s needs saturating-float-to-int, which is off" in line


def test_directory_as_module(tmp_path):
    assert "is a directory" in one_line(run("run", tmp_path), 1)


def test_missing_export_lists_exports(folder):
    line = one_line(run("run", "--invoke", "nope", folder / "m.wasm"), 1)
    assert "no exported function 'nope'" in line and "g (global)" in line
    assert "memory (memory)" in line and "id32 (func)" in line


def test_dir_error_names_the_os_reason_not_the_module(folder, tmp_path):
    line = one_line(run("run", "--dir", tmp_path / "absent", folder / "exit0.wat"), 1)
    assert line.startswith("wasmlab: --dir:") and "No such file or directory" in line


@pytest.mark.parametrize("backend", BACKENDS)
def test_trapping_start_function_is_named(folder, backend):
    line = one_line(run("run", "--backtrace=off", "--backend", backend, folder / "start_trap.wat"), 1)
    assert "unreachable (in the start function" in line
    done = run("run", "--backend", backend, folder / "start_trap.wat")
    # .wat input keeps its $names (wat2wasm --debug-names)
    assert done.stderr.splitlines()[1:] == ["wasm backtrace:", "    0:   0x1a - <unknown>!s"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("flags,words", [([], "out of bounds memory access (data segment 1)"),
                                         (["--mvp"], "data segment does not fit (data segment 1)")])
def test_out_of_bounds_segment_is_named(tmp_path, backend, flags, words):
    (tmp_path / "oob.wat").write_text(
        '(module (memory 1) (data (i32.const 0) "ok") (data (i32.const 65535) "ab"))')
    assert words in one_line(run("run", "--backend", backend, *flags, tmp_path / "oob.wat"), 1)


# ---------------------------------------------------------------- both types of a mismatch

KINDS_WAST = """
(module (import "spectest" "memory" (memory 2)))
(module (import "spectest" "table" (table 20 externref)))
(module (import "spectest" "global_i32" (global (mut i32))))
(module (import "spectest" "memory" (func (param i32))))
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_import_mismatch_shows_both_types_for_every_kind(tmp_path, backend):
    (tmp_path / "kinds.wast").write_text(KINDS_WAST)
    done = run("spectest", "--backend", backend, tmp_path / "kinds.wast")
    got = [line.split("unlinkable: ", 1)[1] for line in done.stdout.splitlines() + done.stderr.splitlines()
           if "module failed" in line]
    assert got == [
        'incompatible import type: "spectest" "memory": memory limits do not match: '
        'expected (memory 2), given (memory 1 2)',
        'incompatible import type: "spectest" "table": element type differs: '
        'expected (table 20 externref), given (table 10 20 funcref)',
        'incompatible import type: "spectest" "global_i32": mutability differs: '
        'expected (global (mut i32)), given (global i32)',
        'incompatible import type: "spectest" "memory": expected a function, got a memory: '
        'expected (func (param i32)), given (memory 1 2)'], done.stdout + done.stderr


def test_wasi_import_mismatch_shows_both_types(tmp_path):
    (tmp_path / "m.wat").write_text('(module (import "wasi_snapshot_preview1" "fd_write" '
                                    '(func (param i32))) (func (export "_start")))')
    line = one_line(run("run", tmp_path / "m.wat"), 1)
    assert line.endswith('"fd_write": function type differs: expected (func (param i32)), '
                         'given (func (param i32 i32 i32 i32) (result i32))'), line


@pytest.mark.parametrize("flag,wat,words", [
    ("--disable-reference-types", '(module (func (export "f") (param externref)))',
     "malformed value type (at offset 0xd): externref needs reference-types, which is off "
     "(--enable-reference-types)"),
    ("--disable-reference-types", "(module (table 1 externref))",
     "malformed reference type (at offset 0xb): externref needs reference-types, which is off "
     "(--enable-reference-types)"),
    ("--mvp", "(module (func (result i32) (block (result externref) (ref.null extern)) drop "
              "(i32.const 0)))", "externref needs reference-types, which is off (--enable-reference-types)"),
    ("--disable-simd", '(module (func (export "f") (param v128)))',
     "malformed value type (at offset 0xd): v128 needs simd, which is off (--enable-simd)")])
def test_disabled_value_type_names_the_feature(tmp_path, flag, wat, words):
    (tmp_path / "m.wat").write_text(wat)
    line = one_line(run("validate", flag, tmp_path / "m.wat"), 1)
    assert line.endswith(words), line
