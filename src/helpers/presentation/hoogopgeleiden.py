"""Maps, charts, tables and sentences of the chapter 'Hoogopgeleiden', from the results of
:mod:`helpers.chapters.hoogopgeleiden`."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd

from helpers.chapters import hoogopgeleiden as chapter
from helpers.presentation import style
from helpers.presentation.charts import line_chart
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
from helpers.presentation.then_now import Period, change_in_points, year_range, years_apart

GEMEENTE_SOURCE = (
    f"CBS, StatLine {chapter.CBS_TABLE} (Bevolking; hoogstbehaald onderwijsniveau en regio: "
    "hbo en wo, 15 tot 75 jaar); bewerking Regionale innovatie in Nederland"
)
EUROSTAT_SOURCE = (
    "Eurostat tgs00109 (bevolking 25-64 jaar met hoger onderwijs, ISCED 5-8); bewerking "
    "Regionale innovatie in Nederland"
)


# --- gemeenten --------------------------------------------------------------------------------


def gemeente_label(year: int) -> str:
    """Legend and tooltip label of the gemeente map."""
    return f"% hbo/wo (15-75 jaar), {year}"


def gemeente_map(shares: chapter.GemeenteShares) -> MapResult:
    """The share per gemeente in five quantile classes on the gemeenten of its year, the share
    (one decimal) in the tooltip, suppressed values as 'Geen gegevens' (EPSG:28992)."""
    regions = shares.regions
    data = regions.assign(
        pct_txt=regions["hbo_wo_pct"].map(lambda v: fmt_percent(v, 1), na_action="ignore")
    )
    label = gemeente_label(shares.year)
    return choropleth(
        data[["code", "name", "hbo_wo_pct", "bevolking_15_75", "pct_txt", "geometry"]],
        "hbo_wo_pct", scheme="quantiles", k=5, tooltip={"pct_txt": label},
        legend_title=label, missing_label="Geen gegevens (CBS)", projection=28992,
        figsize=(7, 8), source="CBS", status="vergelijkbaar begrip",
    )  # fmt: skip


def gemeente_figure(shares: chapter.GemeenteShares, name: str) -> dict:
    """The keyword arguments of ``map_figure`` for the gemeente map of ``shares``."""
    result = gemeente_map(shares)
    top = join_dutch([n for n, _ in shares.top(3)])
    return {
        "result": result,
        "chapter": "hoogopgeleiden",
        "name": name,
        "caption": (
            f"Aandeel hoogopgeleiden (hbo/wo) in de bevolking van 15-75 jaar per gemeente, "
            f"{shares.year} (gemeenten van {shares.year}; vijf even grote klassen van dat jaar)"
        ),
        "alt": (
            f"Kaart van de {shares.n_regions} gemeenten van {shares.year} in vijf klassen naar "
            f"aandeel hoogopgeleiden; de hoogste aandelen in {top}."
        ),
        "source": GEMEENTE_SOURCE,
        "status": "vergelijkbaar begrip",
        "data": result.data,
    }


def suppressed_text(shares: chapter.GemeenteShares) -> str:
    """Which gemeenten have no value: ``'alleen voor Schiermonnikoog geeft CBS geen waarde'``."""
    names = shares.suppressed
    if not names:
        return "CBS geeft voor elke gemeente een waarde"
    return f"alleen voor {join_dutch(names)} geeft CBS geen waarde"


def map_count_text(shares: chapter.GemeenteShares) -> str:
    """How many gemeenten the map of ``shares`` draws and how many of them have no value:
    ``'De kaart van 2023 toont alle 342 gemeenten van dat jaar; 341 hebben een waarde, alleen
    voor Schiermonnikoog geeft CBS geen waarde.'``"""
    n, mapped = shares.n_regions, shares.n_mapped
    start = f"De kaart van {shares.year} toont alle {fmt_number(n)} gemeenten van dat jaar"
    if mapped == n:
        return f"{start}; CBS geeft voor elke gemeente een waarde."
    return f"{start}; {fmt_number(mapped)} hebben een waarde, {suppressed_text(shares)}."


