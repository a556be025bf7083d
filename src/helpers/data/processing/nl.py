"""Dutch regional geography: boundaries per level and year, and the region crosswalk.

Load inputs: CBS/PDOK boundaries (``nl_provincie_2016_wgs84``, ``nl_corop_2016_wgs84``,
``nl_gemeente_2016_wgs84``, ``nl_gemeente_2015_kwb``), CBS 83287NED *Gebieden in Nederland
2016* (``cbs_gebieden_2016``) and the list of municipal changes (``cbs_gm_changes``).
Process: keep code and name; simplify with shared borders; build the 2016 crosswalk gemeente ->
COROP -> provincie -> NUTS 3 / NUTS 2 and the tidy list of municipal changes.
Save outputs: ``geo/nl_<level>_<year>.geojson``, ``nl/crosswalk_2016.csv``,
``nl/gemeente_changes.csv``.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.data.checks import require
from helpers.data.codes import clean_codes
from helpers.data.processing.nuts import simplify
from helpers.data.processing.outputs import write_csv, write_geojson
from helpers.data.registry import fetch

# (level, year) -> (source id, code property, name property, expected number of regions)
BOUNDARIES: dict[tuple[str, int], tuple[str, str, str, int]] = {
    ("provincie", 2016): ("nl_provincie_2016_wgs84", "statcode", "statnaam", 12),
    ("corop", 2016): ("nl_corop_2016_wgs84", "statcode", "statnaam", 40),
    ("gemeente", 2016): ("nl_gemeente_2016_wgs84", "statcode", "statnaam", 390),
    ("gemeente", 2015): ("nl_gemeente_2015_kwb", "GM_CODE", "GM_NAAM", 393),
}
SOURCES = [spec[0] for spec in BOUNDARIES.values()] + ["cbs_gebieden_2016", "cbs_gm_changes"]
OUTPUTS = [f"geo/nl_{level}_{year}.geojson" for level, year in BOUNDARIES] + [
    "nl/crosswalk_2016.csv",
    "nl/gemeente_changes.csv",
]
TOLERANCE = 0.0015  # degrees (~100-150 m): enough for maps of the Netherlands
DECIMALS = 4  # ~10 m


def boundaries(level: str, year: int) -> gpd.GeoDataFrame:
    """Regions of ``level`` on 1 January ``year`` from the raw source :data:`BOUNDARIES` names
    (``nl_<level>_2016_wgs84``, gemeente 2015: ``nl_gemeente_2015_kwb``): one row per region,
    columns code (CBS code, padding removed: PV/CR/GM), name, geometry (EPSG:4326; shared-border
    simplification, 0.0015 degrees, 4 decimals), sorted by code. Raises KeyError for a pair not
    in BOUNDARIES; DataCheckError naming the source id when the code or name column is missing
    or the number of unique codes is not the expected one (12, 40, 390, 393)."""
    source, code, name, expected = BOUNDARIES[(level, year)]
    gdf = gpd.read_file(fetch(source))
    missing = {code, name} - set(gdf.columns)
    require(not missing, f"{source}: missing columns {missing}")
    gdf = gdf.rename(columns={code: "code", name: "name"})[["code", "name", "geometry"]]
    gdf["code"] = clean_codes(gdf["code"])
    require(
        len(gdf) == expected and gdf["code"].is_unique,
        f"{source}: expected {expected} unique {level} codes, got {gdf['code'].nunique()}",
    )
    out = simplify(gdf.to_crs(4326), TOLERANCE, DECIMALS)
    return out.sort_values("code", kind="stable").reset_index(drop=True)


def crosswalk(path: Path) -> pd.DataFrame:
    """Gemeente (2016) -> COROP -> provincie -> NUTS 3 and NUTS 2, from 83287NED.

    A few gemeenten carry no NUTS 3 code in the source; every COROP region is one NUTS 3
    region (NUTS 2013), so their NUTS 3 code is taken from the other gemeenten of their COROP.
    """
    raw = pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    table = raw.rename(
        columns={
            "reg": "gemeente",
            "COROP-gebieden": "corop",
            "Provincies": "provincie",
            "NUTS3-gebieden": "nuts3",
            "NUTS2-gebieden": "nuts2",
        }
    )[["gemeente", "corop", "provincie", "nuts3", "nuts2"]]
    table = table.apply(lambda col: col.str.strip())
    table["nuts3"] = table["nuts3"].replace("", pd.NA)
    per_corop = table.dropna(subset=["nuts3"]).groupby("corop")["nuts3"].agg(set)
    require(per_corop.map(len).eq(1).all(), "a COROP region spans several NUTS 3 regions")
    table["nuts3"] = table["corop"].map(per_corop.map(lambda s: next(iter(s))))
    require(table["gemeente"].is_unique and len(table) == 390, "expected 390 gemeenten (2016)")
    require(
        table["corop"].nunique() == 40 and table["provincie"].nunique() == 12,
        'check failed: table["corop"].nunique() == 40 and table["provincie"].nunique() == 12',
    )
    require(table.groupby("corop")["provincie"].nunique().eq(1).all(), "COROP across provinces")
    require(table["nuts3"].nunique() == 40, "expected 40 NUTS 3 regions (one per COROP)")
    return table.sort_values("gemeente").reset_index(drop=True)


def gemeente_changes(path: Path) -> pd.DataFrame:
    """Municipal changes: ``valid_until`` (date the old code ceased), ``old``, ``new``."""
    raw = pd.read_csv(path, sep=";", encoding="latin-1", dtype=str)
    expected = ["Bestaan tot", "Eindjaar", "Oude", "Nieuwe", "Huidige code", "Huidige naam"]
    require(list(raw.columns) == expected, f"{path.name}: unexpected columns {list(raw.columns)}")
    table = pd.DataFrame(
        {
            "valid_until": pd.to_datetime(raw["Bestaan tot"], format="%d-%m-%Y").dt.strftime(
                "%Y-%m-%d"
            ),
            "old": clean_codes(raw["Oude"]),
            "new": clean_codes(raw["Nieuwe"]),
            "new_name": raw["Huidige naam"].str.strip(),
        }
    )
    table = table[table["old"] != table["new"]].drop_duplicates()
    return table.sort_values(["valid_until", "old", "new"]).reset_index(drop=True)


def run(out_dir: Path) -> list[Path]:
    """Load the boundaries of :data:`BOUNDARIES`, ``cbs_gebieden_2016`` and ``cbs_gm_changes``
    (registry) -> process -> save ``geo/nl_provincie_2016.geojson``, ``geo/nl_corop_2016.geojson``,
    ``geo/nl_gemeente_2016.geojson``, ``geo/nl_gemeente_2015.geojson``,
    ``nl/crosswalk_2016.csv`` and ``nl/gemeente_changes.csv`` under ``out_dir``; returns the
    written paths.
    Raises DataSourceError (naming the source id and path) when a raw file is missing,
    cannot be downloaded or fails its checksum; DataCheckError when a check fails."""
    written = [
        write_geojson(boundaries(level, year), out_dir / f"geo/nl_{level}_{year}.geojson")
        for level, year in BOUNDARIES
    ]
    written.append(
        write_csv(crosswalk(fetch("cbs_gebieden_2016")), out_dir / "nl/crosswalk_2016.csv")
    )
    written.append(
        write_csv(gemeente_changes(fetch("cbs_gm_changes")), out_dir / "nl/gemeente_changes.csv")
    )
    return written
