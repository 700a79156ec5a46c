"""A status table written back as extracted text: the clean inverse of the parser.

The survey writes the next round's table with it, and the generator of test
tables (:mod:`kyodo_analysis.testing.synthetic`) builds its messy renderings on the
same header. Parsing what :func:`write_status_text` writes gives back the
same measures.

Examples
--------
>>> from kyodo_analysis.source.parsing import Measure, parse_status_table
>>> measure = Measure(no=1, block=1, direction="交流会の開催", content="年1回開く", marks=((2021, "○"), (2022, "→")),
...                   departments=("協働推進課",), status="令和3年度に開催した。", rating="◎", line=0)
>>> text = write_status_text([measure], era="令和", first_year=3, n_years=2, title="架空市の計画", header="era")
>>> print(text.replace("\\t", " | "))
架空市の計画
<BLANKLINE>
<BLANKLINE>
No | 施策の方向性 | 内 容 | 実施目標年度 |  | 推進課 | 施策実施状況 | 評価
 |  |  | 令和3 | 4 |  |  | 
1 | 交流会の開催 | 年1回開く | ○ | → | 協働推進課 | 令和3年度に開催した。 | ◎
<BLANKLINE>
>>> [strip_line(m) for m in parse_status_table(text).measures] == [measure]
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kyodo_analysis.era import ERA_INITIALS, era_base_year, era_of_fiscal_year, era_year_to_fiscal_year
from kyodo_analysis.source.parsing import FIRST_YEAR_CELL, Measure, strip_line
from kyodo_analysis.validation import ArgumentError

__all__ = ["write_status_text", "column_header", "header_year_cells", "HEADER_STYLES", "strip_line"]

#: How a header's years can be written: bare era years (19 20 …, read with the era given), ``era`` (平成30
#: 令和元 2 3: the era named where it changes), ``initial`` (H30 R1 R2) or ``western`` (2018 2019 …).
HEADER_STYLES = ("bare", "era", "initial", "western")


def column_header(n_years: int) -> list[str]:
    """The header line of column names, for ``n_years`` year columns."""
    return ["No", "施策の方向性", "内 容", "実施目標年度"] + [""] * (n_years - 1) + ["推進課", "施策実施状況", "評価"]


def header_year_cells(first_fy: int, n_years: int, *, era: str, header: str,
                      digits: Callable[[int], str] = str) -> list[str]:
    """The header's year cells from fiscal year ``first_fy``, written as ``header`` says (:data:`HEADER_STYLES`).

    ``era`` is the era of bare years; ``digits`` writes a number (full-width, say).

    >>> header_year_cells(2018, 3, era="平成", header="era"), header_year_cells(2018, 3, era="平成", header="bare")
    (['平成30', '令和元', '2'], ['30', '31', '32'])
    """
    if header not in HEADER_STYLES:
        raise ArgumentError(f"header は {', '.join(HEADER_STYLES)} のいずれかです（指定された値: {header!r}）")
    cells = []
    for index in range(n_years):
        fiscal_year = first_fy + index
        cell_era, number = era_of_fiscal_year(fiscal_year)
        if header == "western":
            cells.append(digits(fiscal_year))
        elif header == "initial":
            cells.append(ERA_INITIALS[cell_era] + digits(number))
        elif header == "era" and (index == 0 or era_of_fiscal_year(fiscal_year - 1)[0] != cell_era):
            cells.append(cell_era + ("元" if number == 1 else digits(number)))
        else:
            cells.append(digits(fiscal_year - era_base_year(era) if header == "bare" else number))
    return cells


def write_status_text(measures: Sequence[Measure], *, era: str, first_year: int, n_years: int, title: str,
                      header: str = "bare") -> str:
    """The measures as the text of an extracted status table, in the order given, one header per block.

    ``first_year`` is the first header year in ``era``; ``header`` how the
    years are written (:data:`HEADER_STYLES`).
    """
    first_fy = era_year_to_fiscal_year(era, first_year)
    years = header_year_cells(first_fy, n_years, era=era, header=header)
    lines = [title, ""]
    block = None
    for measure in measures:
        if measure.block != block:
            block = measure.block
            lines += ["", "\t".join(column_header(n_years)), "\t".join([""] * FIRST_YEAR_CELL + years + ["", "", ""])]
        year_cells = [""] * n_years
        for fy, symbol in measure.marks:
            year_cells[fy - first_fy] = symbol
        lines.append("\t".join([str(measure.no), measure.direction, measure.content, *year_cells,
                                " ".join(measure.departments), measure.status, measure.rating]))
    lines.append("")
    return "\n".join(lines)
