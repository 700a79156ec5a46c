"""The answer workbook of the survey: who answers which measure, and what a department's workbook holds.

The evaluation office sends each department a workbook of its measures; the
department writes this year's status and picks this year's rating from a
drop-down; the office collects the workbooks, checks them and builds the next
round's status table (issue 15). A department's workbook holds two sheets:

- sheet 記入方法 (first): the plan, the department (cell B2, read back at
  intake), the round-1 file, the deadline and contact, what to fill in, the
  rating scale with its meanings, and whether those meanings are assumed;
- sheet 回答: one row per measure of the department, by No: No, the group
  (the broadest level of ``structure``, else 表の区分 and the block number),
  施策の方向性, 内容, 実施目標年度, 前回の状況, 前回の評価, 回答の扱い, then
  今回の状況 and 今回の評価, the only unlocked cells (the sheet is protected
  without a password); 今回の評価 is a drop-down of the scale's symbols with
  their meanings as its input message.

The lead department (主担当課) of a measure is the first one of its 推進課 cell that is
not 全課; its answer is the one used (回答の扱い: この課の回答を採用). Every other
department sees the measure for reference (参考（主担当：X課）): it may leave it
blank, or answer the same as the lead.

Examples
--------
>>> survey_file_names(["協働推進課", "企画/財政課", "CON"])
{'協働推進課': '協働推進課.xlsx', '企画/財政課': '企画_財政課.xlsx', 'CON': '_CON.xlsx'}
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path

from kyodo_analysis.era import fiscal_year_label
from kyodo_analysis.ratings import RatingScale
from kyodo_analysis.source.parsing import (
    Measure,
    StatusTable,
    StatusTableError,
    plan_name,
)
from kyodo_analysis.source.xlsx_reader import MAX_CELL_CHARS
from kyodo_analysis.validation import (
    ArgumentError,
    quote_value,
)
from kyodo_analysis.words import ALL_DEPARTMENTS, SCALE_LEGEND, level_name
from kyodo_analysis.writers.layout import display_width
from kyodo_analysis.writers.ooxml import FIXED_TIME, stable_zip
from kyodo_analysis.writers.workbook import LINE_HEIGHT, WORKBOOK_FONT, print_setup, write_text_rows

__all__ = [
    "ANSWER_SHEET", "GUIDE_SHEET", "DEPARTMENT_CELL", "PLAN_CELL", "SOURCE_CELL", "survey_identity", "LEAD_MARK",
    "REFERENCE_MARK", "FONT_NAME", "LOCKED_COLUMNS", "STATUS_COLUMN", "RATING_COLUMN", "STATUS_LETTER",
    "RATING_LETTER", "LAST_COLUMN_LETTER", "WORKBOOK_SUFFIXES", "lead_department", "read_leads", "check_leads",
    "survey_departments", "survey_file_names", "answer_groups", "answer_headers", "answer_rows", "related_texts",
    "rating_choices", "workbook_bytes", "check_cell_lengths", "ALL_DEPARTMENTS", "INPUT_FILL", "HEADER_FILL",
    "protect_sheet", "survey_as_of",
]


#: The 推進課 entry that means every department: never a measure's lead.
#: The sheet the department fills in, and the first sheet, which explains it.
ANSWER_SHEET = "回答"


GUIDE_SHEET = "記入方法"


#: The cell of the guide sheet holding the department's name, read back at intake.
DEPARTMENT_CELL = "B2"
#: The cells of 記入方法 that name the survey: the plan, and round 1's table (前回の状況の出典).
PLAN_CELL, SOURCE_CELL = "B1", "B3"


#: 回答の扱い of the lead department's rows, and of the others' (which name the lead).
LEAD_MARK = "この課の回答を採用"


REFERENCE_MARK = "参考（主担当：{lead}）"


#: The font of every cell (Yu Gothic, as in the review's workbook).
FONT_NAME = WORKBOOK_FONT


# The columns of the answer sheet: header (None: the group level's name), width, wrapped.
_COLUMNS: tuple[tuple[str | None, int, bool], ...] = (
    ("No", 6, False),
    (None, 16, True),
    ("施策の方向性", 24, True),
    ("内容", 40, True),
    ("実施目標年度", 13, False),
    ("前回の状況", 44, True),
    ("前回の評価", 11, False),
    ("回答の扱い", 18, True),
    ("今回の状況", 60, True),
    ("今回の評価", 11, False),
)


LOCKED_COLUMNS = 8  # A-H hold round 1; I and J are the answer

#: Column B of 記入方法, in characters: the sheet prints on A4 portrait with its text at 8 points or more.
_GUIDE_WIDTH = 60


STATUS_COLUMN, RATING_COLUMN = 9, 10


STATUS_LETTER, RATING_LETTER = "I", "J"


LAST_COLUMN_LETTER = "J"


INPUT_FILL = "FFF2CC"  # light yellow: the cells to fill in


HEADER_FILL = "D9D9D9"


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xls", ".ods")


_ILLEGAL_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


_RESERVED_FILE_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                                  *(f"LPT{i}" for i in range(1, 10))})


#: The most UTF-8 bytes of a workbook's file name before .xlsx: file systems allow 255 bytes (a kanji takes 3),
#: and the file is first written under a name 20 bytes longer (.NAME.xlsx.XXXXXXXX.partial).
_MAX_STEM_BYTES = 200


def lead_department(measure: Measure, leads: dict[int, str] | None = None) -> str | None:
    """The department whose answer counts: the measure's in ``leads`` (a file ``No,主担当課``, :func:`read_leads`),
    else the first of the 推進課 cell that is not 全課 (None if only 全課).

    Examples
    --------
    >>> from kyodo_analysis.source.loaders import load_status_table
    >>> measures = {m.no: m for m in load_status_table().measures}
    >>> lead_department(measures[1]), lead_department(measures[16]), measures[16].departments
    ('秘書広報課', '政策推進課', ('政策推進課', '協働推進課', '全課'))
    """
    if leads and measure.no in leads:
        return leads[measure.no]
    return next((department for department in measure.departments if department != ALL_DEPARTMENTS), None)


def read_leads(path: str | os.PathLike, table: StatusTable) -> dict[int, str]:
    """The primary departments a file names (CSV or .xlsx with the columns ``No`` and ``主担当課``), by No.

    Each must be one of the measure's own departments, and not 全課; a No may be named once.

    Raises
    ------
    StatusTableError
        A missing column, a No not in the table, a department the measure does not name, or a No named twice,
        naming the file, the line and the value.
    """
    from kyodo_analysis.source.structure import read_columns

    path = Path(path)
    measures = {measure.no: measure for measure in table.measures}
    leads: dict[int, str] = {}
    for line, cells in read_columns(path, ("No", "主担当課"), error=StatusTableError):
        no, department = cells["No"], cells["主担当課"]
        if not no.isdigit() or int(no) not in measures:
            raise StatusTableError("No が表の施策番号ではありません", path=path, line=line, value=no)
        named = measures[int(no)].departments
        if department not in named or department == ALL_DEPARTMENTS:
            raise StatusTableError(f"主担当課は No.{int(no)} の推進課（{'・'.join(named)}）のどれか（{ALL_DEPARTMENTS}以外）に"
                                   "してください", path=path, line=line, value=department)
        if int(no) in leads:
            raise StatusTableError(f"No.{int(no)} の主担当課が2回書かれています", path=path, line=line, value=no)
        leads[int(no)] = department
    return leads


def check_leads(table: StatusTable, leads: dict[int, str] | None = None) -> None:
    """Stop when a measure names only 全課 (and ``leads`` names none for it): no department could answer for it."""
    for measure in table.measures:
        if lead_department(measure, leads) is None:
            raise StatusTableError(
                f"No.{measure.no} の推進課が{ALL_DEPARTMENTS}だけで、主担当課がないため、どの回答も使えません。"
                "表で主担当課を最初に書いてください", path=table.path, line=measure.line,
                value=" ".join(measure.departments))


def survey_departments(table: StatusTable, *, all_departments: bool = False) -> list[str]:
    """Every department named in a 推進課 cell, in order of first appearance (by No); 全課 only if asked.

    Examples
    --------
    >>> from kyodo_analysis.source.loaders import load_status_table
    >>> survey_departments(load_status_table())
    ['秘書広報課', '協働推進課', '福祉課', '産業振興課', '生涯学習課', '政策推進課', '総務課']
    """
    names = dict.fromkeys(department for measure in table.measures for department in measure.departments)
    return [name for name in names if all_departments or name != ALL_DEPARTMENTS]


def _file_stem(department: str) -> str:
    stem = _ILLEGAL_IN_FILE_NAMES.sub("_", department).strip(" .")
    if stem.startswith("~"):  # ~$name.xlsx is the lock file Excel leaves beside an open workbook
        stem = "_" + stem[1:]
    if not stem or stem.split(".")[0].upper() in _RESERVED_FILE_NAMES:
        stem = "_" + stem
    return stem.encode("utf-8")[:_MAX_STEM_BYTES].decode("utf-8", "ignore")  # never half a character


def survey_file_names(departments: Iterable[str]) -> dict[str, str]:
    """The workbook file of each department: its name without the characters file names cannot hold.

    Two names that become the same file (also when letter case differs) are told
    apart by ``_2``, ``_3`` … in the given order.
    """
    names: dict[str, str] = {}
    used: set[str] = set()
    for department in departments:
        stem = _file_stem(department)
        name, count = f"{stem}.xlsx", 1
        while name.casefold() in used:
            count += 1
            name = f"{stem}_{count}.xlsx"
        used.add(name.casefold())
        names[department] = name
    return names


def answer_groups(table: StatusTable, structure: str | os.PathLike | None) -> tuple[str, dict[int, object]]:
    """The group column's header and each measure's group: the broadest structure level, else the table's block."""
    if structure is None:
        return level_name("block"), {measure.no: measure.block for measure in table.measures}
    from kyodo_analysis.source.structure import read_structure

    frame = read_structure(structure, measure_numbers=[measure.no for measure in table.measures])
    level = str(frame.columns[1])
    return level, dict(zip(frame["no"].tolist(), frame[level].tolist()))


