"""The table's own typos, read by a person and marked （原文ママ） where the review quotes them.

A review quotes the table as written, typos too; a reader should see that the typo is the source's. Which
words are typos only a person can say, so they are listed in a small errata file (CSV, UTF-8 or CP932), one
typo a row:

==========  ==========================================================================
No          the measure's number
欄          施策の方向性, 内容 or 施策実施状況
原文        the typo, copied as the table writes it (for example 条例に施行に合わせ)
正しくは    optional: what was meant (条例の施行に合わせ), for the reader of the file
==========  ==========================================================================

:func:`read_errata` checks every row against the table: the measure exists and its cell holds the words
(as written). :func:`mark_errata` adds （原文ママ） after them wherever the review quotes that cell: the
measures' texts, the evidence of a start, the audit's sentences and the priorities. The tidy data
(``data/processed``) keeps the table's text exactly as written, unmarked.

Examples
--------
>>> from kyodo_analysis.config import KITAMOTO_ERRATA
>>> from kyodo_analysis.source.loaders import load_measures
>>> errata = read_errata(KITAMOTO_ERRATA, load_measures())
>>> errata[0].no, errata[0].field, errata[0].written
(19, '施策実施状況', '条例に施行に合わせ')
>>> mark_text("条例に施行に合わせ、マニュアルを作成する予定。", errata[0].written)
'条例に施行に合わせ（原文ママ）、マニュアルを作成する予定。'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from kyodo_analysis.source.parsing import StatusTableError
from kyodo_analysis.source.structure import read_columns

__all__ = ["ERRATA_MARK", "ERRATA_FIELDS", "Erratum", "ErrataError", "read_errata", "mark_text", "mark_errata"]

#: What follows a typo the review quotes.
ERRATA_MARK = "（原文ママ）"
#: The cells an erratum may name, and the columns of the review's frames that quote each (a start's evidence
#: and the audit's sentences are sentences of the status).
ERRATA_FIELDS = {"施策の方向性": ("direction",), "内容": ("content",),
                 "施策実施状況": ("status", "evidence", "sentence")}
_COLUMNS = ("No", "欄", "原文")


class ErrataError(StatusTableError):
    """A defect in an errata file; the message is ``file:line: problem (value)``."""


class Erratum(NamedTuple):
    no: int
    field: str  # 施策の方向性, 内容 or 施策実施状況
    written: str  # the typo as the table writes it (正しくは, what was meant, is for the file's reader)


def read_errata(path: str | os.PathLike, measures: pd.DataFrame) -> list[Erratum]:
    """Read an errata file and check each row against ``measures`` (:func:`~kyodo_analysis.load_measures`).

    Raises
    ------
    ErrataError
        A missing column, an unknown No or 欄, or words that the measure's cell does not hold, naming the
        file, the line and the value.
    """
    path = Path(path)
    rows = read_columns(path, _COLUMNS, error=ErrataError)
    texts = measures.set_index("no")
    errata = []
    for line, cells in rows:
        no, field, written = (cells[name] for name in _COLUMNS)
        if not no.isdigit() or int(no) not in texts.index:
            raise ErrataError("No が表の施策番号ではありません", path=path, line=line, value=no)
        if field not in ERRATA_FIELDS:
            raise ErrataError(f"欄は {'・'.join(ERRATA_FIELDS)} のどれかにしてください", path=path, line=line,
                              value=field)
        cell = str(texts.loc[int(no), ERRATA_FIELDS[field][0]])
        if not written or written not in cell:
            raise ErrataError(f"原文が No.{int(no)} の{field}にありません（表に書かれたとおりに写してください）",
                              path=path, line=line, value=written)
        errata.append(Erratum(int(no), field, written))
    return errata


def mark_text(text: str, written: str) -> str:
    """``text`` with （原文ママ） after each occurrence of ``written`` (once: a text already marked stays)."""
    return text.replace(written + ERRATA_MARK, written).replace(written, written + ERRATA_MARK)


def mark_errata(frame: pd.DataFrame, errata: list[Erratum]) -> pd.DataFrame:
    """A copy of ``frame`` (one row per measure or finding, with ``no``) whose quotes carry the marks."""
    if not errata or frame.empty or "no" not in frame.columns:
        return frame
    frame = frame.copy()
    for erratum in errata:
        rows = frame["no"] == erratum.no
        for column in ERRATA_FIELDS[erratum.field]:
            if column in frame.columns and rows.any():
                frame.loc[rows, column] = [mark_text(str(text), erratum.written)
                                           for text in frame.loc[rows, column]]
    return frame
