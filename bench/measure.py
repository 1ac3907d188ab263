"""Runs one process and measures it: whole-process wall time, CPU time (user + system) and peak
resident set size.

The measuring is done by bench/tools/launcher.c (built by build.py): Linux keeps ru_maxrss across
execve, so a benchmark forked straight from this Python process would report Python's 30 MiB as
its peak. The launcher forks from a ~1 MiB process, as /usr/bin/time does, and its clock brackets
only fork..wait4. CPU time comes from the same wait4 rusage: it does not count time spent waiting
for a core, so it is the steadier number on a shared machine (but it counts every thread: a
runtime compiling on background threads can use more CPU than wall time).
"""
import hashlib
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "build" / "launcher"


@dataclass
class Measurement:
    seconds: float
    peak_rss_kib: int
    exit_code: int        # negative: killed by that signal
    timed_out: bool
    stderr_tail: str      # last lines of stderr, to explain a failure
    cpu_seconds: float = 0.0       # user + system time of the process and its waited-for children
    timeout_s: float | None = None  # the limit it ran under, to say so when it was hit

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def failure(self) -> str:
        """Why the run failed, in one line."""
        if self.timed_out:
            return f"timed out after {self.timeout_s:g} s" if self.timeout_s else "timed out"
        last = self.stderr_tail.splitlines()[-1] if self.stderr_tail else ""
        return f"exit code {self.exit_code}" + (f": {last}" if last else "")


def run_measured(command: list[str], stdin_path: Path, stdout_path: Path | str = os.devnull,
                 timeout: float | None = None, env: dict | None = None) -> Measurement:
    """Runs `command` under the launcher, stdin from a file and stdout to a file, with `env`
    added to this process's environment."""
    limit_s = max(1, int(timeout)) if timeout else None
    limit = ["-t", str(limit_s)] if limit_s else []
    with open(stdin_path, "rb") as stdin, open(stdout_path, "wb") as stdout, \
            tempfile.TemporaryFile() as stderr, tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report"
        launched = subprocess.run([str(LAUNCHER), *limit, "-o", str(report), "--", *command],
                                  stdin=stdin, stdout=stdout, stderr=stderr,
                                  env={**os.environ, **env} if env else None)
        stderr.seek(0)
        tail = b"\n".join(stderr.read().splitlines()[-5:]).decode(errors="replace")
        if launched.returncode != 0 or not report.exists():
            return Measurement(0.0, 0, 127, False, tail or "launcher failed")
        seconds, rss, code, timed_out, user, system = report.read_text().split()
    return Measurement(float(seconds), int(rss), int(code), timed_out == "1", tail,
                       float(user) + float(system), limit_s)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_and_hash(command: list[str], stdin_path: Path, timeout: float | None,
                 env: dict | None = None) -> tuple[Measurement, str | None]:
    """Runs once with stdout to a temporary file; returns the measurement and stdout's SHA-256.

    A regular file, not a pipe: node's WASI fails writes to a non-blocking stdout pipe (EAGAIN).
    """
    with tempfile.TemporaryDirectory(prefix="wasmlab-bench-") as tmp:
        out = Path(tmp) / "stdout"
        measurement = run_measured(command, stdin_path, out, timeout, env)
        return measurement, file_sha256(out) if measurement.ok else None
