"""Map, chart and tables of the chapter 'Nederlandse regio's in Europa', from the results of
:mod:`helpers.chapters.europa`."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd

from helpers.chapters import europa as chapter
from helpers.presentation import style
from helpers.presentation.charts import bar_chart
from helpers.presentation.figures import format_columns
from helpers.presentation.formatting import fmt_number, join_dutch
from helpers.presentation.maps import MapResult, choropleth
from helpers.presentation.narrative import Note, recompute_block

# The static map's frame in EPSG:3035 (xmin, ymin, xmax, ymax): mainland Europe to Cyprus.
EUROPE_BOUNDS = (2.45e6, 1.35e6, 6.55e6, 5.45e6)


def ris_map(
    regions: gpd.GeoDataFrame, *, year: int, edition: int, base_year: int, source: str
) -> MapResult:
    """Europe's regions coloured by performance group in ``year``, with code, group, score
    (EU = 100) and index in the tooltip. ``regions`` is
    :func:`helpers.chapters.europa.regions_with_geometry` of the year's scores."""
    data = regions.assign(
        name=regions["region_name"],
        index_txt=regions["index"].map(lambda v: fmt_number(v, 1)),
        score_eu_txt=regions["score_eu"].map(lambda v: fmt_number(v, 1)),
    )
    return choropleth(
        data,
        "group_nl",
        categories=style.PERFORMANCE_COLOURS,
        tooltip={
            "region": "Code",
            "group_nl": "Prestatiegroep",
            "score_eu_txt": f"Score t.o.v. EU {year} (EU = 100)",
            "index_txt": f"Index RIS {edition} (EU {base_year} = 100)",
        },
        legend_title=f"Prestatiegroep {year}",
        bounds=EUROPE_BOUNDS,
        source=source,
        status="latere editie",
    )


def published_table(published: pd.DataFrame) -> pd.DataFrame:
    """Table 1 of the publication (:func:`helpers.chapters.europa.published_table`) as the
    book shows it: both scores with one Dutch decimal (``125,0`` beside ``136,6``, where the
    publication printed ``125``) and the group with its '+'/'−' subgroup. The CSV download is
    ``published`` itself, with the unformatted numbers."""
    table = pd.DataFrame(
        {
            "Provincie": published["provincie"],
            "Score t.o.v. NL": published["score_nl"],
            "Score t.o.v. EU": published["score_eu"],
            "Prestatiegroep": (
                published["prestatiegroep"] + " " + published["subgroep"]
            ).str.strip(),
        }
    )
    return format_columns(table, {"Score t.o.v. NL": 1, "Score t.o.v. EU": 1})


def province_table(
    provinces: pd.DataFrame, *, year: int, edition: int, base_year: int
) -> pd.DataFrame:
    """The recomputed Table 1 (:func:`helpers.chapters.europa.province_table`) as the book
    shows it: index (two decimals), scores (one decimal), group; headers name the edition,
    its base year and the year."""
    return pd.DataFrame(
        {
            "Provincie": provinces["provincie"],
            f"Index RIS {edition} (EU {base_year} = 100)": provinces["index"].map(
                lambda v: fmt_number(v, 2)
            ),
            f"Score t.o.v. EU {year}": provinces["score_eu"].map(lambda v: fmt_number(v, 1)),
            "Score t.o.v. gemiddelde provincie": provinces["score_nl_gem"].map(
                lambda v: fmt_number(v, 1)
            ),
            "Prestatiegroep": provinces["group_nl"],
        }
    )


def method_chart(comparison: chapter.MethodComparison) -> plt.Figure:
    """Two bars per province: the published RIS 2017 score and the same year in the current
    database (EU = 100), with the EU line."""
    labels = {
        "gepubliceerd": "RIS 2017 (gepubliceerd)",
        "database": f"RIS {comparison.edition}, jaar {comparison.year}",
    }
    long = comparison.long()
    return bar_chart(
        long.assign(bron=long["bron"].map(labels)),
        value="score",
        category="provincie",
        hue="bron",
        reference=100,
        reference_label="EU = 100",
        xlabel="Score t.o.v. EU (EU = 100)",
    )


