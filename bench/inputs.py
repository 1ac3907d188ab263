"""The deterministic 16 MiB random file every benchmark process reads as stdin.

SHAKE-128 of a fixed label gives the same bytes on every machine and Python version, with no
stored binary in the repository.
"""
import hashlib
from pathlib import Path

INPUT_SIZE = 16 * 1024 * 1024
INPUT_LABEL = b"wasmlab bench stdin v1"
INPUT_PATH = Path(__file__).resolve().parent / "build" / "input-16MiB.bin"


def input_bytes() -> bytes:
    return hashlib.shake_128(INPUT_LABEL).digest(INPUT_SIZE)


def ensure_input(path: Path = INPUT_PATH) -> Path:
    """Writes the input file unless an identical one is already there."""
    data = input_bytes()
    if not path.exists() or path.stat().st_size != INPUT_SIZE or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return path
