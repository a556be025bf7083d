"""RIS 2023 database -> tidy tables.

Load inputs: ``ris_2023`` (sheet ``RIS``, long format).
Process: rename to snake_case, derive the NUTS level from the code, drop placeholder regions
(no index in any year, e.g. NO0B Jan Mayen and Svalbard), keep the EU reference row.
Save outputs: ``ris/ris2023_summary.csv`` (Summary Innovation Index per region and year) and
``ris/ris2023_indicators.csv.gz`` (all indicators, long).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.data.checks import require
from helpers.data.processing.outputs import write_csv
from helpers.data.registry import fetch, validate

SOURCES = ["ris_2023"]
OUTPUTS = ["ris/ris2023_summary.csv", "ris/ris2023_indicators.csv.gz"]
SUMMARY_INDICATOR = "0 Summary Innovation Index"

RAW_SCHEMA = pa.DataFrameSchema(
    {
        "Indicator": pa.Column(str),
        "Year": pa.Column(int, pa.Check.in_range(2000, 2100)),
        "Zone": pa.Column(str, nullable=True),
        "Country": pa.Column(str),
        "Region": pa.Column(str, pa.Check.str_matches(r"^([A-Z]{2}[0-9A-Z]{0,2})$")),
        "RegionName": pa.Column(str),
        "Value": pa.Column(float, nullable=True),
        "performance group": pa.Column(str, nullable=True),
    },
    strict=False,
    coerce=True,
    name="RIS database (sheet RIS)",
)

SUMMARY_SCHEMA = pa.DataFrameSchema(
    {
        "region": pa.Column(str),
        "region_name": pa.Column(str),
        "country": pa.Column(str),
        "nuts_level": pa.Column("Int64", pa.Check.isin([0, 1, 2]), nullable=True),
        "year": pa.Column(int),
        "index": pa.Column(float, pa.Check.gt(0)),
        "performance_group_2023": pa.Column(
            str, pa.Check.isin(["Leader", "Strong", "Moderate", "Emerging", "EU"])
        ),
    },
    unique=["region", "year"],
    strict=True,
    name="ris2023_summary",
)


def load(path: Path) -> pd.DataFrame:
    """Read and validate the raw RIS sheet."""
    raw = pd.read_excel(path, sheet_name="RIS")
    return validate(RAW_SCHEMA, raw, path)


def process(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tidy long table of all indicators, and the summary index table."""
    df = raw.rename(
        columns={
            "Indicator": "indicator",
            "Year": "year",
            "Zone": "zone",
            "Country": "country",
            "CountryName": "country_name",
            "Region": "region",
            "RegionName": "region_name",
            "Value": "value",
            "performance group": "performance_group_2023",
        }
    )[
        [
            "indicator", "year", "region", "region_name", "country", "country_name",
            "zone", "value", "performance_group_2023",
        ]
    ]  # fmt: skip
    df["region_name"] = df["region_name"].str.strip()
    is_summary = df["indicator"] == SUMMARY_INDICATOR
    # Placeholder regions carry an index of 0 and no group in every year.
    per_region = df[is_summary].groupby("region")["value"].max()
    placeholders = sorted(per_region[per_region.fillna(0) <= 0].index)
    df = df[~df["region"].isin(placeholders)].copy()
    df["nuts_level"] = df["region"].map(nuts_level).astype("Int64")
    df = df.sort_values(["indicator", "region", "year"], kind="stable").reset_index(drop=True)

    summary = df[df["indicator"] == SUMMARY_INDICATOR].rename(columns={"value": "index"})
    summary = summary[
        [
            "region",
            "region_name",
            "country",
            "nuts_level",
            "year",
            "index",
            "performance_group_2023",
        ]
    ].sort_values(["region", "year"], kind="stable")
    summary = validate(SUMMARY_SCHEMA, summary.reset_index(drop=True), "ris2023_summary")

    # Sanity: the EU reference is 100 in the first year; the 12 Dutch provinces are present.
    eu = summary[summary["region"] == "EU"].set_index("year")["index"]
    require(abs(eu.iloc[0] - 100.0) < 1e-9, "RIS: EU index of the first year should be 100")
    dutch = summary.loc[summary["country"] == "NL", "region"].unique()
    require(
        len(dutch) == 12 and all(c.startswith("NL") for c in dutch),
        f"RIS: expected the 12 Dutch provinces, found {dutch}",
    )
    years = sorted(summary["year"].unique())
    require(years == list(range(years[0], years[-1] + 1)), f"RIS: gaps in years {years}")
    print(f"[data] ris: dropped placeholder regions without any index: {placeholders}")
    return df, summary


def nuts_level(code: str) -> int | None:
    """NUTS level from the length of a code (``NL`` 0, ``NL3`` 1, ``NL31`` 2); ``EU`` -> None."""
    if code == "EU":
        return None
    return len(code) - 2


def run(out_dir: Path) -> list[Path]:
    """Load ``ris_2023`` (registry) -> :func:`process` -> save ``ris/ris2023_summary.csv`` and
    ``ris/ris2023_indicators.csv.gz`` under ``out_dir``; returns the written paths. Raises
    DataSourceError (naming the source id and path) when the raw file is missing or fails its
    checksum, SchemaError naming the file or table when it does not match its schema,
    DataCheckError when a check fails."""
    raw = load(fetch("ris_2023"))
    indicators, summary = process(raw)
    return [
        write_csv(summary, out_dir / OUTPUTS[0]),
        write_csv(indicators, out_dir / OUTPUTS[1]),
    ]
