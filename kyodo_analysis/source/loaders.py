"""Tidy tables of a plan's status table: measures, schedule, departments and the plan itself.

Each loader takes ``raw``, the table as extracted: ``None`` for the bundled
Kitamoto table (:data:`config.KITAMOTO_STATUS_TABLE`), or the path of another
(parsed with :func:`read_status_table`). The processed CSVs that
:func:`write_processed` writes are read back, with the same dtypes, by
:func:`read_processed`.

The columns and their dtypes are fixed by :data:`COLUMNS`; with their
meanings they make the codebook (``data/README.md``,
:func:`kyodo_analysis.writers.codebook.write_codebook`).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kyodo_analysis.config import KITAMOTO_ERA, KITAMOTO_STATUS_TABLE
from kyodo_analysis.file_writes import write_file
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.source.parsing import StatusTable, StatusTableError, decode_text, read_status_table, read_table_file
from kyodo_analysis.validation import (
    MAX_CELL_CHARS,
    UNUSUAL_CHARACTER,
    ArgumentError,
    ArgumentTypeError,
    check_choice,
    check_scale,
    os_error_reason,
)

__all__ = [
    "load_measures",
    "load_schedule",
    "load_departments",
    "load_plan",
    "load_status_table",
    "spreadsheet_safe",
    "spreadsheet_text",
    "clear_cache",
    "write_processed",
    "tidy_frame",
    "read_processed",
    "COLUMNS",
    "TABLE_FILES",
]

Raw = str | os.PathLike | None  # the path of an extracted table, or None (Kitamoto's)


@dataclass(frozen=True)
class Column:
    """One column of a tidy table: its name and dtype (its meaning is in :data:`~kyodo_analysis.words.CODEBOOK_MEANINGS`)."""

    name: str
    dtype: str


#: The columns of each tidy table, in order.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "measures": (
        Column("no", "int64"), Column("block", "int64"), Column("direction", "str"), Column("content", "str"),
        Column("target_fy", "int64"), Column("continuing", "bool"), Column("status", "str"),
        Column("rating", "category"), Column("score", "int64"), Column("direction_normalized", "str"),
        Column("content_normalized", "str"), Column("status_normalized", "str"),
    ),
    "schedule": (Column("no", "int64"), Column("fy", "int64"), Column("mark", "str")),
    "departments": (Column("no", "int64"), Column("department", "str"), Column("position", "int64")),
    "plan": (
        Column("title", "str"), Column("era", "str"), Column("first_fy", "int64"), Column("last_fy", "int64"),
        Column("n_measures", "int64"), Column("n_blocks", "int64"),
    ),
}

#: The processed CSV of each tidy table.
TABLE_FILES = {name: f"{name}.csv" for name in COLUMNS}

#: A text a spreadsheet would run as a formula (OWASP, CSV injection): one that begins with ``=``, ``+``, ``-``,
#: ``@``, a tab or a carriage return, after any apostrophes. The CSVs write it with one more apostrophe in front.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
#: A text as the CSVs write it with that apostrophe: the reader removes it again.
_GUARDED_FORMULA_START = re.compile(r"'+[=+\-@\t\r]")
#: What the parser never writes into a text, so a processed CSV holding it was not made by `make data`.
_NEVER_WRITTEN = UNUSUAL_CHARACTER.pattern


def spreadsheet_safe(text: str) -> str:
    """A text cell for a CSV a person may open in a spreadsheet: one apostrophe before a formula's start.

    Texts that already begin with apostrophes before such a character get one
    more, so that :func:`spreadsheet_text` can tell the two apart and every text
    reads back exactly.

    Examples
    --------
    >>> [spreadsheet_safe(text) for text in ("=1+1", "-2", "'=x", "'ok", "協働")]
    ["'=1+1", "'-2", "''=x", "'ok", '協働']
    """
    return "'" + text if _FORMULA_START.match(text) else text


def spreadsheet_text(cell: str) -> str:
    """The text a CSV cell of :func:`spreadsheet_safe` holds: its guarding apostrophe removed.

    Examples
    --------
    >>> [spreadsheet_text(cell) for cell in ("'=1+1", "'-2", "''=x", "'ok", "協働")]
    ['=1+1', '-2', "'=x", "'ok", '協働']
    """
    return cell[1:] if _GUARDED_FORMULA_START.match(cell) else cell


def _text_columns(name: str) -> list[str]:
    """The columns of a tidy table that hold text (ratings are their symbols); numbers and booleans are not text."""
    return [column.name for column in COLUMNS[name] if column.dtype in ("str", "category")]


@functools.lru_cache(maxsize=16)
def _read_cached(path: str, mtime_ns: int, size: int, era: str | None, encoding: str | None, sheet: str | None,
                 scale: RatingScale) -> StatusTable:
    return read_status_table(path, era=era, encoding=encoding, sheet=sheet, scale=scale)


def clear_cache() -> None:
    """Forget parsed tables (they are cached by path, modification time and size)."""
    _read_cached.cache_clear()


def load_status_table(raw: Raw = None, *, era: str | None = None, encoding: str | None = None,
                      sheet: str | None = None, scale: RatingScale = KYODO_SCALE) -> StatusTable:
    """Parse a raw table (the bundled Kitamoto one by default), cached by file state.

    ``era`` is the era of bare header years; the bundled table's is
    :data:`~kyodo_analysis.config.KITAMOTO_ERA`, and a header that names its
    eras or is in Western years needs none. ``sheet`` names a workbook's
    sheet (``.xlsx`` only; default: the first sheet whose header names the columns).

    Examples
    --------
    >>> load_status_table().title
    '北本市市民と行政との協働推進計画施策実施状況のまとめ'
    """
    _check_arguments(raw, era, scale)
    if raw is None and era is None:
        era = KITAMOTO_ERA
    path = Path(KITAMOTO_STATUS_TABLE if raw is None else raw)
    try:
        stat = path.stat()
    except OSError as error:
        raise StatusTableError(f"ファイルを読めません（{os_error_reason(error)}）", path=path) from None
    return _read_cached(str(path), stat.st_mtime_ns, stat.st_size, era, encoding, sheet, scale)


def _check_arguments(raw: object, era: object, scale: object) -> None:
    if raw is not None and not isinstance(raw, (str, os.PathLike)):
        raise ArgumentTypeError(f"raw must be a path (str or Path) or None, not {type(raw).__name__}")
    if era is not None and not isinstance(era, str):
        raise ArgumentTypeError(f"era must be an era name such as '平成' (or None), not {era!r}")
    check_scale(scale)


def _frame(name: str, data: dict[str, list], scale: RatingScale) -> pd.DataFrame:
    frame = pd.DataFrame(data, columns=[column.name for column in COLUMNS[name]])
    for column in COLUMNS[name]:
        if column.dtype == "category":
            frame[column.name] = pd.Categorical(frame[column.name], dtype=scale.dtype)
        else:
            frame[column.name] = frame[column.name].astype(column.dtype)
    return frame


def tidy_frame(name: str, table: StatusTable, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """The tidy table ``name`` (a key of :data:`COLUMNS`) of a parsed status table, with its fixed columns."""
    measures = table.measures
    if name == "measures":
        written = [table.written(m) for m in measures]
        data = {
            "no": [m.no for m in measures],
            "block": [m.block for m in measures],
            "direction": [w.direction for w in written],
            "content": [w.content for w in written],
            "target_fy": [m.target_fy for m in measures],
            "continuing": [m.continuing for m in measures],
            "status": [w.status for w in written],
            "rating": [m.rating for m in measures],
            "score": [scale.score(m.rating) for m in measures],
            "direction_normalized": [m.direction for m in measures],
            "content_normalized": [m.content for m in measures],
            "status_normalized": [m.status for m in measures],
        }
    elif name == "schedule":
        rows = [(m.no, fy, mark) for m in measures for fy, mark in m.marks]
        data = {"no": [r[0] for r in rows], "fy": [r[1] for r in rows], "mark": [r[2] for r in rows]}
    elif name == "plan":
        data = {
            "title": [table.title],
            "era": [table.era],
            "first_fy": [table.fiscal_years[0]],
            "last_fy": [table.fiscal_years[-1]],
            "n_measures": [len(measures)],
            "n_blocks": [len({m.block for m in measures})],
        }
    else:
        rows = [(m.no, d, i) for m in measures for i, d in enumerate(m.departments, start=1)]
        data = {"no": [r[0] for r in rows], "department": [r[1] for r in rows], "position": [r[2] for r in rows]}
    return _frame(name, data, scale)


def _check_processed_texts(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    """Refuse in a processed CSV what the parser never writes: control, bidi and invisible characters, over-long cells."""
    for column in columns:
        values = frame[column]
        bad = (values.str.contains(_NEVER_WRITTEN, regex=True)
               | (values.str.len() > MAX_CELL_CHARS)).to_numpy().nonzero()[0]
        if len(bad):
            row = int(bad[0])
            raise StatusTableError(
                f"列 {column} の値に、表の読み込みでは書かれない文字（制御文字・双方向制御文字・見えない文字）があるか、"
                f"{MAX_CELL_CHARS:,} 文字を超えています。`make data` で作り直してください",
                path=path, line=row + 2, value=values.iloc[row])


def _from_processed(name: str, folder: Path, scale: RatingScale) -> pd.DataFrame:
    path = folder / TABLE_FILES[name]
    columns = COLUMNS[name]
    if not os.path.lexists(path):
        raise StatusTableError(
            "整理済みの表がありません。フォルダを指定したときは、`make data` の CSV が入っている必要があります"
            "（元の表はファイルで指定します）", path=path)
    # the checks of every input: a regular file within the size limit, never a device or FIFO
    text = decode_text(read_table_file(path), str(path), "utf-8-sig")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as failure:
        raise StatusTableError(f"`make data` の CSV ではありません（{failure}）", path=path) from None
    expected = [column.name for column in columns]
    if list(frame.columns) != expected:
        raise StatusTableError(f"列は {expected} のはずです", path=path, line=1, value=list(frame.columns))
    frame = frame.assign(**{column: frame[column].map(spreadsheet_text) for column in _text_columns(name)})
    _check_processed_texts(frame, _text_columns(name), path)
    for column in columns:
        values = frame[column.name]
        if column.dtype == "int64":
            bad = ~values.str.fullmatch(r"-?[0-9]+")
        elif column.dtype == "bool":
            bad = ~values.isin(["True", "False"])
        elif column.dtype == "category":
            bad = ~values.isin(scale.symbols)
        elif column.name == "title":
            bad = values.isna()  # a table may have no title line
        else:
            bad = values == ""
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise StatusTableError(
                f"列 {column.name!r} の値は {column.dtype} のはずです", path=path, line=row + 2, value=values.iloc[row]
            )
    data = {
        column.name: frame[column.name].eq("True") if column.dtype == "bool" else frame[column.name]
        for column in columns
    }
    loaded = _frame(name, data, scale)
    if name == "measures":
        expected_score = pd.Series(scale.scores).to_numpy()[scale.codes(loaded["rating"])]
        mismatch = (loaded["score"].to_numpy() != expected_score).nonzero()[0]
        if len(mismatch):
            row = int(mismatch[0])
            raise StatusTableError(
                f"得点が評価 {loaded['rating'].iloc[row]} と合いません", path=path, line=row + 2,
                value=int(loaded["score"].iloc[row]),
            )
    return loaded


def _load(name: str, raw: Raw, era: str | None, encoding: str | None, sheet: str | None,
          scale: RatingScale) -> pd.DataFrame:
    _check_arguments(raw, era, scale)
    if raw is not None and Path(raw).is_dir():
        raise ArgumentError(f"{raw}: フォルダです。抽出した表のファイルを指定してください。"
                            f"整理済みの CSV のフォルダは read_processed で読みます（例: read_processed({str(raw)!r})"
                            f"[{name!r}]）")
    return tidy_frame(name, load_status_table(raw, era=era, encoding=encoding, sheet=sheet, scale=scale), scale)


def read_processed(folder: str | os.PathLike, *, tables: Sequence[str] | None = None,
                   scale: RatingScale = KYODO_SCALE) -> dict[str, pd.DataFrame]:
    """The tidy tables that :func:`write_processed` wrote into ``folder``, with the dtypes of :data:`COLUMNS`.

    ``tables`` names the ones to read (keys of :data:`COLUMNS`; default: all four).

    Each CSV is read with the checks of a raw table (a regular file, its
    size, its encoding), and a text the parser never writes is refused.

    Examples
    --------
    >>> from kyodo_analysis.config import DATA_PROCESSED
    >>> tables = read_processed(DATA_PROCESSED)
    >>> sorted(tables), len(tables["measures"])
    (['departments', 'measures', 'plan', 'schedule'], 19)
    """
    check_scale(scale)
    names = list(COLUMNS) if tables is None else list(tables)
    for name in names:
        check_choice(name, "tables", tuple(COLUMNS))
    return {name: _from_processed(name, Path(folder), scale) for name in names}


def load_measures(raw: Raw = None, *, era: str | None = None, encoding: str | None = None,
                  sheet: str | None = None, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Load one row per measure, sorted by ``no``.

    Parameters
    ----------
    raw : path-like, optional
        A raw extracted table, a folder of processed CSVs, or None for the
        bundled Kitamoto table.
    era : str, optional
        The era of bare header years (平成: 19 is FY2007); a header that names its eras
        (平成30 令和元, H30) or is in Western years (2018) needs none.
    encoding : str, optional
        The raw table's encoding; detected (UTF-8, UTF-8 BOM, CP932) when None.
    sheet : str, optional
        The sheet of a workbook (``.xlsx``) that holds the table; None = the
        first sheet whose header names the columns.
    scale : RatingScale
        The ratings the table uses (default :data:`KYODO_SCALE`); sets the
        categories of ``rating`` and the ``score``.

    Returns
    -------
    pandas.DataFrame
        ===========  ==========  ==================================================
        column       dtype       meaning
        ===========  ==========  ==================================================
        no           int64       施策番号, unique
        block        int64       block of the table, 1 = first header
        direction    str         施策の方向性, normalized
        content      str         内容, normalized
        target_fy    int64       Western fiscal year of the ○ (target) mark
        continuing   bool        a → (continuing year) follows the ○
        status       str         施策実施状況, normalized
        rating       category    評価, ordered ['×','△','○','◎'], worst first
        score        int64       × 0, △ 1, ○ 2, ◎ 3 (the scale's scores)
        ===========  ==========  ==================================================

    Raises
    ------
    StatusTableError
        If the table has a defect; the message names the file, line and value.

    Examples
    --------
    >>> measures = load_measures()
    >>> len(measures), measures["rating"].value_counts(sort=False).to_dict()
    (19, {'×': 4, '△': 4, '○': 8, '◎': 3})
    >>> measures.loc[measures["no"] == 8, ["target_fy", "continuing"]].to_numpy().tolist()
    [[2009, True]]
    """
    return _load("measures", raw, era, encoding, sheet, scale)


