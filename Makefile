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

help: ## 使えるターゲットと変数の一覧 | list the targets and variables
	@echo "usage: make <target> [VARIABLE=value ...]"
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## (.*) \| (.*)/  \1\t\2\n\t\3/' | expand -t 14
	@echo "変数（make report で使う） / variables (for make report):"
	@echo "  RAW       評価する別の計画の表（既定：同梱の北本市の表）"
	@echo "            another plan's extracted table (default: the bundled Kitamoto table)"
	@echo "  ERA       年度見出しが 19 のような数字だけのときの元号（平成、令和 など）。見出しに元号か西暦があれば不要"
	@echo "            era of bare header years like 19 (平成, 令和, …); not needed when the header names its eras or is Western"
	@echo "  SHEET     RAW が Excel ブック（.xlsx）のとき、表のあるシート（既定：見出しが合う最初のシート）"
	@echo "            with an Excel RAW (.xlsx): the sheet that holds the table (default: the first that matches)"
	@echo "  TITLE     文中で使う計画名（既定：表の表題）"
	@echo "            plan title for the text (default: the table's title line)"
	@echo "  AS_OF     評価時点の年度、西暦（既定：状況欄に記された最新の年度）"
	@echo "            review fiscal year, Western (default: latest year in the statuses)"
	@echo "  STRUCTURE 施策体系の CSV か .xlsx：No、基本目標 など（既定：表の区分）"
	@echo "            the plan's hierarchy, CSV or .xlsx: No, 基本目標, … (default: the table's sections)"
	@echo "  PREVIOUS  前回の表。複数なら空白で区切り、古い順（既定：なし）"
	@echo "            the previous round's table, or several separated by spaces, oldest first (default: none)"
	@echo "  ERRATA    表の誤記の一覧（CSV：No・欄・原文）。引用に（原文ママ）を付ける（既定：同梱の表のもの）"
	@echo "            the table's typos (CSV: No, 欄, 原文), quoted with （原文ママ） (default: the bundled table's own)"
	@echo "  INDICATORS 成果指標のファイル（CSV か .xlsx）。施策と並べて判定する（既定：なし）"
	@echo "             the plan's outcome indicators (CSV or .xlsx), graded beside the measures (default: none)"
	@echo "  INDICATOR_SCHEME  成果指標の判定の基準：level（水準、既定）か pace（ペース）"
	@echo "                    how they are graded: level (水準, default) or pace (ペース)"
	@echo "  AUTHOR    報告書の作成者。表紙に記載（例：北本市協働推進課）"
	@echo "            who issues the review, on the title page (e.g. 北本市協働推進課)"
	@echo "  DATED     報告書の日付、YYYY-MM-DD（既定：実行した日）"
	@echo "            the date the review is dated, YYYY-MM-DD (default: today)"
	@echo "  OUT       出力先のフォルダ（既定：reports/。RAW があれば reports_<表の名前>/）"
	@echo "            output folder (default: reports/, or reports_<raw name>/ with RAW)"
	@echo "  JOBS      同時に実行するノートブックの数（既定：コア数）"
	@echo "            notebooks run at once (default: the cores)"
	@echo "  PYTHON    .venv をつくるインタープリタ（既定：python3。3.11 以上）"
	@echo "            interpreter for .venv (default: python3; 3.11 or newer)"

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

setup: $(STAMP) ## .venv をつくり、uv.lock の版でパッケージとテストの道具を入れる | create .venv and install the package with its test tools, at the versions in uv.lock

lock: $(UV_STAMP) ## uv.lock を pyproject.toml が許す最新の版で解き直す（そのあと make test） | re-resolve uv.lock to the newest versions pyproject.toml allows (then make test)
	$(UV) lock --upgrade --python $(BIN)/python

data: $(STAMP) ## data/raw/ から data/processed/ とデータの説明 data/README.md をつくり直す | rebuild data/processed/ and the codebook data/README.md from data/raw/
	$(BIN)/python -m kyodo_analysis.cli.make_data

notebooks: $(STAMP) ## notebooks/ をその場で実行し直し（nbval の基準）、figures/ を描き直す | re-execute notebooks/ in place (the nbval baseline) and redraw figures/
	$(BIN)/python -m kyodo_analysis.run.notebooks

