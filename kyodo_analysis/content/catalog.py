"""What a review contains, in reading order: one catalog of its sections, tables and figures.

Every writer loops over the catalog: the workbook writes a sheet for each
table that has one, the Word and PDF documents print every section, each
followed by the figures and the captioned tables it discusses
(:data:`FIGURE_SECTIONS`, ``ReviewTable.section``), and a notebook shows a
figure with one call (:func:`kyodo_analysis.figures.publish.show`). Adding a table or a figure is
one entry here (and, for a figure, its draw function in :mod:`kyodo_analysis.figures`).

Nothing here draws: a figure's entry names the function (of ``figures.draw`` or ``figures.pages``) that draws
it, which is imported only when a figure is drawn, so that the document model
needs no matplotlib.

Examples
--------
>>> from kyodo_analysis import review_plan
>>> contents = review_contents(review_plan())
>>> [section.title for section in contents.sections][:3]
['計画の概要', '評価の方法', '全体の進捗']
>>> [(figure.name, figure.in_review) for figure in contents.figures][:3]  # the table's sections: analysts only
[('rating_distribution', True), ('ratings_by_block', False), ('score_index_by_block', False)]
>>> [table.sheet for table in contents.tables if table.sheet][:4]
['施策', '実施目標年度', '推進課', '表の区分別']
>>> [table.caption for table in contents.tables if table.caption]
['評価の内訳', '評価と記述の整合性', '後半期の重点施策']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from kyodo_analysis.analysis.review import PlanReview
from kyodo_analysis.content.present import grade_label, group_labels, measure_list
from kyodo_analysis.words import (
    CHAPTER_TITLES,
    CHAPTERS,
    FIGURE_CAPTIONS,
    WORKBOOK_SHEETS,
    level_name,
    level_sheet_name,
    section_titles,
    words_for,
)

__all__ = ["ReviewSection", "ReviewChapter", "ReviewTable", "ReviewFigure", "ReviewContents", "review_contents",
           "review_chapters", "review_figures", "section_keys", "figure_caption", "indicator_table",
           "FIGURE_KINDS", "FIGURE_SECTIONS"]

#: Every kind of figure, in reading order: the notebook that saves it, the ``figures`` function that draws it,
#: and that function's options after the review. A kind ``…_by_level`` is drawn once for each level of the
#: plan's structure (or the table's sections), with the level as ``by``.
FIGURE_KINDS: dict[str, tuple[str, str, tuple[tuple[str, object], ...]]] = {
    "rating_distribution": ("02_ratings", "rating_distribution", ()),
    "ratings_by_level": ("02_ratings", "ratings_by", ()),
    "score_index_by_level": ("02_ratings", "score_index_by", ()),
    "ratings_by_target_year": ("02_ratings", "ratings_by", (("by", "target_fy"),)),
    "score_index_by_target_year": ("02_ratings", "score_index_by", (("by", "target_fy"),)),
    "ratings_by_department": ("02_ratings", "ratings_by", (("by", "department"),)),
    "plan_vs_actual_timeline": ("03_plan_vs_actual", "plan_vs_actual_pages", ()),
    "department_measure_matrix": ("04_departments", "department_matrix_pages", ()),
    "rating_transitions": ("02_ratings", "rating_transitions", ()),
    "rating_history": ("02_ratings", "rating_history_pages", ()),
    "indicator_progress": ("02_ratings", "indicator_progress_pages", ()),
    "indicator_grades_by_group": ("02_ratings", "indicator_grades_by_group", ()),
}

#: The section of the review's text that discusses each kind of figure: the documents print it there.
FIGURE_SECTIONS = {"rating_distribution": "overview", "ratings_by_level": "groups", "score_index_by_level": "groups",
                   "ratings_by_target_year": "cohorts", "score_index_by_target_year": "cohorts",
                   "plan_vs_actual_timeline": "plan_vs_actual", "ratings_by_department": "departments",
                   "department_measure_matrix": "departments", "rating_transitions": "changes",
                   "rating_history": "history", "indicator_progress": "indicators",
                   "indicator_grades_by_group": "indicators"}

#: What each sheet of the workbook holds, for its 説明 sheet.
_SHEET_CONTENTS = {
    "measures": "施策ごとの表の区分、施策の方向性、内容、実施目標年度、継続年度の有無、施策実施状況、評価と得点",
    "schedule": "実施目標年度の欄の記号（○ 実施目標年度、→ 継続年度）を1行1年度で",
    "departments": "施策ごとの推進課（1行1課、記載順）",
    "level": "{level}ごとの評価の件数、平均得点、評価点、上位評価と最低評価の割合",
    "by_target_fy": "実施目標年度ごとの評価の件数、平均得点、評価点と割合",
    "by_department": "推進課ごとの評価の件数と評価点（主管課と全課は比較に含めない）",
    "progress": "実施目標年度と、状況欄の記述から読み取った着手年度の比較（判定と根拠の文）",
    "audit": "評価と状況の記述が食い違う可能性のある施策（該当語と該当文）",
    "priorities": "後半期に重点的に取り組むべき施策（評価の低い順、記述が課題を認める施策）",
    "changes": "前回と今回の評価と変化（↑ 上がった、↓ 下がった、→ 変わらない、新規、削除）",
    "rounds": "{what}ごとの前回と今回の施策数と評価点",
}

#: What a final review's sheets hold where the words differ: the plan has no second half left.
_FINAL_SHEET_CONTENTS = {
    "priorities": "次期計画に向けて重点的に取り組むべき施策（評価の低い順、記述が課題を認める施策）",
}


@dataclass(frozen=True)
class ReviewTable:
    """One table of the review.

    ``sheet`` is its workbook sheet (None: not in the workbook), ``fixed``
    says the sheet name is a fixed word rather than named after the data,
    ``description`` is its line on the workbook's 説明 sheet, and ``caption``
    its caption in the printed documents (None: not printed), where
    ``printed`` holds the columns they show, in the ``section`` that discusses it.
    """

    key: str
    frame: pd.DataFrame = field(repr=False)
    sheet: str | None = None
    fixed: bool = True
    description: str = ""
    caption: str | None = None
    printed: pd.DataFrame | None = field(default=None, repr=False)
    section: str = ""


@dataclass(frozen=True)
class ReviewFigure:
    """One figure of the review: its file name (without a page suffix), kind, caption, notebook and how it is drawn.

    ``draw`` names a function of :mod:`kyodo_analysis.figures.draw` or :mod:`~kyodo_analysis.figures.pages` and ``options``
    its arguments after the review; a ``paged`` figure's function returns
    pages (one per 40 measures), the others one ``Axes``. A figure not ``in_review`` is for the analysts'
    notebooks only: the table's sections (表の区分) without a structure file are layout, not the plan's groups.
    """

    name: str
    kind: str
    caption: str
    notebook: str
    draw: str
    options: tuple[tuple[str, object], ...] = ()
    level: str | None = None
    in_review: bool = True

    @property
    def section(self) -> str:
        """The key of the section of the review's text that discusses the figure (:data:`FIGURE_SECTIONS`)."""
        return FIGURE_SECTIONS[self.kind]

    @property
    def paged(self) -> bool:
        """Whether the figure is drawn in pages (its function is one of ``figures.pages.…_pages``)."""
        return self.draw.endswith("_pages")


