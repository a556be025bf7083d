"""Dutch geography for every year 2014-2025: gemeente boundaries per year, the crosswalk
gemeente -> COROP -> provincie -> NUTS per year, the years in which COROP and provincie
regions changed composition, and the change table between consecutive years.

Load inputs: gemeente boundaries of 1 January 2014 (``nl_gemeente_2014_wgs84``), 2015
(``nl_gemeente_2015_kwb``), 2016 (``nl_gemeente_2016_wgs84``) and 2017-2023
(``nl_gemeente_<year>_wgs84``, CBS ``gemeente_gegeneraliseerd``); COROP and provincie
boundaries 2014-2016 (``nl_corop_<year>_wgs84``, ``nl_provincie_<year>_wgs84``); CBS
*Gebieden in Nederland* 2016 (``cbs_gebieden_2016``) and 2017-2025 (``cbs_gebieden_<year>``);
CBS 70739ned, begin and end dates of gemeenten (``cbs_70739ned``); the list of municipal
changes to 2017 (``cbs_gm_changes``); CBS 85525NED, population 15-75 per gemeente 2013-2023
(``cbs_85525ned``); NUTS 2021 levels 2 and 3 and NUTS 2024 (GISCO 1:20M).

Process:

* **Crosswalk per year** gemeente -> COROP -> provincie: 2017-2025 from the Gebieden files
  (columns chosen by content: the codes starting ``CR`` / ``PV``, as their positions differ by
  year); 2016 from 83287NED; 2014 and 2015 by the largest overlap of each gemeente with that
  year's COROP and provincie boundaries. Names: ``name`` as CBS names the gemeente that year
  (Gebieden ``Naam_2``; for 2014-2016 the boundary file), ``title`` the StatLine title (70739ned,
  the same as Gebieden ``RegioS``: ``Hengelo (O.)``, ``Utrecht (gemeente)``), which is what
  StatLine dumps carry instead of codes. NUTS 2021 and NUTS 2024 codes per COROP (NUTS 3) and
  provincie (NUTS 2) by the largest overlap with the GISCO regions.
* **Change table** between consecutive years: the two years' gemeenten overlaid in EPSG:28992;
  the intersection area as a share of the old gemeente's area. Pieces under
  :data:`SLIVER_SHARE` (2017-2023, one CBS generalisation series) or
  :data:`COARSE_SLIVER_SHARE` (pairs with the 2014-2016 boundaries, which come from three
  differently generalised files) are slivers of generalisation and dropped. A gemeente that
  goes whole to one gemeente has weight 1. A gemeente divided over several has weights
  estimated from population (see :func:`population_weights`), else area shares.
* **COROP and provincie composition**: it changes between two years when a piece of a
  gemeente lands in another COROP (provincie) than the one it was in (:data:`REGION_VERSIONS`,
  checked). No COROP or provincie files are added: in the years their composition was that of
  2016 the CBS/PDOK files of 2016 (step ``nl``) draw them, in other years
  :func:`helpers.geography.years.boundaries` dissolves the year's gemeenten (simplified with
  shared borders, so the union is clean; 0.05 s), which costs no storage. Each composition is
  also dissolved here from the raw gemeenten to check its NUTS codes.
* **Boundaries**: the gemeenten of 2014 and 2017-2023 simplified and quantised as the other
  Dutch boundaries (shared-border simplification, 0.0015 degrees, 4 decimals); 2017-2023 with
  the names of the Gebieden file of the year.

Save outputs: ``geo/nl_gemeente_<year>.geojson`` (2014, 2017-2023),
``nl/crosswalk_2014-2025.csv.gz``, ``nl/gemeente_change_table.csv.gz`` and
``nl/boundary_years.csv`` (which file draws which level in which year).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from helpers.data.checks import require
from helpers.data.codes import clean_codes
from helpers.data.processing import nl
from helpers.data.processing.nuts import simplify
from helpers.data.processing.outputs import write_csv, write_geojson
from helpers.data.registry import fetch

YEARS: tuple[int, ...] = tuple(range(2014, 2026))
# Years without boundaries of their own: the same 342 gemeenten as 2023 (checked against
# Gebieden in Nederland 2024 and 2025), so the 2023 geometry serves them.
GEOMETRY_YEAR: dict[int, int] = {2024: 2023, 2025: 2023}
EXPECTED_GEMEENTEN: dict[int, int] = {
    2014: 403, 2015: 393, 2016: 390, 2017: 388, 2018: 380, 2019: 355,
    2020: 355, 2021: 352, 2022: 345, 2023: 342, 2024: 342, 2025: 342,
}  # fmt: skip
# year -> (source id, code property, name property)
GEMEENTE_SOURCES: dict[int, tuple[str, str, str]] = {
    2014: ("nl_gemeente_2014_wgs84", "statcode", "statnaam"),
    2015: ("nl_gemeente_2015_kwb", "GM_CODE", "GM_NAAM"),
    2016: ("nl_gemeente_2016_wgs84", "statcode", "statnaam"),
    **{y: (f"nl_gemeente_{y}_wgs84", "statcode", "statnaam") for y in range(2017, 2024)},
}
GEBIEDEN_YEARS = tuple(range(2017, 2026))
EARLY_REGION_SOURCES = {
    (level, year): f"nl_{level}_{year}_wgs84"
    for level in ("corop", "provincie")
    for year in (2014, 2015, 2016)
}
NUTS_SOURCES = ["nuts2021_20m_l2", "nuts2021_20m_l3", "nuts2024_20m"]

# Slivers. Between two years of the CBS gemeente_gegeneraliseerd series (2017-2023) a piece of
# a continuing gemeente in a neighbour covers at most 0.9% of its area where nothing changed
# (measured); the smallest real piece is 1.6% (Best -> Eindhoven 2022), and 2% keeps every
# division (smallest part: Haaren -> Boxtel, 9%) and the 2018 correction Nissewaard ->
# Hellevoetsluis (11% of the area, about 1,000 inhabitants). The 2014 and 2016 files
# (mapshaper-simplified) and 2015 (Wijk- en buurtkaart) are generalised differently: there
# unchanged neighbours overlap by up to 17% (Alblasserdam 2016), while the one real division
# (Maasdonk 2015: 29% of its area to Oss) is larger; boundary corrections between continuing
# gemeenten cannot be seen in them.
SLIVER_SHARE = 0.02
COARSE_SLIVER_SHARE = 0.20
SAME_SERIES = range(2017, 2024)
# A division's population estimate is used when the parts' estimates add up to the divided
# gemeente's population within this share (else area shares).
POPULATION_TOLERANCE = 0.25

# First year of each COROP / provincie composition (found by compositions() and checked):
# COROP 2015 (Graft-De Rijp into Alkmaar; Nederlek and Ouderkerk into Krimpenerwaard), 2018
# (Menterwolde into Midden-Groningen; part of Littenseradiel to Súdwest-Fryslân), 2019
# (Haarlemmerliede en Spaarnwoude into Haarlemmermeer; Leerdam and Zederik into
# Vijfheerenlanden, also to the provincie Utrecht), 2021 (parts of Haaren to Oisterwijk and
# Tilburg), 2023 (Weesp into Amsterdam).
REGION_VERSIONS: dict[str, tuple[int, ...]] = {
    "corop": (2014, 2015, 2018, 2019, 2021, 2023),
    "provincie": (2014, 2019),
}
PDOK_YEAR = 2016  # COROP and provincie boundaries of CBS/PDOK made by step ``nl``


def composition_of(level: str, year: int) -> int:
    """First year of the ``level`` composition in force in ``year``."""
    return max(v for v in REGION_VERSIONS[level] if v <= year)


def pdok_drawn(level: str, year: int) -> bool:
    """Whether the ``level`` regions of ``year`` are those of the 2016 CBS/PDOK file (the
    composition of ``year`` was in force in 2016)."""
    return composition_of(level, year) == composition_of(level, PDOK_YEAR)


NEW_GEMEENTE_FILES = (2014, *range(2017, 2024))

CROSSWALK = "nl/crosswalk_2014-2025.csv.gz"
CHANGES = "nl/gemeente_change_table.csv.gz"
BOUNDARY_YEARS = "nl/boundary_years.csv"

SOURCES = [
    *(spec[0] for spec in GEMEENTE_SOURCES.values()),
    *EARLY_REGION_SOURCES.values(),
    "cbs_gebieden_2016",
    *(f"cbs_gebieden_{y}" for y in GEBIEDEN_YEARS),
    "cbs_70739ned",
    "cbs_gm_changes",
    "cbs_85525ned",
    *NUTS_SOURCES,
]
OUTPUTS = [
    *(f"geo/nl_gemeente_{y}.geojson" for y in NEW_GEMEENTE_FILES),
    CROSSWALK,
    CHANGES,
    BOUNDARY_YEARS,
]
KINDS = ("same", "rename", "merge", "split", "boundary")


# --- load -----------------------------------------------------------------------------------


def read_statline(path: Path) -> pd.DataFrame:
    """A CSV of the StatLine dump: ``;``-separated, UTF-8 with BOM, every field text with CBS's
    space padding stripped (empty fields stay missing)."""
    raw = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return raw.apply(lambda col: col.str.strip()).replace({"": pd.NA})


def load_gemeenten(year: int) -> gpd.GeoDataFrame:
    """Raw gemeente boundaries of 1 January ``year`` (EPSG:4326): code, name, geometry."""
    source, code, name = GEMEENTE_SOURCES[year]
    gdf = gpd.read_file(fetch(source))
    missing = {code, name} - set(gdf.columns)
    require(not missing, f"{source}: missing columns {missing}")
    gdf = gdf.rename(columns={code: "code", name: "name"})[["code", "name", "geometry"]]
    gdf["code"] = clean_codes(gdf["code"])
    gdf = gdf.set_crs(4326, allow_override=True)
    require(
        len(gdf) == EXPECTED_GEMEENTEN[year] and gdf["code"].is_unique,
        f"{source}: expected {EXPECTED_GEMEENTEN[year]} unique gemeenten, got {len(gdf)}",
    )
    return gdf.sort_values("code", ignore_index=True)


def load_regions(level: str, year: int) -> gpd.GeoDataFrame:
    """CBS/PDOK COROP or provincie boundaries of 2014-2016 (EPSG:4326): code, name, geometry."""
    source = EARLY_REGION_SOURCES[(level, year)]
    gdf = gpd.read_file(fetch(source)).rename(columns={"statcode": "code", "statnaam": "name"})
    gdf["code"] = clean_codes(gdf["code"])
    expected = 40 if level == "corop" else 12
    require(len(gdf) == expected, f"{source}: expected {expected} regions, got {len(gdf)}")
    return gdf[["code", "name", "geometry"]].set_crs(4326, allow_override=True)


def load_gebieden(year: int) -> pd.DataFrame:
    """*Gebieden in Nederland* ``year``: gemeente, name, title, population, corop, corop_name,
    provincie, provincie_name. The COROP and provincie columns are found by their codes
    (``CR``, ``PV``): their positions differ between years."""
    source = f"cbs_gebieden_{year}"
    raw = read_statline(fetch(source))
    missing = {"RegioS", "Code_1", "Naam_2"} - set(raw.columns)
    require(not missing, f"{source}: missing columns {missing}")

    def pair(prefix: str) -> tuple[str, str]:
        found = [
            c
            for c in raw.columns
            if c.startswith("Code_") and raw[c].dropna().str[:2].eq(prefix).all()
        ]
        require(len(found) == 1, f"{source}: expected one column of {prefix} codes: {found}")
        return found[0], f"Naam_{int(found[0].split('_')[1]) + 1}"

    population = [c for c in raw.columns if c.startswith("Inwonertal_")]
    require(len(population) == 1, f"{source}: expected one Inwonertal column")
    (corop, corop_name), (prov, prov_name) = pair("CR"), pair("PV")
    table = pd.DataFrame(
        {
            "gemeente": clean_codes(raw["Code_1"]),
            "name": raw["Naam_2"],
            "title": raw["RegioS"],
            "population": pd.to_numeric(raw[population[0]]).astype("Int64"),
            "corop": clean_codes(raw[corop]),
            "corop_name": raw[corop_name],
            "provincie": clean_codes(raw[prov]),
            "provincie_name": raw[prov_name],
        }
    )
    require(
        table["gemeente"].str.match(r"^GM\d{4}$").all() and table.notna().all().all(),
        f"{source}: gemeente codes, names, population, COROP and provincie must all be filled",
    )
    return table


def load_70739ned() -> pd.DataFrame:
    """CBS 70739ned for gemeenten: code, title, begin, end (``YYYYMMDD``; end missing while
    the gemeente exists; the end date is the first day it no longer exists)."""
    raw = read_statline(fetch("cbs_70739ned"))
    table = pd.DataFrame(
        {
            "code": clean_codes(raw["GebiedsOfGemeentecode_3"]),
            "title": raw["RegioS"],
            "begin": raw["BegindatumSorteerveld_6"],
            "end": raw["EinddatumSorteerveld_7"],
            "provincie_name": raw["Provincie_4"],
        }
    )
    table = table[table["code"].str.startswith("GM")].reset_index(drop=True)
    require(table["code"].is_unique, "70739ned: a gemeente code occurs twice")
    return table


def load_85525ned() -> pd.DataFrame:
    """CBS 85525NED population 15-75 (rounded to 100) per region title and year: title, year,
    population. Only the complete slice (both sexes, 15 to 75 years) is used."""
    raw = read_statline(fetch("cbs_85525ned"))
    rows = raw[
        (raw["Geslacht"] == "Totaal mannen en vrouwen") & (raw["Leeftijd"] == "15 tot 75 jaar")
    ]
    table = pd.DataFrame(
        {
            "title": rows["RegioS"],
            "year": rows["Perioden"].astype(int),
            "population": pd.to_numeric(rows["Bevolking_1"]),
        }
    ).dropna()
    require(table.groupby("year").size().min() > 300, "85525NED: too few regions with population")
    return table.reset_index(drop=True)


def load_nuts(level: int, version: int) -> gpd.GeoDataFrame:
    """Dutch NUTS regions of ``level`` in NUTS ``version`` (2021 or 2024): code, name,
    geometry."""
    if version == 2021:
        gdf = gpd.read_file(fetch(f"nuts2021_20m_l{level}"))
    else:
        gdf = gpd.read_file(fetch("nuts2024_20m"))
        gdf = gdf[gdf["LEVL_CODE"] == level]
    gdf = gdf[gdf["CNTR_CODE"] == "NL"].rename(columns={"NUTS_ID": "code", "NAME_LATN": "name"})
    expected = 40 if level == 3 else 12
    require(len(gdf) == expected, f"NUTS {version} level {level}: {len(gdf)} Dutch regions")
    return gdf[["code", "name", "geometry"]].reset_index(drop=True)


# --- crosswalk ------------------------------------------------------------------------------


def _rd(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """In EPSG:28992 (RD New, metres) with valid geometries, for areas and overlays."""
    out = gdf.to_crs(28992)
    out["geometry"] = shapely.make_valid(out.geometry.values)
    return out


def overlay_areas(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> pd.DataFrame:
    """Intersection areas (m², EPSG:28992) between the units of ``a`` and ``b`` (both with a
    ``code``): code_a, code_b, area, area_share (of the area of ``a``'s unit that ``b``
    covers, so coastlines drawn differently do not count)."""
    left = _rd(a[["code", "geometry"]].rename(columns={"code": "code_a"}))
    right = _rd(b[["code", "geometry"]].rename(columns={"code": "code_b"}))
    pieces = gpd.overlay(left, right, how="intersection", keep_geom_type=True)
    pieces["area"] = pieces.area
    table = pieces.groupby(["code_a", "code_b"], as_index=False)["area"].sum()
    table["area_share"] = table["area"] / table.groupby("code_a")["area"].transform("sum")
    return table


def assign_by_overlap(
    units: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, what: str, min_share: float = 0.8
) -> pd.Series:
    """The region (code) each unit overlaps most; checked to hold ``min_share`` of its area."""
    table = overlay_areas(units, regions)
    best = table.sort_values("area_share").drop_duplicates("code_a", keep="last")
    weak = best[best["area_share"] < min_share]
    require(
        weak.empty,
        f"{what}: units without a clear region: {weak[['code_a', 'code_b']].values.tolist()}",
    )
    require(set(best["code_a"]) == set(units["code"]), f"{what}: units outside every region")
    return best.set_index("code_a")["code_b"]


def early_crosswalk(year: int, gemeenten: gpd.GeoDataFrame, titles: pd.Series) -> pd.DataFrame:
    """Crosswalk of 2014 or 2015: each gemeente in the COROP and provincie it overlaps most
    (CBS/PDOK boundaries of the same year)."""
    corop = load_regions("corop", year)
    prov = load_regions("provincie", year)
    table = gemeenten[["code", "name"]].rename(columns={"code": "gemeente"})
    table["title"] = table["gemeente"].map(titles)
    table["population"] = pd.NA
    table["corop"] = table["gemeente"].map(assign_by_overlap(gemeenten, corop, f"COROP {year}"))
    table["provincie"] = table["gemeente"].map(
        assign_by_overlap(gemeenten, prov, f"provincie {year}")
    )
    table["corop_name"] = table["corop"].map(corop.set_index("code")["name"])
    table["provincie_name"] = table["provincie"].map(prov.set_index("code")["name"])
    return table


def crosswalk_2016(gemeenten: gpd.GeoDataFrame, titles: pd.Series) -> pd.DataFrame:
    """Crosswalk of 2016 from 83287NED (as step ``nl``), with names."""
    walk = nl.crosswalk(fetch("cbs_gebieden_2016"))[["gemeente", "corop", "provincie"]]
    walk["name"] = walk["gemeente"].map(gemeenten.set_index("code")["name"])
    walk["title"] = walk["gemeente"].map(titles)
    walk["population"] = pd.NA
    walk["corop_name"] = walk["corop"].map(load_regions("corop", 2016).set_index("code")["name"])
    walk["provincie_name"] = walk["provincie"].map(
        load_regions("provincie", 2016).set_index("code")["name"]
    )
    return walk


def check_crosswalk(walk: pd.DataFrame, year: int) -> None:
    """Every gemeente exactly once, in one COROP and one provincie; 40 COROP in 12 provincies;
    the expected number of gemeenten; every field filled."""
    require(
        len(walk) == EXPECTED_GEMEENTEN[year] and walk["gemeente"].is_unique,
        f"crosswalk {year}: expected {EXPECTED_GEMEENTEN[year]} gemeenten, got {len(walk)}",
    )
    filled = walk.drop(columns=["population"]).notna().all()
    require(filled.all(), f"crosswalk {year}: empty fields in {list(filled[~filled].index)}")
    require(
        walk["corop"].nunique() == 40 and walk["provincie"].nunique() == 12,
        f"crosswalk {year}: {walk['corop'].nunique()} COROP, {walk['provincie'].nunique()} prov.",
    )
    require(
        walk.groupby("corop")["provincie"].nunique().eq(1).all(),
        f"crosswalk {year}: a COROP region lies in several provincies",
    )
    for level in ("corop", "provincie"):
        require(
            walk.groupby(level)[f"{level}_name"].nunique().eq(1).all(),
            f"crosswalk {year}: a {level} code with several names",
        )


def nuts_codes(regions: gpd.GeoDataFrame, level: int) -> pd.DataFrame:
    """NUTS 2021 and NUTS 2024 code (``level`` 3 for COROP, 2 for provincie) of each region, by
    largest overlap with GISCO 1:20M (at least half the region's area: small COROP regions
    are coarse at that scale); checked to be one to one and, for COROP, to have the COROP's
    name."""
    out = pd.DataFrame({"code": regions["code"]})
    for version in (2021, 2024):
        nuts = load_nuts(level, version)
        match = assign_by_overlap(regions, nuts, f"NUTS {version}", 0.5)
        column = f"nuts{level}_{version}"
        out[column] = out["code"].map(match)
        require(out[column].is_unique, f"NUTS {version} level {level}: not one to one")
        if level == 3:
            name = regions["name"].map(_letters)
            nuts_name = out[column].map(nuts.set_index("code")["name"]).map(_letters)
            differ = regions.loc[name != nuts_name, "name"].tolist()
            require(not differ, f"NUTS {version}: names differ from the COROP names: {differ}")
    return out


def _letters(text: object) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def dissolve(gemeenten: gpd.GeoDataFrame, walk: pd.DataFrame, level: str) -> gpd.GeoDataFrame:
    """COROP or provincie regions as the union of their gemeenten (EPSG:4326): code, name."""
    table = gemeenten[["code", "geometry"]].merge(
        walk[["gemeente", level, f"{level}_name"]], left_on="code", right_on="gemeente"
    )
    require(len(table) == len(gemeenten), f"dissolve {level}: gemeenten outside the crosswalk")
    parts = []
    for (code, name), group in table.groupby([level, f"{level}_name"], sort=True):
        union = shapely.union_all(shapely.make_valid(group.geometry.values))
        parts.append({"code": code, "name": name, "geometry": _drop_slits(union)})
    return gpd.GeoDataFrame(parts, crs=gemeenten.crs)


def _drop_slits(geometry: shapely.Geometry, min_hole: float = 1e-7) -> shapely.Geometry:
    """Polygons without the hair-thin holes a union of generalised neighbours can leave
    (holes under ``min_hole`` square degrees, about 0.1 ha)."""
    polygons = []
    for part in shapely.get_parts(geometry):
        if part.geom_type != "Polygon":
            continue
        holes = [r for r in part.interiors if shapely.Polygon(r).area >= min_hole]
        polygons.append(shapely.Polygon(part.exterior, holes))
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


# --- change table ---------------------------------------------------------------------------


def population_weights(pieces: pd.DataFrame, pop_a: pd.Series, pop_b: pd.Series) -> pd.DataFrame:
    """Weights of the pieces of divided gemeenten from population, where it can be estimated.

    ``pieces``: code_a, code_b, area_share (slivers dropped, shares adding to 1 per code_a).
    ``pop_a``, ``pop_b``: population per code in the two years, the same concept in both.
    Returns ``pieces`` with ``weight`` (share of the old gemeente going to the new one) and
    ``basis``: ``whole`` (one piece), ``population`` or ``area``.

    No population below the gemeente is at hand, so the part received by a new gemeente B is
    estimated from its growth: ``pop_b[B] / g`` minus the population of the gemeenten that
    went whole into B (``g``: national growth between the years). Large gemeenten grow by more
    than a small part from chance alone, so the estimates of one divided gemeente's parts are
    made to add up to its population by spreading the difference in proportion to the
    receivers' squared population (least squares with error variance proportional to size
    squared). The estimate is used when the raw estimates add up to the divided gemeente's
    population within :data:`POPULATION_TOLERANCE`, every part is positive and no receiver
    gets parts of two divided gemeenten; otherwise the area shares are the weights.
    """
    out = pieces.copy()
    out["weight"] = out["area_share"]
    out["basis"] = "area"
    counts = out.groupby("code_a")["code_b"].transform("size")
    out.loc[counts == 1, ["weight", "basis"]] = [1.0, "whole"]
    divided = out[counts > 1]
    if divided.empty:
        return out
    known_a = pop_a.dropna()
    known_b = pop_b.dropna()
    growth = known_b.sum() / known_a.sum()
    whole = out[counts == 1]
    from_whole = whole["code_a"].map(known_a).groupby(whole["code_b"]).sum(min_count=1)
    whole_unknown = set(whole.loc[~whole["code_a"].isin(known_a.index), "code_b"])
    shared = divided.groupby("code_b")["code_a"].nunique()
    for code_a, group in divided.groupby("code_a"):
        receivers = group["code_b"]
        usable = (
            code_a in known_a.index
            and receivers.isin(known_b.index).all()
            and not receivers.isin(whole_unknown).any()
            and shared[receivers].eq(1).all()
        )
        if not usable:
            continue
        total = float(known_a[code_a])
        raw = receivers.map(known_b).to_numpy(float) / growth - receivers.map(from_whole).fillna(
            0
        ).to_numpy(float)
        variance = receivers.map(known_b).to_numpy(float) ** 2
        estimate = raw + variance / variance.sum() * (total - raw.sum())
        if abs(total - raw.sum()) > POPULATION_TOLERANCE * total or (estimate <= 0).any():
            continue
        out.loc[group.index, "weight"] = estimate / estimate.sum()
        out.loc[group.index, "basis"] = "population"
    return out


def round_weights(table: pd.DataFrame, decimals: int = 6) -> pd.Series:
    """Weights rounded to ``decimals`` so that each old gemeente's weights add up to exactly 1
    in decimal (the difference goes to its largest piece)."""
    weights = table["weight"].round(decimals)
    gap = 1 - weights.groupby(table["code_a"]).transform("sum")
    largest = table.groupby("code_a")["weight"].transform("max").eq(table["weight"])
    first = largest & ~table.assign(_l=largest).duplicated(["code_a", "_l"])
    return (weights + gap.where(first, 0)).round(decimals)


def classify(table: pd.DataFrame) -> pd.Series:
    """The kind of each row of a change table (code_a, code_b, weight):

    ``same``
        the old gemeente goes whole to the gemeente with the same code, which took in no
        other whole gemeente;
    ``rename``
        whole to one gemeente with another code that took in no other whole gemeente
        (e.g. De Friese Meren -> De Fryske Marren, 2015);
    ``merge``
        whole to a gemeente that took in at least one other whole gemeente;
    ``split``
        the old gemeente ended and was divided over several gemeenten (e.g. Haaren, 2021);
    ``boundary``
        the old gemeente continues but part of it moved to another gemeente (both of its
        rows, e.g. Nissewaard -> Hellevoetsluis, 2018).

    Over several years (a composed table) a gemeente that merged and whose new gemeente later
    lost a part (Bernisse 2014 -> Nissewaard -> 1% to Hellevoetsluis, now Voorne aan Zee) is a
    ``split``: its territory is divided over two gemeenten of the last year.
    """
    pieces = table.groupby("code_a")["code_b"].transform("size")
    whole = pieces == 1
    whole_in = table[whole].groupby("code_b")["code_a"].nunique()
    continues = table["code_a"].isin(set(table["code_b"]))
    kind = pd.Series("same", index=table.index)
    kind[whole & (table["code_a"] != table["code_b"])] = "rename"
    kind[whole & table["code_b"].map(whole_in).fillna(0).gt(1)] = "merge"
    kind[~whole & continues] = "boundary"
    kind[~whole & ~continues] = "split"
    return kind


def compose(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Change table A -> C from A -> B and B -> C (columns code_a, code_b, weight, basis):
    weights multiply along each path and add up over paths. ``basis`` is ``whole`` for weight
    1, else the bases of the partial steps (``population``, ``area``, ``population+area``)."""
    step = second.rename(columns={"code_a": "code_b", "code_b": "code_c"})
    joined = first.merge(step, on="code_b", suffixes=("_1", "_2"), validate="m:m")
    joined["weight"] = joined["weight_1"] * joined["weight_2"]
    bases = joined[["basis_1", "basis_2"]].apply(lambda r: {b for b in r if b != "whole"}, axis=1)
    joined["bases"] = bases
    grouped = joined.groupby(["code_a", "code_c"], sort=True)
    out = grouped.agg(weight=("weight", "sum"), bases=("bases", lambda s: set().union(*s)))
    out = out.reset_index().rename(columns={"code_c": "code_b"})
    out["basis"] = [
        "whole" if w >= 1 - 1e-12 else "+".join(sorted(b, reverse=True)) or "area"
        for w, b in zip(out["weight"], out["bases"], strict=True)
    ]
    return out[["code_a", "code_b", "weight", "basis"]]


