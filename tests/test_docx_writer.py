"""The Word draft (kyodo_analysis.writers.docx_writer), written from the Kitamoto review and read back with python-docx.

The expected values are Kitamoto's, read by hand from the bundled table.
"""

import dataclasses
import datetime
import re
import zipfile

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

from kyodo_analysis import review_plan
from kyodo_analysis.config import FIGURES, KITAMOTO_STATUS_TABLE
from kyodo_analysis.content.document import FigureItem, review_document
from kyodo_analysis.writers.docx_writer import write_word_report
from kyodo_analysis.writers.ooxml import FIXED_TIME

from .sentences import KITAMOTO_INDUSTRY

KITAMOTO_TITLE = "北本市市民と行政との協働推進計画"  # the heading without 施策実施状況のまとめ
#: The chapters as a city writes them (issue 24 §0): 分野別の評価 only with the plan's structure; 総括 for the
#: committee's own words. Figures and tables stand in the sections that discuss them.
HEADINGS = ["1\u3000計画の概要", "2\u3000評価の方法", "3\u3000全体の評価", "4\u3000施策別の評価",
            "5\u3000今後の課題と方向性", "6\u3000総括"]
#: The sections of 3 全体の評価.
SECTIONS = ["（1）全体の進捗", "（2）実施目標年度による違い", "（3）計画と実績（着手時期）", "（4）推進課別の状況",
            "（5）評価と記述の整合性"]
#: The appendix's columns: every measure with its grade, period, start and status (issue 24 §0).
APPENDIX_COLUMNS = ["No", "施策の方向性", "推進課", "評価", "実施期間", "着手年度（記載上）", "施策実施状況"]


def _appendix(word):
    """The Word table of every measure."""
    return next(table for table in word.tables if [cell.text for cell in table.rows[0].cells] == APPENDIX_COLUMNS)


@pytest.fixture(scope="module")
def doc_model():
    return review_document(review_plan(), figures=sorted(FIGURES.glob("*")), generated=datetime.date(2026, 11, 27))


@pytest.fixture(scope="module")
def written(doc_model, tmp_path_factory):
    """The Kitamoto draft, written once: its path and the document read back."""
    path = write_word_report(doc_model, tmp_path_factory.mktemp("word") / "kitamoto.docx")
    return path, docx.Document(str(path))


def _text(word) -> str:
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in word.paragraphs] + cells)


@pytest.mark.slow
def test_page_is_a4_portrait_with_margins(written):
    _, word = written
    (section,) = word.sections
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.left_margin - Cm(2.5)) < Cm(0.01) and abs(section.top_margin - Cm(2.5)) < Cm(0.01)


def test_japanese_fonts_are_set_for_east_asian_text(written):
    _, word = written
    normal = word.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "游明朝"
    assert normal.get(qn("w:ascii")) == "Yu Mincho"
    heading = word.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "游ゴシック"
    # a theme font would win over the named one in Word
    assert heading.get(qn("w:eastAsiaTheme")) is None and heading.get(qn("w:asciiTheme")) is None


def test_headings_are_built_in_heading_1_in_order(written):
    _, word = written
    headings = [paragraph.text for paragraph in word.paragraphs if paragraph.style.name == "Heading 1"]
    assert headings == HEADINGS
    assert [paragraph.text for paragraph in word.paragraphs if paragraph.style.name == "Heading 2"] == SECTIONS
    texts = [paragraph.text for paragraph in word.paragraphs]
    # 総括: a clearly marked place for the committee's own words, at the end of the draft
    last = len(texts) - 1 - texts[::-1].index(HEADINGS[-1])  # the heading, not its entry in the contents
    assert texts[last + 1].startswith("（評価委員会の総括をここに記入してください。")


@pytest.mark.slow
def test_quotations_of_the_table_stand_under_their_items_and_headings_within_a_section_are_one_deeper(
        written, tmp_path):
    _, word = written
    paragraphs = list(word.paragraphs)
    quotes = [(before.text, paragraph.text) for before, paragraph in zip(paragraphs, paragraphs[1:])
              if paragraph.style.name == "Quote"]
    # the audit, by hand: each ○ measure whose status admits a gap, then its sentence as written
    assert quotes[0] == ("No.1「広報・協働推進サイトの設置」：評価 ○（概ね達成）、該当語 「未設置」",
                         "市民活動広報紙と協働推進サイトについては、未設置。")
    assert [before.split("「")[0] for before, _ in quotes] == ["No.1", "No.5", "No.6", "No.14"]
    assert all(word.styles["Quote"].font.italic is False for _ in quotes)  # no slanted Japanese
    # a final round against the midterm: the measures that rose and fell under headings of their own
    from .builds import FIXTURES

    final = review_plan(FIXTURES / "kitamoto_round2.txt", era="平成", previous=KITAMOTO_STATUS_TABLE)
    model = review_document(final, figures=[], generated=datetime.date(2026, 11, 27))
    headings = [paragraph.text for paragraph in docx.Document(str(write_word_report(model, tmp_path / "final.docx")))
                .paragraphs if paragraph.style.name == "Heading 3"]  # within （6）前回からの変化
    assert [heading.split("（")[0] for heading in headings] == ["評価が上がった施策", "評価が下がった施策"]


