"""The city's published PDF as input (issue 22): Kitamoto's table printed by two producers (Typst, and
LibreOffice from the workbook; tests/fixtures/city/make_city_files.py), read into the same measures as the text."""

import functools
import io

import pytest
import typst
from PIL import Image
from pypdf import PdfReader, PdfWriter

from kyodo_analysis.config import KITAMOTO_STATUS_TABLE, font_folder
from kyodo_analysis.source.parsing import StatusTableError, read_status_table
from kyodo_analysis.source.pdf_streams import check_pdf_streams
from kyodo_analysis.source.pdf_table import _fix_characters
from kyodo_analysis.testing.status_pdf import pdf_rows, status_table_pdf

from .builds import FIXTURES

CITY = FIXTURES / "city"
PDFS = {"typst": CITY / "kitamoto_typst.pdf", "libreoffice": CITY / "kitamoto_libreoffice.pdf"}
KITAMOTO_HEADING = "北本市市民と行政との協働推進計画施策実施状況のまとめ"


def _essentials(table):
    return [(m.no, m.direction, m.content, m.marks, m.departments, m.status, m.rating) for m in table.measures]


@pytest.fixture(scope="module")
def text_table():
    return read_status_table(KITAMOTO_STATUS_TABLE, era="平成")


@pytest.mark.slow
@pytest.mark.parametrize("producer", list(PDFS))
def test_each_producer_s_pdf_reads_as_the_text_table(producer, text_table):
    table = read_status_table(PDFS[producer])
    assert _essentials(table) == _essentials(text_table) and len(table.measures) == 19
    assert table.title == KITAMOTO_HEADING  # the text above the table on its first page
    assert (table.era, table.fiscal_years[0], table.fiscal_years[-1]) == ("平成", 2007, 2012)  # 19 … 24, 平成 inferred


@pytest.mark.slow
def test_each_page_is_a_section_and_a_row_split_by_a_page_break_is_joined():
    table = read_status_table(PDFS["typst"])
    # Typst's pages (rendered and read by eye): No.1-8 on page 1 (No.8's 内容 runs over to the top of page 2),
    # No.9-14 on page 2, No.15-19 on page 3
    pages = {}
    for measure in table.measures:
        pages.setdefault(measure.block, []).append(measure.no)
    assert pages == {1: list(range(1, 9)), 2: list(range(9, 15)), 3: list(range(15, 20))}
    joined = [note for note in table.notes if note.kind == "row_joined"]
    assert [note.before for note in joined] == ["2ページ 3行目"]  # under the header and its year row
    [sections] = [note for note in table.notes if note.kind == "page_sections"]
    assert (sections.field, sections.after) == ("見出し", "1ページ、2ページ、3ページ")
    assert table.measures[7].content.endswith("市民公益団体を結びつける仕組みを創設")


def _typst_pdf(tmp_path, rows, title="架空市協働計画 実施状況"):
    path = tmp_path / "plan.pdf"
    path.write_bytes(status_table_pdf(title, [3, 4, 5], rows))
    return path


def _row(no, rating="◎", direction="交流会の開催"):
    return {"no": no, "direction": direction, "content": "交流会を開催", "marks": ["○", "→", ""],
            "departments": ["協働推進課"], "status": "令和3年度に開催した。", "rating": rating}


def test_an_error_names_the_page_the_row_the_measure_and_the_column(tmp_path):
    path = _typst_pdf(tmp_path, [_row(1), _row(2, rating="A")])
    with pytest.raises(StatusTableError) as caught:
        read_status_table(path)
    assert str(caught.value) == (f"{path} 1ページ 表の4行目（No.2）の評価: 評価 'A'（No.2）は評価の尺度にありません"
                                 "（使える記号: ◎ ○ △ ×）（'A'）")


