import ast
import subprocess
import sys
from pathlib import Path

import pytest

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


PACKAGE = PROJECT_ROOT / "kyodo_analysis"
#: What each layer of the package may import: the ground (the modules at the top, ``config``, ``ratings``,
#: ``words``, …) and the layers below it. ``testing`` (the generator of messy tables) is for the tests and
#: bench/ only.
LAYERS = {
    "ground": {"ground"},
    "source": {"ground", "source"},
    "analysis": {"ground", "source", "analysis"},
    "content": {"ground", "source", "analysis", "content"},
    "figures": {"ground", "source", "analysis", "content", "figures"},
    "writers": {"ground", "source", "analysis", "content", "writers"},
    "survey": {"ground", "source", "analysis", "writers", "survey"},
    "run": {"ground", "source", "analysis", "content", "writers", "run"},
    "cli": {"ground", "source", "analysis", "content", "figures", "writers", "survey", "run", "cli"},
    "testing": {"ground", "source", "testing"},
}
#: The one import up the layers, and why.
UPWARD = {("kyodo_analysis.analysis.review", "kyodo_analysis.content.narrative"):
          "PlanReview._repr_html_ shows the narrative's summary in JupyterLab (imported when shown)"}


def _layer(module: str) -> str:
    """``kyodo_analysis.source.parsing`` and ``kyodo_analysis.source`` → ``source``; a module at the top → ``ground``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1] / "__init__.py").exists() else "ground"


def _package_modules() -> dict[str, Path]:
    return {".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts): path
            for path in sorted(PACKAGE.rglob("*.py")) if path.stem != "__init__" and "_bundled" not in path.parts}


def _imports(path) -> list[tuple[str, str]]:
    """The kyodo_analysis modules (or packages) a module imports anywhere in it, and the names it takes."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kyodo_analysis"):
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.startswith("kyodo_analysis")]
    return found


@pytest.mark.slow
def test_no_module_imports_another_module_s_private_names():
    """Each rule lives in one module: nothing reaches into another module's _private helpers."""
    offenders = []
    for path in sorted([*PACKAGE.rglob("*.py"), *(PROJECT_ROOT / "bench").glob("*.py")]):
        offenders += [f"{path.name}: {module}.{name}" for module, name in _imports(path) if name.startswith("_")]
    assert offenders == []


@pytest.mark.slow
def test_the_package_s_modules_import_absolutely():
    """One spelling of each import (kyodo_analysis.source.parsing), so that the layer test reads every one."""
    relative = [f"{name}: line {node.lineno}" for name, path in _package_modules().items()
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and node.level]
    assert relative == []


@pytest.mark.slow
def test_the_layers_point_one_way():
    """Each layer imports only the ground and the layers below it; production code never imports the test-data
    generator, and the data layer (source) imports no display words."""
    offenders = []
    for name, path in _package_modules().items():
        layer = _layer(name)
        for module, imported in _imports(path):
            target = _layer(f"{module}.{imported}" if module == "kyodo_analysis" else module)
            if target not in LAYERS[layer] and (name, module) not in UPWARD:
                offenders.append(f"{name} ({layer}) imports {module} {imported} ({target})")
            if layer == "source" and module == "kyodo_analysis.words":
                offenders.append(f"{name} (source) imports display words: {imported}")
    assert offenders == []
    assert set(LAYERS) - {"ground"} == {path.name for path in PACKAGE.iterdir()
                                         if (path / "__init__.py").exists() and path.name != "_bundled"}


@pytest.mark.slow
def test_the_document_model_and_the_workbook_import_no_matplotlib():
    probe = ("import sys; import kyodo_analysis.content.document, kyodo_analysis.writers.workbook, kyodo_analysis.content.catalog; "
             "print(sorted(name for name in sys.modules if name.split('.')[0] == 'matplotlib'))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
