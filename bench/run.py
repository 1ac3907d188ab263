#!/usr/bin/python3
"""Runs the benchmark programs on every runtime and records the results.

  bench/run.py --quick            quick inputs, 3 runs each (a few minutes at most)
  bench/run.py --paper            the paper's inputs, 10 runs each (long: many minutes)
  bench/run.py --list-runtimes    the runtime table and what is available here
Options: --runs N, --programs a,b, --runtimes x,y, --timeout S,
--runtime-timeout NAME=S (repeatable: one runtime's own limit), --out DIR, --no-charts.
Results: bench/results/<UTC timestamp>-<mode>/ (results.json, summary.csv, runs.csv, charts)
and bench/results/latest pointing at it.
"""
import argparse
import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build  # noqa: E402
import charts  # noqa: E402
import inputs  # noqa: E402
import machine  # noqa: E402
import results  # noqa: E402
import runner  # noqa: E402
import runtimes as runtime_table  # noqa: E402
from programs import PROGRAMS, by_name  # noqa: E402
from stats import summarize  # noqa: E402

NOP = next(p for p in PROGRAMS if p.name == "nop")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="quick inputs, 3 runs (the default)")
    mode.add_argument("--paper", action="store_true", help="paper inputs, 10 runs")
    parser.add_argument("--runs", type=int, help="runs per program and runtime")
    parser.add_argument("--programs", help="comma-separated program names (default: all)")
    parser.add_argument("--runtimes", help="comma-separated runtime names (native always runs)")
    parser.add_argument("--timeout", type=float, help="seconds per process (quick 120, paper 3600)")
    parser.add_argument("--runtime-timeout", action="append", default=[], metavar="NAME=S",
                        help="seconds per process for one runtime (repeatable); a run that hits "
                             "it is a failed row 'timed out after S s'")
    parser.add_argument("--out", type=Path, help="results directory (default: bench/results/<stamp>)")
    parser.add_argument("--no-charts", action="store_true", help="skip the gnuplot charts")
    parser.add_argument("--list-runtimes", action="store_true", help="print the runtime table")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallel builds (runs are serial)")
    return parser.parse_args(argv)


def names(text: str | None) -> list[str] | None:
    return [n.strip() for n in text.split(",") if n.strip()] if text else None


def runtime_timeouts(specs: list[str], known: list[str]) -> dict[str, float]:
    """--runtime-timeout NAME=S options as {name: seconds} (the other runtimes keep --timeout)."""
    limits = {}
    for spec in specs:
        name, sep, seconds = spec.partition("=")
        if not sep or not name.strip():
            raise SystemExit(f"--runtime-timeout wants NAME=SECONDS, not {spec!r}")
        if name.strip() not in known:
            raise SystemExit(f"--runtime-timeout: unknown runtime {name.strip()!r}")
        limits[name.strip()] = float(seconds)
    return limits


def print_runtime_table(runtimes: list) -> None:
    for rt in runtimes:
        state = f"unavailable: {rt.unavailable}" if rt.unavailable else "available"
        compile_step = f"  compile: {' '.join(rt.compile)}" if rt.compile else ""
        versions = "; ".join(f"{k}: {v}" for k, v in rt.versions.items())
        state += f" ({versions})" if versions else ""
        env = "".join(f"{k}={v} " for k, v in rt.run_env.items())
        print(f"  {rt.name:17} {state}\n  {'':17} run: {env}{' '.join(rt.run)}{compile_step}")


def progress_printer(total: int):
    """A function printing one line per timed run (or compile), numbered across the whole plan."""
    count = [0]

    def progress(program, runtime, phase, i, runs, m) -> None:
        count[0] += phase in ("run", "setup")
        state = (f"{m.seconds:8.3f} s  cpu {m.cpu_seconds:8.3f} s  {m.peak_rss_kib / 1024:7.1f} MiB"
                 if m.ok else m.failure())
        print(f"[{count[0]:4}/{total}] {program.name:16} {runtime.name:17} {phase:7} "
              f"{i}/{runs}  {state}", flush=True)
    return progress


def outcome_rows(program, runtime, quick: bool, outcome) -> list[dict]:
    """The summary rows of one pair: always a run row, plus a compile row for AOT runtimes."""
    args = " ".join(program.args(quick))
    phases = [("run", outcome.status, args, outcome.run_times, outcome.run_rss, outcome.run_cpu)]
    if runtime.compile:
        phases.append(("compile", outcome.status, args, outcome.compile_times,
                       outcome.compile_rss, outcome.compile_cpu))
    if program.setup_args is not None:
        setup_status = outcome.setup_status or outcome.status
        phases.append(("setup", setup_status, " ".join(program.setup_args), outcome.setup_times,
                       outcome.setup_rss, outcome.setup_cpu))
    module_bytes = build.wasm_path(program).stat().st_size if not runtime.native else None
    return [{"program": program.name, "runtime": runtime.name, "phase": phase, "status": status,
             "args": phase_args, **summarize(times), "peak_rss_kib": max(rss) if rss else None,
             "module_bytes": module_bytes,
             "artifact_bytes": outcome.artifact_bytes if phase == "compile" else None,
             **cpu_summary(cpu), "times_s": times, "rss_kib": rss, "cpu_s": cpu}
            for phase, status, phase_args, times, rss, cpu in phases]


