"""Plan against actual: when each measure started, against its target year.

Examples
--------
>>> from kyodo_analysis import load_measures
>>> schedule_vs_status(load_measures())["category"].value_counts().sort_index().to_dict()
{'late': 4, 'not_implemented': 4, 'not_started': 3, 'on_schedule': 4, 'undetermined': 4}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kyodo_analysis.analysis.sentences import read_start
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
SCHEDULE_CATEGORIES = ("on_schedule", "early", "late", "not_started", "undetermined", "not_implemented")

def schedule_vs_status(measures: pd.DataFrame, *, previous: pd.DataFrame | None = None,
                       scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Compare each measure's target year with the year its status says it started.

    The start is read with care (:func:`read_start`): from the sentences that name the measure's own
    subject first; a year in a clause of plan or intent (予定, 検討する, …) is not a start, and a sentence
    saying that something is not in place (整備されていない, 未実施, …) gives none. When the text does not
    settle it, the category is ``undetermined`` (記述からは着手年度を判断できない), never a guess.

    ``previous`` is the previous round's measures (``no``, ``direction``, ``status``): a start its status
    named stands where this round names none, or a later one (a final round often rewords a status,
    「平成24年度に組織改編を予定」, and no longer says 「平成19年度に開設した」); its evidence is marked 前回の記述.

    Returns
    -------
    DataFrame
        One row per measure, in the order of ``measures``:

        ==========  =========  ====================================================
        column      dtype      meaning
        ==========  =========  ====================================================
        no          int64      measure number
        target_fy   int64      target fiscal year (○)
        start_fy    Int64      the start the status gives (着手年度（記載上）), or NA
        lag_years   Int64      start_fy − target_fy, or NA
        category    str        on_schedule, early, late, not_started (the text says
                               the measure is only planned or not in place),
                               undetermined, or not_implemented (lowest grade)
        evidence    str        the sentence, as written, that the reading rests on
        ==========  =========  ====================================================

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> table = schedule_vs_status(load_measures())
    >>> table.loc[table["category"] == "late", ["no", "lag_years"]].to_numpy().tolist()
    [[6, 1], [14, 1], [17, 1], [18, 2]]
    >>> table.loc[table["category"] == "not_started", "no"].tolist()
    [5, 12, 19]
    """
    check_measures(measures, "target_fy", "status", "direction", scale=scale)
    check_no_missing(measures, "status", "measures")
    ratings = scale.codes(measures["rating"], measures["no"])
    readings = [read_start(direction, status) for direction, status in zip(measures["direction"], measures["status"])]
    if previous is not None:
        check_measures(previous, "status", "direction", scale=scale)
        earlier = {no: read_start(direction, status)
                   for no, direction, status in zip(previous["no"], previous["direction"], previous["status"])}
        readings = [_earlier_start(reading, earlier.get(no)) for no, reading in zip(measures["no"], readings)]
    start_fy = pd.array([reading[0] for reading in readings], dtype="Int64")
    not_started = np.array([reading[2] for reading in readings], dtype=bool)
    target = measures["target_fy"].to_numpy()
    lag = start_fy - target
    category = np.select(
        [ratings == len(scale) - 1, not_started, start_fy.isna(), (lag > 0).fillna(False), (lag < 0).fillna(False)],
        ["not_implemented", "not_started", "undetermined", "late", "early"],
        default="on_schedule",
    )
    return pd.DataFrame({
        "no": measures["no"].to_numpy(),
        "target_fy": target,
        "start_fy": start_fy,
        "lag_years": lag,
        "category": pd.array(category, dtype="str"),
        "evidence": pd.array([reading[1] for reading in readings], dtype="str"),
    })


def _earlier_start(now: tuple, before: tuple | None) -> tuple:
    """A reading of :func:`read_start` for this round, or the previous round's where that named an earlier start.

    Examples
    --------
    >>> _earlier_start((2012, "平成24年度に移設した。", False), (2007, "平成19年度に開設した。", False))
    (2007, '前回の記述：平成19年度に開設した。', False)
    >>> _earlier_start((2008, "平成20年度に開設した。", False), (None, "", False))
    (2008, '平成20年度に開設した。', False)
    """
    if before is None or before[0] is None or (now[0] is not None and now[0] <= before[0]):
        return now
    return before[0], f"前回の記述：{before[1]}", False


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