def answer_headers(level: str) -> list[str]:
    return [level if header is None else header for header, _, _ in _COLUMNS]


def answer_rows(table: StatusTable, department: str, groups: dict[int, object],
                leads: dict[int, str] | None = None,
                related: dict[int, list[tuple[str, str]]] | None = None) -> list[tuple[Measure, list[object]]]:
    """The department's measures by No, each with the locked cells (A-H) round 1 gives it: its 前回の状況 is the
    lead's status, then each 関係課の記述 in ``related`` (:func:`related_texts`); ``leads`` overrides who
    answers (:func:`lead_department`)."""
    related = related or {}
    rows = []
    for measure in table.measures:
        if department not in measure.departments:
            continue
        lead = lead_department(measure, leads)
        status = measure.status + "".join(f"\n【関係課の記述】{name}：{text}" for name, text in related.get(measure.no, ()))
        rows.append((measure, [
            measure.no, groups[measure.no], measure.direction, measure.content,
            fiscal_year_label(measure.target_fy, western=table.western), status, measure.rating,
            LEAD_MARK if lead == department else REFERENCE_MARK.format(lead=lead),
        ]))
    return rows


def related_texts(table: StatusTable) -> dict[int, list[tuple[str, str]]]:
    """The 関係課の記述 the last collection kept beside round 1's table (:mod:`kyodo_analysis.source.related`),
    by No: read once for all the departments' workbooks."""
    import pandas as pd

    from kyodo_analysis.source.related import read_related, related_path

    path = related_path(table.path)
    if not table.path or not os.path.lexists(path):
        return {}
    found: dict[int, list[tuple[str, str]]] = {}
    measures = pd.DataFrame({"no": [measure.no for measure in table.measures]})
    for no, name, text in read_related(path, measures).itertuples(index=False):
        found.setdefault(int(no), []).append((name, text))
    return found


