"""The wheel works outside the checkout: built, installed into a fresh venv, kyodo-report run from an empty folder.

To stay cheap the wheel is built offline (uv, from the sdist, so that the checkout gets no ``build/`` folder),
and the fresh venv gets no dependencies of its own: a ``.pth`` file puts the checkout's site-packages after
the venv's own. A folder named by a ``.pth`` line is not scanned for ``.pth`` files, so the checkout's
editable install (a finder loaded by a ``.pth`` file) stays out: the venv imports the wheel's copy.
"""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kyodo_analysis.config import FIGURES, KITAMOTO_STATUS_TABLE, NOTEBOOKS, PROJECT_ROOT

pytestmark = pytest.mark.e2e

UV = Path(sys.executable).parent / "uv"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folder``: its size and modification time."""
    return {str(path.relative_to(folder)): (path.lstat().st_size, path.lstat().st_mtime_ns)
            for path in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built offline from its sdist."""
    if not UV.exists():
        pytest.skip("no uv in this environment (make setup installs it)")
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run([str(UV), "build", "--offline", "--quiet", "--out-dir", str(out), "--python", sys.executable,
                            str(PROJECT_ROOT)], capture_output=True, text=True, timeout=300,
                           env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    assert build.returncode == 0, build.stderr
    [built] = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the wheel installed (no dependencies of its own); its folder and the environment to run it."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    python = folder / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "checkout_dependencies.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
    install = subprocess.run([str(UV), "pip", "install", "--offline", "--no-deps", "--compile-bytecode", "--quiet",
                              "--python", str(python), str(wheel)], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    assert install.returncode == 0, install.stderr
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # The dependencies' data files (nbconvert's templates, the kernel spec) are in the checkout venv's share/jupyter;
    # installed normally they would be in the new venv's, where Jupyter looks by itself.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    env["PATH"] = f"{folder / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return folder, env


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
    assert "kyodo_analysis/review.typ" in package_data and package_data - names == set()
    assert not [name for name in names if name.startswith(("data/", "notebooks/", "figures/", "tests/"))]


def test_the_venv_imports_the_wheel_not_the_checkout(venv, tmp_path):
    folder, env = venv
    probe = ("import json, sys, kyodo_analysis, pandas; from kyodo_analysis import config; "
             "print(json.dumps({'package': kyodo_analysis.__file__, 'pandas': pandas.__file__, "
             "'checkout': config.CHECKOUT, 'table': str(config.KITAMOTO_STATUS_TABLE), "
             "'notebooks': str(config.NOTEBOOKS), 'reports': str(config.REPORTS), "
             "'editable': [name for name in sys.modules if 'editable' in name]}))")
    found = json.loads(subprocess.run([str(folder / "bin" / "python"), "-c", probe], cwd=tmp_path, env=env,
                                      capture_output=True, text=True, check=True).stdout)
    assert Path(found["package"]).is_relative_to(folder) and not found["checkout"] and found["editable"] == []
    assert Path(found["pandas"]).is_relative_to(sys.prefix)  # the dependencies are the checkout venv's
    assert Path(found["table"]).is_relative_to(folder) and Path(found["table"]).read_bytes() == \
        KITAMOTO_STATUS_TABLE.read_bytes()
    assert Path(found["notebooks"]).is_relative_to(folder)
    assert found["reports"] == str(tmp_path / "reports")


def test_kyodo_report_from_the_wheel_builds_kitamoto_s_review_in_any_folder(venv, tmp_path):
    folder, env = venv
    installed, tracked = _snapshot(folder), _snapshot(FIGURES)
    run = subprocess.run(["kyodo-report", "--jobs", "2"], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "reports"
    assert sorted(path.name for path in tmp_path.iterdir()) == [".reports.kyodo-lock", "reports"]  # no data/, figures/
    for name in ["index.html", "kyodo_review.xlsx", "中間評価報告書.docx", "中間評価報告書.pdf",
                 *(f"{path.stem}.html" for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")))]:
        assert (out / name).is_file(), name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "北本市" in index and "19施策" in index and "平成19年度〜平成24年度" in index
    book = openpyxl.load_workbook(out / "kyodo_review.xlsx")
    assert book["施策"].max_row == 1 + 19
    assert {figure.name: figure.read_bytes() for figure in (out / "figures").iterdir()} == \
        {figure.name: figure.read_bytes() for figure in FIGURES.iterdir()}  # the checkout's review, byte for byte
    assert _snapshot(folder) == installed, "kyodo-report wrote into the venv"
    assert _snapshot(FIGURES) == tracked, "kyodo-report from the wheel touched the checkout's figures"


def test_the_installed_commands_never_write_into_the_package(venv, tmp_path):
    folder, env = venv
    installed = _snapshot(folder)
    package = next(folder.glob("lib/python*/site-packages/kyodo_analysis"))
    refused = subprocess.run(["kyodo-report", "--out", str(package / "reports")], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "インストールされたパッケージのフォルダ" in refused.stderr, refused.stderr
    refresh = subprocess.run([str(folder / "bin" / "python"), "-m", "kyodo_analysis.notebooks"], cwd=tmp_path,
                             env=env, capture_output=True, text=True, timeout=120)
    assert refresh.returncode == 2 and "書き換えません" in refresh.stderr, refresh.stderr
    assert _snapshot(folder) == installed and list(tmp_path.iterdir()) == []
