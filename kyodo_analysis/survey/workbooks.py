"""The survey of a review round: one answer workbook per department, and the next round's table from the answers.

The evaluation office sends each department a workbook of its measures; the
department writes this year's status and picks this year's rating from a
drop-down; the office collects the workbooks, checks them and builds the next
round's status table (issue 15).

:func:`write_survey` (``kyodo-survey``) writes ``<department>.xlsx`` for every
department named in a 推進課 cell of round 1, in order of first appearance
(全課, "all departments", only with ``all_departments``):

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

:func:`load_survey` (``kyodo-survey --collect``) reads the returned workbooks
and gives round 2: round 1's measures with the leads' statuses and ratings.
It checks every workbook against what round 1 would write and reports every
problem at once (:class:`SurveyError`), each as
``<file>:<sheet>!<cell>: <problem> (<value>)``: a rating off the scale, a
blank rating (or status) beside a written status (or rating), a measure its
lead left blank, a No changed or a row added, a protected cell edited, a
missing or unexpected workbook, and a measure two departments answered
differently (unless ``accept_lead``, which keeps the lead's answer and lists
what it overrode); an answer that is no text (a formula, a spreadsheet error
value such as ``#N/A``, nothing but invisible characters) or that holds a
control or bidi character (U+202E); two files whose names differ only in NFC
and NFD. Zero-width characters are removed from answers and noted
(:attr:`SurveyResult.notes`). Every workbook is read with bounded work
(:func:`~kyodo_analysis.source.xlsx_reader.read_workbook`): a device, a FIFO, a zip
bomb or a cell beyond 5,000 rows x 60 columns is one problem line. Nothing is
dropped silently.

:func:`write_round` writes round 2 as an extracted status table that
:func:`~kyodo_analysis.source.parsing.read_status_table` reads back exactly.

Every file is written whole or not at all: staged under a fresh name that
:func:`tempfile.mkstemp` makes beside it (never a link followed), then renamed
into place. A target that is a symbolic link, a folder, a device or a FIFO is
refused, never written through or replaced. ``kyodo-survey --collect`` never
writes over one of its inputs, nor anywhere in the collect folder but its
``round2.txt``; a full disk is said once, naming the file.

Examples
--------
>>> survey_file_names(["協働推進課", "企画/財政課", "CON"])
{'協働推進課': '協働推進課.xlsx', '企画/財政課': '企画_財政課.xlsx', 'CON': '_CON.xlsx'}
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kyodo_analysis.analysis.summaries import ALL_DEPARTMENTS
from kyodo_analysis.era import era_base_year, era_of_fiscal_year, fiscal_year_label
from kyodo_analysis.file_writes import refuse_git_folder, replace_files
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale, canonical_symbol
from kyodo_analysis.source.loaders import load_status_table
from kyodo_analysis.source.parsing import (
    Measure,
    StatusTable,
    StatusTableError,
    differs_from,
    normalize_text,
    parse_status_table,
    plan_name,
    strip_line,
)
from kyodo_analysis.source.writer import write_status_text
from kyodo_analysis.source.xlsx_reader import MAX_CELL_CHARS, SheetCell, SheetGrid, read_workbook
from kyodo_analysis.validation import (
    BIDI_CONTROL,
    CONTROL_CHARACTER,
    SPREADSHEET_ERROR,
    ArgumentError,
    ArgumentTypeError,
    KyodoError,
    check_one_line,
    check_scale,
    quote_value,
    remove_invisible,
)
from kyodo_analysis.words import SCALE_LEGEND, level_name
from kyodo_analysis.writers.layout import display_width
from kyodo_analysis.writers.ooxml import FIXED_TIME, stable_zip
from kyodo_analysis.writers.workbook import LINE_HEIGHT, WORKBOOK_FONT, print_setup, write_text_rows

__all__ = [
    "ALL_DEPARTMENTS",
    "ANSWER_SHEET",
    "GUIDE_SHEET",
    "DEPARTMENT_CELL",
    "LEAD_MARK",
    "SurveyError",
    "SurveyResult",
    "lead_department",
    "survey_departments",
    "survey_file_names",
    "write_survey",
    "load_survey",
    "render_round",
    "write_round",
]

#: The 推進課 entry that means every department: never a measure's lead.
#: The sheet the department fills in, and the first sheet, which explains it.
ANSWER_SHEET = "回答"
GUIDE_SHEET = "記入方法"
#: The cell of the guide sheet holding the department's name, read back at intake.
DEPARTMENT_CELL = "B2"
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
_LOCKED_COLUMNS = 8  # A-H hold round 1; I and J are the answer
_STATUS_COLUMN, _RATING_COLUMN = 9, 10
_STATUS_LETTER, _RATING_LETTER = "I", "J"
_LAST_LETTER = "J"
_INPUT_FILL = "FFF2CC"  # light yellow: the cells to fill in
_HEADER_FILL = "D9D9D9"
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xls", ".ods")

_ILLEGAL_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED_FILE_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                                  *(f"LPT{i}" for i in range(1, 10))})
#: The most UTF-8 bytes of a workbook's file name before .xlsx: file systems allow 255 bytes (a kanji takes 3),
#: and the file is first written under a name 20 bytes longer (.NAME.xlsx.XXXXXXXX.partial).
_MAX_STEM_BYTES = 200


class SurveyError(KyodoError):
    """Problems in the returned survey workbooks, every one found (``.problems``, one line each).

    Each line is ``<file>:<sheet>!<cell>: <problem> (<value>)``, or ``<file>: <problem> (<value>)`` for a
    problem of a whole file.
    """

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class SurveyResult:
    """Round 2 built from the answers.

    ``table`` holds round 1's measures with each lead department's status and
    rating (``line`` 0: they come from no line of a file); ``overridden`` one
    line per answer that differed from its lead's and was set aside with
    ``accept_lead``: the department, the No and that department's answer;
    ``notes`` one line per answer cell from which invisible characters
    (U+200B–U+200D, U+2060, U+FEFF) were removed: the cell, how many, and the
    cell as written (``kyodo-survey`` prints them).
    """

    table: StatusTable
    overridden: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


# --- departments and files -------------------------------------------------------------------


def lead_department(measure: Measure) -> str | None:
    """The department whose answer counts: the first of the 推進課 cell that is not 全課 (None if only 全課).

    Examples
    --------
    >>> from kyodo_analysis.source.loaders import load_status_table
    >>> measures = {m.no: m for m in load_status_table().measures}
    >>> lead_department(measures[1]), lead_department(measures[16]), measures[16].departments
    ('秘書広報課', '政策推進課', ('政策推進課', '協働推進課', '全課'))
    """
    return next((department for department in measure.departments if department != ALL_DEPARTMENTS), None)


def _check_leads(table: StatusTable) -> None:
    """Stop when a measure names only 全課: no department could answer for it."""
    for measure in table.measures:
        if lead_department(measure) is None:
            raise StatusTableError(
                f"measure {measure.no} names only {ALL_DEPARTMENTS} in 推進課: no department leads it, so no answer "
                f"would count; name its lead department first in the table", path=table.path, line=measure.line,
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


# --- what a workbook holds -------------------------------------------------------------------


def _groups(table: StatusTable, structure: str | os.PathLike | None) -> tuple[str, dict[int, object]]:
    """The group column's header and each measure's group: the broadest structure level, else the table's block."""
    if structure is None:
        return level_name("block"), {measure.no: measure.block for measure in table.measures}
    from kyodo_analysis.source.structure import read_structure

    frame = read_structure(structure, measure_numbers=[measure.no for measure in table.measures])
    level = str(frame.columns[1])
    return level, dict(zip(frame["no"].tolist(), frame[level].tolist()))


