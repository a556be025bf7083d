"""Maps, tables and sentences of the chapter 'Scale-ups', from the results of
:mod:`helpers.chapters.scale_ups`."""

from __future__ import annotations

import pandas as pd

from helpers.chapters import scale_ups as chapter
from helpers.presentation.formatting import (
    fmt_number,
    fmt_percent,
    fmt_signed,
    join_dutch,
    join_with_values,
)
from helpers.presentation.maps import MapResult, choropleth
from helpers.presentation.then_now import (
    Period,
    change_in_points,
    region_growth,
    region_slopes,
    region_slopes_alt,
    years_apart,
)

STATED_COLUMNS = {
    "indicator": "Gegeven",
    "year": "Jaar/editie",
    "value_as_stated": "Waarde (zoals vermeld)",
    "unit": "Eenheid",
    "source_url": "Vindplaats",
}


def stated_table(stated: pd.DataFrame) -> pd.DataFrame:
    """The stated figures on scale-ups with the columns the book shows (:data:`STATED_COLUMNS`),
    headers in Dutch."""
    return stated[list(STATED_COLUMNS)].rename(columns=STATED_COLUMNS)


POPULATION_SOURCE = (
    "CBS, StatLine 81644NED (vestigingen van bedrijven op 1 januari, met 10 of meer werkzame "
    "personen, alle sectoren); bewerking Regionale innovatie in Nederland"
)
NOT_SCALEUPS = "de populatie waaruit scale-ups komen; geen scale-ups"


def population_map(population: chapter.Population) -> MapResult:
    """Establishments with 10+ persons per COROP region (the regions of ``population.year``)
    in five Fisher-Jenks classes, with the count and the share of the Netherlands in the
    tooltip (EPSG:28992)."""
    data = population.map_data.assign(
        n_txt=population.map_data["vestigingen_10_plus"].map(fmt_number),
        share_txt=population.map_data["aandeel_pct"].map(lambda v: fmt_percent(v, 1)),
    )
    return choropleth(
        data, "vestigingen_10_plus", scheme="fisher_jenks", k=5,
        tooltip={"n_txt": "Vestigingen met 10+ werkzame personen",
                 "share_txt": "Aandeel in Nederland"},
        legend_title=f"Vestigingen 10+ personen, {population.year}", projection=28992,
        figsize=(7, 8), source="CBS", status="benadering",
    )  # fmt: skip


def population_figure(population: chapter.Population, name: str) -> dict:
    """The keyword arguments of ``map_figure`` for the COROP map of ``population``."""
    top = join_dutch([region for region, _ in population.top(3)])
    return {
        "result": population_map(population),
        "chapter": "scale-ups",
        "name": name,
        "caption": (
            "Bedrijfsvestigingen met 10 of meer werkzame personen per COROP-regio, "
            f"{population.year} ({NOT_SCALEUPS})"
        ),
        "alt": (
            f"Kaart van de 40 COROP-regio's van {population.year} naar aantal vestigingen met 10 "
            f"of meer werkzame personen; de meeste in {top}."
        ),
        "source": POPULATION_SOURCE,
        "status": "benadering",
        "data": population.table,
    }


def population_glue(population: chapter.Population, prefix: str) -> dict[str, object]:
    """Glue values of one year: ``<prefix>_year``, ``_total``, ``_top`` (three largest COROP
    regions), ``_randstad`` (share of the three Randstad provinces), ``_compare``."""
    return {
        f"{prefix}_year": str(population.year),
        f"{prefix}_total": population.total,
        f"{prefix}_top": join_with_values(population.top(3)),
        f"{prefix}_randstad": fmt_percent(population.randstad_share, 0),
        f"{prefix}_compare": comparison_text(population),
    }


