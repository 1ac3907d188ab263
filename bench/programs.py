"""The benchmark programs: one row per program, with its paper-mode and quick arguments.

Quick arguments take roughly 0.1 to 0.5 s natively; paper arguments are those of the SSVM
benchmark suite (arXiv 2010.07115). Programs that read stdin get the runner's random file.
"""
from dataclasses import dataclass
from pathlib import Path

PROGRAMS_DIR = Path(__file__).resolve().parent / "programs"


@dataclass(frozen=True)
class Program:
    name: str
    source: str                 # file name under bench/programs/
    paper_args: tuple[str, ...]
    quick_args: tuple[str, ...]
    reads_stdin: bool = False   # gets the random input file on stdin (else /dev/null)
    simd: bool = False          # built with -msimd128: only for runtimes that have SIMD
    bulk_memory: bool = False   # lets clang emit memory.copy/fill for memcpy/memset
    in_paper: bool = True       # one of the eight programs of arXiv 2010.07115
    # An input doing next to no work: the run is then load, translate and instantiate,
    # the "setup" phase of the trade-off chart (papers/2305.13241). None: not measured.
    setup_args: tuple[str, ...] | None = None

    @property
    def source_path(self) -> Path:
        return PROGRAMS_DIR / self.source

    @property
    def is_cpp(self) -> bool:
        return self.source.endswith(".cpp")

    def args(self, quick: bool) -> tuple[str, ...]:
        return self.quick_args if quick else self.paper_args


PROGRAMS = (
    Program("nop", "nop.c", ("0",), ("0",)),
    Program("cat-sync", "cat_sync.c", (), (), reads_stdin=True),
    Program("nbody", "nbody.c", ("50000000",), ("2000000",), setup_args=("0",)),
    Program("nbody-cpp", "nbody_cpp.cpp", ("50000000",), ("2000000",), setup_args=("0",)),
    Program("fannkuch-redux", "fannkuch_redux.c", ("12",), ("10",), setup_args=("3",)),
    Program("mandelbrot", "mandelbrot.c", ("15000",), ("1500",), setup_args=("8",)),
    Program("binary-trees", "binary_trees.c", ("21",), ("15",), setup_args=("0",)),
    Program("fasta", "fasta.c", ("25000000",), ("1000000",), bulk_memory=True,
            setup_args=("0",)),
    Program("mandelbrot-simd", "mandelbrot_simd.c", ("15000",), ("1500",), simd=True,
            in_paper=False, setup_args=("8",)),
    # Our SIMD programs (generic vector extensions), each also built without -msimd128 as
    # its "-scalar" twin: the same source, vectors split into lanes by clang.
    Program("matmul-simd", "matmul_simd.c", ("1024",), ("320",), simd=True, in_paper=False,
            setup_args=("8",)),
    Program("matmul-scalar", "matmul_simd.c", ("1024",), ("320",), in_paper=False,
            setup_args=("8",)),
    Program("blur-simd", "blur_simd.c", ("200",), ("16",), simd=True, in_paper=False,
            setup_args=("0",)),
    Program("blur-scalar", "blur_simd.c", ("200",), ("16",), in_paper=False, setup_args=("0",)),
    Program("mandelbrot-simd-scalar", "mandelbrot_simd.c", ("15000",), ("1500",),
            in_paper=False, setup_args=("8",)),
)


def by_name(names: list[str] | None) -> list[Program]:
    """The programs named (all when names is empty or None), in table order."""
    if not names:
        return list(PROGRAMS)
    known = {p.name: p for p in PROGRAMS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown program(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [p for p in PROGRAMS if p.name in names]
