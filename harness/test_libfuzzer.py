"""libFuzzer targets (fuzz/libfuzzer/): each runs briefly from the spec-suite seed corpus in
the clang-19 sanitizer build (scripts/build.sh libfuzzer); a crash, sanitizer report, leak or
timeout fails. Longer runs: fuzz/libfuzzer/run.sh -t SECONDS."""
import os
import subprocess

import pytest

import wasmlab_env

TARGETS = ["decode_validate", "instantiate_run", "aot_compile"]
SECONDS = int(os.environ.get("WASMLAB_LIBFUZZER_SECONDS", "20"))
BUILD = wasmlab_env.REPO / "build-libfuzzer"


@pytest.mark.parametrize("target", TARGETS)
def test_libfuzzer_target(target):
    binary = BUILD / "fuzz" / "libfuzzer" / f"fuzz_{target}"
    if not binary.exists():
        pytest.skip(f"no libFuzzer build at {binary}: run scripts/build.sh libfuzzer")
    done = subprocess.run([str(wasmlab_env.REPO / "fuzz" / "libfuzzer" / "run.sh"),
                           "-t", str(SECONDS), target],
                          capture_output=True, text=True, timeout=SECONDS + 900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"{target}: exit 0" in done.stdout, done.stdout
