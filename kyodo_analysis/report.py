"""One command builds the whole review: ``kyodo-report`` (``make report``).

1. Read and validate the raw table; bad input stops here, before any notebook
   runs, with the parser's message (file, line, value) and no traceback.
2. Execute every notebook with papermill, in parallel (``--jobs``).
3. Export a reader-facing HTML page per notebook (no code, no prompts, no
   scripts: readable offline), an ``index.html`` and ``kyodo_review.xlsx``.
4. Swap the finished folder into ``--out``. On failure the previous ``--out``
   is left as it was, and the failed build is kept in ``<out>.failed/``.

Every file but the generation date in ``index.html`` is byte-identical
from run to run on unchanged inputs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import config
from .era import fiscal_year_label
from .labels import to_japanese
from .notebooks import execute_notebook, notebook_paths
from .review import PlanReview, review_plan

__all__ = ["build_report", "default_out", "write_workbook", "main", "ReportError", "WORKBOOK_SHEETS"]

WORKBOOK_NAME = "kyodo_review.xlsx"
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.DOTALL | re.IGNORECASE)
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


class ReportError(RuntimeError):
    """A notebook failed; the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class _Run:
    name: str
    seconds: float
    error: str | None


def _execute(path: str, output: str, parameters: dict, page: str, title: str) -> _Run:
    """Run one notebook and export its reader page (in a worker process); report a failing cell, don't raise."""
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    try:
        execute_notebook(path, output, parameters)
        Path(page).write_text(_reader_html(Path(output), title), encoding="utf-8")
        error = None
    except PapermillExecutionError as failure:
        error = f"cell {failure.exec_count} raised {failure.ename}: {failure.evalue}"
    except Exception as failure:  # the kernel died, or papermill could not start it
        error = f"{type(failure).__name__}: {failure}"
    return _Run(Path(path).stem, time.perf_counter() - start, error)


def _reader_html(notebook_path: Path, title: str) -> str:
    """A reader-facing page: no code cells, no prompts and no scripts (nothing loads from the internet)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, exclude_anchor_links=True)
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook)
    return _SCRIPT.sub("", body)


#: The sheets of the workbook: name -> (what it holds, how to get it from a review).
WORKBOOK_SHEETS = {
    "施策": lambda r: r.measures,
    "実施目標年度": lambda r: r.schedule,
    "推進課": lambda r: r.departments,
    "ブロック別": lambda r: r.by_block,
    "目標年度別": lambda r: r.by_target_fy,
    "推進課別": lambda r: r.by_department,
    "計画と実績": lambda r: r.progress,
    "整合性チェック": lambda r: r.audit,
}


def _display_width(value: object) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def write_workbook(review: PlanReview, path: Path) -> Path:
    """Write the review's tables for city staff: Japanese headers, columns sized to fit, stable bytes."""
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, table_of in WORKBOOK_SHEETS.items():
            table = to_japanese(table_of(review).round(3))
            table = table.astype({c: "object" for c in table.columns if isinstance(table[c].dtype, pd.CategoricalDtype)})
            table.to_excel(writer, sheet_name=sheet, index=False)
            worksheet = writer.sheets[sheet]
            for index, column in enumerate(table.columns, start=1):
                widest = max([_display_width(column), *(_display_width(v) for v in table[column].tolist())])
                worksheet.column_dimensions[get_column_letter(index)].width = min(80, widest + 2)
            worksheet.freeze_panes = "A2"
        writer.book.properties.creator = "kyodo-analysis"
        writer.book.properties.created = dt.datetime(*_FIXED_TIME)
    _write_stable_zip(buffer.getvalue(), path)
    return path


def _write_stable_zip(data: bytes, path: Path) -> None:
    """Rewrite an xlsx with fixed entry times and document dates, so the bytes depend on the content only."""
    stamp = dt.datetime(*_FIXED_TIME).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            info = zipfile.ZipInfo(item.filename, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)


