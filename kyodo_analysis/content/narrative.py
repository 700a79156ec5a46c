"""The midterm review in Japanese, written from the results: every number, name and list is computed.

The text is built as blocks of plain text (:class:`Block`: a paragraph, a list
item, a heading within a section, or a quotation from the table), and each medium
renders them in its own way: :func:`to_markdown`
for the notebooks (:func:`section` returns that Markdown), Word
runs and Typst content for the documents (:func:`section_blocks`). Nothing
here knows which city or plan it describes; run on another table, the text
says that table's own things. Every grade is named by its symbol and its
meaning on the review's :class:`~kyodo_analysis.ratings.RatingScale`, and
section headings come from :data:`kyodo_analysis.words.SECTION_TITLES`. In
Markdown every text goes through :func:`markdown_text`, so a text from the
data shows as typed and never makes a heading, a list, a link, HTML or math.

Examples
--------
>>> from kyodo_analysis.analysis.review import review_plan
>>> print(section("overview", review_plan(), heading=False).split("。")[1])
評価の内訳は ◎（達成）3件、○（概ね達成）8件、△（一部実施）4件、×（未実施）4件である
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from kyodo_analysis.analysis.audit import DEFAULT_MARKERS
from kyodo_analysis.analysis.review import PlanReview
from kyodo_analysis.content.catalog import review_chapters, section_keys
from kyodo_analysis.content.present import grade_label, group_labels, measure_list
from kyodo_analysis.era import fiscal_year_label
from kyodo_analysis.ratings import RatingScale
from kyodo_analysis.source.structure import number_text
from kyodo_analysis.validation import LINE_BREAK
from kyodo_analysis.words import (
    AS_OF_SOURCE,
    PLAN_FACTS,
    REVIEW_NAMES,
    SCALE_LEGEND,
    SECTION_TITLES,
    WORKBOOK_SHEETS,
    level_name,
)

__all__ = [
    "headline",
    "section",
    "section_blocks",
    "Block",
    "to_markdown",
    "midterm_review",
    "review_heading",
    "section_keys",
    "chapter_heading",
    "markdown_text",
    "markdown_code",
    "plain_text",
]

_TITLES = SECTION_TITLES["ja"]  # the narrative is written in Japanese
_HISTORY_SHEET = "history"  # the workbook sheet of every round's grades


#: What data text must not bring into Markdown, anywhere in a line: emphasis, code, links, tables, headings,
#: math (``$``), strikethrough, definition lists and URL or e-mail autolinks (``:``, ``@``, the dot of ``www.``).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]|#$:~@]|(?<=(?i:www))\.")
#: What makes a block when it begins a line: a list item (``-``, ``+``, ``1.``, ``1)``), a rule (``---``), or
#: indented code (leading spaces).
_BLOCK_START = re.compile(r"^(?:[-+]|\d{1,9}(?=[.)])|[^\S\x1f])")
#: A space at the end, which would keep a closing ``**`` from closing. (Not U+001F, a control character that a
#: character reference would drop; the readers refuse control characters anyway.)
_LAST_SPACE = re.compile(r"[^\S\x1f]$")


def _escape_special(match: re.Match) -> str:
    # a backslash as a character reference: escaped as \\ it would let \( … \) through as LaTeX math
    return "&#92;" if match.group() == "\\" else "\\" + match.group()


def _escape_block_start(match: re.Match) -> str:
    text = match.group()
    if text.isspace():
        return _character_reference(match)
    return text + "\\" if text[0].isdigit() else "\\" + text  # 1\. stays text; \- is no list item


def _character_reference(match: re.Match) -> str:
    return f"&#{ord(match.group())};"


def markdown_text(value: object) -> str:
    r"""Data text for Markdown, shown as typed: one line, HTML escaped, Markdown inert wherever it stands.

    Line breaks become spaces (a title or a name never starts a heading, a
    list or a rule); ``<``, ``>`` and ``&`` are HTML-escaped (a status holding
    ``<script>`` stays text); the characters that make emphasis, code, links,
    tables, headings, math or autolinks are backslash-escaped; the text's
    start is escaped where it would begin a list item or indented code, and a
    space at either end is written as a character reference.
    :func:`plain_text` gives the text back.

    Examples
    --------
    >>> print(markdown_text("<script>alert(1)</script> *太字*"))
    &lt;script&gt;alert(1)&lt;/script&gt; \*太字\*
    >>> print(markdown_text("計画\n# 見出し\n- 項目 [a](https://b.example)"))
    計画 \# 見出し - 項目 \[a\](https\://b.example)
    >>> print(markdown_text("1. 拠点$x^2$整備 \\(y\\)"))
    1\. 拠点\$x^2\$整備 &#92;(y&#92;)
    """
    text = LINE_BREAK.sub(" ", str(value))
    text = _MARKDOWN_SPECIAL.sub(_escape_special, html.escape(text, quote=False))
    return _LAST_SPACE.sub(_character_reference, _BLOCK_START.sub(_escape_block_start, text))


def markdown_code(value: object) -> str:
    """Data text as one Markdown code span (a file path), shown as typed: one line, fenced past its backticks.

    Examples
    --------
    >>> print(markdown_code("data/raw/plan.txt"), markdown_code("a`b"), markdown_code("`x"))
    `data/raw/plan.txt` ``a`b`` `` `x ``
    """
    text = LINE_BREAK.sub(" ", str(value))
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    padding = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


_ESCAPED = re.compile(r"\\(.)")


def plain_text(markdown: str) -> str:
    r"""The text of a line of the narrative's Markdown: escapes and character references undone, emphasis dropped.

    Examples
    --------
    >>> value = "1. <b>&amp;</b> $x$ \\(y\\) www.example"
    >>> plain_text(markdown_text(value)) == value
    True
    >>> plain_text("**北本市** \\- 計画")
    '北本市 - 計画'
    """
    return html.unescape(_ESCAPED.sub(r"\1", markdown.replace("**", "")))


#: The kinds of block, each rendered natively by every medium: Markdown, Word and Typst.
BLOCK_KINDS = ("paragraph", "item", "heading", "quote")


@dataclass(frozen=True)
class Block:
    """A block of plain text, as it reads: a ``paragraph``, a list ``item``, a ``heading`` within a section,
    or a ``quote`` of the table's own words (set apart; after an item, it belongs to that item)."""

    kind: str
    text: str

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r} (one of {', '.join(BLOCK_KINDS)})")


