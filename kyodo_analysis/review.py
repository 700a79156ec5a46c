"""Midterm-review analytics: how far the plan has got, where it is weak, what is late.

Every function takes the tidy measures of :func:`~kyodo_analysis.load_measures`
and a ``scale=`` (default :data:`~kyodo_analysis.ratings.KYODO_SCALE`), and
returns a DataFrame with fixed, documented columns. A rating that is not on
the scale raises :class:`~kyodo_analysis.ratings.RatingError` naming the
value, the measure and the accepted symbols.

Examples
--------
>>> from kyodo_analysis import load_measures
>>> summarize(load_measures())[["n", "◎", "○", "△", "×", "score_index"]].round(1).to_dict("records")
[{'n': 19, '◎': 3, '○': 8, '△': 4, '×': 4, 'score_index': 50.9}]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .era import dual_fiscal_year_label, find_fiscal_year_mentions
from .ratings import KYODO_SCALE, RatingScale
from .validation import ArgumentError, ArgumentTypeError, check_choice, check_frame, check_no_missing, check_scale

__all__ = [
    "rating_counts",
    "summarize",
    "schedule_vs_status",
    "audit_consistency",
    "AuditMarkers",
    "DEFAULT_MARKERS",
    "compare_rounds",
    "transition_matrix",
    "split_sentences",
    "SCHEDULE_CATEGORIES",
    "department_matrix",
    "latest_fiscal_year_mentioned",
    "block_labels",
    "priorities",
    "shared_measures",
    "schedule_matrix",
    "PlanReview",
    "review_plan",
    "AS_OF_MARGIN_YEARS",
]

#: The categories of :func:`schedule_vs_status`, in the order a review reads them.
SCHEDULE_CATEGORIES = ("on_schedule", "early", "late", "no_year_in_status", "not_implemented")

_SENTENCE = re.compile(r"[^。]+。?")

#: How many fiscal years before the plan's first year, or after its last, a review may be dated.
AS_OF_MARGIN_YEARS = 5


def split_sentences(text: str) -> list[str]:
    """Split Japanese text into sentences ending in 。 (the last may lack it).

    Examples
    --------
    >>> split_sentences("開設した。 今後は検討する。")
    ['開設した。', '今後は検討する。']
    """
    return [sentence.strip() for sentence in _SENTENCE.findall(text) if sentence.strip()]


def _group_codes(measures: pd.DataFrame, by: str | None) -> tuple[np.ndarray, pd.Index]:
    if by is None:
        return np.zeros(len(measures), dtype=np.int64), pd.Index(["全体"], name="group")
    codes, groups = pd.factorize(measures[by], sort=True)
    return codes, pd.Index(groups, name=by)


def _count_matrix(measures: pd.DataFrame, by: str | None, scale: RatingScale) -> tuple[np.ndarray, pd.Index]:
    """Counts per group (rows) and grade (columns, best first)."""
    ratings = scale.codes(measures["rating"], measures["no"] if "no" in measures else None)
    groups, index = _group_codes(measures, by)
    k = len(scale)
    counts = np.bincount(groups * k + ratings, minlength=len(index) * k).reshape(len(index), k)
    return counts, index


def _checked(measures: pd.DataFrame, scale: RatingScale, *columns: str, by: str | None = None) -> None:
    """Check the measures, the scale and ``by`` of a public function (see :mod:`.validation`)."""
    check_frame(measures, "measures", ("no", "rating", *columns))
    check_scale(scale)
    if by is not None:
        check_choice(by, "by", [*(c for c in measures.columns if c not in ("no", "rating")), "department"])


def _with_departments(measures: pd.DataFrame, departments: pd.DataFrame | None) -> pd.DataFrame:
    if departments is None:
        raise ArgumentError('by="department" needs departments=load_departments(...)')
    check_frame(departments, "departments", ("no", "department"), loader="load_departments")
    unknown = set(departments["no"]) - set(measures["no"])
    if unknown:
        raise ArgumentError(f"departments name measures that are not in the measures: {sorted(unknown)}")
    return measures.merge(departments[["no", "department"]], on="no", how="inner", validate="one_to_many")


def rating_counts(measures: pd.DataFrame, by: str | None = None, scale: RatingScale = KYODO_SCALE, *,
                  departments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count the measures per grade (and per group), every grade present, in scale order.

    Parameters
    ----------
    measures : DataFrame
        From :func:`~kyodo_analysis.load_measures`.
    by : str, optional
        A column of the measures to group by, or ``"department"`` (then
        ``departments`` is required and a measure counts once per department).
    departments : DataFrame, optional
        From :func:`~kyodo_analysis.load_departments`.
    scale : RatingScale

    Returns
    -------
    DataFrame
        One row per group and grade, grades best first:

        ==========  ======================================================
        column      meaning
        ==========  ======================================================
        ``by``      the group (only when ``by`` is given)
        rating      the grade's symbol (ordered Categorical, worst first)
        label       its Japanese meaning
        count       measures with that grade (0 where there are none)
        share       count / measures in the group
        ==========  ======================================================

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> rating_counts(load_measures())[["rating", "count"]].to_numpy().tolist()
    [['◎', 3], ['○', 8], ['△', 4], ['×', 4]]
    """
    _checked(measures, scale, by=by)
    if by == "department":
        measures = _with_departments(measures, departments)
    counts, groups = _count_matrix(measures, by, scale)
    k = len(scale)
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    result = pd.DataFrame({
        "rating": pd.Categorical(np.tile(scale.symbols, len(groups)), dtype=scale.dtype),
        "label": np.tile(scale.labels_ja, len(groups)),
        "count": counts.ravel().astype(np.int64),
        "share": shares.ravel(),
    })
    if by is not None:
        result.insert(0, by, np.repeat(groups.to_numpy(), k))
    return result


