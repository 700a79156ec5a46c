"""Review analytics against values counted by hand from the Kitamoto table."""

import inspect

import pandas as pd
import pytest

from kyodo_analysis import (
    LETTER_SCALE,
    AuditMarkers,
    RatingError,
    audit_consistency,
    compare_rounds,
    load_departments,
    load_measures,
    rating_counts,
    schedule_vs_status,
    summarize,
    transition_matrix,
)
from kyodo_analysis.analysis.review import review_plan
from kyodo_analysis.analysis.sentences import read_start

from .builds import FIXTURES


@pytest.fixture(scope="module")
def measures():
    return load_measures()


@pytest.fixture(scope="module")
def departments():
    return load_departments()


def _counts(row):
    return [int(row[s]) for s in ("◎", "○", "△", "×")]


def test_whole_plan(measures):
    summary = summarize(measures)
    assert list(summary.columns) == ["n", "◎", "○", "△", "×", "mean_score", "score_index",
                                     "implemented_share", "not_implemented_share"]
    row = summary.iloc[0]
    assert len(summary) == 1 and row["n"] == 19
    assert _counts(row) == [3, 8, 4, 4]
    assert row["implemented_share"] == pytest.approx(11 / 19)
    assert row["not_implemented_share"] == pytest.approx(4 / 19)
    assert row["mean_score"] == pytest.approx(29 / 19)
    assert round(row["score_index"], 1) == 50.9


def test_by_block(measures):
    summary = summarize(measures, by="block").set_index("block")
    assert _counts(summary.loc[1]) == [2, 3, 1, 1] and round(summary.loc[1, "score_index"], 1) == 61.9
    assert _counts(summary.loc[2]) == [0, 2, 2, 3] and round(summary.loc[2, "score_index"], 1) == 28.6
    assert _counts(summary.loc[3]) == [1, 3, 1, 0] and round(summary.loc[3, "score_index"], 1) == 66.7
    assert summary["score_index"].idxmin() == 2


def test_by_target_year(measures):
    summary = summarize(measures, by="target_fy").set_index("target_fy")
    assert _counts(summary.loc[2007]) == [2, 4, 1, 0] and round(summary.loc[2007, "score_index"], 1) == 71.4
    assert _counts(summary.loc[2008]) == [1, 3, 2, 0] and round(summary.loc[2008, "score_index"], 1) == 61.1
    assert _counts(summary.loc[2009]) == [0, 1, 1, 4] and round(summary.loc[2009, "score_index"], 1) == 16.7
    assert summary["×"].sum() == summary.loc[2009, "×"] == 4


def test_by_department(measures, departments):
    summary = summarize(measures, by="department", departments=departments).set_index("department")
    assert summary.loc["協働推進課", "n"] == 19
    assert summary.loc["全課", "n"] == 8 and _counts(summary.loc["全課"]) == [2, 4, 1, 1]
    assert summary.loc["産業振興課", "n"] == 4 and _counts(summary.loc["産業振興課"]) == [0, 1, 0, 3]
    assert summary.index[0] == "協働推進課"
    assert summary["n"].sum() == len(departments)


def test_by_department_needs_departments(measures):
    with pytest.raises(ValueError, match="needs departments"):
        summarize(measures, by="department")


def test_rating_counts_every_grade_in_scale_order(measures):
    counts = rating_counts(measures, by="target_fy")
    fy2007 = counts[counts["target_fy"] == 2007]
    assert fy2007["rating"].tolist() == ["◎", "○", "△", "×"]
    assert fy2007["count"].tolist() == [2, 4, 1, 0]  # × present with 0
    assert counts.groupby("target_fy")["share"].sum().round(9).eq(1).all()
    assert rating_counts(measures)["count"].tolist() == [3, 8, 4, 4]


