"""Plan against actual: when each measure started, against its target year.

Examples
--------
>>> from kyodo_analysis import load_measures
>>> schedule_vs_status(load_measures())["category"].value_counts().to_dict()
{'late': 6, 'on_schedule': 5, 'no_year_in_status': 4, 'not_implemented': 4}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kyodo_analysis.analysis.sentences import sentence_at
from kyodo_analysis.era import dual_fiscal_year_label, find_fiscal_year_mentions
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.validation import check_frame, check_measures, check_no_missing

__all__ = [
    "SCHEDULE_CATEGORIES",
    "schedule_vs_status",
    "latest_fiscal_year_mentioned",
    "schedule_matrix",
]

#: The categories of :func:`schedule_vs_status`, in the order a review reads them.
SCHEDULE_CATEGORIES = ("on_schedule", "early", "late", "no_year_in_status", "not_implemented")


def schedule_vs_status(measures: pd.DataFrame, *, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Compare each measure's target year with the first fiscal year its status names.

    The earliest fiscal year in the status text (平成20年度 …) stands for the
    year the measure started. That is a reading, not a fact: a year in the
    text can refer to something else (measure 12 names the year the 協働推進課
    department opened, not its consultation desk), so the sentence holding the
    year is returned as ``evidence`` for the analyst to judge.

    Returns
    -------
    DataFrame
        One row per measure, in the order of ``measures``:

        ==================  =========  ============================================
        column              dtype      meaning
        ==================  =========  ============================================
        no                  int64      measure number
        target_fy           int64      target fiscal year (○)
        first_fy_mentioned  Int64      earliest fiscal year in the status, or NA
        lag_years           Int64      first_fy_mentioned − target_fy, or NA
        category            str        on_schedule, early, late, no_year_in_status,
                                       or not_implemented (rated in the lowest grade)
        evidence            str        the sentence naming that year ("" if none)
        ==================  =========  ============================================

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> table = schedule_vs_status(load_measures())
    >>> table.loc[table["category"] == "late", ["no", "lag_years"]].to_numpy().tolist()
    [[5, 2], [6, 1], [14, 1], [17, 1], [18, 2], [19, 1]]
    """
    check_measures(measures, "target_fy", "status", scale=scale)
    check_no_missing(measures, "status", "measures")
    ratings = scale.codes(measures["rating"], measures["no"])
    firsts: list[int | None] = []
    evidence: list[str] = []
    for status in measures["status"]:
        mentions = find_fiscal_year_mentions(status)
        if not mentions:
            firsts.append(None)
            evidence.append("")
            continue
        first, start, _ = min(mentions)
        firsts.append(first)
        evidence.append(sentence_at(status, start))
    first_fy = pd.array(firsts, dtype="Int64")
    target = measures["target_fy"].to_numpy()
    lag = first_fy - target
    category = np.select(
        [ratings == len(scale) - 1, first_fy.isna(), (lag > 0).fillna(False), (lag < 0).fillna(False)],
        ["not_implemented", "no_year_in_status", "late", "early"],
        default="on_schedule",
    )
    return pd.DataFrame({
        "no": measures["no"].to_numpy(),
        "target_fy": target,
        "first_fy_mentioned": first_fy,
        "lag_years": lag,
        "category": pd.array(category, dtype="str"),
        "evidence": pd.array(evidence, dtype="str"),
    })


def latest_fiscal_year_mentioned(measures: pd.DataFrame) -> int | None:
    """Return the latest fiscal year named in any status (the review's "as of" year), or None.

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> latest_fiscal_year_mentioned(load_measures())
    2010
    """
    check_frame(measures, "measures", ("status",))
    check_no_missing(measures, "status", "measures")
    years = [fy for status in measures["status"] for fy, _, _ in find_fiscal_year_mentions(status)]
    return max(years) if years else None


def schedule_matrix(schedule: pd.DataFrame, *, first_fy: int, last_fy: int) -> pd.DataFrame:
    """The 実施目標年度 grid as in the source table: one row per measure, one column per fiscal year.

    Examples
    --------
    >>> from kyodo_analysis import load_schedule
    >>> schedule_matrix(load_schedule(), first_fy=2007, last_fy=2012).loc[8].tolist()
    ['', '', '○', '→', '', '']
    """
    check_frame(schedule, "schedule", ("no", "fy", "mark"), loader="load_schedule")
    grid = schedule.pivot(index="no", columns="fy", values="mark")
    grid = grid.reindex(columns=range(first_fy, last_fy + 1), fill_value="").fillna("").astype("str")
    grid.columns = [dual_fiscal_year_label(fy) for fy in grid.columns]
    return grid
