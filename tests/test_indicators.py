"""Outcome indicators (成果指標, issue 26): read, graded by the city's two rules, and shown in the review.

tests/fixtures/kitamoto_indicators.csv is a hand-made set for Kitamoto's review year (平成22年度, 2010), graded by
hand under both rules (tolerance: 許容幅, else 10 % of |baseline| for 水準 and 0 for ペース; elapsed 3 of 5 years):

============================  =========================================  =====  =====
indicator                     by hand                                    水準   ペース
============================  =========================================  =====  =====
市民活動団体の登録数 (増加)   100 → 160 (2010; 2011's 999 is later), 200  A      a (0.6 ≥ 0.6)
相談の待ち日数 (減少)         50 → 55, target 30: worse, within 5        B      c
協働事業の件数                baseline 0 → 0: within 0                   B      b
協働を知っている市民の割合    40 → 38 %, 許容幅 3                          B      b
NPO法人の数                   no actual                                  −      −
協働推進課の窓口の満足度      target = baseline 80, actual 82            S      a
ボランティア登録者数          1,000 → 1,200 only in 2008, target 1,500   A      b (0.4 < 0.6)
============================  =========================================  =====  =====
"""

import openpyxl
import pytest

from kyodo_analysis import review_plan
from kyodo_analysis.analysis.indicators import LEVEL, PACE, grade_indicators
from kyodo_analysis.content import narrative
from kyodo_analysis.source.indicators import IndicatorError, read_indicators

from .builds import FIXTURES

KITAMOTO_INDICATORS = FIXTURES / "kitamoto_indicators.csv"
BY_HAND = {"level": ["A", "B", "B", "B", "−", "S", "A"], "pace": ["a", "c", "b", "b", "−", "a", "b"]}


@pytest.mark.parametrize("scheme", [LEVEL, PACE], ids=["level", "pace"])
def test_each_indicator_is_graded_as_by_hand(scheme):
    graded = grade_indicators(read_indicators(KITAMOTO_INDICATORS), as_of=2010, scheme=scheme)
    assert graded["grade"].astype("str").tolist() == BY_HAND[scheme.key]
    assert graded["actual"].tolist()[:4] == [160.0, 55.0, 0.0, 38.0]  # １６０ written full-width
    assert graded["actual_fy"].tolist()[-1] == 2008 and graded.loc[6, "actual"] == 1200.0  # "1,200", an earlier year
    assert graded.loc[5, "note"] == "目標値が基準値と同じため、目標値に達しているかで判定"
    assert graded.loc[4, "note"] == "評価時点までの実績値がない"


def test_the_review_counts_the_grades_and_names_the_lowest():
    text = narrative.section("indicators", review_plan(indicators=KITAMOTO_INDICATORS))
    assert ("判定の内訳は S（目標値を達成）1件、A（基準値より改善）2件、B（基準値と同水準）3件、C（基準値より悪化）0件、"
            "−（測定できない）1件である。") in text
    assert "最も低い判定（B）の指標は3件である。" in text and "- 相談の待ち日数：基準値 50日（平成19年度）" in text
    paced = narrative.section("indicators", review_plan(indicators=KITAMOTO_INDICATORS, indicator_scheme="pace"))
    assert "a（目標に向けて順調）2件、b（順調ではないが改善または横ばい）3件、c（基準値より悪化）1件" in paced
    assert "進捗率（目標までの改善の割合）がそれ以上なら順調とした" in paced  # what the expected pace was


@pytest.mark.parametrize(("row", "message", "value"), [
    ("x,件,増加,平成19,10,平成24,二十,,,", "目標値が数値ではありません", "二十"),
    ("x,件,増加,平成19,,平成24,20,,,", "基準値がありません", ""),
    ("x,件,増加,平成24,10,平成19,20,,,", "目標年度が基準年度より前です", "平成19"),
    ("x,件,上昇,平成19,10,平成24,20,,,", "方向は 増加・減少 のどちらかにしてください", "上昇"),
    ("市民活動団体の登録数,件,増加,平成19,10,平成24,20,,,", "指標が重複しています（2行目と同じ名前）", "市民活動団体の登録数"),
    ("x,件,増加,平成19,10,平成24,20,,abc,", "平成21の実績値が数値ではありません", "abc"),
])
def test_a_defect_stops_naming_the_file_line_and_value(tmp_path, row, message, value):
    path = tmp_path / "indicators.csv"
    path.write_text("指標,単位,方向,基準年度,基準値,目標年度,目標値,許容幅,平成21,平成22\n"
                    "市民活動団体の登録数,団体,増加,平成19,100,平成24,200,,130,160\n" + row + "\n", encoding="utf-8")
    with pytest.raises(IndicatorError) as caught:
        read_indicators(path)
    assert str(caught.value).startswith(f"{path}:3: {message}") and caught.value.value == value


