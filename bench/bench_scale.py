"""How the full report grows with the plan: 19, 100, 500 and 1,000 generated measures.

Each size is a generated plan in the shape of a real one: an era-spanning
header (平成30 令和元 2 3 4), the PDF extraction's defects, and a structure file
of 8 基本目標 with 2 基本方針 each. For each size the script runs
``kyodo-report --raw … --structure … --jobs 2`` into a temporary folder
``--repeat`` times (sizes interleaved, so that the machine's drift hits every
size alike), and prints:

- the median wall time and its ratio to the 19-measure run of the same session;
- the peak memory of the whole process tree (the command, its workers and
  their kernels), summed, sampled every 20 ms from ``/proc``;
- the largest saved PNG side, in pixels.

Targets: 500 measures at most 2.5x the 19-measure time (issue 13), 1,000 at most
3x (issue 21; issue 13 asked 4x), and at most 1.5 GB of memory at 1,000 measures.
Run: ``make bench`` or ``python bench/bench_scale.py [--sizes 19 500] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kyodo_analysis.testing.synthetic import Messiness, generate_measures, render_status_table, render_structure


def write_plan(folder: Path, n_measures: int) -> tuple[Path, Path]:
    """A generated plan of ``n_measures`` (平成30-令和4, era-named header) and its structure file."""
    measures = generate_measures(n_measures, n_blocks=max(1, n_measures // 40), era="平成", first_year=30,
                                 n_years=5, seed=n_measures)
    raw, structure = folder / f"plan_{n_measures}.txt", folder / f"structure_{n_measures}.csv"
    raw.write_text(render_status_table(measures, era="平成", first_year=30, n_years=5, messy=Messiness(),
                                       header="era", seed=n_measures), encoding="utf-8")
    structure.write_text(render_structure(measures, n_goals=min(8, n_measures)), encoding="utf-8")
    return raw, structure


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its IHDR chunk."""
    with path.open("rb") as file:
        return struct.unpack(">II", file.read(24)[16:24])


def _tree_rss_bytes(root: int) -> int:
    """The summed resident memory of ``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii") as file:
                    ppid = int(file.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as file:
                total += int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
    return total


def run_report(raw: Path, structure: Path, out: Path) -> tuple[float, int]:
    """Wall seconds and peak tree memory of one ``kyodo-report`` run."""
    command = [sys.executable, "-m", "kyodo_analysis.cli.report", "--raw", str(raw), "--structure", str(structure),
               "--out", str(out), "--jobs", "2"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, _tree_rss_bytes(process.pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"kyodo-report failed on {raw.name}:\n{err}")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[19, 100, 500, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = sorted(set(args.sizes) | {19})
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        plans = {size: write_plan(folder, size) for size in sizes}
        seconds: dict[int, list[float]] = {size: [] for size in sizes}
        peaks: dict[int, int] = dict.fromkeys(sizes, 0)
        largest: dict[int, int] = dict.fromkeys(sizes, 0)
        for run in range(args.repeat):
            for size in sizes:
                out = folder / f"out_{size}_{run}"
                wall, peak = run_report(*plans[size], out)
                seconds[size].append(wall)
                peaks[size] = max(peaks[size], peak)
                largest[size] = max(max(png_size(png)) for png in (out / "figures").glob("*.png"))
                print(f"  run {run + 1}: {size:>5} measures {wall:6.1f} s {peak / 1e6:7.0f} MB", flush=True)
    base = statistics.median(seconds[19])
    print(f"\n{'measures':>9} {'median s':>9} {'ratio':>6} {'peak MB':>8} {'largest PNG px':>15}")
    for size in sizes:
        median = statistics.median(seconds[size])
        print(f"{size:>9} {median:>9.1f} {median / base:>6.2f} {peaks[size] / 1e6:>8.0f} {largest[size]:>15}")
    targets = {500: 2.5, 1000: 3.0}
    for size, limit in targets.items():
        if size in seconds:
            ratio = statistics.median(seconds[size]) / base
            print(f"target {size} measures <= {limit}x the 19-measure report: {'met' if ratio <= limit else 'MISSED'}"
                  f" ({ratio:.2f}x)")
    if 1000 in peaks:
        print(f"target peak memory at 1,000 measures <= 1.5 GB: {'met' if peaks[1000] <= 1.5e9 else 'MISSED'}"
              f" ({peaks[1000] / 1e9:.2f} GB)")


if __name__ == "__main__":
    main()
