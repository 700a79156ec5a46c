"""The frames as a reader sees them: every value text, headers and codes named in the reader's language.

The analysis computes frames of codes and numbers; :func:`present` and :func:`localize` turn them into what
a notebook, a page or a document shows, with the words of :mod:`kyodo_analysis.words`.

Examples
--------
>>> import pandas as pd
>>> localize(pd.DataFrame({"no": [5], "category": ["late"]})).to_dict("records")
[{'No': 5, '判定': '着手の遅れ'}]
>>> localize(pd.DataFrame({"no": [5], "category": ["late"]}), "en").to_dict("records")
[{'No.': 5, 'Finding': 'late start'}]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kyodo_analysis.era import dual_fiscal_year_label
from kyodo_analysis.validation import check_choice, check_frame
from kyodo_analysis.words import (
    BOOLEAN_WORDS,
    CATEGORY_LABELS,
    CHANGE_LABELS,
    COLUMN_LABELS,
    FISCAL_YEAR_COLUMNS,
    LANGUAGES,
    NOTE_KIND_LABELS,
    REASON_LABELS,
    ROLE_LABELS,
    SCORE_COLUMNS,
    SHARE_COLUMNS,
    YEAR_COUNT_COLUMNS,
    level_name,
    words_for,
)

if TYPE_CHECKING:  # pandas loads where a frame is presented, so the command line starts at once
    import pandas as pd

    from kyodo_analysis.ratings import RatingScale

__all__ = ["named_codes", "localize", "share_labels", "present", "grade_label", "rounding_note", "table_html", "table",
           "group_labels", "block_labels", "cohort_labels", "measure_list"]

_MISSING = "—"


def named_codes(frame: pd.DataFrame, lang: str = "ja") -> pd.DataFrame:
    """The codes of a frame (findings, reasons, roles, changes) by their names in ``lang``; other columns as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> named_codes(pd.DataFrame({"reason": ["low_grade"], "role": ["coordinator"], "no": [1]})).to_dict("records")
    [{'reason': '評価が低い', 'role': '主管課（全施策）', 'no': 1}]
    """
    named = {column: frame[column].map(words_for(labels, lang)).fillna(frame[column]).astype("str")
             for column, labels in (("category", CATEGORY_LABELS), ("reason", REASON_LABELS), ("role", ROLE_LABELS),
                                    ("change", CHANGE_LABELS))
             if column in frame.columns}
    return frame.assign(**named) if named else frame


def share_labels(scale: RatingScale, lang: str = "ja") -> dict[str, str]:
    """The headers of the two share columns, named by the scale's grades: what the shares count.

    Examples
    --------
    >>> from kyodo_analysis.ratings import KYODO_SCALE
    >>> share_labels(KYODO_SCALE)
    {'implemented_share': '達成・概ね達成の割合', 'not_implemented_share': '未実施の割合'}
    """
    labels = scale.labels_ja if lang == "ja" else scale.labels_en
    top, lowest = labels[:len(scale.implemented)], labels[-1]
    if lang == "ja":
        return {"implemented_share": f"{'・'.join(top)}の割合", "not_implemented_share": f"{lowest}の割合"}
    return {"implemented_share": f"Share {' or '.join(top)}", "not_implemented_share": f"Share {lowest}"}


def localize(frame: pd.DataFrame, lang: str = "ja", *, scale: RatingScale | None = None) -> pd.DataFrame:
    """Return a copy with the column headers and the codes' names of ``lang`` (:func:`named_codes`), for display;
    with the review's ``scale``, the share columns are named by its grades (:func:`share_labels`)."""
    check_frame(frame, "frame", (), loader="a kyodo_analysis function", allow_empty=True)
    columns = words_for(COLUMN_LABELS, lang) | (share_labels(scale, lang) if scale is not None else {})
    frame = named_codes(frame, lang).copy()
    if "kind" in frame.columns and "description" in frame.columns:
        kinds = words_for(NOTE_KIND_LABELS, lang)
        frame["description"] = frame["kind"].map(kinds).fillna(frame["description"]).astype("str")
    return frame.rename(columns=columns)