def test_schedule_vs_status(measures):
    table = schedule_vs_status(measures).set_index("no")
    assert str(table["start_fy"].dtype) == "Int64" and str(table["lag_years"].dtype) == "Int64"
    late = table[table["category"] == "late"]
    assert late["lag_years"].to_dict() == {6: 1, 14: 1, 17: 1, 18: 2}
    assert table.index[table["category"] == "on_schedule"].tolist() == [2, 3, 15, 16]
    assert table.index[table["category"] == "not_implemented"].tolist() == [7, 8, 10, 13]
    assert table.index[table["category"] == "undetermined"].tolist() == [1, 4, 9, 11]
    # issue 23, read by hand: No.5's 平成22 starts another scheme (公募型補助金制度); its own subject,
    # 協働事業提案制度, is still 予定. No.12's 平成20 is when 協働推進課 opened; its 相談窓口 is 整備されていない.
    # No.19's 平成21 and 22 are when two committees were formed; its own subject, the マニュアル, is still 予定.
    assert table.index[table["category"] == "not_started"].tolist() == [5, 12, 19]
    assert table.loc[19, "evidence"] == "条例に施行に合わせ、マニュアルを作成する予定。"
    assert table.loc[5, "evidence"] == "協働事業提案制度については、北本市協働推進条例に規定し、条例施行後に制度を立ち上げる予定。"
    assert table.loc[12, "evidence"] == "平成20年度から協働推進課を開設したが、相談窓口を開設する体制は整備されていない。"
    assert pd.isna(table.loc[5, "start_fy"]) and pd.isna(table.loc[12, "lag_years"])
    assert table.loc[2, "start_fy"] == 2007 and table.loc[2, "lag_years"] == 0
    assert pd.isna(table.loc[1, "lag_years"]) and table.loc[1, "evidence"] == ""
    # the evidence is quoted as the table writes it: full-width brackets (issue 23 §1)
    assert table.loc[6, "evidence"].startswith("北本市ボランティアセンター（社会福祉協議会）との連絡調整を行い、")


@pytest.mark.parametrize(("direction", "status", "expected"), [
    # a year in a clause of plan or intent is not a start
    ("制度の創設", "令和4年度から制度を開始する予定であったが、令和5年度に試行した。", (2023, False)),
    ("制度の創設", "令和6年度の導入を目指し、検討中。", (None, False)),
    # a sentence saying the measure itself is not in place gives no start
    ("相談窓口の開設", "平成20年度から協働推進課を開設したが、相談窓口を開設する体制は整備されていない。", (None, True)),
    ("窓口の設置", "平成21年度に窓口を設置するには至っていない。", (None, True)),
    # the measure's own subject is read first
    ("協働事業提案制度の創設", "補助金制度を平成22年度から実施。協働事業提案制度は平成24年度に創設した。", (2012, False)),
    # the subject's katakana head noun names it too (No.19): its sentence says it is only planned
    ("職員協働推進マニュアルの作成", "平成21年度から検討委員会を組織した。条例の施行に合わせ、マニュアルを作成する予定。",
     (None, True)),
    # 検討委員会 and 検討し are done, not intent
    ("マニュアルの作成", "平成21年度から庁内検討委員会を組織し、ルールを検討した。", (2009, False)),
    # full-width digits and brackets read as their NFKC forms for matching
    ("交流会の開催", "平成２０年度から交流会（年１回）を開催。", (2008, False)),
])
def test_the_start_is_read_with_care(direction, status, expected):
    start, evidence, not_started = read_start(direction, status)
    assert (start, not_started) == expected
    assert evidence == "" or evidence in status  # quoted as written


def test_audit_flags_top_grades_that_admit_a_gap(measures):
    audit = audit_consistency(measures)
    assert list(audit.columns) == ["no", "rating", "marker", "sentence"]
    flagged = dict(zip(audit["no"], audit["marker"]))
    for no, marker in {1: "未設置", 5: "予定", 6: "進んでいない", 14: "未実施"}.items():
        assert flagged[no] == marker
    assert set(audit["rating"]) == {"○"}
    assert audit.loc[audit["no"] == 6, "sentence"].item() == "市民公益活動の情報を一元化するような取組みはまだ進んでいない。"
    # 18 names a 検討委員会 (a committee), which is no gap
    assert 18 not in flagged


