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

from helpers import config
from helpers.geography import nl, userfiles

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
    """A user-supplied RVO file (schema ``rvo`` in :mod:`helpers.geography.userfiles`) in the shape of
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
