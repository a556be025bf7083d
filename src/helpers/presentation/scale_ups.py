"""Maps, tables and sentences of the chapter 'Scale-ups', from the results of
:mod:`helpers.chapters.scale_ups`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from helpers.chapters import scale_ups as chapter
from helpers.geography import years
from helpers.presentation import narrative
from helpers.presentation.figures import book_figure, book_table
from helpers.presentation.formatting import (
    fmt_number,
    fmt_percent,
    fmt_signed,
    join_dutch,
    join_with_values,
    number_word,
)
from helpers.presentation.maps import MapResult, choropleth
from helpers.presentation.narrative import Note, Paragraph, recompute_block
from helpers.presentation.then_now import (
    Period,
    change_in_points,
    region_growth,
    region_slopes,
    region_slopes_alt,
    year_range,
    years_apart,
)

#: The book's columns of the stated figures (Dutch headers; four short columns for a phone).
STATED_COLUMNS = {"indicator": "Gegeven", "year": "Editie", "value_as_stated": "Waarde",
                  "source_url": "Bron"}  # fmt: skip
#: What the dashboard's stated figures are, in Dutch (the part after "Scale-ups (ScaleUp
#: Dashboard <year>), " in ``stated_figures.csv``).
STATED_LABELS = {"total": "Scale-ups in Nederland", "share in Randstad": "Aandeel in de Randstad"}
STATED_UNITS = {"firms": "", "share of scale-ups": ""}  # the label says what the value is
#: Web sites of the stated figures, by their short name (the full address is in the CSV).
STATED_SITES = {
    "www.rsm.nl": "RSM",
    "www.economicboardutrecht.nl": "Economic Board Utrecht",
    "ece.nl": "ECE",
}


def _stated_label(indicator: str) -> str:
    match = re.fullmatch(r"Scale-ups \(ScaleUp Dashboard \d{4}\), (.+)", indicator)
    what = match.group(1) if match else indicator
    if what not in STATED_LABELS:
        raise ValueError(
            f"stated_figures.csv: no Dutch label for {indicator!r}; add {what!r} to "
            "helpers.presentation.scale_ups.STATED_LABELS"
        )
    return STATED_LABELS[what]


def _stated_value(value: str, unit: str) -> str:
    text = chapter.IN_DUTCH.get(value, value)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        text = fmt_number(float(text))
    return text + STATED_UNITS.get(unit, f" {unit}")


def _stated_source(url: str) -> str:
    site = urlparse(url).netloc
    return f"[{STATED_SITES.get(site, site)}]({url})"


def stated_table(stated: pd.DataFrame) -> pd.DataFrame:
    """The stated figures on scale-ups as the book shows them (:data:`STATED_COLUMNS`): what
    is stated in Dutch (:data:`STATED_LABELS`; a figure without a Dutch label is a
    ``ValueError`` naming it), the dashboard's edition (year), the value with its unit in
    Dutch and the web site as a short link (the full address stays in the CSV download)."""
    return pd.DataFrame(
        {
            "Gegeven": stated["indicator"].map(_stated_label),
            "Editie": stated["year"].str.extract(r"(\d{4})", expand=False),
            "Waarde": [
                _stated_value(v, u)
                for v, u in zip(stated["value_as_stated"], stated["unit"], strict=True)
            ],
            "Bron": stated["source_url"].map(_stated_source),
        }
    )


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


def scaleup_figure(scaleups: chapter.ScaleupCounts, scaleup_file: str) -> dict:
    """The keyword arguments of ``book_figure`` for the map of the user's scale-ups."""
    user_map = scaleup_map(scaleups)
    top = join_dutch([name for name, _ in scaleups.top(3)])
    return {
        "fig": user_map.static,
        "chapter": "scale-ups",
        "name": "scaleups-kaart",
        "caption": f"Aantal scale-ups per gemeente, {scaleups.year} (gemeenten van {scaleups.map_year})",
        "source": "Scale-Up Dashboard (Erasmus Centre for Entrepreneurship), aangeleverd: "
        f"{Path(scaleup_file).name}",
        "alt": f"Kaart van de gemeenten naar aantal scale-ups in {scaleups.year}; de meeste in {top}.",
        "data": user_map.data,
        "status": "aangeleverd",
    }


