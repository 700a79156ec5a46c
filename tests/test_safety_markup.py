"""Data never becomes markup, math or a formula: figures, CSVs, Markdown and workbook sheet names (issue 20.2, 20.4)."""

import csv
import dataclasses
import datetime
import io
import re
from html.parser import HTMLParser

import matplotlib
import openpyxl

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath  # noqa: E402

from kyodo_analysis import (  # noqa: E402
    load_departments,
    load_measures,
    load_plan,
    load_schedule,
    review_plan,
)
from kyodo_analysis.content import narrative  # noqa: E402
from kyodo_analysis.content.document import review_document  # noqa: E402
from kyodo_analysis.content.narrative import markdown_text, plain_text  # noqa: E402
from kyodo_analysis.figures import draw, pages  # noqa: E402
from kyodo_analysis.source.loaders import (  # noqa: E402
    _NEVER_WRITTEN,
    TABLE_FILES,
    _write_csv,
    read_processed,
    spreadsheet_safe,
    spreadsheet_text,
    write_processed,
)
from kyodo_analysis.testing.synthetic import generate_measures, render_status_table  # noqa: E402
from kyodo_analysis.validation import LINE_BREAK, ArgumentError, ArgumentTypeError  # noqa: E402
from kyodo_analysis.writers.codebook import write_codebook  # noqa: E402
from kyodo_analysis.writers.workbook import write_workbook  # noqa: E402

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
    return review_plan(raw, era="令和", structure=structure)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---- 1. figures draw every data text as typed ---------------------------------------------------------------


def _figures(plan_review):
    """The notebooks' figures that show data text: group and department ticks, level titles, page titles, rows.

    (The rating distribution and the transitions show only the scale's words.)
    """
    level, inner = plan_review.levels
    axes = [draw.ratings_by(plan_review, level), draw.ratings_by(plan_review, "department"),
            draw.score_index_by(plan_review, inner)]
    # the timeline and the matrix in pages of 3 measures: each page's title names its group
    axes += [ax for _, ax in pages.plan_vs_actual_pages(plan_review, per_page=3)]
    axes += [ax for _, ax in pages.department_matrix_pages(plan_review, per_page=3)]
    return axes


def _drawn_texts(ax):
    ax.figure.draw_without_rendering()  # lays out every text: mathtext would fail here on $\frac$
    return [text for text in ax.figure.findobj(Text) if text.get_text()]


@pytest.mark.slow
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
        assert f"{name}課（1）" in seen or f"{name}課（2）" in seen
    for name in HOSTILE[:2]:  # a group of the first level: a timeline's group row, a page title
        assert f"【{name}】" in seen
        assert f"{name}（1/2）" in seen or f"{name}（2/2）" in seen
    assert "目標$x^2$別の評価" in seen and "方針\\_別の評価点" in seen
    assert any(text.startswith("1. 拠点$x^2$整備0") for text in seen)  # a timeline row: No. and direction


# ---- 2. CSVs: a text a spreadsheet would run gets an apostrophe, and loads back exactly ---------------------

