"""Maps, charts, tables and sentences of the chapter 'R&D-uitgaven', from the results of
:mod:`helpers.chapters.rd`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd

from helpers.chapters import rd as chapter
from helpers.presentation import narrative
from helpers.presentation.charts import bar_chart
from helpers.presentation.formatting import (
    fmt_number,
    fmt_percent,
    fmt_signed,
    join_dutch,
    number_word,
)
from helpers.presentation.maps import MapResult, choropleth
from helpers.presentation.narrative import Note, recompute_block
from helpers.presentation.then_now import (
    Period,
    region_slopes,
    region_slopes_alt,
    year_range,
    years_prose,
)


def province_map(provinces: gpd.GeoDataFrame, year: int) -> MapResult:
    """R&D per province (mln euro) in four Fisher-Jenks classes, with the amount and the
    share of the Netherlands in the tooltip (national grid, EPSG:28992). ``provinces`` is
    :func:`helpers.chapters.rd.provinces_on_map` of :func:`helpers.chapters.rd.rd_for_year`."""
    data = provinces.assign(
        rd_txt=provinces["rd_mln_euro"].map(fmt_number),
        aandeel_txt=provinces["aandeel_pct"].map(lambda v: fmt_percent(v, 1)),
    )
    return choropleth(
        data,
        "rd_mln_euro",
        scheme="fisher_jenks",
        k=4,
        tooltip={"rd_txt": "R&D (mln euro)", "aandeel_txt": "Aandeel in Nederland"},
        legend_title=f"R&D-uitgaven {year} (mln euro)",
        projection=28992,
        figsize=(7, 8),
        source="CBS",
        status="origineel",
    )


def map_classes_text(result: MapResult, name: str, unit: str) -> str:
    """The classes of a classed map and their regions for its alt text: ``'4 klassen;
    hoogste klasse (2.000 – 3.168 mln euro): A en B; laagste klasse (…): C'``. ``name`` is
    the column with the region names in ``result.data``."""
    legend = list(result.colours)
    members = result.data.groupby("klasse", sort=False)[name].agg(list)
    return (
        f"{len(legend)} klassen; hoogste klasse ({legend[-1]} {unit}): "
        f"{join_dutch(members[legend[-1]])}; laagste klasse ({legend[0]} {unit}): "
        f"{join_dutch(members[legend[0]])}"
    )


# The per-province table behind the bar chart, in the column order of its CSV download.
CHART_COLUMNS = [
    "provincie",
    "provincie_naam",
    "nuts2",
    "year",
    "status",
    "rd_mln_euro",
    "aandeel_pct",
    "rd_arbeidsjaren",
]


def province_chart(table: pd.DataFrame) -> plt.Figure:
    """Bars of R&D per province (mln euro), largest first."""
    return bar_chart(
        table.assign(provincie=table["provincie_naam"]),
        value="rd_mln_euro",
        category="provincie",
        xlabel="Miljoen euro",
        decimals=0,
    )


def intensity_table(inten: pd.DataFrame) -> pd.DataFrame:
    """R&D intensity per province (:func:`helpers.chapters.rd.intensity`) as the book shows
    it: R&D (mln euro), the same R&D as % of GDP for each Eurostat GDP version (the edition of
    nama_10r_3gdp, named by the year it appeared: "versie 2023") and of CBS regional GDP
    (85924NED), Eurostat's own percentage (from the compilation of Honti e.a.) and the
    difference (percentage points), Dutch numbers with two decimals."""
    columns = {
        "Provincie": inten["provincie_naam"],
        "R&D (mln euro)": inten["rd_mln_euro"].map(fmt_number),
    }
    percentages = {
        f"% bbp (Eurostat-bbp, versie {v})": f"pct_bbp_{v}" for v in inten.attrs["vintages"]
    }
    percentages["% bbp (CBS-bbp, 85924NED)"] = "pct_bbp_cbs"
    percentages["% bbp volgens Eurostat zelf"] = "pct_bbp_eurostat"
    percentages["Verschil met Eurostat zelf (procentpunt)"] = "verschil_eurostat"
    for header, column in percentages.items():
        columns[header] = inten[column].map(lambda x: fmt_number(x, 2))
    return pd.DataFrame(columns)


def vintage_note(summary: chapter.IntensitySummary, year: int) -> str:
    """The sentence on the GDP vintages: their largest difference in ``year``, or that only
    one vintage has the year."""
    if summary.vintage_max_diff is None:
        return (
            f"Voor {year} heeft alleen de bbp-versie van {summary.main_vintage} cijfers, dus een "
            "vergelijking tussen versies is voor dit jaar niet mogelijk."
        )
    return (
        f"Voor {year} bestaan beide bbp-versies; het grootste verschil tussen de twee berekeningen "
        f"is {fmt_number(summary.vintage_max_diff, 2)} procentpunt "
        f"({summary.vintage_max_diff_province})."
    )


def cbs_gdp_note(summary: chapter.IntensitySummary) -> str:
    """The sentence comparing the intensity with CBS regional GDP (85924NED) with that with
    Eurostat GDP: national figure, most intensive province and the largest difference."""
    same = "ook" if summary.cbs_first == summary.first else "daarentegen"
    return (
        f"Met het regionale bbp van CBS zelf (StatLine 85924NED) komt "
        f"Nederland op {fmt_percent(summary.cbs_national_pct, 2)} en is {same} "
        f"{summary.cbs_first} de meest R&D-intensieve provincie; per provincie scheelt het "
        f"hooguit {fmt_number(summary.cbs_max_diff, 2)} procentpunt met de berekening op het "
        f"Eurostat-bbp ({summary.cbs_max_diff_province})."
    )


def no_data_after(last_year: int, provisional: dict[int, str]) -> str:
    """The plain statement that no open regional R&D exists after ``last_year`` (the end of
    CBS 82352NED), with CBS's marks of provisional years (``{2016: 'nader voorlopig'}``)."""
    kept = "".join(
        f" De cijfers van {y} zijn volgens CBS {mark}; CBS heeft de tabel daarna niet meer herzien."
        for y, mark in sorted(provisional.items())
    )
    return (
        f"Na {last_year} bestaan geen open regionale R&D-cijfers voor Nederland: CBS "
        f"publiceert de tabel per provincie (82352NED) niet verder dan {last_year}, en Eurostat "
        "markeert in zijn huidige tabel elke Nederlandse provinciewaarde van de R&D-intensiteit "
        "over 2013 tot en met 2023 als vertrouwelijk. Een tijdreeks tot nu is er daarom niet; wel "
        f"vergelijkt dit hoofdstuk het referentiejaar met een ander jaar tot en met {last_year}."
        f"{kept}"
    )


