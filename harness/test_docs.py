"""Docs that run: every command block of README.md and docs/*.md marked ```sh runnable runs
as written, in a fresh folder that looks like the repository root (`build/` is the build under
test; the sources are linked in, so nothing is written into the repository). A line `$ COMMAND` is run
with bash; the lines after it, up to the next `$ ` line, are its expected stdout."""
import re
import subprocess

import pytest

import wasmlab_env

DOCS = [wasmlab_env.REPO / "README.md", *sorted((wasmlab_env.REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```sh runnable\n(.*?)^```", re.M | re.S)


def runnable_blocks():
    found = []
    for doc in DOCS:
        text = doc.read_text()
        for match in BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(pytest.param(match.group(1), id=f"{doc.name}:{line}"))
    return found


def steps(block):
    """[(command, expected stdout lines)]"""
    out = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif out:
            out[-1][1].append(line)
    return out


def test_docs_have_runnable_blocks():
    assert len(runnable_blocks()) >= 3


@pytest.mark.parametrize("block", runnable_blocks())
def test_runnable_block(block, tmp_path):
    (tmp_path / "build").symlink_to(wasmlab_env.build_dir())
    for folder in ("engine", "examples", "proposals", "backends"):
        (tmp_path / folder).symlink_to(wasmlab_env.REPO / folder)
    for command, expected in steps(block):
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"$ {command}\nexit {done.returncode}\n{done.stderr}"
        assert done.stdout.splitlines() == expected, f"$ {command}\n{done.stdout}{done.stderr}"


def test_reproduce_from_missing_results_is_a_clear_error(tmp_path):
    script = wasmlab_env.REPO / "papers" / "2010.07115" / "reproduce.py"
    done = subprocess.run(["/usr/bin/python3", str(script), "--from", str(tmp_path / "none")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no bench results there" in done.stderr
