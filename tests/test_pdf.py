"""The print PDF (kyodo_analysis.writers.pdf): Kitamoto's review read back with pypdf, byte-stability, data that looks like
Typst markup, and figures outside the build folder."""

import dataclasses
import datetime
import re
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from kyodo_analysis import review_plan
from kyodo_analysis.config import FIGURES
from kyodo_analysis.content.document import Block, FigureItem, Section, review_document
from kyodo_analysis.run.report import PDF_NAME
from kyodo_analysis.writers.pdf import PRINT_MAX_WIDTH, PrintCopies, write_pdf_report

pytestmark = pytest.mark.e2e  # every PDF is made by Typst, in a child process

TITLE = "北本市市民と行政との協働推進計画"  # the heading without 施策実施状況のまとめ
SECTIONS = ["1計画の概要", "2評価の方法", "3全体の評価", "（1）全体の進捗", "（2）実施目標年度による違い",
            "（3）計画と実績（着手時期）", "（4）推進課別の状況", "（5）評価と記述の整合性", "4施策別の評価",
            "5今後の課題と方向性"]  # the chapters as a city writes them (issue 24 §0), without 総括 until written
#: Typst markup in a status: a file read, math, emphasis, a label, a reference, backslashes, a link, brackets.
HOSTILE = r'#read("/etc/passwd") $x$ *太字* <label> @ref \\ [link](x) ] _下線_ `raw` #set text(red)'
APPENDIX_HEADER = "No施策の方向性推進課評価実施期間着手年度（記載上）施策実施状況"


def compact(text: str) -> str:
    """pypdf puts spaces and line breaks between CJK runs: compare text without any whitespace."""
    return re.sub(r"\s+", "", text)


def page_texts(path) -> list[str]:
    return [compact(page.extract_text()) for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def kitamoto(kitamoto_documents):
    """Kitamoto's review as a document whose figures are copies under a build folder, and its PDF: the session's
    build of Kitamoto's documents (conftest), written once for this file and test_documents."""
    root = kitamoto_documents
    document = review_document(review_plan(), figures=sorted((root / "figures").glob("*.png")),
                               generated=datetime.date(2026, 11, 27))
    assert len(document.figures) == 6  # 6 of the 8 saved: not the table sections' (issue 23)
    return document, root, root / PDF_NAME


def test_kitamoto_text_title_page_and_sections(kitamoto):
    document, _, pdf = kitamoto
    pages = page_texts(pdf)
    text = "".join(pages)
    for expected in [TITLE, "50.9", "産業振興課", *SECTIONS]:
        assert expected in text, expected
    assert all(f"{title}" in pages[1] for title in SECTIONS)  # the table of contents, on page 2
    assert "目次" in pages[1] and "総括" not in "".join(pages)
    title_page = pages[0]
    for expected in ["中間評価報告書", TITLE, "平成19年度〜平成24年度", "平成22年度", "令和8年11月27日"]:
        assert expected in title_page, expected
    for caption in [figure.caption for figure in document.figures] + [table.caption for table in document.tables]:
        assert compact(caption) in text, caption
    assert compact(document.appendix.caption) in text and APPENDIX_HEADER in text
    metadata = PdfReader(pdf).metadata
    assert metadata.title == TITLE and metadata.author == "kyodo-analysis"


def test_kitamoto_pages_are_a4_and_numbered(kitamoto):
    _, _, pdf = kitamoto
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 8
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1
    pages = page_texts(pdf)
    assert not re.search(r"—\d+—", pages[0])  # the title page carries no number
    for number, text in enumerate(pages[1:], start=2):
        assert f"—{number}—" in text, number


def test_the_pdf_declares_pdf_ua_1_in_japanese_and_describes_every_figure(kitamoto):
    """JIS X 8341-3 asks a public body's documents to be accessible: PDF/UA-1 (issue 24 §4)."""
    document, _, pdf = kitamoto
    reader = PdfReader(pdf)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "ja-JP" and "/StructTreeRoot" in catalog
    assert "<pdfuaid:part>1</pdfuaid:part>" in catalog["/Metadata"].get_object().get_data().decode("utf-8")
    figures = [element.get_object() for element in _structure_elements(catalog["/StructTreeRoot"])
               if element.get_object().get("/S") == "/Figure"]
    assert sorted(str(figure["/Alt"]) for figure in figures) == sorted(item.caption for item in document.figures)


def _structure_elements(node):
    """Every element of a PDF's structure tree, depth first."""
    kids = node.get_object().get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict):
            yield kid
            yield from _structure_elements(kid)


