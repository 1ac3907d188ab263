"""Differential fuzzer smoke (fuzz/difffuzz.py): a fixed set of binaryen-generated modules on
every backend of the build against wabt's spectest-interp; any disagreement fails. The SIMD
set (--features 2.0) also checks that no backend refuses a module (the JIT has SIMD: a
refusal would be a disagreement, and the summary would list it)."""
import subprocess
import sys

import wasmlab_env

SEEDS = 12


def _difffuzz(tmp_path, *flags):
    done = subprocess.run([sys.executable, str(wasmlab_env.REPO / "fuzz" / "difffuzz.py"),
                           "-n", str(SEEDS), "--no-reduce", "--arg-sets", "2",
                           "--out", str(tmp_path), *flags],
                          capture_output=True, text=True, timeout=600)
    return done, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def test_difffuzz_simd_smoke(wasmlab, tmp_path):
    done, summary = _difffuzz(tmp_path, "--seed", "300000", "--features", "2.0")
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 disagreements" in summary, summary
    assert int(summary.split()[1]) >= SEEDS // 2, f"too few modules generated: {summary}"
    assert "refused" not in summary, summary  # seeds 300000.. all use SIMD, every backend runs them


def test_difffuzz_smoke(wasmlab, tmp_path):
    done, summary = _difffuzz(tmp_path, "--seed", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 disagreements" in summary, summary
    modules = int(summary.split()[1])
    assert modules >= SEEDS // 2, f"too few modules generated: {summary}"


def test_v128_nan_rule():
    """A v128 half is equal by the NaN rule under either reading (fuzz/README.md): seed
    300104's f32x4.add of NaN lanes (wabt canonical NaNs, the interpreter an operand's NaN,
    which also reads as an f64 NaN) is equal; a non-NaN lane that differs is not."""
    sys.path.insert(0, str(wasmlab_env.REPO / "fuzz"))
    import compare
    halves_equal = compare._v128_halves_equal
    assert halves_equal(0x7fc000007fc00000, 0xffffffffffffffb2)      # f32 lanes, both NaN
    assert halves_equal(0x7ff8000000000000, 0xfff0000000000001)      # f64 NaNs
    assert not halves_equal(0x7fc0000000000000, 0x7fc0000000000001)  # lane 0: 0 vs 1
    assert not halves_equal(0x3f8000007fc00000, 0x400000007fc00000)  # lane 1: 1.0 vs 2.0
