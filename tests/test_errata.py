"""The table's own typos are quoted as written and marked （原文ママ） (issue 23 §5b), from an errata file a person
writes; the tidy data keeps the table's text unmarked."""

import pytest

from kyodo_analysis import load_measures, review_plan
from kyodo_analysis.cli.report import main
from kyodo_analysis.content import narrative
from kyodo_analysis.content.document import review_document
from kyodo_analysis.source.errata import ErrataError, read_errata

from .builds import REIWA

#: By hand: No.19's status writes 「条例に施行に合わせ」 for 「条例の施行に合わせ」 (data/raw/kitamoto_kyodo_status_errata.csv).
NO19_MARKED = "「条例に施行に合わせ（原文ママ）、マニュアルを作成する予定。」"


def test_kitamoto_quotes_its_typo_as_written_and_marked():
    plan_review = review_plan()
    assert NO19_MARKED in narrative.section("plan_vs_actual", plan_review, heading=False)
    status = plan_review.measures.set_index("no").loc[19, "status"]
    assert status.endswith("条例（案）を作成した。条例に施行に合わせ（原文ママ）、マニュアルを作成する予定。")
    assert status.count("（原文ママ）") == 1
    document = review_document(plan_review, figures=[], generated=__import__("datetime").date(2026, 11, 27))
    appendix = {row[0]: row for row in document.appendix.rows}
    assert "条例に施行に合わせ（原文ママ）" in appendix["19"][-1]
    # the tidy data is the table as written: no mark
    assert "原文ママ" not in load_measures().set_index("no").loc[19, "status"]


def test_another_table_is_marked_only_with_its_own_errata(tmp_path):
    assert "原文ママ" not in narrative.midterm_review(review_plan(REIWA, era="令和"))
    errata = tmp_path / "errata.csv"
    errata.write_text("No,欄,原文,正しくは\n4,施策実施状況,参加者は少ない,参加者が少ない\n2,施策の方向性,情報紙,情報誌\n",
                      encoding="utf-8")
    plan_review = review_plan(REIWA, era="令和", errata=errata)
    measures = plan_review.measures.set_index("no")
    assert measures.loc[4, "status"] == "令和5年度から研修を実施したが、参加者は少ない（原文ママ）。"
    assert measures.loc[2, "direction"] == "情報紙（原文ママ）の発行"
    assert "No.2「情報紙（原文ママ）の発行」" in narrative.midterm_review(plan_review)


@pytest.mark.parametrize(("text", "message"), [
    ("No,原文\n19,条例\n", ":1: 見出しに 欄 の列がありません（あった列: No・原文）"),
    ("No,欄,原文\n20,施策実施状況,条例\n", ":2: No が表の施策番号ではありません（'20'）"),
    ("No,欄,原文\n19,状況,条例\n", ":2: 欄は 施策の方向性・内容・施策実施状況 のどれかにしてください（'状況'）"),
    # copied from the table as written: NFKC's (案) is not the table's （案）
    ("No,欄,原文\n\n19,施策実施状況,条例(案)\n", ":3: 原文が No.19 の施策実施状況にありません（表に書かれたとおりに写してください）"
                                              "（'条例(案)'）"),
])
def test_an_errata_file_that_does_not_match_the_table_is_refused_naming_the_line(tmp_path, text, message):
    path = tmp_path / "errata.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ErrataError) as caught:
        read_errata(path, load_measures())
    assert str(caught.value) == f"{path}{message}"


def test_the_report_refuses_a_bad_errata_file_before_any_notebook(tmp_path, capsys):
    path = tmp_path / "errata.csv"
    path.write_text("No,欄,原文\n19,施策実施状況,ない言葉\n", encoding="utf-8")
    assert main(["--errata", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}:2: 原文が No.19 の施策実施状況にありません" in err
    assert not (tmp_path / "out").exists()
