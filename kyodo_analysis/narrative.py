"""The midterm review in Japanese, written from the results: every number, name and list is computed.

Each function takes a :class:`~kyodo_analysis.review.PlanReview` and returns
Markdown. Nothing here knows which city or plan it describes; run on another
table, the text says that table's own things. Every grade is named by its
symbol and its meaning on the review's :class:`~kyodo_analysis.ratings.RatingScale`,
and section headings come from :data:`kyodo_analysis.words.SECTION_TITLES`.

Examples
--------
>>> from kyodo_analysis.review import review_plan
>>> print(overview(review_plan()).split("。")[1])
評価の内訳は ◎（達成）3件、○（概ね達成）8件、△（一部実施）4件、×（未実施）4件である
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

from .era import fiscal_year_label
from .ratings import RatingScale
from .review import PlanReview
from .words import SECTION_TITLES, block_labels

__all__ = [
    "headline",
    "section",
    "overview",
    "blocks",
    "cohorts",
    "plan_vs_actual",
    "departments",
    "audit",
    "priorities",
    "midterm_review",
]

_TITLES = SECTION_TITLES["ja"]  # the narrative is written in Japanese


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#$:~])")


def _md(text: object) -> str:
    """Data-derived text for Markdown: HTML escaped (a status holding <script> stays text), Markdown inert.

    Examples
    --------
    >>> print(_md("<script>alert(1)</script> *太字*"))
    &lt;script&gt;alert(1)&lt;/script&gt; \\*太字\\*
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _join(items: Iterable[str]) -> str:
    return "、".join(items)


def _numbers(numbers: Iterable[int]) -> str:
    return _join(f"No.{no}" for no in numbers)


def _measure(plan_review: PlanReview, no: int) -> str:
    direction = plan_review.measures.loc[plan_review.measures["no"] == no, "direction"].item()
    return f"No.{no}「{_md(direction)}」"


def _grades(plan_review: PlanReview, row: pd.Series, *, skip_zero: bool = False) -> str:
    scale = plan_review.scale
    return _join(f"{symbol}{int(row[symbol])}件" for symbol in scale.symbols if not (skip_zero and row[symbol] == 0))


def _grade(scale: RatingScale, symbol: str) -> str:
    """A grade with its meaning on the scale: ``×（未実施）``."""
    return f"{symbol}（{scale.labels_ja[scale.index(symbol)]}）"


def _top_grades(scale: RatingScale) -> str:
    """The grades that count as implemented, with their meanings: ``上位の評価（◎ 達成・○ 概ね達成）``."""
    return "上位の評価（" + "・".join(f"{s} {scale.labels_ja[scale.index(s)]}" for s in scale.implemented) + "）"


def headline(plan_review: PlanReview) -> str:
    """One line naming the plan, its period, the review year and the number of measures."""
    return (f"**{_md(plan_review.title)}**　計画期間 {fiscal_year_label(plan_review.first_fy)}〜{fiscal_year_label(plan_review.last_fy)}"
            f"　{fiscal_year_label(plan_review.as_of)}時点　{len(plan_review.measures)}施策")


def overview(plan_review: PlanReview) -> str:
    """n, the counts per grade, the implemented share and the score index."""
    scale = plan_review.scale
    row = plan_review.overall.iloc[0]
    grades = _join(f"{symbol}（{label}）{int(row[symbol])}件" for symbol, label in zip(scale.symbols, scale.labels_ja))
    implemented = int(row[list(scale.implemented)].sum())
    lowest = int(row[scale.lowest])
    text = (
        f"「{_md(plan_review.title)}」の{int(row['n'])}施策（計画期間：{fiscal_year_label(plan_review.first_fy)}〜"
        f"{fiscal_year_label(plan_review.last_fy)}）について、{fiscal_year_label(plan_review.as_of)}時点の状況をまとめる。"
        f"評価の内訳は {grades}である。"
        f"{_top_grades(scale)}は{implemented}件（{_percent(row['implemented_share'])}）、"
        f"最も低い評価の{_grade(scale, scale.lowest)}は{lowest}件（{_percent(row['not_implemented_share'])}）で、"
        f"評価を点数化したスコア指数（{scale.symbols[0]}={scale.max_score}点〜{scale.lowest}={scale.min_score}点を"
        f"100点満点に換算）は{row['score_index']:.1f}である。"
    )
    if scale.meanings_assumed:
        text += "なお、原表には評価記号の凡例がないため、記号の意味は本分析での想定である。"
    return text


