"""gnuplot charts of a results directory, each as PNG and SVG:
  relative.{png,svg}  median time relative to native, per program and runtime (log scale)
  startup.{png,svg}   median wall time of nop and cat-sync per runtime (log scale)
  rss.{png,svg}       peak resident set size of the timed runs, per program and runtime
  compile.{png,svg}   median ahead-of-time compile time, per program and AOT runtime
  artifact.{png,svg}  size of each AOT runtime's compiled artifact beside the .wasm's
The .dat and .gp files stay beside the images so a chart can be redrawn or restyled by hand.

Usage: bench/charts.py RESULTS_DIR
"""
import math
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results  # noqa: E402

STARTUP_PROGRAMS = ("nop", "cat-sync")
TERMINALS = {
    "png": "pngcairo size 1200,650 noenhanced font ',10'",
    "svg": "svg size 1200,650 noenhanced font 'sans,10' background rgb 'white'",
}


def table(rows: list[dict], programs: list[str], runtimes: list[str], value,
          phase: str = "run") -> list[list]:
    """programs x runtimes matrix of value(row), None where nothing was measured."""
    found = {(r["program"], r["runtime"]): value(r) for r in rows if r["phase"] == phase}
    return [[found.get((p, rt)) for rt in runtimes] for p in programs]


def write_dat(path: Path, programs: list[str], runtimes: list[str], matrix: list[list]) -> None:
    lines = ["program " + " ".join(f'"{rt}"' for rt in runtimes)]
    for program, values in zip(programs, matrix):
        cells = ["-" if v is None else f"{v:.6g}" for v in values]
        lines.append(f'"{program}" ' + " ".join(cells))
    path.write_text("\n".join(lines) + "\n")


def log_range(matrix: list[list]) -> tuple[float, float]:
    """A y range in whole decades around every value (gnuplot's autoscale clips bars at 1)."""
    values = [v for row in matrix for v in row if v]
    low, high = (min(values), max(values)) if values else (1.0, 10.0)
    return 10 ** math.floor(math.log10(low * 0.8)), 10 ** math.ceil(math.log10(high * 1.25))


def gnuplot_script(dat: Path, image: Path, terminal: str, title: str, ylabel: str,
                   columns: int, yrange: tuple[float, float], reference_line: bool) -> str:
    reference = ("set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb 'black'\n"
                 if reference_line else "")
    return f"""set terminal {terminal}
set output '{image.name}'
set title '{title}'
set ylabel '{ylabel}'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing '-'
set logscale y
set yrange [{yrange[0]:g}:{yrange[1]:g}]
set grid ytics mytics
set key outside right top
set xtics nomirror rotate by -25
{reference}plot for [i=2:{columns + 1}] '{dat.name}' using i:xtic(1) title columnheader(i)
"""


def draw(out_dir: Path, stem: str, programs: list[str], runtimes: list[str], matrix: list[list],
         title: str, ylabel: str, reference_line: bool) -> list[Path]:
    """Writes stem.dat, stem.gp and runs gnuplot for PNG and SVG; returns the images made."""
    if not runtimes or not any(v for row in matrix for v in row):
        return []
    dat = out_dir / f"{stem}.dat"
    write_dat(dat, programs, runtimes, matrix)
    images, scripts = [], []
    for extension, terminal in TERMINALS.items():
        image = out_dir / f"{stem}.{extension}"
        scripts.append(gnuplot_script(dat, image, terminal, title, ylabel, len(runtimes),
                                      log_range(matrix), reference_line))
        images.append(image)
    script = out_dir / f"{stem}.gp"
    script.write_text("\nreset\n".join(scripts))
    subprocess.run(["gnuplot", script.name], cwd=out_dir, check=True, capture_output=True)
    return images


def measured_runtimes(rows: list[dict], programs: list[str], include_native: bool,
                      phase: str = "run") -> list[str]:
    names = []
    for r in rows:
        wanted = r["phase"] == phase and r["median_s"] is not None and r["program"] in programs
        if wanted and (include_native or r["runtime"] != "native") and r["runtime"] not in names:
            names.append(r["runtime"])
    return names


def draw_all(out_dir: Path) -> list[Path]:
    """Both charts for the results in out_dir; [] when gnuplot is missing."""
    if not shutil.which("gnuplot"):
        print("charts: gnuplot not found; skipped", file=sys.stderr)
        return []
    document = results.load(out_dir)
    rows, mode = document["results"], document["meta"]["mode"]
    programs = list(dict.fromkeys(r["program"] for r in rows))
    relative = measured_runtimes(rows, programs, include_native=False)
    images = draw(out_dir, "relative", programs, relative,
                  table(rows, programs, relative, lambda r: r["ratio_to_native"]),
                  f"Time relative to native ({mode} inputs, median of runs)",
                  "time / native time (log scale)", reference_line=True)
    startup_programs = [p for p in STARTUP_PROGRAMS if p in programs]
    startup = measured_runtimes(rows, startup_programs, include_native=True)
    images += draw(out_dir, "startup", startup_programs, startup,
                   table(rows, startup_programs, startup,
                         lambda r: r["median_s"] * 1000 if r["median_s"] is not None else None),
                   "Startup: whole-process wall time of nop and cat-sync (16 MiB stdin)",
                   "milliseconds (median, log scale)", reference_line=False)
    return images + resource_charts(out_dir, rows, programs, mode)


def resource_charts(out_dir: Path, rows: list[dict], programs: list[str], mode: str) -> list[Path]:
    """Peak RSS of the runs, AOT compile time and artifact size (with the module's size)."""
    measured = measured_runtimes(rows, programs, include_native=True)
    images = draw(out_dir, "rss", programs, measured,
                  table(rows, programs, measured,
                        lambda r: r["peak_rss_kib"] / 1024 if r["peak_rss_kib"] else None),
                  f"Peak resident set size of the timed runs ({mode} inputs)",
                  "MiB (max over runs, log scale)", reference_line=False)
    compiled = measured_runtimes(rows, programs, include_native=False, phase="compile")
    images += draw(out_dir, "compile", programs, compiled,
                   table(rows, programs, compiled, lambda r: r["median_s"], phase="compile"),
                   "Ahead-of-time compile time (whole process, median)",
                   "seconds (log scale)", reference_line=False)
    sizes = table(rows, programs, compiled,
                  lambda r: r["artifact_bytes"] / 1024 if r.get("artifact_bytes") else None,
                  phase="compile")
    module_kib = {r["program"]: r["module_bytes"] / 1024 for r in rows if r.get("module_bytes")}
    with_module = [[module_kib.get(p), *row] for p, row in zip(programs, sizes)]
    images += draw(out_dir, "artifact", programs, ["wasm module", *compiled], with_module,
                   "Artifact size: the .wasm module and the compiled output of each AOT runtime",
                   "KiB (log scale)", reference_line=False) if compiled else []
    return images


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for image in draw_all(Path(sys.argv[1])):
        print(image)