def _headers(level: str) -> list[str]:
    return [level if header is None else header for header, _, _ in _COLUMNS]


def _rows(table: StatusTable, department: str, groups: dict[int, object]) -> list[tuple[Measure, list[object]]]:
    """The department's measures by No, each with the locked cells (A-H) round 1 gives it."""
    rows = []
    for measure in table.measures:
        if department not in measure.departments:
            continue
        lead = lead_department(measure)
        rows.append((measure, [
            measure.no, groups[measure.no], measure.direction, measure.content,
            fiscal_year_label(measure.target_fy, western=table.western), measure.status, measure.rating,
            LEAD_MARK if lead == department else REFERENCE_MARK.format(lead=lead),
        ]))
    return rows


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


def _protect(sheet) -> None:
    """Lock the sheet without a password; rows and columns may still be resized (to read long text)."""
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False


def _scale_prompt(scale: RatingScale) -> str:
    """The drop-down's input message: each grade and its meaning."""
    return "／".join(f"{symbol} {label}" for symbol, label in zip(scale.symbols, scale.labels_ja))


def _validation_list(scale: RatingScale) -> str:
    """The drop-down's list formula, ``"◎,○,△,×"``."""
    for symbol in scale.symbols:
        if "," in symbol or '"' in symbol:
            raise ArgumentError(f"scale symbol {symbol!r} cannot stand in an Excel drop-down (no , or \")")
    formula = '"' + ",".join(scale.symbols) + '"'
    if len(formula) > 255:
        raise ArgumentError(f"the scale's symbols take {len(formula)} characters; an Excel drop-down list holds 255")
    return formula