def blocks(plan_review: PlanReview) -> str:
    """The strongest and weakest blocks, and why."""
    table = plan_review.by_block
    if len(table) < 2:
        return "施策は1つのブロックにまとめられており、ブロック間の比較はできない。"
    best_value, worst_value = table["score_index"].max(), table["score_index"].min()
    if best_value == worst_value:
        return f"すべてのブロックのスコア指数が{best_value:.1f}で等しく、ブロック間に差はない。"
    label = block_labels(plan_review.measures, "ja")
    best = table[table["score_index"] == best_value]
    worst = table[table["score_index"] == worst_value]
    text = (
        f"ブロック別のスコア指数は、{_join(label[b] for b in best['block'])}が{best_value:.1f}で最も高く、"
        f"{_join(label[b] for b in worst['block'])}が{worst_value:.1f}で最も低い"
        f"（計画全体は{plan_review.overall['score_index'].item():.1f}）。"
    )
    for _, row in worst.iterrows():
        block = row["block"]
        members = plan_review.measures[plan_review.measures["block"] == block]
        lowest = members.loc[members["rating"] == plan_review.scale.lowest, "no"].tolist()
        text += f"{label[block]}の{int(row['n'])}施策の評価は {_grades(plan_review, row, skip_zero=True)}"
        text += f"で、{plan_review.scale.lowest}は{_numbers(lowest)}である。" if lowest else "である。"
        cohort_sizes = members["target_fy"].value_counts().sort_index()
        common_fy, count = cohort_sizes.idxmax(), cohort_sizes.max()
        latest = plan_review.measures["target_fy"].max()
        if count > len(members) / 2:
            text += (f"このブロックは{int(row['n'])}施策のうち{count}施策の実施目標年度が"
                     f"{fiscal_year_label(int(common_fy))}で")
            text += "、計画の中で最も遅い目標年度に集中している。" if common_fy == latest else "ある。"
    for _, row in best.iterrows():
        implemented = int(row[list(plan_review.scale.implemented)].sum())
        text += (f"{label[row['block']]}は{int(row['n'])}施策のうち{implemented}件が"
                 f"{'・'.join(plan_review.scale.implemented)}で、{_top_grades(plan_review.scale)}の割合が"
                 f"{_percent(row['implemented_share'])}と高い。")
    return text


def cohorts(plan_review: PlanReview) -> str:
    """The cohort effect: how the rating changes with the target year."""
    table = plan_review.by_target_fy.sort_values("target_fy")
    parts = _join(f"{fiscal_year_label(int(row['target_fy']))}目標 {row['score_index']:.1f}（{int(row['n'])}施策）"
                  for _, row in table.iterrows())
    text = f"実施目標年度ごとのスコア指数は、{parts}である。"
    values = table["score_index"].tolist()
    if len(values) < 2:
        text += "目標年度は1つのみで、年度による比較はできない。"
    elif all(a > b for a, b in zip(values, values[1:])):
        text += "実施目標年度が遅い施策ほど評価が低い。"
    elif all(a < b for a, b in zip(values, values[1:])):
        text += "実施目標年度が遅い施策ほど評価が高い。"
    else:
        text += "目標年度と評価の間に一貫した傾向は見られない。"
    lowest = plan_review.scale.lowest
    total = int(table[lowest].sum())
    if total:
        top = table.loc[table[lowest].idxmax()]
        year = fiscal_year_label(int(top["target_fy"]))
        grade = _grade(plan_review.scale, lowest)
        if int(top[lowest]) == total:
            text += f"{grade}の{total}件は、すべて{year}が目標の施策である。"
        else:
            text += f"{grade}{total}件のうち{int(top[lowest])}件が{year}目標の施策である。"
    return text


def plan_vs_actual(plan_review: PlanReview) -> str:
    """The late starts with their lags and evidence, and the other categories."""
    progress = plan_review.progress.set_index("no")
    late = progress[progress["category"] == "late"]
    text = ("状況欄に記された最初の年度を着手年度とみなし、実施目標年度（○）と比べる。"
            "年度の記述が別の事業を指す場合もあるため、根拠の文を確かめて判断されたい。\n\n")
    if len(late):
        text += f"目標より遅れて着手した施策は{len(late)}件ある。\n\n"
        for no, row in late.iterrows():
            text += (f"- {_measure(plan_review, no)}：目標 {fiscal_year_label(int(row['target_fy']))} → 記述 "
                     f"{fiscal_year_label(int(row['first_fy_mentioned']))}（{int(row['lag_years'])}年の遅れ）。"
                     f"根拠：「{_md(row['evidence'])}」\n")
        text += "\n"
    else:
        text += "目標より遅れて着手した施策はない。\n\n"
    sentences = []
    for category, words in (("on_schedule", "目標年度どおりに着手の記述がある施策"),
                            ("early", "目標年度より早く着手の記述がある施策"),
                            ("no_year_in_status", "状況に年度の記述がなく、着手時期を判断できない施策"),
                            ("not_implemented",
                             f"最も低い評価の{_grade(plan_review.scale, plan_review.scale.lowest)}で、着手時期を比べない施策")):
        numbers = progress.index[progress["category"] == category].tolist()
        if numbers:
            sentences.append(f"{words}は{len(numbers)}件（{_numbers(numbers)}）")
    return text + ("。".join(sentences) + "である。" if sentences else "")