def eurostat_text(summary: chapter.IntensitySummary, year: int, years: list[int]) -> str:
    """Where Eurostat's own R&D intensity per province comes from and how far it lies from
    the intensity computed here in ``year``: Eurostat's current table marks the Dutch values
    of 2013-2023 confidential; an earlier state of it, in the compilation of Honti e.a.
    (2020), has a value per province for ``years`` (:func:`helpers.chapters.rd.eurostat_gerd_years`)."""
    text = (
        "Eurostat publiceert ook zelf de R&D-intensiteit per regio (R&D-uitgaven als % van het "
        "bbp). In de huidige Eurostat-tabel zijn de Nederlandse provinciewaarden vanaf 2013 "
        "vertrouwelijk; een eerdere stand van die tabel, overgenomen in de verzameling van "
        f"Honti e.a. (2020), heeft wel een waarde per provincie voor {years_prose(years)}."
    )
    if not summary.eurostat_complete:
        return text + f" Voor {year} heeft die verzameling niet voor elke provincie een waarde."
    return text + (
        f" Voor {year} wijken die Eurostat-waarden hooguit "
        f"{fmt_number(summary.eurostat_max_diff, 2)} procentpunt af van onze berekening (het "
        f"meest in {summary.eurostat_max_diff_province}): de bedragen en de bbp-cijfers zijn op "
        "een ander moment vastgesteld en Eurostat telt ook R&D die niet door eigen personeel "
        "wordt uitgevoerd."
    )


