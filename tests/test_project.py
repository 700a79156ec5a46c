"""The project's own promises: dependency lists agree, the Makefile documents itself."""

import re
import subprocess
import sys
import tomllib

import yaml

from kyodo_analysis.config import PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = set()
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip = entry["pip"]
            assert "-e .[dev]" in pip
            listed |= {_name(r) for r in pip if not r.startswith("-e")}
        else:
            listed.add(_name(entry))
    assert "conda-forge" in environment["channels"]
    assert listed - {"python", "pip"} == wanted


def test_bare_make_lists_every_target():
    out = subprocess.run(["make", "-s", "-C", str(PROJECT_ROOT)], capture_output=True, text=True, check=True).stdout
    for target in ("setup", "data", "report", "test", "lab", "bench", "clean"):
        assert re.search(rf"^  {target}\s+\S", out, re.MULTILINE), target


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make report" in readme and "make test" in readme


def test_the_command_line_starts_without_pandas_or_nbformat():
    """`kyodo-report --help` and an input error answer at once: the heavy modules load where they are used."""
    probe = ("import sys, kyodo_analysis.report; "
             "print(sorted(m for m in ('pandas', 'nbformat', 'papermill', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
