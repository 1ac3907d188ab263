"""docs/host-modules.md, run: every `$ ` line of its ```console blocks is executed with bash, in
order, in a scratch folder that links build/, engine/, examples/ and harness/ from the
repository, and its output (stdout and stderr together, in order) must equal the lines the document shows under it.
The whole document runs once per backend (`--backend B` is added to each `wasmlab run`)."""
import os
import re
import subprocess

import pytest

import wasmlab_env

DOC = wasmlab_env.REPO / "docs" / "host-modules.md"
BACKENDS = wasmlab_env.built_backends()
LINKED = ("engine", "examples", "harness")


def console_steps():
    """[(command, expected output)] in document order."""
    steps = []
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(), re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append([line[2:], []])
            else:
                steps[-1][1].append(line)
    return [(cmd, "".join(l + "\n" for l in out)) for cmd, out in steps]


def test_document_has_commands():
    steps = console_steps()
    assert len(steps) >= 15
    assert any("--allow-command" in cmd for cmd, _ in steps)
    assert any("--kv" in cmd for cmd, _ in steps)


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_command_of_the_tutorial(backend, tmp_path):
    os.symlink(wasmlab_env.build_dir(), tmp_path / "build")
    for name in LINKED:
        os.symlink(wasmlab_env.REPO / name, tmp_path / name)
    for cmd, expected in console_steps():
        actual_cmd = cmd.replace("build/wasmlab run ", f"build/wasmlab run --backend {backend} ")
        done = subprocess.run(["bash", "-c", actual_cmd], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=300,
                              stdin=subprocess.DEVNULL)
        assert done.stdout == expected, f"$ {cmd}\nexit {done.returncode}\n{done.stdout}"