def test_audit_flags_lowest_grade_that_reports_work():
    measures = pd.DataFrame({"no": [1, 2], "rating": ["×", "×"],
                             "status": ["未実施", "説明会を開催した。今後は拡充する。"]})
    audit = audit_consistency(measures)
    assert audit["no"].tolist() == [2, 2] and audit["marker"].tolist() == ["した", "開催"]


def test_audit_markers_are_configurable(measures):
    audit = audit_consistency(measures, markers=AuditMarkers(negative={"未実施": "not implemented"}, positive={}))
    assert audit["no"].tolist() == [14]


def test_off_scale_rating_names_value_and_measure(measures):
    broken = measures.assign(rating=measures["rating"].astype(object))
    broken.loc[broken["no"] == 9, "rating"] = "▲"
    for function in (summarize, rating_counts, schedule_vs_status, audit_consistency):
        with pytest.raises(RatingError, match=r"'▲'（No.9）は評価の尺度にありません（使える記号: ◎ ○ △ ×）"):
            function(broken)


def test_other_scale():
    measures = pd.DataFrame({"no": [1, 2, 3, 4], "block": [1, 1, 2, 2], "rating": ["A", "B", "D", "D"],
                             "target_fy": [2020] * 4, "status": ["令和2年度に実施。"] * 4})
    summary = summarize(measures, by="block", scale=LETTER_SCALE)
    assert list(summary.columns[2:6]) == ["A", "B", "C", "D"]
    assert summary["score_index"].round(1).tolist() == [83.3, 0.0]
    with pytest.raises(RatingError, match="使える記号: A B C D"):
        summarize(measures.assign(rating=["A", "B", "◎", "D"]), scale=LETTER_SCALE)


def test_compare_rounds_with_a_hand_made_final_review(measures):
    final = pd.read_csv(FIXTURES / "rounds" / "final_review.csv")
    changes = compare_rounds(measures, final).set_index("no")
    assert list(changes.columns) == ["rating_before", "rating_after", "change"]
    assert changes.loc[[1, 7, 8], "change"].tolist() == ["↑", "↑", "↑"]
    assert changes.loc[2, "change"] == "↓"
    assert changes.loc[13, "change"] == "dropped" and pd.isna(changes.loc[13, "rating_after"])
    assert changes.loc[20, "change"] == "new" and pd.isna(changes.loc[20, "rating_before"])
    assert (changes["change"] == "→").sum() == 14
    matrix = transition_matrix(measures, final)
    assert list(matrix.index) == list(matrix.columns) == ["◎", "○", "△", "×"]
    assert int(matrix.to_numpy().sum()) == 18
    assert matrix.loc["×", "△"] == 1 and matrix.loc["×", "○"] == 1 and matrix.loc["×", "×"] == 1
    assert matrix.loc["◎", "○"] == 1 and matrix.loc["○", "◎"] == 1
    assert matrix.loc["◎", "×"] == 0


def test_compare_rounds_rejects_duplicates():
    with pytest.raises(ValueError, match="before lists measure 1 twice"):
        compare_rounds(pd.DataFrame({"no": [1, 1], "rating": ["◎", "○"]}), pd.DataFrame({"no": [1], "rating": ["○"]}))


