"""Layout rules shared by the writers: how wide a text is in a Japanese font."""

from __future__ import annotations

import unicodedata

__all__ = ["display_width"]


def display_width(text: object) -> int:
    """How many half-width columns a text takes in a Japanese font: a kanji, a kana or a full-width character
    takes two, and so does an East Asian ambiguous one (◎ ○ △ × →), which Japanese fonts draw full-width.

    The one measure of text width, for the Word draft's columns and the workbooks' columns and rows.

    Examples
    --------
    >>> display_width("No. 5"), display_width("協働推進課"), display_width("◎→")
    (5, 10, 4)
    """
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in str(text))
