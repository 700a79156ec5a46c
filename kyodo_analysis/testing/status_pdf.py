"""A status table published as a PDF, the way a city's might be: for the tests, fixtures and bench/ only.

:func:`status_table_pdf` typesets ``status_table.typ`` with Typst: a ruled table on A4 landscape pages, the
two-row header (実施目標年度 over the years) repeated on every page, texts wrapped in their cells, departments
on lines, and rows that break across pages.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources

from kyodo_analysis.config import font_folder
from kyodo_analysis.source.parsing import Measure

__all__ = ["pdf_rows", "status_table_pdf"]


def pdf_rows(measures: Sequence[Measure], fiscal_years: Sequence[int]) -> list[dict]:
    """The rows of :func:`status_table_pdf` for ``measures``, their marks in the columns of ``fiscal_years``."""
    return [{"no": measure.no, "direction": measure.direction, "content": measure.content,
             "marks": [dict(measure.marks).get(year, "") for year in fiscal_years],
             "departments": list(measure.departments), "status": measure.status, "rating": measure.rating}
            for measure in measures]


def status_table_pdf(title: str, header_years: Sequence[object], rows: Sequence[dict]) -> bytes:
    """The PDF of a status table: ``title`` above it, the year header cells as written (19, 平成19, …), and
    ``rows`` (:func:`pdf_rows`, or made by hand: ``no``, ``direction``, ``content``, ``marks``, ``departments``,
    ``status``, ``rating``). The same input gives the same bytes."""
    import typst

    data = {"title": title, "years": list(header_years), "rows": list(rows)}
    return typst.compile((resources.files(__package__) / "status_table.typ").read_bytes(),
                         font_paths=[str(font_folder())], ignore_system_fonts=True, format="pdf", timestamp=0,
                         sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
