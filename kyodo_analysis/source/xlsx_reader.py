"""Reading an ``.xlsx`` file that anyone may have made, with bounded work.

A workbook is a zip of XML. Three tricks make a small file cost a great deal:
a zip whose entries unpack to hundreds of megabytes (a zip bomb), a single
cell far away (``XFD1048576``), which makes a naive reader build a grid of
millions of cells, and a cell longer than Excel itself allows. Every workbook
the tools read (a structure file, a returned survey workbook, and later a
city's own table or indicators) goes through :func:`read_workbook`, which:

1. reads the file with the regular-file and size checks of every input
   (:func:`~kyodo_analysis.source.parsing.read_table_file`);
2. sums the uncompressed sizes in the zip directory before unpacking anything,
   and refuses more than :data:`MAX_UNZIPPED_BYTES` or a compression ratio
   above :data:`MAX_ZIP_RATIO`;
3. opens the workbook read-only and walks each sheet's XML once, keeping only
   the cells that exist; a value beyond :data:`MAX_SHEET_ROWS` rows or
   :data:`MAX_SHEET_COLUMNS` columns, or longer than :data:`MAX_CELL_CHARS`
   characters, is refused with the cell's address, and so is the cell at which
   the workbook's text passes :data:`MAX_WORKBOOK_CHARS` characters in all (one
   long shared string referenced by every cell is small on disk).

What it returns is a small grid per sheet (:class:`SheetGrid`), never a
dense copy of the declared dimension.

Examples
--------
>>> import tempfile, pathlib, openpyxl
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> book = openpyxl.Workbook()
>>> book.active.title = "構成"
>>> book.active.append(["No", "基本目標"])
>>> book.active.append([1, "情報"])
>>> book.save(folder / "s.xlsx")
>>> grid = read_workbook(folder / "s.xlsx")["構成"]
>>> grid.values()
[['No', '基本目標'], [1, '情報']]
>>> grid["B2"].value, grid.cell(5, 5).value, grid.cell(5, 5).coordinate
('情報', None, 'E5')
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kyodo_analysis.source.parsing import StatusTableError, read_table_file
from kyodo_analysis.validation import MAX_CELL_CHARS

__all__ = ["MAX_UNZIPPED_BYTES", "MAX_ZIP_RATIO", "MAX_SHEET_ROWS", "MAX_SHEET_COLUMNS", "MAX_CELL_CHARS", "MAX_WORKBOOK_CHARS",
           "SheetCell", "SheetGrid", "read_workbook", "check_zip_sizes"]

#: The most bytes the entries of one workbook may unpack to (a 1,000-measure plan takes under 2 MB).
MAX_UNZIPPED_BYTES = 50_000_000
#: The highest compression ratio accepted for a workbook of more than 1 MB unpacked (real sheets: under 20).
MAX_ZIP_RATIO = 100
#: The most characters all cells of a workbook may hold together, as much as the largest table file read. One
#: long shared string referenced by every cell unpacks small but reads as gigabytes of text.
MAX_WORKBOOK_CHARS = 20_000_000
#: The most rows and columns a sheet may use: a plan's table, structure or survey sheet needs far fewer.
MAX_SHEET_ROWS = 5_000
MAX_SHEET_COLUMNS = 60


@dataclass(frozen=True)
class SheetCell:
    """One cell as read: 1-based ``row`` and ``column``, its ``value`` and openpyxl's ``data_type`` ('f': a formula)."""

    row: int
    column: int
    value: object = None
    data_type: str = "n"

    @property
    def coordinate(self) -> str:
        """The cell's address as Excel shows it, such as ``B2``."""
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.column)}{self.row}"


class SheetGrid:
    """The cells of one sheet that hold something, addressed like openpyxl's worksheet (``grid["B2"]``, ``cell(r, c)``)."""

    def __init__(self, title: str, cells: dict[tuple[int, int], SheetCell]):
        self.title = title
        self._cells = cells
        self.max_row = max((row for row, _ in cells), default=0)
        self.max_column = max((column for _, column in cells), default=0)

    def cell(self, row: int, column: int) -> SheetCell:
        """The cell at ``row``, ``column`` (an empty one where the sheet has nothing)."""
        return self._cells.get((row, column)) or SheetCell(row, column)

    def __getitem__(self, coordinate: str) -> SheetCell:
        from openpyxl.utils.cell import coordinate_to_tuple

        return self.cell(*coordinate_to_tuple(coordinate))

    def iter_rows(self, min_row: int = 1, min_col: int = 1, max_col: int | None = None) -> Iterator[list[SheetCell]]:
        """The rows from ``min_row`` to the last used one, each from ``min_col`` to ``max_col`` (default: the last used column)."""
        last = self.max_column if max_col is None else max_col
        for row in range(min_row, self.max_row + 1):
            yield [self.cell(row, column) for column in range(min_col, last + 1)]

    def values(self) -> list[list[object]]:
        """The values, row by row, up to the last used row and column."""
        return [[cell.value for cell in row] for row in self.iter_rows()]

    def filled(self) -> list[SheetCell]:
        """Only the cells that hold something, row by row: no empty cell is made for the gaps between them."""
        return sorted(self._cells.values(), key=lambda cell: (cell.row, cell.column))


