"""The chapter 'Innovatieve bedrijven': CIS file or proxy, concentration, RIS indicators, and
the sentences and tables the book shows (synthetic CIS file in tests/fixtures only)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.chapters import firms
from helpers.chapters import innovatieve_bedrijven as chapter
from helpers.data.checks import UnknownParameterError
from helpers.presentation import innovatieve_bedrijven as views
from helpers.presentation.then_now import Period

CIS = Path(__file__).parent / "fixtures" / "user_files" / "cis_synthetic.csv"


def test_without_a_file_the_proxy_counts_establishments_with_ten_times_the_bounds():
    found = chapter.firm_counts("", 2014, [500, 200, 100])
    establishments = firms.establishments_2015()
    assert found.status_key == "benadering" and found.year == found.map_year == 2015
    assert found.bounds == [5000, 2000, 1000]
    assert found.counts.sum() == establishments["vestigingen_totaal"].sum()
    assert found.knowledge_intensive.sum() == establishments[firms.KNOWLEDGE_INTENSIVE].sum().sum()


def test_a_cis_file_is_counted_for_its_year_on_the_next_map():
    found = chapter.firm_counts(str(CIS), 2014, [300, 100])
    assert found.status_key == "aangeleverd" and found.bounds == [300, 100]
    assert found.year == 2014 and found.map_year == firms.gemeente_map_year(2014)
    assert found.counts["GM0363"] == 900  # the 2012 row is left out
    assert found.counts["GM0394"] == 450  # padding of the code stripped
    assert found.knowledge_intensive is None
    assert f"aangeleverd: {CIS.name})" in found.source  # the name, not the folders
    with pytest.raises(UnknownParameterError, match="available years: 2012, 2014"):
        chapter.firm_counts(str(CIS), 2013, [300, 100])


def test_analysis_of_the_cis_file():
    result = chapter.analyse(str(CIS), 2014, [500, 200, 100])
    conc = result.concentration
    assert conc.total == 3330 and conc.n_regions == 11
    assert conc.top4 == ["Amsterdam", "Rotterdam", "Haarlemmermeer", "Utrecht"]
    assert result.knowledge_intensive is None
    assert result.knowledge_intensive_more_concentrated is None
    assert result.join.unjoined == []
    assert result.map_data["aantal"].notna().sum() == 11  # every count on the map
    assert list(result.lorenz_curves) == ["Innovatieve bedrijven (CIS, 2014)"]


def test_analysis_of_the_proxy_compares_knowledge_intensive_services():
    result = chapter.analyse("", 2014, [500, 200, 100])
    ki = result.knowledge_intensive
    assert ki is not None
    assert result.knowledge_intensive_more_concentrated == (ki.gini > result.concentration.gini)
    table = result.lorenz_table
    assert set(table["reeks"]) == {"Bedrijfsvestigingen (2015)", chapter.KNOWLEDGE_INTENSIVE_LABEL}
    assert len(table) == 2 * (result.concentration.n_regions + 1)


def test_ris_cis_indicators_per_year():
    ris = chapter.ris_cis(2017)
    assert ris.year == 2017 and ris.n_indicators == 3
    assert set(ris.rows["year"]) == {2017} and set(ris.rows["indicator"]) == set(
        chapter.RIS_CIS_INDICATORS
    )
    wide = ris.rows.pivot(index="indicator", columns="region", values="value")
    assert ris.ranges["laagste"].tolist() == wide.min(axis=1).tolist()
    assert ris.ranges["hoogste"].tolist() == wide.max(axis=1).tolist()
    assert ris.flat == bool((wide.nunique(axis=1) == 1).all())
    with pytest.raises(UnknownParameterError, match="available years"):
        chapter.ris_cis(1990)
    # the book's table names them in Dutch, and an indicator without a Dutch name is refused
    assert views.ris_table(ris)["Indicator"].tolist() == [
        "3.1.1 Mkb-bedrijven met productinnovaties",
        "3.1.2 Mkb-bedrijven met procesinnovaties",
        "3.2.1 Innoverende mkb-bedrijven die samenwerken",
    ]
    with pytest.raises(ValueError, match="no Dutch label for RIS indicator"):
        views.ris_label("9.9.9 Something else (Regional)")


def test_published_findings_as_printed():
    published = chapter.published()
    assert published["gemeenten_met_helft"] == "30"
    assert published["top4"] == "Amsterdam, Rotterdam, Haarlemmermeer, Utrecht"


def test_sentences_and_tables_of_the_chapter():
    classes = pd.DataFrame(
        {"klasse": ["100 of meer", "minder dan 100"], "aantal_gemeenten": [3, 1200],
         "aandeel_pct": [60.0, 40.0]}
    )  # fmt: skip
    assert views.classes_text(classes, "vestigingen") == (
        "3 gemeenten met 100 of meer vestigingen en 1200 gemeenten met minder dan 100 vestigingen"
    )
    table = views.classes_table(classes, "vestigingen")
    assert table.columns[0] == "Klasse (vestigingen per gemeente)"
    assert table["Aantal gemeenten"].tolist() == ["3", "1.200"]
    assert table["Aandeel in het totaal"].tolist() == ["60,0%", "40,0%"]
    proxy = chapter.analyse("", 2014, [500, 200, 100])
    text = views.knowledge_intensive_text(proxy)
    more = "sterker" if proxy.knowledge_intensive_more_concentrated else "minder sterk"
    assert f"is {more} geconcentreerd" in text
    assert f"Gini {proxy.knowledge_intensive.gini:.2f}".replace(".", ",") in text
    assert "niet nodig" in views.knowledge_intensive_text(chapter.analyse(str(CIS), 2014, [500]))


# --- then and now: establishments per COROP and provincie (CBS 81575NED) ----------------------


def _completeness(gemeente_complete: list[bool]) -> pd.DataFrame:
    rows = []
    for year, complete in zip((2015, 2016), gemeente_complete, strict=True):
        rows += [("corop", year, 40, 40, 0, True), ("provincie", year, 12, 12, 0, True)]
        rows.append(
            ("gemeente", year, 393, 393 if complete else 334, 0 if complete else 59, complete)
        )
    return pd.DataFrame(
        rows, columns=["level", "year", "regions", "with_values", "missing", "complete"]
    )


def test_complete_years_per_level_of_81575ned():
    assert chapter.complete_years("corop") == list(range(2015, 2026))
    assert chapter.complete_years("provincie") == list(range(2015, 2026))
    assert chapter.complete_years("gemeente") == []  # incomplete every year
    assert chapter.complete_years("gemeente", _completeness([False, True])) == [2016]


def test_an_incomplete_level_is_never_used():
    with pytest.raises(ValueError, match="'gemeente' of 81575NED is not used"):
        chapter.regional_establishments(2015, "gemeente")
    with pytest.raises(UnknownParameterError, match="available years: 2015, .*2025"):
        chapter.regional_establishments(2014)


def test_establishments_per_corop_then_and_now():
    reference, newest = chapter.corop_establishments(2015), chapter.corop_establishments(2025)
    table = newest.table
    assert len(table) == 40 and len(newest.provinces) == 12 and len(newest.map_data) == 40
    assert newest.total == 2551560 and reference.total == 1637350
    assert newest.top(1) == [("Groot-Amsterdam", 292415.0)]
    assert table["aandeel_pct"].sum() == pytest.approx(100)
    assert newest.provinces["vestigingen"].sum() == pytest.approx(newest.total, abs=100)  # rounded
    change = chapter.establishment_change(newest, reference)  # either order
    assert (change.corop.earlier, change.corop.later) == (2015, 2025)
    assert change.corop.of("CR23") == (171745.0, 292415.0)
    assert change.corop.n_up == 40
    assert change.top4_shares == (
        reference.concentration.top4_share,
        newest.concentration.top4_share,
    )
    assert change.ginis[1] > change.ginis[0]


def test_then_and_now_sentences():
    text = views.completeness_text(chapter.completeness())
    assert "per COROP-regio en per provincie in alle jaren (2015-2025) compleet" in text
    assert "Per gemeente is de tabel in geen enkel jaar compleet" in text
    assert "in 2015 hebben 334 van de 393 gemeenten een waarde, in 2025 288 van de 342" in text
    assert "alleen in 2016 compleet" in views.completeness_text(_completeness([False, True]))
    reference, newest = chapter.corop_establishments(2015), chapter.corop_establishments(2025)
    change = chapter.establishment_change(reference, newest)
    text = views.change_text(Period(2015, 2025), change)
    assert text.startswith(
        "Tussen 2015 en 2025 steeg het aantal bedrijfsvestigingen van 1.637.350 naar 2.551.560 "
        "(+55,8%); het nam toe in alle 40 COROP-regio's."
    )
    assert "zijn sterker geconcentreerd geraakt" in text
    assert views.change_text(Period(2025, 2025), None).startswith("Het vergelijkingsjaar is")
    assert "een jaar later dan de CIS-telling" in views.reference_note(2015)
    assert "gemeentebenadering (70072ned)" in views.reference_note(2015)
    assert "elf jaar later" in views.reference_note(2025)
    assert "gemeentebenadering" not in views.reference_note(2025)
    table = views.province_table(change)
    assert table.iloc[0].tolist() == ["Flevoland", "37.165", "62.990", "+69,5%"]
    assert views.corop_figure(newest, "k")["caption"].endswith("2025")


def test_the_two_cbs_tables_are_not_compared_as_counts():
    found = chapter.firm_counts("", 2014, [500, 200, 100])
    note = views.sources_note(found, chapter.corop_establishments(2015))
    assert "70072ned telt in 2015 1.418.805 vestigingen" in note
    assert "81575NED in datzelfde jaar 1.637.350" in note
    assert "81575NED in 2025 2.551.560" in views.sources_note(
        found, chapter.corop_establishments(2025)
    )
    cis = chapter.firm_counts(str(CIS), 2014, [500])
    assert "aangeleverde CIS-bestand" in views.sources_note(cis, chapter.corop_establishments(2015))


def test_the_reader_is_told_that_the_proxy_multiplies_the_class_bounds():
    """Tabel 6 uses 5.000/2.000/1.000 for class_bounds [500, 200, 100]: the sentence at the
    table and the "Zelf opnieuw uitrekenen" block say so; with a CIS file the bounds stay."""
    proxy = chapter.firm_counts("", 2014, [500, 200, 100])
    said = views.bounds_note(proxy, [500, 200, 100])
    assert "die van de publicatie (500, 200 en 100 innovatieve bedrijven per gemeente)" in said
    assert "maal tien" in said and "5.000, 2.000 en 1.000 vestigingen als grenzen" in said
    block = views.recompute_note({"class_bounds": [1000, 500, 100]}).markdown()
    assert "maal tien: hier 10.000, 5.000 en 1.000 vestigingen" in block
    cis = chapter.firm_counts(str(CIS), 2014, [50, 20])
    assert views.bounds_note(cis, [50, 20]) == (
        "De grootteklassen zijn de gekozen grenzen: 50 en 20 innovatieve bedrijven per gemeente."
    )
