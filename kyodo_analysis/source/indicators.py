"""成果指標: the plan's numeric outcome indicators, read from a CSV or a workbook beside the status table.

One row per indicator, with the columns 指標, 単位, 方向 (増加 or 減少: which way is better), 基準年度, 基準値,
目標年度 and 目標値; optionally 許容幅 (in the indicator's unit); then one column per fiscal year of actual
values, headed in any year form a status table's header takes (平成19, H20, R2, 2021; a bare 19 with ``era``).
Numbers may be written full-width and with commas (１,２００ is 1200); an empty cell is no value.

An indicator is tied to the plan in either of two optional ways, or both: 関連施策, the No of its measures
(``2``, ``No.2、No.5``, ``5〜7``), or a column named like a level of the plan's structure (基本目標), or 表の区分
for the table's own sections, holding the group it belongs to. Given the table's measures, both are checked
against them, and each indicator gets the groups of the broadest level it belongs to.

Every defect stops the reading with ``file:line: problem (value)``: a value that is not a number, a missing
baseline or target, a target year before the baseline year, an unknown direction, a duplicated indicator.

Examples
--------
>>> read_number("１,２００"), read_number(" 38.5 "), read_number("")
(1200.0, 38.5, None)
>>> read_measure_numbers("No.2、No.5〜7"), read_measure_numbers("")
((2, 5, 6, 7), ())
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from kyodo_analysis.era import WESTERN, era_year_to_fiscal_year, read_header_year
from kyodo_analysis.source.loaders import spreadsheet_text
from kyodo_analysis.source.parsing import StatusTableError
from kyodo_analysis.source.structure import read_rows

__all__ = ["IndicatorError", "DIRECTIONS", "read_number", "read_measure_numbers", "fiscal_year_of", "read_indicators"]

#: The directions an indicator may improve in, and the sign of "better".
DIRECTIONS = {"増加": 1, "減少": -1}
_REQUIRED = ("指標", "単位", "方向", "基準年度", "基準値", "目標年度", "目標値")
_OPTIONAL = ("許容幅", "関連施策", "担当課")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")
#: One item of 関連施策 (NFKC, lower case): a No, or a range of them (5〜7), each with or without "No.".
_MEASURE_ITEM = re.compile(r"(?:no\.?)?(\d+)(?:[-~〜–](?:no\.?)?(\d+))?")
_MEASURE_SEPARATOR = re.compile(r"[,、;；/・\s]+")
#: At most this many measures in one range, and in one cell (No.1〜100000 is a typing error, not a tie).
_MAX_RANGE, _MAX_NUMBERS = 1000, 10_000


class IndicatorError(StatusTableError):
    """A defect in an indicators file; the message is ``file:line: problem (value)``."""


def read_number(text: str) -> float | None:
    """A number as a city writes it (full-width digits, thousands commas, spaces around); None for an empty cell.

    Raises
    ------
    ValueError
        For text that is not a number.
    """
    normalized = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if not normalized:
        return None
    if not _NUMBER.fullmatch(normalized) or not math.isfinite(float(normalized)):  # 400 nines are not a number
        raise ValueError(text)
    return float(normalized)


def read_measure_numbers(text: str) -> tuple[int, ...]:
    """The measures a 関連施策 cell names, in order, each once: No, separated by commas, 、, ・ or spaces, with or
    without "No.", and ranges written 5〜7 or 5-7; () for an empty cell.

    Raises
    ------
    ValueError
        For text that is not such a list, a range that runs backwards or over 1,000 measures, or a cell that
        names over 10,000.
    """
    numbers: dict[int, None] = {}  # in order, each once
    for item in _MEASURE_SEPARATOR.split(unicodedata.normalize("NFKC", text).strip().lower()):
        if not item:
            continue
        matched = _MEASURE_ITEM.fullmatch(item)
        if matched is None:
            raise ValueError(text)
        first = int(matched[1])
        last = int(matched[2]) if matched[2] else first
        if not first <= last < first + _MAX_RANGE:
            raise ValueError(text)
        numbers.update(dict.fromkeys(range(first, last + 1)))
        if len(numbers) > _MAX_NUMBERS:
            raise ValueError(text)
    return tuple(numbers)


def _level_columns(header: list[str], level_names: Mapping[str, str]) -> dict[int, str]:
    """The header's columns named like a level (matched in NFKC): column → level."""
    names = {unicodedata.normalize("NFKC", name): level for name, level in level_names.items()}
    return {index: names[key] for index, cell in enumerate(header)
            if (key := unicodedata.normalize("NFKC", cell)) in names}


