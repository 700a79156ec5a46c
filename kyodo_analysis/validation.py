"""Checks of the arguments that the public functions take.

A wrong argument stops with an :class:`ArgumentError` (a ``ValueError``) or an
:class:`ArgumentTypeError` (a ``TypeError``) whose message names the argument
and what it accepts, instead of a ``KeyError`` deep inside pandas.

Examples
--------
>>> import pandas as pd
>>> check_frame(pd.DataFrame(), "measures", ("no", "rating"))
Traceback (most recent call last):
...
kyodo_analysis.validation.ArgumentError: measures lacks the columns ['no', 'rating'] (it has none); pass load_measures(...)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "KyodoError", "OS_ERROR_REASONS", "os_error_reason", "CONTROL_CHARACTER", "INVISIBLE", "BIDI_CONTROL",
    "LINE_BREAK", "SPREADSHEET_ERROR", "UNUSUAL_CHARACTER", "remove_invisible", "check_one_line", "MAX_LINE_CHARS",
    "MAX_CELL_CHARS", "MAX_QUOTED_CHARS", "quote_value", "ArgumentError", "ArgumentTypeError", "check_frame",
    "check_scale", "check_choice", "check_no_missing", "check_measures",
]


#: Why a file could not be opened, read or written, by the name of the system's error number: said in the
#: analysts' words where the error is a common one (the system's own words are English).
OS_ERROR_REASONS: dict[str, str] = {
    "ENOENT": "ファイルがありません",
    "EACCES": "読み書きする権限がありません",
    "EPERM": "読み書きする権限がありません",
    "EISDIR": "フォルダです",
    "EEXIST": "同じ名前のファイルかフォルダがすでにあります",
    "ENOTDIR": "途中の名前がフォルダではありません",
    "ELOOP": "リンクが多すぎるか、循環しています",
    "ENAMETOOLONG": "名前が長すぎます",
    "EROFS": "読み取り専用の場所です",
    "EBUSY": "ほかのプログラムが使用中です",
    "ETXTBSY": "ほかのプログラムが使用中です",
    "EIO": "ディスクの読み書きでエラーが起きました",
}


def os_error_reason(error: OSError) -> str:
    """Why ``error`` happened, in Japanese for the common errors (:data:`OS_ERROR_REASONS`), else in the
    system's own words.

    Examples
    --------
    >>> os_error_reason(FileNotFoundError(2, "No such file or directory"))
    'ファイルがありません'
    >>> os_error_reason(OSError(0, "Something unusual"))
    'システムのエラー: Something unusual'
    """
    import errno

    return OS_ERROR_REASONS.get(errno.errorcode.get(error.errno, ""), f"システムのエラー: {error.strerror or error}")


#: Control characters other than tab, the line ends and form feed (which pdftotext writes between
#: pages, and which the parser reads as a space): never text, and illegal in a workbook cell.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

#: Characters that print as nothing: zero-width ones (U+200B-U+200D, word joiner U+2060, a BOM U+FEFF inside
#: text), the soft hyphen U+00AD, the bidi marks U+200E, U+200F and U+061C, the invisible operators and
#: deprecated format characters U+2061-U+2065 and U+206A-U+206F (the isolates between are bidi controls),
#: the combining grapheme joiner U+034F, Hangul and Mongolian fillers and separators, the braille blank
#: U+2800, musical format characters and the tag characters U+E0000-U+E00FF. They split one name into two
#: identical-looking ones (協働\u00ad推進課), so the readers remove them and record a note. The variation
#: selectors (U+FE00-U+FE0F, U+E0100-U+E01EF), which choose a kanji's glyph, are kept.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2060-\u2065\u206a-\u206f"
                       "\u2800\u3164\ufeff\uffa0\U0001d173-\U0001d17a\U000e0000-\U000e00ff]")
#: Bidirectional embedding, override and isolate controls: they make text read differently from what it is
#: (U+202E turns a name around). Never part of a plan's text: the readers refuse them, naming the place.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Any character that a reader refuses or removes: a control, a bidi control or an invisible character (one
#: character class, searched in one pass over a clean text).
UNUSUAL_CHARACTER = re.compile(
    "[" + "".join(pattern.pattern[1:-1] for pattern in (CONTROL_CHARACTER, BIDI_CONTROL, INVISIBLE)) + "]")
#: The most characters of a one-line text such as a title or a group name (a plan's title takes about 30).
MAX_LINE_CHARS = 200
#: What breaks a line: a one-line text (a title, a group name) must not hold any of these.
LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
#: A spreadsheet's error values: what a cell shows when its formula failed, never a status or a name.
SPREADSHEET_ERROR = re.compile(r"#(?:N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)")


def remove_invisible(text: str) -> str:
    r"""``text`` without invisible characters (:data:`INVISIBLE`).

    Examples
    --------
    >>> remove_invisible("協働\u200b推進課")
    '協働推進課'
    """
    return INVISIBLE.sub("", text)


def check_one_line(value: str, name: str) -> str:
    r"""Return ``value`` if it is one line of visible text; else an :class:`ArgumentError` in Japanese naming ``name``.

    A title or a group name is one line: a line break would make a heading or a list item in the
    documents, and control or bidi characters make it print differently from what it is.

    Examples
    --------
    >>> check_one_line("北本市協働推進計画", "--title")
    '北本市協働推進計画'
    >>> check_one_line("計画\n# 見出し", "--title")
    Traceback (most recent call last):
    ...
    kyodo_analysis.validation.ArgumentError: --title は1行の文字列にしてください。改行・制御文字・双方向制御文字・見えない文字は使えません（'計画\n# 見出し'）
    """
    if (not value.strip() or CONTROL_CHARACTER.search(value) or LINE_BREAK.search(value)
            or BIDI_CONTROL.search(value) or INVISIBLE.search(value) or "\t" in value):
        raise ArgumentError(f"{name} は1行の文字列にしてください。改行・制御文字・双方向制御文字・見えない文字は使えません"
                            f"（{quote_value(value)}）")
    if len(value) > MAX_LINE_CHARS:
        raise ArgumentError(f"{name} は {len(value):,} 文字あります。{MAX_LINE_CHARS} 文字以内にしてください"
                            f"（{quote_value(value)}）")
    return value


#: Excel's own limit on the characters in one cell: a longer text cannot round-trip through a workbook, and
#: every reader refuses it.
MAX_CELL_CHARS = 32_767

#: How many characters of an offending value an error message quotes.
MAX_QUOTED_CHARS = 80


def quote_value(value: object, limit: int = MAX_QUOTED_CHARS) -> str:
    """Quote a value for an error message: its repr, cut to about ``limit`` characters with ``…``.

    Examples
    --------
    >>> quote_value("Ａ")
    "'Ａ'"
    >>> quote_value("x" * 200)[-3:], len(quote_value("x" * 200))
    ("x'…", 83)
    """
    text = str(value) if isinstance(value, str) else value
    if isinstance(text, str) and len(text) > limit:
        return repr(text[:limit]) + "…"
    shown = repr(text)
    return shown if len(shown) <= limit + 2 else shown[:limit] + "…"


class KyodoError(ValueError):
    """An input problem: a file, an option or an argument value that the tools cannot use.

    Every input problem the package finds raises a subclass (:class:`ArgumentError`,
    :class:`~kyodo_analysis.source.parsing.StatusTableError`, :class:`~kyodo_analysis.run.outputs.OutputFolderError`,
    :class:`~kyodo_analysis.ratings.RatingError`, :class:`~kyodo_analysis.survey.collect.SurveyError`, …), whose
    message names the place and the value as written. The commands catch only this class and exit 2; any
    other exception is a bug, shown with its traceback.
    """


class ArgumentError(KyodoError):
    """An argument of the right type with a value the function cannot use."""


class ArgumentTypeError(TypeError):
    """An argument of the wrong type."""


def check_frame(frame: object, name: str, columns: Iterable[str], *, loader: str = "load_measures",
                allow_empty: bool = False) -> pd.DataFrame:
    """Return ``frame`` if it is a DataFrame with ``columns`` (and rows, unless ``allow_empty``)."""
    import pandas as pd
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentTypeError(f"{name} must be a pandas DataFrame from {loader}(...), not {type(frame).__name__}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        has = list(map(str, frame.columns)) or "none"
        raise ArgumentError(f"{name} lacks the columns {missing} (it has {has}); pass {loader}(...)")
    if frame.empty and not allow_empty:
        raise ArgumentError(f"{name} is empty: there is nothing to review")
    return frame


def check_scale(scale: object) -> None:
    """Stop unless ``scale`` is a :class:`~kyodo_analysis.ratings.RatingScale`."""
    from kyodo_analysis.ratings import RatingScale

    if not isinstance(scale, RatingScale):
        raise ArgumentTypeError(f"scale must be a RatingScale such as KYODO_SCALE, not {scale!r}")


def check_choice(value: object, name: str, accepted: Iterable[object]) -> None:
    """Stop unless ``value`` is one of ``accepted``, naming them all."""
    accepted = list(accepted)
    try:
        known = value in accepted
    except TypeError:  # an unhashable or uncomparable value
        known = False
    if not known:
        raise ArgumentError(f"{name}={value!r} is not accepted; accepted: {', '.join(map(repr, accepted))}")


def check_no_missing(frame: pd.DataFrame, column: str, name: str) -> None:
    """Stop when ``frame[column]`` has a missing value, naming the first measure that lacks it."""
    missing = frame[column].isna().to_numpy()
    if missing.any():
        row = int(missing.nonzero()[0][0])
        where = f"measure {frame['no'].iloc[row]}" if "no" in frame.columns else f"row {row}"
        raise ArgumentError(f"{name} has no {column} in {where}: every measure needs one")


def check_measures(measures: object, *columns: str, scale: object, by: str | None = None) -> None:
    """Check the measures (with ``no``, ``rating`` and ``columns``), the scale, and ``by`` of an analysis function.

    ``by`` may name a column of the measures, or ``"department"``.
    """
    check_frame(measures, "measures", ("no", "rating", *columns))
    check_scale(scale)
    if by is not None:
        check_choice(by, "by", [*(c for c in measures.columns if c not in ("no", "rating")), "department"])
