"""Sentences of a status text (施策実施状況): Japanese sentences end in 。.

Examples
--------
>>> split_sentences("開設した。 今後は検討する。")
['開設した。', '今後は検討する。']
"""

from __future__ import annotations

import re

__all__ = ["split_sentences", "sentence_at"]

_SENTENCE = re.compile(r"[^。]+。?")


def split_sentences(text: str) -> list[str]:
    """Split Japanese text into sentences ending in 。 (the last may lack it).

    Examples
    --------
    >>> split_sentences("開設した。 今後は検討する。")
    ['開設した。', '今後は検討する。']
    """
    return [sentence.strip() for sentence in _SENTENCE.findall(text) if sentence.strip()]


def sentence_at(text: str, offset: int) -> str:
    """The sentence of (NFKC) ``text`` that holds character ``offset``.

    Examples
    --------
    >>> sentence_at("開設した。今後は検討する。", 6)
    '今後は検討する。'
    """
    for match in _SENTENCE.finditer(text):
        if match.start() <= offset < match.end():
            return match.group().strip()
    return text.strip()
