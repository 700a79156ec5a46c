"""The review compares rounds: Kitamoto's hand-made final-year round against the bundled midterm table."""

import matplotlib

matplotlib.use("Agg")
import openpyxl  # noqa: E402
import pytest  # noqa: E402

from kyodo_analysis import review_plan
from kyodo_analysis.config import KITAMOTO_STATUS_TABLE  # noqa: E402
from kyodo_analysis.content import narrative
from kyodo_analysis.figures import draw  # noqa: E402
from kyodo_analysis.writers.workbook import write_workbook  # noqa: E402

from .builds import FIXTURES  # noqa: E402
from .sentences import KITAMOTO_ROUNDS_INDEX  # noqa: E402

# tests/fixtures/kitamoto_round2.txt: the bundled table with six grades changed (and a sentence on 平成24年度):
# up: 7 × → △, 8 × → ○, 12 △ → ○, 19 △ → ◎; down: 2 ◎ → ○, 6 ○ → △; the other 13 unchanged.
ROUND2 = FIXTURES / "kitamoto_round2.txt"


@pytest.fixture(scope="module")
def final():
    return review_plan(ROUND2, era="平成", previous=KITAMOTO_STATUS_TABLE)


def test_every_measure_s_change_counted_by_hand(final):
    changes = final.rounds.changes.set_index("no")
    assert changes["change"].value_counts().to_dict() == {"→": 13, "↑": 4, "↓": 2}
    assert changes.loc[[7, 8, 12, 19], "change"].tolist() == ["↑"] * 4
    assert changes.loc[[2, 6], "change"].tolist() == ["↓"] * 2
    assert (changes.loc[7, "rating_before"], changes.loc[7, "rating_after"]) == ("×", "△")
    assert changes.loc[7, "direction"] == "企業との連携"
    matrix = final.rounds.transitions
    assert matrix.loc["◎", "◎"] == 2 and matrix.loc["◎", "○"] == 1  # 4 and 15 kept ◎; 2 fell
    assert matrix.loc["×", "×"] == 2 and matrix.loc["×", "△"] == 1 and matrix.loc["×", "○"] == 1
    assert int(matrix.to_numpy().sum()) == 19


def test_summaries_of_both_rounds_side_by_side(final):
    overall = final.rounds.overall.iloc[0]
    assert round(overall["score_index_before"], 1) == 50.9  # 29 of 57 points
    assert round(overall["score_index_after"], 1) == 57.9  # 33 of 57: +1 +2 +1 +2 -1 -1
    sections = final.rounds.by_level["block"].set_index("block")
    assert round(sections.loc[2, "score_index_before"], 1) == 28.6 and round(sections.loc[2, "score_index_after"], 1) == 42.9
    departments = final.rounds.by_department.set_index("department")
    assert round(departments.loc["産業振興課", "score_index_before"], 1) == 16.7  # 7 × 8 × 13 × 14 ○: 2 of 12
    assert round(departments.loc["産業振興課", "score_index_after"], 1) == 41.7  # 7 △ 8 ○: 5 of 12


def test_the_narrative_names_the_changes(final):
    text = narrative.section("changes", final)
    assert text.startswith("### （6）前回からの変化\n")  # the sixth section of 3 全体の評価
    assert "評価が上がった施策は4件、下がった施策は2件、変わらない施策は13件" in text
    assert KITAMOTO_ROUNDS_INDEX in text
    assert "- No.7「企業との連携」：×（未実施） → △（一部実施）" in text
    assert "- No.2「市民公益活動団体フェア等の開催」：◎（達成） → ○（概ね達成）" in text
    assert "### （6）前回からの変化" in narrative.midterm_review(final)


def test_without_a_previous_round_nothing_changes():
    plan_review = review_plan()
    assert plan_review.rounds is None and draw.rating_transitions(plan_review) is None
    assert "前回" not in narrative.midterm_review(plan_review)
    assert "changes" not in narrative.section_keys(plan_review)


