"""Data-quality notes: what the parser normalized in a raw table, cell by cell.

The parser accepts the extraction's defects (see :mod:`kyodo_analysis.source.parsing`)
and normalizes them. :func:`normalization_notes` lists each such change, so
that an analyst can see, and cite, what was done to the source.

Examples
--------
>>> notes = normalization_notes()
>>> notes.groupby("kind").size().to_dict()["header_year_misplaced"]
1
"""

from __future__ import annotations

import os

import pandas as pd

from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.source.loaders import load_status_table
from kyodo_analysis.source.parsing import NOTE_KINDS
from kyodo_analysis.validation import check_frame
from kyodo_analysis.words import NOTE_KIND_LABELS, words_for

__all__ = ["normalization_notes", "summarize_notes"]


def normalization_notes(raw: str | os.PathLike | None = None, *, era: str | None = None, encoding: str | None = None,
                        sheet: str | None = None, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """List every change the parser made to the raw table (its :attr:`~kyodo_analysis.source.parsing.StatusTable.notes`).

    Returns
    -------
    DataFrame
        One row per changed cell, in line order:

        ======  =======================================================
        column  meaning
        ======  =======================================================
        line    1-based line of the raw file
        no      measure number (NA on header lines)
        field   the column: 年度見出し, 施策の方向性, 内容, 年度, 推進課, 施策実施状況, 評価
        kind    one of :data:`~kyodo_analysis.source.parsing.NOTE_KINDS`
        before  the raw cell
        after   what the parser read
        ======  =======================================================
    """
    notes = load_status_table(raw, era=era, encoding=encoding, sheet=sheet, scale=scale).notes
    return pd.DataFrame({
        "line": pd.array([note.line for note in notes], dtype="int64"),
        "no": pd.array([note.no for note in notes], dtype="Int64"),
        "field": pd.array([note.field for note in notes], dtype="str"),
        "kind": pd.array([note.kind for note in notes], dtype="str"),
        "before": pd.array([note.before for note in notes], dtype="str"),
        "after": pd.array([note.after for note in notes], dtype="str"),
    })


def summarize_notes(notes: pd.DataFrame, *, lang: str = "ja") -> pd.DataFrame:
    """Count the notes of each kind, with what the kind means (kinds with no note are left out).

    Returns
    -------
    DataFrame
        Columns ``kind``, ``description`` (in ``lang``) and ``count``, in the order of
        :data:`~kyodo_analysis.source.parsing.NOTE_KINDS`.

    Examples
    --------
    >>> summarize_notes(normalization_notes())["count"].tolist()
    [1, 2, 11, 8, 8]
    """
    check_frame(notes, "notes", ("kind",), loader="normalization_notes", allow_empty=True)
    descriptions = words_for(NOTE_KIND_LABELS, lang)
    counts = notes["kind"].value_counts()
    kinds = [kind for kind in NOTE_KINDS if kind in counts.index]
    return pd.DataFrame({
        "kind": pd.array(kinds, dtype="str"),
        "description": pd.array([descriptions[kind] for kind in kinds], dtype="str"),
        "count": pd.array([int(counts[kind]) for kind in kinds], dtype="int64"),
    })
