"""The survey round (issue 15): one answer workbook per department, the answers checked and turned into round 2."""

import shutil
import subprocess
import sys

import openpyxl
import pytest

from kyodo_analysis.cli.survey import main
from kyodo_analysis.config import KITAMOTO_STATUS_TABLE
from kyodo_analysis.source.loaders import load_status_table
from kyodo_analysis.source.parsing import StatusTableError, normalize_text, read_status_table
from kyodo_analysis.survey.collect import SurveyError, load_survey, render_round, write_round
from kyodo_analysis.survey.send import write_survey
from kyodo_analysis.survey.sheets import LEAD_MARK, survey_departments
from kyodo_analysis.testing.synthetic import generate_measures, render_status_table, strip_line

from .builds import FIXTURES

# Read by hand from data/raw/kitamoto_kyodo_status.txt: every name of a 推進課 cell, in order of first
# appearance by No (全課 first appears in No 2, between 協働推進課 and 福祉課).
KITAMOTO_DEPARTMENTS = ["秘書広報課", "協働推進課", "福祉課", "産業振興課", "生涯学習課", "政策推進課", "総務課"]
# The lead of each measure is 協働推進課 but for No 1 (秘書広報課 協働推進課) and No 16 (政策推進課 協働推進課 全課).
LEADS = {1: "秘書広報課", 16: "政策推進課"}
# 協働推進課 is in every row (row = No + 1); 産業振興課 in No 7, 8, 13, 14 (rows 2-5).
INDUSTRY_ROWS = {7: 2, 8: 3, 13: 4, 14: 5}
# The round-2 ratings that change (round 1: No 3 △, 7 ×, 9 △, 16 ○, 19 △); the others stay as they were.
NEW_RATINGS = {3: "○", 7: "△", 9: "○", 16: "◎", 19: "○"}
MESSY_STATUS = "平成 23 年度に\n制度を創設した。"  # typed with a line break (Alt+Enter) and spaces: read as the parser reads
#: Typed in full-width, as a department writes: round 2 shows it so, and matches it in NFKC.
WIDE_STATUS, WIDE_STATUS_MATCHED = "平成23年度に条例（案）をＮＰＯ２団体と協議した。", "平成23年度に条例(案)をNPO2団体と協議した。"
HEADERS = ["No", "表の区分", "施策の方向性", "内容", "実施目標年度", "前回の状況", "前回の評価", "回答の扱い",
           "今回の状況", "今回の評価"]


def new_status(no: int) -> str:
    return {5: MESSY_STATUS, 19: WIDE_STATUS}.get(no, f"平成23年度も施策{no}を継続して実施した。")


def answered_status(no: int) -> str:
    """What the survey reads for matching: the parser's reading of the typed text."""
    return {5: "平成23年度に制度を創設した。", 19: WIDE_STATUS_MATCHED}.get(no, new_status(no))


def _row_of(sheet, no: int) -> int:
    return next(row for row in range(2, sheet.max_row + 1) if sheet.cell(row=row, column=1).value == no)


def _edit(folder, department, cells):
    path = folder / f"{department}.xlsx"
    book = openpyxl.load_workbook(path)
    for where, value in cells.items():
        name, _, cell = where.rpartition("!")  # 回答 unless named: 記入方法!B1
        book[name or "回答"][cell] = value  # openpyxl writes into protected cells: a department that unprotected it
    book.save(path)


def fill(folder, table, *, ratings=None, status=None, lookalike=True):
    """Answer as the departments would: each lead every measure it leads; 産業振興課 the same as its lead for No 7."""
    ratings = {m.no: m.rating for m in table.measures} | (NEW_RATINGS if ratings is None else ratings)
    status = status or new_status
    for department in survey_departments(table):
        path = folder / f"{department}.xlsx"
        book = openpyxl.load_workbook(path)
        sheet = book["回答"]
        for row in range(2, sheet.max_row + 1):
            no = sheet.cell(row=row, column=1).value
            if sheet.cell(row=row, column=8).value == LEAD_MARK or (department == "産業振興課" and no == 7):
                sheet.cell(row=row, column=9).value = status(no)
                rating = ratings[no]
                sheet.cell(row=row, column=10).value = "〇" if lookalike and no == 11 else rating  # U+3007 for ○
        book.save(path)


@pytest.fixture(scope="module")
def kitamoto():
    return load_status_table()


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    """The Kitamoto workbooks as written, with a deadline and a contact."""
    folder = tmp_path_factory.mktemp("survey")
    paths = write_survey(None, out=folder, deadline="令和7年5月30日（金）", contact="協働推進課 協働推進担当 内線123")
    return folder, paths


@pytest.fixture(scope="module")
def filled(tmp_path_factory, blank, kitamoto):
    """The Kitamoto workbooks answered (see fill)."""
    folder = tmp_path_factory.mktemp("filled") / "answers"
    shutil.copytree(blank[0], folder)
    fill(folder, kitamoto)
    return folder


@pytest.fixture
def answers(tmp_path, filled):
    """A copy of the answered workbooks, for a test to damage."""
    return shutil.copytree(filled, tmp_path / "answers")


def _book(folder, department):
    return openpyxl.load_workbook(folder / f"{department}.xlsx")


# --- 1. the workbooks ---------------------------------------------------------------------------


