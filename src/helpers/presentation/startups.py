"""Maps, charts and sentences of the chapter 'Startups', from the results of
:mod:`helpers.chapters.startups`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from helpers.chapters import firms
from helpers.chapters import startups as chapter
from helpers.presentation import narrative
from helpers.presentation.charts import bar_chart, slope_chart
from helpers.presentation.formatting import (
    fmt_number,
    fmt_percent,
    fmt_signed,
    join_dutch,
    join_with_values,
    number_word,
)
from helpers.presentation.maps import MapResult, choropleth
from helpers.presentation.narrative import Note, recompute_block
from helpers.presentation.then_now import Period, change_in_count, year_range, years_apart

CBS_SOURCE = (
    "CBS, StatLine 83631NED (vestigingen van bedrijven; oprichtingen, alle sectoren) en 81644NED "
    "(vestigingen op 1 januari); bewerking Regionale innovatie in Nederland"
)
GROOT_AMSTERDAM = "CR23"


def corop_map(new: chapter.NewEstablishments) -> MapResult:
    """New establishments per COROP region (the regions of 1 January of the year) in five
    Fisher-Jenks classes, with the count and the rate per 1,000 existing establishments in the
    tooltip (EPSG:28992)."""
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


def corop_figure(new: chapter.NewEstablishments, name: str) -> dict:
    """The keyword arguments of ``map_figure`` for the COROP map of ``new``."""
    top = join_dutch([region for region, _ in new.top(3)])
    return {
        "result": corop_map(new),
        "chapter": "startups",
        "name": name,
        "caption": f"Nieuwe bedrijfsvestigingen per COROP-regio, {new.year}",
        "alt": (
            f"Kaart van de 40 COROP-regio's van {new.year} naar aantal nieuwe "
            f"bedrijfsvestigingen in {new.year}; de meeste in {top}."
        ),
        "source": CBS_SOURCE,
        "status": "benadering",
        "data": new.table,
    }


def year_glue(new: chapter.NewEstablishments, prefix: str) -> dict[str, object]:
    """Glue values of one year: ``<prefix>_year``, ``_total``, ``_ams`` (Groot-Amsterdam),
    ``_top3``, ``_top4_share``, ``_stock_top4_share``, ``_gini``, ``_stock_gini``, ``_more``,
    ``_rate_top``, ``_rate_low``, ``_rate_nl``."""
    conc, stock = new.concentration, new.stock_concentration
    return {
        f"{prefix}_year": str(new.year),
        f"{prefix}_total": new.total,
        f"{prefix}_ams": new.count(GROOT_AMSTERDAM),
        f"{prefix}_top3": join_with_values(new.top(3)),
        f"{prefix}_top4_share": fmt_percent(conc.top4_share, 1),
        f"{prefix}_stock_top4_share": fmt_percent(stock.top4_share, 1),
        f"{prefix}_gini": fmt_number(conc.gini, 2),
        f"{prefix}_stock_gini": fmt_number(stock.gini, 2),
        f"{prefix}_more": "sterker" if new.more_concentrated else "niet sterker",
        f"{prefix}_rate_top": join_with_values(new.top_rates(3)),
        f"{prefix}_rate_low": join_with_values([new.lowest_rate]),
        f"{prefix}_rate_nl": new.rate,
    }


def reference_note(year: int) -> str:
    """How the reference year relates to the publication's count of startups (mid 2017)."""
    when = years_apart(year, chapter.PUBLICATION_YEAR)
    if when == "hetzelfde jaar":
        return f"Het referentiejaar hier, {year}, is het jaar van de telling in de publicatie."
    return (
        f"Het referentiejaar hier is {year}, {when} dan de telling in de publicatie "
        f"(medio {chapter.PUBLICATION_YEAR})."
    )


