"""How AOT artifacts are linked (backends/aot/aot_artifact.c): in-process by lld when the
compiler library was built with liblld-19-dev (backends/aot/llvm/aot_lld.cpp), else, or when
WASMLAB_AOT_LINKER names a linker, by a spawned one. Both artifacts run the same and keep the
trap backtraces that read their unwind and line tables. lld marks its output in the ELF
.comment section ("Linker: Debian LLD 19.1.7"); GNU ld adds no such line."""
import os
import re
import subprocess

import pytest

import wasmlab_env

pytestmark = pytest.mark.skipif("aot" not in wasmlab_env.built_backends(),
                                reason="this build has no AOT backend")

WAT = """(module
  (memory 1)
  (func $deep (export "deep") (param i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.const 65536))))
  (func (export "f") (param i32) (result i32)
    (call $deep (local.get 0))))"""


def build_has_lld():
    cache = wasmlab_env.build_dir() / "CMakeCache.txt"
    for line in cache.read_text().splitlines():
        if line.startswith("LLD_ELF_LIB:"):
            return not line.endswith("NOTFOUND")
    return False


@pytest.fixture
def module(tmp_path):
    wat, wasm = tmp_path / "m.wat", tmp_path / "m.wasm"
    wat.write_text(WAT)
    subprocess.run(["wat2wasm", "--debug-names", str(wat), "-o", str(wasm)], check=True)
    return wasm


def compile_with(module, out, linker):
    env = {k: v for k, v in os.environ.items() if k != "WASMLAB_AOT_LINKER"}
    if linker:
        env["WASMLAB_AOT_LINKER"] = linker
    done = subprocess.run([str(wasmlab_env.wasmlab_binary()), "compile", str(module), "-o",
                           str(out)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    comment = subprocess.run(["readelf", "-p", ".comment", str(out)], capture_output=True,
                             text=True).stdout
    return re.search(r"Linker: (.* )?LLD ", comment) is not None


def run_artifact(module, artifact, function, arg):
    env = {**os.environ, "WASMLAB_AOT_FILE": str(artifact)}
    return subprocess.run([str(wasmlab_env.wasmlab_binary()), "run", "--backend", "aot",
                           "--invoke", function, str(module), arg], capture_output=True,
                          text=True, timeout=60, env=env)


@pytest.mark.parametrize("linker", [None, "ld.bfd"])
def test_artifact_runs_and_traps_with_frames(module, tmp_path, linker):
    artifact = tmp_path / "m.so"
    by_lld = compile_with(module, artifact, linker)
    assert by_lld == (linker is None and build_has_lld())
    done = run_artifact(module, artifact, "deep", "-65536")  # reads address 0: 0
    assert (done.returncode, done.stdout.strip()) == (0, "i32:0"), done.stderr
    trapped = run_artifact(module, artifact, "f", "5")  # 65541: out of bounds
    assert trapped.returncode == 1, trapped.stderr
    assert "out of bounds memory access" in trapped.stderr
    frames = [line.split(" - ")[1] for line in trapped.stderr.splitlines() if " - " in line]
    assert frames == ["<unknown>!deep", "<unknown>!<wasm function 1>"], trapped.stderr
