"""The plan's own structure file: read in CSV (UTF-8, BOM, CP932) or xlsx, checked against the table."""

import subprocess
import sys

import openpyxl
import pytest

from kyodo_analysis import review_plan
from kyodo_analysis.cli.report import main
from kyodo_analysis.content import narrative
from kyodo_analysis.source.structure import StructureError, read_structure

from .builds import FIXTURES, REIWA_STRUCTURE
from .sentences import REIWA_BEST_GOAL, REIWA_GOALS, REIWA_GOALS_COMPARED

NUMBERS = list(range(1, 9))  # the 令和 plan's measures
REIWA = FIXTURES / "reiwa_plan.txt"
# 8 measures: 1 ◎ 2 ○ 3 ○ | 4 △ 5 × 6 × 7 △ 8 ○ (read by hand from reiwa_plan.txt)
GOOD = REIWA_STRUCTURE


def _file(tmp_path, text, name="structure.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_each_encoding(tmp_path, encoding):
    table = read_structure(_file(tmp_path, GOOD, encoding=encoding), measure_numbers=NUMBERS)
    assert list(table.columns) == ["no", "基本目標"]
    assert table["基本目標"].tolist() == ["A 交流"] * 3 + ["B 支援"] * 5


def test_xlsx_first_sheet(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["No", "基本目標", "基本方針"])
    for no in NUMBERS:
        sheet.append([no, "A" if no <= 3 else "B", f"{'A' if no <= 3 else 'B'}-{1 + no % 2}"])
    book.save(tmp_path / "structure.xlsx")
    table = read_structure(tmp_path / "structure.xlsx", measure_numbers=NUMBERS)
    assert list(table.columns) == ["no", "基本目標", "基本方針"] and table.loc[0, "基本方針"] == "A-2"


@pytest.mark.parametrize("text, message", [
    (GOOD + "25,B 支援\n", "structure.csv:10: No が表にない施策です（25）"),
    (GOOD.replace("8,B 支援\n", ""), "structure.csv: 表の施策のうち、このファイルにないもの: 8（8）"),
    (GOOD.replace("8,B 支援\n", "7,B 支援\n"), "structure.csv:9: No が重複しています（最初は8行目）（7）"),
    (GOOD.replace("No,基本目標", "No,基本目標,"), None),  # a trailing empty header cell is no level
    (GOOD.replace("No,基本目標", "No,,基本目標"), "structure.csv:1: 見出し行の2列目の階層名が空です"),
    (GOOD.replace("3,A 交流", "3,"), "structure.csv:4: No.3 の基本目標が空です（'3,'）"),
    (GOOD.replace("No,", "番号,"), "structure.csv:1: 見出し行には施策番号の列 No がちょうど1つ必要です"),
    (GOOD.replace("No,基本目標", "No,rating"), "structure.csv:1: 階層名が整理済みデータの列名と同じです"),
    (GOOD.replace("5,B", "五,B"), "structure.csv:6: No が施策番号ではありません（'五'）"),
    (GOOD.encode("utf-8").replace("8,B 支援".encode(), b"8,B \xff\xfe"), "structure.csv:9: utf-8 として読めないバイトがあります"),
])
def test_bad_files_name_the_file_the_line_and_the_value(tmp_path, text, message):
    path = _file(tmp_path, text)
    if message is None:
        assert list(read_structure(path, measure_numbers=NUMBERS).columns) == ["no", "基本目標"]
        return
    with pytest.raises(StructureError) as caught:
        read_structure(path, measure_numbers=NUMBERS)
    assert str(caught.value).startswith(f"{path.parent}/{message}")


def test_a_structure_drives_the_groups_of_another_plan(tmp_path):
    plan_review = review_plan(REIWA, era="令和", structure=_file(tmp_path, GOOD))
    assert plan_review.levels == ("基本目標",) and plan_review.structured
    summary = plan_review.by_level["基本目標"].set_index("基本目標")
    assert summary["n"].to_dict() == {"A 交流": 3, "B 支援": 5}
    assert summary["score_index"].round(1).to_dict() == {"A 交流": 77.8, "B 支援": 26.7}  # 7/9, 4/15
    text = narrative.section("groups", plan_review, heading=False)
    assert text.startswith(REIWA_GOALS) and REIWA_GOALS_COMPARED in text
    assert REIWA_BEST_GOAL in text


def test_the_command_stops_on_a_bad_structure_before_any_notebook(tmp_path, capsys):
    bad = _file(tmp_path, GOOD + "25,B 支援\n")
    code = main(["--raw", str(REIWA), "--era", "令和", "--structure", str(bad), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and f"{bad}:10: No が表にない施策です（25）" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_the_parameter_reaches_papermill_by_name():
    result = subprocess.run([sys.executable, "-m", "kyodo_analysis.cli.report", "--help"], capture_output=True,
                            text=True, check=True)
    assert "--structure" in result.stdout