@dataclass(frozen=True)
class ReviewSection:
    """One section of the review's text: its key (``narrative.section_blocks(key, …)`` writes it) and title."""

    key: str
    title: str


@dataclass(frozen=True)
class ReviewContents:
    """The sections, the tables and the figures of a review, each in reading order."""

    sections: tuple[ReviewSection, ...]
    tables: tuple[ReviewTable, ...]
    figures: tuple[ReviewFigure, ...]

    def figure(self, name: str) -> ReviewFigure:
        """The figure saved as ``name`` (a page's suffix ``_p01`` aside)."""
        return _named(self.figures, name)


def _named(figures: tuple[ReviewFigure, ...], name: str) -> ReviewFigure:
    base = re.sub(r"_p\d+$", "", name)
    for figure in figures:
        if figure.name == base:
            return figure
    raise KeyError(f"the review has no figure {name!r}")


def _tables(plan_review: PlanReview) -> list[ReviewTable]:
    sheets, titles, rounds = WORKBOOK_SHEETS["ja"], section_titles("ja", plan_review.kind), plan_review.rounds
    main_level = plan_review.levels[0]

    def level_table(level: str) -> ReviewTable:
        sheet = level_sheet_name(level)
        printed = None
        if level == main_level and plan_review.structured:  # the documents print the plan's broadest level
            columns = [level, "n", *plan_review.scale.symbols, "score_index", "implemented_share"]
            printed = plan_review.by_level[level][columns]
            labels = group_labels(plan_review.measures, level, "ja")
            printed = printed.assign(**{level: printed[level].map(labels).astype("str")})
        return ReviewTable(f"by_level:{level}", plan_review.by_level[level], sheet, fixed=False,
                           description=_SHEET_CONTENTS["level"].format(level=sheet[:-1]),
                           caption=f"{level_name(level)}別の状況" if printed is not None else None, printed=printed,
                           section="groups")

    def sheet_table(key: str, **printing) -> ReviewTable:
        final = _FINAL_SHEET_CONTENTS if plan_review.kind == "final" else {}
        description = final.get(key, _SHEET_CONTENTS[key])
        return ReviewTable(key, getattr(plan_review, key), sheets[key], description=description, **printing)

    counts = plan_review.counts[["rating", "label", "count", "share"]]
    tables = [
        ReviewTable("counts", plan_review.counts, caption="評価の内訳", printed=counts, section="overview"),
        sheet_table("measures"), sheet_table("schedule"), sheet_table("departments"),
        *(level_table(level) for level in plan_review.levels),
        sheet_table("by_target_fy"), sheet_table("by_department"), sheet_table("progress"),
        sheet_table("audit", caption=titles["audit"], printed=plan_review.audit, section="audit"),
        sheet_table("priorities", caption=titles["priorities"], printed=_printed_priorities(plan_review),
                    section="priorities"),
    ]
    if rounds is not None:  # the previous round's tables come last
        tables.append(ReviewTable("changes", rounds.changes, sheets["changes"], description=_SHEET_CONTENTS["changes"],
                                  caption=titles["changes"], printed=rounds.changes, section="changes"))
        tables += [ReviewTable(f"rounds_by_level:{level}", table, f"前回比（{level_sheet_name(level)}）", fixed=False,
                               description=_SHEET_CONTENTS["rounds"].format(what=level_sheet_name(level)[:-1]))
                   for level, table in rounds.by_level.items()]
        tables.append(ReviewTable("rounds_by_department", rounds.by_department, sheets["rounds_by_department"],
                                  description=_SHEET_CONTENTS["rounds"].format(what="推進課")))
    if plan_review.related is not None:  # the co-departments' own wordings that the survey kept
        related = plan_review.related.rename(columns={"text": "related_text"})
        tables.append(ReviewTable("related", related, sheets["related"],
                                  description="関係課の記述：主担当課と同じ評価で、記述だけが違う関係課の回答（状況表のそばのファイルから）"))
    if plan_review.indicators is not None:  # the outcome indicators, graded by the city's rule
        shown = indicator_table(plan_review)
        tables.append(ReviewTable("indicators", shown, sheets["indicators"],
                                  description="成果指標ごとの基準値・目標値・実績値・進捗率と判定（判定の基準は説明シート）",
                                  caption="成果指標の判定", section="indicators",
                                  printed=indicator_table(plan_review, printed=True)))
        if plan_review.indicators_by_group is not None:  # tied to the plan's groups: their grades per group
            level = main_level
            by_group = plan_review.indicators_by_group
            labels = group_labels(plan_review.measures, level, "ja")
            tables.append(ReviewTable(
                "indicators_by_group", by_group.assign(**{level: by_group[level].map(labels).astype("str")}),
                f"指標（{level_sheet_name(level)}）", fixed=False,
                description=f"{level_name(level)}ごとの成果指標の数と判定の内訳（複数の{level_name(level)}に関連する指標は"
                            "それぞれに数える）"))
    if plan_review.history is not None:  # every round: each measure's grade, and the score index
        grades, scores = history_tables(plan_review)
        tables += [ReviewTable("history", grades, sheets["history"], description="施策ごとの各回の評価（古い回から）"),
                   ReviewTable("history_scores", scores, sheets["history_scores"],
                               description="計画全体と区分ごとの各回の評価点（古い回から）", caption="評価点の推移",
                               printed=scores, section="history")]
    return tables


