"""Plans of any size: an 84-measure plan's figures and documents, paged figures, grouped departments."""

import re
import struct

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import openpyxl  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from kyodo_analysis import review_plan
from kyodo_analysis.figures.draw import MEASURES_PER_PAGE, ratings_by  # noqa: E402
from kyodo_analysis.figures.pages import department_matrix_pages, measure_pages, plan_vs_actual_pages  # noqa: E402
from kyodo_analysis.figures.publish import MAX_FIGURE_PIXELS, save_pages  # noqa: E402
from kyodo_analysis.testing.synthetic import generate_measures, render_status_table  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def big_review(big_plan):
    raw, structure = big_plan
    return review_plan(raw, structure=structure)


def _png_size(path):
    with path.open("rb") as file:
        return struct.unpack(">II", file.read(24)[16:24])


def _measure_numbers(ax):
    """The measure numbers of a timeline page, from its row labels ``N. 施策の方向性``."""
    return [int(label.get_text().split(".")[0]) for label in ax.get_yticklabels() if not label.get_text().startswith("【")]


def test_the_big_plan_reads_its_era_spanning_header_and_structure(big_review):
    assert (big_review.first_fy, big_review.last_fy, big_review.era) == (2018, 2022, "平成・令和")
    assert big_review.levels == ("基本目標", "基本方針") and len(big_review.measures) == 84
    # render_structure puts measure index i (0-83) in goal i * 2 // 84 + 1: 0-41, 42-83
    assert big_review.by_level["基本目標"]["n"].tolist() == [42, 42]
    assert big_review.by_level["基本方針"]["n"].tolist() == [42, 42]  # one per 基本目標


@pytest.mark.slow
def test_timeline_pages_cover_every_measure_once_within_their_groups(big_review):
    pages = list(plan_vs_actual_pages(big_review))  # drawn once
    numbers = [no for _, ax in pages for no in _measure_numbers(ax)]
    assert sorted(numbers) == list(range(1, 85)) and len(numbers) == 84
    assert len(pages) == 4  # each 基本目標 (42 measures) on two pages of at most 40
    assert [suffix for suffix, _ in pages] == [f"_p{i:02d}" for i in range(1, len(pages) + 1)]
    goals = dict(zip(big_review.measures["no"], big_review.measures["基本目標"]))
    for _, ax in pages:
        shown = _measure_numbers(ax)
        assert len(shown) <= MEASURES_PER_PAGE and len({goals[no] for no in shown}) == 1  # one group a page
        assert ax.get_legend() is not None and goals[shown[0]] in ax.get_title()
        assert "比較" not in ax.get_title()  # the page names its group; the caption names the figure


@pytest.mark.slow
def test_department_matrix_pages_cover_every_measure_once(big_review):
    pages = list(department_matrix_pages(big_review))
    columns = [int(label.get_text()) for _, ax in pages for label in ax.get_xticklabels()]
    assert sorted(columns) == list(range(1, 85))
    assert all(ax.get_legend() is not None for _, ax in pages)


@pytest.mark.slow
def test_a_small_plan_keeps_one_page_and_its_file_name(tmp_path):
    pages = plan_vs_actual_pages(review_plan())
    assert len(pages) == 1 and [suffix for suffix, _ in pages] == [""]
    paths = save_pages(pages, "plan_vs_actual_timeline", directory=tmp_path)
    assert sorted(path.name for path in paths) == ["plan_vs_actual_timeline.png", "plan_vs_actual_timeline.svg"]


@pytest.mark.slow
def test_many_departments_show_the_twenty_largest_and_group_the_rest(tmp_path):
    measures = generate_measures(60, n_blocks=2, era="令和", first_year=2, n_years=5, seed=9)
    # 31 departments besides the lead one: 部署1課 carries measures 1-30, 部署k課 measure k for k = 31..60
    measures = [m._replace(departments=("協働推進課", f"部署{m.no if m.no > 30 else 1}課"))
                for m in measures]
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=5), encoding="utf-8")
    plan_review = review_plan(raw, era="令和")
    labels = [t.get_text() for t in ratings_by(plan_review, "department").get_yticklabels()]
    assert "その他（11課）" in labels and len(labels) == 20 + 1 + 1  # 20 largest, the other 11, the lead department
    (_, matrix), *_ = department_matrix_pages(plan_review)
    matrix_rows = [t.get_text() for t in matrix.get_yticklabels()]
    # the matrix has a row for every department, the lead one too: 20 rows, then the other 12
    assert len(matrix_rows) == 21 and matrix_rows[-1].startswith("その他（12課）")
    fewer = ratings_by(plan_review, "department", max_departments=5).get_yticklabels()
    assert "その他（26課）" in [t.get_text() for t in fewer]  # the number shown is a parameter


