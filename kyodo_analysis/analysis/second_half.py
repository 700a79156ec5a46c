"""What the second half should push: the measures that need it most, and the late starts that are done.

A committee reads the list from the top, so it is ranked by need:

1. every measure rated below the implemented grades (× before △), the one
   furthest past its target year (○) first, then by number;
2. then the measures rated in the implemented grades (◎ ○) whose own status
   admits a gap (:func:`~kyodo_analysis.analysis.audit.audit_consistency`), by number,
   with the sentence.

A measure that started late but is rated ◎ or ○ with no such sentence was
done, late: it is no priority (:func:`late_but_done` lists it).

Examples
--------
>>> from kyodo_analysis import audit_consistency, load_departments, load_measures, schedule_vs_status
>>> m = load_measures()
>>> table = priorities(m, audit=audit_consistency(m), departments=load_departments(), as_of=2010)
>>> table["no"].tolist()
[7, 8, 10, 13, 3, 12, 19, 9, 1, 5, 6, 14]
>>> late_but_done(m, progress=schedule_vs_status(m), audit=audit_consistency(m))["no"].tolist()
[17, 18]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kyodo_analysis.analysis.summaries import department_names
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.validation import check_frame, check_measures

__all__ = ["PRIORITY_REASONS", "priorities", "late_but_done"]

#: Why a measure is a priority, in the order the list gives them.
PRIORITY_REASONS = ("low_grade", "audit")


def priorities(measures: pd.DataFrame, *, audit: pd.DataFrame, departments: pd.DataFrame, as_of: int,
               schedule: pd.DataFrame | None = None, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """The measures to push in the second half, most needed first (see the module's text for the order).

    Returns
    -------
    DataFrame
        ==================  ==========================================================
        column              meaning
        ==================  ==========================================================
        no                  measure number
        direction           施策の方向性
        rating              rating (ordered Categorical)
        reason              ``low_grade`` (below ◎ ○) or ``audit`` (◎ ○, text admits a gap)
        target_fy           target fiscal year (○)
        scheduled_until_fy  the planned period's last year: the last → after the ○ (``schedule``;
                            the target year itself without ``schedule`` or without a →)
        years_since_target  as_of − target_fy (negative: the target year is still ahead)
        years_past_period   as_of − scheduled_until_fy: above 0, the planned period has ended
        evidence            the audit's sentence(s) for ``audit``, else ""
        departments         its departments, joined by ・
        ==================  ==========================================================
    """
    check_measures(measures, "direction", "target_fy", scale=scale)
    check_frame(audit, "audit", ("no", "sentence"), loader="audit_consistency", allow_empty=True)
    codes = scale.codes(measures["rating"], measures["no"])
    n_implemented = len(scale.implemented)
    sentences = audit.groupby("no", sort=True)["sentence"].agg(lambda found: " ".join(dict.fromkeys(found)))
    until = measures["target_fy"].to_numpy(dtype=np.int64)
    if schedule is not None:
        check_frame(schedule, "schedule", ("no", "fy"), loader="load_schedule")
        last_marks = schedule.groupby("no")["fy"].max()
        until = np.maximum(until, last_marks.reindex(measures["no"]).fillna(0).to_numpy(dtype=np.int64))
    low = codes >= n_implemented
    gap = ~low & measures["no"].isin(sentences.index).to_numpy()
    table = pd.DataFrame({
        "no": measures["no"].to_numpy(),
        "direction": measures["direction"].astype("str").to_numpy(),
        "rating": pd.Categorical(measures["rating"], dtype=scale.dtype),
        "reason": np.where(low, "low_grade", "audit"),
        "target_fy": measures["target_fy"].to_numpy(dtype=np.int64),
        "scheduled_until_fy": until,
        "years_since_target": as_of - measures["target_fy"].to_numpy(dtype=np.int64),
        "years_past_period": as_of - until,
        "_tier": np.where(low, 0, 1),
        "_code": np.where(low, codes, 0),  # the audit's measures go by number alone
    })[low | gap]
    table["evidence"] = [sentences.get(no, "") if reason == "audit" else ""
                         for no, reason in zip(table["no"], table["reason"])]
    table["departments"] = department_names(departments).reindex(table["no"]).fillna("").to_numpy()
    # within the low grades: worst grade, then the planned period ended longest ago (a measure still inside
    # its period after one whose period has ended), then number; audit: by number
    table["_since"] = np.where(table["_tier"] == 0, -table["years_past_period"], 0)
    table = table.sort_values(["_tier", "_code", "_since", "no"], ascending=[True, False, True, True], kind="stable")
    table = table.drop(columns=["_tier", "_code", "_since"]).reset_index(drop=True)
    return table.astype({"reason": "str", "evidence": "str", "departments": "str"})


def late_but_done(measures: pd.DataFrame, *, progress: pd.DataFrame, audit: pd.DataFrame,
                  scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """The measures that started late but are rated in the implemented grades with no gap in their text.

    Returns
    -------
    DataFrame
        The rows of ``progress`` (:func:`~kyodo_analysis.analysis.progress.schedule_vs_status`)
        for those measures: ``no``, ``target_fy``, ``start_fy``, ``lag_years``.
    """
    check_measures(measures, scale=scale)
    check_frame(progress, "progress", ("no", "category", "target_fy", "start_fy", "lag_years"),
                loader="schedule_vs_status")
    check_frame(audit, "audit", ("no",), loader="audit_consistency", allow_empty=True)
    implemented = dict(zip(measures["no"], scale.codes(measures["rating"], measures["no"]) < len(scale.implemented)))
    keep = [(category == "late" and implemented[no] and no not in set(audit["no"]))
            for no, category in zip(progress["no"], progress["category"])]
    columns = ["no", "target_fy", "start_fy", "lag_years"]
    return progress.loc[keep, columns].reset_index(drop=True)