_FORMULAS = ["=1+1", '=HYPERLINK("http://example.invalid","詳細")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]
_APOSTROPHES = ["'=x", "'ok", "''-y"]  # typed by a person: they too must read back as typed
_FORMULA_START = re.compile(r"[=+\-@\t\r]")


def _csv_rows(path):
    """The rows of a CSV as a spreadsheet reads them (a CR inside a quoted cell stays in it)."""
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


def test_csv_text_cells_never_start_a_formula_and_the_folder_loads_back_exactly(tmp_path):
    texts = _FORMULAS + _APOSTROPHES
    measures = generate_measures(len(texts), n_blocks=1, era="令和", first_year=2, n_years=6, seed=3)
    measures = [m._replace(direction=text, status=f"{text}令和3年度", departments=(text.replace(" ", "") + "課",))
                for m, text in zip(measures, texts)]
    raw = tmp_path / "formulas.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=6), encoding="utf-8")
    assert load_measures(raw, era="令和")["direction"].tolist() == texts  # the parser keeps them as typed
    folder = tmp_path / "processed"
    write_processed(folder, raw, era="令和")
    rows = {name: _csv_rows(folder / file_name) for name, file_name in TABLE_FILES.items()}
    assert [row[2] for row in rows["measures"][1:]] == ["'" + text for text in _FORMULAS] + ["''=x", "'ok", "'''-y"]
    assert [row[1] for row in rows["departments"][1:3]] == ["'=1+1課", "'=HYPERLINK(\"http://example.invalid\",\"詳細\")課"]
    assert not [cell for table in rows.values() for row in table for cell in row if _FORMULA_START.match(cell)]
    tables = read_processed(folder)
    for name, loader in (("measures", load_measures), ("schedule", load_schedule), ("departments", load_departments),
                         ("plan", load_plan)):
        pd.testing.assert_frame_equal(tables[name], loader(raw, era="令和"))


#: Texts of apostrophes, formula starts and ordinary characters, and any text at all.
_TEXTS = st.text("'=+-@\t\r\n a協") | st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
#: What a tidy table can hold: the parser refuses control, bidi and zero-width characters, and loading a folder too.
_TIDY_TEXTS = _TEXTS.filter(lambda text: not re.search(_NEVER_WRITTEN, text))


@settings(max_examples=200, deadline=None)
@given(text=_TEXTS)
def test_the_guard_is_unambiguous(text):
    guarded = spreadsheet_safe(text)
    assert not _FORMULA_START.match(guarded) and spreadsheet_text(guarded) == text
    assert guarded == text or guarded == "'" + text


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(departments=st.lists(_TIDY_TEXTS.filter(bool), min_size=1, max_size=4), position=st.integers(-3, 3))
def test_any_text_and_any_number_read_back_exactly_from_the_csv(tmp_path, departments, position):
    frame = pd.DataFrame({"no": range(1, len(departments) + 1), "department": departments,
                          "position": [position] * len(departments)}).astype({"department": "str"})
    _write_csv("departments", frame, tmp_path / TABLE_FILES["departments"])
    written = _csv_rows(tmp_path / TABLE_FILES["departments"])[1:]
    assert [row[1] for row in written] == [spreadsheet_safe(text) for text in departments]
    assert all(row[2] == str(position) for row in written)  # a number keeps its sign
    pd.testing.assert_frame_equal(read_processed(tmp_path, tables=["departments"])["departments"], frame)


def test_the_codebook_says_how_the_csvs_guard_formulas(tmp_path):
    text = write_codebook(tmp_path / "README.md").read_text(encoding="utf-8")
    assert "先頭にアポストロフィ `'` を1つ足して書いています\n（OWASP の CSV インジェクション対策）" in text
    assert "数値の符号はそのままです" in text


# ---- 3. data text never becomes Markdown structure, links or HTML ------------------------------------------

HOSTILE_TITLE = "[公式](https://evil.example)|<img src=x onerror=alert(1)>"
#: Group names that would make a heading, a list, a rule, a link, HTML, a table or math if pasted into Markdown.
HOSTILE_GROUPS = ["目標\n# x", "* y\n---\n- z", "[a](b) <img src=x onerror=alert(1)>", "a|b\n1. c\n===",
                  r"\(x^2\) www.evil.example a@b.example"]


class _MathShownAsTag(IPythonRenderer):
    """nbconvert's renderer, with math made visible as a <math> tag (it otherwise passes $…$ on for MathJax)."""

    def inline_math(self, body):
        return "<math>"

    block_math = multiline_math = inline_math

    def latex_environment(self, name, body):
        return "<math>"


class _TagsAndText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if ("class", "anchor-link") not in attrs:  # the renderer's own link to each heading
            self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _rendered(markdown):
    """The tags of Markdown as the report's HTML pages render it (nbconvert's mistune), and its text."""
    parser = _TagsAndText()
    parser.feed(MarkdownWithMath(renderer=_MathShownAsTag(escape=False)).render(markdown))
    return parser.tags, "".join(parser.text)


def _spaced(text):
    """Text with each run of white space as one space (HTML shows it so)."""
    return re.sub(r"\s+", " ", text).strip()


#: Where data text stands in the narrative and the codebook: at a paragraph's start, in a list item, in bold,
#: in a table cell.
_CONTEXTS = ["{}は全施策を担当する", "- No.1「{}」：目標\n- No.2「x」", "**{}**　計画期間", "| a | b |\n|---|---|\n| `c` | {} |"]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(text=st.text("#*-+_=`~[]()<>!&|:;$\\@.1 \n\tax協").filter(str.strip)
       | st.text(st.characters(exclude_categories=("Cs", "Cc"))).filter(str.strip)
       | st.sampled_from(HOSTILE_GROUPS + [HOSTILE_TITLE]))
def test_any_text_renders_as_typed_in_every_context(text):
    one_line = LINE_BREAK.sub(" ", text)
    for context in _CONTEXTS:
        tags, shown = _rendered(context.format("QQQ"))
        rendered_tags, rendered_text = _rendered(context.format(markdown_text(text)))
        assert rendered_tags == tags and _spaced(rendered_text) == _spaced(shown.replace("QQQ", one_line)), context
    assert plain_text(markdown_text(text)) == one_line


def test_review_plan_refuses_a_title_of_more_than_one_line():
    for title in ("計画\n# 見出し", "計画\r\n---", "計画\u2028- 項目", "計画\u202e", "計画\x1b", " "):
        with pytest.raises(ArgumentError, match="title は1行の文字列にしてください"):
            review_plan(title=title)
    with pytest.raises(ArgumentTypeError, match="title must be text"):
        review_plan(title=["計画"])
    assert review_plan(title=HOSTILE_TITLE).title == HOSTILE_TITLE  # one line: shown as typed, escaped where written


#: Names for a plan of markup, and benign ones in their place: both plans must render the same structure.
_MARKUP = ["[a](https://evil.example)", "<img src=x onerror=alert(1)>", "# 見出し", "- 項目", "1. 番号", "a|b",
           r"\(x^2\)", "*強調*", "www.evil.example"]
_BENIGN = [f"名前{i}" for i in range(len(_MARKUP))]


def _markup_review(folder, names, title, groups):
    """A review whose measure names, departments, statuses, title and group names are ``names``, ``title``, ``groups``."""
    measures = generate_measures(len(names), n_blocks=2, era="令和", first_year=2, n_years=4, seed=7)
    measures = [m._replace(direction=f"{name}整備", departments=("協働推進課", f"{name.replace(' ', '')}課"),
                           status=m.status.replace("。", f"{name}。", 1)) for m, name in zip(measures, names)]
    folder.mkdir()
    raw = folder / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=4), encoding="utf-8")
    structure = folder / "structure.csv"
    structure.write_text("No,基本目標\n" + "".join(f"{m.no},{'AB'[m.no % 2]}\n" for m in measures), encoding="utf-8")
    plan_review = review_plan(raw, era="令和", structure=structure, min_compared=1)
    rename = {"A": groups[0], "B": groups[1]}  # group names the structure reader would refuse: made here
    by_level = plan_review.by_level["基本目標"].assign(基本目標=lambda frame: frame["基本目標"].map(rename))
    return dataclasses.replace(plan_review, title=title,
                               measures=plan_review.measures.assign(基本目標=plan_review.measures["基本目標"].map(rename)),
                               by_level={"基本目標": by_level})


