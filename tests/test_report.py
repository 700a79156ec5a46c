"""kyodo-report end to end: another era's table, a failing notebook, bad input, escaping."""

import json
import subprocess
import sys

import nbformat
import openpyxl
import pytest

from kyodo_analysis import config
from kyodo_analysis.run.notebooks import notebook_paths, parameters_cell
from kyodo_analysis.run.outputs import mark_folder
from kyodo_analysis.run.report import ReportError, build_report
from kyodo_analysis.words import INDEX_TEXT
from kyodo_analysis.writers.html import reader_html

from .builds import FIXTURES, MARKUP_DEPARTMENT


def test_report_has_pages_workbook_and_own_figures(reiwa_report):
    out, log = reiwa_report
    pages = [f"{path.stem}.html" for path in notebook_paths()]
    for name in ["index.html", "kyodo_review.xlsx", *pages]:
        assert (out / name).is_file(), name
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == [p.name for p in notebook_paths()]
    assert (out / "figures" / "plan_vs_actual_timeline.png").is_file()
    assert sorted(p.name for p in (out / "data").iterdir()) == ["README.md", "departments.csv", "measures.csv",
                                                                "plan.csv", "schedule.csv"]
    codebook = (out / "data" / "README.md").read_text(encoding="utf-8")
    # the file's name, never a path of the machine (issue 23 §5)
    assert "元の表：`reiwa_plan.txt`「" in codebook and "data/raw/" not in codebook and str(out.parent) not in codebook
    assert "[5/5]" in log
    # one at a time (--jobs 1): the notebooks that draw the figures first, then the narrative, then the rest
    started = [line.split()[-1] for line in log.splitlines() if "実行中" in line]
    assert started == ["02_ratings", "03_plan_vs_actual", "04_departments", "10_midterm_review", "01_data_overview"]


