"""Wording of "then and now": a reference year, a comparison year after it, the same year, or
one before it, each reads naturally."""

from __future__ import annotations

import pytest

from helpers.presentation.then_now import (
    Period,
    between,
    change_in_count,
    change_in_points,
    year_range,
    years_apart,
    years_prose,
)


def test_a_period_orders_its_years_either_way():
    forward, same, backward = Period(2016, 2023), Period(2023, 2023), Period(2023, 2016)
    assert (forward.earlier, forward.later, forward.same, forward.reversed) == (
        2016,
        2023,
        False,
        False,
    )
    assert (backward.earlier, backward.later, backward.reversed) == (2016, 2023, True)
    assert same.same and not same.reversed
    assert (forward.span, same.span) == ("2016-2023", "2023")
    assert (forward.years_text, backward.years_text, same.years_text) == (
        "2016 en 2023",
        "2016 en 2023",
        "2023",
    )


def test_the_intro_says_how_the_years_relate():
    assert Period(2016, 2023).intro() == ""
    same = Period(2023, 2023).intro()
    assert "gelijk aan het referentiejaar (2023)" in same and "geen verandering" in same
    backward = Period(2023, 2016).intro()
    assert backward.startswith("Het vergelijkingsjaar (2016) ligt hier vóór het referentiejaar")
    assert "van 2016 naar 2023" in backward
    assert "sinds" not in same + backward


@pytest.mark.parametrize(
    ("year", "other", "text"),
    [
        (2016, 2016, "hetzelfde jaar"),
        (2015, 2016, "een jaar eerder"),
        (2014, 2016, "twee jaar eerder"),
        (2023, 2016, "zeven jaar later"),
    ],
)
def test_years_apart(year, other, text):
    assert years_apart(year, other) == text


def test_changes_in_points_and_counts():
    assert change_in_points(28.1, 32.5) == "steeg van 28,1% naar 32,5% (+4,4 procentpunt)"
    assert change_in_points(45.1, 44.9, subject="het aandeel") == (
        "daalde het aandeel van 45,1% naar 44,9% (\u22120,2 procentpunt)"
    )
    assert change_in_points(30.04, 29.96, subject="het aandeel") == "bleef het aandeel 30,0%"
    assert change_in_count(21365, 34230, subject="het aantal") == (
        "steeg het aantal van 21.365 naar 34.230 (+60,2%)"
    )
    assert change_in_count(200, 150) == "daalde van 200 naar 150 (\u221225,0%)"
    assert change_in_count(150, 150) == "bleef 150"


def test_year_range():
    assert year_range([2016, 2014, 2023]) == "2014-2023"
    assert year_range([2020]) == "2020"
    with pytest.raises(ValueError, match="no years"):
        year_range([])


def test_year_ranges_in_prose_are_written_out():
    """In running text a range reads 'tussen 2014 en 2020' or '2011 tot en met 2016', never
    'tussen 2014-2020' or 'van 2011-2016'."""
    assert years_prose([2016, 2011, 2013]) == "2011 tot en met 2016"
    assert years_prose((2016, 2016)) == "2016"
    assert between(2020, 2014) == "tussen 2014 en 2020" and between(2016, 2016) == "in 2016"
    with pytest.raises(ValueError, match="no years"):
        years_prose([])


@pytest.mark.parametrize(
    "chapter", ["europa", "rd", "innovatieve_bedrijven", "startups", "scale_ups",
                "hoogopgeleiden", "topsectoren"],
)  # fmt: skip
def test_recompute_blocks_have_no_nested_brackets(chapter):
    """The "Zelf opnieuw uitrekenen" block of every chapter, with its defaults: a parameter's
    facts sit in one pair of brackets, never '(... (in de editie 2023)):'."""
    import importlib

    views = importlib.import_module(f"helpers.presentation.{chapter}")
    text = views.recompute_note({}).markdown()
    for line in text.splitlines():
        depth = 0
        for char in line:
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth <= 1, f"{chapter}: nested brackets in {line!r}"
