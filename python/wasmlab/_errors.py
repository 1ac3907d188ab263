"""Exceptions, and turning a wl_error (which is consumed) into one."""
from . import _ffi
from ._ffi import lib


class WasmlabError(Exception):
    """An engine error: `kind` is "malformed", "invalid", "unlinkable", "argument", ..."""

    def __init__(self, message, kind="argument"):
        super().__init__(message)
        self.kind = kind


class Trap(WasmlabError):
    """Execution trapped; `kind` is the spec's wording ("unreachable", "fuel exhausted", ...)."""

    def __init__(self, message, kind):
        super().__init__(message, kind)


class WasiExit(WasmlabError):
    """The guest called proc_exit; `code` is its exit status."""

    def __init__(self, code):
        super().__init__(f"exit with code {code}", "exit")
        self.code = code


def error_from(err, pending=None):
    """The exception for a non-NULL wl_error pointer, which it frees. A host function's own
    Python exception (`pending`) is preferred to the trap that carried it out of wasm."""
    kind = lib.wl_error_kind_of(err)
    message = lib.wl_error_message(err).decode("utf-8", "replace")
    trap = lib.wl_error_trap_kind(err)
    code = lib.wl_error_exit_code(err)
    lib.wl_error_delete(err)
    if pending is not None and trap == _ffi.TRAP_HOST:
        return pending
    if kind == _ffi.ERR_EXIT:
        return WasiExit(code)
    if trap:
        return Trap(message, _ffi.TRAP_KINDS[trap])
    return WasmlabError(message, _ffi.ERROR_KINDS.get(kind, "unknown"))


def check(err, store=None):
    """Raises the exception for `err` unless it is NULL."""
    if err:
        pending = store._take_host_error() if store is not None else None
        raise error_from(err, pending)
