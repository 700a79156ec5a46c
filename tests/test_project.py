"""The project's own promises: dependency lists agree, the Makefile documents itself."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
import yaml

from kyodo_analysis.config import PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _locked_versions() -> dict[str, set[str]]:
    """Every package in uv.lock and its versions (more than one where uv forks by Python or platform)."""
    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
    versions: dict[str, set[str]] = {}
    for package in lock["package"]:
        versions.setdefault(package["name"], set()).add(package["version"])
    return versions


def test_environment_yml_lists_the_same_packages_as_pyproject():
    """Each pinned to its one version in uv.lock: the conda route gets the versions `make setup` installs."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pinned = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip = entry["pip"]
            assert "-e .[dev]" in pip
            requirements = [r for r in pip if not r.startswith("-e")]
        else:
            requirements = [entry]
        for requirement in requirements:
            pinned[_name(requirement)] = requirement.partition("==")[2].strip() or None
    assert "conda-forge" in environment["channels"]
    assert pinned.keys() - {"python", "pip"} == wanted
    locked = _locked_versions()
    assert {name: pinned[name] for name in wanted} == {name: " or ".join(sorted(locked[name])) for name in wanted}


def test_uv_lock_leaves_out_rfc3987_syntax():
    """[tool.uv] exclude-dependencies in pyproject.toml: its import costs ~0.8 s wherever nbformat is imported."""
    assert "rfc3987-syntax" not in _locked_versions()
    assert 'name = "rfc3987-syntax"' not in (PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8")


@pytest.mark.skipif((Path(sys.prefix) / "conda-meta").is_dir(), reason="conda cannot leave out rfc3987-syntax")
def test_the_environment_has_no_rfc3987_syntax():
    assert importlib.util.find_spec("rfc3987_syntax") is None


def test_uv_lock_matches_pyproject():
    """A dependency changed in pyproject.toml without `make lock` would stop `make setup` (uv sync --locked)."""
    uv = Path(sys.executable).parent / "uv"
    if not uv.exists():
        pytest.skip("no uv in this environment (make setup installs it)")
    result = subprocess.run([str(uv), "lock", "--check", "--offline", "--python", sys.executable],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    assert result.returncode == 0, f"{result.stderr}\nrun `make lock` (or .venv/bin/uv lock to change no other version)"


def test_bare_make_lists_every_target():
    out = subprocess.run(["make", "-s", "-C", str(PROJECT_ROOT)], capture_output=True, text=True, check=True).stdout
    for target in ("setup", "lock", "data", "report", "test", "lab", "bench", "wheelhouse", "clean"):
        # in Japanese for the analysts, then in English for contributors on the line below
        described = re.search(rf"^  {target}\s+(\S.*)\n {{14}}(\S.*)$", out, re.MULTILINE)
        assert described, target
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", described[1]) and described[2].isascii(), described[0]
    assert "変数（make report で使う）" in out


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make report" in readme and "make test" in readme


@pytest.mark.parametrize("module", ["kyodo_analysis.cli.report", "kyodo_analysis.cli.survey"])
def test_the_command_line_starts_without_pandas_or_nbformat(module):
    """`kyodo-report --help`, `kyodo-survey --help` and an input error answer at once: the heavy modules load
    where they are used (kyodo-survey took 0.9 s of CPU for its help when it loaded pandas and openpyxl first)."""
    probe = (f"import sys, {module}; print(sorted(m for m in ('pandas', 'nbformat', 'papermill', 'matplotlib', "
             "'openpyxl') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_make_lab_opens_working_copies_and_keeps_the_baselines():
    """JupyterLab autosaves what it opens: make lab opens copies in work/, and its kernels save figures there."""
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             check=True).stdout
    assert "--notebook-dir=work" in dry_run and "--notebook-dir=notebooks" not in dry_run
    assert f'KYODO_FIGURES="{PROJECT_ROOT}/work/figures"' in dry_run
    assert 'test -e "work/${notebook##*/}" || cp "$notebook" work/' in dry_run  # a copy is never overwritten
    assert "work/" in (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    moved = subprocess.run([sys.executable, "-c", "from kyodo_analysis import config; print(config.FIGURES)"],
                           env={**os.environ, "KYODO_FIGURES": "/tmp/lab-figures"}, capture_output=True, text=True,
                           check=True).stdout
    assert moved.strip() == "/tmp/lab-figures"
