"""Collecting the survey: the returned workbooks checked and read into the next round's table
(``kyodo-survey --collect``).

:func:`load_survey` (``kyodo-survey --collect``) reads the returned workbooks
and gives round 2: round 1's measures with the leads' statuses and ratings.
It checks every workbook against what round 1 would write and reports every
problem at once (:class:`SurveyError`), each as
``<file>:<sheet>!<cell>: <problem> (<value>)``: a rating off the scale, a
blank rating (or status) beside a written status (or rating), a measure its
lead left blank, a No changed or a row added, a protected cell edited, a
missing workbook (but for a department whose every row is for reference, which
is only named), a workbook of another plan or round, and a measure two departments
rated differently (unless ``accept_lead``, which keeps the lead's answer and lists
what it overrode). A co-department's status worded otherwise, with the lead's
rating or none, is no conflict: it is kept as 関係課の記述
(:attr:`SurveyResult.related`). A workbook under another file name is known by
the department its 記入方法 names. An answer that is no text (a formula, a spreadsheet error
value such as ``#N/A``, nothing but invisible characters) or that holds a
control or bidi character (U+202E); two files whose names differ only in NFC
and NFD. Zero-width characters are removed from answers and noted
(:attr:`SurveyResult.notes`). Every workbook is read with bounded work
(:func:`~kyodo_analysis.source.xlsx_reader.read_workbook`): a device, a FIFO, a zip
bomb or a cell beyond 5,000 rows x 60 columns is one problem line. Nothing is
dropped silently.

:func:`write_round` writes round 2 as an extracted status table that
:func:`~kyodo_analysis.source.parsing.read_status_table` reads back exactly.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kyodo_analysis.era import era_base_year, era_of_fiscal_year
from kyodo_analysis.file_writes import replace_files
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale, canonical_symbol
from kyodo_analysis.source.loaders import load_status_table
from kyodo_analysis.source.parsing import (
    Measure,
    StatusTable,
    StatusTableError,
    normalize_text,
    parse_status_table,
    strip_line,
    written_text,
)
from kyodo_analysis.source.structure import cell_text
from kyodo_analysis.source.writer import write_status_text
from kyodo_analysis.source.xlsx_reader import SheetCell, SheetGrid, read_workbook
from kyodo_analysis.survey.actuals import ActualsRequest, actuals_csv, read_actuals, request_actuals, unread_actuals
from kyodo_analysis.survey.sheets import (
    ANSWER_SHEET,
    DEPARTMENT_CELL,
    GUIDE_SHEET,
    LAST_COLUMN_LETTER,
    LOCKED_COLUMNS,
    PLAN_CELL,
    RATING_COLUMN,
    RATING_LETTER,
    SOURCE_CELL,
    STATUS_COLUMN,
    STATUS_LETTER,
    WORKBOOK_SUFFIXES,
    answer_groups,
    answer_headers,
    answer_rows,
    check_leads,
    lead_department,
    read_leads,
    related_texts,
    survey_departments,
    survey_file_names,
    survey_identity,
)
from kyodo_analysis.validation import (
    BIDI_CONTROL,
    CONTROL_CHARACTER,
    SPREADSHEET_ERROR,
    ArgumentError,
    ArgumentTypeError,
    KyodoError,
    check_scale,
    quote_value,
    remove_invisible,
)
from kyodo_analysis.words import ALL_DEPARTMENTS, level_name

__all__ = ["SurveyError", "SurveyResult", "load_survey", "render_round", "write_round"]


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
    #: 関係課の記述: a co-department's status worded otherwise than its lead's, with the same rating (or none):
    #: not a conflict. Each is (No, the department, the status as typed), in order of No and of the departments.
    related: tuple[tuple[int, str, str], ...] = ()
    #: The next round's indicators file (:func:`~kyodo_analysis.survey.actuals.actuals_csv`), when the survey
    #: asked for the indicators' actual values; None otherwise.
    indicators: bytes | None = None


class _Answer(NamedTuple):
    """One department's answer to one measure, as read and checked."""

    department: str
    file: str
    row: int
    status: str  # normalized as the parser reads a cell, for matching; "" when blank
    rating: str  # on the scale; "" when blank
    valid: bool  # False when the row has a problem already reported
    written: str = ""  # the status as typed (one line, no NFKC): what round 2 shows

    @property
    def blank(self) -> bool:
        return not self.status and not self.rating

    def where(self, letter: str = STATUS_LETTER) -> str:
        return f"{self.file}:{ANSWER_SHEET}!{letter}{self.row}"


