"""The parameters of the review notebooks, defined once.

Every notebook in ``notebooks/`` starts with the same parameters cell, written
from :class:`NotebookParameters` (see :func:`kyodo_analysis.run.notebooks.parameters_cell`);
``kyodo-report`` passes an instance of it to papermill. The names are the
same from the command line to the loaders: ``--raw`` → ``raw`` →
``review_plan(raw)`` → ``load_measures(raw)``, and likewise ``era``,
``sheet``, ``title``, ``as_of``, ``structure``, ``previous`` and ``errata``.

Examples
--------
>>> NotebookParameters(as_of=2010).to_papermill()["as_of"]
2010
>>> [name for name, _, _ in parameter_fields()][6:]
['previous', 'errata', 'indicators', 'indicator_scheme', 'figures_dir', 'lang']
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

__all__ = ["NotebookParameters", "parameter_fields"]


@dataclass(frozen=True)
class NotebookParameters:
    """What a review notebook is run on; each field's ``help`` is its comment in the notebook (Japanese)."""

    raw: str | None = field(default=None, metadata={"help": "抽出した状況表のパス。None なら同梱の北本市の表"})
    era: str | None = field(default=None, metadata={
        "help": "年度見出しが数字だけのときの元号（平成など）。見出しに元号か西暦があれば None"})
    sheet: str | None = field(default=None, metadata={
        "help": "Excel ブックで表のあるシート名。None なら見出しが列名と合う最初のシート"})
    title: str | None = field(default=None, metadata={"help": "文中で使う計画名。None なら表の表題行"})
    as_of: int | None = field(default=None, metadata={"help": "評価時点の西暦年度。None なら状況欄に記された最新の年度"})
    structure: str | None = field(default=None, metadata={
        "help": "施策体系のファイル（CSV か xlsx。No と基本目標などの列）。None なら表の区分で分ける"})
    previous: str | list[str] | None = field(default=None, metadata={
        "help": "前回の状況表のパス（前の回が複数なら古い順のリスト）。与えると変化と推移を示す。None なら比べない"})
    errata: str | None = field(default=None, metadata={
        "help": "表の誤記の一覧（CSV。No・欄・原文の列）。引用に（原文ママ）を付ける。None なら同梱の表の一覧だけ"})
    indicators: str | None = field(default=None, metadata={
        "help": "成果指標のファイル（CSV か xlsx）。与えると判定して示す。None なら指標なし"})
    indicator_scheme: str = field(default="level", metadata={
        "help": "成果指標の判定の基準: level（水準）または pace（ペース）"})
    figures_dir: str | None = field(default=None, metadata={"help": "図の保存先。None ならプロジェクトの figures/"})
    lang: str = field(default="ja", metadata={"help": "図と表の見出しの言語: ja または en"})

    def to_papermill(self) -> dict[str, object]:
        """The parameters as papermill injects them: every field, by name."""
        return dataclasses.asdict(self)


def parameter_fields() -> list[tuple[str, object, str]]:
    """Each parameter's name, default and help, in notebook order."""
    return [(f.name, f.default, f.metadata["help"]) for f in dataclasses.fields(NotebookParameters)]