def consecutive_change(
    year: int,
    gemeenten: dict[int, gpd.GeoDataFrame],
    population: dict[int, pd.Series],
) -> pd.DataFrame:
    """Change table ``year`` -> ``year + 1``: code_a, code_b, weight, area_share, basis."""
    a, b = year, year + 1
    ga, gb = GEOMETRY_YEAR.get(a, a), GEOMETRY_YEAR.get(b, b)
    if ga == gb:
        codes = gemeenten[ga]["code"]
        return pd.DataFrame(
            {"code_a": codes, "code_b": codes, "weight": 1.0, "area_share": 1.0, "basis": "whole"}
        )
    pieces = overlay_areas(gemeenten[ga], gemeenten[gb])
    threshold = SLIVER_SHARE if a in SAME_SERIES and b in SAME_SERIES else COARSE_SLIVER_SHARE
    pieces = pieces[pieces["area_share"] >= threshold].copy()
    pieces["area_share"] /= pieces.groupby("code_a")["area_share"].transform("sum")
    weighted = population_weights(
        pieces, population.get(a, pd.Series(dtype=float)), population.get(b, pd.Series(dtype=float))
    )
    weighted["weight"] = round_weights(weighted)
    weighted["area_share"] = weighted["area_share"].round(4)
    return weighted[["code_a", "code_b", "weight", "area_share", "basis"]]