def gemeente_glue(shares: chapter.GemeenteShares, prefix: str) -> dict[str, object]:
    """Glue values of one year's gemeente map: ``<prefix>_year``, ``_nl_pct``, ``_ams_pct``,
    ``_top``, ``_mapped``, ``_regions``, ``_suppressed``."""
    return {
        f"{prefix}_year": str(shares.year),
        f"{prefix}_nl_pct": fmt_percent(shares.nederland_pct, 1),
        f"{prefix}_ams_pct": fmt_percent(shares.pct(chapter.AMSTERDAM), 1),
        f"{prefix}_top": join_with_values(shares.top(5), 1, percent=True),
        f"{prefix}_mapped": shares.n_mapped,
        f"{prefix}_regions": shares.n_regions,
        f"{prefix}_suppressed": suppressed_text(shares),
    }


def reference_note(year: int) -> str:
    """How the reference year relates to the publication's (figure 8: 2016)."""
    publication = chapter.PUBLICATION_YEAR
    if year == publication:
        return f"Dit hoofdstuk toont hetzelfde jaar, op de gemeenten van {year}."
    return (
        f"Dit hoofdstuk toont als referentiejaar {year}, {years_apart(year, publication)} dan "
        f"de kaart in de publicatie, op de gemeenten van {year}."
    )


def change_map(change: chapter.GemeenteChange) -> MapResult:
    """The change per gemeente (percentage points) in five quantile classes on the later
    year's gemeenten; both shares and the change in the tooltip (EPSG:28992)."""
    regions = change.regions
    text = {"pct_earlier": change.earlier, "pct_later": change.later}
    data = regions.assign(
        **{f"{c}_txt": regions[c].map(lambda v: fmt_percent(v, 1), na_action="ignore") for c in text},
        change_txt=regions["change_pp"].map(lambda v: fmt_signed(v, 1), na_action="ignore"),
    )  # fmt: skip
    label = f"Verandering {change.earlier}-{change.later} (procentpunt)"
    return choropleth(
        data, "change_pp", scheme="quantiles", k=5,
        tooltip={"pct_earlier_txt": f"% hbo/wo {change.earlier}",
                 "pct_later_txt": f"% hbo/wo {change.later}", "change_txt": label},
        legend_title=label, missing_label="Geen gegevens (CBS)", projection=28992,
        figsize=(7, 8), source="CBS", status="nieuw",
    )  # fmt: skip


def change_figure(change: chapter.GemeenteChange) -> dict:
    """The keyword arguments of ``map_figure`` for the change map."""
    result = change_map(change)
    up = join_dutch([n for n, _ in change.largest(3)]) or "geen"
    return {
        "result": result,
        "chapter": "hoogopgeleiden",
        "name": "gemeente-verandering",
        "caption": (
            f"Verandering van het aandeel hoogopgeleiden per gemeente, {change.earlier}-"
            f"{change.later}, in procentpunten (gemeenten van {change.later}; {change.earlier} "
            "omgerekend)"
        ),
        "alt": (
            f"Kaart van de gemeenten van {change.later} in vijf klassen naar de verandering van "
            f"het aandeel hoogopgeleiden sinds {change.earlier}; de grootste stijging bij de "
            f"gemeenten vanaf {fmt_number(chapter.MIN_POPULATION)} inwoners in {up}."
        ),
        "source": GEMEENTE_SOURCE,
        "status": "nieuw",
        "data": result.data,
    }


def _extremes(change: chapter.GemeenteChange) -> str:
    floor = fmt_number(chapter.MIN_POPULATION)
    up, down = change.largest(3), change.largest(3, rising=False)
    fmt = [(name, fmt_signed(v, 1)) for name, v in up]
    text = (
        f"Onder de gemeenten met ten minste {floor} inwoners van 15-75 jaar steeg het aandeel het "
        f"sterkst (in procentpunten) in {join_dutch([f'{n} ({v})' for n, v in fmt])}"
        if up
        else f"Geen gemeente met ten minste {floor} inwoners van 15-75 jaar ging erop vooruit"
    )
    if down:
        falls = join_dutch([f"{n} ({fmt_signed(v, 1)})" for n, v in down])
        return text + f"; het sterkst daalde het in {falls}."
    return text + "; in geen van die gemeenten daalde het."


