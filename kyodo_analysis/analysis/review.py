"""The plan review: every part of a midterm review, computed once from one plan table.

Examples
--------
>>> plan_review = review_plan()
>>> plan_review.as_of, plan_review.overall["score_index"].round(1).item()
(2010, 50.9)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kyodo_analysis import config
from kyodo_analysis.analysis.audit import audit_consistency
from kyodo_analysis.analysis.indicators import grade_indicators, indicator_counts_by_group, indicator_level_names
from kyodo_analysis.analysis.indicators import indicator_scheme as indicator_scheme_named
from kyodo_analysis.analysis.progress import latest_fiscal_year_mentioned, schedule_vs_status
from kyodo_analysis.analysis.rounds import check_same_plan, compare_rounds, side_by_side, transition_matrix
from kyodo_analysis.analysis.second_half import late_but_done, priorities
from kyodo_analysis.analysis.summaries import DEPARTMENT_ROLES, department_roles, rating_counts, summarize
from kyodo_analysis.era import WESTERN
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.source.errata import mark_errata, read_errata
from kyodo_analysis.source.indicators import read_indicators
from kyodo_analysis.source.parsing import plan_name
from kyodo_analysis.source.structure import read_structure
from kyodo_analysis.validation import ArgumentError, ArgumentTypeError, check_one_line, check_scale

__all__ = ["PlanReview", "RoundComparison", "review_plan", "AS_OF_MARGIN_YEARS", "MIN_COMPARED"]

#: How many fiscal years before the plan's first year, or after its last, a review may be dated.
AS_OF_MARGIN_YEARS = 5

#: Groups and departments with fewer measures are shown with their n, but never named best or worst.
MIN_COMPARED = 3


@dataclass(frozen=True)
class RoundComparison:
    """This round against the previous one (``review_plan(previous=…)``).

    Attributes
    ----------
    previous_title : str
        The previous round's table title.
    previous_as_of : int
        The previous round's review year: the latest fiscal year its statuses name (or the plan's first
        year), by which the text names that round: 前回（平成22年度時点）.
    changes : DataFrame
        :func:`~kyodo_analysis.analysis.rounds.compare_rounds`, with ``direction`` and
        ``departments`` after ``no``: ↑ → ↓ (or new, dropped) per measure.
    transitions : DataFrame
        :func:`~kyodo_analysis.analysis.rounds.transition_matrix`: old grade (rows) × new grade.
    overall : DataFrame
        :func:`~kyodo_analysis.analysis.rounds.side_by_side` of the whole plan (one row, no group column).
    by_level : dict of str to DataFrame
        Both rounds' summaries side by side for each level of ``PlanReview.levels``.
    by_department : DataFrame
        Both rounds' summaries side by side per department.
    added, dropped : tuple of int
        The measure numbers only this round has, and only the previous one had (read from ``changes``;
        :func:`~kyodo_analysis.analysis.rounds.check_same_plan` has checked that the others match).
    """

    previous_title: str
    previous_as_of: int
    changes: pd.DataFrame
    transitions: pd.DataFrame
    overall: pd.DataFrame
    by_level: dict[str, pd.DataFrame]
    by_department: pd.DataFrame

    @property
    def added(self) -> tuple[int, ...]:
        return tuple(int(no) for no in self.changes.loc[self.changes["change"] == "new", "no"])

    @property
    def dropped(self) -> tuple[int, ...]:
        return tuple(int(no) for no in self.changes.loc[self.changes["change"] == "dropped", "no"])


@dataclass(frozen=True)
class RoundHistory:
    """Every round of the review, oldest first, when more than two were given (``previous=[…]``): the 推移.

    Attributes
    ----------
    as_of : tuple of int
        Each round's review year (by which it is named: 平成22年度時点), oldest first; the last is this one.
    grades : DataFrame
        ``no``, ``direction``, then ``round_1`` … ``round_n``: each measure's grade in each round (NA where
        the round does not have the measure), by number.
    score_index : DataFrame
        ``group`` (``""`` for the whole plan, then each group of ``PlanReview.levels[0]``), then
        ``round_1`` … ``round_n``: the score index of each round (NaN where a group has no measure).
    rose, fell : tuple of int
        The measures whose grade is better (worse) in this round than in the first round that has them.
    """

    as_of: tuple[int, ...]
    grades: pd.DataFrame
    score_index: pd.DataFrame
    rose: tuple[int, ...]
    fell: tuple[int, ...]

    @property
    def columns(self) -> list[str]:
        """The rounds' columns, oldest first."""
        return [f"round_{index}" for index in range(1, len(self.as_of) + 1)]


