"""Map, chart and tables of the chapter 'Nederlandse regio's in Europa', from the results of
:mod:`helpers.chapters.europa`."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd

from helpers.chapters import europa as chapter
from helpers.presentation import style
from helpers.presentation.charts import bar_chart
from helpers.presentation.formatting import fmt_number
from helpers.presentation.maps import MapResult, choropleth

# The static map's frame in EPSG:3035 (xmin, ymin, xmax, ymax): mainland Europe to Cyprus.
EUROPE_BOUNDS = (2.45e6, 1.35e6, 6.55e6, 5.45e6)


def ris_map(
    regions: gpd.GeoDataFrame, *, year: int, edition: int, base_year: int, source: str
) -> MapResult:
    """Europe's regions coloured by performance group in ``year``, with code, group, score
    (EU = 100) and index in the tooltip. ``regions`` is
    :func:`helpers.chapters.europa.regions_with_geometry` of the year's scores."""
    data = regions.assign(
        name=regions["region_name"],
        index_txt=regions["index"].map(lambda v: fmt_number(v, 1)),
        score_eu_txt=regions["score_eu"].map(lambda v: fmt_number(v, 1)),
    )
    return choropleth(
        data,
        "group_nl",
        categories=style.PERFORMANCE_COLOURS,
        tooltip={
            "region": "Code",
            "group_nl": "Prestatiegroep",
            "score_eu_txt": f"Score t.o.v. EU {year} (EU = 100)",
            "index_txt": f"Index RIS {edition} (EU {base_year} = 100)",
        },
        legend_title=f"Prestatiegroep {year}",
        bounds=EUROPE_BOUNDS,
        source=source,
        status="latere editie",
    )


def published_table(published: pd.DataFrame) -> pd.DataFrame:
    """Table 1 of the publication (:func:`helpers.chapters.europa.published_table`) as the
    book shows it: scores with Dutch decimals (a whole EU score without decimals, as
    printed) and the group with its '+'/'−' subgroup."""
    return pd.DataFrame(
        {
            "Provincie": published["provincie"],
            "Score t.o.v. NL": published["score_nl"].map(lambda v: fmt_number(v, 1)),
            "Score t.o.v. EU": published["score_eu"].map(
                lambda v: fmt_number(v, 1 if v % 1 else 0)
            ),
            "Prestatiegroep": (
                published["prestatiegroep"] + " " + published["subgroep"]
            ).str.strip(),
        }
    )


def province_table(
    provinces: pd.DataFrame, *, year: int, edition: int, base_year: int
) -> pd.DataFrame:
    """The recomputed Table 1 (:func:`helpers.chapters.europa.province_table`) as the book
    shows it: index (two decimals), scores (one decimal), group; headers name the edition,
    its base year and the year."""
    return pd.DataFrame(
        {
            "Provincie": provinces["provincie"],
            f"Index RIS {edition} (EU {base_year} = 100)": provinces["index"].map(
                lambda v: fmt_number(v, 2)
            ),
            f"Score t.o.v. EU {year}": provinces["score_eu"].map(lambda v: fmt_number(v, 1)),
            "Score t.o.v. gemiddelde provincie": provinces["score_nl_gem"].map(
                lambda v: fmt_number(v, 1)
            ),
            "Prestatiegroep": provinces["group_nl"],
        }
    )


def method_chart(comparison: chapter.MethodComparison) -> plt.Figure:
    """Two bars per province: the published RIS 2017 score and the same year in the current
    database (EU = 100), with the EU line."""
    labels = {
        "gepubliceerd": "RIS 2017 (gepubliceerd)",
        "database": f"RIS {comparison.edition}, jaar {comparison.year}",
    }
    long = comparison.long()
    return bar_chart(
        long.assign(bron=long["bron"].map(labels)),
        value="score",
        category="provincie",
        hue="bron",
        reference=100,
        reference_label="EU = 100",
        xlabel="Score t.o.v. EU (EU = 100)",
    )
