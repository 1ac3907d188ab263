"""Every C test in harness/ctests/*.c is built as its own executable (CMakeLists.txt) and must
exit 0."""
import subprocess
from pathlib import Path

import pytest

import wasmlab_env

CTESTS = sorted((Path(__file__).resolve().parent / "ctests").glob("*.c"))


@pytest.mark.parametrize("source", CTESTS, ids=[c.stem for c in CTESTS])
def test_ctest(source):
    binary = wasmlab_env.build_dir() / source.stem
    assert binary.exists(), f"{source.name} was not built ({binary} is missing)"
    done = subprocess.run([str(binary)], capture_output=True, text=True, timeout=300,
                          cwd=source.parent)
    assert done.returncode == 0, (
        f"{source.stem} exited with {done.returncode}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