@pytest.mark.slow
def test_the_workbook_and_the_documents_hold_the_indicators(tmp_path):
    import datetime

    from kyodo_analysis.content.document import review_document
    from kyodo_analysis.writers.workbook import write_workbook

    plan_review = review_plan(indicators=KITAMOTO_INDICATORS)
    book = openpyxl.load_workbook(write_workbook(plan_review, tmp_path / "review.xlsx"))
    rows = list(book["指標"].iter_rows(values_only=True))
    assert rows[0][:4] == ("指標", "単位", "方向", "基準年度") and len(rows) == 1 + 7
    assert rows[7][:3] == ("ボランティア登録者数", "人", "増加") and "平成20年度" in rows[7]  # the actual's year
    document = review_document(plan_review, figures=[], generated=datetime.date(2026, 11, 27))
    [table] = [table for table in document.tables if table.section == "indicators"]
    assert table.caption == "表3 成果指標の判定" and len(table.rows) == 7
    assert "（6）成果指標" in [section.title for section in document.sections]


def test_the_report_reviews_the_indicators_end_to_end(reiwa_report):
    """The 令和 report is run with tests/fixtures/reiwa_indicators.csv (see builds.py). By hand, as of 令和6年度
    (2024; elapsed 3 of 4 years): 交流イベントの参加者数 200 → 250 (令和5年度), target 300: A, and 空き店舗の数
    40 → 42, target 30 (減少), within 4: B."""
    import re

    out, _ = reiwa_report
    book = openpyxl.load_workbook(out / "kyodo_review.xlsx")
    rows = list(book["指標"].iter_rows(values_only=True))
    assert [(row[0], row[10], row[12], row[13]) for row in rows[1:]] == [
        ("交流イベントの参加者数", "A", "No.1", "A 交流"), ("空き店舗の数", "B", "No.5、No.6", "B 支援")]
    assert list(book["指標（基本目標別）"].iter_rows(values_only=True)) == [
        ("基本目標", "指標数", "S", "A", "B", "C", "−"), ("A 交流", 1, 0, 1, 0, 0, 0), ("B 支援", 1, 0, 0, 1, 0, 0)]
    page = re.sub(r"<[^>]+>", "", (out / "10_midterm_review.html").read_text(encoding="utf-8"))
    assert "成果指標2件を、水準の基準で令和6年度時点の実績値" in page
    # tied to the plan's groups: the figure by 基本目標 and the printed columns (関連施策, no 基準年度 or 備考)
    assert "基本目標別の成果指標の判定" in page and "- A 交流：1件（A 1件）" not in page  # HTML lists, not Markdown
    assert "A 交流：1件（A 1件）" in page and "関連施策" in page and "備考" not in page.split("成果指標の判定")[-1]


@pytest.mark.slow
def test_the_progress_figure_marks_the_actual_and_the_pace():
    """By hand (elapsed 3 of 5 years: 0.6): the actuals at 0.6, −0.25, 0, −0.2, none, 1 (target = baseline,
    reached) and 0.4; every grade written at the right."""
    import matplotlib

    matplotlib.use("Agg")
    from kyodo_analysis.figures import draw

    ax = draw.indicator_progress(review_plan(indicators=KITAMOTO_INDICATORS, indicator_scheme="pace"))
    pace, actual = ax.collections  # drawn in this order over the bars
    assert [round(x, 2) for x, _ in actual.get_offsets()] == [0.6, -0.25, 0.0, -0.2, 1.0, 0.4]
    assert [y for _, y in actual.get_offsets()] == [0, 1, 2, 3, 5, 6]  # no mark for NPO法人の数 (row 4)
    assert {round(x, 2) for x, _ in pace.get_offsets()} == {0.6}
    assert [text.get_text() for text in ax.texts] == BY_HAND["pace"]
    assert [label.get_text() for label in ax.get_yticklabels()][0] == "市民活動団体の登録数"


