"""Decoder/validator robustness: every .wasm of the spec suites, truncated and with flipped
bytes (seeded; about 20 variants per file, ~100,000 inputs per suite), through
wl_module_validate in the AddressSanitizer build; variants that validate are also compiled
(wl_module_new). Any crash, sanitizer report, leak (LeakSanitizer) or hang fails the test."""
import os
import re
import subprocess

import pytest

import wasmlab_env

VARIANTS = int(os.environ.get("WASMLAB_FUZZ_VARIANTS", "20"))
SEED = int(os.environ.get("WASMLAB_FUZZ_SEED", "1"))


@pytest.fixture(scope="module")
def asan_wasmlab():
    binary = wasmlab_env.wasmlab_binary(wasmlab_env.asan_build_dir())
    if not binary.exists():
        pytest.skip(f"no sanitizer build at {binary}: run scripts/build.sh asan")
    return binary


@pytest.mark.parametrize("suite", [s for s, spec in wasmlab_env.SUITES.items()
                                   if spec.get("fuzz", True)])
def test_fuzz_validate(asan_wasmlab, converted_suites, suite):
    folder = converted_suites.folder(suite)
    env = dict(os.environ,
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    flags = wasmlab_env.SUITES[suite]["engine_flags"]
    done = subprocess.run([str(asan_wasmlab), "fuzz-validate", str(folder), "--seed", str(SEED),
                           "--variants", str(VARIANTS), "--compile", *flags],
                          capture_output=True, text=True, timeout=1200, env=env)
    assert done.returncode == 0, (
        f"fuzz-validate exited with {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-6000:]}")
    match = re.search(r"(\d+) files, (\d+) inputs", done.stdout)
    assert match, done.stdout
    files, inputs = int(match.group(1)), int(match.group(2))
    # The proposal suites are small (tail-call: 30 .wasm files); each file still gets its variants.
    assert files >= 1 and inputs >= files * VARIANTS, done.stdout
    assert suite.startswith("proposals/") or inputs >= 1000, done.stdout