def wealth_table(wealth: chapter.WealthInnovation) -> pd.DataFrame:
    """The RIS score beside GDP per inhabitant in PPS
    (:func:`helpers.chapters.europa.wealth_and_innovation`) as the book shows it: score (one
    decimal), GDP per inhabitant (EU = 100) in the RIS year and in ``gdp_year``, both ranks."""
    table = wealth.table
    columns = {
        "Provincie": table["provincie"],
        f"RIS-score t.o.v. EU {wealth.year}": table["score_eu"].map(lambda v: fmt_number(v, 1)),
        f"Bbp per inwoner (KKS, EU = 100) {wealth.year}": table["pps_jaar"].map(fmt_number),
    }
    if wealth.gdp_year != wealth.year:
        header = f"Bbp per inwoner (KKS, EU = 100) {wealth.gdp_year}"
        columns[header] = table["pps_gdp_jaar"].map(fmt_number)
    columns["Rang RIS"] = table["rang_ris"]
    columns[f"Rang bbp {wealth.year}"] = table["rang_pps"]
    return pd.DataFrame(columns)


def wealth_text(wealth: chapter.WealthInnovation) -> str:
    """Which provinces are richer than innovative and which the reverse (rank gap of at
    least :data:`helpers.chapters.europa.RANK_GAP` places), or that none are."""
    gap = chapter.RANK_GAP
    parts = []
    if wealth.richer:
        parts.append(
            f"rijker dan innovatief (op bbp per inwoner minstens {gap} plaatsen hoger dan op "
            f"de RIS-score) is {join_dutch(wealth.richer)}"
        )
    if wealth.more_innovative:
        parts.append(
            f"innovatiever dan rijk (minstens {gap} plaatsen hoger op de RIS-score) is "
            f"{join_dutch(wealth.more_innovative)}"
        )
    if not parts:
        return f"Geen provincie staat op de twee ranglijsten {gap} of meer plaatsen uiteen."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def contradiction_text(
    comparison: chapter.MethodComparison,
    shifts: list[chapter.RankShift],
    top: tuple[str, str, float],
) -> str:
    """What the publication's year in the current database contradicts in the published
    Table 1: a level top (difference below half a point), provinces two or more places from
    their published rank, provinces in another group; or that it confirms the order."""
    first, second, diff = top
    sentences = []
    if diff < 0.5:
        sentences.append(
            f"In de RIS {comparison.edition}-database staan {first} en {second} in "
            f"{comparison.year} gelijk (verschil {fmt_number(diff, 1)} punt)"
        )
    if shifts:
        moves = join_dutch(
            [
                f"{s.provincie} op plaats {s.database_rank} (gepubliceerd: {s.published_rank})"
                for s in shifts
            ]
        )
        sentences.append(f"de volgorde wijkt af: {moves}")
    changed = comparison.table[comparison.table["group_nl"] != comparison.table["prestatiegroep"]]
    if len(changed):
        groups = join_dutch(
            [
                f"{r.provincie} is nu {r.group_nl.lower()} (gepubliceerd: {r.prestatiegroep.lower()})"
                for r in changed.itertuples()
            ]
        )
        sentences.append(groups)
    if not sentences:
        return "Op de volgorde en de groepen bevestigt de herberekening de publicatie."
    text = "; ".join(sentences)
    return (
        "Hier spreken de herberekende cijfers de publicatie tegen. "
        + text[0].upper()
        + text[1:]
        + "."
    )


def correlation_text(rho: float) -> str:
    """What a rank correlation between RIS score and GDP per inhabitant says, in words:
    0.7 or more strong, 0.4 or more moderate, below that weak or none."""
    if rho >= 0.7:
        return "rijke provincies zijn meestal ook innovatief"
    if rho >= 0.4:
        return "welvaart en innovatie hangen redelijk samen, met duidelijke uitzonderingen"
    return "welvaart en innovatie hangen nauwelijks samen"


def recompute_note(used: Mapping[str, object]) -> Note:
    """The chapter's "Zelf opnieuw uitrekenen" block
    (:func:`helpers.presentation.narrative.recompute_block`) with the values ``used`` here."""
    edition = int(used.get("edition", max(chapter.available_editions())))
    years = chapter.available_years(chapter.load_summary(edition))
    about = {
        "edition": "de editie (database) van het Regional Innovation Scoreboard",
        "year": "het jaar van de scores op de kaart en in de tabellen",
        "gdp_year": "het jaar van het bbp per inwoner (koopkrachtpariteit, EU = 100) naast de "
        "scores",
    }
    valid = {
        "edition": ", ".join(str(e) for e in chapter.available_editions()),
        "year": f"{min(years)}-{max(years)} in de editie {edition}",
        "gdp_year": f"{min(chapter.gdp_pps_years())}-{max(chapter.gdp_pps_years())}",
    }
    return recompute_block("europa", used, about, valid, "year=2021")