def _guide_sheet(sheet, table: StatusTable, department: str, n_rows: int, *, deadline: str, contact: str,
                 scale: RatingScale) -> None:
    from openpyxl.styles import Font

    symbols = "・".join(scale.symbols)
    rows: list[list[object]] = [
        ["計画", plan_name(table.title)[0]],
        ["推進課", department],
        ["前回の状況の出典", Path(table.path).name],
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
             "必ず両方を記入してください。"],
        ["", f"回答の扱いが「{REFERENCE_MARK.format(lead='○○課')}」の施策は、主担当課の回答を使います。"
             "記入は不要です。記入する場合は主担当課と同じ内容にしてください（異なる場合は照会します）。"],
        ["", "行や列の追加・削除、No の変更はしないでください。ファイル名を変えずに返送してください。"],
        [],
        ["評価の尺度", SCALE_LEGEND["assumed_polite" if scale.meanings_assumed else "given_polite"] + "。"],
        ["評価", "意味"],
        *[[symbol, label] for symbol, label in zip(scale.symbols, scale.labels_ja)],
    ]
    bold = write_text_rows(sheet, rows)
    for row in (1, 2, 7, 16, 17):
        sheet.cell(row=row, column=1).font = bold
    sheet[DEPARTMENT_CELL].font = Font(name=FONT_NAME, size=12, bold=True)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90
    for index in range(1, sheet.max_row + 1):
        lines = _lines(sheet.cell(row=index, column=2).value, 90)
        if lines > 1:
            sheet.row_dimensions[index].height = LINE_HEIGHT * lines
    _as_text_cells(sheet)
    _protect(sheet)
    print_setup(sheet, orientation="portrait", header_row=False)


