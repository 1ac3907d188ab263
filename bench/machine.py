"""What a result was measured on: CPU, cores, kernel, memory, date and tool versions."""
import datetime
import os
import platform
import subprocess


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def _proc_field(path: str, key: str) -> str:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine_info() -> dict:
    return {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cpu_model": _proc_field("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "load_average_1m": os.getloadavg()[0],
        "memory_total": _proc_field("/proc/meminfo", "MemTotal"),
        "kernel": platform.release(),
        "os": platform.platform(),
        "tools": {
            "clang": _first_line(["clang-19", "--version"]),
            "wasm-opt": _first_line(["wasm-opt", "--version"]),
            "node": _first_line(["node", "--version"]),
            "python": platform.python_version(),
        },
    }
