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
# Only a module that logs v128 values gets this import (the host stays scalar otherwise, so
# a backend without SIMD still runs scalar modules of a SIMD feature set). Which lanes hold
# floats is unknown, and the hash needs one pattern per class of values the NaN rule makes
# equal under either reading: every f64 NaN's upper 32 bits are an f32 NaN, so a 64-bit half
# whose upper lane is an f32 NaN is folded as one pattern whatever its lower lane (lossy: an
# f32x4 lane beside a NaN lane is not hashed), else each f32 NaN lane as one pattern.
# (v128 results are compared exactly by the rule: compare._v128_halves_equal.)
LOG_V128 = """  (func $is_nan32 (param i32) (result i32)
    (f32.ne (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 0))))
  (func $fold_half (param i64)
    (local $lo i32) (local $hi i32)
    (local.set $lo (i32.wrap_i64 (local.get 0)))
    (local.set $hi (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 32))))
    (if (call $is_nan32 (local.get $hi))
      (then (call $fold (i64.const 0x7fc00000ffffffff)))
      (else (call $fold (select (i64.const 0x7fc00000) (i64.extend_i32_u (local.get $lo))
                                (call $is_nan32 (local.get $lo))))
            (call $fold (i64.extend_i32_u (local.get $hi))))))
  (func (export "log-v128") (param v128)
    (call $fold (i64.const 5))
    (call $fold_half (i64x2.extract_lane 0 (local.get 0)))
    (call $fold_half (i64x2.extract_lane 1 (local.get 0))))
"""
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
    # not 0xffffffff: spectest-interp numbers the externref N as object N + 1, which wraps to 0
    # and prints as null (difffuzz seed 400547, a false disagreement)
    "externref": ["(ref.null extern)", "(ref.extern 1)", "(ref.extern 0xfffffffe)"],
    "funcref": ["(ref.null func)"],
    "v128": ["(v128.const i64x2 0 0)", "(v128.const i32x4 -1 -1 -1 -1)",
             "(v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)",
             "(v128.const i8x16 0x80 0x7f 0xff 0 16 31 32 255 0x80 1 0x7f 2 15 14 0xf0 3)",
             "(v128.const i16x8 0x8000 0x7fff -1 0 1 255 256 0xff00)",
             "(v128.const i32x4 0x80000000 0x7fffffff 65536 100000)",
             "(v128.const i64x2 0x8000000000000000 0x7fffffffffffffff)",
             "(v128.const f32x4 nan -nan inf -inf)", "(v128.const f32x4 0 -0 -1.5 2147483648)",
             "(v128.const f32x4 nan:0x200000 0x1p-149 0x1.fffffep+127 0.5)",
             "(v128.const f64x2 nan:0x4000000000000 -0x0.0000000000001p-1022)",
             "(v128.const f64x2 -2147483649 9223372036854775808)",
             "(v128.const f64x2 -0 inf)"],
}
BITS = {"f32": "i32", "f64": "i64"}  # results reported as their bit patterns
V128_HALVES = ("(i64x2.extract_lane 0 {})", "(i64x2.extract_lane 1 {})")  # a v128 result


@dataclass
class Call:
    """One driver call: which export, the argument texts, the export's types."""
    driver_export: str
    export: str
    args: list
    params: list
    results: list

    @property
    def value_types(self) -> list:
        """The type of each value the driver reports: a v128 result is two 64-bit halves
        (type "v128", compared by compare._v128_halves_equal)."""
        return [r for t in self.results for r in ([t, t] if t == "v128" else [t])]


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
            elif t == "v128" and rng.random() < 0.2:
                args.append(f"(v128.const i64x2 {rng.getrandbits(64)} {rng.getrandbits(64)})")
            else:
                args.append(_const(t, rng.choice(edges)))
        sets.append(args)
    return sets


def _wat_string(data: bytes) -> str:
    return '"' + "".join(chr(b) if 0x20 <= b < 0x7f and b not in b'"\\' else f"\\{b:02x}"
                         for b in data) + '"'