@pytest.mark.slow
def test_one_workbook_per_department_in_order_of_first_appearance(blank, tmp_path):
    folder, paths = blank
    assert [path.name for path in paths] == [f"{name}.xlsx" for name in KITAMOTO_DEPARTMENTS]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.xlsx" for name in KITAMOTO_DEPARTMENTS)
    every = write_survey(None, out=tmp_path, all_departments=True)
    assert [path.name for path in every] == [f"{name}.xlsx" for name in
                                             ["秘書広報課", "協働推進課", "全課", *KITAMOTO_DEPARTMENTS[2:]]]
    sheet = openpyxl.load_workbook(tmp_path / "全課.xlsx")["回答"]
    # 全課 is in No 2, 4, 5, 10, 16, 17, 18, 19, and never leads
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [2, 4, 5, 10, 16, 17, 18, 19]
    assert [row[7] for row in sheet.iter_rows(min_row=2, values_only=True)][4] == "参考（主担当：政策推進課）"
    assert {row[7] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        "参考（主担当：協働推進課）", "参考（主担当：政策推進課）"}


def test_rows_are_the_departments_measures_by_no(blank, kitamoto):
    folder, _ = blank
    main_sheet = _book(folder, "協働推進課")["回答"]
    assert [cell.value for cell in main_sheet[1]] == HEADERS
    assert [row[0] for row in main_sheet.iter_rows(min_row=2, values_only=True)] == list(range(1, 20))
    industry = _book(folder, "産業振興課")["回答"]
    rows = list(industry.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [7, 8, 13, 14]
    # No 14 as the table has it: block 2, 平成19年度 (○ in 19), its status and rating; the answer cells empty
    assert rows[3][1:7] == (2, "市民公益活動団体の自立支援", "団体の設立のための準備金の補助や個人・企業からの寄附の受け入れ等による支援基金を創設",
                            "平成19年度", "平成20年度に特定非営利活動法人設立補助金制度を創設。個人や企業からの寄附の受け入れ体制については未実施。", "○")
    assert rows[3][8:] == (None, None)
    assert [row[0] for row in _book(folder, "総務課")["回答"].iter_rows(min_row=2, values_only=True)] == [17]


def test_rating_is_a_drop_down_of_the_scale_with_its_meanings(blank):
    folder, _ = blank
    sheet = _book(folder, "協働推進課")["回答"]
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"◎,○,△,×"'
    assert not validation.showDropDown  # True would hide the arrow
    assert validation.allow_blank and str(validation.sqref) == "J2:J20"
    assert validation.showInputMessage and validation.promptTitle == "今回の評価"
    assert validation.prompt == "◎ 達成／○ 概ね達成／△ 一部実施／× 未実施"
    assert validation.showErrorMessage and validation.errorStyle == "stop" and "◎・○・△・×" in validation.error
    industry = _book(folder, "産業振興課")["回答"]
    assert str(industry.data_validations.dataValidation[0].sqref) == "J2:J5"


def test_only_the_answer_cells_are_unlocked_and_there_is_no_password(blank):
    folder, _ = blank
    book = _book(folder, "産業振興課")
    for sheet in book.worksheets:
        assert sheet.protection.sheet and sheet.protection.password is None, sheet.title
    sheet = book["回答"]
    for row in range(2, 6):
        assert not sheet[f"I{row}"].protection.locked and not sheet[f"J{row}"].protection.locked
        for column in "ABCDEFGH":
            assert sheet[f"{column}{row}"].protection.locked, f"{column}{row}"
    assert sheet["A6"].protection.locked and sheet["J6"].protection.locked  # below the table: locked
    assert sheet["I2"].alignment.wrap_text and sheet.column_dimensions["I"].width >= 50


def test_the_lead_is_marked_and_every_other_department_named_as_reference(blank):
    folder, _ = blank
    main_sheet = _book(folder, "協働推進課")["回答"]
    marks = {row[0]: row[7] for row in main_sheet.iter_rows(min_row=2, values_only=True)}
    assert marks[1] == "参考（主担当：秘書広報課）" and marks[16] == "参考（主担当：政策推進課）"
    assert all(marks[no] == "この課の回答を採用" for no in range(1, 20) if no not in LEADS)
    industry = _book(folder, "産業振興課")["回答"]
    assert {row[0]: row[7] for row in industry.iter_rows(min_row=2, values_only=True)}[7] == "参考（主担当：協働推進課）"
    policy = _book(folder, "政策推進課")["回答"]
    assert [row[7] for row in policy.iter_rows(min_row=2, values_only=True)] == ["この課の回答を採用"]


def test_the_guide_sheet_comes_first_and_says_what_to_do(blank):
    folder, _ = blank
    book = _book(folder, "産業振興課")
    assert book.sheetnames == ["記入方法", "回答"] and book.active.title == "記入方法"
    guide = book["記入方法"]
    assert guide["B2"].value == "産業振興課" and guide["A2"].value == "推進課"
    text = [str(cell.value) for row in guide.iter_rows() for cell in row if cell.value is not None]
    for expected in ("北本市市民と行政との協働推進計画", "kitamoto_kyodo_status.txt（平成22年度時点）",
                     "令和7年5月30日（金）", "協働推進課 協働推進担当 内線123",
                     "原表には評価記号の凡例がないため、記号の意味は本分析での想定です。"):
        assert expected in text, expected
    assert any("今回の状況" in line and "今回の評価" in line and "保護" in line for line in text)
    assert any("4件" in line for line in text)
    for symbol, meaning in (("◎", "達成"), ("○", "概ね達成"), ("△", "一部実施"), ("×", "未実施")):
        assert [symbol, meaning] in [[row[0].value, row[1].value] for row in guide.iter_rows(max_col=2)]


def test_cells_are_text_in_a_japanese_font_printed_on_a4_landscape(blank):
    folder, _ = blank
    sheet = _book(folder, "協働推進課")["回答"]
    assert sheet["C2"].font.name == "游ゴシック" and sheet["A1"].font.b
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) == 9 and sheet.page_setup.orientation == "landscape"
    # ten columns of long text are too wide for a page at 80 %: across pages, No to 施策の方向性 on each (§3)
    assert (sheet.print_title_rows, sheet.print_title_cols, sheet.page_setup.scale) == ("$1:$1", "$A:$C", 80)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    measures = generate_measures(3, n_blocks=1, era="令和", first_year=3, n_years=3, seed=2)
    measures[1] = measures[1]._replace(status="=HYPERLINK(\"http://evil.example\")と記載")
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=3, n_years=3), encoding="utf-8")
    write_survey(raw, out=tmp_path / "out", era="令和")
    cell = openpyxl.load_workbook(tmp_path / "out" / "協働推進課.xlsx")["回答"]["F3"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.slow
def test_workbooks_are_byte_identical_and_filled_ones_never_overwritten(blank, filled, tmp_path):
    folder, paths = blank
    again = write_survey(None, out=tmp_path / "again", deadline="令和7年5月30日（金）",
                         contact="協働推進課 協働推進担当 内線123")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    assert write_survey(None, out=tmp_path / "again", deadline="令和7年5月30日（金）",
                        contact="協働推進課 協働推進担当 内線123") == again  # the same bytes again: allowed
    answered = shutil.copytree(filled, tmp_path / "answered")
    before = {p.name: p.read_bytes() for p in answered.iterdir()}
    with pytest.raises(ValueError, match="秘書広報課.xlsx、協働推進課.xlsx、.*何も書いていません"):
        write_survey(None, out=answered, deadline="令和7年5月30日（金）", contact="協働推進課 協働推進担当 内線123")
    assert {p.name: p.read_bytes() for p in answered.iterdir()} == before


def test_the_group_column_is_the_broadest_structure_level(tmp_path):
    paths = write_survey(None, out=tmp_path, structure=FIXTURES / "kitamoto_structure.csv")
    sheet = openpyxl.load_workbook(paths[1])["回答"]  # 協働推進課
    assert sheet["B1"].value == "基本目標"
    assert sheet["B2"].value == "1 市民活動への支援" and sheet["B20"].value == "2 協働の仕組みづくり"


def test_western_tables_label_years_in_western_years(tmp_path):
    measures = generate_measures(4, n_blocks=1, era="令和", first_year=1, n_years=4, western=True, seed=3)
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=1, n_years=4, header="western"),
                   encoding="utf-8")
    write_survey(raw, out=tmp_path / "out")
    sheet = openpyxl.load_workbook(tmp_path / "out" / "協働推進課.xlsx")["回答"]
    assert [sheet.cell(row=row, column=5).value for row in range(2, 6)] == [f"{m.target_fy}年度" for m in measures]


