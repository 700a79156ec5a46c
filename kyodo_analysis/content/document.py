"""The review as a document: what the Word draft and the print PDF hold, built once from a plan review.

:func:`review_document` gathers, from the same :class:`~kyodo_analysis.analysis.review.PlanReview`
as the HTML pages: a title page, the narrative's sections as blocks of plain text
(no Markdown), the saved figures and the key tables, each in the section that
discusses it, numbered in reading order and cited at the end of the section's
first paragraph (「…（図1、表1）。」), and an appendix of every measure.
Every value is already text as a reader sees it (:func:`~kyodo_analysis.content.present.present`).
The writers (:mod:`kyodo_analysis.writers.docx_writer`, :mod:`kyodo_analysis.writers.pdf`) only lay it out.

Examples
--------
>>> import datetime
>>> from kyodo_analysis import review_plan
>>> document = review_document(review_plan(), figures=[], generated=datetime.date(2026, 11, 27))
>>> document.title, document.period, document.as_of, document.date
('北本市市民と行政との協働推進計画', '平成19年度〜平成24年度', '平成22年度', '令和8年11月27日')
>>> print(" / ".join(section.title for section in document.sections[2:5]))
3　全体の評価 / （1）全体の進捗 / （2）実施目標年度による違い
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
from kyodo_analysis.content.catalog import review_chapters, review_contents, review_figures
from kyodo_analysis.content.narrative import Block
from kyodo_analysis.content.present import present, rounding_note
from kyodo_analysis.era import fiscal_year_label, japanese_date
from kyodo_analysis.words import FIGURE_CAPTIONS, PLAN_FACTS, REVIEW_NAMES

__all__ = ["Block", "Section", "FigureItem", "TableItem", "ReviewDocument", "review_document", "figure_captions"]


@dataclass(frozen=True)
class Section:
    title: str  # numbered as the chapters are: 1　計画の概要, （1）全体の進捗
    blocks: tuple[Block, ...]
    key: str = ""  # the catalog's key (overview, …): the figures and tables of the section name it
    level: int = 1  # 1, a chapter; 2, a section of a chapter that holds several (a heading block is one deeper)
    draft_only: bool = False  # written into the Word draft only: 総括, the committee's own words to come


@dataclass(frozen=True)
class FigureItem:
    path: Path
    caption: str  # 図1 評価の分布
    section: str = ""  # the key of the section it stands in, after the text that cites it


@dataclass(frozen=True)
class TableItem:
    caption: str  # 表1 評価の内訳
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""  # printed under the table: a rounding note; a table without rows prints 該当なし instead
    section: str = ""  # the key of the section it stands in ("" for the appendix)


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
        lines = [(PLAN_FACTS["period"], self.period), (PLAN_FACTS["as_of"], self.as_of)]
        author = [(PLAN_FACTS["author"], self.author)] if self.author else []
        return [*lines, *author, (PLAN_FACTS["dated"], self.date)]


def figure_captions(plan_review: PlanReview, figures: Sequence[Path]) -> list[tuple[Path, str, str]]:
    """The PNG figures in the catalog's reading order, each with its caption (no number) and its section's key."""
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
            captioned.append((path, caption, figure.section))
    return captioned


def _table(caption: str, frame: pd.DataFrame, plan_review: PlanReview, section: str = "") -> TableItem:
    shown = present(frame, "ja", western=plan_review.western, scale=plan_review.scale)
    return TableItem(caption, tuple(shown.columns), tuple(tuple(row) for row in shown.itertuples(index=False)),
                     note=rounding_note(frame), section=section)


def _citation(numbers: list[str]) -> str:
    """The figures and tables a section cites, in order; three or more in a row of one kind by their ends (the
    pages of a large plan's figure are thirty figures or more).

    Examples
    --------
    >>> _citation(["図1", "表1"])
    '図1、表1'
    >>> _citation(["図2", "図3", "図5", "図6", "図7", "図8", "表2"])
    '図2、図3、図5〜図8、表2'
    """
    parts: list[str] = []
    run: list[str] = []
    for label in [*numbers, ""]:  # "" ends the last run
        if run and not (label[:1] == run[-1][0] and int(label[1:]) == int(run[-1][1:]) + 1):
            parts += run if len(run) < 3 else [f"{run[0]}〜{run[-1]}"]
            run = []
        run.append(label)
    return "、".join(parts)


def _cited(blocks: tuple[Block, ...], numbers: list[str]) -> tuple[Block, ...]:
    """The section's blocks, its first paragraph ending with the figures and tables that stand after them:
    「…である（図1、表1）。」"""
    if not numbers:
        return blocks
    first = next((index for index, block in enumerate(blocks) if block.kind == "paragraph"), None)
    cite = f"（{_citation(numbers)}）"
    if first is None:
        return (Block("paragraph", f"{cite[1:-1]}を参照。"), *blocks)
    text = blocks[first].text
    text = text[:-1] + cite + "。" if text.endswith("。") else text + cite
    return (*blocks[:first], Block("paragraph", text), *blocks[first + 1:])


#: What 総括 holds in the Word draft until the committee writes it.
SUMMARY_PLACEHOLDER = "（評価委員会の総括をここに記入してください。記入するまで、PDFにはこの章を載せていません。）"


def _appendix(plan_review: PlanReview, label) -> TableItem:
    """付表: every measure with its departments, grade, period (the target year, to the last continuing year),
    the start its status gives, and the status as written."""
    table = plan_review.measures[["no", "direction", "rating", "status"]].copy()
    table.insert(2, "departments", department_names(plan_review.departments).reindex(table["no"]).to_numpy())
    years = plan_review.schedule.groupby("no")["fy"].agg(["min", "max"]).reindex(table["no"])
    period = [label(first) if first == last else f"{label(first)}〜{label(last)}"
              for first, last in zip(years["min"], years["max"])]
    starts = plan_review.progress.set_index("no")["start_fy"].reindex(table["no"])
    table.insert(4, "period", pd.array(period, dtype="str"))
    table.insert(5, "start", pd.array(["—" if pd.isna(fy) else label(int(fy)) for fy in starts], dtype="str"))
    if plan_review.source_pages:  # read from the city's PDF: where each measure stands in it
        table.insert(1, "page", pd.array([str(plan_review.source_pages[no]) for no in table["no"]], dtype="str"))
    shown = _table("付表 全施策の一覧", table, plan_review, "measures")
    columns = tuple({"period": "実施期間", "start": "着手年度（記載上）", "page": "原表のページ"}.get(column, column)
                    for column in shown.columns)
    note = "実施期間は実施目標年度（○）から最後の継続年度（→）まで。着手年度（記載上）の「—」は、記述から読み取れないもの。"
    return TableItem(shown.caption, columns, shown.rows, note=note, section=shown.section)


def review_document(plan_review: PlanReview, *, figures: Sequence[Path], generated: datetime.date,
                    author: str = "", max_listed: int = narrative.MAX_LISTED) -> ReviewDocument:
    """The review as a document: title page, sections, figures, key tables and the appendix.

    ``generated`` is the date the review is dated; ``author`` who issues it (shown when given)."""
    contents = review_contents(plan_review)
    order = {section.key: index for index, section in enumerate(contents.sections)}
    # each figure and table stands in the section that discusses it, numbered in the order they are read
    captioned = sorted(figure_captions(plan_review, figures), key=lambda figure: order[figure[2]])
    shown = tuple(FigureItem(path, f"図{number} {caption}", section)
                  for number, (path, caption, section) in enumerate(captioned, start=1))
    printed = sorted((table for table in contents.tables if table.caption is not None),
                     key=lambda table: order[table.section])
    tables = tuple(_table(f"表{number} {table.caption}", table.printed, plan_review, table.section)
                   for number, table in enumerate(printed, start=1))
    sections = []
    for chapter in review_chapters(plan_review):
        if chapter.key == "summary":  # the committee's own words, in the draft it edits
            sections.append(Section(chapter.title, (Block("paragraph", SUMMARY_PLACEHOLDER),), chapter.key,
                                    draft_only=True))
            continue
        if len(chapter.sections) > 1:
            sections.append(Section(chapter.title, (), chapter.key))
        for section in chapter.sections:
            numbers = [item.caption.split(" ")[0] for item in (*shown, *tables) if item.section == section.key]
            blocks = tuple(narrative.section_blocks(section.key, plan_review, max_listed=max_listed))
            sections.append(Section(section.title, _cited(blocks, numbers), section.key,
                                    level=1 if len(chapter.sections) == 1 else 2))
    label = lambda fiscal_year: fiscal_year_label(fiscal_year, western=plan_review.western)  # noqa: E731
    return ReviewDocument(
        title=plan_review.title,
        heading=f"{REVIEW_NAMES['ja'][plan_review.kind]}報告書",
        period=f"{label(plan_review.first_fy)}〜{label(plan_review.last_fy)}",
        as_of=label(plan_review.as_of),
        date=japanese_date(generated),
        sections=tuple(sections),
        figures=shown,
        tables=tables,
        appendix=_appendix(plan_review, label),
        author=author,
        dated=generated,
    )