def _whole_narrative(plan_review):
    return narrative.headline(plan_review) + "\n\n" + narrative.midterm_review(plan_review)


def test_the_narrative_renders_names_titles_and_quotes_as_text(tmp_path):
    hostile = _markup_review(tmp_path / "hostile", _MARKUP, HOSTILE_TITLE + "\n# 偽の見出し", HOSTILE_GROUPS[:2])
    benign = _markup_review(tmp_path / "benign", _BENIGN, "計画", ["グループA", "グループB"])
    tags, text = _rendered(_whole_narrative(hostile))
    benign_tags, benign_text = _rendered(_whole_narrative(benign))
    assert tags == benign_tags  # the same headings, lists and bold: none from data
    assert not {"h1", "a", "img", "hr", "code", "em", "table", "math"} & set(tags)
    named = [hostile_name for hostile_name, benign_name in zip(_MARKUP, _BENIGN) if f"「{benign_name}整備」" in benign_text]
    assert len(named) >= 3
    text = _spaced(text)
    document = review_document(hostile, figures=[], generated=datetime.date(2026, 11, 27))
    blocks = " ".join(block.text for section in document.sections for block in section.blocks)
    for shown in [*map(_spaced, HOSTILE_GROUPS[:2]), *(f"「{name}整備」" for name in named)]:
        assert shown in text and shown in blocks, shown  # the pages, and Word and PDF, show it as typed
    assert f"{HOSTILE_TITLE} # 偽の見出し 計画期間" in text


