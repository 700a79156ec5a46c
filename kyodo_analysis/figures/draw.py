"""Plan-evaluation figures, in Japanese (or English), ready for print.

Two layers, both returning the ``Axes``:

- ``<figure>(plan_review, *, lang="ja", ax=None)`` draws one figure of a
  :class:`~kyodo_analysis.analysis.review.PlanReview`: :func:`rating_distribution`,
  :func:`ratings_by`, :func:`score_index_by`, :func:`plan_vs_actual` and
  :func:`department_matrix`. A notebook cell is one call.
- ``plot_<what>(data, *, ax=None, scale=KYODO_SCALE, lang="ja", **kwargs)``
  draws any table of the analysis modules (plotting never recounts).

Without ``ax`` a new figure is made, sized by the number of rows or groups.
No function calls ``plt.show()``. Every word comes from
:data:`kyodo_analysis.words.FIGURE_TEXT`. Every text is drawn as typed
(``parse_math=False``): a name holding ``$x^2$`` or ``\frac`` is never read as
mathtext, which would draw a superscript or fail to draw at all.

Colours come from the scale's colour-blind-safe palette, and every grade is
also named by its symbol (◎ ○ △ ×) in the legend or labels, so that neither
a colour-blind reader nor a greyscale print loses the meaning.

Examples
--------
>>> from kyodo_analysis import load_measures, rating_counts
>>> ax = plot_rating_distribution(rating_counts(load_measures()))
>>> [round(bar.get_height()) for bar in ax.patches]
[3, 8, 4, 4]
"""

from __future__ import annotations

import contextvars
from collections.abc import Collection, Mapping

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from kyodo_analysis.analysis.indicators import SCHEMES, IndicatorScheme
from kyodo_analysis.analysis.review import PlanReview
from kyodo_analysis.analysis.summaries import department_matrix as department_rating_matrix
from kyodo_analysis.analysis.summaries import summarize
from kyodo_analysis.content.present import cohort_labels, group_labels
from kyodo_analysis.era import dual_fiscal_year_label, short_fiscal_year_label
from kyodo_analysis.figures.fonts import use_japanese_font
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.validation import ArgumentTypeError, check_choice
from kyodo_analysis.words import FIGURE_TEXT, grade_labels, words_for

__all__ = ["MEASURES_PER_PAGE", "MAX_DEPARTMENTS", "plot_rating_distribution", "plot_rating_bars", "plot_plan_vs_actual", "plot_department_matrix", "plot_score_index", "rating_distribution", "ratings_by", "score_index_by", "plan_vs_actual", "department_matrix", "plot_transition_matrix", "rating_transitions"]


#: At most this many measures on one page of a figure with a row or column per measure.
MEASURES_PER_PAGE = 40


#: The department views name the departments with the most measures, this many, and group the rest.
MAX_DEPARTMENTS = 20


_MAX_INCHES = 19.5  # 3,900 px at the default 200 dpi


_EMPTY_CELL = "#ffffff"


_MUTED = "#8c8c8c"


_GRID = "#bdbdbd"


_FIRST_MENTIONED_MARKER = "D"


def figure_words(lang: str) -> dict[str, str]:
    return words_for(FIGURE_TEXT, lang)


# Set while the pages of a several-page figure are drawn: their figures are made outside pyplot, which (with
# Jupyter's inline backend) would keep every figure of a cell alive until the cell ends, 0.9 GB for 32 pages.
DETACHED_FIGURES = contextvars.ContextVar("detached_figures", default=False)


