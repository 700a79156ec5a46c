"""The parser on the Kitamoto table, on its messy variants and on broken input."""

import random
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyodo_analysis import StatusTableError, load_departments, load_measures, load_schedule
from kyodo_analysis.source.parsing import (
    DEPARTMENT_SUFFIXES,
    Measure,
    normalize_text,
    parse_status_table,
    read_table_file,
    split_departments,
)
from kyodo_analysis.testing.synthetic import Messiness, render_status_table, strip_line

from .builds import FIXTURES

ERRORS = FIXTURES / "errors"


# --- error cases: class, line and value, one fixture file each -------------------------------

@pytest.mark.parametrize(
    ("fixture", "line", "problem", "value"),
    [
        ("empty.txt", None, "ファイルが空です", None),
        ("blank_lines_only.txt", None, "ファイルが空です", None),
        ("no_header.txt", None, "見出しの行がありません", None),
        ("header_without_measures.txt", 3, "見出しの後に施策の行がありません", None),
        ("header_without_years.txt", 3, "見出しの行の後に年度見出しの行がありません", None),
        ("undecodable_utf8.txt", 6, "utf-8 として読めないバイト", "b'\\xff'"),
        ("undecodable_cp932.txt", 6, "cp932 として読めないバイト", "b'\\x81'"),
        ("row_cut_short.txt", 6, "行が途中で切れています", "'2\\t交流会の開催\\t交流会を開催\\t\\t○'"),
        ("rating_missing.txt", 6, "行が途中で切れています", "○"),
        ("number_not_a_number.txt", 6, "施策番号（No）が数字ではありません", "'二'"),
        ("duplicate_number.txt", 6, "施策番号が重複しています（最初は5行目）", "（1）"),
        ("rating_off_scale.txt", 5, "は評価の尺度にありません（使える記号: ◎ ○ △ ×）", "'☆'"),
        ("rating_black_triangle.txt", 6, "▲ は △ ではありません", "'▲'"),
        ("no_target_mark.txt", 6, "○ がありません", None),
        ("two_target_marks.txt", 5, "○ が2つあります", "[2007, 2008]"),
        ("continuing_before_target.txt", 6, "○ より前に → があります", "（2007）"),
        ("mark_outside_years.txt", 6, "年度見出しの範囲の外に印があります", "'→'"),
        ("unknown_year_mark.txt", 6, "年度の欄に書けるのは ○ か → だけです", "'◎'"),
        ("years_not_consecutive.txt", 4, "年度見出しが連続した年度になっていません", "'19 20 22'"),
        ("incomplete_department.txt", 6, "推進課の名前が途中で終わっています: '全'", "'協働推進課 全'"),
        ("data_before_header.txt", 1, "最初の見出し（No）の行より前に施策の行があります", "'1'"),
    ],
)
def test_defects_raise_with_file_line_and_value(fixture, line, problem, value):
    path = ERRORS / fixture
    with pytest.raises(StatusTableError) as caught:
        load_measures(path, era="平成")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.path == str(path)
    assert error.line == line
    message = str(error)
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert message.startswith(where), message
    assert problem in message
    if value is not None:
        assert value in message


def test_missing_file_is_reported_in_japanese(tmp_path):
    """The reason in the analysts' words, not the system's English (No such file or directory)."""
    with pytest.raises(StatusTableError, match=r"nope\.txt: ファイルを読めません（ファイルがありません）$"):
        load_measures(FIXTURES / "nope.txt")
    with pytest.raises(StatusTableError, match=r"plan\.txt: ファイルを読めません（途中の名前がフォルダではありません）$"):
        read_table_file(FIXTURES / "reiwa_plan.txt" / "plan.txt")


def test_unknown_era_is_rejected():
    with pytest.raises(ValueError, match="元号 '天保' は使えません"):
        load_measures(FIXTURES / "small_table.txt", era="天保")


# --- the messy variants of the seed load to the same frames -----------------------------------

def _frames(source, **kwargs):
    kwargs.setdefault("era", "平成")  # the seed's header is bare 平成 years (19 … 24)
    return (load_measures(source, **kwargs), load_schedule(source, **kwargs), load_departments(source, **kwargs))


