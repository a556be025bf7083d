import json
import re

import pandas as pd
import pytest

from helpers import config
from helpers.chapters import europa
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
    assert "addAttribution" not in html  # nothing to credit without a source


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
