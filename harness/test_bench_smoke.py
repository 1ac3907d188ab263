"""Bench smoke test: every benchmark program once per available runtime on its quick input,
output checked against the native build (cat-sync's against its input). Unavailable runtimes
and SIMD programs on runtimes without SIMD are skipped with the reason. No test asserts a time.
"""
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import build  # noqa: E402
import inputs  # noqa: E402
import runner  # noqa: E402
import runtimes as runtime_table  # noqa: E402
from programs import PROGRAMS  # noqa: E402

TIMEOUT_S = 120
NOP = next(p for p in PROGRAMS if p.name == "nop")


@pytest.fixture(scope="module")
def bench_setup():
    """Built programs, the stdin file, native reference hashes and the probed runtimes."""
    build.build_all(list(PROGRAMS), jobs=2, log=lambda line: None)
    stdin_path = inputs.ensure_input()
    expected = runner.expected_hashes(list(PROGRAMS), stdin_path, TIMEOUT_S)
    found, _ = runtime_table.all_runtimes(build.wasm_path(NOP))
    return stdin_path, expected, {rt.name: rt for rt in found}


@pytest.mark.parametrize("runtime_name", runtime_table.runtime_names())
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_program_output_matches_native(bench_setup, program, runtime_name):
    stdin_path, expected, found = bench_setup
    runtime = found[runtime_name]
    reason = runner.skip_reason(program, runtime)
    if reason:
        pytest.skip(reason)
    problem = runner.check_output(program, runtime, stdin_path, expected[program.name], TIMEOUT_S)
    assert problem is None, f"{program.name} on {runtime_name}: {problem}"


def test_runner_writes_results_and_paper_comparison(bench_setup, tmp_path, capsys):
    """bench/run.py end to end on the two startup programs, native only, one run; then the
    paper comparison reads those results."""
    import run as bench_run
    out_dir = bench_run.run(["--quick", "--runs", "1", "--programs", "nop,cat-sync",
                             "--runtimes", "native", "--out", str(tmp_path / "bench")])
    document = json.loads((out_dir / "results.json").read_text())
    statuses = {(r["program"], r["runtime"]): r["status"] for r in document["results"]}
    assert statuses[("nop", "native")] == "ok"
    assert statuses[("cat-sync", "native")] == "ok"
    assert document["meta"]["machine"]["cores"] >= 1
    assert (out_dir / "summary.csv").read_text().startswith("program,runtime,phase")
    assert "cpu_median_s" in (out_dir / "summary.csv").read_text().splitlines()[0]
    assert (out_dir / "runs.csv").read_text().splitlines()[0].endswith(",cpu_seconds")
    nop = next(r for r in document["results"]
               if (r["program"], r["runtime"], r["phase"]) == ("nop", "native", "run"))
    assert len(nop["cpu_s"]) == len(nop["times_s"]) == 1
    assert nop["cpu_median_s"] is not None and nop["cpu_ratio_to_native"] == 1.0

    sys.path.insert(0, str(REPO / "papers" / "2010.07115"))
    import reproduce
    published = reproduce.load_published()
    assert published[("fasta", "ssvm-aot", "aot-compile")] == 0.486
    rows = reproduce.comparison_rows(published, reproduce.our_means(document["results"]),
                                     ["native"])
    docker_nop = next(r for r in rows if r["program"] == "nop" and r["paper_runtime"] == "docker")
    assert docker_nop["our_status"] == reproduce.NOT_MEASURED
