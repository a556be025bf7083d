"""The Europe chapter run by papermill (as an analyst would) with default and other years."""

import pandas as pd
import pytest
from papermill.exceptions import PapermillExecutionError

from conftest import markdown_outputs, read_glue
from helpers import config
from helpers.chapters import europa

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ris():
    return pd.read_csv(config.PROCESSED_DIR / "ris" / "ris2023_summary.csv")


def _score(ris, region, year):
    index = ris[(ris.region == region) & (ris.year == year)]["index"].item()
    eu = ris[(ris.region == "EU") & (ris.year == year)]["index"].item()
    return index, index / eu * 100


def _nl(value, decimals):
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


@pytest.mark.parametrize("year", [2023, 2021, 2016])
def test_europe_chapter_follows_the_year(run_notebook, ris, year):
    out = run_notebook("europa", year=year) if year != 2023 else run_notebook("europa")
    glue = read_glue(out)
    markdown = markdown_outputs(out)
    assert glue["europa_year"] == str(year)

    # Table and text carry the database values of that year (computed here independently).
    nl = ris[(ris.country == "NL") & (ris.year == year)].set_index("region")["index"]
    eu = ris[(ris.region == "EU") & (ris.year == year)]["index"].item()
    best, worst = nl.idxmax(), nl.idxmin()
    utrecht_index, utrecht_score = _score(ris, "NL31", year)
    assert f"| Utrecht | {_nl(utrecht_index, 2)} | {_nl(utrecht_score, 1)} |" in markdown
    assert glue["europa_nl_best_score"] == _nl(nl.max() / eu * 100, 1)
    assert glue["europa_nl_worst_score"] == _nl(nl.min() / eu * 100, 1)
    assert glue["europa_nl_spread"] == _nl((nl.max() - nl.min()) / eu * 100, 1)
    assert best.startswith("NL") and worst.startswith("NL")
    leaders = int((nl / eu * 100 > 125).sum())
    words = {5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 4: "vier"}
    assert glue["europa_nl_n_leaders"] == words[leaders]

    # The published table stays as printed, whatever the year.
    assert "| Utrecht | 107,5 | 136,6 | Innovatieleider |" in markdown
    assert "| Friesland | 74,8 | 95,0 | Sterke innovator |" in markdown
    assert glue["europa_utrecht_pub_score"] == "136,6"
    # Method comparison: Utrecht's 2017 value in the 2023 database.
    assert glue["europa_utrecht_then_index"] == _nl(_score(ris, "NL31", 2017)[0], 1)

    # Item 4: the text says where the recomputed 2017 contradicts the published table.
    said = glue["europa_method_contradiction"]
    assert "Noord-Holland en Utrecht in 2017 gelijk" in said
    assert "Friesland is nu gemiddelde innovator" in said

    # GDP per inhabitant in PPS (EU = 100): the RIS year and 2023 (NL41: 137), NL35 = Utrecht.
    assert glue["europa_gdp_year"] == "2023" and glue["europa_gdp_nb"] == "137"
    assert glue["europa_gdp_richest"] == "Noord-Holland (174)"
    assert "| Utrecht |" in markdown and "159" in markdown
    if year == 2016:
        assert "Zeeland" in glue["europa_gdp_text"] and "Gelderland" in glue["europa_gdp_text"]
    if year == 2023:
        assert "Overijssel" in glue["europa_gdp_text"]

    # Map: every region of the year on the map, nothing unjoined.
    regions = ris[(ris.year == year) & (ris.region != "EU")]
    assert glue["europa_n_mapped"] == _nl(len(regions), 0)
    assert glue["europa_unjoined"] == "geen"
    assert (out.parent / "_assets" / "europa" / "ris-kaart.png").stat().st_size > 10_000


def test_unknown_year_stops_with_the_available_years(run_notebook):
    with pytest.raises(PapermillExecutionError) as err:
        run_notebook("europa", year=1999)
    message = str(err.value)
    assert "Year 1999 is not in the RIS 2023 database" in message
    assert "available years: 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023" in message


def test_gdp_year_changes_the_second_gdp_column(run_notebook):
    out = run_notebook("europa", gdp_year=2010)
    glue = read_glue(out)
    assert glue["europa_gdp_year"] == "2010" and glue["europa_gdp_nb"] != "137"
    assert "Bbp per inwoner (KKS, EU = 100) 2010" in markdown_outputs(out)
    # the years Eurostat covers are the data's, not typed into the text
    assert glue["europa_gdp_last"] == str(max(europa.gdp_pps_years()))