def check_changes(
    changes: pd.DataFrame, walk: pd.DataFrame, dates: pd.DataFrame, listed: pd.DataFrame
) -> list[str]:
    """Checks of the change table; returns notes on what the sources do not list.

    Per pair of years: every gemeente of either year is in the table; weights add up to 1;
    a continuing code keeps its largest piece; the codes that end (begin) are exactly those
    70739ned ends (begins) in between. The CBS change list (to 2017): every old -> new pair it
    gives is in the table; pieces it does not give are returned as notes."""
    notes = []
    for (a, b), table in changes.groupby(["year_a", "year_b"]):
        codes_a = set(walk.loc[walk["year"] == a, "gemeente"])
        codes_b = set(walk.loc[walk["year"] == b, "gemeente"])
        require(
            set(table["code_a"]) == codes_a and set(table["code_b"]) == codes_b,
            f"change table {a}-{b}: not every gemeente of both years is in it",
        )
        sums = table.groupby("code_a")["weight"].sum()
        require(((sums - 1).abs() < 1e-9).all(), f"change table {a}-{b}: weights do not add to 1")
        kept = table[table["code_a"].isin(codes_b)].sort_values("weight")
        largest = kept.drop_duplicates("code_a", keep="last")
        moved = largest[largest["code_a"] != largest["code_b"]]
        require(moved.empty, f"change table {a}-{b}: continuing gemeenten moved: {moved.values}")
        start, end = f"{a}0101", f"{b}0101"
        ends, begins = dates["end"].fillna(""), dates["begin"].fillna("")
        ended = set(dates.loc[(ends > start) & (ends <= end), "code"])
        began = set(dates.loc[(begins > start) & (begins <= end), "code"])
        require(
            ended == codes_a - codes_b and began == codes_b - codes_a,
            f"{a}-{b}: 70739ned ends {sorted(ended ^ (codes_a - codes_b))} / begins "
            f"{sorted(began ^ (codes_b - codes_a))} differently from the yearly code sets",
        )
        cbs = listed[
            (listed["valid_until"] > f"{a}-01-01") & (listed["valid_until"] <= f"{b}-01-01")
        ]
        pairs = set(zip(table["code_a"], table["code_b"], strict=True))
        absent = [p for p in zip(cbs["old"], cbs["new"], strict=True) if p not in pairs]
        require(not absent, f"{a}-{b}: changes of the CBS list not in the change table: {absent}")
        listed_pairs = set(zip(cbs["old"], cbs["new"], strict=True))
        unlisted = [
            p not in listed_pairs for p in zip(table["code_a"], table["code_b"], strict=True)
        ]
        extra = table[
            table["code_a"].isin(set(cbs["old"])) & pd.Series(unlisted, index=table.index)
        ]
        notes += [
            f"{a}-{b}: {r.code_a} -> {r.code_b} (weight {r.weight:.3f}, {r.basis}) "
            "is not in the CBS change list"
            for r in extra.itertuples()
        ]
    return notes