def _paragraph(text: str) -> list[Block]:
    """A paragraph of one line (a line break in a text from the data reads as a space), none for no text."""
    return [Block("paragraph", LINE_BREAK.sub(" ", text))] if text else []


def _item(text: str) -> Block:
    return Block("item", LINE_BREAK.sub(" ", text))


def _quote(text: str) -> Block:
    return Block("quote", LINE_BREAK.sub(" ", text))


def to_markdown(blocks: Sequence[Block], *, heading_level: int = 3) -> str:
    """The blocks as Markdown: paragraphs apart, consecutive items one list, a heading under the section's
    (``###``), a quotation as a block quote (inside the item it follows), every text escaped
    (:func:`markdown_text`).

    Examples
    --------
    >>> print(to_markdown([Block("paragraph", "評価*は*"), Block("item", "No.1"), Block("quote", "未設置。"),
    ...                    Block("item", "- No.2"), Block("heading", "評価が上がった施策")]))
    評価\\*は\\*
    <BLANKLINE>
    - No.1
    <BLANKLINE>
      > 未設置。
    - \\- No.2
    <BLANKLINE>
    ### 評価が上がった施策
    """
    chunks: list[str] = []
    in_list = False
    for block in blocks:
        line = markdown_text(block.text)
        if block.kind == "item":
            line = f"- {line}"
            if in_list:
                chunks[-1] += f"\n{line}"
                continue
            in_list = True
        elif block.kind == "quote" and in_list:  # part of the item above: indented under it
            chunks[-1] += f"\n\n  > {line}"
            continue
        else:
            in_list = False
            line = (f"{'#' * heading_level} {line}" if block.kind == "heading"
                    else f"> {line}" if block.kind == "quote" else line)
        chunks.append(line)
    return "\n\n".join(chunks)


def _fy(plan_review: PlanReview, fiscal_year: int) -> str:
    """A fiscal year as the plan's own table writes years: 平成22年度, or 2022年度 for a Western-year table."""
    return fiscal_year_label(fiscal_year, western=plan_review.western)


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _join(items: Iterable[str]) -> str:
    return "、".join(items)


#: How many measures one list of the narrative names at most; the workbook sheet it points to lists all.
MAX_LISTED = 10

#: A gap in the score index (points of 100) below which groups are said to differ little, never ranked.
SMALL_DIFFERENCE = 5.0


def _sheet(key: str) -> str:
    return f"集計表（Excel）の「{WORKBOOK_SHEETS['ja'][key]}」シート"


def _numbers(numbers: Iterable[int], *, max_listed: int | None = None, sheet: str = "measures") -> str:
    """``No.7、No.8、No.10``; beyond ``max_listed`` numbers, the count of the rest and where they are listed."""
    numbers = list(numbers)
    shown = numbers if max_listed is None else numbers[:max_listed]
    text = measure_list(shown)
    if len(numbers) > len(shown):
        text += f"ほか{len(numbers) - len(shown)}件（全件は{_sheet(sheet)}）"
    return text


def _bullets(lines: list[str], *, max_listed: int, sheet: str, quotes: Sequence[str] = ()) -> list[Block]:
    """List items, at most ``max_listed``, then one for the rest; ``quotes``: each item's quotation of the table."""
    items = []
    for index, line in enumerate(lines[:max_listed]):
        items += [_item(line)] + ([_quote(quotes[index])] if index < len(quotes) and quotes[index] else [])
    if len(lines) > max_listed:
        items.append(_item(f"ほか{len(lines) - max_listed}件は、{_sheet(sheet)}に一覧がある。"))
    return items


def _measure(plan_review: PlanReview, no: int) -> str:
    direction = plan_review.measures.loc[plan_review.measures["no"] == no, "direction"].item()
    return f"No.{no}「{direction}」"


def _grades(plan_review: PlanReview, row: pd.Series, *, skip_zero: bool = False) -> str:
    scale = plan_review.scale
    return _join(f"{_grade(scale, symbol)}{int(row[symbol])}件" for symbol in scale.symbols
                 if not (skip_zero and row[symbol] == 0))


_grade = grade_label  # a grade with its meaning on the scale: ×（未実施）


def _top_grades(scale: RatingScale) -> str:
    """The grades that count as implemented, each written as every grade is: ``上位の評価（◎（達成）・○（概ね達成））``."""
    return "上位の評価（" + "・".join(_grade(scale, symbol) for symbol in scale.implemented) + "）"


def review_heading(plan_review: PlanReview) -> str:
    """The review page's heading, named for its time (中間評価, or 最終評価 as of the plan's last year), and a line
    on where its words come from."""
    name = REVIEW_NAMES["ja"][plan_review.kind]
    what = "計画期間の総括" if plan_review.kind == "final" else "計画期間の中間での進捗の確認"
    return (f"# {name}\n\n計画の{name}（{what}）の本文です。文章の数値・施策名・一覧は、すべて原表のデータから"
            "計算したもので、手で入力した値はありません。")


def headline(plan_review: PlanReview) -> str:
    """One line naming the plan, its period, the review year and the number of measures."""
    return (f"**{markdown_text(plan_review.title)}**　計画期間 {_fy(plan_review, plan_review.first_fy)}〜{_fy(plan_review, plan_review.last_fy)}"
            f"　{_fy(plan_review, plan_review.as_of)}時点　施策{len(plan_review.measures)}件")


def _overview(plan_review: PlanReview) -> list[Block]:
    """n, the counts per grade, the implemented share and the score index."""
    scale = plan_review.scale
    row = plan_review.overall.iloc[0]
    grades = _join(f"{symbol}（{label}）{int(row[symbol])}件" for symbol, label in zip(scale.symbols, scale.labels_ja))
    implemented = int(row[list(scale.implemented)].sum())
    lowest = int(row[scale.lowest])
    text = (
        f"「{plan_review.title}」の施策{int(row['n'])}件（計画期間：{_fy(plan_review, plan_review.first_fy)}〜"
        f"{_fy(plan_review, plan_review.last_fy)}）について、{_fy(plan_review, plan_review.as_of)}時点の状況をまとめる。"
        f"評価の内訳は {grades}である。"
        f"{_top_grades(scale)}は{implemented}件（{_percent(row['implemented_share'])}）、"
        f"最も低い評価の{_grade(scale, scale.lowest)}は{lowest}件（{_percent(row['not_implemented_share'])}）で、"
        f"評価点（100点換算）は{row['score_index']:.1f}である。"
    )
    return _paragraph(text)


