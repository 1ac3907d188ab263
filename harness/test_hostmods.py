"""Host modules through `wasmlab run` on every backend the build has: wasmedge_process (the
driver harness/hostmods/proc_driver.c uses exactly WasmEdge's import names and signatures)
and the RocksDB wasmlab_kv (harness/hostmods/kv_driver.c), each granted per instance by CLI
options; without the grant the module fails to link with a message naming it."""
import os
import subprocess
import time
import zlib
from pathlib import Path

import pytest

import wasmlab_env
from test_wasi import clang_command

BACKENDS = wasmlab_env.built_backends()
HEADERS = wasmlab_env.REPO / "examples" / "host-modules"
DRIVERS = wasmlab_env.HARNESS / "hostmods"
ETIMEDOUT = 110


@pytest.fixture(scope="session")
def guests(tmp_path_factory):
    """The drivers and the examples compiled once: name -> .wasm path."""
    out = tmp_path_factory.mktemp("hostmod_guests")
    built = {}
    for src in [*sorted(DRIVERS.glob("*.c")), *sorted(HEADERS.glob("*.c"))]:
        wasm = out / (src.stem + ".wasm")
        cmd = clang_command(src, wasm)
        cmd.insert(1, f"-I{HEADERS}")
        done = subprocess.run(cmd, capture_output=True, text=True)
        assert done.returncode == 0, f"{src.name} does not compile:\n{done.stderr}"
        built[src.stem] = wasm
    return built


def run(wasmlab, backend, wasm, *args, options=(), stdin=b"", timeout=60, **kwargs):
    cmd = [str(wasmlab), "run", "--backend", backend, *options, str(wasm), *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout, **kwargs)


def explain(done):
    return (f"exit {done.returncode}\nstdout:\n{done.stdout[-2000:]!r}\n"
            f"stderr:\n{done.stderr[-2000:]!r}")


def proc(wasmlab, backend, guests, *args, allow=(), **kwargs):
    """Runs proc_driver; returns (meta dict from its first stderr line, stdout, rest of stderr)."""
    options = [o for name in allow for o in ("--allow-command", name)]
    done = run(wasmlab, backend, guests["proc_driver"], *args,
               options=kwargs.pop("options", options), **kwargs)
    assert done.returncode == 0, explain(done)
    first, _, rest = done.stderr.partition(b"\n")
    meta = dict(field.split("=") for field in first.decode().split())
    return {k: int(v) for k, v in meta.items()}, done.stdout, rest


# ---------------------------------------------------------------- wasmedge_process

@pytest.mark.parametrize("backend", BACKENDS)
def test_allowed_command_gets_arguments_verbatim(wasmlab, guests, backend):
    meta, out, err = proc(wasmlab, backend, guests, "printf", "[%s]", "a b", "", "c  d",
                          "*", "$HOME", "'q'", allow=["printf"])
    assert meta == {"exit": 0, "code": 0, "out": len(out), "err": 0}
    assert out == b"[a b][][c  d][*][$HOME]['q']"  # no shell: nothing expanded or split


@pytest.mark.parametrize("backend", BACKENDS)
def test_refused_command_does_not_run(wasmlab, guests, backend, tmp_path):
    marker = tmp_path / "ran"
    meta, out, err = proc(wasmlab, backend, guests, "touch", str(marker), allow=["echo"])
    assert meta["exit"] == -1 and meta["code"] == -1 and out == b""
    assert b'command "touch" is not in the allow list' in err
    assert b"--allow-command touch" in err
    assert not marker.exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_allow_list_matches_the_exact_name(wasmlab, guests, backend):
    meta, _, err = proc(wasmlab, backend, guests, "/bin/echo", "x", allow=["echo"])
    assert meta["exit"] == -1 and b'"/bin/echo" is not in the allow list' in err
    meta, out, _ = proc(wasmlab, backend, guests, "/bin/echo", "x",
                        options=["--allow-command-all"])
    assert meta["exit"] == 0 and out == b"x\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_without_grant_the_module_does_not_link(wasmlab, guests, backend):
    done = run(wasmlab, backend, guests["proc_driver"], "echo", "hi")
    assert done.returncode == 1
    err = done.stderr.decode()
    assert 'unknown import "wasmedge_process" "wasmedge_process_' in err
    assert 'host module "wasmedge_process" was not granted' in err
    assert "--allow-command NAME or --allow-command-all" in err


