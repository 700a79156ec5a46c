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


@pytest.mark.slow
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


@pytest.mark.slow
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


# --- several rounds: the 推移 (issue 25 §2) ---------------------------------------------------------------------

#: A middle round of Kitamoto, made by hand from the bundled table (tests/fixtures/kitamoto_round_h23.txt): as of
#: 平成23年度, No.7 × → △ (交流会を開始) and No.12 △ → ○ (相談窓口を開設); every other row as in 平成22年度.
KITAMOTO_H23 = FIXTURES / "kitamoto_round_h23.txt"


@pytest.fixture(scope="module")
def three_rounds():
    return review_plan(FIXTURES / "kitamoto_round2.txt", era="平成",
                       previous=[KITAMOTO_STATUS_TABLE, KITAMOTO_H23])


def test_three_rounds_follow_every_measure_and_the_score_index(three_rounds):
    history = three_rounds.history
    assert history.as_of == (2010, 2011, 2012)
    # by hand: 29, 31 and 33 points of 57 (◎ 3 ○ 2 △ 1 × 0): 50.9 → 54.4 → 57.9
    assert [round(value, 1) for value in history.score_index.iloc[0][history.columns]] == [50.9, 54.4, 57.9]
    # 表の区分2 (No.8-14): 6, 7 (No.12 △ → ○) and 9 points of 21
    block2 = history.score_index.set_index("group").loc["2", history.columns]
    assert [round(value, 1) for value in block2] == [28.6, 33.3, 42.9]
    grades = history.grades.set_index("no")
    assert [str(grades.loc[7, column]) for column in history.columns] == ["×", "△", "△"]
    assert [str(grades.loc[12, column]) for column in history.columns] == ["△", "○", "○"]
    # over the whole span, 平成22 against 平成24: up No.7, 8, 12 and 19; down No.2 (◎ → ○) and No.6 (○ → △)
    assert (history.rose, history.fell) == ((7, 8, 12, 19), (2, 6))
    assert three_rounds.rounds.previous_as_of == 2011  # the ↑→↓ view compares with the latest earlier round


def test_two_rounds_keep_the_one_comparison_and_no_history(final):
    assert final.rounds is not None and final.history is None
    assert "history" not in narrative.section_keys(final)


@pytest.mark.slow
def test_the_history_in_the_text_the_documents_and_the_workbook(three_rounds, tmp_path):
    import datetime

    from kyodo_analysis.content.document import review_document

    text = narrative.section("history", three_rounds)
    assert text.startswith("### （7）評価の推移\n\n")  # after （6）前回からの変化, in 3 全体の評価
    assert ("3回の評価（平成22年度時点、平成23年度時点、平成24年度時点）を比べると、計画全体の評価点は50.9→54.4→57.9と"
            "推移した。最初の回（平成22年度時点）と比べて評価が上がった施策は4件（No.7、No.8、No.12、No.19）、"
            "下がった施策は2件（No.2、No.6）である") in text
    document = review_document(three_rounds, figures=[], generated=datetime.date(2013, 4, 1))
    [table] = [table for table in document.tables if table.section == "history"]
    assert table.caption == "表4 評価点の推移"
    assert table.columns == ("表の区分", "平成22年度時点", "平成23年度時点", "平成24年度時点")
    assert table.rows[0] == ("計画全体", "50.9", "54.4", "57.9")
    book = openpyxl.load_workbook(write_workbook(three_rounds, tmp_path / "review.xlsx"))
    rows = list(book["推移"].iter_rows(values_only=True))
    assert rows[0] == ("No", "施策の方向性", "推進課", "平成22年度時点", "平成23年度時点", "平成24年度時点")
    assert rows[12][:1] + rows[12][3:] == (12, "△", "○", "○")
    assert "推移（評価点）" in book.sheetnames


def test_the_rounds_come_oldest_first_from_the_command_line(tmp_path, capsys):
    from kyodo_analysis.cli.report import main

    # another plan among the earlier rounds is refused before anything runs, naming it
    assert main(["--raw", str(FIXTURES / "kitamoto_round2.txt"), "--era", "平成", "--previous",
                 str(KITAMOTO_STATUS_TABLE), "--previous", str(FIXTURES / "reiwa_plan.txt"),
                 "--out", str(tmp_path / "out")]) == 2
    assert "reiwa_plan.txt" in capsys.readouterr().err and not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_strip_per_measure_shows_its_grade_in_every_round(three_rounds, final, tmp_path):
    import datetime

    from kyodo_analysis.content.catalog import review_figures
    from kyodo_analysis.content.document import review_document

    ax = draw.rating_history(three_rounds)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["平成22年度時点", "平成23年度時点", "平成24年度時点"]
    assert [label.get_text() for label in ax.get_xticklabels()] == [str(no) for no in range(1, 20)]
    written = {(round(text.get_position()[1]), round(text.get_position()[0]) + 1): text.get_text()
               for text in ax.texts}  # (round, No) → grade
    assert [written[(row, 7)] for row in range(3)] == ["×", "△", "△"]  # by hand, as the fixtures write them
    assert [written[(row, 19)] for row in range(3)] == ["△", "△", "◎"]
    assert "rating_history" not in [figure.kind for figure in review_figures(final)]  # two rounds: none
    figure = tmp_path / "rating_history.png"  # the document only places it
    figure.write_bytes(b"")
    document = review_document(three_rounds, figures=[figure], generated=datetime.date(2013, 4, 1))
    assert [(item.caption, item.section) for item in document.figures] == [("図1 施策ごとの評価の推移", "history")]