def _plan(plan_review: PlanReview) -> list[Block]:
    """What the review covers: the plan, its period and the review year, the structure of its measures, the
    departments that carry them, and their target years."""
    n = len(plan_review.measures)
    text = (f"本書は、「{plan_review.title}」（計画期間：{_fy(plan_review, plan_review.first_fy)}〜"
            f"{_fy(plan_review, plan_review.last_fy)}）に掲げた施策{n}件について、{_fy(plan_review, plan_review.as_of)}"
            f"時点の実施状況をまとめた{REVIEW_NAMES['ja'][plan_review.kind]}である。")
    if plan_review.structured:
        levels = [f"{level_name(level)}{plan_review.measures[level].nunique()}件" for level in plan_review.levels]
        text += f"施策は、施策体系のファイルにより{_join(levels)}に体系化されている。"
    else:
        blocks = plan_review.measures["block"].nunique()
        text += f"原表は施策を{blocks}区分に分けて掲げている。" if blocks > 1 else ""
    departments = plan_review.by_department["department"].astype(str).tolist()
    named = [name for name in departments if name != "全課"]
    text += f"施策を推進する課として、{len(named)}課{'と「全課」' if len(named) < len(departments) else ''}が挙がっている。"
    years = plan_review.by_target_fy
    text += ("実施目標年度（原表の○印）は、" + _join(f"{_fy(plan_review, int(fy))} {int(count)}件"
                                                  for fy, count in zip(years["target_fy"], years["n"])) + "である。")
    return _paragraph(text)


def _method(plan_review: PlanReview) -> list[Block]:
    """How the review reads the table: its source, the grades and their scores, the score index, the reading of
    start years, and the method's limits."""
    scale = plan_review.scale
    text = (f"原表は、施策ごとに推進課、{_fy(plan_review, plan_review.as_of)}時点の施策実施状況（文章）と"
            f"{len(scale)}段階の評価（記号）を記載している。本書は、これを集計し、文章と評価を照らし合わせたものである。")
    if plan_review.as_of_source != "given":
        text += f"評価時点について、{AS_OF_SOURCE[plan_review.as_of_source]}。"
    legend = f"{SCALE_LEGEND['assumed' if scale.meanings_assumed else 'given']}。評価記号と得点は次のとおりとした。"
    grades = [f"{symbol}：{label}（{score}点）"
              for symbol, label, score in zip(scale.symbols, scale.labels_ja, scale.scores)]
    score = (f"評価点（100点換算）は、各施策の評価を得点にした平均を、{scale.symbols[0]}を100点、{scale.lowest}を0点として"
             f"換算した値であり、{len(scale)}段階の評価の間隔を等しいとみなしている。{_top_grades(scale)}の施策の割合と、"
             f"最も低い評価（{_grade(scale, scale.lowest)}）の施策の割合もあわせて示す。")
    undetermined = int((plan_review.progress["category"] == "undetermined").sum())
    start = ("着手年度は状況欄の記述から読み取る（着手年度（記載上））。施策の方向性が示す施策の対象に触れた文を先に読む。"
             "予定・検討する・見込みなど、計画や意向を示す語が後に続く年度は着手とみなさず、整備されていない・至って"
             "いないなど、まだ整っていないことを示す文の年度も着手とみなさない。記述から着手年度を判断できない施策"
             f"（{undetermined}件）は、推測せず「判断できない」とした。")
    limits = ("この方法には限りがある。評価は原表の記号をそのまま用いており、評価の基準は原表による。着手年度は文章の"
              "記載によるもので、実際の着手時期と異なる場合がある。評価と記述の整合性は文章中の語による点検であり、"
              "食い違いの有無は推進課への確認を要する。")
    return [*_paragraph(text + legend), *(_item(line) for line in grades), *_paragraph(score), *_paragraph(start),
            *_paragraph(limits)]


def _measures(plan_review: PlanReview) -> list[Block]:
    """Where every measure is listed with its grade, period, start and status."""
    return _paragraph(f"全{len(plan_review.measures)}件の施策の評価、実施期間（実施目標年度と継続年度）、着手年度（記載上）と"
                      "施策実施状況（原表のまま）を、報告書の付表「全施策の一覧」に示す。")


def _scores(table: pd.DataFrame, column: str, labels: dict, *, max_listed: int) -> str:
    """``A 61.9（7件）、B 28.6（7件）``, at most ``max_listed`` groups."""
    parts = [f"{labels.get(value, value)} {row['score_index']:.1f}（{int(row['n'])}件）"
             for value, (_, row) in zip(table[column], table.iterrows())]
    text = _join(parts[:max_listed])
    return text + (f"ほか{len(parts) - max_listed}区分" if len(parts) > max_listed else "")


def _implemented_count(plan_review: PlanReview, row: pd.Series) -> str:
    """``全7件が◎・○`` or ``7件のうち5件が◎・○``."""
    top = "・".join(plan_review.scale.implemented)
    implemented, n = int(row[list(plan_review.scale.implemented)].sum()), int(row["n"])
    return f"全{n}件が{top}" if implemented == n else f"{n}件のうち{implemented}件が{top}"


