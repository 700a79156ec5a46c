"""The review's HTML: a reader-facing page per executed notebook, and the index page, from autoescaped Jinja
templates (``templates/reader`` for nbconvert, ``templates/site`` for the index). Data text is escaped by the
templates; the pages carry no script and read offline."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kyodo_analysis.era import fiscal_year_label
from kyodo_analysis.words import INDEX_TEXT, REVIEW_NAMES

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from kyodo_analysis.analysis.review import PlanReview

__all__ = ["reader_html", "index_html"]

TEMPLATES = Path(resources.files("kyodo_analysis.writers") / "templates")  # package data

#: The options of nbconvert's HTML exporter for the reader pages: the ``reader`` template, no code or prompts.
READER_OPTIONS = {"template_name": "reader", "extra_template_basedirs": [str(TEMPLATES)], "exclude_input": True,
                  "exclude_input_prompt": True, "exclude_output_prompt": True, "exclude_anchor_links": True,
                  "language_code": "ja"}


def reader_html(notebook: NotebookNode | Path, title: str) -> str:
    """A reader-facing page: no code, prompts, analysts' notes or scripts; captioned figures; a way back.

    ``notebook`` is an executed notebook, or the path of one (a notebook
    given is titled ``title`` in place). The page is nbconvert's ``lab``
    page through the ``reader`` template (``templates/reader``), which
    leaves out every script and adds the print rules and the link back to
    the index.
    """
    import nbformat
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = _reader_exporter()(**READER_OPTIONS)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"analyst"}), enabled=True)
    if not isinstance(notebook, nbformat.NotebookNode):
        notebook = nbformat.read(notebook, as_version=4)
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook, resources={"kyodo_back": INDEX_TEXT["ja"]["back"]})
    return body


@functools.cache
def _reader_exporter() -> type:
    """nbconvert's ``HTMLExporter`` without its last step, which parses the whole page again (BeautifulSoup) to
    give an image without alt text an English one and to make the cells and outputs focusable (tabindex): the
    ``reader`` template writes both itself, in the markup it renders. On a 1,000-measure plan that step took
    2.6 s of CPU over the five pages (1.5 s for the data overview's table of every measure)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReaderExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):  # HTMLExporter's, up to the BeautifulSoup pass
            language = nb.metadata.get("language_info", {})
            lexer = language.get("pygments_lexer", language.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReaderExporter


def index_html(plan_review: PlanReview, sections: list[tuple[str, list[tuple[str, str]]]],
                figures: list[tuple[str, str]], generated: str) -> str:
    """The entry page: the review first, then the details, the documents, the figures, and the analysts' files."""
    import jinja2

    words = INDEX_TEXT["ja"]
    label = lambda fy: fiscal_year_label(fy, western=plan_review.western)  # noqa: E731
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "site"), autoescape=True,
                                     keep_trailing_newline=True)
    return environment.get_template("index.html.j2").render(
        title=plan_review.title, review=REVIEW_NAMES["ja"][plan_review.kind], words=words,
        first=label(plan_review.first_fy), last=label(plan_review.last_fy),
        as_of=words["as_of"].format(label=label(plan_review.as_of)),
        measures=words["measures"].format(n=len(plan_review.measures)),
        generated=words["generated"].format(date=generated), sections=sections, figures=figures)
