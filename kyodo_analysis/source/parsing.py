"""Read the text extracted from a plan's status table (施策実施状況のまとめ).

The extracted table is tab-separated and messy. Its shape:

- optional title lines;
- one or more blocks, each made of
  - a header line whose first cell is ``No``,
  - a header line of years: bare era years (``19 20 … 24``, in the era
    given), era years (``平成30 令和元 2 3``, ``H30 R1``, the era holding
    for the bare numbers after it) or Western years (``2018 … 2022``),
    whose cells may be misplaced (on page 1 of the Kitamoto table ``24``
    sits in the last cell),
  - data rows: ``No``, 施策の方向性, 内容, one cell per header year holding
    ``○`` (target year) or ``→`` (continuing year), then 推進課, 施策実施状況 and
    評価, which are the last three non-empty cells of the row (how many empty
    cells trail varies, and 推進課 may slide into the last year cell).

Every defect raises :class:`StatusTableError` naming the file, the line and
the offending value; nothing is dropped or guessed silently.

Examples
--------
>>> text = (
...     "No\\t施策の方向性\\t内 容\\t実施目標年度\\t\\t推進課\\t施策実施状況\\t評価\\n"
...     "\\t\\t\\t19\\t20\\n"
...     "1\\t相談窓口\\t窓口を開設\\t○\\t→\\t協働推進課 全 課\\t平成 19 年度 に開設した。\\t◎\\n"
... )
>>> table = parse_status_table(text, era="平成")
>>> m = table.measures[0]
>>> m.no, m.target_fy, m.marks, m.departments, m.status, m.rating
(1, 2007, ((2007, '○'), (2008, '→')), ('協働推進課', '全課'), '平成19年度に開設した。', '◎')
"""

from __future__ import annotations

import dataclasses
import gc
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kyodo_analysis.era import WESTERN, era_year_to_fiscal_year, eras_named, find_fiscal_years, read_header_year
from kyodo_analysis.file_writes import replaceable
from kyodo_analysis.ratings import KYODO_SCALE, LOOKALIKES, RatingError, RatingScale, canonical_symbol
from kyodo_analysis.validation import (
    BIDI_CONTROL,
    CONTROL_CHARACTER,
    INVISIBLE,
    MAX_CELL_CHARS,
    SPREADSHEET_ERROR,
    UNUSUAL_CHARACTER,
    ArgumentError,
    ArgumentTypeError,
    KyodoError,
    os_error_reason,
    quote_value,
    remove_invisible,
)

__all__ = [
    "StatusTableError",
    "quote_value",
    "MAX_TABLE_BYTES",
    "Measure",
    "WrittenTexts",
    "NormalizationNote",
    "NOTE_KINDS",
    "StatusTable",
    "parse_status_table",
    "read_status_table",
    "normalize_text",
    "written_text",
    "split_departments",
    "DEPARTMENT_SUFFIXES",
    "TARGET_MARK",
    "CONTINUING_MARK",
    "nfkc",
    "decode_text",
    "read_table_file",
    "differs_from",
    "TABLE_HEADING_WORDS",
    "plan_name",
    "line_at",
    "reject_bidi_controls",
]

TARGET_MARK = "○"
CONTINUING_MARK = "→"

#: A department name is complete when it ends in one of these. A name that
#: extraction split (``全 課``) is rejoined until it does.
DEPARTMENT_SUFFIXES: tuple[str, ...] = ("課", "室", "局", "部", "所", "センター")

#: The cell where the first header year (and the first year mark) stands.
FIRST_YEAR_CELL = 3

_JAPANESE = (
    "\u3000-\u303f"  # CJK symbols and punctuation (。、「」々)
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana (with ー)
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kanji
    "\uff00-\uffef"  # full-width forms NFKC leaves alone
)
_JAPANESE_PUNCTUATION = "\u3000-\u303f"
# A space is an extraction artefact between two Japanese characters, between
# a Japanese character and a digit (平成 19 年度 -> 平成19年度), and next to
# Japanese punctuation (、 NPO -> 、NPO), which is never followed by a space.
# Every pattern over the whole text starts with a literal space, so that the
# regex engine jumps from space to space instead of trying every character
# (a leading look-behind would cost 3x more on a large table); the
# look-behinds follow the first space and so are of fixed width.
_ARTEFACT_SPACE = re.compile(
    rf" (?:(?<=[{_JAPANESE}] ) *(?=[{_JAPANESE}0-9])|(?<=[0-9] ) *(?=[{_JAPANESE}])"
    rf"|(?<=[{_JAPANESE_PUNCTUATION}] ) *| *(?=[{_JAPANESE_PUNCTUATION}]))"
)
# Whitespace other than a plain space, a tab or a line end (\r, \x0c, \u2028,
# …); NFKC has already made \u3000 and \xa0 plain spaces.
_OTHER_WHITESPACE = re.compile(r"[^\S \t\n]+")
_SPACES_AT_CELL_EDGES = re.compile(r" (?:(?<=[\t\n] ) *| *(?=[\t\n]|\Z))")
_SPACE_RUN = re.compile(r"  +")
# Full-width ASCII (digits, letters) is folded before NFKC, so that most lines
# are NFKC already and skip the slow full normalization.
_FULLWIDTH_RUN = re.compile("[\uff01-\uff5e]+")
_FULLWIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# A year cell's content, look-alikes included, and the mark it stands for.
_YEAR_MARKS = {symbol: symbol for symbol in (TARGET_MARK, CONTINUING_MARK)} | {
    lookalike: symbol for lookalike, symbol in LOOKALIKES.items() if symbol in (TARGET_MARK, CONTINUING_MARK)
}
_HEADER_CELLS = frozenset({"no", "no."})  # a block header's first cell, lower-cased
_DIGITS = re.compile(r"[0-9]+")

#: The largest raw table read, in bytes: far above any real plan (the 19 Kitamoto measures take
#: 7 KB, 1,000 measures about 0.4 MB), and small enough to parse in a few seconds.
MAX_TABLE_BYTES = 20_000_000
#: Measure numbers a table may use.
MEASURE_NUMBERS = range(1, 100_000)
#: The last year of each era that has ended (平成31年度 is FY2019, the year 令和 began in).
ERA_LAST_YEARS: dict[str, int] = {"明治": 45, "大正": 15, "昭和": 64, "平成": 31}
_ERA_YEAR_MENTION = re.compile(r"(明治|大正|昭和|平成|令和) ?(?:[0-9]+|元) ?年度")