def _level(plan_review: PlanReview, level: str, *, max_listed: int) -> str:
    """One level of the plan's structure: its strongest and weakest groups, and why."""
    table, min_compared = plan_review.by_level[level], plan_review.min_compared
    labels = group_labels(plan_review.measures, level, "ja")
    name = level  # a level of the plan's structure is named as its file names it
    if len(table) < 2:
        return f"すべての施策が{name}「{table[level].iloc[0]}」に属し、{name}の間の比較はできない。"
    compared = table[table["n"] >= min_compared]
    small = table[table["n"] < min_compared]
    overall = plan_review.overall["score_index"].item()
    if len(compared) < 2 or compared["score_index"].nunique() == 1:
        text = (f"{name}別の評価点は、{_scores(table, level, labels, max_listed=max_listed)}である"
                f"（計画全体は{overall:.1f}）。")
        return text + (f"{min_compared}件以上の施策を含む{name}の間に差がないため、優劣は述べない。" if len(compared) >= 2
                       else f"{min_compared}件以上の施策を含む{name}が2つに満たないため、優劣は述べない。")
    best_value, worst_value = compared["score_index"].max(), compared["score_index"].min()
    best = compared[compared["score_index"] == best_value]
    worst = compared[compared["score_index"] == worst_value]
    text = (f"{name}別の評価点は、{_scores(table, level, labels, max_listed=max_listed)}である"
            f"（計画全体は{overall:.1f}）。")
    gap = best_value - worst_value
    if gap < SMALL_DIFFERENCE:
        return text + (f"{min_compared}件以上の施策を含む{name}の間の差は最大{gap:.1f}ポイントで、差は小さい。")
    best_names, worst_names = (_join(str(labels[v]) for v in best[level]), _join(str(labels[v]) for v in worst[level]))
    if len(compared) == 2:
        text += f"{best_names}は{worst_names}より{gap:.1f}ポイント高い。"
    else:
        text += f"{min_compared}件以上の施策を含む{name}では、{best_names}が最も高く、{worst_names}が最も低い。"
    lowest, latest = plan_review.scale.lowest, plan_review.measures["target_fy"].max()
    for _, row in worst.head(max_listed).iterrows():
        members = plan_review.measures[plan_review.measures[level] == row[level]]
        numbers = members.loc[members["rating"] == lowest, "no"].tolist()
        text += f"{labels[row[level]]}の施策{int(row['n'])}件の評価は {_grades(plan_review, row, skip_zero=True)}"
        text += f"で、{lowest}は{_numbers(numbers, max_listed=max_listed)}である。" if numbers else "である。"
        cohort_sizes = members["target_fy"].value_counts().sort_index()
        common_fy, count = cohort_sizes.idxmax(), cohort_sizes.max()
        if count > len(members) / 2:
            share = f"全{count}件" if count == len(members) else f"{len(members)}件のうち{count}件"
            text += f"この{name}は{share}の実施目標年度が{_fy(plan_review, int(common_fy))}で"
            text += "、計画の中で最も遅い目標年度に集中している。" if common_fy == latest else "ある。"
    for _, row in best.head(max_listed).iterrows():
        text += (f"{labels[row[level]]}は{_implemented_count(plan_review, row)}で、"
                 f"{_top_grades(plan_review.scale)}の割合が{_percent(row['implemented_share'])}と高い。")
    if len(small):
        names = _join(f"{labels[v]}（{int(n)}件）" for v, n in zip(small[level][:max_listed], small["n"]))
        more = f"ほか{len(small) - max_listed}区分" if len(small) > max_listed else ""
        text += f"施策が{min_compared}件に満たない{name}（{names}{more}）は、最も高い・低いの比較から除いた。"
    return text


def _groups(plan_review: PlanReview, *, max_listed: int) -> list[Block]:
    """The groups of measures: the plan's own structure when given, else the table's sections, described as layout."""
    if plan_review.structured:
        return [block for level in plan_review.levels for block in _paragraph(_level(plan_review, level,
                                                                                      max_listed=max_listed))]
    table = plan_review.by_level["block"]
    labels = group_labels(plan_review.measures, "block", "ja")
    return _paragraph(f"原表の見出し行ごとに区切られた表の区分（{len(table)}区分）について、評価点は"
            f"{_scores(table, 'block', labels, max_listed=max_listed)}である。"
            "ただし、区分は原表の体裁（ページの区切りなど）に従うもので、計画の施策体系を表すとは限らないため、"
            "区分どうしの比較から施策の内容についての結論は引き出さない。"
            "施策体系（基本目標・基本方針など）を施策番号と対応づけたファイルがあれば、その区分で比べられる。")


def _cohorts(plan_review: PlanReview, *, max_listed: int) -> list[Block]:
    """The cohort effect: how the rating changes with the target year (a trend needs three or more years)."""
    table = plan_review.by_target_fy.sort_values("target_fy")
    parts = [f"{_fy(plan_review, int(row['target_fy']))}目標 {row['score_index']:.1f}（{int(row['n'])}件）"
             for _, row in table.iterrows()]
    more = f"ほか{len(parts) - max_listed}年度（全件は{_sheet('by_target_fy')}）" if len(parts) > max_listed else ""
    text = f"実施目標年度ごとの評価点は、{_join(parts[:max_listed])}{more}である。"
    values = table["score_index"].tolist()
    falling = all(a > b for a, b in zip(values, values[1:]))
    rising = all(a < b for a, b in zip(values, values[1:]))
    if len(values) < 2:
        text += "目標年度は1つのみで、年度による比較はできない。"
    elif len(values) == 2:
        direction = "低い" if falling else ("高い" if rising else "同じ")
        text += (f"目標年度は2つのみで、遅い年度を目標とする施策の評価が{direction}が、"
                 "2つの年度の差から傾向は判断できない。")
    elif falling:
        text += ("実施目標年度が遅い施策ほど評価が低い。ただし、目標年度が遅い施策ほど、"
                 "評価時点までに取り組めた期間が短いことに留意が必要である。")
    elif rising:
        text += "実施目標年度が遅い施策ほど評価が高い。"
    else:
        text += "目標年度と評価の間に一貫した傾向は見られない。"
    lowest = plan_review.scale.lowest
    total = int(table[lowest].sum())
    if total:
        years = table[table[lowest] > 0]
        grade = _grade(plan_review.scale, lowest)
        if total == 1:
            text += f"{grade}の1件は、{_fy(plan_review, int(years['target_fy'].iloc[0]))}が目標の施策である。"
        elif len(years) == 1:
            text += f"{grade}の{total}件は、すべて{_fy(plan_review, int(years['target_fy'].iloc[0]))}が目標の施策である。"
        else:
            by_year = _join(f"{_fy(plan_review, int(fy))}{int(n)}件" for fy, n in zip(years["target_fy"], years[lowest]))
            text += f"{grade}の{total}件の目標年度は、{by_year}である。"
    return _paragraph(text)