def departments(plan_review: PlanReview) -> str:
    """The department view: who carries the plan, who carries its gaps, which measures are shared."""
    table = plan_review.by_department.set_index("department")
    n = len(plan_review.measures)
    everywhere = table.index[table["n"] == n].tolist()
    text = ""
    if everywhere:
        text += f"{_join(map(_md, everywhere))}は全{n}施策を担当している。"
    lowest = plan_review.scale.lowest
    total = int(plan_review.overall[lowest].item())
    candidates = table.drop(index=everywhere)
    if total and len(candidates) and candidates[lowest].max() > 0:
        rating_of = dict(zip(plan_review.measures["no"], plan_review.measures["rating"]))
        most = candidates[lowest].max()
        for department in candidates.index[candidates[lowest] == most]:
            row = candidates.loc[department]
            numbers = [no for no in plan_review.departments.loc[plan_review.departments["department"] == department, "no"]
                       if rating_of[no] == lowest]
            text += (f"{'それ以外' if everywhere else '推進課別'}では、{_md(department)}が担当する{int(row['n'])}施策のうち"
                     f"{int(row[lowest])}件が{_grade(plan_review.scale, lowest)}で、計画全体の{lowest}{total}件のうち"
                     f"{int(row[lowest])}件を占める（{_numbers(numbers)}）。")
    elif total == 0:
        text += f"{_grade(plan_review.scale, lowest)}の施策はない。"
    shared = plan_review.departments.groupby("no").size()
    shared = shared[shared > 1]
    text += f"複数の推進課が担当する施策は{len(shared)}件ある。"
    return text


def audit(plan_review: PlanReview) -> str:
    """The consistency audit: ratings whose status text admits a gap (or reports work)."""
    flagged = plan_review.audit
    if flagged.empty:
        return "評価と状況の記述の間に、食い違いを示す語は見つからなかった。"
    scale = plan_review.scale
    found = _join(f"「{_md(marker)}」" for marker in dict.fromkeys(flagged["marker"]))
    text = (f"評価と状況の記述が食い違う可能性のある施策が{flagged['no'].nunique()}件ある。"
            f"{_top_grades(scale)}なのに課題を認める記述があるもの、または最も低い評価"
            f"{_grade(scale, scale.lowest)}なのに実施を報告する記述があるものである。見つかった語は{found}である。\n\n")
    for no, rows in flagged.groupby("no", sort=True):
        markers = _join(f"「{_md(marker)}」" for marker in rows["marker"])
        sentences = " ".join(_md(sentence) for sentence in dict.fromkeys(rows["sentence"]))
        text += f"- {_measure(plan_review, no)}（評価 {rows['rating'].iloc[0]}）：{markers} ― {sentences}\n"
    return text


def priorities(plan_review: PlanReview) -> str:
    """What to push in the second half: unimplemented and late measures, least time left first."""
    table = plan_review.priorities
    lowest = _grade(plan_review.scale, plan_review.scale.lowest)
    if plan_review.as_of >= plan_review.last_fy:
        remaining = "計画期間の終了後"
    elif plan_review.as_of + 1 == plan_review.last_fy:
        remaining = f"残る計画期間（{fiscal_year_label(plan_review.last_fy)}）"
    else:
        remaining = f"後半期（{fiscal_year_label(plan_review.as_of + 1)}〜{fiscal_year_label(plan_review.last_fy)}）"
    if table.empty:
        return f"{remaining}に向けて、{lowest}の施策も着手の遅れた施策もない。"
    not_done = int((table["category"] == "not_implemented").sum())
    late = int((table["category"] == "late").sum())
    text = (f"{remaining}に重点的に取り組むべき施策は、{lowest}の{not_done}件と着手が遅れた{late}件である。"
            f"各施策の予定期間（○・→の最終年度）の残りが少ない順に示す。\n\n")
    for _, row in table.iterrows():
        left = int(row["years_left"])
        until = f"予定期間 {fiscal_year_label(int(row['scheduled_until_fy']))}まで"
        when = f"{until}（{-left}年超過）" if left < 0 else (f"{until}（最終年度）" if left == 0 else f"{until}（残り{left}年）")
        rating = _grade(plan_review.scale, row["rating"])
        state = rating if row["category"] == "not_implemented" else f"{rating}、着手{int(row['lag_years'])}年遅れ"
        text += f"- {_measure(plan_review, int(row['no']))}：評価 {state}、{when}。推進課：{_md(row['departments'])}\n"
    return text


def section(key: str, plan_review: PlanReview) -> str:
    """One section of the review with its heading, e.g. ``section("blocks", plan_review)``."""
    writers = {"overview": overview, "blocks": blocks, "cohorts": cohorts, "plan_vs_actual": plan_vs_actual,
               "departments": departments, "audit": audit, "priorities": priorities}
    return f"## {_TITLES[key]}\n\n{writers[key](plan_review).strip()}"


def midterm_review(plan_review: PlanReview) -> str:
    """The whole review as Markdown, one section per heading of :data:`~kyodo_analysis.words.SECTION_TITLES`."""
    return "\n\n".join(section(key, plan_review) for key in _TITLES)
