"""Every runtime the benchmarks can run on, with its command line, in one table.

Command templates use these tokens:
  {native}   the native executable        {module}   the .wasm file
  {artifact} the AOT output of `compile`  {args}     the program's arguments (expands to 0+ words)
  {wasmlab}  the wasmlab binary           {node_runner} bench/node_wasi_runner.mjs
run_env holds environment variables for the run, with the same tokens.
A runtime is "unavailable: <reason>" when its tool is missing or lacks what we need; the runner
lists it with that reason instead of failing.
"""
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
NODE_RUNNER = BENCH_DIR / "node_wasi_runner.mjs"
WASMLAB_NO_SIMD = "requires SIMD; this wasmlab build has SIMD off by default"


@dataclass
class Runtime:
    name: str
    run: list[str]                    # command template for one run
    compile: list[str] | None = None  # ahead-of-time step, timed apart from the run
    native: bool = False              # runs the native build instead of the .wasm
    no_simd_reason: str | None = None  # set when the runtime cannot run SIMD programs
    unavailable: str | None = None    # set when the runtime cannot run at all here
    tokens: dict = field(default_factory=dict)  # tool paths substituted into templates
    run_env: dict = field(default_factory=dict)  # extra environment of the run (templates)
    artifact_suffix: str = ".so"      # file name ending of the compile step's output
    versions: dict = field(default_factory=dict)  # binary name -> its version line

    def command(self, template: list[str], paths: dict, args: tuple[str, ...]) -> list[str]:
        """Expands a template: {args} becomes the argument list, other tokens one word each."""
        words = []
        values = {**self.tokens, **paths}
        for word in template:
            if word == "{args}":
                words.extend(args)
            else:
                words.append(word.format(**values))
        return words

    def environment(self, paths: dict) -> dict:
        """run_env with its tokens expanded."""
        return {k: v.format(**self.tokens, **paths) for k, v in self.run_env.items()}


# Peer engines' binaries: token -> (environment variable naming the binary, name on PATH).
# One variable per binary, because a WAMR fast-jit iwasm is a different build from the
# fast-interpreter one (WAMR picks its tiers at build time).
PEER_TOOLS = {
    "wasm3": ("WASM3", "wasm3"),
    "iwasm": ("IWASM", "iwasm"),
    "iwasm_fast_jit": ("IWASM_FAST_JIT", "iwasm-fast-jit"),
    "wamrc": ("WAMRC", "wamrc"),
    "wasmedge": ("WASMEDGE", "wasmedge"),
    "wasmtime": ("WASMTIME", "wasmtime"),
    "wasmer": ("WASMER", "wasmer"),
}


@dataclass(frozen=True)
class Peer:
    """One peer engine at one tier: its templates use {token} for the binaries it needs."""
    name: str
    run: list[str]
    compile: list[str] | None = None
    artifact_suffix: str = ".so"
    no_simd: str | None = None      # why this tier cannot run SIMD programs (None: it can)


# Each engine's usual "run a WASI command" form, one row per tier.
PEER_ENGINES = [
    Peer("wasm3", ["{wasm3}", "{module}", "{args}"], no_simd="wasm3 has no SIMD"),
    # An iwasm built with the fast interpreter and AOT (WAMR's default Linux build) runs a
    # .wasm in the fast interpreter and an .aot file natively.
    Peer("wamr-interp", ["{iwasm}", "{module}", "{args}"]),
    Peer("wamr-fast-jit", ["{iwasm_fast_jit}", "{module}", "{args}"],
         no_simd="WAMR's fast JIT has no SIMD"),
    Peer("wamr-aot", ["{iwasm}", "{artifact}", "{args}"],
         ["{wamrc}", "-o", "{artifact}", "{module}"], artifact_suffix=".aot"),
    # WasmEdge 0.14+ runs the interpreter unless told --run-mode=aot (a .so alone is refused).
    Peer("wasmedge-interp", ["{wasmedge}", "--run-mode=interpreter", "{module}", "{args}"]),
    Peer("wasmedge-aot", ["{wasmedge}", "--run-mode=aot", "{artifact}", "{args}"],
         ["{wasmedge}", "compile", "{module}", "{artifact}"]),
    Peer("wasmtime", ["{wasmtime}", "run", "{module}", "{args}"]),
    Peer("wasmer", ["{wasmer}", "run", "{module}", "--", "{args}"]),
]