def _axes(ax: Axes | None, width: float, height: float) -> Axes:
    """The axes to draw on: ``ax``, or a new figure of the size asked, at most :data:`_MAX_INCHES` a side."""
    use_japanese_font()
    if ax is not None:
        return ax
    size = (min(width, _MAX_INCHES), min(height, _MAX_INCHES))
    if DETACHED_FIGURES.get():
        figure = Figure(figsize=size, layout="constrained")
        # drawn on an Agg canvas of its own: without one, savefig lends it one for the call, and the saved
        # pixels' size (the canvas' renderer) is gone afterwards, so every page was drawn a second time as PNG
        FigureCanvasAgg(figure)
        return figure.add_subplot()
    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _hatches(scale: RatingScale) -> list[str]:
    """Hatching for the grades below the middle, so that a greyscale print tells ○ from △ and ◎ from ×."""
    k = len(scale)
    return ["" if grade < (k + 1) // 2 else ("///" if grade < k - 1 else "xxx") for grade in range(k)]


def _legend(ax: Axes, **kwargs) -> Legend:
    """``ax.legend(**kwargs)``, its labels drawn as typed (``Axes.legend`` takes no ``parse_math``)."""
    legend = ax.legend(**kwargs)
    for text in legend.get_texts():
        text.set_parse_math(False)
    return legend


def _legend_handles(scale: RatingScale, lang: str) -> list[Patch]:
    return [Patch(facecolor=color, edgecolor="black", linewidth=0.5, hatch=hatch, label=label)
            for color, hatch, label in zip(scale.colors, _hatches(scale), grade_labels(scale, lang))]


# IPAexGothic draws × (U+00D7) as a small Latin glyph; enlarge it to match ◎ ○ △.
_SYMBOL_SCALE = {"×": 1.45}


def _symbol_size(symbol: str, size: float) -> float:
    return size * _SYMBOL_SCALE.get(symbol, 1.0)


def _text_color(background: str) -> str:
    r, g, b = mpl.colors.to_rgb(background)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else "black"


def plot_rating_distribution(counts: pd.DataFrame, *, ax: Axes | None = None, scale: RatingScale = KYODO_SCALE,
                             lang: str = "ja", title: str | None = None) -> Axes:
    """Bar chart of the count and share of each grade.

    Parameters
    ----------
    counts : DataFrame
        :func:`~kyodo_analysis.analysis.summaries.rating_counts` of the whole plan (``by=None``).
    """
    words = figure_words(lang)
    ax = _axes(ax, 6.4, 4.2)
    x = np.arange(len(counts))
    bars = ax.bar(x, counts["count"], color=list(scale.colors), edgecolor="black", linewidth=0.6,
                  hatch=_hatches(scale))
    total = int(counts["count"].sum())
    for bar, count, share in zip(bars, counts["count"], counts["share"]):
        label = words["count"].format(count=count) + words["bracket"].format(text=f"{share:.1%}")
        ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", parse_math=False)
    ax.set_xticks(x, [label.replace(" ", "\n", 1) for label in grade_labels(scale, lang)], parse_math=False)
    ax.set_ylabel(words["measures"], parse_math=False)
    ax.set_ylim(0, max(1, counts["count"].max()) * 1.18)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or words["distribution"] + words["bracket"].format(text=words["n"].format(n=total)),
                 parse_math=False)
    return ax


def plot_rating_bars(summary: pd.DataFrame, by: str, *, ax: Axes | None = None, scale: RatingScale = KYODO_SCALE,
                     lang: str = "ja", labels: Mapping[object, str] | None = None, title: str | None = None,
                     muted: Collection = (), apart: Collection = ()) -> Axes:
    """Diverging stacked bars of the grades per group (Heiberger & Robbins 2014).

    Bars are centred between the two middle grades (on the middle grade of an
    odd scale), the better grades to the right. Groups are ordered by score
    index, best at the top; each bar shows its ``n``. The table's sections (``by="block"``) are layout,
    not a ranking: they keep the table's order, the first at the top.

    Parameters
    ----------
    summary : DataFrame
        :func:`~kyodo_analysis.analysis.summaries.summarize` with ``by``.
    by : str
        The group column of ``summary``.
    labels : mapping, optional
        Display label of each group (default: the group value).
    muted : collection, optional
        Groups too small to compare: drawn faded, with grey labels, below the others.
    apart : collection, optional
        Groups that are no part of the ranking (the coordinator 主管課, 全課):
        drawn at the bottom, below a rule.
    """
    words = figure_words(lang)
    section = np.where(summary[by].isin(list(apart)), 0, np.where(summary[by].isin(list(muted)), 1, 2))
    keys = ["_section", by] if by == "block" else ["_section", "score_index", by]
    ascending = [True, False] if by == "block" else True
    ordered = summary.assign(_section=section).sort_values(keys, ascending=ascending, kind="stable")
    ax = _axes(ax, 8.0, 0.45 * len(ordered) + 1.9)
    k = len(scale)
    shares = ordered[list(scale.symbols)].to_numpy(dtype=float) / ordered["n"].to_numpy(dtype=float)[:, None] * 100
    counts = ordered[list(scale.symbols)].to_numpy()
    # left edge of each grade: worse grades left of 0, better grades right of 0
    half = k // 2
    middle = shares[:, half] / 2 if k % 2 else np.zeros(len(ordered))
    right_edges = np.cumsum(np.hstack([middle[:, None], shares[:, :half][:, ::-1]]), axis=1)[:, :-1]
    better_left = right_edges[:, ::-1]  # left edges of the better grades, best first
    worse_start = -(middle + shares[:, half + (k % 2):].sum(axis=1))
    y = np.arange(len(ordered))
    for grade in range(k):
        if grade < half:
            left = better_left[:, grade]
        elif k % 2 and grade == half:
            left = -middle
        else:
            left = worse_start + shares[:, grade + 1:].sum(axis=1)
        bars = ax.barh(y, shares[:, grade], left=left, color=scale.colors[grade], edgecolor="black", linewidth=0.5,
                       height=0.7, hatch=_hatches(scale)[grade])
        for bar, faded in zip(bars, ordered["_section"] == 1):
            if faded:
                bar.set_alpha(0.35)
        for bar, share, count in zip(bars, shares[:, grade], counts[:, grade]):
            if share >= 7:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(count),
                        ha="center", va="center", fontsize=9, parse_math=False,
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"})
    ax.axvline(0, color="black", linewidth=0.8)
    group_labels = [str(labels.get(value, value)) if labels else str(value) for value in ordered[by]]
    ax.set_yticks(y, group_labels, parse_math=False)
    for tick, faded in zip(ax.get_yticklabels(), ordered["_section"] == 1):
        if faded:
            tick.set_color(_MUTED)
    for boundary in np.flatnonzero(np.diff(ordered["_section"].to_numpy())):
        ax.axhline(boundary + 0.5, color=_GRID, linewidth=0.8, linestyle="--")
    right_end = better_left[:, 0] + shares[:, 0] if half else middle
    for row, (end, n) in enumerate(zip(right_end, ordered["n"])):
        ax.text(max(end, 0) + 2, row, words["n"].format(n=n), va="center", fontsize=9, parse_math=False)
    ax.set_xlim(-105, 118)
    ticks = np.arange(-100, 101, 25)
    ax.set_xticks(ticks, [f"{abs(t)}" for t in ticks], parse_math=False)
    ax.set_xlabel(words["share_axis"], parse_math=False)
    ax.spines[["top", "right"]].set_visible(False)
    _legend(ax, handles=_legend_handles(scale, lang), loc="upper center", bbox_to_anchor=(0.5, -0.14 - 0.3 / len(y)),
              ncol=k, frameon=False, fontsize=9)
    what = words.get(by, by)
    ax.set_title(title or words["ratings_by"].format(what=what), parse_math=False)
    return ax