@dataclass(frozen=True)
class PlanReview:
    """Everything a midterm review shows, computed once from one plan table: data only, no language.

    Built by :func:`review_plan`; the figures, the narrative, the notebooks
    and the report read it, each in the language it writes
    (:mod:`kyodo_analysis.words`).

    Attributes
    ----------
    title, era : str
        The plan's title and how its header writes years: an era (平成), the
        eras it spans (平成・令和), or 西暦.
    western : bool
        Whether the header is in Western years, so that labels are too (2018年度).
    first_fy, last_fy : int
        The plan period, as Western fiscal years.
    as_of : int
        The fiscal year of the review.
    min_compared : int
        The fewest measures a group or department needs to be ranked.
    scale : RatingScale
        The ratings and what they mean.
    measures, schedule, departments : DataFrame
        The tidy tables of :mod:`kyodo_analysis.source.loaders`.
    levels : tuple of str
        The columns of ``measures`` that group the measures, broadest first:
        the structure file's levels (基本目標, 基本方針, …), or ``("block",)``,
        the table's header blocks, when no structure is given.
    structured : bool
        Whether the levels come from a structure file (the plan's own
        hierarchy) rather than the table's layout.
    counts, overall, by_target_fy : DataFrame
        :func:`~kyodo_analysis.analysis.summaries.rating_counts` and
        :func:`~kyodo_analysis.analysis.summaries.summarize` of the plan and per target year.
    by_department : DataFrame
        :func:`~kyodo_analysis.analysis.summaries.summarize` per department, with its
        ``role`` (:func:`~kyodo_analysis.analysis.summaries.department_roles`) after
        ``department``: the departments by number of measures, then the
        coordinator (主管課, on every measure) and 全課, which are no part of the ranking.
    by_level : dict of str to DataFrame
        :func:`~kyodo_analysis.analysis.summaries.summarize` for each level.
    progress : DataFrame
        :func:`~kyodo_analysis.analysis.progress.schedule_vs_status`.
    priorities, late_but_done : DataFrame
        :func:`~kyodo_analysis.analysis.second_half.priorities` and
        :func:`~kyodo_analysis.analysis.second_half.late_but_done`.
    audit : DataFrame
        :func:`~kyodo_analysis.analysis.audit.audit_consistency`.
    rounds : RoundComparison or None
        The comparison with the previous round (the latest of them), when one was given.
    history : RoundHistory or None
        Every round, oldest first, when two previous rounds or more were given (the 推移).
    heading, title_source : str
        The table's heading (its title line), and where ``title`` comes from: ``"given"`` (``title=``),
        ``"heading"`` (the heading as it is) or ``"derived"`` (the heading without the table's own words,
        :func:`plan_name`).
    as_of_source : str
        Where ``as_of`` comes from: ``"given"`` (``as_of=``), ``"statuses"`` (the table gives no review
        date: the latest fiscal year its statuses name) or ``"first_year"`` (they name none).
    source_pages : dict of int to int
        For a table read from a PDF, the page each measure's row starts on, by number; else empty.
    related : DataFrame or None
        The co-departments' own wordings of statuses (関係課の記述: ``no``, ``department``, ``text``), read
        from ``<table>_関係課の記述.csv`` beside the table when the survey's collection wrote one.
    indicators : DataFrame or None
        The outcome indicators (成果指標) given, graded as of ``as_of`` by ``indicator_scheme``
        (:func:`~kyodo_analysis.analysis.indicators.grade_indicators`): ``name, unit, direction, baseline,
        baseline_fy, target, target_fy, actual, actual_fy, progress, grade`` and more; ``measure_nos`` and
        ``groups`` tie each to the measures and the groups (of ``levels[0]``) it belongs to.
    indicators_by_group : DataFrame or None
        When any indicator is tied to a group: per group of ``levels[0]`` (the column of that name), in the
        table's order, ``n_indicators`` and the count of each grade of the rule; an indicator of several groups
        counts in each (:func:`~kyodo_analysis.analysis.indicators.indicator_counts_by_group`).
    """

    title: str
    era: str
    western: bool
    first_fy: int
    last_fy: int
    as_of: int
    min_compared: int
    scale: RatingScale
    measures: pd.DataFrame
    schedule: pd.DataFrame
    departments: pd.DataFrame
    counts: pd.DataFrame
    overall: pd.DataFrame
    levels: tuple[str, ...]
    structured: bool
    by_level: dict[str, pd.DataFrame]
    by_target_fy: pd.DataFrame
    by_department: pd.DataFrame
    progress: pd.DataFrame
    audit: pd.DataFrame
    priorities: pd.DataFrame
    late_but_done: pd.DataFrame
    rounds: RoundComparison | None = None
    history: RoundHistory | None = None
    heading: str = ""
    title_source: str = "heading"
    as_of_source: str = "given"
    source_pages: dict[int, int] = field(default_factory=dict)  # a PDF's page of each measure, by number
    related: pd.DataFrame | None = None  # 関係課の記述 kept beside the table (source.related): no, department, text
    indicators: pd.DataFrame | None = None  # the graded outcome indicators (analysis.indicators), when given
    indicator_scheme: str = "level"  # the rule that graded them: level (水準) or pace (ペース)
    indicators_by_group: pd.DataFrame | None = None  # their grades counted per group, when tied to groups

    def _repr_html_(self) -> str:
        """The summary JupyterLab shows for a review (:func:`~kyodo_analysis.content.narrative.summary_html`)."""
        from kyodo_analysis.content.narrative import summary_html  # narrative imports this module

        return summary_html(self)

    @property
    def kind(self) -> str:
        """``final`` as of the plan's last year or later (計画期間の総括), else ``midterm``."""
        return "final" if self.as_of >= self.last_fy else "midterm"

    def figure_key(self, level: str) -> str:
        """A file-name part for a level's figures: ``block``, or ``level1``, ``level2``, … for a structure."""
        return "block" if not self.structured else f"level{self.levels.index(level) + 1}"