def _problem(where: str, problem: str, value: object) -> str:
    return f"{where}: {problem}（{quote_value(value)}）"


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
        problems.append(_problem(where, f"{name}が数式です。{formula_hint}", cell.value))
        return None
    written = cell_text(cell.value)
    if cell.data_type == "e" or SPREADSHEET_ERROR.fullmatch(written.strip()):
        problems.append(_problem(where, f"{name}が表計算のエラー値で、回答になっていません。"
                                        "エラー値ではなく文字を入力してください", written))
        return None
    found = CONTROL_CHARACTER.search(written)
    if found is not None:
        problems.append(_problem(where, f"{name}に制御文字 U+{ord(found.group()):04X} があります", written))
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
    status_cell = sheet.cell(row=row, column=STATUS_COLUMN)
    rating_cell = sheet.cell(row=row, column=RATING_COLUMN)
    where_status = f"{file}:{ANSWER_SHEET}!{status_cell.coordinate}"
    where_rating = f"{file}:{ANSWER_SHEET}!{rating_cell.coordinate}"
    written = _answer_text(status_cell, "今回の状況", "状況は文字で入力してください", file, problems, notes)
    valid = written is not None
    status_written = written_text(written) if written and written.strip() else ""
    status = normalize_text(status_written)
    rating = ""
    written_rating = _answer_text(rating_cell, "今回の評価", "評価は一覧から選んでください", file, problems, notes)
    if written_rating is None:
        valid = False
    else:
        read = unicodedata.normalize("NFKC", written_rating).strip()
        rating = read if read in scale.symbols else canonical_symbol(read)
        if read and rating not in scale.symbols:
            extra = "（▲ はマイナスの意味で、△ ではありません）" if read == "▲" else ""
            problems.append(_problem(where_rating, f"今回の評価が評価の尺度にありません{extra}"
                                                   f"（使える記号: {' '.join(scale.symbols)}）", rating_cell.value))
            valid, rating = False, ""
    if valid and status and not rating:
        problems.append(_problem(where_rating, f"今回の状況は書かれていますが、今回の評価が空です。評価を選んでください"
                                               f"（{' '.join(scale.symbols)}）", ""))
        valid = False
    if valid and rating and not status:
        problems.append(_problem(where_status, f"今回の評価は {rating} ですが、今回の状況が空です。状況を書いてください", ""))
        valid = False
    return _Answer(department, file, row, status, rating, valid, status_written)


def _reader_problem(file: str, failure: StatusTableError) -> str:
    """The workbook reader's refusal as a problem line: ``<file>:<sheet>!<cell>: …`` or ``<file>: …``."""
    problem, value = failure.problem, file if failure.value is None else failure.value
    if problem.startswith(tuple(f"{sheet}{mark}" for sheet in (GUIDE_SHEET, ANSWER_SHEET) for mark in "!:")):
        where, _, problem = problem.partition(": ")
        return _problem(f"{file}:{where}", problem, value)
    return _problem(file, problem, value)


