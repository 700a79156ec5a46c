"""Every common way of writing a header's years: bare era years, era names, era initials, Western years."""

import pandas as pd
import pytest

from kyodo_analysis import StatusTableError, load_departments, load_measures, load_plan, load_schedule, review_plan
from kyodo_analysis.config import KITAMOTO_STATUS_TABLE
from kyodo_analysis.content import narrative
from kyodo_analysis.era import find_fiscal_years
from kyodo_analysis.source.parsing import parse_status_table, read_status_table
from kyodo_analysis.testing.synthetic import HEADER_STYLES, Messiness, generate_measures, render_status_table

from .builds import FIXTURES

ERA_SPANNING = FIXTURES / "era_spanning.txt"  # 平成30 令和元 2 3 4 = FY2018-2022, read by hand below


def _frames(path, era=None):
    return [load(path, era=era) for load in (load_measures, load_schedule, load_departments)]


@pytest.mark.parametrize("era, first_year, styles", [
    ("令和", 2, HEADER_STYLES),  # one era: the bare numbers need --era 令和
    ("平成", 30, ("era", "initial", "western")),  # 平成30-令和4: no bare form exists (平成32 never was)
])
def test_a_plan_loads_to_identical_frames_whatever_its_header_says(tmp_path, era, first_year, styles):
    measures = generate_measures(40, n_blocks=3, era=era, first_year=first_year, n_years=5, seed=4)
    frames = {}
    for style in styles:
        path = tmp_path / f"{style}.txt"
        path.write_text(render_status_table(measures, era=era, first_year=first_year, n_years=5, messy=Messiness(),
                                            header=style, seed=4), encoding="utf-8")
        frames[style] = _frames(path, era=era if style == "bare" else None)
    first, *others = styles
    for style in others:
        for got, expected in zip(frames[style], frames[first]):
            pd.testing.assert_frame_equal(got, expected)
    header_years = {"令和": range(2020, 2025), "平成": range(2018, 2023)}[era]  # 令和2-6; 平成30-令和4
    assert set(frames[first][1]["fy"]) <= set(header_years)


def test_a_hand_checked_era_spanning_table():
    measures = load_measures(ERA_SPANNING).set_index("no")
    assert measures["target_fy"].to_dict() == {1: 2018, 2: 2019, 3: 2020, 4: 2021, 5: 2022}
    schedule = load_schedule(ERA_SPANNING)
    assert schedule.loc[schedule["no"] == 4, "fy"].tolist() == [2021, 2022]
    plan = load_plan(ERA_SPANNING).iloc[0]
    assert (plan["era"], plan["first_fy"], plan["last_fy"]) == ("平成・令和", 2018, 2022)
    # statuses: 平成 30 年度 (spaced), 令和二年度 (kanji), 2021 年度 (Western), R4年度 (initial)
    firsts = review_plan(ERA_SPANNING).progress.set_index("no")["start_fy"]
    assert [firsts[no] for no in (1, 2, 3, 4)] == [2018, 2020, 2021, 2022] and pd.isna(firsts[5])
    text = narrative.headline(review_plan(ERA_SPANNING))
    assert "計画期間 平成30年度〜令和4年度" in text


def test_a_western_table_is_labelled_in_western_years(tmp_path):
    measures = generate_measures(12, n_blocks=2, era="平成", first_year=30, n_years=5, western=True, seed=1)
    path = tmp_path / "western.txt"
    path.write_text(render_status_table(measures, era="平成", first_year=30, n_years=5, header="western"),
                    encoding="utf-8")
    plan_review = review_plan(path)
    assert plan_review.western and plan_review.era == "西暦"
    assert (plan_review.first_fy, plan_review.last_fy) == (2018, 2022)
    text = narrative.midterm_review(plan_review)
    assert "計画期間：2018年度〜2022年度" in text and "平成" not in text and "令和" not in text


def test_status_years_in_every_form():
    text = "平成 30 年度に検討、令和二年度に試行、2021 年度から実施、R4年度に拡充。平成二十二年度の計画、H19年度の事業。"
    assert find_fiscal_years(text) == [2007, 2010, 2018, 2020, 2021, 2022]
    assert find_fiscal_years("3年間で20年度ごとに") == []  # a duration and a bare number are no fiscal years


def _header(cells: str) -> str:
    return ("No\t方向\t内容\t年度\t\t\t推進課\t状況\t評価\n\t\t\t" + cells + "\n"
            "1\t窓口\t窓口を開設\t○\t→\t\t協働推進課\t開設した。\t◎\n")