def _assert_same_as_seed(path):
    for got, expected in zip(_frames(path), _frames(None)):
        pd.testing.assert_frame_equal(got, expected)


def test_cp932_with_crlf(tmp_path, seed_text):
    path = tmp_path / "sjis.txt"
    path.write_bytes(seed_text.replace("\n", "\r\n").encode("cp932"))
    _assert_same_as_seed(path)
    pd.testing.assert_frame_equal(load_measures(path, era="平成", encoding="cp932"), load_measures())


def test_utf8_with_bom(tmp_path, seed_text):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + seed_text.encode("utf-8"))
    _assert_same_as_seed(path)


def test_fullwidth_digits(tmp_path, seed_text):
    path = tmp_path / "zenkaku.txt"
    path.write_text(seed_text.translate(str.maketrans("0123456789", "０１２３４５６７８９")), encoding="utf-8")
    measures = load_measures(path, era="平成")
    # read (and matched) as the seed; shown as written, with the full-width digits
    assert measures.loc[1, "status"].startswith("平成１９年度から平成２１年度の３年間")
    def as_matched(frame):
        return frame.assign(**{column: frame[f"{column}_normalized"] for column in ("direction", "content", "status")})

    pd.testing.assert_frame_equal(as_matched(measures), as_matched(load_measures()))
    for got, expected in zip(_frames(path)[1:], _frames(None)[1:]):
        pd.testing.assert_frame_equal(got, expected)


def test_lookalike_marks(tmp_path, seed_text):
    lines = seed_text.split("\n")
    swapped = []
    for line in lines:
        cells = line.split("\t")
        if cells[0].isdigit():
            cells[3:9] = [{"○": "〇"}.get(c, c) for c in cells[3:9]]
            last = max(i for i, c in enumerate(cells) if c)
            cells[last] = {"×": "✕", "○": "◯"}.get(cells[last], cells[last])
        swapped.append("\t".join(cells))
    text = "\n".join(swapped)
    assert "〇" in text and "✕" in text and "◯" in text
    path = tmp_path / "lookalike.txt"
    path.write_text(text, encoding="utf-8")
    _assert_same_as_seed(path)


@pytest.mark.parametrize("cross", ["x", "X", "ｘ", "Ｘ", "✖"])
def test_latin_and_heavy_crosses_read_as_cross(tmp_path, cross):
    text = (FIXTURES / "small_table.txt").read_text(encoding="utf-8").replace("未実施\t×", f"未実施\t{cross}")
    path = tmp_path / "cross.txt"
    path.write_text(text, encoding="utf-8")
    assert load_measures(path, era="平成")["rating"].tolist() == ["○", "×"]


def test_reordered_rows_are_sorted(tmp_path, seed_text):
    blocks = seed_text.split("\n\nNo")
    rng = random.Random(7)
    shuffled = []
    for block in blocks:
        lines = block.split("\n")
        header, rows = lines[:2], lines[2:]
        data = [row for row in rows if row.split("\t")[0].isdigit()]
        rng.shuffle(data)
        shuffled.append("\n".join(header + data))
    path = tmp_path / "shuffled.txt"
    path.write_text("\n\nNo".join(shuffled) + "\n", encoding="utf-8")
    assert load_measures(path, era="平成")["no"].tolist() == list(range(1, 20))
    _assert_same_as_seed(path)


def test_blank_and_whitespace_lines_are_ignored(tmp_path, seed_text):
    path = tmp_path / "blank.txt"
    path.write_text(seed_text.replace("\n", "\n \t \n\n"), encoding="utf-8")
    _assert_same_as_seed(path)


# --- text normalization -----------------------------------------------------------------------

def test_normalize_text_removes_artefact_spaces_only():
    assert normalize_text("平成 19 年度から平成 21 年度の 3 年間") == "平成19年度から平成21年度の3年間"
    assert normalize_text("NPO/SOHO オフィスの設置") == "NPO/SOHO オフィスの設置"
    assert normalize_text("ＮＰＯ　活動") == "NPO 活動"
    assert normalize_text("年に 1 回") == "年に1回"
    assert normalize_text("第 2 次 計画 2009 年") == "第2次計画2009年"


