"""Maps, tables and sentences of the chapter 'Scale-ups', from the results of
:mod:`helpers.chapters.scale_ups`."""

from __future__ import annotations

import pandas as pd

from helpers.chapters import scale_ups as chapter
from helpers.presentation.formatting import fmt_number, fmt_percent, join_with_values
from helpers.presentation.maps import MapResult, choropleth

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


def population_map(population: chapter.Population) -> MapResult:
    """Enterprises with 10+ employees per NUTS 3 region in five Fisher-Jenks classes, with
    the count and the share of the Netherlands in the tooltip (EPSG:28992)."""
    data = population.map_data.assign(
        n_txt=population.map_data["actief_10_plus"].map(fmt_number),
        share_txt=population.map_data["aandeel_pct"].map(lambda v: fmt_percent(v, 1)),
    )
    return choropleth(
        data, "actief_10_plus", scheme="fisher_jenks", k=5,
        tooltip={"n_txt": "Ondernemingen met 10+ werknemers", "share_txt": "Aandeel in Nederland"},
        legend_title=f"Ondernemingen 10+ werknemers, {population.year}", projection=28992,
        figsize=(7, 8), source="Eurostat", status="benadering",
    )  # fmt: skip


def comparison_text(population: chapter.Population) -> str:
    """Whether scale-ups lean more to the Randstad than the population they come from."""
    if population.scaleups_more_in_randstad:
        return (
            "Scale-ups lijken dus iets sterker op de Randstad gericht dan de grotere bedrijven in "
            "het algemeen."
        )
    return "Dat past bij de spreiding van de grotere bedrijven zelf."


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
