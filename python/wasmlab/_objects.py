"""Engine, modules, stores and the runtime objects, over libwasmlab's C API."""
import ctypes
import os
from ctypes import byref, c_void_p
from dataclasses import dataclass
from typing import Optional, Tuple

from . import _ffi
from ._errors import WasiExit, WasmlabError, check, error_from
from ._ffi import lib
from ._values import from_wl, kinds_of, to_wl

# ---------------------------------------------------------------- types


def _names(ptr, n):
    return tuple(_ffi.KIND_NAMES.get(ptr[i], str(ptr[i])) for i in range(n))


@dataclass(frozen=True)
class FuncType:
    params: Tuple[str, ...]
    results: Tuple[str, ...]


@dataclass(frozen=True)
class TableType:
    element: str
    min: int
    max: Optional[int]


@dataclass(frozen=True)
class MemoryType:
    min: int   # pages
    max: Optional[int]


@dataclass(frozen=True)
class GlobalType:
    content: str
    mutable: bool


@dataclass(frozen=True)
class ImportType:
    module: str
    name: str
    type: object


@dataclass(frozen=True)
class ExportType:
    name: str
    type: object


def _type_of(t):
    maximum = t.max if t.has_max else None
    if t.kind == _ffi.EXTERN_FUNC:
        return FuncType(_names(t.params, t.nparams), _names(t.results, t.nresults))
    if t.kind == _ffi.EXTERN_TABLE:
        return TableType(_ffi.KIND_NAMES[t.content], t.min, maximum)
    if t.kind == _ffi.EXTERN_MEMORY:
        return MemoryType(t.min, maximum)
    return GlobalType(_ffi.KIND_NAMES[t.content], bool(t.mutable))


# ---------------------------------------------------------------- engine and modules


def _text(ptr, length):
    """A name of `length` bytes (any UTF-8, NUL bytes included)."""
    return ctypes.string_at(ptr, length).decode("utf-8")


class Config:
    """Engine settings: backend ("interp", "aot", "jit"), proposals by CLI name
    (features={"simd": False}), mvp=True for the Wasm 1.0 set, fuel (0 = unlimited) and
    max_call_depth."""

    def __init__(self, backend="interp", features=None, mvp=False, fuel=0, max_call_depth=None):
        if backend not in _ffi.BACKENDS:
            raise ValueError(f"unknown backend {backend!r} (one of {', '.join(_ffi.BACKENDS)})")
        if not isinstance(fuel, int) or fuel < 0:
            raise ValueError("fuel must be a non-negative int")
        self.backend, self.features, self.mvp = backend, dict(features or {}), mvp
        self.fuel, self.max_call_depth = fuel, max_call_depth

    def _build(self):
        c = lib.wl_config_new()
        try:
            if self.mvp:
                lib.wl_config_set_mvp(c)
            for name, on in self.features.items():
                check(lib.wl_config_enable(c, name.encode(), bool(on)))
            check(lib.wl_config_set_backend(c, _ffi.BACKENDS[self.backend]))
            lib.wl_config_set_fuel(c, self.fuel)
            if self.max_call_depth is not None:
                lib.wl_config_set_max_call_depth(c, self.max_call_depth)
            return c
        except Exception:
            lib.wl_config_delete(c)
            raise


def backends():
    """The backends this build of libwasmlab provides."""
    return [name for name, kind in _ffi.BACKENDS.items() if lib.wl_backend_available(kind)]


class Engine:
    def __init__(self, config: Optional[Config] = None):
        self.config = config or Config()
        c = self.config._build()
        out = c_void_p()
        try:
            check(lib.wl_engine_new(c, byref(out)))
        finally:
            lib.wl_config_delete(c)
        self._ptr = out.value

    def __del__(self):
        if getattr(self, "_ptr", None):
            lib.wl_engine_delete(self._ptr)
            self._ptr = None


