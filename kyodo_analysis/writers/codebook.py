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
    """``data/raw/<name>`` for a table in the project's raw folder; else the file's name (never a path of
    the machine it ran on)."""
    return f"data/raw/{path.name}" if path.resolve().parent == DATA_RAW.resolve() else path.name


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
    era_note = ("表の年度見出しのとおり" if table.western else
                f"表の{table.era}の年度見出しを換算したもの（平成19年度 = 2007年度、2007年4月〜2008年3月）")
    lines = [
        "# コードブック：整理済みデータ（data/processed/）",
        "",
        "<!-- `make data`（kyodo_analysis.writers.codebook.write_codebook）が書いたファイルです。手で編集しないでください。 -->",
        "",
        f"元の表：{markdown_code(source_name)}「{markdown_text(table.title)}」、施策{len(table.measures)}件。"
        + ("出典は `data/raw/README.md` を参照。" if source_name.startswith("data/raw/") else ""),
        "",
        "`data/processed/` の表は、BOM 付き UTF-8（日本語版 Excel でもそのまま開ける）、改行 LF の CSV で、",
        "`no` の順（その中は `fy` または `position` の順）に並んでいます。",
        "",
        "- **文字は原表の表記のまま**です（`direction`、`content`、`status`、`title`）。除いたのは、PDF からの",
        "  抽出で日本語の間に入った空白だけです。全角の括弧（（案））なども原表のとおりです。",
        "- 照合に使う**正規化した文字**（NFKC：全角英数字・括弧を半角に）は、末尾が `_normalized` の列に",
        "  別に持っています（`direction_normalized`、`content_normalized`、`status_normalized`）。年度や語の",
        "  検索はこちらで行い、報告書で読み手に見せる文字（引用・一覧・表）は原表の表記の列から取ります。",
        f"- 年度は西暦の年度です：{era_note}。",
        "",
        "読み込みは `read_processed(\"data/processed\")`（`kyodo_analysis.read_processed`：4つの表を名前で",
        "引ける dict）で行い、下の型に戻ります。",
        "",
        "表計算ソフトは、`=`、`+`、`-`、`@`、タブ、復帰文字で始まる CSV のセルを数式として実行します。そのため、",
        "（アポストロフィの後が）これらの文字で始まる文字列は、先頭にアポストロフィ `'` を1つ足して書いています",
        "（OWASP の CSV インジェクション対策）。数値の符号はそのままです。`load_measures` などの読み込み関数は",
        "このアポストロフィを外すので、値は読んだとおりに戻ります。他のソフトで読むときは、先頭の `'` を1つ外して",
        "ください。**Excel で見るときは、報告書のブック（`reports/kyodo_review.xlsx`）を開いてください。**",
        "すべての文字列を文字列として保存しています。",
        "",
        "## 評価",
        "",
        ("原表には評価の凡例がありません。次の意味と仮定しています" if scale.meanings_assumed
         else "評価の意味は次のとおりです"),
        "（`kyodo_analysis.ratings.KYODO_SCALE`。別の尺度は `scale=` で渡せます）。",
        "",
        "| 記号 | 点数 | 意味 | meaning |",
        "|---|---|---|---|",
    ]
    for symbol, score, ja, en in zip(scale.symbols, scale.scores, scale.labels_ja, scale.labels_en):
        lines.append(f"| {symbol} | {score} | {ja} | {en} |")
    lines.append("")
    for name in COLUMNS:
        frame = tidy_frame(name, table)
        lines += [f"## `{TABLE_FILES[name]}`", "", "| 列 | 型 | 意味 | 例 |", "|---|---|---|---|"]
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
