"""Fuel metering (`--fuel N`) through the command line: every backend ends a run exactly as the
interpreter does (same value, or the same "fuel exhausted" trap) for the same module and
limit, WASI programs stop when the fuel runs out, and metered and unmetered AOT code never
share an artifact. The exact fuel counts are compared in harness/ctests/metering_test.c."""
import os
import shutil
import subprocess

import pytest

import wasmlab_env

OTHERS = [b for b in wasmlab_env.built_backends() if b != "interp"]
ALL = ["interp", *OTHERS]

LOOPS_WAT = """
(module
  (func (export "spin") (loop $l (br $l)))
  (func (export "count") (param i32) (result i32) (local i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "sum_or_trap") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (if (i32.eq (local.get 0) (i32.const 2))
        (then (local.set 1 (i32.div_u (local.get 1) (i32.const 0)))))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1))
  ;; SIMD: inline instructions and a helper call (i64x2.mul) in each run
  (func (export "vsum") (param i32) (result i32) (local v128)
    (loop $l
      (local.set 1 (i32x4.add (local.get 1) (i32x4.splat (local.get 0))))
      (local.set 1 (i64x2.mul (local.get 1) (v128.const i64x2 1 1)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (i32x4.extract_lane 2 (local.get 1))))
"""

# A WASI command that computes in a loop and prints the result.
LOOP_C = r"""
#include <stdio.h>
int main(void) {
  volatile unsigned sum = 0;
  for (unsigned i = 0; i < 20000; i++) sum += i * 3u;
  printf("%u\n", sum);
  return 0;
}
"""
LOOP_C_OUTPUT = f"{sum(i * 3 for i in range(20000)) & 0xffffffff}\n"


def wat_module(tmp_path_factory, name, text):
    folder = tmp_path_factory.mktemp(f"metering_{name}")
    wat, wasm = folder / f"{name}.wat", folder / f"{name}.wasm"
    wat.write_text(text)
    subprocess.run(["wat2wasm", str(wat), "-o", str(wasm)], check=True)
    return wasm


@pytest.fixture(scope="module")
def loops(tmp_path_factory):
    return wat_module(tmp_path_factory, "loops", LOOPS_WAT)


@pytest.fixture(scope="module")
def wasi_loop(tmp_path_factory):
    if not shutil.which("clang-19"):
        pytest.fail("clang-19 is needed to build the WASI test program")
    folder = tmp_path_factory.mktemp("metering_wasi")
    src, wasm = folder / "loop.c", folder / "loop.wasm"
    src.write_text(LOOP_C)
    cmd = ["clang-19", "--target=wasm32-wasi", "-O2", "-Wall", "-Werror", str(src), "-o", str(wasm)]
    if os.environ.get("WASI_SYSROOT"):
        cmd.append("--sysroot=" + os.environ["WASI_SYSROOT"])
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return wasm


@pytest.fixture
def cache_env(tmp_path):
    """A private AOT cache, so runs neither see nor leave artifacts elsewhere."""
    env = dict(os.environ)
    env["WASMLAB_CACHE_DIR"] = str(tmp_path / "cache")
    env.pop("WASMLAB_AOT_FILE", None)
    return env


def run(backend, wasm, *args, fuel=None, env=None):
    flags = ["--backend", backend] + ([] if fuel is None else ["--fuel", str(fuel)])
    return wasmlab_env.run_wasmlab(["run", *flags, *args, wasm], timeout=60, env=env)


def invoke(backend, wasm, name, *args, fuel=None, env=None):
    flags = ["--backend", backend] + ([] if fuel is None else ["--fuel", str(fuel)])
    return wasmlab_env.run_wasmlab(["run", *flags, "--invoke", name, wasm, *args],
                                   timeout=60, env=env)


def outcome(done):
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("backend", ALL)
def test_infinite_loop_runs_out(loops, cache_env, backend):
    done = invoke(backend, loops, "spin", fuel=100000, env=cache_env)
    assert done.returncode == 1, done.stderr
    assert "fuel exhausted" in done.stderr