@pytest.mark.parametrize("backend", BACKENDS)
def test_stdin_is_piped_to_the_command(wasmlab, guests, backend):
    data = bytes(range(256)) * 4 + b"\0tail"
    meta, out, _ = proc(wasmlab, backend, guests, "--stdin", "cat", allow=["cat"], stdin=data)
    assert meta["exit"] == 0 and out == data
    meta, out, _ = proc(wasmlab, backend, guests, "--stdin", "tr", "a-z", "A-Z", allow=["tr"],
                        stdin=b"hello world\n")
    assert out == b"HELLO WORLD\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_exit_codes(wasmlab, guests, backend):
    cases = {"exit 3": 3, "exit 255": -1, "kill -9 $$": 128 + 9, "true": 0}
    for script, code in cases.items():
        meta, _, _ = proc(wasmlab, backend, guests, "sh", "-c", script, allow=["sh"])
        assert meta["exit"] == code and meta["code"] == code, script
    meta, _, err = proc(wasmlab, backend, guests, "no-such-program-here",
                        options=["--allow-command-all"])
    assert meta["exit"] == -1
    assert b'cannot run "no-such-program-here": No such file or directory' in err


@pytest.mark.parametrize("backend", BACKENDS)
def test_timeout_kills_the_process_group(wasmlab, guests, backend):
    start = time.monotonic()
    meta, out, _ = proc(wasmlab, backend, guests, "--timeout", "500", "sh", "-c",
                        "sleep 60 & echo $!; sleep 60", allow=["sh"])
    assert time.monotonic() - start < 20
    assert meta["exit"] == ETIMEDOUT
    assert_gone(int(out))  # the background sleep died with its group


@pytest.mark.parametrize("backend", BACKENDS)
def test_command_leaves_nothing_behind(wasmlab, guests, backend):
    # A background child holds stdout open; run returns when the command's first process
    # exits, ending the rest of its group, not after the 60 seconds.
    start = time.monotonic()
    meta, out, _ = proc(wasmlab, backend, guests, "sh", "-c", "sleep 60 & echo $!",
                        allow=["sh"])
    assert meta["exit"] == 0 and time.monotonic() - start < 20
    assert_gone(int(out))


@pytest.mark.parametrize("backend", BACKENDS)
def test_exit_status_counts_when_an_escaped_process_holds_the_pipes(wasmlab, guests, backend):
    # setsid leaves the group, so it survives the group kill and holds stdout open until the
    # deadline; the command itself exited in time, so its status is reported, not a timeout.
    meta, out, _ = proc(wasmlab, backend, guests, "--timeout", "1000", "sh", "-c",
                        "setsid sleep 30 & echo $!; exit 7", allow=["sh"])
    try:
        assert meta["exit"] == 7 and meta["code"] == 7
    finally:
        os.kill(int(out), 9)


def assert_gone(pid):
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return
        if state in ("Z", "X"):
            return  # dead, waiting for its new parent to reap it
        time.sleep(0.05)
    pytest.fail(f"process {pid} outlived its command")


@pytest.mark.parametrize("backend", BACKENDS)
def test_large_outputs_on_both_streams(wasmlab, guests, backend):
    script = "head -c 20000000 /dev/zero; head -c 6000000 /dev/zero >&2; echo end"
    meta, out, err = proc(wasmlab, backend, guests, "--digest", "sh", "-c", script,
                          allow=["sh"], timeout=120)
    expected = bytes(20000000) + b"end\n"
    assert meta == {"exit": 0, "code": 0, "out": len(expected), "err": 6000000}
    assert out == f"{len(expected)} {zlib.crc32(expected):08x}\n".encode()
    assert err == bytes(6000000)


