"""A status table as the city published it: a PDF with a ruled table, read with pdfplumber.

Each page's ruled table is read cell by cell (pdfplumber's lines strategy) and the pages are joined into one
grid for :func:`~kyodo_analysis.source.grid.read_grid`, which reads it by its header's names:

- the header, repeated on every page, starts a new table section on each: the section is a page of the PDF;
- a two-row header with 実施目標年度 merged over the year cells is read as in a workbook;
- a cell's line breaks are read as the text parser reads extraction spaces (removed inside Japanese);
- a row that a page break split (its No cell empty at the top of the next page) is joined to its first part;
- what PDF producers do to Japanese text is undone, each with a note: the code points of 康熙部首
  (U+2F00–U+2FDF) and CJK 部首補助 (U+2E80–U+2EFF) written for ideographs (⽅ for 方, ⺠ for 民), middle-dot
  look-alikes (‧ · ･ for ・), and a year broken inside a narrow header cell (1⏎9).

The text above the table on its first page is the table's title. Refused with one line each: a file that is
no PDF or is damaged, an encrypted PDF, a PDF of scanned images only (no text layer), a PDF without a ruled
table, more than :data:`MAX_PDF_PAGES` pages, streams that unpack to more than :data:`MAX_PDF_UNPACKED_BYTES`,
a page that draws more than :data:`MAX_PDF_PAGE_OBJECTS` characters and shapes, and a read that takes longer
than :data:`MAX_PDF_SECONDS`. Both are checked while a page is laid out, where a small file's work multiplies
(a form drawn a million times), and the time between pages too.
The file's size is bounded as every input's is.
Errors name the place as a person finds it: ``plan.pdf 2ページ 表の5行目（No.12）の評価``.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import os
import re
import time
import unicodedata
import warnings
from pathlib import Path

from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.source.grid import header_columns, is_header_year, read_grid
from kyodo_analysis.source.parsing import NormalizationNote, StatusTable, StatusTableError, read_table_file
from kyodo_analysis.source.pdf_streams import check_pdf_streams

__all__ = ["MAX_PDF_PAGES", "MAX_PDF_PAGE_OBJECTS", "MAX_PDF_SECONDS", "MAX_PDF_UNPACKED_BYTES", "RADICALS",
           "read_pdf_table"]

#: The most pages read: a plan of 1,000 measures takes about 100.
MAX_PDF_PAGES = 300
#: The longest a PDF is read, in seconds, checked before each page and while a page is laid out (the Kitamoto
#: PDF takes under 1 s, 30 pages about 7 s here): a file made to keep the reader busy is stopped, naming the
#: page it had reached.
MAX_PDF_SECONDS = 120
#: The most characters, shapes and images one page may draw (a page of the Kitamoto PDFs: under 1,400); more
#: would be no table a person reads, and would only cost the reader time and memory.
MAX_PDF_PAGE_OBJECTS = 50_000
#: The most bytes the PDF's compressed streams may unpack to, in all (the Kitamoto PDFs: under 1 MB); a small
#: file whose streams inflate to gigabytes (a "PDF bomb") is refused before any page is read
#: (:func:`~kyodo_analysis.source.pdf_streams.check_pdf_streams`).
MAX_PDF_UNPACKED_BYTES = 200_000_000

#: CJK 部首補助 (U+2E80–U+2EFF) that stand for an ideograph, as some producers write them: every mapping of
#: U+2E81–U+2EF3 in Unicode's EquivalentUnifiedIdeograph.txt (UCD 14.0, © Unicode, Inc.; U+2E80 and U+2E9A have
#: none), as code points so that no look-alike stands in this file. NFKC maps the 康熙部首 block (U+2F00–U+2FDF).
_SUPPLEMENT_IDEOGRAPHS = {
    0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59, 0x2E85: 0x4EBB, 0x2E86: 0x5182, 0x2E87: 0x20628,
    0x2E88: 0x5200, 0x2E89: 0x5202, 0x2E8A: 0x535C, 0x2E8B: 0x353E, 0x2E8C: 0x5C0F, 0x2E8D: 0x5C0F, 0x2E8E: 0x5140,
    0x2E8F: 0x5C23, 0x2E90: 0x5C22, 0x2E91: 0x21BC2, 0x2E92: 0x5DF3, 0x2E93: 0x5E7A, 0x2E94: 0x5F51, 0x2E95: 0x5F50,
    0x2E96: 0x5FC4, 0x2E97: 0x5FC3, 0x2E98: 0x624C, 0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708,
    0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD, 0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C, 0x2EA4: 0x722B,
    0x2EA5: 0x722B, 0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B, 0x2EAA: 0x24D14, 0x2EAB: 0x76EE,
    0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAE: 0x25AD7, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53, 0x2EB2: 0x7F52,
    0x2EB3: 0x34C1, 0x2EB4: 0x5197, 0x2EB5: 0x2626B, 0x2EB6: 0x7F8A, 0x2EB7: 0x2634C, 0x2EB8: 0x2634B,
    0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x26951, 0x2EBE: 0x8279, 0x2EBF: 0x8279,
    0x2EC0: 0x8279, 0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980, 0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2,
    0x2EC7: 0x278B2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D, 0x2ECA: 0x27FB7, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6,
    0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6, 0x2ECF: 0x9091, 0x2ED0: 0x9485, 0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F,
    0x2ED4: 0x95E8, 0x2ED5: 0x28E0F, 0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875,
    0x2EDB: 0x98CE, 0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDE: 0x2967F, 0x2EDF: 0x98E0, 0x2EE0: 0x9963,
    0x2EE1: 0x29810, 0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364,
    0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F, 0x2EEE: 0x9F7F,
    0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}
RADICALS = {chr(radical): chr(ideograph) for radical, ideograph in _SUPPLEMENT_IDEOGRAPHS.items()}
#: Middle-dot look-alikes, read as the Japanese middle dot.
MIDDLE_DOTS = {"‧": "・", "·": "・", "･": "・"}
_KANGXI = re.compile("[\u2f00-\u2fdf]")


def _fix_characters(cell: str) -> tuple[str, list[str]]:
    """A cell with the producers' code points undone, and the kinds of fix made (for the notes)."""
    radicals = _KANGXI.sub(lambda match: unicodedata.normalize("NFKC", match.group()), cell)
    radicals = "".join(RADICALS.get(character, character) for character in radicals)
    dots = "".join(MIDDLE_DOTS.get(character, character) for character in radicals)
    kinds = [kind for kind, changed in (("radical_mapped", radicals != cell), ("middle_dot", dots != radicals)) if changed]
    return dots, kinds


