"""Figures, tables and sentences of the chapter 'Innovatieve bedrijven', from the results of
:mod:`helpers.chapters.innovatieve_bedrijven`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.chapters import innovatieve_bedrijven as chapter
from helpers.presentation.charts import lorenz_chart
from helpers.presentation.formatting import fmt_number, fmt_percent, join_dutch
from helpers.presentation.maps import MapResult, choropleth


def count_map(result: chapter.Analysis) -> MapResult:
    """The counts per gemeente on the map of their year, in five quantile classes, with the
    formatted count in the tooltip (national grid, EPSG:28992)."""
    found = result.found
    data = result.map_data.assign(
        aantal_txt=result.map_data["aantal"].map(fmt_number, na_action="ignore")
    )
    return choropleth(
        data, "aantal", scheme="quantiles", k=5,
        tooltip={"aantal_txt": found.unit.capitalize()}, legend_title=f"Aantal {found.unit}",
        projection=28992, figsize=(7, 8), source="CBS", status=found.status_key,
    )  # fmt: skip


def classes_text(classes: pd.DataFrame, unit: str) -> str:
    """The size classes of :func:`helpers.chapters.firms.concentration` in one sentence part:
    ``'4 gemeenten met 500 of meer vestigingen, ... en 300 gemeenten met minder dan 100
    vestigingen'``."""
    return join_dutch(
        [f"{int(r.aantal_gemeenten)} gemeenten met {r.klasse} {unit}" for r in classes.itertuples()]
    )


def classes_table(classes: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The size classes as the book's table: class, number of gemeenten, share of the total
    (percent), Dutch headers and numbers."""
    return pd.DataFrame(
        {
            f"Klasse ({unit} per gemeente)": classes["klasse"],
            "Aantal gemeenten": classes["aantal_gemeenten"].map(fmt_number),
            "Aandeel in het totaal": classes["aandeel_pct"].map(lambda v: fmt_percent(v, 1)),
        }
    )


def knowledge_intensive_text(result: chapter.Analysis) -> str:
    """The paragraph comparing knowledge-intensive services with all establishments (proxy),
    or saying why the comparison is not needed (CIS file)."""
    ki = result.knowledge_intensive
    if ki is None:
        return (
            "Met de aangeleverde CIS-gegevens tellen de innovatieve bedrijven zelf; de vergelijking "
            "met kennisintensieve sectoren uit de open benadering is dan niet nodig."
        )
    more = "sterker" if result.knowledge_intensive_more_concentrated else "minder sterk"
    return (
        "Kennisintensieve dienstverlening (informatie en communicatie, financiële diensten en "
        f"zakelijke dienstverlening) is {more} "
        f"geconcentreerd dan het totaal: de helft zit in {fmt_number(ki.n_half)} gemeenten, de "
        f"top vier heeft {fmt_percent(ki.top4_share, 1)} (Gini {fmt_number(ki.gini, 2)}). Omdat "
        "innovatieve bedrijven vaker in zulke sectoren zitten, ligt hun concentratie "
        "waarschijnlijk dichter bij die van deze groep dan bij die van alle vestigingen."
    )


def lorenz_figure(result: chapter.Analysis) -> plt.Figure:
    """Lorenz curves of the counts (and, with the proxy, the knowledge-intensive services)."""
    return lorenz_chart(
        result.lorenz_curves,
        xlabel="Gemeenten, van klein naar groot (cumulatief %)",
        ylabel="Aandeel in het totaal (cumulatief %)",
    )


def ris_table(ris: chapter.RisCis) -> pd.DataFrame:
    """Lowest and highest provincial value per RIS indicator (EU = 100), one decimal."""
    return pd.DataFrame(
        {
            "Indicator": ris.ranges["indicator"],
            "Laagste provinciewaarde": ris.ranges["laagste"].map(lambda v: fmt_number(v, 1)),
            "Hoogste provinciewaarde": ris.ranges["hoogste"].map(lambda v: fmt_number(v, 1)),
        }
    )
