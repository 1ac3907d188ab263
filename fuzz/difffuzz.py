#!/usr/bin/python3
"""Differential fuzzer: random valid modules from binaryen (`wasm-opt -ttf`), every export
called with edge-value arguments, on every wasmlab backend and on wabt's spectest-interp.

    fuzz/difffuzz.py -n 100 [--seed 1] [--features 2.0-nosimd] [--out fuzz-out] [-j 1]
    fuzz/difffuzz.py --check FILE.wasm --backend aot   (exit 1 on a disagreement; wasm-reduce's test)

Module i comes from seed S+i alone (its wasm-opt input bytes and its arguments), so a
disagreement is reproduced by `-n 1 --seed S+i`. Each disagreement is saved in OUT/seed-N/
(module, script, report) and reduced with wasm-reduce to OUT/seed-N/reduced.wasm.
See fuzz/README.md for what may differ."""
import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "harness"))

import compare  # noqa: E402
import engines  # noqa: E402
import script  # noqa: E402
import wasm_info  # noqa: E402
import wasmlab_env  # noqa: E402  (the build and its backends, as the harness finds them)
from features import feature_set  # noqa: E402

ATTEMPTS_PER_FLAG_SET = 3  # binaryen 108 often emits typed references (see features.py)


def generate(seed: int, features: dict, work: Path):
    """(module bytes, used the fallback flags) for a module wabt validates with the feature
    set, from the seed alone; (None, False) when no attempt gave one."""
    flag_sets = [features["wasm_opt"]] * ATTEMPTS_PER_FLAG_SET
    flag_sets += [features.get("wasm_opt_fallback", features["wasm_opt"])] * ATTEMPTS_PER_FLAG_SET
    for attempt, flags in enumerate(flag_sets):
        rng = random.Random(f"{seed}/{attempt}")
        entropy = work / "input.dat"
        entropy.write_bytes(rng.randbytes(rng.randrange(512, 16384)))
        wasm = work / "module.wasm"
        gen = subprocess.run(["wasm-opt", str(entropy), "-ttf", *flags, "-o", str(wasm)],
                             capture_output=True, timeout=120)
        if gen.returncode != 0:
            continue
        ok = subprocess.run(["wasm-validate", *features["wabt"], str(wasm)], capture_output=True)
        if ok.returncode == 0:
            return wasm.read_bytes(), attempt >= ATTEMPTS_PER_FLAG_SET
    return None, False


def fuzzed_module_line(text: str) -> int:
    return text[:text.index("(module $fuzzed")].count("\n") + 1


def run_module(wasm: bytes, seed: int, features: dict, args, work: Path, stats=None):
    """(calls, {engine: differences}) for one module. `stats` (a Counter), when given, gets
    each engine's seconds, each listed gap's refusals and the NaN-tolerated results."""
    stats = Counter() if stats is None else stats
    rng = random.Random(f"{seed}/args")
    exports = wasm_info.exported_functions(wasm)
    text, calls = script.build(wasm, exports, rng, args.arg_sets)
    wast, direct = work / "script.wast", work / "direct.wast"
    wast.write_text(text)
    direct_text, action_lines = script.build_direct(wasm, exports, calls)
    direct.write_text(direct_text)
    start = time.monotonic()
    reference = engines.run_wabt(wast, features["wabt"], args.timeout, fuzzed_module_line(text))
    stats["seconds wabt"] += time.monotonic() - start
    found = {}
    for backend in args.backends:
        start = time.monotonic()
        run = engines.run_wasmlab(args.wasmlab, backend, direct, features["wasmlab"], args.timeout,
                                  fuzzed_module_line(direct_text), action_lines)
        stats[f"seconds {backend}"] += time.monotonic() - start
        if run.refused and backend in features.get("listed_gaps", {}):
            stats[f"refused {backend}"] += 1  # a listed gap: the other engines still compare
            continue
        diffs = [("refused", "", run.refused)] if run.refused else \
            compare.differences(reference, run, calls)
        stats["NaN-tolerated results"] += compare.nan_tolerated(reference, run, calls)
        if diffs:
            found[backend] = diffs
    return calls, found


