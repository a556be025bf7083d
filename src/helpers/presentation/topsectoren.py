"""Figures of the chapter 'Topsectoren': one theme's place map and collaboration network,
numbered and captioned (:func:`theme_section`), and the measures the narrative glues, written
the Dutch way."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.chapters import topsectoren
from helpers.geography import nl
from helpers.presentation import narrative
from helpers.presentation.figures import book_table
from helpers.presentation.formatting import (
    fmt_number,
    fmt_percent,
    join_dutch,
    join_with_values,
    number_word,
)
from helpers.presentation.maps import choropleth, map_figure, network_map
from helpers.presentation.narrative import Note, Paragraph, apostrophes, recompute_block
from helpers.presentation.then_now import between


def theme_values(theme: topsectoren.Theme) -> dict[str, str]:
    """The measures of one theme as the narrative writes them, each on a stated base.

    All participations (placed in a gemeente or not): ``projects_all``, ``participations``,
    ``amount`` (million euro). The placed ones (what maps and networks show):
    ``participations_placed`` and ``placed_share`` (percent of the participations),
    ``amount_placed`` and ``amount_placed_share`` (percent of the amount), ``projects``
    (projects with a placed participant). ``top_place`` with ``top_place_share`` (percent of
    the placed amount) and ``top_place_share_all`` (percent of the amount of all
    participations). Network: ``places``, ``links``, ``links_shown``, ``collaborations``
    (summed link weight), ``hubs`` (three strongest places with the collaborations they take
    part in), ``cross`` (percent of the collaborations across province borders). Also
    ``name`` and ``topsector``; ``"–"`` where a theme has no places."""
    net = theme.net
    top = theme.top_places(1)
    hubs = net.nodes.head(3)
    placed = len(top) > 0
    return {
        "name": theme.name,
        "topsector": theme.nearest_topsector,
        "projects_all": fmt_number(theme.n_projects),
        "participations": fmt_number(theme.n_participations),
        "amount": fmt_number(theme.amount / 1e6, 1),
        "participations_placed": fmt_number(theme.n_placed),
        "placed_share": fmt_percent(theme.placed_share, 0),
        "amount_placed": fmt_number(theme.placed_amount / 1e6, 1),
        "amount_placed_share": fmt_percent(theme.placed_amount_share, 0),
        "projects": fmt_number(net.n_projects),
        "places": fmt_number(len(net.nodes)),
        "links": fmt_number(len(net.edges)),
        "links_shown": fmt_number(theme.links_shown),
        "collaborations": fmt_number(theme.collaborations),
        "hubs": join_with_values(zip(hubs["naam"], hubs["strength"], strict=True)),
        "cross": fmt_percent(net.cross_province_share, 0),
        "top_place": str(top.iloc[0]["naam"]) if placed else "–",
        "top_place_share": fmt_percent(theme.top_place_share, 0) if placed else "–",
        "top_place_share_all": fmt_percent(theme.top_place_share_all, 0) if placed else "–",
    }


def theme_section(found: topsectoren.ChapterData, theme: topsectoren.Theme) -> None:
    """Show the figures of one theme: the amount per gemeente (a numbered map and its
    interactive version) and the collaboration network between places (idem; links with
    fewer than ``theme.min_edge_weight`` joint projects are left out). Figure names are
    ``thema-<slot>-plaatsen`` and ``thema-<slot>-netwerk``; sources and status from
    ``found``. Displays the figures; returns nothing."""
    net = theme.net
    regions = nl.boundaries("gemeente", topsectoren.PLACE_YEAR)
    provinces = nl.boundaries("provincie", topsectoren.PLACE_YEAR)
    amount_label = found.amount_label
    per_place = theme.places.assign(
        mln_txt=lambda d: d["mln"].map(lambda v: fmt_number(v, 1)),
        proj_txt=net.nodes["projecten"].map(fmt_number),
    )
    gdf, _ = nl.join_to_boundaries(per_place.drop(columns=["naam"]), regions, code="gemeente")
    short = found.source.split(";")[0].split(" (")[0]
    on_map = {"source": short, "status": found.status_key}
    place_map = choropleth(
        gdf, "mln", scheme="quantiles", k=5,
        tooltip={"mln_txt": amount_label, "proj_txt": "Projecten"},
        legend_title=amount_label, missing_label="Geen deelname", projection=28992,
        figsize=(7, 8), **on_map,
    )  # fmt: skip
    net_map = network_map(
        net.nodes, net.edges, regions, provinces, min_weight=theme.min_edge_weight, **on_map,
    )  # fmt: skip
    name, period = f"thema-{theme.slot}", found.period
    top_places = join_dutch(theme.top_places(3)["naam"].astype(str).tolist())
    hubs = join_dutch(net.nodes.head(3)["naam"].astype(str).tolist())
    naam = net.nodes.set_index("gemeente")["naam"]
    common = {"chapter": "topsectoren", "source": found.source, "status": found.status_key}
    map_figure(
        place_map, name=f"{name}-plaatsen",
        caption=f"{theme.name}: {amount_label.split(' (')[0]} per gemeente, projecten gestart {period}",
        alt=f"Kaart van de gemeenten naar {amount_label} in het thema {theme.name}; het meest in "
            f"{top_places}.",
        data=per_place, **common,
    )  # fmt: skip
    map_figure(
        net_map, name=f"{name}-netwerk",
        caption=f"{theme.name}: samenwerking tussen plaatsen (minstens {theme.min_edge_weight} gezamenlijke projecten), {period}",
        alt=f"Netwerkkaart van Nederland: lijnen tussen plaatsen die samen in projecten zitten "
            f"(thema {theme.name}); de sterkste knooppunten zijn {hubs}.",
        data=net_map.edges.assign(
            naam_a=net_map.edges["a"].map(naam), naam_b=net_map.edges["b"].map(naam)
        ),
        **common,
    )  # fmt: skip


def unmatched_text(match: topsectoren.MatchRate, n: int = 5) -> str:
    """The ``n`` most frequent places without a gemeente with their participations
    (``Delft (3) en Leiden (2)``), or ``geen``."""
    places = match.unmatched_places.head(n)
    return join_dutch([f"{p.title()} ({k})" for p, k in places.items()]) or "geen"


def unplaced_text(match: topsectoren.MatchRate) -> str:
    """Why participations got no gemeente, in sentences: how many have no address in the
    sources at all, and which place names were not recognised (the most frequent five,
    :func:`unmatched_text`), or that every place name found its gemeente."""
    if not match.unplaced:
        return "Elke deelname kreeg een gemeente."
    named = int(match.unmatched_places.sum())
    text = (
        f"Van de {fmt_number(match.unplaced)} deelnames zonder gemeente hebben er "
        f"{fmt_number(match.without_place)} geen adres in het FP7-register of in Horizon Europe"
    )
    if not named:
        return text + "; elke plaatsnaam die er wel is, kreeg een gemeente."
    return (
        text + f"; bij de overige {fmt_number(named)} is de plaatsnaam niet herkend of ligt de "
        "plaats in een gemeente die later over meer gemeenten is verdeeld. De vaakst "
        f"voorkomende zijn {unmatched_text(match)}."
    )


def match_periods_text(found: topsectoren.ChapterData) -> str:
    """The share placed in a gemeente per programme and its start years, e.g. ``Horizon 2020
    (projecten gestart 2014-2020): 84% van de deelnames, 90% van de EU-bijdrage``, joined;
    for data without programmes (an RVO file) the overall share."""
    rates = found.match_by_programme or {"alle deelnames": (found.period, found.match)}
    return join_dutch(
        [
            f"{label} (projecten gestart {years}): {fmt_percent(rate.participations, 0)} van de "
            f"deelnames, {fmt_percent(rate.amount, 0)} van het bedrag"
            for label, (years, rate) in rates.items()
        ]
    )


def file_note(found: topsectoren.ChapterData) -> Note:
    """The note on the user's RVO file beside the section on placing: every code or place of
    the file that got no gemeente (named, with its rows and why) and how the file was read;
    shows nothing for the open data or a file placed in full."""
    items = [
        f"Niet geplaatst in een gemeente van {topsectoren.PLACE_YEAR}: {u.text()}"
        for u in found.unplaced
    ]
    return narrative.file_note([*items, *found.notes])


def appendix(found: topsectoren.ChapterData, table: pd.DataFrame) -> list[object]:
    """What the appendix shows: a paragraph and the table of the themes without maps
    (:func:`helpers.chapters.topsectoren.overview` as ``table``), or, when every theme of the
    data has its maps above (an RVO file with just the four topsectors), one sentence saying
    there are no other themes (an empty table is never drawn). Items to display in order."""
    if table.empty:
        return [
            Paragraph(
                f"De gegevens ({found.period}) hebben geen andere thema's dan de vier hierboven: "
                "er zijn geen overige thema's om samen te vatten."
            )
        ]
    n = len(table)
    what = "Het overige thema staat" if n == 1 else f"De {number_word(n)} overige thema's staan"
    paragraph = (
        f"{what} samengevat in {{numref}}`tab-topsectoren-overige-themas`, met het aantal "
        "projecten, plaatsen en verbindingen en de sterkste knooppunten."
    )
    shown = book_table(
        overview_table(table), chapter="topsectoren", name="overige-themas",
        caption=f"Overige thema's: projecten, plaatsen en samenwerking, {found.period}",
        source=found.source, data=table, align="lrrrlr", status=found.status_key,
    )  # fmt: skip
    return [Paragraph(paragraph), shown]


def overview_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.chapters.topsectoren.overview` as the book shows it: Dutch headers,
    numbers and percentages formatted, the strongest places joined."""
    return pd.DataFrame(
        {
            "Thema": table["thema"],
            "Projecten": table["projecten"].map(fmt_number),
            "Plaatsen": table["plaatsen"].map(fmt_number),
            "Verbindingen": table["verbindingen"].map(fmt_number),
            "Sterkste knooppunten": table["knooppunten"].map(join_dutch).map(apostrophes),
            "Over provinciegrens": table["grensoverschrijdend_pct"].map(
                lambda v: fmt_percent(v, 0)
            ),
        }
    )