def plot_plan_vs_actual(measures: pd.DataFrame, schedule: pd.DataFrame, progress: pd.DataFrame, *, first_fy: int,
                        last_fy: int, as_of: int | None = None, ax: Axes | None = None,
                        scale: RatingScale = KYODO_SCALE, lang: str = "ja", label_width: int = 16,
                        group: str = "block", group_labels: Mapping[object, str] | None = None,
                        title: str | None = None) -> Axes:
    """Timeline of each measure: planned years, first year named in its status, rating.

    One row per measure, grouped by ``group`` (the table's sections, or a
    level of the plan's structure) in the order of their first measure,
    labelled ``No. 施策の方向性``. The
    ○ (target) and → (continuing) marks come from ``schedule``; a diamond marks
    the first fiscal year named in the status; the row is coloured by its
    rating, whose symbol stands at the right. The plan period is shaded and a
    dashed line marks the "as of" fiscal year.

    Parameters
    ----------
    measures : DataFrame
        From :func:`~kyodo_analysis.load_measures`.
    schedule : DataFrame
        From :func:`~kyodo_analysis.load_schedule`.
    progress : DataFrame
        From :func:`~kyodo_analysis.analysis.progress.schedule_vs_status`.
    first_fy, last_fy : int
        The plan period (from :func:`~kyodo_analysis.load_plan`).
    as_of : int, optional
        The fiscal year of the review; no line when None.
    label_width : int
        Characters of 施策の方向性 shown before "…".
    group : str
        The column of ``measures`` whose groups head the rows.
    group_labels : mapping, optional
        Display label of each group (default: the group value).
    """
    words = figure_words(lang)
    rows = measures.sort_values("no", kind="stable")
    first_named = progress.set_index("no")["start_fy"]
    # one line per measure, plus a header line before each group
    layout: list[tuple[str, object]] = []
    for value, members in rows.groupby(group, sort=False):
        layout.append(("group", value))
        layout.extend(("measure", no) for no in members["no"])
    ax = _axes(ax, 10.5, 0.3 * len(layout) + 2.2)
    y_of = {value: -i for i, (kind, value) in enumerate(layout) if kind == "measure"}
    codes = scale.codes(rows["rating"], rows["no"])
    color_of = dict(zip(rows["no"], np.asarray(scale.colors, dtype=object)[codes]))
    symbol_of = dict(zip(rows["no"], np.asarray(scale.symbols, dtype=object)[codes]))
    years_named = first_named.dropna().astype(int)
    low = min([first_fy, *years_named.tolist()])
    high = max([last_fy, *years_named.tolist(), *([as_of] if as_of else [])])
    rating_x = high + 1.1

    ax.axvspan(first_fy - 0.5, last_fy + 0.5, color="#f0f0f0", zorder=0, label=words["plan_period"])
    spans = schedule.groupby("no")["fy"].agg(["min", "max"]).reindex(list(y_of))
    # one call for every bar (a call each took a fifth of a 40-measure page's drawing)
    ax.barh(list(y_of.values()), spans["max"] - spans["min"] + 0.9, left=spans["min"] - 0.45, height=0.72,
            color=[color_of[no] for no in y_of], alpha=0.55, edgecolor="none", zorder=1)
    for no, y in y_of.items():
        ax.text(rating_x, y, symbol_of[no], ha="center", va="center", fontsize=_symbol_size(symbol_of[no], 11),
                color=_text_color(color_of[no]), zorder=3, parse_math=False,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": color_of[no], "edgecolor": "black", "linewidth": 0.5})
    for no, fy, mark in schedule[schedule["no"].isin(y_of)].itertuples(index=False):
        ax.text(fy, y_of[no], mark, ha="center", va="center", fontsize=11, zorder=3, parse_math=False)
    named = [(y_of[no], fy) for no, fy in years_named.items() if no in y_of]
    if named:
        ax.scatter([fy + 0.28 for _, fy in named], [y for y, _ in named], marker=_FIRST_MENTIONED_MARKER, s=28,
                   color="black", zorder=4)
    if as_of is not None:
        ax.axvline(as_of + 0.5, color="black", linestyle="--", linewidth=1, zorder=2)
        # on the first group's header line, which holds no bars
        ax.text(as_of + 0.55, 0, words["as_of"].format(label=short_fiscal_year_label(as_of)),
                ha="left", va="center", fontsize=9, parse_math=False)

    ticks, tick_labels = [], []
    for i, (kind, value) in enumerate(layout):
        ticks.append(-i)
        if kind == "group":
            name = group_labels.get(value, value) if group_labels else f"{words.get(group, group)} {value}"
            tick_labels.append(f"【{name}】")
            if i:  # a rule between groups
                ax.axhline(-i + 0.5, color=_GRID, linewidth=0.6, zorder=0)
        else:
            direction = rows.loc[rows["no"] == value, "direction"].item()
            short = direction if len(direction) <= label_width else direction[: label_width - 1] + "…"
            tick_labels.append(f"{value}. {short}")
    ax.set_yticks(ticks, tick_labels, fontsize=9, parse_math=False)  # IPAexGothic has no bold: groups stand out by 【】
    ax.tick_params(axis="y", length=0)
    years = list(range(low, high + 1))
    ax.set_xticks([*years, rating_x], [*(dual_fiscal_year_label(fy, multiline=True) for fy in years), words["rating"]],
                  fontsize=9, parse_math=False)
    ax.set_xlim(low - 0.6, rating_x + 0.6)
    ax.set_ylim(-len(layout) + 0.4, 0.6)
    ax.spines[["top", "right", "left"]].set_visible(False)
    handles = [
        Line2D([], [], linestyle="none", marker="$○$", markersize=8, color="black", label=words["target_mark"]),
        Line2D([], [], linestyle="none", marker="$→$", markersize=8, color="black", label=words["continuing_mark"]),
        Line2D([], [], linestyle="none", marker=_FIRST_MENTIONED_MARKER, markersize=5, color="black",
               label=words["first_mentioned"]),
        Patch(facecolor="#f0f0f0", label=words["plan_period"]),
        *_legend_handles(scale, lang),
    ]
    _legend(ax, handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.6 / (0.3 * len(layout) + 2.2)),
              ncol=4, frameon=False, fontsize=8.5)
    ax.set_title(title or words["timeline"], fontsize=11, parse_math=False)
    return ax