def wat2wasm(text: str) -> bytes:
    """Compiles WebAssembly text with wabt's wat2wasm (Debian package wabt)."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "m.wat"), os.path.join(d, "m.wasm")
        with open(src, "w") as f:
            f.write(text)
        done = subprocess.run(["wat2wasm", "--enable-all", src, "-o", out],
                              capture_output=True, text=True)
        if done.returncode:
            raise WasmlabError(done.stderr.strip(), "malformed")
        with open(out, "rb") as f:
            return f.read()


class Module:
    """A decoded, validated and compiled module. `source` is the binary (bytes-like)."""

    def __init__(self, engine: Engine, source):
        if isinstance(source, str):
            raise TypeError("Module takes bytes; use Module.from_file(path) or "
                            "Module.from_wat(text)")
        data = bytes(source)
        out = c_void_p()
        check(lib.wl_module_new(engine._ptr, data, len(data), byref(out)))
        self.engine, self._ptr = engine, out.value

    @classmethod
    def from_file(cls, engine, path):
        with open(path, "rb") as f:
            return cls(engine, f.read())

    @classmethod
    def from_wat(cls, engine, text):
        return cls(engine, wat2wasm(text))

    @staticmethod
    def validate(engine, source) -> None:
        """Raises WasmlabError (kind "malformed" or "invalid") unless the binary is valid."""
        data = bytes(source)
        check(lib.wl_module_validate(engine._ptr, data, len(data)))

    @property
    def imports(self):
        out = []
        for i in range(lib.wl_module_import_count(self._ptr)):
            info = lib.wl_module_import(self._ptr, i)
            out.append(ImportType(_text(info.module, info.module_len),
                                  _text(info.name, info.name_len),
                                  _type_of(lib.wl_module_import_type(self._ptr, i))))
        return out

    @property
    def exports(self):
        return [ExportType(self._export_name(i), _type_of(lib.wl_module_export_type(self._ptr, i)))
                for i in range(lib.wl_module_export_count(self._ptr))]

    def _export_name(self, i):
        info = lib.wl_module_export(self._ptr, i)
        return _text(info.name, info.name_len)

    def __del__(self):
        if getattr(self, "_ptr", None) and self.engine._ptr:
            lib.wl_module_delete(self._ptr)
            self._ptr = None


# ---------------------------------------------------------------- stores


class Store:
    """Owns every runtime object made in it; close() (or collection) frees them together.
    Any use after close raises WasmlabError."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._ptr = lib.wl_store_new(engine._ptr)
        if not self._ptr:
            raise WasmlabError("cannot create a store", "resource")
        self._callbacks = []      # ctypes thunks of host functions: alive as long as the store
        self._externrefs = {}     # key -> object carried by an externref
        self._externref_keys = {}  # id(object) -> key
        self._linkers, self._wasis = [], []
        self._host_error = None

    def _live(self):
        if not self._ptr:
            raise WasmlabError("the store is closed")
        return self._ptr

    @property
    def fuel_consumed(self) -> int:
        """Fuel used by the last call (0 when metering is off)."""
        return lib.wl_store_fuel_used(self._live())

    def close(self):
        if not self._ptr:
            return
        for linker in self._linkers:
            lib.wl_linker_delete(linker)
        lib.wl_store_delete(self._ptr)
        for w in self._wasis:
            lib.wl_wasi_delete(w)
        self._ptr = None
        self._linkers, self._wasis, self._callbacks = [], [], []
        self._externrefs, self._externref_keys = {}, {}

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _externref_key(self, obj):
        key = self._externref_keys.get(id(obj))
        if key is None:
            key = len(self._externrefs) + 1
            self._externrefs[key] = obj
            self._externref_keys[id(obj)] = key
        return key

    def _externref_value(self, key):
        if key not in self._externrefs:
            raise WasmlabError("externref not made by this store")
        return self._externrefs[key]

    def _take_host_error(self):
        e, self._host_error = self._host_error, None
        return e


# ---------------------------------------------------------------- runtime objects


