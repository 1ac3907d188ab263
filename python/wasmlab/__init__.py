"""wasmlab from Python: a ctypes binding of libwasmlab (no compile step).

    import wasmlab
    inst = wasmlab.instantiate(open("add.wasm", "rb").read())
    print(inst.exports.add(2, 3))

Engine/Config choose the backend, proposals and fuel; Module, Store, Instance, Linker (with
WASI), Func (also from Python callables), Memory, Global and Table follow the C API; traps
raise Trap with the spec's wording in `kind`."""
from ._errors import Trap, WasiExit, WasmlabError
from ._objects import (Config, Engine, ExportType, Func, FuncType, Global, GlobalType,
                       ImportType, Instance, Linker, Memory, MemoryType, Module, Store, Table,
                       TableType, backends, wat2wasm)

__all__ = ["Config", "Engine", "ExportType", "Func", "FuncType", "Global", "GlobalType",
           "ImportType", "Instance", "Linker", "Memory", "MemoryType", "Module", "Store",
           "Table", "TableType", "Trap", "WasiExit", "WasmlabError", "backends", "instantiate",
           "wat2wasm"]


def instantiate(source, backend="interp", imports=(), **config):
    """One step from bytes (or a path) to an instance in a fresh store."""
    engine = Engine(Config(backend=backend, **config))
    if isinstance(source, str):
        module = Module.from_file(engine, source)
    else:
        module = Module(engine, source)
    return Instance(Store(engine), module, imports)
