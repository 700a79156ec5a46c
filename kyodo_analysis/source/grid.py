"""Status tables kept as a grid of cells: the city's own Excel workbook (``.xlsx``) or a CSV file.

A grid is read by the names in its header, not by positions: No, 施策の方向性 (or 施策名), 内容, the year
columns of 実施目標年度, 推進課 (or 担当課), 施策実施状況 (or 実施状況) and 評価, in any order. The header may
take two rows (実施目標年度 merged over the year cells below it) or one (the years themselves as column
names); years may be numbers (19, 2018) or any form the text parser reads (平成19, H30, 令和元). Rows above the
header are the table's title. A header repeated further down starts a new table section (表の区分). Other
columns (備考, …) are set aside, each with a note.

The grid is then written in the layout of an extracted text, one line per row, and read by the one parser
(:func:`~kyodo_analysis.source.parsing.parse_status_table`): every rule of the text table holds (marks,
departments, ratings, look-alikes, the notes of what was normalized). A line break inside a cell is read as
the text parser reads a space: removed inside Japanese, a separator between departments. Errors and notes
name the grid's own places: ``plan.xlsx!施策!L7`` (sheet and cell) or ``plan.csv 7行目、3列目``.

Examples
--------
>>> rows = [["架空市協働計画 実施状況"], ["No", "施策名", "内容", "実施目標年度", None, "担当課", "実施状況", "評価"],
...         [None, None, None, 3, 4], [1, "交流会", "交流会の開催", "○", "→", "協働推進課", "令和3年度に開催した。", "◎"]]
>>> table = read_grid(rows, path="plan.csv", era="令和")
>>> [(m.no, m.target_fy, m.departments, m.rating, m.line) for m in table.measures], table.title
([(1, 2021, ('協働推進課',), '◎', 4)], '架空市協働計画実施状況')
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from kyodo_analysis.era import read_header_year
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.source.parsing import (
    NormalizationNote,
    StatusTable,
    StatusTableError,
    decode_text,
    parse_status_table,
    read_table_file,
)

__all__ = ["HEADER_NAMES", "GRID_SUFFIXES", "header_columns", "is_header_year", "one_line", "read_grid", "read_csv_table", "read_xlsx_table"]

#: The names each column of a status table goes by in a header (compared after NFKC, without spaces).
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "No": ("No", "No.", "NO", "番号"),
    "施策の方向性": ("施策の方向性", "施策名"),
    "内容": ("内容",),
    "実施目標年度": ("実施目標年度",),
    "推進課": ("推進課", "担当課"),
    "施策実施状況": ("施策実施状況", "実施状況"),
    "評価": ("評価",),
}
#: The file suffixes read as grids.
GRID_SUFFIXES = (".xlsx", ".csv")

_LOOKUP = {name: column for column, names in HEADER_NAMES.items() for name in names}
_TEXT_COLUMNS = ("No", "施策の方向性", "内容")  # before the years, in the text layout
_LAST_COLUMNS = ("推進課", "施策実施状況", "評価")  # after them

#: How a person finds a cell: ``place(row_index, column_index)``, the column None for the whole row.
Place = Callable[[int, "int | None"], str]


def _text(value: object) -> str:
    """A cell as text: numbers as written (19, not 19.0), nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_BROKEN_DIGITS = re.compile(r"(?<=\d)[ \t]*\r?\n[ \t]*(?=\d)")
_BREAK_BY_ASCII = re.compile(r"(?<=[^\x00-\x7f])[ \t]*\r?\n[ \t]*(?=[\x21-\x7e])|(?<=[\x21-\x7e])[ \t]*\r?\n[ \t]*(?=[^\x00-\x7f])")


def one_line(cell: str) -> str:
    r"""A cell's text on one line: a line break beside a Japanese character and a Latin one (…や⏎NPO) goes, as it
    is no space in Japanese; any other one becomes a space, which the parser removes inside Japanese (and notes)
    and keeps between words and between departments (協働推進課⏎全課).

    Examples
    --------
    >>> one_line("情報提供や\nNPO法人の認証"), one_line("協働推進課\n全課"), one_line("NPO\nsupport")
    ('情報提供やNPO法人の認証', '協働推進課 全課', 'NPO support')
    """
    return _BREAK_BY_ASCII.sub("", cell).replace("\t", " ").replace("\r", "").replace("\n", " ")


