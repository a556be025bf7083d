"""Maps, charts and sentences of the chapter 'Startups', from the results of
:mod:`helpers.chapters.startups`."""

from __future__ import annotations

import matplotlib.pyplot as plt

from helpers.chapters import startups as chapter
from helpers.presentation.charts import bar_chart
from helpers.presentation.formatting import fmt_number, fmt_percent, join_with_values
from helpers.presentation.maps import MapResult, choropleth


def corop_map(new: chapter.NewEstablishments) -> MapResult:
    """New establishments per COROP region in five Fisher-Jenks classes, with the count and
    the rate per 1,000 existing establishments in the tooltip (EPSG:28992)."""
    data = new.map_data.assign(
        totaal_txt=new.map_data["totaal"].map(fmt_number),
        rate_txt=new.map_data["per_1000"].map(lambda v: fmt_number(v, 0)),
    )
    return choropleth(
        data, "totaal", scheme="fisher_jenks", k=5,
        tooltip={"totaal_txt": f"Nieuwe vestigingen {new.year}",
                 "rate_txt": "Per 1.000 bestaande vestigingen"},
        legend_title=f"Nieuwe vestigingen {new.year}", projection=28992, figsize=(7, 8),
        source="CBS", status="benadering",
    )  # fmt: skip


def births_chart(births: chapter.Births, n: int = 10) -> plt.Figure:
    """Bar chart of the ``n`` NUTS 3 regions with the most new enterprises."""
    top = births.table.head(n)
    return bar_chart(
        top.assign(regio=top["name"]),
        value="oprichtingen_totaal",
        category="regio",
        xlabel="Nieuwe ondernemingen",
        decimals=0,
    )


def startup_map(startups: chapter.StartupList) -> MapResult:
    """Startups per gemeente (2016) in five quantile classes (EPSG:28992)."""
    return choropleth(
        startups.map_data, "startups", scheme="quantiles", k=5,
        tooltip={"startups": "Startups"}, legend_title="Aantal startups", projection=28992,
        figsize=(7, 8), source="startuplijst", status="aangeleverd",
    )  # fmt: skip


def user_text(startups: chapter.StartupList | None) -> str:
    """What the user's startup list shows, or how to supply one (``None``)."""
    if startups is None:
        return (
            "Een analist met een startuplijst (kolommen naam, gemeente of plaats, "
            "oprichtingsjaar; zie data/README-user-files.md) geeft die als parameter startup_file mee; "
            "het hoofdstuk telt dan de startups per gemeente, het aandeel in de grote steden en "
            "tekent de kaart."
        )
    return (
        f"Met de aangeleverde startuplijst ({fmt_number(startups.n)} startups, waarvan "
        f"{fmt_number(startups.unplaced)} zonder herkenbare gemeente) staan de meeste startups in "
        f"{join_with_values(startups.top(3))}. "
        f"De {fmt_number(startups.n_big)} gemeenten met 100.000 inwoners of meer hebben samen "
        f"{fmt_percent(startups.share_big, 0)} van de startups."
    )