def compositions(changes: pd.DataFrame, walk: pd.DataFrame, level: str) -> list[int]:
    """Years in which the composition of the ``level`` regions changed: some piece of a
    gemeente lands in a region with another code than the one it was in."""
    region = walk.set_index(["year", "gemeente"])[level]
    before = region.reindex(list(zip(changes["year_a"], changes["code_a"], strict=True)))
    after = region.reindex(list(zip(changes["year_b"], changes["code_b"], strict=True)))
    moved = before.to_numpy() != after.to_numpy()
    return sorted(set(changes.loc[moved, "year_b"]))


# --- run ------------------------------------------------------------------------------------


def crosswalks(
    gemeenten: dict[int, gpd.GeoDataFrame], titles: pd.Series
) -> dict[int, pd.DataFrame]:
    """Crosswalk per year 2014-2025 (without NUTS codes), each checked."""
    walks = {
        2014: early_crosswalk(2014, gemeenten[2014], titles),
        2015: early_crosswalk(2015, gemeenten[2015], titles),
        2016: crosswalk_2016(gemeenten[2016], titles),
    }
    for year in GEBIEDEN_YEARS:
        walks[year] = load_gebieden(year)
        mismatch = walks[year]["title"] != walks[year]["gemeente"].map(titles)
        require(not mismatch.any(), f"Gebieden {year}: titles differ from 70739ned")
    for year, walk in walks.items():
        check_crosswalk(walk, year)
        expected = set(gemeenten[GEOMETRY_YEAR.get(year, year)]["code"])
        require(
            set(walk["gemeente"]) == expected,
            f"crosswalk {year}: codes differ from the boundaries "
            f"{GEOMETRY_YEAR.get(year, year)}: {sorted(set(walk['gemeente']) ^ expected)[:10]}",
        )
    return walks


