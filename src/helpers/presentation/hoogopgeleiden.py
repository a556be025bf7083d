"""Maps, chart, table and sentences of the chapter 'Hoogopgeleiden', from the results of
:mod:`helpers.chapters.hoogopgeleiden`."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd

from helpers.chapters import hoogopgeleiden as chapter
from helpers.presentation.charts import line_chart
from helpers.presentation.formatting import fmt_number, fmt_percent
from helpers.presentation.maps import MapResult, choropleth


def province_map(provinces: gpd.GeoDataFrame, year: int) -> MapResult:
    """Share of 25-64 year olds with tertiary education per province in four Fisher-Jenks
    classes, the share in the tooltip (EPSG:28992). ``provinces`` is
    :func:`helpers.chapters.hoogopgeleiden.provinces_on_map`."""
    data = provinces.assign(
        pct_txt=provinces["tertiary_pct_25_64"].map(lambda v: fmt_percent(v, 1))
    )
    return choropleth(
        data,
        "tertiary_pct_25_64",
        scheme="fisher_jenks",
        k=4,
        tooltip={"pct_txt": "Hoogopgeleid (25-64 jaar)"},
        legend_title=f"% hoogopgeleid, {year}",
        projection=28992,
        figsize=(7, 8),
        source="Eurostat",
        status="benadering",
    )


def growth_text(name: str, points: float) -> str:
    """``'Utrecht (+6,6 procentpunt)'``: a province and its growth in percentage points."""
    return f"{name} (+{fmt_number(points, 1)} procentpunt)"


def province_lines(panel: pd.DataFrame, summary: chapter.ProvinceSummary) -> plt.Figure:
    """The share per province over the years, the highest, fastest-growing and lowest
    province of ``summary`` in colour and the chapter's year marked."""
    return line_chart(
        panel,
        x="year",
        y="tertiary_pct_25_64",
        hue="name",
        highlight=[summary.first, summary.growth.index[0], summary.last],
        ylabel="% van de 25-64-jarigen met hoger onderwijs",
        marker_x=summary.year,
    )


def ris_table(comparison: chapter.RisComparison) -> pd.DataFrame:
    """Eurostat share and RIS score per province, highest share first, as the book shows
    them (one decimal)."""
    shown = comparison.table.sort_values("tertiary_pct_25_64", ascending=False)
    return pd.DataFrame(
        {
            "Provincie": shown["name"],
            f"% hoogopgeleid {comparison.year} (Eurostat)": shown["tertiary_pct_25_64"].map(
                lambda v: fmt_percent(v, 1)
            ),
            f"RIS-score {comparison.ris_year} (EU = 100)": shown["ris_score"].map(
                lambda v: fmt_number(v, 1)
            ),
        }
    )


# Why the gemeente map does not show CBS StatLine, in the reader's words (else the error).
NOT_USED = {
    "disabled": "het ophalen bij CBS staat uit (parameter cbs_online)",
    "unavailable": "geen verbinding met opendata.cbs.nl en geen opgeslagen kopie",
}


@dataclass(frozen=True)
class GemeenteText:
    """How the gemeente map is labelled (see :func:`gemeente_text`)."""

    label: str  # what the map shows, with its year (legend, tooltip, caption)
    caption: str
    status: str  # figure status: "benadering" (StatLine) or "ander begrip" (students)
    status_text: str  # the status in the narrative's words
    source: str
    problem: str  # why StatLine was not used ("–" when it was)


def gemeente_text(level: chapter.GemeenteLevel) -> GemeenteText:
    """Labels, caption, status and source of the gemeente map: CBS StatLine (share of hbo/wo)
    or the offline substitute (students per 1,000 inhabitants, another concept)."""
    problem = NOT_USED.get(level.reason, level.error) or "–"
    if level.online:
        label = f"% hoogopgeleid (15-74 jaar), {level.year}"
        return GemeenteText(
            label=label,
            caption=label + " per gemeente",
            status="benadering",
            status_text="benadering: CBS StatLine, hoogopgeleiden in de bevolking van 15-75 jaar (de publicatie: in de beroepsbevolking van 15-74 jaar)",
            source=f"CBS, StatLine {chapter.GEMEENTE_SOURCE['table']} ({level.title}); bewerking Regionale innovatie in Nederland",
            problem=problem,
        )
    label = f"Hbo- en wo-studenten per 1.000 inwoners (woonplaats), {level.year}"
    return GemeenteText(
        label=label,
        caption="Vervanging (ander begrip) — " + label + " per gemeente",
        status="ander begrip",
        status_text="vervanging: een ander begrip (studenten, niet afgestudeerden)",
        source="CBS, StatLine 70072ned (Regionale kerncijfers 2015: hbo- en wo-studenten naar woongemeente); ander begrip dan in de publicatie",
        problem=problem,
    )


def gemeente_map(level: chapter.GemeenteLevel, text: GemeenteText) -> MapResult:
    """The gemeente values in five quantile classes, the value (one decimal) in the tooltip
    (EPSG:28992)."""
    regions = level.regions
    data = regions.assign(
        val_txt=regions[level.value].map(lambda v: fmt_number(v, 1), na_action="ignore")
    )
    return choropleth(
        data,
        level.value,
        scheme="quantiles",
        k=5,
        tooltip={"val_txt": text.label},
        legend_title=text.label,
        projection=28992,
        figsize=(7, 8),
        source="CBS",
        status=text.status,
    )
