"""Our own .wast regression tests (harness/wast/): cases the official suites do not pin down,
each named after what broke or what a fast path must keep exact. Every file runs on every
backend through `wasmlab spectest`, like the official suites."""
import os
import subprocess

import pytest

import wasmlab_env

WAST_DIR = wasmlab_env.HARNESS / "wast"
KNOWN = wasmlab_env.load_known_failures()


def _expect_all_pass(done, name, backend):
    """Every command passes, or the file is a listed gap of this backend (suite "regressions"
    in known_failures.json), which must then still fail: a fixed gap is removed from the list."""
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    passed = done.returncode == 0 and last.endswith(" 0 failed") and not last.startswith("0 passed")
    reason = wasmlab_env.known_failure(KNOWN, "regressions", name, backend)
    if reason:
        assert not passed, f"{name} passes on {backend}: remove it from known_failures.json"
        pytest.xfail(reason)
    assert done.returncode == 0 and last.endswith(" 0 failed"), done.stdout + done.stderr
    assert not last.startswith("0 passed"), f"{name} ran no command: {last}"


@pytest.mark.parametrize("backend", wasmlab_env.built_backends())
@pytest.mark.parametrize("wast", sorted(WAST_DIR.glob("*.wast")), ids=lambda p: p.stem)
def test_regression_wast(wasmlab, wast, backend):
    done = subprocess.run([str(wasmlab), "spectest", str(wast), "--backend", backend],
                          capture_output=True, text=True, timeout=300)
    _expect_all_pass(done, wast.name, backend)


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


# harness/wast/<proposal>/: regression tests of a proposal that is off by default, run with it
# enabled (<a>+<b>/: with both).
PROPOSAL_DIRS = sorted(p for p in WAST_DIR.iterdir() if p.is_dir())


def _enable_flags(folder):
    return [f"--enable-{name}" for name in folder.name.split("+")]


@pytest.mark.parametrize("backend", wasmlab_env.built_backends())
@pytest.mark.parametrize("folder", PROPOSAL_DIRS, ids=lambda p: p.name)
def test_proposal_regression_wast(wasmlab, folder, backend):
    done = subprocess.run([str(wasmlab), "spectest", str(folder), "--backend", backend,
                           *_enable_flags(folder)],
                          capture_output=True, text=True, timeout=300)
    _expect_all_pass(done, folder.name + "/", backend)


@pytest.mark.parametrize("folder", PROPOSAL_DIRS, ids=lambda p: p.name)
def test_proposal_regression_wast_without_fast_paths(wasmlab, folder):
    done = subprocess.run([str(wasmlab), "spectest", str(folder), "--backend", "interp",
                           *_enable_flags(folder)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "WASMLAB_INTERP_SLOW": "1"})
    _expect_all_pass(done, folder.name + "/", "interp")  # a listed interpreter gap stays listed
