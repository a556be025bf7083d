"""R&D chapter logic: CBS totals, intensity, COROP user file and proxy."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.chapters import rd
from helpers.chapters.europa import UnknownParameterError
from helpers.data.registry import SchemaError


def test_rd_2015_totals_and_ranking():
    table = rd.rd_for_year(2015)
    assert table.attrs["total"] == 13695
    assert (
        table.iloc[0]["provincie_naam"] == "Zuid-Holland" and table.iloc[0]["rd_mln_euro"] == 3168
    )
    assert table.iloc[1]["provincie_naam"] == "Noord-Brabant"
    assert table["aandeel_pct"].sum() == pytest.approx(100)


def test_rd_2016_changes_the_numbers():
    table = rd.rd_for_year(2016).set_index("provincie_naam")
    assert table.loc["Noord-Brabant", "rd_mln_euro"] == 3012
    assert table.attrs["total"] != 13695


def test_unknown_year_lists_the_years():
    with pytest.raises(UnknownParameterError, match="available years: 2014, 2015, 2016"):
        rd.rd_for_year(2019)


def test_intensity_is_rd_over_gdp_of_the_latest_vintage():
    inten = rd.intensity(rd.rd_for_year(2015)).set_index("provincie_naam")
    assert inten.attrs["vintages"] == ["2023"]
    # Noord-Brabant: 2,837 mln euro R&D over 101,630.4 mln euro GDP (Eurostat, 2023 vintage)
    assert inten.loc["Noord-Brabant", "pct_bbp_2023"] == pytest.approx(2837 / 101630.4 * 100)
    assert inten.loc["Noord-Brabant", "pct_bbp_eurostat"] == pytest.approx(2.73)
    assert inten.iloc[0].name == "Noord-Brabant"


def test_intensity_2014_shows_both_gdp_vintages():
    inten = rd.intensity(rd.rd_for_year(2014))
    assert inten.attrs["vintages"] == ["2017", "2023"]
    nb = inten.set_index("nuts2").loc["NL41"]
    assert nb["bbp_2017"] == 100261 and nb["bbp_2023"] != nb["bbp_2017"]


def test_ris_rd_indicators_have_no_provincial_variation():
    variation = rd.ris_rd_variation()
    assert (variation["provincies"] == 12).all()
    assert (variation["verschillende_waarden"] == 1).all()


def _corop_file(tmp_path, rows, columns=("corop", "jaar", "rd_bedrijven_mln_euro")):
    path = tmp_path / "corop.csv"
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False)
    return path


def test_corop_user_file_valid(tmp_path):
    path = _corop_file(
        tmp_path, [("CR23 ", 2015, 900.0), ("CR36", 2015, 1500.0), ("CR36", 2014, 1.0)]
    )
    table = rd.load_corop_rd(path, 2015)
    assert table.set_index("corop")["rd_bedrijven_mln_euro"].to_dict() == {
        "CR23": 900,
        "CR36": 1500,
    }


@pytest.mark.parametrize(
    ("rows", "columns", "message"),
    [
        (
            [("CR23", 2015)],
            ("corop", "jaar"),
            r"corop\.csv: missing column\(s\) \['rd_bedrijven_mln_euro'\]",
        ),
        ([("CR99", 2015, 1.0)], None, r"corop\.csv: unknown COROP codes \['CR99'\]"),
        ([("CR23", 2015, -5.0)], None, r"corop\.csv(.|\n)*rd_bedrijven_mln_euro(.|\n)*-5"),
        (
            [("CR23", 2015, 1.0), ("CR23", 2015, 2.0)],
            None,
            r"corop\.csv(.|\n)*uniqueness(.|\n)*CR23",
        ),
        ([("CR23", 2014, 1.0)], None, r"Year 2015 is not in corop\.csv; available years: 2014"),
    ],
)
def test_corop_user_file_errors_name_the_file(tmp_path, rows, columns, message):
    kwargs = {"columns": columns} if columns else {}
    path = _corop_file(tmp_path, rows, **kwargs)
    with pytest.raises((ValueError, SchemaError), match=message):
        rd.load_corop_rd(path, 2015)


def test_patent_proxy_covers_all_corop_regions():
    table = rd.patents_per_corop(2012)
    assert len(table) == 40 and table["corop"].is_unique
    assert table.iloc[0]["corop"] == "CR36"  # Zuidoost-Noord-Brabant (NUTS 3 NL414)
    assert table["aandeel_pct"].sum() == pytest.approx(100)
    with pytest.raises(UnknownParameterError, match="2012"):
        rd.patents_per_corop(2015)
