"""Chapter 'Nederlandse regio's in Europa': Regional Innovation Scoreboard (RIS) logic.

The RIS database gives a Summary Innovation Index per region and year, indexed to the EU in
the first year of the edition (RIS 2023: EU 2016 = 100). The scoreboard compares a region
with the EU *in the same year*; performance groups follow from that relative score with the
thresholds of the edition's method (:data:`GROUP_THRESHOLDS`).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from helpers import config
from helpers.data import checks
from helpers.data.checks import UnknownParameterError
from helpers.geography.nl import JoinReport

# Performance-group thresholds (relative to the EU in the same year, EU = 100), per edition.
# RIS 2023 method: Leader > 125, Strong 100-125, Moderate 70-100, Emerging < 70. The RIS 2023
# database repeats its 2023 group on every year; recomputing it for 2023 reproduces it (tested).
# RIS performance groups (RIS 2023 names) with Dutch labels, ordered best to worst.
PERFORMANCE_GROUPS: dict[str, str] = {
    "Leader": "Innovatieleider",
    "Strong": "Sterke innovator",
    "Moderate": "Gemiddelde innovator",
    "Emerging": "Opkomende innovator",
}

GROUP_THRESHOLDS: dict[int, list[tuple[float, str]]] = {
    2023: [(125.0, "Leader"), (100.0, "Strong"), (70.0, "Moderate"), (0.0, "Emerging")],
}


def available_editions() -> list[int]:
    """RIS editions with a processed summary table in ``data/processed/ris``."""
    files = config.data_glob("processed/ris", "ris*_summary.csv")
    return sorted(int(p.name[3:7]) for p in files)


def load_summary(edition: int = 2023) -> pd.DataFrame:
    """Summary Innovation Index per region and year for an RIS edition."""
    editions = available_editions()
    if edition not in editions:
        raise UnknownParameterError(
            f"RIS edition {edition} is not available; available editions: "
            f"{', '.join(map(str, editions))}"
        )
    path = config.data_file("processed", "ris", f"ris{edition}_summary.csv")
    summary = pd.read_csv(
        path, dtype={"nuts_level": "Int64"}, keep_default_na=False, na_values=[""]
    )
    summary.attrs["edition"] = edition
    return summary


def available_years(summary: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in summary["year"].unique())


def index_base_year(summary: pd.DataFrame) -> int:
    """The year in which the edition's index is fixed at EU = 100 (RIS 2023: 2016)."""
    eu = summary[summary["region"] == "EU"]
    base = eu.loc[eu["index"].round(2) == 100, "year"]
    if len(base) != 1:
        raise ValueError(f"RIS {summary.attrs.get('edition', '?')}: no single year with EU = 100")
    return int(base.iloc[0])


def check_year(summary: pd.DataFrame, year: int) -> int:
    """``year`` as int if the edition covers it; otherwise an error listing the years."""
    edition = summary.attrs.get("edition", "?")
    return checks.check_year(year, available_years(summary), f"the RIS {edition} database")


def performance_group(relative: float, edition: int = 2023) -> str:
    """RIS performance group (English RIS name) for a score relative to the EU (EU = 100)."""
    for threshold, group in GROUP_THRESHOLDS[edition]:
        if relative > threshold or threshold == 0.0:
            return group
    raise AssertionError("unreachable")


def scores_for_year(summary: pd.DataFrame, year: int) -> pd.DataFrame:
    """All regions in ``year`` with the index, the score relative to the EU in that year,
    and the performance group (RIS name and Dutch label) recomputed for that year."""
    year = check_year(summary, year)
    edition = summary.attrs.get("edition", 2023)
    rows = summary[summary["year"] == year]
    eu_index = float(rows.loc[rows["region"] == "EU", "index"].iloc[0])
    regions = rows[rows["region"] != "EU"].copy()
    regions["score_eu"] = regions["index"] / eu_index * 100
    regions["group"] = regions["score_eu"].map(lambda v: performance_group(v, edition))
    regions["group_nl"] = regions["group"].map(PERFORMANCE_GROUPS)
    regions.attrs.update(eu_index=eu_index, year=year, edition=edition)
    return regions.reset_index(drop=True)


PROVINCE_NAMES = {
    "NL11": "Groningen", "NL12": "Friesland", "NL13": "Drenthe", "NL21": "Overijssel",
    "NL22": "Gelderland", "NL23": "Flevoland", "NL31": "Utrecht", "NL32": "Noord-Holland",
    "NL33": "Zuid-Holland", "NL34": "Zeeland", "NL41": "Noord-Brabant", "NL42": "Limburg",
}  # fmt: skip


def province_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The 12 Dutch provinces, best first: index, score vs EU, score vs the provincial mean
    (the RIS database has no value for the Netherlands as a whole), performance group."""
    nl = scores[scores["country"] == "NL"].copy()
    assert len(nl) == 12, f"expected 12 Dutch provinces, found {len(nl)}"
    nl["provincie"] = nl["region"].map(PROVINCE_NAMES)
    nl["score_nl_gem"] = nl["score_eu"] / nl["score_eu"].mean() * 100
    nl = nl.sort_values("score_eu", ascending=False, kind="stable").reset_index(drop=True)
    nl.attrs.update(scores.attrs)
    return nl[["provincie", "region", "index", "score_eu", "score_nl_gem", "group", "group_nl"]]


def published_table() -> pd.DataFrame:
    """Table 1 of the publication as printed (RIS 2017), see ``data/published/README.md``."""
    path = config.data_file("published", "ris2017_tabel1.csv")
    table = pd.read_csv(path, keep_default_na=False, dtype={"subgroep": str})
    assert len(table) == 12 and table["nuts_code"].is_unique
    return table


def published_method() -> pd.DataFrame:
    """The RIS 2017 method as published (indicators, thresholds), by ``kenmerk``."""
    path = config.data_file("published", "ris2017_methode.csv")
    return pd.read_csv(path, dtype=str).set_index("kenmerk")


def regions_with_geometry(scores: pd.DataFrame) -> tuple[gpd.GeoDataFrame, JoinReport]:
    """Join each RIS region (mixed NUTS levels 0-2) to its NUTS 2021 geometry."""
    geo = gpd.read_file(config.data_file("processed", "geo", "nuts2021_l0-2.geojson"))
    merged = scores.merge(geo[["code", "geometry"]], left_on="region", right_on="code", how="left")
    missing = merged["geometry"].isna()
    report = JoinReport(
        joined=sorted(merged.loc[~missing, "region"]),
        unjoined=sorted(merged.loc[missing, "region"]),
    )
    gdf = gpd.GeoDataFrame(merged[~missing].drop(columns="code"), geometry="geometry", crs=4326)
    return gdf, report


def regional_indicator_count(edition: int = 2023) -> int:
    """How many indicators the RIS database labels as regional ('(Regional)')."""
    path = config.data_file("processed", "ris", f"ris{edition}_indicators.csv.gz")
    indicators = pd.read_csv(path, usecols=["indicator"])["indicator"].unique()
    return sum("(Regional)" in name for name in indicators)
