"""Saving and showing the figures: byte-stable files (PNG, SVG), and a notebook cell's one call, :func:`show`,
which draws the review's figures of a kind from the catalog, saves them and shows each with its caption.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from kyodo_analysis import config
from kyodo_analysis.analysis.review import PlanReview
from kyodo_analysis.content.catalog import FIGURE_KINDS, ReviewFigure, figure_caption, review_figures
from kyodo_analysis.figures import draw as drawing
from kyodo_analysis.figures import pages as paging
from kyodo_analysis.figures.draw import (
    checked_review,
    department_matrix,
    indicator_progress,
    plan_vs_actual,
    rating_history,
)
from kyodo_analysis.figures.pages import FigurePages
from kyodo_analysis.file_writes import write_file
from kyodo_analysis.png import png_bytes
from kyodo_analysis.validation import check_choice
from kyodo_analysis.words import FIGURE_CAPTIONS, FIGURE_TEXT, words_for

__all__ = ["MAX_FIGURE_PIXELS", "save_figure", "save_pages", "save_review_figures", "show", "publish", "publish_pages"]


#: The largest side of a saved figure, in pixels: a page that prints on A4 and opens anywhere.
MAX_FIGURE_PIXELS = 4000


def save_figure(fig: Figure, name: str, *, formats: Sequence[str] = ("png", "svg"), dpi: int = 200,
                directory: str | os.PathLike | None = None) -> list[Path]:
    """Write ``<directory>/<name>.<ext>`` for each format; return the paths.

    The bytes depend only on the figure: no software version, no date, and a
    fixed SVG hash salt, so saving the same figure twice, in two processes,
    gives identical files. ``directory`` defaults to ``figures/``. The dpi is
    lowered where needed so that no side exceeds :data:`MAX_FIGURE_PIXELS`.
    """
    directory = Path(config.FIGURES if directory is None else directory)
    directory.mkdir(parents=True, exist_ok=True)
    dpi = min(dpi, int(MAX_FIGURE_PIXELS / max(fig.get_size_inches())))  # never more than 4,000 px a side
    metadata = {
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    }
    paths = []
    layout = fig.get_layout_engine()
    try:
        if layout is not None and fig.axes:  # laid out once, at the saved dpi (matplotlib lays out no empty figure)
            _lay_out(fig, layout, dpi)
        with mpl.rc_context({"svg.hashsalt": "kyodo-analysis", "svg.fonttype": "path"}):
            for ext in formats:
                path = directory / f"{name}.{ext}"
                if ext == "png":
                    drawn = _opaque_png(fig, dpi)
                else:
                    saved = io.BytesIO()
                    fig.savefig(saved, dpi=dpi, metadata=metadata.get(ext), format=ext)
                    drawn = saved.getvalue()
                write_file(path, drawn)  # whole, and never through a link
                paths.append(path)
    finally:
        if layout is not None:
            fig.set_layout_engine(layout)
    return paths


def _lay_out(fig: Figure, layout, dpi: float) -> None:
    """Place the axes of ``fig`` by its layout engine, at ``dpi``, and turn the engine off until the figure is saved.

    This is what ``savefig`` does first, but ``savefig`` places them by drawing the whole figure unseen, every
    label and mark, before it draws it for real. Laid out alone, the figure is drawn once: the same pixels, and a
    page of a large plan is saved a quarter quicker. The figure's dpi is the saved one meanwhile, as in
    ``savefig``, since text is measured in pixels.
    """
    canvas, shown_dpi = fig.canvas, fig.dpi
    manager, canvas.manager = canvas.manager, None  # as in savefig: no window is resized meanwhile
    try:
        fig.dpi = dpi
        layout.execute(fig)
    finally:
        fig.dpi = shown_dpi
        canvas.manager = manager
    # no engine at all, not matplotlib's "none" (a placeholder, for which savefig still draws the figure unseen)
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def _opaque_png(fig: Figure, dpi: float) -> bytes:
    """The figure drawn at ``dpi`` as a PNG without an alpha channel: every figure here is opaque (its background
    is white), so RGB keeps every pixel, and the file is smaller and quicker to write than matplotlib's RGBA
    (:func:`~kyodo_analysis.png.png_bytes`). No text chunk: the bytes depend on the figure only."""
    import numpy as np
    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(raw, dpi=dpi, format="rgba")
    pixels = raw.getvalue()
    # the size of the canvas it was drawn on: the Agg renderer's, kept by an Agg canvas (Agg, inline, the GUIs)
    renderer = getattr(fig.canvas, "renderer", None)
    size = (int(renderer.width), int(renderer.height)) if renderer is not None else (0, 0)
    if 4 * size[0] * size[1] != len(pixels):  # drawn on a canvas of matplotlib's own: its PNG, with alpha
        png = io.BytesIO()
        fig.savefig(png, dpi=dpi, format="png", metadata={"Software": None})
        return png.getvalue()
    return png_bytes(np.asarray(Image.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0, 1).convert("RGB")), dpi=dpi)


def save_pages(pages: FigurePages, name: str, *, directory: str | os.PathLike | None = None) -> list[Path]:
    """Draw and save the pages of :func:`plan_vs_actual_pages` or :func:`department_matrix_pages`.

    A single page is saved as PNG and SVG under ``name``, as every other
    figure, and stays open to be shown. The pages of a larger plan are saved
    as ``<name>_p01.png``, ``_p02.png``, … (PNG only: a page is for reading and
    printing, and an SVG of every page would double the report's time on a
    large plan), each closed once saved, so that memory holds one page at a time.
    """
    single = len(pages) == 1
    paths = []
    for suffix, ax in pages:
        paths += save_figure(ax.figure, f"{name}{suffix}", formats=("png", "svg") if single else ("png",),
                             directory=directory)
    return paths


#: The single-page function of each paged figure, and the key of its title in FIGURE_TEXT.
_SINGLE_PAGE = {"plan_vs_actual_pages": (plan_vs_actual, "timeline"),
                "department_matrix_pages": (department_matrix, "matrix"),
                "rating_history_pages": (rating_history, "history"),
                "indicator_progress_pages": (indicator_progress, "indicators")}


def draw_function(figure: ReviewFigure) -> Callable:
    """The function of :mod:`~kyodo_analysis.figures.draw` or :mod:`~kyodo_analysis.figures.pages` that draws
    ``figure`` (the catalog names it)."""
    return getattr(drawing, figure.draw, None) or getattr(paging, figure.draw)


def show(plan_review: PlanReview, kind: str, *, level: str | None = None, directory: str | os.PathLike | None = None,
         save: bool = True, lang: str = "ja") -> None:
    """Draw the review's figures of one kind, save them and show them in the notebook, each with its caption.

    ``kind`` is a key of :data:`~kyodo_analysis.content.catalog.FIGURE_KINDS`; a kind
    ``…_by_level`` draws one figure per level of the plan (only ``level``'s
    when it is given). ``save=False`` shows without saving, as the narrative
    notebook does: a per-measure figure that needs several pages is then not
    drawn again, and a line says which notebook shows its pages.

    Examples
    --------
    >>> from kyodo_analysis import review_plan
    >>> show(review_plan(), "ratings_by_level", level="block", save=False)  # doctest: +SKIP
    """
    from IPython.display import Markdown, display

    from kyodo_analysis.words import NOTEBOOK_TITLES

    check_choice(kind, "kind", tuple(FIGURE_KINDS))
    plan_review = checked_review(plan_review)
    for figure in review_figures(plan_review, lang=lang):
        if figure.kind != kind or (level is not None and figure.level != level):
            continue
        if figure.paged and not save:
            n_pages = len(_draw(plan_review, figure, lang))  # its own pages (drawn only when iterated)
            single, title = _SINGLE_PAGE[figure.draw]
            if n_pages == 1:  # the whole figure, as the single-page function draws it
                publish(single(plan_review, lang=lang).figure, figure.name, plan_review, save=False, lang=lang)
            else:
                words = words_for(FIGURE_TEXT, lang)
                display(Markdown(words["pages_elsewhere"].format(
                    title=words[title], pages=n_pages, where=words_for(NOTEBOOK_TITLES, lang)[figure.notebook])))
            continue
        drawn = _draw(plan_review, figure, lang)
        if figure.paged:
            publish_pages(drawn, figure.name, plan_review, directory=directory, lang=lang)
        else:
            publish(drawn.figure, figure.name, plan_review, directory=directory, save=save, lang=lang)


def _draw(plan_review: PlanReview, figure: ReviewFigure, lang: str):
    """The catalog's ``figure`` drawn for the review: an Axes, or the :class:`FigurePages` of a paged figure."""
    return draw_function(figure)(plan_review, lang=lang, **dict(figure.options))


