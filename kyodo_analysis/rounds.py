"""Two review rounds of one plan compared: which measures moved up or down the scale.

Examples
--------
>>> before = pd.DataFrame({"no": [1, 2], "rating": ["×", "○"]})
>>> after = pd.DataFrame({"no": [1, 2], "rating": ["△", "○"]})
>>> compare_rounds(before, after)["change"].tolist()
['↑', '→']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .ratings import KYODO_SCALE, RatingScale
from .validation import ArgumentError, check_frame, check_scale

__all__ = ["compare_rounds", "transition_matrix", "side_by_side", "CHANGES"]

#: The changes of :func:`compare_rounds`, in the order a review reads them.
CHANGES = ("↑", "↓", "→", "new", "dropped")


def compare_rounds(before: pd.DataFrame, after: pd.DataFrame, *, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Compare the ratings of two review rounds of the same plan (e.g. midterm and final).

    The bundled Kitamoto data holds one round only; pass two measure tables.

    Returns
    -------
    DataFrame
        One row per measure in either round, sorted by ``no``:

        =============  ==========================================================
        column         meaning
        =============  ==========================================================
        no             measure number
        rating_before  rating in ``before`` (NaN if the measure is new)
        rating_after   rating in ``after`` (NaN if the measure was dropped)
        change         ↑ better, → same, ↓ worse, ``new`` or ``dropped``
        =============  ==========================================================

    Examples
    --------
    >>> before = pd.DataFrame({"no": [1, 2, 3], "rating": ["×", "○", "◎"]})
    >>> after = pd.DataFrame({"no": [1, 2, 4], "rating": ["△", "○", "×"]})
    >>> compare_rounds(before, after)["change"].tolist()
    ['↑', '→', 'dropped', 'new']
    """
    check_scale(scale)
    check_frame(before, "before", ("no", "rating"))
    check_frame(after, "after", ("no", "rating"))
    codes_before = pd.Series(scale.codes(before["rating"], before["no"]), index=before["no"].to_numpy())
    codes_after = pd.Series(scale.codes(after["rating"], after["no"]), index=after["no"].to_numpy())
    for name, codes in (("before", codes_before), ("after", codes_after)):
        if codes.index.has_duplicates:
            raise ArgumentError(f"{name} lists measure {codes.index[codes.index.duplicated()][0]} twice")
    numbers = codes_before.index.union(codes_after.index).sort_values()
    b = codes_before.reindex(numbers).to_numpy(dtype=float)
    a = codes_after.reindex(numbers).to_numpy(dtype=float)
    change = np.select(
        [np.isnan(b), np.isnan(a), a < b, a > b],  # a smaller code is a better grade
        ["new", "dropped", "↑", "↓"],
        default="→",
    )
    symbols = np.asarray(scale.symbols, dtype=object)

    def ratings(codes: np.ndarray) -> pd.Categorical:
        values = [symbols[int(c)] if not np.isnan(c) else None for c in codes]
        return pd.Categorical(values, dtype=scale.dtype)

    return pd.DataFrame({
        "no": numbers.to_numpy(dtype=np.int64),
        "rating_before": ratings(b),
        "rating_after": ratings(a),
        "change": pd.array(change, dtype="str"),
    })


def transition_matrix(before: pd.DataFrame, after: pd.DataFrame, *, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Count measures by grade before (rows) and after (columns), every grade present.

    Only measures rated in both rounds count. Rows and columns are best first.

    Examples
    --------
    >>> before = pd.DataFrame({"no": [1, 2], "rating": ["×", "×"]})
    >>> after = pd.DataFrame({"no": [1, 2], "rating": ["△", "×"]})
    >>> transition_matrix(before, after).loc["×"].tolist()
    [0, 0, 1, 1]
    """
    both = compare_rounds(before, after, scale=scale).dropna(subset=["rating_before", "rating_after"])
    k = len(scale)
    b = scale.codes(both["rating_before"].astype(object))
    a = scale.codes(both["rating_after"].astype(object))
    counts = np.bincount(b * k + a, minlength=k * k).reshape(k, k)
    return pd.DataFrame(
        counts.astype(np.int64),
        index=pd.Index(scale.symbols, name="before"),
        columns=pd.Index(scale.symbols, name="after"),
    )


def side_by_side(before: pd.DataFrame, after: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Two rounds' summaries of the same groups (:func:`~kyodo_analysis.summaries.summarize` with ``by``) in one table.

    Returns
    -------
    DataFrame
        One row per group of either round: ``by``, ``n_before``, ``n_after``,
        ``score_index_before``, ``score_index_after``, ``score_index_change``
        (after − before; NA where a round lacks the group), in the after round's order.

    Examples
    --------
    >>> before = pd.DataFrame({"block": [1, 2], "n": [2, 2], "score_index": [50.0, 25.0]})
    >>> after = pd.DataFrame({"block": [1, 2], "n": [2, 2], "score_index": [75.0, 25.0]})
    >>> side_by_side(before, after, by="block")["score_index_change"].tolist()
    [25.0, 0.0]
    """
    check_frame(before, "before", (by, "n", "score_index"), loader="summarize")
    check_frame(after, "after", (by, "n", "score_index"), loader="summarize")
    columns = [by, "n", "score_index"]
    table = after[columns].merge(before[columns], on=by, how="outer", suffixes=("_after", "_before"), sort=False)
    order = {group: i for i, group in enumerate([*after[by], *before[by]])}
    table = table.assign(_order=table[by].map(order)).sort_values("_order", kind="stable").drop(columns="_order")
    table["score_index_change"] = table["score_index_after"] - table["score_index_before"]
    result = table[[by, "n_before", "n_after", "score_index_before", "score_index_after", "score_index_change"]]
    return result.astype({"n_before": "Int64", "n_after": "Int64"}).reset_index(drop=True)