def plot_department_matrix(matrix: pd.DataFrame, *, ax: Axes | None = None, scale: RatingScale = KYODO_SCALE,
                           lang: str = "ja", title: str | None = None, counts: bool = True) -> Axes:
    """Department × measure matrix: each cell coloured by the measure's rating, its symbol written in.

    Parameters
    ----------
    matrix : DataFrame
        :func:`~kyodo_analysis.analysis.summaries.department_matrix` (departments sorted by
        how many measures they carry; 全課 is its own row), or any rows × measures of grades
        ("" for none): the rounds of :func:`rating_history`.
    counts : bool
        Whether each row's label gives its number of measures: 協働推進課（19）.
    """
    words = figure_words(lang)
    n_rows, n_cols = matrix.shape
    ax = _axes(ax, 0.36 * n_cols + 2.8, 0.36 * n_rows + 1.9)
    color_of = {symbol: mpl.colors.to_rgb(color) for symbol, color in zip(scale.symbols, scale.colors)}
    empty = mpl.colors.to_rgb(_EMPTY_CELL)
    cells = matrix.to_numpy()
    # one mesh (a single artist) for every cell, however many; symbols only where a cell is large enough to read
    rgb = np.array([[color_of.get(symbol, empty) for symbol in row] for row in cells]).reshape(n_rows, n_cols, 3)
    ax.pcolormesh(np.arange(n_cols + 1) - 0.5, np.arange(n_rows + 1) - 0.5, rgb, edgecolors=_GRID, linewidth=0.5)
    if n_cols <= 2 * MEASURES_PER_PAGE:
        for (row, col), symbol in np.ndenumerate(cells):
            if symbol:
                ax.text(col, row, symbol, ha="center", va="center", fontsize=_symbol_size(symbol, 9),
                        color=_text_color(mpl.colors.to_hex(color_of.get(symbol, empty))), parse_math=False)
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.set_xticks(range(n_cols), [str(c) for c in matrix.columns], fontsize=8, rotation=90 if n_cols > 30 else 0,
                  parse_math=False)
    rows = [department + (words["bracket"].format(text=(matrix.loc[department] != "").sum()) if counts else "")
            for department in matrix.index]
    ax.set_yticks(range(n_rows), rows, fontsize=9, parse_math=False)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(words["measure_no"], parse_math=False)
    ax.tick_params(length=0)
    ax.set_aspect("equal")
    for spine in ax.spines.values():
        spine.set_visible(False)
    _legend(ax, handles=_legend_handles(scale, lang), loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(scale),
              frameon=False, fontsize=8.5)
    ax.set_title(title or words["matrix"], fontsize=11, parse_math=False)
    return ax


