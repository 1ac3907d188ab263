"""Python values <-> wl_val, converted by the wasm type: ints for i32/i64 (wrapped to the
type's width, returned signed), floats for f32/f64, a Func or None for funcref, any Python
object or None for externref (the store keeps the object; the reference carries its key)."""
import struct

from . import _ffi
from ._ffi import lib


def _int(value, bits, kind):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{kind} expects an int, got {type(value).__name__}")
    if not -(1 << (bits - 1)) <= value < (1 << bits):
        raise OverflowError(f"{value} does not fit in {kind}")
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _float(value, kind):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{kind} expects a float, got {type(value).__name__}")
    return float(value)


def to_wl(store, kind, value):
    v = _ffi.Val()
    v.kind = kind
    if kind == _ffi.I32:
        v.of.i32 = _int(value, 32, "i32")
    elif kind == _ffi.I64:
        v.of.i64 = _int(value, 64, "i64")
    elif kind == _ffi.F32:
        v.of.f32 = _float(value, "f32")
    elif kind == _ffi.F64:
        v.of.f64 = _float(value, "f64")
    elif kind == _ffi.FUNCREF:
        from ._objects import Func
        if value is not None and not isinstance(value, Func):
            raise TypeError(f"funcref expects a Func or None, got {type(value).__name__}")
        return lib.wl_val_funcref(value._ptr if value is not None else None)
    elif kind == _ffi.EXTERNREF:
        if value is None:
            return lib.wl_val_null(_ffi.EXTERNREF)
        return lib.wl_val_externref(store._externref_key(value))
    else:
        raise TypeError(f"values of type {_ffi.KIND_NAMES.get(kind, kind)} are not supported")
    return v


def from_wl(store, v):
    kind = v.kind
    if kind == _ffi.I32:
        return v.of.i32
    if kind == _ffi.I64:
        return v.of.i64
    if kind == _ffi.F32:
        return struct.unpack("f", struct.pack("f", v.of.f32))[0]
    if kind == _ffi.F64:
        return v.of.f64
    if kind in (_ffi.FUNCREF, _ffi.EXTERNREF) and lib.wl_val_is_null(v):
        return None
    if kind == _ffi.FUNCREF:
        from ._objects import Func
        return Func._wrap(store, lib.wl_val_func(v))
    if kind == _ffi.EXTERNREF:
        return store._externref_value(lib.wl_val_externref_ptr(v))
    raise TypeError(f"values of type {_ffi.KIND_NAMES.get(kind, kind)} are not supported")


def kinds_of(names):
    """Value kinds from names ("i32", ...) or kind codes."""
    out = []
    for n in names:
        if isinstance(n, str):
            if n not in _ffi.KIND_BY_NAME:
                raise ValueError(f"unknown value type {n!r}")
            out.append(_ffi.KIND_BY_NAME[n])
        else:
            out.append(int(n))
    return out


__all__ = ["to_wl", "from_wl", "kinds_of", "lib"]