def read_pdf_table(path: str | os.PathLike, *, era: str | None = None,
                   scale: RatingScale = KYODO_SCALE) -> StatusTable:
    """Read a status table from a PDF with a ruled table (see the module's description)."""
    import pdfplumber

    path = Path(path)
    data = read_table_file(path)
    if not data.startswith(b"%PDF-"):
        raise StatusTableError("PDFではありません（先頭が %PDF- ではない）", path=path)
    deadline = time.monotonic() + MAX_PDF_SECONDS  # the whole read's, the count of the streams' too
    check_pdf_streams(data, path, limit=MAX_PDF_UNPACKED_BYTES, seconds=MAX_PDF_SECONDS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pdfminer's complaints about a producer's PDF say nothing of the cells
            document = pdfplumber.open(io.BytesIO(data))
    except Exception as failure:  # damaged, or encrypted with a password
        raise StatusTableError(f"PDFとして読めません（{type(failure).__name__}: 暗号化されているか、壊れています）。"
                               "パスワードを外したPDFか、テキストまたはExcelの表を渡してください", path=path) from None
    with document:
        if getattr(document.doc, "encryption", None):
            raise StatusTableError("暗号化されたPDFです。暗号化を外したPDFか、テキストまたはExcelの表を渡してください",
                                   path=path)
        if len(document.pages) > MAX_PDF_PAGES:
            raise StatusTableError(f"{len(document.pages):,}ページあり、読む上限の {MAX_PDF_PAGES:,} ページを超えます",
                                   path=path)
        rows, places, title = _page_rows(document, path, deadline)
    return _read_rows(rows, places, title, path, era, scale)


class _PageTooCostly(Exception):
    """Raised inside pdfminer's page interpreter, where a page's work passed a limit."""


@functools.cache
def _bounded_device_class():
    """pdfplumber's layout device, checking the limits every 256 things drawn (a character, a shape, an image,
    a form): made on first use, so that pdfplumber loads only when a PDF is read."""
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class BoundedDevice(PDFPageAggregatorWithMarkedContent):
        deadline = float("inf")
        drawn = 0

        def _count(self, things: int = 1) -> None:
            before, self.drawn = self.drawn, self.drawn + things
            if self.drawn > MAX_PDF_PAGE_OBJECTS:
                raise _PageTooCostly("objects")
            if before >> 8 != self.drawn >> 8 and time.monotonic() > self.deadline:
                raise _PageTooCostly("time")

        def render_string(self, textstate, seq, *args):  # a text-showing operator: its bytes, about its characters
            self._count(max(1, sum(len(item) for item in seq if isinstance(item, bytes))))
            return super().render_string(textstate, seq, *args)

        def paint_path(self, *args):
            self._count()
            return super().paint_path(*args)

        def render_image(self, *args):
            self._count()
            return super().render_image(*args)

        def begin_figure(self, *args):
            self._count()
            return super().begin_figure(*args)

    return BoundedDevice


def _lay_out(page, deadline: float, path: Path, number: int, pages: int) -> None:
    """Lay out ``page`` as pdfplumber does (its ``layout``, which every later read of the page uses), stopping
    once the page has drawn :data:`MAX_PDF_PAGE_OBJECTS` things or ``deadline`` has passed, inside the page."""
    from pdfminer.pdfinterp import PDFPageInterpreter

    device = _bounded_device_class()(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    device.deadline = deadline
    try:
        PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except _PageTooCostly as limit:
        if str(limit) == "time":
            raise StatusTableError(_past_deadline(number, pages, within=True), path=path) from None
        raise StatusTableError(f"{number} ページに描かれた文字や図形が {MAX_PDF_PAGE_OBJECTS:,} を超えます（表のページとしては"
                               "多すぎます）。読むのを中止しました。テキストまたはExcelの表を渡してください", path=path) from None
    except Exception as failure:  # a page pdfminer cannot interpret: damaged
        raise StatusTableError(f"{number} ページを読めません（{type(failure).__name__}: PDFが壊れています）。"
                               "テキストまたはExcelの表を渡してください", path=path) from None
    page._layout = device.get_result()  # pdfplumber's cache of the layout: what page.chars and tables read


def _past_deadline(number: int, pages: int, *, within: bool) -> str:
    where = f"、{number} ページ目の途中" if within else ""
    return (f"{MAX_PDF_SECONDS} 秒で {number - 1} ページまでしか読めなかったため、中止しました（全 {pages} ページ{where}）。"
            "テキストまたはExcelの表を渡してください")


def _page_rows(document, path: Path, deadline: float) -> tuple[list[list[str]], list[tuple[int, int]], str]:
    """Every row of every page's ruled table, where each is (page, row on the page), and the title; stopped once
    ``time.monotonic()`` passes ``deadline``."""
    rows: list[list[str]] = []
    places: list[tuple[int, int]] = []
    title = ""
    any_text = False
    for number, page in enumerate(document.pages, start=1):
        if time.monotonic() > deadline:
            raise StatusTableError(_past_deadline(number, len(document.pages), within=False), path=path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _lay_out(page, deadline, path, number, len(document.pages))
            any_text = any_text or bool(page.chars)
            found = page.find_tables()
        if not found:
            continue
        table = max(found, key=lambda each: len(each.rows))
        if not rows:  # the text above the first table is the table's title
            above = page.crop((0, 0, page.width, max(table.bbox[1], 1))).extract_text() or ""
            title = " ".join(line.strip() for line in above.splitlines() if line.strip())
        for index, row in enumerate(table.extract(), start=1):
            rows.append(["" if cell is None else cell for cell in row])
            places.append((number, index))
    if not any_text:
        raise StatusTableError("文字情報のないPDF（スキャンした画像）です。OCRにかけるか、テキストまたはExcelの表を"
                               "渡してください", path=path)
    if not rows:
        raise StatusTableError("罫線のある表が見つかりません。表の罫線のあるPDFか、テキストまたはExcelの表を"
                               "渡してください", path=path)
    return rows, places, title


def _read_rows(rows: list[list[str]], places: list[tuple[int, int]], title: str, path: Path, era: str | None,
               scale: RatingScale) -> StatusTable:
    """Join the rows that page breaks split, undo the producers' code points, and read the grid."""
    notes: list[NormalizationNote] = []
    joined_rows: list[list[str]] = []
    joined_places: list[tuple[int, int]] = []
    header: dict[str, int] = {}
    names: list[str] = []
    last_data = None  # index in joined_rows of the last measure row
    after_header = 0  # rows since the last header (the year row of a two-row header follows it)
    for row, place in zip(rows, places):
        fixed, fixes = [], []
        for cell in row:
            read, kinds = _fix_characters(cell)
            fixed.append(read)
            fixes += [(kind, cell, read) for kind in kinds]
        found = header_columns(fixed)
        no = fixed[header["No"]].strip() if header and header["No"] < len(fixed) else ""
        filled = [cell for cell in fixed if cell.strip()]
        after_header = 0 if found else after_header + 1
        is_year_row = after_header == 1 and not no and filled and all(is_header_year(cell) for cell in filled)
        if found:
            header, names = found, fixed
        if not found and not is_year_row and not no and last_data is not None and filled:  # the rest of a split row
            first = joined_rows[last_data]
            joined_rows[last_data] = [a + ("\n" if a and b else "") + b for a, b in
                                      zip(first + [""] * (len(fixed) - len(first)), fixed)]
            target = last_data
            notes.append(NormalizationNote(target + 1, None, "No", "row_joined", f"{place[0]}ページ {place[1]}行目", ""))
        else:
            joined_rows.append(fixed)
            joined_places.append(place)
            target = len(joined_rows) - 1
            if no and not found:
                last_data = target
        notes += [NormalizationNote(target + 1, None, "表", kind, cell, read) for kind, cell, read in fixes]
    grid = [[title]] + joined_rows if title else joined_rows
    grid_places = [(1, 0)] + joined_places if title else joined_places
    offset = 1 if title else 0

    def place(index: int, column: int | None) -> str:
        page, row = grid_places[index]
        if row == 0:
            return f"{path} {page}ページの表題"
        cells = grid[index]
        no = cells[header["No"]].strip() if header and header["No"] < len(cells) else ""
        where = f"{path} {page}ページ 表の{row}行目" + (f"（No.{no}）" if no.isdigit() else "")
        if column is not None and column < len(names) and names[column].strip():
            where += f"の{names[column].replace(chr(10), '')}"
        return where

    table = read_grid(grid, path=str(path), era=era, scale=scale, place=place)
    pages = sorted({page for page, _ in joined_places})
    first_header = next(index for index, row in enumerate(joined_rows) if header_columns(row)) + 1
    notes.append(NormalizationNote(first_header, None, "見出し", "page_sections", "",
                                   "、".join(f"{page}ページ" for page in pages)))
    shifted = [note._replace(line=note.line + offset) for note in notes]
    return dataclasses.replace(table, notes=tuple(sorted([*table.notes, *shifted], key=lambda note: note.line)),
                               pages={measure.no: grid_places[measure.line - 1][0] for measure in table.measures})
