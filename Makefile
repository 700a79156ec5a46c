# kyodo-analysis: `make report` builds the review, `make test` checks it.
# Both set up .venv first when it is missing or older than pyproject.toml or uv.lock.

PYTHON ?= python3
# make report RAW=path/to/table.txt ERA=令和 TITLE=… AS_OF=2024 STRUCTURE=… OUT=… JOBS=2 reviews another table
RAW ?=
ERA ?=
SHEET ?=
TITLE ?=
AS_OF ?=
STRUCTURE ?=
PREVIOUS ?=
ERRATA ?=
INDICATORS ?=
INDICATOR_SCHEME ?=
AUTHOR ?=
DATED ?=
OUT ?=
JOBS ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# uv installs the versions locked in uv.lock; `make lock` refreshes them
UV_VERSION := 0.13.9
UV_STAMP := $(VENV)/.uv-$(UV_VERSION)
# uv works on .venv with .venv's interpreter and never downloads a Python
UV := UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv

.DEFAULT_GOAL := help
.PHONY: help setup lock data notebooks report test check lab bench wheelhouse clean

help: ## list the targets and variables
	@echo "usage: make <target> [VARIABLE=value ...]"
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## (.*)/  \1\t\2/' | expand -t 14
	@echo "variables (for make report):"
	@echo "  RAW       another plan's extracted table (default: the bundled Kitamoto table)"
	@echo "  ERA       era of bare header years like 19 (平成, 令和, …); not needed when the header names its eras or is Western"
	@echo "  SHEET     with an Excel RAW (.xlsx): the sheet that holds the table (default: the first that matches)"
	@echo "  TITLE     plan title for the text (default: the table's title line)"
	@echo "  AS_OF     review fiscal year, Western (default: latest year in the statuses)"
	@echo "  STRUCTURE the plan's hierarchy, CSV or .xlsx: No, 基本目標, … (default: the table's sections)"
	@echo "  PREVIOUS  the previous round's table, or several separated by spaces, oldest first (default: none)"
	@echo "  ERRATA    the table's typos (CSV: No, 欄, 原文), quoted with （原文ママ） (default: the bundled table's own)"
	@echo "  INDICATORS the plan's outcome indicators (CSV or .xlsx), graded beside the measures (default: none)"
	@echo "  INDICATOR_SCHEME  how they are graded: level (水準, default) or pace (ペース)"
	@echo "  AUTHOR    who issues the review, on the title page (e.g. 北本市協働推進課)"
	@echo "  DATED     the date the review is dated, YYYY-MM-DD (default: today)"
	@echo "  OUT       output folder (default: reports/, or reports_<raw name>/ with RAW)"
	@echo "  JOBS      notebooks run at once (default: the cores)"
	@echo "  PYTHON    interpreter for .venv (default: python3; 3.11 or newer)"

# .venv, with the pinned uv in it
$(UV_STAMP):
	@version=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || \
		{ echo "error: cannot run $(PYTHON); name an interpreter, e.g. make PYTHON=/usr/bin/python3.12"; exit 1; }; \
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: $(PYTHON) is Python $$version; 3.11 or newer is needed (make PYTHON=…)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	touch $(UV_STAMP)

# Exactly the versions in uv.lock (other packages are removed; pip and uv stay), the package itself editable.
# --locked: a uv.lock that no longer matches pyproject.toml is an error (run make lock), never a silent re-resolve.
$(STAMP): pyproject.toml uv.lock $(UV_STAMP)
	$(UV) sync --locked --extra dev --compile-bytecode --python $(BIN)/python
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install the package with its test tools, at the versions in uv.lock

lock: $(UV_STAMP) ## re-resolve uv.lock to the newest versions pyproject.toml allows (then make test)
	$(UV) lock --upgrade --python $(BIN)/python

data: $(STAMP) ## rebuild data/processed/ and the codebook data/README.md from data/raw/
	$(BIN)/python -m kyodo_analysis.cli.make_data