def kind(diffs: list) -> str:
    """A disagreement's kind for the summary: crash, hang, refused, instantiation, result,
    trap or hash (the first difference decides)."""
    what, want, got = diffs[0]
    if what.endswith(" failed"):
        return "hang" if got == "hang" else "crash"
    if what in ("refused", "instantiation", "commands run"):
        return what
    if what.startswith("logged hash"):
        return "hash"
    return "trap" if "trap" in (want[0], got[0]) else "result"


def reduce(case: Path, seed: int, features: dict, backend: str, timeout: int) -> str:
    test, reduced = case / "test.wasm", case / "reduced.wasm"
    check = f"{sys.executable} {HERE / 'difffuzz.py'} --check {test} --backend {backend} " \
            f"--features {features['name']} --seed {seed}"  # the seed draws the arguments
    binaries = str(Path(shutil.which("wasm-opt")).parent)
    done = subprocess.run(["wasm-reduce", str(case / "module.wasm"), "--command", check,
                           "-b", binaries, "-t", str(test), "-w", str(reduced), "-to", str(timeout),
                           "--extra-flags", " ".join(features["wasm_opt"])],
                          capture_output=True, text=True, timeout=1800)
    test.unlink(missing_ok=True)
    return f"wasm-reduce exit {done.returncode}: {reduced if reduced.exists() else 'no result'}"


def save(seed: int, wasm: bytes, work: Path, found: dict, features: dict, args) -> Path:
    case = args.out / f"seed-{seed}"
    case.mkdir(parents=True, exist_ok=True)
    (case / "module.wasm").write_bytes(wasm)
    for name in ("script.wast", "direct.wast"):  # wabt's (with the driver) and wasmlab's
        (case / name).write_text((work / name).read_text())
    lines = [f"seed {seed}, features {features['name']}",
             f"reproduce: fuzz/difffuzz.py -n 1 --seed {seed} --features {features['name']}"]
    for backend, diffs in found.items():
        lines += [f"{backend}: {what}: wabt {want} / wasmlab {got}" for what, want, got in diffs]
    if args.reduce:
        lines.append(reduce(case, seed, features, next(iter(found)), args.timeout))
    (case / "report.txt").write_text("\n".join(lines) + "\n")
    return case


def nan_only(wasm: bytes, seed: int, features: dict, args, work: Path) -> bool:
    """True when the module agrees everywhere once binaryen's --denan pass has made it
    NaN-free: its differences came from NaN signs or payloads (README, "What may differ")."""
    work = work / "denan"  # its own scripts: a saved case keeps the original module's
    work.mkdir()
    denan = work / "denan.wasm"
    (work / "original.wasm").write_bytes(wasm)
    made = subprocess.run(["wasm-opt", str(work / "original.wasm"), "--denan",
                           *features["wasm_opt"], "-o", str(denan)], capture_output=True)
    # binaryen 108 may write typed function references (not 2.0) when it rewrites a module
    # with reference types: then wabt cannot read it, nothing is decided, and the case is kept
    if made.returncode != 0 or subprocess.run(["wasm-validate", *features["wabt"], str(denan)],
                                              capture_output=True).returncode != 0:
        return False
    _, found = run_module(denan.read_bytes(), seed, features, args, work)
    return not found


def fuzz_one(seed: int, args):
    """(Counter, disagreement text or None) for one seed; the counter has modules, fallback
    modules, calls, NaN-only modules, disagreements by kind, refusals and engine seconds."""
    features = dict(feature_set(args.features), name=args.features)
    stats = Counter()
    with tempfile.TemporaryDirectory(prefix="difffuzz-") as tmp:
        work = Path(tmp)
        start = time.monotonic()
        wasm, fallback = generate(seed, features, work)
        stats["seconds generate"] += time.monotonic() - start
        if wasm is None:
            stats["no valid module"] += 1
            return stats, None
        calls, found = run_module(wasm, seed, features, args, work, stats)
        stats.update({"modules": 1, "fallback modules": int(fallback), "calls": len(calls)})
        if not found:
            return stats, None
        if nan_only(wasm, seed, features, args, work):
            stats["NaN-only modules"] += 1
            return stats, None
        case = save(seed, wasm, work, found, features, args)
        for backend, diffs in found.items():
            stats[f"disagreements {kind(diffs)} {backend}"] += 1
        stats["disagreeing modules"] += 1
        first = next(iter(found.items()))
        return stats, f"seed {seed}: {first[0]}: {first[1][0]} -> {case}"