def change_text(period: Period, change: chapter.GemeenteChange | None) -> str:
    """What moved between the two gemeente years, in sentences (only the intro of
    :class:`~helpers.presentation.then_now.Period` when both years are the same)."""
    if change is None or period.same:
        return period.intro()
    nl_before, nl_after = change.nederland
    ams = change.of(chapter.AMSTERDAM)
    merged_into = change.formed_from(chapter.AMSTERDAM)
    with_ = (
        f" (samen met {join_dutch(merged_into)}, in de indeling van {change.later})"
        if merged_into
        else ""
    )
    parts = [
        period.intro(),
        f"Tussen {change.earlier} en {change.later} "
        f"{change_in_points(nl_before, nl_after, subject='het aandeel in heel Nederland')}.",
        f"Het aandeel steeg in {change.n_up} en daalde in {change.n_down} van de "
        f"{len(change.compared)} gemeenten van {change.later} met een waarde in beide jaren.",
        _extremes(change),
        f"In Amsterdam{with_} {change_in_points(ams[0], ams[1], subject='het aandeel')}.",
    ]
    return " ".join(p for p in parts if p)


def change_glue(period: Period, change: chapter.GemeenteChange | None) -> dict[str, object]:
    """Glue values of the comparison (numbers, for ``glue_values``): ``hc_gm_change_nl`` (the
    Netherlands, percentage points), ``hc_gm_change_up`` and ``hc_gm_change_down``
    (gemeenten whose share rose, fell; ``–`` without a comparison)."""
    none = change is None or period.same
    return {
        "hc_gm_change_nl": "–" if none else fmt_signed(change.nederland_change, 1),
        "hc_gm_change_up": "–" if none else change.n_up,
        "hc_gm_change_down": "–" if none else change.n_down,
    }


def change_sentences(
    period: Period, change: chapter.GemeenteChange | None, newest: chapter.GemeenteShares
) -> dict[str, str]:
    """The comparison in sentences (for ``glue_markdown``: plain running text):
    ``hc_gm_change_text`` (what moved), ``hc_gm_recode_text`` (how the earlier year was put on
    the later gemeenten) and ``hc_gm_new_map_text`` (how many gemeenten the comparison year's
    map draws and how many have no value; empty when there is no second map)."""
    none = change is None or period.same
    return {
        "hc_gm_change_text": change_text(period, change),
        "hc_gm_recode_text": recode_text(None if none else change),
        "hc_gm_new_map_text": "" if none else map_count_text(newest),
    }


def _gemeenten(n: int, year: int, one: str, many: str) -> str:
    """``'geen gemeente van 2023 ontstond'``, ``'één gemeente ...'``, ``'25 gemeenten van 2023
    ontstonden'``."""
    if n <= 1:
        return f"{'één' if n else 'geen'} gemeente van {year} {one}"
    return f"{number_word(n)} gemeenten van {year} {many}"


def recode_text(change: chapter.GemeenteChange | None) -> str:
    """How the earlier year was put on the later year's gemeenten (one sentence)."""
    if change is None or change.earlier == change.later:
        return "Er is hier geen omrekening naar een andere gemeentelijke indeling nodig."
    report = change.report
    split = len(report.split)
    return (
        f"Voor de vergelijking zijn de {report.codes_in} gemeenten van {change.earlier} "
        f"omgerekend naar de {report.codes_out} van {change.later}: "
        f"{_gemeenten(change.n_merged, change.later, 'ontstond', 'ontstonden')} uit een "
        f"samenvoeging en {_gemeenten(split, change.earlier, 'werd', 'werden')} (deels) "
        "verdeeld. Zo'n gemeente krijgt voor het eerste jaar het aandeel van de gemeenten waaruit "
        "ze ontstond: de aantallen hoogopgeleiden (aandeel maal inwoners van 15-75 jaar) en "
        "inwoners worden opgeteld, bij een verdeelde gemeente naar inwoners verdeeld, en het "
        "aandeel wordt daaruit opnieuw berekend (niet gemiddeld)."
    )


# --- provinces --------------------------------------------------------------------------------


def province_glue(summary: chapter.ProvinceSummary, prefix: str) -> dict[str, object]:
    """Glue values of one province year: ``<prefix>_year``, ``_first``, ``_first_pct``,
    ``_last``, ``_last_pct``, ``_gap`` (percentage points), ``_top3``."""
    return {
        f"{prefix}_year": str(summary.year),
        f"{prefix}_first": summary.first,
        f"{prefix}_first_pct": fmt_percent(summary.first_pct, 1),
        f"{prefix}_last": summary.last,
        f"{prefix}_last_pct": fmt_percent(summary.last_pct, 1),
        f"{prefix}_gap": fmt_number(summary.gap, 1),
        f"{prefix}_top3": join_dutch(summary.top3),
    }


