"""The city's own files as input (issue 22): Kitamoto's table as an Excel workbook and as CSV (made by
tests/fixtures/city/make_city_files.py), read by their header's names into the same measures as the text."""

import openpyxl
import pytest

from kyodo_analysis import load_departments, review_plan
from kyodo_analysis.cli import make_data
from kyodo_analysis.config import KITAMOTO_STATUS_TABLE
from kyodo_analysis.source.parsing import StatusTableError, read_status_table
from kyodo_analysis.validation import ArgumentError

from .builds import FIXTURES

XLSX, CSV = FIXTURES / "city" / "kitamoto.xlsx", FIXTURES / "city" / "kitamoto.csv"


def _essentials(table):
    return [(m.no, m.direction, m.content, m.marks, m.departments, m.status, m.rating) for m in table.measures]


@pytest.mark.parametrize("path", [XLSX, CSV], ids=["xlsx", "csv"])
def test_the_city_s_files_read_as_the_text_table(path):
    text = read_status_table(KITAMOTO_STATUS_TABLE, era="平成")
    table = read_status_table(path)
    assert _essentials(table) == _essentials(text) and len(table.measures) == 19
    assert (table.era, table.fiscal_years[0], table.fiscal_years[-1]) == ("平成", 2007, 2012)


def test_the_workbook_s_places_are_its_rows_and_its_notes_say_what_was_set_aside():
    table = read_status_table(XLSX)
    # title in row 1, the two-row header in rows 2-3, No.1 in row 4 … No.19 in row 22 (one section: no repeat)
    assert [(m.no, m.line, m.block) for m in table.measures][::9] == [(1, 4, 1), (10, 13, 1), (19, 22, 1)]
    assert table.title == "北本市市民と行政との協働推進計画施策実施状況のまとめ"
    notes = {(note.kind, note.line, note.before) for note in table.notes}
    assert ("column_set_aside", 2, "備考") in notes
    assert ("era_inferred", 3, "19") in notes  # the years 19 … 24 are bare numbers; the statuses say 平成
    # No.2's status was wrapped by line breaks between Japanese characters: they are removed, and noted
    assert any(note.kind == "spaces_removed" and note.no == 2 and note.field == "施策実施状況" for note in table.notes)


def test_the_review_of_the_workbook_is_kitamoto_s():
    plan_review = review_plan(XLSX)
    assert plan_review.title == "北本市市民と行政との協働推進計画" and len(plan_review.measures) == 19
    assert round(plan_review.overall["score_index"].item(), 1) == 50.9  # ◎3 ○8 △4 ×4, read by hand
    assert load_departments(CSV).to_numpy().tolist() == load_departments().to_numpy().tolist()


def _edited(tmp_path, edit):
    book = openpyxl.load_workbook(XLSX)
    edit(book["施策実施状況"])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    return path


def test_an_error_names_the_sheet_and_the_cell_as_a_person_finds_them(tmp_path):
    path = _edited(tmp_path, lambda sheet: sheet.__setitem__("K7", "A"))  # 評価 of No.4 (row 7) in column K
    with pytest.raises(StatusTableError) as caught:
        read_status_table(path)
    assert str(caught.value) == f"{path}!施策実施状況!K7: 評価 'A'（No.4）は評価の尺度にありません" \
        "（使える記号: ◎ ○ △ ×）（'A'）"


def test_a_formula_is_refused_naming_its_cell(tmp_path):
    path = _edited(tmp_path, lambda sheet: sheet.__setitem__("L5", '=HYPERLINK("http://evil.example/","x")'))
    with pytest.raises(StatusTableError, match=r"plan.xlsx!施策実施状況!L5: 数式です。表の値を入力してください（'=HYPERLINK"):
        read_status_table(path)


def test_columns_in_any_order_and_a_missing_one_listed(tmp_path):
    rows = [line.split(",") for line in CSV.read_text(encoding="utf-8-sig").splitlines()]
    order = [9, 0, 10, 2, 1, *range(3, 9), 11]  # 担当課 first, 評価 before 内容, …
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("\n".join(",".join(row[index] for index in order) for row in rows) + "\n", encoding="cp932")
    assert _essentials(read_status_table(shuffled)) == _essentials(read_status_table(CSV))  # CP932 too
    missing = tmp_path / "missing.csv"
    missing.write_text("\n".join(",".join(row[:10] + row[11:]) for row in rows) + "\n", encoding="utf-8")
    with pytest.raises(StatusTableError) as caught:
        read_status_table(missing)
    assert "必要な列がありません: 施策実施状況" in str(caught.value)
    assert "見出しにある列: No、施策名、内容、平成19、平成20、平成21、平成22、平成23、平成24、担当課、評価" in str(caught.value)


def test_a_workbook_without_the_table_names_its_sheets(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "メモ"
    book.active["A1"] = "中間評価"
    path = tmp_path / "memo.xlsx"
    book.save(path)
    with pytest.raises(StatusTableError, match=r"見出し行（No、施策の方向性、内容、実施目標年度、推進課、施策実施状況、評価）のある"
                                               r"シートがありません（シート: メモ）"):
        read_status_table(path)


def test_a_table_without_a_title_row_is_named_by_its_file():
    plan_review = review_plan(CSV)  # the CSV starts with its header
    assert (plan_review.title, plan_review.title_source, plan_review.heading) == ("kitamoto", "file", "")


def _two_rounds(tmp_path):
    """Kitamoto's workbook with a second table sheet, 平成24年度, where No.4 (◎ in the table) is rated ×."""
    book = openpyxl.load_workbook(XLSX)
    later = book.copy_worksheet(book["施策実施状況"])
    later.title = "平成24年度"
    later["K7"] = "×"
    path = tmp_path / "rounds.xlsx"
    book.save(path)
    return path


def test_sheet_names_the_table_among_several(tmp_path):
    path = _two_rounds(tmp_path)
    assert read_status_table(path).measures[3].rating == "◎"  # the first sheet whose header matches
    assert read_status_table(path, sheet="平成24年度").measures[3].rating == "×"
    plan_review = review_plan(path, sheet="平成24年度", previous=path)  # the previous round: its first table sheet
    assert plan_review.measures.set_index("no").loc[4, "rating"] == "×"
    assert plan_review.rounds.changes.set_index("no").loc[4, ["rating_before", "rating_after"]].tolist() == ["◎", "×"]
    with pytest.raises(StatusTableError, match=r"rounds.xlsx: シート '平成23年度' がありません"):
        read_status_table(path, sheet="平成23年度")
    with pytest.raises(ArgumentError, match=r"kitamoto.csv: シート名（--sheet 平成24年度）は Excel ブック（.xlsx）にだけ"):
        read_status_table(CSV, sheet="平成24年度")


def test_the_commands_take_sheet(tmp_path):
    path = _two_rounds(tmp_path)
    out = tmp_path / "processed"
    assert make_data.main(["--raw", str(path), "--sheet", "平成24年度", "--out", str(out),
                           "--codebook", str(tmp_path / "README.md")]) == 0
    rows = (out / "measures.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[4].split(",")[0] == "4" and "×" in rows[4].split(",")
