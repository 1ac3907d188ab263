"""The measuring instrument itself: `wasmlab spectest` must report passes and failures
correctly (a runner that passes everything measures nothing). Small hand-written scripts with
known right and wrong assertions."""
import json
import os
import subprocess

import pytest

GOOD = r"""
(module $M
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "bits32") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "pair") (result i32 i64) (i32.const 1) (i64.const -1))
  (func $loop (export "loop") (call $loop))
  (global (export "g") i32 (i32.const 42)))
(register "M" $M)
(module (import "M" "add" (func $add (param i32 i32) (result i32)))
  (func (export "twice") (param i32) (result i32) (call $add (local.get 0) (local.get 0))))
(assert_return (invoke "twice" (i32.const 21)) (i32.const 42))
(assert_return (invoke $M "add" (i32.const -1) (i32.const 1)) (i32.const 0))
(assert_return (invoke $M "pair") (i32.const 1) (i64.const -1))
(assert_return (get $M "g") (i32.const 42))
(assert_return (invoke $M "nan") (f32.const nan:canonical))
(assert_return (invoke $M "nan") (f32.const nan:arithmetic))
(assert_return (invoke $M "bits32" (i32.const 0x7fc00001)) (f32.const nan:arithmetic))
(assert_return (invoke $M "id" (ref.extern 7)) (ref.extern 7))
(assert_return (invoke $M "id" (ref.null extern)) (ref.null extern))
(assert_trap (invoke $M "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke $M "loop") "call stack exhausted")
(assert_malformed (module quote "(func") "unexpected token")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
(assert_unlinkable (module (import "M" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "M" "add" (func (param i64)))) "incompatible import type")
(assert_trap (module (func $f unreachable) (start $f)) "unreachable")
"""
GOOD_COMMANDS = 20

# Each of these assertions is wrong; the runner must fail every one.
BAD = r"""
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "bits32") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "id") (param externref) (result externref) (local.get 0)))
(assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 3))
(assert_return (invoke "bits32" (i32.const 0x7fa00000)) (f32.const nan:arithmetic))
(assert_return (invoke "bits32" (i32.const 0x7fc00001)) (f32.const nan:canonical))
(assert_return (invoke "bits32" (i32.const 0x80000000)) (f32.const 0))
(assert_return (invoke "id" (ref.extern 7)) (ref.extern 8))
(assert_return (invoke "id" (ref.extern 0)) (ref.null extern))
(assert_trap (invoke "add" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "id" (ref.null extern)) "unreachable")
(assert_invalid (module (func (result i32) (i32.const 1))) "type mismatch")
(assert_malformed (module binary "\00asm\01\00\00\00") "unexpected end")
"""
BAD_LINES = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]


def spectest(wasmlab, path, *flags):
    return subprocess.run([str(wasmlab), "spectest", str(path), *flags], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def scripts(tmp_path):
    (tmp_path / "good.wast").write_text(GOOD)
    (tmp_path / "bad.wast").write_text(BAD)
    return tmp_path


def test_good_script_passes(wasmlab, scripts):
    done = spectest(wasmlab, scripts / "good.wast")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (f"passed {GOOD_COMMANDS - 1}, failed 0, skipped 1 (text-format modules), "
            f"total {GOOD_COMMANDS}") in done.stdout
    assert done.stdout.rstrip().endswith(f"{GOOD_COMMANDS - 1} passed, 0 failed")


def test_wrong_assertions_fail(wasmlab, scripts):
    done = spectest(wasmlab, scripts / "bad.wast", "--json")
    assert done.returncode == 1
    records = [json.loads(line) for line in done.stdout.splitlines()]
    failed = [r["line"] for r in records if r["outcome"] == "fail"]
    assert failed == BAD_LINES, "\n".join(map(str, records))


def test_json_records(wasmlab, scripts):
    done = spectest(wasmlab, scripts / "good.wast", "--json")
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == GOOD_COMMANDS
    for r in records:
        assert set(r) == {"file", "line", "kind", "outcome", "expected", "got", "message"}
    kinds = {r["kind"] for r in records}
    assert {"module", "register", "assert_return", "assert_trap", "assert_exhaustion",
            "assert_malformed", "assert_invalid", "assert_unlinkable",
            "assert_uninstantiable"} <= kinds
    assert "good.wast: passed" in done.stderr  # summaries stay off stdout in --json mode


def test_folder_runs_every_file_in_order(wasmlab, scripts):
    done = spectest(wasmlab, scripts)
    assert done.returncode == 1
    summaries = [line for line in done.stdout.splitlines() if ": passed " in line]
    assert [s.split(":")[0].rsplit("/", 1)[1] for s in summaries[:-1]] == ["bad.wast", "good.wast"]
    assert summaries[-1].startswith("total: passed")


def test_missing_path(wasmlab, tmp_path):
    assert spectest(wasmlab, tmp_path / "nothing.wast").returncode == 1


def test_usage(wasmlab):
    done = subprocess.run([str(wasmlab), "spectest"], capture_output=True, text=True)
    assert done.returncode == 2


def _run_with_cache(wasmlab, path, cache, path_dirs, *flags):
    env = {**os.environ, "WASMLAB_WAST2JSON_CACHE": str(cache), "PATH": path_dirs}
    return subprocess.run([str(wasmlab), "spectest", str(path), *flags], capture_output=True,
                          text=True, timeout=120, env=env)


def test_conversion_cache_converts_once(wasmlab, scripts, tmp_path):
    """A second run with the cache converts nothing: wast2json is replaced by one that always
    fails, and the run still passes from the cached conversion. Editing the file or changing
    the flags (--mvp) is a new key, which needs the (now broken) converter again."""
    cache, broken = tmp_path / "cache", tmp_path / "broken-bin"
    broken.mkdir()
    fake = broken / "wast2json"
    fake.write_text("#!/bin/sh\necho 'wast2json must not run' >&2\nexit 3\n")
    fake.chmod(0o755)
    script = scripts / "good.wast"
    first = _run_with_cache(wasmlab, script, cache, os.environ["PATH"])
    assert first.returncode == 0, first.stdout + first.stderr
    entries = [p.name for p in cache.iterdir()]
    assert len(entries) == 1 and entries[0].startswith("good-"), entries

    again = _run_with_cache(wasmlab, script, cache, f"{broken}:{os.environ['PATH']}")
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{GOOD_COMMANDS - 1} passed, 0 failed" in again.stdout

    other_flags = _run_with_cache(wasmlab, script, cache, f"{broken}:{os.environ['PATH']}",
                                  "--mvp")
    assert "wast2json failed" in other_flags.stdout + other_flags.stderr
    script.write_text(GOOD + "\n;; edited\n")
    edited = _run_with_cache(wasmlab, script, cache, f"{broken}:{os.environ['PATH']}")
    assert "wast2json failed" in edited.stdout + edited.stderr
    assert [p.name for p in cache.iterdir()] == entries  # failed conversions are not cached
