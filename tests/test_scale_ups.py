"""The chapter 'Scale-ups': stated totals, the population of enterprises with 10+ employees, a
user's Scale-Up Dashboard file (synthetic, tests/fixtures only) and the book's sentences."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.chapters import scale_ups as chapter
from helpers.data.checks import DataCheckError, UnknownParameterError
from helpers.presentation import scale_ups as views

SCALEUPS = Path(__file__).parent / "fixtures" / "user_files" / "scaleups_synthetic.csv"


def test_stated_totals_of_the_dashboard():
    stated = chapter.stated_scaleups()
    assert stated["indicator"].str.startswith("Scale-ups (ScaleUp Dashboard").all()
    totals = chapter.stated_totals(stated)
    assert (totals.total_2016, totals.total_2017) == (3070, 3237)
    assert totals.growth == pytest.approx((3237 / 3070 - 1) * 100)
    assert totals.randstad == "meer dan de helft"  # 'more than half', in Dutch


def test_a_stated_figure_must_be_there_once():
    table = pd.DataFrame({"indicator": ["a", "a"], "value_as_stated": ["1", "2"]})
    with pytest.raises(DataCheckError, match="'a' not found once"):
        chapter.stated_value(table, "a")
    with pytest.raises(DataCheckError, match="'b' not found once"):
        chapter.stated_value(table, "b")


def test_population_of_enterprises_with_ten_or_more_employees():
    population = chapter.population(2016)
    table = population.table
    assert population.year == 2016 and len(table) == 40 and len(population.map_data) == 40
    assert table["aandeel_pct"].sum() == pytest.approx(100)
    randstad = table[table["nuts3"].str[:4].isin(["NL31", "NL32", "NL33"])]
    assert population.randstad_share == pytest.approx(
        randstad["actief_10_plus"].sum() / table["actief_10_plus"].sum() * 100
    )
    assert population.scaleups_more_in_randstad == (population.randstad_share < 50)
    assert population.top(1)[0][1] == table["actief_10_plus"].max()
    with pytest.raises(UnknownParameterError, match="available years"):
        chapter.population(1990)


def test_a_dashboard_file_per_gemeente():
    assert chapter.scaleup_counts("", 2016) is None
    scaleups = chapter.scaleup_counts(str(SCALEUPS), 2016)
    assert scaleups.total == 930 and scaleups.map_year == 2016
    assert scaleups.top(2) == [("Amsterdam", 400), ("Rotterdam", 200)]
    assert scaleups.map_data["scaleups"].sum() == 930
    with pytest.raises(UnknownParameterError, match="available years: 2015, 2016"):
        chapter.scaleup_counts(str(SCALEUPS), 2017)
    assert chapter.status(scaleups).startswith("origineel")
    assert chapter.status(None).startswith("gepubliceerde totalen")


def test_sentences_and_table_of_the_chapter():
    assert "scaleup_file" in views.user_text(None)
    text = views.user_text(chapter.scaleup_counts(str(SCALEUPS), 2016))
    assert text.startswith("Met het aangeleverde bestand (2016) telt Nederland 930 scale-ups")
    assert "de meeste in Amsterdam (400), Rotterdam (200)" in text
    population = chapter.population(2016)
    expected = "sterker op de Randstad" if population.scaleups_more_in_randstad else "past bij"
    assert expected in views.comparison_text(population)
    shown = views.stated_table(chapter.stated_scaleups())
    assert list(shown.columns) == list(views.STATED_COLUMNS.values())
