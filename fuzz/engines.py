"""Running one script on wasmlab (a backend) or on wabt's spectest-interp, and reading what
every command did into comparable outcomes:
    ("ok", (int, ...))   the values (driver results are integers or references)
    ("trap", KIND)       a trap, by kind (TRAP_KINDS maps each engine's wording)
    ("error", TEXT)      anything else: instantiation failure, a crash, a hang."""
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# Message prefixes of both engines -> one kind name (wasmlab's wording first).
TRAP_KINDS = [
    ("unreachable", "unreachable"),
    ("integer overflow", "integer overflow"),
    ("integer divide by zero", "integer divide by zero"),
    ("invalid conversion to integer", "invalid conversion to integer"),
    ("out of bounds memory access", "out of bounds memory access"),
    ("out of bounds table access", "out of bounds table access"),
    ("undefined element", "undefined element"),
    ("undefined table index", "undefined element"),
    ("uninitialized element", "uninitialized element"),
    ("uninitialized table element", "uninitialized element"),
    ("indirect call type mismatch", "indirect call type mismatch"),
    ("indirect call signature mismatch", "indirect call type mismatch"),
    ("null reference", "null reference"),
    ("call stack exhausted", "call stack exhausted"),
]
WIDTH = {"i32": 32, "i64": 64}
REFUSAL = "unsupported: "  # a backend's answer to a module it does not support (a gap)


@dataclass
class Run:
    engine: str
    instantiation: tuple = ("ok", ())
    actions: list = field(default_factory=list)
    failure: str = ""   # the engine itself failed (crash, hang, unreadable output)
    refused: str = ""   # the backend does not support the module ("unsupported: ...")


def trap_kind(message: str) -> tuple:
    for prefix, kind in TRAP_KINDS:
        if message.startswith(prefix):
            return ("trap", kind)
    return ("error", message)


def _value(text: str):
    t, _, v = text.partition(":")
    if t in WIDTH:
        return int(v, 0) % (1 << WIDTH[t])
    if t not in ("funcref", "externref"):
        raise ValueError(f"not a driver value: {text}")
    return (t, "null" if v == "null" else "ref" if t == "funcref" else v)


def _wabt_value(text: str):
    """spectest-interp prints a reference as an object number: 0 is null, and the externref
    the script passed as N prints as N + 1."""
    t, _, v = text.partition(":")
    if t == "funcref":
        return (t, "null" if int(v) == 0 else "ref")
    if t == "externref":
        return (t, "null" if int(v) == 0 else str(int(v) - 1))
    return _value(text)


LANE_BITS = {"i8": 8, "i16": 16, "i32": 32, "i64": 64}


