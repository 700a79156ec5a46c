"""Rating scales (評価), each defined once.

Every count, score, colour and label of a grade is read from a
:class:`RatingScale`; nothing else in the package spells the list of symbols.

The Kitamoto table prints its ratings without a legend. :data:`KYODO_SCALE`
records the meanings we assume (◎ achieved, ○ largely implemented,
△ partly implemented, × not implemented), so that they are stated in one
place and can be replaced by passing another scale as ``scale=``.

Examples
--------
>>> KYODO_SCALE.symbols
('◎', '○', '△', '×')
>>> KYODO_SCALE.score("◎"), KYODO_SCALE.implemented, KYODO_SCALE.lowest
(3, ('◎', '○'), '×')
>>> list(KYODO_SCALE.dtype.categories)
['×', '△', '○', '◎']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kyodo_analysis.validation import KyodoError, quote_value

__all__ = [
    "RatingScale",
    "RatingError",
    "KYODO_SCALE",
    "SENDAI_SCALE",
    "LETTER_SCALE",
    "FIVE_LEVEL_SCALE",
    "LOOKALIKES",
    "canonical_symbol",
]


class RatingError(KyodoError):
    """A rating that is not on the scale in use."""


#: Characters that PDF extraction or typing puts in place of a mark, and the
#: mark they stand for. Applied after NFKC, which already folds full-width
#: ｘ/Ｘ to x/X, and only to a value that is not itself on the scale in use.
#: ▲ is deliberately absent: in Japanese accounting it means minus, not △.
LOOKALIKES: dict[str, str] = {
    "〇": "○",  # U+3007 IDEOGRAPHIC NUMBER ZERO
    "◯": "○",  # U+25EF LARGE CIRCLE
    "✕": "×",  # U+2715 MULTIPLICATION X
    "✖": "×",  # U+2716 HEAVY MULTIPLICATION X
    "x": "×",
    "X": "×",
}


def canonical_symbol(text: str) -> str:
    """Return the canonical mark for ``text``, folding look-alikes.

    Examples
    --------
    >>> canonical_symbol("〇"), canonical_symbol("X"), canonical_symbol("△")
    ('○', '×', '△')
    """
    return LOOKALIKES.get(text, text)


@dataclass(frozen=True)
class RatingScale:
    """An ordinal rating scale, best grade first.

    Parameters
    ----------
    symbols : tuple of str
        The grades, best first, as they are read (◎ ○ △ ×).
    scores : tuple of int
        The score of each grade, falling strictly from best to worst.
    labels_ja, labels_en : tuple of str
        What each grade means, in Japanese and English.
    colors : tuple of str
        One colour per grade, colour-blind safe and diverging: dark at both
        ends, light towards the middle, which lies between the two central
        grades (or on the central grade of an odd scale).
    name : str
        A short name for the scale.
    n_implemented : int, optional
        How many of the top grades count as implemented; default the upper
        half (2 of 4, 2 of 5).
    meanings_assumed : bool
        True when the table prints the symbols without a legend, so that the
        meanings are the analysis's assumption (the review then says so).
    """

    symbols: tuple[str, ...]
    scores: tuple[int, ...]
    labels_ja: tuple[str, ...]
    labels_en: tuple[str, ...]
    colors: tuple[str, ...]
    name: str = ""
    n_implemented: int | None = None
    meanings_assumed: bool = False

    def __post_init__(self) -> None:
        n = len(self.symbols)
        if n < 2 or len(set(self.symbols)) != n:
            raise ValueError(f"a scale needs two or more distinct symbols, got {self.symbols!r}")
        for field in ("scores", "labels_ja", "labels_en", "colors"):
            if len(getattr(self, field)) != n:
                raise ValueError(f"{field} has {len(getattr(self, field))} entries for {n} symbols")
        if any(better <= worse for better, worse in zip(self.scores, self.scores[1:])):
            raise ValueError(f"scores must fall strictly from the best grade to the worst, got {self.scores!r}")
        if self.n_implemented is not None and not 1 <= self.n_implemented < n:
            raise ValueError(f"n_implemented must be between 1 and {n - 1}, got {self.n_implemented}")

    def __len__(self) -> int:
        return len(self.symbols)

    @property
    def dtype(self) -> pd.CategoricalDtype:
        """The ordered Categorical dtype of a rating column, worst first, so ``min()`` is the worst."""
        return pd.CategoricalDtype(list(reversed(self.symbols)), ordered=True)

    @property
    def max_score(self) -> int:
        """The score of the best grade."""
        return self.scores[0]

    @property
    def min_score(self) -> int:
        """The score of the worst grade."""
        return self.scores[-1]

    @property
    def implemented(self) -> tuple[str, ...]:
        """The top grades that count as implemented (◎ and ○ on the Kitamoto scale)."""
        return self.symbols[: self.n_implemented or len(self.symbols) // 2]

    @property
    def lowest(self) -> str:
        """The worst grade (× on the Kitamoto scale): not implemented."""
        return self.symbols[-1]

    def score(self, symbol: str) -> int:
        """Return the score of one symbol."""
        return self.scores[self.index(symbol)]

    def index(self, symbol: str, *, where: str = "") -> int:
        """Return the position of ``symbol`` on the scale (0 = best).

        Raises
        ------
        RatingError
            If the symbol is not on the scale; the message names the value,
            ``where`` it was found and the accepted symbols.
        """
        try:
            return self.symbols.index(symbol)
        except ValueError:
            place = f"（{where}）" if where else ""
            raise RatingError(
                f"評価 {quote_value(symbol)}{place}は評価の尺度にありません（使える記号: {' '.join(self.symbols)}）"
            ) from None

    def codes(self, ratings: pd.Series, numbers: pd.Series | None = None) -> np.ndarray:
        """Return each rating's position on the scale (0 = best) as an int array.

        Raises
        ------
        RatingError
            Naming the first value not on the scale and, when ``numbers``
            (the measure numbers) is given, its measure.

        Examples
        --------
        >>> KYODO_SCALE.codes(pd.Series(["×", "◎"])).tolist()
        [3, 0]
        """
        value_codes, values = pd.factorize(pd.Series(ratings))  # missing values get -1
        positions = {symbol: i for i, symbol in enumerate(self.symbols)}
        # position of each distinct value on the scale; the appended -1 serves code -1 (missing)
        lookup = np.array([positions.get(value, -1) for value in values] + [-1], dtype=np.int64)
        codes = lookup[value_codes]
        bad = np.flatnonzero(codes < 0)
        if len(bad):
            row = int(bad[0])
            where = f"No.{numbers.iloc[row]}" if numbers is not None else f"{row + 1}行目"
            value = pd.Series(ratings).iloc[row]
            if pd.isna(value):
                raise RatingError(f"{where}の評価がありません（使える記号: {' '.join(self.symbols)}）")
            self.index(value, where=where)  # raises, naming the value
        return codes


#: The ratings of the Kitamoto table, with their assumed meanings (the table has no legend).
#: Colours: ColorBrewer RdBu, 4 classes (colour-blind safe).
KYODO_SCALE = RatingScale(
    symbols=("◎", "○", "△", "×"),
    scores=(3, 2, 1, 0),
    labels_ja=("達成", "概ね達成", "一部実施", "未実施"),
    labels_en=("achieved", "largely implemented", "partly implemented", "not implemented"),
    colors=("#0571b0", "#92c5de", "#f4a582", "#ca0020"),
    name="kyodo",
    meanings_assumed=True,
)

#: Sendai City's four progress levels, judged against the schedule.
SENDAI_SCALE = RatingScale(
    symbols=("◎", "○", "△", "×"),
    scores=(3, 2, 1, 0),
    labels_ja=("計画以上に進んでいる", "計画どおり", "一部遅れている", "遅れている"),
    labels_en=("ahead of plan", "on plan", "partly late", "late"),
    colors=KYODO_SCALE.colors,
    name="sendai",
)

#: Letter grades A-D, as many cities' administrative evaluations (行政評価) use.
LETTER_SCALE = RatingScale(
    symbols=("A", "B", "C", "D"),
    scores=(3, 2, 1, 0),
    labels_ja=("順調", "概ね順調", "やや遅れ", "遅れ"),
    labels_en=("on track", "mostly on track", "somewhat behind", "behind"),
    colors=KYODO_SCALE.colors,
    name="letter",
)

#: A five-level scale S-D; the middle grade B is neutral.
FIVE_LEVEL_SCALE = RatingScale(
    symbols=("S", "A", "B", "C", "D"),
    scores=(4, 3, 2, 1, 0),
    labels_ja=("目標を上回る", "達成", "概ね達成", "一部未達成", "未着手"),
    labels_en=("beyond target", "achieved", "largely achieved", "partly unachieved", "not started"),
    colors=("#0571b0", "#92c5de", "#d9d9d9", "#f4a582", "#ca0020"),
    name="five-level",
)