notebooks: $(STAMP) ## re-execute notebooks/ in place (the nbval baseline) and redraw figures/
	$(BIN)/python -m kyodo_analysis.run.notebooks

# Kitamoto's data/ is rebuilt only for Kitamoto's review; another table's tidy CSVs go into its own report.
report: $(STAMP) $(if $(RAW),,data) ## set up, build data/, then the review: reports/ (HTML pages, Excel, Word, PDF, notebooks) and figures/
	@$(BIN)/python -m compileall -q kyodo_analysis
	$(BIN)/kyodo-report$(if $(ERA), --era '$(ERA)')$(if $(SHEET), --sheet '$(SHEET)')$(if $(RAW), --raw '$(RAW)')$(if $(TITLE), --title '$(TITLE)')$(if $(AS_OF), --as-of $(AS_OF))$(if $(STRUCTURE), --structure '$(STRUCTURE)')$(foreach round,$(PREVIOUS), --previous '$(round)')$(if $(ERRATA), --errata '$(ERRATA)')$(if $(INDICATORS), --indicators '$(INDICATORS)')$(if $(INDICATOR_SCHEME), --indicator-scheme '$(INDICATOR_SCHEME)')$(if $(AUTHOR), --author '$(AUTHOR)')$(if $(DATED), --dated '$(DATED)')$(if $(OUT), --out '$(OUT)')$(if $(JOBS), --jobs $(JOBS))

# PYTHONDONTWRITEBYTECODE is set on this machine and in CI: without compiled bytecode every worker and
# kernel would compile the package again (about 10 s of make test). compileall redoes only changed files.
# pytest keeps its rewritten test modules in tests/__pycache__ (ignored by git) only where bytecode may be
# written: allowed for the run, each worker's collection takes 1.6 s less from the second run on.
# Two workers here (one a core): each test file, and each notebook's cells, run on one worker (--dist loadscope).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest --numprocesses=auto --dist=loadscope
test: $(STAMP) ## set up and run the tests, doctests and nbval checks of notebooks/, warnings as errors
	$(BIN)/python -m compileall -q kyodo_analysis
	$(PYTEST)

check: $(STAMP) ## the fast tier while you work (about 20 s): no report, notebook, kernel or Typst, no slow test
	$(BIN)/python -m compileall -q kyodo_analysis
	$(PYTEST) -m "not e2e and not slow"

# JupyterLab autosaves what it opens: it works on copies in work/ (ignored by git), made from notebooks/ where
# missing and never overwritten, and its figures go to work/figures/. The nbval baselines and figures/ stay as they are.
lab: $(STAMP) ## open JupyterLab on working copies of the notebooks in work/ (the baselines in notebooks/ stay untouched)
	@mkdir -p work/figures
	@for notebook in notebooks/*.ipynb; do test -e "work/$${notebook##*/}" || cp "$$notebook" work/; done
	KYODO_FIGURES="$(CURDIR)/work/figures" $(BIN)/jupyter lab --notebook-dir=work $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP) ## run the benchmarks in bench/ (about 15 minutes; on an idle machine)
	$(BIN)/python bench/bench_parse.py
	$(BIN)/python bench/bench_review.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/bench_tests.py

