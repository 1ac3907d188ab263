"""The `wasmlab` command's allocator (engine/cli/allocator.c): jemalloc when the build was
configured with WASMLAB_MALLOC=jemalloc (the default; sanitizer builds use "system"). The
point is LLVM's allocations during `wasmlab compile`, so the AOT check asks the dynamic
linker where the code generator library's malloc and free were bound."""
import os
import re
import subprocess

import pytest

import wasmlab_env


def configured_allocator():
    cache = wasmlab_env.build_dir() / "CMakeCache.txt"
    for line in cache.read_text().splitlines():
        if line.startswith("WASMLAB_MALLOC:"):
            return line.split("=", 1)[1]
    return "system"


def test_version_names_the_configured_allocator(wasmlab):
    out = subprocess.run([str(wasmlab), "--version", "--verbose"], capture_output=True,
                         text=True, check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("allocator: "))
    if configured_allocator() == "jemalloc":
        assert re.fullmatch(r"allocator: jemalloc \d+\.\d+\.\d+.*", line), line
    else:
        assert line == "allocator: system"


@pytest.mark.skipif("aot" not in wasmlab_env.built_backends(),
                    reason="this build has no AOT backend")
def test_llvm_allocates_through_the_commands_allocator(wasmlab, tmp_path):
    wat, wasm = tmp_path / "m.wat", tmp_path / "m.wasm"
    wat.write_text('(module (func (export "f") (result i32) i32.const 7))')
    subprocess.run(["wat2wasm", str(wat), "-o", str(wasm)], check=True)
    env = dict(os.environ, LD_DEBUG="bindings", LD_DEBUG_OUTPUT=str(tmp_path / "ld"))
    subprocess.run([str(wasmlab), "compile", str(wasm), "-o", str(tmp_path / "m.so")],
                   env=env, check=True, capture_output=True)
    log = "".join(p.read_text(errors="replace") for p in tmp_path.glob("ld.*"))
    bound = set(re.findall(r"binding file \S*libLLVM\S* \[0\] to (\S+) \[0\]: "
                           r"normal symbol `(?:malloc|free)'", log))
    assert bound, "the compiler library's malloc and free were never bound"
    want = "libjemalloc" if configured_allocator() == "jemalloc" else "libc.so"
    assert all(want in b for b in bound), bound
