"""Trap backtraces (issue 17, item 1): after a trap, `wasmlab run` prints the wasm frames,
innermost first, as wasmtime does ("    0:   0x42 - m!inner"), and every backend prints the
same frames for the same module: the interpreter from its frame records, the JIT from its
fixed frame layout, AOT from the artifact's unwind and line tables (inlined calls included).
Expected offsets come from wasm-objdump, not from any backend."""
import os
import re
import subprocess

import pytest

import wasmlab_env

BACKENDS = wasmlab_env.built_backends()

# Loads that x86 instruction selection folds into their user (`addsd (mem), %xmm0`, `cmpl
# %eax, (mem)`, `cvtsi2sdl (mem)`, the read-modify-write `addl %eax, (mem)`): the fault is in
# the user's machine instruction, and must still name the load (backends/aot/llvm/aot_debug.c,
# "folded loads"). Each is a case of inner: (global the value goes to, or "" for a statement;
# the expression). {oob} is an out-of-bounds memarg (a distinct offset per case, so the
# expected load is found by its text), {ok} an in-bounds one, {at} the faulting load's own
# address (read-modify-write). $x, $xl, $xf, $xd, $xv are values the optimizer cannot know,
# so they stay in registers and the load is the operand that folds.
FOLDED = [
    # commutative: the load as either operand
    ("gd", "(f64.add (f64.load {oob}) (local.get $xd))"),
    ("gd", "(f64.add (local.get $xd) (f64.load {oob}))"),
    ("gd", "(f64.mul (f64.load {oob}) (local.get $xd))"),
    ("gd", "(f64.mul (local.get $xd) (f64.load {oob}))"),
    ("gf", "(f32.add (local.get $xf) (f32.load {oob}))"),
    ("gf", "(f32.mul (f32.load {oob}) (local.get $xf))"),
    ("gi", "(i32.add (i32.load {oob}) (local.get $x))"),
    ("gi", "(i32.add (local.get $x) (i32.load {oob}))"),
    ("gi", "(i32.and (i32.load {oob}) (local.get $x))"),
    ("gi", "(i32.or (local.get $x) (i32.load {oob}))"),
    ("gi", "(i32.xor (i32.load {oob}) (local.get $x))"),
    ("gi", "(i32.mul (local.get $x) (i32.load {oob}))"),
    ("gi", "(i32.mul (i32.load {oob}) (i32.const 12345))"),
    ("gl", "(i64.add (i64.load {oob}) (local.get $xl))"),
    ("gl", "(i64.and (local.get $xl) (i64.load {oob}))"),
    ("gl", "(i64.or (i64.load {oob}) (local.get $xl))"),
    ("gl", "(i64.xor (local.get $xl) (i64.load {oob}))"),
    ("gl", "(i64.mul (i64.load {oob}) (local.get $xl))"),
    # non-commutative, the load as the source operand (as the first one it is not folded)
    ("gd", "(f64.sub (local.get $xd) (f64.load {oob}))"),
    ("gd", "(f64.div (local.get $xd) (f64.load {oob}))"),
    ("gd", "(f64.sub (f64.load {oob}) (local.get $xd))"),
    ("gi", "(i32.sub (local.get $x) (i32.load {oob}))"),
    ("gl", "(i64.sub (local.get $xl) (i64.load {oob}))"),
    ("gi", "(i32.shl (i32.load {oob}) (local.get $x))"),  # shlx
    ("gi", "(i32.shr_u (i32.load {oob}) (local.get $x))"),
    ("gd", "(f64.copysign (local.get $xd) (f64.load {oob}))"),
    ("gd", "(f64.min (local.get $xd) (f64.load {oob}))"),
    # unary
    ("gd", "(f64.abs (f64.load {oob}))"),
    ("gd", "(f64.neg (f64.load {oob}))"),
    ("gd", "(f64.sqrt (f64.load {oob}))"),
    ("gd", "(f64.floor (f64.load {oob}))"),
    ("gi", "(i32.popcnt (i32.load {oob}))"),
    ("gi", "(i32.clz (i32.load {oob}))"),
    ("gi", "(i32.ctz (i32.load {oob}))"),
    # compares
    ("gi", "(i32.eq (i32.load {oob}) (local.get $x))"),
    ("gi", "(i32.eq (local.get $x) (i32.load {oob}))"),
    ("gi", "(i32.lt_s (local.get $x) (i32.load {oob}))"),
    ("gi", "(i32.lt_u (i32.load {oob}) (local.get $x))"),
    ("gi", "(i32.eq (i32.load {oob}) (i32.const 5))"),
    ("gi", "(i32.eqz (i32.load {oob}))"),
    ("gi", "(i64.eq (local.get $xl) (i64.load {oob}))"),
    ("gi", "(f64.lt (local.get $xd) (f64.load {oob}))"),
    ("gi", "(f64.eq (f64.load {oob}) (local.get $xd))"),
    # select: a loaded operand (cmov) or condition
    ("gi", "(select (i32.load {oob}) (local.get $x) (local.get $x))"),
    ("gi", "(select (local.get $x) (i32.load {oob}) (local.get $x))"),
    ("gi", "(select (local.get $x) (i32.const 3) (i32.load {oob}))"),
    ("gi", "(select (local.get $x) (i32.const 3) (i32.lt_s (i32.load {oob}) (local.get $x)))"),
    ("gd", "(select (local.get $xd) (f64.load {oob}) (local.get $x))"),
    # conversions
    ("gd", "(f64.convert_i32_s (i32.load {oob}))"),
    ("gd", "(f64.convert_i64_s (i64.load {oob}))"),
    ("gd", "(f64.convert_i32_u (i32.load {oob}))"),
    ("gd", "(f64.convert_i64_u (i64.load {oob}))"),
    ("gf", "(f32.convert_i32_s (i32.load {oob}))"),
    ("gf", "(f32.demote_f64 (f64.load {oob}))"),
    ("gd", "(f64.promote_f32 (f32.load {oob}))"),
    ("gl", "(i64.extend_i32_s (i32.load {oob}))"),
    ("gl", "(i64.extend_i32_u (i32.load {oob}))"),
    ("gi", "(i32.wrap_i64 (i64.load {oob}))"),
    ("gi", "(i32.extend8_s (i32.load {oob}))"),
    ("gl", "(i64.add (local.get $xl) (i64.load32_u {oob}))"),
    ("gi", "(i32.add (local.get $x) (i32.load8_u {oob}))"),
    ("gi", "(i32.trunc_sat_f64_s (f64.load {oob}))"),
    # trapping users keep their own site: the load is not folded into them
    ("gi", "(i32.trunc_f64_s (f64.load {oob}))"),
    ("gi", "(i32.div_s (local.get $x) (i32.load {oob}))"),
    ("gi", "(i32.rem_s (local.get $x) (i32.load {oob}))"),
    # SIMD (VEX forms take unaligned memory operands)
    ("gv", "(i32x4.add (local.get $xv) (v128.load {oob}))"),
    ("gv", "(f32x4.mul (v128.load {oob}) (local.get $xv))"),
    ("gv", "(i8x16.eq (local.get $xv) (v128.load {oob}))"),
    ("gv", "(v128.and (v128.load {oob}) (local.get $xv))"),
    ("gv", "(i32x4.add (local.get $xv) (v128.load32_splat {oob}))"),
    ("gv", "(i32x4.add (local.get $xv) (v128.load64_zero {oob}))"),
    ("gv", "(i32x4.splat (i32.load {oob}))"),
    ("gi", "(i32x4.extract_lane 1 (v128.load {oob}))"),
    ("gv", "(i32x4.replace_lane 1 (local.get $xv) (i32.load {oob}))"),
    # two loads: the later one folds; the earlier one faults in its own instruction
    ("gd", "(f64.add (f64.load {ok}) (f64.load {oob}))"),
    ("gd", "(f64.add (f64.load {oob}) (f64.load {ok}))"),
    ("gd", "(f64.sub (f64.load {ok}) (f64.load {oob}))"),
    ("gi", "(i32.add (i32.load {ok}) (i32.load {oob}))"),
    ("gi", "(i32.add (i32.load {oob}) (i32.load {ok}))"),
    ("gi", "(i32.sub (i32.load {ok}) (i32.load {oob}))"),
    ("gi", "(i32.lt_u (i32.load {ok}) (i32.load {oob}))"),
    ("gl", "(i64.mul (i64.load {ok}) (i64.load {oob}))"),
    ("gi", "(i32.add (i32.add (i32.load {ok}) (local.get $x)) (i32.load {oob}))"),
    ("gi", "(i32.add (i32.load {ok}) (i32.xor (i32.load {oob}) (local.get $x)))"),
    ("gd", "(f64.add (f64.load {ok}) (f64.neg (f64.load {oob})))"),  # subsd
    ("gi", "(i32.add (i32.load {ok}) (block (result i32) (local.set $t (i32.load {oob})) "
           "(local.get $t)))"),
    ("gi", "(block (result i32) (local.set $t (i32.load {ok})) "
           "(i32.add (i32.load {oob}) (local.get $t)))"),
    ("gi", "(block (result i32) (local.set $t (i32.load {oob})) "
           "(i32.add (i32.load {ok}) (local.get $t)))"),
    ("gd", "(f64.add (f64.load {oob}) (f64.load offset=69992 (local.get 0)))"),  # both fault
    # read-modify-write (the store's address is the load's)
    ("", "(i32.store {at} (i32.add (i32.load {oob}) (local.get $x)))"),
    ("", "(i32.store {at} (i32.add (i32.load {oob}) (i32.const 1)))"),
    ("", "(i32.store {at} (i32.xor (local.get $x) (i32.load {oob})))"),
    ("", "(i64.store {at} (i64.add (i64.load {oob}) (local.get $xl)))"),
    ("", "(i32.store8 {at} (i32.add (i32.load8_u {oob}) (local.get $x)))"),
    ("", "(i32.store {at} (i32.sub (i32.load {oob}) (local.get $x)))"),
    ("", "(i32.store {at} (i32.shl (i32.load {oob}) (i32.const 3)))"),
    ("", "(i32.store {at} (i32.eqz (i32.load {oob})))"),
    # branches on a loaded value (cmp/test with a memory operand)
    ("", "(if (i32.load {oob}) (then (global.set $gi (i32.const 1))))"),
    ("", "(if (i32.eq (i32.load {oob}) (local.get $x)) (then (global.set $gi (i32.const 1))))"),
    ("", "(if (i32.lt_s (local.get $x) (i32.load {oob})) (then (global.set $gi (i32.const 1))))"),
    ("", "(if (f64.lt (local.get $xd) (f64.load {oob})) (then (global.set $gi (i32.const 1))))"),
    ("", "(block (br_if 0 (i32.and (i32.load {oob}) (i32.const 4))) "
         "(global.set $gi (i32.const 1)))"),
    ("", "(block (block (block (br_table 0 1 2 (i32.load {oob})))) "
         "(global.set $gi (i32.const 1)))"),
]
FIRST_FOLDED = 9
ALIGN = {"i32.load": 2, "i64.load": 3, "f32.load": 2, "f64.load": 3, "v128.load": 4,
         "i32.load8_u": 0, "i64.load32_u": 2, "v128.load32_splat": 2, "v128.load64_zero": 3}


