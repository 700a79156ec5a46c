"""成果指標の実績値: the survey's optional sheet where each department enters the year's actual values.

With ``--indicators FILE`` (:func:`~kyodo_analysis.survey.send.write_survey`), each department that answers for
an indicator finds a sheet 成果指標 in its workbook: one row per indicator, with its unit, direction, baseline,
target and latest actual locked, and one cell to fill in, the actual value of the round's year (the year after
round 1's: 平成23年度 after a table as of 平成22年度). The cell takes only a number: a data validation says so
at typing, and the intake checks it again. Who answers an indicator: the department of its 担当課 column, else
the lead department (主担当課) of the first measure its 関連施策 names.

Collected with the same file (:func:`~kyodo_analysis.survey.collect.load_survey`), the values make the next
round's indicators file, written beside round 2 as ``<round2>_成果指標.csv``: every row and column of FILE as
written, with the round's year filled in (its column added when FILE has none), text guarded against formulas
as in every CSV of the package. A blank cell is "not measured yet": the file keeps what it had.

Examples
--------
>>> actuals_headers("平成23年度")[-2:]
['最新の実績値', '平成23年度の実績値']
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kyodo_analysis.analysis.indicators import indicator_level_names
from kyodo_analysis.era import fiscal_year_label
from kyodo_analysis.source.indicators import IndicatorError, fiscal_year_of, read_indicators, read_number
from kyodo_analysis.source.loaders import spreadsheet_safe, spreadsheet_text
from kyodo_analysis.source.parsing import StatusTable
from kyodo_analysis.source.structure import cell_text, number_text, read_rows, read_structure
from kyodo_analysis.source.xlsx_reader import SheetCell, SheetGrid
from kyodo_analysis.survey.sheets import (
    FONT_NAME,
    HEADER_FILL,
    INPUT_FILL,
    lead_department,
    protect_sheet,
    survey_as_of,
)
from kyodo_analysis.validation import SPREADSHEET_ERROR, quote_value
from kyodo_analysis.writers.workbook import print_setup

__all__ = ["INDICATOR_SHEET", "ACTUAL_COLUMN", "ACTUAL_LETTER", "INDICATORS_SUFFIX", "ActualsRequest",
           "actuals_headers", "request_actuals", "write_actuals_sheet", "read_actuals", "unread_actuals",
           "indicators_path", "actuals_csv"]

#: The sheet of the indicators in a department's workbook, after 回答.
INDICATOR_SHEET = "成果指標"
#: The one column to fill in: the actual value of the round's year.
ACTUAL_COLUMN, ACTUAL_LETTER = 9, "I"
#: A cell the CSV keeps as it is: a number in ASCII digits (a sign kept); any other text is guarded once.
_PLAIN_NUMBER = re.compile(r"[-+]?[0-9][0-9.,]*")
#: The next round's indicators file, beside its table: ``round2_成果指標.csv``.
INDICATORS_SUFFIX = "_成果指標.csv"

# The columns of the sheet: header (None: the year's actual), width, wrapped.
_COLUMNS: tuple[tuple[str | None, int, bool], ...] = (
    ("指標", 30, True), ("単位", 8, False), ("方向", 7, False), ("基準年度", 12, False), ("基準値", 11, False),
    ("目標年度", 12, False), ("目標値", 11, False), ("最新の実績値", 22, True), (None, 16, False),
)


@dataclass(frozen=True)
class ActualsRequest:
    """What the survey asks of the indicators: the file, the fiscal year asked, and each department's rows
    (the locked cells A–H of its indicators, in the file's order)."""

    path: Path
    era: str | None
    fiscal_year: int
    year_label: str
    rows: dict[str, list[list[str]]]

    def expected(self, department: str) -> list[list[str]]:
        """The department's rows ([] when it answers for no indicator)."""
        return self.rows.get(department, [])


def actuals_headers(year_label: str) -> list[str]:
    """The sheet's header row: the indicator's locked cells, then ``<year>の実績値``."""
    return [f"{year_label}の実績値" if header is None else header for header, _, _ in _COLUMNS]


def _plan_groups(table: StatusTable, structure: str | os.PathLike | None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table's measures with their groups, and the level names an indicators file may head a column with:
    as :func:`~kyodo_analysis.analysis.review.review_plan` ties indicators."""
    frame = pd.DataFrame({"no": [measure.no for measure in table.measures],
                          "block": [measure.block for measure in table.measures]})
    if structure is None:
        return frame, indicator_level_names(("block",))
    hierarchy = read_structure(structure, measure_numbers=frame["no"])
    return frame.merge(hierarchy, on="no"), indicator_level_names(tuple(hierarchy.columns[1:]))


def request_actuals(path: str | os.PathLike, table: StatusTable, *, era: str | None,
                    structure: str | os.PathLike | None, departments: list[str],
                    leads: dict[int, str] | None) -> ActualsRequest:
    """Who answers each indicator of ``path``, for the year after round 1's (:class:`ActualsRequest`); ``leads``
    names the measures' lead departments where not the first listed
    (:func:`~kyodo_analysis.survey.sheets.lead_department`).

    Raises
    ------
    IndicatorError
        For a defect of the file (:func:`~kyodo_analysis.source.indicators.read_indicators`), an indicator with
        neither 担当課 nor 関連施策, or a 担当課 that is no department of the survey; naming the line.
    """
    path = Path(path)
    measures, level_names = _plan_groups(table, structure)
    indicators = read_indicators(path, era=era, measures=measures, level_names=level_names)
    fiscal_year = survey_as_of(table) + 1
    label = fiscal_year_label(fiscal_year, western=table.western)
    by_no = {measure.no: measure for measure in table.measures}
    rows: dict[str, list[list[str]]] = {}
    for _, indicator in indicators.iterrows():
        department = indicator["department"]
        if not department and indicator["measure_nos"]:
            department = lead_department(by_no[indicator["measure_nos"][0]], leads)
        if not department:
            raise IndicatorError("実績値を記入する課が決まりません。担当課の列に課を書くか、関連施策に施策の No を"
                                 "書いてください", path=path, line=int(indicator["line"]), value=indicator["name"])
        if department not in departments:
            raise IndicatorError(f"担当課は照会する課（{'・'.join(departments)}）のどれかにしてください", path=path,
                                 line=int(indicator["line"]), value=department)
        earlier = [fy for fy in indicator["values"] if fy < fiscal_year]
        latest = "なし" if not earlier else (f"{number_text(indicator['values'][max(earlier)])}"
                                         f"（{fiscal_year_label(max(earlier), western=table.western)}）")
        rows.setdefault(department, []).append([
            indicator["name"], indicator["unit"], indicator["direction"],
            fiscal_year_label(int(indicator["baseline_fy"]), western=table.western), number_text(indicator["baseline"]),
            fiscal_year_label(int(indicator["target_fy"]), western=table.western), number_text(indicator["target"]),
            latest])
    return ActualsRequest(path, era, fiscal_year, label, rows)


def write_actuals_sheet(sheet, rows: list[list[str]], year_label: str) -> None:
    """Fill ``sheet`` (an openpyxl worksheet) with ``rows``: locked, but for the actual's cell, which takes only a
    number; text is stored as text, never as a formula."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.append(actuals_headers(year_label))
    for cells in rows:
        sheet.append([*cells, None])
    font, bold = Font(name=FONT_NAME, size=10), Font(name=FONT_NAME, size=10, bold=True)
    for index, (_, width, wrapped) in enumerate(_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        header = sheet.cell(row=1, column=index)
        header.font, header.fill = bold, PatternFill("solid", fgColor=HEADER_FILL)
        header.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row in range(2, len(rows) + 2):
            cell = sheet.cell(row=row, column=index)
            cell.font = font
            cell.alignment = Alignment(wrap_text=wrapped, vertical="top")
            if cell.data_type == "f":
                cell.data_type = "s"
            if index == ACTUAL_COLUMN:
                cell.protection = Protection(locked=False)
                cell.fill = PatternFill("solid", fgColor=INPUT_FILL)
    validation = DataValidation(
        type="decimal", operator="between", formula1="-1E+300", formula2="1E+300", allow_blank=True,
        showInputMessage=True, promptTitle=f"{year_label}の実績値",
        prompt="数値だけを入力してください（単位は不要）。まだ集計していない指標は空欄のままにしてください。",
        showErrorMessage=True, errorStyle="stop", errorTitle=f"{year_label}の実績値",
        error="数値を入力してください（単位や文字は入力できません）。")
    sheet.add_data_validation(validation)
    if rows:
        validation.add(f"{ACTUAL_LETTER}2:{ACTUAL_LETTER}{len(rows) + 1}")
    sheet.freeze_panes = "B2"
    protect_sheet(sheet)
    print_setup(sheet, orientation="landscape", header_row=True, repeat_columns="A:A")


def _actual(cell: SheetCell, where: str, problems: list[str]) -> float | None:
    """The value of an actual's cell: a number, or None when blank; a problem for anything else."""
    value = cell.value
    if cell.data_type == "f":
        problems.append(f"{where}: 実績値が数式です。数値を入力してください（{quote_value(value)}）")
        return None
    if isinstance(value, bool) or cell.data_type == "e" or SPREADSHEET_ERROR.fullmatch(cell_text(value).strip()):
        problems.append(f"{where}: 実績値が数値ではありません（{quote_value(cell_text(value))}）")
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value):  # a file written by other tools than Excel may hold NaN or INF
            problems.append(f"{where}: 実績値が数値ではありません（{quote_value(cell_text(value))}）")
            return None
        return float(value)
    try:
        return read_number(cell_text(value))
    except ValueError:
        problems.append(f"{where}: 実績値が数値ではありません。単位や文字を入れず、数値だけを入力してください"
                        f"（{quote_value(cell_text(value))}）")
        return None


def read_actuals(book: dict[str, SheetGrid], file: str, rows: list[list[str]], year_label: str,
                 problems: list[str]) -> dict[str, float | None]:
    """The actual values of a department's returned workbook, by indicator: a number, or None (blank).

    Every problem is appended to ``problems`` as ``<file>:成果指標!<cell>: <problem>（<value>）``: a missing
    sheet, an edited header or locked cell, an added row or a cell outside the sheet's columns, and an actual
    that is not a number (a formula, an error value, text).
    """
    if not rows:
        return {}
    if INDICATOR_SHEET not in book:
        problems.append(f"{file}: シート {INDICATOR_SHEET} がありません（シート: {quote_value('・'.join(book))}）")
        return {}
    sheet = book[INDICATOR_SHEET]
    where = lambda cell: f"{file}:{INDICATOR_SHEET}!{cell.coordinate}"  # noqa: E731
    headers = actuals_headers(year_label)
    for index, expected in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        if cell_text(cell.value) != expected:
            problems.append(f"{where(cell)}: 保護された見出しが変えられています。1行目は {'、'.join(headers)} のはず"
                            f"です（{quote_value(cell_text(cell.value))}）")
            return {}
    found: dict[str, float | None] = {}
    for row, cells in enumerate(rows, start=2):
        locked = [sheet.cell(row=row, column=index) for index in range(1, len(cells) + 1)]
        edited = [cell for cell, expected in zip(locked, cells)
                  if cell.data_type == "f" or cell_text(cell.value) != expected]
        for cell in edited:
            problems.append(f"{where(cell)}: 指標「{cells[0]}」の保護された列「{headers[cell.column - 1]}」が --indicators の"
                            f"ファイルと違います（ファイルでは {quote_value(cells[cell.column - 1])}）。ブックが編集されたか、"
                            f"送付のときと別の成果指標のファイルを指定しています（{quote_value(cell_text(cell.value))}）")
        cell = sheet.cell(row=row, column=ACTUAL_COLUMN)
        found[cells[0]] = _actual(cell, where(cell), problems)
    for cell in sheet.filled():
        if cell.row > len(rows) + 1 or cell.column > ACTUAL_COLUMN:
            problems.append(f"{where(cell)}: 指標の行と列（A〜{ACTUAL_LETTER}）の外の文字は読みません。行や列は追加"
                            f"できません（{quote_value(cell_text(cell.value))}）")
    return found


def unread_actuals(book: dict[str, SheetGrid], file: str) -> str | None:
    """A problem line when ``book`` holds actual values in a sheet 成果指標 that a collection without
    ``--indicators`` would not read (they would be lost); None otherwise."""
    if INDICATOR_SHEET not in book:
        return None
    filled = [cell for cell in book[INDICATOR_SHEET].filled() if cell.row > 1 and cell.column == ACTUAL_COLUMN]
    if not filled:
        return None
    return (f"{file}:{INDICATOR_SHEET}!{filled[0].coordinate}: 成果指標の実績値が{len(filled)}件記入されていますが、"
            f"--indicators がないため読めません。送付のときと同じ成果指標のファイルを --indicators に指定してください"
            f"（{quote_value(cell_text(filled[0].value))}）")


def indicators_path(table: str | os.PathLike) -> Path:
    """Where the next round's indicators are written: beside its table, ``<stem>_成果指標.csv``."""
    table = Path(table)
    return table.with_name(f"{table.stem}{INDICATORS_SUFFIX}")


def actuals_csv(request: ActualsRequest, values: dict[str, float | None]) -> tuple[bytes, list[str]]:
    """The indicators file of the next round, and what it changed (one line per replaced value).

    Every row and column of the request's file as written, the year's column (added when missing, headed
    ``平成23年度``) holding each value given; a blank answer keeps the file's value. UTF-8 with a BOM; a text
    that starts like a formula is guarded (:func:`~kyodo_analysis.source.loaders.spreadsheet_safe`), a number
    keeps its sign.
    """
    rows = read_rows(request.path, error=IndicatorError, as_written=True)
    header = list(rows[0][1])
    column = next((index for index, cell in enumerate(header) if fiscal_year_of(cell, request.era) ==
                   request.fiscal_year), None)
    if column is None:
        header.append(request.year_label)
        column = len(header) - 1
    name_column = header.index("指標")
    changed: list[str] = []
    lines = [header]
    for line, cells in rows[1:]:
        cells = cells + [""] * (len(header) - len(cells))
        # the name as read (read_indicators removes a guard against formulas that this function wrote)
        value = values.get(spreadsheet_text(cells[name_column])) if any(cells) else None
        if value is not None:
            old = cells[column]
            if old.strip() and _number_or_none(old) != value:
                changed.append(f"{request.path.name}:{line}: {cells[name_column]} の{request.year_label}の実績値を "
                               f"{quote_value(old)} から {number_text(value)} にしました")
            cells[column] = number_text(value)
        lines.append(cells)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for cells in lines:
        writer.writerow([cell if _PLAIN_NUMBER.fullmatch(cell) else spreadsheet_safe(spreadsheet_text(cell))
                         for cell in cells])
    return buffer.getvalue().encode("utf-8-sig"), changed


def _number_or_none(text: str) -> float | None:
    """A number of a CSV cell (:func:`~kyodo_analysis.source.indicators.read_number`); None for text or a blank."""
    try:
        return read_number(text)
    except ValueError:
        return None
