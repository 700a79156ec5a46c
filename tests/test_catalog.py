"""The catalog of a review's contents: one list of tables and figures that every writer and notebook loops over."""

import openpyxl
import pytest

from kyodo_analysis import review_plan
from kyodo_analysis.config import FIGURES
from kyodo_analysis.content.catalog import FIGURE_KINDS, review_contents
from kyodo_analysis.writers.workbook import write_workbook

from .builds import REIWA, REIWA_PREVIOUS, REIWA_STRUCTURE


@pytest.fixture(scope="module")
def reiwa_rounds(tmp_path_factory):
    structure = tmp_path_factory.mktemp("structure") / "structure.csv"
    structure.write_text(REIWA_STRUCTURE, encoding="utf-8")
    return review_plan(REIWA, era="令和", structure=structure, previous=REIWA_PREVIOUS)


def test_kitamoto_s_figures_are_the_catalog_s_and_in_reading_order():
    contents = review_contents(review_plan())
    # the tracked figures/ holds what the notebooks saved: the catalog names each of them, and nothing more
    assert {figure.name for figure in contents.figures} == {path.stem for path in FIGURES.glob("*.png")}
    # the table has sections (表の区分), no structure and no previous round: 8 figures, transitions left out
    assert [figure.name for figure in contents.figures] == [
        "rating_distribution", "ratings_by_block", "score_index_by_block", "ratings_by_target_year",
        "score_index_by_target_year", "ratings_by_department", "plan_vs_actual_timeline",
        "department_measure_matrix"]
    assert contents.figure("department_measure_matrix_p02").caption == "推進課別・施策別の評価"


def test_a_structured_plan_with_a_previous_round_gets_a_figure_per_level_and_the_transitions(reiwa_rounds):
    contents = review_contents(reiwa_rounds)
    names = [figure.name for figure in contents.figures]
    # the hand-made structure has one level, 基本目標: level1; a previous round adds the transitions, last
    assert names[1:3] == ["ratings_by_level1", "score_index_by_level1"] and names[-1] == "rating_transitions"
    assert contents.figure("ratings_by_level1").caption == "基本目標別の評価"
    # two rounds and no indicators: no history, no progress of indicators
    assert {figure.kind for figure in contents.figures} == set(FIGURE_KINDS) - {
        "rating_history", "indicator_progress", "indicator_grades_by_group"}


@pytest.mark.slow
def test_the_workbook_has_one_sheet_per_catalog_table_in_its_order(reiwa_rounds, tmp_path):
    contents = review_contents(reiwa_rounds)
    book = openpyxl.load_workbook(write_workbook(reiwa_rounds, tmp_path / "review.xlsx"), read_only=True)
    sheets = [table.sheet for table in contents.tables if table.sheet is not None]
    assert book.sheetnames == ["説明", *sheets]
    # the previous round's sheets come last; the one level of the structure has its own sheet
    assert sheets == ["施策", "実施目標年度", "推進課", "基本目標別", "目標年度別", "推進課別", "計画と実績",
                      "整合性チェック", "重点施策", "前回からの変化", "前回比（基本目標別）", "前回比（推進課別）"]


def test_the_documents_print_the_captioned_tables_in_reading_order(reiwa_rounds):
    printed = [table.caption for table in review_contents(reiwa_rounds).tables if table.caption is not None]
    assert printed == ["評価の内訳", "基本目標別の状況", "評価と記述の整合性", "後半期の重点施策", "前回からの変化"]


def test_an_unknown_figure_is_named_in_the_error():
    with pytest.raises(KeyError, match="no figure 'ratings_by_level9'"):
        review_contents(review_plan()).figure("ratings_by_level9")
