"""Reading a city's published PDF: the 3-page Kitamoto table (two producers) and a generated 30-page one.

Prints the median of several runs of ``read_status_table(pdf)`` in a fresh process each time (the import of
pdfplumber included, as a user's first read pays it), and, as the baseline measured in the same run, the
same read of the table's text and of the workbook. The goals (issue 22): the Kitamoto PDF at most 1 s, a
30-page PDF at most 10 s. Run: ``python bench/bench_pdf.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kyodo_analysis.config import KITAMOTO_STATUS_TABLE, PROJECT_ROOT
from kyodo_analysis.source.parsing import parse_status_table
from kyodo_analysis.testing.status_pdf import pdf_rows, status_table_pdf
from kyodo_analysis.testing.synthetic import generate_measures, render_status_table

CITY = PROJECT_ROOT / "tests" / "fixtures" / "city"


def _fresh_read_seconds(path: Path, repeat: int) -> tuple[float, float]:
    """Medians over fresh interpreters: importing the reader and reading ``path`` once, and the read alone."""
    code = ("import sys, time; start = time.perf_counter(); "
            "from kyodo_analysis.source.parsing import read_status_table; import pdfplumber, openpyxl; "
            "read = time.perf_counter(); read_status_table(sys.argv[1]); end = time.perf_counter(); "
            "print(end - start, end - read)")
    runs = [tuple(map(float, subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                                            check=True).stdout.split())) for _ in range(repeat)]
    middle = len(runs) // 2
    return sorted(run[0] for run in runs)[middle], sorted(run[1] for run in runs)[middle]


def _generated_pdf(folder: Path, n_measures: int) -> tuple[Path, int]:
    from pypdf import PdfReader

    measures = generate_measures(n_measures, n_blocks=1, era="令和", first_year=3, n_years=5, seed=22)
    text = parse_status_table(render_status_table(measures, era="令和", first_year=3, n_years=5), era="令和")
    path = folder / f"generated_{n_measures}.pdf"
    path.write_bytes(status_table_pdf("合成市協働推進計画 令和3年度〜令和7年度 実施状況", [3, 4, 5, 6, 7],
                                      pdf_rows(text.measures, range(2021, 2026))))
    return path, len(PdfReader(path).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        big, pages = _generated_pdf(Path(folder), 400)
        cases = [("Kitamoto text (baseline)", KITAMOTO_STATUS_TABLE, None),
                 ("Kitamoto xlsx", CITY / "kitamoto.xlsx", None),
                 ("Kitamoto PDF, Typst (3 pages)", CITY / "kitamoto_typst.pdf", 1.0),
                 ("Kitamoto PDF, LibreOffice (3 pages)", CITY / "kitamoto_libreoffice.pdf", 1.0),
                 (f"generated PDF, Typst ({pages} pages)", big, 10.0)]
        baseline = None
        print(f"medians of {args.repeat} fresh processes; 'with imports' counts importing the package, pdfplumber "
              "and openpyxl")
        print(f"{'file':40} {'with imports s':>15} {'read s':>8} {'read × text':>12} {'goal s':>7}")
        for name, path, goal in cases:
            started = time.perf_counter()
            whole, read = _fresh_read_seconds(path, args.repeat)
            baseline = baseline or read
            shown = f"{goal:7.1f}" if goal else "      —"
            print(f"{name:40} {whole:15.2f} {read:8.2f} {read / baseline:12.1f} {shown}"
                  f"   ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