def years_intro(period: Period, newest: int) -> str:
    """The chapter's years in one sentence: the reference year (and how it relates to the
    publication's, 2015) and the year it is compared with (``newest``: the newest year with
    all provinces), reading naturally when both are the same or the comparison year is
    earlier."""
    publication = chapter.PUBLICATION_YEAR
    ref = (
        f"Het referentiejaar in dit hoofdstuk is {period.reference}, het jaar van de publicatie"
        if period.reference == publication
        else f"Het referentiejaar in dit hoofdstuk is {period.reference} (in de publicatie: "
        f"{publication})"
    )
    if period.same:
        return f"{ref}; een tweede jaar om mee te vergelijken is er hier niet."
    which = ", het nieuwste jaar met cijfers per provincie" if period.newest == newest else ""
    return f"{ref}; het wordt vergeleken met {period.newest}{which}."


def change_text(period: Period, change: chapter.RdChange | None) -> str:
    """What moved between the two years, in sentences: the national total, in how many
    provinces R&D rose, the fastest and slowest growth, rank changes, the share of the three
    largest and CBS's status of the years (only the intro of the
    :class:`~helpers.presentation.then_now.Period` when both years are the same)."""
    if change is None or period.same:
        return period.intro()
    regions = change.regions
    (before, after), n = regions.totals, len(regions.table)
    verb = "stegen" if after > before else "daalden" if after < before else "bleven"
    amounts = (
        f"{fmt_number(after)} miljoen euro"
        if verb == "bleven"
        else f"van {fmt_number(before)} naar {fmt_number(after)} miljoen euro "
        f"({fmt_signed(regions.total_change_pct, 1)}%)"
    )
    rising = (
        f"in alle {number_word(n)} provincies"
        if regions.n_up == n
        else "in geen enkele provincie"
        if regions.n_up == 0
        else f"in {number_word(regions.n_up)} van de {number_word(n)} provincies"
    )
    fastest, slowest = regions.fastest, regions.slowest
    low = (
        f"in {slowest[0]} daalden ze het meest ({fmt_signed(slowest[1], 1)}%)"
        if slowest[1] < 0
        else f"in {slowest[0]} het minst ({fmt_signed(slowest[1], 1)}%)"
    )
    parts = [
        period.intro(),
        f"Tussen {regions.earlier} en {regions.later} {verb} de R&D-uitgaven in heel Nederland "
        f"{amounts}; ze namen toe {rising}.",
        f"Relatief groeiden ze het sterkst in {fastest[0]} ({fmt_signed(fastest[1], 1)}%); {low}."
        if fastest[1] > 0
        else f"Relatief daalden ze het minst in {fastest[0]} ({fmt_signed(fastest[1], 1)}%).",
        _rank_text(change),
        f"De drie grootste provincies hadden in {regions.earlier} samen "
        f"{fmt_percent(change.top3_shares[0], 1)} van alle R&D, in {regions.later} "
        f"{fmt_percent(change.top3_shares[1], 1)}.",
        _status_text(change),
    ]
    return " ".join(p for p in parts if p)


def _rank_text(change: chapter.RdChange) -> str:
    moves = change.rank_moves
    if not moves:
        return "De volgorde van de provincies bleef gelijk."
    said = join_dutch([f"{name} van plaats {a} naar {b}" for name, a, b in moves])
    return f"In de volgorde ging {said}."


def _status_text(change: chapter.RdChange) -> str:
    marks = {y: s for y, s in change.statuses.items() if s != "definitief"}
    if not marks:
        return ""
    said = join_dutch([f"{y} {mark}" for y, mark in sorted(marks.items())])
    return f"Volgens CBS zijn de cijfers van {said}."