def _error(error: type[StatusTableError], path: Path, where: str | None, problem: str, value: object = None):
    prefix = f"{where}: " if where else ""
    return error(prefix + problem, path=path, value=value)


def check_zip_sizes(data: bytes, path: Path, *, error: type[StatusTableError] = StatusTableError) -> None:
    """Refuse a zip whose directory declares more than the limits, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as failure:
        raise _error(error, path, None, f"Excelブック（.xlsx）として読めません（{type(failure).__name__}）。"
                     "Excelで「Excel ブック (*.xlsx)」として保存し直してください") from None
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if unpacked > MAX_UNZIPPED_BYTES:
        raise _error(error, path, None, f"展開すると {unpacked:,} バイトになり、読み込む上限 {MAX_UNZIPPED_BYTES:,} "
                     "バイトを超えます（zip爆弾の恐れ）。読み込みません")
    if unpacked > 1_000_000 and unpacked / packed > MAX_ZIP_RATIO:
        raise _error(error, path, None, f"圧縮率が {unpacked / packed:,.0f}:1 で、上限 {MAX_ZIP_RATIO}:1 を超えます"
                     "（zip爆弾の恐れ）。読み込みません")


def _scan_sheet(sheet, path: Path, error: type[StatusTableError], budget: list[int]) -> SheetGrid:
    """Walk one read-only sheet's XML once; keep the cells that hold a value, refuse what is out of bounds."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    cells: dict[tuple[int, int], SheetCell] = {}
    with sheet._get_source() as source:  # the sheet's XML, streamed: nothing dense is built
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for _, row in parser.parse():
            for found in row:
                value = found["value"]
                if value is None or value == "":
                    continue
                cell = SheetCell(found["row"], found["column"], value, found["data_type"])
                if cell.row > MAX_SHEET_ROWS or cell.column > MAX_SHEET_COLUMNS:
                    raise _error(error, path, f"{sheet.title}!{cell.coordinate}",
                                 f"シートの範囲が上限（{MAX_SHEET_ROWS:,}行×{MAX_SHEET_COLUMNS}列）を超えるセルに"
                                 "値があります。表の外の値を消してから保存し直してください", value)
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise _error(error, path, f"{sheet.title}!{cell.coordinate}",
                                 f"セルの文字数 {len(value):,} がExcelの上限 {MAX_CELL_CHARS:,} 文字を超えます", value)
                budget[0] -= len(value) if isinstance(value, str) else 1
                if budget[0] < 0:
                    raise _error(error, path, f"{sheet.title}!{cell.coordinate}",
                                 f"ブック全体の文字数が上限 {MAX_WORKBOOK_CHARS:,} 文字を超えます（同じ長い文字列を"
                                 "多くのセルで参照している恐れ）。読み込みません")
                cells[(cell.row, cell.column)] = cell
    return SheetGrid(sheet.title, cells)


def read_workbook(path: str | os.PathLike, *, data_only: bool = False, sheets: list[str] | None = None,
                  error: type[StatusTableError] = StatusTableError) -> dict[str, SheetGrid]:
    """Read the sheets of an ``.xlsx`` file, in workbook order, within the limits of this module.

    Parameters
    ----------
    path : path-like
        The workbook.
    data_only : bool
        False: a formula cell keeps its formula, with ``data_type == "f"``. True: the value Excel last saved.
    sheets : list of str, optional
        Read only these sheets (those the workbook lacks are left out); default: every sheet.
    error : StatusTableError subclass
        The error raised, naming the file (and the sheet and cell where there is one).

    Returns
    -------
    dict of str to SheetGrid
    """
    import openpyxl

    path = Path(path)
    data = read_table_file(path, error=error)
    check_zip_sizes(data, path, error=error)
    try:
        with warnings.catch_warnings():
            # Excel's own extensions (x14 validations, slicers) draw warnings that say nothing about the cells.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as failure:  # a damaged, encrypted or renamed file: zipfile, XML or openpyxl errors
        raise _error(error, path, None, f"Excelブック（.xlsx）として読めません（{type(failure).__name__}）。"
                     "パスワードを外し、Excelで「Excel ブック (*.xlsx)」として保存し直してください") from None
    try:
        wanted = book.sheetnames if sheets is None else [name for name in book.sheetnames if name in sheets]
        grids = {}
        budget = [MAX_WORKBOOK_CHARS]  # characters still to be read, over every sheet
        for name in wanted:
            sheet = book[name]
            if not hasattr(sheet, "_get_source"):  # a chart sheet has no cells
                continue
            try:
                grids[name] = _scan_sheet(sheet, path, error, budget)
            except StatusTableError:
                raise
            except Exception as failure:  # malformed sheet XML
                raise _error(error, path, name, f"シートを読めません（{type(failure).__name__}）") from None
        return grids
    finally:
        book.close()
