"""Summaries of the ratings: counts, score index and shares, for the whole plan or per group.

Every function takes the tidy measures of :func:`~kyodo_analysis.load_measures`
first; everything else is keyword-only, with ``scale=`` (default
:data:`~kyodo_analysis.ratings.KYODO_SCALE`). A rating that is not on the
scale raises :class:`~kyodo_analysis.ratings.RatingError` naming the value,
the measure and the accepted symbols.

Examples
--------
>>> from kyodo_analysis import load_measures
>>> summarize(load_measures())[["n", "◎", "○", "△", "×", "score_index"]].round(1).to_dict("records")
[{'n': 19, '◎': 3, '○': 8, '△': 4, '×': 4, 'score_index': 50.9}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.validation import ArgumentError, check_frame, check_measures
from kyodo_analysis.words import ALL_DEPARTMENTS

__all__ = [
    "ALL_DEPARTMENTS",
    "DEPARTMENT_ROLES",
    "department_roles",
    "rating_counts",
    "summarize",
    "department_matrix",
    "shared_measures",
    "department_names",
    "with_departments",
]


def _group_codes(measures: pd.DataFrame, by: str | None) -> tuple[np.ndarray, pd.Index]:
    if by is None:
        return np.zeros(len(measures), dtype=np.int64), pd.Index([0], name="group")  # one group: the whole plan
    codes, groups = pd.factorize(measures[by], sort=True)
    return codes, pd.Index(groups, name=by)


def _count_matrix(measures: pd.DataFrame, by: str | None, scale: RatingScale) -> tuple[np.ndarray, pd.Index]:
    """Counts per group (rows) and grade (columns, best first)."""
    ratings = scale.codes(measures["rating"], measures["no"] if "no" in measures else None)
    groups, index = _group_codes(measures, by)
    k = len(scale)
    counts = np.bincount(groups * k + ratings, minlength=len(index) * k).reshape(len(index), k)
    return counts, index


def with_departments(measures: pd.DataFrame, *, departments: pd.DataFrame | None) -> pd.DataFrame:
    """The measures joined with their departments: one row per measure and department."""
    if departments is None:
        raise ArgumentError('by="department" needs departments=load_departments(...)')
    check_frame(departments, "departments", ("no", "department"), loader="load_departments")
    unknown = set(departments["no"]) - set(measures["no"])
    if unknown:
        raise ArgumentError(f"departments name measures that are not in the measures: {sorted(unknown)}")
    return measures.merge(departments[["no", "department"]], on="no", how="inner", validate="one_to_many")



#: The roles of :func:`department_roles`, in the order tables list them.
DEPARTMENT_ROLES = ("department", "coordinator", "all")


def department_roles(measures: pd.DataFrame, *, departments: pd.DataFrame) -> pd.Series:
    """Each department's role (indexed by name): ``coordinator``, ``all`` or ``department``.

    The coordinator (主管課) is named on every measure (協働推進課 in Kitamoto), so its
    ratings only repeat the whole plan's; 全課 (all departments) is no
    department. Both are reported apart from the ranking of departments.

    Examples
    --------
    >>> from kyodo_analysis import load_departments, load_measures
    >>> roles = department_roles(load_measures(), departments=load_departments())
    >>> roles["協働推進課"], roles["全課"], roles["産業振興課"]
    ('coordinator', 'all', 'department')
    """
    check_frame(measures, "measures", ("no",))
    check_frame(departments, "departments", ("no", "department"), loader="load_departments")
    counts = departments.groupby("department")["no"].nunique()
    roles = np.where(counts.index == ALL_DEPARTMENTS, "all",
                     np.where(counts.to_numpy() == measures["no"].nunique(), "coordinator", "department"))
    return pd.Series(roles, index=counts.index, name="role", dtype="str")


def department_names(departments: pd.DataFrame) -> pd.Series:
    """Each measure's departments in listed order, joined by ・ (indexed by ``no``).

    Examples
    --------
    >>> from kyodo_analysis import load_departments
    >>> department_names(load_departments())[16]
    '政策推進課・協働推進課・全課'
    """
    check_frame(departments, "departments", ("no", "department", "position"), loader="load_departments")
    ordered = departments.sort_values(["no", "position"], kind="stable")
    return ordered.groupby("no")["department"].agg("・".join)


def rating_counts(measures: pd.DataFrame, *, by: str | None = None, departments: pd.DataFrame | None = None,
                  scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Count the measures per grade (and per group), every grade present, in scale order.

    The parameters are those of :func:`summarize`.

    Returns
    -------
    DataFrame
        One row per group and grade, grades best first:

        ==========  ======================================================
        column      meaning
        ==========  ======================================================
        ``by``      the group (only when ``by`` is given)
        rating      the grade's symbol (ordered Categorical, worst first)
        label       its meaning on the scale, in Japanese
        count       measures with that grade (0 where there are none)
        share       count / measures in the group
        ==========  ======================================================

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> rating_counts(load_measures())[["rating", "count"]].to_numpy().tolist()
    [['◎', 3], ['○', 8], ['△', 4], ['×', 4]]
    """
    check_measures(measures, scale=scale, by=by)
    if by == "department":
        measures = with_departments(measures, departments=departments)
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


def summarize(measures: pd.DataFrame, *, by: str | None = None, departments: pd.DataFrame | None = None,
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
    check_measures(measures, scale=scale, by=by)
    if by == "department":
        measures = with_departments(measures, departments=departments)
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


def department_matrix(measures: pd.DataFrame, *, departments: pd.DataFrame,
                      scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
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
    >>> matrix = department_matrix(load_measures(), departments=load_departments())
    >>> matrix.index[:3].tolist(), matrix.loc["産業振興課", [7, 8, 13, 14]].tolist()
    (['協働推進課', '全課', '産業振興課'], ['×', '×', '×', '○'])
    """
    check_measures(measures, scale=scale)
    codes = scale.codes(measures["rating"], measures["no"])
    rating_of = dict(zip(measures["no"], np.asarray(scale.symbols, dtype=object)[codes]))
    linked = with_departments(measures[["no"]], departments=departments)
    counts = linked.groupby("department").size()
    order = sorted(counts.index, key=lambda name: (-counts[name], name))
    matrix = pd.DataFrame("", index=pd.Index(order, name="department"), columns=measures["no"].tolist())
    for no, department in zip(linked["no"], linked["department"]):
        matrix.loc[department, no] = rating_of[no]
    return matrix.astype("str")


def shared_measures(measures: pd.DataFrame, *, departments: pd.DataFrame) -> pd.DataFrame:
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
    >>> shared = shared_measures(load_measures(), departments=load_departments())
    >>> len(shared), shared["no"].tolist()[:3]
    (14, [8, 16, 17])
    """
    check_frame(measures, "measures", ("no", "direction", "rating"))
    check_frame(departments, "departments", ("no", "department", "position"), loader="load_departments")
    counts, names = departments.groupby("no").size(), department_names(departments)
    table = measures[["no", "direction", "rating"]].copy()
    table["n_departments"] = counts.reindex(table["no"]).fillna(0).astype("int64").to_numpy()
    table["departments"] = names.reindex(table["no"]).fillna("").astype("str").to_numpy()
    table = table[table["n_departments"] > 1]
    return table.sort_values(["n_departments", "no"], ascending=[False, True], kind="stable", ignore_index=True)