def _plan_vs_actual(plan_review: PlanReview, *, max_listed: int) -> list[Block]:
    """The late starts with their lags and evidence, and the other categories."""
    progress = plan_review.progress.set_index("no")
    late = progress[progress["category"] == "late"]
    blocks = _paragraph(f"状況欄の記述から読み取った着手年度（着手年度（記載上）。読み取り方は「{_TITLES['method']}」に"
                        "示す）を、実施目標年度（表中の○印の年度）と比べる。")
    if len(late):
        lags = late["lag_years"].astype(int).value_counts().sort_index()
        by_lag = "" if len(late) < 2 else (
            f"遅れの年数別では、{_join(f'{int(lag)}年遅れ{int(n)}件' for lag, n in lags.items())}である。")
        blocks += _paragraph(f"目標より遅れて着手した施策は{len(late)}件ある。{by_lag}")
        lines = [f"{_measure(plan_review, no)}：目標 {_fy(plan_review, int(row['target_fy']))} → 着手 "
                 f"{_fy(plan_review, int(row['start_fy']))}（{int(row['lag_years'])}年の遅れ）。"
                 f"根拠：「{row['evidence']}」" for no, row in late.iterrows()]
        blocks += _bullets(lines, max_listed=max_listed, sheet="progress")
    else:
        blocks += _paragraph("目標より遅れて着手した施策はない。")
    not_started = progress[progress["category"] == "not_started"]
    if len(not_started):
        blocks += _paragraph("状況欄の記述では、施策の対象がまだ予定や未整備の段階にあり、着手していないと読める施策は"
                             f"{len(not_started)}件ある。")
        ratings = plan_review.measures.set_index("no")["rating"]
        lines = [f"{_measure(plan_review, no)}：目標 {_fy(plan_review, int(row['target_fy']))}、評価"
                 f"{_grade(plan_review.scale, str(ratings[no]))}。根拠：「{row['evidence']}」"
                 for no, row in not_started.iterrows()]
        blocks += _bullets(lines, max_listed=max_listed, sheet="progress")
    sentences = []
    for category, words in (("on_schedule", "目標年度どおりに着手の記述がある施策"),
                            ("early", "目標年度より早く着手の記述がある施策"),
                            ("undetermined", "記述からは着手年度を判断できない施策"),
                            ("not_implemented",
                             f"最も低い評価の{_grade(plan_review.scale, plan_review.scale.lowest)}で、着手時期を比べない施策")):
        numbers = progress.index[progress["category"] == category].tolist()
        if numbers:
            sentences.append(f"{words}は{len(numbers)}件（{_numbers(numbers, max_listed=max_listed, sheet='progress')}）")
    return blocks + _paragraph("。".join(sentences) + "である。" if sentences else "")


def _departments(plan_review: PlanReview, *, max_listed: int) -> list[Block]:
    """The departments: the coordinator (主管課) and 全課 apart, then a fair comparison of the others."""
    table, scale, min_compared = plan_review.by_department, plan_review.scale, plan_review.min_compared
    lowest, n_measures = scale.lowest, len(plan_review.measures)
    text = ""
    for _, row in table[table["role"] == "coordinator"].iterrows():
        text += (f"{row['department']}は全{n_measures}件の施策を担当する主管課であり、その評価は計画全体と同じため、"
                 "推進課の比較には含めない。")
    for _, row in table[table["role"] == "all"].iterrows():
        numbers = plan_review.departments.loc[plan_review.departments["department"] == row["department"], "no"]
        text += (f"{row['department']}（すべての課）が担当する施策は{int(row['n'])}件"
                 f"（{_numbers(sorted(numbers), max_listed=max_listed, sheet='departments')}）で、評価は "
                 f"{_grades(plan_review, row, skip_zero=True)}である。全課は一つの課ではないため、比較には含めない。")
    others = table[table["role"] == "department"]
    compared, small = others[others["n"] >= min_compared], others[others["n"] < min_compared]
    if len(compared) >= 2 and compared["score_index"].nunique() > 1:
        best = compared[compared["score_index"] == compared["score_index"].max()]
        worst = compared[compared["score_index"] == compared["score_index"].min()]
        text += (f"{min_compared}件以上の施策を担当する{len(compared)}課の評価点は、"
                 f"{_join(f'{d}（{int(n)}件）' for d, n in zip(best['department'][:max_listed], best['n']))}が"
                 f"{best['score_index'].iloc[0]:.1f}で最も高く、"
                 f"{_join(f'{d}（{int(n)}件）' for d, n in zip(worst['department'][:max_listed], worst['n']))}が"
                 f"{worst['score_index'].iloc[0]:.1f}で最も低い。")
    elif len(compared) == 1:
        text += f"{min_compared}件以上の施策を担当する推進課は{compared['department'].iloc[0]}のみである。"
    elif len(others):
        text += f"{min_compared}件以上の施策を担当する推進課はなく、推進課の優劣は述べない。"
    total = int(plan_review.overall[lowest].item())
    if total and len(compared) and compared[lowest].max() > 0:
        most = compared[compared[lowest] == compared[lowest].max()]
        rating_of = dict(zip(plan_review.measures["no"], plan_review.measures["rating"]))
        parts = []
        coordinators = table.loc[table["role"] == "coordinator", "department"].tolist()
        target_of = dict(zip(plan_review.measures["no"], plan_review.measures["target_fy"]))
        shared = plan_review.departments.groupby("no")["department"].apply(list)
        for _, row in most.head(max_listed).iterrows():
            numbers = [no for no in plan_review.departments.loc[
                plan_review.departments["department"] == row["department"], "no"] if rating_of[no] == lowest]
            part = (f"{row['department']}が担当する施策{int(row['n'])}件のうち{int(row[lowest])}件が"
                    f"{_grade(scale, lowest)}で、計画全体の{lowest}{total}件のうち{int(row[lowest])}件を占める"
                    f"（{_numbers(numbers, max_listed=max_listed)}）")
            partners = set.intersection(*(set(shared[no]) - {row["department"]} for no in numbers))
            if coordinators and all(coordinator in partners for coordinator in coordinators):
                part += f"。いずれも{_join(coordinators)}との共管である"
            elif partners:
                part += f"。いずれも{_join(sorted(partners))}との共管である"
            targets = {int(target_of[no]) for no in numbers}
            if len(targets) == 1 and len(numbers) > 1:
                fy = targets.pop()
                later = "で、計画の中で最も遅い目標年度" if fy == plan_review.measures["target_fy"].max() else ""
                part += f"。実施目標年度はいずれも{_fy(plan_review, fy)}{later}であり、担当課の違いより目標年度の共通点が大きい"
            parts.append(part)
        text += ("" if len(compared) == 1 else "比較する推進課のうち、") + "。また、".join(parts) + "。"
    elif total == 0:
        text += f"{_grade(scale, lowest)}の施策はない。"
    if len(small):
        names = _join(f"{d}（{int(n)}件）" for d, n in zip(small["department"][:max_listed], small["n"]))
        more = f"ほか{len(small) - max_listed}課" if len(small) > max_listed else ""
        text += (f"担当する施策が{min_compared}件に満たない{len(small)}課（{names}{more}）は、"
                 "件数が少なく評価の割合が大きく振れるため、比較しない。")
    shared = plan_review.departments.groupby("no").size()
    text += f"複数の推進課が担当する施策は{int((shared > 1).sum())}件ある。"
    return _paragraph(text)