# --- tied to the measures and the groups (関連施策, or a column named like a level) -------------------------------

def test_related_measures_tie_each_indicator_to_its_table_section():
    """kitamoto_indicators.csv names one measure each: No.2, 12, 5, 1, 14, 15, 6. By hand, the table's sections
    are No.1-7, 8-14 and 15-19, so under 水準 section 1 holds A (No.2), B (No.5), B (No.1), A (No.6); section 2
    B (No.12) and − (No.14); section 3 S (No.15)."""
    plan_review = review_plan(indicators=KITAMOTO_INDICATORS)
    assert plan_review.indicators["measure_nos"].tolist() == [(2,), (12,), (5,), (1,), (14,), (15,), (6,)]
    assert plan_review.indicators["groups"].tolist() == [(1,), (2,), (1,), (1,), (2,), (3,), (1,)]
    assert plan_review.indicators_by_group.to_dict("records") == [
        {"block": 1, "n_indicators": 4, "S": 0, "A": 2, "B": 2, "C": 0, "−": 0},
        {"block": 2, "n_indicators": 2, "S": 0, "A": 0, "B": 1, "C": 0, "−": 1},
        {"block": 3, "n_indicators": 1, "S": 1, "A": 0, "B": 0, "C": 0, "−": 0}]
    paced = review_plan(indicators=KITAMOTO_INDICATORS, indicator_scheme="pace").indicators_by_group
    assert paced[["a", "b", "c", "−"]].to_numpy().tolist() == [[1, 3, 0, 0], [0, 0, 1, 1], [1, 0, 0, 0]]
    # the table's sections are layout, not the plan's groups: the figure is for the analysts, not the review
    from kyodo_analysis.content.catalog import review_contents

    [figure] = [figure for figure in review_contents(plan_review).figures if figure.kind == "indicator_grades_by_group"]
    assert (figure.name, figure.caption, figure.in_review) == ("indicator_grades_by_block", "表の区分別の成果指標の判定",
                                                               False)
    assert "表の区分別に見ると" not in narrative.section("indicators", plan_review)
    # the lowest-graded indicators name their measures
    assert "（平成22年度）（関連施策 No.12）" in narrative.section("indicators", plan_review)


def _reiwa_with_indicators(folder, rows: str):
    """The 令和 plan, its hand-made structure (A 交流 = No.1-3, B 支援 = No.4-8) and an indicators file."""
    from .builds import REIWA, REIWA_STRUCTURE

    structure, indicators = folder / "structure.csv", folder / "indicators.csv"
    structure.write_text(REIWA_STRUCTURE, encoding="utf-8")
    indicators.write_text("指標,単位,方向,基準年度,基準値,目標年度,目標値,関連施策,基本目標,R5\n" + rows, encoding="utf-8")
    return review_plan(REIWA, era="令和", structure=structure, indicators=indicators)


def test_a_column_named_like_a_level_ties_an_indicator_to_its_group(tmp_path):
    """By hand, as of 令和6年度: x (基本目標 Ａ 交流, written full-width) 10 → 20 of 30: A, in A; y (No.3 and No.4)
    10 → 5: C, in A and B; z tied to nothing, no actual: −."""
    plan_review = _reiwa_with_indicators(tmp_path, "x,件,増加,令和3,10,令和7,30,,Ａ 交流,20\n"
                                                   "y,件,増加,令和3,10,令和7,30,3・4,,5\n"
                                                   "z,件,増加,令和3,10,令和7,30,,,\n")
    assert plan_review.indicators["groups"].tolist() == [("A 交流",), ("A 交流", "B 支援"), ()]
    assert plan_review.indicators_by_group[["基本目標", "n_indicators", "A", "C", "−"]].to_dict("records") == [
        {"基本目標": "A 交流", "n_indicators": 2, "A": 1, "C": 1, "−": 0},
        {"基本目標": "B 支援", "n_indicators": 1, "A": 0, "C": 1, "−": 0}]
    text = narrative.section("indicators", plan_review)
    assert ("基本目標別に見ると、成果指標のある基本目標は2件である（複数の基本目標に関連する指標1件は、それぞれに数えた）。"
            "どの基本目標にも関連づけられていない指標が1件ある。") in text
    assert "- A 交流：2件（A 1件、C 1件）\n- B 支援：1件（C 1件）" in text


