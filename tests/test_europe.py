import json
import re

import pandas as pd
import pytest

from helpers import config
from helpers.chapters import europa
from helpers.data.checks import UnknownParameterError
from helpers.geography import nl as geo_nl
from helpers.presentation import europa as views
from helpers.presentation import style
from helpers.presentation.maps import choropleth


@pytest.fixture(scope="module")
def summary():
    return europa.load_summary(2023)


def test_recomputed_groups_for_2023_equal_the_database_groups(summary):
    scores = europa.scores_for_year(summary, 2023)
    assert (scores["group"] == scores["performance_group_2023"]).all()


def test_scores_relative_to_the_eu_of_the_same_year(summary):
    scores = europa.scores_for_year(summary, 2021)
    raw = pd.read_csv(config.PROCESSED_DIR / "ris" / "ris2023_summary.csv")
    eu_2021 = raw[(raw.region == "EU") & (raw.year == 2021)]["index"].item()
    utrecht_2021 = raw[(raw.region == "NL31") & (raw.year == 2021)]["index"].item()
    row = scores[scores.region == "NL31"].iloc[0]
    assert row["index"] == utrecht_2021
    assert row["score_eu"] == pytest.approx(utrecht_2021 / eu_2021 * 100)


def test_unknown_year_lists_available_years(summary):
    with pytest.raises(europa.UnknownParameterError) as err:
        europa.check_year(summary, 1999)
    assert "1999" in str(err.value)
    assert "2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023" in str(err.value)


def test_unknown_edition_lists_available_editions():
    with pytest.raises(europa.UnknownParameterError, match="available editions: 2023"):
        europa.load_summary(2017)


@pytest.mark.parametrize(("relative", "group"), [(125.01, "Leader"), (125.0, "Strong"), (100.5, "Strong"),
                                                  (99.9, "Moderate"), (70.0, "Emerging"), (12, "Emerging")])  # fmt: skip
def test_performance_group_thresholds(relative, group):
    assert europa.performance_group(relative) == group


def test_published_table_1_as_printed():
    table = europa.published_table().set_index("provincie")
    assert list(table.loc["Utrecht", ["score_nl", "score_eu"]]) == [107.5, 136.6]
    assert list(table.loc["Friesland", ["score_nl", "score_eu"]]) == [74.8, 95.0]
    assert (table["prestatiegroep"] == "Innovatieleider").sum() == 7
    assert table.loc["Overijssel", "subgroep"] == "+"


def test_province_table_has_the_twelve_provinces_best_first(summary):
    table = europa.province_table(europa.scores_for_year(summary, 2023))
    assert len(table) == 12 and table["score_eu"].is_monotonic_decreasing
    assert table["score_nl_gem"].mean() == pytest.approx(100)


def test_every_ris_region_joins_a_geometry(summary):
    scores = europa.scores_for_year(summary, 2023)
    gdf, report = europa.regions_with_geometry(scores)
    assert report.unjoined == []
    assert len(gdf) == len(scores) == len(report.joined)


def test_join_reports_codes_without_geometry(summary):
    scores = europa.scores_for_year(summary, 2023)
    fake = pd.concat([scores, scores.iloc[[0]].assign(region="XX9")], ignore_index=True)
    gdf, report = europa.regions_with_geometry(fake)
    assert report.unjoined == ["XX9"] and len(gdf) == len(scores)


def test_choropleth_static_and_interactive_from_one_call(summary):
    scores = europa.scores_for_year(summary, 2023)
    gdf, _ = europa.regions_with_geometry(scores[scores.country.isin(["NL", "BE"])])
    gdf["name"] = gdf["region_name"]
    result = choropleth(gdf, "group_nl", categories=style.PERFORMANCE_COLOURS,
                        tooltip={"region": "Code"}, legend_title="Groep")  # fmt: skip
    html = result.interactive.get_root().render()
    assert html.count('"type": "Feature"') + html.count('"type":"Feature"') == len(gdf)
    assert "Groep" in html and "Innovatieleider" in html and "ri-legend" in html  # legend
    assert "bindTooltip" in html and "Code" in html  # tooltip with the requested field
    assert "L.tileLayer" not in html  # no basemap tiles needed
    assert len(result.static.axes[0].get_legend().get_texts()) >= 1
    numeric = choropleth(gdf, "score_eu", k=3, legend_title="Score")
    assert numeric.data["klasse"].nunique() == 3
    # nothing to credit without a source (Leaflet's own code, inlined here, defines the method)
    assert "attributionControl.addAttribution" not in html


