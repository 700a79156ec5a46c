import pytest

from kyodo_analysis.era import find_fiscal_years, fiscal_year_label, short_fiscal_year_label, to_fiscal_year


@pytest.mark.parametrize(
    ("label", "fiscal_year"),
    [("平成19年度", 2007), ("平成元年度", 1989), ("平成 19 年度", 2007), ("平成１９年度", 2007),
     ("令和元年度", 2019), ("令和6年度", 2024), ("昭和64年度", 1989), ("昭和50年度", 1975)],
)
def test_to_fiscal_year(label, fiscal_year):
    assert to_fiscal_year(label) == fiscal_year


@pytest.mark.parametrize("label", ["平成19年", "19年度", "天保3年度", "平成19年度から"])
def test_to_fiscal_year_rejects_other_text(label):
    with pytest.raises(ValueError, match="not a fiscal year label"):
        to_fiscal_year(label)


@pytest.mark.parametrize(
    ("fiscal_year", "label", "short"),
    [(2007, "平成19年度", "H19"), (2012, "平成24年度", "H24"), (2019, "令和元年度", "R1"),
     (2018, "平成30年度", "H30"), (1989, "平成元年度", "H1"), (1988, "昭和63年度", "S63")],
)
def test_fiscal_year_labels(fiscal_year, label, short):
    assert fiscal_year_label(fiscal_year) == label
    assert short_fiscal_year_label(fiscal_year) == short


def test_find_fiscal_years():
    assert find_fiscal_years("平成19年度から平成21年度の3年間、開催した。") == [2007, 2009]
    assert find_fiscal_years("平成 21 年度から…、平成 22 年度からは…") == [2009, 2010]
    assert find_fiscal_years("平成19年度から21年度まで") == [2007, 2009]
    assert find_fiscal_years("月1回、3年間、2008年") == []
    assert find_fiscal_years("令和元年度と平成30年度") == [2018, 2019]
