"""The review's workbook for city staff: every table of the review, ready to filter, read and print.

:func:`write_workbook` writes ``kyodo_review.xlsx``:

- a first sheet 説明: the plan, its source, the review year, the rating scale
  and what it means (and whether that meaning is assumed), how the score
  index and the shares are computed, and what each sheet holds, by the
  names the sheets have;
- sheet names unique by construction: the fixed sheets keep their names, and a
  sheet named after a level of the plan's structure that would repeat a name
  already taken (Excel ignores case) gets a visible （2）, （3）, …;
- one sheet per table, every row of it (whatever the figures and the text
  leave out); a sheet that lists measures also has 施策の方向性 and 推進課;
- values as a reader needs them: shares as ``0.0%``, scores to one decimal,
  fiscal years in the plan's own way of writing them (平成19年度), あり/なし,
  empty cells for missing values; text is always stored as text, never as a
  formula (a status reading ``=HYPERLINK(…)`` shows as typed);
- a bold header row with a filter, frozen; long text wrapped; a Japanese font;
- printing set up: A4 landscape, one page wide, the header row on every page,
  the sheet name and page number in the footer;
- fixed file dates, so that the same review gives the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kyodo_analysis.analysis.review import PlanReview
from kyodo_analysis.analysis.summaries import department_names
from kyodo_analysis.content.catalog import review_contents
from kyodo_analysis.content.present import localize, named_codes, share_labels
from kyodo_analysis.era import fiscal_year_label
from kyodo_analysis.ratings import RatingScale
from kyodo_analysis.source.parsing import plan_name
from kyodo_analysis.words import (
    AS_OF_SOURCE,
    BOOLEAN_WORDS,
    FISCAL_YEAR_COLUMNS,
    PLAN_FACTS,
    REVIEW_NAMES,
    SCALE_LEGEND,
    SCORE_COLUMNS,
    SHARE_COLUMNS,
    TITLE_SOURCE,
)
from kyodo_analysis.writers.layout import display_width
from kyodo_analysis.writers.ooxml import FIXED_TIME, stable_zip

__all__ = ["write_workbook", "WORKBOOK_FONT", "LINE_HEIGHT", "EXPLANATION_SHEET", "print_setup", "write_text_rows",
           "sheet_names"]

#: The font of every cell: Yu Gothic, which Excel has on Windows and macOS (LibreOffice substitutes its own).
WORKBOOK_FONT = "游ゴシック"
#: Points per line of 10-point text: a row of wrapped text is this times its lines high.
LINE_HEIGHT = 13.5
_EXPLANATION_WIDTH = 44  # column B of 説明, in characters of the default width: A4 portrait at over 80 %
_WRAPPED_WIDTH = 50  # columns of long text wrap at this width
_HEADER_WIDTH = 10  # a header wider than this wraps (in characters)
_TEXT_COLUMNS = ("direction", "content", "status", "evidence", "sentence", "departments", "title", "related_text")

#: The first sheet's name.
EXPLANATION_SHEET = "説明"
#: Excel's longest sheet name, the characters it refuses in one, and the name it reserves.
_SHEET_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_RESERVED = "history"

def _with_measure_names(frame: pd.DataFrame, plan_review: PlanReview) -> pd.DataFrame:
    """Add 施策の方向性 and 推進課 after ``no`` to a table that lists measures by number only."""
    if "no" not in frame.columns:
        return frame
    frame = frame.copy()
    names = department_names(plan_review.departments)
    if "direction" not in frame.columns:
        direction = plan_review.measures.set_index("no")["direction"]
        frame.insert(frame.columns.get_loc("no") + 1, "direction", direction.reindex(frame["no"]).to_numpy())
    if "departments" not in frame.columns and "department" not in frame.columns:
        frame.insert(frame.columns.get_loc("direction") + 1, "departments",
                     names.reindex(frame["no"]).fillna("").to_numpy())
    return frame


def _cell_value(value: object, column: str, western: bool) -> object:
    """A value as the sheet stores it: numbers stay numbers, years and booleans become text, missing is empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return BOOLEAN_WORDS["ja"][0] if value else BOOLEAN_WORDS["ja"][1]
    if column in FISCAL_YEAR_COLUMNS:
        return fiscal_year_label(int(value), western=western)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _shown_width(value: object) -> int:
    """The width a cell's value takes as shown: a float as its one decimal (57.9%), text by display width."""
    if isinstance(value, float):
        return len(f"{value:.1%}")
    return display_width(value)