def test_the_stored_notebooks_name_the_report_s_figures_not_the_build_folder(reiwa_report):
    """The notebooks ran with their figures going into the build folder, which became the report: stored, their
    parameters cell names the figures beside them (../figures), the same on every run, and no build folder."""
    out, _ = reiwa_report
    for path in sorted((out / "notebooks").glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        assert ".building-" not in text and str(out.parent) + "/." not in text, path.name
        injected, = [cell for cell in nbformat.read(path, as_version=4).cells if cell.id == "injected-parameters"]
        assert 'figures_dir = "../figures"' in injected.source.splitlines(), path.name
        # the other parameters as the run had them, written as papermill writes them (a JSON string)
        assert f"era = {json.dumps('令和')}" in injected.source.splitlines()
    assert (out / "notebooks" / ".." / "figures" / "plan_vs_actual_timeline.png").is_file()


def test_the_documents_are_written_once_the_figures_are_drawn_while_other_notebooks_run(reiwa_report):
    """The workbook, the Word draft and the PDF follow the last notebook that draws figures (04) at once. One at
    a time, the next notebook (01) is handed out only after they are written: the files' times say so."""
    out, _ = reiwa_report
    written = {name: (out / name).stat().st_mtime_ns for name in ("kyodo_review.xlsx", "中間評価報告書.docx",
                                                                    "中間評価報告書.pdf")}
    notebook = {path.stem: path.stat().st_mtime_ns for path in (out / "notebooks").glob("*.ipynb")}
    assert notebook["04_departments"] < min(written.values())
    assert max(written.values()) < notebook["01_data_overview"]


def test_workbook_sheets_and_rows_match_the_table(reiwa_report):
    out, _ = reiwa_report
    book = openpyxl.load_workbook(out / "kyodo_review.xlsx")
    # one sheet per level of the structure; the previous round's sheets, then the indicators' (two rounds: no 推移)
    assert book.sheetnames == ["説明", "施策", "実施目標年度", "推進課", "基本目標別", "目標年度別", "推進課別", "計画と実績",
                               "整合性チェック", "重点施策", "前回からの変化", "前回比（基本目標別）", "前回比（推進課別）",
                               "指標", "指標（基本目標別）"]
    rows = {sheet.title: sheet.max_row - 1 for sheet in book}
    assert rows["施策"] == rows["計画と実績"] == 8
    assert rows["実施目標年度"] == 10  # eight ○, and a → after measures 4 and 5
    assert rows["推進課"] == 15  # 14 in the table, and the markup department added to measure 8
    assert rows["基本目標別"] == 2 and [c.value for c in book["基本目標別"]["A"]] == ["基本目標", "A 交流", "B 支援"]
    assert rows["重点施策"] == 5  # × 5, 6; △ 4, 7 (read by hand); No.8, whose status admits a gap
    assert rows["目標年度別"] == 4  # 令和3, 4, 5 and 6
    assert [c.value for c in book["施策"][1]][:3] == ["No", "表の区分", "施策の方向性"]
    assert [c.value for c in book["施策"][1]][-1] == "基本目標"
    assert book["施策"].column_dimensions["C"].width > book["施策"].column_dimensions["A"].width


def test_index_names_the_plan_and_pages_hold_no_code(reiwa_report):
    out, _ = reiwa_report
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>架空市&lt;b&gt;協働&lt;/b&gt;計画：中間評価</h1>" in index
    assert "令和3年度〜令和7年度" in index and "施策8件" in index and "令和6年度時点" in index
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for code_sign in ("class=\"jp-CodeMirrorEditor", "class=\"highlight", "jp-InputPrompt\">In", "review_plan(", "import kyodo"):
            assert code_sign not in text, (page.name, code_sign)
        assert "<script" not in text and "cdnjs" not in text, page.name  # readable offline
        assert "北本" not in text, page.name


def test_status_text_is_escaped_in_html(reiwa_report):
    out, _ = reiwa_report
    pages = "".join(page.read_text(encoding="utf-8") for page in out.glob("*.html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages
    assert "<script>alert(1)" not in pages
    assert MARKUP_DEPARTMENT == "<i>市民課" and "&lt;i&gt;市民課" in pages and "<i>市民課" not in pages
    assert "架空市&lt;b&gt;協働&lt;/b&gt;計画" in pages and "<b>協働</b>" not in pages
    assert "$x$と$y$" in pages and "&amp;lt;" not in pages  # no math mode, no double escaping
    for link in ("javascript:alert", "http://evil.example/"):
        assert f'href="{link}' not in pages and f"href='{link}" not in pages and f'src="{link}' not in pages


@pytest.mark.slow
def test_bad_input_stops_before_any_notebook_and_leaves_out_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    mark_folder(out)  # a previous report
    (out / "keep.txt").write_text("previous report", encoding="utf-8")
    bad = FIXTURES / "errors" / "rating_black_triangle.txt"
    result = subprocess.run([sys.executable, "-m", "kyodo_analysis.cli.report", "--raw", str(bad), "--era", "平成",
                             "--out", str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert f"{bad}:6: 評価の ▲ は △ ではありません" in result.stderr and "（'▲'）" in result.stderr
    assert "Traceback" not in result.stderr and "notebooks" not in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == [".kyodo-report", "keep.txt"]


def _light_notebook(path, code: str):
    """A light notebook with the review's parameters cell, then ``code``, written to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(parameters_cell(), metadata={"tags": ["parameters"]}),
                      nbformat.v4.new_code_cell(code)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return path


@pytest.mark.e2e
def test_failing_notebook_keeps_previous_report_and_names_the_cell(tmp_path):
    notebooks = tmp_path / "notebooks"
    good = _light_notebook(notebooks / "01_data_overview.ipynb", "x = 1")
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


@pytest.mark.slow
def test_reader_pages_are_made_by_the_template_without_any_script(tmp_path):
    """A notebook whose outputs would run code in a browser (JavaScript, a widget) gives a page with no script,
    the print rules and the way back; the index is a template too, and escapes what the data says."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)"}),
        nbformat.v4.new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "m"},
                                                     "text/plain": "widget"}),
        nbformat.v4.new_output("display_data", data={"text/markdown": "評価は **◎** が多い"}),
    ])]
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    path = tmp_path / "01_probe.ipynb"
    nbformat.write(notebook, path)
    page = reader_html(path, "計画<b>名</b>：データの概要")
    assert "<script" not in page and "alert(1)" not in page and "widget-state" not in page
    assert "<title>計画&lt;b&gt;名&lt;/b&gt;：データの概要</title>" in page
    assert '<nav class="kyodo-back"><a href="index.html">← 目次に戻る</a></nav>' in page
    assert "@page { size: A4; margin: 15mm; }" in page and "<strong>◎</strong>" in page
    assert page.endswith("</html>\n")


@pytest.mark.parametrize("stem", ["01_data_overview", "10_midterm_review"])
def test_a_reader_page_is_nbconvert_s_page_without_parsing_it_again(stem):
    """reader_html leaves out HTMLExporter's last step, a BeautifulSoup pass over the whole page that adds
    tabindex to cells and outputs (the template writes it): parsed, the page is that exporter's, element for
    element, on a stored notebook's tables, Markdown and figures."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from kyodo_analysis.writers.html import READER_OPTIONS

    path = config.NOTEBOOKS / f"{stem}.ipynb"
    page = reader_html(path, "北本市：データの概要")
    exporter = HTMLExporter(**READER_OPTIONS)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"analyst"}), enabled=True)
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["title"] = "北本市：データの概要"
    nbconvert_s, _ = exporter.from_notebook_node(notebook, resources={"kyodo_back": INDEX_TEXT["ja"]["back"]})
    assert page != nbconvert_s  # not parsed and written again ...
    assert str(BeautifulSoup(page, features="html.parser")) == nbconvert_s  # ... and the same page
    assert page.count('tabindex="0"') >= 8 and "No description" not in page
