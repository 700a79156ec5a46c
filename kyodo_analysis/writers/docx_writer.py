"""The review as an editable Word draft (.docx), laid out from a :class:`~kyodo_analysis.content.document.ReviewDocument`.

:func:`write_word_report` writes, on A4 portrait: a title page, a table of
contents (a Word TOC field that Word fills when its fields are updated), the
narrative's sections under real "Heading 1" headings, the figures with their
captions, the key tables and the appendix of every measure as Word tables.
Everything but the figures is text that staff can edit; the values are written
exactly as the document holds them (text that looks like a formula or markup
stays text).

Fonts: the body is Yu Mincho / 游明朝 and the headings Yu Gothic / 游ゴシック,
set for Latin and East Asian text alike (``w:ascii``, ``w:hAnsi`` and
``w:eastAsia``). Word substitutes another font on a machine that lacks them
(a Mac without Office fonts, LibreOffice on Linux: e.g. IPAex or Noto CJK when
installed), so the draft stays readable, only the typeface changes.

The file is made byte-stable by :func:`kyodo_analysis.writers.ooxml.stable_zip`.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

from kyodo_analysis.writers.layout import display_width
from kyodo_analysis.writers.ooxml import FIXED_TIME, stable_zip

# python-docx loads where it is used, and the document model (pandas) only for type checking.
if TYPE_CHECKING:
    from kyodo_analysis.content.document import ReviewDocument, TableItem

__all__ = ["BODY_FONT", "HEADING_FONT", "write_word_report"]

#: (Latin, East Asian) font of the body text.
BODY_FONT = ("Yu Mincho", "游明朝")
#: (Latin, East Asian) font of the title and the headings.
HEADING_FONT = ("Yu Gothic", "游ゴシック")

_AUTHOR = "kyodo-analysis"
_MARGIN_CM = 2.5
_FIGURE_WIDTH_CM = 16
#: The tallest a figure may be, so that it and its caption fit on one A4 page inside the margins.
_FIGURE_MAX_HEIGHT_CM = 21
#: The styles of the captions of figures and of tables (both based on Caption): the lists of figures and of
#: tables are fields that collect the paragraphs of one of them.
_FIGURE_CAPTION, _TABLE_CAPTION = "図の見出し", "表の見出し"
_TABLE_STYLE = "Table Text"  # a paragraph style of our own for the text in table cells
_TABLE_POINTS = 9
#: A table of at most this many rows is kept on one page (each row kept with the next); a longer one runs on,
#: its header repeated, and never leaves a row alone: its first two and last two rows are kept together.
_WHOLE_TABLE_ROWS = 25
#: Column texts no longer than this (half-width characters) are never wrapped; a mean text longer than
#: _LONG weighs as _LONG when the columns share the width.
_SHORT, _LONG = 12, 60
#: The narrowest column of longer text, and the longest header line before it wraps (half-width characters).
_NARROWEST_TEXT, _HEADER_LINE = 12, 10


def _set_fonts(rpr, latin: str, east_asian: str) -> None:
    """Name the Latin and East Asian fonts of a run-properties element.

    The theme attributes (``w:asciiTheme`` …) of the default template win over
    named fonts in Word, so they are removed.
    """
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _setup_styles(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = document.styles
    # the defaults under every style: Japanese fonts and Japanese as the East Asian language (line breaking)
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults, *BODY_FONT)
    language = defaults.find(qn("w:lang"))
    if language is not None:
        language.set(qn("w:eastAsia"), "ja-JP")

    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_fonts(normal.element.get_or_add_rPr(), *BODY_FONT)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading"):
        _set_fonts(styles[name].element.get_or_add_rPr(), *HEADING_FONT)
    styles["Title"].font.size = Pt(22)
    subtitle = styles["Subtitle"]
    subtitle.font.size, subtitle.font.italic = Pt(16), False  # no slanted Japanese
    styles["Heading 1"].font.size = Pt(14)
    styles["Heading 2"].font.size = Pt(12)
    styles["Heading 3"].font.size = Pt(11)
    quote = styles["Quote"]  # a quotation of the table, set apart under its item: upright, indented
    quote.font.italic = False
    quote.paragraph_format.left_indent = Pt(28)
    caption = styles["Caption"]
    _set_fonts(caption.element.get_or_add_rPr(), *HEADING_FONT)
    caption.font.size = Pt(9.5)
    for name in (_FIGURE_CAPTION, _TABLE_CAPTION):
        styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = caption

    table_text = styles.add_style(_TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(_TABLE_POINTS)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0


#: The Word style of each kind of narrative block (a heading is Heading 2).
_BLOCK_STYLES = {"paragraph": "Normal", "item": "List Bullet", "quote": "Quote"}


def _setup_page(document) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(_MARGIN_CM)
    section.left_margin = section.right_margin = Cm(_MARGIN_CM)


def _add_page_numbers(document) -> None:
    """A PAGE field, centred in the footer: 「— 3 —」 as the PDF numbers its pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # the field's result until Word updates it (on opening)
    number.append(text)
    field.append(number)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def _add_field_list(document, title: str, instruction: str, entries: list[tuple[int, str]]) -> None:
    """A TOC field under ``title`` whose result already lists ``entries`` (level, text), one paragraph each:
    read before anyone updates a field; Word's フィールド更新 (F9) adds the page numbers."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def field_char(paragraph, kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(char)

    document.add_paragraph(title, style="TOC Heading")
    entries = entries or [(1, "（なし）")]
    for index, (level, text) in enumerate(entries):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(10.5 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(2)
        if index == 0:
            field_char(paragraph, "begin")
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instruction
            paragraph.add_run()._r.append(code)
            field_char(paragraph, "separate")
        paragraph.add_run(text)
        if index == len(entries) - 1:
            field_char(paragraph, "end")


def _add_contents(document, review: ReviewDocument) -> None:
    """The table of contents (Heading 1-2), then the lists of figures and of tables, each written out."""
    headings = [entry for section in review.sections
                for entry in [(section.level, section.title)] + [(section.level + 1, block.text)
                                                                 for block in section.blocks if block.kind == "heading"]
                if entry[0] <= 2]
    if not any(section.key == review.appendix.section for section in review.sections):
        headings.append((1, "付表"))
    _add_field_list(document, "目次", ' TOC \\o "1-2" \\h \\z \\u ', headings)
    _add_field_list(document, "図の一覧", f' TOC \\h \\z \\t "{_FIGURE_CAPTION},1" ',
                    [(1, figure.caption) for figure in review.figures])
    tables = [table for section in review.sections  # in reading order: the appendix after its chapter's tables
              for table in (*(table for table in review.tables if table.section == section.key),
                            *((review.appendix,) if section.key == review.appendix.section else ()))]
    if review.appendix not in tables:  # no chapter holds it: at the end, under 付表
        tables.append(review.appendix)
    _add_field_list(document, "表の一覧", f' TOC \\h \\z \\t "{_TABLE_CAPTION},1" ',
                    [(1, table.caption) for table in tables])


def _column_widths(item: TableItem, block_width: int) -> list[int]:
    """Column widths (EMU) that fill the text block, from the texts of each column.

    A column whose texts are all short (numbers, symbols, years) is as wide as its longest text, so these
    never wrap; a column of longer text is at least :data:`_NARROWEST_TEXT` wide, so a name never runs one
    character a line; a header wraps beyond :data:`_HEADER_LINE` (期待される進捗率 on two lines). The rest
    of the block goes to the columns by their mean text width (long texts capped), so a column of long
    statuses gets the most; a table too wide for the block shares it by those least widths. Word refits the
    columns to the content anyway; LibreOffice keeps these widths.
    """
    from docx.shared import Pt

    unit, padding = Pt(_TABLE_POINTS) / 2, Pt(12)  # a half-width character; the cell margins, left and right
    least, wanted = [], []
    for header, *texts in zip(item.columns, *item.rows):
        widths = [display_width(text) for text in texts] or [0]
        body = max(widths) if max(widths) <= _SHORT else _NARROWEST_TEXT
        shortest = max(min(display_width(header), _HEADER_LINE) + 2, body)
        least.append(shortest)
        wanted.append(min(max(sum(widths) / len(widths), shortest), _LONG))
    room = block_width / unit - sum(least) - len(least) * padding / unit
    grow = [want - low for want, low in zip(wanted, least)]
    if room <= 0 or not sum(grow):  # too many columns to fit: share the block, less the margins, by the least widths
        text_width = block_width - len(least) * padding
        return [int(text_width * low / sum(least) + padding) for low in least]
    return [int((low + room * extra / sum(grow)) * unit + padding) for low, extra in zip(least, grow)]


def _mark_row(row, *, header: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    keep = OxmlElement("w:cantSplit")  # a row does not break across pages
    properties.append(keep)
    if header:
        repeat = OxmlElement("w:tblHeader")  # repeated at the top of every page the table runs on
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)


def _set_cell_paragraph(paragraph, style_id: str, *, keep: bool) -> None:
    """Give a new cell's empty paragraph its style and whether it keeps with the next: the elements python-docx
    writes for ``style`` and ``keep_with_next``, appended in the schema's order at once (python-docx looks for
    each element's place among every possible sibling: 3 of the 5.3 s a 1,000-measure review's draft took)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    keep_next = OxmlElement("w:keepNext")
    if not keep:
        keep_next.set(qn("w:val"), "0")
    properties.extend([style, keep_next])