def _driver_func(call: Call, export_index: int, has_hang: bool) -> str:
    params, nparams = " ".join(call.params), len(call.params)
    results = " ".join("i64 i64" if t == "v128" else BITS.get(t, t) for t in call.results)
    body = ["(call $hang)"] if has_hang else []
    body.append(f"(call $e{export_index} "
                + " ".join(f"(local.get {i})" for i in range(nparams)) + ")")
    for i in reversed(range(len(call.results))):
        body.append(f"(local.set {nparams + i})")
    for i, t in enumerate(call.results):
        get = f"(local.get {nparams + i})"
        if t == "v128":
            body += [half.format(get) for half in V128_HALVES]
        else:
            body.append(f"({BITS[t]}.reinterpret_{t} {get})" if t in BITS else get)
    return (f'  (func (export "{call.driver_export}")' + (f" (param {params})" if params else "")
            + (f" (result {results})" if results else "")
            + (f" (local {' '.join(call.results)})" if call.results else "")
            + "\n    " + "\n    ".join(body) + ")")


def _import(name: str, ident: str, export: Export) -> str:
    sig = (f" (param {' '.join(export.params)})" if export.params else "") + \
          (f" (result {' '.join(export.results)})" if export.results else "")
    return f'  (import "fuzzed" {_wat_string(name.encode())} (func {ident}{sig}))'


def _host(wasm: bytes) -> str:
    host = HOST.replace("(module", "(module $fs", 1)
    if b"log-v128" in wasm:
        host = host[:host.rindex(")")] + LOG_V128 + ")"
    return host


def _has_hang(exports: list) -> bool:
    return any(e.name == HANG_RESET and not e.params and not e.results for e in exports)


def build(wasm: bytes, exports: list, rng: random.Random, arg_sets: int):
    """The script text (with the driver, for wabt) and its calls, in order."""
    callable_ = [e for e in exports if e.name != HANG_RESET]
    has_hang = _has_hang(exports)
    calls = []
    for i, e in enumerate(callable_):
        for args in argument_sets(e, rng, arg_sets if e.params else 1):
            calls.append((i, Call(f"c{len(calls)}", e.name, args, e.params, e.results)))
    imports = [_import(e.name, f"$e{i}", e) for i, e in enumerate(callable_)]
    if has_hang:
        imports.append(f'  (import "fuzzed" "{HANG_RESET}" (func $hang))')
    driver = "\n".join(["(module $driver", *imports,
                        *(_driver_func(c, i, has_hang) for i, c in calls), ")"])
    lines = [_host(wasm), '(register "fuzzing-support" $fs)',
             f"(module $fuzzed binary {_wat_string(wasm)})", '(register "fuzzed" $fuzzed)', driver]
    for _, c in calls:
        lines.append(f'(invoke $driver "{c.driver_export}" {" ".join(c.args)})')
        lines.append('(invoke $fs "hash")')
    return "\n".join(lines) + "\n", [c for _, c in calls]


def build_direct(wasm: bytes, exports: list, calls: list):
    """The same calls without the driver, for wasmlab (whose output gives every float's bits,
    so it needs no driver; compiling the driver was half of each aot run): the script text
    and the line of each call's command and of the hash read after it, in call order. The
    hang budget is reset by invoking `hangLimitInitializer` before each call."""
    text = "\n".join([_host(wasm), '(register "fuzzing-support" $fs)',
                      f"(module $fuzzed binary {_wat_string(wasm)})",
                      '(register "fuzzed" $fuzzed)']) + "\n"
    line, lines, out = text.count("\n") + 1, [], [text]
    for c in calls:
        if _has_hang(exports):
            out.append(f'(invoke $fuzzed "{HANG_RESET}")\n')
            line += 1
        out.append(f'(invoke $fuzzed {_wat_string(c.export.encode())} {" ".join(c.args)})\n'
                   '(invoke $fs "hash")\n')
        lines += [line, line + 1]
        line += 2
    return "".join(out), lines
