"""Japanese eras and fiscal years.

A Japanese fiscal year (年度) runs from April to March and is named by the
era year in which it starts: 平成19年度 is FY2007 (April 2007 - March 2008).
The first year of an era is written 元 (平成元年度 = FY1989).

Examples
--------
>>> to_fiscal_year("平成 19 年度")
2007
>>> fiscal_year_label(2019)
'令和元年度'
>>> find_fiscal_years("平成19年度から平成21年度の3年間")
[2007, 2009]
"""

from __future__ import annotations

import datetime
import operator
import re
import unicodedata

from kyodo_analysis.validation import ArgumentError

__all__ = [
    "ERA_BASE_YEARS",
    "ERA_INITIALS",
    "WESTERN",
    "read_header_year",
    "era_of_fiscal_year",
    "japanese_date",
    "era_base_year",
    "era_year_to_fiscal_year",
    "to_fiscal_year",
    "fiscal_year_label",
    "short_fiscal_year_label",
    "dual_fiscal_year_label",
    "find_fiscal_years",
    "find_fiscal_year_mentions",
    "eras_named",
]

#: Western year of each era's year 0, so that year N of the era is base + N.
#: Ordered oldest first.
ERA_BASE_YEARS: dict[str, int] = {
    "明治": 1867,
    "大正": 1911,
    "昭和": 1925,
    "平成": 1988,
    "令和": 2018,
}

#: One Latin letter per era, as in H19 (平成19年度) or R3 (令和3年度).
ERA_INITIALS: dict[str, str] = {"明治": "M", "大正": "T", "昭和": "S", "平成": "H", "令和": "R"}

#: The name of the Western calendar, as a header's "era" when it is written in Western years.
WESTERN = "西暦"

_ERA_ALTERNATION = "|".join(ERA_BASE_YEARS)
_INITIAL_ERA = {initial: era for era, initial in ERA_INITIALS.items()}
_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEAR_NUMBER = r"(\d+|元|[一二三四五六七八九十]+)"
# <era> N 年度, with the spaces PDF extraction leaves inside it; N in digits, 元 or kanji numerals.
_FISCAL_YEAR = re.compile(rf"({_ERA_ALTERNATION})\s*{_YEAR_NUMBER}\s*年度")
# An era initial: H30年度, R元年度 (not inside a Latin word).
_INITIAL_YEAR = re.compile(rf"(?<![A-Za-z])([{''.join(_INITIAL_ERA)}])\s*(\d+|元)\s*年度")
# A Western fiscal year: 2021年度 (four digits, not the end of a longer number).
_WESTERN_YEAR = re.compile(r"(?<![0-9])([12][0-9]{3})\s*年度")
# The second end of a range that leaves its era out: 平成19年度から21年度.
_RANGE_END = re.compile(rf"\s*(?:から|～|〜|~|-|－)\s*{_YEAR_NUMBER}\s*年度")
# One cell of a header's year line: 19, 平成30, 令和元, H30, R元, 2018 (年度 or 年 may follow).
_HEADER_YEAR = re.compile(rf"(?:({_ERA_ALTERNATION})|([{''.join(_INITIAL_ERA)}]))?\s*(\d+|元)\s*(?:年度|年)?")


def era_base_year(era: str) -> int:
    """Return the Western year of year 0 of ``era`` (平成 -> 1988).

    Raises
    ------
    ValueError
        If the era is not one of :data:`ERA_BASE_YEARS`.

    Examples
    --------
    >>> era_base_year("令和")
    2018
    """
    try:
        return ERA_BASE_YEARS[era]
    except KeyError:
        known = "、".join(ERA_BASE_YEARS)
        raise ArgumentError(f"元号 {era!r} は使えません（使える元号: {known}）") from None


def era_year_to_fiscal_year(era: str, year: int) -> int:
    """Return the Western fiscal year of era year ``year`` (平成, 19 -> 2007).

    Examples
    --------
    >>> era_year_to_fiscal_year("平成", 24)
    2012
    """
    return era_base_year(era) + year


def _year_number(text: str) -> int:
    """``19`` -> 19, ``元`` -> 1, and kanji numerals: ``二十二`` -> 22, ``三`` -> 3, ``十`` -> 10."""
    if text == "元":
        return 1
    if text.isdigit():
        return int(text)
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return _KANJI_DIGITS[text] if len(text) == 1 else int("".join(str(_KANJI_DIGITS[c]) for c in text))
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


