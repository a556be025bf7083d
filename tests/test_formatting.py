import math

import pytest

from helpers.presentation.formatting import (
    fmt_number,
    fmt_percent,
    fmt_signed,
    join_dutch,
    number_word,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (136.6, 1, "136,6"),
        (13695, 0, "13.695"),
        (1418820, 0, "1.418.820"),
        (95, 1, "95,0"),
        (0.59, 2, "0,59"),
        (-1234.5, 1, "-1.234,5"),
        (2.25, 1, "2,2"),  # round half to even, as Python does
    ],
)
def test_fmt_number_dutch_separators(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


def test_fmt_number_missing_values():
    assert fmt_number(None) == "–"
    assert fmt_number(math.nan, 1) == "–"


def test_numpy_scalars_never_leak_repr():
    import numpy as np

    assert fmt_number(np.float64(143.51), 2) == "143,51"
    assert "np." not in fmt_number(np.int64(7))


def test_percent_signed_and_words():
    assert fmt_percent(24) == "24,0%"
    assert fmt_signed(6.6) == "+6,6"
    assert fmt_signed(-1.25, 2) == "\u22121,25"
    assert fmt_signed(0.0) == "0,0"
    assert (
        join_dutch(["Utrecht", "Noord-Brabant", "Limburg"]) == "Utrecht, Noord-Brabant en Limburg"
    )
    assert join_dutch(["Utrecht"]) == "Utrecht"
    assert number_word(7) == "zeven"
    assert number_word(30) == "30"