@pytest.mark.slow
def test_department_names_become_safe_file_names(tmp_path):
    measures = generate_measures(3, n_blocks=1, seed=4)
    measures = [m._replace(departments=("企画/財政課", "協働推進課")) if m.no == 2 else m for m in measures]
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures), encoding="utf-8")
    paths = write_survey(raw, out=tmp_path / "out", era="平成")
    assert "企画_財政課.xlsx" in [p.name for p in paths]
    assert openpyxl.load_workbook(tmp_path / "out" / "企画_財政課.xlsx")["記入方法"]["B2"].value == "企画/財政課"
    table = read_status_table(raw, era="平成")
    for path in paths:  # every lead answers; 企画/財政課 leads No 2
        book = openpyxl.load_workbook(path)
        sheet = book["回答"]
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row=row, column=8).value == LEAD_MARK:
                sheet.cell(row=row, column=9).value = f"施策{sheet.cell(row=row, column=1).value}を実施した。"
                sheet.cell(row=row, column=10).value = "○"
        book.save(path)
    result = load_survey(tmp_path / "out", round1=raw, era="平成")
    assert [m.status for m in result.table.measures] == [f"施策{m.no}を実施した。" for m in table.measures]


def test_a_measure_led_by_no_department_stops_with_its_line(tmp_path):
    measures = generate_measures(3, n_blocks=1, seed=5)
    measures[2] = measures[2]._replace(departments=("全課",))
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures), encoding="utf-8")
    with pytest.raises(StatusTableError, match=r"plan.txt:8: No.3 の推進課が全課だけで、主担当課がないため.*（'全課'）"):
        write_survey(raw, out=tmp_path / "out", era="平成")
    assert not (tmp_path / "out").exists()


# --- 2. intake and round 2 ----------------------------------------------------------------------