class StatusTableError(KyodoError):
    """A defect in an extracted status table.

    The message quotes the offending value as it is written in the file and,
    when the parser read it differently (NFKC, look-alikes), what it read:
    ``table.txt:6: 評価 'A'（No.3）は評価の尺度にありません（使える記号: ◎ ○ △ ×）（書かれた値 'Ａ'、読み取り 'A'）``.
    Long values are cut to :data:`~kyodo_analysis.validation.MAX_QUOTED_CHARS` characters.

    Attributes
    ----------
    path : str
        The file (or ``"<text>"`` for text given directly).
    line : int or None
        The 1-based line of the defect, or None when it is not on one line.
    value : object
        The offending value as written in the file, or None.
    read_as : object
        The value as the parser read it, when that differs from ``value``; else None.
    """

    def __init__(self, problem: str, *, path: str | os.PathLike, line: int | None = None, value: object = None,
                 read_as: object = None):
        self.path = str(path)
        self.line = line
        self.value = value
        self.read_as = read_as if read_as != value else None
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        shown = ""
        if value is not None:
            if self.read_as is not None:
                shown = f"（書かれた値 {quote_value(value)}、読み取り {quote_value(self.read_as)}）"
            else:
                shown = f"（{quote_value(value)}）"
        super().__init__(f"{where}: {problem}{shown}")


class Measure(NamedTuple):
    """One row of a status table, normalized and validated."""

    no: int
    block: int
    direction: str
    content: str
    marks: tuple[tuple[int, str], ...]  # (fiscal year, ○ or →), in year order
    departments: tuple[str, ...]
    status: str
    rating: str
    line: int

    @property
    def target_fy(self) -> int:
        """The fiscal year marked ○ (always the first mark: a → before it is rejected)."""
        return self.marks[0][0]

    @property
    def continuing(self) -> bool:
        """Whether a → follows the ○ (every mark after the one ○ is a →)."""
        return len(self.marks) > 1


def strip_line(measure: Measure) -> Measure:
    """The measure with ``line`` set to 0, to compare content only."""
    return measure._replace(line=0)


#: The kinds of change the parser records in :attr:`StatusTable.notes`, in the order they are listed.
NOTE_KINDS: tuple[str, ...] = (
    "header_year_misplaced",  # a header year stood in the wrong cell; the years are read in order of value
    "width_folded",  # full-width letters, digits and brackets made half-width (NFKC)
    "spaces_removed",  # spaces that extraction put inside Japanese removed
    "department_rejoined",  # a department name split by extraction joined again (全 課 -> 全課)
    "lookalike_mark",  # a look-alike read as the mark it stands for (〇 -> ○)
    "era_inferred",  # bare header years read in the one era the statuses name years in (no --era given)
    "column_set_aside",  # a grid's column that is none of the table's (備考, …), kept aside unread
    "radical_mapped",  # a PDF's radical code point (⽅ U+2F45, ⺠ U+2EA0) read as its ideograph (方, 民)
    "middle_dot",  # a PDF's middle-dot look-alike (‧ · ･) read as ・
    "row_joined",  # the rest of a row that a PDF's page break split, joined to its first part
    "page_sections",  # the table sections (表の区分) of a PDF are its pages: each page's table is one
    "department_in_year_cell",  # 推進課 slid into the last year cell
    "invisible_removed",  # characters that print as nothing (validation.INVISIBLE: U+200B, U+00AD, ...) removed
)


class NormalizationNote(NamedTuple):
    """One change the parser made to a cell of the raw table."""

    line: int  # 1-based line of the raw file
    no: int | None  # measure number; None on a header line
    field: str  # the table's column: 表題, 見出し, 年度見出し, No, 施策の方向性, 内容, 年度, 推進課, 施策実施状況 or 評価
    kind: str  # one of NOTE_KINDS
    before: str  # the raw cell (or cells), as written
    after: str  # what the parser read


class WrittenTexts(NamedTuple):
    """A measure's texts as the table writes them (extraction spaces removed, nothing else changed)."""

    direction: str
    content: str
    status: str


@dataclass(frozen=True)
class StatusTable:
    """A parsed status table.

    Its title lines, its measures sorted by number, its header years, and the
    notes of every change made to a raw cell on the way (in line order).
    ``era`` is how its header writes years: an era (平成), the eras it spans
    (平成・令和), or 西暦.
    """

    path: str
    title: str
    measures: tuple[Measure, ...]
    era: str
    fiscal_years: tuple[int, ...]  # every header year of every block, as Western fiscal years
    notes: tuple[NormalizationNote, ...] = ()
    western: bool = False  # the header is written in Western years, so labels are too (2018年度)
    #: Each measure's 施策の方向性, 内容 and 施策実施状況 as the table writes them, by number: only the
    #: extraction's spaces removed, never NFKC (（案） stays full-width). Empty: the measures' own texts.
    as_written: dict[int, WrittenTexts] = dataclasses.field(default_factory=dict)
    #: The page of a PDF that each measure's row starts on, by number (a PDF's table only; else empty).
    pages: dict[int, int] = dataclasses.field(default_factory=dict)

    def written(self, measure: Measure) -> WrittenTexts:
        """The measure's texts as written: what a reader is shown (the measure's fields are for matching)."""
        return self.as_written.get(measure.no) or WrittenTexts(measure.direction, measure.content, measure.status)


def _clean_whitespace(text: str) -> str:
    """Strip every cell of NFKC text and make each inner run of whitespace one space, keeping tabs and line ends."""
    text = _OTHER_WHITESPACE.sub(" ", text).lstrip(" ")
    return _SPACE_RUN.sub(" ", _SPACES_AT_CELL_EDGES.sub("", text))


def nfkc(text: str) -> str:
    """NFKC, fast on text that is mostly NFKC already (line by line where needed).

    Examples
    --------
    >>> nfkc("ＮＰＯ（社会福祉協議会）")
    'NPO(社会福祉協議会)'
    """
    text = _FULLWIDTH_RUN.sub(lambda run: run.group().translate(_FULLWIDTH_ASCII), text)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return "\n".join(
        line if unicodedata.is_normalized("NFKC", line) else unicodedata.normalize("NFKC", line)
        for line in text.split("\n")
    )