def test_interactive_map_credits_source_and_status(summary):
    scores = europa.scores_for_year(summary, 2023)
    gdf, _ = europa.regions_with_geometry(scores[scores.country == "NL"])
    gdf["name"] = gdf["region_name"]
    result = choropleth(gdf, "score_eu", k=3, source="R&D-bron", status="benadering")
    html = result.interactive.get_root().render()
    credit = json.loads(re.search(r"attributionControl\.addAttribution\((.*?)\);", html)[1])
    assert credit.startswith("Bron: R&amp;D-bron · Status: benadering (open vervanging")
    with pytest.raises(ValueError, match="unknown status"):
        choropleth(gdf, "score_eu", k=3, source="CBS", status="geschat")


def test_choropleth_rejects_unknown_categories(summary):
    scores = europa.scores_for_year(summary, 2023)
    gdf, _ = europa.regions_with_geometry(scores.head(3))
    gdf["name"] = gdf["region_name"]
    with pytest.raises(ValueError, match="no colour"):
        choropleth(gdf, "group", categories={"Leader": "#000"})


# --- numbers for the narrative (moved from the notebook) -----------------------------------


def _scores(rows, year=2023, eu_index=110.0):
    table = pd.DataFrame(rows, columns=["region", "region_name", "country", "score_eu", "group"])
    table.attrs.update(year=year, eu_index=eu_index)
    return table


def test_europe_overview_counts_groups_countries_and_the_best_region():
    scores = _scores(
        [
            ("DE1", "Baden", "DE", 150.0, "Leader"),
            ("DE2", "Bayern", "DE", 140.0, "Leader"),
            ("NL3", "West", "NL", 160.0, "Leader"),
            ("BG3", "Sud", "BG", 40.0, "Emerging"),
            ("FR1", "Ile", "FR", 120.0, "Strong"),
        ]
    )
    europe = europa.europe_overview(scores, top=1)
    assert (europe.year, europe.n_regions, europe.n_countries, europe.eu_index) == (
        2023, 5, 4, 110.0,
    )  # fmt: skip
    assert europe.group_counts == {"Leader": 3, "Strong": 1, "Moderate": 0, "Emerging": 1}
    assert list(europe.group_counts) == list(europa.PERFORMANCE_GROUPS)  # best first
    assert europe.leader_countries == {"DE": 2}
    assert (europe.best_region, europe.best_country, europe.best_score) == ("West", "NL", 160.0)
    with pytest.raises(europa.checks.DataCheckError):
        europa.europe_overview(scores.iloc[0:0])


def test_europe_overview_of_the_database_agrees_with_the_scores(summary):
    scores = europa.scores_for_year(summary, 2023)
    europe = europa.europe_overview(scores)
    assert sum(europe.group_counts.values()) == europe.n_regions == len(scores)
    assert europe.best_score == pytest.approx(scores["score_eu"].max())
    counts = list(europe.leader_countries.values())
    assert counts == sorted(counts, reverse=True) and len(counts) == 4


def test_ranking_of_provinces_and_of_the_published_table(summary):
    table = pd.DataFrame(
        {
            "provincie": ["A", "B", "C", "D"],
            "score_eu": [98.0, 130.0, 101.0, 90.0],
            "group_nl": [
                "Sterke innovator",
                "Innovatieleider",
                "Innovatieleider",
                "Sterke innovator",
            ],
        }
    )
    ranked = europa.ranking(table)
    assert (ranked.best, ranked.best_score, ranked.worst, ranked.worst_score) == ("B", 130, "D", 90)
    assert ranked.spread == 40
    assert ranked.leaders == ["B", "C"] and ranked.below_eu == ["A", "D"]
    published = europa.ranking(europa.published_table(), group="prestatiegroep")
    assert (published.best, published.best_score) == ("Utrecht", 136.6)
    assert (published.worst, published.worst_score) == ("Friesland", 95.0)
    assert len(published.leaders) == 7 and published.below_eu == ["Friesland"]
    with pytest.raises(ValueError, match="prestatiegroep"):
        europa.ranking(table, group="prestatiegroep")