def present(frame: pd.DataFrame, lang: str = "ja", *, western: bool = False,
            scale: RatingScale | None = None) -> pd.DataFrame:
    """The frame as a reader sees it: every value text, headers and codes in ``lang`` (the share columns named
    by the grades of ``scale``, when given).

    Missing values are —, booleans あり/なし, shares percentages with one
    decimal, scores one decimal, fiscal years as the plan writes them (平成19年度,
    or 2007年度 when ``western``), and codes (findings, reasons, roles, note
    kinds) by their names.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"no": [5], "target_fy": [2008], "lag_years": pd.array([None], dtype="Int64"),
    ...                       "continuing": [True], "share": [0.5789], "score_index": [50.877]})
    >>> present(frame).to_dict("records")
    [{'No': '5', '実施目標年度': '平成20年度', '遅れ（年）': '—', '継続年度あり': 'あり', '割合': '57.9%', '評価点': '50.9'}]
    """
    import pandas as pd

    from kyodo_analysis.era import fiscal_year_label

    check_frame(frame, "frame", (), loader="a kyodo_analysis function", allow_empty=True)
    check_choice(lang, "lang", LANGUAGES)
    yes, no = BOOLEAN_WORDS[lang]
    shown = {}
    for column in frame.columns:
        values = frame[column]

        def each(value, column=column):
            if value is None or (value == "" if isinstance(value, str) else pd.isna(value)):
                return _MISSING
            if isinstance(value, bool) or str(values.dtype) == "bool":
                return yes if value else no
            if column in SHARE_COLUMNS:
                return f"{float(value) * 100:.1f}%"
            if column in SCORE_COLUMNS:
                return f"{float(value):.1f}"
            if column in FISCAL_YEAR_COLUMNS:
                return fiscal_year_label(int(value), western=western)
            if column in YEAR_COUNT_COLUMNS and lang == "ja":
                return f"{int(value)}年"
            if column == "before" and lang == "ja" and str(value).startswith("cell "):  # a note's cell number
                return f"{str(value).removeprefix('cell ')}列目"
            return str(value)

        shown[column] = [each(value) for value in values.astype(object)]
    table = pd.DataFrame(shown, columns=list(frame.columns), dtype="str")
    if "description" in table.columns and "kind" in table.columns:
        table["description"] = frame["kind"].map(words_for(NOTE_KIND_LABELS, lang)).fillna(frame["description"]).astype(
            "str").to_numpy()
    if "kind" in table.columns:
        table["kind"] = table["kind"].map(lambda kind: words_for(NOTE_KIND_LABELS, lang).get(kind, kind).split("（")[0])
    return localize(table, lang, scale=scale)


def grade_label(scale: RatingScale, symbol: str) -> str:
    """A grade with its meaning on the scale, as the review writes every grade: ``×（未実施）``.

    Examples
    --------
    >>> from kyodo_analysis.ratings import KYODO_SCALE
    >>> grade_label(KYODO_SCALE, "○")
    '○（概ね達成）'
    """
    return f"{symbol}（{scale.labels_ja[scale.index(symbol)]}）"


def rounding_note(frame: pd.DataFrame) -> str:
    """A note for a table whose shares (``share``, parts of a whole) add up to other than 100.0% once rounded.

    Examples
    --------
    >>> import pandas as pd
    >>> rounding_note(pd.DataFrame({"share": [3 / 19, 8 / 19, 4 / 19, 4 / 19]}))
    '割合は小数第2位を四捨五入しているため、合計が100.1%になる。'
    >>> rounding_note(pd.DataFrame({"share": [0.25, 0.75]}))
    ''
    """
    if "share" not in frame.columns or frame.empty:
        return ""
    total = round(sum(round(float(share) * 100, 1) for share in frame["share"]), 1)
    return "" if total == 100.0 else f"割合は小数第2位を四捨五入しているため、合計が{total:.1f}%になる。"


#: The columns that hold a grade (◎ ○ △ ×, or a scale's own symbols).
_GRADE_COLUMNS = ("rating", "rating_before", "rating_after")


