"""The conformance matrix: suite x backend command counts, filled by test_spec.py (and the WASI
suite's row by test_wasi_testsuite.py) and written to reports/conformance.{json,md} when the
session ends."""
import json
import math
from pathlib import Path

import wasmlab_env

# (suite row, backend) -> counters
MATRIX = {}


def record(row: str, backend: str, passed: int, failed: int, skipped: int, total: int,
           seconds: float, file_ok: bool):
    cell = MATRIX.setdefault((row, backend), {
        "passed": 0, "failed": 0, "skipped": 0, "total": 0,
        "files": 0, "files_passed": 0, "seconds": 0.0})
    cell["passed"] += passed
    cell["failed"] += failed
    cell["skipped"] += skipped
    cell["total"] += total
    cell["files"] += 1
    cell["files_passed"] += int(file_ok)
    cell["seconds"] += seconds


def export_cells():
    """MATRIX as JSON-friendly rows: what an xdist worker sends its controller."""
    return [[row, backend, cell] for (row, backend), cell in MATRIX.items()]


def merge_cells(cells):
    """Adds a worker's exported cells into this process's MATRIX (the xdist controller's)."""
    for row, backend, cell in cells:
        total = MATRIX.setdefault((row, backend), {key: 0 for key in cell})
        for key, value in cell.items():
            total[key] = total.get(key, 0) + value


def _rows():
    for (row, backend), c in sorted(MATRIX.items()):
        runnable = c["total"] - c["skipped"]
        # Rounded down, so a suite with one failure never reads "100.00%".
        rate = math.floor(10000.0 * c["passed"] / runnable) / 100 if runnable else 0.0
        yield {"suite": row, "backend": backend, **c, "seconds": round(c["seconds"], 2),
               "pass_rate": rate}


def _markdown(rows, version, stamp):
    lines = [
        "# Conformance matrix",
        "",
        f"{version}, {stamp}. Commands of the official spec suites (wast2json, wabt 1.0.32);",
        "skipped = text-format `assert_malformed` modules (no text parser); pass rate over the",
        "rest. `simd` rows: the 2.0 `simd_*` files. The `wasi-testsuite` row counts the tests",
        "of the official WASI preview-1 suite (one test = one command).",
        "",
        "| suite | backend | passed | failed | skipped | total | pass rate | files passed | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['suite']} | {r['backend']} | {r['passed']} | {r['failed']} | "
                     f"{r['skipped']} | {r['total']} | {r['pass_rate']:.2f}% | "
                     f"{r['files_passed']}/{r['files']} | {r['seconds']:.1f} |")
    lines += ["", "Known failures (harness/known_failures.json), counted as failed above:", ""]
    for e in wasmlab_env.known_failure_entries():
        where = f"{e['file']}:{e['line']}" if "line" in e else e["file"]
        lines.append(f"- {e['suite']} {where} [{e['backend']}]: {e['reason']}")
    return "\n".join(lines) + "\n"


def write_reports(folder: Path, version: str, stamp: str):
    rows = list(_rows())
    folder.mkdir(parents=True, exist_ok=True)
    md_path, json_path = folder / "conformance.md", folder / "conformance.json"
    md = _markdown(rows, version, stamp)
    md_path.write_text(md)
    json_path.write_text(json.dumps({"version": version, "generated": stamp, "rows": rows},
                                    indent=2) + "\n")
    table = "\n".join(line for line in md.splitlines() if line.startswith("|"))
    return md_path, json_path, table
