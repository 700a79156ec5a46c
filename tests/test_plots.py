"""Figures: content matches the data, Japanese renders, output is byte-identical."""

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from kyodo_analysis import (  # noqa: E402
    KYODO_SCALE,
    department_matrix,
    load_departments,
    load_measures,
    load_plan,
    load_schedule,
    rating_counts,
    review_plan,
    schedule_vs_status,
    summarize,
)
from kyodo_analysis.analysis.progress import latest_fiscal_year_mentioned  # noqa: E402
from kyodo_analysis.content.present import block_labels
from kyodo_analysis.figures import draw  # noqa: E402
from kyodo_analysis.figures.draw import (  # noqa: E402
    plot_department_matrix,
    plot_plan_vs_actual,
    plot_rating_bars,
    plot_rating_distribution,
    plot_score_index,
)
from kyodo_analysis.figures.fonts import use_japanese_font  # noqa: E402
from kyodo_analysis.figures.publish import save_figure  # noqa: E402
from kyodo_analysis.words import FIGURE_TEXT

KITAMOTO_STRUCTURE = Path(__file__).parent / "fixtures" / "kitamoto_structure.csv"
from kyodo_analysis.testing.synthetic import Messiness, generate_measures, render_status_table  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    measures = load_measures()
    return measures, load_schedule(), load_departments(), load_plan().iloc[0]


def _timeline(data, **kwargs):
    measures, schedule, _, plan = data
    return plot_plan_vs_actual(measures, schedule, schedule_vs_status(measures), first_fy=int(plan["first_fy"]),
                               last_fy=int(plan["last_fy"]), as_of=latest_fiscal_year_mentioned(measures),
                               group_labels=block_labels(measures), **kwargs)


def _marks_by_row(ax):
    """{(x, y): text} of the ○ and → marks drawn in the year cells."""
    return {(round(t.get_position()[0], 2), t.get_position()[1]): t.get_text()
            for t in ax.texts if t.get_text() in ("○", "→")}


@pytest.mark.slow
def test_timeline_rows_and_marks(data):
    ax = _timeline(data)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    measure_rows = [label for label in labels if not label.startswith("【")]
    assert len(measure_rows) == 19
    assert labels[0] == "【表の区分1（No.1〜7）】" and sum(label.startswith("【") for label in labels) == 3
    y_of = {int(label.split(".")[0]): -i for i, label in enumerate(labels) if not label.startswith("【")}
    marks = _marks_by_row(ax)
    assert marks[(2009, y_of[8])] == "○" and marks[(2010, y_of[8])] == "→"
    assert marks[(2007, y_of[14])] == "○" and marks[(2008, y_of[14])] == "→"
    assert [x for (x, y) in marks if y == y_of[8]] == [2009, 2010]
    assert "13. NPO/SOHO オフィスの設置" in labels
    assert any(label.endswith("…") for label in labels)  # No.17 is shortened
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "H20\n2008" in ticks and ticks[-1] == "評価"