@pytest.mark.parametrize("cells, era, message", [
    ("30\t31\t32", None, ":2: 数字だけの年度見出しには元号が必要です。--era（era=）で元号を指定するか、見出しに元号を書いてください（平成19）（'30'）"),
    ("平成30\t令和元\t2", "令和", ":2: 年度見出しは平成で書かれていますが、指定された元号は令和です"),
    ("2018\t2019\t2020", "令和", ":2: 年度見出しは西暦で書かれていますが、指定された元号は令和です"),
    ("2018\t2019\t3", None, ":2: 西暦の年度の後に数字だけの年度があります"),
    ("平成31\t32\t33", None, ":2: 年度見出しの 32 は平成ではありえません（平成は31年で終わりました）"),
    ("平成30\t令和2\t3", None, ":2: 年度見出しが連続した年度になっていません（書かれた値 '平成30 令和2 3'、読み取り '2018 2020 2021'）"),
    ("H30\t令和\t2", None, ":2: 年度見出しの行（4列目から）を読めません"),
])
def test_header_errors_name_the_line_and_the_value(cells, era, message):
    with pytest.raises(StatusTableError) as caught:
        parse_status_table(_header(cells), era=era)
    assert message in str(caught.value)


@pytest.mark.parametrize("cells, era, expected", [
    ("平成30\t令和元\t2", None, [2018, 2019, 2020]),
    ("H30\tR元\tR2", None, [2018, 2019, 2020]),
    ("30\t令和元\t2", "平成", [2018, 2019, 2020]),  # bare numbers before the first era name take --era
    ("平成30\t令和元\t2", "平成", [2018, 2019, 2020]),  # --era agrees with the header's first era
    ("2018年度\t2019年度\t2020年度", None, [2018, 2019, 2020]),
    ("ｈ３０\tｒ１\tｒ２", None, None),  # lower-case initials are no era initials
])
def test_header_forms(cells, era, expected):
    if expected is None:
        with pytest.raises(StatusTableError):
            parse_status_table(_header(cells), era=era)
        return
    assert list(parse_status_table(_header(cells), era=era).fiscal_years) == expected


def _bare_years(cells: str, status: str) -> str:
    return ("No\t方向\t内容\t年度\t\t\t推進課\t状況\t評価\n\t\t\t" + cells + "\n"
            f"1\t窓口\t窓口を開設\t○\t→\t\t協働推進課\t{status}\t◎\n")


@pytest.mark.parametrize("cells, status, era, years", [
    ("20\t21\t22", "平成21年度に開設した。", "平成", [2008, 2009, 2010]),
    ("3\t4\t5", "令和 4 年度に開設し、R5年度に拡充した。", "令和", [2021, 2022, 2023]),
])
def test_bare_header_years_take_the_one_era_the_statuses_name(cells, status, era, years):
    table = parse_status_table(_bare_years(cells, status))
    assert (table.era, list(table.fiscal_years)) == (era, years)
    [note] = [note for note in table.notes if note.kind == "era_inferred"]
    assert (note.line, note.field, note.before) == (2, "年度見出し", cells.split("\t")[0])
    assert note.after == f"元号は施策実施状況の記述（{era}）から推定した"


@pytest.mark.parametrize("cells, status", [
    ("20\t21\t22", "開設した。"),  # no era named
    ("20\t21\t22", "平成21年度に準備し、令和2年度に開設した。"),  # two eras
    ("3\t4\t5", "平成30年度の前計画を引き継いだ。"),  # 平成3-5 (1991-1993) is not the period the status speaks of
    ("32\t33\t34", "平成31年度に開設した。"),  # 平成 ended in its year 31
])
def test_an_unclear_era_still_needs_era(cells, status):
    with pytest.raises(StatusTableError, match="数字だけの年度見出しには元号が必要です"):
        parse_status_table(_bare_years(cells, status))


def test_the_bundled_table_by_its_own_path_needs_no_era():
    """Its header is 19 … 24 and its statuses name 平成 only (平成19年度 … 平成22年度)."""
    measures = load_measures(KITAMOTO_STATUS_TABLE)
    assert len(measures) == 19 and sorted(measures["target_fy"].unique()) == [2007, 2008, 2009]
    table = read_status_table(KITAMOTO_STATUS_TABLE)
    assert table.era == "平成" and (table.fiscal_years[0], table.fiscal_years[-1]) == (2007, 2012)
    assert [(note.line, note.kind) for note in table.notes if note.kind == "era_inferred"] == [(6, "era_inferred")]