def comparison_values(comparison: topsectoren.Comparison) -> dict[str, str]:
    """The comparison of the themes as the narrative writes it: ``most_cross`` and
    ``least_cross`` (theme and percent of collaborations across province borders),
    ``central`` (the theme whose strongest place takes part in the largest share of its
    collaborations: ``Voedsel en bio-economie, waar Wageningen aan 91 van de 160
    samenwerkingen deelneemt (57%)``), ``hubs`` (each theme's strongest place) and
    ``hubs_pattern`` (a sentence: whether the strongest places differ per theme, as the
    data say) and ``links_text`` (the sentences on the most central theme and on
    collaboration across province borders). Without any collaboration in any theme the
    measures are ``–``, ``hubs_pattern`` says there is no network and ``links_text`` is
    empty."""
    share = "grensoverschrijdend_pct"
    most, least, central = comparison.most_cross, comparison.least_cross, comparison.most_central
    table = comparison.table
    shared = comparison.shared_hubs
    if shared:
        pattern = (
            "Niet elk thema heeft een eigen zwaartepunt: "
            + join_dutch(
                [
                    f"{hub} is het sterkste knooppunt van {join_dutch(names)}"
                    for hub, names in shared.items()
                ]
            )
            + "."
        )
    else:
        pattern = (
            "Net als in de uitgave van 2018 bij de topsectoren ligt het zwaartepunt dus telkens "
            "ergens anders."
        )
    hubs = join_dutch([f"{h} ({t})" for h, t in zip(table["top_hub"], table["thema"], strict=True)])
    if most is None or least is None or central is None:  # no theme has a collaboration
        return {
            "most_cross": "–",
            "least_cross": "–",
            "central": "–",
            "hubs": hubs,
            "hubs_pattern": (
                "Geen van de thema's heeft samenwerking tussen plaatsen: geen project heeft "
                "deelnemers in twee of meer plaatsen, dus er is geen netwerk om te vergelijken."
            ),
            "links_text": "",
        }
    values = {
        "most_cross": f"{most['thema']} ({fmt_percent(most[share], 0)})",
        "least_cross": f"{least['thema']} ({fmt_percent(least[share], 0)})",
        "central": f"{central['thema']}, waar {central['top_hub']} aan "
        f"{fmt_number(central['top_hub_samenwerkingen'])} van de "
        f"{fmt_number(central['samenwerkingen'])} samenwerkingen deelneemt "
        f"({fmt_percent(central['top_hub_aandeel_pct'], 0)})",
        "hubs": hubs,
        "hubs_pattern": pattern,
    }
    values["links_text"] = (
        f"Het sterkst op één plaats gericht is {values['central']}. Samenwerking over "
        "provinciegrenzen (als aandeel van de samenwerkingen) is het meest gewoon in "
        f"{values['most_cross']} en het minst in {values['least_cross']}."
    )
    return values