def _read_workbook(path: Path, file: str, department: str, rows: list[tuple[Measure, list[object]]], level: str,
                   scale: RatingScale, problems: list[str], notes: list[str], survey: tuple[str, str],
                   actuals: tuple[ActualsRequest, dict[str, float | None]] | None = None) -> dict[int, _Answer] | None:
    """The department's answers by No; None when the workbook cannot be read as its own (problems say why).

    With ``actuals`` (what the survey asked of the indicators, and where to put what was read), the values of
    the sheet 成果指標 are read too (:func:`~kyodo_analysis.survey.actuals.read_actuals`).

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
        problems.append(_problem(file, f"シート {'・'.join(missing)} がありません（シート: {'・'.join(book)}）", list(book)))
        return None
    named = cell_text(book[GUIDE_SHEET][DEPARTMENT_CELL].value)
    if named != department:
        problems.append(_problem(f"{file}:{GUIDE_SHEET}!{DEPARTMENT_CELL}",
                                 f"ほかの課の回答用ブックです。{file} は{department}のブックのはずです",
                                 named))
        return None
    for cell, expected, what in ((PLAN_CELL, survey[0], "別の計画"), (SOURCE_CELL, survey[1], "別の回")):
        written = cell_text(book[GUIDE_SHEET][cell].value)
        if written != expected:  # another plan's survey, or another round's of this plan
            problems.append(_problem(f"{file}:{GUIDE_SHEET}!{cell}", f"{what}の照会の回答用ブックです（このブック: "
                                     f"{quote_value(written)}、この照会: {quote_value(expected)}）", written))
            return None
    if actuals is not None:
        request, values = actuals
        values.update(read_actuals(book, file, request.expected(department), request.year_label, problems))
    elif (unread := unread_actuals(book, file)) is not None:  # values entered for indicators would be lost
        problems.append(unread)
    sheet = book[ANSWER_SHEET]
    where = lambda cell: f"{file}:{ANSWER_SHEET}!{cell.coordinate}"  # noqa: E731

    headers = answer_headers(level)
    differing = [index for index, expected in enumerate(headers, start=1)
                 if cell_text(sheet.cell(row=1, column=index).value) != expected]
    group_matches = 2 not in differing
    if differing == [2] and sheet["B1"].value not in (None, ""):  # the group column only: another structure
        found = cell_text(sheet["B1"].value)
        if found == level_name("block"):
            hint = "このブックは --structure なしで書かれました。--structure を外してください"
        else:
            other = "" if level == level_name("block") else f"（{level}ではありません）"
            hint = f"このブックは最上位の階層が{found}{other}の施策体系のファイルで書かれました。そのファイルを指定してください"
        problems.append(_problem(where(sheet["B1"]), f"グループの列が{level}ではありません。{hint}", found))
    elif differing:
        cell = sheet.cell(row=1, column=differing[0])
        problems.append(_problem(where(cell), f"保護された列が変えられています（見出しの編集、列の追加・削除）。"
                                              f"1行目は {'、'.join(headers)} のはずです。{file} は読みません", cell.value))
        return None

    # The No column against the department's measures: a changed, added or removed row is one problem each.
    # Only the cells that hold something are visited: a stray cell far down costs no walk through empty ones.
    filled = sheet.filled()
    written_rows = {cell.row for cell in filled if cell.row >= 2 and cell.column <= RATING_COLUMN}
    last_row = max(written_rows, default=1)
    found_nos = [cell_text(sheet.cell(row=row, column=1).value) for row in range(2, last_row + 1)]
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
                                     f"No が変えられています。この行は No.{measure.no} です（行は{department}の施策を "
                                     "No の順に並べたもので、変更・追加・削除はできません）", found_nos[row - 2]))
            answers[measure.no] = _Answer(department, file, row, "", "", False)
        for measure, _ in rows[e1 + paired:e2]:
            row = f1 + paired + 2
            problems.append(_problem(where(sheet.cell(row=row, column=1)),
                                     f"No.{measure.no} の行が削除されています（この位置にありました。行は{department}の"
                                     "施策を No の順に並べたものです）", measure.no))
            answers[measure.no] = _Answer(department, file, row, "", "", False)
        for row in sorted(written_rows.intersection(range(f1 + paired + 2, f2 + 2))):  # a blank row holds nothing
            cells = [sheet.cell(row=row, column=index) for index in range(1, RATING_COLUMN + 1)]
            shown = cells[0] if cells[0].value not in (None, "") else next(
                (cell for cell in cells if cell.value not in (None, "")), cells[0])
            problems.append(_problem(where(shown), f"{department}の施策{len(rows)}件に行が追加されています。行は追加"
                                                   "できません（この行は読みません）", shown.value))
    for cell in filled:
        if cell.column > RATING_COLUMN:
            problems.append(_problem(where(cell), f"回答の列（A〜{LAST_COLUMN_LETTER}）の外の文字は読みません。"
                                                  "今回の状況に書いてください", cell.value))
    return answers


def _check_locked(sheet: SheetGrid, row: int, measure: Measure, expected: list[object], headers: list[str],
                  group_matches: bool, where, problems: list[str]) -> None:
    """Report every protected cell of the row (B-H) that differs from what round 1 writes."""
    for index in range(2, LOCKED_COLUMNS + 1):
        if index == 2 and not group_matches:  # another structure: reported once, at its header
            continue
        cell = sheet.cell(row=row, column=index)
        if cell.data_type == "f" or cell_text(cell.value) != cell_text(expected[index - 1]):
            problems.append(_problem(where(cell), f"No.{measure.no} の保護された列「{headers[index - 1]}」が編集されて"
                                                  f"います（前回の値は {quote_value(cell_text(expected[index - 1]))}）",
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
        if not name.lower().endswith(WORKBOOK_SUFFIXES) or name.startswith("~$"):
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


def _renamed_workbooks(present: dict[str, Path | None], names: dict[str, str], problems: list[str],
                       explained: set[str]) -> dict[str, str]:
    """The workbooks saved under another file name (福祉課_回答済.xlsx), by the department their
    記入方法!B2 names, for the departments whose own file name is not in the folder.

    A file that cannot be read as a survey workbook, or names no such department, is left to the check of the
    folder's other files; two files naming one department are a problem, and neither is read.
    """
    expected = set(names.values())
    wanted = {department for department, file in names.items() if file not in present}
    found: dict[str, list[str]] = {}
    for name, entry in present.items():
        if entry is None or name in expected or not name.lower().endswith(".xlsx") or not wanted:
            continue
        try:
            book = read_workbook(entry)
        except StatusTableError:
            continue
        if GUIDE_SHEET in book:
            department = cell_text(book[GUIDE_SHEET][DEPARTMENT_CELL].value)
            if department in wanted:
                found.setdefault(department, []).append(name)
    renamed = {}
    for department, files in found.items():
        explained.update(files)  # read here, or a problem here: not "no department's workbook" later
        if len(files) > 1:
            problems.append(_problem(files[0], f"{department}の回答用ブックに見えるファイルが{len(files)}つあります"
                                               f"（{'、'.join(files)}）。どれを読むか決められないため、どれも読みません。"
                                               "1つだけ残してください", files))
            continue
        renamed[department] = files[0]
    return renamed


def load_survey(folder: str | os.PathLike, *, round1: str | os.PathLike | None, era: str | None = None,
                sheet: str | None = None, structure: str | os.PathLike | None = None, accept_lead: bool = False,
                all_departments: bool = False, leads: str | os.PathLike | None = None,
                indicators: str | os.PathLike | None = None, scale: RatingScale = KYODO_SCALE) -> SurveyResult:
    """Read the returned workbooks in ``folder`` and build round 2 from the lead departments' answers.

    Parameters
    ----------
    folder : path-like
        The folder holding every department's ``<department>.xlsx`` (as :func:`write_survey` named them).
    round1 : path-like or None
        Round 1's table, as given to :func:`write_survey` (None: the bundled Kitamoto table).
    era, sheet, structure, all_departments, leads, indicators, scale
        As given to :func:`write_survey`: the workbooks are checked against what it writes. With
        ``indicators``, the actual values of the sheet 成果指標 make the next round's indicators file
        (:attr:`SurveyResult.indicators`).
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
    table = load_status_table(round1, era=era, sheet=sheet, scale=scale)
    leads = None if leads is None else read_leads(leads, table)
    check_leads(table, leads)
    level, groups = answer_groups(table, structure)
    departments = survey_departments(table, all_departments=all_departments)
    names = survey_file_names(departments)
    folder = Path(folder)
    if not folder.is_dir():
        raise ArgumentError(f"{folder}: フォルダがありません（返ってきた回答用ブックのフォルダを指定してください）")
    problems: list[str] = []
    notes: list[str] = []
    present = _workbook_files(folder, problems)
    answers: dict[int, dict[str, _Answer]] = {}
    unreadable: set[str] = set()
    explained: set[str] = {name for name, entry in present.items() if entry is None}  # reported already
    renamed = _renamed_workbooks(present, names, problems, explained)  # a department's workbook, renamed
    kept_texts = related_texts(table)  # the last collection's 関係課の記述, shown under 前回の状況
    identity = survey_identity(table)  # the plan and round every workbook must name
    leading = {lead_department(measure, leads) for measure in table.measures}
    request = None if indicators is None else request_actuals(indicators, table, era=era, structure=structure,
                                                                departments=departments, leads=leads)
    values: dict[str, float | None] = {}
    if request is not None:  # a department that enters an indicator's actual must return its workbook
        leading |= set(request.rows)
    not_answered: list[str] = []
    for department in departments:
        file = names[department]
        if file in present and present[file] is None:
            unreadable.add(department)
            continue
        entry = present.get(file)
        if entry is None and department in renamed:
            file, entry = renamed[department], present[renamed[department]]
            notes.append(f"{file} を{department}の回答用ブックとして読みました（記入方法!{DEPARTMENT_CELL} の推進課による。"
                         f"ファイル名は {names[department]} ではありません）")
        if entry is None:
            stem = file[: -len(".xlsx")]
            others = sorted(name for name in present if name.rsplit(".", 1)[0] == stem)
            if department not in leading and not others:  # every row is for reference: nothing had to be answered
                not_answered.append(department)
                unreadable.add(department)
                continue
            hint = f"。{'、'.join(others)} はあります。Excel ブック（.xlsx）として保存してください" if others else ""
            explained.update(others)
            problems.append(_problem(file, f"{department}の回答用ブックが {folder} にありません{hint}", file))
            unreadable.add(department)
            continue
        rows = answer_rows(table, department, groups, leads, kept_texts)
        read = _read_workbook(entry, file, department, rows, level, scale, problems, notes, identity,
                              None if request is None else (request, values))
        if read is None:
            unreadable.add(department)
            continue
        for no, answer in read.items():
            answers.setdefault(no, {})[department] = answer
    all_file = survey_file_names([ALL_DEPARTMENTS])[ALL_DEPARTMENTS]
    for name in sorted(set(present) - set(names.values()) - explained):
        hint = (f"。{ALL_DEPARTMENTS}のブックを回収するときは --all-departments（all_departments=True）を指定してください"
                if name == all_file and not all_departments else "")
        problems.append(_problem(name, "この照会のどの課のブックでもないため、読みません。課のファイル名にするか、"
                                       f"フォルダから移してください{hint}", name))

    overridden: list[str] = []
    related: list[tuple[int, str, str]] = []
    measures, written = [], {}
    for measure in table.measures:
        lead = lead_department(measure, leads)
        given = answers.get(measure.no, {})
        answer = given.get(lead)
        if answer is None or not answer.valid:  # its problem is reported already
            continue
        others = [given[d] for d in measure.departments if d != lead and d in given]
        if answer.blank:
            also = [other.department for other in others if other.valid and not other.blank]
            note = f"。{'・'.join(also)}の回答は参考で、使うのは主担当課の回答です" if also else ""
            problems.append(_problem(answer.where(), f"回答がありません。No.{measure.no} の主担当課は{lead}ですが、"
                                                     f"今回の状況と今回の評価が空です{note}", ""))
            continue
        for other in others:
            if not other.valid or other.blank or (other.status, other.rating) == (answer.status, answer.rating):
                continue
            if other.rating in ("", answer.rating):  # the same grade, or none: its wording is kept, not a conflict
                if other.status:
                    related.append((measure.no, other.department, other.written or other.status))
                continue
            letter = RATING_LETTER
            theirs = f"{quote_value(other.status)}, {quote_value(other.rating)}"
            if accept_lead:
                overridden.append(f"{other.where(letter)}: {other.department} No.{measure.no}: 主担当課 {lead} の回答を"
                                  f"とり、この回答は使いません（{theirs}）")
            else:
                problems.append(
                    f"{other.where(letter)}: No.{measure.no} の回答が主担当課 {lead} と違います"
                    f"（{answer.where(letter)}: {quote_value(answer.status)}、{quote_value(answer.rating)}）。"
                    f"回答をそろえるか、空にするか、--accept-lead で主担当課の回答をとってください（{theirs}）")
        measures.append(measure._replace(status=answer.status, rating=answer.rating, line=0))
        written[measure.no] = table.written(measure)._replace(status=answer.written)
    if problems:
        raise SurveyError(problems)
    if not_answered:
        notes.append(f"回答用ブックが返っていない課: {'、'.join(not_answered)}。いずれも参考の行だけ（主担当の施策がない）で"
                     "記入は不要のため、回答なしとして続けました")
    round2 = StatusTable(path=str(folder), title=table.title, measures=tuple(measures), era=table.era,
                         fiscal_years=table.fiscal_years, notes=(), western=table.western, as_written=written)
    indicators_file = None
    if request is not None:
        indicators_file, changed = actuals_csv(request, values)
        blank = [name for name, value in values.items() if value is None]
        notes.append(f"成果指標の{request.year_label}の実績値: {len(values) - len(blank)}件を記入どおりに読みました"
                     + (f"。空欄（未集計）: {'、'.join(blank)}" if blank else ""))
        notes += changed
    return SurveyResult(table=round2, overridden=tuple(overridden), notes=tuple(notes), related=tuple(related),
                        indicators=indicators_file)


def _rendered(table: StatusTable, header: str) -> tuple[str, str | None]:
    """The table as extracted text with ``header`` years, and the era to read it with (for bare years)."""
    first_fy, last_fy = table.fiscal_years[0], table.fiscal_years[-1]
    if header == "bare":
        era = table.era
        first_year = first_fy - era_base_year(era)
    else:
        era, first_year = era_of_fiscal_year(first_fy)
    # the texts as written (the measures' own are for matching); one header per block
    measures = sorted((measure._replace(**table.written(measure)._asdict()) for measure in table.measures),
                      key=lambda measure: (measure.block, measure.no))
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