def test_pages_after_the_title_page_are_numbered_and_the_properties_are_the_review_s(written):
    path, word = written
    section = word.sections[0]
    assert section.different_first_page_header_footer and section.first_page_footer.paragraphs[0].text == ""
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr=" PAGE "' in footer and footer.count("—") == 2
    properties = word.core_properties
    assert (properties.title, properties.language) == (KITAMOTO_TITLE, "ja-JP")
    # the review is dated 2026-11-27 (doc_model): created and modified on that day, not 2000-01-01
    dated = datetime.datetime(2026, 11, 27, tzinfo=datetime.timezone.utc)
    assert properties.created == properties.modified == dated
    with zipfile.ZipFile(path) as package:
        core = package.read("docProps/core.xml")
    assert b"<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-27T00:00:00Z<" in core


def test_title_page_then_a_toc_field(written):
    path, word = written
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert texts.index(KITAMOTO_TITLE) < texts.index("中間評価報告書") < texts.index("作成日：令和8年11月27日")
    assert "計画期間：平成19年度〜平成24年度" in texts and "評価時点：平成22年度" in texts
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode("utf-8")
    for instruction in ('TOC \\o "1-2" \\h \\z \\u', 'TOC \\h \\z \\t "図の見出し,1"', 'TOC \\h \\z \\t "表の見出し,1"'):
        assert instruction in body  # fields Word refreshes (with page numbers)
    # before any update, each field's result already lists its entries: the headings, the figures, the tables
    contents, figures, tables = (texts.index(title) for title in ("目次", "図の一覧", "表の一覧"))
    assert texts[contents + 1:figures] == [*HEADINGS[:3], *SECTIONS, *HEADINGS[3:]]
    assert texts[figures + 1:tables][:2] == ["図1 評価の分布", "図2 実施目標年度別の評価"]
    assert texts[tables + 1:tables + 5] == ["表1 評価の内訳", "表2 評価と記述の整合性", "付表 全施策の一覧",
                                            "表3 後半期の重点施策"]
    assert "フィールド更新" not in body
    assert word.core_properties.title == KITAMOTO_TITLE
    assert word.core_properties.author == "kyodo-analysis"


def test_text_holds_kitamoto_values(written):
    _, word = written
    text = _text(word)
    for expected in (KITAMOTO_TITLE, "50.9", KITAMOTO_INDUSTRY, "作成日：令和8年11月27日"):
        assert expected in text
    bullets = [paragraph for paragraph in word.paragraphs if paragraph.style.name == "List Bullet"]
    assert bullets and all(paragraph.text for paragraph in bullets)


def test_figures_are_pictures_kept_with_numbered_captions(written):
    _, word = written
    # figures/ holds 8 PNGs; the review prints 6: not 表の区分別の評価 and its 評価点 (issue 23 §5b)
    assert len(list(FIGURES.glob("*.png"))) == 8 and len(word.inline_shapes) == 6
    for shape in word.inline_shapes:
        assert abs(shape.width - Cm(16)) < Cm(0.01)
    captions = [paragraph.text for paragraph in word.paragraphs
                if paragraph.style.name == "図の見出し" and paragraph.text.startswith("図")]
    assert captions[0] == "図1 評価の分布"
    assert [caption.split(" ")[0] for caption in captions] == [f"図{number}" for number in range(1, 7)]
    assert not [caption for caption in captions if "表の区分" in caption]
    paragraphs = word.paragraphs
    pictures = [index for index, paragraph in enumerate(paragraphs) if paragraph._p.xpath(".//w:drawing")]
    assert len(pictures) == 6
    for index in pictures:
        assert paragraphs[index].paragraph_format.keep_with_next
        assert paragraphs[index + 1].style.name == "図の見出し" and paragraphs[index + 1].text.startswith("図")