# Why wasmtime and wasmer are usually missing here: both build only from crates.io.
NOT_BUILDABLE_HERE = {"wasmtime": "built with cargo from crates.io, which this machine cannot reach",
                      "wasmer": "built with cargo from crates.io, which this machine cannot reach"}

# V8 tiers through node:wasi. In node 20 `--liftoff --no-wasm-tier-up` still tiers up, so the
# baseline-only row uses --liftoff-only.
NODE_TIERS = [
    ("node-liftoff", ["--liftoff-only"]),
    ("node-turbofan", ["--no-liftoff"]),
    ("node-tiered", []),
]

# wasmlab backends in the order they are listed: run template, compile template, run env.
# aot compiles to a shared object first; the run loads it through WASMLAB_AOT_FILE (the engine
# refuses an artifact whose key - module hash, version, features - does not match).
WASMLAB_BACKENDS = {
    "interp": (["{wasmlab}", "run", "--backend", "interp", "{module}", "{args}"], None, {}),
    "jit": (["{wasmlab}", "run", "--backend", "jit", "{module}", "{args}"], None, {}),
    "aot": (["{wasmlab}", "run", "--backend", "aot", "{module}", "{args}"],
            ["{wasmlab}", "compile", "{module}", "-o", "{artifact}"],
            {"WASMLAB_AOT_FILE": "{artifact}"}),
}


def native_runtime() -> Runtime:
    return Runtime("native", ["{native}", "{args}"], native=True)


def node_runtimes() -> list[Runtime]:
    node = shutil.which("node")
    reason = None if node else "node not found on PATH"
    if node and not node_has_wasi(node):
        reason = "this node has no node:wasi (needs node >= 20)"
    versions = {"node": tool_version(node)} if node else {}
    return [Runtime(name, ["{node}", "--no-warnings", *flags, "{node_runner}", "{module}", "{args}"],
                    unavailable=reason, tokens={"node": node or "node",
                                                "node_runner": str(NODE_RUNNER)},
                    versions=versions)
            for name, flags in NODE_TIERS]


def node_has_wasi(node: str) -> bool:
    probe = subprocess.run([node, "-e", "require('node:wasi')"], capture_output=True)
    return probe.returncode == 0


def find_wasmlab() -> Path | None:
    """$WASMLAB, else $WASMLAB_BUILD/wasmlab (the harness's convention), else build/wasmlab.
    Never a guess among other build folders: a sanitizer or debug build would skew times."""
    if os.environ.get("WASMLAB"):
        return Path(os.environ["WASMLAB"])
    build = Path(os.environ.get("WASMLAB_BUILD") or REPO_DIR / "build")
    binary = build / "wasmlab"
    return binary if binary.is_file() and os.access(binary, os.X_OK) else None


