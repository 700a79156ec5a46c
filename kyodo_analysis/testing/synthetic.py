"""Synthetic plan tables in the extracted shape, for tests, benchmarks and demos.

:func:`generate_measures` makes a plan of any size, era, period and block
count; :func:`render_status_table` writes it out as messy extracted text, the
way PDF extraction does (spaces inside Japanese, split department names,
look-alike marks, full-width digits, shifted and misplaced cells, CRLF). Parsing
the rendering gives back exactly the generated measures.

Examples
--------
>>> from kyodo_analysis.source.parsing import parse_status_table
>>> measures = generate_measures(12, n_blocks=2, era="令和", first_year=3, n_years=5, seed=1)
>>> text = render_status_table(measures, era="令和", first_year=3, n_years=5, messy=Messiness(), seed=1)
>>> parsed = parse_status_table(text, era="令和")
>>> [strip_line(m) for m in parsed.measures] == [strip_line(m) for m in measures]
True
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from kyodo_analysis.era import era_year_to_fiscal_year, fiscal_year_label
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.source.parsing import CONTINUING_MARK, FIRST_YEAR_CELL, TARGET_MARK, Measure, strip_line
from kyodo_analysis.source.writer import HEADER_STYLES, column_header, header_year_cells

__all__ = ["generate_measures", "render_status_table", "render_structure", "Messiness", "strip_line",
           "HEADER_STYLES"]


_DIRECTION_WORDS = ["市民活動", "協働事業", "情報発信", "人材育成", "拠点施設", "交流会", "相談窓口", "支援制度",
                    "評価制度", "地域連携", "NPO 支援", "ボランティア"]
_DIRECTION_ENDINGS = ["の創設", "の開催", "の整備", "の設置", "の推進", "の充実"]
_CONTENT_PHRASES = ["市民公益活動団体と連携し", "地域の課題を共有するため", "団体間の交流を促すため",
                    "情報を一体的に把握し", "職員の理解を深めるため", "NPO/SOHO の活動を支え"]
_CONTENT_ENDINGS = ["事業を実施", "仕組みを創設", "場を提供", "制度を検討", "計画を策定"]
_STATUS_DONE = ["を開催した。", "を設置した。", "を実施。", "を創設した。", "を作成した。"]
_STATUS_GAPS = ["今後検討する予定。", "体制は整備されていない。", "取組みはまだ進んでいない。"]
_DEPARTMENTS = ["協働推進課", "政策推進課", "総務課", "産業振興課", "生涯学習課", "福祉課", "秘書広報課",
                "環境課", "市民課", "子育て支援室", "危機管理室", "企画部", "保健センター", "全課"]


def generate_measures(
    n_measures: int,
    *,
    n_blocks: int = 3,
    era: str = "平成",
    first_year: int = 19,
    n_years: int = 6,
    scale: RatingScale = KYODO_SCALE,
    western: bool = False,
    seed: int = 0,
) -> list[Measure]:
    """Generate a random, already-normalized plan of ``n_measures`` measures.

    Measures are numbered 1..n and split into ``n_blocks`` consecutive blocks.
    Target years lie in the fiscal years of ``era``'s years
    ``first_year .. first_year+n_years-1`` (which may run past the era's end:
    平成30 for 5 years is FY2018-2022). A status names a fiscal year now and
    then, as 令和2年度, or as 2020年度 when ``western``.
    """
    if not 1 <= n_blocks <= n_measures:
        raise ValueError(f"need 1 <= n_blocks <= n_measures, got {n_blocks} blocks for {n_measures} measures")
    rng = random.Random(seed)
    fiscal_years = [era_year_to_fiscal_year(era, first_year + i) for i in range(n_years)]
    measures = []
    for no in range(1, n_measures + 1):
        block = (no - 1) * n_blocks // n_measures + 1
        target_index = rng.randrange(n_years)
        marks = [(fiscal_years[target_index], TARGET_MARK)]
        for index in range(target_index + 1, min(n_years, target_index + 1 + rng.choice([0, 0, 1, 2]))):
            marks.append((fiscal_years[index], CONTINUING_MARK))
        rating = rng.choice(scale.symbols)
        if rating == scale.lowest:
            status = "未実施"
        else:
            start = fiscal_years[min(n_years - 1, target_index + rng.choice([0, 0, 1, 2]))]
            status = (f"{fiscal_year_label(start, western=western)}から{rng.choice(_DIRECTION_WORDS)}{rng.choice(_STATUS_DONE)}"
                      f"{rng.choice(_STATUS_GAPS) if rng.random() < 0.3 else ''}月{rng.randint(1, 4)}回実施。")
        departments = ["協働推進課"] + rng.sample([d for d in _DEPARTMENTS if d != "協働推進課"], rng.randint(0, 2))
        measures.append(Measure(
            no=no,
            block=block,
            direction=rng.choice(_DIRECTION_WORDS) + rng.choice(_DIRECTION_ENDINGS),
            content=rng.choice(_CONTENT_PHRASES) + "、" + rng.choice(_CONTENT_ENDINGS),
            marks=tuple(marks),
            departments=tuple(departments),
            status=status,
            rating=rating,
            line=0,
        ))
    return measures


@dataclass(frozen=True)
class Messiness:
    """What the rendering does to the text, as PDF extraction would."""

    artefact_spaces: float = 0.15  # chance of a space between two Japanese characters
    split_departments: bool = True  # 全課 -> 全 課
    lookalike_marks: bool = True  # 〇 ◯ for ○; ✕ ✖ x X ｘ Ｘ for ×
    fullwidth_digits: bool = True  # ０-９ in numbers
    misplaced_year: bool = True  # the last header year in the last cell
    shifted_cells: bool = True  # trailing empty cells vary; 推進課 slides into an empty last year cell
    crlf: bool = False


def _is_japanese(char: str) -> bool:
    return "\u3000" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff"


def _spaced(text: str, rng: random.Random, chance: float) -> str:
    if not chance:
        return text
    out = [text[0]] if text else []
    for before, after in zip(text, text[1:]):
        if _is_japanese(before) and (_is_japanese(after) or after.isdigit()) and rng.random() < chance:
            out.append(" ")
        out.append(after)
    return "".join(out)


def _digits(number: int, fullwidth: bool) -> str:
    return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９")) if fullwidth else str(number)


def render_status_table(
    measures: Sequence[Measure],
    *,
    era: str = "平成",
    first_year: int = 19,
    n_years: int = 6,
    title: str = "合成市協働推進計画施策実施状況のまとめ",
    messy: Messiness | None = None,
    header: str = "bare",
    seed: int = 0,
) -> str:
    """Render measures as the text of an extracted status table.

    Rows keep the order given (pass them shuffled to test sorting). Every
    block uses the same header years, written as ``header`` says: ``bare``
    era years (19 20 …, read with the era given), ``era`` (平成30 令和元 2 3:
    the era named where it changes), ``initial`` (H30 R1 R2) or ``western``
    (2018 2019 …). ``messy=None`` renders a clean table.
    """
    messy = messy or Messiness(0.0, False, False, False, False, False, False)
    rng = random.Random(seed)
    width = FIRST_YEAR_CELL + n_years + 3
    first_fy = era_year_to_fiscal_year(era, first_year)
    years = header_year_cells(first_fy, n_years, era=era, header=header,
                              digits=lambda number: _digits(number, messy.fullwidth_digits))

    def header_lines() -> list[str]:
        cells = [""] * FIRST_YEAR_CELL + years + ["", "", ""]
        if messy.misplaced_year and n_years > 1:
            cells[FIRST_YEAR_CELL + n_years - 1], cells[-1] = "", cells[FIRST_YEAR_CELL + n_years - 1]
        return ["\t".join(column_header(n_years)), "\t".join(cells)]

    def mark(symbol: str) -> str:
        if messy.lookalike_marks and symbol == TARGET_MARK:
            return rng.choice(["○", "〇", "◯"])
        return symbol

    def rating(symbol: str) -> str:
        if messy.lookalike_marks and symbol == "×":
            return rng.choice(["×", "✕", "✖", "x", "X", "ｘ", "Ｘ"])
        if messy.lookalike_marks and symbol == "○":
            return rng.choice(["○", "〇", "◯"])
        return symbol

    def departments(names: Sequence[str]) -> str:
        parts = []
        for name in names:
            if messy.split_departments and len(name) > 1 and rng.random() < 0.5:
                name = name[:-1] + " " + name[-1]
            parts.append(name)
        return " ".join(parts)

    lines = [title, ""]
    block = None
    for measure in measures:
        if measure.block != block:
            block = measure.block
            lines += ["", *header_lines()]
        year_cells = [""] * n_years
        for fy, symbol in measure.marks:
            year_cells[fy - first_fy] = mark(symbol)
        tail = [departments(measure.departments), _spaced(measure.status, rng, messy.artefact_spaces),
                rating(measure.rating)]
        if messy.shifted_cells and not year_cells[-1] and rng.random() < 0.3:
            year_cells.pop()  # 推進課 slides into the empty last year cell
        cells = [_digits(measure.no, messy.fullwidth_digits), _spaced(measure.direction, rng, messy.artefact_spaces),
                 _spaced(measure.content, rng, messy.artefact_spaces), *year_cells, *tail]
        if messy.shifted_cells:
            cells += [""] * rng.randint(0, max(0, width - len(cells)))
        lines.append("\t".join(cells))
    lines.append("")
    return ("\r\n" if messy.crlf else "\n").join(lines)


def render_structure(measures: Sequence[Measure], *, n_goals: int, policies_per_goal: int = 2) -> str:
    """A structure file (CSV) for generated measures: ``No,基本目標,基本方針`` in consecutive runs of numbers.

    Examples
    --------
    >>> print(render_structure(generate_measures(4, n_blocks=1), n_goals=2, policies_per_goal=1))
    No,基本目標,基本方針
    1,1 目標1,1-1 方針1
    2,1 目標1,1-1 方針1
    3,2 目標2,2-1 方針1
    4,2 目標2,2-1 方針1
    <BLANKLINE>
    """
    numbers = sorted(measure.no for measure in measures)
    lines = ["No,基本目標,基本方針"]
    for index, no in enumerate(numbers):
        goal = index * n_goals // len(numbers) + 1
        policy = index * n_goals * policies_per_goal // len(numbers) % policies_per_goal + 1
        lines.append(f"{no},{goal} 目標{goal},{goal}-{policy} 方針{policy}")
    return "\n".join(lines) + "\n"

