import pandas as pd
import pytest

from kyodo_analysis import FIVE_LEVEL_SCALE, KYODO_SCALE, LETTER_SCALE, SENDAI_SCALE, RatingError, RatingScale


def test_kyodo_scale_table():
    rows = list(zip(KYODO_SCALE.symbols, KYODO_SCALE.scores, KYODO_SCALE.labels_ja, KYODO_SCALE.labels_en))
    assert rows == [
        ("◎", 3, "達成", "achieved"),
        ("○", 2, "概ね達成", "largely implemented"),
        ("△", 1, "一部実施", "partly implemented"),
        ("×", 0, "未実施", "not implemented"),
    ]
    assert KYODO_SCALE.implemented == ("◎", "○")
    assert KYODO_SCALE.lowest == "×"
    assert list(KYODO_SCALE.dtype.categories) == ["×", "△", "○", "◎"] and KYODO_SCALE.dtype.ordered


def test_other_scales():
    assert SENDAI_SCALE.labels_en == ("ahead of plan", "on plan", "partly late", "late")
    assert LETTER_SCALE.symbols == ("A", "B", "C", "D")
    assert len(FIVE_LEVEL_SCALE) == 5 and FIVE_LEVEL_SCALE.implemented == ("S", "A")
    assert FIVE_LEVEL_SCALE.max_score == 4 and FIVE_LEVEL_SCALE.min_score == 0


def test_colours_diverge_light_in_the_middle():
    from matplotlib.colors import to_rgb

    def lightness(colour):
        r, g, b = to_rgb(colour)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for scale in (KYODO_SCALE, FIVE_LEVEL_SCALE):
        values = [lightness(c) for c in scale.colors]
        middle = len(values) // 2
        assert values[0] < values[middle - 1] and values[-1] < values[-middle]


def test_scale_validation():
    with pytest.raises(ValueError, match="fall strictly"):
        RatingScale(("a", "b"), (0, 1), ("", ""), ("", ""), ("#000", "#fff"))
    with pytest.raises(ValueError, match="labels_ja has 1 entries for 2 symbols"):
        RatingScale(("a", "b"), (1, 0), ("",), ("", ""), ("#000", "#fff"))


def test_off_scale_value_names_value_measure_and_accepted():
    ratings = pd.Series(["◎", "▲"])
    with pytest.raises(RatingError, match=r"評価 '▲'（No.12）は評価の尺度にありません（使える記号: ◎ ○ △ ×）"):
        KYODO_SCALE.codes(ratings, pd.Series([11, 12]))
    assert issubclass(RatingError, ValueError)