def _normalize_cells(cells: list[str]) -> list[str]:
    """Remove artefact spaces from many cleaned cells at once (one regex pass over all of them)."""
    joined = _ARTEFACT_SPACE.sub("", "\n".join(cells))
    return joined.split("\n") if cells else []


def normalize_text(text: str) -> str:
    """Apply NFKC and remove the spaces that extraction put inside Japanese.

    Spaces between Latin words, and between a Latin word and Japanese, are
    kept; a space next to Japanese punctuation (、。「」) is removed.

    Examples
    --------
    >>> normalize_text("平成 19 年度から月 1 回、 ＮＰＯ 活動")
    '平成19年度から月1回、NPO 活動'
    >>> normalize_text("NPO/SOHO オフィスの設置")
    'NPO/SOHO オフィスの設置'
    """
    return written_text(unicodedata.normalize("NFKC", text))


def written_text(text: str) -> str:
    r"""A typed text as the table shows it: one line, the spaces that extraction puts inside Japanese removed,
    and nothing else changed (no NFKC: （案） stays full-width). :func:`normalize_text` of it is what is matched.

    Examples
    --------
    >>> written_text("平成 23 年度に\n条例（案）を  作成")
    '平成23年度に条例（案）を作成'
    """
    return _normalize_cells([" ".join(text.split())])[0]


def _split_departments_normalized(cell: str, suffixes: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    pending = ""
    for token in cell.split():
        pending += token
        if pending.endswith(suffixes):
            if pending in names:
                raise ValueError(f"同じ推進課が2回書かれています: {pending!r}")
            names.append(pending)
            pending = ""
    if pending:
        raise ValueError(f"推進課の名前が途中で終わっています: {pending!r}（名前は {'・'.join(suffixes)} で終わります）")
    return names


def split_departments(cell: str, suffixes: tuple[str, ...] = DEPARTMENT_SUFFIXES) -> list[str]:
    """Split a 推進課 cell into department names, rejoining broken names.

    Raises
    ------
    ValueError
        If the cell ends in an incomplete name, or names a department twice.

    Examples
    --------
    >>> split_departments("政策推進課 協働推進課 全 課")
    ['政策推進課', '協働推進課', '全課']
    """
    cell = unicodedata.normalize("NFKC", cell).strip()
    if not cell:
        raise ValueError("推進課がありません")
    return _split_departments_normalized(cell, suffixes)


def decode_text(data: bytes, path: str, encoding: str | None, *,
                error: type[StatusTableError] = StatusTableError) -> str:
    """Decode UTF-8 (with or without BOM) or CP932, as given or detected; an error names ``path`` and the line.

    Examples
    --------
    >>> decode_text("施策".encode("cp932"), "t.csv", None)
    '施策'
    """
    if encoding is None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error("ファイルが UTF-16 です。UTF-8 で保存し直してください（読めるのは UTF-8、BOM 付き UTF-8、CP932）",
                    path=path, line=1, value=data[:2])
    if encoding is None:
        if data.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8-sig"
        else:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError as failure:
                # Valid UTF-8 text before the bad byte means a damaged UTF-8
                # file, not CP932 (whose kanji are invalid UTF-8 at once).
                if any(byte >= 0x80 for byte in data[: failure.start]):
                    _raise_undecodable(data, path, "utf-8", failure, error)
            encoding = "cp932"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as failure:
        _raise_undecodable(data, path, encoding, failure, error)
    except LookupError:
        raise error("文字コードの名前が不明です", path=path, value=encoding) from None


def _raise_undecodable(data: bytes, path: str, encoding: str, failure: UnicodeDecodeError,
                       error: type[StatusTableError]) -> None:
    line = data.count(b"\n", 0, failure.start) + 1
    raise error(
        f"{encoding} として読めないバイトがあります（読めるのは UTF-8、BOM 付き UTF-8、CP932）",
        path=path,
        line=line,
        value=data[failure.start : failure.end],
    ) from None


class _Original:
    """The decoded text as written, for quoting a cell in an error (split into lines only then)."""

    def __init__(self, text: str):
        self.text = text
        self._lines: list[str] | None = None

    def line(self, line: int) -> str:
        """The line, without its line end and the blanks around it."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines[line - 1].rstrip("\r").strip()

    def cells(self, line: int) -> list[str]:
        """The line's cells, each stripped (a line may start with empty cells)."""
        self.line(line)
        return [cell.strip() for cell in self._lines[line - 1].split("\t")]

    def cell(self, line: int, index: int) -> str:
        cells = self.cells(line)
        return cells[index] if index < len(cells) else ""


def line_at(text: str, position: int) -> tuple[int, str]:
    """The 1-based number and the text (without its line end) of the line of ``text`` holding ``position``.

    Examples
    --------
    >>> line_at("No\\t方向\\r\\n1\\t相談", 7)
    (2, '1\\t相談')
    """
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text.count("\n", 0, position) + 1, text[start:None if end < 0 else end].rstrip("\r")


def _reject_control_characters(text: str, path: str) -> None:
    found = CONTROL_CHARACTER.search(text)
    if found is not None:
        line, written = line_at(text, found.start())
        raise StatusTableError(
            f"制御文字 U+{ord(found.group()):04X} があります（読めるのはタブと改行だけです）",
            path=path, line=line, value=written,
        )


def reject_bidi_controls(text: str, path: str | os.PathLike, *, error: type[StatusTableError] = StatusTableError,
                         first_line: int = 1) -> None:
    """Refuse a bidirectional control character (U+202A-U+202E, U+2066-U+2069), naming its line and quoting its cell.

    Such a character makes text print in another order than it is written (U+202E turns
    a name around); a plan's text never needs one. ``first_line`` is the file's line
    where ``text`` starts (a cell's row).

    Examples
    --------
    >>> reject_bidi_controls("1\\t協働\\u202e推進課", "t.txt")
    Traceback (most recent call last):
    ...
    kyodo_analysis.source.parsing.StatusTableError: t.txt:1: 双方向制御文字 U+202E があります。文字の並びを実際と違って見せる文字で、計画の文には使いません。削除してください（'協働\\u202e推進課'）
    """
    found = BIDI_CONTROL.search(text)
    if found is not None:
        line, written = line_at(text, found.start())
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1)
        cell_start = written.rfind("\t", 0, column) + 1
        cell_end = written.find("\t", column)
        written = written[cell_start:None if cell_end < 0 else cell_end]  # the cell, in a tab-separated line
        raise error(f"双方向制御文字 U+{ord(found.group()):04X} があります。文字の並びを実際と違って見せる文字で、"
                    "計画の文には使いません。削除してください", path=path, line=first_line + line - 1, value=written)


