"""R&D chapter logic: CBS totals, intensity, COROP user file and proxy."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import config
from helpers.chapters import rd
from helpers.chapters.europa import UnknownParameterError
from helpers.data.checks import DataCheckError


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
    with pytest.raises(
        UnknownParameterError, match="available years: 2012, 2013, 2014, 2015, 2016"
    ):
        rd.rd_for_year(2019)


def test_rd_reads_the_real_82352ned_export():
    data = rd.load_rd()
    assert rd.all_years() == [2011, 2012, 2013, 2014, 2015, 2016]
    # 2011: Groningen and Drenthe are secret, so the year cannot be chosen
    secret = data[(data["year"] == 2011) & data["rd_mln_euro"].isna()]
    assert sorted(secret["provincie_naam"]) == ["Drenthe", "Groningen"]
    assert rd.available_years() == [2012, 2013, 2014, 2015, 2016]
    with pytest.raises(UnknownParameterError, match="2011"):
        rd.rd_for_year(2011)
    # the oldest complete year
    table = rd.rd_for_year(2012).set_index("provincie_naam")
    assert table.loc["Groningen", "rd_mln_euro"] == 490 and len(table) == 12
    # the export has no status: 2016 keeps CBS's mark, other years are final
    statuses = data.groupby("year")["status"].unique().map(list).to_dict()
    assert statuses[2016] == ["nader voorlopig"] and statuses[2015] == ["definitief"]


def test_rd_equals_the_transcribed_file_where_both_exist():
    old = pd.read_csv(config.PROCESSED_DIR / "rd" / "cbs_rd_provincie.csv")
    new = rd.load_rd().merge(old, on=["provincie", "year"], suffixes=("", "_old"))
    assert len(new) == 36
    assert (new["rd_mln_euro"] == new["rd_mln_euro_old"]).all()
    assert (new["status"] == new["status_old"].str.replace(" (**)", "")).all()


def test_intensity_is_rd_over_gdp_of_the_latest_vintage():
    inten = rd.intensity(rd.rd_for_year(2015)).set_index("provincie_naam")
    assert inten.attrs["vintages"] == ["2023"]
    # Noord-Brabant: 2,837 mln euro R&D over 101,630.4 mln euro GDP (Eurostat, 2023 vintage)
    assert inten.loc["Noord-Brabant", "pct_bbp_2023"] == pytest.approx(2837 / 101630.4 * 100)
    assert inten.loc["Noord-Brabant", "pct_bbp_eurostat"] == pytest.approx(2.73)
    assert inten.iloc[0].name == "Noord-Brabant"


def test_intensity_with_cbs_regional_gdp():
    inten = rd.intensity(rd.rd_for_year(2015)).set_index("provincie_naam")
    gdp = pd.read_csv(config.PROCESSED_DIR / "cbs" / "gdp_85924ned.csv")
    zh = gdp[(gdp["code"] == "PV28") & (gdp["year"] == 2015)]["bbp_mln_euro"].iloc[0]
    assert inten.loc["Zuid-Holland", "bbp_cbs"] == zh
    assert inten.loc["Zuid-Holland", "pct_bbp_cbs"] == pytest.approx(3168 / zh * 100)
    summary = rd.intensity_summary(rd.intensity(rd.rd_for_year(2015)))
    national = 13695 / inten["bbp_cbs"].sum() * 100
    assert summary.cbs_national_pct == pytest.approx(national)
    assert summary.cbs_first == "Noord-Brabant" == summary.first
    gap = (inten["pct_bbp_cbs"] - inten["pct_bbp_2023"]).abs()
    assert summary.cbs_max_diff == pytest.approx(gap.max())
    assert summary.cbs_max_diff_province == gap.idxmax()


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
        ([("CR99", 2015, 1.0)], None, r"corop\.csv: unknown COROP code\(s\) \['CR99'\] \(rows 2\)"),
        (
            [("CR23", 2015, -5.0)],
            None,
            r"corop\.csv: column 'rd_bedrijven_mln_euro': not a number >= 0 in rows 2",
        ),
        (
            [("CR23", 2015, 1.0), ("CR23", 2015, 2.0)],
            None,
            r"corop\.csv: duplicate rows for \['corop', 'jaar'\]: .*CR23.*\(rows 2, 3\)$",
        ),
        ([("CR23", 2014, 1.0)], None, r"Year 2015 is not in corop\.csv; available years: 2014"),
    ],
)
def test_corop_user_file_errors_name_the_file(tmp_path, rows, columns, message):
    kwargs = {"columns": columns} if columns else {}
    path = _corop_file(tmp_path, rows, **kwargs)
    with pytest.raises(ValueError, match=message):  # UserFileError or UnknownParameterError
        rd.load_corop_rd(path, 2015)


def test_patent_proxy_covers_all_corop_regions():
    table = rd.patents_per_corop(2012)
    assert len(table) == 40 and table["corop"].is_unique
    assert table.iloc[0]["corop"] == "CR36"  # Zuidoost-Noord-Brabant (NUTS 3 NL414)
    assert table["aandeel_pct"].sum() == pytest.approx(100)
    with pytest.raises(UnknownParameterError, match="2012"):
        rd.patents_per_corop(2015)


# --- numbers for the narrative and the maps (moved from the notebook) ----------------------


def _cbs(year):
    raw = pd.read_csv(config.PROCESSED_DIR / "cbs" / "rd_82352ned.csv")
    raw = raw[raw["level"] == "provincie"].rename(columns={"code": "provincie"})
    return raw[raw["year"] == year]


def test_overview_totals_shares_and_statuses():
    overview = rd.overview(rd.rd_for_year(2015))
    rows = _cbs(2015).sort_values("rd_mln_euro", ascending=False)
    total = rows["rd_mln_euro"].sum()
    assert overview.year == 2015 and overview.total == total == 13695
    assert overview.labour_years == rows["rd_arbeidsjaren"].sum()
    assert [p.name for p in overview.ranking[:2]] == ["Zuid-Holland", "Noord-Brabant"]
    assert (
        overview.ranking[0].mln_euro == 3168
        and overview.ranking[-1].code == rows.iloc[-1]["provincie"]
    )
    assert overview.top3_share_pct == pytest.approx(rows["rd_mln_euro"].head(3).sum() / total * 100)
    north = rows[rows["provincie"].isin(["PV20", "PV21", "PV22"])]["rd_mln_euro"].sum()
    assert overview.north_share_pct == pytest.approx(north / total * 100)
    assert overview.provisional == []
    assert rd.overview(rd.rd_for_year(2016)).provisional == ["nader voorlopig"]
    with pytest.raises(DataCheckError, match="12 provinces"):
        rd.overview(rd.rd_for_year(2015).head(11))


def test_provinces_on_the_map_all_join():
    table = rd.rd_for_year(2015)
    gdf = rd.provinces_on_map(table)
    assert len(gdf) == 12 and gdf["rd_mln_euro"].notna().all()
    assert set(gdf["name"]) == set(table["provincie_naam"])
    with pytest.raises(DataCheckError, match="PV99"):
        rd.provinces_on_map(table.assign(provincie=["PV99", *table["provincie"][1:]]))


def test_intensity_summary_2015_one_vintage():
    summary = rd.intensity_summary(rd.intensity(rd.rd_for_year(2015)))
    inten = summary.table
    assert summary.vintages == ["2023"] and summary.main_vintage == "2023"
    assert summary.older_vintages == {"2017": 2014}
    assert summary.first == "Noord-Brabant" and summary.first_pct == inten["pct_bbp_2023"].max()
    assert summary.last_pct == inten["pct_bbp_2023"].min()
    assert summary.national_pct == pytest.approx(13695 / inten["bbp_2023"].sum() * 100)
    # Zuid-Holland spends most; its place by intensity:
    ranked = inten.sort_values("pct_bbp_2023", ascending=False)["provincie_naam"].tolist()
    assert summary.largest_rank == ranked.index("Zuid-Holland") + 1
    assert (
        summary.largest_pct == inten.set_index("provincie_naam").loc["Zuid-Holland", "pct_bbp_2023"]
    )
    diff = (inten["pct_bbp_2023"] - inten["pct_bbp_eurostat"]).abs()
    assert summary.eurostat_max_diff == pytest.approx(diff.max())
    assert summary.eurostat_complete is bool(inten["pct_bbp_eurostat"].notna().all())
    assert summary.vintage_max_diff is None and summary.vintage_max_diff_province is None


def test_intensity_summary_2014_compares_the_vintages():
    summary = rd.intensity_summary(rd.intensity(rd.rd_for_year(2014)))
    inten = summary.table
    gap = (inten["pct_bbp_2023"] - inten["pct_bbp_2017"]).abs()
    assert summary.vintages == ["2017", "2023"]
    assert summary.vintage_max_diff == pytest.approx(gap.max()) and gap.max() > 0
    assert summary.vintage_max_diff_province == inten.loc[gap.idxmax(), "provincie_naam"]


def test_public_private_published_and_open_data():
    split = rd.public_private()
    assert (split.ratio_province, split.ratio) == ("Noord-Brabant", 5.7)
    assert split.public_larger == ["Utrecht", "Groningen"]
    assert (split.private_top, split.private_top_pct) == ("Noord-Brabant", 2.29)
    assert split.focus_published_pct == 0.82  # Noord-Holland, as published
    assert split.ris_flat is True
    business = rd.business_rd_eurostat()
    assert "Noord-Holland" in split.business_regions
    last = business[business["nuts2"] == "NL32"].sort_values("year").iloc[-1]
    assert (split.focus_business_year, split.focus_business_pct) == (
        last["year"], last["rd_pct_gdp_business"],
    )  # fmt: skip
    assert split.business_years == (business["year"].min(), business["year"].max())


def test_corop_measure_patent_proxy():
    measure = rd.corop_measure("", 2015, 2012)
    table = measure.table
    assert not measure.supplied and measure.year == 2012 and len(table) == 40
    assert table["waarde"].is_monotonic_decreasing and "code" not in table
    assert table["aandeel_pct"].sum() == pytest.approx(100)
    assert measure.top(1)[0] == ("Zuidoost-Noord-Brabant", pytest.approx(table["aandeel_pct"][0]))
    north = table[table["provincie"].isin(["PV20", "PV21", "PV22"])]["aandeel_pct"].sum()
    assert measure.north_share_pct == pytest.approx(north) and 0 < north < 100
    with pytest.raises(UnknownParameterError, match="2012"):
        rd.corop_measure("", 2015, 2016)


def test_corop_measure_user_file_and_its_year_check(tmp_path):
    path = _corop_file(tmp_path, [("CR01", 2015, 1.0), ("CR23", 2015, 3.0), ("CR23", 2014, 9.0)])
    measure = rd.corop_measure(str(path), 2015, 2012)
    assert measure.supplied and measure.year == 2015 and measure.north_share_pct is None
    assert measure.top(3) == [("Groot-Amsterdam", 75.0), ("Oost-Groningen", 25.0)]
    with pytest.raises(UnknownParameterError, match=r"Year 2016 is not in corop\.csv.*2014, 2015"):
        rd.corop_measure(str(path), 2016, 2012)
    gdf, report = rd.corop_on_map(measure.table)
    assert len(gdf) == 40 and len(report.without_data) == 38  # part of the country: no error
    with pytest.raises(DataCheckError, match="CR99"):
        rd.corop_on_map(measure.table.assign(corop=["CR99", "CR01"]))


def test_sentences_and_tables_as_the_book_shows_them(tmp_path):
    from helpers.presentation import rd as views

    one = rd.intensity_summary(rd.intensity(rd.rd_for_year(2015)))
    assert views.vintage_note(one, 2015).startswith("Voor 2015 heeft alleen de bbp-versie van 2023")
    assert views.older_vintages_text(one) == "; de oudere versie van 2017 loopt tot 2014"
    two = rd.intensity_summary(rd.intensity(rd.rd_for_year(2014)))
    assert "het grootste verschil" in views.vintage_note(two, 2014)
    table = views.intensity_table(two.table)
    assert list(table.columns)[2:4] == [
        "% bbp (Eurostat-bbp, versie 2017)",
        "% bbp (Eurostat-bbp, versie 2023)",
    ]
    published = views.published_table(rd.published())
    assert published["Waarde (gepubliceerd)"].tolist()[:4] == ["5,70", "ja", "ja", "2,29"]
    proxy = views.corop_text(rd.corop_measure("", 2015, 2012), "")
    assert proxy.status == "benadering"
    assert proxy.caption == (
        "Octrooiaanvragen bij het EOB per COROP-regio, prioriteitsjaar 2012 (een benadering van "
        "de private R&D-uitgaven)"
    )
    path = _corop_file(tmp_path, [("CR01", 2015, 1.0)])
    supplied = views.corop_text(rd.corop_measure(str(path), 2015, 2012), str(path))
    assert supplied.status == "aangeleverd" and f"aangeleverd: {path.name})" in supplied.source
    assert supplied.caption == "Private R&D-uitgaven per COROP-regio in 2015 (miljoen euro)"


def test_rd_years_valid_in_params_are_the_complete_years():
    from helpers.build.params import ParameterError, validate
    from helpers.build.runner import load_params

    chapter = load_params()["rd"]
    for year in (2012, 2016):
        validate("rd", {**chapter.parameters, "year": year}, chapter.valid)
    for year in (2011, 2017):
        with pytest.raises(ParameterError, match="2012, 2013, 2014, 2015, 2016"):
            validate("rd", {**chapter.parameters, "year": year}, chapter.valid)


def test_sentences_on_cbs_gdp_and_the_end_of_the_series():
    from helpers.presentation import rd as views

    summary = rd.intensity_summary(rd.intensity(rd.rd_for_year(2015)))
    note = views.cbs_gdp_note(summary)
    assert "85924NED" in note and "1,97%" in note and "ook Noord-Brabant" in note
    said = views.no_data_after(2016, rd.CBS_PROVISIONAL)
    assert said.startswith("Na 2016 bestaan geen open regionale R&D-cijfers")
    assert "De cijfers van 2016 zijn volgens CBS nader voorlopig" in said
    assert "over 2013 tot en met 2023" in said and "statuskolom" not in said
    assert "voorlopig" not in views.no_data_after(2016, {})


def test_eurostat_text_says_where_each_value_comes_from():
    """Eurostat's current table is confidential for 2013-2023; the values shown are those of
    the earlier state Honti e.a. took over (2011-2016), and the text says so, not 'available'."""
    from helpers.presentation import rd as views

    years = rd.eurostat_gerd_years()
    assert years == [2011, 2012, 2013, 2014, 2015, 2016]
    summary = rd.intensity_summary(rd.intensity(rd.rd_for_year(2015)))
    said = views.eurostat_text(summary, 2015, years)
    assert "huidige Eurostat-tabel" in said and "vertrouwelijk" in said
    assert "Honti e.a. (2020)" in said and "2011 tot en met 2016" in said
    assert "Voor 2015 wijken die Eurostat-waarden hooguit 0,13 procentpunt af" in said
    assert "wel beschikbaar" not in said


def test_rd_change_between_two_years_in_either_order():
    from helpers.presentation import rd as views
    from helpers.presentation.then_now import Period

    change = rd.rd_change(2015, 2016)
    assert rd.rd_change(2016, 2015).regions.table.equals(change.regions.table)
    assert (change.regions.earlier, change.regions.later) == (2015, 2016)
    assert change.regions.totals == (13695.0, 14142.0)
    assert change.statuses == {2015: "definitief", 2016: "nader voorlopig"}
    said = views.change_text(Period(2015, 2016), change)
    assert said.startswith(
        "Tussen 2015 en 2016 stegen de R&D-uitgaven in heel Nederland van 13.695 naar 14.142 "
        "miljoen euro (+3,3%); ze namen toe in zeven van de twaalf provincies."
    )
    assert "Flevoland (+15,7%)" in said and "Volgens CBS zijn de cijfers van 2016 nader" in said
    back = views.change_text(Period(2016, 2015), rd.rd_change(2016, 2015))
    assert back.startswith("Het vergelijkingsjaar (2015) ligt hier vóór het referentiejaar")
    same = views.change_text(Period(2015, 2015), None)
    assert "geen verandering" in same and "Tussen" not in same
    table = views.change_table(change)
    assert list(table.columns) == [
        "Provincie", "2015 (mln euro)", "2016 (mln euro)", "Verandering", "Plaats 2015",
        "Plaats 2016",
    ]  # fmt: skip
    assert views.years_intro(Period(2015, 2016), 2016) == (
        "Het referentiejaar in dit hoofdstuk is 2015, het jaar van de publicatie; het wordt "
        "vergeleken met 2016, het nieuwste jaar met cijfers per provincie."
    )
    assert "geen tweede jaar" not in views.years_intro(Period(2012, 2012), 2016)
    assert "een tweede jaar om mee te vergelijken is er hier niet" in views.years_intro(
        Period(2012, 2012), 2016
    )