# Everything `pip install` needs on a Windows PC without internet (LGWAN), at the versions in uv.lock.
# pip download judges environment markers (sys_platform == 'win32', python_full_version == '3.12.*') by this machine,
# not by the target, and would silently leave out colorama, pywinpty, setuptools and more: uv pip compile --no-deps
# keeps the locked pins that apply to Windows and Python $(WHEELHOUSE_PYTHON), and pip downloads exactly those (--no-deps:
# nothing is resolved again). japanize-matplotlib publishes only an sdist; it is pure Python, so its wheel is built here.
# The folder is filled beside wheelhouse/ and put in its place only when complete; a wheelhouse/ is replaced only if
# this target made it (it holds $(WHEELHOUSE_MARK)).
WHEELHOUSE_PYTHON ?= 3.12
WHEELHOUSE := wheelhouse
WHEELHOUSE_BUILD := .wheelhouse.building
WHEELHOUSE_MARK := .kyodo-wheelhouse
wheelhouse: $(STAMP) ## download the locked Windows wheels (Python 3.12) and the package's own into wheelhouse/, for a PC without internet
	@for d in $(WHEELHOUSE) $(WHEELHOUSE_BUILD); do \
		if [ -L "$$d" ] || { [ -e "$$d" ] && [ ! -f "$$d/$(WHEELHOUSE_MARK)" ]; }; then \
			echo "error: $$d は make wheelhouse が作ったものではありません（$(WHEELHOUSE_MARK) がないか、リンクです）。何も変更していません。移動してから実行してください"; \
			exit 2; fi; done
	rm -rf $(WHEELHOUSE_BUILD)
	mkdir $(WHEELHOUSE_BUILD)
	echo "Written by make wheelhouse (kyodo-analysis); it may replace or remove this folder." > $(WHEELHOUSE_BUILD)/$(WHEELHOUSE_MARK)
	$(UV) export --quiet --locked --no-emit-project --no-hashes --no-header --no-annotate --format requirements-txt \
		--python $(BIN)/python -o $(WHEELHOUSE_BUILD)/locked.txt
	$(UV) pip compile --quiet --no-deps --python-platform x86_64-pc-windows-msvc --python-version $(WHEELHOUSE_PYTHON) \
		--no-header --no-annotate $(WHEELHOUSE_BUILD)/locked.txt -o $(WHEELHOUSE_BUILD)/requirements.txt
	grep -v '^japanize-matplotlib==' $(WHEELHOUSE_BUILD)/requirements.txt > $(WHEELHOUSE_BUILD)/binary.txt
	$(BIN)/python -m pip download --quiet --no-deps --only-binary=:all: --platform win_amd64 --implementation cp \
		--python-version $(WHEELHOUSE_PYTHON) -d $(WHEELHOUSE_BUILD) -r $(WHEELHOUSE_BUILD)/binary.txt
	$(BIN)/python -m pip wheel --quiet --no-deps -w $(WHEELHOUSE_BUILD) $$(grep '^japanize-matplotlib==' $(WHEELHOUSE_BUILD)/requirements.txt)
	@# from the sdist, so that the checkout gets no build/ folder; only the wheel is kept
	$(UV) build --quiet --python $(BIN)/python --out-dir $(WHEELHOUSE_BUILD)/project
	mv $(WHEELHOUSE_BUILD)/project/*.whl $(WHEELHOUSE_BUILD)/
	rm -r $(WHEELHOUSE_BUILD)/project $(WHEELHOUSE_BUILD)/locked.txt $(WHEELHOUSE_BUILD)/binary.txt
	@# the check that it is complete: the package resolves for Windows from these files alone, to exactly the locked pins
	echo kyodo-analysis | $(UV) pip compile --quiet --offline --no-index --find-links $(WHEELHOUSE_BUILD) \
		--python-platform x86_64-pc-windows-msvc --python-version $(WHEELHOUSE_PYTHON) --no-header --no-annotate - \
		| grep -v '^kyodo-analysis==' | diff - $(WHEELHOUSE_BUILD)/requirements.txt
	rm -rf $(WHEELHOUSE)
	mv $(WHEELHOUSE_BUILD) $(WHEELHOUSE)
	@echo "$(WHEELHOUSE)/: $$(ls $(WHEELHOUSE)/*.whl | wc -l) wheels, $$(du -sh $(WHEELHOUSE) | cut -f1); to install on the PC, see README.en.md (インターネットのない Windows PC へ)"

clean: ## remove caches and the reports kyodo-report made here (keeps .venv, data and figures)
	rm -rf .pytest_cache .hypothesis
	@# only folders that carry kyodo-report's mark: a user's own reports_x/ is left alone
	@for d in reports reports.failed reports_* reports_*.failed .reports*.building-* .reports_*.building-*; do \
		if [ -f "$$d/.kyodo-report" ]; then echo "rm -rf $$d"; rm -rf "$$d"; fi; done
	rm -f .reports*.kyodo-lock
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