def _share(value: float) -> str:
    return fmt_percent(value, 0) if value == value else "–"


def _top_place(row: pd.Series, period_ref: str, period_new: str) -> str:
    """One theme's leading place (most placed money) in the newest period against the
    reference period: ``'Hightech en materialen: Eindhoven blijft voorop (21% tegen 18%)'``."""
    new, old = row["top_new"], row["top_ref"]
    if new == "–":
        return f"{row['thema']}: geen geplaatste deelnames in {period_new}"
    if new == old:
        return (
            f"{row['thema']}: {new} blijft voorop ({_share(row['top_new_pct'])} tegen "
            f"{_share(row['top_ref_pct'])})"
        )
    before = (
        f", waar {period_ref} {old} voorop lag ({_share(row['top_ref_pct'])})" if old != "–" else ""
    )
    return f"{row['thema']}: {new} ({_share(row['top_new_pct'])}){before}"


def newest_text(
    reference: topsectoren.ChapterData,
    newest: topsectoren.ChapterData | None,
    years: tuple[tuple[int, int], tuple[int, int]],
    table: pd.DataFrame | None,
) -> str:
    """What moved from the reference period to the newest (``years``: (start, end) of the
    reference and of the newest period; ``table``: :func:`helpers.chapters.topsectoren.period_comparison`,
    None when there is nothing to compare): participations per start year, the share placed
    in a gemeente in the newest period (per programme) and each theme's leading place. Reads
    naturally when the periods are the same, overlap, the newest lies before the reference or
    has no projects."""
    (ref_start, ref_end), (new_start, new_end) = years
    ref_words, new_words = between(ref_start, ref_end), between(new_start, new_end)
    if (ref_start, ref_end) == (new_start, new_end):
        return (
            "De vergelijkingsperiode is hier gelijk aan de referentieperiode "
            f"({reference.period}): er is geen verandering te tonen."
        )
    source = "het aangeleverde bestand" if reference.supplied else "CORDIS"
    if newest is None or table is None:
        return (
            f"Voor projecten die {new_words} startten, heeft {source} geen Nederlandse deelnames."
        )
    parts = []
    if new_end < ref_start:
        parts.append(
            f"De vergelijkingsperiode ({newest.period}) ligt hier vóór de referentieperiode "
            f"({reference.period})."
        )
    overlap = (max(ref_start, new_start), min(ref_end, new_end))
    if overlap[0] <= overlap[1]:
        parts.append(
            f"De twee perioden overlappen: projecten die {between(*overlap)} startten, tellen in "
            "beide."
        )
    programmes = join_dutch(list(newest.match_by_programme)) or "het aangeleverde bestand"
    per_year_new = newest.match.n / (new_end - new_start + 1)
    per_year_ref = reference.match.n / (ref_end - ref_start + 1)
    parts.append(
        f"In projecten die {new_words} startten ({programmes}), namen Nederlandse organisaties "
        f"{fmt_number(newest.match.n)} keer deel aan {fmt_number(newest.n_projects)} projecten: "
        f"gemiddeld {fmt_number(per_year_new)} deelnames per startjaar, tegen "
        f"{fmt_number(per_year_ref)} bij de projecten die {ref_words} startten."
    )
    rates = newest.match_by_programme
    placed = (
        f"Bij {fmt_percent(newest.match.participations, 0)} van die deelnames, goed voor "
        f"{fmt_percent(newest.match.amount, 0)} van het bedrag, is de gemeente bekend"
    )
    parts.append(
        placed + (f"; per programma: {match_periods_text(newest)}." if len(rates) > 1 else ".")
    )
    leaders = [_top_place(row, ref_words, new_words) for _, row in table.iterrows()]
    parts.append(
        "De plaats met het meeste geplaatste geld per thema, met haar aandeel in dat geld: "
        + "; ".join(leaders)
        + "."
    )
    return " ".join(parts)