def test_round_trip_kitamoto(filled, kitamoto, tmp_path):
    result = load_survey(filled, round1=None)
    assert result.overridden == ()
    round2 = result.table
    assert [m.no for m in round2.measures] == list(range(1, 20))
    assert {m.no: m.status for m in round2.measures} == {no: answered_status(no) for no in range(1, 20)}
    expected_ratings = {m.no: NEW_RATINGS.get(m.no, m.rating) for m in kitamoto.measures}
    assert {m.no: m.rating for m in round2.measures} == expected_ratings
    assert expected_ratings[11] == "○"  # typed as 〇 (U+3007), read as the parser reads it
    assert [m._replace(status="", rating="", line=0) for m in round2.measures] == \
           [m._replace(status="", rating="", line=0) for m in kitamoto.measures]  # all else is round 1's
    assert round2.title == kitamoto.title and round2.era == "平成" and not round2.western

    # shown as typed: full-width brackets, letters and digits stay; only the typed line break and spaces go
    written = {m.no: round2.written(m).status for m in round2.measures}
    assert written[19] == WIDE_STATUS and written[5] == "平成23年度に制度を創設した。"

    path = write_round(result, tmp_path / "round2.txt")
    text = path.read_text(encoding="utf-8")
    assert "\t19\t20\t21\t22\t23\t24" in text and "平成19\t" not in text  # bare years, like round 1
    assert WIDE_STATUS in text and WIDE_STATUS_MATCHED not in text
    back = read_status_table(path, era="平成")
    assert [strip_line(m) for m in back.measures] == [strip_line(m) for m in round2.measures]
    assert {m.no: back.written(m).status for m in back.measures} == written
    assert back.title == kitamoto.title and back.fiscal_years == kitamoto.fiscal_years
    assert [m.block for m in back.measures] == [m.block for m in kitamoto.measures]


def _synthetic_western(folder):
    measures = generate_measures(8, n_blocks=2, era="令和", first_year=2, n_years=4, western=True, seed=8)
    raw = folder / "western.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=4, header="western",
                                       title="西暦市計画"), encoding="utf-8")
    return raw, None


@pytest.mark.slow
@pytest.mark.parametrize("source, header", [
    (lambda folder: (FIXTURES / "era_spanning.txt", None), "平成30\t令和元\t2\t3\t4"),
    (_synthetic_western, "2020\t2021\t2022\t2023"),
], ids=["spanning-eras", "western"])
def test_round_trip_of_other_headers(tmp_path, source, header):
    raw, era = source(tmp_path)
    table = load_status_table(raw, era=era)
    write_survey(raw, out=tmp_path / "out", era=era)
    ratings = {m.no: table.measures[-1 - i].rating for i, m in enumerate(table.measures)}  # reversed
    fill(tmp_path / "out", table, ratings=ratings, status=lambda no: f"第{no}施策を2023年度に見直した。")
    result = load_survey(tmp_path / "out", round1=raw, era=era)
    text, read_era = render_round(result)
    assert read_era is None and header in text
    back = read_status_table(write_round(result, tmp_path / "round2.txt"))
    assert [strip_line(m) for m in back.measures] == [strip_line(m) for m in result.table.measures]
    assert [(m.status, m.rating) for m in back.measures] == [(f"第{m.no}施策を2023年度に見直した。", ratings[m.no])
                                                             for m in table.measures]
    assert back.era == table.era and back.western == table.western


def test_statuses_naming_only_a_later_era_get_a_header_that_names_its_era(answers, kitamoto, tmp_path):
    fill(answers, kitamoto, status=lambda no: f"令和6年度に施策{no}を見直した。")
    result = load_survey(answers, round1=None)
    text, era = render_round(result)
    # bare 平成 years would be read as a wrong --era (the statuses name 令和 only): the header names 平成
    assert era is None and "\t平成19\t20\t21" in text
    path = write_round(result, tmp_path / "round2.txt")
    for given in (None, "平成"):
        back = read_status_table(path, era=given)
        assert [strip_line(m) for m in back.measures] == [strip_line(m) for m in result.table.measures]


def test_a_reference_department_may_answer_the_same_or_nothing(answers):
    industry = _book(answers, "産業振興課")["回答"]
    assert industry["I2"].value == new_status(7) and industry["I3"].value is None  # No 7 answered, 8 not
    assert load_survey(answers, round1=None).overridden == ()


def test_accept_lead_keeps_the_leads_answer_and_lists_what_it_overrode(answers):
    _edit(answers, "産業振興課", {"I2": "産業振興課としては未実施と考える。", "J2": "×", "I5": "寄附は受け入れていない。", "J5": "△"})
    with pytest.raises(SurveyError):
        load_survey(answers, round1=None)
    result = load_survey(answers, round1=None, accept_lead=True)
    assert result.overridden == (
        "産業振興課.xlsx:回答!J2: 産業振興課 No.7: 主担当課 協働推進課 の回答をとり、この回答は使いません"
        "（'産業振興課としては未実施と考える。', '×'）",
        "産業振興課.xlsx:回答!J5: 産業振興課 No.14: 主担当課 協働推進課 の回答をとり、この回答は使いません"
        "（'寄附は受け入れていない。', '△'）",
    )
    measures = {m.no: m for m in result.table.measures}
    assert (measures[7].status, measures[7].rating) == (new_status(7), "△")
    assert (measures[14].status, measures[14].rating) == (new_status(14), "○")


def _sheet_edit(folder, department, change):
    path = folder / f"{department}.xlsx"
    book = openpyxl.load_workbook(path)
    change(book["回答"])
    book.save(path)


def _copy_as(folder, source, target):
    shutil.copy(folder / source, folder / target)


#: No.2's 内容, as round 1 writes it in the protected column D.
CONTENT_2 = "市民公益活動団体の活動内容を広く市民に知らせ、その活動に理解を深め、市民公益活動への参加を促進するためのイベント等を開催"

