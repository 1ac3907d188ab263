#!/usr/bin/env python3
"""memory64 bounds-check cost: the same memory-bound kernel (kernel.wat.in) with an i32 and an
i64 memory, on every backend. An i32 memory needs no bounds checks in native code (the 8 GiB
guard reservation covers every address + offset); an i64 memory gets an explicit check on
every access. Prints the median time per round (whole-process time at R rounds minus at 0
rounds, over R) and the i64/i32 ratio.

  bench/memory64/run.py [--rounds R] [--repeat N] [--backends interp,aot]
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WRAP = {"i32": "i32.or (i32.const 0)", "i64": "i32.wrap_i64"}


def build(folder: Path, index_type: str) -> Path:
    text = (HERE / "kernel.wat.in").read_text()
    text = text.replace("@A@", index_type).replace("@WRAP@", WRAP[index_type])
    wat, wasm = folder / f"kernel_{index_type}.wat", folder / f"kernel_{index_type}.wasm"
    wat.write_text(text)
    subprocess.run(["wat2wasm", "--enable-memory64", str(wat), "-o", str(wasm)], check=True)
    return wasm


def run_once(wasmlab, backend, wasm, index_type, rounds):
    flags = ["--enable-memory64"] if index_type == "i64" else []
    started = time.perf_counter()
    done = subprocess.run([str(wasmlab), "run", "--backend", backend, *flags, "--invoke", "run",
                           str(wasm), str(rounds)], capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout.strip()


def per_round(wasmlab, backend, wasm, index_type, rounds, repeat):
    run_once(wasmlab, backend, wasm, index_type, 0)  # warm the AOT cache
    base = statistics.median(run_once(wasmlab, backend, wasm, index_type, 0)[0]
                             for _ in range(repeat))
    times, results = [], set()
    for _ in range(repeat):
        seconds, out = run_once(wasmlab, backend, wasm, index_type, rounds)
        times.append(seconds)
        results.add(out)
    return (statistics.median(times) - base) / rounds, results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--backends", default="interp,aot")
    ap.add_argument("--wasmlab", default=str(REPO / "build" / "wasmlab"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wasm = {t: build(Path(tmp), t) for t in ("i32", "i64")}
        print("| backend | rounds | i32 memory ms/round | i64 memory ms/round | i64 / i32 |")
        print("|---|---|---|---|---|")
        for backend in args.backends.split(","):
            rounds = args.rounds if backend != "interp" else max(1, args.rounds // 20)
            t = {}
            results = set()
            for index_type in ("i32", "i64"):
                t[index_type], r = per_round(args.wasmlab, backend, wasm[index_type], index_type,
                                             rounds, args.repeat)
                results |= r
            if len(results) != 1:
                sys.exit(f"{backend}: the two kernels disagree: {sorted(results)}")
            print(f"| {backend} | {rounds} | {t['i32'] * 1e3:.3f} | {t['i64'] * 1e3:.3f} | "
                  f"{t['i64'] / t['i32']:.2f} |")


if __name__ == "__main__":
    main()
