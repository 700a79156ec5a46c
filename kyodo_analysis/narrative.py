"""The midterm review in Japanese, written from the results: every number, name and list is computed.

Each function takes a :class:`~kyodo_analysis.review.PlanReview` and returns
Markdown. Nothing here knows which city or plan it describes; run on another
table, the text says that table's own things.

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
from .review import PlanReview

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
    "SECTION_TITLES",
]

#: Section headings of the review, in order.
SECTION_TITLES = {
    "overview": "全体の進捗",
    "blocks": "ブロック別の状況",
    "cohorts": "実施目標年度による違い",
    "plan_vs_actual": "計画と実績（着手時期）",
    "departments": "推進課別の状況",
    "audit": "評価と記述の整合性",
    "priorities": "後半期の重点施策",
}


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


def _measure(review: PlanReview, no: int) -> str:
    direction = review.measures.loc[review.measures["no"] == no, "direction"].item()
    return f"No.{no}「{_md(direction)}」"


def _grades(review: PlanReview, row: pd.Series, *, skip_zero: bool = False) -> str:
    scale = review.scale
    return _join(f"{symbol}{int(row[symbol])}件" for symbol in scale.symbols if not (skip_zero and row[symbol] == 0))


def _implemented_words(review: PlanReview) -> str:
    return "・".join(review.scale.implemented)


def headline(review: PlanReview) -> str:
    """One line naming the plan, its period, the review year and the number of measures."""
    return (f"**{_md(review.title)}**　計画期間 {fiscal_year_label(review.first_fy)}〜{fiscal_year_label(review.last_fy)}"
            f"　{fiscal_year_label(review.as_of_fy)}時点　{len(review.measures)}施策")


def overview(review: PlanReview) -> str:
    """n, the counts per grade, the implemented share and the score index."""
    scale = review.scale
    row = review.overall.iloc[0]
    grades = _join(f"{symbol}（{label}）{int(row[symbol])}件" for symbol, label in zip(scale.symbols, scale.labels_ja))
    implemented = int(row[list(scale.implemented)].sum())
    lowest = int(row[scale.lowest])
    return (
        f"「{_md(review.title)}」の{int(row['n'])}施策（計画期間：{fiscal_year_label(review.first_fy)}〜"
        f"{fiscal_year_label(review.last_fy)}）について、{fiscal_year_label(review.as_of_fy)}時点の状況をまとめる。"
        f"評価の内訳は {grades}である。"
        f"{_implemented_words(review)}の「実施済み」は{implemented}件（{_percent(row['implemented_share'])}）、"
        f"{scale.lowest}の「未実施」は{lowest}件（{_percent(row['not_implemented_share'])}）で、"
        f"評価を点数化したスコア指数（{scale.symbols[0]}={scale.max_score}点〜{scale.lowest}={scale.min_score}点を"
        f"100点満点に換算）は{row['score_index']:.1f}である。"
        "なお、原表には評価記号の凡例がないため、記号の意味は本分析での想定である。"
    )


def blocks(review: PlanReview) -> str:
    """The strongest and weakest blocks, and why."""
    table = review.by_block
    if len(table) < 2:
        return "施策は1つのブロックにまとめられており、ブロック間の比較はできない。"
    best_value, worst_value = table["score_index"].max(), table["score_index"].min()
    if best_value == worst_value:
        return f"すべてのブロックのスコア指数が{best_value:.1f}で等しく、ブロック間に差はない。"
    label = review.block_labels
    best = table[table["score_index"] == best_value]
    worst = table[table["score_index"] == worst_value]
    text = (
        f"ブロック別のスコア指数は、{_join(label[b] for b in best['block'])}が{best_value:.1f}で最も高く、"
        f"{_join(label[b] for b in worst['block'])}が{worst_value:.1f}で最も低い"
        f"（計画全体は{review.overall['score_index'].item():.1f}）。"
    )
    for _, row in worst.iterrows():
        block = row["block"]
        members = review.measures[review.measures["block"] == block]
        lowest = members.loc[members["rating"] == review.scale.lowest, "no"].tolist()
        text += f"{label[block]}の{int(row['n'])}施策の評価は {_grades(review, row, skip_zero=True)}"
        text += f"で、{review.scale.lowest}は{_numbers(lowest)}である。" if lowest else "である。"
        cohort_sizes = members["target_fy"].value_counts().sort_index()
        common_fy, count = cohort_sizes.idxmax(), cohort_sizes.max()
        latest = review.measures["target_fy"].max()
        if count > len(members) / 2:
            text += (f"このブロックは{int(row['n'])}施策のうち{count}施策の実施目標年度が"
                     f"{fiscal_year_label(int(common_fy))}で")
            text += "、計画の中で最も遅い目標年度に集中している。" if common_fy == latest else "ある。"
    for _, row in best.iterrows():
        implemented = int(row[list(review.scale.implemented)].sum())
        text += (f"{label[row['block']]}は{int(row['n'])}施策のうち{implemented}件が"
                 f"{_implemented_words(review)}で、実施済みの割合が{_percent(row['implemented_share'])}と高い。")
    return text


def cohorts(review: PlanReview) -> str:
    """The cohort effect: how the rating changes with the target year."""
    table = review.by_target_fy.sort_values("target_fy")
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
    lowest = review.scale.lowest
    total = int(table[lowest].sum())
    if total:
        top = table.loc[table[lowest].idxmax()]
        year = fiscal_year_label(int(top["target_fy"]))
        if int(top[lowest]) == total:
            text += f"{lowest}（未実施）の{total}件は、すべて{year}が目標の施策である。"
        else:
            text += f"{lowest}（未実施）{total}件のうち{int(top[lowest])}件が{year}目標の施策である。"
    return text


def plan_vs_actual(review: PlanReview) -> str:
    """The late starts with their lags and evidence, and the other categories."""
    progress = review.progress.set_index("no")
    late = progress[progress["category"] == "late"]
    text = ("状況欄に記された最初の年度を着手年度とみなし、実施目標年度（○）と比べる。"
            "年度の記述が別の事業を指す場合もあるため、根拠の文を確かめて判断されたい。\n\n")
    if len(late):
        text += f"目標より遅れて着手した施策は{len(late)}件ある。\n\n"
        for no, row in late.iterrows():
            text += (f"- {_measure(review, no)}：目標 {fiscal_year_label(int(row['target_fy']))} → 記述 "
                     f"{fiscal_year_label(int(row['first_fy_mentioned']))}（{int(row['lag_years'])}年の遅れ）。"
                     f"根拠：「{_md(row['evidence'])}」\n")
        text += "\n"
    else:
        text += "目標より遅れて着手した施策はない。\n\n"
    sentences = []
    for category, words in (("on_schedule", "目標年度どおりに着手の記述がある施策"),
                            ("early", "目標年度より早く着手の記述がある施策"),
                            ("no_year_in_status", "状況に年度の記述がなく、着手時期を判断できない施策"),
                            ("not_implemented", f"{review.scale.lowest}（未実施）で着手していない施策")):
        numbers = progress.index[progress["category"] == category].tolist()
        if numbers:
            sentences.append(f"{words}は{len(numbers)}件（{_numbers(numbers)}）")
    return text + ("。".join(sentences) + "である。" if sentences else "")


def departments(review: PlanReview) -> str:
    """The department view: who carries the plan, who carries its gaps, which measures are shared."""
    table = review.by_department.set_index("department")
    n = len(review.measures)
    everywhere = table.index[table["n"] == n].tolist()
    text = ""
    if everywhere:
        text += f"{_join(map(_md, everywhere))}は全{n}施策を担当している。"
    lowest = review.scale.lowest
    total = int(review.overall[lowest].item())
    candidates = table.drop(index=everywhere)
    if total and len(candidates) and candidates[lowest].max() > 0:
        rating_of = dict(zip(review.measures["no"], review.measures["rating"]))
        most = candidates[lowest].max()
        for department in candidates.index[candidates[lowest] == most]:
            row = candidates.loc[department]
            numbers = [no for no in review.departments.loc[review.departments["department"] == department, "no"]
                       if rating_of[no] == lowest]
            text += (f"{'それ以外' if everywhere else '推進課別'}では、{_md(department)}が担当する{int(row['n'])}施策のうち"
                     f"{int(row[lowest])}件が{lowest}（未実施）で、計画全体の{lowest}{total}件のうち{int(row[lowest])}件を"
                     f"占める（{_numbers(numbers)}）。")
    elif total == 0:
        text += f"{lowest}（未実施）の施策はない。"
    shared = review.departments.groupby("no").size()
    shared = shared[shared > 1]
    text += f"複数の推進課が担当する施策は{len(shared)}件ある。"
    return text


def audit(review: PlanReview) -> str:
    """The consistency audit: ratings whose status text admits a gap (or reports work)."""
    flagged = review.audit
    if flagged.empty:
        return "評価と状況の記述の間に、食い違いを示す語は見つからなかった。"
    text = (f"評価と状況の記述が食い違う可能性のある施策が{flagged['no'].nunique()}件ある。"
            "評価は高いのに課題を認める記述（未実施・未設置・予定など）があるもの、"
            "または未実施なのに実施の記述があるものである。\n\n")
    for no, rows in flagged.groupby("no", sort=True):
        markers = _join(f"「{_md(marker)}」" for marker in rows["marker"])
        sentences = " ".join(_md(sentence) for sentence in dict.fromkeys(rows["sentence"]))
        text += f"- {_measure(review, no)}（評価 {rows['rating'].iloc[0]}）：{markers} ― {sentences}\n"
    return text


def priorities(review: PlanReview) -> str:
    """What to push in the second half: unimplemented and late measures, least time left first."""
    table = review.priorities
    if review.as_of_fy >= review.last_fy:
        remaining = "計画期間の終了後"
    elif review.as_of_fy + 1 == review.last_fy:
        remaining = f"残る計画期間（{fiscal_year_label(review.last_fy)}）"
    else:
        remaining = f"後半期（{fiscal_year_label(review.as_of_fy + 1)}〜{fiscal_year_label(review.last_fy)}）"
    if table.empty:
        return f"{remaining}に向けて、未実施または着手の遅れた施策はない。"
    not_done = int((table["category"] == "not_implemented").sum())
    late = int((table["category"] == "late").sum())
    text = (f"{remaining}に重点的に取り組むべき施策は、未実施の{not_done}件と着手が遅れた{late}件である。"
            f"各施策の予定期間（○・→の最終年度）の残りが少ない順に示す。\n\n")
    for _, row in table.iterrows():
        left = int(row["years_left"])
        until = f"予定期間 {fiscal_year_label(int(row['scheduled_until_fy']))}まで"
        when = f"{until}（{-left}年超過）" if left < 0 else (f"{until}（最終年度）" if left == 0 else f"{until}（残り{left}年）")
        state = "未実施" if row["category"] == "not_implemented" else f"着手{int(row['lag_years'])}年遅れ"
        text += f"- {_measure(review, int(row['no']))}：評価 {row['rating']}、{state}、{when}。推進課：{_md(row['departments'])}\n"
    return text


def section(key: str, review: PlanReview) -> str:
    """One section of the review with its heading, e.g. ``section("blocks", review)``."""
    writers = {"overview": overview, "blocks": blocks, "cohorts": cohorts, "plan_vs_actual": plan_vs_actual,
               "departments": departments, "audit": audit, "priorities": priorities}
    return f"## {SECTION_TITLES[key]}\n\n{writers[key](review).strip()}"


def midterm_review(review: PlanReview) -> str:
    """The whole review as Markdown, one section per heading of :data:`SECTION_TITLES`."""
    return "\n\n".join(section(key, review) for key in SECTION_TITLES)