# Kitamoto's data/ is rebuilt only for Kitamoto's review; another table's tidy CSVs go into its own report.
report: $(STAMP) $(if $(RAW),,data) ## 準備をして data/ をつくり、評価報告書をつくる：reports/（HTML のページ・Excel・Word・PDF・ノートブック）と figures/ | set up, build data/, then the review: reports/ (HTML pages, Excel, Word, PDF, notebooks) and figures/
	@$(BIN)/python -m compileall -q kyodo_analysis
	$(BIN)/kyodo-report$(if $(ERA), --era '$(ERA)')$(if $(SHEET), --sheet '$(SHEET)')$(if $(RAW), --raw '$(RAW)')$(if $(TITLE), --title '$(TITLE)')$(if $(AS_OF), --as-of $(AS_OF))$(if $(STRUCTURE), --structure '$(STRUCTURE)')$(foreach round,$(PREVIOUS), --previous '$(round)')$(if $(ERRATA), --errata '$(ERRATA)')$(if $(INDICATORS), --indicators '$(INDICATORS)')$(if $(INDICATOR_SCHEME), --indicator-scheme '$(INDICATOR_SCHEME)')$(if $(AUTHOR), --author '$(AUTHOR)')$(if $(DATED), --dated '$(DATED)')$(if $(OUT), --out '$(OUT)')$(if $(JOBS), --jobs $(JOBS))

# PYTHONDONTWRITEBYTECODE is set on this machine and in CI: without compiled bytecode every worker and
# kernel would compile the package again (about 10 s of make test). compileall redoes only changed files.
# pytest keeps its rewritten test modules in tests/__pycache__ (ignored by git) only where bytecode may be
# written: allowed for the run, each worker's collection takes 1.6 s less from the second run on.
# Two workers here (one a core): each test file, and each notebook's cells, run on one worker (--dist loadscope).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest --numprocesses=auto --dist=loadscope
test: $(STAMP) ## 準備をして、テスト・doctest・notebooks/ の nbval の確認を実行する（警告はエラー） | set up and run the tests, doctests and nbval checks of notebooks/, warnings as errors
	$(BIN)/python -m compileall -q kyodo_analysis
	$(PYTEST)

check: $(STAMP) ## 作業中の速い確認（約 20 秒）：報告書・ノートブック・カーネル・Typst・遅いテストは除く | the fast tier while you work (about 20 s): no report, notebook, kernel or Typst, no slow test
	$(BIN)/python -m compileall -q kyodo_analysis
	$(PYTEST) -m "not e2e and not slow"

# JupyterLab autosaves what it opens: it works on copies in work/ (ignored by git), made from notebooks/ where
# missing and never overwritten, and its figures go to work/figures/. The nbval baselines and figures/ stay as they are.
lab: $(STAMP) ## work/ にあるノートブックの作業用の写しで JupyterLab を開く（notebooks/ の基準は変わらない） | open JupyterLab on working copies of the notebooks in work/ (the baselines in notebooks/ stay untouched)
	@mkdir -p work/figures
	@for notebook in notebooks/*.ipynb; do test -e "work/$${notebook##*/}" || cp "$$notebook" work/; done
	KYODO_FIGURES="$(CURDIR)/work/figures" $(BIN)/jupyter lab --notebook-dir=work $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP) ## bench/ の性能測定を実行する（約 15 分。ほかに何も動いていないときに） | run the benchmarks in bench/ (about 15 minutes; on an idle machine)
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
wheelhouse: $(STAMP) ## インターネットのない PC のために、固定した版の Windows 用 wheel（Python 3.12）とこのパッケージの wheel を wheelhouse/ に集める | download the locked Windows wheels (Python 3.12) and the package's own into wheelhouse/, for a PC without internet
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

clean: ## キャッシュと、ここで kyodo-report がつくった報告書を消す（.venv・data・figures は残す） | remove caches and the reports kyodo-report made here (keeps .venv, data and figures)
	rm -rf .pytest_cache .hypothesis
	@# only folders that carry kyodo-report's mark: a user's own reports_x/ is left alone
	@for d in reports reports.failed reports_* reports_*.failed .reports*.building-* .reports_*.building-*; do \
		if [ -f "$$d/.kyodo-report" ]; then echo "rm -rf $$d"; rm -rf "$$d"; fi; done
	rm -f .reports*.kyodo-lock
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
