"""The plan's own structure: which 基本目標, 基本方針 (or other levels) each measure belongs to.

The extracted table only groups its rows under repeated headers, which may be
the PDF's pages; the plan's hierarchy is in the plan document. The analyst
gives it as a structure file, read by :func:`read_structure`:

- CSV (UTF-8 with or without BOM, or CP932) or ``.xlsx`` (its first sheet);
- a header row with a column ``No`` and one or more hierarchy columns,
  broadest first; their names are the level names (基本目標, 基本方針, …);
- one row per measure of the table, each level filled in;
- every name on one line: a line break, tab, control or bidi character is
  refused, invisible characters (zero-width, soft hyphen …) are removed.

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
import decimal
import io
import math
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kyodo_analysis.source.parsing import StatusTableError, decode_text, line_at, read_table_file, reject_bidi_controls
from kyodo_analysis.validation import (
    BIDI_CONTROL,
    CONTROL_CHARACTER,
    LINE_BREAK,
    MAX_CELL_CHARS,
    SPREADSHEET_ERROR,
    ArgumentTypeError,
    remove_invisible,
)

__all__ = ["StructureError", "read_structure", "read_rows", "read_columns", "number_text", "cell_text",
           "RESERVED_LEVEL_NAMES"]

#: Names a level cannot take: the tidy measures' own columns.
RESERVED_LEVEL_NAMES = frozenset({"no", "block", "direction", "content", "target_fy", "continuing", "status",
                                  "rating", "score", "department", "n"})

#: What a cell of a structure file (a number, a level name, a group name: one line of text) cannot hold.
_NOT_ONE_LINE = re.compile("|".join(pattern.pattern for pattern in (CONTROL_CHARACTER, BIDI_CONTROL, LINE_BREAK)))


def number_text(value: float) -> str:
    """A number as a person types it: a whole number without ``.0``, never in exponent form, in the shortest
    digits that give the value back.

    Examples
    --------
    >>> number_text(1200.0), number_text(38.5), number_text(0.00001), number_text(1.5e-7), number_text(1e28)
    ('1200', '38.5', '0.00001', '0.00000015', '10000000000000000000000000000')
    """
    return "0" if value == 0 else format(decimal.Decimal(repr(float(value))).normalize(), "f")


def cell_text(value: object) -> str:
    """A workbook cell's value as text: "" when empty, a number as typed (:func:`number_text`: 7, not 7.0;
    0.00001, not 1e-05), else ``str``."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value):
        return number_text(value)
    return str(value)


class StructureError(StatusTableError):
    """A defect in a structure file; the message is ``file:line: problem (value)``."""


def read_columns(path: Path, columns: tuple[str, ...], *, error: type[StatusTableError]
                 ) -> list[tuple[int, dict[str, str]]]:
    """The rows of a small file headed with ``columns`` (and maybe others), as written: (line, {column: cell})
    for each row that is not empty. An empty file or a missing column raises ``error`` naming what is needed."""
    rows = read_rows(path, error=error, as_written=True)
    wanted = ",".join(columns)
    if not rows:
        raise error(f"空のファイルです。1行目に {wanted} の見出しを置いてください", path=path)
    line, header = rows[0]
    missing = [column for column in columns if column not in header]
    if missing:
        raise error(f"見出しに {'・'.join(missing)} の列がありません（あった列: {'・'.join(header) or 'なし'}）",
                    path=path, line=line)
    return [(line, {column: (cells + [""] * len(header))[header.index(column)] for column in columns})
            for line, cells in rows[1:] if any(cells)]


def read_rows(path: Path, encoding: str | None = None, *, error: type[StatusTableError] | None = None,
              as_written: bool = False) -> list[tuple[int, list[str]]]:
    """The rows of a small CSV or workbook of one-line cells (a structure file, an errata file) as (line, cells):
    each cell checked to be one line of text, then stripped and NFKC (``as_written``: not NFKC).

    The line of a CSV row is the file line it starts on; that of a workbook row, its row number. A defect
    raises ``error`` (default :class:`StructureError`).
    """
    error = error or StructureError
    from kyodo_analysis.source.xlsx_reader import SheetCell, read_workbook  # openpyxl: only for a workbook

    if path.suffix.lower() == ".xlsx":
        sheets = list(read_workbook(path, data_only=True, error=error).values())
        if not sheets:
            raise error("表のシートがありません（最初のシートに見出しと表を置いてください）", path=path)
        sheet = sheets[0]
        numbered = [(row, [cell_text(value) for value in values])
                    for row, values in enumerate(sheet.values(), start=1)]
    else:
        sheet = None
        text = decode_text(read_table_file(path, error=error), str(path), encoding,
                           error=error).removeprefix("\ufeff")
        found = CONTROL_CHARACTER.search(text)
        if found is not None:
            line, written = line_at(text, found.start())
            raise error(f"制御文字 U+{ord(found.group()):04X} があります。文字だけのCSVにしてください",
                        path=path, line=line, value=written)
        reject_bidi_controls(text, path, error=error)
        reader = csv.reader(io.StringIO(text, newline=""))
        numbered, line = [], 1
        try:
            for cells in reader:
                numbered.append((line, cells))
                line = reader.line_num + 1
        except csv.Error as failure:  # a cell beyond the csv module's field limit (131,072 characters)
            raise error(f"CSVとして読めません（{failure}）。1セルは {MAX_CELL_CHARS:,} 文字までです",
                        path=path, line=line) from None
    rows = []
    for line, cells in numbered:
        for column, cell in enumerate(cells, start=1):
            try:
                _check_cell(cell, path, line, error)
            except error as defect:
                if sheet is None:
                    raise
                place = SheetCell(line, column).coordinate  # a workbook's place is its sheet and cell
                raise error(f"{sheet.title}!{place}: {defect.problem}", path=path, line=line,
                            value=defect.value) from None
        visible = [remove_invisible(cell) for cell in cells]
        rows.append((line, [(cell if as_written else unicodedata.normalize("NFKC", cell)).strip() for cell in visible]))
    return rows