class _Extern:
    """What Func, Memory, Global and Table share: a store object reached through a pointer,
    usable only while its store is open."""
    _KIND = None

    @classmethod
    def _wrap(cls, store, ptr):
        obj = cls.__new__(cls)
        obj.store, obj._ptr = store, ptr
        return obj

    def _p(self):
        """The object's pointer, after checking that the store is still open."""
        self.store._live()
        return self._ptr

    def __eq__(self, other):
        return type(other) is type(self) and other._ptr == self._ptr

    def __hash__(self):
        return hash(self._ptr)

    @property
    def type(self):
        return _type_of(lib.wl_extern_type_of(_ffi.Extern(self._KIND, self._p())))


class Func(_Extern):
    """A function: call it with Python numbers (converted by the parameter types). Returns
    None, one value, or a tuple for several results. A host function wraps a Python callable
    that takes and returns values the same way; raise Trap from it to trap."""
    _KIND = _ffi.EXTERN_FUNC

    def __init__(self, store: Store, params, results, fn, cost=0):
        if not callable(fn):
            raise TypeError("a host function needs a callable")
        pk, rk = kinds_of(params), kinds_of(results)
        arr = (ctypes.c_int * max(1, len(pk) + len(rk)))(*(pk + rk))
        sig = _ffi.Signature(ctypes.cast(arr, ctypes.POINTER(ctypes.c_int)), len(pk),
                             ctypes.cast(ctypes.byref(arr, 4 * len(pk)),
                                         ctypes.POINTER(ctypes.c_int)), len(rk))
        thunk = _ffi.HOST_CALLBACK(_host_thunk(store, fn, pk, rk))
        ptr = lib.wl_func_new_host(store._live(), sig, thunk, None, None, cost)
        if not ptr:
            raise WasmlabError("cannot create the host function", "resource")
        store._callbacks.append(thunk)
        self.store, self._ptr = store, ptr

    def __call__(self, *args):
        store, t = self.store, self.type
        if len(args) != len(t.params):
            raise TypeError(f"expected {len(t.params)} arguments, got {len(args)}")
        pk, rk = kinds_of(t.params), kinds_of(t.results)
        a = (_ffi.Val * max(1, len(args)))(*[to_wl(store, k, v) for k, v in zip(pk, args)])
        r = (_ffi.Val * max(1, len(rk)))()
        check(lib.wl_func_call(store._live(), self._ptr, a, len(args), r, len(rk)), store)
        values = [from_wl(store, r[i]) for i in range(len(rk))]
        return None if not values else values[0] if len(values) == 1 else tuple(values)


def _host_result(e):
    """The wl_error a host function returns for the Python exception `e`."""
    from ._errors import Trap
    if isinstance(e, WasiExit):
        return lib.wl_exit_new(e.code)
    if isinstance(e, Trap) and e.kind in _ffi.TRAP_KINDS[1:_ffi.TRAP_HOST]:
        return lib.wl_trap_new(_ffi.TRAP_KINDS.index(e.kind), b"%s", str(e).encode())
    return lib.wl_trap_new(_ffi.TRAP_HOST, b"%s", f"{type(e).__name__}: {e}".encode())


def _host_thunk(store, fn, pk, rk):
    def thunk(_user, _caller, args, results):
        try:
            out = fn(*[from_wl(store, args[i]) for i in range(len(pk))])
            values = () if not rk else (out,) if len(rk) == 1 else tuple(out)
            if len(values) != len(rk):
                raise TypeError(f"host function returned {len(values)} values, expected {len(rk)}")
            for i, (k, v) in enumerate(zip(rk, values)):
                results[i] = to_wl(store, k, v)
            return None
        except BaseException as e:  # noqa: BLE001 - carried through wasm, re-raised at the call
            if not isinstance(e, WasiExit):
                store._host_error = e
            return _host_result(e)
    return thunk