def indicator_table(plan_review: PlanReview, *, printed: bool = False) -> pd.DataFrame:
    """The graded indicators as a reader sees them: the values, the year of the actual, progress (and under the
    pace rule, the pace expected) and grade, then the measures (No.2、No.5) and the groups of the plan's broadest
    level each is tied to, when any is (the table's own sections are layout: not shown). ``printed``: as the
    documents and the review page print it, without the years of the baseline and target and the note (the
    workbook has them)."""
    frame = plan_review.indicators.rename(columns={"direction": "direction_of_better", "target_fy": "goal_fy"})
    paced = ["expected"] if plan_review.indicator_scheme == "pace" else []  # the pace the rule compares with
    shown = frame[["name", "unit", "direction_of_better", "baseline_fy", "baseline", "goal_fy", "target",
                   "actual_fy", "actual", "progress", *paced, "grade", "note"]].assign(
        progress=frame["progress"].round(2), grade=frame["grade"].astype("str"))
    if paced:
        shown["expected"] = frame["expected"].round(2)
    if frame["measure_nos"].map(len).any():
        shown["measure_nos"] = pd.array([measure_list(nos) for nos in frame["measure_nos"]], dtype="str")
    if plan_review.indicators_by_group is not None and plan_review.structured:  # the plan's groups, not the layout's
        level = plan_review.levels[0]
        labels = group_labels(plan_review.measures, level, "ja")
        shown[level] = pd.array(["、".join(labels[group] for group in groups) for groups in frame["groups"]],
                                dtype="str")
    return shown.drop(columns=["baseline_fy", "goal_fy", "note"]) if printed else shown