# (damage done to the answered workbooks, the one problem expected: its file, sheet and cell, the problem, the value)
INTAKE_ERRORS = {
    "rating off the scale": (lambda f: _edit(f, "協働推進課", {"J8": "A"}),
                             "協働推進課.xlsx:回答!J8: 今回の評価が評価の尺度にありません（使える記号: ◎ ○ △ ×）（'A'）"),
    "rating ▲": (lambda f: _edit(f, "協働推進課", {"J8": "▲"}),
                "協働推進課.xlsx:回答!J8: 今回の評価が評価の尺度にありません（▲ はマイナスの意味で、△ ではありません）"
                "（使える記号: ◎ ○ △ ×）（'▲'）"),
    "blank rating beside a status": (lambda f: _edit(f, "協働推進課", {"J4": None}),
                                     "協働推進課.xlsx:回答!J4: 今回の状況は書かれていますが、今回の評価が空です。"
                                     "評価を選んでください（◎ ○ △ ×）（''）"),
    "blank status beside a rating": (lambda f: _edit(f, "協働推進課", {"I4": "  "}),
                                     "協働推進課.xlsx:回答!I4: 今回の評価は ○ ですが、今回の状況が空です。状況を書いてください（''）"),
    "no answer from the lead": (lambda f: _edit(f, "協働推進課", {"I4": None, "J4": None}),
                                "協働推進課.xlsx:回答!I4: 回答がありません。No.3 の主担当課は協働推進課ですが、"
                                "今回の状況と今回の評価が空です（''）"),
    "no answer from the lead of a measure another answered": (
        lambda f: _edit(f, "協働推進課", {"I8": None, "J8": None}),
        "協働推進課.xlsx:回答!I8: 回答がありません。No.7 の主担当課は協働推進課ですが、今回の状況と今回の評価が空です。"
        "産業振興課の回答は参考で、使うのは主担当課の回答です（''）"),
    "No changed": (lambda f: _edit(f, "産業振興課", {"A3": 9}),
                   "産業振興課.xlsx:回答!A3: No が変えられています。この行は No.8 です（行は産業振興課の施策を No の順に"
                   "並べたもので、変更・追加・削除はできません）（'9'）"),
    "row added": (lambda f: _edit(f, "産業振興課", {"A6": 20, "I6": "新しい施策を始めた。", "J6": "○"}),
                  "産業振興課.xlsx:回答!A6: 産業振興課の施策4件に行が追加されています。行は追加できません"
                  "（この行は読みません）（20）"),
    "row inserted": (lambda f: _sheet_edit(f, "産業振興課", lambda s: (s.insert_rows(3), s.cell(3, 1, 99),
                                                                     s.cell(3, 9, "新しい施策を始めた。"))),
                     "産業振興課.xlsx:回答!A3: 産業振興課の施策4件に行が追加されています。行は追加できません"
                     "（この行は読みません）（99）"),
    "row removed": (lambda f: _sheet_edit(f, "産業振興課", lambda s: s.delete_rows(3)),
                    "産業振興課.xlsx:回答!A3: No.8 の行が削除されています（この位置にありました。行は産業振興課の"
                    "施策を No の順に並べたものです）（8）"),
    "column inserted": (lambda f: _sheet_edit(f, "福祉課", lambda s: s.insert_cols(5)),
                        "福祉課.xlsx:回答!E1: 保護された列が変えられています（見出しの編集、列の追加・削除）。1行目は "
                        "No、表の区分、施策の方向性、内容、実施目標年度、前回の状況、前回の評価、回答の扱い、今回の状況、今回の評価 "
                        "のはずです。福祉課.xlsx は読みません（None）"),
    "protected column edited": (lambda f: _edit(f, "協働推進課", {"D3": "書き換えた内容"}),
                                "協働推進課.xlsx:回答!D3: No.2 の保護された列「内容」が編集されています（前回の値は "
                                f"'{CONTENT_2}'）（'書き換えた内容'）"),
    "previous rating edited": (lambda f: _edit(f, "産業振興課", {"G2": "○"}),
                               "産業振興課.xlsx:回答!G2: No.7 の保護された列「前回の評価」が編集されています（前回の値は "
                               "'×'）（'○'）"),
    "file missing": (lambda f: (f / "秘書広報課.xlsx").unlink(),  # 秘書広報課 leads No.1: its answer is needed
                     "秘書広報課.xlsx: 秘書広報課の回答用ブックが <folder> にありません（'秘書広報課.xlsx'）"),
    "another plan's workbook": (lambda f: _edit(f, "協働推進課", {"記入方法!B1": "架空市協働計画"}),
                                "協働推進課.xlsx:記入方法!B1: 別の計画の照会の回答用ブックです（このブック: '架空市協働計画'、"
                                "この照会: '北本市市民と行政との協働推進計画'）（'架空市協働計画'）"),
    "another round's workbook": (lambda f: _edit(f, "協働推進課",
                                                 {"記入方法!B3": "kitamoto_kyodo_status.txt（平成23年度時点）"}),
                                 "協働推進課.xlsx:記入方法!B3: 別の回の照会の回答用ブックです（このブック: "
                                 "'kitamoto_kyodo_status.txt（平成23年度時点）'、この照会: "
                                 "'kitamoto_kyodo_status.txt（平成22年度時点）'）（'kitamoto_kyodo_status.txt（平成23年度時点）'）"),
    "file saved in another format": (lambda f: (f / "福祉課.xlsx").rename(f / "福祉課.xls"),
                                     "福祉課.xlsx: 福祉課の回答用ブックが <folder> にありません。福祉課.xls はあります。"
                                     "Excel ブック（.xlsx）として保存してください（'福祉課.xlsx'）"),
    "conflicting rating": (lambda f: _edit(f, "産業振興課", {"J2": "×"}),
                           "産業振興課.xlsx:回答!J2: No.7 の回答が主担当課 協働推進課 と違います（協働推進課.xlsx:回答!J8: "
                           f"'{new_status(7)}'、'△'）。回答をそろえるか、空にするか、--accept-lead で主担当課の回答を"
                           f"とってください（'{new_status(7)}', '×'）"),
    "another department's workbook": (lambda f: _copy_as(f, "総務課.xlsx", "福祉課.xlsx"),
                                      "福祉課.xlsx:記入方法!B2: ほかの課の回答用ブックです。福祉課.xlsx は福祉課のブックの"
                                      "はずです（'総務課'）"),
    "workbook of no department": (lambda f: _copy_as(f, "総務課.xlsx", "総務課 (1).xlsx"),
                                  "総務課 (1).xlsx: この照会のどの課のブックでもないため、読みません。課のファイル名にするか、"
                                  "フォルダから移してください（'総務課 (1).xlsx'）"),
    "全課 without --all-departments": (lambda f: _copy_as(f, "総務課.xlsx", "全課.xlsx"),
                                     "全課.xlsx: この照会のどの課のブックでもないため、読みません。課のファイル名にするか、"
                                     "フォルダから移してください。全課のブックを回収するときは --all-departments"
                                     "（all_departments=True）を指定してください（'全課.xlsx'）"),
    "text outside the answer columns": (lambda f: _edit(f, "協働推進課", {"K5": "来年度に再検討"}),
                                        "協働推進課.xlsx:回答!K5: 回答の列（A〜J）の外の文字は読みません。今回の状況に"
                                        "書いてください（'来年度に再検討'）"),
    "a formula": (lambda f: _edit(f, "協働推進課", {"I5": "=F5"}),
                  "協働推進課.xlsx:回答!I5: 今回の状況が数式です。状況は文字で入力してください（'=F5'）"),
    "group column of a structure": (lambda f: _edit(f, "協働推進課", {"B1": "基本目標"}),
                                    "協働推進課.xlsx:回答!B1: グループの列が表の区分ではありません。このブックは最上位の"
                                    "階層が基本目標の施策体系のファイルで書かれました。そのファイルを指定してください（'基本目標'）"),
    "not a workbook": (lambda f: (f / "総務課.xlsx").write_bytes(b"PK\x03\x04 not really"),
                       "総務課.xlsx: Excelブック（.xlsx）として読めません（BadZipFile）。Excelで「Excel ブック (*.xlsx)」"
                       "として保存し直してください（'総務課.xlsx'）"),  # the message of every workbook reader
}