def file_note(scaleups: chapter.ScaleupCounts | None) -> Note:
    """The note beside the map of the user's scale-ups: codes that found no gemeente on the
    map (named), the gemeenten the file covers (and those it does not), cells without a value
    and how the file was read; shows nothing without a file."""
    if scaleups is None:
        return narrative.file_note([])
    unjoined = scaleups.join.unjoined if scaleups.join is not None else []
    return narrative.gemeente_file_note(
        scaleups.map_year, unjoined, scaleups.coverage, scaleups.notes
    )


def user_text(scaleups: chapter.ScaleupCounts | None) -> str:
    """What the user's dashboard file shows, or how to supply one (``None``)."""
    if scaleups is None:
        return (
            "Zonder de gemeentecijfers van het dashboard blijft het bij de gepubliceerde totalen "
            "en de populatie hierboven. Met die cijfers (zie Zelf opnieuw uitrekenen) tekent dit "
            "hoofdstuk de kaart en de rangorde per gemeente, en met een tweede bestand de "
            "verandering tussen twee jaren."
        )
    return (
        f"Met het aangeleverde bestand ({scaleups.year}) telt Nederland "
        f"{fmt_number(scaleups.total)} scale-ups; de meeste in {join_with_values(scaleups.top(5))}."
    )


# --- two dashboard files compared --------------------------------------------------------------


def _examples(items: list[str], n: int = 3) -> str:
    shown = join_dutch(items[:n])
    return shown + (f" en {number_word(len(items) - n)} andere" if len(items) > n else "")


def recode_text(change: chapter.ScaleupChange) -> str:
    """How the earlier file was put on the later gemeenten, in the reader's words: merged
    gemeenten whole, divided ones shared by weight, totals kept (with the total)."""
    report = change.report
    earlier, to_year = change.earlier, report.to_year
    names_a = years.names(report.from_year).set_index("code")["name"]
    names_b = years.names(to_year).set_index("code")["name"]
    start = (
        f"Om de bestanden per gemeente te vergelijken zijn de {earlier.year}-cijfers (gemeenten "
        f"van {report.from_year}) omgezet naar de gemeenten van {to_year}, met de tabel van "
        "gemeentelijke herindelingen tussen die jaren."
    )
    if report.from_year == to_year:
        start = f"Beide bestanden hebben de gemeenten van {to_year}; omzetten is niet nodig."
    merged = [
        f"{join_dutch([str(names_a.get(c, c)) for c in old])} in {names_b.get(new, new)}"
        for new, old in report.merged.items()
        if len(old) > 1
    ]
    split = [
        f"{names_a.get(old, old)} over "
        + join_dutch([f"{names_b.get(c, c)} ({fmt_percent(w * 100, 0)})" for c, w in parts.items()])
        for old, parts in report.split.items()
    ]
    parts = [start]
    if merged:
        parts.append(
            f"Samengevoegde gemeenten tellen in hun geheel mee bij hun nieuwe gemeente "
            f"({_examples(merged)})."
        )
    if split:
        parts.append(
            "Een gemeente die is opgedeeld, is naar rato verdeeld over de gemeenten die er een "
            f"deel van kregen, gewogen naar inwoners of oppervlakte ({_examples(split, 2)}), in "
            "hele scale-ups."
        )
    parts.append(
        f"De totalen blijven gelijk: {fmt_number(change.recoded_total)} scale-ups in {earlier.year} "
        f"vóór en na het omzetten."
    )
    if change.not_recoded:
        parts.append(
            f"Niet omgezet (geen gemeente van {report.from_year}): {', '.join(change.not_recoded)}."
        )
    return " ".join(parts)


def compare_text(change: chapter.ScaleupChange | None) -> str:
    """The comparison of two dashboard files in sentences (totals, the recoding, growth in the
    gemeenten with scale-ups in both, gemeenten in one file only); ``''`` without a second
    file."""
    if change is None:
        return ""
    (before, after), rows = change.totals, change.change
    parts = [
        f"Het bestand van {change.earlier.year} telt {fmt_number(before)} scale-ups, dat van "
        f"{change.later.year} {fmt_number(after)}.",
        recode_text(change),
    ]
    if len(rows.table):
        subject = "het aantal scale-ups in de gemeenten met scale-ups in beide bestanden"
        parts += region_growth(rows, subject, regions="gemeenten")
    for names, when in ((change.only_earlier, change.earlier), (change.only_later, change.later)):
        if names:
            parts.append(f"Alleen in het bestand van {when.year}: {_examples(names, 10)}.")
    return " ".join(parts)


