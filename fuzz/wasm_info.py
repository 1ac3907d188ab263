"""Just enough of the binary format to know a module's exported functions and their types
(type, import, function and export sections); everything else is skipped by size."""
from dataclasses import dataclass

VALTYPES = {0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128",
            0x70: "funcref", 0x6f: "externref"}


@dataclass
class Export:
    name: str
    params: list
    results: list


class _Reader:
    def __init__(self, data: bytes, pos: int = 0, end: int = None):
        self.data, self.pos, self.end = data, pos, len(data) if end is None else end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise ValueError("unexpected end")
        self.pos += 1
        return self.data[self.pos - 1]

    def u32(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7f) << shift
            shift += 7
            if b < 0x80:
                return result

    def name(self) -> str:
        n = self.u32()
        self.pos += n
        return self.data[self.pos - n:self.pos].decode("utf-8", "replace")

    def valtypes(self) -> list:
        return [VALTYPES.get(self.byte(), "?") for _ in range(self.u32())]


def _skip_import_desc(r: _Reader, kind: int) -> None:
    if kind == 1:          # table: reftype + limits
        r.byte()
    if kind in (1, 2):     # limits
        flags = r.byte()
        r.u32()
        if flags & 1:
            r.u32()
    if kind == 3:          # global: valtype + mutability
        r.byte()
        r.byte()


def exported_functions(data: bytes) -> list:
    """The module's function exports in export order, each with its parameter/result types."""
    if data[:8] != b"\0asm\1\0\0\0":
        raise ValueError("not a wasm 1 binary")
    r = _Reader(data, 8)
    types, funcs, exports = [], [], []
    while r.pos < len(data):
        section, size = r.byte(), r.u32()
        body = _Reader(data, r.pos, r.pos + size)
        if section == 1:
            for _ in range(body.u32()):
                body.byte()  # 0x60
                types.append((body.valtypes(), body.valtypes()))
        elif section == 2:
            for _ in range(body.u32()):
                body.name(), body.name()
                kind = body.byte()
                if kind == 0:
                    funcs.append(body.u32())
                else:
                    _skip_import_desc(body, kind)
        elif section == 3:
            funcs += [body.u32() for _ in range(body.u32())]
        elif section == 7:
            for _ in range(body.u32()):
                name, kind, index = body.name(), body.byte(), body.u32()
                if kind == 0:
                    params, results = types[funcs[index]]
                    exports.append(Export(name, params, results))
        r.pos += size
    return exports