def test_rating_bars_by_block_keep_the_table_s_order(data):
    measures, *_ = data
    ax = plot_rating_bars(summarize(measures, by="block"), "block", labels=block_labels(measures))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # table sections are layout, never ranked by score (issue 23 §5): section 1 at the top, as in the table
    assert labels == ["表の区分3（No.15〜19）", "表の区分2（No.8〜14）", "表の区分1（No.1〜7）"]  # listed bottom up
    assert sorted(t.get_text() for t in ax.texts if t.get_text().startswith("n=")) == ["n=5", "n=7", "n=7"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["◎ 達成", "○ 概ね達成", "△ 一部実施", "× 未実施"]
    # block 2 (the middle row): × 3 of 7 ends at −(△ 2 + × 3)/7
    left_most = min(p.get_x() for p in ax.patches if 0.5 < p.get_y() < 1.5)
    assert left_most == pytest.approx(-500 / 7)


def test_rating_distribution_english_labels(data):
    measures, *_ = data
    ax = plot_rating_distribution(rating_counts(measures), lang="en")
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "◎\nachieved"
    assert ax.get_title() == "Distribution of ratings (n=19)"


def test_department_matrix_one_row_per_department(data):
    measures, _, departments, _ = data
    ax = plot_department_matrix(department_matrix(measures, departments=departments))
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == departments["department"].nunique() == 8
    assert rows[:3] == ["協働推進課（19）", "全課（8）", "産業振興課（4）"]  # full-width brackets in Japanese
    assert sum(t.get_text() in KYODO_SCALE.symbols for t in ax.texts) == len(departments)


def test_score_index_bars_and_reference(data):
    measures, *_ = data
    ax = plot_score_index(summarize(measures, by="block"), "block", overall=summarize(measures)["score_index"].item())
    assert [round(p.get_height(), 1) for p in ax.patches] == [61.9, 28.6, 66.7]
    assert ax.get_legend().get_texts()[0].get_text() == "計画全体 50.9"


@pytest.mark.slow
def test_every_japanese_string_renders_without_missing_glyphs(data, tmp_path):
    measures, _, departments, plan = data
    strings = [s for words in FIGURE_TEXT.values() for s in words.values()]
    strings += list(KYODO_SCALE.labels_ja) + list(KYODO_SCALE.symbols) + ["→", "…", "【】", "–"]
    strings += measures["direction"].tolist() + departments["department"].unique().tolist() + [plan["title"]]
    use_japanese_font()
    fig, ax = plt.subplots(figsize=(4, 0.2 * len(strings)))
    for i, text in enumerate(strings):
        ax.text(0, i, text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "all_strings.png")
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []


def test_font_survives_a_style_reset(data):
    plt.style.use("default")
    ax = plot_rating_distribution(rating_counts(data[0]))
    assert ax.get_title() == "評価の分布（n=19）"
    assert matplotlib.rcParams["font.sans-serif"][0] == "IPAexGothic"


@pytest.mark.slow
def test_a_published_figure_leaves_its_title_to_its_caption(tmp_path):
    """Drawn alone, a figure names itself; published (saved and shown with its caption) it does not repeat it."""
    from kyodo_analysis import review_plan
    from kyodo_analysis.figures.draw import rating_distribution
    from kyodo_analysis.figures.publish import publish

    plan_review = review_plan()
    ax = rating_distribution(plan_review)
    assert ax.get_title() == "評価の分布（n=19）"
    assert [text.get_text() for text in ax.texts][:1] == ["3件（15.8%）"]  # ◎ 3 of 19
    publish(ax.figure, "rating_distribution", plan_review, directory=tmp_path)
    assert ax.get_title() == "" and (tmp_path / "rating_distribution.png").is_file()


@pytest.mark.slow
def test_saved_figures_are_byte_identical_across_processes(tmp_path):
    """A figure drawn here has the bytes of the tracked one, which a notebook's kernel drew in another process:
    no software version, no date, a fixed SVG hash salt."""
    from kyodo_analysis.config import FIGURES
    from kyodo_analysis.figures.publish import publish

    plan_review = review_plan()
    publish(draw.rating_distribution(plan_review).figure, "rating_distribution", plan_review, directory=tmp_path)
    for path in sorted(tmp_path.glob("rating_distribution.*")):
        assert path.read_bytes() == (FIGURES / path.name).read_bytes(), path.name
    svg = (tmp_path / "rating_distribution.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_a_saved_png_has_matplotlib_s_pixels_without_an_alpha_channel(tmp_path):
    """The figures are opaque: their PNGs are RGB (smaller and quicker to write than RGBA), pixel for pixel what
    matplotlib draws, at the dpi asked, with no text chunk."""
    import io

    import numpy as np
    from PIL import Image

    from kyodo_analysis.figures.publish import save_figure

    plan_review = review_plan()
    path, = save_figure(draw.rating_distribution(plan_review).figure, "mine", formats=("png",), directory=tmp_path)
    drawn = io.BytesIO()
    draw.rating_distribution(plan_review).figure.savefig(drawn, format="png", dpi=200)
    with Image.open(path) as mine, Image.open(drawn) as matplotlib_s:
        assert (mine.mode, matplotlib_s.mode) == ("RGB", "RGBA")
        assert matplotlib_s.getchannel("A").getextrema() == (255, 255)  # opaque: nothing is lost
        assert np.array_equal(np.asarray(mine), np.asarray(matplotlib_s.convert("RGB")))
        assert round(mine.info["dpi"][0]) == 200 and not mine.text
    plt.close("all")


def test_a_laid_out_figure_is_drawn_once_for_each_format_it_is_saved_in(tmp_path, monkeypatch):
    """savefig lays a figure out by drawing it whole, unseen, before it draws it for real; save_figure lays it
    out alone, so that each page of a large plan is drawn once, not twice (the pixels are the same: see above).
    The figure keeps its layout engine."""
    from matplotlib.figure import Figure

    fig = draw.rating_distribution(review_plan()).figure
    engine = fig.get_layout_engine()
    drawn_with = []
    figure_draw = Figure.draw

    def counted_draw(self, renderer):
        drawn_with.append(renderer)
        return figure_draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted_draw)
    save_figure(fig, "once", formats=("png", "svg"), directory=tmp_path)
    assert len(drawn_with) == 2 and (tmp_path / "once.svg").exists()
    assert fig.get_layout_engine() is engine
    plt.close("all")


def test_a_laid_out_figure_without_axes_is_saved_without_a_warning(tmp_path):
    """matplotlib lays out no figure without axes (its engine would warn of no gridspecs); neither does
    save_figure."""
    from matplotlib.figure import Figure

    fig = Figure(layout="constrained")
    fig.text(0.5, 0.5, "該当なし")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paths = save_figure(fig, "empty", directory=tmp_path)
    assert [path.name for path in paths] == ["empty.png", "empty.svg"]


@pytest.mark.slow
def test_figures_render_for_a_generated_plan_of_60_measures_in_5_blocks(tmp_path):
    measures = generate_measures(60, n_blocks=5, era="令和", first_year=2, n_years=8, seed=3)
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=8, messy=Messiness(), seed=3),
                   encoding="utf-8")
    plan_review = review_plan(raw, era="令和")
    axes = {
        "distribution": draw.rating_distribution(plan_review),
        "by_block": draw.ratings_by(plan_review, "block"),
        "by_year": draw.ratings_by(plan_review, "target_fy"),
        "by_department": draw.ratings_by(plan_review, "department"),
        "index": draw.score_index_by(plan_review, "target_fy"),
        "timeline": draw.plan_vs_actual(plan_review),
        "matrix": draw.department_matrix(plan_review),
    }
    path, = save_figure(axes["timeline"].figure, "timeline", formats=("png",), directory=tmp_path / "figures")
    assert path.stat().st_size > 1000 and all(ax.has_data() for ax in axes.values())
    assert len(axes["by_block"].get_yticklabels()) == 5
    assert sum(not t.get_text().startswith("【") for t in axes["timeline"].get_yticklabels()) == 60
    kitamoto = _timeline((load_measures(), load_schedule(), None, load_plan().iloc[0]))
    # heights scale with the rows: 65 lines against Kitamoto's 22
    assert axes["timeline"].figure.get_size_inches()[1] > 2 * kitamoto.figure.get_size_inches()[1]


