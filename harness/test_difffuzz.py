"""Differential fuzzer smoke (fuzz/difffuzz.py): a fixed set of binaryen-generated modules on
every backend of the build against wabt's spectest-interp; any disagreement fails."""
import subprocess
import sys

import wasmlab_env

SEEDS = 12


def test_difffuzz_smoke(wasmlab, tmp_path):
    done = subprocess.run([sys.executable, str(wasmlab_env.REPO / "fuzz" / "difffuzz.py"),
                           "-n", str(SEEDS), "--seed", "1", "--no-reduce", "--arg-sets", "2",
                           "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 disagreements" in summary, summary
    modules = int(summary.split()[1])
    assert modules >= SEEDS // 2, f"too few modules generated: {summary}"
