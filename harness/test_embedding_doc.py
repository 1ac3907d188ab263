"""docs/embedding.md's examples run as written: every code block that starts with a
`file:` comment is extracted (.wat compiled with wat2wasm, .c built against the static
library, .py run with the package on PYTHONPATH), run on every backend, and its stdout
compared with the ```text block that follows it."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import wasmlab_env

DOC = wasmlab_env.REPO / "docs" / "embedding.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)
FILE = re.compile(r"^(?://|#|;;) file: (\S+)\n")
THREE_LINES = "import wasmlab\ninst = wasmlab.instantiate("


def examples():
    """(file name, source, expected stdout or None) for each named block."""
    blocks = BLOCK.findall(DOC.read_text())
    out = []
    for i, (_, body) in enumerate(blocks):
        m = FILE.match(body)
        if body.startswith(THREE_LINES):  # the README's three lines, shown without a file name
            body = "# file: three_lines.py\n" + body
            m = FILE.match(body)
        if not m:
            continue
        follow = blocks[i + 1] if i + 1 < len(blocks) else None
        expected = follow[1] if follow and follow[0] == "text" else None
        out.append((m.group(1), body, expected))
    return out


EXAMPLES = examples()
RUNNABLE = [e for e in EXAMPLES if not e[0].endswith(".wat")]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("embedding")
    build = wasmlab_env.build_dir()
    for name, body, _ in EXAMPLES:
        (d / name).write_text(body)
        if name.endswith(".wat"):
            subprocess.run(["wat2wasm", name, "-o", name[:-4] + ".wasm"], cwd=d, check=True)
        if name.endswith(".c"):
            subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", "-I",
                            str(wasmlab_env.REPO / "engine" / "include"), name,
                            str(build / "libwasmlab.a"), "-lm", "-o", name[:-2]],
                           cwd=d, check=True)
    return d


def test_readme_shows_the_three_lines():
    three = next(body for name, body, _ in EXAMPLES if name == "three_lines.py")
    code = three.split("\n", 1)[1]
    assert len(code.strip().splitlines()) == 3
    assert code in (wasmlab_env.REPO / "README.md").read_text()


def test_doc_has_examples():
    kinds = {Path(name).suffix for name, _, _ in RUNNABLE}
    assert kinds == {".c", ".py"} and len(RUNNABLE) >= 4


@pytest.mark.parametrize("backend", wasmlab_env.built_backends())
@pytest.mark.parametrize("example", RUNNABLE, ids=[e[0] for e in RUNNABLE])
def test_doc_example(example, backend, workdir):
    name, _, expected = example
    env = dict(os.environ, WASMLAB_BACKEND=backend,
               PYTHONPATH=str(wasmlab_env.REPO / "python"),
               WASMLAB_BUILD=str(wasmlab_env.build_dir()))
    if name.endswith(".py"):
        cmd = [sys.executable, name, backend]
    else:
        cmd = [str(workdir / name[:-2]), backend]
    done = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert expected is not None, f"{name} has no ```text block with its output"
    assert done.stdout == expected