def test_split_departments_rejoins_broken_names():
    assert split_departments("協働推進課 全 課") == ["協働推進課", "全課"]
    assert split_departments("子育て 支援室 保健 センター 企画部") == ["子育て支援室", "保健センター", "企画部"]
    assert all(suffix in DEPARTMENT_SUFFIXES for suffix in ("課", "室", "局", "部", "所", "センター"))


# --- property: generated tables in the extracted shape parse back exactly ---------------------

_TEXT = st.text(alphabet="市民協働推進活動情報計画あいうかきくアイウカキクー々、。「」0123456789NPO/ ", min_size=1, max_size=25)
_NORMALIZED = _TEXT.map(normalize_text).filter(lambda text: text and text not in ("○", "→"))
_DEPARTMENTS = ["協働推進課", "全課", "産業振興課", "子育て支援室", "企画部", "保健センター", "市民活動推進局", "税務所"]
_ERAS = {"昭和": (50, 64), "平成": (1, 31), "令和": (1, 10)}


@st.composite
def plans(draw):
    era = draw(st.sampled_from(sorted(_ERAS)))
    low, high = _ERAS[era]
    first_year = draw(st.integers(low, high))
    n_years = draw(st.integers(1, min(8, high - first_year + 1)))  # every header year within the era
    n_measures = draw(st.integers(1, 25))
    n_blocks = draw(st.integers(1, min(4, n_measures)))
    base = {"昭和": 1925, "平成": 1988, "令和": 2018}[era] + first_year
    numbers = draw(st.lists(st.integers(1, 999), min_size=n_measures, max_size=n_measures, unique=True))
    measures = []
    for index, no in enumerate(numbers):
        target = draw(st.integers(0, n_years - 1))
        continuing = draw(st.integers(0, n_years - 1 - target))
        marks = [(base + target, "○")] + [(base + target + k, "→") for k in range(1, continuing + 1)]
        measures.append(Measure(
            no=no,
            block=index * n_blocks // n_measures + 1,
            direction=draw(_NORMALIZED),
            content=draw(_NORMALIZED),
            marks=tuple(marks),
            departments=tuple(draw(st.lists(st.sampled_from(_DEPARTMENTS), min_size=1, max_size=3, unique=True))),
            status=draw(_NORMALIZED),
            rating=draw(st.sampled_from(["×", "△", "○", "◎"])),
            line=0,
        ))
    return era, first_year, n_years, measures


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=plans(),
    messy=st.builds(
        Messiness,
        artefact_spaces=st.sampled_from([0.0, 0.3, 1.0]),
        split_departments=st.booleans(),
        lookalike_marks=st.booleans(),
        fullwidth_digits=st.booleans(),
        misplaced_year=st.booleans(),
        shifted_cells=st.booleans(),
        crlf=st.booleans(),
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
    shuffle_seed=st.integers(0, 2**16),
)
def test_generated_tables_parse_back_exactly(plan, messy, encoding, shuffle_seed):
    era, first_year, n_years, measures = plan
    rows = list(measures)
    # rows may appear in any order within their block
    rng = random.Random(shuffle_seed)
    by_block = {}
    for measure in rows:
        by_block.setdefault(measure.block, []).append(measure)
    rows = [m for block in sorted(by_block) for m in rng.sample(by_block[block], len(by_block[block]))]
    text = render_status_table(rows, era=era, first_year=first_year, n_years=n_years, messy=messy, seed=shuffle_seed)
    if encoding == "cp932":  # CP932 has no ✕ ✖ ◯: a Shift_JIS file carries its own look-alikes
        text = text.translate(str.maketrans({"✕": "Ｘ", "✖": "ｘ", "◯": "〇"}))
    parsed = parse_status_table(text.encode(encoding), era=era)
    expected = sorted(measures, key=lambda m: m.no)
    assert [strip_line(m) for m in parsed.measures] == expected
    assert re.fullmatch(r"[^\t\n]*", parsed.title)
