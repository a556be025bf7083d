"""Loaders of processed tables that several chapters read (RIS indicators, the Eurostat panel).
Each reads through :func:`helpers.config.data_file`, so the runner tracks the read."""

from __future__ import annotations

import pandas as pd

from helpers import config


def dutch_province_indicators(names: list[str], edition: int = 2023) -> pd.DataFrame:
    """RIS indicators ``names`` for the 12 Dutch provinces (NUTS 2), long: indicator, year,
    region, value, and per indicator and year the number of distinct provincial values
    (``verschillende_waarden``; 1 = the national value repeated for every province)."""
    path = config.data_file("processed", "ris", f"ris{edition}_indicators.csv.gz")
    ris = pd.read_csv(path, usecols=["indicator", "year", "region", "country", "value"])
    rows = ris[
        ris["indicator"].isin(names) & (ris["country"] == "NL") & (ris["region"].str.len() == 4)
    ].copy()
    rows["verschillende_waarden"] = rows.groupby(["indicator", "year"])["value"].transform(
        "nunique"
    )
    return rows.reset_index(drop=True)


def eurostat_panel() -> pd.DataFrame:
    """Eurostat NUTS 2 panel for the 12 provinces (processed from the i40 indicator database):
    one row per region and year with R&D, tertiary attainment and related indicators."""
    return pd.read_csv(config.data_file("processed", "rd", "eurostat_panel_nl.csv"))
