"""Writes a benchmark run's results: results.json (everything), summary.csv (one row per program,
runtime and phase), runs.csv (every timed run), and the bench/results/latest link."""
import csv
import json
import os
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SUMMARY_FIELDS = ["program", "runtime", "phase", "status", "args", "runs", "median_s", "mean_s",
                  "stdev_s", "min_s", "max_s", "peak_rss_kib", "ratio_to_native", "module_bytes",
                  "artifact_bytes", "cpu_median_s", "cpu_min_s", "cpu_ratio_to_native"]


def add_ratios(rows: list[dict]) -> None:
    """ratio_to_native = median / native median of the same program (run phase only);
    cpu_ratio_to_native the same for the median CPU time."""
    for median, ratio in (("median_s", "ratio_to_native"), ("cpu_median_s", "cpu_ratio_to_native")):
        native = {r["program"]: r.get(median) for r in rows
                  if r["runtime"] == "native" and r["phase"] == "run" and r.get(median)}
        for row in rows:
            base = native.get(row["program"])
            ok = row["phase"] == "run" and row.get(median) is not None and base
            row[ratio] = row[median] / base if ok else None


def write_json(out_dir: Path, meta: dict, runtimes: list[dict], rows: list[dict]) -> None:
    document = {"meta": meta, "runtimes": runtimes, "results": rows}
    (out_dir / "results.json").write_text(json.dumps(document, indent=2) + "\n")


def write_summary_csv(out_dir: Path, rows: list[dict]) -> None:
    with open(out_dir / "summary.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, SUMMARY_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in SUMMARY_FIELDS})


def write_runs_csv(out_dir: Path, rows: list[dict]) -> None:
    with open(out_dir / "runs.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["program", "runtime", "phase", "run", "seconds", "peak_rss_kib",
                         "cpu_seconds"])
        for row in rows:
            samples = zip(row["times_s"], row["rss_kib"], row["cpu_s"])
            for i, (seconds, rss, cpu) in enumerate(samples, 1):
                writer.writerow([row["program"], row["runtime"], row["phase"], i, seconds, rss,
                                 cpu])


def point_latest(out_dir: Path) -> None:
    """bench/results/latest -> this run (a relative symlink, replaced atomically)."""
    latest = out_dir.parent / "latest"
    temporary = out_dir.parent / ".latest.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(out_dir.name)
    os.replace(temporary, latest)


def write_all(out_dir: Path, meta: dict, runtimes: list[dict], rows: list[dict]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json(out_dir, meta, runtimes, rows)
    write_summary_csv(out_dir, rows)
    write_runs_csv(out_dir, rows)
    if out_dir.parent == RESULTS_DIR:
        point_latest(out_dir)


def load(path: Path) -> dict:
    """A results.json (or a results directory holding one)."""
    path = path / "results.json" if path.is_dir() else path
    return json.loads(path.read_text())
