"""The chapter 'Scale-ups': stated totals, the population of establishments with 10+ persons
(then and now), a user's Scale-Up Dashboard file (synthetic, tests/fixtures only) and the book's sentences."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers import config
from helpers.chapters import firms
from helpers.chapters import scale_ups as chapter
from helpers.data.checks import DataCheckError, UnknownParameterError
from helpers.presentation import scale_ups as views
from helpers.presentation.then_now import Period

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


def _stock(year: int, level: str) -> pd.DataFrame:
    table = pd.read_csv(config.PROCESSED_DIR / "cbs" / "establishments_by_size_81644ned.csv")
    return table[(table["level"] == level) & (table["year"] == year)]


def test_population_of_establishments_with_ten_or_more_persons():
    assert chapter.population_years() == list(range(2015, 2026))
    population = chapter.population(2016)
    table = population.table
    assert population.year == 2016 and len(table) == 40 and len(population.map_data) == 40
    assert len(population.provinces) == 12
    assert population.total == _stock(2016, "corop")["vestigingen_10_plus"].sum()
    assert table["aandeel_pct"].sum() == pytest.approx(100)
    assert (table["vestigingen_10_plus"].diff().dropna() <= 0).all()  # most first
    assert population.top(1) == [("Groot-Amsterdam", 9300.0)]
    provinces = _stock(2016, "provincie")
    randstad = provinces[provinces["name"].isin(["Utrecht", "Noord-Holland", "Zuid-Holland"])]
    assert population.randstad_share == pytest.approx(
        randstad["vestigingen_10_plus"].sum() / provinces["vestigingen_10_plus"].sum() * 100
    )
    assert population.scaleups_more_in_randstad == (population.randstad_share < 50)
    with pytest.raises(UnknownParameterError, match="available years: 2015, .*2025"):
        chapter.population(2014)
    with pytest.raises(ValueError, match="Unknown level 'gemeente'"):
        chapter.larger_establishments(2016, "gemeente")


def test_population_change_between_the_dashboard_year_and_the_newest():
    change = chapter.population_change(chapter.population(2025), chapter.population(2016))
    corop = change.corop
    assert (corop.earlier, corop.later) == (2016, 2025)  # either order
    assert corop.totals == (93690.0, 106440.0)
    assert corop.of("CR23") == (9300.0, 11225.0)  # Groot-Amsterdam
    assert corop.fastest[0] == "Groot-Amsterdam" and corop.slowest[0] == "Het Gooi en Vechtstreek"
    assert corop.n_up == 38 and len(change.provinces.table) == 12
    assert change.randstad_shares[0] == pytest.approx(chapter.population(2016).randstad_share)


def test_region_change_of_a_count():
    a = pd.DataFrame({"corop": ["A", "B"], "name": ["a", "b"], "n": [100.0, 50.0]})
    b = pd.DataFrame({"corop": ["A", "B"], "name": ["a2", "b2"], "n": [110.0, 40.0]})
    change = firms.region_change(b, a, "corop", "n", (2020, 2016))
    assert (change.earlier, change.later) == (2016, 2020)
    assert change.table["name"].tolist() == ["a2", "b2"]  # names of the later year
    assert change.table["change_pct"].tolist() == pytest.approx([10.0, -20.0])
    assert change.totals == (150.0, 150.0) and change.total_change_pct == 0
    assert change.n_up == 1 and change.fastest == ("a2", 10.0) and change.slowest[0] == "b2"
    with pytest.raises(ValueError, match="regions of 2016 and 2020 differ"):
        firms.region_change(a, b.head(1), "corop", "n", (2016, 2020))


def test_then_and_now_sentences():
    population, newest = chapter.population(2016), chapter.population(2025)
    change = chapter.population_change(population, newest)
    text = views.change_text(Period(2016, 2025), change)
    assert text.startswith(
        "Tussen 2016 en 2025 steeg het aantal vestigingen met 10 of meer werkzame personen van "
        "93.690 naar 106.440 (+13,6%); het nam toe in 38 van de 40 COROP-regio's."
    )
    assert "Groot-Amsterdam het sterkst (+21%)" in text
    assert views.change_text(Period(2025, 2025), None).startswith("Het vergelijkingsjaar is")
    assert "vóór het referentiejaar" in views.change_text(Period(2025, 2016), change)
    assert "is dat van het Scale-Up Dashboard" in views.reference_note(2016)
    assert "een jaar eerder dan het Scale-Up Dashboard" in views.reference_note(2015)
    assert "negen jaar later" in views.reference_note(2025)
    table = views.province_table(change)
    assert list(table.columns) == ["Provincie", "2016", "2025", "Verandering"]
    assert table.iloc[0].tolist() == ["Utrecht", "7.605", "9.005", "+18,4%"]
    assert views.slope_figure(change)["data"] is change.corop.table
    assert "geen scale-ups" in views.population_figure(newest, "k")["caption"]


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
    assert "zie Zelf opnieuw uitrekenen" in views.user_text(None)  # no instructions here
    text = views.user_text(chapter.scaleup_counts(str(SCALEUPS), 2016))
    assert text.startswith("Met het aangeleverde bestand (2016) telt Nederland 930 scale-ups")
    assert "de meeste in Amsterdam (400), Rotterdam (200)" in text
    population = chapter.population(2016)
    expected = "sterker op de Randstad" if population.scaleups_more_in_randstad else "past bij"
    assert expected in views.comparison_text(population)
    shown = views.stated_table(chapter.stated_scaleups())
    assert list(shown.columns) == list(views.STATED_COLUMNS.values())
    # Dutch labels and values, no English wording and no raw web address as text
    assert shown["Gegeven"].tolist() == [
        "Scale-ups in Nederland", "Aandeel in de Randstad", "Scale-ups in Nederland"
    ]  # fmt: skip
    assert shown["Waarde"].tolist() == ["3.070", "meer dan de helft", "3.237"]
    assert shown["Bron"].iloc[0].startswith("[RSM](https://www.rsm.nl/")
    words = " ".join(shown.drop(columns="Bron").astype(str).to_numpy().ravel())
    assert not {"total", "share", "firms", "edition", "more"} & set(words.lower().split())