#: What the columns of the comparison's CSV mean (R&D in mln euro, not counts).
CHANGE_COLUMNS = {
    "earlier": "R&D-uitgaven in het eerste jaar van de vergelijking (miljoen euro)",
    "later": "R&D-uitgaven in het laatste jaar van de vergelijking (miljoen euro)",
    "rang_earlier": "rang naar R&D-uitgaven in het eerste jaar (1 = hoogste)",
    "rang_later": "rang naar R&D-uitgaven in het laatste jaar (1 = hoogste)",
}


def change_data(change: chapter.RdChange) -> pd.DataFrame:
    """The comparison per province for the CSV download: code, name, both years' R&D (mln
    euro), the change (%) and both ranks, fastest growth first."""
    return change.regions.table.merge(
        change.ranks[["provincie", "rang_earlier", "rang_later"]], on="provincie"
    )


def change_table(change: chapter.RdChange) -> pd.DataFrame:
    """R&D per province in both years (mln euro), the change (%) and the rank in each year,
    fastest growth first, as the book shows them."""
    table = change_data(change)
    earlier, later = change.regions.earlier, change.regions.later
    return pd.DataFrame(
        {
            "Provincie": table["name"],
            f"{earlier} (mln euro)": table["earlier"].map(fmt_number),
            f"{later} (mln euro)": table["later"].map(fmt_number),
            "Verandering": table["change_pct"].map(lambda v: fmt_signed(v, 1) + "%"),
            f"Plaats {earlier}": table["rang_earlier"].map(str),
            f"Plaats {later}": table["rang_later"].map(str),
        }
    )


def change_figure(change: chapter.RdChange) -> dict:
    """The keyword arguments of ``book_figure`` for the slope chart of R&D per province in
    both years (logarithmic axis: parallel lines grew at the same rate)."""
    regions = change.regions
    return {
        "fig": region_slopes(
            regions, "R&D-uitgaven (miljoen euro, logaritmische schaal)", highlight=3
        ),
        "chapter": "rd",
        "name": "rd-provincie-verandering",
        "caption": f"R&D-uitgaven per provincie, {regions.earlier} en {regions.later} "
        "(miljoen euro)",
        "source": CBS_SOURCE,
        "alt": region_slopes_alt(regions, "provincies"),
        "data": change_data(change),
        "status": "nieuw",
        "columns": CHANGE_COLUMNS,
    }


CBS_SOURCE = (
    "CBS, StatLine 82352NED (R&D-uitgaven eigen personeel, alle sectoren); bewerking Regionale "
    "innovatie in Nederland"
)


def older_vintages_text(summary: chapter.IntensitySummary) -> str:
    """``'; de oudere versie van 2017 loopt tot 2014'`` for each older GDP vintage (or
    ``''``), to follow the main vintage in a sentence."""
    return "".join(
        f"; de oudere versie van {v} loopt tot {last}" for v, last in summary.older_vintages.items()
    )


PUBLISHED_LABELS = {
    "prive_publiek_verhouding": "Private R&D als veelvoud van publieke R&D",
    "publiek_groter_dan_prive": "Publieke R&D groter dan private R&D",
    "prive_rd_pct_bbp": "Private R&D als % van het regionale bbp",
}


