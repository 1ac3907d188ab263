"""pytest configuration: shared fixtures and the conformance matrix written at session end."""
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import wasmlab_env  # noqa: E402
from conformance import MATRIX, export_cells, merge_cells, write_reports  # noqa: E402


def pytest_configure(config):
    """The tests' AOT artifacts go to a cache of their own, removed when the session ends (an
    explicit WASMLAB_CACHE_DIR is used as it is and kept)."""
    config.own_cache_dir = wasmlab_env.use_private_cache_dir()
    wasmlab_env.use_wast2json_cache()


def pytest_unconfigure(config):
    wasmlab_env.remove_private_cache_dir(getattr(config, "own_cache_dir", None))


# Under pytest-xdist each worker fills its own MATRIX; it hands its cells to the controller when
# it finishes (xdist's workeroutput channel), and the controller writes the one merged report.
def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["conformance_cells"] = export_cells()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    merge_cells(getattr(node, "workeroutput", {}).get("conformance_cells", []))


@pytest.fixture(scope="session")
def wasmlab():
    """Path of the wasmlab binary; fails (never skips) when the build is missing."""
    binary = wasmlab_env.wasmlab_binary()
    if not binary.exists():
        pytest.fail(f"wasmlab is not built at {binary} (run scripts/build.sh or set WASMLAB_BUILD)")
    return binary


class ConvertedSuites:
    """Each spec suite converted with wast2json: command counts per file (the true totals of
    the conformance matrix, even when a run crashes) and the .wasm files the fuzz test mutates.
    A suite's conversion is kept in the wast2json cache (keyed by its files' bytes and the
    flags), so later sessions and the other xdist workers convert nothing."""

    def __init__(self, root: Path):
        self.root = root
        self.folders = {}
        self.counts = {}

    def _key(self, suite: str, flags):
        digest = hashlib.sha256("\0".join(flags).encode())
        for wast in wasmlab_env.suite_files(suite):
            digest.update(wast.name.encode() + b"\0" + wast.read_bytes())
        return f"harness-{suite.replace('/', '-')}-{digest.hexdigest()[:16]}"

    def _convert(self, suite: str, out: Path, flags):
        counts = {}
        for wast in wasmlab_env.suite_files(suite):
            sub = out / wast.stem
            sub.mkdir()
            json_path = sub / f"{wast.stem}.json"
            done = subprocess.run(["wast2json", *flags, str(wast), "-o", str(json_path)],
                                  capture_output=True, text=True)
            if done.returncode == 0:
                counts[wast.name] = len(json.loads(json_path.read_text())["commands"])
        (out / "counts.json").write_text(json.dumps(counts))

    def folder(self, suite: str) -> Path:
        if suite in self.folders:
            return self.folders[suite]
        flags = wasmlab_env.SUITES[suite]["wast2json_flags"]
        cache = Path(os.environ.get("WASMLAB_WAST2JSON_CACHE") or self.root)
        cache.mkdir(parents=True, exist_ok=True)
        out = cache / self._key(suite, flags)
        if not (out / "counts.json").exists():
            tmp = Path(tempfile.mkdtemp(prefix=out.name + ".tmp-", dir=cache))
            self._convert(suite, tmp, flags)
            try:
                tmp.rename(out)  # appears complete or not at all
            except OSError:  # another worker published it first
                shutil.rmtree(tmp, ignore_errors=True)
        self.counts[suite] = json.loads((out / "counts.json").read_text())
        self.folders[suite] = out
        return out

    def command_count(self, suite: str, wast_name: str):
        self.folder(suite)
        return self.counts[suite].get(wast_name)


@pytest.fixture(scope="session")
def converted_suites(tmp_path_factory):
    return ConvertedSuites(tmp_path_factory.mktemp("suites"))


def partial_run(config, terminalreporter) -> bool:
    """A run of chosen tests (node ids, -k/-m deselection, -x): its matrix is not the full one."""
    return (bool(terminalreporter.stats.get("deselected"))
            or any("::" in str(arg) for arg in config.args) or bool(config.option.maxfail))


def pytest_terminal_summary(terminalreporter, config):
    if not MATRIX:
        return
    version = subprocess.run([str(wasmlab_env.wasmlab_binary()), "--version"],
                             capture_output=True, text=True).stdout.strip()
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    folder = wasmlab_env.reports_dir()
    if partial_run(config, terminalreporter):
        folder = folder / "partial"  # never overwrites the report of a full run
    md_path, json_path, table = write_reports(folder, version, stamp)
    terminalreporter.write_sep("=", "conformance matrix (spec commands)")
    terminalreporter.write_line(table)
    terminalreporter.write_line(f"written to {md_path} and {json_path}")