def _lines(value: object, width: int) -> int:
    """How many lines a wrapped cell takes in a column ``width`` characters wide."""
    if value is None or value == "":
        return 1
    return sum(max(1, -(-display_width(part) // max(1, width - 2))) for part in str(value).split("\n"))


def _as_text_cells(sheet) -> None:
    """Store every text as text: a value that starts with = is never a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def protect_sheet(sheet) -> None:
    """Lock the sheet without a password; rows and columns may still be resized (to read long text)."""
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False


def _scale_prompt(scale: RatingScale) -> str:
    """The drop-down's input message: each grade and its meaning."""
    return "／".join(f"{symbol} {label}" for symbol, label in zip(scale.symbols, scale.labels_ja))


def rating_choices(scale: RatingScale) -> str:
    """The drop-down's list formula, ``"◎,○,△,×"``."""
    for symbol in scale.symbols:
        if "," in symbol or '"' in symbol:
            raise ArgumentError(f"scale symbol {symbol!r} cannot stand in an Excel drop-down (no , or \")")
    formula = '"' + ",".join(scale.symbols) + '"'
    if len(formula) > 255:
        raise ArgumentError(f"the scale's symbols take {len(formula)} characters; an Excel drop-down list holds 255")
    return formula


def survey_as_of(table: StatusTable) -> int:
    """The year round 1 is as of: the latest its statuses name, else the plan's first year."""
    from kyodo_analysis.era import find_fiscal_year_mentions

    years = [fy for measure in table.measures for fy, _, _ in find_fiscal_year_mentions(measure.status)]
    return max(years) if years else table.fiscal_years[0]


def survey_identity(table: StatusTable) -> tuple[str, str]:
    """What names a survey in each of its workbooks (記入方法!B1 and B3): the plan, and round 1's table file
    with the year it is as of (:func:`survey_as_of`: ``round2.txt（平成23年度時点）``)."""
    return (plan_name(table.title)[0],
            f"{Path(table.path).name}（{fiscal_year_label(survey_as_of(table), western=table.western)}時点）")


def _guide_sheet(sheet, table: StatusTable, department: str, n_rows: int, *, deadline: str, contact: str,
                 scale: RatingScale, actuals: tuple[int, str] | None = None) -> None:
    from openpyxl.styles import Font

    symbols = "・".join(scale.symbols)
    plan, source = survey_identity(table)  # B1 and B3, read back at intake
    rows: list[list[object]] = [
        ["計画", plan],
        ["推進課", department],
        ["前回の状況の出典", source],
        ["回答期限", deadline],
        ["問い合わせ先", contact],
        [],
        ["記入のしかた"],
        ["", f"「{ANSWER_SHEET}」シートの各行は、推進課にこの課が含まれる施策です（{n_rows}件）。"],
        ["", "記入するのは「今回の状況」と「今回の評価」の2列（色の付いたセル）だけです。"
             "ほかの列は保護されていて変更できません。"],
        ["", "今回の状況：今年度までの実施状況を文章で記入してください。"],
        ["", f"今回の評価：セルを選ぶと表示される一覧（{symbols}）から選んでください。"],
        ["", f"回答の扱いが「{LEAD_MARK}」の施策は、この課の回答を次回の状況表に使います。"
             "必ず両方を記入してください。主担当課は、施策の推進課の欄で最初に書かれた課です"
             "（別に指定した施策は、回答の扱いの列のとおりです）。"],
        ["", f"回答の扱いが「{REFERENCE_MARK.format(lead='○○課')}」の施策は、主担当課の回答を使います。"
             "記入は不要です。記入する場合は主担当課と同じ内容にしてください（異なる場合は照会します）。"
             "すべての行が参考の課は、ブックを返送しなくてもかまいません。"],
        ["", "行や列の追加・削除、No の変更はしないでください。ファイル名を変えずに返送してください。"],
        [],
        ["評価の尺度", SCALE_LEGEND["assumed_polite" if scale.meanings_assumed else "given_polite"] + "。"],
        ["評価", "意味"],
        *[[symbol, label] for symbol, label in zip(scale.symbols, scale.labels_ja)],
    ]
    if actuals is not None:  # the indicators this department answers for (survey.actuals)
        from kyodo_analysis.survey.actuals import INDICATOR_SHEET

        n_indicators, year = actuals
        rows += [[], [INDICATOR_SHEET, f"「{INDICATOR_SHEET}」シートの各行は、この課が実績値を記入する成果指標です"
                                       f"（{n_indicators}件）。「{year}の実績値」の列（色の付いたセル）に、{year}の実績値を"
                                       "数値だけで記入してください（単位は不要）。まだ集計していない指標は空欄のままに"
                                       "してください。このシートがある課は、ブックを必ず返送してください。"]]
    bold = write_text_rows(sheet, rows)
    if actuals is not None:
        sheet.cell(row=len(rows), column=1).font = bold
    for row in (1, 2, 7, 16, 17):
        sheet.cell(row=row, column=1).font = bold
    sheet[DEPARTMENT_CELL].font = Font(name=FONT_NAME, size=12, bold=True)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = _GUIDE_WIDTH
    for index in range(1, sheet.max_row + 1):
        lines = _lines(sheet.cell(row=index, column=2).value, _GUIDE_WIDTH)
        if lines > 1:
            sheet.row_dimensions[index].height = LINE_HEIGHT * lines
    _as_text_cells(sheet)
    protect_sheet(sheet)
    print_setup(sheet, orientation="portrait", header_row=False)


def _answer_sheet(sheet, rows: list[tuple[Measure, list[object]]], level: str, scale: RatingScale) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.append(answer_headers(level))
    for _, cells in rows:
        sheet.append([*cells, None, None])
    font, bold = Font(name=FONT_NAME, size=10), Font(name=FONT_NAME, size=10, bold=True)
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    centred = Alignment(horizontal="center", vertical="top")
    input_fill = PatternFill("solid", fgColor=INPUT_FILL)
    unlocked = Protection(locked=False)
    for index, (_, width, wrapped) in enumerate(_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        header = sheet.cell(row=1, column=index)
        header.font = bold
        header.fill = PatternFill("solid", fgColor=HEADER_FILL)
        header.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row in range(2, len(rows) + 2):
            cell = sheet.cell(row=row, column=index)
            cell.font = font
            cell.alignment = wrap if wrapped else (centred if index in (RATING_COLUMN, 7) else top)
            if index >= STATUS_COLUMN:
                cell.protection = unlocked
                cell.fill = input_fill
    for row in range(2, len(rows) + 2):
        lines = max(_lines(sheet.cell(row=row, column=index).value, width)
                    for index, (_, width, wrapped) in enumerate(_COLUMNS, start=1) if wrapped)
        sheet.row_dimensions[row].height = LINE_HEIGHT * max(2, lines)
    validation = DataValidation(
        type="list", formula1=rating_choices(scale), allow_blank=True, showDropDown=False,
        showInputMessage=True, promptTitle="今回の評価", prompt=_scale_prompt(scale)[:255],
        showErrorMessage=True, errorStyle="stop", errorTitle="今回の評価",
        error=f"一覧の評価（{'・'.join(scale.symbols)}）から選んでください。",
    )
    sheet.add_data_validation(validation)
    validation.add(f"{RATING_LETTER}2:{RATING_LETTER}{len(rows) + 1}")
    _as_text_cells(sheet)
    sheet.freeze_panes = "C2"
    protect_sheet(sheet)
    print_setup(sheet, orientation="landscape", header_row=True, repeat_columns="A:C")  # No to 施策の方向性


def workbook_bytes(table: StatusTable, department: str, rows: list[tuple[Measure, list[object]]], level: str, *,
                    deadline: str, contact: str, scale: RatingScale, indicator_rows: list[list[str]] | None = None,
                    year_label: str = "") -> bytes:
    """The department's workbook: 記入方法, 回答, and 成果指標 when ``indicator_rows`` holds any
    (:func:`~kyodo_analysis.survey.actuals.write_actuals_sheet`, for the year ``year_label``)."""
    from openpyxl import Workbook

    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    _guide_sheet(guide, table, department, len(rows), deadline=deadline, contact=contact, scale=scale,
                 actuals=(len(indicator_rows), year_label) if indicator_rows else None)
    _answer_sheet(book.create_sheet(ANSWER_SHEET), rows, level, scale)
    if indicator_rows:
        from kyodo_analysis.survey.actuals import INDICATOR_SHEET, write_actuals_sheet

        write_actuals_sheet(book.create_sheet(INDICATOR_SHEET), indicator_rows, year_label)
    book.properties.creator = "kyodo-analysis"
    book.properties.title = f"{plan_name(table.title)[0]} 施策実施状況の照会（{department}）"
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    saved = io.BytesIO()
    book.save(saved)
    return stable_zip(saved.getvalue())


def check_cell_lengths(table: StatusTable, rows: list[tuple[Measure, list[object]]], headers: list[str]) -> None:
    """Refuse a text longer than a workbook cell holds: openpyxl would cut it silently, and the cut cell would
    later read as an edited protected column."""
    def refuse(where: str, value: str) -> None:
        raise ArgumentError(
            f"{table.path}: {where}は {len(value):,} 文字あり、Excelの1つのセルに入る {MAX_CELL_CHARS:,} 文字を超えます。"
            f"調査票では切り詰められてしまうため、書き出しません。表のこのセルを短くしてください（{quote_value(value)}）")

    if len(table.title) > MAX_CELL_CHARS:
        refuse("計画名", table.title)
    for measure, cells in rows:
        for header, value in zip(headers, cells):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                refuse(f"No {measure.no} の{header}", value)