def cpu_summary(cpu: list[float]) -> dict:
    """Median and minimum CPU seconds (user + system) of a phase's runs."""
    stats = summarize(cpu)
    return {"cpu_median_s": stats["median_s"], "cpu_min_s": stats["min_s"]}


def print_summary(rows: list[dict]) -> None:
    """One line per measured, skipped or failed pair; unavailable runtimes once, at the end."""
    print("\nprogram          runtime           phase    median s   stdev s  x native     cpu s"
          "  status")
    unavailable = {}
    for r in rows:
        if r["status"].startswith("unavailable"):
            unavailable[r["runtime"]] = r["status"]
            continue
        median = f"{r['median_s']:9.4f}" if r["median_s"] is not None else f"{'-':>9}"
        stdev = f"{r['stdev_s']:9.4f}" if r["stdev_s"] is not None else f"{'-':>9}"
        ratio = f"{r['ratio_to_native']:8.2f}" if r.get("ratio_to_native") else f"{'-':>8}"
        cpu = f"{r['cpu_median_s']:9.4f}" if r.get("cpu_median_s") is not None else f"{'-':>9}"
        print(f"{r['program']:16} {r['runtime']:17} {r['phase']:7} {median} {stdev} {ratio} {cpu}"
              f"  {r['status']}")
    for runtime, status in unavailable.items():
        print(f"{runtime:17} {status}")


def run_meta(mode: str, runs: int, timeout: float, wasmlab_version: str, programs: list,
             quick: bool, runtime_limits: dict[str, float]) -> dict:
    """Everything needed to interpret the numbers later: machine, builds, engine options."""
    return {"mode": mode, "runs": runs, "timeout_s": timeout,
            "runtime_timeouts_s": runtime_limits, "machine": machine.machine_info(),
            "wasmlab_version": wasmlab_version,
            "programs": {p.name: {"args": list(p.args(quick)), "quick_args": list(p.quick_args),
                                  "native_build": build.native_command(p),
                                  "wasm_build": build.wasm_commands(p)}
                         for p in programs}}


def default_out_dir(mode: str) -> Path:
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return results.RESULTS_DIR / f"{stamp}-{mode}"


def run(argv: list[str] | None = None) -> Path:
    """Builds, checks, times, writes results and charts; returns the results directory."""
    args = parse_args(argv)
    quick = not args.paper
    mode = "quick" if quick else "paper"
    runs = args.runs or (3 if quick else 10)
    timeout = args.timeout or (120 if quick else 3600)
    programs = by_name(names(args.programs))

    build.build_all(list(dict.fromkeys([NOP, *programs])), args.jobs, log=lambda line: None)
    all_runtimes, wasmlab_version = runtime_table.all_runtimes(build.wasm_path(NOP))
    if args.list_runtimes:
        print_runtime_table(all_runtimes)
        sys.exit(0)
    runtimes = runtime_table.select(all_runtimes, names(args.runtimes))
    limits = runtime_timeouts(args.runtime_timeout, [rt.name for rt in all_runtimes])
    print(f"mode {mode}: {len(programs)} programs x {len(runtimes)} runtimes, {runs} runs each")
    print_runtime_table(runtimes)

    stdin_path = inputs.ensure_input()
    expected = runner.expected_hashes(programs, stdin_path, timeout)
    runnable = [p for p in programs for rt in runtimes if not runner.skip_reason(p, rt)]
    setups = sum(max(runs, 5) for p in runnable if p.setup_args is not None)
    progress = progress_printer(len(runnable) * runs + setups)
    rows = []
    for program in programs:
        for runtime in runtimes:
            outcome = runner.bench_pair(program, runtime, quick, runs, stdin_path,
                                        expected[program.name],
                                        limits.get(runtime.name, timeout), progress)
            if outcome.status != "ok" and not outcome.status.startswith("unavailable"):
                print(f"       {program.name:16} {runtime.name:17} {outcome.status}", flush=True)
            rows += outcome_rows(program, runtime, quick, outcome)
    results.add_ratios(rows)

    meta = run_meta(mode, runs, timeout, wasmlab_version, programs, quick, limits)
    runtime_docs = [{"name": rt.name, "run": rt.run, "run_env": rt.run_env, "compile": rt.compile,
                     "unavailable": rt.unavailable, "no_simd_reason": rt.no_simd_reason,
                     "versions": rt.versions, "tokens": rt.tokens}
                    for rt in runtimes]
    out_dir = args.out or default_out_dir(mode)
    results.write_all(out_dir, meta, runtime_docs, rows)
    print_summary(rows)
    images = [] if args.no_charts else charts.draw_all(out_dir)
    print(f"\nresults: {out_dir}")
    for image in images:
        print(f"chart:   {image}")
    return out_dir


if __name__ == "__main__":
    run()
