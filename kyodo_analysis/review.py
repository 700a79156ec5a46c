"""The plan review: every part of a midterm review, computed once from one plan table.

Examples
--------
>>> plan_review = review_plan()
>>> plan_review.as_of, plan_review.overall["score_index"].round(1).item()
(2010, 50.9)
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .audit import audit_consistency
from .progress import latest_fiscal_year_mentioned, priorities, schedule_vs_status
from .ratings import KYODO_SCALE, RatingScale
from .summaries import rating_counts, summarize
from .validation import ArgumentError, ArgumentTypeError, check_scale

__all__ = ["PlanReview", "review_plan", "AS_OF_MARGIN_YEARS"]

#: How many fiscal years before the plan's first year, or after its last, a review may be dated.
AS_OF_MARGIN_YEARS = 5


@dataclass(frozen=True)
class PlanReview:
    """Everything a midterm review shows, computed once from one plan table: data only, no language.

    Built by :func:`review_plan`; the figures, the narrative, the notebooks
    and the report read it, each in the language it writes
    (:mod:`kyodo_analysis.words`).

    Attributes
    ----------
    title, era : str
        The plan's title and the era of its header years.
    first_fy, last_fy : int
        The plan period, as Western fiscal years.
    as_of : int
        The fiscal year of the review.
    scale : RatingScale
        The ratings and what they mean.
    measures, schedule, departments : DataFrame
        The tidy tables of :mod:`kyodo_analysis.loaders`.
    counts, overall, by_block, by_target_fy, by_department : DataFrame
        :func:`~kyodo_analysis.summaries.rating_counts` and
        :func:`~kyodo_analysis.summaries.summarize` of the plan and per group.
    progress, priorities : DataFrame
        :func:`~kyodo_analysis.progress.schedule_vs_status` and
        :func:`~kyodo_analysis.progress.priorities`.
    audit : DataFrame
        :func:`~kyodo_analysis.audit.audit_consistency`.
    """

    title: str
    era: str
    first_fy: int
    last_fy: int
    as_of: int
    scale: RatingScale
    measures: pd.DataFrame
    schedule: pd.DataFrame
    departments: pd.DataFrame
    counts: pd.DataFrame
    overall: pd.DataFrame
    by_block: pd.DataFrame
    by_target_fy: pd.DataFrame
    by_department: pd.DataFrame
    progress: pd.DataFrame
    audit: pd.DataFrame
    priorities: pd.DataFrame


def review_plan(raw: str | os.PathLike | None = None, *, era: str = "平成", title: str | None = None,
                as_of: int | None = None, scale: RatingScale = KYODO_SCALE) -> PlanReview:
    """Load a plan table and compute every part of its midterm review.

    Parameters
    ----------
    raw : path-like, optional
        A raw extracted table (or a folder of processed CSVs); None = the bundled Kitamoto table.
    era : str
        The era of the table's header years.
    title : str, optional
        The plan's name in the text; None = the table's own title line.
    as_of : int, optional
        The review's fiscal year (Western); None = the latest fiscal year
        named in the statuses (or the plan's first year when none is named).
    scale : RatingScale
        The table's ratings and what they mean.

    Examples
    --------
    >>> plan_review = review_plan()
    >>> plan_review.as_of, plan_review.first_fy, plan_review.last_fy, len(plan_review.measures)
    (2010, 2007, 2012, 19)
    """
    from .loaders import load_departments, load_measures, load_plan, load_schedule

    check_scale(scale)
    if as_of is not None and (isinstance(as_of, bool) or not isinstance(as_of, (int, np.integer))):
        raise ArgumentTypeError(f"as_of must be a Western fiscal year (int), not {as_of!r}")
    measures = load_measures(raw, era=era, scale=scale)
    schedule = load_schedule(raw, era=era, scale=scale)
    departments = load_departments(raw, era=era, scale=scale)
    plan = load_plan(raw, era=era, scale=scale).iloc[0]
    first_fy, last_fy = int(plan["first_fy"]), int(plan["last_fy"])
    if as_of is None:
        as_of = latest_fiscal_year_mentioned(measures) or first_fy
    earliest, latest = first_fy - AS_OF_MARGIN_YEARS, last_fy + AS_OF_MARGIN_YEARS
    if not earliest <= as_of <= latest:
        raise ArgumentError(
            f"as_of={as_of} is outside the plan period FY{first_fy}-{last_fy}, give or take "
            f"{AS_OF_MARGIN_YEARS} years (accepted: {earliest}-{latest})"
        )
    as_of = int(as_of)
    progress = schedule_vs_status(measures, scale=scale)
    return PlanReview(
        title=title if title is not None else str(plan["title"]),
        era=era,
        first_fy=first_fy,
        last_fy=last_fy,
        as_of=as_of,
        scale=scale,
        measures=measures,
        schedule=schedule,
        departments=departments,
        counts=rating_counts(measures, scale=scale),
        overall=summarize(measures, scale=scale),
        by_block=summarize(measures, by="block", scale=scale),
        by_target_fy=summarize(measures, by="target_fy", scale=scale),
        by_department=summarize(measures, by="department", departments=departments, scale=scale),
        progress=progress,
        audit=audit_consistency(measures, scale=scale),
        priorities=priorities(measures, schedule=schedule, departments=departments, progress=progress, as_of=as_of,
                              scale=scale),
    )