def plot_score_index(summary: pd.DataFrame, by: str, *, overall: float, ax: Axes | None = None,
                     scale: RatingScale = KYODO_SCALE, lang: str = "ja", labels: Mapping[object, str] | None = None,
                     title: str | None = None) -> Axes:
    """Bars of the score index per group, with ``n`` and a reference line for the whole plan.

    Parameters
    ----------
    summary : DataFrame
        :func:`~kyodo_analysis.analysis.summaries.summarize` with ``by``, in the order to draw.
    overall : float
        The whole plan's score index (``summarize(measures)["score_index"]``).
    """
    words = figure_words(lang)
    ax = _axes(ax, 0.9 * len(summary) + 3.2, 4.2)
    x = np.arange(len(summary))
    bars = ax.bar(x, summary["score_index"], color="#9e9e9e", edgecolor="black", linewidth=0.6, width=0.65)
    for bar, value, n in zip(bars, summary["score_index"], summary["n"]):
        ax.annotate(f"{value:.1f}\n{words['n'].format(n=n)}", (bar.get_x() + bar.get_width() / 2, value),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=9, parse_math=False)
    ax.axhline(overall, color="black", linestyle="--", linewidth=1.2, label=words["overall"].format(value=overall))
    _legend(ax, loc="upper right", frameon=False, fontsize=9)
    group_labels = [str(labels.get(value, value)) if labels else str(value) for value in summary[by]]
    ax.set_xticks(x, group_labels, fontsize=9, rotation=90 if len(summary) > 12 else 0, parse_math=False)
    ax.set_ylim(0, 118)
    ax.set_ylabel(words["score_index"], parse_math=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or words["score_index_by"].format(what=words.get(by, by)), parse_math=False)
    return ax


def checked_review(plan_review: object) -> PlanReview:
    if not isinstance(plan_review, PlanReview):
        raise ArgumentTypeError(
            f"plan_review must be a PlanReview (from review_plan()), not {type(plan_review).__name__}")
    return plan_review


def _groups(plan_review: PlanReview, by: str, lang: str) -> tuple[pd.DataFrame, dict | None]:
    """The summary of the review per ``by``, and the display label of each group."""
    check_choice(by, "by", (*plan_review.levels, "target_fy", "department"))
    if by in plan_review.levels:
        return plan_review.by_level[by], group_labels(plan_review.measures, by, lang)
    if by == "target_fy":
        return plan_review.by_target_fy, cohort_labels(plan_review.measures)
    return plan_review.by_department, None