@pytest.mark.slow
def test_timeline_labels_other_era(tmp_path):
    measures = generate_measures(6, n_blocks=2, era="令和", first_year=1, n_years=4, seed=1)
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=1, n_years=4), encoding="utf-8")
    m = load_measures(raw, era="令和")
    plan = load_plan(raw, era="令和").iloc[0]
    ax = plot_plan_vs_actual(m, load_schedule(raw, era="令和"), schedule_vs_status(m), first_fy=int(plan["first_fy"]),
                             last_fy=int(plan["last_fy"]))
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[:4] == ["R1\n2019", "R2\n2020", "R3\n2021", "R4\n2022"]
    assert save_figure(ax.figure, "t", formats=("png",), directory=tmp_path)[0].exists()


@pytest.mark.slow
def test_review_figures_are_the_frame_figures_with_the_review_s_labels():
    """plots.<figure>(plan_review) draws the same as the frame function given the review's tables and labels."""
    plan_review = review_plan()
    one_call = draw.ratings_by(plan_review, "block", lang="en")
    by_hand = plot_rating_bars(plan_review.by_level["block"], "block", lang="en",
                               labels=block_labels(plan_review.measures, "en"))
    assert [t.get_text() for t in one_call.get_yticklabels()] == [t.get_text() for t in by_hand.get_yticklabels()]
    assert [t.get_text() for t in one_call.get_yticklabels()][-1] == "Table section 1 (No.1–7)"  # first on top
    index = draw.score_index_by(plan_review, "target_fy")
    assert [round(p.get_height(), 1) for p in index.patches] == [71.4, 61.1, 16.7]
    assert index.get_legend().get_texts()[0].get_text() == "計画全体 50.9"
    timeline = draw.plan_vs_actual(plan_review)
    assert "【表の区分2（No.8〜14）】" in [t.get_text() for t in timeline.get_yticklabels()]
    with pytest.raises(TypeError, match="plan_review must be a PlanReview"):
        draw.plan_vs_actual(plan_review.measures)
    with pytest.raises(ValueError, match="by='rating' is not accepted"):
        draw.ratings_by(plan_review, "rating")


def test_department_figure_sets_apart_the_lead_and_all_departments_and_fades_small_ones():
    ax = draw.ratings_by(review_plan(), "department")
    labels = [t.get_text() for t in ax.get_yticklabels()]  # bottom first
    assert labels[:2] == ["協働推進課（主管課・全施策）", "全課（すべての課）"] or \
        labels[:2] == ["全課（すべての課）", "協働推進課（主管課・全施策）"]
    assert labels[-1] == "産業振興課"  # the one department of 3 or more measures, on top of the faded n = 1 rows
    faded = [t.get_text() for t in ax.get_yticklabels() if t.get_color() == "#8c8c8c"]
    assert sorted(faded) == sorted(["政策推進課", "生涯学習課", "福祉課", "秘書広報課", "総務課"])


@pytest.mark.slow
def test_figures_follow_the_plan_s_structure():
    plan_review = review_plan(structure=KITAMOTO_STRUCTURE)
    ax = draw.ratings_by(plan_review, "基本目標")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1 市民活動への支援", "2 協働の仕組みづくり"]
    assert ax.get_title() == "基本目標別の評価"
    timeline = [t.get_text() for t in draw.plan_vs_actual(plan_review).get_yticklabels()]
    assert timeline[0] == "【1 市民活動への支援】" and "【2 協働の仕組みづくり】" in timeline
    assert plan_review.figure_key("基本方針") == "level2"