@pytest.mark.parametrize("damage, expected", INTAKE_ERRORS.values(), ids=INTAKE_ERRORS.keys())
def test_every_intake_problem_names_the_file_sheet_cell_and_value(answers, damage, expected):
    damage(answers)
    with pytest.raises(SurveyError) as caught:
        load_survey(answers, round1=None)
    problems = caught.value.problems
    assert len(problems) == 1, problems  # one damage, one problem: nothing else reported in its wake
    assert problems == [expected.replace("<folder>", str(answers))]
    assert str(caught.value) == problems[0]


def test_lookalike_ratings_are_read_as_the_parser_reads_them(answers):
    _edit(answers, "協働推進課", {"J10": "X", "J11": "ｘ", "J12": "◯"})  # No 9, 10, 11
    measures = {m.no: m for m in load_survey(answers, round1=None).table.measures}
    assert (measures[9].rating, measures[10].rating, measures[11].rating) == ("×", "×", "○")


@pytest.mark.slow
def test_the_answers_of_a_structure_survey_need_the_structure(tmp_path, kitamoto):
    structure = FIXTURES / "kitamoto_structure.csv"
    write_survey(None, out=tmp_path, structure=structure)
    fill(tmp_path, kitamoto)
    assert len(load_survey(tmp_path, round1=None, structure=structure).table.measures) == 19
    with pytest.raises(SurveyError) as caught:
        load_survey(tmp_path, round1=None)
    assert len(caught.value.problems) == 7  # one per workbook, not one per row
    assert caught.value.problems[0] == ("秘書広報課.xlsx:回答!B1: グループの列が表の区分ではありません。このブックは最上位の"
                                        "階層が基本目標の施策体系のファイルで書かれました。そのファイルを指定してください（'基本目標'）")


# --- the command --------------------------------------------------------------------------------


