"""kyodo-report end to end: another era's table, a failing notebook, bad input, escaping."""

import shutil
import subprocess
import sys

import nbformat
import openpyxl
import pytest

from kyodo_analysis.notebooks import notebook_paths
from kyodo_analysis.outputs import mark_folder
from kyodo_analysis.report import WORKBOOK_SHEETS, ReportError, build_report
from kyodo_analysis.synthetic import Messiness, generate_measures, render_status_table

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def reiwa_report(tmp_path_factory):
    """A generated 令和 plan (24 measures, 3 blocks, 令和2-7年度); its title and some cells hold markup."""
    folder = tmp_path_factory.mktemp("report")
    measures = generate_measures(24, n_blocks=3, era="令和", first_year=2, n_years=6, seed=11)
    measures[2] = measures[2]._replace(status="<script>alert(1)</script>を開催した。", rating="×")
    measures[3] = measures[3]._replace(
        status="令和3年度に[こちら](javascript:alert(1))とhttp://evil.example/で、費用$x$と$y$の会を開催した。",
        rating="×", departments=("<i>市民課",))
    raw = folder / "generated_plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=6, messy=Messiness(), seed=11),
                   encoding="utf-8")
    out = folder / "out"
    result = subprocess.run(
        [sys.executable, "-m", "kyodo_analysis.report", "--raw", str(raw), "--era", "令和",
         "--title", "合成市<b>協働</b>推進計画", "--out", str(out), "--jobs", "2"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return out, measures, result


def test_report_has_pages_workbook_and_own_figures(reiwa_report):
    out, measures, result = reiwa_report
    pages = [f"{path.stem}.html" for path in notebook_paths()]
    for name in ["index.html", "kyodo_review.xlsx", *pages]:
        assert (out / name).is_file(), name
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == [p.name for p in notebook_paths()]
    assert (out / "figures" / "plan_vs_actual_timeline.png").is_file()
    assert sorted(p.name for p in (out / "data").iterdir()) == ["README.md", "departments.csv", "measures.csv",
                                                                "plan.csv", "schedule.csv"]
    codebook = (out / "data" / "README.md").read_text(encoding="utf-8")
    assert f"Source: `{out.parent / 'generated_plan.txt'}`" in codebook and "data/raw/" not in codebook
    assert "[5/5]" in result.stdout


def test_workbook_sheets_and_rows_match_the_table(reiwa_report):
    out, measures, _ = reiwa_report
    book = openpyxl.load_workbook(out / "kyodo_review.xlsx")
    assert book.sheetnames == list(WORKBOOK_SHEETS)
    n_marks = sum(len(m.marks) for m in measures)
    n_departments = sum(len(m.departments) for m in measures)
    rows = {sheet.title: sheet.max_row - 1 for sheet in book}
    assert rows["施策"] == rows["計画と実績"] == 24
    assert rows["実施目標年度"] == n_marks and rows["推進課"] == n_departments
    assert rows["ブロック別"] == 3
    assert rows["目標年度別"] == len({m.marks[0][0] for m in measures})
    assert [c.value for c in book["施策"][1]][:3] == ["No", "ブロック", "施策の方向性"]
    assert book["施策"].column_dimensions["C"].width > book["施策"].column_dimensions["A"].width


def test_index_names_the_plan_and_pages_hold_no_code(reiwa_report):
    out, _, _ = reiwa_report
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>合成市&lt;b&gt;協働&lt;/b&gt;推進計画：中間評価</h1>" in index
    assert "令和2年度〜令和7年度" in index and "24施策" in index
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for code_sign in ("class=\"jp-CodeMirrorEditor", "class=\"highlight", "jp-InputPrompt\">In", "review_plan(", "import kyodo"):
            assert code_sign not in text, (page.name, code_sign)
        assert "<script" not in text and "cdnjs" not in text, page.name  # readable offline
        assert "北本" not in text, page.name


def test_status_text_is_escaped_in_html(reiwa_report):
    out, _, _ = reiwa_report
    pages = "".join(page.read_text(encoding="utf-8") for page in out.glob("*.html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages
    assert "<script>alert(1)" not in pages
    assert "&lt;i&gt;市民課" in pages and "<i>市民課" not in pages
    assert "合成市&lt;b&gt;協働&lt;/b&gt;推進計画" in pages and "<b>協働</b>" not in pages
    assert "$x$と$y$" in pages and "&amp;lt;" not in pages  # no math mode, no double escaping
    for link in ("javascript:alert", "http://evil.example/"):
        assert f'href="{link}' not in pages and f"href='{link}" not in pages and f'src="{link}' not in pages


def test_bad_input_stops_before_any_notebook_and_leaves_out_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    mark_folder(out)  # a previous report
    (out / "keep.txt").write_text("previous report", encoding="utf-8")
    bad = FIXTURES / "errors" / "rating_black_triangle.txt"
    result = subprocess.run([sys.executable, "-m", "kyodo_analysis.report", "--raw", str(bad), "--out", str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert f"{bad}:6: rating ▲ is not △" in result.stderr and "('▲')" in result.stderr
    assert "Traceback" not in result.stderr and "notebooks" not in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == [".kyodo-report", "keep.txt"]


def test_failing_notebook_keeps_previous_report_and_names_the_cell(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    good = notebooks / "01_data_overview.ipynb"
    shutil.copy(notebook_paths()[0], good)
    broken = nbformat.read(good, as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(broken, notebooks / "02_broken.ipynb")
    out = tmp_path / "reports"
    out.mkdir()
    mark_folder(out)  # a previous report
    (out / "index.html").write_text("previous", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        build_report(out, raw=FIXTURES / "reiwa_plan.txt", era="令和", notebooks=[good, notebooks / "02_broken.ipynb"],
                     jobs=2, log=lambda *_: None)
    message = str(caught.value)
    cell_number = len([c for c in broken.cells if c.cell_type == "code"]) + 1  # after the injected parameters
    assert f"02_broken.ipynb: cell {cell_number} raised ZeroDivisionError: division by zero" in message
    assert (out / "index.html").read_text(encoding="utf-8") == "previous"
    kept = tmp_path / "reports.failed" / "notebooks" / "02_broken.ipynb"
    assert kept.is_file() and "ZeroDivisionError" in kept.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".reports.building-*"))
