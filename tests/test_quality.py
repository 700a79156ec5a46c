import ast
import subprocess
import sys

from kyodo_analysis import localize, normalization_notes, read_status_table, summarize_notes
from kyodo_analysis.config import KITAMOTO_STATUS_TABLE, PROJECT_ROOT

from .builds import FIXTURES


def test_kitamoto_notes_match_the_raw_table():
    notes = normalization_notes()
    assert list(notes.columns) == ["line", "no", "field", "kind", "before", "after"]
    misplaced = notes[notes["kind"] == "header_year_misplaced"]
    assert misplaced["line"].tolist() == [6]  # page 1: 24 sits in the last cell
    assert misplaced["after"].item() == "19 20 21 22 23 24"
    rejoined = notes[notes["kind"] == "department_rejoined"]
    assert rejoined["no"].tolist() == [2, 4, 5, 10, 16, 17, 18, 19]  # every 「全 課」
    assert rejoined.loc[rejoined["no"] == 16, "after"].item() == "政策推進課 協働推進課 全課"
    spaces = notes[(notes["kind"] == "spaces_removed") & (notes["no"] == 2)]
    assert spaces["after"].item().startswith("平成19年度から平成21年度の3年間")
    widths = notes[notes["kind"] == "width_folded"]
    assert widths["no"].tolist() == [6, 19]  # （社会福祉協議会） and 条例（案）
    assert (notes["kind"] == "lookalike_mark").sum() == 0


def test_lookalikes_are_noted(tmp_path):
    text = (FIXTURES / "small_table.txt").read_text(encoding="utf-8").replace("未実施\t×", "未実施\tX")
    path = tmp_path / "t.txt"
    path.write_text(text.replace("\t○\t→", "\t〇\t→"), encoding="utf-8")
    notes = normalization_notes(path, era="平成")
    marks = notes[notes["kind"] == "lookalike_mark"]
    assert marks[["no", "field", "before", "after"]].to_numpy().tolist() == [[1, "年度", "〇", "○"], [2, "評価", "X", "×"]]


def test_summary_and_headers_in_both_languages():
    summary = summarize_notes(normalization_notes())
    assert summary["kind"].tolist()[0] == "header_year_misplaced"
    assert list(localize(summary).columns) == ["種類", "内容", "件数"]
    english = localize(summarize_notes(normalization_notes(), lang="en"), "en")
    assert list(english.columns) == ["Kind", "Description", "Count"]
    assert english["Description"].iloc[0].startswith("header years stood in the wrong cells")


def test_the_parser_records_its_notes_and_quality_only_tabulates_them():
    table = read_status_table(KITAMOTO_STATUS_TABLE, era="平成")
    header = table.notes[0]
    assert (header.line, header.no, header.kind) == (6, None, "header_year_misplaced")
    assert header.before.split("|")[-1] == "24" and header.after == "19 20 21 22 23 24"
    assert len(table.notes) == len(normalization_notes()) == 30  # 1 + 2 + 11 + 8 + 8, as summarized
    assert [note.line for note in table.notes] == sorted(note.line for note in table.notes)


def test_no_module_imports_another_module_s_private_names():
    """Each rule lives in one module: nothing reaches into another module's _private helpers."""
    offenders = []
    for path in sorted([*(PROJECT_ROOT / "kyodo_analysis").glob("*.py"), *(PROJECT_ROOT / "bench").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                offenders += [f"{path.name}: {node.module}.{alias.name}" for alias in node.names
                              if alias.name.startswith("_")]
    assert offenders == []


def _imported_modules(path) -> set[str]:
    """The kyodo_analysis modules a module imports (``from .x import …``, ``from . import x``), anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module} if node.module else {alias.name for alias in node.names}
    return found


def test_the_layers_point_one_way():
    """Production code never imports the test-data generator, and the data layer imports no display words."""
    package = PROJECT_ROOT / "kyodo_analysis"
    generator_users = [path.name for path in sorted(package.glob("*.py"))
                       if path.stem != "synthetic" and "synthetic" in _imported_modules(path)]
    assert generator_users == []
    for data_module in ("parsing", "loaders", "structure", "xlsx_reader"):
        assert "words" not in _imported_modules(package / f"{data_module}.py"), data_module


def test_the_document_model_and_the_workbook_import_no_matplotlib():
    probe = ("import sys; import kyodo_analysis.document, kyodo_analysis.workbook, kyodo_analysis.catalog; "
             "print(sorted(name for name in sys.modules if name.split('.')[0] == 'matplotlib'))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
