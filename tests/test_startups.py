"""The chapter 'Startups': new establishments per COROP, new enterprises per NUTS 3, a user's
startup list (synthetic, tests/fixtures only) and the sentences the book shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.chapters import firms
from helpers.chapters import startups as chapter
from helpers.data.checks import UnknownParameterError
from helpers.presentation import startups as views

STARTUPS = Path(__file__).parent / "fixtures" / "user_files" / "startups_synthetic.csv"


def test_starters_per_corop_use_comparable_years_only():
    assert firms.starter_years() == [2015, 2016, 2017]
    table = chapter.starters_for_year(2016)
    assert len(table) == 40 and table.iloc[0]["corop"] == "CR23"  # Groot-Amsterdam
    amsterdam = table.iloc[0]
    assert amsterdam["per_1000"] == pytest.approx(23360 / amsterdam["vestigingen_totaal"] * 1000)
    with pytest.raises(ValueError, match="available years: 2015, 2016, 2017"):
        chapter.starters_for_year(2014)


def test_new_establishments_against_the_existing_ones():
    new = chapter.new_establishments(2016)
    table = new.table
    assert new.year == 2016 and len(table) == 40 and len(new.map_data) == 40
    assert new.total == table["totaal"].sum()
    assert new.rate == pytest.approx(
        table["totaal"].sum() / table["vestigingen_totaal"].sum() * 1000
    )
    assert new.more_concentrated == (new.concentration.gini > new.stock_concentration.gini)
    assert new.top(1) == [("Groot-Amsterdam", 23360.0)]
    rates = [rate for _, rate in new.top_rates(3)]
    assert rates == sorted(rates, reverse=True) and rates[0] == table["per_1000"].max()
    assert new.lowest_rate[1] == table["per_1000"].min()
    assert new.map_data.set_index("code").loc["CR23", "totaal"] == 23360


def test_new_enterprises_per_nuts3():
    births = chapter.births(2016)
    table = births.table
    assert births.year == 2016 and len(table) == 40
    assert births.total == table["oprichtingen_totaal"].sum()
    assert births.most == (table.iloc[0]["name"], table["oprichtingen_totaal"].max())
    assert births.highest_rate[1] == table["oprichtingsgraad_pct_totaal"].max()
    with pytest.raises(UnknownParameterError, match="available years"):
        chapter.births(1990)


def test_a_startup_list_is_placed_in_gemeenten():
    assert chapter.startup_list("") is None
    startups = chapter.startup_list(str(STARTUPS))
    assert startups.n == 7 and startups.unplaced == 1  # 'Atlantis' is no gemeente
    assert startups.top(1) == [("Amsterdam", 2)]
    assert startups.share_big == pytest.approx(5 / 6 * 100)  # all but Wageningen
    assert startups.map_data["startups"].sum() == 6
    assert chapter.status(startups).startswith("origineel")
    assert chapter.status(None).startswith("benadering")


def test_published_findings_as_printed():
    published = chapter.published()
    assert published.n_startups == 1000
    assert published.cities == ["Amsterdam", "Utrecht", "Rotterdam"]


def test_the_user_text_either_way():
    assert "startup_file" in views.user_text(None)
    text = views.user_text(chapter.startup_list(str(STARTUPS)))
    assert "(7 startups, waarvan 1 zonder herkenbare gemeente)" in text
    assert "in Amsterdam (2), " in text and "hebben samen 83% van de startups" in text