@pytest.mark.parametrize(("cells", "message", "value"), [
    ("20,", "関連施策の No.20 は状況表にありません", "20"),
    ("1・二,", "関連施策は施策の No をカンマで区切って書いてください（例: 2, 5〜7）", "1・二"),
    ("7〜5,", "関連施策は施策の No をカンマで区切って書いてください（例: 2, 5〜7）", "7〜5"),
    (",C 未定", "基本目標にない名前です（あるのは A 交流・B 支援）", "C 未定"),
])
def test_a_tie_to_no_measure_or_group_of_the_plan_stops_naming_the_line(tmp_path, cells, message, value):
    with pytest.raises(IndicatorError) as caught:
        _reiwa_with_indicators(tmp_path, "x,件,増加,令和3,10,令和7,30,1,,20\n"
                                         f"y,件,増加,令和3,10,令和7,30,{cells},20\n")
    assert str(caught.value).startswith(f"{tmp_path / 'indicators.csv'}:3: {message}") and caught.value.value == value


@pytest.mark.parametrize(("text", "numbers"), [
    ("2", (2,)), ("No.2、No.5〜7", (2, 5, 6, 7)), ("２，３", (2, 3)), ("1-3 3", (1, 2, 3)), ("no5 ・ NO.6", (5, 6)),
    ("", ()), ("  ", ()),
])
def test_related_measures_are_read_as_a_city_writes_them(text, numbers):
    from kyodo_analysis.source.indicators import read_measure_numbers

    assert read_measure_numbers(text) == numbers


def test_the_figure_by_group_draws_the_counts_per_grade():
    """Kitamoto under ペース, by hand: section 1 a 1, b 3; section 2 c 1, − 1; section 3 a 1."""
    import matplotlib

    matplotlib.use("Agg")
    from kyodo_analysis.figures import draw

    ax = draw.indicator_grades_by_group(review_plan(indicators=KITAMOTO_INDICATORS, indicator_scheme="pace"))
    widths = [(round(bar.get_y() + bar.get_height() / 2), bar.get_width()) for bar in ax.patches if bar.get_width()]
    assert sorted(widths) == [(0, 1.0), (0, 3.0), (1, 1.0), (1, 1.0), (2, 1.0)]
    # written grade by grade (a in sections 1 and 3, b, c, −), then each section's n
    assert [text.get_text() for text in ax.texts] == ["1", "1", "3", "1", "1", "n=4", "n=2", "n=1"]
    assert [label.get_text() for label in ax.get_yticklabels()] == [
        "表の区分1（No.1〜7）", "表の区分2（No.8〜14）", "表の区分3（No.15〜19）"]
    assert draw.indicator_grades_by_group(review_plan()) is None  # no indicators, no figure


def test_the_pace_rule_says_the_expected_pace_and_keeps_it_within_the_period(tmp_path):
    """By hand: Kitamoto's indicators all run 平成19-24年度, so as of 平成22年度 the pace is 3 of 5 years, 0.60; as
    of 平成26年度, after the target year, it is 1 (on course means the target reached), not 7/5."""
    from kyodo_analysis.analysis.indicators import expected_progress
    from kyodo_analysis.content.catalog import indicator_table

    plan_review = review_plan(indicators=KITAMOTO_INDICATORS, indicator_scheme="pace")
    assert "どの指標も平成19年度から平成24年度までで、期待される進捗率は0.60である。" in narrative.section(
        "indicators", plan_review)
    assert indicator_table(plan_review)["expected"].tolist() == [0.6] * 7
    assert "expected" not in indicator_table(review_plan(indicators=KITAMOTO_INDICATORS)).columns  # 水準: no pace
    assert expected_progress(2007, 2012, 2014) == 1.0 and expected_progress(2007, 2012, 2005) == 0.0
    # past the target year: 100 → 210 of a target of 200 (1.1 of the way) is on course (a), where an unbounded
    # pace of (2014 - 2007) / 5 = 1.4 would have asked for more than the target and given b
    path = tmp_path / "late.csv"
    path.write_text("指標,単位,方向,基準年度,基準値,目標年度,目標値,平成25\nx,件,増加,平成19,100,平成24,200,210\n",
                    encoding="utf-8")
    late = grade_indicators(read_indicators(path), as_of=2014, scheme=PACE)
    assert late.loc[0, ["progress", "expected", "grade"]].tolist() == [1.1, 1.0, "a"]