def review_plan(raw: str | os.PathLike | None = None, *, era: str | None = None, sheet: str | None = None,
                title: str | None = None, as_of: int | None = None, structure: str | os.PathLike | None = None,
                previous: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
                errata: str | os.PathLike | None = None, indicators: str | os.PathLike | None = None,
                indicator_scheme: str = "level",
                min_compared: int = MIN_COMPARED, scale: RatingScale = KYODO_SCALE) -> PlanReview:
    """Load a plan table and compute every part of its midterm review.

    Parameters
    ----------
    raw : path-like, optional
        A raw extracted table (or a folder of processed CSVs); None = the bundled Kitamoto table.
    era : str, optional
        The era of the table's bare header years; None when the header names its
        eras or is in Western years (the bundled table's is 平成).
    sheet : str, optional
        The sheet of a workbook (``.xlsx``) that holds the table; None = the
        first sheet whose header names the columns. ``previous`` is read
        with its own first such sheet.
    title : str, optional
        The plan's name in the text; None = the table's own title line.
    as_of : int, optional
        The review's fiscal year (Western); None = the latest fiscal year
        named in the statuses (or the plan's first year when none is named).
    structure : path-like, optional
        The plan's hierarchy (:func:`~kyodo_analysis.source.structure.read_structure`);
        None = group by the table's header blocks.
    previous : path-like or sequence of path-like, optional
        The previous round's table of the same plan (same header, read with ``era``), or the previous
        rounds' tables, oldest first: the review then compares this round with the latest of them
        (:class:`RoundComparison`), and with more than one follows every round (:class:`RoundHistory`).
    errata : path-like, optional
        The table's typos, read by hand (:mod:`~kyodo_analysis.source.errata`): quoted with （原文ママ）.
        None = none, or the bundled table's own list for the bundled table.
    indicators : path-like, optional
        The plan's outcome indicators (:func:`~kyodo_analysis.source.indicators.read_indicators`), read with
        ``era`` for bare years and graded by ``indicator_scheme``: ``"level"`` (水準, S A B C −) or
        ``"pace"`` (ペース, a b c −).
    min_compared : int
        Groups and departments with fewer measures are not ranked (shown with their n).
    scale : RatingScale
        The table's ratings and what they mean.

    Examples
    --------
    >>> plan_review = review_plan()
    >>> plan_review.as_of, plan_review.first_fy, plan_review.last_fy, len(plan_review.measures)
    (2010, 2007, 2012, 19)
    """
    from kyodo_analysis.source.loaders import load_departments, load_measures, load_plan, load_schedule

    check_scale(scale)
    if isinstance(min_compared, bool) or not isinstance(min_compared, int) or min_compared < 1:
        raise ArgumentError(f"min_compared must be a whole number of 1 or more, not {min_compared!r}")
    if as_of is not None and (isinstance(as_of, bool) or not isinstance(as_of, (int, np.integer))):
        raise ArgumentTypeError(f"as_of must be a Western fiscal year (int), not {as_of!r}")
    if title is not None:  # one line of visible text: a line break would make a heading or a list in the pages
        if not isinstance(title, str):
            raise ArgumentTypeError(f"title must be text (str) or None, not {type(title).__name__}")
        check_one_line(title, "title")
    measures = load_measures(raw, era=era, sheet=sheet, scale=scale)
    schedule = load_schedule(raw, era=era, sheet=sheet, scale=scale)
    departments = load_departments(raw, era=era, sheet=sheet, scale=scale)
    plan = load_plan(raw, era=era, sheet=sheet, scale=scale).iloc[0]
    first_fy, last_fy = int(plan["first_fy"]), int(plan["last_fy"])
    as_of_source = "given"
    if as_of is None:  # the table gives no review date: the latest year its statuses name
        as_of, as_of_source = latest_fiscal_year_mentioned(measures), "statuses"
        if as_of is None:
            as_of, as_of_source = first_fy, "first_year"
    earliest, latest = first_fy - AS_OF_MARGIN_YEARS, last_fy + AS_OF_MARGIN_YEARS
    if not earliest <= as_of <= latest:
        raise ArgumentError(
            f"評価時点 as_of={as_of} が計画期間（{first_fy}〜{last_fy}年度）の前後{AS_OF_MARGIN_YEARS}年の外です"
            f"（指定できるのは {earliest}〜{latest}）"
        )
    as_of = int(as_of)
    levels: tuple[str, ...] = ("block",)
    if structure is not None:
        hierarchy = read_structure(structure, measure_numbers=measures["no"])
        levels = tuple(hierarchy.columns[1:])
        measures = measures.merge(hierarchy, on="no", how="left", validate="one_to_one")
    if errata is None and raw is None:
        errata = config.KITAMOTO_ERRATA
    typos = [] if errata is None else read_errata(errata, measures)  # checked before anything is computed
    scheme = indicator_scheme_named(indicator_scheme)
    graded = None
    if indicators is not None:  # tied to the measures and the groups of this table, graded as of the review
        read = read_indicators(indicators, era=era, measures=measures, level_names=indicator_level_names(levels))
        graded = grade_indicators(read, as_of=as_of, scheme=scheme)
    before = None
    earlier = _previous_rounds(previous)
    rounds_before = []
    for path in earlier:  # each round of the same plan as this one
        rounds_before.append(load_measures(path, era=era, scale=scale))
        check_same_plan(rounds_before[-1], measures, previous=path)  # refuse another plan's table
    previous = earlier[-1] if earlier else None
    if previous is not None:
        before = rounds_before[-1]
    # a start the previous round named stands (a final round may reword it away)
    progress = schedule_vs_status(measures, previous=before, scale=scale)
    audit = audit_consistency(measures, scale=scale)
    by_level = {level: summarize(measures, by=level, scale=scale) for level in levels}
    by_department = _by_department(measures, departments, scale)
    heading = str(plan["title"])
    named, removed = plan_name(heading)
    source = "given" if title is not None else "derived" if removed else "heading" if heading.strip() else "file"
    if not heading.strip():  # a CSV or a workbook with no title row: the file's name
        named = Path(raw).stem if raw is not None else named
    return PlanReview(
        title=title if title is not None else named,
        heading=heading,
        title_source=source,
        as_of_source=as_of_source,
        era=str(plan["era"]),
        western=str(plan["era"]) == WESTERN,
        first_fy=first_fy,
        last_fy=last_fy,
        as_of=as_of,
        min_compared=min_compared,
        scale=scale,
        measures=mark_errata(measures, typos),
        schedule=schedule,
        departments=departments,
        counts=rating_counts(measures, scale=scale),
        overall=summarize(measures, scale=scale),
        levels=levels,
        structured=structure is not None,
        by_level=by_level,
        by_target_fy=summarize(measures, by="target_fy", scale=scale),
        by_department=by_department,
        progress=mark_errata(progress, typos),
        audit=mark_errata(audit, typos),
        priorities=mark_errata(priorities(measures, audit=audit, departments=departments, as_of=as_of,
                                          schedule=schedule, scale=scale), typos),
        late_but_done=mark_errata(late_but_done(measures, progress=progress, audit=audit, scale=scale), typos),
        rounds=None if previous is None else _compare_with(previous, before, era, structure, measures, by_level,
                                                           by_department, scale),
        source_pages=_source_pages(raw, era, sheet, scale),
        related=_related(raw, measures),
        indicators=graded,
        indicator_scheme=scheme.key,
        indicators_by_group=None if graded is None or not graded["groups"].map(len).any() else
        indicator_counts_by_group(graded, measures[levels[0]].drop_duplicates().tolist(), scheme=scheme,
                                  level=levels[0]),
        history=None if len(earlier) < 2 else _history([*rounds_before, measures], levels[0], as_of=as_of,
                                                        first_fy=first_fy, scale=scale),
    )


