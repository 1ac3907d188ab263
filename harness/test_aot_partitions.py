"""AOT partitions (backends/aot/llvm/aot_partition.c): a module over one partition (~256 KiB of
code) is compiled as several objects linked into one artifact; calls cross partitions, the
result equals the interpreter's, and the artifact is the same bytes whatever --aot-jobs."""
import os
import subprocess

import pytest

import wasmlab_env

pytestmark = pytest.mark.skipif("aot" not in wasmlab_env.built_backends(),
                                reason="this build has no AOT backend")

FUNCTIONS = 300
STEPS = 240  # per function: ~1.2 KB of code, so 300 of them make several partitions


def module_text(trap=False):
    """f0..f299: each mixes its argument with constants and calls the previous one, so
    most calls of the chain cross into another partition somewhere; f299 is exported.
    With `trap`, f0 is `unreachable`: the trap unwinds through every partition."""
    funcs = []
    for i in range(FUNCTIONS):
        body = ["unreachable"] if trap and i == 0 else ["local.get 0"]
        for k in range(STEPS):
            body.append(f"i32.const {(i * 7919 + k * 104729) % 65521} "
                        f"{'i32.add' if k % 3 else 'i32.xor'}")
        body.append("f64.convert_i32_u f64.const 1.0 f64.mul i32.trunc_f64_u")
        if i:
            body.append(f"call $f{i - 1}")
        funcs.append(f'(func $f{i} (param i32) (result i32) {" ".join(body)})')
    return ("(module " + " ".join(funcs) +
            f' (export "f" (func $f{FUNCTIONS - 1})))')


def wasmlab(*args, **kw):
    return subprocess.run([str(wasmlab_env.wasmlab_binary()), *args], capture_output=True,
                          text=True, timeout=600, **kw)


def build_module(d, trap=False):
    wat, wasm = d / f"big{trap:d}.wat", d / f"big{trap:d}.wasm"
    wat.write_text(module_text(trap))
    subprocess.run(["wat2wasm", str(wat), "-o", str(wasm)], check=True)
    assert wasm.stat().st_size > 300_000, "the module must span more than one partition"
    return wasm


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    return build_module(tmp_path_factory.mktemp("partitions"))


def test_partitioned_artifact_is_independent_of_jobs_and_correct(module, tmp_path):
    artifacts = []
    for jobs in (1, 2):
        so = tmp_path / f"big-j{jobs}.so"
        r = wasmlab("compile", str(module), "-o", str(so), "--aot-jobs", str(jobs))
        assert r.returncode == 0, r.stderr
        artifacts.append(so.read_bytes())
    assert artifacts[0] == artifacts[1]
    want = wasmlab("run", "--backend", "interp", "--invoke", "f", str(module), "12345")
    assert want.returncode == 0, want.stderr
    got = wasmlab("run", "--backend", "aot", "--invoke", "f", str(module), "12345",
                  env={**os.environ, "WASMLAB_AOT_FILE": str(tmp_path / "big-j1.so")})
    assert got.returncode == 0, got.stderr
    assert got.stdout == want.stdout


def planned_partitions(sizes, full=256 << 10, tail=32 << 10):
    """aot_partition.c's cut: full partitions until the last ~4 partitions' worth of code,
    then a quarter of what is left each, at least `tail`; one partition up to `full`."""
    if sum(sizes) <= full:
        return 1
    count, size, target, remaining = 0, 0, 0, sum(sizes)
    for i, n in enumerate(sizes):
        if i == 0 or size >= target:
            count, size = count + 1, 0
            target = min(full, max(tail, remaining // 4))
        size += n
        remaining -= n
    return count


def test_partitions_shrink_towards_the_end(module):
    """The last partitions are smaller, so no compile thread runs on alone with a full one."""
    dump = subprocess.run(["wasm-objdump", "-x", str(module)], capture_output=True,
                          text=True, check=True).stdout
    sizes = [int(line.split("size=")[1].split()[0]) for line in dump.splitlines()
             if line.startswith(" - func[") and "size=" in line]
    assert len(sizes) == FUNCTIONS
    r = wasmlab("compile", str(module), "-o", os.devnull,
                env={**os.environ, "WASMLAB_AOT_TIMING": "1"})
    assert r.returncode == 0, r.stderr
    got = int(r.stderr.split("(sum over ")[1].split()[0])
    assert got == planned_partitions(sizes) > 2, r.stderr


def test_aot_jobs_out_of_range_is_refused(module):
    r = wasmlab("run", "--aot-jobs", "999", "--backend", "aot", str(module))
    assert r.returncode == 2
    assert "--aot-jobs" in r.stderr


def backtrace(stderr):
    """The frame lines after "wasm backtrace:"."""
    lines = stderr.splitlines()
    assert "wasm backtrace:" in lines, stderr
    return lines[lines.index("wasm backtrace:") + 1:]


def test_trap_backtrace_crosses_partitions(tmp_path):
    """A trap in f0 unwinds through frames of every partition: aot prints the frames the
    interpreter and the jit print (function names and offsets, innermost 32)."""
    wasm = build_module(tmp_path, trap=True)
    traces = {}
    # the interpreter is the reference even when WASMLAB_BACKENDS selects only others
    for backend in dict.fromkeys(["interp", *wasmlab_env.built_backends()]):
        r = wasmlab("run", "--backend", backend, "--invoke", "f", str(wasm), "1")
        assert r.returncode == 1 and "unreachable" in r.stderr, r.stderr
        traces[backend] = backtrace(r.stderr)
    assert "<wasm function 0>" in traces["interp"][0] and len(traces["interp"]) >= 32, traces["interp"]
    for backend, frames in traces.items():
        assert frames == traces["interp"], backend