def test_producers_code_points_are_read_as_the_characters_they_stand_for():
    assert _fix_characters("市⺠の⽅針‧協働") == ("市民の方針・協働", ["radical_mapped", "middle_dot"])
    assert _fix_characters("協働推進課") == ("協働推進課", [])


def test_every_radical_of_the_supplement_that_unicode_maps_is_read_as_its_ideograph():
    """Issue 22 §2: the whole CJK 部首補助 block, as Unicode's EquivalentUnifiedIdeograph.txt maps it (by hand from
    the file: U+2E81–U+2EF3 but the unassigned U+2E9A; U+2E80 has no equivalent)."""
    import unicodedata

    from kyodo_analysis.source.pdf_table import RADICALS

    assert len(RADICALS) == 114 and "\u2e80" not in RADICALS and "\u2e9a" not in RADICALS
    assert all(unicodedata.name(radical).startswith("CJK RADICAL ") for radical in RADICALS)
    assert all(unicodedata.name(ideograph).startswith("CJK UNIFIED IDEOGRAPH-") for ideograph in RADICALS.values())
    # a few read off the file: C-SIMPLIFIED LONG, LONG ONE, J-SIMPLIFIED DRAGON, J-SIMPLIFIED TURTLE, MEAT, GRASS
    assert [RADICALS[chr(code)] for code in (0x2ED3, 0x2ED1, 0x2EEF, 0x2EF2, 0x2EBC, 0x2EBF)] == \
        ["\u957f", "\u9577", "\u7adc", "\u4e80", "\u8089", "\u8279"]


def test_a_scanned_pdf_a_pdf_without_a_table_and_an_encrypted_one_are_refused(tmp_path):
    scanned = tmp_path / "scanned.pdf"
    Image.new("RGB", (200, 100), "white").save(scanned)
    with pytest.raises(StatusTableError, match="文字情報のないPDF（スキャンした画像）です。OCRにかけるか"):
        read_status_table(scanned)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(typst.compile(b'#set text(font: "IPAexGothic")\n\xe8\xa1\xa8\xe3\x81\xaf\xe3\x81\x82\xe3\x82\x8a'
                                    b'\xe3\x81\xbe\xe3\x81\x9b\xe3\x82\x93', font_paths=[str(font_folder())],
                                    ignore_system_fonts=True))
    with pytest.raises(StatusTableError, match="罫線のある表が見つかりません"):
        read_status_table(plain)
    writer = PdfWriter(clone_from=PdfReader(PDFS["libreoffice"]))
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as file:
        writer.write(file)
    with pytest.raises(StatusTableError, match="(暗号化されたPDFです|暗号化されているか、壊れています)"):
        read_status_table(locked)
    renamed = tmp_path / "table.pdf"
    renamed.write_bytes(KITAMOTO_STATUS_TABLE.read_bytes())
    with pytest.raises(StatusTableError, match=r"PDFではありません"):
        read_status_table(renamed)