def _moves_text(change: chapter.StarterChange) -> str:
    if not change.moves:
        return (
            f"De COROP-regio's bestonden in {change.earlier} en {change.later} uit dezelfde "
            "gemeenten."
        )
    moves = join_dutch([f"{name} van {a} naar {b}" for name, a, b in change.moves])
    return (
        f"CBS telt elk jaar in de indeling van dat jaar; tussen {change.earlier} en "
        f"{change.later} gingen (delen van) {number_word(len(change.moves))} gemeenten naar een "
        f"andere COROP-regio ({moves}), wat in de verandering van die regio's meetelt."
    )


def change_text(period: Period, change: chapter.StarterChange | None) -> str:
    """What moved between the two years, in sentences (only the intro of the
    :class:`~helpers.presentation.then_now.Period` when both years are the same)."""
    if change is None or period.same:
        return period.intro()
    before, after = change.of(GROOT_AMSTERDAM)
    rising = (
        "in alle 40 COROP-regio's"
        if change.n_up == len(change.table)
        else f"in {change.n_up} van de 40 COROP-regio's"
    )
    parts = [
        period.intro(),
        f"Tussen {change.earlier} en {change.later} "
        f"{change_in_count(*change.totals, subject='het aantal nieuwe vestigingen')}; "
        f"het nam toe {rising}.",
        f"In Groot-Amsterdam {change_in_count(before, after, subject='het aantal')}.",
        f"Relatief groeide {change.fastest[0]} het sterkst ({fmt_signed(change.fastest[1], 0)}%), "
        f"{change.slowest[0]} het minst ({fmt_signed(change.slowest[1], 0)}%).",
        f"De vier grootste regio's hadden in {change.earlier} samen "
        f"{fmt_percent(change.top4_shares[0], 1)} van de nieuwe vestigingen, in {change.later} "
        f"{fmt_percent(change.top4_shares[1], 1)}.",
        _moves_text(change),
    ]
    return " ".join(p for p in parts if p)


def slope(change: chapter.StarterChange, highlight: int = 3) -> plt.Figure:
    """New establishments per COROP region in both years (logarithmic axis: parallel lines grew
    at the same rate); the ``highlight`` largest regions of the later year and the fastest and
    slowest growing one in colour."""
    largest = change.table.sort_values("totaal_later", ascending=False)["name"].head(highlight)
    names = list(dict.fromkeys([*largest, change.fastest[0], change.slowest[0]]))
    return slope_chart(
        change.table, label="name", before="totaal_earlier", after="totaal_later",
        before_label=str(change.earlier), after_label=str(change.later), highlight=names,
        ylabel="Nieuwe vestigingen (logaritmische schaal)", log=True,
    )  # fmt: skip


def slope_figure(change: chapter.StarterChange) -> dict:
    """The keyword arguments of ``book_figure`` for :func:`slope`."""
    return {
        "fig": slope(change),
        "chapter": "startups",
        "name": "corop-verandering",
        "caption": (
            f"Nieuwe bedrijfsvestigingen per COROP-regio, {change.earlier} en {change.later}"
        ),
        "source": CBS_SOURCE,
        "alt": (
            f"Hellingsgrafiek van de 40 COROP-regio's van {change.earlier} naar {change.later}; "
            f"het sterkst gegroeid: {change.fastest[0]}, het minst: {change.slowest[0]}."
        ),
        "data": change.table,
        "status": "nieuw",
    }


def province_table(change: chapter.StarterChange) -> pd.DataFrame:
    """New establishments per provincie in both years and the change, fastest growth first, as
    the book shows them."""
    table = change.provinces
    return pd.DataFrame(
        {
            "Provincie": table["name"],
            str(change.earlier): table["totaal_earlier"].map(fmt_number),
            str(change.later): table["totaal_later"].map(fmt_number),
            "Verandering": table["change_pct"].map(lambda v: fmt_signed(v, 1) + "%"),
        }
    )


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
    """Startups per gemeente (the gemeenten of ``startups.map_year``) in five quantile classes
    (EPSG:28992)."""
    return choropleth(
        startups.map_data, "startups", scheme="quantiles", k=5,
        tooltip={"startups": "Startups"}, legend_title="Aantal startups", projection=28992,
        figsize=(7, 8), source="startuplijst", status="aangeleverd",
    )  # fmt: skip


