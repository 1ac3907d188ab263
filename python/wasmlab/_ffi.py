"""The ctypes binding of libwasmlab.so's public C API (engine/include/wasmlab.h).

The library is found at $WASMLAB_LIB, else as libwasmlab.so in $WASMLAB_BUILD, else in the
repository's build/ folder beside this package. Nothing is compiled for the user."""
import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, Union, c_bool, c_char_p, c_double, c_float,
                    c_int, c_int32, c_int64, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p)
from pathlib import Path

I32, I64, F32, F64, V128, FUNCREF, EXTERNREF = 0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F
KIND_NAMES = {I32: "i32", I64: "i64", F32: "f32", F64: "f64", V128: "v128",
              FUNCREF: "funcref", EXTERNREF: "externref"}
KIND_BY_NAME = {v: k for k, v in KIND_NAMES.items()}
EXTERN_FUNC, EXTERN_TABLE, EXTERN_MEMORY, EXTERN_GLOBAL = 0, 1, 2, 3
ERR_TRAP, ERR_EXIT = 5, 6
ERROR_KINDS = {1: "malformed", 2: "invalid", 3: "unlinkable", 4: "uninstantiable", 5: "trap",
               6: "exit", 7: "argument", 8: "io", 9: "unsupported", 10: "resource"}
TRAP_KINDS = ["none", "unreachable", "integer overflow", "integer divide by zero",
              "invalid conversion to integer", "out of bounds memory access",
              "out of bounds table access", "undefined element", "uninitialized element",
              "indirect call type mismatch", "null reference", "call stack exhausted",
              "fuel exhausted", "host"]
TRAP_HOST = 13
BACKENDS = {"interp": 0, "jit": 1, "aot": 2}


def _library_path() -> str:
    if os.environ.get("WASMLAB_LIB"):
        return os.environ["WASMLAB_LIB"]
    repo = Path(__file__).resolve().parent.parent.parent
    build = Path(os.environ.get("WASMLAB_BUILD", repo / "build"))
    return str(build / "libwasmlab.so")


lib = ctypes.CDLL(_library_path())


class Val(Structure):
    class _Of(Union):
        _fields_ = [("i32", c_int32), ("i64", c_int64), ("f32", c_float), ("f64", c_double),
                    ("ref", c_uint64), ("v128", c_uint8 * 16)]
    _fields_ = [("kind", c_uint8), ("of", _Of)]


class Extern(Structure):
    _fields_ = [("kind", c_int), ("ptr", c_void_p)]


class Signature(Structure):
    _fields_ = [("params", POINTER(c_int)), ("nparams", c_size_t),
                ("results", POINTER(c_int)), ("nresults", c_size_t)]


class ImportInfo(Structure):
    _fields_ = [("module", c_void_p), ("name", c_void_p), ("kind", c_int),
                ("module_len", c_size_t), ("name_len", c_size_t)]


class ExportInfo(Structure):
    _fields_ = [("name", c_void_p), ("kind", c_int), ("name_len", c_size_t)]


class ExternType(Structure):
    _fields_ = [("kind", c_int), ("nparams", c_uint32), ("nresults", c_uint32),
                ("params", POINTER(c_uint8)), ("results", POINTER(c_uint8)),
                ("content", c_int), ("mutable", c_bool), ("min", c_uint32), ("max", c_uint32),
                ("has_max", c_bool)]


class WasiPreopen(Structure):
    _fields_ = [("host_path", c_char_p), ("guest_path", c_char_p)]


class WasiOptions(Structure):
    _fields_ = [("args", POINTER(c_char_p)), ("nargs", c_size_t),
                ("env", POINTER(c_char_p)), ("nenv", c_size_t),
                ("preopens", POINTER(WasiPreopen)), ("npreopens", c_size_t),
                ("stdin_fd", c_int), ("stdout_fd", c_int), ("stderr_fd", c_int)]


HOST_CALLBACK = CFUNCTYPE(c_void_p, c_void_p, c_void_p, POINTER(Val), POINTER(Val))

