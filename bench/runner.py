"""Runs one program on one runtime: output check first, then N timed runs (compile timed apart).

Every process gets the random input file as stdin and (when timed) /dev/null as stdout. The check
runs the program's quick input with stdout to a file and compares its SHA-256 with the native
build's output (cat-sync's with the input itself), so paper-mode timings never wait on hashing
hundreds of megabytes.
"""
from dataclasses import dataclass, field
from pathlib import Path

import build
import measure
from programs import Program
from runtimes import Runtime

AOT_DIR = build.BUILD_DIR / "aot"


@dataclass
class Outcome:
    """What happened to one (program, runtime) pair."""
    status: str                       # "ok", "unavailable: ...", "skipped: ...", "failed: ..."
    run_times: list[float] = field(default_factory=list)
    run_rss: list[int] = field(default_factory=list)
    run_cpu: list[float] = field(default_factory=list)      # user + system seconds per run
    compile_times: list[float] = field(default_factory=list)
    compile_rss: list[int] = field(default_factory=list)
    compile_cpu: list[float] = field(default_factory=list)
    artifact_bytes: int | None = None  # size of the compile step's output
    setup_times: list[float] = field(default_factory=list)  # runs of the program's setup input
    setup_rss: list[int] = field(default_factory=list)
    setup_cpu: list[float] = field(default_factory=list)
    setup_status: str | None = None    # None: measured (or not applicable); else why not


def paths_for(program: Program, runtime: Runtime) -> dict:
    return {"native": str(build.native_path(program)),
            "module": str(build.wasm_path(program)),
            "artifact": str(AOT_DIR / runtime.name / f"{program.name}{runtime.artifact_suffix}")}


def skip_reason(program: Program, runtime: Runtime) -> str | None:
    """Why this pair is not run at all, or None."""
    if runtime.unavailable:
        return f"unavailable: {runtime.unavailable}"
    if program.simd and runtime.no_simd_reason:
        return f"skipped: {runtime.no_simd_reason}"
    return None


def expected_hashes(programs: list[Program], stdin_path: Path, timeout: float) -> dict[str, str]:
    """Each program's reference output hash on its quick input: the native build's stdout, or
    the input itself for programs that copy stdin. Raises RuntimeError if native fails."""
    expected = {}
    for program in programs:
        if program.reads_stdin:
            expected[program.name] = measure.file_sha256(stdin_path)
            continue
        command = [str(build.native_path(program)), *program.quick_args]
        result, digest = measure.run_and_hash(command, stdin_path, timeout)
        if not result.ok:
            raise RuntimeError(f"native {program.name} failed: {result.failure()}")
        expected[program.name] = digest
    return expected


def compile_ahead(program: Program, runtime: Runtime, timeout: float) -> measure.Measurement:
    paths = paths_for(program, runtime)
    Path(paths["artifact"]).parent.mkdir(parents=True, exist_ok=True)
    command = runtime.command(runtime.compile, paths, ())
    return measure.run_measured(command, build.wasm_path(program), timeout=timeout)


def check_output(program: Program, runtime: Runtime, stdin_path: Path, expected: str,
                 timeout: float) -> str | None:
    """Runs the quick input once (compiling first if the runtime needs it); None when the
    output matches, else why not."""
    if runtime.compile:
        compiled = compile_ahead(program, runtime, timeout)
        if not compiled.ok:
            return f"failed: compile: {compiled.failure()}"
    paths = paths_for(program, runtime)
    command = runtime.command(runtime.run, paths, program.quick_args)
    result, digest = measure.run_and_hash(command, stdin_path, timeout, runtime.environment(paths))
    if not result.ok:
        return f"failed: {result.failure()}"
    if digest != expected:
        return "failed: output differs from native"
    return None


def timed_runs(program: Program, runtime: Runtime, quick: bool, runs: int, stdin_path: Path,
               timeout: float, progress) -> Outcome:
    """N runs (each preceded by a timed compile for AOT runtimes); stops at the first failure."""
    outcome = Outcome("ok")
    paths = paths_for(program, runtime)
    command = runtime.command(runtime.run, paths, program.args(quick))
    env = runtime.environment(paths)
    for i in range(1, runs + 1):
        if runtime.compile:
            compiled = compile_ahead(program, runtime, timeout)
            progress(program, runtime, "compile", i, runs, compiled)
            if not compiled.ok:
                outcome.status = f"failed: compile: {compiled.failure()}"
                return outcome
            outcome.compile_times.append(compiled.seconds)
            outcome.compile_rss.append(compiled.peak_rss_kib)
            outcome.compile_cpu.append(compiled.cpu_seconds)
            outcome.artifact_bytes = Path(paths["artifact"]).stat().st_size
        result = measure.run_measured(command, stdin_path, timeout=timeout, env=env)
        progress(program, runtime, "run", i, runs, result)
        if not result.ok:
            outcome.status = f"failed: {result.failure()}"
            return outcome
        outcome.run_times.append(result.seconds)
        outcome.run_rss.append(result.peak_rss_kib)
        outcome.run_cpu.append(result.cpu_seconds)
    return outcome


def setup_runs(program: Program, runtime: Runtime, runs: int, stdin_path: Path, timeout: float,
               progress, outcome: Outcome) -> None:
    """Times the program's setup input (next to no work: load, translate, instantiate), at
    least 5 runs since each is short; AOT runtimes load the artifact the timed runs used."""
    if program.setup_args is None:
        return
    paths = paths_for(program, runtime)
    command = runtime.command(runtime.run, paths, program.setup_args)
    env = runtime.environment(paths)
    count = max(runs, 5)
    for i in range(1, count + 1):
        result = measure.run_measured(command, stdin_path, timeout=timeout, env=env)
        progress(program, runtime, "setup", i, count, result)
        if not result.ok:
            outcome.setup_status = f"failed: {result.failure()}"
            return
        outcome.setup_times.append(result.seconds)
        outcome.setup_rss.append(result.peak_rss_kib)
        outcome.setup_cpu.append(result.cpu_seconds)


def bench_pair(program: Program, runtime: Runtime, quick: bool, runs: int, stdin_path: Path,
               expected: str, timeout: float, progress) -> Outcome:
    reason = skip_reason(program, runtime)
    if reason:
        return Outcome(reason)
    problem = check_output(program, runtime, stdin_path, expected, timeout)
    if problem:
        return Outcome(problem)
    outcome = timed_runs(program, runtime, quick, runs, stdin_path, timeout, progress)
    if outcome.status == "ok":
        setup_runs(program, runtime, runs, stdin_path, timeout, progress, outcome)
    return outcome