def compare_table(change: chapter.ScaleupChange) -> pd.DataFrame:
    """Scale-ups per gemeente (of the later file's gemeenten) in both files, the earlier one
    recoded; gemeenten with scale-ups in either file, most in the later file first; Dutch
    labels and numbers (``–`` where a file has none or the change has no base)."""
    earlier = change.recoded.set_index("gemeente")["aantal"]
    later = change.later.counts
    codes = sorted(set(earlier[earlier > 0].index) | set(later[later > 0].index))
    names = years.names(change.report.to_year).set_index("code")["name"]
    rows = pd.DataFrame(
        {
            "gemeente": codes,
            "name": [names.get(c, c) for c in codes],
            "earlier": [earlier.get(c, 0) for c in codes],
            "later": [later.get(c, 0) for c in codes],
        }
    ).sort_values(["later", "earlier"], ascending=False)
    growth = [
        fmt_signed((b - a) / a * 100, 0) + "%" if a else "–"
        for a, b in zip(rows["earlier"], rows["later"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Gemeente": rows["name"],
            f"{change.earlier.year}": rows["earlier"].map(fmt_number),
            f"{change.later.year}": rows["later"].map(fmt_number),
            "Verandering": growth,
        }
    )


def compare_items(change: chapter.ScaleupChange | None) -> list[object]:
    """What a comparison of two dashboard files shows, to display in order: a paragraph
    (:func:`compare_text`), the slope chart of the gemeenten in both files
    (:func:`~helpers.presentation.then_now.region_slopes`) and the table per gemeente; ``[]``
    without a second file."""
    if change is None:
        return []
    rows = change.change
    items: list[object] = [Paragraph(f"**Twee bestanden vergeleken.** {compare_text(change)}")]
    files = f"{change.earlier.file} en {change.later.file}"
    source = f"Scale-Up Dashboard (Erasmus Centre for Entrepreneurship), aangeleverd: {files}"
    span = f"{change.earlier.year} en {change.later.year}"
    if len(rows.table):
        positive = bool((rows.table[["earlier", "later"]] > 0).all().all())
        fig = region_slopes(rows, "Scale-ups (logaritmische schaal)", log=positive)
        items.append(
            book_figure(
                fig, chapter="scale-ups", name="scaleups-verandering",
                caption=f"Scale-ups per gemeente, {span} (gemeenten van {change.report.to_year})",
                source=source, alt=region_slopes_alt(rows, regions="gemeenten"),
                data=rows.table, status="aangeleverd",
            )
        )  # fmt: skip
    items.append(
        book_table(
            compare_table(change), chapter="scale-ups", name="scaleups-verandering-tabel",
            caption=f"Scale-ups per gemeente in twee bestanden, {span} (gemeenten van "
            f"{change.report.to_year}; {change.earlier.year} omgezet)",
            source=source, data=change.recoded, align="lrrr", status="aangeleverd",
        )
    )  # fmt: skip
    return items


def recompute_note(used: Mapping[str, object]) -> Note:
    """The chapter's "Zelf opnieuw uitrekenen" block
    (:func:`helpers.presentation.narrative.recompute_block`) with the values ``used`` here."""
    population = year_range(chapter.population_years())
    about = {
        "scaleup_file": "de gemeentecijfers van het Scale-Up Dashboard als bestand (kolommen "
        "`gemeente`, `jaar`, `aantal`); het hoofdstuk tekent dan de kaart en de rangorde per "
        "gemeente",
        "year": "het jaar in dat bestand (alleen met `scaleup_file`)",
        "population_year": "het referentiejaar van de vestigingen met 10 of meer werkzame "
        "personen (CBS 81644NED)",
        "population_new_year": "het jaar waarmee het referentiejaar wordt vergeleken",
        "scaleup_file_compare": "een tweede dashboardbestand van een ander jaar; het hoofdstuk "
        "zet het oudere bestand om naar de gemeenten van het nieuwere (totalen blijven gelijk) "
        "en toont de verandering per gemeente",
        "compare_year": "het jaar in dat tweede bestand",
    }
    valid = {
        "scaleup_file": "een CSV- of Excel-bestand",
        "year": "de jaren in het bestand",
        "population_year": population,
        "population_new_year": population,
        "scaleup_file_compare": "een CSV- of Excel-bestand, met `scaleup_file`",
        "compare_year": "de jaren in dat bestand",
    }
    return recompute_block("scale_ups", used, about, valid, "population_new_year=2020")