def round_names(plan_review: PlanReview) -> list[str]:
    """Each round's name, oldest first, by its review year: 平成22年度時点."""
    from kyodo_analysis.era import fiscal_year_label

    return [f"{fiscal_year_label(fy, western=plan_review.western)}時点" for fy in plan_review.history.as_of]


def history_tables(plan_review: PlanReview) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 推移 as a reader sees it: each measure's grade per round, and the score index per round of the
    whole plan (計画全体) and of each group of the broadest level, the rounds named by their years."""
    history, level = plan_review.history, plan_review.levels[0]
    names = dict(zip(history.columns, round_names(plan_review)))
    grades = history.grades.rename(columns=names)
    labels = group_labels(plan_review.measures, level, "ja")
    by_text = {str(group): label for group, label in labels.items()}
    scores = history.score_index.assign(group=[by_text.get(group, "計画全体" if group == "" else group)
                                               for group in history.score_index["group"]])
    scores = scores.round({column: 1 for column in history.columns})  # as the text gives them: 50.9
    scores = scores.rename(columns={"group": level_name(level), **names})
    return grades, scores.astype({level_name(level): "str"})


def _printed_priorities(plan_review: PlanReview) -> pd.DataFrame:
    """The priorities as the documents print them, each with its own reason: its grade, or the audit's sentence."""
    table = plan_review.priorities
    scale = plan_review.scale
    reasons = [f"評価が{grade_label(scale, str(rating))}" if reason == "low_grade" else f"状況欄「{evidence}」"
               for rating, reason, evidence in
               zip(table["rating"], table["reason"], table["evidence"])]
    return table.assign(reason=pd.array(reasons, dtype="str"))[
        ["no", "direction", "rating", "reason", "target_fy", "departments"]]


def review_figures(plan_review: PlanReview, *, lang: str = "ja") -> tuple[ReviewFigure, ...]:
    """The review's figures, in reading order: :attr:`ReviewContents.figures` without building the tables."""
    figures = []
    for kind, (notebook, draw, options) in FIGURE_KINDS.items():
        if (kind == "rating_transitions" and plan_review.rounds is None) or (
                kind == "rating_history" and plan_review.history is None) or (
                kind == "indicator_progress" and plan_review.indicators is None) or (
                kind == "indicator_grades_by_group" and plan_review.indicators_by_group is None):
            continue
        if kind == "indicator_grades_by_group":  # the broadest level's groups, as the plan's groups are shown
            level = plan_review.levels[0]
            figures.append(ReviewFigure(f"indicator_grades_by_{plan_review.figure_key(level)}", kind,
                                        _caption(kind, lang, level), notebook, draw, options, level=level,
                                        in_review=plan_review.structured))
            continue
        if kind.endswith("_by_level"):
            figures += [ReviewFigure(f"{draw}_{plan_review.figure_key(level)}", kind, _caption(kind, lang, level),
                                     notebook, draw, (("by", level),), level=level, in_review=plan_review.structured)
                        for level in plan_review.levels]
        else:
            figures.append(ReviewFigure(kind, kind, _caption(kind, lang), notebook, draw, options))
    return tuple(figures)