@pytest.mark.parametrize("backend", BACKENDS)
def test_large_stdin_and_stdout_together_do_not_deadlock(wasmlab, guests, backend):
    data = os.urandom(8 << 20)
    meta, out, _ = proc(wasmlab, backend, guests, "--stdin", "--digest", "cat", allow=["cat"],
                        stdin=data, timeout=120)
    assert meta["exit"] == 0
    assert out == f"{len(data)} {zlib.crc32(data):08x}\n".encode()


@pytest.mark.parametrize("backend", BACKENDS)
def test_child_sees_only_the_guest_environment(wasmlab, guests, backend):
    host_env = dict(os.environ, HOST_SECRET="leaked")
    meta, out, _ = proc(wasmlab, backend, guests, "--env", "A=1", "--env", "B=two words",
                        "--env", "A=ignored", "env", allow=["env"], env=host_env)
    assert meta["exit"] == 0
    assert out == b"A=1\nB=two words\n"  # the first value of A wins, as in WasmEdge
    meta, out, _ = proc(wasmlab, backend, guests, "env", allow=["env"], env=host_env)
    assert meta["exit"] == 0 and out == b""


@pytest.mark.parametrize("backend", BACKENDS)
def test_strings_with_nul_bytes_are_refused(wasmlab, guests, backend, tmp_path):
    for flag, what in (("--nul-arg", b"an argument"), ("--nul-env", b"environment variable")):
        meta, out, err = proc(wasmlab, backend, guests, flag, "touch", str(tmp_path / "x"),
                              allow=["touch"])
        assert meta["exit"] == -1 and what in err and b"NUL" in err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_run_resets_the_command(wasmlab, guests, backend):
    done = run(wasmlab, backend, guests["proc_driver"], "--again", "--env", "A=1", "echo", "x",
               options=["--allow-command", "echo"])
    assert done.returncode == 0, explain(done)
    lines = done.stderr.decode().splitlines()
    assert lines[0] == "exit=0 code=0 out=2 err=0"
    assert lines[1].startswith("exit=-1 code=-1 out=0")
    assert lines[2] == "wasmedge_process: no program name was set"


@pytest.mark.parametrize("backend", BACKENDS)
def test_out_of_bounds_buffer_traps(wasmlab, guests, backend):
    done = run(wasmlab, backend, guests["proc_driver"], "--oob", "echo", "hi",
               options=["--allow-command", "echo"])
    assert done.returncode == 1
    assert b"out of bounds memory access: wasmedge_process_get_stdout" in done.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_host_descriptor_leaks_into_the_child(wasmlab, guests, backend, tmp_path):
    # An inheritable descriptor of wasmlab's own, a WASI preopen and the open RocksDB store
    # must not reach the child.
    leaky = os.open(str(tmp_path), os.O_RDONLY)
    os.set_inheritable(leaky, True)
    try:
        meta, out, _ = proc(wasmlab, backend, guests, "sh", "-c", "ls /proc/$$/fd",
                            options=["--allow-command", "sh", "--dir", str(tmp_path),
                                     "--kv", str(tmp_path / "db"), "--kv-write"],
                            pass_fds=(leaky,))
    finally:
        os.close(leaky)
    assert meta["exit"] == 0
    assert out.split() == [b"0", b"1", b"2"]


# ---------------------------------------------------------------- wasmlab_kv

def kv(wasmlab, backend, guests, store, *commands, write=False, namespace=None):
    options = ["--kv", str(store)]
    if write:
        options.append("--kv-write")
    if namespace:
        options += ["--kv-namespace", namespace]
    return run(wasmlab, backend, guests["kv_driver"], *commands, options=options)


