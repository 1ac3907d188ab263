"""The AOT artifact cache (backends/aot/aot_cache.c): only regular files are opened as
artifacts, never blocking and never through a symlink; an unusable cache directory falls back
to compiling in memory with a warning; `wasmlab cache info|clean|prune` and the size bound with
least-recently-used eviction; the test session's own cache directory."""
import os
import subprocess

import pytest

import wasmlab_env

pytestmark = pytest.mark.skipif("aot" not in wasmlab_env.built_backends(),
                                reason="this build has no AOT backend")


def module_text(k):
    return (f'(module (func (export "f") (param i32) (result i32) '
            f'local.get 0 i32.const {k} i32.add))')


@pytest.fixture
def modules(tmp_path):
    """Three distinct modules: f(x) = x + k."""
    made = []
    for k in (1, 2, 3):
        wat, wasm = tmp_path / f"m{k}.wat", tmp_path / f"m{k}.wasm"
        wat.write_text(module_text(k))
        subprocess.run(["wat2wasm", str(wat), "-o", str(wasm)], check=True)
        made.append(wasm)
    return made


def run_aot(wasm, cache, arg="10", timeout=60, **env):
    environment = {**os.environ, "WASMLAB_CACHE_DIR": str(cache), **env}
    return subprocess.run([str(wasmlab_env.wasmlab_binary()), "run", "--backend", "aot",
                           "--invoke", "f", str(wasm), arg], capture_output=True, text=True,
                          timeout=timeout, env=environment)


def cache_command(cache, *args):
    return subprocess.run([str(wasmlab_env.wasmlab_binary()), "cache", *args],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "WASMLAB_CACHE_DIR": str(cache)})


def artifacts(cache):
    return sorted(p.name for p in cache.iterdir() if p.name.endswith(".so"))


def artifact_of(wasm, cache):
    """The artifact path of `wasm` in `cache` (compiled once to find its name)."""
    before = set(artifacts(cache)) if cache.exists() else set()
    assert run_aot(wasm, cache).returncode == 0
    (name,) = set(artifacts(cache)) - before
    return cache / name


def test_fifo_at_artifact_path_is_replaced_without_blocking(modules, tmp_path):
    cache = tmp_path / "cache"
    path = artifact_of(modules[0], cache)
    path.unlink()
    os.mkfifo(path)
    done = run_aot(modules[0], cache, timeout=30)  # opening the FIFO to read would block
    assert (done.returncode, done.stdout) == (0, "i32:11\n"), done.stderr
    assert "not a regular file" in done.stderr
    assert path.is_file() and not path.is_symlink()


@pytest.mark.parametrize("target", ["outside file", "/dev/zero"])
def test_symlink_at_artifact_path_is_never_followed(modules, tmp_path, target):
    cache = tmp_path / "cache"
    path = artifact_of(modules[0], cache)
    outside = tmp_path / "outside.so"
    valid = path.read_bytes()
    outside.write_bytes(valid)  # even a valid artifact is not loaded through a link
    path.unlink()
    path.symlink_to(outside if target == "outside file" else target)
    done = run_aot(modules[0], cache, timeout=30)
    assert (done.returncode, done.stdout) == (0, "i32:11\n"), done.stderr
    assert "is a symlink" in done.stderr
    assert path.is_file() and not path.is_symlink()
    assert outside.read_bytes() == valid  # what the link pointed to is left alone


def test_explicit_artifact_that_is_a_fifo_is_refused(modules, tmp_path):
    fifo = tmp_path / "artifact.so"
    os.mkfifo(fifo)
    done = run_aot(modules[0], tmp_path / "cache", timeout=30, WASMLAB_AOT_FILE=str(fifo))
    assert done.returncode == 1 and "not a regular file" in done.stderr, done.stderr


@pytest.mark.parametrize("problem", ["a file", "writable by others", "not creatable"])
def test_unusable_cache_dir_compiles_in_memory(modules, tmp_path, problem):
    cache = tmp_path / "cache"
    if problem == "a file":
        cache.write_text("not a directory")
    elif problem == "writable by others":
        cache.mkdir()
        cache.chmod(0o777)
    else:
        cache = tmp_path / "a-file" / "cache"
        cache.parent.write_text("")
    done = run_aot(modules[0], cache, TMPDIR=str(tmp_path))
    assert (done.returncode, done.stdout) == (0, "i32:11\n"), done.stderr
    assert "warning: AOT cache unusable" in done.stderr and "compiling in memory" in done.stderr
    if cache.is_dir():
        assert artifacts(cache) == []
    # The private artifact is gone once the run ends.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("wasmlab-aot-")]


def test_info_clean_and_lru_prune(modules, tmp_path):
    cache = tmp_path / "cache"
    paths = [artifact_of(m, cache) for m in modules]
    assert run_aot(modules[0], cache).returncode == 0  # m1 is now the most recently used
    info = cache_command(cache, "info")
    assert info.returncode == 0 and f"cache: {cache}" in info.stdout
    assert "holds: 3 artifacts" in info.stdout
    total = sum(p.stat().st_size for p in paths)
    pruned = cache_command(cache, "prune", f"--max-size={total - 1}")
    assert pruned.returncode == 0 and "removed: 1 artifact" in pruned.stdout, pruned.stdout
    assert artifacts(cache) == sorted([paths[0].name, paths[2].name])  # m2 was least recent
    cleaned = cache_command(cache, "clean")
    assert cleaned.returncode == 0 and "removed: 2 artifacts" in cleaned.stdout
    assert artifacts(cache) == []


def test_clean_removes_only_artifacts(modules, tmp_path):
    cache = tmp_path / "cache"
    artifact_of(modules[0], cache)
    (cache / "notes.txt").write_text("mine")
    assert cache_command(cache, "clean").returncode == 0
    assert [p.name for p in cache.iterdir()] == ["notes.txt"]


def test_size_bound_evicts_least_recently_used(modules, tmp_path):
    cache = tmp_path / "cache"
    first = artifact_of(modules[0], cache)
    bound = str(first.stat().st_size + 1000)  # room for one artifact
    done = run_aot(modules[1], cache, WASMLAB_CACHE_MAX_SIZE=bound)
    assert (done.returncode, done.stdout) == (0, "i32:12\n"), done.stderr
    assert len(artifacts(cache)) == 1 and not first.exists()


def test_bad_prune_size_is_a_usage_error(tmp_path):
    done = cache_command(tmp_path / "cache", "prune", "--max-size", "12X")
    assert done.returncode == 2 and "--max-size expects bytes" in done.stderr


def test_session_uses_its_own_cache_dir():
    own = os.environ.get("WASMLAB_CACHE_DIR")
    assert own and not own.startswith(os.path.expanduser("~/.cache"))
    info = subprocess.run([str(wasmlab_env.wasmlab_binary()), "cache", "info"],
                          capture_output=True, text=True, timeout=60)
    assert f"cache: {own}" in info.stdout
