"""The .wast script that exercises one generated module the same way on every engine.

    (module $fs ...host.wat...)  (register "fuzzing-support" $fs)
    (module $fuzzed binary "...") (register "fuzzed" $fuzzed)
    (module $driver ...)         one export per call: passes its arguments to the fuzzed
                                 export and returns its results with f32/f64 as their bits
    (invoke $driver "c0" args...) (invoke $fs "hash") ...

Returning bits keeps every result exact on every engine (wabt's spectest-interp prints
floats with %f); the comparison knows each result's wasm type and applies the NaN rule.
`hangLimitInitializer` (binaryen's loop/recursion budget) is reset before every call, as
binaryen's own fuzzer does."""
import random
from dataclasses import dataclass
from pathlib import Path

from wasm_info import Export

HOST = (Path(__file__).resolve().parent / "host.wat").read_text()
HANG_RESET = "hangLimitInitializer"

EDGES = {
    "i32": ["0", "1", "-1", "0x7fffffff", "0x80000000", "65535", "65536", "100000", "-4",
            "0xfffffff0", "255", "7"],
    "i64": ["0", "1", "-1", "0x7fffffffffffffff", "0x8000000000000000", "0x100000000",
            "65536", "-4", "0xffffffff", "42"],
    "f32": ["0", "-0", "1", "-1.5", "inf", "-inf", "nan", "-nan", "nan:0x200000", "0x1p-149",
            "0x1.fffffep+127", "2147483648", "-0x1p-126", "0.5"],
    "f64": ["0", "-0", "1", "-1.5", "inf", "-inf", "nan", "-nan", "nan:0x4000000000000",
            "0x0.0000000000001p-1022", "0x1.fffffffffffffp+1023", "9223372036854775808",
            "-2147483649", "0.5"],
    "externref": ["(ref.null extern)", "(ref.extern 1)", "(ref.extern 0xffffffff)"],
    "funcref": ["(ref.null func)"],
}
BITS = {"f32": "i32", "f64": "i64"}  # results reported as their bit patterns


@dataclass
class Call:
    """One driver call: which export, the argument texts, the export's types."""
    driver_export: str
    export: str
    args: list
    params: list
    results: list


def _const(t: str, text: str) -> str:
    return text if text.startswith("(") else f"({t}.const {text})"


def argument_sets(export: Export, rng: random.Random, count: int) -> list:
    """`count` argument lists: the first uses each type's first edge (zeros), the rest draw
    edges at random, with an occasional random integer."""
    sets = []
    for k in range(count):
        args = []
        for t in export.params:
            edges = EDGES.get(t, ["0"])
            if k == 0:
                args.append(_const(t, edges[0]))
            elif t in ("i32", "i64") and rng.random() < 0.2:
                args.append(_const(t, str(rng.getrandbits(32 if t == "i32" else 64))))
            else:
                args.append(_const(t, rng.choice(edges)))
        sets.append(args)
    return sets


def _wat_string(data: bytes) -> str:
    return '"' + "".join(chr(b) if 0x20 <= b < 0x7f and b not in b'"\\' else f"\\{b:02x}"
                         for b in data) + '"'


def _driver_func(call: Call, export_index: int, has_hang: bool) -> str:
    params, nparams = " ".join(call.params), len(call.params)
    results = " ".join(BITS.get(t, t) for t in call.results)
    body = ["(call $hang)"] if has_hang else []
    body.append(f"(call $e{export_index} "
                + " ".join(f"(local.get {i})" for i in range(nparams)) + ")")
    for i in reversed(range(len(call.results))):
        body.append(f"(local.set {nparams + i})")
    for i, t in enumerate(call.results):
        get = f"(local.get {nparams + i})"
        body.append(f"({BITS[t]}.reinterpret_{t} {get})" if t in BITS else get)
    return (f'  (func (export "{call.driver_export}")' + (f" (param {params})" if params else "")
            + (f" (result {results})" if results else "")
            + (f" (local {' '.join(call.results)})" if call.results else "")
            + "\n    " + "\n    ".join(body) + ")")


def _import(name: str, ident: str, export: Export) -> str:
    sig = (f" (param {' '.join(export.params)})" if export.params else "") + \
          (f" (result {' '.join(export.results)})" if export.results else "")
    return f'  (import "fuzzed" {_wat_string(name.encode())} (func {ident}{sig}))'


def build(wasm: bytes, exports: list, rng: random.Random, arg_sets: int):
    """The script text and its calls, in order."""
    callable_ = [e for e in exports if e.name != HANG_RESET and "v128" not in e.params + e.results]
    has_hang = any(e.name == HANG_RESET and not e.params and not e.results for e in exports)
    calls = []
    for i, e in enumerate(callable_):
        for args in argument_sets(e, rng, arg_sets if e.params else 1):
            calls.append((i, Call(f"c{len(calls)}", e.name, args, e.params, e.results)))
    imports = [_import(e.name, f"$e{i}", e) for i, e in enumerate(callable_)]
    if has_hang:
        imports.append(f'  (import "fuzzed" "{HANG_RESET}" (func $hang))')
    driver = "\n".join(["(module $driver", *imports,
                        *(_driver_func(c, i, has_hang) for i, c in calls), ")"])
    lines = [HOST.replace("(module", "(module $fs", 1), '(register "fuzzing-support" $fs)',
             f"(module $fuzzed binary {_wat_string(wasm)})", '(register "fuzzed" $fuzzed)', driver]
    for _, c in calls:
        lines.append(f'(invoke $driver "{c.driver_export}" {" ".join(c.args)})')
        lines.append('(invoke $fs "hash")')
    return "\n".join(lines) + "\n", [c for _, c in calls]
