"""Where the harness finds things (the build, the spec suites) and how it runs wasmlab.

Environment:
  WASMLAB_BUILD        build folder holding the `wasmlab` binary (default: <repo>/build)
  WASMLAB_ASAN_BUILD   sanitizer build for the fuzz test (default: <repo>/build-asan)
  WASMLAB_TESTSUITE    folder with wasm-2.0/ and wasm-1.0/ (default: <repo>/../shared/spec-testsuite)
  WASMLAB_BACKENDS     backends to test, e.g. "interp" (default: every backend the build reports)
  WASMLAB_REPORTS_DIR  where the conformance matrix goes (default: <repo>/reports)
  WASMLAB_CACHE_DIR    AOT cache for the tests' runs (default: a fresh temporary one, removed
                       at the end of the session; a given one is kept)
  WASMLAB_WAST2JSON_CACHE  where `wasmlab spectest` keeps converted scripts across runs
                       (default: <build>/wast2json-cache; never committed)
"""
import fnmatch
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HARNESS = Path(__file__).resolve().parent


def build_dir() -> Path:
    return Path(os.environ.get("WASMLAB_BUILD", REPO / "build")).resolve()


def asan_build_dir() -> Path:
    return Path(os.environ.get("WASMLAB_ASAN_BUILD", REPO / "build-asan")).resolve()


def wasmlab_binary(build: Path = None) -> Path:
    return (build or build_dir()) / "wasmlab"


def testsuite_root() -> Path:
    default = REPO.parent / "shared" / "spec-testsuite"
    return Path(os.environ.get("WASMLAB_TESTSUITE", default)).resolve()


def reports_dir() -> Path:
    return Path(os.environ.get("WASMLAB_REPORTS_DIR", REPO / "reports")).resolve()


# The spec suites: folder, engine flags, and the wast2json flags that convert them the way
# the engine configured by those flags will see them (see the suite README).
MVP_WAST2JSON_FLAGS = [
    "--disable-saturating-float-to-int", "--disable-sign-extension", "--disable-multi-value",
    "--disable-bulk-memory", "--disable-reference-types", "--disable-simd",
]
SUITES = {
    "wasm-2.0": {"dir": "wasm-2.0", "engine_flags": [], "wast2json_flags": []},
    "wasm-1.0": {"dir": "wasm-1.0", "engine_flags": ["--mvp"],
                 "wast2json_flags": MVP_WAST2JSON_FLAGS},
    # Opt-in proposal: 2.0 plus relaxed SIMD (its files accept `either` of listed results).
    # Its six modules are too few seeds for the fuzz test's input floor (126 inputs < 1000);
    # the 2.0 suite's SIMD modules seed the fuzzing of the shared 0xFD decoding instead.
    "relaxed-simd": {"dir": "proposals/relaxed-simd", "engine_flags": ["--enable-relaxed-simd"],
                     "wast2json_flags": ["--enable-relaxed-simd"], "fuzz": False},
}
# The Wasm 3.0 proposals' own suites (proposals/<name>/ of the testsuite), each run with its
# feature on (and every default feature). The engine flag and wast2json's flag are the same.
PROPOSALS = ["extended-const", "tail-call", "multi-memory", "memory64"]
for _name in PROPOSALS:
    SUITES[f"proposals/{_name}"] = {"dir": f"proposals/{_name}",
                                    "engine_flags": [f"--enable-{_name}"],
                                    "wast2json_flags": [f"--enable-{_name}"]}


def suite_files(suite: str):
    folder = testsuite_root() / SUITES[suite]["dir"]
    return sorted(folder.glob("*.wast"))


def suite_label(suite: str, wast_name: str) -> str:
    """The conformance-matrix row: SIMD files of 2.0 are kept apart from the rest."""
    return f"{suite} simd" if wast_name.startswith("simd_") else suite


def built_backends():
    """Backends `wasmlab --version --verbose` reports, or WASMLAB_BACKENDS."""
    wanted = os.environ.get("WASMLAB_BACKENDS")
    if wanted:
        return [b for b in wanted.replace(",", " ").split() if b]
    try:
        out = subprocess.run([str(wasmlab_binary()), "--version", "--verbose"],
                             capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return ["interp"]  # not built: the tests fail and say so
    for line in out.splitlines():
        if line.startswith("backends:"):
            return line.split(":", 1)[1].split() or ["interp"]
    return ["interp"]


def known_failure_entries():
    path = HARNESS / "known_failures.json"
    return json.loads(path.read_text()) if path.exists() else []


def load_known_failures():
    """Whole-file gaps: {(suite, file, backend): reason}; backend "*" means every backend."""
    return {(e["suite"], e["file"], e["backend"]): e["reason"]
            for e in known_failure_entries() if "line" not in e}


def known_failure(known, suite, wast_name, backend):
    """The reason listed for this file and backend; "file" may be a glob ("simd_*.wast")."""
    exact = known.get((suite, wast_name, backend)) or known.get((suite, wast_name, "*"))
    if exact:
        return exact
    for (s, pattern, b), reason in known.items():
        if s == suite and b in (backend, "*") and fnmatch.fnmatchcase(wast_name, pattern):
            return reason
    return None


def known_command_failures(suite, wast_name, backend):
    """Single-command gaps in a file that otherwise passes: {line: reason}. Each listed command
    must fail (the test reports one that starts passing) and is still counted as failed."""
    return {e["line"]: e["reason"] for e in known_failure_entries()
            if "line" in e and e["suite"] == suite and e["file"] == wast_name
            and e["backend"] in ("*", backend)}


def run_wasmlab(args, timeout=120, build: Path = None, **kwargs):
    return subprocess.run([str(wasmlab_binary(build)), *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, **kwargs)


def use_private_cache_dir():
    """Points WASMLAB_CACHE_DIR (inherited by every wasmlab the tests start) at a new temporary
    directory unless one is set; returns the directory it made, or None."""
    if os.environ.get("WASMLAB_CACHE_DIR"):
        return None
    folder = tempfile.mkdtemp(prefix="wasmlab-test-cache-")
    os.environ["WASMLAB_CACHE_DIR"] = folder
    return folder


def use_wast2json_cache():
    """Converted spec scripts persist in the build folder (keyed by file hash and flags), so a
    second session converts nothing; set before xdist starts its workers, which inherit it."""
    os.environ.setdefault("WASMLAB_WAST2JSON_CACHE", str(build_dir() / "wast2json-cache"))


def remove_private_cache_dir(folder):
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("WASMLAB_CACHE_DIR", None)
