"""The official WASI preview-1 test suite (WebAssembly/wasi-testsuite, prebuilt binaries in
../shared/wasi-testsuite/) on every backend the build has: one pytest test per (test, backend).

Each test runs as the suite's specification says (see the suite README): every suite folder is
copied to a temporary directory once per session (the data is read-only where CI runs), `*.cleanup`
files are deleted before and after each test, NAME.json gives args, env, the `root` preopened as
`/`, the expected exit code and, where given, stdout and stderr. A failure shows the command and
what differed. Results go into the conformance matrix as the `wasi-testsuite` row."""
import json
import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import wasmlab_env
from conformance import record

SUITE_ROOT = Path(os.environ.get("WASMLAB_WASI_TESTSUITE",
                                 wasmlab_env.REPO.parent / "shared" / "wasi-testsuite")).resolve()
SUITE_FOLDERS = ("assemblyscript", "c", "rust")
# Git keeps no empty folders; upstream these exist (empty) as test roots.
EMPTY_ROOTS = ("rust/fs-tests.dir",)
DEFAULTS = {"args": [], "env": {}, "root": None, "exit_code": 0, "stdout": None, "stderr": None}
BACKENDS = wasmlab_env.built_backends()
TIMEOUT = 120
ROW = "wasi-testsuite"


def suite_tests():
    """(folder, test name) for every NAME.wasm of the suite folders."""
    return [(folder, wasm.stem) for folder in SUITE_FOLDERS
            for wasm in sorted((SUITE_ROOT / folder).glob("*.wasm"))]


def make_writable(tree: Path):
    """The copy keeps the read-only modes of shared/; upstream the files are writable."""
    for dirpath, dirnames, filenames in os.walk(tree):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            path = Path(dirpath, name)
            if not path.is_symlink():
                os.chmod(path, 0o644)


@pytest.fixture(scope="session")
def suite_copy(tmp_path_factory):
    if not SUITE_ROOT.is_dir():
        pytest.fail(f"the WASI test suite is not at {SUITE_ROOT} (set WASMLAB_WASI_TESTSUITE)")
    copy = tmp_path_factory.mktemp("wasi-testsuite")
    for folder in SUITE_FOLDERS:
        shutil.copytree(SUITE_ROOT / folder, copy / folder, symlinks=True)
    for empty in EMPTY_ROOTS:
        (copy / empty).mkdir(exist_ok=True)
    make_writable(copy)
    return copy


def load_config(folder: Path, name: str):
    path = folder / f"{name}.json"
    config = dict(DEFAULTS)
    if path.exists():
        config.update(json.loads(path.read_text()))
    return config


def remove_cleanup_files(root: Path):
    for leftover in sorted(root.rglob("*.cleanup"), reverse=True):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()


def suite_command(wasmlab, backend, folder: Path, name: str, config):
    cmd = [str(wasmlab), "run", "--backend", backend]
    if config["root"] is not None:
        cmd += ["--dir", f"{folder / config['root']}::/"]
    for key, value in config["env"].items():
        cmd += ["--env", f"{key}={value}"]
    return cmd + [str(folder / f"{name}.wasm"), *config["args"]]


def differences(done, config):
    found = []
    if done.returncode != config["exit_code"]:
        found.append(f"exit code: expected {config['exit_code']}, got {done.returncode}")
    for stream in ("stdout", "stderr"):
        want, got = config[stream], getattr(done, stream)
        if want is not None and got != want:
            found.append(f"{stream}: expected {want!r}, got {got!r}")
    return found


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("folder_name,name", suite_tests(),
                         ids=[f"{f}/{n}" for f, n in suite_tests()])
def test_wasi_testsuite(wasmlab, suite_copy, folder_name, name, backend):
    folder = suite_copy / folder_name
    config = load_config(folder, name)
    cmd = suite_command(wasmlab, backend, folder, name, config)
    remove_cleanup_files(folder)
    started = time.monotonic()
    try:
        done = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL)
        problems = differences(done, config)
        output = f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    except subprocess.TimeoutExpired:
        problems, output = [f"timed out after {TIMEOUT} s"], ""
    finally:
        remove_cleanup_files(folder)
    record(ROW, backend, int(not problems), int(bool(problems)), 0, 1,
           time.monotonic() - started, not problems)
    if problems:
        pytest.fail(f"{folder_name}/{name} [{backend}]\ncommand (in {folder}):\n  "
                    f"{shlex.join(cmd)}\n" + "\n".join(problems) + "\n" + output, pytrace=False)


def test_suite_is_complete():
    """The README's count: 12 AssemblyScript + 14 C + 46 Rust tests."""
    counts = {f: sum(1 for t in suite_tests() if t[0] == f) for f in SUITE_FOLDERS}
    assert counts == {"assemblyscript": 12, "c": 14, "rust": 46}
