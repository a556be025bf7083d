"""Figures, tables and sentences of the chapter 'Innovatieve bedrijven', from the results of
:mod:`helpers.chapters.innovatieve_bedrijven`."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd

from helpers.chapters import firms
from helpers.chapters import innovatieve_bedrijven as chapter
from helpers.presentation import narrative
from helpers.presentation.charts import lorenz_chart
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
from helpers.presentation.then_now import (
    Period,
    change_in_points,
    region_growth,
    region_slopes,
    region_slopes_alt,
    year_range,
    years_apart,
)


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


def count_figure(result: chapter.Analysis) -> dict:
    """The keyword arguments of ``map_figure`` for the gemeente map of the counts."""
    found = result.found
    top = join_dutch(result.concentration.top4)
    return {
        "result": count_map(result),
        "chapter": "innovatieve-bedrijven",
        "name": "kaart",
        "caption": f"Aantal {found.measure} per gemeente (gemeenten van {found.map_year})",
        "alt": f"Kaart van de gemeenten in vijf klassen naar aantal {found.unit}; de meeste in {top}.",
        "source": found.source,
        "status": found.status_key,
    }


def file_note(result: chapter.Analysis) -> Note:
    """The note beside the gemeente map: codes that found no gemeente on the map (named), with
    a CIS file also the gemeenten it does not cover, cells without a value and how it was
    read; shows nothing when there is nothing to say (the open proxy covers every gemeente)."""
    found = result.found
    return narrative.gemeente_file_note(
        found.map_year, result.join.unjoined, found.coverage, found.notes
    )


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


def bounds_note(found: chapter.FirmCounts, class_bounds: list[float]) -> str:
    """What the size classes of the table are: with a CIS file the ``class_bounds`` as given
    (innovative firms per gemeente); with the open proxy those bounds times
    :data:`~helpers.chapters.innovatieve_bedrijven.PROXY_BOUND_FACTOR`, because it counts all
    establishments (the table then shows 5.000, 2.000 and 1.000 for ``[500, 200, 100]``)."""
    given = join_dutch([fmt_number(b) for b in class_bounds])
    publication = list(class_bounds) == list(firms.PUBLICATION_BOUNDS)
    which = "die van de publicatie" if publication else "de gekozen grenzen"
    if found.status_key != "benadering":
        return f"De grootteklassen zijn {which}: {given} {found.unit} per gemeente."
    shown = join_dutch([fmt_number(b) for b in found.bounds])
    factor = number_word(chapter.PROXY_BOUND_FACTOR)
    return (
        f"De grootteklassen zijn {which} ({given} innovatieve bedrijven per gemeente) maal "
        f"{factor}: de open benadering telt alle vestigingen, veel meer dan er innovatieve "
        f"bedrijven zijn. De tabel gebruikt daarom {shown} {found.unit} als grenzen."
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


#: The RIS indicators of the chapter in Dutch (the database names them in English).
RIS_LABELS = {
    "3.1.1 SMEs introducing product innovations (Regional)": "3.1.1 Mkb-bedrijven met "
    "productinnovaties",
    "3.1.2 SMEs introducing business process innovations (Regional)": "3.1.2 Mkb-bedrijven met "
    "procesinnovaties",
    "3.2.1 Innovative SMEs collaborating with others (Regional)": "3.2.1 Innoverende "
    "mkb-bedrijven die samenwerken",
}


def ris_label(indicator: str) -> str:
    """The Dutch name of a RIS indicator of :data:`RIS_LABELS`; ``ValueError`` naming an
    indicator without one (every label in the book is Dutch)."""
    if indicator not in RIS_LABELS:
        raise ValueError(f"no Dutch label for RIS indicator {indicator!r}; add it to RIS_LABELS")
    return RIS_LABELS[indicator]


def ris_table(ris: chapter.RisCis) -> pd.DataFrame:
    """Lowest and highest provincial value per RIS indicator (EU = 100), one decimal;
    indicator names in Dutch (:func:`ris_label`)."""
    return pd.DataFrame(
        {
            "Indicator": ris.ranges["indicator"].map(ris_label),
            "Laagste provinciewaarde": ris.ranges["laagste"].map(lambda v: fmt_number(v, 1)),
            "Hoogste provinciewaarde": ris.ranges["hoogste"].map(lambda v: fmt_number(v, 1)),
        }
    )


# --- then and now: establishments per COROP and provincie (CBS 81575NED) ----------------------

CBS_81575_SOURCE = (
    "CBS, StatLine 81575NED (vestigingen van bedrijven op 1 januari, alle sectoren); benadering "
    "van de niet-openbare CIS-tabel; bewerking Regionale innovatie in Nederland"
)


def _years_text(done: list[int], every: list[int]) -> str:
    if not done:
        return "in geen enkel jaar"
    if done == every:
        return f"in alle jaren ({year_range(every)})"
    return "alleen in " + join_dutch([str(y) for y in done])


def completeness_text(table: pd.DataFrame) -> str:
    """Which levels and years of 81575NED are complete (from
    :func:`helpers.chapters.innovatieve_bedrijven.completeness` or a table in its form), and
    that its gemeenten are not used for a concentration measure."""
    every = sorted(int(y) for y in table["year"].unique())
    corop = _years_text(chapter.complete_years("corop", table), every)
    province = _years_text(chapter.complete_years("provincie", table), every)
    gemeenten = table[table["level"] == "gemeente"].set_index("year")
    first, last = gemeenten.loc[every[0]], gemeenten.loc[every[-1]]
    gemeente = _years_text(chapter.complete_years("gemeente", table), every)
    levels = (
        f"per COROP-regio en per provincie {corop}"
        if corop == province
        else f"per COROP-regio {corop}, per provincie {province}"
    )
    return (
        f"CBS 81575NED is {levels} compleet (elke regio heeft een waarde). Per gemeente is de "
        f"tabel {gemeente} compleet: in {every[0]} hebben "
        f"{fmt_number(first['with_values'])} van de {fmt_number(first['regions'])} gemeenten een "
        f"waarde, in {every[-1]} {fmt_number(last['with_values'])} van de "
        f"{fmt_number(last['regions'])}. Een concentratiemaat over een onvolledige set gemeenten "
        "zou niet kloppen; daarom gebruikt dit hoofdstuk de gemeenten van 81575NED niet en "
        "vergelijkt het de jaren per COROP-regio en provincie."
    )


def corop_figure(counts: chapter.RegionalCounts, name: str) -> dict:
    """The keyword arguments of ``map_figure`` for the COROP map of ``counts`` (five
    Fisher-Jenks classes, the count and the share of the Netherlands in the tooltip)."""
    data = counts.map_data.assign(
        n_txt=counts.map_data["vestigingen"].map(fmt_number),
        share_txt=counts.map_data["aandeel_pct"].map(lambda v: fmt_percent(v, 1)),
    )
    result = choropleth(
        data, "vestigingen", scheme="fisher_jenks", k=5,
        tooltip={"n_txt": f"Vestigingen {counts.year}", "share_txt": "Aandeel in Nederland"},
        legend_title=f"Vestigingen {counts.year}", projection=28992, figsize=(7, 8),
        source="CBS", status="benadering",
    )  # fmt: skip
    top = join_dutch([region for region, _ in counts.top(3)])
    return {
        "result": result,
        "chapter": "innovatieve-bedrijven",
        "name": name,
        "caption": f"Bedrijfsvestigingen per COROP-regio, {counts.year}",
        "alt": (
            f"Kaart van de 40 COROP-regio's van {counts.year} naar aantal bedrijfsvestigingen; "
            f"de meeste in {top}."
        ),
        "source": CBS_81575_SOURCE,
        "status": "benadering",
        "data": counts.table,
    }


def year_glue(counts: chapter.RegionalCounts, prefix: str) -> dict[str, object]:
    """Glue values of one year: ``<prefix>_year``, ``_total``, ``_top3``, ``_top4_share`` and
    ``_gini`` (over the 40 COROP regions)."""
    return {
        f"{prefix}_year": str(counts.year),
        f"{prefix}_total": counts.total,
        f"{prefix}_top3": join_with_values(counts.top(3)),
        f"{prefix}_top4_share": fmt_percent(counts.concentration.top4_share, 1),
        f"{prefix}_gini": fmt_number(counts.concentration.gini, 2),
    }


def reference_note(year: int) -> str:
    """How the COROP reference year relates to the publication's CIS counts (2014) and the
    gemeente proxy (2015)."""
    when = years_apart(year, chapter.PUBLICATION_YEAR)
    if when == "hetzelfde jaar":
        return (
            f"Het referentiejaar per COROP-regio, {year}, is dat van de CIS-telling in de "
            "publicatie."
        )
    proxy = " en het jaar van de open gemeentebenadering (70072ned)" if year == 2015 else ""
    return (
        f"Het referentiejaar per COROP-regio is hier {year}, {when} dan de CIS-telling in de "
        f"publicatie ({chapter.PUBLICATION_YEAR}){proxy}."
    )


def change_text(period: Period, change: chapter.EstablishmentChange | None) -> str:
    """What moved between the two years, in sentences (only the intro of ``period`` when both
    years are the same)."""
    if change is None or period.same:
        return period.intro()
    corop = change.corop
    top4 = change_in_points(*change.top4_shares, 1, subject="hun aandeel")
    stronger = change.ginis[1] > change.ginis[0]
    parts = [
        period.intro(),
        *region_growth(corop, "het aantal bedrijfsvestigingen"),
        f"Voor de vier grootste COROP-regio's {top4}; de Gini over de COROP-regio's ging van "
        f"{fmt_number(change.ginis[0], 2)} naar {fmt_number(change.ginis[1], 2)}: de vestigingen "
        f"zijn {'sterker' if stronger else 'niet sterker'} geconcentreerd geraakt.",
    ]
    return " ".join(p for p in parts if p)


def slope_figure(change: chapter.EstablishmentChange, highlight: int = 3) -> dict:
    """``book_figure`` arguments for the slope chart of establishments per COROP region in
    both years (:func:`~helpers.presentation.then_now.region_slopes`)."""
    corop = change.corop
    fig = region_slopes(corop, "Bedrijfsvestigingen (logaritmische schaal)", highlight)
    return {
        "fig": fig,
        "chapter": "innovatieve-bedrijven",
        "name": "corop-verandering",
        "caption": f"Bedrijfsvestigingen per COROP-regio, {corop.earlier} en {corop.later}",
        "source": CBS_81575_SOURCE,
        "alt": region_slopes_alt(corop),
        "data": corop.table,
        "status": "benadering",
    }


def province_table(change: chapter.EstablishmentChange) -> pd.DataFrame:
    """Establishments per provincie in both years and the change, fastest growth first."""
    rows = change.provinces
    return pd.DataFrame(
        {
            "Provincie": rows.table["name"],
            str(rows.earlier): rows.table["earlier"].map(fmt_number),
            str(rows.later): rows.table["later"].map(fmt_number),
            "Verandering": rows.table["change_pct"].map(lambda v: fmt_signed(v, 1) + "%"),
        }
    )


def sources_note(found: chapter.FirmCounts, reference: chapter.RegionalCounts) -> str:
    """How the COROP counts (81575NED) relate to the gemeente counts above: with the proxy
    the two CBS tables count a different number of establishments in the same year, so their
    levels are not compared; with a CIS file they count something else altogether."""
    if found.status_key != "benadering":
        return (
            "De COROP-cijfers tellen alle bedrijfsvestigingen, niet de innovatieve bedrijven van "
            "het aangeleverde CIS-bestand."
        )
    when = "in datzelfde jaar" if reference.year == found.year else f"in {reference.year}"
    return (
        f"Ook dit zijn alle vestigingen, niet de innovatieve bedrijven. 70072ned telt in "
        f"{found.year} {fmt_number(found.counts.sum())} vestigingen in de gemeenten, 81575NED "
        f"{when} {fmt_number(reference.total)} in de COROP-regio's. De twee tabellen komen niet "
        "op hetzelfde totaal uit; vergelijk daarom de verhoudingen binnen elke tabel, niet de "
        "aantallen tussen beide."
    )


def recompute_note(used: Mapping[str, object]) -> Note:
    """The chapter's "Zelf opnieuw uitrekenen" block
    (:func:`helpers.presentation.narrative.recompute_block`) with the values ``used`` here."""
    corop = year_range(chapter.complete_years("corop"))
    bounds = used.get("class_bounds") or firms.PUBLICATION_BOUNDS
    about = {
        "cis_file": "de niet-openbare CBS-tabel van innovatieve bedrijven per gemeente (CIS) als "
        "bestand (kolommen `gemeente`, `jaar`, `aantal_innovatief`); daarmee rekent het hoofdstuk "
        "de oorspronkelijke analyse na in plaats van de benadering met alle vestigingen",
        "year": "het jaar in dat bestand (alleen met `cis_file`)",
        "class_bounds": "de grenzen van de grootteklassen (innovatieve bedrijven per gemeente, "
        "grootste eerst); met de open benadering, die alle vestigingen telt, gelden ze maal "
        f"{number_word(chapter.PROXY_BOUND_FACTOR)}: hier "
        + join_dutch([fmt_number(b * chapter.PROXY_BOUND_FACTOR) for b in bounds])
        + " vestigingen",
        "corop_year": "het referentiejaar van de vestigingen per COROP-regio (CBS 81575NED)",
        "corop_new_year": "het jaar waarmee de COROP-regio's worden vergeleken",
        "ris_year": "het jaar van de CIS-indicatoren per provincie (RIS 2023)",
    }
    valid = {
        "cis_file": "een CSV- of Excel-bestand",
        "year": "de jaren in het bestand",
        "class_bounds": "positieve getallen, aflopend",
        "corop_year": corop,
        "corop_new_year": corop,
        "ris_year": "de jaren van de RIS 2023-database",
    }
    return recompute_block("innovatieve_bedrijven", used, about, valid, "corop_new_year=2020")