def folded_case(i, sink, expr):
    """(the if statement of case FIRST_FOLDED + i in inner, the faulting load's text)."""
    arg = FIRST_FOLDED + i
    oob = f"offset={70100 + 16 * i} (local.get 0)"
    text = expr.format(oob=oob, ok="offset=8 (local.get 0)", at=oob)
    op = re.search(r"\((\S+) \{oob\}", expr).group(1)
    stmt = f"(global.set ${sink} {text})" if sink else text
    return (f"    (if (i32.eq (local.get 0) (i32.const {arg})) (then {stmt}))",
            f"{op} {ALIGN[op]} {70100 + 16 * i}")


FOLDED_CASES = [folded_case(i, sink, expr) for i, (sink, expr) in enumerate(FOLDED)]

# inner traps in one of nine ways, or in a folded load (selected by its argument), called
# through middle and run; rec recurses until the stack is exhausted (the load after the call
# keeps it a real call).
WAT = """
(module $m
  (memory 1)
  (table 2 funcref)
  (type $v (func))
  (elem (i32.const 0) $inner)
  (global $g (mut i32) (i32.const 3))
  (global $gi (mut i32) (i32.const 0))
  (global $gl (mut i64) (i64.const 0))
  (global $gf (mut f32) (f32.const 0))
  (global $gd (mut f64) (f64.const 0))
  (global $gv (mut v128) (v128.const i64x2 0 0))
  (func $inner (param i32) (result i32) (local f64 i32)
    (local $x i32) (local $xl i64) (local $xf f32) (local $xd f64) (local $xv v128) (local $t i32)
    (local.set $x (global.get $g))
    (local.set $xl (i64.extend_i32_u (local.get $x)))
    (local.set $xf (f32.convert_i32_u (local.get $x)))
    (local.set $xd (f64.convert_i32_u (local.get $x)))
    (local.set $xv (i32x4.splat (local.get $x)))
    (if (i32.eq (local.get 0) (i32.const 0)) (then unreachable))
    (if (i32.eq (local.get 0) (i32.const 1)) (then (drop (i32.load (i32.const 70000)))))
    (if (i32.eq (local.get 0) (i32.const 2))
      (then (drop (i32.div_u (i32.const 1) (i32.sub (local.get 0) (i32.const 2))))))
    (if (i32.eq (local.get 0) (i32.const 3)) (then (call_indirect (type $v) (i32.const 0))))
    (if (i32.eq (local.get 0) (i32.const 4))
      (then (drop (i32.trunc_f32_s (f32.div (f32.const 0)
                    (f32.convert_i32_s (i32.sub (local.get 0) (i32.const 4))))))))
    (if (i32.eq (local.get 0) (i32.const 5))
      (then (i32.store (local.get 0) (local.get 0))
            (i32.store offset=70000 (local.get 0) (local.get 0))))
    (if (i32.eq (local.get 0) (i32.const 6))
      (then (f64.store offset=70000 (local.get 0)
              (f64.sub (f64.load offset=70000 (local.get 0))
                       (f64.mul (f64.mul (local.get 1) (local.get 1)) (local.get 1))))))
    (if (i32.eq (local.get 0) (i32.const 7))
      (then (f64.store offset=70008 (local.get 0)
              (f64.add (f64.mul (f64.mul (local.get 1) (local.get 1)) (local.get 1))
                       (f64.load offset=70008 (local.get 0))))))
    (if (i32.eq (local.get 0) (i32.const 8))
      (then (local.set 2 (i32.load offset=4 (local.get 0)))
            (i32.store offset=4 (local.get 0) (i32.load offset=70004 (local.get 0)))
            (i32.store offset=70004 (local.get 0) (local.get 2))))
""" + "\n".join(case for case, _ in FOLDED_CASES) + """
    (i32.const 7))
  (func $middle (param i32) (result i32) (call $inner (local.get 0)))
  (func $run (export "run") (param i32) (result i32) (call $middle (local.get 0)))
  (func $rec (param i32) (result i32)
    (drop (call $rec (i32.add (local.get 0) (i32.const 1))))
    (i32.load (i32.const 0)))
  (func $overflow (export "overflow") (result i32) (call $rec (i32.const 0))))
"""