def read_header_year(cell: str) -> tuple[str | None, int] | None:
    """Read one cell of a header's year line: its calendar and number, or None when it is no year.

    The calendar is an era name (平成30, 令和元, H30, R元), :data:`WESTERN` for a
    four-digit Western year (2018), or None for a bare era year (19) that takes
    the era of the cells before it, or the one given.

    Examples
    --------
    >>> read_header_year("令和元"), read_header_year("H30"), read_header_year("2018"), read_header_year("19")
    (('令和', 1), ('平成', 30), ('西暦', 2018), (None, 19))
    >>> read_header_year("計画") is None
    True
    """
    match = _HEADER_YEAR.fullmatch(unicodedata.normalize("NFKC", cell).strip())
    if match is None:
        return None
    era, initial, number = match.groups()
    if initial:
        era = _INITIAL_ERA[initial]
    if era:
        return era, _year_number(number)
    if number == "元":
        return None
    if len(number) == 4:
        return WESTERN, int(number)
    return None, int(number)


def to_fiscal_year(label: str) -> int:
    """Return the Western fiscal year of a label such as ``"平成19年度"``.

    Accepts 元 for the first year, full-width digits and inner spaces.

    Raises
    ------
    ValueError
        If ``label`` is not exactly one ``<era>N年度``.

    Examples
    --------
    >>> to_fiscal_year("平成元年度")
    1989
    >>> to_fiscal_year("令和３年度")
    2021
    """
    _check_text(label, "label")
    normalized = unicodedata.normalize("NFKC", label).strip()
    match = _FISCAL_YEAR.fullmatch(normalized)
    if match is None:
        raise ValueError(f"not a fiscal year label like 平成19年度: {label!r}")
    return era_year_to_fiscal_year(match.group(1), _year_number(match.group(2)))


def _check_text(value: object, name: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text (str), not {type(value).__name__}")


def era_of_fiscal_year(fiscal_year: int) -> tuple[str, int]:
    """The era a fiscal year is named in, and its year in that era (2019 -> 令和, 1).

    Examples
    --------
    >>> era_of_fiscal_year(2018), era_of_fiscal_year(2019)
    (('平成', 30), ('令和', 1))
    """
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int):
        try:
            fiscal_year = operator.index(fiscal_year)  # numpy integers
        except TypeError:
            raise TypeError(f"fiscal_year must be a Western year (int), not {fiscal_year!r}") from None
    for era, base in reversed(ERA_BASE_YEARS.items()):
        if fiscal_year > base:
            return era, fiscal_year - base
    raise ValueError(f"fiscal year {fiscal_year} is before the eras this module knows")


def fiscal_year_label(fiscal_year: int, *, western: bool = False) -> str:
    """Return the Japanese label of a Western fiscal year (2007 -> 平成19年度; 2007年度 when ``western``).

    A fiscal year is named after the newest era whose first year it is in or
    after, so FY2019 is 令和元年度 (as city documents write it), not 平成31年度.
    A plan whose table is headed in Western years is labelled in them.

    Examples
    --------
    >>> fiscal_year_label(2007)
    '平成19年度'
    >>> fiscal_year_label(1989)
    '平成元年度'
    >>> fiscal_year_label(2019, western=True)
    '2019年度'
    """
    era, year = era_of_fiscal_year(fiscal_year)
    if western:
        return f"{fiscal_year}年度"
    return f"{era}{'元' if year == 1 else year}年度"


def short_fiscal_year_label(fiscal_year: int) -> str:
    """Return the short label used on axes: ``"H20"`` for FY2008.

    Examples
    --------
    >>> short_fiscal_year_label(2008)
    'H20'
    >>> short_fiscal_year_label(2021)
    'R3'
    """
    era, year = era_of_fiscal_year(fiscal_year)
    return f"{ERA_INITIALS[era]}{year}"


