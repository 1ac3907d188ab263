"""The externref tutorial (examples/externref/): the host demo is compiled against the built
static library, the guest modules with wat2wasm, and the demo runs on every backend the build
has. Every printed value is checked exactly."""
import subprocess

import pytest

import wasmlab_env

EXAMPLE = wasmlab_env.REPO / "examples" / "externref"
BACKENDS = wasmlab_env.built_backends()

EXPECTED = """\
call_add(adder, 1234, 5678) = 6912
call_mul(mul, 789, 4321) = 3409269
call_square(squarer, 8256) = 68161536
call_add_square(adder, squarer, 210, 654) = 746496
adder calls = 2
stream = "hello world!"
stream = "hello world!123456"
map = {hello: world, wasm: externref}
map = {wasm: externref}
set = {10, 20, 30}
set = {20, 30}
vector size = 10, back = 100
call_vector_sum(begin+3, end-2) = 300
print_mul(stream, mul, 123, 456) wrote "56088"
trap: class_add: argument 0 is a null externref where an adder is needed (kind trap)
trap: class_add: argument 0 is a squarer where an adder is needed (kind trap)
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(demo binary, folder with the guest .wasm files)."""
    out = tmp_path_factory.mktemp("externref")
    for wat in sorted(EXAMPLE.glob("*.wat")):
        done = subprocess.run(["wat2wasm", str(wat), "-o", str(out / (wat.stem + ".wasm"))],
                              capture_output=True, text=True)
        assert done.returncode == 0, f"wat2wasm {wat.name}:\n{done.stderr}"
    library = wasmlab_env.build_dir() / "libwasmlab.a"
    if not library.exists():
        pytest.fail(f"{library} is not built")
    binary = out / "externref_demo"
    sources = [str(p) for p in sorted(EXAMPLE.glob("*.c"))]
    cmd = ["cc", "-std=gnu11", "-Wall", "-Wextra", "-Werror", f"-I{wasmlab_env.REPO}",
           *sources, str(library), "-lm", "-ldl", "-lpthread",
           "-o", str(binary)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, f"building the demo failed:\n{done.stderr}"
    return binary, out


@pytest.mark.parametrize("backend", BACKENDS)
def test_externref_tutorial(demo, backend):
    binary, wasm_dir = demo
    done = subprocess.run([str(binary), "--backend", backend, str(wasm_dir)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED


def test_usage_error(demo):
    binary, _ = demo
    done = subprocess.run([str(binary)], capture_output=True, text=True)
    assert done.returncode == 2 and "usage" in done.stderr