# (argument of run, trap message, the trapping instruction in inner)
TRAPS = [(0, "unreachable", "unreachable"),
         (1, "out of bounds memory access", "i32.load 2 0"),
         (2, "integer divide by zero", "i32.div_u"),
         (3, "indirect call type mismatch", "call_indirect"),
         (4, "invalid conversion to integer", "i32.trunc_f32_s"),
         # the interpreter fuses these (I32_STORE2: the second store traps; F64_MEM_SUB_MUL3
         # and F64_MUL3_ADD_MEM: the load's bounds check is the fused instruction's; I32_SWAP);
         # on x86 AOT folds 7's load into the addsd (FOLDED)
         (5, "out of bounds memory access", "i32.store 2 70000"),
         (6, "out of bounds memory access", "f64.load 3 70000"),
         (7, "out of bounds memory access", "f64.load 3 70008"),
         (8, "out of bounds memory access", "i32.load 2 70004")]  # I32_SWAP: the copy's load
TRAPS += [(FIRST_FOLDED + i, "out of bounds memory access", load)
          for i, (_, load) in enumerate(FOLDED_CASES)]

# (argument, backend): why that backend reports another site (each must still fail: strict)
GAPS = {}

FRAME = re.compile(r"^ +(\d+): +0x([0-9a-f]+) - (.+?)(  \(.*\))?$")