def published_table(published: pd.DataFrame) -> pd.DataFrame:
    """The published statements on public and private R&D
    (:func:`helpers.chapters.rd.published`) as the book shows them: statement, province,
    value (``ja`` for a yes/no statement; decimals only where the publication has them) and
    where it was published."""
    values = [
        "ja" if unit == "ja" else fmt_number(value, 2 if value % 1 else 0)
        for value, unit in zip(published["waarde"], published["eenheid"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Kenmerk": published["kenmerk"].map(PUBLISHED_LABELS),
            "Provincie": published["provincie"],
            "Waarde (gepubliceerd)": values,
            "Vindplaats": published["plaats"],
        }
    )


@dataclass(frozen=True)
class CoropText:
    """How the COROP map is labelled (see :func:`corop_text`)."""

    status: str  # figure status: "aangeleverd" (the user's file) or "benadering" (patents)
    label: str  # what the map shows, with its year
    unit: str  # legend title
    caption: str
    source: str  # the full source line
    map_source: str  # the short source on the map


def corop_text(measure: chapter.CoropMeasure, corop_rd_file: str) -> CoropText:
    """Labels, caption and sources of the COROP map: the user's CBS table or the patent
    proxy (:func:`helpers.chapters.rd.corop_measure`)."""
    if measure.supplied:
        label = f"Private R&D-uitgaven per COROP-regio in {measure.year} (miljoen euro)"
        return CoropText(
            status="aangeleverd",
            label=label,
            unit="mln euro",
            caption=label,
            source=f"CBS, maatwerktabel private R&D per COROP-regio (door de gebruiker aangeleverd: {Path(corop_rd_file).name})",
            map_source="CBS",
        )
    label = f"Octrooiaanvragen bij het EOB per COROP-regio, prioriteitsjaar {measure.year}"
    return CoropText(
        status="benadering",
        label=label,
        unit="aanvragen",
        caption=label + " (een benadering van de private R&D-uitgaven)",
        source="Eurostat pat_ep_rtot (EPO-octrooiaanvragen naar NUTS 3; NUTS 3 = COROP via CBS 83287NED); benadering, niet de R&D-uitgaven zelf",
        map_source="Eurostat (benadering)",
    )


def file_note(measure: chapter.CoropMeasure) -> Note:
    """The note beside the COROP map of the user's file: the COROP regions it does not cover
    (named; the shares are then of the regions covered), cells without a value and how the
    file was read; shows nothing for the patent proxy or a complete, plainly read file."""
    items = []
    if measure.coverage is not None and not measure.coverage.complete:
        items.append(
            measure.coverage.text() + " De aandelen in de tekst en de kaart zijn aandelen in "
            "het totaal van de regio's in het bestand."
        )
    return narrative.file_note([*items, *measure.notes])


def corop_map(regions: gpd.GeoDataFrame, text: CoropText) -> MapResult:
    """The COROP regions in five Fisher-Jenks classes of ``waarde``, with the value and the
    share of the Netherlands in the tooltip (EPSG:28992). ``regions`` is
    :func:`helpers.chapters.rd.corop_on_map` of the measure's table."""
    data = regions.assign(
        waarde_txt=regions["waarde"].map(lambda v: fmt_number(v, 0), na_action="ignore"),
        aandeel_txt=regions["aandeel_pct"].map(lambda v: fmt_percent(v, 1), na_action="ignore"),
    )
    return choropleth(
        data,
        "waarde",
        scheme="fisher_jenks",
        k=5,
        tooltip={
            "waarde_txt": text.label.split(" per ")[0] + f" ({text.unit})",
            "aandeel_txt": "Aandeel in Nederland",
        },
        legend_title=text.unit,
        projection=28992,
        figsize=(7, 8),
        source=text.map_source,
        status=text.status,
    )


def recompute_note(used: Mapping[str, object]) -> Note:
    """The chapter's "Zelf opnieuw uitrekenen" block
    (:func:`helpers.presentation.narrative.recompute_block`) with the values ``used`` here."""
    about = {
        "year": "het referentiejaar van de R&D-uitgaven per provincie (CBS 82352NED; de "
        "publicatie: 2015)",
        "new_year": "het jaar waarmee het referentiejaar wordt vergeleken (standaard het "
        "nieuwste jaar)",
        "patent_year": "het jaar van de octrooiaanvragen per COROP-regio, de open benadering",
        "corop_rd_file": "de niet-openbare CBS-tabel van de private R&D-uitgaven per COROP-regio "
        "als bestand (kolommen `corop`, `jaar`, `rd_bedrijven_mln_euro`); daarmee toont de "
        "COROP-kaart de uitgaven zelf in plaats van de octrooien",
    }
    valid = {
        "year": year_range(chapter.available_years()),
        "new_year": year_range(chapter.available_years()),
        "patent_year": year_range(chapter.patents_years()),
        "corop_rd_file": "een CSV- of Excel-bestand",
    }
    return recompute_block("rd", used, about, valid, "new_year=2012")
