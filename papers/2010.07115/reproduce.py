#!/usr/bin/python3
"""Reproduces the benchmark table of arXiv 2010.07115 (SSVM) with this machine's runtimes.

Runs bench/run.py on the paper's eight programs (paper inputs, 10 runs; or --quick), then prints
each runtime's time relative to native beside the paper's ratios and draws them as one chart.
Absolute times differ from machine to machine, so only ratios are compared. The paper reports
the mean of 10 runs, so the ratios here use means too.

  papers/2010.07115/reproduce.py [--quick] [--from RESULTS_DIR] [--runtimes a,b]
Output: papers/2010.07115/results/runs/<stamp>-<mode>/ (comparison.csv, comparison.{png,svg});
runs/ is git-ignored, the recorded comparisons beside it are kept by hand.
"""
import argparse
import csv
import datetime
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "bench"))
import charts  # noqa: E402
import results  # noqa: E402
import run as bench_run  # noqa: E402
from programs import PROGRAMS  # noqa: E402

PAPER_PROGRAMS = [p.name for p in PROGRAMS if p.in_paper]
PAPER_RUNTIMES = ["ssvm-aot", "wavm", "wasmer-singlepass", "wasmer-cranelift", "wasmer-llvm",
                  "node14", "docker"]
# Our runtime doing the same kind of job as each of the paper's, where we have one.
COUNTERPARTS = {"ssvm-aot": ["wasmlab-aot", "wasmedge-aot"], "node14": ["node-tiered"]}
NOT_MEASURED = "not measured here"


def load_published() -> dict:
    """{(program, runtime, measure): seconds} from published.csv."""
    with open(HERE / "published.csv", newline="") as f:
        return {(r["program"], r["runtime"], r["measure"]): float(r["seconds"])
                for r in csv.DictReader(f)}


def paper_ratio(published: dict, program: str, runtime: str) -> float | None:
    run = published.get((program, runtime, "run"))
    return run / published[(program, "native", "run")] if run is not None else None


def our_means(rows: list[dict]) -> dict:
    """{(program, runtime, phase): (mean seconds or None, status)} from a results.json."""
    return {(r["program"], r["runtime"], r["phase"]): (r["mean_s"], r["status"]) for r in rows}


def our_ratio(ours: dict, program: str, runtime: str) -> tuple[float | None, str]:
    mean, status = ours.get((program, runtime, "run"), (None, NOT_MEASURED))
    native = ours.get((program, "native", "run"), (None, ""))[0]
    if mean is None or not native:
        return None, status
    return mean / native, status


def comparison_rows(published: dict, ours: dict, our_runtimes: list[str]) -> list[dict]:
    """One row per program and runtime (the paper's, then ours without a paper counterpart)."""
    paired = {rt for names in COUNTERPARTS.values() for rt in names}
    rows = []
    for program in PAPER_PROGRAMS:
        for runtime in PAPER_RUNTIMES:
            matches = [rt for rt in COUNTERPARTS.get(runtime, []) if rt in our_runtimes] or [None]
            for ours_name in matches:
                ratio, status = our_ratio(ours, program, ours_name) if ours_name else (None, NOT_MEASURED)
                rows.append({"program": program, "paper_runtime": runtime,
                             "paper_ratio": paper_ratio(published, program, runtime),
                             "our_runtime": ours_name or "", "our_ratio": ratio,
                             "our_status": status})
        for ours_name in our_runtimes:
            if ours_name != "native" and ours_name not in paired:
                ratio, status = our_ratio(ours, program, ours_name)
                rows.append({"program": program, "paper_runtime": "", "paper_ratio": None,
                             "our_runtime": ours_name, "our_ratio": ratio, "our_status": status})
    return rows


def cell(value: float | None, status: str = "") -> str:
    if value is not None:
        return f"{value:.2f}"
    return "n/m" if status and status != "ok" else "-"


def print_matrix(title: str, columns: list[str], value_of) -> None:
    """programs x columns, each cell value_of(program, column) already formatted."""
    width = max([9, *map(len, columns)]) + 1
    print(f"\n{title}\n{'program':15}" + "".join(f"{c:>{width}}" for c in columns))
    for program in PAPER_PROGRAMS:
        print(f"{program:15}" + "".join(f"{value_of(program, c):>{width}}" for c in columns))