def _audit(plan_review: PlanReview, *, max_listed: int) -> list[Block]:
    """The consistency audit: ratings whose status text admits a gap (or reports work)."""
    flagged = plan_review.audit
    if flagged.empty:
        return _paragraph("評価と状況の記述の間に、食い違いを示す語は見つからなかった。")
    scale = plan_review.scale
    found = _join(f"「{marker}」" for marker in dict.fromkeys(flagged["marker"]))  # the few marker words
    negative = _join(f"「{word}」" for word in DEFAULT_MARKERS.negative)
    text = (f"状況欄に未実施の事項を示す語がある施策は{flagged['no'].nunique()}件ある。{_top_grades(scale)}の施策の"
            f"状況欄から{negative}を、最も低い評価{_grade(scale, scale.lowest)}の施策の状況欄から実施を報告する語を探した。"
            f"見つかった語は{found}である。これは語による目安で、語を含まない未実施の事項は見落とし、"
            "すでに行った事項を誤って挙げることもある。")
    lines, quotes = [], []
    for no, rows in flagged.groupby("no", sort=True):
        markers = _join(f"「{marker}」" for marker in rows["marker"])
        lines.append(f"{_measure(plan_review, no)}：評価 {_grade(scale, str(rows['rating'].iloc[0]))}、該当語 {markers}")
        quotes.append(" ".join(str(sentence) for sentence in dict.fromkeys(rows["sentence"])))
    return _paragraph(text) + _bullets(lines, max_listed=max_listed, sheet="audit", quotes=quotes)


def _since_target(years: int) -> str:
    if years > 0:
        return f"{years}年経過"
    return "目標年度は評価年度" if years == 0 else f"目標年度まであと{-years}年"


def _planned(plan_review: PlanReview, row: pd.Series) -> str:
    """A priority's schedule: ``目標 平成20年度（2年経過）``, or its planned period (表中の○印から最後の→印まで)
    and whether the review year falls inside it: ``予定期間 平成21年度〜平成22年度（評価時点は予定期間内）``."""
    start, until = int(row["target_fy"]), int(row["scheduled_until_fy"])
    if until == start:
        return f"目標 {_fy(plan_review, start)}（{_since_target(int(row['years_since_target']))}）"
    past = int(row["years_past_period"])
    where = "評価時点は予定期間内" if past <= 0 else f"予定期間の終了から{past}年経過"
    return f"予定期間 {_fy(plan_review, start)}〜{_fy(plan_review, until)}（{where}）"


def _priorities(plan_review: PlanReview, *, max_listed: int) -> list[Block]:
    """What to push in the second half, by need: the low grades first, then the top grades whose text admits a gap."""
    table, scale = plan_review.priorities, plan_review.scale
    if plan_review.as_of >= plan_review.last_fy:
        remaining = "計画期間の終了後"
    elif plan_review.as_of + 1 == plan_review.last_fy:
        remaining = f"残る計画期間（{_fy(plan_review, plan_review.last_fy)}）"
    else:
        remaining = f"後半期（{_fy(plan_review, plan_review.as_of + 1)}〜{_fy(plan_review, plan_review.last_fy)}）"
    top = "・".join(scale.implemented)
    low_grades = "・".join(scale.symbols[len(scale.implemented):])
    blocks: list[Block] = []
    if table.empty:
        text = (f"{remaining}に向けて、重点的に取り組むべき施策はない。すべての施策が{top}の評価で、"
                "状況の記述が課題を認めるものもない。")
    else:
        low = table[table["reason"] == "low_grade"]
        gap = table[table["reason"] == "audit"]
        text = f"{remaining}に向けて取り組みを強めるべき施策として、次の{len(table)}件を挙げる。"
        if len(low):
            text += (f"{'まず、' if len(gap) else ''}評価が{low_grades}の{len(low)}件を、評価の低い順に、"
                     "同じ評価では予定期間（表中の○印から最後の→印まで）の終了から長く経過したものから示す。")
            lines = [f"{_measure(plan_review, int(row['no']))}：評価 {_grade(scale, row['rating'])}、"
                     f"{_planned(plan_review, row)}。推進課：{row['departments']}" for _, row in low.iterrows()]
            blocks += _paragraph(text) + _bullets(lines, max_listed=max_listed, sheet="priorities")
            text = ""
        if len(gap):
            text += (f"{'次に、' if len(low) else ''}評価は{top}だが、状況欄に未実施の事項を示す語がある施策が"
                     f"{len(gap)}件ある（「{_TITLES['audit']}」を参照）。")
            lines = [f"{_measure(plan_review, int(row['no']))}：評価 {_grade(scale, row['rating'])}。"
                     f"「{row['evidence']}」推進課：{row['departments']}" for _, row in gap.iterrows()]
            blocks += _paragraph(text) + _bullets(lines, max_listed=max_listed, sheet="priorities")
            text = ""
    done = plan_review.late_but_done
    progress = plan_review.progress
    ratings = plan_review.measures.set_index("no")["rating"]
    late_top = [int(no) for no in progress.loc[progress["category"] == "late", "no"]
                if str(ratings[no]) in scale.implemented]
    if late_top:
        listed = [no for no in late_top if no in set(table["no"])]
        text += f"着手が目標より遅れたが、評価が{top}の施策は{len(late_top)}件（{_numbers(late_top, max_listed=max_listed)}）ある。"
        if listed:
            text += f"このうち{_numbers(listed, max_listed=max_listed)}は、状況欄に未実施の事項を示す語があるため上に挙げた。"
        if len(done):
            grades = _join(_grade(scale, symbol) for symbol in scale.implemented
                           if symbol in {str(ratings[no]) for no in done["no"]})
            text += (f"{_numbers(done['no'], max_listed=max_listed, sheet='progress')}は、遅れて着手したものの評価が"
                     f"{grades}で、状況欄にも未実施の事項を示す語がないため、重点施策には含めない。")
    return blocks + _paragraph(text)