@pytest.mark.parametrize("backend", OTHERS)
@pytest.mark.parametrize("name,arg", [("count", "30"), ("fib", "8"), ("sum_or_trap", "6"),
                                      ("vsum", "6")])
def test_every_limit_ends_as_on_the_interpreter(loops, cache_env, backend, name, arg):
    """From a limit too small for the first run to one with fuel to spare: the same value,
    the same fuel trap, or the same other trap (which must win only when the fuel lasts)."""
    enough = invoke("interp", loops, name, arg, fuel=10**9)
    assert enough.returncode in (0, 1), enough.stderr
    seen = set()
    for fuel in list(range(1, 120)) + [500, 2000, 10**9]:
        want = invoke("interp", loops, name, arg, fuel=fuel, env=cache_env)
        got = invoke(backend, loops, name, arg, fuel=fuel, env=cache_env)
        assert outcome(got) == outcome(want), f"--fuel {fuel}"
        seen.add("fuel exhausted" in want.stderr)
    assert seen == {True, False}  # the sweep crossed the point where the fuel suffices


@pytest.mark.parametrize("backend", OTHERS)
def test_enough_fuel_gives_the_same_values(loops, cache_env, backend):
    for name, arg, value in [("count", "1000", "i32:1000"), ("fib", "15", "i32:610")]:
        want = invoke("interp", loops, name, arg, fuel=10**9, env=cache_env)
        got = invoke(backend, loops, name, arg, fuel=10**9, env=cache_env)
        assert want.returncode == 0 and want.stdout.strip() == value, want.stderr
        assert outcome(got) == outcome(want)


@pytest.mark.parametrize("backend", ALL)
def test_wasi_program_stops_when_fuel_runs_out(wasi_loop, cache_env, backend):
    small = run(backend, wasi_loop, fuel=1000, env=cache_env)
    assert small.returncode == 1 and "fuel exhausted" in small.stderr, small.stderr
    assert small.stdout == ""
    large = run(backend, wasi_loop, fuel=10**9, env=cache_env)
    assert large.returncode == 0, large.stderr
    assert large.stdout == LOOP_C_OUTPUT


@pytest.mark.parametrize("backend", OTHERS)
def test_wasi_program_ends_as_on_the_interpreter(wasi_loop, cache_env, backend):
    for fuel in (1, 1000, 50000, 100000, 10**9):
        want = run("interp", wasi_loop, fuel=fuel, env=cache_env)
        got = run(backend, wasi_loop, fuel=fuel, env=cache_env)
        assert outcome(got) == outcome(want), f"--fuel {fuel}"


def least_fuel_to_finish(backend, wasm, env):
    """The smallest limit the program completes with, by bisection: the fuel it uses."""
    lo, hi = 1, 10**9  # lo runs out, hi suffices
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if run(backend, wasm, fuel=mid, env=env).returncode == 0:
            hi = mid
        else:
            lo = mid
    return hi


@pytest.mark.parametrize("backend", OTHERS)
def test_wasi_program_uses_the_same_fuel(wasi_loop, cache_env, backend):
    """Compiled C (libc start-up, printf, WASI calls with their host cost) uses exactly the
    fuel it uses on the interpreter."""
    want = least_fuel_to_finish("interp", wasi_loop, cache_env)
    assert want > 20000  # the loop alone runs 20000 iterations
    assert least_fuel_to_finish(backend, wasi_loop, cache_env) == want


@pytest.mark.skipif("aot" not in OTHERS, reason="the aot backend is not built")
def test_metered_and_unmetered_artifacts_are_separate(loops, cache_env, tmp_path):
    cache = tmp_path / "cache"
    for _ in range(2):  # the second round runs from the cache
        metered = invoke("aot", loops, "count", "1000", fuel=100, env=cache_env)
        assert metered.returncode == 1 and "fuel exhausted" in metered.stderr, metered.stderr
        plain = invoke("aot", loops, "count", "1000", env=cache_env)
        assert plain.returncode == 0 and plain.stdout.strip() == "i32:1000", plain.stderr
        assert "recompiling" not in metered.stderr + plain.stderr
    assert len(list(cache.glob("*.so"))) == 2