@pytest.mark.e2e  # compiles a 30-page PDF with Typst
def test_a_generated_plan_of_300_measures_reads_as_its_text(tmp_path):
    from kyodo_analysis.source.parsing import parse_status_table
    from kyodo_analysis.testing.synthetic import generate_measures, render_status_table

    measures = generate_measures(300, n_blocks=1, era="令和", first_year=3, n_years=5, seed=22)
    text = parse_status_table(render_status_table(measures, era="令和", first_year=3, n_years=5), era="令和")
    pdf = status_table_pdf("合成市協働推進計画 実施状況", [3, 4, 5, 6, 7], pdf_rows(text.measures, range(2021, 2026)))
    path = tmp_path / "big.pdf"
    path.write_bytes(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 10
    assert _essentials(read_status_table(path, era="令和")) == _essentials(text)


def _raw_pdf(page: bytes, contents: bytes, *more: bytes) -> bytes:
    """A one-page PDF written by hand: the page's dictionary entries, its content stream (packed), and more
    objects (numbered from 5)."""
    import zlib

    return _pdf_with_contents(b"/FlateDecode", zlib.compress(contents, 9), *more, page=page)


def _pdf_with_contents(filters: bytes, data: bytes, *more: bytes, page: bytes = b"") -> bytes:
    """A one-page PDF whose content stream is ``data`` as written, under ``filters``, and more objects."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + page + b" >>",
               b"<< /Length %d /Filter %s >> stream\n" % (len(data), filters) + data + b"\nendstream", *more]
    body, offsets = b"%PDF-1.4\n", []
    for number, value in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj " % number + value + b" endobj\n"
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % offset
                                                                                for offset in offsets)
    return body + xref + b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, len(body))


def test_a_pdf_whose_streams_unpack_beyond_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    """A small file whose one content stream inflates to 5 MB of zeros, against a limit of 1 MB."""
    from kyodo_analysis.source import pdf_table

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_raw_pdf(b"", b"\0" * 5_000_000))
    assert bomb.stat().st_size < 10_000
    monkeypatch.setattr(pdf_table, "MAX_PDF_UNPACKED_BYTES", 1_000_000)
    with pytest.raises(StatusTableError, match="PDFの圧縮されたデータが展開すると 1,000,000 バイトを超えます"):
        read_status_table(bomb)
    check_pdf_streams(bomb.read_bytes(), bomb, limit=5_000_000, seconds=60)  # exactly at the limit: passed on


def _lzw_zeros(n_codes: int) -> bytes:
    """Zeros packed as PDF's LZWDecode (early change): after a clear code, the codes 0, 258, 259, … stand for 1,
    2, 3, … zeros, n_codes(n_codes + 1)/2 in all; a code is 9 bits wide until the reader's table holds 511
    entries, then 10, 11 and 12 (the test checks the bytes against pdfminer's reader)."""
    codes, widths, table = [256, 0], [9, 9], 258
    for code in range(258, 258 + n_codes - 1):
        codes.append(code)
        widths.append(9 if table < 511 else 10 if table < 1023 else 11 if table < 2047 else 12)
        table += 1  # the entry the reader adds for the code before
    codes.append(257)
    widths.append(9 if table < 511 else 10 if table < 1023 else 11 if table < 2047 else 12)
    bits = "".join(format(code, f"0{width}b") for code, width in zip(codes, widths, strict=True))
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


@functools.cache
def _bombs() -> dict[str, tuple[bytes, bytes]]:
    """Content streams of 2 MB of zeros, packed as a count of Flate streams alone misses: (filters, data)."""
    import binascii
    import zlib

    packed = zlib.compress(b"\0" * 2_001_000, 9)
    return {
        "Flate inside Flate": (b"[/FlateDecode /FlateDecode]", zlib.compress(packed, 9)),
        "Flate written as hex": (b"[/ASCIIHexDecode /FlateDecode]", binascii.hexlify(packed) + b">"),
        "LZW": (b"/LZWDecode", _lzw_zeros(2000)),
    }


@pytest.mark.parametrize("kind", list(_bombs()))
def test_a_stream_packed_any_way_pdfminer_unpacks_counts_toward_the_limit(kind, tmp_path, monkeypatch):
    """Each layer of a stream's filters counts, as pdfminer unpacks it: a stream packed twice, Flate behind
    ASCIIHex, and LZW are each refused. Before, only a first layer of Flate counted: a 2 KB file packed twice
    unpacked to a gigabyte, and its read was still running after two minutes."""
    from pdfminer.pdftypes import PDFStream

    from kyodo_analysis.source import pdf_table

    filters, data = _bombs()[kind]
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_pdf_with_contents(filters, data))
    assert bomb.stat().st_size < 10_000
    unpacked = PDFStream({"Filter": _pdf_filters(filters)}, data)
    assert len(unpacked.get_data()) > 1_900_000  # pdfminer unpacks it to (nearly) 2 MB of zeros
    monkeypatch.setattr(pdf_table, "MAX_PDF_UNPACKED_BYTES", 500_000)
    with pytest.raises(StatusTableError, match="PDFの圧縮されたデータが展開すると 500,000 バイトを超えます"):
        read_status_table(bomb)


def _pdf_filters(filters: bytes) -> list:
    from pdfminer.psparser import LIT

    return [LIT(name) for name in filters.strip(b"[]").decode().replace("/", " ").split()]


#: A 1.2 KB page that draws a form of 50 letters 2,000 times: 100,000 characters, about 15 s of pdfminer's
#: work (and 250 MB) from a file that unpacks to 15 KB.
_FORM = b"BT /F1 1 Tf " + b"(A) Tj " * 50 + b"ET"
_FORM_DRAWN_2000_TIMES = _raw_pdf(
    b"/Resources << /XObject << /X1 5 0 R >> /Font << /F1 6 0 R >> >>", b"/X1 Do\n" * 2000,
    b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << /F1 6 0 R >> >> /Length %d >> "
    b"stream\n%s\nendstream" % (len(_FORM), _FORM),
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")


@pytest.mark.slow
@pytest.mark.parametrize(("limit", "value", "message"), [
    ("MAX_PDF_SECONDS", 0.5, "0.5 秒で 0 ページまでしか読めなかったため、中止しました（全 1 ページ、1 ページ目の途中）"),
    ("MAX_PDF_PAGE_OBJECTS", 1_000, "1 ページに描かれた文字や図形が 1,000 を超えます"),
])
def test_a_page_that_multiplies_its_work_is_stopped_inside_the_page(tmp_path, monkeypatch, limit, value, message):
    from kyodo_analysis.source import pdf_table

    path = tmp_path / "forms.pdf"
    path.write_bytes(_FORM_DRAWN_2000_TIMES)
    assert path.stat().st_size < 1_500
    monkeypatch.setattr(pdf_table, limit, value)
    with pytest.raises(StatusTableError, match=message):
        read_status_table(path)


def test_a_pdf_read_past_its_time_limit_stops_before_it_unpacks_anything(monkeypatch):
    """The time limit bounds the whole read, its first step too: the count of what the streams unpack (a file of
    a million small objects would keep it busy for minutes). The pages' own stops are tested above."""
    from kyodo_analysis.source import pdf_table

    monkeypatch.setattr(pdf_table, "MAX_PDF_SECONDS", -1)  # already past: stopped at once
    with pytest.raises(StatusTableError, match=r"PDFの圧縮されたデータの展開が時間の上限（-1 秒）を超えました"):
        read_status_table(PDFS["typst"])


@pytest.mark.slow
def test_the_appendix_says_from_which_page_of_the_city_s_pdf_each_measure_came():
    """Issue 24 §2. By eye: Typst's PDF has No.1-8 on page 1, 9-14 on 2, 15-19 on 3; LibreOffice's starts with a
    cover page, then No.1-8 on page 2 and No.9-19 on page 3."""
    import datetime

    from kyodo_analysis import review_plan
    from kyodo_analysis.content.document import review_document

    typst = read_status_table(PDFS["typst"]).pages
    assert typst == {no: 1 if no <= 8 else 2 if no <= 14 else 3 for no in range(1, 20)}
    assert read_status_table(PDFS["libreoffice"]).pages == {no: 2 if no <= 8 else 3 for no in range(1, 20)}
    appendix = review_document(review_plan(PDFS["libreoffice"]), figures=[],
                               generated=datetime.date(2026, 11, 27)).appendix
    assert appendix.columns[:3] == ("No", "原表のページ", "施策の方向性")
    assert [row[1] for row in appendix.rows] == ["2"] * 8 + ["3"] * 11
    assert "原表のページ" not in review_document(review_plan(), figures=[],  # a text table has no pages
                                                 generated=datetime.date(2026, 11, 27)).appendix.columns