def _add_table(document, item: TableItem, block_width: int, *, keep_whole: bool = True) -> None:
    """The table with its caption; a short one kept on one page unless ``keep_whole`` is False (the appendix,
    whose rows of statuses fill more than a page: it starts under its heading and breaks between rows)."""
    from docx.shared import Emu

    caption = document.add_paragraph(item.caption, style=_TABLE_CAPTION)
    caption.paragraph_format.keep_with_next = True
    if not item.rows:  # never a lone header row
        document.add_paragraph("該当なし")
        document.add_paragraph()
        return
    table = document.add_table(rows=1 + len(item.rows), cols=len(item.columns))
    table.style = "Table Grid"
    widths = [Emu(width) for width in _column_widths(item, block_width)]
    for column, width in zip(table.columns, widths):
        column.width = width
    # the style's id, set on each cell's paragraph directly: python-docx looks a style name up anew each time
    style_id = document.styles[_TABLE_STYLE].style_id
    last = len(item.rows)
    for number, (row, texts) in enumerate(zip(table.rows, (item.columns, *item.rows))):
        _mark_row(row, header=number == 0)
        # kept with the next row: every row of a short table; the header, the first row and the one before the
        # last of a long one (no row stands alone at the foot or the head of a page)
        keep = number < last and ((keep_whole and last <= _WHOLE_TABLE_ROWS) or number <= 1 or number == last - 1)
        for cell, text, width in zip(row.cells, texts, widths):
            cell.width = width
            paragraph = cell.paragraphs[0]
            _set_cell_paragraph(paragraph, style_id, keep=keep)
            run = paragraph.add_run(text)
            if number == 0:
                run.bold = True
    if item.note:
        document.add_paragraph(item.note, style="Caption")
    document.add_paragraph()  # a gap after the table, and a place to type