def rating_distribution(plan_review: PlanReview, *, lang: str = "ja", ax: Axes | None = None) -> Axes:
    """The count and share of each grade in the whole plan (:func:`plot_rating_distribution`).

    Examples
    --------
    >>> from kyodo_analysis import review_plan
    >>> [round(bar.get_height()) for bar in rating_distribution(review_plan()).patches]
    [3, 8, 4, 4]
    """
    plan_review = checked_review(plan_review)
    return plot_rating_distribution(plan_review.counts, ax=ax, scale=plan_review.scale, lang=lang)


def _small_and_apart(plan_review: PlanReview, by: str, summary: pd.DataFrame) -> tuple[list, list]:
    """The groups too small to compare, and (for departments) the coordinator (主管課) and 全課."""
    muted = summary.loc[summary["n"] < plan_review.min_compared, by].tolist()
    apart = summary.loc[summary["role"] != "department", by].tolist() if by == "department" else []
    return [group for group in muted if group not in apart], apart


def ratings_by(plan_review: PlanReview, by: str, *, lang: str = "ja", ax: Axes | None = None,
               max_departments: int = MAX_DEPARTMENTS) -> Axes:
    """The grades per group of a level (``plan_review.levels``), ``target_fy`` or ``department`` (:func:`plot_rating_bars`).

    Groups of fewer than ``plan_review.min_compared`` measures are faded and drawn below
    the others; the coordinator (主管課) and 全課 stand apart at the bottom.
    """
    plan_review = checked_review(plan_review)
    summary, labels = _groups(plan_review, by, lang)
    if by == "department":
        summary = _top_departments(plan_review, summary, lang, max_departments)
        words = words_for(FIGURE_TEXT, lang)
        labels = {name: words[f"{role}_department"].format(name=name) if role in ("coordinator", "all") else name
                  for name, role in zip(summary["department"], summary["role"])}
    muted, apart = _small_and_apart(plan_review, by, summary)
    return plot_rating_bars(summary, by, ax=ax, scale=plan_review.scale, lang=lang, labels=labels, muted=muted,
                            apart=apart)


def score_index_by(plan_review: PlanReview, by: str, *, lang: str = "ja", ax: Axes | None = None) -> Axes:
    """The score index per group of a level, ``target_fy`` or ``department``, against the whole plan's."""
    plan_review = checked_review(plan_review)
    summary, labels = _groups(plan_review, by, lang)
    return plot_score_index(summary, by, overall=plan_review.overall["score_index"].item(), ax=ax,
                            scale=plan_review.scale, lang=lang, labels=labels)


def plan_vs_actual(plan_review: PlanReview, *, lang: str = "ja", ax: Axes | None = None) -> Axes:
    """Each measure's planned years against the first year its status names (:func:`plot_plan_vs_actual`)."""
    plan_review = checked_review(plan_review)
    return plot_plan_vs_actual(plan_review.measures, plan_review.schedule, plan_review.progress,
                               first_fy=plan_review.first_fy, last_fy=plan_review.last_fy, as_of=plan_review.as_of,
                               ax=ax, scale=plan_review.scale, lang=lang, group=plan_review.levels[0],
                               group_labels=group_labels(plan_review.measures, plan_review.levels[0], lang))


def department_matrix(plan_review: PlanReview, *, lang: str = "ja", ax: Axes | None = None) -> Axes:
    """Which department carries which measure, with its rating (:func:`plot_department_matrix`)."""
    plan_review = checked_review(plan_review)
    matrix = department_rating_matrix(plan_review.measures, departments=plan_review.departments,
                                      scale=plan_review.scale)
    return plot_department_matrix(matrix, ax=ax, scale=plan_review.scale, lang=lang)


def _top_departments(plan_review: PlanReview, summary: pd.DataFrame, lang: str, keep: int) -> pd.DataFrame:
    """The ``keep`` departments with the most measures, and one row for the rest."""
    ranked = summary[summary["role"] == "department"].sort_values(["n", "department"], ascending=[False, True])
    if len(ranked) <= keep:
        return summary
    rest = ranked["department"].iloc[keep:].tolist()
    numbers = plan_review.departments.loc[plan_review.departments["department"].isin(rest), "no"].unique()
    # each measure once, however many of the grouped departments carry it
    grouped = summarize(plan_review.measures[plan_review.measures["no"].isin(numbers)], scale=plan_review.scale)
    name = words_for(FIGURE_TEXT, lang)["other_departments"].format(n=len(rest))
    grouped.insert(0, "department", name)
    grouped.insert(1, "role", "others")
    return pd.concat([summary[~summary["department"].isin(rest)], grouped], ignore_index=True)


