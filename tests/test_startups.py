"""The chapter 'Startups': new establishments per COROP and provincie in two years and the
change in between, new enterprises per NUTS 3, a user's startup list (synthetic,
tests/fixtures only) and the sentences the book shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.chapters import startups as chapter
from helpers.data.checks import UnknownParameterError
from helpers.presentation import startups as views
from helpers.presentation.then_now import Period

STARTUPS = Path(__file__).parent / "fixtures" / "user_files" / "startups_synthetic.csv"


def test_starter_years_are_those_with_new_establishments_and_a_stock():
    assert chapter.starter_years() == list(range(2015, 2024))
    with pytest.raises(UnknownParameterError, match="available years: 2015, 2016, .*, 2023"):
        chapter.starters_for_year(2014)
    with pytest.raises(ValueError, match="Unknown level 'gemeente'"):
        chapter.starters_for_year(2016, "gemeente")


def test_starters_per_corop_and_provincie_against_the_stock_of_the_year():
    table = chapter.starters_for_year(2023)
    assert len(table) == 40 and table.iloc[0]["corop"] == "CR23"  # Groot-Amsterdam
    amsterdam = table.iloc[0]
    assert (amsterdam["totaal"], amsterdam["vestigingen_totaal"]) == (34230, 268420)  # 1 Jan 2023
    assert amsterdam["per_1000"] == pytest.approx(34230 / 268420 * 1000)
    provinces = chapter.starters_for_year(2023, "provincie")
    assert len(provinces) == 12  # CBS rounds each region to 5: the sums agree within rounding
    assert abs(provinces["totaal"].sum() - table["totaal"].sum()) <= 5 * 40


def test_new_establishments_against_the_existing_ones():
    new = chapter.new_establishments(2015)
    table = new.table
    assert new.year == 2015 and len(table) == 40 and len(new.map_data) == 40
    assert new.count("CR23") == 21365 and new.top(1) == [("Groot-Amsterdam", 21365.0)]
    assert new.total == table["totaal"].sum()
    assert new.rate == pytest.approx(
        table["totaal"].sum() / table["vestigingen_totaal"].sum() * 1000
    )
    assert new.more_concentrated == (new.concentration.gini > new.stock_concentration.gini)
    rates = [rate for _, rate in new.top_rates(3)]
    assert rates == sorted(rates, reverse=True) and rates[0] == table["per_1000"].max()
    assert new.lowest_rate[1] == table["per_1000"].min()
    assert new.map_data.set_index("code").loc["CR23", "totaal"] == 21365
    assert len(new.provinces) == 12


def test_corop_moves_between_two_years():
    assert chapter.corop_moves(2022, 2023) == [
        ("Weesp", "Het Gooi en Vechtstreek", "Groot-Amsterdam")
    ]
    assert chapter.corop_moves(2023, 2022) == chapter.corop_moves(2022, 2023)
    assert chapter.corop_moves(2015, 2017) == []
    moved = {name for name, _, _ in chapter.corop_moves(2015, 2023)}
    assert {"Weesp", "Leerdam", "Zederik", "Haaren"} <= moved


@pytest.fixture(scope="module")
def change():
    return chapter.starter_change(
        chapter.new_establishments(2023), chapter.new_establishments(2015)
    )


def test_the_change_per_corop_and_provincie(change):
    assert (change.earlier, change.later) == (2015, 2023)
    assert change.of("CR23") == (21365, 34230)
    table = change.table
    assert len(table) == 40 and len(change.provinces) == 12
    assert table["change_pct"].tolist() == sorted(table["change_pct"], reverse=True)
    row = table.set_index("corop").loc["CR23"]
    assert row["change_pct"] == pytest.approx((34230 - 21365) / 21365 * 100)
    assert change.totals == (table["totaal_earlier"].sum(), table["totaal_later"].sum())
    assert (
        change.fastest[0] == table.iloc[0]["name"] and change.slowest[0] == table.iloc[-1]["name"]
    )
    assert change.n_up == (table["totaal_later"] > table["totaal_earlier"]).sum()
    assert any(name == "Weesp" for name, _, _ in change.moves)


def test_the_change_sentences_in_each_order(change):
    text = views.change_text(Period(2015, 2023), change)
    assert text.startswith("Tussen 2015 en 2023 steeg het aantal nieuwe vestigingen van ")
    assert "In Groot-Amsterdam steeg het aantal van 21.365 naar 34.230 (+60,2%)." in text
    assert "Weesp van Het Gooi en Vechtstreek naar Groot-Amsterdam" in text
    backward = views.change_text(Period(2023, 2015), change)
    assert backward.startswith("Het vergelijkingsjaar (2015) ligt hier vóór") and text in backward
    same = views.change_text(Period(2023, 2023), None)
    assert "geen verandering" in same and "Groot-Amsterdam" not in same
    assert "2017" in views.reference_note(2016) and "een jaar eerder" in views.reference_note(2016)
    assert "is het jaar van de telling" in views.reference_note(2017)
    assert "zes jaar later" in views.reference_note(2023)


def test_the_glue_of_one_year():
    glue = views.year_glue(chapter.new_establishments(2023), "st_new")
    assert glue["st_new_year"] == "2023" and glue["st_new_ams"] == 34230
    assert glue["st_new_top3"].startswith("Groot-Amsterdam (34.230)")
    assert glue["st_new_more"] in {"sterker", "niet sterker"}


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
    assert "zie Zelf opnieuw uitrekenen" in views.user_text(None)  # no instructions here
    text = views.user_text(chapter.startup_list(str(STARTUPS)))
    assert "(7 startups, waarvan 1 zonder herkenbare gemeente, genoemd bij de kaart)" in text
    assert "in Amsterdam (2), " in text and "hebben samen 83% van de startups" in text


def test_the_slope_chart_keeps_labels_of_equal_values_apart():
    import matplotlib.pyplot as plt
    import pandas as pd

    from helpers.presentation.charts import slope_chart

    data = pd.DataFrame(
        {"regio": ["A", "B", "C"], "voor": [100.0, 100.0, 50.0], "na": [200.0, 150.0, 60.0]}
    )
    fig = slope_chart(
        data, label="regio", before="voor", after="na", before_label="2015",
        after_label="2023", highlight=["A", "B"], log=True,
    )  # fmt: skip
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["100", "100", "A (200)", "B (150)"]
    left = sorted(ax.transData.transform(t.xyann)[1] for t in ax.texts if t.xyann[0] < 0.5)
    assert len(left) == 2 and left[1] - left[0] >= 10 * fig.dpi / 72 - 1e-6  # 10 points apart
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2015", "2023"]
    plt.close(fig)
