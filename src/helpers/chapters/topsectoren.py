"""Chapter 'Topsectoren': where research collaborates, as maps and networks between places.

Open substitute for the restricted RVO data: Horizon 2020 participations of Dutch
organisations (CORDIS), placed in CBS gemeenten (2016) by their address in the FP7
organisation register, grouped into themes close to the topsectors
(``data/topsectors/themes.csv``). An analyst with the RVO data supplies it in the documented
schema (:func:`load_rvo`); the same functions then draw the maps and networks.

Network: nodes are gemeenten; two gemeenten are linked once per project in which both have a
participant (a project with n distinct Dutch places gives n(n-1)/2 links; a place is never
linked to itself); the weight of a link is its number of projects.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import config, nl, userfiles

PLACE_YEAR = nl.PLACE_YEAR  # gemeente boundaries and names places are matched to


def themes() -> pd.DataFrame:
    return pd.read_csv(config.data_file("topsectors", "themes.csv"), dtype=str)


def _participations() -> pd.DataFrame:
    return pd.read_csv(
        config.data_file("processed", "topsectors", "h2020_nl_participations.csv.gz"),
        dtype={"pic": str, "postcode": str},
    )


def start_years(parts: pd.DataFrame | None = None) -> list[int]:
    """Start years of the Dutch H2020 projects in the data."""
    parts = _participations() if parts is None else parts
    return sorted(int(y) for y in parts["start_year"].dropna().unique())


def h2020(start_year: int, end_year: int) -> pd.DataFrame:
    """Dutch H2020 participations starting in [start_year, end_year], one row per
    participation and theme, with gemeente code (NA when the place is unknown)."""
    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    parts = _participations()
    years = start_years(parts)
    if not any(start_year <= y <= end_year for y in years):
        raise ValueError(
            f"No H2020 projects starting in {start_year}-{end_year}; start years: "
            f"{years[0]}-{years[-1]}"
        )
    parts = parts[parts["start_year"].between(start_year, end_year)].copy()
    parts["gemeente"] = nl.place_to_gemeente(parts["plaats"])
    programmes = pd.read_csv(
        config.data_file("processed", "topsectors", "h2020_programme_parts_nl.csv")
    )
    mapping = themes().set_index("programme_part")["thema"]
    programmes["thema"] = programmes["programme_part"].map(mapping).fillna("Overig")
    per_project = programmes[["rcn", "thema"]].drop_duplicates()
    out = parts.merge(per_project, on="rcn", how="left")
    out["thema"] = out["thema"].fillna("Overig")
    out = out.rename(columns={"rcn": "project", "contribution": "bedrag"})
    out["project"] = out["project"].astype(str)
    return out.reset_index(drop=True)


@dataclass
class MatchRate:
    participations: float  # percent of participations placed in a gemeente
    amount: float  # percent of the amount (EC contribution)
    n: int
    unmatched_places: pd.Series  # place -> participations, most frequent first


def match_rate(data: pd.DataFrame) -> MatchRate:
    """Share of participations (and of the amount) that got a gemeente, counted once per
    participation (not per theme)."""
    once = data.drop_duplicates(subset=["project", "pic"]) if "pic" in data else data
    placed = once["gemeente"].notna()
    amount = once["bedrag"].fillna(0)
    total = amount.sum()
    unmatched = once.loc[~placed & once["plaats"].notna(), "plaats"].map(nl.clean_place)
    return MatchRate(
        participations=float(placed.mean() * 100),
        amount=float(amount[placed].sum() / total * 100) if total else float("nan"),
        n=len(once),
        unmatched_places=unmatched.value_counts(),
    )


def pairs(data: pd.DataFrame) -> pd.DataFrame:
    """Links between places: for each project, every pair of distinct places with a
    participant; columns ``a``, ``b`` (a < b) and ``projecten`` (weight)."""
    rows = []
    placed = data.dropna(subset=["gemeente"])
    for _, places in placed.groupby("project")["gemeente"]:
        unique = sorted(set(places))
        rows.extend(itertools.combinations(unique, 2))
    links = pd.DataFrame(rows, columns=["a", "b"])
    if links.empty:
        return pd.DataFrame(columns=["a", "b", "projecten"])
    return (
        links.value_counts()
        .rename("projecten")
        .reset_index()
        .sort_values(["projecten", "a", "b"], ascending=[False, True, True], ignore_index=True)
    )


@dataclass
class Network:
    nodes: pd.DataFrame  # gemeente, naam, projecten, bedrag, degree, strength
    edges: pd.DataFrame  # a, b, projecten (all links, before any threshold)
    cross_province_share: float  # percent of link weight between different provinces
    n_projects: int


def network(data: pd.DataFrame) -> Network:
    """Places, links and measures of one theme."""
    placed = data.dropna(subset=["gemeente"])
    edges = pairs(placed)
    names = nl.boundaries("gemeente", PLACE_YEAR).set_index("code")["name"]
    nodes = placed.groupby("gemeente").agg(
        projecten=("project", "nunique"), bedrag=("bedrag", "sum")
    )
    degree = pd.concat([edges["a"], edges["b"]]).value_counts()
    strength = (
        pd.concat([edges.groupby("a")["projecten"].sum(), edges.groupby("b")["projecten"].sum()])
        .groupby(level=0)
        .sum()
    )
    nodes["degree"] = degree.reindex(nodes.index).fillna(0).astype(int)
    nodes["strength"] = strength.reindex(nodes.index).fillna(0).astype(int)
    nodes["naam"] = names.reindex(nodes.index)
    nodes = nodes.reset_index().sort_values(
        ["strength", "projecten"], ascending=False, ignore_index=True
    )
    province = nl.crosswalk().set_index("gemeente")["provincie"]
    if edges.empty:
        cross = float("nan")
    else:
        crossing = edges["a"].map(province) != edges["b"].map(province)
        cross = float(edges.loc[crossing, "projecten"].sum() / edges["projecten"].sum() * 100)
    return Network(nodes, edges, cross, int(placed["project"].nunique()))


# --- RVO user file --------------------------------------------------------------------------


def load_rvo(path: str | Path) -> pd.DataFrame:
    """A user-supplied RVO file (schema ``rvo`` in :mod:`helpers.userfiles`) in the shape of
    :func:`h2020`: project, gemeente, plaats, thema, start_year, bedrag."""
    data = userfiles.load_user_file(path, "rvo")
    gemeente = userfiles.gemeente_of(data)
    off_map = sorted(set(gemeente.dropna()) - set(nl.boundaries("gemeente", PLACE_YEAR)["code"]))
    if off_map:
        raise userfiles.UserFileError(
            f"{Path(data.attrs['path']).name}: unknown gemeente code(s) {off_map[:10]} "
            f"on the {PLACE_YEAR} map"
        )
    return pd.DataFrame(
        {
            "project": data["project"].astype(str),
            "gemeente": gemeente,
            "plaats": data["plaats"] if "plaats" in data else pd.NA,
            "thema": data["topsector"].str.strip(),
            "start_year": data["jaar"],
            "bedrag": data["bedrag"].astype(float),
        }
    )


# --- figures per theme ----------------------------------------------------------------------


@dataclass
class ThemeSection:
    figures: list  # BookItems and folium maps, in display order
    measures: dict[str, str]  # formatted numbers for the narrative
    net: Network


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
    from helpers.figures import book_figure
    from helpers.formatting import fmt_number, fmt_percent, join_dutch
    from helpers.maps import choropleth, network_map

    rows = data[data["thema"] == theme]
    net = network(rows)
    regions = nl.boundaries("gemeente", PLACE_YEAR)
    provinces = nl.boundaries("provincie", PLACE_YEAR)
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