class Memory(_Extern):
    """A linear memory. `data` is a writable memoryview of its current bytes (take it again
    after grow: the bytes never move, but the view has the size it had); `size` is in pages."""
    _KIND = _ffi.EXTERN_MEMORY

    def __init__(self, store: Store, min_pages, max_pages=None):
        out = c_void_p()
        check(lib.wl_memory_new(store._live(), min_pages, max_pages or 0, max_pages is not None,
                                byref(out)))
        self.store, self._ptr = store, out.value

    @property
    def data(self) -> memoryview:
        n = lib.wl_memory_size(self._p())
        if n == 0:
            return memoryview(bytearray())
        raw = (ctypes.c_ubyte * n).from_address(lib.wl_memory_data(self._ptr))
        return memoryview(raw).cast("B")

    @property
    def size(self) -> int:
        return lib.wl_memory_size(self._p()) // 65536

    def grow(self, pages) -> int:
        """Grows by `pages`; returns the old size in pages."""
        old = ctypes.c_uint32()
        check(lib.wl_memory_grow(self._p(), pages, byref(old)))
        return old.value

    def read(self, offset, length) -> bytes:
        return bytes(self.data[offset:offset + length])

    def write(self, offset, data):
        self.data[offset:offset + len(data)] = data


class Global(_Extern):
    _KIND = _ffi.EXTERN_GLOBAL

    def __init__(self, store: Store, content, mutable, value):
        kind = kinds_of([content])[0]
        out = c_void_p()
        check(lib.wl_global_new(store._live(), kind, mutable, to_wl(store, kind, value),
                                byref(out)))
        self.store, self._ptr = store, out.value

    @property
    def value(self):
        return from_wl(self.store, lib.wl_global_get(self._p()))

    @value.setter
    def value(self, v):
        kind = kinds_of([self.type.content])[0]
        check(lib.wl_global_set(self._p(), to_wl(self.store, kind, v)))


class Table(_Extern):
    _KIND = _ffi.EXTERN_TABLE

    def __init__(self, store: Store, element, min_size, max_size=None, init=None):
        kind = kinds_of([element])[0]
        out = c_void_p()
        check(lib.wl_table_new(store._live(), kind, min_size, max_size or 0, max_size is not None,
                               to_wl(store, kind, init), byref(out)))
        self.store, self._ptr = store, out.value

    def _element(self):
        return kinds_of([self.type.element])[0]

    def __len__(self):
        return lib.wl_table_size(self._p())

    def _index(self, i):
        if not isinstance(i, int) or not 0 <= i < len(self):
            raise IndexError(f"table index {i} out of range")
        return i

    def __getitem__(self, i):
        out = _ffi.Val()
        check(lib.wl_table_get(self._p(), self._index(i), byref(out)))
        return from_wl(self.store, out)

    def __setitem__(self, i, value):
        v = to_wl(self.store, self._element(), value)
        check(lib.wl_table_set(self._p(), self._index(i), v))

    def grow(self, delta, init=None) -> int:
        old = ctypes.c_uint32()
        check(lib.wl_table_grow(self._p(), delta, to_wl(self.store, self._element(), init),
                                byref(old)))
        return old.value


_WRAPPERS = {_ffi.EXTERN_FUNC: Func, _ffi.EXTERN_TABLE: Table, _ffi.EXTERN_MEMORY: Memory,
             _ffi.EXTERN_GLOBAL: Global}
_KINDS = {cls: kind for kind, cls in _WRAPPERS.items()}


def _to_extern(obj):
    for cls, kind in _KINDS.items():
        if isinstance(obj, cls):
            obj.store._live()
            return _ffi.Extern(kind, obj._ptr)
    raise TypeError(f"not an extern (Func, Table, Memory or Global): {type(obj).__name__}")


# ---------------------------------------------------------------- instances and linking


