#!/usr/bin/python3
"""Builds every benchmark program twice: natively (clang-19 -O2) and as a wasm32-wasi command
(clang-19 -O2, then an explicit `wasm-opt -O3` step).

clang's wasm driver runs wasm-opt by itself after linking at -O1 and above whenever it finds
wasm-opt on PATH. We want that step explicit and identical for every program, so clang runs with
a PATH holding only a link to wasm-ld (bench/build/toolbin); the driver then finds no wasm-opt.

Usage: bench/build.py [-j N] [--force] [PROGRAM ...]
Outputs: bench/build/native/<name>, bench/build/wasm/<name>.wasm (<name>.clang.wasm before wasm-opt).
"""
import argparse
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from programs import Program, by_name  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
BUILD_DIR = BENCH_DIR / "build"
NATIVE_DIR = BUILD_DIR / "native"
WASM_DIR = BUILD_DIR / "wasm"
TOOLBIN_DIR = BUILD_DIR / "toolbin"

CC, CXX = "clang-19", "clang++-19"
OPT_LEVEL = "-O2"
# Post-MVP features every runtime we compare supports (wasmlab included).
WASM_FEATURES = ["-msign-ext", "-mnontrapping-fptoint", "-mmutable-globals"]
WASM_OPT_FEATURES = ["--enable-sign-ext", "--enable-nontrapping-float-to-int",
                     "--enable-mutable-globals"]
# wasi-libc's libc++ is built without exceptions; the wasm build must match.
WASM_CXX_FLAGS = ["-fno-exceptions"]


class BuildError(Exception):
    pass


def native_path(program: Program) -> Path:
    return NATIVE_DIR / program.name


def wasm_path(program: Program) -> Path:
    return WASM_DIR / f"{program.name}.wasm"


def wasm_features(program: Program) -> tuple[list[str], list[str]]:
    """clang flags and matching wasm-opt flags for this program's wasm features."""
    clang, opt = list(WASM_FEATURES), list(WASM_OPT_FEATURES)
    if program.bulk_memory:
        clang.append("-mbulk-memory")
        opt.append("--enable-bulk-memory")
    if program.simd:
        clang.append("-msimd128")
        opt.append("--enable-simd")
    return clang, opt


def native_command(program: Program) -> list[str]:
    compiler = CXX if program.is_cpp else CC
    return [compiler, OPT_LEVEL, str(program.source_path), "-o", str(native_path(program)), "-lm"]


def wasm_commands(program: Program) -> list[list[str]]:
    """The clang step (which must not run wasm-opt itself) and the explicit wasm-opt step."""
    clang_features, opt_features = wasm_features(program)
    compiler = CXX if program.is_cpp else CC
    unoptimized = WASM_DIR / f"{program.name}.clang.wasm"
    clang = [shutil.which(compiler) or compiler, "--target=wasm32-wasi", OPT_LEVEL,
             *clang_features, *(WASM_CXX_FLAGS if program.is_cpp else []),
             str(program.source_path), "-o", str(unoptimized), "-Wl,--strip-debug"]
    wasm_opt = ["wasm-opt", "-O3", *opt_features, str(unoptimized), "-o", str(wasm_path(program))]
    return [clang, wasm_opt]


def toolbin() -> Path:
    """A directory holding only wasm-ld (found through the caller's PATH), for clang's PATH."""
    TOOLBIN_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("wasm-ld-19", "wasm-ld"):
        link = TOOLBIN_DIR / name
        target = shutil.which(name)
        if target and not link.exists():
            link.symlink_to(target)
    return TOOLBIN_DIR


def run_step(command: list[str], env: dict | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"{' '.join(command)}\n{done.stderr.strip()}")


def is_stale(output: Path, program: Program) -> bool:
    """Rebuild when the output is missing or older than its source or this build script."""
    if not output.exists():
        return True
    inputs = [program.source_path, Path(__file__), BENCH_DIR / "programs.py"]
    return output.stat().st_mtime < max(p.stat().st_mtime for p in inputs)


def build_native(program: Program, force: bool) -> str:
    if not force and not is_stale(native_path(program), program):
        return "up to date"
    run_step(native_command(program))
    return "built"


def build_wasm(program: Program, force: bool) -> str:
    if not force and not is_stale(wasm_path(program), program):
        return "up to date"
    clang_env = dict(os.environ, PATH=str(toolbin()))
    clang, wasm_opt = wasm_commands(program)
    run_step(clang, env=clang_env)
    run_step(wasm_opt)
    return "built"


LAUNCHER_SOURCE = BENCH_DIR / "tools" / "launcher.c"
LAUNCHER_PATH = BUILD_DIR / "launcher"


def build_launcher() -> None:
    """The small measuring launcher measure.py runs every benchmark through."""
    if LAUNCHER_PATH.exists() and LAUNCHER_PATH.stat().st_mtime >= LAUNCHER_SOURCE.stat().st_mtime:
        return
    run_step([CC, "-O2", "-Wall", "-Wextra", "-Werror", str(LAUNCHER_SOURCE), "-o",
              str(LAUNCHER_PATH)])


def build_all(programs: list[Program], jobs: int = 2, force: bool = False, log=print) -> None:
    """Builds both targets of every program; raises BuildError listing every failure."""
    NATIVE_DIR.mkdir(parents=True, exist_ok=True)
    WASM_DIR.mkdir(parents=True, exist_ok=True)
    toolbin()
    build_launcher()
    tasks = [(p, target, fn) for p in programs
             for target, fn in (("native", build_native), ("wasm", build_wasm))]
    failures = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [(p, target, pool.submit(fn, p, force)) for p, target, fn in tasks]
        for p, target, future in futures:
            try:
                log(f"build {p.name:16} {target:6} {future.result()}")
            except BuildError as error:
                failures.append(f"{p.name} ({target}): {error}")
    if failures:
        raise BuildError("\n".join(failures))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programs", nargs="*", help="program names (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallel builds (default 2)")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args()
    try:
        build_all(by_name(args.programs), args.jobs, args.force)
    except BuildError as error:
        print(f"build failed:\n{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
