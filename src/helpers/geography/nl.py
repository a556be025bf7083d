"""Dutch regions: boundaries by level and year, the crosswalk gemeente -> COROP -> provincie
-> NUTS, and municipal mergers, so data of one year can be drawn on the boundaries of another.

Made by the processing step ``nl`` (see ``data/processed/README.md``). Codes follow CBS:
``GM0363`` (gemeente), ``CR23`` (COROP), ``PV27`` (provincie). NUTS 2 codes (``NL32``) are the
same in NUTS 2013-2021; the NUTS 3 codes of the 2016 crosswalk are those of NUTS 2013
(``NL326`` Groot-Amsterdam), which Eurostat's older regional series use; later NUTS versions
renumbered seven Dutch NUTS 3 regions (NUTS 2021: ``NL329`` Groot-Amsterdam).

For other years (2014-2025: boundaries, crosswalks with NUTS 2021 and NUTS 2024 codes, names,
changes between any two years and recoding of counts) see :mod:`helpers.geography.years`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from helpers import config
from helpers.data.checks import require
from helpers.data.codes import clean_code

LEVELS = ("gemeente", "corop", "provincie")
PLACE_YEAR = 2016  # default gemeente division for place names

# The provinces as the book names them for readers: "Friesland" (as the publication and the RIS
# do), also where newer CBS tables write "Fryslân" (helpers.chapters.firms).
PROVINCES = pd.DataFrame(
    [
        ("PV20", "NL11", "Groningen"), ("PV21", "NL12", "Friesland"),
        ("PV22", "NL13", "Drenthe"), ("PV23", "NL21", "Overijssel"),
        ("PV24", "NL23", "Flevoland"), ("PV25", "NL22", "Gelderland"),
        ("PV26", "NL31", "Utrecht"), ("PV27", "NL32", "Noord-Holland"),
        ("PV28", "NL33", "Zuid-Holland"), ("PV29", "NL34", "Zeeland"),
        ("PV30", "NL41", "Noord-Brabant"), ("PV31", "NL42", "Limburg"),
    ],
    columns=["provincie", "nuts2", "name"],
)  # fmt: skip


@dataclass
class JoinReport:
    """Which codes of the data found a region on the map, and which regions got no data."""

    joined: list[str]
    unjoined: list[str]  # codes in the data without a region
    without_data: list[str] = field(default_factory=list)  # regions on the map without data

    def summary(self) -> str:
        """One line for a notebook or an error message: the number of joined codes, the data codes
        without a region (``none`` when there are none) and the number of regions without data."""
        return (
            f"{len(self.joined)} joined; data codes without region: {self.unjoined or 'none'}; "
            f"regions without data: {len(self.without_data)}"
        )


def available_boundaries() -> list[tuple[str, int]]:
    """(level, year) pairs with processed boundaries."""
    found = []
    for path in config.data_glob("processed/geo", "nl_*_*.geojson"):
        _, level, year = path.stem.split("_")
        found.append((level, int(year)))
    return found


def boundaries(level: str, year: int) -> gpd.GeoDataFrame:
    """Regions of ``level`` as they were on 1 January of ``year`` (columns code, name)."""
    available = available_boundaries()
    if (level, int(year)) not in available:
        options = ", ".join(f"{lv} {yr}" for lv, yr in available)
        raise ValueError(f"No boundaries for {level} {year}; available: {options}")
    return gpd.read_file(config.data_file("processed", "geo", f"nl_{level}_{int(year)}.geojson"))


def crosswalk() -> pd.DataFrame:
    """Gemeente (2016 codes) -> corop, provincie, nuts3, nuts2."""
    return pd.read_csv(config.data_file("processed", "nl", "crosswalk_2016.csv"), dtype=str)


def corop_to_nuts3() -> pd.DataFrame:
    """The 40 COROP regions with their NUTS 3 region (one to one) and province."""
    table = crosswalk()[["corop", "nuts3", "provincie", "nuts2"]].drop_duplicates()
    require(
        table["corop"].is_unique and len(table) == 40,
        'check failed: table["corop"].is_unique and len(table) == 40',
    )
    return table.sort_values("corop", ignore_index=True)


def gemeente_changes() -> pd.DataFrame:
    """Municipal mergers and renumberings (processed ``nl/gemeente_changes.csv``, step ``nl`` from
    raw ``cbs_gm_changes``): one row per change, columns valid_until (ISO date the old code
    ceased), old, new (GM codes), new_name; all text. Raises FileNotFoundError naming the file
    when it is missing."""
    return pd.read_csv(config.data_file("processed", "nl", "gemeente_changes.csv"), dtype=str)


def recode_gemeenten(codes: pd.Series, from_year: int, to_year: int) -> pd.Series:
    """Map gemeente codes valid on 1 January ``from_year`` to those of 1 January ``to_year``,
    following mergers and renumberings in between (only forward in time)."""
    if to_year < from_year:
        raise ValueError("recode_gemeenten maps forward in time only")
    changes = gemeente_changes()
    start, end = f"{int(from_year)}-01-01", f"{int(to_year)}-01-01"
    steps = changes[(changes["valid_until"] > start) & (changes["valid_until"] <= end)]
    result = codes.map(clean_code)
    for _, group in steps.groupby("valid_until", sort=True):
        result = result.replace(dict(zip(group["old"], group["new"], strict=True)))
    return result


def aggregate(
    data: pd.DataFrame, value_columns: list[str], *, code: str = "gemeente", to: str = "corop"
) -> pd.DataFrame:
    """Sum gemeente data (2016 codes) to COROP, provincie, NUTS 3 or NUTS 2."""
    walk = crosswalk()
    merged = data.merge(walk[["gemeente", to]], left_on=code, right_on="gemeente", how="left")
    missing = merged.loc[merged[to].isna(), code].tolist()
    if missing:
        raise ValueError(f"gemeente codes not in the 2016 crosswalk: {missing[:10]}")
    return merged.groupby(to, as_index=False)[value_columns].sum()


def join_to_boundaries(
    data: pd.DataFrame, regions: gpd.GeoDataFrame, *, code: str
) -> tuple[gpd.GeoDataFrame, JoinReport]:
    """All regions with their data (left join on the map), plus a report of what did not
    join. Data codes are cleaned of CBS padding first; data columns that the regions also
    have (``name``) are taken from the regions."""
    data = data.assign(**{code: data[code].map(clean_code)})
    data = data.drop(columns=[c for c in regions.columns if c in data.columns and c != code])
    merged = regions.merge(data, left_on="code", right_on=code, how="left", indicator=True)
    unjoined = sorted(set(data[code]) - set(regions["code"]))
    report = JoinReport(
        joined=sorted(merged.loc[merged["_merge"] == "both", "code"]),
        unjoined=unjoined,
        without_data=sorted(merged.loc[merged["_merge"] == "left_only", "code"]),
    )
    out = merged.drop(columns=["_merge"] + ([code] if code != "code" else []))
    return gpd.GeoDataFrame(out, geometry="geometry", crs=regions.crs), report


def join_complete(data: pd.DataFrame, level: str, year: int, *, code: str) -> gpd.GeoDataFrame:
    """The regions of ``level`` in ``year`` (``code``, ``name``, ``geometry``) with the
    columns of ``data`` (one row per region, region code in column ``code``), for maps that
    must show every region. Raises :class:`~helpers.data.checks.DataCheckError` naming the
    codes when a data code has no region or a region has no data."""
    gdf, report = join_to_boundaries(data, boundaries(level, year), code=code)
    require(
        not report.unjoined and not report.without_data,
        f"{level} {year}: data codes without region {report.unjoined}; "
        f"regions without data {report.without_data}",
    )
    return gdf


# --- place names -> gemeenten ---------------------------------------------------------------


def place_key(name: object) -> str:
    """Comparison key for place names: letters and digits only, lower case
    (``"'s-Gravenhage"`` and ``"S GRAVENHAGE"`` both give ``"sgravenhage"``)."""
    return re.sub(r"[^0-9a-z]", "", str(name).casefold())


def clean_place(name: object) -> str:
    """A place name normalised for the alias table: upper case, single spaces,
    apostrophes and dots dropped, hyphens kept as spaces (``"'s-Hertogenbosch"`` ->
    ``"S HERTOGENBOSCH"``)."""
    text = str(name).upper().replace("'", "").replace("’", "").replace(".", " ")
    text = text.replace("-", " ")
    return " ".join(text.split())


def aliases() -> pd.DataFrame:
    """The place alias table ``data/nl/place_aliases.csv`` (kept by hand): one row per spelling of
    a place, columns plaats (as in the data, upper case), gemeente_naam (the gemeente's name on
    the map), toelichting; all text, empty cells as ``""``. Raises FileNotFoundError naming the
    file when it is missing."""
    return pd.read_csv(config.data_file("nl", "place_aliases.csv"), dtype=str).fillna("")


def place_to_gemeente(places: pd.Series, year: int = PLACE_YEAR) -> pd.Series:
    """Gemeente code for each place name (gemeenten of ``year``), via the alias table
    ``data/nl/place_aliases.csv`` and then the gemeente names; ``NA`` where neither matches."""
    regions = boundaries("gemeente", year)
    by_key = dict(zip(regions["name"].map(place_key), regions["code"], strict=True))
    table = aliases()
    alias = {
        clean_place(p): place_key(g)
        for p, g in zip(table["plaats"], table["gemeente_naam"], strict=True)
    }
    unknown = sorted({g for g in alias.values() if g not in by_key})
    if unknown:
        raise ValueError(f"place_aliases.csv: gemeente names not on the {year} map: {unknown}")
    cleaned = places.fillna("").map(clean_place)
    keys = cleaned.map(lambda p: alias.get(p, place_key(p)))
    return keys.map(by_key).astype("string")
