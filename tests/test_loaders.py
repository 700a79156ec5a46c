"""Hand-checked facts of the Kitamoto table, and the processed CSVs."""

import re

import pandas as pd
import pytest

from kyodo_analysis import StatusTableError, find_fiscal_years, load_departments, load_measures, load_schedule
from kyodo_analysis.config import CODEBOOK, DATA_PROCESSED
from kyodo_analysis.source.loaders import COLUMNS, read_processed, write_processed
from kyodo_analysis.validation import ArgumentError
from kyodo_analysis.writers.codebook import write_codebook


@pytest.fixture(scope="module")
def measures():
    return load_measures()


def test_measure_columns_and_dtypes(measures):
    assert list(measures.columns) == [c.name for c in COLUMNS["measures"]]
    assert {c: str(t) for c, t in measures.dtypes.items()} == {
        "no": "int64", "block": "int64", "direction": "str", "content": "str", "target_fy": "int64",
        "continuing": "bool", "status": "str", "rating": "category", "score": "int64", "direction_normalized": "str",
        "content_normalized": "str", "status_normalized": "str",
    }
    assert list(measures["rating"].cat.categories) == ["×", "△", "○", "◎"]
    assert measures["rating"].cat.ordered


def test_nineteen_measures_in_blocks_of_7_7_5(measures):
    assert measures["no"].tolist() == list(range(1, 20))
    assert measures.groupby("block").size().to_dict() == {1: 7, 2: 7, 3: 5}


def test_ratings(measures):
    assert measures["rating"].value_counts().to_dict() == {"○": 8, "◎": 3, "△": 4, "×": 4}
    assert measures["score"].sum() == 3 * 3 + 8 * 2 + 4 * 1
    assert measures.set_index("no").loc[[2, 7, 12], "rating"].tolist() == ["◎", "×", "△"]


def test_target_years(measures):
    by_year = measures.groupby("target_fy")["no"].apply(list).to_dict()
    assert by_year == {
        2007: [2, 3, 4, 6, 14, 17, 18],
        2008: [1, 5, 12, 15, 16, 19],
        2009: [7, 8, 9, 10, 11, 13],
    }


def test_continuing(measures):
    assert measures.loc[measures["continuing"], "no"].tolist() == list(range(8, 15))


def test_schedule_marks():
    schedule = load_schedule()
    assert list(schedule.columns) == ["no", "fy", "mark"]
    assert schedule[schedule["no"] == 8].to_numpy().tolist() == [[8, 2009, "○"], [8, 2010, "→"]]
    assert schedule[schedule["no"] == 14].to_numpy().tolist() == [[14, 2007, "○"], [14, 2008, "→"]]
    assert len(schedule) == 19 + 7


def test_departments():
    departments = load_departments()
    per_measure = departments.groupby("no")["department"].apply(list)
    assert per_measure[8] == ["協働推進課", "産業振興課", "生涯学習課"]
    assert per_measure[16] == ["政策推進課", "協働推進課", "全課"]
    assert per_measure[1] == ["秘書広報課", "協働推進課"]
    counts = departments["department"].value_counts()
    assert counts["協働推進課"] == 19
    assert counts["全課"] == 8
    assert counts["産業振興課"] == 4
    assert departments.loc[departments["department"] == "産業振興課", "no"].tolist() == [7, 8, 13, 14]
    assert departments[departments["no"] == 16]["position"].tolist() == [1, 2, 3]


def test_text_is_as_written_beside_its_normalized_form(measures):
    by_no = measures.set_index("no")
    status = by_no.loc[2, "status"]
    assert status.startswith("平成19年度から平成21年度の3年間")
    assert find_fiscal_years(status) == [2007, 2009]
    assert by_no.loc[13, "direction"] == "NPO/SOHO オフィスの設置"
    assert by_no.loc[17, "status"] == "平成20年度から年に1回自治基本条例または協働推進に関する職員研修を実施。"
    # the table's full-width brackets are shown as written (issue 23 §1); NFKC is only for matching
    assert by_no.loc[6, "status"].startswith("北本市ボランティアセンター（社会福祉協議会）との連絡調整")
    assert by_no.loc[19, "status"].endswith("北本市協働推進条例（案）を作成した。条例に施行に合わせ、マニュアルを作成する予定。")
    assert by_no.loc[6, "status_normalized"].startswith("北本市ボランティアセンター(社会福祉協議会)との連絡調整")
    assert by_no.loc[19, "status_normalized"].endswith("北本市協働推進条例(案)を作成した。条例に施行に合わせ、マニュアルを作成する予定。")
    unchanged = by_no.drop(index=[6, 19])
    assert (unchanged["status"] == unchanged["status_normalized"]).all()
    assert (by_no["direction"] == by_no["direction_normalized"]).all()


def test_processed_csvs_round_trip(tmp_path):
    write_processed(tmp_path)
    tables = read_processed(tmp_path)
    for name, loader in (("measures", load_measures), ("schedule", load_schedule), ("departments", load_departments)):
        pd.testing.assert_frame_equal(tables[name], loader())


def test_committed_processed_data_is_current(tmp_path):
    """`make data` output in git must match what the code builds now, byte for byte."""
    for path in write_processed(tmp_path):
        assert path.read_bytes() == (DATA_PROCESSED / path.name).read_bytes(), path.name
    assert b"\r" not in (tmp_path / "measures.csv").read_bytes()
    codebook = write_codebook(tmp_path / "README.md")
    assert codebook.read_bytes() == CODEBOOK.read_bytes()


def test_codebook_states_assumed_rating_meanings():
    text = CODEBOOK.read_text(encoding="utf-8")
    for line in ("| ◎ | 3 | 達成 | achieved |", "| ○ | 2 | 概ね達成 | largely implemented |",
                 "| △ | 1 | 一部実施 | partly implemented |", "| × | 0 | 未実施 | not implemented |"):
        assert line in text
    assert "原表には評価の凡例がありません。次の意味と仮定しています" in text
    for columns in COLUMNS.values():
        for column in columns:
            assert f"| `{column.name}` | {column.dtype} |" in text


def test_processed_folder_rejects_bad_rating(tmp_path):
    write_processed(tmp_path)
    path = tmp_path / "measures.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[3].count(",△,1,") == 1  # No.3 is rated △
    lines[3] = lines[3].replace(",△,1,", ",▲,1,")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(StatusTableError, match=r"measures\.csv:4: 列 'rating' の値は category のはずです（'▲'）"):
        read_processed(tmp_path)


def test_processed_folder_rejects_score_that_disagrees(tmp_path):
    write_processed(tmp_path)
    path = tmp_path / "measures.csv"
    text = path.read_text(encoding="utf-8").replace("未設置。,○,2", "未設置。,○,3")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StatusTableError, match=r"measures\.csv:2: 得点が評価 ○ と合いません（3）"):
        read_processed(tmp_path)


def test_processed_folder_missing_table(tmp_path):
    with pytest.raises(StatusTableError, match=r"schedule\.csv: 整理済みの表がありません"):
        read_processed(tmp_path, tables=["schedule"])


def test_a_folder_given_as_a_table_points_to_read_processed(tmp_path):
    write_processed(tmp_path)
    with pytest.raises(ArgumentError, match=rf"^{re.escape(str(tmp_path))}: フォルダです。.*read_processed"):
        load_measures(tmp_path)
    assert read_processed(tmp_path)["measures"]["no"].tolist() == list(range(1, 20))  # Kitamoto's 19 measures
