"""Figures of the chapter 'Topsectoren': one theme's place map and collaboration network,
numbered and captioned, with the measures the narrative glues."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.chapters import topsectoren
from helpers.geography import nl
from helpers.presentation.figures import book_figure
from helpers.presentation.formatting import fmt_number, fmt_percent, join_dutch
from helpers.presentation.maps import choropleth, network_map


@dataclass
class ThemeSection:
    figures: list  # BookItems and folium maps, in display order
    measures: dict[str, str]  # formatted numbers for the narrative
    net: topsectoren.Network


def theme_section(
    data: pd.DataFrame,
    theme: str,
    *,
    slot: str,
    min_edge_weight: int,
    period: str,
    source: str,
    status: str,
    amount_label: str = "EU-bijdrage (mln euro)",
) -> ThemeSection:
    """Place map (amount per gemeente) and network map of one theme, with its measures."""
    rows = data[data["thema"] == theme]
    net = topsectoren.network(rows)
    regions = nl.boundaries("gemeente", topsectoren.PLACE_YEAR)
    provinces = nl.boundaries("provincie", topsectoren.PLACE_YEAR)
    per_place = net.nodes.assign(
        mln=net.nodes["bedrag"] / 1e6,
        mln_txt=lambda d: d["mln"].map(lambda v: fmt_number(v, 1)),
        proj_txt=net.nodes["projecten"].map(fmt_number),
    )
    gdf, _ = nl.join_to_boundaries(per_place.drop(columns=["naam"]), regions, code="gemeente")
    on_map = {"source": source.split(";")[0].split(" (")[0], "status": status}  # short source
    place_map = choropleth(
        gdf, "mln", scheme="quantiles", k=5,
        tooltip={"mln_txt": amount_label, "proj_txt": "Projecten"},
        legend_title=amount_label, missing_label="Geen deelname", projection=28992,
        figsize=(7, 8), **on_map,
    )  # fmt: skip
    hubs = net.nodes.head(3)
    net_map = network_map(
        net.nodes, net.edges, regions, provinces, min_weight=min_edge_weight, **on_map,
    )  # fmt: skip
    name = f"thema-{slot}"
    top_place = per_place.sort_values("mln", ascending=False).head(3)
    common = {"chapter": "topsectoren", "source": source, "status": status}
    figures = [
        book_figure(
            place_map.static, name=f"{name}-plaatsen",
            caption=f"{theme}: {amount_label.split(' (')[0]} per gemeente, projecten gestart {period}",
            alt=f"Kaart van de gemeenten naar {amount_label} in het thema {theme}; het meest in "
                f"{join_dutch(top_place['naam'].astype(str).tolist())}.",
            data=per_place, **common,
        ),
        place_map.interactive,
        book_figure(
            net_map.static, name=f"{name}-netwerk",
            caption=f"{theme}: samenwerking tussen plaatsen (minstens {min_edge_weight} gezamenlijke projecten), {period}",
            alt=f"Netwerkkaart van Nederland: lijnen tussen plaatsen die samen in projecten zitten "
                f"(thema {theme}); de sterkste knooppunten zijn {join_dutch(hubs['naam'].astype(str).tolist())}.",
            data=net_map.edges.assign(
                naam_a=net_map.edges["a"].map(net.nodes.set_index("gemeente")["naam"]),
                naam_b=net_map.edges["b"].map(net.nodes.set_index("gemeente")["naam"]),
            ),
            **common,
        ),
        net_map.interactive,
    ]  # fmt: skip
    measures = {
        "name": theme,
        "projects": fmt_number(net.n_projects),
        "places": fmt_number(len(net.nodes)),
        "links": fmt_number(len(net.edges)),
        "links_shown": fmt_number(len(net_map.edges)),
        "hubs": join_dutch(
            [f"{r.naam} ({fmt_number(r.strength)})" for r in hubs.itertuples(index=False)]
        ),
        "cross": fmt_percent(net.cross_province_share, 0),
        "amount": fmt_number(rows["bedrag"].sum() / 1e6, 1),
        "top_place": str(top_place.iloc[0]["naam"]) if len(top_place) else "–",
        "top_place_share": fmt_percent(
            top_place.iloc[0]["bedrag"] / max(per_place["bedrag"].sum(), 1) * 100, 0
        )
        if len(top_place)
        else "–",
    }
    return ThemeSection(figures=figures, measures=measures, net=net)