def test_cli_writes_the_workbooks(tmp_path, capsys):
    out = tmp_path / "survey"
    assert main(["--out", str(out), "--deadline", "5月30日", "--contact", "内線123", "--all-departments"]) == 0
    assert len(list(out.glob("*.xlsx"))) == 8 and "回答用ブックを8件書きました" in capsys.readouterr().out
    assert openpyxl.load_workbook(out / "総務課.xlsx")["記入方法"]["B4"].value == "5月30日"
    assert main(["--raw", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kyodo-survey: エラー: ") and "missing.txt: ファイルを読めません" in err


@pytest.mark.slow
def test_cli_collect_on_a_bad_folder_prints_every_problem_and_writes_nothing(answers):
    _edit(answers, "協働推進課", {"J8": "A", "D3": "書き換えた内容"})
    _edit(answers, "産業振興課", {"I5": new_status(14), "J5": "△"})  # the lead's status, another rating
    (answers / "秘書広報課.xlsx").unlink()
    run = subprocess.run([sys.executable, "-m", "kyodo_analysis.cli.survey", "--collect", str(answers), "--raw",
                          str(KITAMOTO_STATUS_TABLE), "--era", "平成"], capture_output=True, text=True)
    assert run.returncode == 1 and run.stdout == "" and "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert lines[:-1] == [
        f"kyodo-survey: 秘書広報課.xlsx: 秘書広報課の回答用ブックが {answers} にありません（'秘書広報課.xlsx'）",
        "kyodo-survey: 協働推進課.xlsx:回答!D3: No.2 の保護された列「内容」が編集されています（前回の値は "
        f"'{CONTENT_2}'）（'書き換えた内容'）",
        "kyodo-survey: 協働推進課.xlsx:回答!J8: 今回の評価が評価の尺度にありません（使える記号: ◎ ○ △ ×）（'A'）",
        "kyodo-survey: 産業振興課.xlsx:回答!J5: No.14 の回答が主担当課 協働推進課 と違います（協働推進課.xlsx:回答!J15: "
        f"'{new_status(14)}'、'○'）。回答をそろえるか、空にするか、--accept-lead で主担当課の回答をとってください"
        f"（'{new_status(14)}', '△'）",
    ]
    assert lines[-1] == f"kyodo-survey: エラー: {answers} に問題が4件あります。何も書いていません"
    assert not (answers / "round2.txt").exists()


@pytest.mark.slow
def test_cli_collect_with_accept_lead_writes_round_2_and_says_what_it_overrode(answers, capsys):
    _edit(answers, "産業振興課", {"I5": new_status(14), "J5": "△"})
    assert main(["--collect", str(answers)]) == 1
    assert capsys.readouterr().err.count("の回答が主担当課 協働推進課 と違います") == 1
    assert main(["--collect", str(answers), "--accept-lead"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{answers / 'round2.txt'} を書きました: 施策19件。読むときは --era 平成 を指定してください",
        f"主担当課の回答をとりました: 産業振興課.xlsx:回答!J5: 産業振興課 No.14: 主担当課 協働推進課 の回答をとり、"
        f"この回答は使いません（'{new_status(14)}', '△'）",
    ]
    back = {m.no: m for m in read_status_table(answers / "round2.txt", era="平成").measures}
    assert (back[14].status, back[14].rating) == (new_status(14), "○")
    assert back[5].status == normalize_text(MESSY_STATUS) == "平成23年度に制度を創設した。"


def test_cli_refuses_options_of_the_other_mode(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--out", str(tmp_path), "--accept-lead"])
    assert stop.value.code == 2 and "--accept-lead は --collect と一緒に指定します" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_all_departments_collects_the_all_departments_workbook_too(tmp_path, kitamoto):
    write_survey(None, out=tmp_path, all_departments=True)
    fill(tmp_path, kitamoto)
    _edit(tmp_path, "全課", {"I3": new_status(4), "J3": "◎"})  # No 4 (lead 協働推進課), the same answer
    result = load_survey(tmp_path, round1=None, all_departments=True)
    assert [m.rating for m in result.table.measures if m.no == 4] == ["◎"] and result.overridden == ()
    _edit(tmp_path, "全課", {"J3": "○"})
    with pytest.raises(SurveyError, match=r"^全課.xlsx:回答!J3: No.4 の回答が主担当課 協働推進課 と違います"):
        load_survey(tmp_path, round1=None, all_departments=True)
    (tmp_path / "全課.xlsx").unlink()  # 全課 leads no measure: nothing of its own had to be answered
    assert load_survey(tmp_path, round1=None, all_departments=True).notes[-1].startswith("回答用ブックが返っていない課: 全課。")


def test_a_department_with_nothing_to_answer_may_return_nothing_and_a_renamed_workbook_is_known_by_its_content(
        answers):
    """Issue 25 §1. By hand: 福祉課 and 総務課 appear only beside 協働推進課, which leads their measures (No.6;
    No.17): their rows are for reference. A workbook saved under another name is read as the department its
    記入方法!B2 names."""
    (answers / "福祉課.xlsx").unlink()
    (answers / "総務課.xlsx").rename(answers / "総務課_回答済.xlsx")
    result = load_survey(answers, round1=None)
    assert len(result.table.measures) == 19
    assert result.notes[-2:] == (
        "総務課_回答済.xlsx を総務課の回答用ブックとして読みました（記入方法!B2 の推進課による。ファイル名は 総務課.xlsx "
        "ではありません）",
        "回答用ブックが返っていない課: 福祉課。いずれも参考の行だけ（主担当の施策がない）で記入は不要のため、回答なしとして"
        "続けました")
    shutil.copy(answers / "総務課_回答済.xlsx", answers / "総務課 のコピー.xlsx")  # two files of one department
    with pytest.raises(SurveyError) as caught:
        load_survey(answers, round1=None)
    assert caught.value.problems == ["総務課 のコピー.xlsx: 総務課の回答用ブックに見えるファイルが2つあります（総務課 のコピー.xlsx、"
                                     "総務課_回答済.xlsx）。どれを読むか決められないため、どれも読みません。1つだけ残してください"
                                     "（['総務課 のコピー.xlsx', '総務課_回答済.xlsx']）"]


@pytest.mark.slow
def test_only_a_different_rating_conflicts_a_co_department_s_wording_is_kept(answers):
    """Issue 25 §1. 産業振興課 answers No.7 and No.14 (lead 協働推進課) with its own wording and the lead's
    rating: both kept as 関係課の記述, in order of No; the lead's answer is round 2's."""
    lead = {m.no: m.rating for m in load_survey(answers, round1=None).table.measures}
    _edit(answers, "産業振興課", {"I2": "産業振興課としては企業訪問を続けている。", "I5": "商工会と協議中。", "J5": lead[14]})
    result = load_survey(answers, round1=None)
    assert result.related == ((7, "産業振興課", "産業振興課としては企業訪問を続けている。"), (14, "産業振興課", "商工会と協議中。"))
    assert {m.no: m.status for m in result.table.measures}[7] == new_status(7)
    _edit(answers, "産業振興課", {"J2": "×"})  # another rating for No.7: that is a conflict
    with pytest.raises(SurveyError, match=r"^産業振興課.xlsx:回答!J2: No.7 の回答が主担当課 協働推進課 と違います"):
        load_survey(answers, round1=None)


@pytest.mark.slow
def test_the_kept_wordings_go_beside_round_2_and_into_its_review_s_workbook(answers, tmp_path, capsys):
    """Issue 25 §1: collected, the co-department's wording is written beside round 2 (a CSV a person may open:
    a formula's start guarded), and the review of round 2 reads it into a sheet of the workbook."""
    from kyodo_analysis import review_plan
    from kyodo_analysis.writers.workbook import write_workbook

    lead = {m.no: m.rating for m in load_survey(answers, round1=None).table.measures}
    _edit(answers, "産業振興課", {"I5": "+寄附の受け入れ体制を商工会と協議中。", "J5": lead[14]})
    assert main(["--collect", str(answers)]) == 0
    related = answers / "round2_関係課の記述.csv"
    out = capsys.readouterr().out
    assert f"{related} に関係課の記述を1件書きました" in out
    assert related.read_bytes().decode("utf-8-sig") == "No,推進課,関係課の記述\n14,産業振興課,'+寄附の受け入れ体制を商工会と協議中。\n"
    review = review_plan(answers / "round2.txt", era="平成")
    assert review.related.to_dict("list") == {"no": [14], "department": ["産業振興課"],
                                              "text": ["+寄附の受け入れ体制を商工会と協議中。"]}
    book = openpyxl.load_workbook(write_workbook(review, tmp_path / "review.xlsx"))
    rows = list(book["関係課の記述"].iter_rows(values_only=True))
    assert rows == [("No", "施策の方向性", "推進課", "関係課の記述"),
                    (14, "市民公益活動団体の自立支援", "産業振興課", "+寄附の受け入れ体制を商工会と協議中。")]
    assert book["関係課の記述"]["D2"].data_type == "s"  # text, never a formula
    # the next round's survey shows it under the lead's status, and reads back what it wrote
    following = tmp_path / "round3"
    write_survey(answers / "round2.txt", out=following, era="平成")
    shown = openpyxl.load_workbook(following / "協働推進課.xlsx")["回答"]["F15"].value  # No.14's 前回の状況
    assert shown.endswith("\n【関係課の記述】産業振興課：+寄附の受け入れ体制を商工会と協議中。")
    assert shown.startswith(new_status(14))
    round2 = read_status_table(answers / "round2.txt", era="平成")
    fill(following, round2, ratings={m.no: m.rating for m in round2.measures}, lookalike=False)
    assert len(load_survey(following, round1=answers / "round2.txt", era="平成").table.measures) == 19
    # collected again once the department agrees with its lead: the kept wording is emptied, not left stale
    _edit(answers, "産業振興課", {"I5": None, "J5": None})
    assert main(["--collect", str(answers)]) == 0
    assert related.read_bytes().decode("utf-8-sig") == "No,推進課,関係課の記述\n"
    assert review_plan(answers / "round2.txt", era="平成").related is None


@pytest.mark.slow
def test_a_file_of_leads_names_who_answers_where_it_is_not_the_first_department(tmp_path, kitamoto):
    """Issue 25 §1. No.7 is 協働推進課 産業振興課 in the table: with a file naming 産業振興課, its answer counts,
    on the workbooks and at collection; a department the measure does not name is refused, naming the line."""
    leads = tmp_path / "leads.csv"
    leads.write_text("No,主担当課\n7,産業振興課\n", encoding="utf-8")
    folder = tmp_path / "survey"
    write_survey(None, out=folder, leads=leads)
    industry = _book(folder, "産業振興課")["回答"]
    assert (industry["A2"].value, industry["H2"].value) == (7, "この課の回答を採用")
    assert _book(folder, "協働推進課")["回答"]["H8"].value == "参考（主担当：産業振興課）"
    fill(folder, kitamoto)  # every lead answers; 協働推進課 still writes No.7 as a reference department would
    _edit(folder, "協働推進課", {"I8": None, "J8": None})
    _edit(folder, "産業振興課", {"I2": "産業振興課が企業訪問を開始した。", "J2": "△"})
    measures = {m.no: m for m in load_survey(folder, round1=None, leads=leads).table.measures}
    assert (measures[7].status, measures[7].rating) == ("産業振興課が企業訪問を開始した。", "△")
    leads.write_text("No,主担当課\n7,福祉課\n", encoding="utf-8")
    with pytest.raises(StatusTableError, match=r"leads.csv:2: 主担当課は No.7 の推進課（協働推進課・産業振興課）"):
        write_survey(None, out=tmp_path / "other", leads=leads)
