"""The wheel works outside the checkout: built, installed into a fresh venv, kyodo-report run from an empty folder.

The session's 令和 report is that run (see builds.build_reiwa_report): test_report, test_notebooks and
test_documents check what it wrote, and this file checks that it came from the wheel and wrote nowhere else.
"""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kyodo_analysis.config import FIGURES, KITAMOTO_STATUS_TABLE, NOTEBOOKS, PROJECT_ROOT

from .builds import contents, snapshot, venv_environment

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def venv(reiwa_build) -> tuple[Path, dict[str, str]]:
    """The fresh venv the wheel was installed into, and the environment to run it."""
    folder = reiwa_build / "venv"
    if not folder.exists():
        pytest.skip("no uv in this environment (make setup installs it): the 令和 report ran from the checkout")
    return folder, venv_environment(folder)


@pytest.fixture(scope="module")
def wheel(venv, reiwa_build) -> Path:
    """The project's wheel, built offline from its sdist."""
    [built] = (reiwa_build / "dist").glob("*.whl")
    return built


def test_the_wheel_carries_the_table_the_notebooks_and_the_templates(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert archive.read("kyodo_analysis/_bundled/raw/kitamoto_kyodo_status.txt") == KITAMOTO_STATUS_TABLE.read_bytes()
        assert "kyodo_analysis/_bundled/raw/README.md" in names  # where the table comes from
        for notebook in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
            assert archive.read(f"kyodo_analysis/_bundled/notebooks/{notebook.name}") == notebook.read_bytes()
    # every file of the package that is not code (the Typst template, the HTML templates): a new template folder
    # must be listed in pyproject.toml's packages, or it would be left out
    package_data = {path.relative_to(PROJECT_ROOT).as_posix() for path in (PROJECT_ROOT / "kyodo_analysis").rglob("*")
                    if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".py", ".pyc")}
    assert "kyodo_analysis/writers/review.typ" in package_data and package_data - names == set()
    assert not [name for name in names if name.startswith(("data/", "notebooks/", "figures/", "tests/"))]


def test_the_venv_imports_the_wheel_and_reads_the_bundled_table_from_any_folder(venv, tmp_path):
    folder, env = venv
    probe = ("import json, sys, kyodo_analysis as ka, pandas; from kyodo_analysis import config; "
             "review = ka.review_plan(); "
             "print(json.dumps({'package': ka.__file__, 'pandas': pandas.__file__, "
             "'checkout': config.CHECKOUT, 'table': str(config.KITAMOTO_STATUS_TABLE), "
             "'notebooks': str(config.NOTEBOOKS), 'reports': str(config.REPORTS), "
             "'title': review.title, 'measures': len(review.measures), "
             "'editable': [name for name in sys.modules if 'editable' in name]}))")
    found = json.loads(subprocess.run([str(folder / "bin" / "python"), "-c", probe], cwd=tmp_path, env=env,
                                      capture_output=True, text=True, check=True).stdout)
    assert Path(found["package"]).is_relative_to(folder) and not found["checkout"] and found["editable"] == []
    assert Path(found["pandas"]).is_relative_to(sys.prefix)  # the dependencies are the checkout venv's
    assert Path(found["table"]).is_relative_to(folder) and Path(found["table"]).read_bytes() == \
        KITAMOTO_STATUS_TABLE.read_bytes()
    # the bundled review, read from the wheel's copy of the table
    assert (found["title"], found["measures"]) == ("北本市市民と行政との協働推進計画", 19)
    assert Path(found["notebooks"]).is_relative_to(folder)
    assert found["reports"] == str(tmp_path / "reports")
    assert list(tmp_path.iterdir()) == []


def test_kyodo_report_from_the_wheel_runs_in_an_empty_folder_and_writes_only_there(venv, reiwa_build, reiwa_report):
    folder, _ = venv
    out, log = reiwa_report
    # the run started in the empty folder work/, with no --out: the default reports_<table>/ there, and its lock
    assert sorted(path.name for path in out.parent.iterdir()) == [".reports_reiwa_plan.kyodo-lock", "reports_reiwa_plan"]
    assert f"{out / 'index.html'} を書きました" in log
    before = json.loads((reiwa_build / "snapshots.json").read_text(encoding="utf-8"))
    assert snapshot(folder) == before["venv"], "kyodo-report wrote into the venv"
    assert contents(FIGURES) == before["figures"], "kyodo-report from the wheel touched the checkout's figures"


def test_the_installed_commands_never_write_into_the_package(venv, tmp_path):
    folder, env = venv
    installed = snapshot(folder)
    package = next(folder.glob("lib/python*/site-packages/kyodo_analysis"))
    refused = subprocess.run(["kyodo-report", "--out", str(package / "reports")], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "インストールされたパッケージのフォルダ" in refused.stderr, refused.stderr
    refresh = subprocess.run([str(folder / "bin" / "python"), "-m", "kyodo_analysis.run.notebooks"], cwd=tmp_path,
                             env=env, capture_output=True, text=True, timeout=120)
    assert refresh.returncode == 2 and "書き換えません" in refresh.stderr, refresh.stderr
    assert snapshot(folder) == installed and list(tmp_path.iterdir()) == []