def test_the_documents_of_a_big_plan(big_documents, big_review):
    figures = sorted((big_documents / "figures").glob("*.png"))
    assert figures and all(max(_png_size(path)) <= MAX_FIGURE_PIXELS for path in figures)
    n_pages = len(measure_pages(big_review))
    for name in ("plan_vs_actual_timeline", "department_measure_matrix"):
        assert [path.name for path in figures if path.name.startswith(name)] == \
            [f"{name}_p{i:02d}.png" for i in range(1, n_pages + 1)]
    assert not list((big_documents / "figures").glob("*_p01.svg"))  # pages are PNG only
    # a page is drawn once, on an Agg canvas of its own, and saved as RGB like every figure; a page drawn again
    # for want of a canvas was saved as matplotlib's RGBA
    for path in figures:
        with Image.open(path) as image:
            assert image.mode == "RGB", path.name
    # the section before a paged figure cites its pages by their ends: （図5〜図8）, not each one
    from docx import Document

    from kyodo_analysis.run.report import document_names

    texts = [paragraph.text for paragraph in Document(big_documents / document_names(big_review.kind)[0]).paragraphs]
    caption = rf"図\d+ 実施目標年度と着手年度（記載上）の比較（\d/{n_pages}）"
    timeline = list(dict.fromkeys(text.split(" ")[0] for text in texts if re.fullmatch(caption, text)))
    assert len(timeline) == n_pages == 4
    assert any(f"（{timeline[0]}〜{timeline[-1]}）" in text for text in texts)
    assert not any(f"{timeline[1]}、" in text for text in texts)
    book = openpyxl.load_workbook(big_documents / "kyodo_review.xlsx")
    assert book["施策"].max_row - 1 == 84  # the workbook holds every row, whatever the text leaves out
    assert book["重点施策"].max_row - 1 == len(big_review.priorities) > 10


def _shown(monkeypatch) -> list[tuple[object, dict]]:
    """What a notebook cell would show: the objects passed to IPython's display, with their keywords."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kwargs: shown.append((obj, kwargs)))
    return shown


def test_the_narrative_of_a_big_plan_points_to_the_pages_and_keeps_its_lists_short(big_review, monkeypatch):
    from kyodo_analysis.content import narrative
    from kyodo_analysis.figures.publish import show

    shown = _shown(monkeypatch)
    show(big_review, "plan_vs_actual_timeline", save=False)  # as the narrative notebook shows it: nothing drawn
    (markdown, _), = shown
    assert markdown.data == ("図「実施目標年度と着手年度（記載上）の比較」は4ページあり、"
                             "「計画と実績」にすべてのページを順に示す。")
    text = "\n".join(narrative.section(key, big_review) for key in narrative.section_keys(big_review))
    runs = re.findall(r"(?:^- .*\n?)+", text, re.MULTILINE)
    assert runs and all(len(run.strip().splitlines()) <= 11 for run in runs)
    for inline in re.findall(r"No\.\d+(?:、No\.\d+)+", text):
        assert inline.count("No.") <= 10


@pytest.mark.slow
def test_every_page_of_a_paged_figure_is_shown_with_its_page_in_the_caption(tmp_path, monkeypatch):
    """The reader page of 03 shows every page: Kitamoto's 19 measures drawn 8 to a page are 3 pages."""
    from kyodo_analysis.figures.publish import publish_pages

    plan_review = review_plan()
    shown = _shown(monkeypatch)
    publish_pages(plan_vs_actual_pages(plan_review, per_page=8), "plan_vs_actual_timeline", plan_review,
                  directory=tmp_path)
    assert [image.filename for image, _ in shown] == [str(tmp_path / f"plan_vs_actual_timeline_p0{page}.png")
                                                      for page in (1, 2, 3)]
    assert [keywords["metadata"]["image/png"]["caption"] for _, keywords in shown] == \
        [f"実施目標年度と着手年度（記載上）の比較（{page}/3）" for page in (1, 2, 3)]


def test_a_figure_paged_by_indicators_counts_its_own_pages(big_review, monkeypatch):
    """The narrative notebook shows a paged figure whole when it has one page: the indicators' progress pages by
    indicator, not by measure. Two indicators on the 84-measure plan (four pages of measures) are one page."""
    import dataclasses

    import pandas as pd

    from kyodo_analysis.analysis.indicators import grade_indicators
    from kyodo_analysis.figures.publish import show

    frame = pd.DataFrame({"name": ["x", "y"], "unit": ["件", "件"], "direction": ["増加", "増加"],
                          "baseline_fy": [2018, 2018], "baseline": [1.0, 1.0], "target_fy": [2022, 2022],
                          "target": [2.0, 2.0], "tolerance": [float("nan")] * 2, "measure_nos": [(), ()],
                          "groups": [(), ()], "values": [{2020: 1.5}, {}]})
    with_indicators = dataclasses.replace(big_review, indicators=grade_indicators(frame, as_of=2020))
    shown = _shown(monkeypatch)
    show(with_indicators, "indicator_progress", save=False)
    (figure, _), = shown
    assert not hasattr(figure, "data")  # the figure itself, not the line that points to its pages