def _answer_sheet(sheet, rows: list[tuple[Measure, list[object]]], level: str, scale: RatingScale) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.append(_headers(level))
    for _, cells in rows:
        sheet.append([*cells, None, None])
    font, bold = Font(name=FONT_NAME, size=10), Font(name=FONT_NAME, size=10, bold=True)
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    centred = Alignment(horizontal="center", vertical="top")
    input_fill = PatternFill("solid", fgColor=_INPUT_FILL)
    unlocked = Protection(locked=False)
    for index, (_, width, wrapped) in enumerate(_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        header = sheet.cell(row=1, column=index)
        header.font = bold
        header.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        header.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row in range(2, len(rows) + 2):
            cell = sheet.cell(row=row, column=index)
            cell.font = font
            cell.alignment = wrap if wrapped else (centred if index in (_RATING_COLUMN, 7) else top)
            if index >= _STATUS_COLUMN:
                cell.protection = unlocked
                cell.fill = input_fill
    for row in range(2, len(rows) + 2):
        lines = max(_lines(sheet.cell(row=row, column=index).value, width)
                    for index, (_, width, wrapped) in enumerate(_COLUMNS, start=1) if wrapped)
        sheet.row_dimensions[row].height = LINE_HEIGHT * max(2, lines)
    validation = DataValidation(
        type="list", formula1=_validation_list(scale), allow_blank=True, showDropDown=False,
        showInputMessage=True, promptTitle="今回の評価", prompt=_scale_prompt(scale)[:255],
        showErrorMessage=True, errorStyle="stop", errorTitle="今回の評価",
        error=f"一覧の評価（{'・'.join(scale.symbols)}）から選んでください。",
    )
    sheet.add_data_validation(validation)
    validation.add(f"{_RATING_LETTER}2:{_RATING_LETTER}{len(rows) + 1}")
    _as_text_cells(sheet)
    sheet.freeze_panes = "C2"
    _protect(sheet)
    print_setup(sheet, orientation="landscape", header_row=True)


def _workbook_bytes(table: StatusTable, department: str, rows: list[tuple[Measure, list[object]]], level: str, *,
                    deadline: str, contact: str, scale: RatingScale) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    _guide_sheet(guide, table, department, len(rows), deadline=deadline, contact=contact, scale=scale)
    _answer_sheet(book.create_sheet(ANSWER_SHEET), rows, level, scale)
    book.properties.creator = "kyodo-analysis"
    book.properties.title = f"{plan_name(table.title)[0]} 施策実施状況の照会（{department}）"
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    saved = io.BytesIO()
    book.save(saved)
    return stable_zip(saved.getvalue())


def _check_cell_lengths(table: StatusTable, rows: list[tuple[Measure, list[object]]], headers: list[str]) -> None:
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


def _check_text_option(value: object, name: str) -> str:
    """``--deadline`` and ``--contact``: empty, or one line of visible text (:func:`check_one_line`)."""
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be text (str), not {type(value).__name__}")
    return value if value == "" else check_one_line(value, f"--{name}")


def write_survey(raw: str | os.PathLike | None, *, out: str | os.PathLike, era: str | None = None,
                 structure: str | os.PathLike | None = None, deadline: str = "", contact: str = "",
                 all_departments: bool = False, scale: RatingScale = KYODO_SCALE) -> list[Path]:
    """Write one answer workbook per department of round 1 into ``out``; return their paths, in department order.

    Parameters
    ----------
    raw : path-like or None
        Round 1's extracted status table (None: the bundled Kitamoto table).
    out : path-like
        The folder to write into (made if missing). A workbook already there is
        replaced only by identical bytes: a folder whose workbooks differ (filled
        in, or from other options) is refused before anything is written.
    era : str, optional
        The era of bare header years of ``raw``.
    structure : path-like, optional
        The plan's structure file; its broadest level is the group column.
    deadline, contact : str
        回答期限 and 問い合わせ先, written on the 記入方法 sheet.
    all_departments : bool
        Also write a workbook for 全課.
    scale : RatingScale
        The ratings of the drop-down.

    Raises
    ------
    StatusTableError
        For a defect of the table (also a measure naming only 全課) or of the structure file.
    ArgumentError
        For workbooks in ``out`` that would be overwritten, a workbook's name in ``out`` taken by a link, a
        folder, a device or a FIFO, or a text longer than a workbook cell holds (32,767 characters), which
        would be cut; nothing is written then.
    OSError
        When a file cannot be written (``filename`` names the workbook, also on a full disk); the workbooks
        staged so far are removed.
    """
    check_scale(scale)
    deadline = _check_text_option(deadline, "deadline")
    contact = _check_text_option(contact, "contact")
    if not isinstance(out, (str, os.PathLike)):
        raise ArgumentTypeError(f"out must be a folder path (str or Path), not {type(out).__name__}")
    table = load_status_table(raw, era=era, scale=scale)
    _check_leads(table)
    _validation_list(scale)
    level, groups = _groups(table, structure)
    departments = survey_departments(table, all_departments=all_departments)
    names = survey_file_names(departments)
    out = Path(out)
    refuse_git_folder(out, "--out")
    if out.exists() and not out.is_dir():
        raise ArgumentError(f"{out}: --out must be a folder, and this is a file")
    books: list[tuple[Path, bytes]] = []
    for department in departments:
        rows = _rows(table, department, groups)
        _check_cell_lengths(table, rows, _headers(level))
        books.append((out / names[department], _workbook_bytes(table, department, rows, level, deadline=deadline,
                                                               contact=contact, scale=scale)))
    out.mkdir(parents=True, exist_ok=True)
    clashes = [path.name for path, data in books if differs_from(path, data)]
    if clashes:
        raise ArgumentError(
            f"{out}: would overwrite {', '.join(clashes)}, which differ from the new workbooks (answers filled "
            f"in, or other options); nothing was written: choose a new --out folder, or move them away first")
    replace_files(books)
    return [path for path, _ in books]


# --- intake ----------------------------------------------------------------------------------


class _Answer(NamedTuple):
    """One department's answer to one measure, as read and checked."""

    department: str
    file: str
    row: int
    status: str  # normalized as the parser reads a cell; "" when blank
    rating: str  # on the scale; "" when blank
    valid: bool  # False when the row has a problem already reported

    @property
    def blank(self) -> bool:
        return not self.status and not self.rating

    def where(self, letter: str = _STATUS_LETTER) -> str:
        return f"{self.file}:{ANSWER_SHEET}!{letter}{self.row}"


def _problem(where: str, problem: str, value: object) -> str:
    return f"{where}: {problem} ({quote_value(value)})"


def _cell_text(value: object) -> str:
    """A cell's value as text: numbers as typed (7, not 7.0), blank as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _only_invisible(text: str) -> bool:
    """Whether ``text`` holds characters, but none that shows (:data:`~kyodo_analysis.validation.INVISIBLE` and
    spaces only). Spaces alone are a blank cell, not this."""
    return bool(text.strip()) and not remove_invisible(text).strip()


def _answer_text(cell: SheetCell, name: str, formula_hint: str, file: str, problems: list[str],
                 notes: list[str]) -> str | None:
    """The text of an answer cell, without invisible characters (noted); None when it is no answer (reported).

    Not an answer: a formula, a spreadsheet error value (#N/A …), a control character, a bidi control
    (which makes text read otherwise than it is), or nothing visible at all.
    """
    where = f"{file}:{ANSWER_SHEET}!{cell.coordinate}"
    if cell.data_type == "f":
        problems.append(_problem(where, f"{name} is a formula; {formula_hint}", cell.value))
        return None
    written = _cell_text(cell.value)
    if cell.data_type == "e" or SPREADSHEET_ERROR.fullmatch(written.strip()):
        problems.append(_problem(where, f"{name}が表計算のエラー値で、回答になっていません。"
                                        "エラー値ではなく文字を入力してください", written))
        return None
    found = CONTROL_CHARACTER.search(written)
    if found is not None:
        problems.append(_problem(where, f"{name} holds control character U+{ord(found.group()):04X}", written))
        return None
    found = BIDI_CONTROL.search(written)
    if found is not None:
        problems.append(_problem(where, f"{name}に文字の向きを変える制御文字 U+{ord(found.group()):04X} があり、"
                                        "書かれたとおりに読めません。この文字を取り除いてください", written))
        return None
    if _only_invisible(written):
        problems.append(_problem(where, f"{name}は見えない文字（ゼロ幅文字など）だけで、回答になっていません。"
                                        "セルを空にするか、回答を入力してください", written))
        return None
    visible = remove_invisible(written)
    if visible != written:
        notes.append(_problem(where, f"{name}から見えない文字（ゼロ幅文字など）を {len(written) - len(visible)} 個取り除きました",
                              written))
    return visible


def _read_answer(sheet: SheetGrid, file: str, department: str, row: int, scale: RatingScale,
                 problems: list[str], notes: list[str]) -> _Answer:
    status_cell = sheet.cell(row=row, column=_STATUS_COLUMN)
    rating_cell = sheet.cell(row=row, column=_RATING_COLUMN)
    where_status = f"{file}:{ANSWER_SHEET}!{status_cell.coordinate}"
    where_rating = f"{file}:{ANSWER_SHEET}!{rating_cell.coordinate}"
    written = _answer_text(status_cell, "今回の状況", "type the status as text", file, problems, notes)
    valid = written is not None
    status = normalize_text(written) if written and written.strip() else ""
    rating = ""
    written_rating = _answer_text(rating_cell, "今回の評価", "choose a grade from the list", file, problems, notes)
    if written_rating is None:
        valid = False
    else:
        read = unicodedata.normalize("NFKC", written_rating).strip()
        rating = read if read in scale.symbols else canonical_symbol(read)
        if read and rating not in scale.symbols:
            extra = " (▲ means minus, not △)" if read == "▲" else ""
            problems.append(_problem(where_rating, f"今回の評価 is not on the {scale.name or 'rating'} scale{extra} "
                                                   f"(accepted: {' '.join(scale.symbols)})", rating_cell.value))
            valid, rating = False, ""
    if valid and status and not rating:
        problems.append(_problem(where_rating, f"今回の評価 is blank, but 今回の状況 is written: choose a grade "
                                               f"({' '.join(scale.symbols)})", ""))
        valid = False
    if valid and rating and not status:
        problems.append(_problem(where_status, f"今回の状況 is blank, but 今回の評価 is {rating}: write the status", ""))
        valid = False
    return _Answer(department, file, row, status, rating, valid)


def _reader_problem(file: str, failure: StatusTableError) -> str:
    """The workbook reader's refusal as a problem line: ``<file>:<sheet>!<cell>: …`` or ``<file>: …``."""
    problem, value = failure.problem, file if failure.value is None else failure.value
    if problem.startswith(tuple(f"{sheet}{mark}" for sheet in (GUIDE_SHEET, ANSWER_SHEET) for mark in "!:")):
        where, _, problem = problem.partition(": ")
        return _problem(f"{file}:{where}", problem, value)
    return _problem(file, problem, value)


def _read_workbook(path: Path, file: str, department: str, rows: list[tuple[Measure, list[object]]], level: str,
                   scale: RatingScale, problems: list[str], notes: list[str]) -> dict[int, _Answer] | None:
    """The department's answers by No; None when the workbook cannot be read as its own (problems say why).

    The file is read by :func:`~kyodo_analysis.source.xlsx_reader.read_workbook`: a regular file of bounded size
    (never a device or FIFO), a zip that does not unpack beyond its limits, sheets within their extent.
    """
    try:
        book = read_workbook(path)
    except StatusTableError as failure:
        problems.append(_reader_problem(file, failure))
        return None
    missing = [name for name in (GUIDE_SHEET, ANSWER_SHEET) if name not in book]
    if missing:
        problems.append(_problem(file, f"sheet {'・'.join(missing)} missing (sheets: {'・'.join(book)})", list(book)))
        return None
    named = _cell_text(book[GUIDE_SHEET][DEPARTMENT_CELL].value)
    if named != department:
        problems.append(_problem(f"{file}:{GUIDE_SHEET}!{DEPARTMENT_CELL}",
                                 f"this is the workbook of another department; {file} should be {department}'s",
                                 named))
        return None
    sheet = book[ANSWER_SHEET]
    where = lambda cell: f"{file}:{ANSWER_SHEET}!{cell.coordinate}"  # noqa: E731

    headers = _headers(level)
    differing = [index for index, expected in enumerate(headers, start=1)
                 if _cell_text(sheet.cell(row=1, column=index).value) != expected]
    group_matches = 2 not in differing
    if differing == [2] and sheet["B1"].value not in (None, ""):  # the group column only: another structure
        found = _cell_text(sheet["B1"].value)
        if found == level_name("block"):
            hint = "the workbook was written without --structure; leave it out"
        else:
            other = "" if level == level_name("block") else f" (not {level})"
            hint = f"the workbook was written with a structure file whose broadest level is {found}{other}; pass it"
        problems.append(_problem(where(sheet["B1"]), f"the group column is not {level}: {hint}", found))
    elif differing:
        cell = sheet.cell(row=1, column=differing[0])
        problems.append(_problem(where(cell), f"the protected columns were changed (a header edited, or a column "
                                              f"added or removed): row 1 should read {', '.join(headers)}; nothing "
                                              f"in {file} is read", cell.value))
        return None

    # The No column against the department's measures: a changed, added or removed row is one problem each.
    # Only the cells that hold something are visited: a stray cell far down costs no walk through empty ones.
    filled = sheet.filled()
    written_rows = {cell.row for cell in filled if cell.row >= 2 and cell.column <= _RATING_COLUMN}
    last_row = max(written_rows, default=1)
    found_nos = [_cell_text(sheet.cell(row=row, column=1).value) for row in range(2, last_row + 1)]
    expected_nos = [str(measure.no) for measure, _ in rows]
    answers: dict[int, _Answer] = {}
    matcher = difflib.SequenceMatcher(None, expected_nos, found_nos, autojunk=False)
    for operation, e1, e2, f1, f2 in matcher.get_opcodes():
        if operation == "equal":
            for (measure, expected), row in zip(rows[e1:e2], range(f1 + 2, f2 + 2)):
                _check_locked(sheet, row, measure, expected, headers, group_matches, where, problems)
                answers[measure.no] = _read_answer(sheet, file, department, row, scale, problems, notes)
            continue
        paired = min(e2 - e1, f2 - f1)
        for (measure, _), row in zip(rows[e1:e1 + paired], range(f1 + 2, f1 + paired + 2)):
            problems.append(_problem(where(sheet.cell(row=row, column=1)),
                                     f"No changed: this row is No {measure.no} (the rows are {department}'s measures "
                                     "by No; no row may be changed, added or removed)", found_nos[row - 2]))
            answers[measure.no] = _Answer(department, file, row, "", "", False)
        for measure, _ in rows[e1 + paired:e2]:
            row = f1 + paired + 2
            problems.append(_problem(where(sheet.cell(row=row, column=1)),
                                     f"the row of No {measure.no} was removed (it stood here; the rows are "
                                     f"{department}'s measures by No)", measure.no))
            answers[measure.no] = _Answer(department, file, row, "", "", False)
        for row in sorted(written_rows.intersection(range(f1 + paired + 2, f2 + 2))):  # a blank row holds nothing
            cells = [sheet.cell(row=row, column=index) for index in range(1, _RATING_COLUMN + 1)]
            shown = cells[0] if cells[0].value not in (None, "") else next(
                (cell for cell in cells if cell.value not in (None, "")), cells[0])
            problems.append(_problem(where(shown), f"a row added to the {len(rows)} measures of {department}: rows "
                                                   "must not be added (nothing in it is read)", shown.value))
    for cell in filled:
        if cell.column > _RATING_COLUMN:
            problems.append(_problem(where(cell), f"text outside the answer columns (A-{_LAST_LETTER}) is not "
                                                  "read: write it in 今回の状況", cell.value))
    return answers


def _check_locked(sheet: SheetGrid, row: int, measure: Measure, expected: list[object], headers: list[str],
                  group_matches: bool, where, problems: list[str]) -> None:
    """Report every protected cell of the row (B-H) that differs from what round 1 writes."""
    for index in range(2, _LOCKED_COLUMNS + 1):
        if index == 2 and not group_matches:  # another structure: reported once, at its header
            continue
        cell = sheet.cell(row=row, column=index)
        if cell.data_type == "f" or _cell_text(cell.value) != _cell_text(expected[index - 1]):
            problems.append(_problem(where(cell), f"protected column {headers[index - 1]} of No {measure.no} was "
                                                  f"edited (round 1 has {quote_value(_cell_text(expected[index - 1]))})",
                                     cell.value))


def _workbook_files(folder: Path, problems: list[str]) -> dict[str, Path | None]:
    """The folder's workbook-like files by NFC name; Excel's ~$ lock files left out.

    macOS may list a name decomposed (NFD), and a folder copied between systems may hold both forms of one
    name: then neither is read, and the pair is one problem (None stands for such a name).
    """
    found: dict[str, Path | None] = {}
    seen: dict[str, Path] = {}
    for entry in sorted(folder.iterdir()):
        name = unicodedata.normalize("NFC", entry.name)
        if not name.lower().endswith(_WORKBOOK_SUFFIXES) or name.startswith("~$"):
            continue
        if name in seen:
            problems.append(_problem(name, f"同じ名前に見えるファイルが2つあります（{quote_value(seen[name].name)} と "
                                           f"{quote_value(entry.name)}：文字の合成・分解（NFC・NFD）だけが違います）。"
                                           "どちらを読むか決められないため、どちらも読みません。1つだけ残してください",
                                     entry.name))
            found[name] = None
            continue
        seen[name] = entry
        found[name] = entry
    return found


def load_survey(folder: str | os.PathLike, *, round1: str | os.PathLike | None, era: str | None = None,
                structure: str | os.PathLike | None = None, accept_lead: bool = False,
                all_departments: bool = False, scale: RatingScale = KYODO_SCALE) -> SurveyResult:
    """Read the returned workbooks in ``folder`` and build round 2 from the lead departments' answers.

    Parameters
    ----------
    folder : path-like
        The folder holding every department's ``<department>.xlsx`` (as :func:`write_survey` named them).
    round1 : path-like or None
        Round 1's table, as given to :func:`write_survey` (None: the bundled Kitamoto table).
    era, structure, all_departments, scale
        As given to :func:`write_survey`: the workbooks are checked against what it writes.
    accept_lead : bool
        When two departments answer a measure differently, keep the lead's answer (listed in
        :attr:`SurveyResult.overridden`) instead of reporting a problem.

    Raises
    ------
    SurveyError
        Listing every problem found in the workbooks (see the module's text); nothing is returned then.
    StatusTableError
        For a defect of round 1's table or of the structure file.
    """
    check_scale(scale)
    if not isinstance(folder, (str, os.PathLike)):
        raise ArgumentTypeError(f"folder must be a folder path (str or Path), not {type(folder).__name__}")
    table = load_status_table(round1, era=era, scale=scale)
    _check_leads(table)
    level, groups = _groups(table, structure)
    departments = survey_departments(table, all_departments=all_departments)
    names = survey_file_names(departments)
    folder = Path(folder)
    if not folder.is_dir():
        raise ArgumentError(f"{folder}: no such folder (the folder of the returned workbooks)")
    problems: list[str] = []
    notes: list[str] = []
    present = _workbook_files(folder, problems)
    answers: dict[int, dict[str, _Answer]] = {}
    unreadable: set[str] = set()
    explained: set[str] = {name for name, entry in present.items() if entry is None}  # reported already
    for department in departments:
        file = names[department]
        if file in present and present[file] is None:
            unreadable.add(department)
            continue
        entry = present.get(file)
        if entry is None:
            stem = file[: -len(".xlsx")]
            others = sorted(name for name in present if name.rsplit(".", 1)[0] == stem)
            hint = f"; found {', '.join(others)}: save it as an Excel workbook (.xlsx)" if others else ""
            explained.update(others)
            problems.append(_problem(file, f"the workbook of {department} is missing from {folder}{hint}", file))
            unreadable.add(department)
            continue
        read = _read_workbook(entry, file, department, _rows(table, department, groups), level, scale, problems,
                              notes)
        if read is None:
            unreadable.add(department)
            continue
        for no, answer in read.items():
            answers.setdefault(no, {})[department] = answer
    all_file = survey_file_names([ALL_DEPARTMENTS])[ALL_DEPARTMENTS]
    for name in sorted(set(present) - set(names.values()) - explained):
        hint = (f"; to collect {ALL_DEPARTMENTS}'s workbook pass --all-departments (all_departments=True)"
                if name == all_file and not all_departments else "")
        problems.append(_problem(name, "a workbook that is no department's of this survey: nothing in it is read; "
                                       f"rename it to its department's file or move it away{hint}", name))

    overridden: list[str] = []
    measures = []
    for measure in table.measures:
        lead = lead_department(measure)
        given = answers.get(measure.no, {})
        answer = given.get(lead)
        if answer is None or not answer.valid:  # its problem is reported already
            continue
        others = [given[d] for d in measure.departments if d != lead and d in given]
        if answer.blank:
            also = [other.department for other in others if other.valid and not other.blank]
            note = f"; {'・'.join(also)} answered it for reference, but the lead's answer is the one used" if also else ""
            problems.append(_problem(answer.where(), f"no answer: {lead} leads No {measure.no} but left 今回の状況 and "
                                                     f"今回の評価 blank{note}", ""))
            continue
        for other in others:
            if not other.valid or other.blank or (other.status, other.rating) == (answer.status, answer.rating):
                continue
            letter = _STATUS_LETTER if other.status != answer.status else _RATING_LETTER
            theirs = f"{quote_value(other.status)}, {quote_value(other.rating)}"
            if accept_lead:
                overridden.append(f"{other.where(letter)}: {other.department} No {measure.no}: answer set aside for "
                                  f"the lead {lead}'s ({theirs})")
            else:
                problems.append(
                    f"{other.where(letter)}: No {measure.no} answered differently from its lead {lead} "
                    f"({answer.where(letter)}: {quote_value(answer.status)}, {quote_value(answer.rating)}); make "
                    f"them agree, leave it blank, or keep the lead's with --accept-lead ({theirs})")
        measures.append(measure._replace(status=answer.status, rating=answer.rating, line=0))
    if problems:
        raise SurveyError(problems)
    round2 = StatusTable(path=str(folder), title=table.title, measures=tuple(measures), era=table.era,
                         fiscal_years=table.fiscal_years, notes=(), western=table.western)
    return SurveyResult(table=round2, overridden=tuple(overridden), notes=tuple(notes))


# --- the next round's table ------------------------------------------------------------------


def _rendered(table: StatusTable, header: str) -> tuple[str, str | None]:
    """The table as extracted text with ``header`` years, and the era to read it with (for bare years)."""
    first_fy, last_fy = table.fiscal_years[0], table.fiscal_years[-1]
    if header == "bare":
        era = table.era
        first_year = first_fy - era_base_year(era)
    else:
        era, first_year = era_of_fiscal_year(first_fy)
    measures = sorted(table.measures, key=lambda measure: (measure.block, measure.no))  # one header per block
    text = write_status_text(measures, era=era, first_year=first_year, n_years=last_fy - first_fy + 1,
                             title=table.title, header=header)
    return text, table.era if header == "bare" else None


def _reads_back(table: StatusTable, text: str, era: str | None, scale: RatingScale) -> str | None:
    """None when the text parses to exactly the table's measures and title; else what differs."""
    try:
        parsed = parse_status_table(text, path="<round 2>", era=era, scale=scale)
    except StatusTableError as error:
        return str(error)
    if parsed.title != table.title:
        return f"the title reads back as {parsed.title!r}"
    for before, after in zip(table.measures, parsed.measures):
        if strip_line(before) != strip_line(after):
            return f"measure {before.no} reads back as {after!r}"
    if len(parsed.measures) != len(table.measures):
        return f"{len(parsed.measures)} measures read back, not {len(table.measures)}"
    return None


def render_round(result: SurveyResult | StatusTable, *, scale: RatingScale = KYODO_SCALE) -> tuple[str, str | None]:
    """Round 2 as the text of an extracted status table, and the era to read it with (None: the header names it).

    The header is written in Western years for a Western table, with its eras
    named (平成30 令和元 2) for a table spanning eras, and else in bare years of
    the table's era (19 20 …) — unless the statuses name years of other eras
    only, which the parser would take for a wrong ``--era``: then the era is
    named in the header (平成19 20 …) and the text reads the same with or
    without ``era``. The text is parsed back before it is returned.

    Raises
    ------
    ValueError
        If the text would not read back as the same measures (a bug, never expected).
    """
    table = result.table if isinstance(result, SurveyResult) else result
    if not isinstance(table, StatusTable):
        raise ArgumentTypeError(f"result must be a SurveyResult or a StatusTable, not {type(result).__name__}")
    if not table.measures:
        raise ArgumentError("the table has no measures to write")
    if table.western:
        styles = ["western"]
    elif "・" in table.era:
        styles = ["era"]
    else:
        styles = ["bare", "era"]
    failures = []
    for header in styles:
        text, era = _rendered(table, header)
        failure = _reads_back(table, text, era, scale)
        if failure is None:
            return text, era
        failures.append(f"{header} header: {failure}")
    raise ValueError(f"round 2 would not read back as written ({'; '.join(failures)})")


def write_round(result: SurveyResult, path: str | os.PathLike, *, scale: RatingScale = KYODO_SCALE) -> Path:
    """Write round 2 as an extracted status table (UTF-8, LF) that ``read_status_table`` reads back exactly.

    Read it with ``era=`` round 1's era when round 1's header is bare era years
    (:func:`render_round` tells which). The file is replaced in one step: it is
    whole or as it was. A ``path`` that is a link (or a folder, a device, a FIFO)
    is refused with an :class:`ArgumentError`, never written through.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentTypeError(f"path must be a file path (str or Path), not {type(path).__name__}")
    text, _ = render_round(result, scale=scale)
    return _write_text(text, Path(path))


def _write_text(text: str, path: Path) -> Path:
    replace_files([(path, text.encode("utf-8"))])
    return path
