"""WASI (wasi_snapshot_preview1) through `wasmlab run`: C programs from harness/wasi/ compiled
with clang-19 for wasm32-wasi, run on every backend the build has. Checks arguments,
environment, stdin -> stdout, files inside a preopen, clocks, randomness, exit codes, and that
every escape attempt from a preopen is refused.

Debian's wasi-libc installs its sysroot under /usr (headers in /usr/include/wasm32-wasi, libc in
/usr/lib/wasm32-wasi) and clang-19 finds it without --sysroot; WASI_SYSROOT overrides."""
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import wasmlab_env

PROGRAMS = wasmlab_env.HARNESS / "wasi"
BACKENDS = wasmlab_env.built_backends()
WASI_ENOTCAPABLE = 76


def clang_command(src: Path, out: Path):
    cmd = ["clang-19", "--target=wasm32-wasi", "-O2", "-Wall", "-Wextra", "-Werror"]
    if os.environ.get("WASI_SYSROOT"):
        cmd.append("--sysroot=" + os.environ["WASI_SYSROOT"])
    return cmd + [str(src), "-o", str(out)]


@pytest.fixture(scope="session")
def wasi_programs(tmp_path_factory):
    """Every harness/wasi/*.c compiled once: name -> .wasm path."""
    if not shutil.which("clang-19"):
        pytest.fail("clang-19 is needed to build the WASI test programs")
    out = tmp_path_factory.mktemp("wasi_programs")
    built = {}
    for src in sorted(PROGRAMS.glob("*.c")):
        wasm = out / (src.stem + ".wasm")
        done = subprocess.run(clang_command(src, wasm), capture_output=True, text=True)
        assert done.returncode == 0, f"{src.name} does not compile:\n{done.stderr}"
        built[src.stem] = wasm
    return built


def run(wasmlab, backend, wasm, *args, options=(), stdin=b"", timeout=60):
    cmd = [str(wasmlab), "run", "--backend", backend, *options, str(wasm), *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout)


def text(done):
    return done.stdout.decode(errors="replace")


def explain(done):
    return f"exit {done.returncode}\nstdout:\n{text(done)}\nstderr:\n{done.stderr.decode(errors='replace')}"