def startup_figure(startups: chapter.StartupList, startup_file: str) -> dict:
    """The keyword arguments of ``book_figure`` for the map of the user's startups."""
    user_map = startup_map(startups)
    top = join_dutch([name for name, _ in startups.top(3)])
    return {
        "fig": user_map.static,
        "chapter": "startups",
        "name": "startups-kaart",
        "caption": f"Aantal startups per gemeente (gemeenten van {startups.map_year})",
        "source": f"Startuplijst aangeleverd door de gebruiker ({Path(startup_file).name})",
        "alt": f"Kaart van de gemeenten van {startups.map_year} naar aantal startups; de meeste in {top}.",
        "data": user_map.data,
        "status": "aangeleverd",
    }


def file_note(startups: chapter.StartupList | None) -> Note:
    """The note beside the map of the user's startups: every place or code that could not be
    placed in a gemeente (named, with its rows and why) and how the file was read; shows
    nothing without a file or when there is nothing to say."""
    if startups is None:
        return narrative.file_note([])
    unplaced = startups.placement.unplaced if startups.placement else []
    items = [
        f"Niet geplaatst in een gemeente van {startups.map_year}: {u.text()}" for u in unplaced
    ]
    return narrative.file_note([*items, *startups.notes])


def user_text(startups: chapter.StartupList | None) -> str:
    """What the user's startup list shows, or how to supply one (``None``)."""
    if startups is None:
        return (
            "Zonder startuplijst blijft het bij de open benaderingen hierboven. Met een eigen "
            "lijst (zie Zelf opnieuw uitrekenen) telt dit hoofdstuk de startups per gemeente, het "
            "aandeel in de grote steden en tekent het de kaart."
        )
    unplaced = (
        f", waarvan {fmt_number(startups.unplaced)} zonder herkenbare gemeente, genoemd bij de "
        "kaart"
        if startups.unplaced
        else ", alle met een herkenbare gemeente"
    )
    where = (
        ""
        if startups.map_year == chapter.PLACE_YEAR
        else f" De plaatsen zijn gemeenten van {startups.map_year}; de kaart toont die indeling."
    )
    return (
        f"Met de aangeleverde startuplijst ({fmt_number(startups.n)} startups{unplaced}) staan "
        f"de meeste startups in {join_with_values(startups.top(3))}. "
        f"De {fmt_number(startups.n_big)} gemeenten met 100.000 inwoners of meer (in 2015) "
        f"hebben samen {fmt_percent(startups.share_big, 0)} van de startups.{where}"
    )


def recompute_note(used: Mapping[str, object]) -> Note:
    """The chapter's "Zelf opnieuw uitrekenen" block
    (:func:`helpers.presentation.narrative.recompute_block`) with the values ``used`` here."""
    starters = year_range(chapter.starter_years())
    about = {
        "startup_file": "een eigen startuplijst (kolommen `naam`, `gemeente` of `plaats`, "
        "`oprichtingsjaar`); het hoofdstuk telt dan de startups per gemeente, het aandeel in de "
        "grote steden en tekent de kaart",
        "year": "het referentiejaar van de nieuwe vestigingen per COROP-regio (CBS 83631NED)",
        "new_year": "het jaar waarmee het referentiejaar wordt vergeleken",
        "births_year": "het jaar van de nieuwe ondernemingen per NUTS 3-regio (Eurostat)",
    }
    valid = {
        "startup_file": "een CSV- of Excel-bestand",
        "year": starters,
        "new_year": starters,
        "births_year": year_range(firms.demography_years("oprichtingen_totaal")),
    }
    return recompute_block("startups", used, about, valid, "new_year=2020")