def table_html(frame: pd.DataFrame, plan_review: object = None, *, lang: str = "ja") -> str:
    """A table as HTML: :func:`present`'s values, every one escaped, no index column; the columns of numbers
    carry ``class="num"`` (right-aligned), fiscal years ``class="fy"`` and grades ``class="grade"`` (kept on one
    line, also in print), the text columns
    are left-aligned, and an empty table says 該当なし.

    Examples
    --------
    >>> import pandas as pd
    >>> print(table_html(pd.DataFrame({"no": [5], "direction": ["<b>窓口</b>"]})))
    <table class="kyodo-table">
    <thead><tr><th class="num">No</th><th>施策の方向性</th></tr></thead>
    <tbody>
    <tr><td class="num">5</td><td>&lt;b&gt;窓口&lt;/b&gt;</td></tr>
    </tbody>
    </table>
    """
    import html

    import pandas as pd

    shown = present(frame, lang, western=bool(getattr(plan_review, "western", False)),
                    scale=getattr(plan_review, "scale", None))
    if shown.empty:
        return '<p class="kyodo-empty">該当なし</p>' if lang == "ja" else '<p class="kyodo-empty">None</p>'
    def kind(column: str) -> str:
        if column in FISCAL_YEAR_COLUMNS:
            return ' class="fy"'
        if column in _GRADE_COLUMNS:
            return ' class="grade"'
        values = frame[column]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        return ' class="num"' if numeric else ""

    classes = [kind(column) for column in frame.columns]
    head = "".join(f"<th{cls}>{html.escape(str(name))}</th>" for cls, name in zip(classes, shown.columns))
    rows = ["<tr>" + "".join(f"<td{cls}>{html.escape(value)}</td>" for cls, value in zip(classes, row)) + "</tr>"
            for row in shown.itertuples(index=False)]
    note = rounding_note(frame) if lang == "ja" else ""
    return "\n".join(['<table class="kyodo-table">', f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows,
                      "</tbody>", "</table>", *([f'<p class="kyodo-note">{html.escape(note)}</p>'] if note else [])])


def table(frame: pd.DataFrame, plan_review: object = None, *, lang: str = "ja"):
    """A table for a notebook and its reader page (:func:`table_html`), shown as HTML.

    ``plan_review`` (a :class:`~kyodo_analysis.analysis.review.PlanReview`) says how the plan writes its years.
    """
    from IPython.display import HTML

    return HTML(table_html(frame, plan_review, lang=lang))


def measure_list(numbers: Iterable[int]) -> str:
    """Measures by No, as the review names them (full-width 、 between).

    Examples
    --------
    >>> measure_list([7, 8, 10]), measure_list([])
    ('No.7、No.8、No.10', '')
    """
    return "、".join(f"No.{no}" for no in numbers)


def group_labels(measures: pd.DataFrame, level: str, lang: str = "ja") -> dict[object, str]:
    """The display label of each group of a level: table sections by number and range, structure groups as named."""
    if level == "block":
        return block_labels(measures, lang)
    check_frame(measures, "measures", (level,))
    return {value: str(value) for value in measures[level].unique()}


def block_labels(measures: pd.DataFrame, lang: str = "ja") -> dict[int, str]:
    """Name each table section by its number and its measure range: ``{1: "表の区分1（No.1〜7）"}``.

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> block_labels(load_measures())
    {1: '表の区分1（No.1〜7）', 2: '表の区分2（No.8〜14）', 3: '表の区分3（No.15〜19）'}
    >>> block_labels(load_measures(), "en")[3]
    'Table section 3 (No.15–19)'
    """
    check_frame(measures, "measures", ("no", "block"))
    word = level_name("block", lang) + ("" if lang == "ja" else " ")
    ranges = measures.groupby("block")["no"].agg(["min", "max"])
    # Japanese text: full-width brackets and 〜 for a range; English: (No.1–7)
    opening, dash, closing = ("（", "〜", "）") if lang == "ja" else (" (", "–", ")")
    return {int(block): f"{word}{block}{opening}No.{low}{f'{dash}{high}' if low != high else ''}{closing}"
            for block, (low, high) in ranges.iterrows()}


def cohort_labels(measures: pd.DataFrame) -> dict[int, str]:
    """Name each target year (a cohort of measures) in both calendars: ``{2007: "2007 (H19)"}``.

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> list(cohort_labels(load_measures()))
    [2007, 2008, 2009]
    """
    check_frame(measures, "measures", ("target_fy",))
    return {int(fy): dual_fiscal_year_label(int(fy)) for fy in sorted(measures["target_fy"].unique())}