def check_provinces(walk: pd.DataFrame, dates: pd.DataFrame) -> None:
    """Every gemeente of every year lies in the provincie CBS 70739ned gives it (by name;
    ``Friesland`` and ``Fryslân`` are both PV21): an independent check of the 2014 and 2015
    assignments by overlap."""
    code_of = dict(zip(walk["provincie_name"], walk["provincie"], strict=True))
    expected = walk["gemeente"].map(dates.set_index("code")["provincie_name"]).map(code_of)
    wrong = walk.loc[expected != walk["provincie"], ["year", "gemeente", "provincie"]]
    require(wrong.empty, f"provincie differs from 70739ned: {wrong.values.tolist()[:10]}")


def populations(walks: dict[int, pd.DataFrame]) -> dict[tuple[int, int], dict[int, pd.Series]]:
    """Population per pair of consecutive years, the same concept for both years: total
    population (Gebieden ``Inwonertal``) when both years are 2017 or later, else population
    15-75 from 85525NED (by title)."""
    p85525 = load_85525ned()
    out: dict[tuple[int, int], dict[int, pd.Series]] = {}
    for a in YEARS[:-1]:
        b = a + 1
        if a in GEBIEDEN_YEARS:
            pops = {y: walks[y].set_index("gemeente")["population"].astype(float) for y in (a, b)}
        else:
            pops = {}
            for y in (a, b):
                values = p85525[p85525["year"] == y].set_index("title")["population"]
                pops[y] = walks[y].set_index("gemeente")["title"].map(values).astype(float)
        out[(a, b)] = pops
    return out


