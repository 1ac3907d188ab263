#!/usr/bin/python3
"""The compile-speed / code-speed trade-off chart of arXiv 2305.13241 (Titzer, "Whose baseline
compiler is it anyway?", CGO 2024), drawn from one bench/run.py results directory.

For each runtime and tier, one point:
  x  setup speed: MB of wasm per second of setup, summed over the compute programs.
     Fastest run of each (noise on a shared machine only adds).
     AOT tiers: the `compile` phase (whole process of wamrc, `wasmlab compile`, ...).
     Other tiers: the `setup` phase (the program on an input doing next to no work, so the
     process loads, translates and instantiates) minus the same runtime's `nop` run: the
     part of start-up that grows with the module. Whole-process times, so a lower bound on
     the translator's own throughput.
  y  execution time relative to native: geomean over the compute programs of median run time
     / native median run time (only programs this runtime ran correctly).

  papers/2305.13241/tradeoff.py [--from RESULTS_DIR ...] [--out DIR]
RESULTS_DIR defaults to bench/results/latest. Given several, each runtime's point comes from
the first run that measured it (each against that run's own native), and the chart says so. Output: DIR (default
papers/2305.13241/results/latest-run/, git-ignored) gets tradeoff.csv, tradeoff.dat,
tradeoff.gp and tradeoff.png. Runtimes missing from the run are listed in the CSV and on
the chart. Never fails for a missing peer; fails only without a results directory.
"""
import argparse
import csv
import math
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "bench"))
import results  # noqa: E402

# What kind of tier each runtime row is (the paper's axes separate these families).
TIERS = {
    "wasmlab-interp": "interpreter", "wasmlab-jit": "baseline JIT", "wasmlab-aot": "LLVM AOT",
    "node-liftoff": "baseline JIT", "node-turbofan": "optimizing JIT", "node-tiered": "tiered JIT",
    "wasm3": "interpreter", "wamr-interp": "interpreter", "wamr-fast-jit": "baseline JIT",
    "wamr-aot": "LLVM AOT", "wasmedge-interp": "interpreter", "wasmedge-aot": "LLVM AOT",
    "wasmtime": "optimizing JIT", "wasmer": "optimizing JIT", "wabt-wasm-interp": "interpreter",
}
# Setup times at or below this (seconds, summed) are within the launcher's noise: no point.
RESOLUTION_S = 1e-4
FIELDS = ["runtime", "tier", "programs", "module_bytes", "setup_source", "setup_s",
          "setup_mb_per_s", "exec_geomean_x_native", "status"]


def medians(rows: list[dict]) -> dict:
    """{(program, runtime, phase): row} of the measured rows."""
    return {(r["program"], r["runtime"], r["phase"]): r for r in rows
            if r["status"] == "ok" and r["median_s"] is not None}


def compute_programs(rows: list[dict]) -> list[str]:
    """Programs that have a setup phase (every program but the start-up ones)."""
    return list(dict.fromkeys(r["program"] for r in rows if r["phase"] == "setup"))


def setup_seconds(found: dict, program: str, runtime: str, aot: bool) -> float | None:
    """The fastest of the runs: on a shared machine, noise only ever adds to a short run, and
    a median of milliseconds drowns in it (the execution axis keeps medians)."""
    if aot:
        row = found.get((program, runtime, "compile"))
        return row["min_s"] if row else None
    setup, nop = found.get((program, runtime, "setup")), found.get(("nop", runtime, "run"))
    if not setup or not nop:
        return None
    return max(setup["min_s"] - nop["min_s"], 0.0)


def point(rows: list[dict], found: dict, runtime: str, programs: list[str]) -> dict:
    """One runtime's point over the programs it ran correctly with a setup time."""
    aot = any(r["runtime"] == runtime and r["phase"] == "compile" for r in rows)
    used, ratios, setup_total, size_total = [], [], 0.0, 0
    for program in programs:
        run = found.get((program, runtime, "run"))
        setup = setup_seconds(found, program, runtime, aot)
        if not run or run.get("ratio_to_native") is None or setup is None:
            continue
        used.append(program)
        ratios.append(run["ratio_to_native"])
        setup_total += setup
        size_total += run["module_bytes"] or 0
    status = "ok"
    if not used:
        status = "no program measured with a setup time"
    elif setup_total <= RESOLUTION_S:
        status = f"setup below resolution ({setup_total * 1e6:.0f} us summed)"
    geomean = math.exp(sum(map(math.log, ratios)) / len(ratios)) if ratios else None
    speed = size_total / 1e6 / setup_total if status == "ok" else None
    return {"runtime": runtime, "tier": TIERS.get(runtime, "?"), "programs": " ".join(used),
            "module_bytes": size_total, "setup_source": "compile" if aot else "setup - nop",
            "setup_s": setup_total if used else None, "setup_mb_per_s": speed,
            "exec_geomean_x_native": geomean, "status": status}


