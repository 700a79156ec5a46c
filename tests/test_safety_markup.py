"""Data never becomes markup, math or a formula: figures, CSVs, Markdown and workbook sheet names (issue 20.2, 20.4)."""

import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from kyodo_analysis import plots, review_plan  # noqa: E402
from kyodo_analysis.synthetic import generate_measures, render_status_table  # noqa: E402

#: Names that mean something to mathtext, TeX, Markdown or a format string.
HOSTILE = ["拠点$x^2$整備", r"広報$\frac$サイト", "a\\b_c%d", "_下線_", "100%達成"]
STRUCTURE_LEVELS = ["目標$x^2$", "方針\\_"]


def _write_hostile_plan(folder):
    """A 6-measure plan whose measure names, departments, level names and group names are all hostile."""
    measures = generate_measures(6, n_blocks=2, era="令和", first_year=2, n_years=4, seed=5)
    measures = [m._replace(direction=f"{HOSTILE[i % len(HOSTILE)]}{i}",
                           departments=("協働推進課", f"{HOSTILE[(i + 1) % len(HOSTILE)]}課"))
                for i, m in enumerate(measures)]
    raw = folder / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=4), encoding="utf-8")
    structure = folder / "structure.csv"
    with structure.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["No", *STRUCTURE_LEVELS])
        writer.writerows([m.no, HOSTILE[m.no % 2], HOSTILE[2 + m.no % 3]] for m in measures)
    return raw, structure


@pytest.fixture(scope="module")
def hostile_review(tmp_path_factory):
    raw, structure = _write_hostile_plan(tmp_path_factory.mktemp("hostile"))
    return review_plan(raw, era="令和", structure=structure, previous=raw)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---- 1. figures draw every data text as typed ---------------------------------------------------------------


def _figures(plan_review):
    """Every figure the notebooks draw, with the hostile names in ticks, titles, legends and cell texts."""
    level, inner = plan_review.levels
    axes = [plots.ratings_by(plan_review, level), plots.ratings_by(plan_review, "department"),
            plots.score_index_by(plan_review, inner)]
    # the timeline and the matrix in pages of 3 measures: each page's title names its group
    axes += [ax for _, ax in plots.plan_vs_actual_pages(plan_review, per_page=3)]
    axes += [ax for _, ax in plots.department_matrix_pages(plan_review, per_page=3)]
    return axes


def _drawn_texts(ax):
    ax.figure.draw_without_rendering()  # lays out every text: mathtext would fail here on $\frac$
    return [text for text in ax.figure.findobj(Text) if text.get_text()]


def test_every_figure_draws_hostile_names_as_typed(hostile_review):
    seen = set()
    for ax in _figures(hostile_review):
        texts = _drawn_texts(ax)
        for text in texts:
            if any(mark in text.get_text() for mark in "$\\_%"):
                assert not text.get_parse_math(), (ax.get_title(), text.get_text())
        seen |= {text.get_text() for text in texts}
    for name in HOSTILE:  # a group label (tick), a department with its count
        assert name in seen
        assert f"{name}課 (1)" in seen or f"{name}課 (2)" in seen
    for name in HOSTILE[:2]:  # a group of the first level: a timeline's group row, a page title
        assert f"【{name}】" in seen
        assert any(text.endswith(f"\n{name}（1/2）") or text.endswith(f"\n{name}（2/2）") for text in seen)
    assert "目標$x^2$別の評価" in seen and "方針\\_別のスコア指数" in seen
    assert any(text.startswith("1. 拠点$x^2$整備0") for text in seen)  # a timeline row: No. and direction