def _values(got: str) -> tuple:
    """wasmlab's values text: `i32:-5`, `f32:nan:0x123 (0x7f800123)` (a float's bits follow it
    in parentheses), `v128:i32 1 2 3 4` (lanes, lowest first; reported as two 64-bit halves,
    as the driver reports a v128 to wabt), `funcref:null`, `externref:7`."""
    tokens, values, i = got.split(), [], 0
    while i < len(tokens):
        t, _, v = tokens[i].partition(":")
        i += 1
        if t in ("f32", "f64"):
            values.append(int(tokens[i].strip("()"), 16))
            i += 1
        elif t == "v128":
            width = LANE_BITS[v]
            lanes = [int(x, 0) % (1 << width) for x in tokens[i:i + 128 // width]]
            if len(lanes) != 128 // width:
                raise ValueError(got)
            i += 128 // width
            bits = sum(lane << (k * width) for k, lane in enumerate(lanes))
            values += [bits & (1 << 64) - 1, bits >> 64]
        else:
            values.append(_value(f"{t}:{v}"))
    return tuple(values)


def _outcome(got: str) -> tuple:
    """wasmlab's `got` text (`i32:-5 i64:7`, `trap: ...`, `success`)."""
    if got.startswith("trap: "):
        return trap_kind(got[6:])
    if got in ("success", "(no values)"):
        return ("ok", ())
    try:
        return ("ok", _values(got))
    except (ValueError, KeyError, IndexError):
        return ("error", got)


AOT_CACHE_BYTES = 128 << 20


def aot_cache_dir() -> Path:
    """One artifact cache for every run of this user's fuzzers: the host module is the same in
    every script, so aot compiles it once instead of once per module (a fifth of the aot
    time); the cache's own LRU bound (AOT_CACHE_BYTES) drops the fuzzed modules' artifacts."""
    path = Path(tempfile.gettempdir()) / f"difffuzz-aot-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def run_wasmlab(binary: Path, backend: str, wast: Path, flags: list, timeout: int,
                fuzzed_line: int, action_lines: list) -> Run:
    """The driver-free script (script.build_direct): the fuzzed module's outcome is the
    command at fuzzed_line, the calls and hash reads those at action_lines."""
    run = Run(f"wasmlab-{backend}")
    env = {**os.environ, "WASMLAB_CACHE_DIR": str(aot_cache_dir()),
           "WASMLAB_CACHE_MAX_SIZE": str(AOT_CACHE_BYTES)}
    try:
        done = subprocess.run([str(binary), "spectest", str(wast), "--json", "--backend", backend,
                               "--timeout", str(timeout), *flags],
                              capture_output=True, text=True, timeout=timeout + 30, env=env)
    except subprocess.TimeoutExpired:
        run.failure = "hang"
        return run
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    records = [r for r in records if r["kind"] != "script"]
    by_line = {r["line"]: r for r in records}
    if fuzzed_line not in by_line:
        run.failure = f"exit {done.returncode}: {done.stdout[-500:]} {done.stderr[-500:]}"
        return run
    first_call = action_lines[0] if action_lines else float("inf")
    refusal = next((r["got"] for r in records if r["line"] < first_call
                    and (r["got"] or "").startswith(REFUSAL)), "")
    if refusal:
        run.refused = refusal
        return run
    fuzzed = by_line[fuzzed_line]
    if fuzzed["outcome"] != "pass":
        run.instantiation = _outcome(fuzzed["got"])
        return run
    run.actions = [_outcome(by_line[n]["got"]) for n in action_lines if n in by_line]
    return run


def repair_wast2json(json_path: Path) -> None:
    """wabt 1.0.32's wast2json leaves out the comma between the `expected` entries of a
    multi-value action (`[{"type": "i32"}{"type": "i64"}]`); spectest-interp then cannot read
    its own converter's output. `}{` never occurs in the JSON part otherwise."""
    text = json_path.read_text()
    json_path.write_text(re.sub(r"\}\s*\{", "}, {", text))


_WABT_ACTION = re.compile(r"^(\w+)\(.*\) =>\s?(.*)$")
_WABT_ERROR = re.compile(r"^\S+:(\d+): (.*)$")


def run_wabt(wast: Path, flags: list, timeout: int, fuzzed_line: int) -> Run:
    run = Run("wabt")
    json_path = wast.with_suffix(".json")
    conv = subprocess.run(["wast2json", *flags, str(wast), "-o", str(json_path)],
                          capture_output=True, text=True, timeout=timeout)
    if conv.returncode != 0:
        run.failure = f"wast2json: {conv.stderr[:500]}"
        return run
    repair_wast2json(json_path)
    try:
        done = subprocess.run(["spectest-interp", *flags, str(json_path)], capture_output=True,
                              text=True, timeout=timeout, cwd=json_path.parent)
    except subprocess.TimeoutExpired:
        run.failure = "hang"
        return run
    for line in done.stdout.splitlines():
        action = _WABT_ACTION.match(line)
        error = _WABT_ERROR.match(line)
        if action:
            result = action.group(2)
            if result.startswith("error: "):
                run.actions.append(trap_kind(result[7:]))
            else:
                run.actions.append(("ok", tuple(_wabt_value(v) for v in result.split(", ") if v)))
        elif error and int(error.group(1)) == fuzzed_line:
            run.instantiation = trap_kind(error.group(2).split(": ", 1)[-1])
    return run
