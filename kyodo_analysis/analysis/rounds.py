"""Two review rounds of one plan compared: which measures moved up or down the scale.

Examples
--------
>>> before = pd.DataFrame({"no": [1, 2], "rating": ["×", "○"]})
>>> after = pd.DataFrame({"no": [1, 2], "rating": ["△", "○"]})
>>> compare_rounds(before, after)["change"].tolist()
['↑', '→']
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.source.parsing import StatusTableError
from kyodo_analysis.validation import ArgumentError, check_frame, check_scale, remove_invisible

__all__ = ["compare_rounds", "transition_matrix", "side_by_side", "CHANGES", "check_same_plan",
           "RoundMismatchError", "MAX_MISMATCHES_SHOWN"]

#: The changes of :func:`compare_rounds`, in the order a review reads them.
CHANGES = ("↑", "↓", "→", "new", "dropped")

#: How many mismatching measures the error of :func:`check_same_plan` quotes.
MAX_MISMATCHES_SHOWN = 3

_SPACES = re.compile(r"\s+")


class RoundMismatchError(StatusTableError):
    """The previous round given is not a round of the same plan: its measures do not match this round's."""


def _comparable(direction: str) -> str:
    """A 施策の方向性 as compared across rounds: NFKC, without spaces or invisible characters."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", remove_invisible(str(direction))))


def check_same_plan(before: pd.DataFrame, after: pd.DataFrame, *, previous: str | os.PathLike) -> None:
    """Check that ``before`` (read from ``previous``) is an earlier round of the plan ``after`` is one of.

    The rounds must share measure numbers, and each measure both have must have the same
    施策の方向性 (after NFKC, spaces removed). Measures added or dropped are allowed then
    (:func:`compare_rounds` marks them ``new`` and ``dropped``).

    Raises
    ------
    RoundMismatchError
        Naming ``previous`` and, in Japanese, the first measures whose 施策の方向性 differ
        (or the two ranges of numbers when they share none).

    Examples
    --------
    >>> before = pd.DataFrame({"no": [1, 2, 3], "direction": ["相談窓口の設置", "交流会の開催", "基金の創設"]})
    >>> after = pd.DataFrame({"no": [1, 2, 4], "direction": ["相談 窓口の設置", "交流会の開催", "条例の制定"]})
    >>> check_same_plan(before, after, previous="r1.txt")  # No.3 dropped, No.4 added, No.1 spaced: the same plan
    >>> check_same_plan(before, after.assign(direction=["市民活動の支援", "交流会の開催", "条例の制定"]), previous="r1.txt")
    Traceback (most recent call last):
    ...
    kyodo_analysis.analysis.rounds.RoundMismatchError: r1.txt: 前回の表は今回と別の計画の表のようです。同じ No の施策の方向性が1件で異なります：No.1 前回「相談窓口の設置」・今回「市民活動の支援」。同じ計画の前回の施策実施状況の表を指定してください
    """
    check_frame(before, "before", ("no", "direction"))
    check_frame(after, "after", ("no", "direction"))
    earlier = dict(zip(before["no"].astype(int), before["direction"]))
    later = dict(zip(after["no"].astype(int), after["direction"]))
    common = sorted(earlier.keys() & later.keys())
    if not common:
        raise RoundMismatchError(
            f"前回の表の施策番号（No.{min(earlier)}〜{max(earlier)}）が今回の表（No.{min(later)}〜{max(later)}）と"
            "1つも重なりません。同じ計画の前回の施策実施状況の表を指定してください", path=previous)
    differing = [no for no in common if _comparable(earlier[no]) != _comparable(later[no])]
    if differing:
        shown = "、".join(f"No.{no} 前回「{_cut(earlier[no])}」・今回「{_cut(later[no])}」"
                         for no in differing[:MAX_MISMATCHES_SHOWN])
        more = f"ほか{len(differing) - MAX_MISMATCHES_SHOWN}件" if len(differing) > MAX_MISMATCHES_SHOWN else ""
        raise RoundMismatchError(
            f"前回の表は今回と別の計画の表のようです。同じ No の施策の方向性が{len(differing)}件で異なります："
            f"{shown}{'、' + more if more else ''}。同じ計画の前回の施策実施状況の表を指定してください", path=previous)


def _cut(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


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
    """Two rounds' summaries of the same groups (:func:`~kyodo_analysis.analysis.summaries.summarize` with ``by``) in one table.

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


def grades_by_round(rounds: Sequence[pd.DataFrame], *, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Each measure's grade in each round (oldest first): ``no``, ``direction`` (the latest round's that has
    the measure), ``round_1`` … ``round_n`` as the scale's ordered categories (NA where a round lacks it).

    Examples
    --------
    >>> first = pd.DataFrame({"no": [1, 2], "direction": ["窓口", "広報"], "rating": ["×", "○"]})
    >>> second = pd.DataFrame({"no": [1, 2], "direction": ["窓口", "広報"], "rating": ["△", "○"]})
    >>> third = pd.DataFrame({"no": [1, 3], "direction": ["窓口", "研修"], "rating": ["○", "◎"]})
    >>> grades = grades_by_round([first, second, third])
    >>> [[str(grade) for grade in grades[column]] for column in ("round_1", "round_2", "round_3")]
    [['×', '○', 'nan'], ['△', '○', 'nan'], ['○', 'nan', '◎']]
    """
    check_scale(scale)
    for index, measures in enumerate(rounds, start=1):
        check_frame(measures, f"round {index}", ("no", "direction", "rating"))
    numbers = sorted(set().union(*(set(measures["no"]) for measures in rounds)))
    directions: dict[int, str] = {}
    for measures in rounds:  # the latest round's wording of each measure
        directions.update(zip(measures["no"].astype(int), measures["direction"].astype(str)))
    frame = pd.DataFrame({"no": pd.array(numbers, dtype="int64"),
                          "direction": pd.array([directions[no] for no in numbers], dtype="str")})
    for index, measures in enumerate(rounds, start=1):
        grades = measures.set_index("no")["rating"].astype(object).reindex(numbers)
        frame[f"round_{index}"] = pd.Categorical(grades.where(grades.notna(), None).tolist(), dtype=scale.dtype)
    return frame


def score_index_by_round(rounds: Sequence[pd.DataFrame], *, by: str, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """The score index of each round (oldest first): for the whole plan (``group`` ``""``), then for each group
    of ``by`` in order of first appearance; ``round_1`` … ``round_n`` (NaN where a round has none of a group)."""
    from kyodo_analysis.analysis.summaries import summarize

    rows: dict[str, dict[str, float]] = {"": {}}
    for index, measures in enumerate(rounds, start=1):
        column = f"round_{index}"
        rows[""][column] = float(summarize(measures, scale=scale)["score_index"].iloc[0])
        for group, value in summarize(measures, by=by, scale=scale).set_index(by)["score_index"].items():
            rows.setdefault(str(group), {})[column] = float(value)
    columns = [f"round_{index}" for index in range(1, len(rounds) + 1)]
    return pd.DataFrame([{"group": group, **{c: values.get(c, np.nan) for c in columns}}
                         for group, values in rows.items()]).astype({"group": "str"})
