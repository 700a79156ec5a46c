"""The survey's sheet of outcome indicators (issue 26 §3): each department enters the year's actual values.

By hand, from tests/fixtures/kitamoto_indicators.csv and the Kitamoto table: round 1 is as of 平成22年度, so the
survey asks for 平成23年度. Who answers: the lead of the first 関連施策 (the first department of its 推進課
cell): No.2, 12, 5, 14, 15 and 6 are led by 協働推進課, No.1 by 秘書広報課. This test's copy of the file gives
ボランティア登録者数 the 担当課 福祉課, a department that leads no measure (so it must now return its workbook).
"""

import shutil

import openpyxl
import pytest

from kyodo_analysis import review_plan
from kyodo_analysis.cli.survey import main
from kyodo_analysis.source.indicators import IndicatorError, read_indicators
from kyodo_analysis.source.loaders import load_status_table
from kyodo_analysis.survey.collect import SurveyError, load_survey
from kyodo_analysis.survey.send import write_survey

from .builds import FIXTURES
from .test_survey import fill

HEADER = ["指標", "単位", "方向", "基準年度", "基準値", "目標年度", "目標値", "最新の実績値", "平成23年度の実績値"]
#: By hand: what the coordinating department's sheet holds, in the file's order.
COORDINATOR_ROWS = [
    ("市民活動団体の登録数", "団体", "増加", "平成19年度", "100", "平成24年度", "200", "160（平成22年度）"),
    ("相談の待ち日数", "日", "減少", "平成19年度", "50", "平成24年度", "30", "55（平成22年度）"),
    ("協働事業の件数", "件", "増加", "平成19年度", "0", "平成24年度", "10", "0（平成22年度）"),
    ("NPO法人の数", "法人", "増加", "平成19年度", "5", "平成24年度", "10", "なし"),
    ("協働推進課の窓口の満足度", "%", "増加", "平成19年度", "80", "平成24年度", "80", "82（平成22年度）"),
]


