"""The bench's measuring path without the benchmark programs: the launcher's CPU time beside
its wall time, the timeout's reason, CPU ratios in the summary rows, table.py's --metric and
run.py's --runtime-timeout. No test asserts how fast anything is: a busy loop must be charged
CPU time and a sleep must not, whatever the machine's load.
"""
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import build  # noqa: E402
import measure  # noqa: E402
import results  # noqa: E402
import table  # noqa: E402
import run as bench_run  # noqa: E402

PYTHON = "/usr/bin/python3"
# Spins until the process has used 0.3 s of CPU: wall time may be longer on a busy machine.
BUSY = "import time\nwhile time.process_time() < 0.3: pass"


@pytest.fixture(scope="module")
def launcher():
    build.BUILD_DIR.mkdir(parents=True, exist_ok=True)
    build.build_launcher()


def test_busy_child_is_charged_its_cpu_time(launcher):
    m = measure.run_measured([PYTHON, "-c", BUSY], Path("/dev/null"), timeout=60)
    assert m.ok, m.failure()
    assert m.cpu_seconds >= 0.3
    # one thread: it cannot use more CPU than the time it existed (plus clock granularity)
    assert m.cpu_seconds <= m.seconds + 0.02


def test_sleeping_child_uses_wall_time_not_cpu_time(launcher):
    m = measure.run_measured(["sleep", "0.3"], Path("/dev/null"), timeout=60)
    assert m.ok, m.failure()
    assert m.seconds >= 0.3
    assert m.cpu_seconds < 0.1


def test_timeout_names_its_limit(launcher):
    m = measure.run_measured(["sleep", "5"], Path("/dev/null"), timeout=1)
    assert m.timed_out and not m.ok
    assert m.failure() == "timed out after 1 s"
    assert m.seconds < 5


def row(program, runtime, median, cpu, status="ok", phase="run"):
    return {"program": program, "runtime": runtime, "phase": phase, "status": status,
            "median_s": median, "cpu_median_s": cpu}


def test_cpu_ratio_is_against_native_cpu_time():
    rows = [row("nbody", "native", 2.0, 1.0), row("nbody", "wasm3", 4.0, 8.0),
            row("nbody", "wasm3", 0.5, 0.25, phase="setup"),
            row("fasta", "wasm3", None, None, status="failed: timed out after 9 s")]
    results.add_ratios(rows)
    assert rows[1]["ratio_to_native"] == 2.0
    assert rows[1]["cpu_ratio_to_native"] == 8.0
    assert rows[2]["cpu_ratio_to_native"] is None      # only the run phase has ratios
    assert rows[3]["cpu_ratio_to_native"] is None      # no native row for fasta, no numbers


def test_table_metric_picks_wall_or_cpu_and_says_which():
    rows = [row("nbody", "native", 2.0, 1.0), row("nbody", "wasm3", 4.0, 8.0),
            row("nbody", "old", 3.0, None),
            row("nbody", "slow", None, None, status="failed: timed out after 60 s")]
    results.add_ratios(rows)
    names = ["native", "wasm3", "old", "slow"]
    wall = table.ratio_table(rows, names, ["nbody"], ["nbody"], "wall")
    cpu = table.ratio_table(rows, names, ["nbody"], ["nbody"], "cpu")
    assert wall[0].startswith("median wall s") and cpu[0].startswith("median CPU")
    assert "| nbody | 2 (1.00x) | 4 (2.00x) | 3 (1.50x) | failed |" in wall
    assert "| nbody | 1 (1.00x) | 8 (8.00x) | no cpu | failed |" in cpu
    assert "**8.00x** (1/1)" in cpu[-1]
    assert cpu[-1].endswith("| – | – |")                 # no CPU numbers, no geomean
    reasons = table.ratio_table(rows, names, ["nbody"], ["nbody"], "cpu", reasons=True)
    assert "failed: timed out after 60 s" in reasons[-2]


def test_runtime_timeouts_parse_and_reject_unknown_names():
    known = ["native", "wasmedge-interp"]
    assert bench_run.runtime_timeouts(["wasmedge-interp=90"], known) == {"wasmedge-interp": 90.0}
    assert bench_run.runtime_timeouts([], known) == {}
    with pytest.raises(SystemExit):
        bench_run.runtime_timeouts(["wasmedge-interp"], known)
    with pytest.raises(SystemExit):
        bench_run.runtime_timeouts(["wasmedge=90"], known)
