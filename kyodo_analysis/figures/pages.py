"""The figures with a row or column per measure, in pages: at most :data:`~kyodo_analysis.figures.draw.MEASURES_PER_PAGE`
measures a page, split by the plan's broadest group, each page drawn only when it is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from kyodo_analysis.analysis.review import PlanReview
from kyodo_analysis.analysis.summaries import department_matrix as department_rating_matrix
from kyodo_analysis.content.present import group_labels
from kyodo_analysis.figures.draw import (
    DETACHED_FIGURES,
    MAX_DEPARTMENTS,
    MEASURES_PER_PAGE,
    checked_review,
    history_matrix,
    plot_department_matrix,
    plot_indicator_progress,
    plot_plan_vs_actual,
)
from kyodo_analysis.words import FIGURE_TEXT, words_for

__all__ = ["measure_pages", "FigurePages", "plan_vs_actual_pages", "department_matrix_pages"]


def measure_pages(plan_review: PlanReview, *, per_page: int = MEASURES_PER_PAGE) -> list[tuple[object, list[int]]]:
    """The pages of a figure with one row or column per measure: ``(group, measure numbers)`` each.

    A plan of at most ``per_page`` measures is one page (group None).
    Otherwise the measures are split by the broadest level of the plan's
    structure (or its table sections), then in chunks of at most ``per_page``.

    Examples
    --------
    >>> from kyodo_analysis import review_plan
    >>> measure_pages(review_plan())
    [(None, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19])]
    >>> [(group, len(numbers)) for group, numbers in measure_pages(review_plan(), per_page=5)]
    [(1, 5), (1, 2), (2, 5), (2, 2), (3, 5)]
    """
    measures = plan_review.measures.sort_values("no")
    if len(measures) <= per_page:
        return [(None, measures["no"].tolist())]
    pages = []
    for group, members in measures.groupby(plan_review.levels[0], sort=False):
        numbers = members["no"].tolist()
        pages += [(group, numbers[start:start + per_page]) for start in range(0, len(numbers), per_page)]
    return pages


def _page_title(plan_review: PlanReview, pages: list, index: int, lang: str) -> str | None:
    """The title of page ``index``: its group and its number (the caption names the figure); None for a single
    page."""
    if len(pages) == 1:
        return None
    group = pages[index][0]
    label = group_labels(plan_review.measures, plan_review.levels[0], lang).get(group, group)
    return words_for(FIGURE_TEXT, lang)["page"].format(group=label, page=index + 1, pages=len(pages))


def _suffix(pages: list, index: int) -> str:
    """The file-name suffix of a page: nothing for a single page, else ``_p01``, ``_p02``, …"""
    return "" if len(pages) == 1 else f"_p{index + 1:02d}"


class FigurePages:
    """The pages of a figure with one row or column per measure, drawn one at a time as they are iterated.

    ``len()`` is the number of pages; iterating yields ``(suffix, Axes)``,
    the suffix being ``""`` for a single page, else ``_p01``, ``_p02``, …
    Only the page being drawn needs memory: :func:`save_pages` closes each
    page of a several-page figure once it is saved.
    """

    def __init__(self, pages: list[tuple[object, list[int]]], draw: Callable[[int, list[int]], Axes]):
        self.pages = pages
        self._draw = draw

    def __len__(self) -> int:
        return len(self.pages)

    def __iter__(self) -> Iterator[tuple[str, Axes]]:
        for index, (_, numbers) in enumerate(self.pages):
            # one page is an ordinary (pyplot) figure, shown inline; several pages are figures of their own,
            # freed as soon as they are saved (see save_pages)
            token = DETACHED_FIGURES.set(len(self.pages) > 1)
            try:
                ax = self._draw(index, numbers)
            finally:
                DETACHED_FIGURES.reset(token)
            yield _suffix(self.pages, index), ax


def plan_vs_actual_pages(plan_review: PlanReview, *, lang: str = "ja", per_page: int = MEASURES_PER_PAGE) -> FigurePages:
    """The timeline in pages of at most ``per_page`` measures (:func:`measure_pages`).

    Each page keeps its legend and names its group in the title.
    """
    plan_review = checked_review(plan_review)
    pages = measure_pages(plan_review, per_page=per_page)
    level = plan_review.levels[0]
    labels = group_labels(plan_review.measures, level, lang)

    def draw(index: int, numbers: list[int]) -> Axes:
        def only(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["no"].isin(numbers)]

        return plot_plan_vs_actual(
            only(plan_review.measures), only(plan_review.schedule), only(plan_review.progress),
            first_fy=plan_review.first_fy, last_fy=plan_review.last_fy, as_of=plan_review.as_of,
            scale=plan_review.scale, lang=lang, group=level, group_labels=labels,
            title=_page_title(plan_review, pages, index, lang))

    return FigurePages(pages, draw)


def department_matrix_pages(plan_review: PlanReview, *, lang: str = "ja", per_page: int = MEASURES_PER_PAGE,
                            max_departments: int = MAX_DEPARTMENTS) -> FigurePages:
    """The department × measure matrix in pages of at most ``per_page`` measures.

    The rows are the same on every page: the ``max_departments`` departments
    with the most measures, then one row for the rest.
    """
    plan_review = checked_review(plan_review)
    matrix = _top_rows(department_rating_matrix(plan_review.measures, departments=plan_review.departments,
                                                scale=plan_review.scale), lang, max_departments)
    pages = measure_pages(plan_review, per_page=per_page)

    def draw(index: int, numbers: list[int]) -> Axes:
        return plot_department_matrix(matrix[numbers], scale=plan_review.scale, lang=lang,
                                      title=_page_title(plan_review, pages, index, lang))

    return FigurePages(pages, draw)


def rating_history_pages(plan_review: PlanReview, *, lang: str = "ja",
                         per_page: int = MEASURES_PER_PAGE) -> FigurePages:
    """Each measure's grade in every round (:func:`~kyodo_analysis.figures.draw.rating_history`), in pages of at
    most ``per_page`` measures."""
    plan_review = checked_review(plan_review)
    matrix = history_matrix(plan_review)
    pages = measure_pages(plan_review, per_page=per_page)

    def draw(index: int, numbers: list[int]) -> Axes:
        present = [no for no in numbers if no in matrix.columns]
        return plot_department_matrix(matrix[present], scale=plan_review.scale, lang=lang, counts=False,
                                      title=_page_title(plan_review, pages, index, lang)
                                      or words_for(FIGURE_TEXT, lang)["history"])

    return FigurePages(pages, draw)


def indicator_progress_pages(plan_review: PlanReview, *, lang: str = "ja",
                             per_page: int = MEASURES_PER_PAGE) -> FigurePages:
    """The outcome indicators' progress (:func:`~kyodo_analysis.figures.draw.plot_indicator_progress`), in pages
    of at most ``per_page`` indicators, in the file's order."""
    plan_review = checked_review(plan_review)
    table = plan_review.indicators
    positions = list(range(len(table)))
    pages = [(None, positions[start:start + per_page]) for start in range(0, len(positions), per_page)]

    def draw(index: int, rows: list[int]) -> Axes:
        title = None if len(pages) == 1 else words_for(FIGURE_TEXT, lang)["indicator_pages"].format(
            first=rows[0] + 1, last=rows[-1] + 1)
        return plot_indicator_progress(table.iloc[rows], lang=lang, title=title)

    return FigurePages(pages, draw)


def _top_rows(matrix: pd.DataFrame, lang: str, keep: int) -> pd.DataFrame:
    """The first ``keep`` rows (most measures first), and one row for the rest."""
    if len(matrix) <= keep + 1:
        return matrix
    rest = matrix.iloc[keep:]
    # a measure's cell holds its rating wherever a department of the rest carries it
    merged = rest.replace("", np.nan).bfill().iloc[0].fillna("").astype("str")
    name = words_for(FIGURE_TEXT, lang)["other_departments"].format(n=len(rest))
    return pd.concat([matrix.iloc[:keep], merged.to_frame(name).T]).rename_axis("department")
