"""Firms, starters and scale-up population: open proxies for the restricted sources.

Load inputs: CBS 83631NED new establishments per COROP (``cbs_83631ned_corop``), Eurostat
business demography by NUTS 3 (``eurostat_bd_size_r3``), NUTS 2021 level 3 boundaries
(``nuts2021_20m_l3``) and publicly stated figures (``stated_figures``).
Process: tidy tables for the Netherlands; Eurostat values lose their flags; only NUTS 2021
codes are kept (the file mixes NUTS versions).
Save outputs: ``firms/starters_corop.csv``, ``firms/eurostat_bd_nuts3_nl.csv``,
``geo/nl_nuts3_2021.geojson``, ``firms/stated_figures.csv``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.data.checks import require
from helpers.data.processing.eurostat import eurostat_number
from helpers.data.processing.nuts import simplify
from helpers.data.processing.outputs import write_csv, write_geojson
from helpers.data.registry import fetch

SOURCES = ["cbs_83631ned_corop", "eurostat_bd_size_r3", "nuts2021_20m_l3", "stated_figures"]
OUTPUTS = [
    "firms/starters_corop.csv",
    "firms/eurostat_bd_nuts3_nl.csv",
    "geo/nl_nuts3_2021.geojson",
    "firms/stated_figures.csv",
]
INDICATORS = {"V11910": "actief", "V11920": "oprichtingen", "V97020": "oprichtingsgraad_pct"}
SIZES = {"TOTAL": "totaal", "GE10": "10_plus"}


def starters(path: Path) -> pd.DataFrame:
    """CBS 83631NED new establishments (counts) per COROP region and year, from raw
    ``cbs_83631ned_corop``: one row per COROP region and year (40 regions; 2014-2017), columns
    corop (CR code), year, the nine sector groups BE, FZ, GI, JZ, KZ, LZ, MN, OQ, RU and totaal.
    Raises DataCheckError (naming the file for missing columns) when columns are missing, the
    groups do not add up to the total or there are not 40 COROP regions."""
    raw = pd.read_csv(path, dtype={"corop_code": str})
    sectors = ["BE", "FZ", "GI", "JZ", "KZ", "LZ", "MN", "OQ", "RU"]
    missing = {"corop_code", "year", *sectors, "total_sum_of_sectors"} - set(raw.columns)
    require(not missing, f"{path.name}: missing columns {sorted(missing)}")
    require((raw[sectors].sum(axis=1) == raw["total_sum_of_sectors"]).all(), "sectors != total")
    require(raw["corop_code"].nunique() == 40, "expected 40 COROP regions")
    out = raw.rename(columns={"corop_code": "corop", "total_sum_of_sectors": "totaal"})
    return out[["corop", "year", *sectors, "totaal"]].sort_values(
        ["year", "corop"], ignore_index=True
    )


def nuts3_2021(path: Path) -> gpd.GeoDataFrame:
    """The 40 Dutch NUTS 3 regions of NUTS 2021 (GISCO 1:20M, raw ``nuts2021_20m_l3``): one row per
    region, columns code, name (Latin script), geometry (EPSG:4326; shared-border simplification,
    0.002 degrees, 4 decimals), sorted by code. Raises DataCheckError when there are not 40."""
    gdf = gpd.read_file(path)
    nl = gdf[gdf["CNTR_CODE"] == "NL"].rename(columns={"NUTS_ID": "code", "NAME_LATN": "name"})
    require(len(nl) == 40, f"expected 40 Dutch NUTS 3 regions (2021), got {len(nl)}")
    out = simplify(nl[["code", "name", "geometry"]].to_crs(4326), 0.002, 4)
    return out.sort_values("code", ignore_index=True)


def business_demography(path: Path, codes: list[str]) -> pd.DataFrame:
    """Eurostat bd_size_r3 (raw ``eurostat_bd_size_r3``, TSV) for the NUTS 3 regions ``codes``: one
    row per region and year with a value, columns nuts3, year, actief_* (active enterprises),
    oprichtingen_* (enterprise births), oprichtingsgraad_pct_* (birth rate, %), each for
    ``totaal`` (all sizes) and ``10_plus`` (10 or more employees); flags dropped, ':' -> NaN.
    Raises DataCheckError naming the file when the header is not the expected one, or when the
    births of NL414 in 2015 are not 6,379 (a changed file)."""
    raw = pd.read_csv(path, sep="\t", dtype=str)
    key = raw.columns[0]
    require(key == "freq,indic_sb,sizeclas,nace_r2,geo\\TIME_PERIOD", f"{path.name}: header")
    parts = raw[key].str.split(",", expand=True)
    raw["indicator"], raw["size"], raw["nace"], raw["geo"] = parts[1], parts[2], parts[3], parts[4]
    keep = raw["indicator"].isin(INDICATORS) & raw["size"].isin(SIZES) & raw["geo"].isin(codes)
    rows = raw[keep].drop(columns=[key, "nace"])
    long = rows.melt(id_vars=["indicator", "size", "geo"], var_name="year", value_name="raw")
    long["year"] = long["year"].str.strip().astype(int)
    long["value"] = long["raw"].map(eurostat_number)
    long["measure"] = long["indicator"].map(INDICATORS) + "_" + long["size"].map(SIZES)
    wide = long.pivot_table(index=["geo", "year"], columns="measure", values="value").reset_index()
    wide = wide.rename(columns={"geo": "nuts3"}).dropna(how="all", subset=wide.columns[2:])
    wide.columns.name = None
    check = wide.query("nuts3 == 'NL414' and year == 2015")["oprichtingen_totaal"]
    require(float(check.iloc[0]) == 6379, "Eurostat births NL414 2015 changed")
    return wide.sort_values(["nuts3", "year"], ignore_index=True)


def stated(path: Path) -> pd.DataFrame:
    """Figures about the report stated on public pages (raw ``stated_figures``), unchanged: one row
    per figure, every column as text (indicator, geography, year, value_as_stated, unit,
    source_url, ...). Raises DataCheckError naming the file when one of those columns is
    missing."""
    raw = pd.read_csv(path, dtype=str)
    expected = {"indicator", "geography", "year", "value_as_stated", "unit", "source_url"}
    require(expected <= set(raw.columns), f"{path.name}: missing columns")
    return raw


def run(out_dir: Path) -> list[Path]:
    """Load ``cbs_83631ned_corop``, ``eurostat_bd_size_r3``, ``nuts2021_20m_l3`` and
    ``stated_figures`` (registry) -> process -> save ``firms/starters_corop.csv``,
    ``firms/eurostat_bd_nuts3_nl.csv``, ``geo/nl_nuts3_2021.geojson`` and
    ``firms/stated_figures.csv`` under ``out_dir``; returns the written paths.
    Raises DataSourceError (naming the source id and path) when a raw file is missing,
    cannot be downloaded or fails its checksum; DataCheckError when a check fails."""
    geo = nuts3_2021(fetch("nuts2021_20m_l3"))
    demography = business_demography(fetch("eurostat_bd_size_r3"), list(geo["code"]))
    return [
        write_csv(starters(fetch("cbs_83631ned_corop")), out_dir / OUTPUTS[0]),
        write_csv(demography, out_dir / OUTPUTS[1]),
        write_geojson(geo, out_dir / OUTPUTS[2]),
        write_csv(stated(fetch("stated_figures")), out_dir / OUTPUTS[3]),
    ]