def _indicators_with_a_department(folder):
    """kitamoto_indicators.csv with a column 担当課: 福祉課 for ボランティア登録者数 (its last row), else empty."""
    lines = (FIXTURES / "kitamoto_indicators.csv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0] + ",担当課", *(line + "," for line in lines[1:-1]), lines[-1] + ",福祉課"]
    path = folder / "indicators.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    folder = tmp_path_factory.mktemp("survey_indicators")
    indicators = _indicators_with_a_department(folder)
    write_survey(None, out=folder / "blank", indicators=indicators)
    return folder, indicators


def _answer(folder, actuals: dict[str, dict[int, object]]):
    """Fill the measures as test_survey does, then each department's actuals (row: value) in column I."""
    fill(folder, load_status_table())
    for department, values in actuals.items():
        path = folder / f"{department}.xlsx"
        book = openpyxl.load_workbook(path)
        for row, value in values.items():
            book["成果指標"].cell(row=row, column=9).value = value
        book.save(path)


def test_each_department_gets_the_indicators_it_answers_for(sent):
    folder, _ = sent
    coordinator = openpyxl.load_workbook(folder / "blank" / "協働推進課.xlsx")
    assert coordinator.sheetnames == ["記入方法", "回答", "成果指標"]
    rows = list(coordinator["成果指標"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and [row[:8] for row in rows[1:]] == COORDINATOR_ROWS
    assert all(row[8] is None for row in rows[1:])
    sheet = coordinator["成果指標"]
    assert sheet.protection.sheet and not sheet["I2"].protection.locked and sheet["H2"].protection.locked
    [validation] = sheet.data_validations.dataValidation
    assert (validation.type, str(validation.sqref)) == ("decimal", "I2:I6")
    guide = [row[1] for row in coordinator["記入方法"].iter_rows(values_only=True) if row[0] == "成果指標"]
    assert guide and "（5件）" in guide[0] and "平成23年度の実績値" in guide[0]
    by_hand = {"秘書広報課": [("協働を知っている市民の割合", "38（平成22年度）")],
               "福祉課": [("ボランティア登録者数", "1200（平成20年度）")]}
    for department, expected in by_hand.items():
        sheet = openpyxl.load_workbook(folder / "blank" / f"{department}.xlsx")["成果指標"]
        assert [(row[0], row[7]) for row in sheet.iter_rows(min_row=2, values_only=True)] == expected
    # a department with no indicator gets no such sheet
    assert openpyxl.load_workbook(folder / "blank" / "総務課.xlsx").sheetnames == ["記入方法", "回答"]


@pytest.mark.slow
def test_the_actuals_make_the_next_round_s_indicators_file(sent, tmp_path):
    """Typed: 市民活動団体の登録数 "１７０" (full-width text), 相談の待ち日数 48, 協働事業の件数 blank, NPO法人の数 7,
    満足度 85, 協働を知っている市民の割合 45.5, ボランティア登録者数 1300. The file's 平成23 column had 999 for the
    first: replaced, and said so."""
    folder, indicators = sent
    answers = shutil.copytree(folder / "blank", tmp_path / "answers")
    _answer(answers, {"協働推進課": {2: "１７０", 3: 48, 5: 7, 6: 85}, "秘書広報課": {2: 45.5}, "福祉課": {2: 1300}})
    result = load_survey(answers, round1=None, indicators=indicators)
    written = tmp_path / "round2_成果指標.csv"
    written.write_bytes(result.indicators)
    read = read_indicators(written)
    assert [values.get(2011) for values in read["values"]] == [170.0, 48.0, None, 45.5, 7.0, 85.0, 1300.0]
    assert [values.get(2010) for values in read["values"]][:2] == [160.0, 55.0]  # the earlier years as they were
    assert read["department"].tolist()[-1] == "福祉課" and read["related"].tolist()[0] == "2"
    assert "成果指標の平成23年度の実績値: 6件を記入どおりに読みました。空欄（未集計）: 協働事業の件数" in result.notes
    assert any("市民活動団体の登録数 の平成23年度の実績値を '999' から 170 にしました" in note for note in result.notes)


@pytest.mark.slow
def test_a_value_that_is_not_a_number_or_a_missing_workbook_is_a_problem(sent, tmp_path):
    folder, indicators = sent
    answers = shutil.copytree(folder / "blank", tmp_path / "answers")
    _answer(answers, {"協働推進課": {2: "約170", 3: "=1+1"}})
    (answers / "福祉課.xlsx").unlink()  # it leads no measure, but enters an indicator's actual
    with pytest.raises(SurveyError) as caught:
        load_survey(answers, round1=None, indicators=indicators)
    problems = caught.value.problems
    assert any(line.startswith("協働推進課.xlsx:成果指標!I2: 実績値が数値ではありません") and "約170" in line
               for line in problems)
    assert any(line.startswith("協働推進課.xlsx:成果指標!I3: 実績値が数式です") for line in problems)
    assert any(line.startswith("福祉課.xlsx: 福祉課の回答用ブックが") for line in problems)


def test_an_indicator_without_a_department_stops_naming_its_line(tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text("指標,単位,方向,基準年度,基準値,目標年度,目標値,関連施策,担当課\n"
                    "x,件,増加,平成19,1,平成24,2,3,\ny,件,増加,平成19,1,平成24,2,,\n", encoding="utf-8")
    with pytest.raises(IndicatorError) as caught:
        write_survey(None, out=tmp_path / "out", indicators=path)
    assert str(caught.value).startswith(f"{path}:3: 実績値を記入する課が決まりません") and caught.value.value == "y"
    path.write_text("指標,単位,方向,基準年度,基準値,目標年度,目標値,担当課\nx,件,増加,平成19,1,平成24,2,財政課\n",
                    encoding="utf-8")
    with pytest.raises(IndicatorError, match="担当課は照会する課"):
        write_survey(None, out=tmp_path / "out", indicators=path)
    assert not (tmp_path / "out").exists()  # nothing written


@pytest.mark.slow
def test_the_cli_writes_the_indicators_beside_round_2_and_the_review_reads_them(sent, tmp_path, capsys):
    """By hand, as of 平成23年度 (round 2's statuses name it) under 水準: 市民活動団体の登録数 100 → 170 of 200: A."""
    folder, indicators = sent
    answers = shutil.copytree(folder / "blank", tmp_path / "answers")
    _answer(answers, {"協働推進課": {2: 170}, "秘書広報課": {2: 45.5}, "福祉課": {2: 1300}})
    assert main(["--collect", str(answers), "--indicators", str(indicators)]) == 0
    out = capsys.readouterr().out
    round2, written = answers / "round2.txt", answers / "round2_成果指標.csv"
    assert f"{written} に次の回の成果指標を書きました" in out
    plan_review = review_plan(round2, indicators=written)
    assert plan_review.as_of == 2011
    assert plan_review.indicators.loc[0, ["actual", "actual_fy", "grade"]].tolist() == [170.0, 2011, "A"]


def test_an_indicator_named_like_a_formula_stays_text_in_the_sheet_and_the_csv(tmp_path):
    """A name "=1+1" and a unit "@人": text in the workbook, guarded in the CSV, read back as written; a negative
    baseline keeps its sign (numbers are never guarded)."""
    from kyodo_analysis.survey.actuals import actuals_csv, request_actuals
    from kyodo_analysis.survey.sheets import survey_departments

    path = tmp_path / "indicators.csv"
    path.write_text("指標,単位,方向,基準年度,基準値,目標年度,目標値,関連施策\n=1+1,@人,増加,平成19,-5,平成24,5,2\n",
                    encoding="utf-8")
    write_survey(None, out=tmp_path / "out", indicators=path)
    cell = openpyxl.load_workbook(tmp_path / "out" / "協働推進課.xlsx")["成果指標"]["A2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    table = load_status_table()
    request = request_actuals(path, table, era=None, structure=None, departments=survey_departments(table), leads=None)
    data, _ = actuals_csv(request, {"=1+1": -1.5})
    assert data.decode("utf-8-sig").splitlines()[1] == "'=1+1,'@人,増加,平成19,-5,平成24,5,2,-1.5"
    (tmp_path / "next.csv").write_bytes(data)
    read = read_indicators(tmp_path / "next.csv")
    assert (read.loc[0, "name"], read.loc[0, "unit"], read.loc[0, "baseline"]) == ("=1+1", "@人", -5.0)
    assert read.loc[0, "values"] == {2011: -1.5}


def test_an_actual_is_a_finite_number_and_reads_back_from_the_csv_as_typed():
    """NaN and INF (which other tools than Excel may store), text and a formula are problems naming the cell;
    a small decimal is written without an exponent, so that the next round reads it back."""
    from kyodo_analysis.source.indicators import read_number
    from kyodo_analysis.source.structure import number_text
    from kyodo_analysis.source.xlsx_reader import SheetCell, SheetGrid
    from kyodo_analysis.survey.actuals import actuals_headers, read_actuals

    rows = [[f"x{index}", "件", "増加", "平成19年度", "1", "平成24年度", "2", "なし"] for index in range(5)]
    cells = {(1, column): SheetCell(1, column, header) for column, header in enumerate(actuals_headers("平成23年度"), 1)}
    for row, cells_of_row in enumerate(rows, start=2):
        cells |= {(row, column): SheetCell(row, column, value) for column, value in enumerate(cells_of_row, 1)}
    for row, value in zip(range(2, 7), [float("nan"), float("inf"), "１２", 0.00001, "=A1"]):
        cells[(row, 9)] = SheetCell(row, 9, value, "f" if value == "=A1" else "n")
    problems = []
    found = read_actuals({"成果指標": SheetGrid("成果指標", cells)}, "課.xlsx", rows, "平成23年度", problems)
    assert found == {"x0": None, "x1": None, "x2": 12.0, "x3": 0.00001, "x4": None}
    assert [line.split(":")[1] for line in problems] == ["成果指標!I2", "成果指標!I3", "成果指標!I6"]
    assert number_text(found["x3"]) == "0.00001" and read_number(number_text(found["x3"])) == 0.00001


def test_formula_like_names_keep_their_values_and_one_guard_round_after_round(tmp_path):
    """Round 2's indicators file is round 3's input: a name "=HYPERLINK(1)" and a unit "-" are guarded once in
    each file, read back as written, and their values found (the guarded name was looked up before, and the
    value dropped; the guard doubled each round)."""
    from kyodo_analysis.survey.actuals import actuals_csv, request_actuals
    from kyodo_analysis.survey.sheets import survey_departments

    table = load_status_table()
    departments = survey_departments(table)
    path = tmp_path / "round1.csv"
    path.write_text("指標,単位,方向,基準年度,基準値,目標年度,目標値,関連施策\n=HYPERLINK(1),-,増加,平成19,1,平成24,9,2\n",
                    encoding="utf-8")
    for round_, value in ((2, 3.0), (3, 4.0)):
        request = request_actuals(path, table, era=None, structure=None, departments=departments, leads=None)
        assert request.rows["協働推進課"][0][:2] == ["=HYPERLINK(1)", "-"]
        data, _ = actuals_csv(request, {"=HYPERLINK(1)": value})
        assert data.decode("utf-8-sig").splitlines()[1].startswith("'=HYPERLINK(1),'-,増加,")
        path = tmp_path / f"round{round_}.csv"
        path.write_bytes(data)
        read = read_indicators(path)
        assert (read.loc[0, "name"], read.loc[0, "unit"]) == ("=HYPERLINK(1)", "-")
        assert read.loc[0, "values"] == {2011: value}


@pytest.mark.slow
def test_actuals_entered_but_not_collected_are_a_problem(sent, tmp_path):
    """Collected without --indicators, the values entered in 成果指標 would be lost: a problem naming the cell."""
    folder, _ = sent
    answers = shutil.copytree(folder / "blank", tmp_path / "answers")
    _answer(answers, {"協働推進課": {3: 48}, "秘書広報課": {2: 45.5}, "福祉課": {2: 1300}})
    with pytest.raises(SurveyError) as caught:
        load_survey(answers, round1=None)
    unread = ("成果指標の実績値が1件記入されていますが、--indicators がないため読めません。送付のときと同じ成果指標の"
              "ファイルを --indicators に指定してください")
    assert [line.split("（")[0] for line in caught.value.problems if "成果指標" in line] == [
        f"秘書広報課.xlsx:成果指標!I2: {unread}", f"協働推進課.xlsx:成果指標!I3: {unread}", f"福祉課.xlsx:成果指標!I2: {unread}"]


@pytest.mark.slow
def test_a_file_of_the_user_s_where_the_indicators_go_is_never_replaced(sent, tmp_path, capsys):
    """round2_成果指標.csv that this command did not write (its first line is not the indicators' header) stays as
    it is, and nothing is written."""
    folder, indicators = sent
    answers = shutil.copytree(folder / "blank", tmp_path / "answers")
    _answer(answers, {"協働推進課": {2: 170}, "秘書広報課": {2: 45.5}, "福祉課": {2: 1300}})
    mine = answers / "round2_成果指標.csv"
    mine.write_text("大切なメモ\n", encoding="utf-8")
    assert main(["--collect", str(answers), "--indicators", str(indicators)]) == 2
    err = capsys.readouterr().err
    assert "はすでにあり、この照会の成果指標のファイルではありません（1行目が '大切なメモ'" in err
    assert mine.read_text(encoding="utf-8") == "大切なメモ\n" and not (answers / "round2.txt").exists()