def _related(raw, measures: pd.DataFrame) -> pd.DataFrame | None:
    """The 関係課の記述 kept beside the table ``raw`` by the survey's collection, if any (None for none)."""
    from kyodo_analysis.source.related import read_related, related_path

    if raw is None or Path(raw).is_dir():
        return None
    path = related_path(raw)
    if not os.path.lexists(path):
        return None
    related = read_related(path, measures)
    return related if len(related) else None


def _previous_rounds(previous) -> list:
    """``previous`` as a list of the earlier rounds' tables, oldest first (one path, or a sequence of them)."""
    if previous is None:
        return []
    if isinstance(previous, (str, os.PathLike)):
        return [previous]
    if isinstance(previous, Sequence) and all(isinstance(path, (str, os.PathLike)) for path in previous):
        return list(previous)
    raise ArgumentTypeError(f"previous must be a path or a list of paths (oldest first), not {previous!r}")


def _history(rounds: list[pd.DataFrame], level: str, *, as_of: int, first_fy: int,
             scale: RatingScale) -> RoundHistory:
    """The 推移 of ``rounds`` (each round's measures, oldest first, this one last, as of ``as_of``), grouped by
    ``level``; an earlier round is as of the latest year its statuses name (or the plan's first year)."""
    from kyodo_analysis.analysis.rounds import grades_by_round, score_index_by_round

    if level != "block":  # the earlier rounds take this round's groups (its structure file)
        hierarchy = rounds[-1][["no", level]]
        rounds = [*(before.merge(hierarchy, on="no", how="left") for before in rounds[:-1]), rounds[-1]]
    grades = grades_by_round(rounds, scale=scale)
    columns = [column for column in grades.columns if column.startswith("round_")]
    codes = grades[columns].apply(lambda column: column.cat.codes.where(column.notna()))
    first = codes.bfill(axis=1).iloc[:, 0]  # each measure's grade in the first round that has it
    last = codes[columns[-1]]
    return RoundHistory(
        as_of=(*(latest_fiscal_year_mentioned(before) or first_fy for before in rounds[:-1]), as_of),
        grades=grades,
        score_index=score_index_by_round(rounds, by=level, scale=scale),
        rose=tuple(int(no) for no in grades.loc[last > first, "no"]),  # the categories run from the lowest grade
        fell=tuple(int(no) for no in grades.loc[last < first, "no"]),
    )


