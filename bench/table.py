#!/usr/bin/python3
"""Markdown tables of a results directory, for bench/RESULTS.md:
  1. median run time relative to native, per program (rows) and runtime (columns), with the
     geomean over the compute programs (every program with a setup input) as the last row;
     a cell that is not a number says why (failed, skipped, unavailable; with --reasons, the
     whole reason);
  2. per runtime: geomean, AOT compile time and artifact size summed, median nop start-up,
     peak RSS (max over programs), and the binary versions recorded in results.json.

--metric wall (the default) uses whole-process wall time; --metric cpu the process's user +
system CPU time (both from the launcher's wait4), which a busy machine disturbs less. The first
table's heading line says which one it shows. Results recorded before CPU time was measured
have no CPU numbers: their cells read "no cpu".

Usage: bench/table.py [--metric wall|cpu] [--reasons] RESULTS_DIR
"""
import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results  # noqa: E402


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


METRICS = {"wall": ("median_s", "ratio_to_native", "median wall s"),
           "cpu": ("cpu_median_s", "cpu_ratio_to_native", "median CPU (user+sys) s")}


def cell(row: dict | None, metric: str = "wall", reasons: bool = False) -> str:
    if row is None:
        return "–"
    if row["status"] != "ok":
        return row["status"] if reasons else row["status"].split(":")[0]
    median, ratio, _ = METRICS[metric]
    if row.get(median) is None or row.get(ratio) is None:
        return "no cpu"
    return f"{row[median]:.3g} ({row[ratio]:.2f}x)"


def ratio_table(rows: list[dict], names: list[str], programs: list[str],
                compute: list[str], metric: str = "wall", reasons: bool = False) -> list[str]:
    runs = {(r["program"], r["runtime"]): r for r in rows if r["phase"] == "run"}
    median, ratio, label = METRICS[metric]
    lines = [f"{label} (ratio to native's):", "",
             "| program | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for program in programs:
        lines.append(f"| {program} | "
                     + " | ".join(cell(runs.get((program, n)), metric, reasons) for n in names)
                     + " |")
    means = []
    for n in names:
        ratios = [runs[(p, n)][ratio] for p in compute
                  if (p, n) in runs and runs[(p, n)]["status"] == "ok"
                  and runs[(p, n)].get(ratio) is not None]
        g = geomean(ratios)
        means.append(f"**{g:.2f}x** ({len(ratios)}/{len(compute)})" if g else "–")
    lines.append("| geomean, compute programs | " + " | ".join(means) + " |")
    return lines


def resource_table(document: dict, names: list[str]) -> list[str]:
    rows = [r for r in document["results"] if r["status"] == "ok"]
    versions = {rt["name"]: "; ".join(f"{v}" for v in rt.get("versions", {}).values())
                for rt in document["runtimes"]}
    lines = ["| runtime | AOT compile s (sum) | artifact KiB (sum) | module KiB (sum) | "
             "nop start-up ms | peak RSS MiB (max) | version |", "|---" * 7 + "|"]
    for n in names:
        mine = [r for r in rows if r["runtime"] == n]
        compiles = [r for r in mine if r["phase"] == "compile"]
        nop = next((r for r in mine if r["program"] == "nop" and r["phase"] == "run"), None)
        runs = [r for r in mine if r["phase"] == "run"]
        modules = sum(r["module_bytes"] or 0 for r in runs)
        compile_s = f"{sum(r['median_s'] for r in compiles):.2f}" if compiles else "–"
        artifact = (f"{sum(r['artifact_bytes'] or 0 for r in compiles) / 1024:.0f}"
                    if compiles else "–")
        lines.append(f"| {n} | {compile_s} | {artifact} | {modules / 1024:.0f} | "
                     f"{nop['median_s'] * 1000:.1f} | " if nop else f"| {n} | {compile_s} | "
                     f"{artifact} | {modules / 1024:.0f} | – | ")
        rss = max((r["peak_rss_kib"] or 0 for r in runs), default=0) / 1024
        lines[-1] += f"{rss:.1f} | {versions.get(n, '')} |"
    return lines


def main(out_dir: Path, metric: str = "wall", reasons: bool = False) -> None:
    document = results.load(out_dir)
    rows = document["results"]
    names = [rt["name"] for rt in document["runtimes"] if not rt["unavailable"]]
    programs = list(dict.fromkeys(r["program"] for r in rows))
    compute = list(dict.fromkeys(r["program"] for r in rows if r["phase"] == "setup"))
    print("\n".join(ratio_table(rows, names, programs, compute, metric, reasons)))
    print()
    print("\n".join(resource_table(document, names)))
    for rt in document["runtimes"]:
        if rt["unavailable"]:
            print(f"\n- {rt['name']}: unavailable: {rt['unavailable']}", end="")
    print()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results_dir", type=Path)
    parser.add_argument("--metric", choices=sorted(METRICS), default="wall",
                        help="wall time (default) or user+system CPU time")
    parser.add_argument("--reasons", action="store_true",
                        help="print a failed cell's whole status, not its first word")
    return parser.parse_args(argv)


if __name__ == "__main__":
    options = parse_args()
    main(options.results_dir, options.metric, options.reasons)