def wasmlab_version(binary: Path) -> str:
    """`wasmlab --version --verbose` (build options, backends), or an error text."""
    try:
        done = subprocess.run([str(binary), "--version", "--verbose"], capture_output=True,
                              text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"error: {error}"
    return (done.stdout + done.stderr).strip()


def listed_backends(version_text: str) -> set[str]:
    """Backend names mentioned on the version output's backend line(s); any line if none is."""
    lines = [l for l in version_text.splitlines() if "backend" in l.lower()] or [version_text]
    return {b for b in WASMLAB_BACKENDS for l in lines if re.search(rf"\b{b}\b", l)}


def simd_enabled(version_text: str) -> bool:
    """True once the version output lists the simd feature as on by default
    (a features line such as "  simd   default=on mvp=off")."""
    return any(re.match(r"\s*simd\s.*\bdefault=on\b", line) for line in version_text.splitlines())


def wasmlab_runtimes() -> tuple[list[Runtime], str]:
    """One runtime per backend (available or not) and the version text for the results."""
    binary = find_wasmlab()
    version = wasmlab_version(binary) if binary else "wasmlab binary not found"
    backends = listed_backends(version) if binary else set()
    runtimes = []
    for backend, (run, compile_step, run_env) in WASMLAB_BACKENDS.items():
        if not binary:
            reason = "no wasmlab binary (looked for $WASMLAB, $WASMLAB_BUILD/wasmlab, build/wasmlab)"
        elif backend not in backends:
            reason = f"backend {backend} not listed by `{binary} --version --verbose`"
        else:
            reason = None
        no_simd = None if simd_enabled(version) else WASMLAB_NO_SIMD
        runtimes.append(Runtime(f"wasmlab-{backend}", run, compile_step, unavailable=reason,
                                no_simd_reason=no_simd,
                                tokens={"wasmlab": str(binary or "wasmlab")}, run_env=run_env,
                                versions={"wasmlab": version.splitlines()[0] if binary else ""}))
    return runtimes, version


def wasm_interp_runtime(probe_module: Path) -> Runtime:
    """wabt's interpreter, only usable when built with WASI (Debian's build is not)."""
    runtime = Runtime("wabt-wasm-interp", ["wasm-interp", "--wasi", "{module}", "{args}"])
    if not shutil.which("wasm-interp"):
        runtime.unavailable = "wasm-interp not found on PATH"
        return runtime
    probe = subprocess.run(["wasm-interp", "--wasi", str(probe_module)], capture_output=True,
                           text=True, stdin=subprocess.DEVNULL)
    if probe.returncode != 0:
        message = (probe.stderr.strip() or probe.stdout.strip()).splitlines()
        detail = message[-1] if message else f"exit code {probe.returncode}"
        runtime.unavailable = f"wasm-interp cannot run WASI commands ({detail})"
    return runtime


def find_tool(token: str) -> str | None:
    """The binary for a peer token: its environment variable if set (must be executable),
    else the name on PATH."""
    variable, default = PEER_TOOLS[token]
    chosen = os.environ.get(variable)
    if chosen:
        return chosen if os.path.isfile(chosen) and os.access(chosen, os.X_OK) else None
    return shutil.which(default)


def tool_version(binary: str) -> str:
    """The first line of `BINARY --version` (every peer has the flag), or why there is none."""
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"error: {error}"
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0].strip() if lines else f"no output (exit code {done.returncode})"


def peer_tokens(peer: Peer) -> list[str]:
    words = peer.run + (peer.compile or [])
    return [t for t in PEER_TOOLS if any("{" + t + "}" in w for w in words)]


def peer_runtimes() -> list[Runtime]:
    runtimes = []
    for peer in PEER_ENGINES:
        tokens = {t: find_tool(t) for t in peer_tokens(peer)}
        missing = [f"{PEER_TOOLS[t][1]} (${PEER_TOOLS[t][0]} or PATH)"
                   for t, path in tokens.items() if not path]
        reason = f"{', '.join(missing)} not found" if missing else None
        if reason and peer.name in NOT_BUILDABLE_HERE:
            reason += f"; {NOT_BUILDABLE_HERE[peer.name]}"
        versions = {t: tool_version(path) for t, path in tokens.items() if path}
        runtimes.append(Runtime(peer.name, peer.run, peer.compile, no_simd_reason=peer.no_simd,
                                unavailable=reason, artifact_suffix=peer.artifact_suffix,
                                tokens={t: path or PEER_TOOLS[t][1] for t, path in tokens.items()},
                                versions={f"{PEER_TOOLS[t][1]}": v for t, v in versions.items()}))
    return runtimes


def all_runtimes(probe_module: Path) -> tuple[list[Runtime], str]:
    """Every runtime in table order, and wasmlab's version text. probe_module: a built nop.wasm."""
    wasmlab, version = wasmlab_runtimes()
    runtimes = [native_runtime(), *wasmlab, *node_runtimes(), wasm_interp_runtime(probe_module),
                *peer_runtimes()]
    return runtimes, version


def runtime_names() -> list[str]:
    """Every runtime's name in table order, without probing any tool (for test parametrization)."""
    return ["native", *(f"wasmlab-{b}" for b in WASMLAB_BACKENDS), *(n for n, _ in NODE_TIERS),
            "wabt-wasm-interp", *(peer.name for peer in PEER_ENGINES)]


def select(runtimes: list[Runtime], names: list[str] | None) -> list[Runtime]:
    """The runtimes named (native is always kept: every ratio needs it)."""
    if not names:
        return runtimes
    known = {r.name for r in runtimes}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown runtime(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [r for r in runtimes if r.name in names or r.native]