def load_schedule(raw: Raw = None, *, era: str | None = None, encoding: str | None = None,
                  sheet: str | None = None, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Load one row per marked fiscal year of a measure, sorted by ``no`` and ``fy``.

    Parameters are those of :func:`load_measures`.

    Returns
    -------
    pandas.DataFrame
        ======  =======  =========================================
        column  dtype    meaning
        ======  =======  =========================================
        no      int64    施策番号
        fy      int64    Western fiscal year marked in 実施目標年度
        mark    str      ○ target (start) year, → continuing year
        ======  =======  =========================================

    Examples
    --------
    >>> schedule = load_schedule()
    >>> schedule[schedule["no"] == 14].to_numpy().tolist()
    [[14, 2007, '○'], [14, 2008, '→']]
    """
    return _load("schedule", raw, era, encoding, sheet, scale)


def load_departments(raw: Raw = None, *, era: str | None = None, encoding: str | None = None,
                     sheet: str | None = None, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Load one row per responsible department of a measure, sorted by ``no`` and ``position``.

    Parameters are those of :func:`load_measures`.

    Returns
    -------
    pandas.DataFrame
        ==========  =======  ==================================================
        column      dtype    meaning
        ==========  =======  ==================================================
        no          int64    施策番号
        department  str      推進課: a department; 全課 means all departments
        position    int64    order in the 推進課 cell, 1 = listed first
        ==========  =======  ==================================================

    Examples
    --------
    >>> departments = load_departments()
    >>> departments[departments["no"] == 16]["department"].tolist()
    ['政策推進課', '協働推進課', '全課']
    """
    return _load("departments", raw, era, encoding, sheet, scale)


def load_plan(raw: Raw = None, *, era: str | None = None, encoding: str | None = None,
              sheet: str | None = None, scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Load one row describing the plan: its title, era and period.

    Parameters are those of :func:`load_measures`.

    Returns
    -------
    pandas.DataFrame
        ==========  =======  ==================================================
        column      dtype    meaning
        ==========  =======  ==================================================
        title       str      the table's title line(s), as extracted
        era         str      era of the header years
        first_fy    int64    first fiscal year of the plan period
        last_fy     int64    last fiscal year of the plan period
        n_measures  int64    number of measures
        n_blocks    int64    number of blocks
        ==========  =======  ==================================================

    Examples
    --------
    >>> load_plan()[["era", "first_fy", "last_fy", "n_measures", "n_blocks"]].to_numpy().tolist()
    [['平成', 2007, 2012, 19, 3]]
    """
    return _load("plan", raw, era, encoding, sheet, scale)


def write_processed(out_dir: str | os.PathLike, raw: Raw = None, *, era: str | None = None,
                    encoding: str | None = None, sheet: str | None = None) -> list[Path]:
    """Write the tidy tables as UTF-8 CSVs with a BOM (for Excel in Japan) and LF line ends; return their paths.

    The bytes depend only on the table, so rebuilding leaves them unchanged.
    A text that a spreadsheet would run as a formula (it begins with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return, after any apostrophes) is
    written with one more apostrophe in front; numbers keep their sign.
    Loading the folder (``load_measures(out_dir)``) removes that apostrophe,
    so every value reads back exactly.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    table = load_status_table(raw, era=era, encoding=encoding, sheet=sheet)
    written = []
    for name, file_name in TABLE_FILES.items():
        path = out_dir / file_name
        _write_csv(name, tidy_frame(name, table), path)
        written.append(path)
    return written


def _write_csv(name: str, frame: pd.DataFrame, path: Path) -> None:
    """Write one tidy table as :func:`write_processed` does: UTF-8, LF, formula starts guarded."""
    guarded = {column: frame[column].astype("str").map(spreadsheet_safe) for column in _text_columns(name)}
    # Python's csv writer quotes a text holding the line end (LF) but not a lone CR, at which a reader would end
    # the row: a table with such a text quotes every text
    carriage_return = any(value.str.contains("\r", regex=False).any() for value in guarded.values())
    text = frame.assign(**guarded).to_csv(index=False, lineterminator="\n",
                                          quoting=csv.QUOTE_NONNUMERIC if carriage_return else csv.QUOTE_MINIMAL)
    write_file(path, text.encode("utf-8-sig"))  # with a BOM: Excel in Japan reads BOM-less UTF-8 as mojibake