def plot_transition_matrix(matrix: pd.DataFrame, *, ax: Axes | None = None, scale: RatingScale = KYODO_SCALE,
                           lang: str = "ja", title: str | None = None) -> Axes:
    """Measures by previous grade (rows) and current grade (columns), as counts in a grey scale.

    Cells on the diagonal kept their grade; above it (towards the better
    grades, on the left) they rose, below it they fell.

    Parameters
    ----------
    matrix : DataFrame
        :func:`~kyodo_analysis.analysis.rounds.transition_matrix`.
    """
    words = figure_words(lang)
    ax = _axes(ax, 5.6, 4.8)
    counts = matrix.to_numpy()
    k = len(scale)
    ax.imshow(counts, cmap="Greys", vmin=0, vmax=max(1, counts.max()) * 1.6, aspect="equal")
    for (row, col), count in np.ndenumerate(counts):  # IPAexGothic has no bold: the unchanged cells get a frame
        ax.text(col, row, str(count), ha="center", va="center", fontsize=12, color="black", parse_math=False)
        if row == col:
            ax.add_patch(mpl.patches.Rectangle((col - 0.45, row - 0.45), 0.9, 0.9, fill=False, edgecolor="black",
                                               linewidth=1.2))
    labels = grade_labels(scale, lang)
    ax.set_xticks(range(k), [label.replace(" ", "\n", 1) for label in labels], fontsize=9, parse_math=False)
    ax.set_yticks(range(k), labels, fontsize=9, parse_math=False)
    ax.set_xlabel(words["current_rating"], parse_math=False)
    ax.set_ylabel(words["previous_rating"], parse_math=False)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    for edge in range(k + 1):
        ax.axhline(edge - 0.5, color=_GRID, linewidth=0.5)
        ax.axvline(edge - 0.5, color=_GRID, linewidth=0.5)
    ax.tick_params(length=0)
    ax.set_title(title or words["transitions"], fontsize=11, pad=12, parse_math=False)
    return ax


def plot_indicator_progress(table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "ja",
                            title: str | None = None) -> Axes:
    """Each indicator's way from its baseline (0) to its target (1), direction taken into account: the actual
    (◆, at its progress) and the pace expected by the review year (|, the share of its years elapsed), with
    its grade at the right; an indicator without an actual has only its grade (−).

    Parameters
    ----------
    table : DataFrame
        :func:`~kyodo_analysis.analysis.indicators.grade_indicators`'s frame (``name``, ``actual``,
        ``progress``, ``expected``, ``grade``).
    """
    words = figure_words(lang)
    n = len(table)
    ax = _axes(ax, 8.0, 0.42 * n + 1.8)
    rows = np.arange(n)
    ax.barh(rows, 1.0, left=0.0, height=0.5, color="#e6e6e6", edgecolor=_GRID, linewidth=0.5)
    pace = ax.scatter(table["expected"].to_numpy(dtype=float), rows, marker="|", s=260, color="#e08214",
                      linewidths=2.0, zorder=3)
    progress = table["progress"].to_numpy(dtype=float)
    measured = table["actual"].notna().to_numpy()
    best = table["grade"].cat.categories[-1] if len(table) else None  # the grades run worst first
    # a target equal to its baseline has no progress: at the target (1) when reached, else at the baseline (0)
    shown = np.where(np.isnan(progress), np.where(table["grade"].astype(object) == best, 1.0, 0.0), progress)
    actual = ax.scatter(np.clip(shown[measured], -0.5, 1.5), rows[measured], marker="D", s=40, color="#2166ac",
                        zorder=4)
    for row, grade in zip(rows, table["grade"].astype(str)):
        ax.text(1.62, row, grade, ha="center", va="center", fontsize=10, parse_math=False)
    ax.set_yticks(rows, [str(name) for name in table["name"]], fontsize=9, parse_math=False)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(-0.55, 1.75)
    ax.set_xticks([0.0, 0.5, 1.0], ["0", "0.5", "1"])
    ax.set_xlabel(words["indicator_axis"], parse_math=False)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    _legend(ax, handles=[actual, pace], labels=[words["indicator_actual"], words["indicator_pace"]],
            loc="upper center", bbox_to_anchor=(0.5, -0.9 / (0.42 * n + 1.8)), ncol=2, frameon=False, fontsize=8.5)
    ax.set_title(title or words["indicators"], fontsize=11, parse_math=False)
    return ax


def indicator_progress(plan_review: PlanReview, *, lang: str = "ja", ax: Axes | None = None) -> Axes | None:
    """The outcome indicators' progress (:func:`plot_indicator_progress`); None without indicators."""
    plan_review = checked_review(plan_review)
    if plan_review.indicators is None:
        return None
    return plot_indicator_progress(plan_review.indicators, ax=ax, lang=lang)