def kv_lines(*args, **kwargs):
    done = kv(*args, **kwargs)
    assert done.returncode == 0, explain(done)
    return done.stdout.decode().splitlines()


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_round_trip_and_persistence(wasmlab, guests, backend, tmp_path):
    store = tmp_path / "db"
    assert kv_lines(wasmlab, backend, guests, store, "put", "k", "v1", "get", "k", "put", "k",
                    "value two", "get", "k", "get", "missing", write=True) == [
        "put k: 0", "get k: 0 v1", "put k: 0", "get k: 0 value two", "get missing: 1"]
    # A new process (read-only) sees what the last one wrote.
    assert kv_lines(wasmlab, backend, guests, store, "get", "k") == ["get k: 0 value two"]
    assert kv_lines(wasmlab, backend, guests, store, "del", "k", "del", "never", "get", "k",
                    write=True) == ["del k: 0", "del never: 0", "get k: 1"]
    assert kv_lines(wasmlab, backend, guests, store, "get", "k") == ["get k: 1"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_binary_keys_and_values(wasmlab, guests, backend, tmp_path):
    store = tmp_path / "db"
    lines = kv_lines(wasmlab, backend, guests, store, "put", r"\x00\xff\x01", r"v\x00\x80",
                     "put", r"\x00", "nul", "get", r"\x00\xff\x01", "get", r"\x00", "get", "",
                     write=True)
    assert lines == [r"put \x00\xff\x01: 0", r"put \x00: 0", r"get \x00\xff\x01: 0 v\x00\x80",
                     r"get \x00: 0 nul", "get : 1"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_prefix_scan_in_order(wasmlab, guests, backend, tmp_path):
    store = tmp_path / "db"
    puts = []
    for key in ["user/2", "users", "user/10", "usr", "user/1", r"user/\xff", r"user/\x00", "u"]:
        puts += ["put", key, "=" + key]
    kv_lines(wasmlab, backend, guests, store, *puts, write=True)
    assert kv_lines(wasmlab, backend, guests, store, "scan", "user/", "scan", "", "scan",
                    "zzz") == [
        r"scan user/: 0 user/\x00==user/\x00 user/1==user/1 user/10==user/10 user/2==user/2"
        r" user/\xff==user/\xff end 1 close 0",
        r"scan : 0 u==u user/\x00==user/\x00 user/1==user/1 user/10==user/10 user/2==user/2"
        r" user/\xff==user/\xff users==users usr==usr end 1 close 0",
        "scan zzz: 0 end 1 close 0"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_buffer_too_small_reports_needed_length(wasmlab, guests, backend, tmp_path):
    store = tmp_path / "db"
    big = "x" * 50000
    assert kv_lines(wasmlab, backend, guests, store, "put", "k", "hello", "put", "big", big,
                    "getcap", "k", "4", "getcap", "k", "5", "getcap", "big", "49999", "get",
                    "big", write=True) == [
        "put k: 0", "put big: 0", "get k: 2 need 5", "get k: 0 hello", "get big: 2 need 50000",
        f"get big: 0 {big}"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_namespaces_are_isolated(wasmlab, guests, backend, tmp_path):
    store = tmp_path / "db"
    kv_lines(wasmlab, backend, guests, store, "put", "k", "in-a", write=True, namespace="a")
    kv_lines(wasmlab, backend, guests, store, "put", "k", "in-ab", write=True, namespace="ab")
    kv_lines(wasmlab, backend, guests, store, "put", "k", "in-default", write=True)
    assert kv_lines(wasmlab, backend, guests, store, "get", "k", "scan", "",
                    namespace="a") == ["get k: 0 in-a", "scan : 0 k=in-a end 1 close 0"]
    assert kv_lines(wasmlab, backend, guests, store, "scan", "", namespace="ab") == [
        "scan : 0 k=in-ab end 1 close 0"]
    assert kv_lines(wasmlab, backend, guests, store, "get", "k") == ["get k: 0 in-default"]
    assert kv_lines(wasmlab, backend, guests, store, "get", "k", "scan", "",
                    namespace="b") == ["get k: 1", "scan : 0 end 1 close 0"]
    done = kv(wasmlab, backend, guests, store, "get", "k", namespace="a\\x00b")
    assert done.returncode == 1 and b'namespace "a\\x00b" must be' in done.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_read_only_refuses_writes(wasmlab, guests, backend, tmp_path):
    store = tmp_path / "db"
    kv_lines(wasmlab, backend, guests, store, "put", "k", "v", write=True)
    assert kv_lines(wasmlab, backend, guests, store, "put", "k", "new", "del", "k", "get",
                    "k") == ["put k: 3", "del k: 3", "get k: 0 v"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_without_grant_does_not_link(wasmlab, guests, backend, tmp_path):
    done = run(wasmlab, backend, guests["kv_driver"], "get", "k")
    assert done.returncode == 1
    assert b'host module "wasmlab_kv" was not granted' in done.stderr
    assert b"--kv DIR" in done.stderr
    done = run(wasmlab, backend, guests["kv_driver"], "get", "k", options=["--kv-write"])
    assert done.returncode == 1 and b"--kv-write needs --kv DIR" in done.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_missing_and_corrupt_stores(wasmlab, guests, backend, tmp_path):
    done = kv(wasmlab, backend, guests, tmp_path / "none", "get", "k")
    assert done.returncode == 1 and b"no store at" in done.stderr
    assert not (tmp_path / "none").exists()
    store = tmp_path / "db"
    kv_lines(wasmlab, backend, guests, store, "put", "k", "v", write=True)
    (store / "CURRENT").write_bytes(b"garbage")
    for write in (False, True):
        done = kv(wasmlab, backend, guests, store, "get", "k", write=write)
        assert done.returncode == 1
        assert f"kv: store {store} is corrupt (RocksDB: Corruption".encode() in done.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_locked_store_second_writer_fails_readers_work(wasmlab, guests, backend, tmp_path):
    store = tmp_path / "db"
    kv_lines(wasmlab, backend, guests, store, "put", "k", "v", write=True)
    # A writer that holds the store (and its lock) while its guest runs a command; the command
    # starts after the store was opened, so the file it creates (holding its pid) says the
    # lock is taken.
    ready = tmp_path / "ready"
    holder = subprocess.Popen(
        [str(wasmlab), "run", "--backend", backend, "--kv", str(store), "--kv-write",
         "--allow-command", "sh", str(guests["run_command"]), "sh", "-c",
         f"echo $$ > {ready}.tmp; mv {ready}.tmp {ready}; exec sleep 30"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline and holder.poll() is None:
            time.sleep(0.1)
        assert ready.exists(), holder.stderr.read() if holder.poll() is not None else "no start"
        done = kv(wasmlab, backend, guests, store, "get", "k", write=True)
        assert done.returncode == 1
        assert f"kv: store {store} is locked: a writer already has it open".encode() \
            in done.stderr
        assert kv_lines(wasmlab, backend, guests, store, "get", "k") == ["get k: 0 v"]
    finally:
        if ready.exists():
            os.kill(int(ready.read_text()), 9)  # its own process group: not killed with wasmlab
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("backend", BACKENDS)
def test_kv_handles_and_out_of_bounds(wasmlab, guests, backend, tmp_path):
    store = tmp_path / "db"
    assert kv_lines(wasmlab, backend, guests, store, "scans", "badhandle", write=True) == [
        "scans:" + " 0" * 16 + " 5", "badhandle: 4 4"]
    done = kv(wasmlab, backend, guests, store, "oob")
    assert done.returncode == 1
    assert b"out of bounds memory access: wasmlab_kv.get: key" in done.stderr
    assert b"no trap" not in done.stdout
