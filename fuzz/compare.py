"""What may differ between two engines' runs of one script (fuzz/README.md, "What may differ"):

- a NaN result may have any sign and payload: an f32/f64 result that is NaN on both sides is
  equal (logged NaNs are folded as one pattern by host.wat, for the same reason); a v128
  result's halves are compared with the rule applied for f64x2 and for f32x4 lanes;
- the depth at which the call stack is exhausted is the engine's: when a call exhausts it on
  both sides, the logged hash is not compared from that call on (how many values were logged
  before depends on the depth).
Everything else must be equal: instantiation outcome, every call's values or trap kind, and
the logged hash after every call."""
from engines import Run

NAN = {"f32": (0x7f800000, 0x007fffff), "f64": (0x7ff0000000000000, 0x000fffffffffffff)}


def _is_nan(t: str, bits) -> bool:
    if t not in NAN or not isinstance(bits, int):
        return False
    exp, mant = NAN[t]
    return bits & exp == exp and bits & mant != 0


def _v128_halves_equal(x: int, y: int) -> bool:
    """Two 64-bit halves of v128 results by the NaN rule for either float reading (which lanes
    hold floats is unknown): both f64 NaNs, or each 32-bit lane equal or an f32 NaN on both."""
    if _is_nan("f64", x) and _is_nan("f64", y):
        return True
    lanes = [((x >> s) & 0xffffffff, (y >> s) & 0xffffffff) for s in (0, 32)]
    return all(a == b or (_is_nan("f32", a) and _is_nan("f32", b)) for a, b in lanes)


def _equal_by_nan_rule(t: str, x, y) -> bool:
    if t == "v128":
        return _v128_halves_equal(x, y)
    return _is_nan(t, x) and _is_nan(t, y)


def _values_equal(types: list, a: tuple, b: tuple) -> bool:
    if len(a) != len(b):
        return False
    return all(x == y or _equal_by_nan_rule(t, x, y) for t, x, y in zip(types, a, b))


def _outcomes_equal(types: list, a: tuple, b: tuple) -> bool:
    if a[0] == b[0] == "ok":
        return _values_equal(types, a[1], b[1])
    return a == b


def nan_tolerated(reference: Run, other: Run, calls: list) -> int:
    """How many results were NaN on both sides with different bits (equal by the NaN rule)."""
    if reference.failure or other.failure or len(reference.actions) != len(other.actions):
        return 0
    count = 0
    for i, call in enumerate(calls[:len(reference.actions) // 2]):
        want, got = reference.actions[2 * i], other.actions[2 * i]
        if want[0] == got[0] == "ok" and len(want[1]) == len(got[1]):
            count += sum(x != y and _equal_by_nan_rule(t, x, y)
                         for t, x, y in zip(call.value_types, want[1], got[1]))
    return count


def differences(reference: Run, other: Run, calls: list) -> list:
    """(what, expected, got) for every disagreement of `other` with `reference`."""
    for run in (reference, other):
        if run.failure:
            return [(f"{run.engine} failed", "", run.failure)]
    if reference.instantiation != other.instantiation:
        return [("instantiation", reference.instantiation, other.instantiation)]
    if reference.instantiation[0] != "ok":
        return []
    if len(reference.actions) != len(other.actions) or len(other.actions) != 2 * len(calls):
        return [("commands run", len(reference.actions), len(other.actions))]
    found, compare_hash = [], True
    for i, call in enumerate(calls):
        want, got = reference.actions[2 * i], other.actions[2 * i]
        if not _outcomes_equal(call.value_types, want, got):
            found.append((f"{call.export}({' '.join(call.args)})", want, got))
        if want == got == ("trap", "call stack exhausted"):
            compare_hash = False
        want_hash, got_hash = reference.actions[2 * i + 1], other.actions[2 * i + 1]
        if compare_hash and want_hash != got_hash:
            found.append((f"logged hash after {call.export}", want_hash, got_hash))
    return found