def plot_indicator_grades(counts: pd.DataFrame, by: str, *, scheme: IndicatorScheme, ax: Axes | None = None,
                          lang: str = "ja", labels: Mapping[object, str] | None = None,
                          title: str | None = None) -> Axes:
    """The indicators of each group by grade: stacked bars of counts, the best grade at the left and ``−``
    (no value) last, the groups in the table's order, the first at the top, each with its ``n``.

    Parameters
    ----------
    counts : DataFrame
        :func:`~kyodo_analysis.analysis.indicators.indicator_counts_by_group`: ``by``, ``n_indicators`` and a
        column per grade of ``scheme``.
    labels : mapping, optional
        Display label of each group (default: the group value).
    """
    words = figure_words(lang)
    ax = _axes(ax, 8.0, 0.45 * len(counts) + 1.9)
    rows = np.arange(len(counts))
    left = np.zeros(len(counts))
    handles = []
    for grade, meaning, color in zip(scheme.grades, scheme.meanings, scheme.colors):
        values = counts[grade].to_numpy(dtype=float)
        hatch = "//" if grade == scheme.grades[-1] else None  # − (no value): hatched, as in print it reads apart
        bars = ax.barh(rows, values, left=left, color=color, edgecolor="black", linewidth=0.5, height=0.6,
                       hatch=hatch)
        for bar, value in zip(bars, values):
            if value:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, f"{value:.0f}",
                        ha="center", va="center", fontsize=9, parse_math=False,
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"})
        handles.append(Patch(facecolor=color, edgecolor="black", linewidth=0.5, hatch=hatch,
                             label=f"{grade} {meaning}"))
        left += values
    for row, n in zip(rows, counts["n_indicators"]):
        ax.text(left[row] + 0.1, row, words["n"].format(n=n), va="center", fontsize=9, parse_math=False)
    shown = [str(labels.get(value, value)) if labels else str(value) for value in counts[by]]
    ax.set_yticks(rows, shown, parse_math=False)
    ax.set_ylim(len(counts) - 0.5, -0.5)
    ax.set_xlim(0, max(1.0, left.max()) * 1.15 + 0.5)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(words["indicator_count"], parse_math=False)
    ax.spines[["top", "right"]].set_visible(False)
    _legend(ax, handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14 - 0.3 / max(1, len(counts))),
            ncol=min(3, len(handles)), frameon=False, fontsize=8.5)
    ax.set_title(title or words["indicator_grades"].format(what=words.get(by, by)), parse_math=False)
    return ax


def indicator_grades_by_group(plan_review: PlanReview, *, lang: str = "ja", ax: Axes | None = None) -> Axes | None:
    """The outcome indicators' grades per group of the broadest level (:func:`plot_indicator_grades`); None
    when no indicator is tied to a group."""
    plan_review = checked_review(plan_review)
    if plan_review.indicators_by_group is None:
        return None
    level = plan_review.levels[0]
    return plot_indicator_grades(plan_review.indicators_by_group, level, scheme=SCHEMES[plan_review.indicator_scheme],
                                 ax=ax, lang=lang, labels=group_labels(plan_review.measures, level, lang))


def history_matrix(plan_review: PlanReview) -> pd.DataFrame:
    """The rounds (rows, oldest first, named by their years: 平成22年度時点) × the measures (columns, by No) of
    each measure's grade in each round, "" where a round does not have the measure."""
    from kyodo_analysis.content.catalog import round_names

    history = plan_review.history
    grades = history.grades.set_index("no")[history.columns]
    matrix = pd.DataFrame({column: [("" if pd.isna(grade) else str(grade)) for grade in grades[column]]
                           for column in history.columns}, index=grades.index).T
    matrix.index = round_names(plan_review)
    return matrix


def rating_history(plan_review: PlanReview, *, lang: str = "ja", ax: Axes | None = None) -> Axes | None:
    """Each measure's grade in every round, a strip per measure (:func:`plot_department_matrix`); None with fewer
    than three rounds."""
    plan_review = checked_review(plan_review)
    if plan_review.history is None:
        return None
    return plot_department_matrix(history_matrix(plan_review), ax=ax, scale=plan_review.scale, lang=lang,
                                  title=figure_words(lang)["history"], counts=False)


def rating_transitions(plan_review: PlanReview, *, lang: str = "ja", ax: Axes | None = None) -> Axes | None:
    """The previous round's grade against this round's (:func:`plot_transition_matrix`); None without one."""
    plan_review = checked_review(plan_review)
    if plan_review.rounds is None:
        return None
    return plot_transition_matrix(plan_review.rounds.transitions, ax=ax, scale=plan_review.scale, lang=lang)
