"""Grading the outcome indicators (成果指標) by a city's rule: 水準 (level) or ペース (pace), each defined once.

A rule, like :class:`~kyodo_analysis.ratings.RatingScale`, holds its grades, their names and meanings, and
the few lines that grade one indicator. The actual value is the latest at or before the review year.

水準 (``level``, the default): no actual → −; the target reached (in the better direction) → S; within the
tolerance of the baseline → B (同水準); better than the baseline → A; otherwise C. The tolerance is 許容幅 if
given, else 10 % of |baseline|.

ペース (``pace``): progress p = (actual − baseline) / (target − baseline); elapsed e = (review year − baseline
year) / (target year − baseline year), kept between 0 and 1 (after the target year, on course means the target
reached); no actual → −; p ≥ e → a; within the tolerance of the baseline, or not
worse than it → b; otherwise c. The tolerance is 許容幅 if given, else 0.

A target equal to the baseline leaves p undefined: at the target or better is S or a, otherwise C or c, and the
note says why.

Examples
--------
>>> frame = pd.DataFrame({"name": ["登録団体数"], "unit": ["団体"], "direction": ["増加"], "baseline_fy": [2007],
...                       "baseline": [100.0], "target_fy": [2012], "target": [200.0], "tolerance": [float("nan")],
...                       "related": [""], "values": [{2009: 130.0, 2010: 160.0, 2011: 999.0}]})
>>> graded = grade_indicators(frame, as_of=2010, scheme=LEVEL)
>>> row = graded.iloc[0]
>>> float(row["actual"]), int(row["actual_fy"]), float(row["progress"]), row["grade"]
(160.0, 2010, 0.6, 'A')
>>> grade_indicators(frame, as_of=2010, scheme=PACE)["grade"].tolist()  # 0.6 of the way, 0.6 of the time
['a']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from kyodo_analysis.validation import ArgumentError
from kyodo_analysis.words import level_name

__all__ = ["IndicatorScheme", "LEVEL", "PACE", "SCHEMES", "indicator_scheme", "expected_progress", "grade_indicators",
           "indicator_level_names", "indicator_counts_by_group"]

#: What an indicator without a value at or before the review year gets, under either rule.
NO_GRADE = "−"


@dataclass(frozen=True)
class IndicatorScheme:
    """A city's rule for grading indicators: its key, name, grades (best first, ``−`` last), their meanings and
    colours (blue for the better, red for the worse, grey for ``−``), and ``grade(indicator, actual, as_of)`` →
    (grade, note) for an indicator whose target differs from its baseline (:func:`grade_indicators` grades the
    others, and those without an actual)."""

    key: str
    name: str
    grades: tuple[str, ...]
    meanings: tuple[str, ...]
    colors: tuple[str, ...]
    grade: Callable[[pd.Series, float, int], tuple[str, str]]

    @property
    def dtype(self) -> pd.CategoricalDtype:
        """The grades as an ordered Categorical, worst first (``−`` before all: it cannot be measured)."""
        return pd.CategoricalDtype([NO_GRADE, *reversed(self.grades[:-1])], ordered=True)


def _better(indicator: pd.Series, value: float, than: float) -> bool:
    return (value - than) * (1 if indicator["direction"] == "増加" else -1) > 0


def _reached(indicator: pd.Series, value: float) -> bool:
    return value == indicator["target"] or _better(indicator, value, indicator["target"])


def _level(indicator: pd.Series, actual: float, as_of: int) -> tuple[str, str]:
    tolerance = indicator["tolerance"] if not math.isnan(indicator["tolerance"]) else 0.1 * abs(indicator["baseline"])
    if _reached(indicator, actual):
        return "S", ""
    if abs(actual - indicator["baseline"]) <= tolerance:
        return "B", ""
    return ("A", "") if _better(indicator, actual, indicator["baseline"]) else ("C", "")


def expected_progress(baseline_fy: int, target_fy: int, as_of: int) -> float:
    """The pace expected by the review year: the share of the years from the baseline to the target elapsed,
    between 0 (at or before the baseline year) and 1 (the target year and after; also when they are the same).

    Examples
    --------
    >>> expected_progress(2007, 2012, 2010), expected_progress(2007, 2012, 2014), expected_progress(2010, 2010, 2010)
    (0.6, 1.0, 1.0)
    """
    span = target_fy - baseline_fy
    return 1.0 if span <= 0 else min(1.0, max(0.0, (as_of - baseline_fy) / span))


def _pace(indicator: pd.Series, actual: float, as_of: int) -> tuple[str, str]:
    progress = (actual - indicator["baseline"]) / (indicator["target"] - indicator["baseline"])
    elapsed = expected_progress(indicator["baseline_fy"], indicator["target_fy"], as_of)
    tolerance = 0.0 if math.isnan(indicator["tolerance"]) else indicator["tolerance"]
    if progress >= elapsed:
        return "a", ""
    if abs(actual - indicator["baseline"]) <= tolerance or not _better(indicator, indicator["baseline"], actual):
        return "b", ""
    return "c", ""


#: 水準: how far the actual is, measured against the baseline and the target.
LEVEL = IndicatorScheme("level", "水準", ("S", "A", "B", "C", NO_GRADE),
                        ("目標値を達成", "基準値より改善", "基準値と同水準", "基準値より悪化", "測定できない"),
                        ("#2166ac", "#92c5de", "#f7f7f7", "#d6604d", "#d9d9d9"), _level)
#: ペース: whether the actual keeps the pace to reach the target by the target year.
PACE = IndicatorScheme("pace", "ペース", ("a", "b", "c", NO_GRADE),
                       ("目標に向けて順調", "順調ではないが改善または横ばい", "基準値より悪化", "測定できない"),
                       ("#2166ac", "#f7f7f7", "#d6604d", "#d9d9d9"), _pace)
#: The rules by key (``--indicator-scheme``).
SCHEMES = {scheme.key: scheme for scheme in (LEVEL, PACE)}


def indicator_scheme(key: str | IndicatorScheme) -> IndicatorScheme:
    """The rule named ``key`` (level or pace), or the rule itself."""
    if isinstance(key, IndicatorScheme):
        return key
    if key not in SCHEMES:
        raise ArgumentError(f"indicator_scheme は {' / '.join(SCHEMES)} のどちらかです（{key!r}）")
    return SCHEMES[key]


def grade_indicators(indicators: pd.DataFrame, *, as_of: int, scheme: IndicatorScheme = LEVEL) -> pd.DataFrame:
    """Grade each indicator (:func:`~kyodo_analysis.source.indicators.read_indicators`) as of the review year.

    Returns the indicators without ``values``, with ``actual`` and ``actual_fy`` (the latest value at or before
    ``as_of``, NaN and NA without one), ``progress`` ((actual − baseline) / (target − baseline); NaN when
    undefined), ``expected`` (the pace expected by ``as_of``: :func:`expected_progress`), ``grade`` (the
    rule's ordered Categorical) and ``note`` (why, where the rule needed a word).
    """
    rows = []
    for _, indicator in indicators.iterrows():
        years = [fy for fy in indicator["values"] if fy <= as_of]
        actual_fy = max(years) if years else None
        actual = indicator["values"][actual_fy] if years else math.nan
        span = indicator["target"] - indicator["baseline"]
        progress = (actual - indicator["baseline"]) / span if years and span else math.nan
        if not years:
            grade, note = NO_GRADE, "評価時点までの実績値がない"
        elif not span:  # no way to measure progress on: the best grade when the target is reached, else the lowest
            grade = scheme.grades[0] if _reached(indicator, actual) else scheme.grades[-2]
            note = "目標値が基準値と同じため、目標値に達しているかで判定"
        else:
            grade, note = scheme.grade(indicator, actual, as_of)
        expected = expected_progress(int(indicator["baseline_fy"]), int(indicator["target_fy"]), as_of)
        rows.append({"actual": actual, "actual_fy": actual_fy, "progress": progress, "expected": expected,
                     "grade": grade, "note": note})
    columns = ["actual", "actual_fy", "progress", "expected", "grade", "note"]
    frame = indicators.drop(columns="values").join(pd.DataFrame(rows, columns=columns, index=indicators.index))
    return frame.astype({"actual": "float64", "actual_fy": "Int64", "progress": "float64", "expected": "float64",
                         "note": "str"}).assign(
        grade=pd.Categorical(frame["grade"], dtype=scheme.dtype))


def indicator_level_names(levels: Sequence[str]) -> dict[str, str]:
    """The headings by which an indicators file ties an indicator to a group (:func:`~kyodo_analysis.source.
    indicators.read_indicators`' ``level_names``): each level of the plan's structure, broadest first, then 表の区分
    (the table's own sections, which every table has) → the level's column.

    Examples
    --------
    >>> indicator_level_names(("基本目標", "基本方針")), indicator_level_names(("block",))
    ({'基本目標': '基本目標', '基本方針': '基本方針', '表の区分': 'block'}, {'表の区分': 'block'})
    """
    return {level_name(level): level for level in (*levels, "block")}


def indicator_counts_by_group(graded: pd.DataFrame, groups: list, *, scheme: IndicatorScheme = LEVEL,
                              level: str = "group") -> pd.DataFrame:
    """Per group (in the order of ``groups``; those with no indicator left out): ``n_indicators`` and the count
    of each of ``scheme``'s grades, best first, ``−`` last, among the graded indicators (:func:`grade_indicators`) whose
    ``groups`` hold it. An indicator of several groups counts in each. The group column is named ``level``.

    Examples
    --------
    >>> graded = pd.DataFrame({"groups": [("A",), ("A", "B"), ()], "grade": ["S", "C", "A"]})
    >>> indicator_counts_by_group(graded, ["A", "B", "C"], level="基本目標").to_dict("records")
    [{'基本目標': 'A', 'n_indicators': 2, 'S': 1, 'A': 0, 'B': 0, 'C': 1, '−': 0}, {'基本目標': 'B', 'n_indicators': 1, \
'S': 0, 'A': 0, 'B': 0, 'C': 1, '−': 0}]
    """
    rows = []
    for group in groups:
        grades = graded.loc[graded["groups"].map(lambda tied: group in tied), "grade"].astype("str")
        if len(grades):
            rows.append({level: group, "n_indicators": len(grades), **{grade: int((grades == grade).sum())
                                                            for grade in scheme.grades}})
    return pd.DataFrame(rows, columns=[level, "n_indicators", *scheme.grades])
