"""The workbook staff use: every table with names, readable values, a 説明 sheet, and set up for printing."""

import openpyxl
import pytest

from kyodo_analysis import review_plan
from kyodo_analysis.writers.workbook import WORKBOOK_FONT, write_workbook


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = write_workbook(review_plan(), tmp_path_factory.mktemp("book") / "kyodo_review.xlsx",
                          source_name="data/raw/kitamoto_kyodo_status.txt")
    return openpyxl.load_workbook(path), path


def _headers(sheet):
    return [cell.value for cell in sheet[1]]


@pytest.mark.slow
def test_the_first_sheet_explains_the_workbook(book):
    workbook, _ = book
    assert workbook.sheetnames[0] == "説明"
    text = [str(cell.value) for row in workbook["説明"].iter_rows() for cell in row if cell.value is not None]
    assert "北本市市民と行政との協働推進計画" in text and "data/raw/kitamoto_kyodo_status.txt" in text
    # where the plan's name comes from: the table's heading without its own words
    assert "原表の表題「北本市市民と行政との協働推進計画施策実施状況のまとめ」から表の語「施策実施状況のまとめ」を除いた名称" in text
    # the table gives no review date: the workbook says where 平成22 comes from (issue 23 §2b)
    assert "平成22年度（原表には評価の時点が記されていないため、評価時点は状況欄に記された最新の年度とした）" in text
    assert "平成19年度〜平成24年度" in text
    assert "原表には評価記号の凡例がないため、記号の意味は本分析での想定である" in text  # KYODO_SCALE's meanings are assumed
    for symbol, meaning in (("◎", "達成"), ("○", "概ね達成"), ("△", "一部実施"), ("×", "未実施")):
        assert symbol in text and meaning in text
    assert any(line.startswith("評価を得点にした平均を") for line in text)
    assert set(workbook.sheetnames[1:]) <= set(text)  # every sheet is described


def test_every_sheet_listing_measures_names_them(book):
    workbook, _ = book
    for name in ("施策", "実施目標年度", "計画と実績", "整合性チェック", "重点施策"):
        headers = _headers(workbook[name])
        assert headers[0] == "No" and "施策の方向性" in headers and "推進課" in headers, name
    assert "施策の方向性" in _headers(workbook["推進課"])


def test_values_are_stored_as_a_reader_needs_them(book):
    workbook, _ = book
    sections = workbook["表の区分別"]
    headers = _headers(sections)
    row = {header: cell for header, cell in zip(headers, sections[2])}
    assert row["評価点"].number_format == "0.0" and round(row["評価点"].value, 1) == 61.9  # section 1: 13/21
    # the shares are named by what they count (the grades' meanings): No.1-7 are ○ ◎ △ ◎ ○ ○ ×
    assert row["達成・概ね達成の割合"].number_format == "0.0%" and round(row["達成・概ね達成の割合"].value, 3) == 0.714
    assert round(row["未実施の割合"].value, 3) == 0.143
    explained = {row[0]: row[1] for row in workbook["説明"].iter_rows(values_only=True) if row and row[0]}
    assert explained["達成・概ね達成の割合"] == "◎・○の施策の割合" and explained["未実施の割合"] == "×の施策の割合"
    progress = workbook["計画と実績"]
    first = {header: cell.value for header, cell in zip(_headers(progress), progress[2])}
    assert first["実施目標年度"] == "平成20年度" and first["着手年度（記載上）"] is None  # No.1 names no year
    measures = workbook["施策"]
    assert {header: cell.value for header, cell in zip(_headers(measures), measures[2])}["継続年度あり"] == "なし"


def test_sheets_are_formatted_and_set_up_for_printing(book):
    workbook, _ = book
    for sheet in workbook.worksheets[1:]:
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        assert sheet[2][0].font.name == WORKBOOK_FONT
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation, sheet.print_title_rows) == (9, "landscape", "$1:$1")
        if sheet.sheet_properties.pageSetUpPr.fitToPage:  # one page wide, at 80 % or more (issue 24 §3)
            assert (setup.fitToWidth, setup.fitToHeight, setup.scale) == (1, 0, None), sheet.title
        else:  # too wide: at 80 %, across pages, with the columns up to 施策の方向性 on each
            assert setup.scale == 80 and sheet.print_title_cols is not None, sheet.title
        assert "&A" in sheet.oddFooter.center.text and "&P" in sheet.oddFooter.center.text
    # by hand: 施策 holds the content, the status and their normalized copies, far wider than a page; 推進課別 fits
    assert (workbook["施策"].page_setup.scale, workbook["施策"].print_title_cols) == (80, "$A:$C")  # No, 区分, 方向性
    assert workbook["推進課別"].sheet_properties.pageSetUpPr.fitToPage
    status = workbook["施策"]["H2"]
    assert status.alignment.wrap_text and workbook["施策"].column_dimensions["H"].width == 50
    assert workbook.properties.creator == "kyodo-analysis" and "中間評価" in workbook.properties.title


def test_two_writes_are_byte_identical(book, tmp_path):
    _, path = book
    again = write_workbook(review_plan(), tmp_path / "again.xlsx", source_name="data/raw/kitamoto_kyodo_status.txt")
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.e2e
def test_printed_by_libreoffice_no_text_is_smaller_than_8_points(kitamoto_documents, tmp_path):
    """The workbook and a survey workbook printed to PDF by LibreOffice, as a city prints them (issue 24 §3):
    every character on every page is 8 points or more (they were 4.4 and 4.3)."""
    import shutil
    import subprocess

    import pdfplumber

    from kyodo_analysis.run.report import WORKBOOK_NAME
    from kyodo_analysis.survey.send import write_survey

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice (soffice) is not installed: the printed sizes are not checked here")
    survey = write_survey(None, out=tmp_path / "survey")[0]
    printed = subprocess.run([office, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                              "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                              str(kitamoto_documents / WORKBOOK_NAME), str(survey)],
                             capture_output=True, text=True, timeout=300, check=False)
    assert printed.returncode == 0, printed.stderr
    for name in (WORKBOOK_NAME, survey.name):
        with pdfplumber.open(tmp_path / "pdf" / f"{name.removesuffix('.xlsx')}.pdf") as pdf:
            sizes = [char["size"] for page in pdf.pages for char in page.chars]
            assert sizes and min(sizes) >= 7.99, (name, min(sizes))