def test_method_comparison_recomputes_the_publication_year(summary):
    published = europa.published_table()
    cmp = europa.method_comparison(summary, published)
    assert cmp.year == 2017 and cmp.edition == 2023 and len(cmp.table) == 12
    raw = pd.read_csv(config.PROCESSED_DIR / "ris" / "ris2023_summary.csv")
    eu = raw[(raw.region == "EU") & (raw.year == 2017)]["index"].item()
    utrecht = raw[(raw.region == "NL31") & (raw.year == 2017)]["index"].item()
    assert cmp.focus_index == utrecht
    assert cmp.focus_score == pytest.approx(utrecht / eu * 100)
    assert cmp.focus_published == 136.6
    diff = (cmp.table["score_eu"] - cmp.table["score_eu_pub"]).abs()
    assert cmp.mean_abs_diff == pytest.approx(diff.mean())
    assert cmp.max_abs_diff == pytest.approx(diff.max())
    assert cmp.max_diff_province == cmp.table.loc[diff.idxmax(), "provincie"]
    changed = cmp.table[cmp.table["group_nl"] != cmp.table["prestatiegroep"]]["provincie"]
    assert cmp.changed_group == changed.tolist()
    assert -1 <= cmp.rank_correlation <= 1
    long = cmp.long()
    assert list(long.columns) == ["provincie", "bron", "score"] and len(long) == 24
    assert (long["bron"].iloc[:12] == "gepubliceerd").all()
    assert long["provincie"].iloc[0] == "Utrecht"  # the highest published score first
    assert long["score"].iloc[:12].is_monotonic_decreasing


def test_method_comparison_falls_back_to_the_first_year_of_an_edition(summary):
    later = summary[summary["year"] >= 2019].copy()
    later.attrs.update(summary.attrs)
    assert europa.method_comparison(later, europa.published_table()).year == 2019


def test_method_changes_now_and_as_published():
    method = europa.method_changes(2023)
    assert (method.cut_leader, method.cut_strong, method.cut_moderate) == (125, 100, 70)
    assert method.published_n_indicators == 18
    assert (method.published_cut_leader, method.published_cut_strong) == (120, 90)
    indicators = pd.read_csv(
        config.PROCESSED_DIR / "ris" / "ris2023_indicators.csv.gz", usecols=["indicator"]
    )["indicator"].unique()
    assert method.n_indicators == sum("(Regional)" in i for i in indicators) > 0


def test_tables_as_the_book_shows_them(summary):
    from helpers.presentation import europa as views

    published = views.published_table(europa.published_table()).set_index("Provincie")
    assert list(published.loc["Utrecht"]) == ["107,5", "136,6", "Innovatieleider"]
    # one decimal throughout, also where the publication printed a whole number (95)
    assert published.loc["Friesland", "Score t.o.v. EU"] == "95,0"
    assert published.loc["Zuid-Holland", "Prestatiegroep"] == "Innovatieleider −"
    provinces = europa.province_table(europa.scores_for_year(summary, 2021))
    shown = views.province_table(provinces, year=2021, edition=2023, base_year=2016)
    assert list(shown.columns)[1:3] == ["Index RIS 2023 (EU 2016 = 100)", "Score t.o.v. EU 2021"]
    row = provinces.iloc[0]
    assert shown.iloc[0, 2] == f"{row['score_eu']:.1f}".replace(".", ",")


# --- GDP per inhabitant in PPS beside the RIS score; contradictions with the publication ----