def test_each_figure_and_table_stands_in_its_section_after_the_text_that_cites_it(written):
    """By hand: 図1 評価の分布 and 表1 評価の内訳 in 全体の進捗, 図2-3 in 実施目標年度による違い, 図4 (the timeline) in
    計画と実績, 図5-6 in 推進課別の状況, 表2 in 評価と記述の整合性, 表3 in 今後の課題と方向性 (issue 24 §0, §1)."""
    _, word = written
    paragraphs = [(paragraph.style.name, paragraph.text) for paragraph in word.paragraphs]
    body = next(index for index, (style, text) in enumerate(paragraphs) if style == "Heading 1")
    section, where = None, {}
    for index, (style, text) in enumerate(paragraphs[body:], start=body):
        if style in ("Heading 1", "Heading 2"):
            section = re.sub(r"^（\d+）|^\d+\u3000", "", text)
        elif style in ("図の見出し", "表の見出し") and text.startswith(("図", "表")):
            number = text.split(" ")[0]
            where[number] = section
            cites = (f"{number}）", f"{number}、")
            assert any(cite in earlier for _, earlier in paragraphs[body:index] for cite in cites), number
    assert where == {"図1": "全体の進捗", "表1": "全体の進捗", "図2": "実施目標年度による違い", "図3": "実施目標年度による違い",
                     "図4": "計画と実績（着手時期）", "図5": "推進課別の状況", "図6": "推進課別の状況",
                     "表2": "評価と記述の整合性", "表3": "今後の課題と方向性"}


def test_tables_have_kitamoto_rows_and_repeating_bold_headers(written):
    _, word = written
    assert len(word.tables) == 4  # 表1-3 and the appendix
    first = [[cell.text for cell in row.cells] for row in word.tables[0].rows]
    assert first[0] == ["評価", "意味", "件数", "割合"]
    assert [row[0] for row in first[1:]] == ["◎", "○", "△", "×"]
    assert first[1] == ["◎", "達成", "3", "15.8%"]
    appendix = _appendix(word)
    assert len(appendix.rows) == 1 + 19
    assert appendix.rows[1].cells[-1].paragraphs[0].style.name == "Table Text"  # an editable style of its own
    # by hand: No.6 ○ in 平成19年度, its status says 平成20年度から…; No.1 names no start
    assert [cell.text for cell in appendix.rows[6].cells[:6]] == ["6", "ボランティアセンターとの連携",
                                                                 "協働推進課・福祉課", "○", "平成19年度", "平成20年度"]
    assert [cell.text for cell in appendix.rows[1].cells[4:6]] == ["平成20年度", "—"]
    for table in word.tables:
        assert table.style.name == "Table Grid"
        header = table.rows[0]._tr
        assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
        assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    captions = [paragraph.text for paragraph in word.paragraphs
                if paragraph.style.name == "表の見出し" and paragraph.text.startswith(("表", "付表"))]
    # in reading order, as the chapters: the audit, every measure, then the priorities
    assert captions == ["表1 評価の内訳", "表2 評価と記述の整合性", "付表 全施策の一覧", "表3 後半期の重点施策"]


@pytest.mark.slow
def test_status_text_is_written_literally(doc_model, tmp_path):
    status = '=HYPERLINK("x") <script>alert(1)</script> *bold* &amp; [a](b)\n2行目'
    appendix = doc_model.appendix
    row = (*appendix.rows[0][:-1], status)
    document = dataclasses.replace(doc_model, figures=(),
                                   appendix=dataclasses.replace(appendix, rows=(row, *appendix.rows[1:])))
    word = docx.Document(str(write_word_report(document, tmp_path / "markup.docx")))
    assert _appendix(word).rows[1].cells[-1].text == status
    assert _appendix(word).rows[1].cells[0].text == "1"


@pytest.mark.slow
def test_tall_figure_is_shrunk_to_fit_the_page_keeping_its_aspect(doc_model, tmp_path):
    tall = tmp_path / "tall.png"
    Image.new("RGB", (100, 400), "white").save(tall)
    document = dataclasses.replace(doc_model, figures=(FigureItem(tall, "図1 縦長の図", "overview"),))
    (shape,) = docx.Document(str(write_word_report(document, tmp_path / "tall.docx"))).inline_shapes
    assert shape.height <= Cm(21)
    assert shape.height / shape.width == pytest.approx(4, rel=1e-3)


@pytest.mark.slow
def test_two_writes_are_byte_identical(doc_model, written, tmp_path):
    path, _ = written
    again = write_word_report(doc_model, tmp_path / "again.docx")
    assert again.read_bytes() == path.read_bytes()
    with zipfile.ZipFile(path) as package:
        assert {info.date_time for info in package.infolist()} == {FIXED_TIME}
        core = package.read("docProps/core.xml").decode("utf-8")
    assert core.count("2026-11-27T00:00:00Z") == 2  # the day the review is dated, whenever it is written