def newest_table(table: pd.DataFrame, periods: tuple[str, str]) -> pd.DataFrame:
    """:func:`helpers.chapters.topsectoren.period_comparison` as the book shows it: per theme
    the participations and the place with the most placed money (its share) in the reference
    and the newest period (``periods``: their labels, ``'2014-2020'``)."""
    ref, new = periods

    def leader(suffix: str) -> pd.Series:
        return pd.Series(
            [
                "–" if place == "–" else f"{apostrophes(place)} ({_share(pct)})"
                for place, pct in zip(
                    table[f"top_{suffix}"], table[f"top_{suffix}_pct"], strict=True
                )
            ],
            index=table.index,
        )

    return pd.DataFrame(
        {
            "Thema": table["thema"],
            f"Deelnames {ref}": table["deelnames_ref"].map(fmt_number),
            f"Deelnames {new}": table["deelnames_new"].map(fmt_number),
            f"Meeste geld {ref}": leader("ref"),
            f"Meeste geld {new}": leader("new"),
        }
    )


def newest_items(
    found: topsectoren.ChapterData,
    newest: topsectoren.ChapterData | None,
    table: pd.DataFrame | None,
) -> list[object]:
    """What the "Toen en nu" section shows below its text: the numbered table of
    :func:`newest_table` (reference period ``found`` against ``newest``, with the
    comparison's CSV), or nothing when there is no comparison (``table`` None: the same
    period, or no projects in it). Items to display in order."""
    if newest is None or table is None:
        return []
    return [
        book_table(
            newest_table(table, (found.period, newest.period)),
            chapter="topsectoren",
            name="nieuwste-periode",
            align="lrrll",
            caption=f"De vier thema's, projecten gestart {found.period} en {newest.period}: "
            "deelnames en de plaats met het meeste geplaatste geld",
            source=found.source,
            data=table,
            status=found.status_key,
            columns=NEWEST_COLUMNS,
        )  # fmt: skip
    ]


