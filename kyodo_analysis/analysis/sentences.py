"""Sentences of a status text (施策実施状況): Japanese sentences end in 。.

Examples
--------
>>> split_sentences("開設した。 今後は検討する。")
['開設した。', '今後は検討する。']
"""

from __future__ import annotations

import re

from kyodo_analysis.era import find_fiscal_year_mentions
from kyodo_analysis.source.parsing import normalize_text

__all__ = ["split_sentences", "INTENT_WORDS", "NOT_IN_PLACE_WORDS", "measure_subject", "read_start"]

_SENTENCE = re.compile(r"[^。｡]+[。｡]?")  # ｡ (half-width) too: a sentence as written


def split_sentences(text: str) -> list[str]:
    """Split Japanese text into sentences ending in 。 or ｡ (the last may lack it).

    Examples
    --------
    >>> split_sentences("開設した。 今後は検討する。")
    ['開設した。', '今後は検討する。']
    """
    return [sentence.strip() for sentence in _SENTENCE.findall(text) if sentence.strip()]


#: Words that make the text after a year one of plan or intent: that year is not a start
#: (「令和4年度から開始する予定であったが、令和5年度に試行した」 starts in 令和5). Bare 検討 is not here:
#: it would match 検討委員会 and 検討し (done); bare 計画 would match the plan's own name.
INTENT_WORDS = ("予定", "する計画", "計画である", "計画中", "目指す", "目指し", "見込み", "見込む", "検討する",
                "検討中", "検討している", "検討を進め")
#: Words saying that something is not in place: a sentence holding one gives no start.
NOT_IN_PLACE_WORDS = ("整備されていない", "未設置", "未実施", "未整備", "未着手", "至っていない", "至らない")
#: The action that ends a 施策の方向性 (協働事業提案制度の創設): what is left is the measure's own subject.
_ACTION = re.compile(r"の(?:創設|設置|開設|開催|整備|作成|構築|実施|推進|導入|策定|充実|評価|支援)(?:等|など)?$")


def measure_subject(direction: str) -> str:
    """The thing a measure is about, from its 施策の方向性: the text before its closing action, or "".

    Examples
    --------
    >>> [measure_subject(text) for text in ("協働事業提案制度の創設", "相談窓口の開設", "企業との連携")]
    ['協働事業提案制度', '相談窓口', '']
    """
    direction = normalize_text(direction)
    subject = _ACTION.sub("", direction)
    return subject if subject != direction else ""


#: A subject's head noun when it is written in katakana at the end (職員協働推進マニュアル → マニュアル): a status
#: may name the thing by it alone (「マニュアルを作成する予定」). A kanji compound has no such split without a
#: dictionary, and is matched whole.
_KATAKANA_HEAD = re.compile(r"(?<=[^ァ-ヺー])[ァ-ヺー]{2,}$")


def _subject_names(subject: str) -> list[str]:
    """The names a status may give the measure's subject, most specific first: the subject, then its head noun.

    Examples
    --------
    >>> _subject_names("職員協働推進マニュアル"), _subject_names("相談窓口"), _subject_names("マニュアル")
    (['職員協働推進マニュアル', 'マニュアル'], ['相談窓口'], ['マニュアル'])
    """
    head = _KATAKANA_HEAD.search(subject)
    return [subject, head.group()] if head else [subject] if subject else []


def _starts(sentence: str) -> tuple[list[int], bool]:
    """The fiscal years a (normalized) sentence gives as starts, and whether it says something is not in place.

    A year followed, before the next year, by a word of plan or intent is not a start; nor is any year of
    a sentence saying that something is not in place.
    """
    if any(word in sentence for word in NOT_IN_PLACE_WORDS):
        return [], True
    mentions = find_fiscal_year_mentions(sentence)
    starts = []
    for index, (fiscal_year, start, _) in enumerate(mentions):
        until = mentions[index + 1][1] if index + 1 < len(mentions) else len(sentence)
        if not any(word in sentence[start:until] for word in INTENT_WORDS):
            starts.append(fiscal_year)
    return starts, False


def read_start(direction: str, status: str) -> tuple[int | None, str, bool]:
    """The start a status text gives a measure: ``(fiscal year or None, evidence sentence as written, not started)``.

    The sentences that name the measure's own subject (:func:`measure_subject`), or else its head noun
    (職員協働推進マニュアル: マニュアル), are read first; when none does, every sentence is. The earliest year
    that is a start (:func:`_starts`) is the start. When the subject's own sentences give no start and say it is only planned or not in place, the measure has not
    started (``True``). Otherwise, with no start, the text does not settle it (``None, …, False``).

    Examples
    --------
    >>> read_start("相談窓口の開設", "平成20年度から協働推進課を開設したが、相談窓口を開設する体制は整備されていない。")
    (None, '平成20年度から協働推進課を開設したが、相談窓口を開設する体制は整備されていない。', True)
    >>> read_start("制度の創設", "令和4年度から制度を開始する予定であったが、令和5年度に試行した。")[0]
    2023
    """
    sentences = [(written, normalize_text(written)) for written in split_sentences(status)]
    # the sentences naming the subject, or else its head noun (the first name that any sentence uses)
    own = next(([pair for pair in sentences if name in pair[1]] for name in _subject_names(measure_subject(direction))
                if any(name in normalized for _, normalized in sentences)), [])
    earliest: tuple[int, str] | None = None
    denied = []
    for written, normalized in own or sentences:
        starts, not_in_place = _starts(normalized)
        if starts and (earliest is None or min(starts) < earliest[0]):
            earliest = (min(starts), written)
        if not starts and (not_in_place or any(word in normalized for word in INTENT_WORDS)):
            denied.append(written)
    if earliest is not None:
        return earliest[0], earliest[1], False
    if own and len(denied) == len(own):
        return None, denied[0], True
    named = next((written for written, normalized in sentences if find_fiscal_year_mentions(normalized)), "")
    return None, named, False