def _check_cell(cell: str, path: Path, line: int, error: type[StatusTableError]) -> None:
    """Refuse a cell that is not one line of visible text, or longer than Excel allows."""
    if len(cell) > MAX_CELL_CHARS:
        raise error(f"セルが {len(cell):,} 文字あり、Excelの1セルの上限 {MAX_CELL_CHARS:,} 文字を超えます",
                    path=path, line=line, value=cell)
    found = _NOT_ONE_LINE.search(cell)
    if found is None and "\t" not in cell.strip():
        return
    if found is not None and CONTROL_CHARACTER.match(found.group()) and not LINE_BREAK.match(found.group()):
        raise error(f"制御文字 U+{ord(found.group()):04X} があります。文字だけにしてください",
                    path=path, line=line, value=cell)
    if found is not None and BIDI_CONTROL.match(found.group()):
        reject_bidi_controls(cell, path, error=error, first_line=line)  # raises
    one_line = "階層名・グループ名" if issubclass(error, StructureError) else "セル"
    raise error(f"{one_line}は1行の文字列にしてください。改行やタブは使えません", path=path, line=line, value=cell)


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
        that the file lacks, an unreadable encoding; a cell that is not one line
        of text (a line break, a tab, a control or bidi character), longer than
        Excel allows, or a spreadsheet error value (#N/A); a workbook beyond the
        bounds of :func:`~kyodo_analysis.source.xlsx_reader.read_workbook`. Zero-width
        characters are removed.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentTypeError(f"structure must be a file path (str or Path), not {type(path).__name__}")
    path = Path(path)
    rows = read_rows(path, encoding)
    while rows and not any(rows[-1][1]):
        rows.pop()
    if not rows:
        raise StructureError("ファイルが空です。No と階層名の見出し行が必要です", path=path)
    header = rows[0][1]
    while header and not header[-1]:
        header = header[:-1]
    numbered = [i for i, name in enumerate(header) if name.lower() in ("no", "no.")]
    if len(numbered) != 1:
        raise StructureError("見出し行には施策番号の列 No がちょうど1つ必要です", path=path, line=1,
                             value=",".join(header))
    no_column = numbered[0]
    levels = [(i, name) for i, name in enumerate(header) if i != no_column]
    if not levels:
        raise StructureError("階層の列がありません。基本目標などの名前のついた列を1つ以上加えてください", path=path, line=1,
                             value=",".join(header))
    for i, name in levels:
        if not name:
            raise StructureError(f"見出し行の{i + 1}列目の階層名が空です", path=path, line=1,
                                 value=",".join(header))
        if SPREADSHEET_ERROR.fullmatch(name):
            raise StructureError("階層名が表計算ソフトのエラー値です。数式が失敗したセルの表示で、名前ではありません",
                                 path=path, line=1, value=name)
        if name.lower() in RESERVED_LEVEL_NAMES:
            raise StructureError("階層名が整理済みデータの列名と同じです。名前を変えてください", path=path, line=1,
                                 value=name)
    if len({name for _, name in levels}) != len(levels):
        raise StructureError("同じ階層名が2回使われています", path=path, line=1, value=",".join(header))

    known = set(int(no) for no in measure_numbers)
    first_line: dict[int, int] = {}
    records: list[list[object]] = []
    for line, row in rows[1:]:
        if not any(row):
            continue
        row = row + [""] * (len(header) - len(row))
        cell = row[no_column]
        if not (cell.isascii() and cell.isdigit()):
            raise StructureError("No が施策番号ではありません", path=path, line=line, value=cell)
        no = int(cell)
        if no not in known:
            raise StructureError("No が表にない施策です", path=path, line=line, value=no)
        if no in first_line:
            raise StructureError(f"No が重複しています（最初は{first_line[no]}行目）", path=path, line=line, value=no)
        first_line[no] = line
        for i, name in levels:
            if not row[i]:
                raise StructureError(f"No.{no} の{name}が空です", path=path, line=line, value=",".join(row))
            if SPREADSHEET_ERROR.fullmatch(row[i]):
                raise StructureError(f"No.{no} の{name}が表計算ソフトのエラー値です。数式が失敗したセルの表示で、"
                                     "グループ名ではありません。元の表で直してください", path=path, line=line, value=row[i])
        records.append([no, *(row[i] for i, _ in levels)])
    missing = sorted(known - set(first_line))
    if missing:
        shown = "、".join(map(str, missing[:10])) + (f" ほか{len(missing) - 10}件" if len(missing) > 10 else "")
        raise StructureError(f"表の施策のうち、このファイルにないもの: {shown}", path=path, value=missing[0])
    frame = pd.DataFrame(records, columns=["no", *(name for _, name in levels)]).sort_values("no", ignore_index=True)
    return frame.astype({"no": "int64", **{name: "str" for _, name in levels}})
