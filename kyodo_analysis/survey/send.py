"""Sending the survey: one answer workbook per department (``kyodo-survey``).

:func:`write_survey` (``kyodo-survey``) writes ``<department>.xlsx`` for every
department named in a 推進課 cell of round 1, in order of first appearance
(全課, "all departments", only with ``all_departments``); what each holds is in
:mod:`kyodo_analysis.survey.sheets`.

Every file is written whole or not at all: staged under a fresh name that
:func:`tempfile.mkstemp` makes beside it (never a link followed), then renamed
into place. A target that is a symbolic link, a folder, a device or a FIFO is
refused, never written through or replaced. ``kyodo-survey --collect`` never
writes over one of its inputs, nor anywhere in the collect folder but its
``round2.txt``; a full disk is said once, naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from kyodo_analysis.file_writes import refuse_git_folder, replace_files
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.source.loaders import load_status_table
from kyodo_analysis.source.parsing import (
    differs_from,
)
from kyodo_analysis.survey.actuals import request_actuals
from kyodo_analysis.survey.sheets import (
    answer_groups,
    answer_headers,
    answer_rows,
    check_cell_lengths,
    check_leads,
    rating_choices,
    read_leads,
    related_texts,
    survey_departments,
    survey_file_names,
    workbook_bytes,
)
from kyodo_analysis.validation import (
    ArgumentError,
    ArgumentTypeError,
    check_one_line,
    check_scale,
)

__all__ = ["write_survey"]


def _check_text_option(value: object, name: str) -> str:
    """``--deadline`` and ``--contact``: empty, or one line of visible text (:func:`check_one_line`)."""
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be text (str), not {type(value).__name__}")
    return value if value == "" else check_one_line(value, f"--{name}")


def write_survey(raw: str | os.PathLike | None, *, out: str | os.PathLike, era: str | None = None,
                 sheet: str | None = None, structure: str | os.PathLike | None = None, deadline: str = "",
                 contact: str = "", all_departments: bool = False, leads: str | os.PathLike | None = None,
                 indicators: str | os.PathLike | None = None, scale: RatingScale = KYODO_SCALE) -> list[Path]:
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
    sheet : str, optional
        The sheet of ``raw`` when it is a workbook (``.xlsx``); None = the first whose header names the columns.
    structure : path-like, optional
        The plan's structure file; its broadest level is the group column.
    deadline, contact : str
        回答期限 and 問い合わせ先, written on the 記入方法 sheet.
    all_departments : bool
        Also write a workbook for 全課.
    leads : path-like, optional
        A file ``No,主担当課`` naming who answers a measure, where it is not the first department listed
        (:func:`~kyodo_analysis.survey.sheets.read_leads`); collect with the same file.
    indicators : path-like, optional
        The plan's outcome indicators: each department that answers for one gets a sheet 成果指標 for the
        year's actual values (:mod:`kyodo_analysis.survey.actuals`); collect with the same file.
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
    table = load_status_table(raw, era=era, sheet=sheet, scale=scale)
    leads = None if leads is None else read_leads(leads, table)
    check_leads(table, leads)
    rating_choices(scale)
    level, groups = answer_groups(table, structure)
    departments = survey_departments(table, all_departments=all_departments)
    names = survey_file_names(departments)
    out = Path(out)
    refuse_git_folder(out, "--out")
    if out.exists() and not out.is_dir():
        raise ArgumentError(f"{out}: --out must be a folder, and this is a file")
    books: list[tuple[Path, bytes]] = []
    related = related_texts(table)
    actuals = None if indicators is None else request_actuals(indicators, table, era=era, structure=structure,
                                                                departments=departments, leads=leads)
    for department in departments:
        rows = answer_rows(table, department, groups, leads, related)
        check_cell_lengths(table, rows, answer_headers(level))
        books.append((out / names[department], workbook_bytes(
            table, department, rows, level, deadline=deadline, contact=contact, scale=scale,
            indicator_rows=None if actuals is None else actuals.expected(department),
            year_label="" if actuals is None else actuals.year_label)))
    out.mkdir(parents=True, exist_ok=True)
    clashes = [path.name for path, data in books if differs_from(path, data)]
    if clashes:
        raise ArgumentError(
            f"{out}: {'、'.join(clashes)} は新しい回答用ブックと内容が違います（回答が記入済み、または別の指定で"
            "作成）。上書きしないよう、何も書いていません。別の --out フォルダを指定するか、先にファイルを移してください")
    replace_files(books)
    return [path for path, _ in books]