def dual_fiscal_year_label(fiscal_year: int, *, multiline: bool = False) -> str:
    """Label a fiscal year in both systems: ``"H20 (2008)"``, or ``"H20\\n2008"`` for an axis tick.

    Examples
    --------
    >>> dual_fiscal_year_label(2021)
    'R3 (2021)'
    >>> dual_fiscal_year_label(2008, multiline=True)
    'H20\\n2008'
    """
    short = short_fiscal_year_label(fiscal_year)
    return f"{short}\n{fiscal_year}" if multiline else f"{short} ({fiscal_year})"


def find_fiscal_year_mentions(text: str) -> list[tuple[int, int, int]]:
    """Return every fiscal year named in ``text`` as ``(fiscal_year, start, end)``, in text order.

    ``start`` and ``end`` are offsets into the NFKC-normalized text. Years
    may be written with an era (平成22年度, 令和元年度, in digits or kanji
    numerals: 平成二十二年度), an era initial (H22年度, R元年度) or in Western
    years (2021年度), with spaces inside. A range whose second end leaves out
    the era (``平成19年度から21年度``) yields both ends. ``3年間`` (three
    years) is a duration, not a year, and is not found.

    Examples
    --------
    >>> [fy for fy, _, _ in find_fiscal_year_mentions("平成19年度から21年度まで")]
    [2007, 2009]
    >>> [fy for fy, _, _ in find_fiscal_year_mentions("令和三年度に検討し、2022 年度とR5年度に実施")]
    [2021, 2022, 2023]
    """
    _check_text(text, "text")
    normalized = unicodedata.normalize("NFKC", text)
    mentions = []
    for match in _FISCAL_YEAR.finditer(normalized):
        era = match.group(1)
        mentions.append(
            (era_year_to_fiscal_year(era, _year_number(match.group(2))), match.start(), match.end())
        )
        range_end = _RANGE_END.match(normalized, match.end())
        if range_end is not None:
            year = _year_number(range_end.group(1))
            mentions.append((era_year_to_fiscal_year(era, year), range_end.start(), range_end.end()))
    for match in _INITIAL_YEAR.finditer(normalized):
        year = era_year_to_fiscal_year(_INITIAL_ERA[match.group(1)], _year_number(match.group(2)))
        mentions.append((year, match.start(), match.end()))
    for match in _WESTERN_YEAR.finditer(normalized):
        mentions.append((int(match.group(1)), match.start(), match.end()))
    return sorted(mentions, key=lambda mention: mention[1])


def find_fiscal_years(text: str) -> list[int]:
    """Return the sorted, unique Western fiscal years named in ``text``.

    Examples
    --------
    >>> find_fiscal_years("平成 20 年度に開設し、平成20年度から実施。")
    [2008]
    >>> find_fiscal_years("3年間、未実施")
    []
    """
    return sorted({fiscal_year for fiscal_year, _, _ in find_fiscal_year_mentions(text)})


def eras_named(text: str) -> list[str]:
    """The eras ``text`` names years in (平成20年度, H30年度), in the order of their first mention.

    Examples
    --------
    >>> eras_named("平成 20 年度に開設し、H21年度から実施。")
    ['平成']
    >>> eras_named("平成30年度に策定し、令和元年度から実施。2021年度に見直し。")
    ['平成', '令和']
    """
    mentions = [(match.start(), match.group(1)) for match in _FISCAL_YEAR.finditer(text)]
    mentions += [(match.start(), _INITIAL_ERA[match.group(1)]) for match in _INITIAL_YEAR.finditer(text)]
    return list(dict.fromkeys(era for _, era in sorted(mentions)))


def japanese_date(day: datetime.date) -> str:
    """A calendar date in 和暦, as documents print it: ``令和8年11月27日`` (元年 for the first year).

    Examples
    --------
    >>> import datetime
    >>> japanese_date(datetime.date(2019, 5, 1)), japanese_date(datetime.date(2026, 11, 27))
    ('令和元年5月1日', '令和8年11月27日')
    """
    starts = {"令和": (2019, 5, 1), "平成": (1989, 1, 8), "昭和": (1926, 12, 25), "大正": (1912, 7, 30),
              "明治": (1868, 1, 25)}
    for era, start in starts.items():
        if (day.year, day.month, day.day) >= start:
            year = day.year - ERA_BASE_YEARS[era]
            return f"{era}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    raise ValueError(f"{day} is before the eras this module knows")