def test_the_codebook_shows_the_title_and_the_examples_as_text(tmp_path):
    measures = generate_measures(3, n_blocks=1, era="令和", first_year=2, n_years=4, seed=7)
    measures = [m._replace(direction="<img src=x>|[a](b)") for m in measures]
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=4, title=HOSTILE_TITLE),
                   encoding="utf-8")
    codebook = write_codebook(tmp_path / "README.md", raw, era="令和").read_text(encoding="utf-8")
    tags, text = _rendered(codebook)
    assert not {"a", "img"} & set(tags)
    assert f'「{HOSTILE_TITLE}」、施策3件' in _spaced(text) and "<img src=x>|[a](b)" in text
    table = codebook.split("## `measures.csv`")[1].split("##")[0]
    assert {line.count("|") - line.count("\\|") for line in table.strip().splitlines()} == {5}  # four cells a row


# ---- 4. workbook sheet names are unique by construction, and 説明 names them as written ---------------------

_LONG = "とても長い施策体系の階層の名前" * 2 + "だ"  # 31 characters: two levels that differ only past Excel's 31


@pytest.mark.slow
def test_sheet_names_never_collide_and_the_explanation_lists_them_as_written(tmp_path):
    levels = ["推進課", "目標年度", "施策/事業", "施策_事業", "Goal", "goal", "'x", _LONG + "A", _LONG + "B"]
    measures = generate_measures(4, n_blocks=1, era="令和", first_year=2, n_years=4, seed=2)
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=4), encoding="utf-8")
    structure = tmp_path / "structure.csv"
    structure.write_text(f"No,{','.join(levels)}\n" + "".join(f"{m.no}{',g' * len(levels)}\n" for m in measures),
                         encoding="utf-8")
    path = write_workbook(review_plan(raw, era="令和", structure=structure, previous=raw), tmp_path / "book.xlsx")
    book = openpyxl.load_workbook(path)
    by_level = ["推進課別（2）", "目標年度別（2）", "施策_事業別", "施策_事業別（2）", "Goal別", "goal別（2）", "_x別",
                _LONG, _LONG[:28] + "（2）"]
    rounds = ["前回比（推進課別）（2）", "前回比（目標年度別）", "前回比（施策_事業別）", "前回比（施策_事業別）（2）",
              "前回比（Goal別）", "前回比（goal別）（2）", "前回比（'x別）", "前回比（" + _LONG[:27], "前回比（" + _LONG[:24] + "（2）"]
    assert book.sheetnames == ["説明", "施策", "実施目標年度", "推進課", *by_level, "目標年度別", "推進課別", "計画と実績",
                               "整合性チェック", "重点施策", "前回からの変化", *rounds, "前回比（推進課別）"]
    rows = [[cell.value for cell in row] for row in book["説明"].iter_rows()]
    assert [row[0] for row in rows[rows.index(["シート", "内容", None]) + 1:]] == book.sheetnames[1:]
    assert book["推進課別"]["A1"].value == "推進課" and book["推進課別（2）"]["A1"].value == "推進課"
    assert book["目標年度別"]["A1"].value == "実施目標年度" and book["目標年度別（2）"]["A1"].value == "目標年度"
