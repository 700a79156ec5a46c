"""Time the full report against a floor, all measured in this run.

- floor: one papermill run of a notebook that only imports pandas,
  matplotlib and japanize-matplotlib (the least any notebook of the report costs);
- lower bound: as many such import-only notebooks as the report has, run
  like the report runs its notebooks (``--jobs`` at a time): what any report
  of that many notebooks costs before doing any work;
- report: ``build_report`` of the bundled table into a temporary folder
  (data checks, every notebook in parallel, HTML pages, workbook), set-up excluded;
- cells only: the time the report's notebooks spend in their own cells
  (papermill's per-cell durations, summed, divided by ``--jobs``): what the
  report would cost even if kernels started instantly with everything imported.

Prints the median of ``--repeat`` runs of each, interleaved, and their ratios
to the floor. The goals, on the project's 2-core machine: a report at most 3x
the floor (an earlier issue), and at most 1.5x the lower bound (issue 21), judged by the
median of each run's report / lower bound, the two measured back to back.
Run: ``make bench`` or ``python bench/bench_report.py``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import papermill

from kyodo_analysis.run.notebooks import notebook_paths
from kyodo_analysis.run.report import build_report

FLOOR_SOURCE = "import pandas\nimport matplotlib.pyplot\nimport japanize_matplotlib"


def run_floor(notebook: str, output: str) -> None:
    papermill.execute_notebook(notebook, output, kernel_name="python3", progress_bar=False)


def cell_seconds(notebook: Path, folder: Path) -> float:
    """Run one report notebook with plain papermill; return the summed durations of its cells."""
    executed = papermill.execute_notebook(str(notebook), str(folder / f"cells_{notebook.name}"), kernel_name="python3",
                                          parameters={"figures_dir": str(folder / "figures")},
                                          cwd=str(notebook.parent), progress_bar=False)
    return sum(cell.metadata.papermill.duration for cell in executed.cells if cell.cell_type == "code")


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="notebooks at once (default: the cores)")
    args = parser.parse_args()
    n_notebooks = len(notebook_paths())
    times: dict[str, list[float]] = {"floor": [], "lower bound": [], "report": []}
    context = multiprocessing.get_context("forkserver")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        floor = folder / "floor.ipynb"
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, floor)
        outputs = [str(folder / f"floor_{i}.ipynb") for i in range(n_notebooks)]
        for run in range(args.repeat):
            times["floor"].append(timed(lambda: run_floor(str(floor), outputs[0])))

            def lower_bound():
                with ProcessPoolExecutor(args.jobs, mp_context=context) as pool:
                    list(pool.map(run_floor, [str(floor)] * n_notebooks, outputs))

            times["lower bound"].append(timed(lower_bound))
            times["report"].append(timed(lambda: build_report(folder / f"report_{run}", jobs=args.jobs,
                                                              log=lambda *_: None)))
        cells = sum(cell_seconds(path, folder) for path in notebook_paths()) / args.jobs
    floor_median = statistics.median(times["floor"])
    descriptions = {
        "floor": "papermill, one import-only notebook",
        "lower bound": f"{n_notebooks} import-only notebooks, {args.jobs} at a time",
        "report": f"build_report, {n_notebooks} notebooks, {args.jobs} at a time",
    }
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"{name:<12} {median:6.2f} s  ({median / floor_median:4.2f}x floor)  {descriptions[name]}  "
              f"runs {[round(t, 2) for t in runs]}")
    print(f"{'cells only':<12} {cells:6.2f} s  ({cells / floor_median:4.2f}x floor)  "
          f"the notebooks' cells alone, summed over {n_notebooks} notebooks, / {args.jobs} cores")
    ratio = statistics.median(times["report"]) / floor_median
    print(f"goal report <= 3x floor: {'met' if ratio <= 3 else 'MISSED'} ({ratio:.2f}x)")
    bound = statistics.median(report / lower for report, lower in zip(times["report"], times["lower bound"]))
    print(f"goal report <= 1.5x lower bound: {'met' if bound <= 1.5 else 'MISSED'} ({bound:.2f}x, median of runs "
          f"{[round(report / lower, 2) for report, lower in zip(times['report'], times['lower bound'])]})")


if __name__ == "__main__":
    main()