def test_the_workbook_and_the_figure_carry_the_comparison(final, tmp_path):
    book = openpyxl.load_workbook(write_workbook(final, tmp_path / "book.xlsx"))
    assert book.sheetnames[-3:] == ["前回からの変化", "前回比（表の区分別）", "前回比（推進課別）"]
    assert [cell.value for cell in book["前回からの変化"][1]][:6] == ["No", "施策の方向性", "推進課", "前回の評価",
                                                                  "今回の評価", "変化"]
    ax = draw.rating_transitions(final)
    assert [t.get_text() for t in ax.texts] == ["2", "1", "0", "0", "0", "7", "1", "0", "1", "1", "2", "0",
                                                "0", "1", "1", "2"]


def test_a_start_named_in_the_earlier_round_stands(tmp_path):
    """Round 1 says No.3 opened its corner in 平成19年度 (its target); a final round that rewords the status to
    name only 平成24年度 does not make it five years late (issue 23 §2)."""
    text = KITAMOTO_STATUS_TABLE.read_text(encoding="utf-8")
    first = "平成 19 年度にコミュニティセンター内に暫定的措置として市民公益活動支援コーナーを開設した。"
    assert first in text
    reworded = tmp_path / "final.txt"
    reworded.write_text(text.replace(first, "平成24年度に庁舎内に市民公益活動支援コーナーを移設した。"), encoding="utf-8")
    alone = review_plan(reworded, era="平成").progress.set_index("no").loc[3]
    assert (alone["start_fy"], alone["lag_years"], alone["category"]) == (2012, 5, "late")
    kept = review_plan(reworded, era="平成", previous=KITAMOTO_STATUS_TABLE).progress.set_index("no").loc[3]
    assert (kept["start_fy"], kept["lag_years"], kept["category"]) == (2007, 0, "on_schedule")
    assert kept["evidence"] == "前回の記述：平成19年度にコミュニティセンター内に暫定的措置として市民公益活動支援コーナーを開設した。"


def test_a_review_as_of_the_plan_s_last_year_is_a_final_review(final):
    """Round 2 names 平成24年度, the plan's last year: a final review (issue 23 §3), with the earlier round named by
    its year (平成22年度, the latest year round 1's statuses name) rather than by repeating the plan's title."""
    import datetime

    from kyodo_analysis.content.document import review_document
    from kyodo_analysis.run.report import document_names

    assert (final.as_of, final.kind) == (2012, "final") and review_plan().kind == "midterm"
    assert narrative.section("priorities", final).startswith("## 5\u3000今後の課題と方向性\n\n計画期間の終了後に向けて")
    assert "後半期" not in narrative.midterm_review(final)
    assert "前回（平成22年度時点）と比べると、両方の回にある施策19件のうち" in narrative.section("changes", final)
    document = review_document(final, figures=[], generated=datetime.date(2013, 4, 1))
    assert document.heading == "最終評価報告書"
    assert [table.caption for table in document.tables][-2:] == ["表3 前回からの変化", "表4 次期計画に向けた課題"]
    assert document_names(final.kind) == ("最終評価報告書.docx", "最終評価報告書.pdf")


def test_the_workbook_names_a_dropped_measure_in_japanese(tmp_path):
    """Round 2 without No.19: its change is 削除 in the workbook, never the code ``dropped`` (issue 23 §4)."""
    lines = ROUND2.read_text(encoding="utf-8").split("\n")
    assert sum(line.startswith("19\t") for line in lines) == 1
    shorter = tmp_path / "round2_without_19.txt"
    shorter.write_text("\n".join(line for line in lines if not line.startswith("19\t")), encoding="utf-8")
    plan_review = review_plan(shorter, era="平成", previous=KITAMOTO_STATUS_TABLE)
    assert plan_review.rounds.dropped == (19,)
    book = openpyxl.load_workbook(write_workbook(plan_review, tmp_path / "review.xlsx"))
    values = [cell.value for row in book["前回からの変化"].iter_rows() for cell in row]
    assert "削除" in values and "dropped" not in values and "new" not in values