def tradeoff_rows(document: dict) -> tuple[list[dict], dict]:
    """The points, and {runtime: reason} for every runtime the run could not measure."""
    rows = document["results"]
    found, programs = medians(rows), compute_programs(rows)
    missing = {rt["name"]: rt["unavailable"] for rt in document["runtimes"] if rt["unavailable"]}
    names = [rt["name"] for rt in document["runtimes"]
             if rt["name"] != "native" and rt["name"] not in missing]
    return [point(rows, found, name, programs) for name in names], missing


def write_csv(path: Path, points: list[dict], missing: dict) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        for p in points:
            writer.writerow({k: "" if p[k] is None else p[k] for k in FIELDS})
        for name, reason in missing.items():
            writer.writerow({"runtime": name, "tier": TIERS.get(name, "?"),
                             "status": f"unavailable: {reason}"})


def combine(documents: list[dict]) -> tuple[list[dict], dict]:
    """Points of several runs: a runtime's first measured point wins; missing = never measured."""
    points, missing = [], {}
    for document in documents:
        found, lacking = tradeoff_rows(document)
        have = {p["runtime"] for p in points}
        points += [p for p in found if p["runtime"] not in have]
        for name, reason in lacking.items():
            missing.setdefault(name, reason)
    have = {p["runtime"] for p in points}
    return points, {n: r for n, r in missing.items() if n not in have}


def gnuplot_script(points: list[dict], missing: dict, mode: str) -> str:
    note = ("missing: " + ", ".join(missing)) if missing else "every runtime of the table ran"
    tiers = list(dict.fromkeys(p["tier"] for p in points))
    plots = [f"'tradeoff.dat' using (strcol(3) eq '{t}' ? $4 : 1/0):5 with points pt {7 + i} "
             f"ps 1.6 title '{t}'" for i, t in enumerate(tiers)]
    plots.append("'tradeoff.dat' using 4:5:1 with labels offset 0,1 font ',9' notitle")
    return f"""set terminal pngcairo size 1100,750 noenhanced font ',10'
set output 'tradeoff.png'
set title "Setup speed vs execution time ({mode}): arXiv 2305.13241's trade-off space\\n{note}"
set xlabel 'setup speed: MB of wasm per second (whole process, log scale; right = faster setup)'
set ylabel 'execution time / native (geomean of medians, log scale; down = faster code)'
set logscale xy
set grid xtics ytics mxtics mytics
set key outside right top
set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08
plot {", ".join(plots)}
"""


def draw(out_dir: Path, points: list[dict], missing: dict, mode: str) -> Path | None:
    drawable = [p for p in points if p["setup_mb_per_s"] and p["exec_geomean_x_native"]]
    lines = ["runtime setup_s tier mb_per_s x_native"]
    lines += [f'"{p["runtime"]}" {p["setup_s"]:.6g} "{p["tier"]}" {p["setup_mb_per_s"]:.6g} '
              f'{p["exec_geomean_x_native"]:.6g}' for p in drawable]
    (out_dir / "tradeoff.dat").write_text("\n".join(lines) + "\n")
    (out_dir / "tradeoff.gp").write_text(gnuplot_script(drawable, missing, mode))
    if not drawable or not shutil.which("gnuplot"):
        print("tradeoff: nothing to draw or no gnuplot; CSV only", file=sys.stderr)
        return None
    subprocess.run(["gnuplot", "tradeoff.gp"], cwd=out_dir, check=True, capture_output=True)
    return out_dir / "tradeoff.png"


def print_table(points: list[dict], missing: dict) -> None:
    print(f"{'runtime':17} {'tier':15} {'setup MB/s':>11} {'x native':>9}  status")
    for p in points:
        speed = f"{p['setup_mb_per_s']:11.3g}" if p["setup_mb_per_s"] else f"{'-':>11}"
        ratio = (f"{p['exec_geomean_x_native']:9.2f}" if p["exec_geomean_x_native"]
                 else f"{'-':>9}")
        print(f"{p['runtime']:17} {p['tier']:15} {speed} {ratio}  {p['status']}")
    for name, reason in missing.items():
        print(f"{name:17} unavailable: {reason}")


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="sources", type=Path, action="append")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest-run")
    args = parser.parse_args(argv)
    documents = [results.load(s) for s in args.sources or [results.RESULTS_DIR / "latest"]]
    points, missing = combine(documents)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "tradeoff.csv", points, missing)
    mode = documents[0]["meta"]["mode"] + " inputs"
    if len(documents) > 1:
        mode += f", {len(documents)} runs, each against its own native"
    image = draw(args.out, points, missing, mode)
    print_table(points, missing)
    print(f"\ntradeoff: {args.out / 'tradeoff.csv'}" + (f", {image}" if image else ""))
    return args.out


if __name__ == "__main__":
    main()