def save_review_figures(plan_review: PlanReview, directory: str | os.PathLike, *, lang: str = "ja",
                        formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Draw and save every figure of the review, as the notebooks save them, without showing any; the paths.

    The files are those of the report's ``figures/`` (the same names and
    bytes), for the documents of a review made without running the
    notebooks. Each figure is closed once saved. The documents print the
    PNGs only: ``formats=("png",)`` leaves out the SVGs, which take a third
    of the time.
    """
    plan_review = checked_review(plan_review)
    paths = []
    for figure in review_figures(plan_review, lang=lang):
        drawn = _draw(plan_review, figure, lang)
        if figure.paged and len(drawn) > 1:
            paths += save_pages(drawn, figure.name, directory=directory)
            continue
        fig = next(iter(drawn))[1].figure if figure.paged else drawn.figure
        paths += _save_untitled(fig, figure.name, directory, formats=formats)
        plt.close(fig)
    return paths


def _save_untitled(fig: Figure, name: str, directory: str | os.PathLike | None, *,
                   formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Save a figure that is shown under its caption: without its own title, which would repeat the caption."""
    for ax in fig.axes:
        ax.set_title("")
    return save_figure(fig, name, formats=formats, directory=directory)


def _display_with_caption(image: object, caption: str) -> None:
    from IPython.display import display

    display(image, metadata={"image/png": {"alt": caption, "caption": caption}})