def check(args) -> int:
    """wasm-reduce's test: 1 (and `disagree`) while the module still shows a disagreement."""
    features = dict(feature_set(args.features), name=args.features)
    wasm = args.check.read_bytes()
    ok = subprocess.run(["wasm-validate", *features["wabt"], str(args.check)], capture_output=True)
    if ok.returncode != 0:
        print("invalid")
        return 0
    with tempfile.TemporaryDirectory(prefix="difffuzz-check-") as tmp:
        _, found = run_module(wasm, args.seed, features, args, Path(tmp))
    print("disagree" if found else "agree")
    return 1 if found else 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("-n", type=int, default=10, help="modules to run (default 10)")
    p.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    p.add_argument("--features", default="2.0-nosimd", help="feature set (fuzz/features.py)")
    p.add_argument("--arg-sets", type=int, default=3, help="argument sets per export (default 3)")
    p.add_argument("--backends", help="comma-separated (default: every backend of the build)")
    p.add_argument("--out", type=Path, default=Path("fuzz-out"), help="where disagreements go")
    p.add_argument("--timeout", type=int, default=60, help="seconds per engine run")
    p.add_argument("--no-reduce", dest="reduce", action="store_false")
    p.add_argument("-j", type=int, default=1, help="modules in parallel (default 1)")
    p.add_argument("--summary-json", type=Path, help="write the totals (and problems) here")
    p.add_argument("--check", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--backend", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.wasmlab = wasmlab_env.wasmlab_binary()
    if args.backend:
        args.backends = [args.backend]
    elif args.backends:
        args.backends = args.backends.split(",")
    else:
        args.backends = wasmlab_env.built_backends()
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.check:
        return check(args)
    start = time.monotonic()
    totals, disagreements = Counter(), []
    seeds = range(args.seed, args.seed + args.n)
    with ProcessPoolExecutor(max_workers=args.j) as pool:
        for stats, problem in pool.map(fuzz_one, seeds, [args] * args.n):
            totals.update(stats)
            if problem:
                disagreements.append(problem)
                print(problem, flush=True)
            if stats["modules"] and totals["modules"] % 100 == 0:
                print(f"difffuzz: {totals['modules']} modules, {totals['calls']} calls, "
                      f"{totals['NaN-only modules']} NaN-only, {len(disagreements)} "
                      f"disagreements so far ({time.monotonic() - start:.0f} s)", flush=True)
    wall = time.monotonic() - start
    refusals = "".join(f", {backend} refused {n} (listed gap)" for backend, n in
                       ((k.split()[1], v) for k, v in sorted(totals.items())
                        if k.startswith("refused ")))
    print("difffuzz totals: " + ", ".join(f"{k} {v:.0f}" if isinstance(v, float) else f"{k} {v}"
                                   for k, v in sorted(totals.items())))
    print(f"difffuzz: {totals['modules']} modules ({args.n} seeds from {args.seed}; "
          f"{totals['fallback modules']} generated with the fallback flags), {totals['calls']} "
          f"calls, {totals['NaN-only modules']} with NaN-only differences, backends "
          f"{' '.join(args.backends)} vs wabt, features {args.features}: "
          f"{len(disagreements)} disagreements{refusals}, {wall:.0f} s")
    if args.summary_json:
        args.summary_json.parent.mkdir(parents=True, exist_ok=True)
        args.summary_json.write_text(json.dumps({
            "features": args.features, "first seed": args.seed, "seeds": args.n,
            "backends": args.backends, "wall seconds": wall, "jobs": args.j,
            "totals": totals, "problems": disagreements}, indent=1) + "\n")
    return 1 if disagreements else 0

if __name__ == "__main__":
    sys.exit(main())
