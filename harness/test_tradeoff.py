"""The trade-off chart's arithmetic (papers/2305.13241/tradeoff.py) on a hand-made results
document: setup speed from the compile phase (AOT) or setup minus nop (other tiers), the
geomean of run ratios, and missing runtimes listed rather than dropped."""
import csv
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "papers" / "2305.13241"))
import tradeoff  # noqa: E402


def row(program, runtime, phase, median, ratio=None, size=None, status="ok"):
    """A summary row whose fastest run is its median (the chart's setup axis uses min_s)."""
    return {"program": program, "runtime": runtime, "phase": phase, "status": status,
            "median_s": median, "min_s": median, "ratio_to_native": ratio, "module_bytes": size}


DOCUMENT = {
    "meta": {"mode": "quick"},
    "runtimes": [{"name": "native", "unavailable": None},
                 {"name": "wasmlab-interp", "unavailable": None},
                 {"name": "wasmlab-aot", "unavailable": None},
                 {"name": "wasm3", "unavailable": "wasm3 not found"}],
    "results": [
        row("nop", "wasmlab-interp", "run", 0.001),
        row("a", "wasmlab-interp", "run", 2.0, ratio=4.0, size=1_000_000),
        row("a", "wasmlab-interp", "setup", 0.003),
        row("b", "wasmlab-interp", "run", 1.0, ratio=9.0, size=1_000_000),
        row("b", "wasmlab-interp", "setup", 0.002),
        row("a", "wasmlab-aot", "run", 0.5, ratio=1.0, size=1_000_000),
        row("a", "wasmlab-aot", "compile", 2.0),
        row("a", "wasmlab-aot", "setup", 0.002),
        row("b", "wasmlab-aot", "run", 0.5, status="failed: exit code 1"),
        row("b", "wasmlab-aot", "compile", 3.0),
        row("b", "wasmlab-aot", "setup", 0.002),
    ],
}


def test_points_use_setup_minus_nop_or_compile():
    points, missing = tradeoff.tradeoff_rows(DOCUMENT)
    by_name = {p["runtime"]: p for p in points}
    interp = by_name["wasmlab-interp"]
    assert interp["setup_s"] == pytest.approx(0.002 + 0.001)  # (3-1) + (2-1) ms
    assert interp["setup_mb_per_s"] == pytest.approx(2.0 / 0.003)
    assert interp["exec_geomean_x_native"] == pytest.approx(6.0)  # sqrt(4 * 9)
    aot = by_name["wasmlab-aot"]
    assert aot["programs"] == "a"  # b failed its runs: not counted
    assert aot["setup_mb_per_s"] == pytest.approx(1.0 / 2.0)
    assert missing == {"wasm3": "wasm3 not found"}


def test_command_writes_csv_with_missing_runtimes(tmp_path):
    source = tmp_path / "results.json"
    source.write_text(json.dumps(DOCUMENT))
    out = tradeoff.main(["--from", str(source), "--out", str(tmp_path / "out")])
    with open(out / "tradeoff.csv", newline="") as f:
        statuses = {r["runtime"]: r["status"] for r in csv.DictReader(f)}
    assert statuses["wasm3"] == "unavailable: wasm3 not found"
    assert statuses["wasmlab-interp"] == "ok"
    assert "missing: wasm3" in (out / "tradeoff.gp").read_text()