def _caption(kind: str, lang: str, level: str | None = None) -> str:
    words = words_for(FIGURE_CAPTIONS, lang)
    return words[kind].format(level=level_name(level, lang)) if level is not None else words[kind]


def section_keys(plan_review: PlanReview) -> list[str]:
    """The sections this review has, in the order of its chapters (:data:`~kyodo_analysis.words.CHAPTERS`):
    施策の区分別の状況 only with the plan's structure (the table's own sections are layout, not the plan's
    groups), 前回からの変化 only when a previous round was given."""
    return [key for keys in CHAPTERS.values() for key in keys
            if (key != "changes" or plan_review.rounds is not None) and (key != "groups" or plan_review.structured)
            and (key != "history" or plan_review.history is not None)
            and (key != "indicators" or plan_review.indicators is not None)]


@dataclass(frozen=True)
class ReviewChapter:
    """One chapter of the review as a city writes it: its key, its numbered heading (1　計画の概要), and its
    sections, each with its heading as shown under the chapter: numbered （1）… when the chapter holds several,
    else the chapter's own (its one section is the chapter)."""

    key: str
    title: str
    sections: tuple[ReviewSection, ...]


def review_chapters(plan_review: PlanReview, *, lang: str = "ja", draft: bool = True) -> tuple[ReviewChapter, ...]:
    """The review's chapters, numbered in order: those of :data:`~kyodo_analysis.words.CHAPTERS` that have a
    section in this review, and 総括 (the committee's own words) in a draft to edit (``draft``) only.

    Examples
    --------
    >>> from kyodo_analysis import review_plan
    >>> print(" / ".join(chapter.title for chapter in review_chapters(review_plan(), draft=False)))
    1　計画の概要 / 2　評価の方法 / 3　全体の評価 / 4　施策別の評価 / 5　今後の課題と方向性
    >>> [section.title for section in review_chapters(review_plan())[2].sections][:2]
    ['（1）全体の進捗', '（2）実施目標年度による違い']
    """
    present = set(section_keys(plan_review))
    titles, sections = words_for(CHAPTER_TITLES, lang), section_titles(lang, plan_review.kind)
    kept = [(key, [k for k in keys if k in present]) for key, keys in CHAPTERS.items()
            if any(k in present for k in keys) or (key == "summary" and draft)]
    chapters = []
    for number, (key, keys) in enumerate(kept, start=1):
        title = f"{number}\u3000{titles[key]}"
        if len(keys) == 1:
            shown = (ReviewSection(keys[0], title),)
        else:
            shown = tuple(ReviewSection(k, f"（{index}）{sections[k]}") for index, k in enumerate(keys, start=1))
        chapters.append(ReviewChapter(key, title, shown))
    return tuple(chapters)


def _sections(plan_review: PlanReview, lang: str) -> list[ReviewSection]:
    titles = section_titles(lang, plan_review.kind)
    return [ReviewSection(key, titles[key]) for key in section_keys(plan_review)]


def review_contents(plan_review: PlanReview, *, lang: str = "ja") -> ReviewContents:
    """The review's sections, tables and figures, in reading order (see the module's text)."""
    return ReviewContents(tuple(_sections(plan_review, lang)), tuple(_tables(plan_review)),
                          review_figures(plan_review, lang=lang))


def figure_caption(plan_review: PlanReview, name: str, *, lang: str = "ja") -> str:
    """The caption of a saved figure, from its file name (``ratings_by_level1`` → 基本目標別の評価; a page's suffix aside).

    Examples
    --------
    >>> from kyodo_analysis import review_plan
    >>> figure_caption(review_plan(), "ratings_by_block"), figure_caption(review_plan(), "department_measure_matrix_p02")
    ('表の区分別の評価', '推進課別・施策別の評価')
    """
    return _named(review_figures(plan_review, lang=lang), name).caption
