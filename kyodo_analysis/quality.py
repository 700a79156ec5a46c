"""Data-quality notes: what the parser normalized in a raw table, cell by cell.

The parser accepts the extraction's defects (see :mod:`kyodo_analysis.parsing`)
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
import unicodedata
from pathlib import Path

import pandas as pd

from .config import KITAMOTO_STATUS_TABLE
from .loaders import load_status_table
from .parsing import FIRST_YEAR_CELL, _decode, _is_header_cell, _trailing_cells, normalize_text
from .ratings import KYODO_SCALE, RatingScale, canonical_symbol
from .validation import check_frame

__all__ = ["normalization_notes", "summarize_notes", "NOTE_KINDS"]

#: What each kind of note means, in Japanese (for the data-overview notebook).
NOTE_KINDS: dict[str, str] = {
    "header_year_misplaced": "年度見出しのセルがずれていた（年度の値の順に読み直した）",
    "width_folded": "全角英数字・括弧などを半角に統一した（NFKC）",
    "spaces_removed": "日本語の間に入った抽出由来の空白を除いた",
    "department_rejoined": "分割された推進課名をつなぎ直した（例：全 課 → 全課）",
    "lookalike_mark": "似た記号を正規の記号に読み替えた（例：〇 → ○）",
    "department_in_year_cell": "推進課が年度欄の最後のセルにずれていた",
}


def normalization_notes(source: str | os.PathLike | None = None, *, era: str = "平成", encoding: str | None = None,
                        scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """List every change the parser made to the raw table.

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
        kind    one of :data:`NOTE_KINDS`
        before  the raw cell
        after   what the parser read
        ======  =======================================================
    """
    path = Path(KITAMOTO_STATUS_TABLE if source is None else source)
    table = load_status_table(path, era=era, encoding=encoding, scale=scale)  # validates first
    by_line = {measure.line: measure for measure in table.measures}
    text = _decode(path.read_bytes(), str(path), encoding).removeprefix("\ufeff")
    notes: list[tuple] = []

    def note(line, no, field, kind, before, after):
        notes.append((line, no, field, kind, before, after))

    awaiting_years = False
    for line, raw in enumerate(text.split("\n"), start=1):
        cells = [cell.strip() for cell in raw.rstrip("\r").split("\t")]
        if not any(cells):
            continue
        if _is_header_cell(unicodedata.normalize("NFKC", cells[0])):
            awaiting_years = True
            continue
        if awaiting_years:
            awaiting_years = False
            filled = [i for i, cell in enumerate(cells) if cell]
            if filled != list(range(FIRST_YEAR_CELL, FIRST_YEAR_CELL + len(filled))):
                note(line, pd.NA, "年度見出し", "header_year_misplaced", "|".join(cells[FIRST_YEAR_CELL:]),
                     " ".join(unicodedata.normalize("NFKC", cells[i]) for i in filled))
            continue
        measure = by_line.get(line)
        if measure is None:
            continue
        department_cell, status_cell, rating_cell = _trailing_cells(cells)  # the parser accepted the row
        texts = {"施策の方向性": (cells[1], measure.direction), "内容": (cells[2], measure.content),
                 "施策実施状況": (cells[status_cell], measure.status)}
        for field, (before, after) in texts.items():
            folded = unicodedata.normalize("NFKC", before)
            if folded != before:
                note(line, measure.no, field, "width_folded", before, folded)
            if normalize_text(folded) != " ".join(folded.split()):
                note(line, measure.no, field, "spaces_removed", before, after)
        department = cells[department_cell]
        if len(department.split()) != len(measure.departments):
            note(line, measure.no, "推進課", "department_rejoined", department, " ".join(measure.departments))
        if department_cell < FIRST_YEAR_CELL + len(table.fiscal_years):
            note(line, measure.no, "推進課", "department_in_year_cell", f"cell {department_cell + 1}", department)
        marks = [cells[i] for i in range(FIRST_YEAR_CELL, department_cell) if cells[i]]
        for raw_mark in marks + [cells[rating_cell]]:
            folded = unicodedata.normalize("NFKC", raw_mark)
            if folded not in scale.symbols and canonical_symbol(folded) != folded:
                field = "評価" if raw_mark is cells[rating_cell] else "年度"
                note(line, measure.no, field, "lookalike_mark", raw_mark, canonical_symbol(folded))
    return pd.DataFrame({
        "line": pd.array([n[0] for n in notes], dtype="int64"),
        "no": pd.array([n[1] for n in notes], dtype="Int64"),
        "field": pd.array([n[2] for n in notes], dtype="str"),
        "kind": pd.array([n[3] for n in notes], dtype="str"),
        "before": pd.array([n[4] for n in notes], dtype="str"),
        "after": pd.array([n[5] for n in notes], dtype="str"),
    })


def summarize_notes(notes: pd.DataFrame) -> pd.DataFrame:
    """Count the notes of each kind, with what the kind means (kinds with no note are left out).

    Returns
    -------
    DataFrame
        Columns ``kind``, ``description`` (Japanese) and ``count``, in the order of :data:`NOTE_KINDS`.

    Examples
    --------
    >>> summarize_notes(normalization_notes())["count"].tolist()
    [1, 2, 11, 8, 8]
    """
    check_frame(notes, "notes", ("kind",), loader="normalization_notes", allow_empty=True)
    counts = notes["kind"].value_counts()
    kinds = [kind for kind in NOTE_KINDS if kind in counts.index]
    return pd.DataFrame({
        "kind": pd.array(kinds, dtype="str"),
        "description": pd.array([NOTE_KINDS[kind] for kind in kinds], dtype="str"),
        "count": pd.array([int(counts[kind]) for kind in kinds], dtype="int64"),
    })