def publish(fig: Figure, name: str, plan_review: PlanReview, *, directory: str | os.PathLike | None = None,
            save: bool = True, lang: str = "ja") -> None:
    """Save a figure (unless ``save`` is False) and show it in the notebook with its caption as alt text.

    The reader pages print the caption under the figure, and the documents a
    numbered caption, so the figure's own title is left out (it would repeat
    the caption); a page of a several-page figure keeps its title, which names
    its group. The figure is closed afterwards, so that it is shown once.
    """
    caption = figure_caption(plan_review, name, lang=lang)
    if save:
        from IPython.display import Image

        # show the PNG just saved instead of drawing the figure a third time (after the PNG and the SVG)
        png = next(path for path in _save_untitled(fig, name, directory) if path.suffix == ".png")
        _display_with_caption(Image(filename=str(png), width=round(fig.get_figwidth() * 100)), caption)
    else:
        for ax in fig.axes:  # the caption names the figure wherever it is shown: a title inside would repeat it
            ax.set_title("")
        _display_with_caption(fig, caption)
    plt.close(fig)


def publish_pages(pages: FigurePages, name: str, plan_review: PlanReview, *,
                  directory: str | os.PathLike | None = None, lang: str = "ja") -> None:
    """Save the pages of a figure (:func:`save_pages`) and show every one, in order, with its caption."""
    from IPython.display import Image

    if len(pages) == 1:
        (suffix, ax), = pages
        publish(ax.figure, f"{name}{suffix}", plan_review, directory=directory, lang=lang)
        return
    paths = save_pages(pages, name, directory=directory)
    for path in paths:
        caption = words_for(FIGURE_CAPTIONS, lang)["page"].format(
            caption=figure_caption(plan_review, name, lang=lang), page=int(path.stem.rsplit("_p", 1)[1]),
            pages=len(pages))
        _display_with_caption(Image(filename=str(path)), caption)