def _reject_long_cells(text: str, path: str) -> None:
    """Refuse a cell longer than Excel's limit before any costly normalization (only long lines are split)."""

    if len(text) <= MAX_CELL_CHARS:
        return
    for line, written in enumerate(text.split("\n"), start=1):
        if len(written) <= MAX_CELL_CHARS:
            continue
        cells = written.rstrip("\r").split("\t")
        for index, cell in enumerate(cells):
            length = len(cell.strip())
            if length > MAX_CELL_CHARS:
                field = _field_of_raw_cell(cells, index)
                raise StatusTableError(
                    f"{index + 1}列目{f'（{field}）' if field else ''}のセルが {length:,} 文字あり、"
                    f"Excelの1セルの上限 {MAX_CELL_CHARS:,} 文字を超えます。内容を確かめて短くしてください",
                    path=path, line=line, value=cell.strip())


def _field_of_raw_cell(cells: list[str], index: int) -> str:
    """The column a raw cell stands in when its line is a data row (its first cell a number); else ""."""
    stripped = [cell.strip() for cell in cells]
    if not nfkc(stripped[0]).isdigit():
        return ""
    trailing = _trailing_cells(stripped)
    if trailing is not None and index in trailing:
        return ("推進課", "施策実施状況", "評価")[trailing.index(index)]
    return ("No", "施策の方向性", "内容")[index] if index < FIRST_YEAR_CELL else "年度"