#: What the columns of the comparison's CSV mean.
NEWEST_COLUMNS = {
    "deelnames_ref": "deelnames in de referentieperiode (aantal)",
    "deelnames_new": "deelnames in de vergelijkingsperiode (aantal)",
    "bedrag_ref": "EU-bijdrage of bedrag van alle deelnames in de referentieperiode (euro)",
    "bedrag_new": "EU-bijdrage of bedrag van alle deelnames in de vergelijkingsperiode (euro)",
    "top_ref": "plaats met het meeste geplaatste geld in de referentieperiode",
    "top_new": "plaats met het meeste geplaatste geld in de vergelijkingsperiode",
    "top_ref_pct": "aandeel van die plaats in het geplaatste geld van het thema (%)",
    "top_new_pct": "aandeel van die plaats in het geplaatste geld van het thema (%)",
}


def recompute_note(used: Mapping[str, object]) -> Note:
    """The chapter's "Zelf opnieuw uitrekenen" block
    (:func:`helpers.presentation.narrative.recompute_block`) with the values ``used`` here."""
    starts = topsectoren.start_years()
    themes = topsectoren.themes()["thema"].drop_duplicates().sort_values().tolist()
    about = {
        "themes": "de vier thema's met kaarten (met `rvo_file`: vier topsectoren uit dat bestand)",
        "start_year": "het eerste startjaar van de projecten",
        "end_year": "het laatste startjaar van de projecten",
        "new_start_year": "het eerste startjaar van de vergelijkingsperiode (standaard de "
        "nieuwste: Horizon Europe)",
        "new_end_year": "het laatste startjaar van de vergelijkingsperiode",
        "min_edge_weight": "het minste aantal gezamenlijke projecten voor een lijn op de "
        "netwerkkaart",
        "rvo_file": "de niet-openbare RVO-gegevens als bestand (kolommen `project`, `gemeente` "
        "of `plaats`, `topsector`, `jaar`, `bedrag`); het hoofdstuk toont dan de topsectoren zelf",
    }
    valid = {
        "themes": ", ".join(themes),
        "start_year": f"{starts[0]}-{topsectoren.LAST_YEAR}",
        "end_year": f"{starts[0]}-{topsectoren.LAST_YEAR}, niet vóór `start_year`",
        "new_start_year": f"{starts[0]}-{topsectoren.LAST_YEAR}",
        "new_end_year": f"{starts[0]}-{topsectoren.LAST_YEAR}, niet vóór `new_start_year`",
        "min_edge_weight": "1 of meer",
        "rvo_file": "een CSV- of Excel-bestand",
    }
    return recompute_block(
        "topsectoren", used, about, valid, "start_year=2021 topsectoren.end_year=2024"
    )