@pytest.mark.skipif("aot" not in OTHERS, reason="the aot backend is not built")
def test_unmetered_artifact_is_refused_with_a_fuel_limit(loops, cache_env, tmp_path):
    artifact = tmp_path / "loops.so"
    done = wasmlab_env.run_wasmlab(["compile", loops, "-o", artifact], env=cache_env)
    assert done.returncode == 0, done.stderr
    env = dict(cache_env, WASMLAB_AOT_FILE=str(artifact))
    ok = invoke("aot", loops, "count", "5", env=env)
    assert ok.returncode == 0 and ok.stdout.strip() == "i32:5", ok.stderr
    refused = invoke("aot", loops, "count", "5", fuel=100, env=env)
    assert refused.returncode == 1
    assert "no fuel metering" in refused.stderr


@pytest.mark.skipif("aot" not in OTHERS, reason="the aot backend is not built")
def test_compile_with_fuel_makes_a_metered_artifact(loops, cache_env, tmp_path):
    """`wasmlab compile --fuel N` writes metered code: it runs (and runs out) only with a limit."""
    artifact = tmp_path / "loops-metered.so"
    done = wasmlab_env.run_wasmlab(["compile", "--fuel", "1", loops, "-o", artifact],
                                   env=cache_env)
    assert done.returncode == 0, done.stderr
    env = dict(cache_env, WASMLAB_AOT_FILE=str(artifact))
    assert outcome(invoke("aot", loops, "count", "30", fuel=40, env=env)) == \
        outcome(invoke("interp", loops, "count", "30", fuel=40, env=cache_env))
    unmetered = invoke("aot", loops, "count", "5", env=env)
    assert unmetered.returncode == 1, unmetered.stdout


BULK_WAT = """
(module
  (memory 16384)
  (table 100000 funcref)
  (func (export "huge_fill") (memory.fill (i32.const 0) (i32.const 1) (i32.const 0x40000000)))
  (func (export "fills")
    (loop $l (memory.fill (i32.const 0) (i32.const 1) (i32.const 0x100000)) (br $l)))
  (func (export "copies")
    (loop $l (memory.copy (i32.const 0) (i32.const 0x100000) (i32.const 0x100000)) (br $l)))
  (func (export "table_fills")
    (loop $l (table.fill 0 (i32.const 0) (ref.null func) (i32.const 100000)) (br $l)))
  (func (export "fill") (param i32) (result i32)
    (memory.fill (i32.const 0) (i32.const 1) (local.get 0)) (i32.const 1)))
"""


@pytest.fixture(scope="module")
def bulk(tmp_path_factory):
    return wat_module(tmp_path_factory, "bulk", BULK_WAT)


@pytest.mark.parametrize("backend", ALL)
@pytest.mark.parametrize("name", ["huge_fill", "fills", "copies", "table_fills"])
def test_fuel_bounds_the_time_of_bulk_instructions(bulk, cache_env, backend, name):
    """Issue 9, bug 7: `memory.fill` of 1 GiB once cost 1 unit, so `--fuel 1000` ran for 10 s.
    Bulk instructions pay per byte or element, so with --fuel N the run takes at most a
    constant times N: here 50 ns per unit (a byte of memset or an element store takes far
    less), plus start-up, for N up to 10^8."""
    import time
    for fuel in (1000, 10**6, 10**8):
        started = time.monotonic()
        done = invoke(backend, bulk, name, fuel=fuel, env=cache_env)
        seconds = time.monotonic() - started
        assert done.returncode == 1 and "fuel exhausted" in done.stderr, done.stderr
        assert seconds < 3 + fuel * 50e-9, f"--fuel {fuel}: {seconds:.2f} s"


