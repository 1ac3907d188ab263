#!/usr/bin/python3
"""Wall time of a whole spec-suite run: `wasmlab spectest` against wabt's `spectest-interp`,
both including the wast2json conversion, on the same files, alternating, median of N; and
wasmlab once more warm, its conversions cached (WASMLAB_WAST2JSON_CACHE) by the cold run.

  bench/spectest_timing.py [--suite wasm-2.0|wasm-1.0] [--runs 5] [--backend interp]

wabt is run the way its own test driver does: wast2json then spectest-interp, per file,
sequentially. SIMD files are left out (as in the runs recorded in bench/RESULTS.md, which
predate SIMD in wasmlab)."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUITES = Path(os.environ.get("WASMLAB_TESTSUITE", REPO.parent / "shared" / "spec-testsuite"))
MVP_FLAGS = ["--disable-saturating-float-to-int", "--disable-sign-extension",
             "--disable-multi-value", "--disable-bulk-memory", "--disable-reference-types",
             "--disable-simd"]


def suite_files(suite):
    return sorted(p for p in (SUITES / suite).glob("*.wast") if not p.name.startswith("simd_"))


def run_wabt(files, mvp):
    flags = MVP_FLAGS if mvp else []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        for wast in files:
            out = Path(tmp) / wast.stem
            out.mkdir()
            json_path = out / f"{wast.stem}.json"
            subprocess.run(["wast2json", *flags, str(wast), "-o", str(json_path)], check=True,
                           capture_output=True)
            # spectest-interp exits non-zero when an assertion fails; the time is what counts.
            subprocess.run(["spectest-interp", *flags, str(json_path)], capture_output=True)
        return time.monotonic() - started


def run_wasmlab(wasmlab, files, mvp, backend, cache):
    env = {**os.environ, "WASMLAB_WAST2JSON_CACHE": str(cache)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for wast in files:  # the same file list as wabt's, without the SIMD files
            (folder / wast.name).symlink_to(wast)
        args = [str(wasmlab), "spectest", str(folder), "--backend", backend]
        started = time.monotonic()
        done = subprocess.run(args + (["--mvp"] if mvp else []), capture_output=True, text=True,
                              env=env)
        seconds = time.monotonic() - started
        return seconds, done.stdout.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="wasm-2.0", choices=["wasm-2.0", "wasm-1.0"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", default="interp")
    opts = parser.parse_args()
    wasmlab = Path(os.environ.get("WASMLAB") or
                   Path(os.environ.get("WASMLAB_BUILD", REPO / "build")) / "wasmlab")
    files, mvp = suite_files(opts.suite), opts.suite == "wasm-1.0"
    wabt, ours, warm, summary = [], [], [], ""
    for _ in range(opts.runs):
        wabt.append(run_wabt(files, mvp))
        with tempfile.TemporaryDirectory() as cache:  # cold: an empty conversion cache
            seconds, summary = run_wasmlab(wasmlab, files, mvp, opts.backend, cache)
            ours.append(seconds)
            seconds, _ = run_wasmlab(wasmlab, files, mvp, opts.backend, cache)
            warm.append(seconds)
    w, o, h = statistics.median(wabt), statistics.median(ours), statistics.median(warm)
    print(f"{opts.suite} ({len(files)} files, no SIMD), median of {opts.runs} alternating runs")
    print(f"  wabt wast2json + spectest-interp : {w:.2f} s")
    print(f"  wasmlab spectest --backend {opts.backend:6s} : {o:.2f} s  ({o / w:.2f}x wabt)")
    print(f"  wasmlab warm (conversions cached): {h:.2f} s  ({h / w:.2f}x wabt)")
    print(f"  wasmlab result: {summary}")


if __name__ == "__main__":
    sys.exit(main())