def province_map(provinces: gpd.GeoDataFrame, year: int) -> MapResult:
    """Share of 25-64 year olds with tertiary education per province in four Fisher-Jenks
    classes, the share in the tooltip (EPSG:28992). ``provinces`` is
    :func:`helpers.chapters.hoogopgeleiden.provinces_on_map`."""
    data = provinces.assign(
        pct_txt=provinces["tertiary_pct_25_64"].map(lambda v: fmt_percent(v, 1))
    )
    return choropleth(
        data[["code", "name", "tertiary_pct_25_64", "pct_txt", "geometry"]],
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


def province_lines(
    panel: pd.DataFrame, summary: chapter.ProvinceSummary, period: Period
) -> plt.Figure:
    """The share per province over the years, the highest and lowest province of ``summary``
    and the fastest-growing province between the two years in colour; both years marked."""
    growth = chapter.province_change(panel, period.earlier, period.later)
    fig = line_chart(
        panel,
        x="year",
        y="tertiary_pct_25_64",
        hue="name",
        highlight=list(dict.fromkeys([summary.first, growth.fastest[0], summary.last])),
        ylabel="% van de 25-64-jarigen met hoger onderwijs",
        marker_x=period.reference,
    )
    if not period.same:
        fig.axes[0].axvline(
            period.newest, color=style.PALETTE["black"], linewidth=0.6, linestyle=":"
        )
    return fig


def province_change_table(change: chapter.ProvinceChange) -> pd.DataFrame:
    """Both years' shares and the change per province, largest rise first, as the book shows
    them (one decimal)."""
    table = change.table
    return pd.DataFrame(
        {
            "Provincie": table["name"],
            f"% {change.earlier}": table["pct_earlier"].map(lambda v: fmt_percent(v, 1)),
            f"% {change.later}": table["pct_later"].map(lambda v: fmt_percent(v, 1)),
            "Verandering (procentpunt)": table["change_pp"].map(lambda v: fmt_signed(v, 1)),
        }
    )


def growth_text(name: str, points: float) -> str:
    """``'Utrecht (+6,6 procentpunt)'``: a province and its change in percentage points."""
    return f"{name} ({fmt_signed(points, 1)} procentpunt)"


def province_change_text(period: Period, change: chapter.ProvinceChange) -> str:
    """What moved between the two province years, in sentences; notes Eurostat's breaks in
    series and provinces whose area changed in between."""
    if period.same:
        return period.intro()
    if change.all_up:
        where = "in alle provincies"
    elif change.n_up:
        where = f"in {number_word(change.n_up)} van de {number_word(len(change.table))} provincies"
    else:
        where = "in geen enkele provincie"
    parts = [
        period.intro(),
        f"Tussen {change.earlier} en {change.later} nam het aandeel {where} toe; het sterkst "
        f"veranderde het in {growth_text(*change.fastest)}, het minst in "
        f"{growth_text(*change.slowest)}.",
    ]
    if change.breaks:
        parts.append(
            f"Eurostat markeert een breuk in de reeks in {join_dutch([str(y) for y in change.breaks])}."
        )
    if change.recoded:
        parts.append(
            f"{join_dutch(change.recoded)} omvatten niet in beide jaren hetzelfde gebied "
            "(Vijfheerenlanden ging in 2019 van Zuid-Holland naar Utrecht)."
        )
    return " ".join(p for p in parts if p)


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


def recompute_note(used: Mapping[str, object]) -> Note:
    """The chapter's "Zelf opnieuw uitrekenen" block
    (:func:`helpers.presentation.narrative.recompute_block`) with the values ``used`` here."""
    gemeente, provinces = year_range(chapter.gemeente_years()), year_range(chapter.tertiary_years())
    about = {
        "gemeente_year": "het referentiejaar van de gemeentekaart (CBS 85525NED; de publicatie: "
        "2016), op de gemeenten van dat jaar",
        "gemeente_new_year": "het jaar waarmee de gemeentekaart wordt vergeleken",
        "year": "het referentiejaar per provincie (Eurostat, 25-64 jaar)",
        "new_year": "het jaar waarmee de provincies worden vergeleken",
    }
    valid = {"gemeente_year": gemeente, "gemeente_new_year": gemeente, "year": provinces,
             "new_year": provinces}  # fmt: skip
    return recompute_block("hoogopgeleiden", used, about, valid, "gemeente_new_year=2020")