def _source_pages(raw, era: str | None, sheet: str | None, scale: RatingScale) -> dict[int, int]:
    """The page of the source PDF each measure came from (none for a text, a workbook or processed CSVs)."""
    from kyodo_analysis.source.loaders import load_status_table

    if raw is None or Path(raw).is_dir() or Path(raw).suffix.lower() != ".pdf":
        return {}
    return dict(load_status_table(raw, era=era, sheet=sheet, scale=scale).pages)


def _by_department(measures: pd.DataFrame, departments: pd.DataFrame, scale: RatingScale) -> pd.DataFrame:
    table = summarize(measures, by="department", departments=departments, scale=scale)
    table.insert(1, "role", department_roles(measures, departments=departments).reindex(table["department"]).to_numpy())
    order = table["role"].map({role: i for i, role in enumerate(DEPARTMENT_ROLES)})
    return table.assign(_order=order).sort_values(["_order", "n", "department"], ascending=[True, False, True],
                                                  kind="stable", ignore_index=True).drop(columns="_order")


def _compare_with(previous: str | os.PathLike, before: pd.DataFrame, era: str | None, structure,
                  measures: pd.DataFrame, by_level: dict[str, pd.DataFrame], by_department: pd.DataFrame,
                  scale: RatingScale) -> RoundComparison:
    """This round against the ``previous`` round's table (its measures ``before``, checked to be the same
    plan's), grouped the same way."""
    from kyodo_analysis.source.loaders import load_departments, load_plan

    before_departments = load_departments(previous, era=era, scale=scale)
    if structure is not None:
        hierarchy = read_structure(structure, measure_numbers=before["no"])
        before = before.merge(hierarchy, on="no", how="left", validate="one_to_one")
    changes = compare_rounds(before, measures, scale=scale)
    names = measures.set_index("no")["direction"].combine_first(before.set_index("no")["direction"])
    changes.insert(1, "direction", names.reindex(changes["no"]).astype("str").to_numpy())
    current = summarize(measures, scale=scale).assign(plan=0)  # one group: the whole plan
    earlier = summarize(before, scale=scale).assign(plan=0)
    previous_plan = load_plan(previous, era=era, scale=scale).iloc[0]
    return RoundComparison(
        previous_title=str(previous_plan["title"]),
        previous_as_of=latest_fiscal_year_mentioned(before) or int(previous_plan["first_fy"]),
        changes=changes,
        transitions=transition_matrix(before, measures, scale=scale),
        overall=side_by_side(earlier, current, by="plan").drop(columns="plan"),
        by_level={level: side_by_side(summarize(before, by=level, scale=scale), table, by=level)
                  for level, table in by_level.items()},
        by_department=side_by_side(_by_department(before, before_departments, scale), by_department,
                                   by="department"),
    )

