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
    rows = list(openpyxl.load_workbook(out / "kyodo_review.xlsx")["指標"].iter_rows(values_only=True))
    assert [(row[0], row[-2]) for row in rows[1:]] == [("交流イベントの参加者数", "A"), ("空き店舗の数", "B")]
    page = re.sub(r"<[^>]+>", "", (out / "10_midterm_review.html").read_text(encoding="utf-8"))
    assert "成果指標2件を、水準の基準で令和6年度時点の実績値" in page


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