@pytest.mark.parametrize("backend", OTHERS)
def test_bulk_charge_per_byte_matches_the_interpreter(bulk, cache_env, backend):
    """fill(n) costs its 6 instructions (with `end`) plus n: every backend stops at the same n."""
    for n, fuel in [(0, 6), (994, 1000), (995, 1000), (10**6, 10**6 + 6), (10**6 + 1, 10**6 + 6)]:
        want = invoke("interp", bulk, "fill", str(n), fuel=fuel, env=cache_env)
        got = invoke(backend, bulk, "fill", str(n), fuel=fuel, env=cache_env)
        assert outcome(got) == outcome(want), f"fill({n}) --fuel {fuel}"
    assert invoke("interp", bulk, "fill", "994", fuel=1000).stdout.strip() == "i32:1"
    assert "fuel exhausted" in invoke("interp", bulk, "fill", "995", fuel=1000).stderr


def invoke_with_costs(backend, wasm, table, arg, fuel, env):
    return wasmlab_env.run_wasmlab(["run", "--backend", backend, "--fuel", str(fuel),
                                    "--cost-table", table, "--invoke", "fill", wasm, arg],
                                   timeout=60, env=env)


@pytest.mark.parametrize("backend", ALL)
def test_cost_table_file(bulk, cache_env, tmp_path, backend):
    """--cost-table FILE: memory.fill costs 10 plus 3 per byte, so fill(n) needs 15 + 3n."""
    table = tmp_path / "costs.txt"
    table.write_text("# instruction units [per-item units]\nmemory.fill 10 3\n\ni32.const 1  # as default\n")
    ok = invoke_with_costs(backend, bulk, table, "328", 1000, cache_env)
    assert ok.returncode == 0 and ok.stdout.strip() == "i32:1", ok.stderr
    out = invoke_with_costs(backend, bulk, table, "329", 1000, cache_env)
    assert out.returncode == 1 and "fuel exhausted" in out.stderr, out.stdout + out.stderr


def test_cost_table_errors_name_the_line(bulk, tmp_path):
    for text, message in [("i32.add 1\nno.such 3\n", "costs.txt:2: unknown instruction"),
                          ("i32.add 1 1\n", "costs.txt:1: i32.add is not a bulk instruction"),
                          ("memory.fill\n", "costs.txt:1: expected a cost")]:
        table = tmp_path / "costs.txt"
        table.write_text(text)
        done = invoke_with_costs("interp", bulk, table, "1", 100, None)
        assert done.returncode != 0 and message in done.stderr, done.stderr


TAIL_CALL_WAT = """
(module
  (func $count (export "count") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (return_call $count (i64.sub (local.get 0) (i64.const 1)))))))
"""


@pytest.mark.parametrize("backend", OTHERS)
def test_tail_calls_charge_as_on_the_interpreter(tmp_path, cache_env, backend):
    """A tail call ends its run and the callee starts one, on every backend alike."""
    wat, wasm = tmp_path / "tail.wat", tmp_path / "tail.wasm"
    wat.write_text(TAIL_CALL_WAT)
    subprocess.run(["wat2wasm", "--enable-tail-call", str(wat), "-o", str(wasm)], check=True)
    seen = set()
    for fuel in list(range(1, 80)) + [700, 705, 706, 10**6]:
        # A fuel trap's offset is where a backend charges the run (after a tail call, AOT's
        # charge sits at the block's end): compare the accounting, not that offset.
        flags = ["--enable-tail-call", "--backtrace=off", "--fuel", str(fuel), "--invoke",
                 "count", wasm, "100"]
        want = wasmlab_env.run_wasmlab(["run", "--backend", "interp", *flags], env=cache_env)
        got = wasmlab_env.run_wasmlab(["run", "--backend", backend, *flags], env=cache_env)
        assert outcome(got) == outcome(want), f"--fuel {fuel}"
        seen.add(want.returncode)
    assert seen == {0, 1}, "the limits must cover both running out and finishing"
