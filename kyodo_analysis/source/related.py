"""関係課の記述: a co-department's own wording of a measure's status, kept beside the next round's table.

When a survey is collected (``kyodo-survey --collect``), a co-department that
gives the lead's rating in words of its own is no conflict: its text is kept.
The collection writes those texts beside the round's table, as
``<table>_関係課の記述.csv`` (columns No, 推進課, 関係課の記述; UTF-8 with a BOM, a
formula's start guarded as in every CSV of the package). The review of that
table reads the file from beside it, and its workbook shows the texts on a
sheet of their own.

Examples
--------
>>> related_path(Path("surveys/round2.txt")).name
'round2_関係課の記述.csv'
>>> related_csv([(7, "産業振興課", "=企業訪問を継続")]).decode("utf-8-sig").splitlines()
['No,推進課,関係課の記述', "7,産業振興課,'=企業訪問を継続"]
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kyodo_analysis.source.loaders import spreadsheet_safe, spreadsheet_text
from kyodo_analysis.source.parsing import StatusTableError
from kyodo_analysis.source.structure import read_columns

__all__ = ["RELATED_SUFFIX", "RelatedError", "related_path", "related_csv", "read_related"]

#: The file beside a round's table that holds its 関係課の記述.
RELATED_SUFFIX = "_関係課の記述.csv"
_COLUMNS = ("No", "推進課", "関係課の記述")


class RelatedError(StatusTableError):
    """A defect in a file of 関係課の記述; the message is ``file:line: problem (value)``."""


def related_path(table: str | os.PathLike) -> Path:
    """Where the 関係課の記述 of the round in ``table`` are kept: beside it, ``<stem>_関係課の記述.csv``."""
    table = Path(table)
    return table.with_name(f"{table.stem}{RELATED_SUFFIX}")


def related_csv(related: Iterable[tuple[int, str, str]]) -> bytes:
    """The texts (No, department, text) as the CSV a person may open in Excel: BOM, formula starts guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_COLUMNS)
    for no, department, text in related:
        writer.writerow([no, spreadsheet_safe(department), spreadsheet_safe(text)])
    return buffer.getvalue().encode("utf-8-sig")


def read_related(path: str | os.PathLike, measures: pd.DataFrame) -> pd.DataFrame:
    """The 関係課の記述 of ``path`` as a frame (``no`` int64, ``department`` and ``text`` str, as written),
    each row checked against ``measures``.

    Raises
    ------
    RelatedError
        A missing column, a No not in the table, or an empty department or text, naming the file, the line
        and the value.
    """
    path = Path(path)
    rows = read_columns(path, _COLUMNS, error=RelatedError)
    numbers = set(measures["no"].astype(int))
    found: list[tuple[int, str, str]] = []
    for line, cells in rows:
        no, department, text = (spreadsheet_text(cells[name]) for name in _COLUMNS)
        if not no.isdigit() or int(no) not in numbers:
            raise RelatedError("No が表の施策番号ではありません", path=path, line=line, value=no)
        if not department or not text:
            raise RelatedError("推進課と関係課の記述を書いてください", path=path, line=line, value=department or text)
        found.append((int(no), department, text))
    return pd.DataFrame({"no": pd.array([row[0] for row in found], dtype="int64"),
                         "department": pd.array([row[1] for row in found], dtype="str"),
                         "text": pd.array([row[2] for row in found], dtype="str")})