class Exports:
    """An instance's exports by name (`exports["add"]`, `exports.add`), in module order."""

    def __init__(self, instance):
        self._instance = instance

    def _names(self):
        module = self._instance.module
        return [module._export_name(i) for i in range(lib.wl_module_export_count(module._ptr))]

    def __getitem__(self, name):
        store = self._instance.store
        store._live()
        names = self._names()
        if name not in names:
            raise KeyError(name)
        x = _ffi.Extern()
        lib.wl_instance_export_at(self._instance._ptr, names.index(name), byref(x))
        return _WRAPPERS[x.kind]._wrap(store, x.ptr)

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self):
        return iter(self._names())

    def __contains__(self, name):
        return name in self._names()

    def __len__(self):
        return len(self._names())

    def items(self):
        return [(n, self[n]) for n in self._names()]


class Instance:
    """Instantiates `module` in `store`; `imports` are externs in the module's import order."""

    def __init__(self, store: Store, module: Module, imports=()):
        externs = [_to_extern(x) for x in imports]
        arr = (_ffi.Extern * max(1, len(externs)))(*externs)
        out = c_void_p()
        check(lib.wl_instance_new(store._live(), module._ptr, arr, len(externs), byref(out)), store)
        self._init(store, module, out.value)

    def _init(self, store, module, ptr):
        self.store, self.module, self._ptr = store, module, ptr
        self.exports = Exports(self)

    def run_wasi(self) -> int:
        """Runs the WASI command's _start; returns its exit status (0 when _start returns)."""
        err = lib.wl_wasi_run_start(self.store._live(), self._ptr)
        if not err:
            return 0
        e = error_from(err, self.store._take_host_error())
        if isinstance(e, WasiExit):
            return e.code
        raise e


class Linker:
    """Resolves imports by (module, name): single externs, Python functions, whole
    instances, and WASI; allow() restricts what may be imported."""

    def __init__(self, store: Store):
        self.store = store
        self._ptr = lib.wl_linker_new(store._live())
        store._linkers.append(self._ptr)

    def define(self, module, name, extern):
        self.store._live()
        check(lib.wl_linker_define(self._ptr, module.encode(), name.encode(), _to_extern(extern)))

    def define_func(self, module, name, params, results, fn):
        self.define(module, name, Func(self.store, params, results, fn))

    def define_instance(self, module, instance):
        self.store._live()
        check(lib.wl_linker_define_instance(self._ptr, module.encode(), instance._ptr))

    def define_wasi(self, args=(), env=None, preopens=None, stdin=0, stdout=1, stderr=2):
        """WASI with the given argv (args[0] is the program name), environment mapping and
        preopened directories ({guest_path: host_path}); stdio are host descriptors."""
        self.store._live()
        argv = [a.encode() for a in args]
        envv = [f"{k}={v}".encode() for k, v in (env or {}).items()]
        pre = [(str(h).encode(), g.encode()) for g, h in (preopens or {}).items()]
        opts = _ffi.WasiOptions(
            (ctypes.c_char_p * max(1, len(argv)))(*argv), len(argv),
            (ctypes.c_char_p * max(1, len(envv)))(*envv), len(envv),
            (_ffi.WasiPreopen * max(1, len(pre)))(*[_ffi.WasiPreopen(h, g) for h, g in pre]),
            len(pre), _fd(stdin), _fd(stdout), _fd(stderr))
        out = c_void_p()
        check(lib.wl_wasi_new(byref(opts), byref(out)))
        self.store._wasis.append(out.value)
        check(lib.wl_linker_define_wasi(self._ptr, out.value))

    def allow(self, module, name="*"):
        """Capabilities: once any rule exists, instances may import only the allowed
        (module, name) pairs ("*" allows every name of the module); others fail to link."""
        self.store._live()
        lib.wl_linker_allow(self._ptr, module.encode(), name.encode())

    def instantiate(self, module: Module) -> Instance:
        out = c_void_p()
        check(lib.wl_linker_instantiate(self._ptr, module._ptr, byref(out)), self.store)
        inst = Instance.__new__(Instance)
        inst._init(self.store, module, out.value)
        return inst


def _fd(f):
    return f if isinstance(f, int) else f.fileno()