@pytest.mark.slow
def test_the_title_page_names_the_author_and_the_date_the_review_is_dated(tmp_path):
    """--author and --dated (issue 23 §2b): who issues the review, and its date, on the title page."""
    from kyodo_analysis.run.report import review_date

    document = review_document(review_plan(), figures=[], generated=review_date("2011-03-31"),
                               author="北本市協働推進課")
    assert document.title_page() == [("計画期間", "平成19年度〜平成24年度"), ("評価時点", "平成22年度"),
                                      ("作成者", "北本市協働推進課"), ("作成日", "平成23年3月31日")]
    texts = [p.text for p in docx.Document(write_word_report(document, tmp_path / "r.docx")).paragraphs]
    assert "作成者：北本市協働推進課" in texts and "作成日：平成23年3月31日" in texts
    unsigned = review_document(review_plan(), figures=[], generated=datetime.date(2026, 11, 27))
    assert [label for label, _ in unsigned.title_page()] == ["計画期間", "評価時点", "作成日"]


def test_tables_hold_together_and_a_long_one_leaves_no_row_alone(written):
    """表1 (header and 4 rows) stays on one page; the appendix (19 measures + header, statuses that fill more
    than a page) starts under its heading and keeps its head and its tail; a row never breaks across pages
    (cantSplit)."""
    _, word = written

    def kept(table):
        return [all(cell.paragraphs[0].paragraph_format.keep_with_next for cell in row.cells) for row in table.rows]

    first, appendix = word.tables[0], _appendix(word)
    assert kept(first) == [True, True, True, True, False]
    assert kept(appendix) == [True, True] + [False] * 16 + [True, False]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for table in word.tables for row in table.rows)


@pytest.mark.slow
def test_a_long_table_keeps_its_head_and_its_tail_together(doc_model, tmp_path):
    long = dataclasses.replace(doc_model.appendix, rows=doc_model.appendix.rows * 2)  # 38 rows
    table = _appendix(docx.Document(str(write_word_report(dataclasses.replace(doc_model, appendix=long),
                                                          tmp_path / "long.docx"))))
    kept = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next is True for row in table.rows]
    assert kept[:3] == [True, True, False] and kept[-3:] == [False, True, False] and sum(kept) == 3


@pytest.mark.slow
def test_a_rounded_total_is_noted_and_an_empty_table_says_so(tmp_path, doc_model, written):
    """Kitamoto's shares 15.8 + 42.1 + 21.1 + 21.1 add up to 100.1% (issue 23 §5b): the table says why."""
    document, (_, word) = doc_model, written
    note = "割合は小数第2位を四捨五入しているため、合計が100.1%になる。"
    assert document.tables[0].note == note and note in [p.text for p in word.paragraphs]
    empty = dataclasses.replace(document, tables=(dataclasses.replace(document.tables[1], rows=(), note=""),))
    texts = [p.text for p in docx.Document(write_word_report(empty, tmp_path / "empty.docx")).paragraphs]
    caption = len(texts) - 1 - texts[::-1].index(document.tables[1].caption)  # the table's, not the list's entry
    assert texts[caption + 1] == "該当なし"


@pytest.mark.slow
def test_a_table_of_many_columns_keeps_its_names_readable_and_fits_the_block(tmp_path):
    """Kitamoto's indicators under ペース print eleven columns, too many for the 16 cm text block at their least
    widths. A name took one character a line (28 pt: its column as wide as the header 指標) beside 85 pt for
    期待される進捗率; a column of longer text now counts as six full-width characters and a header wraps, so
    the name keeps four characters a line (9 pt each, and 12 pt of cell margins)."""
    from docx.shared import Pt

    from .builds import FIXTURES

    plan_review = review_plan(indicators=FIXTURES / "kitamoto_indicators.csv", indicator_scheme="pace")
    document = review_document(plan_review, figures=[], generated=datetime.date(2026, 11, 27))
    path = write_word_report(document, tmp_path / "review.docx")
    [table] = [table for table in docx.Document(path).tables if table.rows[0].cells[0].text == "指標"]
    widths = [cell.width for cell in table.rows[0].cells]
    assert [cell.text for cell in table.rows[0].cells][8] == "期待される進捗率"
    assert len(widths) == 11 and widths[0] >= Pt(4 * 9 + 12) and widths[0] >= widths[8]
    assert sum(widths) <= Cm(16) + Cm(0.01)