def _changes(plan_review: PlanReview, *, max_listed: int) -> list[Block]:
    """The comparison with the previous round: how many measures rose, fell or stayed, and which (none without one)."""
    rounds = plan_review.rounds
    if rounds is None:
        return []
    table, scale = rounds.changes, plan_review.scale
    counts = table["change"].value_counts()
    up, down, same = (int(counts.get(change, 0)) for change in ("↑", "↓", "→"))
    overall = rounds.overall.iloc[0]
    text = (f"前回（{_fy(plan_review, rounds.previous_as_of)}時点）と比べると、両方の回にある施策{up + down + same}件のうち、"
            f"評価が上がった施策は{up}件、下がった施策は{down}件、変わらない施策は{same}件である。"
            f"評価点は{overall['score_index_before']:.1f}から{overall['score_index_after']:.1f}に"
            f"{'上がった' if overall['score_index_change'] > 0 else ('下がった' if overall['score_index_change'] < 0 else '変わらなかった')}。")
    for change, words in (("new", "今回新たに加わった施策"), ("dropped", "今回の表にない施策")):
        numbers = table.loc[table["change"] == change, "no"].tolist()
        if numbers:
            text += f"{words}は{len(numbers)}件（{_numbers(numbers, max_listed=max_listed, sheet='changes')}）。"
    blocks = _paragraph(text)
    for change, heading in (("↑", "評価が上がった施策"), ("↓", "評価が下がった施策")):
        rows = table[table["change"] == change]
        if len(rows):
            lines = [f"{_measure(plan_review, int(row['no']))}：{_grade(scale, row['rating_before'])} → "
                     f"{_grade(scale, row['rating_after'])}" for _, row in rows.iterrows()]
            blocks += [Block("heading", f"{heading}（{len(rows)}件）")] + _bullets(lines, max_listed=max_listed,
                                                                                 sheet="changes")
    return blocks


def _history(plan_review: PlanReview, *, max_listed: int) -> list[Block]:
    """Every round (the 推移): the score index round by round, and the measures that rose or fell over the span."""
    from kyodo_analysis.content.catalog import round_names

    history = plan_review.history
    if history is None:
        return []
    names = round_names(plan_review)
    plan = history.score_index.iloc[0]
    path = "→".join(f"{plan[column]:.1f}" for column in history.columns)
    text = (f"{len(names)}回の評価（{_join(names)}）を比べると、計画全体の評価点は{path}と推移した。"
            f"最初の回（{names[0]}）と比べて評価が上がった施策は{len(history.rose)}件"
            f"{f'（{_numbers(history.rose, max_listed=max_listed, sheet=_HISTORY_SHEET)}）' if history.rose else ''}、"
            f"下がった施策は{len(history.fell)}件"
            f"{f'（{_numbers(history.fell, max_listed=max_listed, sheet=_HISTORY_SHEET)}）' if history.fell else ''}である。")
    return _paragraph(text)


def _indicators(plan_review: PlanReview, *, max_listed: int) -> list[Block]:
    """The outcome indicators: the rule, the count per grade, and the lowest-graded (capped like every list)."""
    from kyodo_analysis.analysis.indicators import SCHEMES

    table = plan_review.indicators
    if table is None:
        return []
    scheme = SCHEMES[plan_review.indicator_scheme]
    counts = table["grade"].value_counts()
    grades = _join(f"{grade}（{meaning}）{int(counts.get(grade, 0))}件"
                   for grade, meaning in zip(scheme.grades, scheme.meanings))
    text = (f"成果指標{len(table)}件を、{scheme.name}の基準で{_fy(plan_review, plan_review.as_of)}時点の実績値（それまでの"
            f"最新の値）により判定した。判定の内訳は {grades}である。")
    if scheme.key == "pace":
        text += ("判定の目安は、基準年度から目標年度までの期間のうち評価時点までに経過した割合（期待される進捗率）で、"
                 "進捗率（目標までの改善の割合）がそれ以上なら順調とした。")
        periods = table[["baseline_fy", "target_fy", "expected"]].drop_duplicates()
        if len(periods) == 1:  # one period for every indicator: one pace, said with its years
            baseline_fy, target_fy, expected = periods.iloc[0]
            text += (f"どの指標も{_fy(plan_review, int(baseline_fy))}から{_fy(plan_review, int(target_fy))}までで、"
                     f"期待される進捗率は{expected:.2f}である。")
        else:
            text += f"期間は指標ごとに異なり、期待される進捗率は{_sheet('indicators')}に示す。"
    # the lowest grade that any measurable indicator has (the best one names none)
    worst = [grade for grade in scheme.grades[1:-1][::-1] if counts.get(grade, 0)][:1]
    low = table[table["grade"].astype("str").isin(worst)]
    blocks = _paragraph(text)
    if len(low):
        # the values as a person types them: 1234567, not 1.23457e+06
        lines = [f"{row['name']}：基準値 {number_text(row['baseline'])}{row['unit']}"
                 f"（{_fy(plan_review, int(row['baseline_fy']))}）、"
                 f"目標値 {number_text(row['target'])}{row['unit']}（{_fy(plan_review, int(row['target_fy']))}）、"
                 f"実績値 {number_text(row['actual'])}{row['unit']}（{_fy(plan_review, int(row['actual_fy']))}）"
                 + (f"（関連施策 {measure_list(row['measure_nos'])}）" if row["measure_nos"] else "")
                 for _, row in low.iterrows()]
        blocks += _paragraph(f"最も低い判定（{worst[0]}）の指標は{len(low)}件である。")
        blocks += _bullets(lines, max_listed=max_listed, sheet="indicators")
    if plan_review.indicators_by_group is not None and plan_review.structured:
        blocks += _indicator_groups(plan_review, scheme, max_listed=max_listed)
    return blocks