def test_kitamoto_font_is_embedded_ipaex_and_figures_are_images(kitamoto):
    _, _, pdf = kitamoto
    reader = PdfReader(pdf)
    embedded, images = set(), 0
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = [f.get_object() for f in font.get("/DescendantFonts", [])] or [font]
            for descendant in descendants:
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is not None and ({"/FontFile2", "/FontFile3"} & set(descriptor.get_object())):
                    embedded.add(str(font["/BaseFont"]))
        for xobject in resources.get("/XObject", {}).values():
            images += xobject.get_object().get("/Subtype") == "/Image"
    assert embedded and all("IPAex" in name for name in embedded), embedded
    assert images == 6


def test_figures_go_into_the_pdf_at_most_print_width_and_their_files_stay(kitamoto):
    document, root, pdf = kitamoto
    widths = []
    for page in PdfReader(pdf).pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            image = xobject.get_object()
            if image.get("/Subtype") == "/Image":
                widths.append(int(image["/Width"]))
    # Kitamoto's timeline is drawn 2100 px wide and the matrix 1928 px: both go in at 1260 px (200 dpi across
    # the 16 cm text width); the narrower figures (1180-1600 px) at 1260 or their own width
    assert len(widths) == 6 and max(widths) == PRINT_MAX_WIDTH == 1260 and min(widths) == 1180
    assert {path.name: path.read_bytes() for path in (root / "figures").glob("*.png")} == \
        {path.name: path.read_bytes() for path in FIGURES.glob("*.png")}  # the saved figures are untouched
    assert not list(root.glob(".kyodo-pdf-figures-*"))  # the scaled copies are gone


def test_two_writes_are_byte_identical(kitamoto, tmp_path):
    """The same document gives the same bytes, in this process and in another one (no clock, no hash seed)."""
    document, root, pdf = kitamoto
    again = write_pdf_report(document, tmp_path / "again.pdf", root=root)
    assert again.read_bytes() == pdf.read_bytes()
    script = (
        "import datetime, pathlib, sys\n"
        "from kyodo_analysis import review_plan\n"
        "from kyodo_analysis.content.document import review_document\n"
        "from kyodo_analysis.writers.pdf import write_pdf_report\n"
        "root = pathlib.Path(sys.argv[1])\n"
        "document = review_document(review_plan(), figures=sorted((root / 'figures').glob('*.png')),\n"
        "                           generated=datetime.date(2026, 11, 27))\n"
        "write_pdf_report(document, pathlib.Path(sys.argv[2]), root=root)\n"
    )
    other = tmp_path / "other.pdf"
    subprocess.run([sys.executable, "-W", "error", "-c", script, str(root), str(other)], check=True)
    assert other.read_bytes() == pdf.read_bytes()


def test_figures_scaled_for_print_beforehand_give_the_same_pdf(kitamoto, tmp_path):
    """The report has the figures scaled for print as each notebook finishes (PrintCopies.add), while the others
    still run: the PDF printed from those copies is the PDF, and the copies are gone afterwards."""
    from PIL import Image

    document, root, pdf = kitamoto
    wide = set()
    for figure in document.figures:
        with Image.open(figure.path) as image:
            if image.width > PRINT_MAX_WIDTH:
                wide.add(figure.path)
    assert len(wide) >= 2  # the timeline (2100 px) and the matrix (1928 px) at least
    with PrintCopies(root) as copies:
        copies.add(sorted(wide))
        printed = copies.document(document)
        for figure, own in zip(printed.figures, document.figures, strict=True):
            assert (figure.path != own.path) == (own.path in wide) and figure.caption == own.caption
            with Image.open(figure.path) as image:
                assert image.width == PRINT_MAX_WIDTH if own.path in wide else image.width <= PRINT_MAX_WIDTH
        folder, = {figure.path.parent for figure in printed.figures} - {own.path.parent for own in document.figures}
        again = write_pdf_report(document, tmp_path / "again.pdf", root=root, print_copies=copies)
        with pytest.raises(ValueError, match="outside the PDF's root"):
            copies.add([FIGURES / "rating_distribution.png"])  # nothing is read outside the root
    assert again.read_bytes() == pdf.read_bytes()
    assert folder.parent == root and folder.name.startswith(".kyodo-pdf-figures-") and not folder.exists()
    with PrintCopies(tmp_path) as elsewhere, pytest.raises(ValueError, match="not the PDF's root"):
        write_pdf_report(document, tmp_path / "refused.pdf", root=root, print_copies=elsewhere)
    assert not (tmp_path / "refused.pdf").exists()