def _reject_long_texts(texts: list[str], row_lines: list[int], path: str) -> None:
    """Refuse a 施策の方向性, 内容 or 施策実施状況 that NFKC made longer than Excel's limit (``texts``: each field's run)."""

    if not texts or max(map(len, texts)) <= MAX_CELL_CHARS:
        return
    n = len(row_lines)
    position = next(i for i, text in enumerate(texts) if len(text) > MAX_CELL_CHARS)
    field = ("施策の方向性", "内容", "施策実施状況")[position // n]
    raise StatusTableError(f"{field}が正規化（NFKC）で {len(texts[position]):,} 文字になり、Excelの1セルの上限 "
                           f"{MAX_CELL_CHARS:,} 文字を超えます。内容を確かめて短くしてください",
                           path=path, line=row_lines[position % n], value=texts[position])


def _lines_with_invisible(text: str) -> set[int]:
    """The 1-based lines that hold an invisible character (:data:`~kyodo_analysis.validation.INVISIBLE`)."""
    lines: set[int] = set()
    line, position = 1, 0
    for found in INVISIBLE.finditer(text):
        line += text.count("\n", position, found.start())
        position = found.start()
        lines.add(line)
    return lines


def _invisible_notes(original: _Original, line: int, no: int | None, fields: list[str]) -> list[NormalizationNote]:
    """A note for each cell of ``line`` that held invisible characters; ``fields`` names the cells (the last one repeats)."""
    notes = []
    for index, cell in enumerate(original.cells(line)):
        if INVISIBLE.search(cell):
            field = fields[min(index, len(fields) - 1)]
            notes.append(NormalizationNote(line, no, field, "invisible_removed", cell, remove_invisible(cell)))
    return notes


def _reject_invisible_cells(original: _Original, lines: set[int], path: str) -> None:
    """Refuse a cell that holds only invisible characters: it looks empty, yet is no empty cell and no value."""
    for line in sorted(lines):
        for index, cell in enumerate(original.cells(line)):
            if cell and not remove_invisible(cell).strip():
                raise StatusTableError(
                    f"{index + 1}列目のセルは見えない文字（ゼロ幅文字など）だけで、値（施策実施状況など）になりません。"
                    "セルを空にするか、値を入れてください", path=path, line=line, value=cell)


class _EraNeeded(StatusTableError):
    """A header of bare years and no era given: :func:`parse_status_table` may still find it in the statuses."""


class _Calendar:
    """What the year lines of a table name: the eras (or Western years) they are written in."""

    def __init__(self, era: str | None):
        self.given = era  # --era: the era of bare numbers before any named one
        self.named: list[str] = []  # each calendar the header cells name, in order
        self.bare_used = False  # whether a bare number took the given era

    @property
    def western(self) -> bool:
        return bool(self.named) and all(name == WESTERN for name in self.named)

    def describe(self) -> str:
        """The table's era as plan.csv records it: 平成, 平成・令和, or 西暦."""
        eras = list(dict.fromkeys(([self.given] if self.bare_used else []) + self.named))
        return "・".join(eras)


def _parse_year_header(cells: list[str], path: str, line: int, calendar: _Calendar,
                       original: _Original) -> tuple[list[int], NormalizationNote | None]:
    """The header's years as Western fiscal years, and a note when their cells were misplaced.

    A cell holds a bare era year (19, in the era of the cells before it, or
    ``--era``), an era year (平成30, 令和元, H30, R元) or a Western year (2018).
    """
    years = []
    filled = []
    context = calendar.given
    for index, cell in enumerate(cells):
        if not cell:
            continue
        read = read_header_year(cell) if index >= FIRST_YEAR_CELL else None
        if read is None:
            raise StatusTableError(
                f"年度見出しの行（{FIRST_YEAR_CELL + 1}列目から）を読めません。19、平成30、令和元、H30、2018 のように書きます",
                path=path, line=line, value=original.cell(line, index), read_as=cell,
            )
        system, number = read
        if system is None:
            if context is None:
                raise _EraNeeded(
                    "数字だけの年度見出しには元号が必要です。--era（era=）で元号を指定するか、見出しに元号を書いてください（平成19）",
                    path=path, line=line, value=original.cell(line, index), read_as=cell)
            if context == WESTERN:
                raise StatusTableError("西暦の年度の後に数字だけの年度があります。西暦はすべて4桁で書いてください（2019）",
                                       path=path, line=line, value=original.cell(line, index), read_as=cell)
            calendar.bare_used = calendar.bare_used or not calendar.named
            system = context
        else:
            if not calendar.named and not calendar.bare_used and calendar.given not in (None, system):
                shown = "西暦" if system == WESTERN else system
                raise StatusTableError(
                    f"年度見出しは{shown}で書かれていますが、指定された元号は{calendar.given}です。"
                    "元号の指定を外す（見出しに従います）か、正しい元号にしてください",
                    path=path, line=line, value=original.cell(line, index), read_as=cell)
            calendar.named.append(system)
            context = system
        if system == WESTERN:
            years.append(number)
        else:
            last = ERA_LAST_YEARS.get(system)
            if last is not None and number > last:
                raise StatusTableError(
                    f"年度見出しの {number} は{system}ではありえません（{system}は{last}年で終わりました）。"
                    "表の元号を指定してください",
                    path=path, line=line, value=original.line(line),
                )
            years.append(era_year_to_fiscal_year(system, number))
        filled.append(index)
    if not years:
        raise StatusTableError("年度見出しの行があるべきところが空です", path=path, line=line)
    # Misplaced cells: the years are read in order of value, and must be
    # consecutive (19 20 21 22 23 … 24 is 19-24; 平成30 令和元 2 is 2018-2020).
    years.sort()
    if years != list(range(years[0], years[0] + len(years))):
        raise StatusTableError("年度見出しが連続した年度になっていません", path=path, line=line,
                               value=" ".join(original.cells(line)[index] for index in filled),
                               read_as=" ".join(map(str, years)))
    note = None
    if filled != list(range(FIRST_YEAR_CELL, FIRST_YEAR_CELL + len(filled))):
        note = NormalizationNote(line, None, "年度見出し", "header_year_misplaced",
                                 "|".join(original.cells(line)[FIRST_YEAR_CELL:]),
                                 " ".join(cells[index] for index in filled))
    return years, note


def _is_header_cell(cell: str) -> bool:
    """Whether a stripped, NFKC cell is the ``No`` that starts a block header."""
    return cell.lower() in _HEADER_CELLS


def _trailing_cells(cells: list[str]) -> tuple[int, int, int] | None:
    """The indices of 推進課, 施策実施状況 and 評価: the last three non-empty cells from the first year cell on.

    None when the row has fewer than three.

    Examples
    --------
    >>> _trailing_cells(["1", "方向", "内容", "○", "", "協働推進課", "状況", "", "◎", "", ""])
    (5, 6, 8)
    """
    found = []
    index = len(cells) - 1
    while index >= FIRST_YEAR_CELL and len(found) < 3:
        if cells[index]:
            found.append(index)
        index -= 1
    return (found[2], found[1], found[0]) if len(found) == 3 else None


# A validated row whose text cells are not normalized yet:
# (no, marks, departments, direction, content, status, rating, (推進課, 施策実施状況, 評価 cell indices))
_Row = tuple[int, tuple[tuple[int, str], ...], tuple[str, ...], str, str, str, str, tuple[int, int, int]]


def _parse_row(cells: list[str], *, path: str, line: int, years: list[int], scale: RatingScale,
               original: _Original) -> _Row:
    def fail(problem: str, value: object = None, cell: int | None = None) -> StatusTableError:
        """The error, quoting cell ``cell`` as written (with ``value``, the reading, when it differs)."""
        if cell is None:
            return StatusTableError(problem, path=path, line=line, value=value)
        return StatusTableError(problem, path=path, line=line, value=original.cell(line, cell), read_as=value)

    first = cells[0]
    if not (first.isascii() and first.isdigit()):
        raise fail("施策番号（No）が数字ではありません", first, 0)
    if int(first) not in MEASURE_NUMBERS:
        raise fail(f"施策番号（No）が範囲（{MEASURE_NUMBERS.start}〜{MEASURE_NUMBERS.stop - 1}）の外です",
                   first, 0)
    trailing = _trailing_cells(cells)
    if len(cells) < FIRST_YEAR_CELL or not cells[1] or not cells[2] or trailing is None:
        raise fail(
            "行が途中で切れています。No、施策の方向性、内容、年度の印、推進課、施策実施状況、評価 が必要です",
            original.line(line),
        )
    department_cell, status_cell, rating_cell = trailing
    if cells[department_cell] in _YEAR_MARKS:
        raise fail("行が途中で切れています。推進課の欄に年度の印があります",
                   "\t".join(original.line(line).split("\t")[FIRST_YEAR_CELL:]))
    for index, field in ((1, "施策の方向性"), (2, "内容"), (status_cell, "施策実施状況")):
        if cells[index][:1] == "#" and SPREADSHEET_ERROR.fullmatch(cells[index]):
            raise fail(f"{field}が表計算ソフトのエラー値です。数式が失敗したセルの表示で、{field}ではありません。"
                       "元の表で値を直してください", cells[index], index)

    rating = cells[rating_cell]
    if rating not in scale.symbols:
        rating = canonical_symbol(rating)
    if rating not in scale.symbols:
        if rating == "▲":
            raise fail(f"評価の ▲ は △ ではありません（▲ はマイナスの意味です）。使える記号: {' '.join(scale.symbols)}",
                       rating, rating_cell)
        try:
            scale.index(rating, where=f"No.{first}")
        except RatingError as error:
            raise fail(str(error), rating, rating_cell) from None

    marks: list[tuple[int, str]] = []
    for index in range(FIRST_YEAR_CELL, department_cell):
        cell = cells[index]
        if not cell:
            continue
        mark = _YEAR_MARKS.get(cell)
        if mark is None:
            raise fail(f"年度の欄に書けるのは {TARGET_MARK} か {CONTINUING_MARK} だけです", cell, index)
        column = index - FIRST_YEAR_CELL
        if column >= len(years):
            raise fail(f"年度見出しの範囲の外に印があります（{index + 1}列目。年度は "
                       f"{FIRST_YEAR_CELL + 1}〜{FIRST_YEAR_CELL + len(years)}列目）", mark, index)
        # The first mark is the ○, so a second ○ or a → with no mark before it is an error.
        if mark == TARGET_MARK:
            if marks:
                raise fail(f"{TARGET_MARK} が2つあります。目標年度は1つです", [marks[0][0], years[column]])
        elif not marks:
            raise fail(f"{TARGET_MARK} より前に {CONTINUING_MARK} があります", years[column])
        marks.append((years[column], mark))
    if not marks:
        raise fail(f"{TARGET_MARK} がありません。目標年度が必要です", "\t".join(cells[FIRST_YEAR_CELL:department_cell]))

    try:
        departments = _split_departments_normalized(cells[department_cell], DEPARTMENT_SUFFIXES)
    except ValueError as error:
        raise fail(str(error), cells[department_cell], department_cell) from None
    return int(first), tuple(marks), tuple(departments), cells[1], cells[2], cells[status_cell], rating, trailing


def parse_status_table(
    text: str | bytes,
    *,
    path: str | os.PathLike = "<text>",
    era: str | None = None,
    encoding: str | None = None,
    scale: RatingScale = KYODO_SCALE,
) -> StatusTable:
    """Parse the text of an extracted status table.

    Parameters
    ----------
    text : str or bytes
        The table. Bytes are decoded with ``encoding``, or detected:
        UTF-8, UTF-8 with BOM, or CP932. Line ends may be LF or CRLF.
    path : str or path-like
        Where the text came from, for error messages.
    era : str, optional
        The era of bare header years (平成: 19 is FY2007). A header that names
        its eras (平成30 令和元 2, H30 R1) or is in Western years (2018)
        decides by itself; one of bare numbers needs ``era``.
    encoding : str, optional
        The encoding of ``text`` when it is bytes; detected when None.
    scale : RatingScale
        The accepted ratings.

    Returns
    -------
    StatusTable
        The title lines before the first header, and the measures sorted by number.

    Raises
    ------
    StatusTableError
        On any defect, naming the file, the line and the value.
    """
    # The parse allocates a few small, acyclic objects per cell; the cycle
    # collector would rescan them all again and again (super-linear on large
    # tables), so it is paused for the duration.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            return _parse(text, str(path), era, encoding, scale)
        except _EraNeeded as needed:
            inferred = _era_from_statuses(text, str(path), encoding, scale, needed)
            if inferred is None:
                raise
            return inferred
    finally:
        if collecting:
            gc.enable()


def _era_from_statuses(text: str | bytes, path: str, encoding: str | None, scale: RatingScale,
                       needed: _EraNeeded) -> StatusTable | None:
    """The table read with the one era its statuses name years in, noted; None when that is not clear.

    Clear means: the statuses name years in exactly one era, the header's bare years fit that era (平成 ended
    in its year 31), and the statuses name at least one year of the header's period in it, so that a 令和
    plan whose statuses mention only the 平成 plan before it is not read as 平成."""
    if isinstance(text, bytes):
        text = decode_text(text, path, encoding)
    candidates = eras_named(nfkc(text))
    if len(candidates) != 1:
        return None
    try:
        table = _parse(text, path, candidates[0], encoding, scale)
    except StatusTableError as error:
        if error.line == needed.line:  # the header's years do not fit that era
            return None
        raise  # another defect of the table: the reader needs to see it first
    statuses = "\n".join(measure.status for measure in table.measures)
    period = set(table.fiscal_years)
    if eras_named(statuses) != candidates or not period & set(find_fiscal_years(statuses)):
        return None
    note = NormalizationNote(needed.line, None, "年度見出し", "era_inferred", needed.value,
                             f"元号は施策実施状況の記述（{candidates[0]}）から推定した")
    notes = sorted([*table.notes, note], key=lambda each: each.line)
    return dataclasses.replace(table, notes=tuple(notes))


def _parse(text: str | bytes, path: str, era: str | None, encoding: str | None, scale: RatingScale) -> StatusTable:
    """The body of :func:`parse_status_table`."""
    if not isinstance(text, (str, bytes)):
        raise ArgumentTypeError(f"text must be str or bytes (the table's text), not {type(text).__name__}")
    if not isinstance(scale, RatingScale):
        raise ArgumentTypeError(f"scale must be a RatingScale (e.g. KYODO_SCALE), not {type(scale).__name__}")
    if isinstance(text, bytes):
        text = decode_text(text, path, encoding)
    text = text.removeprefix("\ufeff")
    _reject_long_cells(text, path)
    original = _Original(text)
    invisible_lines: set[int] = set()
    if UNUSUAL_CHARACTER.search(text):  # one pass over a clean table; the checks below only when needed
        _reject_control_characters(text, path)
        reject_bidi_controls(text, path)
        invisible_lines = _lines_with_invisible(text)
    if invisible_lines:
        _reject_invisible_cells(original, invisible_lines, path)
        text = remove_invisible(text)
    text = _clean_whitespace(nfkc(text))
    if not text.strip():
        raise StatusTableError("ファイルが空です。表がありません", path=path)
    if era is not None:
        era_year_to_fiscal_year(era, 1)  # reject an unknown era before reading rows
    calendar = _Calendar(era)

    title_lines: list[int] = []  # the title is read as written (_as_written)
    rows: list[_Row] = []
    row_blocks: list[int] = []
    row_lines: list[int] = []
    first_line: dict[int, int] = {}
    headers: list[int] = []  # line of each block's header
    years: list[int] | None = None
    header_years: set[int] = set()
    header_notes: list[NormalizationNote] = []
    row_year_counts: list[int] = []  # how many header years each row's block has
    awaiting_years = False
    for line, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip("\t"):
            continue
        cells = raw.split("\t")
        if _is_header_cell(cells[0]):
            if awaiting_years:
                raise StatusTableError("年度見出しの行があるべきところに、見出し（No）の行がもう一度あります", path=path, line=line,
                                       value=original.cell(line, 0), read_as=cells[0])
            headers.append(line)
            awaiting_years = True
            if line in invisible_lines:
                header_notes += _invisible_notes(original, line, None, ["見出し"])
            continue
        if awaiting_years:
            years, note = _parse_year_header(cells, path, line, calendar, original)
            if note is not None:
                header_notes.append(note)
            if line in invisible_lines:
                header_notes += _invisible_notes(original, line, None, ["年度見出し"])
            header_years.update(years)
            awaiting_years = False
            continue
        if years is None:
            if _DIGITS.fullmatch(cells[0]):
                raise StatusTableError("最初の見出し（No）の行より前に施策の行があります", path=path, line=line,
                                       value=original.cell(line, 0), read_as=cells[0])
            title_lines.append(line)
            if line in invisible_lines:
                header_notes += _invisible_notes(original, line, None, ["表題"])
            continue
        row = _parse_row(cells, path=path, line=line, years=years, scale=scale, original=original)
        no = row[0]
        if no in first_line:
            raise StatusTableError(
                f"施策番号が重複しています（最初は{first_line[no]}行目）", path=path, line=line, value=no
            )
        first_line[no] = line
        rows.append(row)
        row_blocks.append(len(headers))
        row_lines.append(line)
        row_year_counts.append(len(years))

    if not headers:
        raise StatusTableError("見出しの行がありません。表は最初のセルが No の行から始まります", path=path)
    if awaiting_years:
        raise StatusTableError("見出しの行の後に年度見出しの行がありません", path=path, line=headers[-1])
    filled_blocks = set(row_blocks)
    for block, header_line in enumerate(headers, start=1):
        if block not in filled_blocks:
            raise StatusTableError("見出しの後に施策の行がありません", path=path, line=header_line)

    n = len(rows)
    texts = _normalize_cells([row[3] for row in rows] + [row[4] for row in rows] + [row[5] for row in rows])
    as_written, title_written = _as_written(rows, row_lines, title_lines, original, invisible_lines)
    _reject_long_texts(texts[:3 * n], row_lines, path)
    new_measure = tuple.__new__
    measures = [
        new_measure(Measure, (no, block, texts[i], texts[n + i], marks, departments, texts[2 * n + i], rating, line))
        for i, ((no, marks, departments, _, _, _, rating, _), block, line) in enumerate(zip(rows, row_blocks, row_lines))
    ]
    notes = header_notes + [
        note
        for measure, row, year_count in zip(measures, rows, row_year_counts)
        for note in _notes_of_row(measure, row[7], year_count, original, measure.line in invisible_lines)
    ]
    notes.sort(key=lambda note: note.line)  # stable: each line's notes keep their order
    measures.sort(key=lambda measure: measure.no)
    if calendar.bare_used and not calendar.named:  # the era was given, not read: check it against the statuses
        _check_era_of_statuses(measures, era, path)
    return StatusTable(path=path, title=title_written, measures=tuple(measures), era=calendar.describe(),
                       fiscal_years=tuple(sorted(header_years)), notes=tuple(notes), western=calendar.western,
                       as_written=as_written)


def _as_written(rows: list[_Row], row_lines: list[int], title_lines: list[int], original: _Original,
                invisible_lines: set[int]) -> tuple[dict[int, WrittenTexts], str]:
    """Each row's three texts and the title as written: the raw cells with only their whitespace tidied and
    the extraction's spaces removed (no NFKC), so that a reader sees the table's own characters."""
    raw = []
    for row, line in zip(rows, row_lines):
        cells = original.cells(line)
        if line in invisible_lines:
            cells = [remove_invisible(cell) for cell in cells]
        raw += [cells[1], cells[2], cells[row[7][1]]]
    for line in title_lines:
        cells = original.cells(line)
        raw.append(" ".join(remove_invisible(cell) for cell in cells if cell))
    written = _normalize_cells(_clean_whitespace("\n".join(raw)).split("\n")) if raw else []
    texts = {row[0]: WrittenTexts(*written[3 * i:3 * i + 3]) for i, row in enumerate(rows)}
    return texts, " ".join(text for text in written[3 * len(rows):] if text)


def _notes_of_row(measure: Measure, trailing: tuple[int, int, int], year_count: int,
                  original: _Original, invisible: bool = False) -> list[NormalizationNote]:
    """What the parser changed in one row: each raw cell against what it read.

    ``invisible``: the row held invisible characters, which are noted first and
    left out of the other comparisons.
    """
    department_cell, status_cell, rating_cell = trailing
    notes = []
    written = original.cells(measure.line)
    if invisible:
        fields = ["No", "施策の方向性", "内容"] + ["年度"] * (department_cell - FIRST_YEAR_CELL) + [""] * 3
        fields[department_cell], fields[status_cell], fields[rating_cell] = "推進課", "施策実施状況", "評価"
        notes += _invisible_notes(original, measure.line, measure.no, fields[:rating_cell + 1])
        written = [remove_invisible(cell) for cell in written]

    def note(field: str, kind: str, before: str, after: str) -> None:
        notes.append(NormalizationNote(measure.line, measure.no, field, kind, before, after))

    for field, index, after in (("施策の方向性", 1, measure.direction), ("内容", 2, measure.content),
                                ("施策実施状況", status_cell, measure.status)):
        before = written[index]
        if before == after:
            continue
        folded = unicodedata.normalize("NFKC", before)
        if folded != before:
            note(field, "width_folded", before, folded)
        if " ".join(folded.split()) != after:
            note(field, "spaces_removed", before, after)
    department = written[department_cell]
    if len(department.split()) != len(measure.departments):
        note("推進課", "department_rejoined", department, " ".join(measure.departments))
    if department_cell < FIRST_YEAR_CELL + year_count:
        note("推進課", "department_in_year_cell", f"cell {department_cell + 1}", department)
    for index in range(FIRST_YEAR_CELL, department_cell):
        mark = written[index]
        folded = unicodedata.normalize("NFKC", mark)
        if mark and _YEAR_MARKS[folded] != folded:
            note("年度", "lookalike_mark", mark, _YEAR_MARKS[folded])
    rating = written[rating_cell]
    if unicodedata.normalize("NFKC", rating) != measure.rating:
        note("評価", "lookalike_mark", rating, measure.rating)
    return notes


def _check_era_of_statuses(measures: list[Measure], era: str, path: str) -> None:
    """Stop when the statuses name years of other eras only: the header's era was given wrongly."""
    named: dict[str, Measure] = {}
    for measure in measures:
        for found in _ERA_YEAR_MENTION.finditer(measure.status):
            if found.group(1) == era:
                return
            named.setdefault(found.group(1), measure)
    if named:
        other, measure = next(iter(named.items()))
        mention = _ERA_YEAR_MENTION.search(measure.status).group()
        raise StatusTableError(
            f"年度見出しを{era}として読みましたが、施策実施状況には{'・'.join(named)}の年度しかありません。"
            f"表の元号を指定してください（--era {other}。Python やノートブックでは era=\"{other}\"）",
            path=path, line=measure.line, value=mention,
        )


def read_status_table(
    path: str | os.PathLike,
    *,
    era: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    scale: RatingScale = KYODO_SCALE,
) -> StatusTable:
    """Read and parse a status table file: extracted text (see :func:`parse_status_table`), or the city's own
    workbook (``.xlsx``) or CSV file (:mod:`kyodo_analysis.source.grid`), or its published PDF
    (:mod:`kyodo_analysis.source.pdf_table`), by its suffix.

    Examples
    --------
    >>> from kyodo_analysis.config import KITAMOTO_STATUS_TABLE
    >>> table = read_status_table(KITAMOTO_STATUS_TABLE, era="平成")
    >>> len(table.measures), table.title
    (19, '北本市市民と行政との協働推進計画施策実施状況のまとめ')
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentTypeError(f"path must be a file path (str or Path), not {type(path).__name__}")
    path = Path(path)
    suffix = path.suffix.lower()
    if sheet is not None and suffix != ".xlsx":
        raise ArgumentError(f"{path}: シート名（--sheet {sheet}）は Excel ブック（.xlsx）にだけ指定できます")
    if suffix == ".xlsx":
        from kyodo_analysis.source.grid import read_xlsx_table

        return read_xlsx_table(path, era=era, scale=scale, sheet=sheet)
    if suffix == ".pdf":
        from kyodo_analysis.source.pdf_table import read_pdf_table

        return read_pdf_table(path, era=era, scale=scale)
    if suffix == ".csv":
        from kyodo_analysis.source.grid import read_csv_table

        return read_csv_table(path, era=era, encoding=encoding, scale=scale)
    if suffix in (".xls", ".xlsm", ".ods"):
        raise StatusTableError(f"{suffix} のブックは読めません。Excelで「Excel ブック (*.xlsx)」として保存し直してください",
                               path=path)
    data = read_table_file(path)
    return parse_status_table(data, path=path, era=era, encoding=encoding, scale=scale)


def read_table_file(path: Path, *, error: type[StatusTableError] = StatusTableError,
                    limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default :data:`MAX_TABLE_BYTES`); else ``error`` naming the file.

    The file is opened without blocking and checked on the open descriptor, so a
    folder, a device (``/dev/zero``), a FIFO or a socket is refused without being
    read or waited for, even when a link points to it or it replaced the file
    after a check. At most ``limit + 1`` bytes are ever read.
    """
    if limit is None:  # read now, so that a changed MAX_TABLE_BYTES holds
        limit = MAX_TABLE_BYTES
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as failure:
        raise error(f"ファイルを読めません（{os_error_reason(failure)}）", path=path) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = "フォルダです" if stat.S_ISDIR(info.st_mode) else "通常のファイルではありません（デバイス、FIFO、ソケット）"
            raise error(f"表のファイルを指定してください。これは{kind}", path=path)
        if info.st_size > limit:
            raise error(f"ファイルが {info.st_size:,} バイトあり、読み込む上限の {limit:,} バイトを超えます"
                        "（施策1,000件の計画でも約0.4 MB です）", path=path)
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    except OSError as failure:
        raise error(f"ファイルを読めません（{os_error_reason(failure)}）", path=path) from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise error(f"ファイルが読み込む上限の {limit:,} バイトを超えます（読み込む間に大きくなりました）", path=path)
    return data


def differs_from(path: Path, data: bytes) -> bool:
    """Whether the regular file ``path`` exists and holds other bytes than ``data`` (links and devices refused)."""
    info = replaceable(path)
    if info is None:
        return False
    if info.st_size != len(data):
        return True
    try:
        return read_table_file(path, limit=len(data)) != data
    except StatusTableError:  # replaced meanwhile by something else: not the same file
        return True


#: The words a status table's heading adds to the plan's name (北本市…計画 + 施策実施状況のまとめ), longest first:
#: the plan's name is its heading without them.
TABLE_HEADING_WORDS: tuple[str, ...] = (
    "施策実施状況のまとめ", "施策進捗状況のまとめ", "実施状況のまとめ", "進捗状況のまとめ", "取組状況のまとめ",
    "施策実施状況一覧", "実施状況一覧", "進捗状況一覧", "施策一覧表", "施策一覧", "施策実施状況", "施策進捗状況", "実施状況",
    "進捗状況", "取組状況", "評価結果", "評価表", "一覧表", "一覧", "のまとめ", "まとめ",
)


def plan_name(heading: str) -> tuple[str, str]:
    """The plan's name in a status table's heading, and the table's words removed from its end.

    A heading names the plan and then the table (北本市…計画 + 施策実施状況のまとめ); the words are
    :data:`TABLE_HEADING_WORDS`, matched after NFKC. A heading that is nothing but such words
    is kept whole.

    Examples
    --------
    >>> plan_name("北本市市民と行政との協働推進計画施策実施状況のまとめ")
    ('北本市市民と行政との協働推進計画', '施策実施状況のまとめ')
    >>> plan_name("架空市協働のまちづくり計画 進捗状況")
    ('架空市協働のまちづくり計画', '進捗状況')
    >>> plan_name("第2次総合計画 実施計画　施策一覧表"), plan_name("施策実施状況")
    (('第2次総合計画 実施計画', '施策一覧表'), ('施策実施状況', ''))
    """
    name, removed = heading, ""
    while True:
        matched = next((name[-len(word):] for word in TABLE_HEADING_WORDS
                        if unicodedata.normalize("NFKC", name[-len(word):]) == word), None)
        rest = name[:-len(matched)].rstrip(" \u3000・:：-－―") if matched else ""
        if not matched or not rest:
            return name, removed
        name, removed = rest, matched + removed