def test_priorities_rank_by_need(measures):
    """× first, then △ (furthest past the ○ year first), then the ◎/○ the audit flags; late-but-done are not priorities."""
    from kyodo_analysis import audit_consistency, late_but_done, load_departments, priorities

    audit = audit_consistency(measures)
    table = priorities(measures, audit=audit, departments=load_departments(), as_of=2010).set_index("no")
    # × 7, 8, 10, 13 (all 平成21年度); △ 3 (平成19), 12 and 19 (平成20), 9 (平成21); audit 1, 5, 6, 14
    assert table.index.tolist() == [7, 8, 10, 13, 3, 12, 19, 9, 1, 5, 6, 14]
    assert table["reason"].tolist() == ["low_grade"] * 8 + ["audit"] * 4
    assert table.loc[3, "target_fy"] == 2007 and table.loc[3, "years_since_target"] == 3
    assert table.loc[7, "years_since_target"] == 1
    assert table.loc[6, "evidence"] == "市民公益活動の情報を一元化するような取組みはまだ進んでいない。"
    assert table.loc[7, "evidence"] == "" and table.loc[13, "departments"] == "協働推進課・産業振興課"
    assert not set(table.index) & {2, 4, 11, 15, 16, 17, 18}
    done = late_but_done(measures, progress=schedule_vs_status(measures), audit=audit)
    assert done["no"].tolist() == [17, 18] and done["lag_years"].tolist() == [1, 2]


def test_department_roles_set_the_lead_department_and_all_departments_apart(measures, departments):
    from kyodo_analysis.analysis.summaries import department_roles

    roles = department_roles(measures, departments=departments)
    assert roles[roles != "department"].to_dict() == {"全課": "all", "協働推進課": "coordinator"}


def test_every_schedule_category_has_a_name_in_each_language(measures):
    from kyodo_analysis.analysis.progress import SCHEDULE_CATEGORIES
    from kyodo_analysis.words import CATEGORY_LABELS

    assert set(CATEGORY_LABELS["ja"]) == set(CATEGORY_LABELS["en"]) == set(SCHEDULE_CATEGORIES)
    assert set(schedule_vs_status(measures)["category"]) <= set(SCHEDULE_CATEGORIES)


@pytest.mark.parametrize("module, frames", [("summaries", 1), ("progress", 1), ("audit", 1), ("rounds", 2),
                                            ("review", 0)])
def test_analysis_functions_take_their_frames_first_and_the_rest_by_keyword(module, frames):
    """rating_counts(m, *, by, departments, scale) and summarize(m, *, by, departments, scale) alike."""
    import importlib

    namespace = importlib.import_module(f"kyodo_analysis.analysis.{module}")
    functions = [getattr(namespace, name) for name in namespace.__all__ if inspect.isfunction(getattr(namespace, name))]
    assert functions
    for function in functions:
        parameters = list(inspect.signature(function).parameters.values())
        positional = [p.name for p in parameters if p.kind is not p.KEYWORD_ONLY]
        allowed = {"measures", "before", "after", "departments", "schedule", "raw"} if frames else {"raw"}
        assert len(positional) <= max(frames, 1) and set(positional) <= allowed, (function.__name__, positional)


def test_jupyterlab_shows_a_summary_of_the_review():
    """Read by hand: 19 measures, ◎3 ○8 △4 ×4, 29 of 57 points (50.9); 基本目標 1 14/30 = 46.7, 2 15/27 = 55.6."""
    structured = review_plan(structure=FIXTURES / "kitamoto_structure.csv")
    shown = structured._repr_html_()
    for row in ("<th>計画期間</th><td>平成19年度〜平成24年度</td>", "<th>評価時点</th><td>平成22年度</td>",
                "<th>施策数</th><td>19</td>", "<th>評価の内訳</th><td>◎ 3件、○ 8件、△ 4件、× 4件</td>",
                "<th>評価点（100点換算）</th><td>50.9</td>",
                "<th>基本目標別の評価点（高い順）</th><td>2 協働の仕組みづくり 55.6、1 市民活動への支援 46.7</td>"):
        assert row in shown
    hostile = review_plan(title="<img src=x onerror=alert(1)>計画")._repr_html_()
    assert "<img" not in hostile and "&lt;img src=x onerror=alert(1)&gt;計画" in hostile