@pytest.mark.parametrize(("header", "row", "message", "value"), [
    # a value under no heading would have become the next round's actual, once a year's column is added there
    ("平成21", "x,件,増加,平成19,10,平成24,20,,12,99", "見出しのない列（10列目）に値があります", "99"),
    ("平成21,許容幅", "x,件,増加,平成19,10,平成24,20,12,3", "同じ見出しの列が2つあります", "許容幅"),
    ("平成21", "x,件,増加,平成19,10,平成24,5,12", "方向が増加なのに、目標値が基準値（10）より低いです", "5"),
    ("平成21", "x,件,減少,平成19,10,平成24,20,12", "方向が減少なのに、目標値が基準値（10）より高いです", "20"),
    ("平成21", "x,件,増加,平成19," + "9" * 400 + ",平成24,20,12", "基準値が数値ではありません", "9" * 400),
])
def test_a_value_under_no_heading_a_repeated_heading_or_a_backward_target_stops(tmp_path, header, row, message,
                                                                                 value):
    path = tmp_path / "indicators.csv"
    path.write_text(f"指標,単位,方向,基準年度,基準値,目標年度,目標値,許容幅,{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(IndicatorError) as caught:
        read_indicators(path)
    line = 1 if message.startswith("同じ見出し") else 2
    assert str(caught.value).startswith(f"{path}:{line}: {message}") and caught.value.value == value


def test_a_long_list_of_measures_is_read_in_linear_time_and_said_in_ten(tmp_path):
    """One cell may name many ranges: 200 ranges of 10 measures are read at once (each No kept once, in order; a
    list kept in a list took 65 s for 100 ranges), over 10,000 measures are refused, and the error for unknown
    measures names ten of them and counts the rest."""
    from kyodo_analysis.source.indicators import read_measure_numbers

    text = "、".join(f"{first}〜{first + 9}" for first in range(1, 2001, 10))
    assert read_measure_numbers(text + "、5") == tuple(range(1, 2001))
    with pytest.raises(ValueError):
        read_measure_numbers("、".join(f"{first}〜{first + 999}" for first in range(1, 12_001, 1000)))
    path = tmp_path / "indicators.csv"
    path.write_text("指標,単位,方向,基準年度,基準値,目標年度,目標値,関連施策\nx,件,増加,平成19,1,平成24,2,1〜40\n",
                    encoding="utf-8")
    with pytest.raises(IndicatorError) as caught:
        review_plan(indicators=path)
    assert "関連施策の No.20、No.21、No.22、No.23、No.24、No.25、No.26、No.27、No.28、No.29ほか11件 は状況表にありません" in str(
        caught.value)


def test_the_table_s_own_sections_tie_an_indicator_with_a_structure_too(tmp_path):
    """By hand: the 令和 plan's 表の区分2 holds No.3 (A 交流) and No.4 (B 支援)."""
    plan_review = _reiwa_with_indicators(tmp_path, "x,件,増加,令和3,10,令和7,30,,,20\n")
    assert plan_review.indicators["groups"].tolist() == [()]
    (tmp_path / "indicators.csv").write_text("指標,単位,方向,基準年度,基準値,目標年度,目標値,表の区分,R5\n"
                                             "x,件,増加,令和3,10,令和7,30,2,20\n", encoding="utf-8")
    from .builds import REIWA

    plan_review = review_plan(REIWA, era="令和", structure=tmp_path / "structure.csv",
                              indicators=tmp_path / "indicators.csv")
    assert plan_review.indicators["groups"].tolist() == [("A 交流", "B 支援")]


def test_a_workbook_s_number_cells_are_read_as_typed(tmp_path):
    """A workbook stores 0.00001 as a number, which Python writes 1e-05: it was refused as not a number, quoting
    a value nobody typed."""
    book = openpyxl.Workbook()
    book.active.append(["指標", "単位", "方向", "基準年度", "基準値", "目標年度", "目標値", "平成22"])
    book.active.append(["濃度", "mg", "減少", "平成19", 0.00002, "平成24", 0.00001, 1e16])
    book.save(tmp_path / "indicators.xlsx")
    read = read_indicators(tmp_path / "indicators.xlsx")
    assert (read.loc[0, "baseline"], read.loc[0, "target"], read.loc[0, "values"]) == (0.00002, 0.00001, {2010: 1e16})