def summarize(measures: pd.DataFrame, by: str | None = None, departments: pd.DataFrame | None = None,
              scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Summarize the ratings of the plan, or of each group.

    Parameters
    ----------
    measures : DataFrame
        From :func:`~kyodo_analysis.load_measures`.
    by : str, optional
        A column of the measures (``"block"``, ``"target_fy"``, …), or
        ``"department"``; None gives one row for the whole plan.
    departments : DataFrame, optional
        From :func:`~kyodo_analysis.load_departments`; required when
        ``by="department"``, where a measure counts once for each department
        it lists.
    scale : RatingScale

    Returns
    -------
    DataFrame
        One row per group, sorted by group (departments: most measures first):

        =====================  ==================================================
        column                 meaning
        =====================  ==================================================
        ``by``                 the group (only when ``by`` is given)
        n                      measures in the group
        ◎ ○ △ × (symbols)      count per grade, best first
        mean_score             mean score
        score_index            (mean − lowest score) / (highest − lowest) × 100;
                               with scores from 0 this is mean / maximum × 100
        implemented_share      share rated in the top grades (◎ ○)
        not_implemented_share  share rated in the lowest grade (×)
        =====================  ==================================================

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> summarize(load_measures(), by="block")[["block", "n", "score_index"]].round(1).to_numpy().tolist()
    [[1.0, 7.0, 61.9], [2.0, 7.0, 28.6], [3.0, 5.0, 66.7]]
    """
    _checked(measures, scale, by=by)
    if by == "department":
        measures = _with_departments(measures, departments)
    counts, groups = _count_matrix(measures, by, scale)
    n = counts.sum(axis=1)
    scores = np.asarray(scale.scores, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = counts @ scores / n
        implemented = counts[:, : len(scale.implemented)].sum(axis=1) / n
        lowest = counts[:, -1] / n
    result = pd.DataFrame(counts, columns=list(scale.symbols))
    result.insert(0, "n", n.astype(np.int64))
    result["mean_score"] = mean
    result["score_index"] = (mean - scale.min_score) / (scale.max_score - scale.min_score) * 100
    result["implemented_share"] = implemented
    result["not_implemented_share"] = lowest
    if by is not None:
        result.insert(0, by, groups.to_numpy())
        if by == "department":
            result = result.sort_values(["n", by], ascending=[False, True], kind="stable", ignore_index=True)
    return result


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
    _checked(measures, scale, "target_fy", "status")
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
        evidence.append(_sentence_at(status, start))
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


def _sentence_at(text: str, offset: int) -> str:
    """The sentence of (NFKC) ``text`` that holds character ``offset``."""
    for match in _SENTENCE.finditer(text):
        if match.start() <= offset < match.end():
            return match.group().strip()
    return text.strip()


@dataclass(frozen=True)
class AuditMarkers:
    """Words that show a status text disagrees with its rating.

    ``negative`` words admit a gap; a measure in the top grades whose status
    holds one is flagged. ``positive`` words report something done; a measure
    in the lowest grade whose status holds one (outside a negative word, so
    that 未実施 does not count as 実施) is flagged. Each maps to its reason.
    """

    negative: Mapping[str, str] = field(default_factory=lambda: {
        "未実施": "not implemented (未実施)",
        "未設置": "not set up (未設置)",
        "未整備": "not established (未整備)",
        "進んでいない": "not progressing (進んでいない)",
        "整備されていない": "not established (整備されていない)",
        "予定": "only planned, not done (予定)",
        "検討する": "still under consideration (検討する); bare 検討 would match 検討委員会",
        "検討中": "still under consideration (検討中)",
        "今後": "left for later (今後)",
    })
    positive: Mapping[str, str] = field(default_factory=lambda: {
        "した": "reports an action taken (した)",
        "実施": "reports implementation (実施)",
        "開催": "reports an event held (開催)",
        "開設": "reports something opened (開設)",
        "設置": "reports something set up (設置)",
        "創設": "reports something created (創設)",
    })


#: The markers :func:`audit_consistency` uses unless told otherwise.
DEFAULT_MARKERS = AuditMarkers()


def audit_consistency(measures: pd.DataFrame, markers: AuditMarkers = DEFAULT_MARKERS,
                      scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Flag measures whose rating and status text disagree.

    - a measure in the top grades (◎ ○) whose status admits a gap
      (a negative marker: 未実施, 未設置, 進んでいない, 予定, …);
    - a measure in the lowest grade (×) whose status reports something done
      (a positive marker: した, 実施, 開催, 開設, …).

    Returns
    -------
    DataFrame
        One row per flagged sentence and marker, sorted by ``no``:

        ========  ====================================================
        column    meaning
        ========  ====================================================
        no        measure number
        rating    its rating (ordered Categorical)
        marker    the word that disagrees with the rating
        sentence  the sentence holding it
        ========  ====================================================

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> audit_consistency(load_measures())[["no", "marker"]].to_numpy().tolist()
    [[1, '未設置'], [5, '予定'], [6, '進んでいない'], [14, '未実施']]
    """
    _checked(measures, scale, "status")
    check_no_missing(measures, "status", "measures")
    if not isinstance(markers, AuditMarkers):
        raise ArgumentError(f"markers must be AuditMarkers, not {type(markers).__name__}")
    ratings = scale.codes(measures["rating"], measures["no"])
    negative = sorted(markers.negative, key=len, reverse=True)
    negative_pattern = re.compile("|".join(map(re.escape, negative))) if negative else None
    rows = []
    for no, code, status in zip(measures["no"], ratings, measures["status"]):
        if code < len(scale.implemented):
            words, mask_negatives = negative, False
        elif code == len(scale) - 1:
            words, mask_negatives = list(markers.positive), True
        else:
            continue
        for sentence in split_sentences(status):
            searched = negative_pattern.sub("□", sentence) if mask_negatives and negative_pattern else sentence
            for word in words:
                if word in searched:
                    rows.append((no, scale.symbols[code], word, sentence))
    return pd.DataFrame({
        "no": pd.array([row[0] for row in rows], dtype="int64"),
        "rating": pd.Categorical([row[1] for row in rows], dtype=scale.dtype),
        "marker": pd.array([row[2] for row in rows], dtype="str"),
        "sentence": pd.array([row[3] for row in rows], dtype="str"),
    })


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


def department_matrix(measures: pd.DataFrame, departments: pd.DataFrame, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Tabulate each department's measures with their ratings.

    Returns
    -------
    DataFrame
        One row per department (index ``department``), sorted by how many
        measures it carries (then by name); 全課 is a row of its own. One
        column per measure number, in order. A cell holds the measure's
        rating symbol where the department is responsible, else ``""``.

    Examples
    --------
    >>> from kyodo_analysis import load_departments, load_measures
    >>> matrix = department_matrix(load_measures(), load_departments())
    >>> matrix.index[:3].tolist(), matrix.loc["産業振興課", [7, 8, 13, 14]].tolist()
    (['協働推進課', '全課', '産業振興課'], ['×', '×', '×', '○'])
    """
    _checked(measures, scale)
    codes = scale.codes(measures["rating"], measures["no"])
    rating_of = dict(zip(measures["no"], np.asarray(scale.symbols, dtype=object)[codes]))
    linked = _with_departments(measures[["no"]], departments)
    counts = linked.groupby("department").size()
    order = sorted(counts.index, key=lambda name: (-counts[name], name))
    matrix = pd.DataFrame("", index=pd.Index(order, name="department"), columns=measures["no"].tolist())
    for no, department in zip(linked["no"], linked["department"]):
        matrix.loc[department, no] = rating_of[no]
    return matrix.astype("str")


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


def block_labels(measures: pd.DataFrame, lang: str = "ja") -> dict[int, str]:
    """Name each block by its number and its measure range: ``{1: "ブロック1 (No.1–7)"}``.

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> block_labels(load_measures())
    {1: 'ブロック1 (No.1–7)', 2: 'ブロック2 (No.8–14)', 3: 'ブロック3 (No.15–19)'}
    """
    word = "ブロック" if lang == "ja" else "Block "
    ranges = measures.groupby("block")["no"].agg(["min", "max"])
    return {
        int(block): f"{word}{block} (No.{low}–{high})" if low != high else f"{word}{block} (No.{low})"
        for block, (low, high) in ranges.iterrows()
    }


def shared_measures(measures: pd.DataFrame, departments: pd.DataFrame) -> pd.DataFrame:
    """The measures that more than one department carries (全課 counts as one).

    Returns
    -------
    DataFrame
        =============  ================================================
        column         meaning
        =============  ================================================
        no             measure number
        direction      施策の方向性
        rating         rating
        n_departments  how many departments it lists
        departments    the departments, in listed order, joined by ・
        =============  ================================================

        Sorted by ``n_departments`` (most first), then ``no``.

    Examples
    --------
    >>> from kyodo_analysis import load_departments, load_measures
    >>> shared = shared_measures(load_measures(), load_departments())
    >>> len(shared), shared["no"].tolist()[:3]
    (14, [8, 16, 17])
    """
    check_frame(measures, "measures", ("no", "direction", "rating"))
    check_frame(departments, "departments", ("no", "department", "position"), loader="load_departments")
    ordered = departments.sort_values(["no", "position"], kind="stable")
    grouped = ordered.groupby("no")["department"]
    counts, names = grouped.size(), grouped.agg("・".join)
    table = measures[["no", "direction", "rating"]].copy()
    table["n_departments"] = counts.reindex(table["no"]).fillna(0).astype("int64").to_numpy()
    table["departments"] = names.reindex(table["no"]).fillna("").astype("str").to_numpy()
    table = table[table["n_departments"] > 1]
    return table.sort_values(["n_departments", "no"], ascending=[False, True], kind="stable", ignore_index=True)


@dataclass(frozen=True)
class PlanReview:
    """Everything a midterm review shows, computed once from one plan table.

    Built by :func:`review_plan`; notebooks and the narrative read it.
    """

    title: str
    era: str
    first_fy: int
    last_fy: int
    as_of_fy: int
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
    block_labels: dict[int, str]
    cohort_labels: dict[int, str]


def priorities(measures: pd.DataFrame, schedule: pd.DataFrame, departments: pd.DataFrame, progress: pd.DataFrame,
               *, as_of_fy: int, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """The measures to push in the second half: not implemented (lowest grade) or started late.

    Ordered by how much of each measure's own scheduled period is left after
    ``as_of_fy`` (its last ○/→ year minus ``as_of_fy``; negative = overdue),
    least first, then worst rating, then number.

    Returns
    -------
    DataFrame
        ==================  ====================================================
        column              meaning
        ==================  ====================================================
        no                  measure number
        direction           施策の方向性
        rating              rating (ordered Categorical)
        category            ``not_implemented`` or ``late`` (schedule_vs_status)
        lag_years           years late (NA when not implemented)
        scheduled_until_fy  last fiscal year marked ○ or → for the measure
        years_left          scheduled_until_fy − as_of_fy
        departments         its departments, joined by ・
        ==================  ====================================================

    Examples
    --------
    >>> from kyodo_analysis import load_measures, load_schedule, load_departments
    >>> m = load_measures()
    >>> table = priorities(m, load_schedule(), load_departments(), schedule_vs_status(m), as_of_fy=2010)
    >>> table["no"].tolist()
    [6, 17, 18, 19, 5, 14, 7, 8, 10, 13]
    """
    codes = scale.codes(measures["rating"], measures["no"])
    selected = progress["category"].isin(["not_implemented", "late"]).to_numpy()
    until = schedule.groupby("no")["fy"].max()
    names = departments.sort_values(["no", "position"]).groupby("no")["department"].agg("・".join)
    table = pd.DataFrame({
        "no": measures["no"].to_numpy(),
        "direction": measures["direction"].to_numpy(),
        "rating": measures["rating"].to_numpy(),
        "category": progress["category"].to_numpy(),
        "lag_years": progress["lag_years"].array,
        "scheduled_until_fy": until.reindex(measures["no"]).to_numpy(dtype=np.int64),
        "_code": codes,
    })[selected]
    table["years_left"] = table["scheduled_until_fy"] - as_of_fy
    table["departments"] = names.reindex(table["no"]).fillna("").to_numpy()
    table["rating"] = pd.Categorical(table["rating"], dtype=scale.dtype)
    table["direction"] = table["direction"].astype("str")
    table["category"] = table["category"].astype("str")
    table = table.sort_values(["years_left", "_code", "no"], ascending=[True, False, True], kind="stable")
    return table.drop(columns="_code").reset_index(drop=True)


def schedule_matrix(schedule: pd.DataFrame, first_fy: int, last_fy: int) -> pd.DataFrame:
    """The 実施目標年度 grid as in the source table: one row per measure, one column per fiscal year.

    Examples
    --------
    >>> from kyodo_analysis import load_schedule
    >>> schedule_matrix(load_schedule(), 2007, 2012).loc[8].tolist()
    ['', '', '○', '→', '', '']
    """
    grid = schedule.pivot(index="no", columns="fy", values="mark")
    grid = grid.reindex(columns=range(first_fy, last_fy + 1), fill_value="").fillna("").astype("str")
    grid.columns = [dual_fiscal_year_label(fy) for fy in grid.columns]
    return grid


def review_plan(raw_path=None, *, era: str = "平成", plan_title: str | None = None, as_of_fy: int | None = None,
                scale: RatingScale = KYODO_SCALE, lang: str = "ja") -> PlanReview:
    """Load a plan table and compute every part of its midterm review.

    Parameters
    ----------
    raw_path : path-like, optional
        A raw extracted table (or a folder of processed CSVs); None = the bundled Kitamoto table.
    era : str
        The era of the table's header years.
    plan_title : str, optional
        None = the table's own title line.
    as_of_fy : int, optional
        The review's fiscal year; None = the latest fiscal year named in the
        statuses (or the plan's first year when none is named).

    Examples
    --------
    >>> review = review_plan()
    >>> review.as_of_fy, review.first_fy, review.last_fy, len(review.measures)
    (2010, 2007, 2012, 19)
    """
    from .loaders import load_departments, load_measures, load_plan, load_schedule

    check_scale(scale)
    check_choice(lang, "lang", ("ja", "en"))
    if as_of_fy is not None and (isinstance(as_of_fy, bool) or not isinstance(as_of_fy, (int, np.integer))):
        raise ArgumentTypeError(f"as_of_fy must be a Western fiscal year (int), not {as_of_fy!r}")
    measures = load_measures(raw_path, era=era, scale=scale)
    schedule = load_schedule(raw_path, era=era, scale=scale)
    departments = load_departments(raw_path, era=era, scale=scale)
    plan = load_plan(raw_path, era=era, scale=scale).iloc[0]
    first_fy, last_fy = int(plan["first_fy"]), int(plan["last_fy"])
    if as_of_fy is None:
        as_of_fy = latest_fiscal_year_mentioned(measures) or first_fy
    earliest, latest = first_fy - AS_OF_MARGIN_YEARS, last_fy + AS_OF_MARGIN_YEARS
    if not earliest <= as_of_fy <= latest:
        raise ArgumentError(
            f"as_of_fy={as_of_fy} is outside the plan period FY{first_fy}-{last_fy}, give or take "
            f"{AS_OF_MARGIN_YEARS} years (accepted: {earliest}-{latest})"
        )
    progress = schedule_vs_status(measures, scale=scale)
    return PlanReview(
        title=plan_title if plan_title is not None else str(plan["title"]),
        era=era,
        first_fy=first_fy,
        last_fy=last_fy,
        as_of_fy=int(as_of_fy),
        scale=scale,
        measures=measures,
        schedule=schedule,
        departments=departments,
        counts=rating_counts(measures, scale=scale),
        overall=summarize(measures, scale=scale),
        by_block=summarize(measures, "block", scale=scale),
        by_target_fy=summarize(measures, "target_fy", scale=scale),
        by_department=summarize(measures, "department", departments, scale=scale),
        progress=progress,
        audit=audit_consistency(measures, scale=scale),
        priorities=priorities(measures, schedule, departments, progress, as_of_fy=int(as_of_fy), scale=scale),
        block_labels=block_labels(measures, lang),
        cohort_labels={int(fy): dual_fiscal_year_label(int(fy)) for fy in sorted(measures["target_fy"].unique())},
    )
