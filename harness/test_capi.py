"""The standard C API (wasm.h): every harness/capi/*.c program runs on every backend, after
its .wat modules are compiled into a scratch folder (the programs load them from their working
directory). Each program checks its own results and exits 0 only when all of them pass."""
import os
import subprocess
from pathlib import Path

import pytest

import wasmlab_env

CAPI = Path(__file__).resolve().parent / "capi"
PROGRAMS = sorted(CAPI.glob("*.c"))


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    out = tmp_path_factory.mktemp("capi")
    for wat in sorted(CAPI.glob("*.wat")):
        subprocess.run(["wat2wasm", str(wat), "-o", str(out / (wat.stem + ".wasm"))], check=True)
    return out


@pytest.mark.parametrize("backend", wasmlab_env.built_backends())
@pytest.mark.parametrize("source", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_capi_program(source, backend, modules):
    binary = wasmlab_env.build_dir() / source.stem
    assert binary.exists(), f"{source.name} was not built ({binary} is missing)"
    env = dict(os.environ, WASMLAB_BACKEND=backend)
    done = subprocess.run([str(binary)], capture_output=True, text=True, timeout=300,
                          cwd=modules, env=env)
    assert done.returncode == 0, (
        f"{source.stem} on {backend} exited with {done.returncode}\n"
        f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    assert " passed, 0 failed" in done.stdout
