"""The plan's own structure: which 基本目標, 基本方針 (or other levels) each measure belongs to.

The extracted table only groups its rows under repeated headers, which may be
the PDF's pages; the plan's hierarchy is in the plan document. The analyst
gives it as a structure file, read by :func:`read_structure`:

- CSV (UTF-8 with or without BOM, or CP932) or ``.xlsx`` (its first sheet);
- a header row with a column ``No`` and one or more hierarchy columns,
  broadest first; their names are the level names (基本目標, 基本方針, …);
- one row per measure of the table, each level filled in.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "s.csv").write_text("No,基本目標\\n1,情報\\n2,情報\\n3,体制\\n", encoding="utf-8")
>>> read_structure(folder / "s.csv", measure_numbers=[1, 2, 3]).to_dict("list")
{'no': [1, 2, 3], '基本目標': ['情報', '情報', '体制']}
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .parsing import StatusTableError, decode_text, read_table_file
from .validation import ArgumentTypeError

__all__ = ["StructureError", "read_structure", "RESERVED_LEVEL_NAMES"]

#: Names a level cannot take: the tidy measures' own columns.
RESERVED_LEVEL_NAMES = frozenset({"no", "block", "direction", "content", "target_fy", "continuing", "status",
                                  "rating", "score", "department", "n"})


class StructureError(StatusTableError):
    """A defect in a structure file; the message is ``file:line: problem (value)``."""


def _rows(path: Path, data: bytes, encoding: str | None) -> list[list[str]]:
    """The file's rows as stripped, NFKC text cells (line = index + 1)."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as failure:  # a damaged or renamed file: zipfile, XML or openpyxl errors
            raise StructureError(f"not a readable .xlsx workbook ({type(failure).__name__})", path=path) from None
        sheet = book.worksheets[0]
        rows = [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        text = decode_text(data, str(path), encoding, error=StructureError).removeprefix("\ufeff")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    return [[unicodedata.normalize("NFKC", cell).strip() for cell in row] for row in rows]


def read_structure(path: str | os.PathLike, *, measure_numbers: Iterable[int],
                   encoding: str | None = None) -> pd.DataFrame:
    """Read a structure file and check it against the table's measure numbers.

    Returns
    -------
    DataFrame
        ``no`` (int64), then one str column per level, named as in the header,
        broadest first; one row per measure, sorted by ``no``.

    Raises
    ------
    StructureError
        Naming the file, the line and the value: no ``No`` column or no level,
        an empty or reserved level name, a number that is not a measure of the
        table or is listed twice, an empty group name, a measure of the table
        that the file lacks, an unreadable encoding.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentTypeError(f"structure must be a file path (str or Path), not {type(path).__name__}")
    path = Path(path)
    rows = _rows(path, read_table_file(path, error=StructureError), encoding)
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise StructureError("empty file: expected a header row with No and the level names", path=path)
    header = rows[0]
    while header and not header[-1]:
        header = header[:-1]
    numbered = [i for i, name in enumerate(header) if name.lower() in ("no", "no.")]
    if len(numbered) != 1:
        raise StructureError("the header needs exactly one column No (the measure number)", path=path, line=1,
                             value=",".join(header))
    no_column = numbered[0]
    levels = [(i, name) for i, name in enumerate(header) if i != no_column]
    if not levels:
        raise StructureError("no level column: add one or more named columns such as 基本目標", path=path, line=1,
                             value=",".join(header))
    for i, name in levels:
        if not name:
            raise StructureError(f"empty level name in column {i + 1} of the header", path=path, line=1,
                                 value=",".join(header))
        if name.lower() in RESERVED_LEVEL_NAMES:
            raise StructureError("level name is a column of the tidy measures; rename it", path=path, line=1,
                                 value=name)
    if len({name for _, name in levels}) != len(levels):
        raise StructureError("a level name is used twice", path=path, line=1, value=",".join(header))

    known = set(int(no) for no in measure_numbers)
    first_line: dict[int, int] = {}
    records: list[list[object]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        row = row + [""] * (len(header) - len(row))
        cell = row[no_column]
        if not (cell.isascii() and cell.isdigit()):
            raise StructureError("No is not a measure number", path=path, line=line, value=cell)
        no = int(cell)
        if no not in known:
            raise StructureError("No is not a measure of the table", path=path, line=line, value=no)
        if no in first_line:
            raise StructureError(f"No listed twice (first on line {first_line[no]})", path=path, line=line, value=no)
        first_line[no] = line
        for i, name in levels:
            if not row[i]:
                raise StructureError(f"empty {name} for measure {no}", path=path, line=line, value=",".join(row))
        records.append([no, *(row[i] for i, _ in levels)])
    missing = sorted(known - set(first_line))
    if missing:
        shown = ", ".join(map(str, missing[:10])) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise StructureError(f"measures of the table missing from the file: {shown}", path=path, value=missing[0])
    frame = pd.DataFrame(records, columns=["no", *(name for _, name in levels)]).sort_values("no", ignore_index=True)
    return frame.astype({"no": "int64", **{name: "str" for _, name in levels}})