def test_gdp_pps_maps_nuts2024_codes_to_the_ris_provinces():
    pps = europa.load_gdp_pps()
    assert set(pps["region"]) == set(geo_nl.PROVINCES["nuts2"])  # NL35/NL36 -> NL31/NL33
    row = pps[(pps["region"] == "NL31") & (pps["year"] == 2023)].iloc[0]
    assert row["nuts2024"] == "NL35" and row["gdp_pps_eu100"] == 159
    nb = pps[(pps["region"] == "NL41") & (pps["year"] == 2023)]["gdp_pps_eu100"].item()
    assert nb == 137
    assert europa.gdp_pps_years() == list(range(2010, 2024))


def _wealth(year, gdp_year=2023):
    summary = europa.load_summary(2023)
    provinces = europa.province_table(europa.scores_for_year(summary, year))
    return europa.wealth_and_innovation(provinces, year, gdp_year)


def test_wealth_and_innovation_ranks_and_correlation():
    wealth = _wealth(2023)
    table = wealth.table.set_index("provincie")
    assert len(table) == 12 and table["rang_ris"].tolist() == list(range(1, 13))
    assert table.loc["Noord-Brabant", "pps_jaar"] == 137
    assert table.loc["Utrecht", "pps_gdp_jaar"] == 159  # NL35
    expected = table["score_eu"].rank().corr(table["pps_jaar"].rank())
    assert wealth.rank_correlation == pytest.approx(expected)
    assert wealth.richest == "Noord-Holland" and wealth.poorest == "Drenthe"
    # Overijssel: 9th on the RIS score, 6th on GDP per inhabitant
    assert table.loc["Overijssel", "rang_verschil"] == 3 and wealth.richer == ["Overijssel"]
    assert wealth.more_innovative == []


def test_wealth_uses_the_ris_year_and_the_gdp_year():
    wealth = _wealth(2016)
    table = wealth.table.set_index("provincie")
    assert (wealth.year, wealth.gdp_year) == (2016, 2023)
    assert table.loc["Noord-Brabant", "pps_jaar"] == 132
    assert table.loc["Noord-Brabant", "pps_gdp_jaar"] == 137
    assert wealth.richer == ["Zeeland"] and wealth.more_innovative == ["Gelderland"]
    with pytest.raises(UnknownParameterError, match="2010, 2011"):
        _wealth(2016, gdp_year=2005)


def test_recomputed_2017_contradicts_the_published_order():
    cmp = europa.method_comparison(europa.load_summary(2023), europa.published_table())
    first, second, diff = europa.top_of_table(cmp)
    assert (first, second) == ("Noord-Holland", "Utrecht") and diff < 0.5
    shifts = {s.provincie: (s.published_rank, s.database_rank) for s in europa.rank_shifts(cmp)}
    assert shifts == {"Noord-Holland": (3, 1), "Noord-Brabant": (2, 4)}
    assert europa.rank_shifts(cmp, min_shift=13) == []


def test_wealth_and_contradiction_sentences():
    text = views.wealth_text(_wealth(2016))
    assert text.startswith("Rijker dan innovatief") and "Zeeland" in text and "Gelderland" in text
    assert views.correlation_text(0.9).startswith("rijke provincies")
    assert views.correlation_text(0.2) == "welvaart en innovatie hangen nauwelijks samen"
    cmp = europa.method_comparison(europa.load_summary(2023), europa.published_table())
    said = views.contradiction_text(cmp, europa.rank_shifts(cmp), europa.top_of_table(cmp))
    assert "Noord-Holland en Utrecht in 2017 gelijk" in said
    assert "Noord-Brabant op plaats 4 (gepubliceerd: 2)" in said
    assert "Friesland is nu gemiddelde innovator (gepubliceerd: sterke innovator)" in said
    confirmed = views.contradiction_text(
        cmp.__class__(
            **{**cmp.__dict__, "table": cmp.table.assign(group_nl=cmp.table["prestatiegroep"])}
        ),
        [],
        ("A", "B", 3.0),
    )
    assert confirmed.startswith("Op de volgorde en de groepen bevestigt")