def _indicator_groups(plan_review: PlanReview, scheme, *, max_listed: int) -> list[Block]:
    """The indicators' grades per group of the plan's broadest level: how many each group has, of which grade."""
    level = plan_review.levels[0]
    name, table, by_group = level_name(level), plan_review.indicators, plan_review.indicators_by_group
    labels = group_labels(plan_review.measures, level, "ja")
    untied = int((table["groups"].map(len) == 0).sum())
    several = int((table["groups"].map(len) > 1).sum())
    text = (f"{name}別に見ると、成果指標のある{name}は{len(by_group)}件である"
            + (f"（複数の{name}に関連する指標{several}件は、それぞれに数えた）" if several else "")
            + (f"。どの{name}にも関連づけられていない指標が{untied}件ある" if untied else "") + "。")
    lines = [f"{labels[row[level]]}：{row['n_indicators']}件（"
             + _join(f"{grade} {int(row[grade])}件" for grade in scheme.grades if row[grade]) + "）"
             for _, row in by_group.iterrows()]
    return _paragraph(text) + _bullets(lines, max_listed=max_listed, sheet="indicators")


def section_blocks(key: str, plan_review: PlanReview, *, max_listed: int = MAX_LISTED) -> list[Block]:
    """One section of the review (a key of :data:`~kyodo_analysis.words.SECTION_TITLES`) as blocks of plain text.

    Each list names at most ``max_listed`` measures, then the count of the rest
    and the workbook sheet that lists them all.
    """
    simple = {"overview": _overview, "plan": _plan, "method": _method, "measures": _measures}
    if key in simple:
        return simple[key](plan_review)
    writers = {"groups": _groups, "cohorts": _cohorts, "plan_vs_actual": _plan_vs_actual,
               "departments": _departments, "audit": _audit, "priorities": _priorities, "changes": _changes,
               "history": _history, "indicators": _indicators}
    return writers[key](plan_review, max_listed=max_listed)


def section(key: str, plan_review: PlanReview, *, max_listed: int = MAX_LISTED, heading: bool = True) -> str:
    """One section of the review as Markdown, with its heading unless ``heading=False``.

    ``key`` is a key of :data:`~kyodo_analysis.words.SECTION_TITLES`, e.g.
    ``section("groups", plan_review)``; a notebook that has a heading of its own
    shows ``section("overview", plan_review, heading=False)``.
    """
    blocks = section_blocks(key, plan_review, max_listed=max_listed)
    if not heading:
        return to_markdown(blocks)
    chapter = next(chapter for chapter in review_chapters(plan_review) if key in
                   {shown.key for shown in chapter.sections})
    level = 2 if len(chapter.sections) == 1 else 3  # a chapter's one section, or one of its sections
    title = next(shown.title for shown in chapter.sections if shown.key == key)
    return f"{'#' * level} {title}\n\n{to_markdown(blocks, heading_level=level + 1)}"


def chapter_heading(key: str, plan_review: PlanReview) -> str:
    """The Markdown heading of a chapter that holds several sections (``## 3　全体の評価``); each section then
    shows its own (:func:`section`).

    Examples
    --------
    >>> from kyodo_analysis.analysis.review import review_plan
    >>> print(chapter_heading("overall", review_plan()))
    ## 3　全体の評価
    """
    return f"## {next(chapter.title for chapter in review_chapters(plan_review) if chapter.key == key)}"


def midterm_review(plan_review: PlanReview, *, max_listed: int = MAX_LISTED) -> str:
    """The whole review as Markdown, chapter by chapter (:func:`~kyodo_analysis.content.catalog.review_chapters`;
    総括, which the committee writes, is left out)."""
    parts = []
    for chapter in review_chapters(plan_review, draft=False):
        if len(chapter.sections) > 1:
            parts.append(chapter_heading(chapter.key, plan_review))
        parts += [section(shown.key, plan_review, max_listed=max_listed) for shown in chapter.sections]
    return "\n\n".join(parts)


#: How many groups and measures the JupyterLab summary names at each end.
SUMMARY_LISTED = 3


def summary_html(plan_review: PlanReview) -> str:
    """A short HTML summary for JupyterLab (``PlanReview._repr_html_``): plan, period, as-of, grades, score index,
    and the largest gaps: the groups of the broadest level with the highest and the lowest score index, and the
    measures that most need attention. Every data text is escaped.

    Examples
    --------
    >>> from kyodo_analysis.analysis.review import review_plan
    >>> text = summary_html(review_plan())
    >>> "<th>評価の内訳</th><td>◎ 3件、○ 8件、△ 4件、× 4件</td>" in text, "<td>50.9</td>" in text
    (True, True)
    """
    esc = html.escape
    overall = plan_review.overall.iloc[0]
    level = plan_review.levels[0]
    labels = group_labels(plan_review.measures, level)
    ranked = plan_review.by_level[level].sort_values("score_index", ascending=False, kind="stable")
    rows = [(PLAN_FACTS["plan"], esc(plan_review.title)),
            (PLAN_FACTS["period"],
             esc(f"{_fy(plan_review, plan_review.first_fy)}〜{_fy(plan_review, plan_review.last_fy)}")),
            (PLAN_FACTS["as_of"], esc(_fy(plan_review, plan_review.as_of))),
            (PLAN_FACTS["measures"], f"{int(overall['n'])}"),
            (PLAN_FACTS["grades"],
             esc("、".join(f"{symbol} {int(overall[symbol])}件" for symbol in plan_review.scale.symbols))),
            (PLAN_FACTS["score_index"], f"{overall['score_index']:.1f}")]
    if len(ranked) > 1:  # the highest and the lowest groups: every group when there are few
        shown = [f"{labels[group[level]]} {group['score_index']:.1f}" for _, group in ranked.iterrows()]
        if len(shown) > 2 * SUMMARY_LISTED:
            shown = [*shown[:SUMMARY_LISTED], "…", *shown[-SUMMARY_LISTED:]]
        name = level_name(level)
        rows.append((f"{esc(name)}別の評価点（高い順）", esc("、".join(shown))))
    if len(plan_review.priorities):
        rows.append(("重点施策（上位）", "<br>".join(
            esc(f"No.{row['no']} {row['direction']}（{row['rating']}）")
            for _, row in plan_review.priorities.head(SUMMARY_LISTED).iterrows())))
    body = "".join(f"<tr><th>{heading}</th><td>{value}</td></tr>" for heading, value in rows)
    return f'<table class="kyodo-summary">{body}</table>'