def write_word_report(document: ReviewDocument, path: Path) -> Path:
    """Write the review as an editable Word draft.

    Title page (title, 中間評価報告書, plan period, review year, date of
    writing), the table of contents and the lists of figures and of tables,
    the narrative's sections, each followed by the figures (図1 …) and key
    tables (表1 …) that it cites, and the appendix (付表), on A4 portrait. The body is set in
    Yu Mincho / 游明朝 and the headings in Yu Gothic / 游ゴシック; Word
    substitutes similar fonts where they are missing. The contents and the
    lists are Word fields whose result is already written out; updating them
    (right-click > フィールド更新, or F9) adds the page numbers. The
    pages after the title page are numbered in the footer (a PAGE field),
    and the file's properties carry the title, the language (ja-JP) and the
    date the review is dated.

    Parameters
    ----------
    document : ReviewDocument
        The review as a document (:func:`~kyodo_analysis.content.document.review_document`).
    path : Path
        Where to write the .docx; its folder must exist.

    Returns
    -------
    Path
        ``path``. The same document always gives the same bytes.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Emu

    path = Path(path)
    word = docx.Document()
    _setup_styles(word)
    _setup_page(word)
    section = word.sections[0]
    section.different_first_page_header_footer = True  # the title page has no number
    _add_page_numbers(word)
    block_width = section.page_width - section.left_margin - section.right_margin

    # title page
    title = word.add_paragraph(document.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Cm(6)
    word.add_paragraph(document.heading, style="Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph()
    for label, value in document.title_page():
        word.add_paragraph(f"{label}：{value}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_page_break()

    _add_contents(word, document)
    word.add_page_break()

    for part in document.sections:  # the text, then the figures and tables it cites
        word.add_heading(part.title, level=part.level)
        for block in part.blocks:
            if block.kind == "heading":
                word.add_heading(block.text, level=part.level + 1)
            else:
                word.add_paragraph(block.text, style=_BLOCK_STYLES.get(block.kind, "Normal"))
        for figure in (figure for figure in document.figures if figure.section == part.key):
            paragraph = word.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = True  # the caption stays with its picture
            picture = paragraph.add_run().add_picture(str(figure.path), width=Cm(_FIGURE_WIDTH_CM))
            if picture.height > Cm(_FIGURE_MAX_HEIGHT_CM):
                picture.width = Emu(picture.width * Cm(_FIGURE_MAX_HEIGHT_CM) // picture.height)
                picture.height = Cm(_FIGURE_MAX_HEIGHT_CM)
            picture._inline.docPr.set("descr", figure.caption)  # alternative text for screen readers
            word.add_paragraph(figure.caption, style=_FIGURE_CAPTION).alignment = WD_ALIGN_PARAGRAPH.CENTER
        for table in (table for table in document.tables if table.section == part.key):
            _add_table(word, table, block_width)
        if part.key == document.appendix.section:
            _add_table(word, document.appendix, block_width, keep_whole=False)
    if not any(part.key == document.appendix.section for part in document.sections):  # no chapter holds it
        word.add_heading("付表", level=1).paragraph_format.page_break_before = True
        _add_table(word, document.appendix, block_width, keep_whole=False)

    properties = word.core_properties
    properties.title = document.title
    properties.subject = document.heading
    properties.author = properties.last_modified_by = _AUTHOR
    properties.comments = ""
    properties.revision = 1
    properties.language = "ja-JP"
    dated = document.dated or dt.date(*FIXED_TIME[:3])  # the day the review is dated, as its text says
    properties.created = properties.modified = dt.datetime(dated.year, dated.month, dated.day)
    buffer = io.BytesIO()
    word.save(buffer)
    stable_zip(buffer.getvalue(), path, dated=dated)
    return path