def run(*args):
    return subprocess.run([str(wasmlab_env.wasmlab_binary()), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def objdump(wasm):
    """{function name: [(offset, instruction text)]} from wasm-objdump -d."""
    text = subprocess.run(["wasm-objdump", "-d", str(wasm)], capture_output=True, text=True,
                          check=True).stdout
    funcs, current = {}, None
    for line in text.splitlines():
        head = re.match(r"^[0-9a-f]+ func\[\d+\] <(.+)>:$", line)
        if head:
            current = funcs.setdefault(head.group(1), [])
            continue
        instr = re.match(r"^ ([0-9a-f]+):[0-9a-f ]+\|\s*(.*)$", line)
        if instr and current is not None and not instr.group(2).startswith("local["):
            current.append((int(instr.group(1), 16), instr.group(2).strip()))
    return funcs


def offset_of(funcs, func, starts):
    found = [off for off, text in funcs[func] if text.startswith(starts)]
    assert len(found) == 1, (func, starts, funcs[func])
    return found[0]


def frames(stderr):
    lines = stderr.splitlines()
    assert lines[1] == "wasm backtrace:", stderr
    return [(int(m.group(2), 16), m.group(3)) for m in map(FRAME.match, lines[2:]) if m]


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    out = tmp_path_factory.mktemp("backtrace")
    (out / "t.wat").write_text(WAT)
    subprocess.run(["wat2wasm", "--debug-names", str(out / "t.wat"), "-o", str(out / "named.wasm")],
                   check=True)
    subprocess.run(["wat2wasm", str(out / "t.wat"), "-o", str(out / "bare.wasm")], check=True)
    return out


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("arg,message,instr", TRAPS)
def test_same_frames_on_every_backend(request, modules, backend, arg, message, instr):
    if (arg, backend) in GAPS:
        request.applymarker(pytest.mark.xfail(reason=GAPS[arg, backend], strict=True))
    funcs = objdump(modules / "named.wasm")
    want = [(offset_of(funcs, "inner", instr), "m!inner"),
            (offset_of(funcs, "middle", "call 0 <inner>"), "m!middle"),
            (offset_of(funcs, "run", "call 1 <middle>"), "m!run")]
    done = run("run", "--backend", backend, "--invoke", "run", modules / "named.wasm", arg)
    assert done.returncode == 1 and message in done.stderr.splitlines()[0], done.stderr
    assert frames(done.stderr) == want, done.stderr


@pytest.mark.skipif("aot" not in BACKENDS, reason="no AOT backend in this build")
@pytest.mark.parametrize("opt", ["0", "1", "3"])
def test_folded_loads_at_other_opt_levels(modules, opt):
    """The folded-load cases at the other optimization levels, where selection folds and
    unfolds other loads (an unfolded load has no location of its own: aot_trace.c takes its
    user's)."""
    funcs = objdump(modules / "named.wasm")
    env = {**os.environ, "WASMLAB_AOT_OPT": opt}
    wrong = []
    for arg, message, instr in TRAPS[FIRST_FOLDED:]:
        done = subprocess.run([str(wasmlab_env.wasmlab_binary()), "run", "--backend", "aot",
                               "--invoke", "run", str(modules / "named.wasm"), str(arg)],
                              capture_output=True, text=True, timeout=120, env=env)
        got = frames(done.stderr)[:1] if done.returncode == 1 else done.stderr
        if got != [(offset_of(funcs, "inner", instr), "m!inner")]:
            wrong.append((arg, instr, got))
    assert not wrong, wrong


@pytest.mark.parametrize("backend", BACKENDS)
def test_without_name_section(modules, backend):
    done = run("run", "--backend", backend, "--invoke", "run", modules / "bare.wasm", 0)
    assert [name for _, name in frames(done.stderr)] == [
        "<unknown>!<wasm function 0>", "<unknown>!<wasm function 1>", "<unknown>!<wasm function 2>"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_stack_overflow_is_truncated(modules, backend):
    """Short shows the innermost 32 frames (the recursive call, whatever depth each backend
    reached) and says how many more there are."""
    funcs = objdump(modules / "named.wasm")
    call = offset_of(funcs, "rec", "call 3 <rec>")
    done = run("run", "--backend", backend, "--invoke", "overflow", modules / "named.wasm")
    assert "call stack exhausted" in done.stderr.splitlines()[0], done.stderr
    assert frames(done.stderr) == [(call, "m!rec")] * 32, done.stderr
    assert re.search(r"^  \.\.\. \d+ more frames \(--backtrace=full\)$", done.stderr, re.M), done.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_backtrace_styles(modules, backend):
    off = run("run", "--backtrace=off", "--backend", backend, "--invoke", "run",
              modules / "named.wasm", 2)
    assert off.returncode == 1 and len(off.stderr.strip().splitlines()) == 1, off.stderr
    full = run("run", "--backtrace", "full", "--backend", backend, "--invoke", "run",
               modules / "named.wasm", 2)
    funcs = objdump(modules / "named.wasm")
    div = offset_of(funcs, "inner", "i32.div_u")
    first_instr = funcs["inner"][0][0]
    lines = full.stderr.splitlines()
    assert lines[2] == f"    0: {div:#6x} - m!inner  (func 0, +{div - first_instr:#x})", full.stderr
    assert lines[3].endswith("- m!middle  (func 1, +0x2)"), full.stderr  # call after local.get
    bad = run("run", "--backtrace=long", "--invoke", "run", modules / "named.wasm", 2)
    assert bad.returncode == 2 and "off, short or full" in bad.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_trap_in_start_function_has_frames(tmp_path, backend):
    (tmp_path / "s.wat").write_text("(module (func $boom unreachable) (func $s call $boom) (start $s))")
    subprocess.run(["wat2wasm", "--debug-names", str(tmp_path / "s.wat"), "-o", str(tmp_path / "s.wasm")],
                   check=True)
    done = run("run", "--backend", backend, tmp_path / "s.wasm")
    assert "start function" in done.stderr.splitlines()[0]
    assert [name for _, name in frames(done.stderr)] == ["<unknown>!boom", "<unknown>!s"]


# A load inlined from its callee and folded into the caller's add: the fault names the load in
# the callee's frame, then the call in the caller's.
INLINED = """
(module $n
  (memory 1)
  (global $g (mut i32) (i32.const 3))
  (global $gi (mut i32) (i32.const 0))
  (global $gd (mut f64) (f64.const 0))
  (func $get (param i32) (result i32) (i32.load offset=70000 (local.get 0)))
  (func $getd (param i32) (result f64) (f64.load offset=70000 (local.get 0)))
  (func $add (export "add") (param i32)
    (global.set $gi (i32.add (global.get $g) (call $get (local.get 0)))))
  (func $mul (export "mul") (param i32)
    (global.set $gd (f64.mul (f64.convert_i32_u (global.get $g)) (call $getd (local.get 0))))))
"""


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("export,callee,load", [("add", "get", "i32.load 2 70000"),
                                                 ("mul", "getd", "f64.load 3 70000")])
def test_folded_load_inlined_from_callee(tmp_path, backend, export, callee, load):
    (tmp_path / "n.wat").write_text(INLINED)
    subprocess.run(["wat2wasm", "--debug-names", str(tmp_path / "n.wat"), "-o", str(tmp_path / "n.wasm")],
                   check=True)
    funcs = objdump(tmp_path / "n.wasm")
    done = run("run", "--backend", backend, "--invoke", export, tmp_path / "n.wasm", 1)
    assert "out of bounds memory access" in done.stderr.splitlines()[0], done.stderr
    assert frames(done.stderr) == [(offset_of(funcs, callee, load), f"n!{callee}"),
                                   (offset_of(funcs, export, f"call {0 if callee == 'get' else 1} "),
                                    f"n!{export}")], done.stderr
