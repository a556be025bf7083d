"""Deterministic writers for processed outputs."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import geopandas as gpd
import pandas as pd


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a CSV deterministically (gzip without timestamp for ``.gz``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = df.to_csv(index=False, lineterminator="\n")
    if path.suffix == ".gz":
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as handle:
            handle.write(text.encode("utf-8"))
        path.write_bytes(buffer.getvalue())
    else:
        path.write_text(text, encoding="utf-8")
    return path


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    """Write a GeoDataFrame as compact GeoJSON (EPSG:4326, no feature ids, sorted rows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        gdf.to_crs(4326).to_json(drop_id=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