@pytest.mark.parametrize("backend", BACKENDS)
def test_hello(wasmlab, wasi_programs, backend):
    done = run(wasmlab, backend, wasi_programs["hello"])
    assert done.returncode == 0, explain(done)
    assert done.stdout == b"Hello, world!\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_arguments_and_environment(wasmlab, wasi_programs, backend):
    wasm = wasi_programs["args_env"]
    done = run(wasmlab, backend, wasm, "one", "two words", "", "--not-an-option",
               options=["--env", "GREETING=hi there", "--env", "EMPTY="])
    assert done.returncode == 0, explain(done)
    lines = text(done).splitlines()
    assert lines[0] == "argc=5"
    assert lines[1] == f"argv[0]={wasm}"
    assert lines[2:6] == ["argv[1]=one", "argv[2]=two words", "argv[3]=", "argv[4]=--not-an-option"]
    # Only what --env passed: nothing of the host environment leaks in.
    assert lines[6:] == ["env GREETING=hi there", "env EMPTY=", "envc=2", "GREETING=hi there"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_stdin_to_stdout(wasmlab, wasi_programs, backend):
    data = bytes(range(256)) * 300 + b"tail without newline"
    done = run(wasmlab, backend, wasi_programs["cat"], stdin=data)
    assert done.returncode == 0, explain(done)
    assert done.stdout == data
    assert done.stderr == f"copied {len(data)} bytes\n".encode()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("code", [0, 1, 42, 255])
def test_exit_codes(wasmlab, wasi_programs, backend, code):
    done = run(wasmlab, backend, wasi_programs["exit_code"], str(code))
    assert done.returncode == code, explain(done)


@pytest.mark.parametrize("backend", BACKENDS)
def test_clocks_and_random(wasmlab, wasi_programs, backend):
    done = run(wasmlab, backend, wasi_programs["clock_random"], str(int(time.time())))
    assert done.returncode == 0, explain(done)
    results = dict(line.split("=") for line in text(done).splitlines())
    assert results == {"realtime_close": "1", "monotonic_res_ok": "1", "monotonic_forward": "1",
                       "slept_enough": "1", "process_clock_ok": "1", "random_varied": "1"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_files_inside_preopen(wasmlab, wasi_programs, backend, tmp_path):
    box = tmp_path / "box"
    box.mkdir()
    done = run(wasmlab, backend, wasi_programs["files"], "/sandbox",
               options=["--dir", f"{box}::/sandbox"])
    out = text(done)
    assert "FAIL" not in out, explain(done)
    assert done.returncode == 0, explain(done)
    # Every check of files.c ran and passed: one "ok" line per check() call in the source.
    checks = len(re.findall(r"^\s*check\(", (PROGRAMS / "files.c").read_text(), re.M))
    assert out.count("ok ") == checks and out.endswith("0 failures\n"), explain(done)
    # The guest cleaned up after itself and left exactly one file, visible to the host.
    assert sorted(p.name for p in box.iterdir()) == ["keep.txt"]
    assert (box / "keep.txt").read_text() == "written by the guest\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_preopen_guest_path_defaults_to_host_path(wasmlab, wasi_programs, backend, tmp_path):
    done = run(wasmlab, backend, wasi_programs["files"], str(tmp_path),
               options=["--dir", str(tmp_path)])
    assert done.returncode == 0, explain(done)
    assert (tmp_path / "keep.txt").exists()


def escape_scene(tmp_path: Path):
    """box/ is preopened; outside/ sits beside it with a secret; box/ holds symlinks out."""
    box, outside = tmp_path / "box", tmp_path / "outside"
    (box / "inner").mkdir(parents=True)
    outside.mkdir()
    (box / "inner" / "file.txt").write_text("inside")
    secret = outside / "secret.txt"
    secret.write_text("secret")
    (outside / "link").symlink_to("secret.txt")
    (box / "out_rel").symlink_to("../outside/secret.txt")
    (box / "out_abs").symlink_to(secret)
    (box / "out_dir").symlink_to("../outside")
    return box, outside


@pytest.mark.parametrize("backend", BACKENDS)
def test_escapes_are_refused(wasmlab, wasi_programs, backend, tmp_path):
    box, outside = escape_scene(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    done = run(wasmlab, backend, wasi_programs["escape"], options=["--dir", f"{box}::/sandbox"])
    out = text(done)
    assert "ESCAPED" not in out and "BLOCKED" not in out, explain(done)
    assert done.returncode == 0, explain(done)
    refused = dict(line.split(" ")[1:3] for line in out.splitlines() if line.startswith("refused"))
    assert len(refused) == 24, out
    # Leaving the preopen is a capability error; a few attempts fail earlier for their own
    # reason (not following a symlink without the flag is ELOOP), which is just as safe.
    capability = {name for name, err in refused.items() if err == f"errno={WASI_ENOTCAPABLE}"}
    assert {"open_absolute", "open_dotdot", "open_dotdot_deep", "open_dot_then_dotdot",
            "open_symlink_relative_out", "open_symlink_absolute", "open_through_symlinked_dir",
            "create_through_symlinked_dir", "stat_dotdot", "stat_follow_out", "mkdir_dotdot",
            "mkdir_absolute", "unlink_dotdot", "unlink_through_symlinked_dir", "rename_out",
            "rename_in", "link_out", "link_follow_symlink_out", "symlink_absolute_target",
            "symlink_placed_outside", "readlink_dotdot", "rmdir_dotdot",
            "set_times_out"} <= capability, out
    # Nothing moved, appeared or vanished on the host.
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert (outside / "secret.txt").read_text() == "secret"
    assert not Path("/tmp/evil_dir").exists()


@pytest.fixture(scope="session")
def wasi_host_test(tmp_path_factory):
    """harness/wasi/host/: a C driver calling every WASI host function with exact arguments
    (built against the static library) and the module re-exporting the imports."""
    out = tmp_path_factory.mktemp("wasi_host")
    host = PROGRAMS / "host"
    wasm = out / "wasi_imports.wasm"
    done = subprocess.run(["wat2wasm", str(host / "wasi_imports.wat"), "-o", str(wasm)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    library = wasmlab_env.build_dir() / "libwasmlab.a"
    assert library.exists(), f"{library} is not built"
    binary = out / "wasi_host_test"
    done = subprocess.run(["cc", "-std=gnu11", "-Wall", "-Wextra", "-Werror",
                           f"-I{wasmlab_env.REPO}", str(host / "wasi_host_test.c"), str(library),
                           "-lm", "-ldl", "-lpthread", "-o", str(binary)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return binary, wasm


@pytest.mark.parametrize("backend", BACKENDS)
def test_host_functions_directly(wasi_host_test, backend):
    binary, wasm = wasi_host_test
    done = subprocess.run([str(binary), "--backend", backend, str(wasm)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.endswith("0 failures\n")


def run_checks(wasmlab, backend, wasm, tmp_path):
    """Runs a check program (one "ok"/"FAIL" line per check) with a fresh preopen at /box."""
    box = tmp_path / "box"
    box.mkdir()
    done = run(wasmlab, backend, wasm, "/box", options=["--dir", f"{box}::/box"])
    out = text(done)
    assert "FAIL" not in out and done.returncode == 0, explain(done)
    assert out.endswith(" 0 failures\n") and out.count("ok ") > 0, explain(done)
    assert list(box.iterdir()) == [], "the program left files behind"


@pytest.mark.parametrize("backend", BACKENDS)
def test_sock_calls_on_non_sockets(wasmlab, wasi_programs, backend, tmp_path):
    """Every sock_* call: ENOTSOCK on a file, a directory and stdout; EBADF on closed fds."""
    run_checks(wasmlab, backend, wasi_programs["sock_errors"], tmp_path)


@pytest.mark.parametrize("backend", BACKENDS)
def test_path_open_flag_and_rights_combinations(wasmlab, wasi_programs, backend, tmp_path):
    """O_DIRECTORY/O_CREAT/O_TRUNC/O_EXCL x rights on files, directories and missing names."""
    run_checks(wasmlab, backend, wasi_programs["open_flags"], tmp_path)