def _group_finder(measures: pd.DataFrame, level: str) -> dict[str, object]:
    """Each group of ``level`` by its name in NFKC (a table section by its number): name → the group's value."""
    return {unicodedata.normalize("NFKC", str(value)): value for value in measures[level].drop_duplicates().tolist()}


def fiscal_year_of(cell: str, era: str | None = None) -> int | None:
    """A header cell or a 年度 cell as a Western fiscal year (平成19, H20, 2010, 平成23年度, 19 with ``era``); None if
    it names no year.

    Examples
    --------
    >>> fiscal_year_of("平成23年度"), fiscal_year_of("R2"), fiscal_year_of("19", "平成"), fiscal_year_of("指標")
    (2011, 2020, 2007, None)
    """
    read = read_header_year(cell.removesuffix("年度"))
    if read is None:
        return None
    calendar, number = read
    if calendar == WESTERN:
        return number
    calendar = calendar or era
    return None if calendar is None else era_year_to_fiscal_year(calendar, number)


def read_indicators(path: str | os.PathLike, *, era: str | None = None, measures: pd.DataFrame | None = None,
                    level_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The indicators of ``path``, one row each: ``name``, ``unit``, ``direction`` (増加/減少), ``baseline_fy``,
    ``baseline``, ``target_fy``, ``target``, ``tolerance`` (NaN when not given), ``related`` (関連施策 as
    written), ``department`` (担当課 as written, "" when not given), ``measure_nos`` (the measures it names, a
    tuple of No), ``groups`` (the groups of the broadest level it belongs to, a tuple, in the table's order),
    ``values``: the actual value of each year given, ``{fiscal year: value}``, and ``line``, its line in the file.

    Parameters
    ----------
    era : str, optional
        The era of bare years (19) in the header and in the 年度 cells.
    measures : DataFrame, optional
        The table's measures, with ``no`` and the level columns: 関連施策 must name its measures, and a
        column named like a level must name its groups. Without it, 関連施策 is read but not checked, and
        ``groups`` stays empty.
    level_names : mapping, optional
        The levels' names as a file heads them (基本目標, 表の区分) → their columns of ``measures``, broadest
        first.
    """
    path = Path(path)
    rows = read_rows(path, error=IndicatorError, as_written=True)
    if not rows:
        raise IndicatorError("空のファイルです。1行目に 指標,単位,方向,基準年度,基準値,目標年度,目標値 と年度の見出しを"
                             "置いてください", path=path)
    header_line, header = rows[0]
    missing = [column for column in _REQUIRED if column not in header]
    if missing:
        raise IndicatorError(f"見出しに {'・'.join(missing)} の列がありません（あった列: {'・'.join(header) or 'なし'}）",
                             path=path, line=header_line)
    repeated = [cell for index, cell in enumerate(header) if cell and cell in header[:index]]
    if repeated:  # which of the two would count is a guess
        raise IndicatorError("同じ見出しの列が2つあります", path=path, line=header_line, value=repeated[0])
    level_names = dict(level_names or {}) if measures is not None else {}
    level_columns = _level_columns(header, level_names)
    groups_of = {level: _group_finder(measures, level) for level in level_columns.values()}
    broadest = next(iter(level_names.values()), None)
    group_order = [] if broadest is None else measures[broadest].drop_duplicates().tolist()
    years: dict[int, int] = {}  # column → fiscal year
    for index, cell in enumerate(header):
        if cell in _REQUIRED or cell in _OPTIONAL or not cell or index in level_columns:
            continue
        fiscal_year = fiscal_year_of(cell, era)
        if fiscal_year is None:
            raise IndicatorError("見出しが年度（平成19、R2、2021 など。数字だけの年度は --era と）でも、指標の列名でも"
                                 "ありません", path=path, line=header_line, value=cell)
        if fiscal_year in years.values():
            raise IndicatorError("同じ年度の列が2つあります", path=path, line=header_line, value=cell)
        years[index] = fiscal_year
    column = {name: header.index(name) for name in (*_REQUIRED, *_OPTIONAL) if name in header}
    found, seen = [], {}
    for line, cells in rows[1:]:
        if not any(cells):
            continue
        stray = next((index for index, value in enumerate(cells)
                      if value and (index >= len(header) or not header[index])), None)
        if stray is not None:  # a value under no heading: not an actual of any year
            raise IndicatorError(f"見出しのない列（{stray + 1}列目）に値があります", path=path, line=line,
                                 value=cells[stray])
        cells = cells + [""] * (len(header) - len(cells))
        # a text of a CSV this package wrote keeps its guard against formulas (loaders.spreadsheet_safe): removed
        cell = {name: spreadsheet_text(cells[index]) for name, index in column.items()}
        name = cell["指標"]
        if not name:
            raise IndicatorError("指標の名前がありません", path=path, line=line, value=name)
        if name in seen:
            raise IndicatorError(f"指標が重複しています（{seen[name]}行目と同じ名前）", path=path, line=line, value=name)
        seen[name] = line
        if cell["方向"] not in DIRECTIONS:
            raise IndicatorError(f"方向は {'・'.join(DIRECTIONS)} のどちらかにしてください", path=path, line=line,
                                 value=cell["方向"])

        def number(label: str, text: str, *, required: bool = False) -> float | None:
            try:
                value = read_number(text)
            except ValueError:
                raise IndicatorError(f"{label}が数値ではありません", path=path, line=line, value=text) from None
            if value is None and required:
                raise IndicatorError(f"{label}がありません", path=path, line=line, value=text)
            return value

        def fiscal_year(label: str) -> int:
            value = fiscal_year_of(cell[label], era)
            if value is None:
                raise IndicatorError(f"{label}が年度（平成19、R2、2021 など）ではありません", path=path, line=line,
                                     value=cell[label])
            return value

        baseline, target = number("基準値", cell["基準値"], required=True), number("目標値", cell["目標値"], required=True)
        if (target - baseline) * DIRECTIONS[cell["方向"]] < 0:  # 増加 with a lower target: one of them is a typo
            worse = "低い" if cell["方向"] == "増加" else "高い"
            raise IndicatorError(f"方向が{cell['方向']}なのに、目標値が基準値（{cell['基準値']}）より{worse}です", path=path,
                                 line=line, value=cell["目標値"])
        baseline_fy, target_fy = fiscal_year("基準年度"), fiscal_year("目標年度")
        if target_fy < baseline_fy:
            raise IndicatorError("目標年度が基準年度より前です", path=path, line=line, value=cell["目標年度"])
        tolerance = number("許容幅", cell.get("許容幅", ""))
        if tolerance is not None and tolerance < 0:
            raise IndicatorError("許容幅は0以上にしてください", path=path, line=line, value=cell["許容幅"])
        try:
            measure_nos = read_measure_numbers(cell.get("関連施策", ""))
        except ValueError:
            raise IndicatorError("関連施策は施策の No をカンマで区切って書いてください（例: 2, 5〜7）", path=path,
                                 line=line, value=cell["関連施策"]) from None
        tied = [] if measures is None else measures[measures["no"].isin(measure_nos)]
        if measures is not None and len(tied) < len(measure_nos):
            known = set(measures["no"])
            unknown = [str(no) for no in measure_nos if no not in known]
            more = f"ほか{len(unknown) - 10}件" if len(unknown) > 10 else ""
            raise IndicatorError(f"関連施策の No.{'、No.'.join(unknown[:10])}{more} は状況表にありません", path=path,
                                 line=line, value=cell["関連施策"])
        in_groups = set() if broadest is None else set(tied[broadest])
        for index, level in level_columns.items():
            if not cells[index]:
                continue
            group = groups_of[level].get(unicodedata.normalize("NFKC", spreadsheet_text(cells[index])))
            if group is None:
                raise IndicatorError(f"{header[index]}にない名前です（あるのは "
                                     f"{'・'.join(map(str, groups_of[level].values()))}）", path=path, line=line,
                                     value=cells[index])
            in_groups |= set(measures.loc[measures[level] == group, broadest])
        groups = tuple(group for group in group_order if group in in_groups)
        values = {}
        for index, fy in years.items():
            value = number(f"{header[index]}の実績値", cells[index])
            if value is not None:
                values[fy] = value
        found.append({"name": name, "unit": cell["単位"], "direction": cell["方向"], "baseline_fy": baseline_fy,
                      "baseline": baseline, "target_fy": target_fy, "target": target,
                      "tolerance": float("nan") if tolerance is None else tolerance,
                      "related": cell.get("関連施策", ""), "department": cell.get("担当課", ""),
                      "measure_nos": measure_nos, "groups": groups, "values": values, "line": line})
    frame = pd.DataFrame(found, columns=["name", "unit", "direction", "baseline_fy", "baseline", "target_fy",
                                         "target", "tolerance", "related", "department", "measure_nos", "groups",
                                         "values", "line"])
    return frame.astype({"name": "str", "unit": "str", "direction": "str", "related": "str", "department": "str",
                         "baseline_fy": "int64", "target_fy": "int64", "baseline": "float64", "target": "float64",
                         "tolerance": "float64", "line": "int64"})