def print_comparison(rows: list[dict], our_runtimes: list[str], ours: dict) -> None:
    """The paper's ratios, ours, the paired columns side by side, and what was not measured."""
    paper = {(r["program"], r["paper_runtime"]): r["paper_ratio"] for r in rows}
    print_matrix("Published: time relative to native (mean of 10 runs, Xeon E5-2673 v4)",
                 PAPER_RUNTIMES, lambda p, c: cell(paper.get((p, c))))
    measured = [rt for rt in our_runtimes if rt != "native" and
                any(our_ratio(ours, p, rt)[0] is not None for p in PAPER_PROGRAMS)]
    print_matrix("Here: time relative to native (mean of runs)", measured,
                 lambda p, c: cell(*our_ratio(ours, p, c)))
    columns = [column for pr, names in COUNTERPARTS.items()
               for column in [f"paper:{pr}", *(f"here:{rt}" for rt in names if rt in our_runtimes)]]

    def paired(program: str, column: str) -> str:
        side, name = column.split(":", 1)
        return cell(paper.get((program, name))) if side == "paper" else cell(*our_ratio(ours, program, name))
    print_matrix("Side by side (n/m = not measured here)", columns, paired)
    print(f"\nnot measured here: {', '.join(rt for rt in PAPER_RUNTIMES if rt not in COUNTERPARTS)} "
          f"(no such runtime in this setup)")
    for rt in our_runtimes:
        status = ours.get((PAPER_PROGRAMS[0], rt, "run"), (None, ""))[1]
        if status.startswith("unavailable"):
            print(f"  {rt}: {status}")


def print_compile_times(published: dict, ours: dict, our_runtimes: list[str]) -> None:
    aot = [rt for rt in COUNTERPARTS["ssvm-aot"] if rt in our_runtimes]
    print("\nAOT compile time, seconds (absolute: depends on the machine)")
    print(f"{'program':15} {'SSVM (paper)':>12}  " + "  ".join(f"{rt:>22}" for rt in aot))
    for program in PAPER_PROGRAMS:
        paper = published.get((program, "ssvm-aot", "aot-compile"))
        mine = [ours.get((program, rt, "compile"), (None, NOT_MEASURED)) for rt in aot]
        print(f"{program:15} {paper:12.3f}  " +
              "  ".join(f"{cell(m, s).strip():>22}" for m, s in mine))


def write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in r.items()})


def chart(out_dir: Path, rows: list[dict]) -> list[Path]:
    """Grouped bars: the paper's ratios ("paper: X") and ours ("here: Y"), per program."""
    series = list(dict.fromkeys(
        [f"paper: {r['paper_runtime']}" for r in rows if r["paper_ratio"] is not None] +
        [f"here: {r['our_runtime']}" for r in rows if r["our_ratio"] is not None]))
    values = {}
    for r in rows:
        if r["paper_ratio"] is not None:
            values[(r["program"], f"paper: {r['paper_runtime']}")] = r["paper_ratio"]
        if r["our_ratio"] is not None:
            values[(r["program"], f"here: {r['our_runtime']}")] = r["our_ratio"]
    matrix = [[values.get((p, s)) for s in series] for p in PAPER_PROGRAMS]
    return charts.draw(out_dir, "comparison", PAPER_PROGRAMS, series, matrix,
                       "arXiv 2010.07115: time relative to native, paper vs here (mean of runs)",
                       "time / native time (log scale)", reference_line=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="quick inputs, 3 runs")
    parser.add_argument("--from", dest="source", type=Path,
                        help="compare an existing bench results directory instead of running")
    parser.add_argument("--runtimes", help="comma-separated runtimes for bench/run.py")
    args = parser.parse_args()

    if args.source:
        results_dir = args.source
        wanted = results_dir / "results.json" if results_dir.is_dir() else results_dir
        if not wanted.is_file():
            parser.error(f"--from {results_dir}: no bench results there (expected a results.json"
                         " or a folder holding one, as bench/run.py writes under"
                         " bench/results/)")
    else:
        argv = ["--quick" if args.quick else "--paper", "--programs", ",".join(PAPER_PROGRAMS)]
        results_dir = bench_run.run(argv + (["--runtimes", args.runtimes] if args.runtimes else []))
    try:
        document = results.load(results_dir)
    except (OSError, ValueError) as e:
        parser.error(f"cannot read the bench results in {results_dir}: {e}")
    ours = our_means(document["results"])
    our_runtimes = [r["name"] for r in document["runtimes"]]
    published = load_published()

    rows = comparison_rows(published, ours, our_runtimes)
    print_comparison(rows, our_runtimes, ours)
    print_compile_times(published, ours, our_runtimes)

    mode = document["meta"]["mode"]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out_dir = HERE / "results" / "runs" / f"{stamp}-{mode}"
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "comparison.csv", rows)
    (out_dir / "source.json").write_text(json.dumps(
        {"bench_results": str(results_dir), "mode": mode,
         "machine": document["meta"]["machine"]}, indent=2) + "\n")
    print(f"\ncomparison: {out_dir / 'comparison.csv'}")
    for image in chart(out_dir, rows):
        print(f"chart:      {image}")
    if mode == "quick":
        print("note: quick inputs run for well under a second, so startup weighs far more in "
              "these ratios than in the paper's; use paper mode to compare.")


if __name__ == "__main__":
    main()
