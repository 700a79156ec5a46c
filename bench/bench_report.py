"""Time the full report against a floor, both measured in this run.

- floor: one papermill run of a notebook that only imports pandas,
  matplotlib and japanize-matplotlib (the least any notebook of the report costs);
- report: ``build_report`` of the bundled table into a temporary folder
  (data checks, every notebook in parallel, HTML pages, workbook), set-up excluded.

Prints the median of ``--repeat`` runs of each, interleaved, and the ratio.
The issue's goal is a ratio of at most 3 on the project's 2-core machine.
Run: ``make bench`` or ``python bench/bench_report.py``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from kyodo_analysis.report import build_report

FLOOR_SOURCE = "import pandas\nimport matplotlib.pyplot\nimport japanize_matplotlib"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="passed to build_report (default: the cores)")
    args = parser.parse_args()
    floor_times, report_times = [], []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        floor = folder / "floor.ipynb"
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, floor)
        for run in range(args.repeat):
            start = time.perf_counter()
            papermill.execute_notebook(str(floor), str(folder / "floor_out.ipynb"), kernel_name="python3",
                                       progress_bar=False)
            floor_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            build_report(folder / f"report_{run}", jobs=args.jobs, log=lambda *_: None)
            report_times.append(time.perf_counter() - start)
    floor_median, report_median = statistics.median(floor_times), statistics.median(report_times)
    print(f"floor  (papermill, imports only): median {floor_median:.2f} s  runs {[round(t, 2) for t in floor_times]}")
    print(f"report (build_report, 5 notebooks): median {report_median:.2f} s  runs {[round(t, 2) for t in report_times]}")
    ratio = report_median / floor_median
    print(f"ratio report / floor: {ratio:.2f}  (goal <= 3: {'met' if ratio <= 3 else 'MISSED'})")


if __name__ == "__main__":
    main()
