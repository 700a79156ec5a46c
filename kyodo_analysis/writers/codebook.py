"""The codebook of the processed tables (``data/README.md``): every column's type and meaning, with an example.

It is written beside the CSVs by ``make data`` and by ``kyodo-report`` for
another table; its texts from the data are escaped for Markdown.
"""

from __future__ import annotations

import os
from pathlib import Path

from kyodo_analysis.config import DATA_RAW
from kyodo_analysis.content.narrative import markdown_code, markdown_text
from kyodo_analysis.file_writes import write_file
from kyodo_analysis.ratings import KYODO_SCALE
from kyodo_analysis.source.loaders import COLUMNS, TABLE_FILES, Raw, load_status_table, tidy_frame
from kyodo_analysis.words import CODEBOOK_MEANINGS

__all__ = ["write_codebook"]


def _source_name(path: Path) -> str:
    """``data/raw/<name>`` for a table in the project's raw folder; else the file's own path."""
    return f"data/raw/{path.name}" if path.resolve().parent == DATA_RAW.resolve() else str(path)


def write_codebook(path: str | os.PathLike, raw: Raw = None, *, era: str | None = None,
                   encoding: str | None = None, sheet: str | None = None) -> Path:
    """Write the codebook of the processed tables (Markdown), with an example from the data.

    The title, the source's name and the examples are data: they are escaped
    (:func:`~kyodo_analysis.content.narrative.markdown_text`), so that they show as typed
    and never make a link, HTML or a table cell of their own.
    """
    table = load_status_table(raw, era=era, encoding=encoding, sheet=sheet)
    source_name = _source_name(Path(table.path))
    scale = KYODO_SCALE
    lines = [
        "# Codebook: processed data",
        "",
        "<!-- Written by `make data` (kyodo_analysis.writers.codebook.write_codebook); do not edit by hand. -->",
        "",
        f"Source: {markdown_code(source_name)}, \"{markdown_text(table.title)}\", {len(table.measures)} measures."
        + (" See `data/raw/README.md` for where it comes from." if source_name.startswith("data/raw/") else ""),
        "",
        "The tables in `data/processed/` are UTF-8 CSVs with LF line ends, sorted by `no`",
        "(then by `fy` or `position`). Text is NFKC-normalized, and the spaces that PDF",
        "extraction put inside Japanese are removed. Fiscal years are Western"
        + (", as in the table's header." if table.western else
           f": the table's {table.era} header years are converted (平成19年度 = FY2007, April 2007 to March 2008)."),
        "",
        "Load them with `read_processed(\"data/processed\")` (`kyodo_analysis.read_processed`: a dict of",
        "the four tables by name), which restores the dtypes below.",
        "",
        "A spreadsheet runs a CSV cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return as a",
        "formula. So a text that begins with one of these (after any apostrophes) is written with one more",
        "apostrophe `'` in front (OWASP's advice on CSV injection); numbers keep their sign. `load_measures`",
        "and the other loaders remove that apostrophe, so every value loads exactly as read; elsewhere, remove",
        "one leading `'` where the rest begins (after any further `'`) with one of those characters.",
        "**To read the data in Excel, open the report's workbook (`reports/kyodo_review.xlsx`)**, which",
        "stores every text as text.",
        "",
        "## Ratings (評価)",
        "",
        ("The table prints its ratings without a legend. We assume these meanings" if scale.meanings_assumed
         else "The ratings mean"),
        "(`kyodo_analysis.ratings.KYODO_SCALE`; another scale can be passed as `scale=`):",
        "",
        "| symbol | score | 意味 | meaning |",
        "|---|---|---|---|",
    ]
    for symbol, score, ja, en in zip(scale.symbols, scale.scores, scale.labels_ja, scale.labels_en):
        lines.append(f"| {symbol} | {score} | {ja} | {en} |")
    lines.append("")
    for name in COLUMNS:
        frame = tidy_frame(name, table)
        lines += [f"## `{TABLE_FILES[name]}`", "", "| column | type | meaning | example |", "|---|---|---|---|"]
        for column in COLUMNS[name]:
            example = str(frame[column.name].iloc[0]) if len(frame) else ""
            if len(example) > 30:
                example = example[:30] + "…"
            meaning = CODEBOOK_MEANINGS[name][column.name]
            lines.append(f"| `{column.name}` | {column.dtype} | {meaning} | {markdown_text(example)} |")
        lines.append("")
    path = Path(path)
    write_file(path, "\n".join(lines).encode("utf-8"))
    return path