def comparison_text(population: chapter.Population) -> str:
    """Whether scale-ups lean more to the Randstad than the population they come from."""
    if population.scaleups_more_in_randstad:
        return (
            "Scale-ups lijken dus iets sterker op de Randstad gericht dan de grotere vestigingen "
            "in het algemeen."
        )
    return "Dat past bij de spreiding van de grotere vestigingen zelf."


def reference_note(year: int) -> str:
    """How the population's reference year relates to the dashboard of 2016."""
    when = years_apart(year, chapter.REFERENCE_YEAR)
    if when == "hetzelfde jaar":
        return f"Het referentiejaar, {year}, is dat van het Scale-Up Dashboard in de publicatie."
    return (
        f"Het referentiejaar hier is {year}, {when} dan het Scale-Up Dashboard in de publicatie "
        f"({chapter.REFERENCE_YEAR})."
    )


def change_text(period: Period, change: chapter.PopulationChange | None) -> str:
    """What moved between the two years, in sentences (only the intro of ``period`` when both
    years are the same)."""
    if change is None or period.same:
        return period.intro()
    corop = change.corop
    subject = "het aantal vestigingen met 10 of meer werkzame personen"
    randstad = change_in_points(*change.randstad_shares, 1, subject="het aandeel")
    parts = [
        period.intro(),
        *region_growth(corop, subject),
        f"In de drie Randstadprovincies {randstad}.",
    ]
    return " ".join(p for p in parts if p)


def slope_figure(change: chapter.PopulationChange, highlight: int = 3) -> dict:
    """``book_figure`` arguments for the slope chart of establishments with 10+ persons per
    COROP region in both years (:func:`~helpers.presentation.then_now.region_slopes`)."""
    corop = change.corop
    fig = region_slopes(corop, "Vestigingen met 10+ werkzame personen (log. schaal)", highlight)
    return {
        "fig": fig,
        "chapter": "scale-ups",
        "name": "populatie-verandering",
        "caption": (
            "Bedrijfsvestigingen met 10 of meer werkzame personen per COROP-regio, "
            f"{corop.earlier} en {corop.later} ({NOT_SCALEUPS})"
        ),
        "source": POPULATION_SOURCE,
        "alt": region_slopes_alt(corop),
        "data": corop.table,
        "status": "benadering",
    }


def province_table(change: chapter.PopulationChange) -> pd.DataFrame:
    """Establishments with 10+ persons per provincie in both years and the change, fastest
    growth first, as the book shows them."""
    rows = change.provinces
    return pd.DataFrame(
        {
            "Provincie": rows.table["name"],
            str(rows.earlier): rows.table["earlier"].map(fmt_number),
            str(rows.later): rows.table["later"].map(fmt_number),
            "Verandering": rows.table["change_pct"].map(lambda v: fmt_signed(v, 1) + "%"),
        }
    )


def scaleup_map(scaleups: chapter.ScaleupCounts) -> MapResult:
    """Scale-ups per gemeente in five quantile classes (EPSG:28992)."""
    return choropleth(
        scaleups.map_data, "scaleups", scheme="quantiles", k=5,
        tooltip={"scaleups": "Scale-ups"}, legend_title=f"Scale-ups {scaleups.year}",
        projection=28992, figsize=(7, 8), source="Scale-Up Dashboard", status="aangeleverd",
    )  # fmt: skip


def user_text(scaleups: chapter.ScaleupCounts | None) -> str:
    """What the user's dashboard file shows, or how to supply one (``None``)."""
    if scaleups is None:
        return (
            "Wie de gemeentecijfers van het Scale-Up Dashboard heeft (kolommen gemeente, jaar, "
            "aantal; zie data/README-user-files.md), geeft die als parameter scaleup_file mee; "
            "het hoofdstuk tekent dan de kaart en de rangorde per gemeente."
        )
    return (
        f"Met het aangeleverde bestand ({scaleups.year}) telt Nederland "
        f"{fmt_number(scaleups.total)} scale-ups; de meeste in {join_with_values(scaleups.top(5))}."
    )
