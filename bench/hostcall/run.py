#!/usr/bin/env python3
"""Host-call benchmark: bench/hostcall/hostcall.c on every backend the build has (guest call,
trivial host call, kv put, kv get), and native_kv.c for the store's own cost. Each case runs
--runs times (a fresh store each time); the median and the minimum ns per call are reported
(on a busy machine the minimum is the better estimate of the cost itself).

  bench/hostcall/run.py [--calls N] [--runs R] [--out DIR]

Writes DIR/hostcall.json (every run, machine, build) and prints a markdown table. Runs niced
and serially: the machine is shared."""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HEADERS = REPO / "examples" / "host-modules"
CASES = ["guest-call", "trivial", "kv-put", "kv-get"]


def build(out: Path):
    wasm, native = out / "hostcall.wasm", out / "native_kv"
    subprocess.run(["clang-19", "--target=wasm32-wasi", "-O2", f"-I{HEADERS}",
                    str(HERE / "hostcall.c"), "-o", str(wasm)], check=True)
    subprocess.run(["cc", "-O2", str(HERE / "native_kv.c"), "-lrocksdb", "-o", str(native)],
                   check=True)
    return wasm, native


def parse(text):
    """{case: ns per call} from the programs' output lines."""
    return {f[0]: float(f[3]) for f in (line.split() for line in text.splitlines())}


def run_once(cmd):
    with tempfile.TemporaryDirectory(prefix="hostcall-") as store:
        cmd = [c.replace("{STORE}", store) for c in cmd]
        done = subprocess.run(["nice", "-n", "10", *cmd], capture_output=True, text=True,
                              timeout=1800, check=True)
    return parse(done.stdout)


def backends(wasmlab):
    out = subprocess.run([wasmlab, "--version", "--verbose"], capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("backends:"):
            return line.split(":", 1)[1].split()
    return ["interp"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=100001)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "hostcall")
    ap.add_argument("--wasmlab", default=str(REPO / "build" / "wasmlab"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    binaries = REPO / "bench" / "build" / "hostcall"
    binaries.mkdir(parents=True, exist_ok=True)
    wasm, native = build(binaries)
    runtimes = {f"wasmlab-{b}": [args.wasmlab, "run", "--backend", b, "--allow-command-all",
                                 "--kv", "{STORE}", "--kv-write", str(wasm), str(args.calls)]
                for b in backends(args.wasmlab)}
    runtimes["native-rocksdb"] = [str(native), "{STORE}", str(args.calls)]
    raw = {name: [run_once(cmd) for _ in range(args.runs)] for name, cmd in runtimes.items()}
    medians = {name: {c: statistics.median(r[c] for r in runs) for c in CASES if c in runs[0]}
               for name, runs in raw.items()}
    minima = {name: {c: min(r[c] for r in runs) for c in medians[name]}
              for name, runs in raw.items()}
    record = {"calls": args.calls, "runs": args.runs, "raw": raw, "median_ns": medians,
              "min_ns": minima,
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                          "load": os.getloadavg()},
              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (args.out / "hostcall.json").write_text(json.dumps(record, indent=2) + "\n")
    print("| runtime | " + " | ".join(f"{c} ns: median (min)" for c in CASES) + " |")
    print("|---|" + "---|" * len(CASES))
    for name, m in medians.items():
        cells = [f"{m[c]:.1f} ({minima[name][c]:.1f})" if c in m else "–" for c in CASES]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