def build(
    gemeenten: dict[int, gpd.GeoDataFrame],
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Crosswalk (long, all years, without NUTS), change table (consecutive pairs) and notes."""
    dates = load_70739ned()
    titles = dates.set_index("code")["title"]
    walks = crosswalks(gemeenten, titles)
    walk = pd.concat([w.assign(year=y) for y, w in walks.items()], ignore_index=True)
    check_provinces(walk, dates)
    pops = populations(walks)
    tables = []
    for a in YEARS[:-1]:
        table = consecutive_change(a, gemeenten, pops[(a, a + 1)])
        tables.append(table.assign(year_a=a, year_b=a + 1))
    changes = pd.concat(tables, ignore_index=True)
    changes["kind"] = changes.groupby("year_a", group_keys=False)[
        ["code_a", "code_b", "weight"]
    ].apply(classify)
    changes = changes[
        ["year_a", "year_b", "code_a", "code_b", "weight", "area_share", "kind", "basis"]
    ]
    changes = changes.sort_values(["year_a", "code_a", "code_b"], ignore_index=True)
    listed = nl.gemeente_changes(fetch("cbs_gm_changes"))
    notes = check_changes(changes, walk, dates, listed)
    return walk, changes, notes


def simplified(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Shared-border simplification and quantisation as for the other Dutch boundaries."""
    out = simplify(gdf.to_crs(4326), nl.TOLERANCE, nl.DECIMALS)
    return out[["code", "name", "geometry"]].sort_values("code", ignore_index=True)


def run(out_dir: Path) -> list[Path]:
    """Load, process, check and save (see the module docstring); returns the written files
    and prints the pieces the CBS change list lacks."""
    gemeenten = {year: load_gemeenten(year) for year in GEMEENTE_SOURCES}
    walk, changes, notes = build(gemeenten)
    for note in notes:
        print(f"[data] gebieden: {note}", flush=True)

    # Each composition of COROP and provincie regions, for the NUTS codes (and their check).
    regions: dict[str, list[gpd.GeoDataFrame]] = {}
    for level, versions in REGION_VERSIONS.items():
        found = (YEARS[0], *compositions(changes, walk, level))
        require(
            found == versions,
            f"{level} compositions begin in {found}, REGION_VERSIONS says {versions}",
        )
        regions[level] = [load_regions(level, PDOK_YEAR)]
        for version in versions:
            if pdok_drawn(level, version):
                continue
            if version <= PDOK_YEAR:
                regions[level].append(load_regions(level, version))
            else:
                geometry = gemeenten[GEOMETRY_YEAR.get(version, version)]
                regions[level].append(dissolve(geometry, walk[walk["year"] == version], level))

    nuts = {}
    for level, number in (("corop", 3), ("provincie", 2)):
        per_version = [nuts_codes(r, number).set_index("code").sort_index() for r in regions[level]]
        differ = [v.compare(per_version[0]) for v in per_version[1:]]
        require(
            all(d.empty for d in differ),
            f"{level}: NUTS codes differ between compositions: {[d for d in differ if len(d)]}",
        )
        nuts[level] = per_version[0]
    walk = walk.join(nuts["corop"], on="corop").join(nuts["provincie"], on="provincie")
    walk = walk[
        ["year", "gemeente", "name", "title", "population", "corop", "corop_name", "provincie",
         "provincie_name", "nuts3_2021", "nuts2_2021", "nuts3_2024", "nuts2_2024"]
    ].sort_values(["year", "gemeente"], ignore_index=True)  # fmt: skip
    require(
        walk.groupby("provincie")["nuts2_2021"].nunique().eq(1).all()
        and walk["nuts2_2024"].nunique() == 12,
        "provincie -> NUTS 2 is not one to one",
    )

    written = []
    for year in NEW_GEMEENTE_FILES:
        gdf = gemeenten[year]
        if year in GEBIEDEN_YEARS:  # names as CBS gives them that year
            names = walk[walk["year"] == year].set_index("gemeente")["name"]
            gdf = gdf.assign(name=gdf["code"].map(names))
        written.append(write_geojson(simplified(gdf), out_dir / f"geo/nl_gemeente_{year}.geojson"))

    written.append(write_csv(walk, out_dir / CROSSWALK))
    written.append(write_csv(changes, out_dir / CHANGES))
    written.append(write_csv(boundary_years(), out_dir / BOUNDARY_YEARS))
    return written


def boundary_years() -> pd.DataFrame:
    """Which processed boundary file serves each level and year: level, year, file (under
    ``geo/``), dissolved (``True``: the regions are the union of that file's gemeenten through
    the crosswalk of the year; COROP and provincie regions have a file of their own, the CBS/PDOK
    one of 2016, only in the years their composition was that of 2016)."""
    rows = []
    for year in YEARS:
        geometry = GEOMETRY_YEAR.get(year, year)
        rows.append(("gemeente", year, f"nl_gemeente_{geometry}.geojson", False))
        for level in REGION_VERSIONS:
            if pdok_drawn(level, year):
                rows.append((level, year, f"nl_{level}_{PDOK_YEAR}.geojson", False))
            else:
                rows.append((level, year, f"nl_gemeente_{geometry}.geojson", True))
    return pd.DataFrame(rows, columns=["level", "year", "file", "dissolved"])
