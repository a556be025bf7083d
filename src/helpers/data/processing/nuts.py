"""NUTS 2021 boundaries (GISCO 1:20M) -> one simplified, quantised GeoJSON with levels 0-2.

Load inputs: ``nuts2021_20m_l0`` .. ``nuts2021_20m_l2``.
Process: keep code, Latin name, level and country; simplify each level with a shared-border
(topology-preserving) simplification from :mod:`topojson`; round coordinates to
:data:`DECIMALS` decimals (about 100 m, ample for 1:20M).
Save outputs: ``geo/nuts2021_l0-2.geojson``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import topojson

from helpers.data.checks import require
from helpers.data.processing.outputs import write_geojson
from helpers.data.registry import fetch

SOURCES = [f"nuts2021_20m_l{level}" for level in range(3)]
OUTPUTS = ["geo/nuts2021_l0-2.geojson"]
TOLERANCE = 0.02  # degrees, Douglas-Peucker on shared arcs
DECIMALS = 3


def load(level: int) -> gpd.GeoDataFrame:
    """One NUTS level, checked for the columns and level it must have."""
    gdf = gpd.read_file(fetch(f"nuts2021_20m_l{level}"))
    missing = {"NUTS_ID", "NAME_LATN", "LEVL_CODE", "CNTR_CODE"} - set(gdf.columns)
    require(not missing, f"NUTS level {level}: missing columns {missing}")
    require(set(gdf["LEVL_CODE"]) == {level}, f"NUTS level {level}: wrong LEVL_CODE")
    return gdf


def simplify(
    gdf: gpd.GeoDataFrame, tolerance: float = TOLERANCE, decimals: int = DECIMALS
) -> gpd.GeoDataFrame:
    """Topology-preserving simplification (``tolerance`` in degrees on shared arcs) and
    coordinate quantisation to ``decimals`` decimals."""
    topo = topojson.Topology(gdf, prequantize=False, toposimplify=tolerance, topology=True)
    out = topo.to_gdf()
    out["geometry"] = shapely.transform(out.geometry.values, lambda xy: np.round(xy, decimals))
    out = out.set_crs(4326, allow_override=True)
    require(not out.is_empty.any(), "simplification emptied a region")
    bad = ~out.is_valid
    if bad.any():
        out.loc[bad, "geometry"] = [
            _polygonal(g) for g in shapely.make_valid(out.loc[bad, "geometry"].values)
        ]
    kinds = set(out.geom_type)
    require(kinds <= {"Polygon", "MultiPolygon"}, f"non-polygon geometries after simplify: {kinds}")
    return out


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygon parts of a repaired geometry (``make_valid`` can return a collection with
    stray lines or points, which web maps cannot draw as one region)."""
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in {"Polygon", "MultiPolygon"}]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def process(levels: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """NUTS 2021 levels 0-2 (as :func:`load` returns them) in one table: one row per region, columns
    code, name (Latin script), level, country, geometry (EPSG:4326; each level simplified with
    shared borders, :data:`TOLERANCE` degrees, :data:`DECIMALS` decimals), sorted by level and
    code. Raises DataCheckError when a code occurs twice or there are not 12 Dutch NUTS 2
    regions."""
    parts = []
    for gdf in levels:
        gdf = gdf.rename(
            columns={
                "NUTS_ID": "code",
                "NAME_LATN": "name",
                "LEVL_CODE": "level",
                "CNTR_CODE": "country",
            }
        )[["code", "name", "level", "country", "geometry"]]
        parts.append(simplify(gdf))
    out = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=4326)
    out = out[["code", "name", "level", "country", "geometry"]]
    out = out.sort_values(["level", "code"], kind="stable").reset_index(drop=True)
    require(out["code"].is_unique, "duplicate NUTS codes")
    dutch_provinces = out[(out["level"] == 2) & (out["country"] == "NL")]
    require(
        len(dutch_provinces) == 12,
        f"expected 12 Dutch NUTS 2 regions, got {len(dutch_provinces)}",
    )
    return out


def run(out_dir: Path) -> list[Path]:
    """Load ``nuts2021_20m_l0`` .. ``nuts2021_20m_l2`` (registry) -> :func:`process` -> save
    ``geo/nuts2021_l0-2.geojson`` under ``out_dir``; returns the written path.
    Raises DataSourceError (naming the source id and path) when a raw file is missing,
    cannot be downloaded or fails its checksum; DataCheckError when a check fails."""
    gdf = process([load(level) for level in range(3)])
    return [write_geojson(gdf, out_dir / OUTPUTS[0])]
