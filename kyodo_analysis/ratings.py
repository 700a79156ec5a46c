"""The rating scale (評価), defined once.

Every count, score, colour and label of a grade is read from a
:class:`RatingScale`; nothing else in the package spells the list of symbols.

The Kitamoto table prints its ratings without a legend. :data:`KYODO_SCALE`
records the meaning we assume (◎ achieved, ○ largely implemented,
△ partly implemented, × not implemented), so that it is stated in one place
and can be replaced.

Examples
--------
>>> KYODO_SCALE.symbols
('×', '△', '○', '◎')
>>> KYODO_SCALE.score("◎")
3
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["RatingScale", "RatingError", "KYODO_SCALE", "canonical_symbol", "LOOKALIKES"]


class RatingError(ValueError):
    """A rating that is not on the scale in use."""


#: Characters that PDF extraction or typing puts in place of a mark, and the
#: mark they stand for. Applied after NFKC, which already folds full-width
#: ｘ/Ｘ to x/X. ▲ is deliberately absent: in Japanese accounting it means
#: minus, not △.
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
    """An ordinal rating scale.

    Parameters
    ----------
    symbols : tuple of str
        The grades, worst first (the order of an ascending ordered Categorical).
    scores : tuple of int
        The score of each grade, in the same order.
    labels_ja, labels_en : tuple of str
        What each grade means, in Japanese and English.
    colors : tuple of str
        One colour per grade: colour-blind safe, ordered light-to-dark away
        from the middle, which lies between the two central grades.
    name : str
        A short name for the scale.
    """

    symbols: tuple[str, ...]
    scores: tuple[int, ...]
    labels_ja: tuple[str, ...]
    labels_en: tuple[str, ...]
    colors: tuple[str, ...]
    name: str = ""

    def __post_init__(self) -> None:
        n = len(self.symbols)
        if n < 2 or len(set(self.symbols)) != n:
            raise ValueError(f"a scale needs two or more distinct symbols, got {self.symbols!r}")
        for field in ("scores", "labels_ja", "labels_en", "colors"):
            if len(getattr(self, field)) != n:
                raise ValueError(f"{field} has {len(getattr(self, field))} entries for {n} symbols")
        if list(self.scores) != sorted(self.scores) or len(set(self.scores)) != n:
            raise ValueError(f"scores must rise strictly from worst to best, got {self.scores!r}")

    @property
    def dtype(self) -> pd.CategoricalDtype:
        """The ordered Categorical dtype of a rating column, worst first."""
        return pd.CategoricalDtype(list(self.symbols), ordered=True)

    @property
    def max_score(self) -> int:
        """The score of the best grade."""
        return self.scores[-1]

    @property
    def min_score(self) -> int:
        """The score of the worst grade."""
        return self.scores[0]

    def score(self, symbol: str) -> int:
        """Return the score of one symbol."""
        return self.scores[self.index(symbol)]

    def index(self, symbol: str, *, where: str = "") -> int:
        """Return the position of ``symbol`` on the scale (0 = worst).

        Raises
        ------
        RatingError
            If the symbol is not on the scale; the message names the value,
            ``where`` it was found and the accepted symbols.
        """
        try:
            return self.symbols.index(symbol)
        except ValueError:
            place = f" in {where}" if where else ""
            raise RatingError(
                f"rating {symbol!r}{place} is not on the scale {self.name or ''}"
                f" (accepted: {' '.join(self.symbols)})".replace("  ", " ")
            ) from None


#: The ratings of the Kitamoto table, with their assumed meanings.
#: Colours: ColorBrewer RdBu (colour-blind safe, diverging between △ and ○).
KYODO_SCALE = RatingScale(
    symbols=("×", "△", "○", "◎"),
    scores=(0, 1, 2, 3),
    labels_ja=("未実施", "一部実施", "概ね達成", "達成"),
    labels_en=("not implemented", "partly implemented", "largely implemented", "achieved"),
    colors=("#ca0020", "#f4a582", "#92c5de", "#0571b0"),
    name="kyodo",
)
