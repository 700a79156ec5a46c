"""The review as a document: what the Word draft and the print PDF hold, built once from a plan review.

:func:`review_document` gathers, from the same :class:`~kyodo_analysis.analysis.review.PlanReview`
as the HTML pages: a title page, the narrative's sections as plain text
(paragraphs and list items, no Markdown), the saved figures with numbered
captions in reading order, the key tables, and an appendix of every measure.
Every value is already text as a reader sees it (:func:`~kyodo_analysis.content.present.present`).
The writers (:mod:`kyodo_analysis.writers.docx_writer`, :mod:`kyodo_analysis.writers.pdf`) only lay it out.

Examples
--------
>>> import datetime
>>> from kyodo_analysis import review_plan
>>> document = review_document(review_plan(), figures=[], generated=datetime.date(2026, 11, 27))
>>> document.title, document.period, document.as_of, document.date
('北本市市民と行政との協働推進計画', '平成19年度〜平成24年度', '平成22年度', '令和8年11月27日')
>>> [section.title for section in document.sections][:2]
['全体の進捗', '実施目標年度による違い']
>>> [table.caption for table in document.tables]  # no structure file: no section of the table's own sections
['表1 評価の内訳', '表2 評価と記述の整合性', '表3 後半期の重点施策']
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kyodo_analysis.analysis.review import PlanReview
from kyodo_analysis.analysis.summaries import department_names
from kyodo_analysis.content import narrative
from kyodo_analysis.content.catalog import review_contents, review_figures
from kyodo_analysis.content.narrative import Block
from kyodo_analysis.content.present import present, rounding_note
from kyodo_analysis.era import fiscal_year_label, japanese_date
from kyodo_analysis.words import FIGURE_CAPTIONS, REVIEW_NAMES

__all__ = ["Block", "Section", "FigureItem", "TableItem", "ReviewDocument", "review_document", "figure_captions"]


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class FigureItem:
    path: Path
    caption: str  # 図1 評価の分布


@dataclass(frozen=True)
class TableItem:
    caption: str  # 表1 評価の内訳
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""  # printed under the table: a rounding note; a table without rows prints 該当なし instead


@dataclass(frozen=True)
class ReviewDocument:
    """Everything the Word draft and the PDF print, in order."""

    title: str
    heading: str  # 中間評価報告書
    period: str
    as_of: str
    date: str  # the date the review is dated (by default, the day it was made), in 和暦
    sections: tuple[Section, ...]
    figures: tuple[FigureItem, ...]
    tables: tuple[TableItem, ...]
    appendix: TableItem
    author: str = ""  # who issues the review (北本市協働推進課, ○○評価委員会); "" when not given
    dated: datetime.date | None = None  # that date as a date: the Word file's created and modified dates

    def title_page(self) -> list[tuple[str, str]]:
        """The title page's lines under the heading, label and value, in order (作成者 only when given)."""
        lines = [("計画期間", self.period), ("評価時点", self.as_of)]
        return lines + ([("作成者", self.author)] if self.author else []) + [("作成日", self.date)]


def figure_captions(plan_review: PlanReview, figures: Sequence[Path]) -> list[tuple[Path, str]]:
    """The PNG figures in the catalog's reading order, each with its caption (no number)."""
    pngs = [path for path in figures if path.suffix == ".png"]
    captioned = []
    for figure in review_figures(plan_review):
        if not figure.in_review:  # the analysts' figures of the table's sections
            continue
        pages = sorted(path for path in pngs if path.stem == figure.name or re.fullmatch(rf"{figure.name}_p\d+", path.stem))
        for number, path in enumerate(pages, start=1):
            caption = figure.caption
            if len(pages) > 1:
                caption = FIGURE_CAPTIONS["ja"]["page"].format(caption=caption, page=number, pages=len(pages))
            captioned.append((path, caption))
    return captioned


def _table(caption: str, frame: pd.DataFrame, plan_review: PlanReview) -> TableItem:
    shown = present(frame, "ja", western=plan_review.western, scale=plan_review.scale)
    return TableItem(caption, tuple(shown.columns), tuple(tuple(row) for row in shown.itertuples(index=False)),
                     note=rounding_note(frame))


def review_document(plan_review: PlanReview, *, figures: Sequence[Path], generated: datetime.date,
                    author: str = "", max_listed: int = narrative.MAX_LISTED) -> ReviewDocument:
    """The review as a document: title page, sections, figures, key tables and the appendix.

    ``generated`` is the date the review is dated; ``author`` who issues it (shown when given)."""
    contents = review_contents(plan_review)
    sections = [Section(section.title, tuple(narrative.section_blocks(section.key, plan_review, max_listed=max_listed)))
                for section in contents.sections]
    printed = [table for table in contents.tables if table.caption is not None]
    departments = department_names(plan_review.departments)
    appendix = plan_review.measures[["no", "direction", "rating", "status"]].copy()
    appendix.insert(2, "departments", departments.reindex(appendix["no"]).to_numpy())
    label = lambda fiscal_year: fiscal_year_label(fiscal_year, western=plan_review.western)  # noqa: E731
    return ReviewDocument(
        title=plan_review.title,
        heading=f"{REVIEW_NAMES['ja'][plan_review.kind]}報告書",
        period=f"{label(plan_review.first_fy)}〜{label(plan_review.last_fy)}",
        as_of=label(plan_review.as_of),
        date=japanese_date(generated),
        sections=tuple(sections),
        figures=tuple(FigureItem(path, f"図{number} {caption}")
                      for number, (path, caption) in enumerate(figure_captions(plan_review, figures), start=1)),
        tables=tuple(_table(f"表{number} {table.caption}", table.printed, plan_review)
                     for number, table in enumerate(printed, start=1)),
        appendix=_table("付表 全施策の一覧", appendix, plan_review),
        author=author,
        dated=generated,
    )