def _index_html(review: PlanReview, pages: list[tuple[str, str]], figures: list[str], generated: str) -> str:
    esc = html.escape
    rows = "\n".join(f'      <li><a href="{esc(href)}">{esc(label)}</a></li>' for href, label in pages)
    figure_rows = "\n".join(
        f'    <figure><a href="{esc(href)}"><img src="{esc(href)}" alt="{esc(Path(href).stem)}" loading="lazy"></a>'
        f"<figcaption>{esc(Path(href).name)}</figcaption></figure>"
        for href in figures
    )
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>{esc(review.title)}：中間評価</title>
<style>
  body {{ font-family: "IPAexGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif; max-width: 52em;
         margin: 2em auto; padding: 0 1em; line-height: 1.7; color: #222; }}
  h1 {{ font-size: 1.5em; }} .meta {{ color: #555; }} li {{ margin: 0.2em 0; }}
  .figures {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(15em, 1fr)); gap: 1em; }}
  figure {{ margin: 0; }} figure img {{ width: 100%; border: 1px solid #ddd; }}
  figcaption {{ font-size: 0.85em; color: #555; }}
</style>
</head>
<body>
  <h1>{esc(review.title)}：中間評価</h1>
  <p class="meta">計画期間 {esc(fiscal_year_label(review.first_fy))}〜{esc(fiscal_year_label(review.last_fy))}
    ／ {esc(fiscal_year_label(review.as_of_fy))}時点 ／ {len(review.measures)}施策 ／ 作成日 {esc(generated)}</p>
  <h2>報告書</h2>
  <ul>
{rows}
  </ul>
  <h2>図</h2>
  <div class="figures">
{figure_rows}
  </div>
</body>
</html>
"""


_PAGE_TITLES = {
    "01_data_overview": "データの概要",
    "02_ratings": "評価の分布と内訳",
    "03_plan_vs_actual": "計画と実績",
    "04_departments": "推進課から見た進捗",
    "10_midterm_review": "中間評価（本文）",
}


def default_out(raw: str | os.PathLike | None) -> Path:
    """``reports/`` for the bundled table; ``reports_<name>/`` beside it for another, so Kitamoto's is never overwritten."""
    return config.REPORTS if raw is None else config.PROJECT_ROOT / f"reports_{Path(raw).stem}"


def build_report(out: str | os.PathLike | None = None, *, raw: str | os.PathLike | None = None,
                 era: str = "平成", title: str | None = None, as_of: int | None = None, jobs: int | None = None,
                 notebooks: list[Path] | None = None, log=print) -> Path:
    """Build the whole review into ``out``; return it.

    Raises
    ------
    StatusTableError
        Bad input, found by ``review_plan`` before any notebook runs; ``out`` is untouched.
    ReportError
        A notebook failed; ``out`` is untouched and the build is kept in ``<out>.failed``.
    """
    out = Path(default_out(raw) if out is None else out).resolve()
    raw_path = None if raw is None else Path(raw).resolve()
    review = review_plan(raw_path, era=era, plan_title=title, as_of_fy=as_of)
    notebooks = notebook_paths() if notebooks is None else notebooks
    out.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    figures_dir = config.FIGURES if raw_path is None else build / "figures"
    parameters = {"era": era, "figures_dir": str(figures_dir)}
    if raw_path is not None:
        parameters["raw_path"] = str(raw_path)
    if title is not None:
        parameters["plan_title"] = title
    if as_of is not None:
        parameters["as_of_fy"] = int(as_of)
    (build / "notebooks").mkdir()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(notebooks)))
    log(f"kyodo-report: {len(notebooks)} notebooks, {jobs} at a time, on {raw_path or 'the bundled Kitamoto table'}")
    failures = []
    # forkserver, not fork (the parent may hold threads) nor spawn (slow): workers fork from a
    # clean server process that has imported this module once
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [
            pool.submit(_execute, str(path), str(build / "notebooks" / path.name), parameters,
                        str(build / f"{path.stem}.html"), f"{review.title}：{_PAGE_TITLES.get(path.stem, path.stem)}")
            for path in notebooks
        ]
        for done, future in enumerate(futures, start=1):
            run = future.result()
            status = "ok" if run.error is None else f"FAILED: {run.error}"
            log(f"  [{done}/{len(futures)}] {run.name}  {run.seconds:.1f} s  {status}")
            if run.error is not None:
                failures.append(f"{run.name}.ipynb: {run.error}")
    if failures:
        failed = out.with_name(out.name + ".failed")
        shutil.rmtree(failed, ignore_errors=True)
        build.rename(failed)
        raise ReportError("; ".join(failures) + f" (executed notebooks kept in {failed}/notebooks)")

    pages = [(f"{path.stem}.html", _PAGE_TITLES.get(path.stem, path.stem)) for path in notebooks]
    write_workbook(review, build / WORKBOOK_NAME)
    pages.append((WORKBOOK_NAME, "集計表（Excel）"))
    pages += [(f"notebooks/{path.name}", f"実行済みノートブック {path.name}（分析者向け）") for path in notebooks]
    if raw_path is None:  # a self-contained report: copy the tracked figures in
        shutil.copytree(config.FIGURES, build / "figures")
    links = [f"figures/{path.name}" for path in sorted((build / "figures").glob("*.png"))]
    generated = dt.date.today().isoformat()
    (build / "index.html").write_text(_index_html(review, pages, links, generated), encoding="utf-8")

    previous = out.with_name(out.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if out.exists():
        out.rename(previous)
    build.rename(out)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(out.with_name(out.name + ".failed"), ignore_errors=True)
    log(f"kyodo-report: wrote {out}/index.html")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kyodo-report", description="Build the midterm review of a plan table.")
    parser.add_argument("--raw", help="raw extracted status table (default: the bundled Kitamoto table)")
    parser.add_argument("--era", default="平成", help="era of the table's header years (default: 平成)")
    parser.add_argument("--title", help="plan title for the text (default: the table's title line)")
    parser.add_argument("--as-of", type=int, help="review fiscal year, Western (default: latest year in statuses)")
    parser.add_argument("--out", help="output folder (default: reports/, or reports_<raw name>/ for --raw)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: the cores)")
    args = parser.parse_args(argv)
    try:
        build_report(args.out, raw=args.raw, era=args.era, title=args.title, as_of=args.as_of, jobs=args.jobs)
    except (ValueError, ReportError) as error:  # StatusTableError is a ValueError; so is an unknown era
        print(f"kyodo-report: error: {error}", file=sys.stderr)
        return 2 if isinstance(error, ValueError) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
