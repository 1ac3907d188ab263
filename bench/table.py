#!/usr/bin/python3
"""Markdown tables of a results directory, for bench/RESULTS.md:
  1. median run time relative to native, per program (rows) and runtime (columns), with the
     geomean over the compute programs (every program with a setup input) as the last row;
     a cell that is not a number says why (failed, skipped, unavailable);
  2. per runtime: geomean, AOT compile time and artifact size summed, median nop start-up,
     peak RSS (max over programs), and the binary versions recorded in results.json.

Usage: bench/table.py RESULTS_DIR
"""
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results  # noqa: E402


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def cell(row: dict | None) -> str:
    if row is None:
        return "–"
    if row["status"] != "ok":
        return row["status"].split(":")[0]
    return f"{row['median_s']:.3g} ({row['ratio_to_native']:.2f}x)"


def ratio_table(rows: list[dict], names: list[str], programs: list[str],
                compute: list[str]) -> list[str]:
    runs = {(r["program"], r["runtime"]): r for r in rows if r["phase"] == "run"}
    lines = ["| program | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for program in programs:
        lines.append(f"| {program} | " + " | ".join(cell(runs.get((program, n))) for n in names)
                     + " |")
    means = []
    for n in names:
        ratios = [runs[(p, n)]["ratio_to_native"] for p in compute
                  if (p, n) in runs and runs[(p, n)]["status"] == "ok"]
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


def main(out_dir: Path) -> None:
    document = results.load(out_dir)
    rows = document["results"]
    names = [rt["name"] for rt in document["runtimes"] if not rt["unavailable"]]
    programs = list(dict.fromkeys(r["program"] for r in rows))
    compute = list(dict.fromkeys(r["program"] for r in rows if r["phase"] == "setup"))
    print("\n".join(ratio_table(rows, names, programs, compute)))
    print()
    print("\n".join(resource_table(document, names)))
    for rt in document["runtimes"]:
        if rt["unavailable"]:
            print(f"\n- {rt['name']}: unavailable: {rt['unavailable']}", end="")
    print()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
