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
a read that takes longer than :data:`MAX_PDF_SECONDS` (checked between pages).
The file's size is bounded as every input's is.
Errors name the place as a person finds it: ``plan.pdf 2ページ 表の5行目（No.12）の評価``.
"""

from __future__ import annotations

import dataclasses
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

__all__ = ["MAX_PDF_PAGES", "MAX_PDF_SECONDS", "MAX_PDF_UNPACKED_BYTES", "RADICALS", "check_pdf_streams", "read_pdf_table"]

#: The most pages read: a plan of 1,000 measures takes about 100.
MAX_PDF_PAGES = 300
#: The longest a PDF is read, in seconds, checked before each page (the Kitamoto PDF takes under 1 s, 30 pages
#: about 7 s here): a file made to keep the reader busy is stopped, naming the page it had reached.
MAX_PDF_SECONDS = 120
#: The most bytes the PDF's compressed streams may unpack to, in all (the Kitamoto PDFs: under 1 MB); a small
#: file whose streams inflate to gigabytes (a "PDF bomb") is refused before any page is read.
MAX_PDF_UNPACKED_BYTES = 200_000_000

#: CJK 部首補助 (U+2E80–U+2EFF) that stand for an ideograph, as some producers write them; NFKC maps the
#: 康熙部首 block (U+2F00–U+2FDF) itself. (The supplement's other forms are no ideograph in running text.)
RADICALS = {
    "⺃": "乚", "⺅": "亻", "⺇": "几", "⺉": "刂", "⺋": "㔾", "⺎": "兀", "⺏": "尣", "⺐": "尢",
    "⺑": "𡯂", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺖": "忄", "⺗": "㣺", "⺘": "扌", "⺙": "攵", "⺛": "旡",
    "⺟": "母", "⺠": "民", "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺦": "丬", "⺧": "牛", "⺨": "犭",
    "⺩": "王", "⺪": "疋", "⺫": "罒", "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺲": "罒",
    "⺳": "网", "⺴": "网", "⺶": "羊", "⺷": "羊", "⺹": "耂", "⺺": "肀", "⺻": "聿", "⺼": "月", "⺽": "臼",
    "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻃": "襾", "⻄": "西", "⻅": "见", "⻆": "角",
    "⻇": "角", "⻈": "讠", "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝",
    "⻐": "金", "⻑": "長", "⻒": "镸", "⻓": "长", "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦",
    "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食", "⻟": "食", "⻠": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼",
    "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "斉", "⻬": "齐", "⻭": "歯",
    "⻯": "齿", "⻰": "竜", "⻱": "龙", "⻲": "亀", "⻳": "龟",
}
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


def check_pdf_streams(data: bytes, path: Path) -> None:
    """Refuse a PDF whose Flate streams unpack to more than :data:`MAX_PDF_UNPACKED_BYTES` in all, counting as
    they unpack (never more than the limit is held), before pdfplumber reads any of them whole."""
    import zlib

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except Exception:  # damaged or encrypted: pdfplumber says so, in one line, when it opens the file
        return
    budget = MAX_PDF_UNPACKED_BYTES
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                stream = document.getobj(objid)
            except Exception:  # an object the producer left broken: pdfplumber skips it too
                continue
            if not isinstance(stream, PDFStream) or not any(name in LITERALS_FLATE_DECODE
                                                              for name, _ in stream.get_filters()):
                continue
            unpacking = zlib.decompressobj()
            try:
                budget -= len(unpacking.decompress(stream.get_rawdata() or b"", budget + 1))
            except zlib.error:  # a damaged stream: pdfminer reads what it can of it
                continue
            if budget < 0:
                raise StatusTableError(f"PDFの圧縮されたデータが展開すると {MAX_PDF_UNPACKED_BYTES:,} バイトを超えます"
                                       "（表のPDFとしては大きすぎます）。読みません", path=path)


def read_pdf_table(path: str | os.PathLike, *, era: str | None = None,
                   scale: RatingScale = KYODO_SCALE) -> StatusTable:
    """Read a status table from a PDF with a ruled table (see the module's description)."""
    import pdfplumber

    path = Path(path)
    data = read_table_file(path)
    if not data.startswith(b"%PDF-"):
        raise StatusTableError("PDFではありません（先頭が %PDF- ではない）", path=path)
    check_pdf_streams(data, path)
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
        rows, places, title = _page_rows(document, path)
    return _read_rows(rows, places, title, path, era, scale)


def _page_rows(document, path: Path) -> tuple[list[list[str]], list[tuple[int, int]], str]:
    """Every row of every page's ruled table, where each is (page, row on the page), and the title."""
    rows: list[list[str]] = []
    places: list[tuple[int, int]] = []
    title = ""
    any_text = False
    deadline = time.monotonic() + MAX_PDF_SECONDS
    for number, page in enumerate(document.pages, start=1):
        if time.monotonic() > deadline:
            raise StatusTableError(f"{MAX_PDF_SECONDS} 秒で {number - 1} ページまでしか読めなかったため、中止しました"
                                   f"（全 {len(document.pages)} ページ）。テキストまたはExcelの表を渡してください", path=path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
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
    return dataclasses.replace(table, notes=tuple(sorted([*table.notes, *shifted], key=lambda note: note.line)))