def _name(cell: str) -> str:
    return "".join(unicodedata.normalize("NFKC", cell).split())


def is_header_year(cell: str) -> bool:
    """Whether a cell reads as a header year (19, 平成19, H30, 2018; spaces and line breaks in it aside)."""
    return bool(cell.strip()) and read_header_year(_name(cell)) is not None


def header_columns(cells: list[str]) -> dict[str, int]:
    """The columns a row names (the first of each), or {} when it is not a header (no No and no 評価)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _LOOKUP.get(_name(cell))
        if column is not None:
            found.setdefault(column, index)
    return found if {"No", "評価"} <= set(found) else {}


def read_grid(rows: Sequence[Sequence[object]], *, path: str, era: str | None = None,
              scale: RatingScale = KYODO_SCALE, place: Place | None = None, row_numbers: Sequence[int] | None = None,
              ) -> StatusTable:
    """Read a status table from rows of cells (see the module's description).

    Parameters
    ----------
    rows : sequence of sequences
        The grid, row by row (values as the file holds them: text, numbers or None).
    path : str
        The file, for errors.
    era, scale
        As for :func:`~kyodo_analysis.source.parsing.parse_status_table`.
    place : callable, optional
        How errors name a cell, the file included: ``place(row_index, column_index or None)``; default
        ``"<path> <row>行目"``.
    row_numbers : sequence of int, optional
        The number of each row in the file (its ``line`` in measures and notes); default 1, 2, ….
    """
    cells = [[_text(value) for value in row] for row in rows]
    numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(cells) + 1))
    place = place or (lambda row, column: f"{path} {numbers[row]}行目")
    header_at = next((index for index, row in enumerate(cells) if header_columns(row)), None)
    if header_at is None:
        raise StatusTableError(f"見出し行（{'、'.join(HEADER_NAMES)}）が見つかりません。No と 評価 の列の名前を"
                               "確かめてください", path=path)
    lines: list[str] = []
    line_rows: list[int] = []  # the grid row of each text line

    def emit(text: str, row: int) -> None:
        lines.append(text)
        line_rows.append(row)

    for index in range(header_at):
        title = " ".join(one_line(cell) for cell in cells[index] if cell.strip())
        if title:
            emit(title, index)
    columns = years = None
    notes: list[NormalizationNote] = []
    index = header_at
    while index < len(cells):
        row = cells[index]
        if header_columns(row):  # the header, or the header again: a new table section
            layout, years_here, two_rows, notes_here = _layout(cells, index, place, numbers)
            if columns is None:
                columns, years, notes = layout, years_here, notes_here
            elif layout != columns or [column for column, _ in years_here] != [column for column, _ in years]:
                raise StatusTableError("見出しの列が最初の見出しと違います", path=place(index, None))
            emit("\t".join(["No", "施策の方向性", "内容", "実施目標年度", *[""] * (len(years) - 1), *_LAST_COLUMNS]),
                 index)
            emit("\t".join(["", "", "", *(_year_text(cell) for _, cell in years_here)]), index + two_rows)
            index += 1 + two_rows
            continue
        if not any(cell.strip() for cell in row):
            index += 1
            continue

        def at(column: int) -> str:
            return one_line(row[column] if column < len(row) else "")

        emit("\t".join([*(at(columns[name]) for name in _TEXT_COLUMNS), *(at(column) for column, _ in years),
                        *(at(columns[name]) for name in _LAST_COLUMNS)]), index)
        index += 1
    try:
        table = parse_status_table("\n".join(lines) + "\n", path=path, era=era, scale=scale)
    except StatusTableError as error:
        if error.line is None:
            raise
        row = line_rows[error.line - 1]
        column = next((number for number, cell in enumerate(cells[row])
                       if error.value is not None and one_line(cell) == error.value), None)
        raise StatusTableError(error.problem, path=place(row, column), value=error.value,
                               read_as=error.read_as) from None
    moved = tuple(measure._replace(line=numbers[line_rows[measure.line - 1]]) for measure in table.measures)
    shifted = [note._replace(line=numbers[line_rows[note.line - 1]]) for note in table.notes]
    return replace(table, measures=moved, notes=tuple(sorted([*shifted, *notes], key=lambda note: note.line)))


def _named(columns: dict[str, int]) -> set[int]:
    """The columns a header names, but 実施目標年度 (whose cell may be the first year's column)."""
    return {column for name, column in columns.items() if name != "実施目標年度"}


def _year_row(cells: list[list[str]], header_at: int, columns: dict[str, int]) -> bool:
    """Whether the row below the header holds the years (a two-row header)."""
    below = cells[header_at + 1] if header_at + 1 < len(cells) else []
    no = below[columns["No"]] if columns["No"] < len(below) else ""
    return not no.strip() and any(is_header_year(cell) for number, cell in enumerate(below) if number not in _named(columns))


def _layout(cells: list[list[str]], header_at: int, place: Place, numbers: list[int],
            ) -> tuple[dict[str, int], list[tuple[int, str]], bool, list[NormalizationNote]]:
    """The named columns of the header at ``header_at``, its year columns (index and cell), whether the years
    stand in the row below it, and the notes of the columns set aside."""
    header = cells[header_at]
    columns = header_columns(header)
    two_rows = _year_row(cells, header_at, columns)
    source = cells[header_at + 1] if two_rows else header
    years = [(number, cell) for number, cell in enumerate(source) if number not in _named(columns) and is_header_year(cell)]
    missing = [name for name in HEADER_NAMES if name != "実施目標年度" and name not in columns]
    if not years:
        missing.append("実施目標年度（年度の列）")
    if missing:
        found = "、".join(cell.replace("\n", "") for cell in header if cell.strip()) or "なし"
        raise StatusTableError(f"必要な列がありません: {'、'.join(missing)}（見出しにある列: {found}）",
                               path=place(header_at, None))
    year_columns = {number for number, _ in years}
    notes = [NormalizationNote(numbers[header_at], None, "見出し", "column_set_aside", cell, "")
             for number, cell in enumerate(header)
             if cell.strip() and number not in _named(columns) and number not in year_columns
             and _LOOKUP.get(_name(cell)) is None and not is_header_year(cell)]
    return columns, years, two_rows, notes


def _year_text(cell: str) -> str:
    """A header year cell on one line: a number broken over lines in a narrow cell (1⏎9) joined again."""
    return one_line(_BROKEN_DIGITS.sub("", cell))


def read_csv_table(path: str | os.PathLike, *, era: str | None = None, encoding: str | None = None,
                   scale: RatingScale = KYODO_SCALE) -> StatusTable:
    """Read a status table kept as CSV (UTF-8, UTF-8 with BOM or CP932) with a header row."""
    path = Path(path)
    text = decode_text(read_table_file(path), str(path), encoding).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, numbers = [], []
    try:
        for row in reader:
            rows.append(row)
            numbers.append(reader.line_num)
    except csv.Error as failure:
        raise StatusTableError(f"{reader.line_num}行目: CSVとして読めません（{failure}）", path=path) from None
    return read_grid(rows, path=str(path), era=era, scale=scale, row_numbers=numbers,
                     place=lambda row, column: f"{path} {numbers[row]}行目"
                     + (f"、{column + 1}列目" if column is not None else ""))


def read_xlsx_table(path: str | os.PathLike, *, era: str | None = None, scale: RatingScale = KYODO_SCALE,
                    sheet: str | None = None) -> StatusTable:
    """Read a status table from a city's workbook: the first sheet whose header names the columns, or ``sheet``.

    A formula is refused where a value is read (data text is never code)."""
    from openpyxl.utils import get_column_letter

    from kyodo_analysis.source.xlsx_reader import read_workbook

    path = Path(path)
    grids = read_workbook(path, sheets=None if sheet is None else [sheet])
    if sheet is not None and sheet not in grids:
        raise StatusTableError(f"シート {sheet!r} がありません", path=path)
    for name, grid in grids.items():
        rows = [[cell.value for cell in row] for row in grid.iter_rows()]
        if sheet is None and not any(header_columns([_text(value) for value in row]) for row in rows):
            continue
        for cell in grid.filled():
            if cell.data_type == "f":
                raise StatusTableError("数式です。表の値を入力してください", path=f"{path}!{name}!{cell.coordinate}",
                                       value=cell.value)
        return read_grid(rows, path=str(path), era=era, scale=scale,
                         place=lambda row, column, name=name: f"{path}!{name}!"
                         + (f"{get_column_letter(column + 1)}{row + 1}" if column is not None else f"{row + 1}行目"))
    raise StatusTableError(f"見出し行（{'、'.join(HEADER_NAMES)}）のあるシートがありません"
                           f"（シート: {'、'.join(grids) or 'なし'}）", path=path)
