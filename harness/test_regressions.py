"""Our own .wast regression tests (harness/wast/): cases the official suites do not pin down,
each named after what broke or what a fast path must keep exact. Every file runs on every
backend through `wasmlab spectest`, like the official suites."""
import os
import subprocess

import pytest

import wasmlab_env

WAST_DIR = wasmlab_env.HARNESS / "wast"


@pytest.mark.parametrize("backend", wasmlab_env.built_backends())
@pytest.mark.parametrize("wast", sorted(WAST_DIR.glob("*.wast")), ids=lambda p: p.stem)
def test_regression_wast(wasmlab, wast, backend):
    done = subprocess.run([str(wasmlab), "spectest", str(wast), "--backend", backend],
                          capture_output=True, text=True, timeout=300)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0 and last.endswith(" 0 failed"), done.stdout + done.stderr
    assert not last.startswith("0 passed"), f"{wast.name} ran no command: {last}"


@pytest.mark.parametrize("backend", wasmlab_env.built_backends())
@pytest.mark.parametrize("wast", sorted((WAST_DIR / "relaxed").glob("*.wast")), ids=lambda p: p.stem)
def test_relaxed_simd_regression_wast(wasmlab, wast, backend):
    """harness/wast/relaxed/: the opt-in relaxed SIMD proposal's deterministic choices."""
    done = subprocess.run([str(wasmlab), "spectest", str(wast), "--backend", backend,
                           "--enable-relaxed-simd"], capture_output=True, text=True, timeout=300)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0 and last.endswith(" 0 failed"), done.stdout + done.stderr
    assert not last.startswith("0 passed"), f"{wast.name} ran no command: {last}"


def test_regression_wast_without_fast_paths(wasmlab):
    """The interpreter's fused instructions against its plain ones (WASMLAB_INTERP_SLOW=1)."""
    done = subprocess.run([str(wasmlab), "spectest", str(WAST_DIR), "--backend", "interp"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "WASMLAB_INTERP_SLOW": "1"})
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif("aot" not in wasmlab_env.built_backends(), reason="this build has no aot backend")
def test_regression_wast_aot_unoptimized(wasmlab):
    """The AOT's own rules (e.g. a faulting load is never dead) must not depend on the optimizer."""
    done = subprocess.run([str(wasmlab), "spectest", str(WAST_DIR), "--backend", "aot"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "WASMLAB_AOT_OPT": "0"})
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("backend", wasmlab_env.built_backends())
def test_cross_instance_recursion_past_any_depth_limit(wasmlab, backend):
    """Issue 9, bug 5: with a call-depth limit the native stack cannot reach, recursion across
    instances must still trap "call stack exhausted" (the native stack check), not crash."""
    done = subprocess.run([str(wasmlab), "spectest", str(WAST_DIR / "cross_instance_recursion.wast"),
                           "--backend", backend, "--max-call-depth", "4000000000"],
                          capture_output=True, text=True, timeout=300)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0 and last == "7 passed, 0 failed", done.stdout + done.stderr


# harness/wast/<proposal>/: regression tests of a Wasm 3.0 proposal, run with it enabled
# (<a>+<b>/: with both).
PROPOSAL_DIRS = sorted(p for p in WAST_DIR.iterdir() if p.is_dir())


def _enable_flags(folder):
    return [f"--enable-{name}" for name in folder.name.split("+")]


@pytest.mark.parametrize("backend", wasmlab_env.built_backends())
@pytest.mark.parametrize("folder", PROPOSAL_DIRS, ids=lambda p: p.name)
def test_proposal_regression_wast(wasmlab, folder, backend):
    done = subprocess.run([str(wasmlab), "spectest", str(folder), "--backend", backend,
                           *_enable_flags(folder)],
                          capture_output=True, text=True, timeout=300)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0 and last.endswith(" 0 failed"), done.stdout + done.stderr
    assert not last.startswith("0 passed"), f"{folder.name} ran no command: {last}"


@pytest.mark.parametrize("folder", PROPOSAL_DIRS, ids=lambda p: p.name)
def test_proposal_regression_wast_without_fast_paths(wasmlab, folder):
    done = subprocess.run([str(wasmlab), "spectest", str(folder), "--backend", "interp",
                           *_enable_flags(folder)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "WASMLAB_INTERP_SLOW": "1"})
    assert done.returncode == 0, done.stdout + done.stderr