def _write_sheet(book: Workbook, name: str, frame: pd.DataFrame, western: bool, scale: RatingScale) -> None:
    sheet = book.create_sheet(name)
    columns = list(frame.columns)
    headers = list(localize(frame.head(0), "ja", scale=scale).columns)
    sheet.append(headers)
    categorical = [isinstance(frame[c].dtype, pd.CategoricalDtype) for c in columns]
    for row in frame.itertuples(index=False):
        sheet.append([_cell_value(str(v) if cat and not pd.isna(v) else v, c, western)
                      for v, c, cat in zip(row, columns, categorical)])
    font, bold = Font(name=WORKBOOK_FONT, size=10), Font(name=WORKBOOK_FONT, size=10, bold=True)
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    lines_of_row = [1] * (sheet.max_row + 1)  # how many lines each row's wrapped text takes
    header_lines = 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = sheet[letter]
        widest = max((_shown_width(c.value) for c in cells[1:] if c.value is not None), default=0)
        header = display_width(cells[0].value)
        long_text = column in _TEXT_COLUMNS and widest > _WRAPPED_WIDTH
        # a long header (達成・概ね達成の割合) wraps over its numbers instead of widening the column
        width = min(_WRAPPED_WIDTH, max(widest, min(header, _HEADER_WIDTH)) + 2)
        sheet.column_dimensions[letter].width = width
        header_lines = max(header_lines, -(-header // (width - 2)))
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")
        number_format = "0.0%" if column in SHARE_COLUMNS else ("0.0" if column in SCORE_COLUMNS else None)
        styled = {}  # the style of the column's first cell with a number, and without
        for cell in cells[1:]:
            if cell.data_type == "f":  # text that starts with = is stored as text, never as a formula
                cell.data_type = "s"
            numeric = bool(number_format) and isinstance(cell.value, (int, float))
            if numeric in styled:
                _copy_style(styled[numeric], cell)
            else:
                cell.font = font
                if numeric:
                    cell.number_format = number_format
                cell.alignment = wrap if long_text else top
                styled[numeric] = cell
            if long_text:
                if cell.value is not None:
                    lines = -(-display_width(cell.value) // (_WRAPPED_WIDTH - 2))  # ceiling division
                    lines_of_row[cell.row] = max(lines_of_row[cell.row], lines)
        cells[0].font = bold
    lines_of_row[1] = header_lines
    for row, lines in enumerate(lines_of_row):
        if lines > 1:  # Excel and LibreOffice do not grow a row for wrapped text written by a program
            sheet.row_dimensions[row].height = LINE_HEIGHT * lines
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    # a sheet too wide for a page prints across pages, each with the columns up to 施策の方向性
    names = [c for c in columns if c in ("no", "direction")]
    print_setup(sheet, repeat_columns=f"A:{get_column_letter(columns.index(names[-1]) + 1)}" if names else None)


def write_text_rows(sheet, rows: list[list[object]]) -> Font:
    """Append rows of text to a sheet of notes: the workbook font, wrapped at the top, text never a formula.

    Returns the bold font, for the headings of the sheet.
    """
    for row in rows:
        sheet.append(row)
    font = Font(name=WORKBOOK_FONT, size=10)
    for row in sheet.iter_rows():
        for cell in row:
            cell.font = font
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.data_type == "f":
                cell.data_type = "s"
    return Font(name=WORKBOOK_FONT, size=10, bold=True)


def _copy_style(styled, cell) -> None:
    """Give ``cell`` the style of ``styled``, as openpyxl copies a cell's style: the indexes into the book's
    fonts, fills and alignments. Setting the font and the alignment again hashes each, which took two thirds of
    the workbook's time at a thousand measures; the file is the same."""
    cell._style = copy.copy(styled._style)


#: The smallest print scale, in percent: the sheets' 10-point text prints at 8 points at least (issue 24 §3).
MIN_PRINT_SCALE = 80
#: A4's width and height, in inches.
_A4_INCHES = (8.27, 11.69)


#: How much wider a column prints than Excel's ``7w + 5`` pixels say: LibreOffice prints the workbook's sheets
#: at up to 1.3 times that width (measured: 説明 at 74 % where 100 % was predicted for 505 points on 487).
_PRINT_WIDTH_FACTOR = 1.3


def printed_width(sheet) -> float:
    """The sheet's columns at 100 %, in points: a width of ``w`` characters is ``7w + 5`` pixels of 0.75 pt in
    Excel, times :data:`_PRINT_WIDTH_FACTOR` for what other programs print."""
    widths = [sheet.column_dimensions[get_column_letter(index)].width or 8.43
              for index in range(1, sheet.max_column + 1)]
    return sum((7 * width + 5) * 0.75 for width in widths) * _PRINT_WIDTH_FACTOR


def print_setup(sheet, *, orientation: str = "landscape", header_row: bool = True,
                repeat_columns: str | None = None) -> None:
    """A4, the header row on every page, the sheet name and page number in the footer; one page wide when the
    sheet fits at :data:`MIN_PRINT_SCALE` % or more, else printed at that scale across pages, with
    ``repeat_columns`` (``"A:C"``: No and 施策の方向性) on each, so that no text prints under 8 points."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = orientation
    paper = _A4_INCHES[0] if orientation == "portrait" else _A4_INCHES[1]
    printable = (paper - sheet.page_margins.left - sheet.page_margins.right) * 72
    if printable >= printed_width(sheet) * MIN_PRINT_SCALE / 100:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    else:
        sheet.page_setup.scale = MIN_PRINT_SCALE
        if repeat_columns:
            sheet.print_title_cols = repeat_columns
    if header_row:
        sheet.print_title_rows = "1:1"
    sheet.oddFooter.center.text = "&A　&P / &N"


def sheet_names(names: list[str], *, fixed: list[bool]) -> list[str]:
    """Sheet names Excel accepts, one per ``names``, all different: the ``fixed`` ones as they are, first come first.

    A name that is not fixed has ``[]:*?/\\`` replaced by ``_`` and a leading
    or trailing apostrophe by ``_``, and is cut to 31 characters; where it
    would repeat a name already taken (ignoring case, as Excel does) or be
    Excel's reserved ``History``, it gets ``（2）``, ``（3）``, … within the 31.

    Examples
    --------
    >>> sheet_names(["説明", "推進課別", "推進課別", "施策_事業別", "施策/事業別"], fixed=[True, True, False, False, False])
    ['説明', '推進課別', '推進課別（2）', '施策_事業別', '施策_事業別（2）']
    """
    taken = {name.casefold() for name, is_fixed in zip(names, fixed) if is_fixed}
    written = []
    for name, is_fixed in zip(names, fixed):
        if not is_fixed:
            name = re.sub(r"^'|'$", "_", _SHEET_FORBIDDEN.sub("_", name))[:_SHEET_MAX] or "_"
            base, number = name, 1
            while name.casefold() in taken or name.casefold() == _SHEET_RESERVED:
                number += 1
                suffix = f"（{number}）"
                name = base[:_SHEET_MAX - len(suffix)] + suffix
            taken.add(name.casefold())
        written.append(name)
    return written


def _explanation(book: Workbook, plan_review: PlanReview, source_name: str, sheets: list[tuple[str, str]]) -> None:
    """The first sheet, 説明: what the workbook is, and how to read it (``sheets``: name and contents, as written)."""
    sheet = book.active
    sheet.title = EXPLANATION_SHEET
    scale = plan_review.scale
    label = lambda fy: fiscal_year_label(fy, western=plan_review.western)  # noqa: E731
    rows: list[list[object]] = [
        [f"{REVIEW_NAMES['ja'][plan_review.kind]}の集計表"],
        [PLAN_FACTS["plan"], plan_review.title],
        [PLAN_FACTS["title_source"], TITLE_SOURCE[plan_review.title_source].format(
            heading=plan_review.heading, removed=plan_name(plan_review.heading)[1])],
        [PLAN_FACTS["source"], source_name],
        [PLAN_FACTS["period"], f"{label(plan_review.first_fy)}〜{label(plan_review.last_fy)}"],
        [PLAN_FACTS["as_of"], label(plan_review.as_of) + (f"（{AS_OF_SOURCE[plan_review.as_of_source]}）"
                                                  if plan_review.as_of_source != "given" else "")],
        [PLAN_FACTS["measures"], len(plan_review.measures)],
        [],
        ["評価の尺度", SCALE_LEGEND["assumed" if scale.meanings_assumed else "given"]],
        ["評価", "意味", "得点"],  # the score in the narrow column C, not at the far edge of the wide B
        *[[symbol, meaning, score] for symbol, score, meaning in zip(scale.symbols, scale.scores, scale.labels_ja)],
        [],
        ["評価点", f"評価を得点にした平均を、{scale.symbols[0]}={scale.max_score}点〜{scale.lowest}={scale.min_score}点で"
                   "0〜100に換算した値（(平均得点 − 最低点) ÷ (最高点 − 最低点) × 100）"],
        *[[header, f"{symbols}の施策の割合"] for header, symbols in zip(
            share_labels(scale).values(), ("・".join(scale.implemented), scale.lowest))],
        [],
        ["シート", "内容"],
        *[[name, contents] for name, contents in sheets],
    ]
    bold = write_text_rows(sheet, rows)
    sheet["A1"].font = Font(name=WORKBOOK_FONT, size=14, bold=True)
    for row in (9, 10, 13 + len(scale), 17 + len(scale)):
        sheet.cell(row=row, column=1).font = bold
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = _EXPLANATION_WIDTH
    sheet.column_dimensions["C"].width = 20
    for number, row in enumerate(rows, start=1):  # a long line wraps in column B: give its row the lines it takes
        lines = -(-display_width(row[1]) // (_EXPLANATION_WIDTH - 2)) if len(row) > 1 else 1
        if lines > 1:
            sheet.row_dimensions[number].height = LINE_HEIGHT * lines
    print_setup(sheet, orientation="portrait", header_row=False)


def write_workbook(plan_review: PlanReview, path: str | Path, *, source_name: str = "") -> Path:
    """Write the review's workbook (see the module's text); return its path."""
    tables = [table for table in review_contents(plan_review).tables if table.sheet is not None]
    names = sheet_names([EXPLANATION_SHEET, *(table.sheet for table in tables)],
                        fixed=[True, *(table.fixed for table in tables)])[1:]
    book = Workbook()
    _explanation(book, plan_review, source_name, [(name, table.description) for name, table in zip(names, tables)])
    for name, table in zip(names, tables):
        _write_sheet(book, name, named_codes(_with_measure_names(table.frame, plan_review), "ja"), plan_review.western,
                     plan_review.scale)
    book.properties.creator = "kyodo-analysis"
    book.properties.title = f"{plan_review.title} {REVIEW_NAMES['ja'][plan_review.kind]}の集計表"
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    buffer = io.BytesIO()
    book.save(buffer)
    path = Path(path)
    stable_zip(buffer.getvalue(), path)
    return path