def test_a_figure_rewritten_after_it_was_scaled_is_printed_as_it_is_now(tmp_path):
    """A copy made early is not printed once its figure has been written again: it is scaled again."""
    from PIL import Image

    from kyodo_analysis.content.document import ReviewDocument, TableItem

    figure = tmp_path / "figure.png"
    Image.new("RGB", (2 * PRINT_MAX_WIDTH, 100), "red").save(figure)
    document = ReviewDocument("計画", "中間評価報告書", "", "", "", (), (FigureItem(figure, "図1 赤"),), (),
                              TableItem("付表", ("No",), (("1",),)))
    with PrintCopies(tmp_path) as copies:
        copies.add([figure])
        early = copies.document(document).figures[0].path
        Image.new("RGB", (4 * PRINT_MAX_WIDTH, 400), "blue").save(figure)  # drawn again, as a taller blue one
        now = copies.document(document).figures[0].path
        assert now != early
        with Image.open(early) as red, Image.open(now) as blue:
            assert (red.size, red.getpixel((0, 0))) == ((PRINT_MAX_WIDTH, 50), (255, 0, 0))
            assert (blue.size, blue.getpixel((0, 0))) == ((PRINT_MAX_WIDTH, 100), (0, 0, 255))


def test_markup_in_the_data_prints_literally(kitamoto, tmp_path):
    """A title, a paragraph, a caption and statuses that are Typst markup are printed as they are, never run."""
    document, root, _ = kitamoto
    appendix = document.appendix
    rows = [(*row[:-1], HOSTILE if index == 0 else row[-1]) for index, row in enumerate(appendix.rows)]
    title = "計画#1 #set page(paper: \"a5\") = 見出し"
    hostile = dataclasses.replace(
        document,
        title=title,
        sections=(Section("節 <x> @y", (Block("paragraph", HOSTILE), Block("item", HOSTILE))), *document.sections),
        figures=(dataclasses.replace(document.figures[0], caption=f"図1 {HOSTILE}"), *document.figures[1:]),
        appendix=dataclasses.replace(appendix, rows=tuple(rows) * 4),  # long enough to run over pages
    )
    pdf = write_pdf_report(hostile, tmp_path / "hostile.pdf", root=root)
    pages = page_texts(pdf)
    text = "".join(pages)
    # 4 appendix rows, the paragraph, the item, the caption and its line in the list of figures
    assert text.count(compact(HOSTILE)) == 4 + 1 + 1 + 1 + 1
    assert compact(title) in pages[0] and "節<x>@y" in text
    assert "root:" not in text
    reader = PdfReader(pdf)
    assert reader.metadata.title == title
    assert all(abs(float(page.mediabox.width) - 595.28) < 1 for page in reader.pages)  # no a5 page
    # the appendix runs over pages, and its header row is repeated on each
    assert sum(APPENDIX_HEADER in page for page in pages) >= 2


def test_figure_outside_root_or_missing_is_refused(kitamoto, tmp_path):
    document, root, _ = kitamoto
    outside = tmp_path / "outside.png"
    shutil.copy(root / "figures" / "rating_distribution.png", outside)
    for path in [outside, root / "figures" / ".." / ".." / outside.parent.name / outside.name]:
        moved = dataclasses.replace(document, figures=(FigureItem(path, "図1 外"),))
        with pytest.raises(ValueError, match=re.escape(str(path))):
            write_pdf_report(moved, tmp_path / "refused.pdf", root=root)
    (root / "figures" / "link.png").symlink_to(outside)  # a link that leads out of root
    try:
        moved = dataclasses.replace(document, figures=(FigureItem(root / "figures" / "link.png", "図1 外"),))
        with pytest.raises(ValueError, match="link.png"):
            write_pdf_report(moved, tmp_path / "refused.pdf", root=root)
    finally:
        (root / "figures" / "link.png").unlink()
    missing = dataclasses.replace(document, figures=(FigureItem(root / "figures" / "missing.png", "図1 無"),))
    with pytest.raises(FileNotFoundError, match="missing.png"):
        write_pdf_report(missing, tmp_path / "refused.pdf", root=root)
    assert not (tmp_path / "refused.pdf").exists()