_P = c_void_p
_SIGS = {
    "wl_error_kind_of": (c_int, [_P]),
    "wl_error_message": (c_char_p, [_P]),
    "wl_error_trap_kind": (c_int, [_P]),
    "wl_error_exit_code": (c_int, [_P]),
    "wl_error_delete": (None, [_P]),
    "wl_trap_new": (_P, [c_int, c_char_p]),
    "wl_exit_new": (_P, [c_int]),
    "wl_config_new": (_P, []),
    "wl_config_delete": (None, [_P]),
    "wl_config_enable": (_P, [_P, c_char_p, c_bool]),
    "wl_config_set_mvp": (None, [_P]),
    "wl_config_set_backend": (_P, [_P, c_int]),
    "wl_backend_available": (c_bool, [c_int]),
    "wl_config_set_max_call_depth": (None, [_P, c_uint32]),
    "wl_config_set_fuel": (None, [_P, c_uint64]),
    "wl_engine_new": (_P, [_P, POINTER(_P)]),
    "wl_engine_delete": (None, [_P]),
    "wl_store_new": (_P, [_P]),
    "wl_store_delete": (None, [_P]),
    "wl_store_fuel_used": (c_uint64, [_P]),
    "wl_module_new": (_P, [_P, c_char_p, c_size_t, POINTER(_P)]),
    "wl_module_validate": (_P, [_P, c_char_p, c_size_t]),
    "wl_module_delete": (None, [_P]),
    "wl_module_import_count": (c_size_t, [_P]),
    "wl_module_import": (ImportInfo, [_P, c_size_t]),
    "wl_module_export_count": (c_size_t, [_P]),
    "wl_module_export": (ExportInfo, [_P, c_size_t]),
    "wl_module_import_type": (ExternType, [_P, c_size_t]),
    "wl_module_export_type": (ExternType, [_P, c_size_t]),
    "wl_extern_type_of": (ExternType, [Extern]),
    "wl_func_new_host": (_P, [_P, Signature, HOST_CALLBACK, _P, _P, c_uint64]),
    "wl_func_call": (_P, [_P, _P, POINTER(Val), c_size_t, POINTER(Val), c_size_t]),
    "wl_table_new": (_P, [_P, c_int, c_uint32, c_uint32, c_bool, Val, POINTER(_P)]),
    "wl_table_size": (c_uint32, [_P]),
    "wl_table_get": (_P, [_P, c_uint32, POINTER(Val)]),
    "wl_table_set": (_P, [_P, c_uint32, Val]),
    "wl_table_grow": (_P, [_P, c_uint32, Val, POINTER(c_uint32)]),
    "wl_memory_new": (_P, [_P, c_uint32, c_uint32, c_bool, POINTER(_P)]),
    "wl_memory_data": (_P, [_P]),
    "wl_memory_size": (c_uint64, [_P]),
    "wl_memory_grow": (_P, [_P, c_uint32, POINTER(c_uint32)]),
    "wl_global_new": (_P, [_P, c_int, c_bool, Val, POINTER(_P)]),
    "wl_global_get": (Val, [_P]),
    "wl_global_set": (_P, [_P, Val]),
    "wl_instance_new": (_P, [_P, _P, POINTER(Extern), c_size_t, POINTER(_P)]),
    "wl_instance_export": (c_bool, [_P, c_char_p, POINTER(Extern)]),
    "wl_instance_export_count": (c_size_t, [_P]),
    "wl_instance_export_name": (c_char_p, [_P, c_size_t]),
    "wl_instance_export_at": (c_bool, [_P, c_size_t, POINTER(Extern)]),
    "wl_linker_new": (_P, [_P]),
    "wl_linker_delete": (None, [_P]),
    "wl_linker_define": (_P, [_P, c_char_p, c_char_p, Extern]),
    "wl_linker_define_instance": (_P, [_P, c_char_p, _P]),
    "wl_linker_instantiate": (_P, [_P, _P, POINTER(_P)]),
    "wl_linker_allow": (None, [_P, c_char_p, c_char_p]),
    "wl_wasi_new": (_P, [POINTER(WasiOptions), POINTER(_P)]),
    "wl_wasi_delete": (None, [_P]),
    "wl_linker_define_wasi": (_P, [_P, _P]),
    "wl_wasi_run_start": (_P, [_P, _P]),
    "wl_val_null": (Val, [c_int]),
    "wl_val_funcref": (Val, [_P]),
    "wl_val_externref": (Val, [_P]),
    "wl_val_is_null": (c_bool, [POINTER(Val)]),
    "wl_val_externref_ptr": (_P, [POINTER(Val)]),
    "wl_val_func": (_P, [POINTER(Val)]),
}
for _name, (_res, _args) in _SIGS.items():
    _f = getattr(lib, _name)
    _f.restype, _f.argtypes = _res, _args
# Variadic: declared with the fixed arguments only; the message goes through "%s".
lib.wl_error_new.restype = _P
lib.wl_error_new.argtypes = [c_int, c_char_p]
