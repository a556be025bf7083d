"""The newest Eurostat regional data (downloads of 2025-2026): tertiary attainment per Dutch
provincie, GDP per inhabitant in PPS for every European region, and the (confidential) Dutch
regional R&D intensity.

Load inputs: Eurostat tgs00109, persons aged 25-64 with tertiary attainment, NUTS 2, 2013-2024
(``eurostat_tgs00109``, SDMX-CSV with flags); GDP per inhabitant in PPS, EU27_2020 = 100,
NUTS 0-2, 2000-2023 (``eurostat_gdp_pps_eu100``, flags dropped by the repository's ingest);
tgs00042, GERD as % of GDP, NUTS 2, 2013-2023 (``eurostat_tgs00042``).
Process: tertiary attainment for the 12 Dutch provincies with the CBS provincie code: Eurostat
gives Utrecht and Zuid-Holland as NL31 and NL33 (NUTS 2021) to 2018 and as NL35 and NL36
(NUTS 2024, Vijfheerenlanden in Utrecht) from 2019, as the provincies were in each year; both
codes of a provincie map to its PV code (:data:`NUTS2_TO_PV`). GDP in PPS for every region of
the file with its NUTS level. tgs00042: every Dutch value is confidential (checked: the step
fails when Eurostat publishes one, so that it is then processed).
Save outputs: ``eurostat/tertiary_25_64_nl.csv``, ``eurostat/gdp_pps_eu100_nuts.csv.gz``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.checks import require
from helpers.data.processing.outputs import write_csv
from helpers.data.processing.rd import PV_TO_NUTS2
from helpers.data.registry import fetch

SOURCES = ["eurostat_tgs00109", "eurostat_gdp_pps_eu100", "eurostat_tgs00042"]
TERTIARY = "eurostat/tertiary_25_64_nl.csv"
GDP_PPS = "eurostat/gdp_pps_eu100_nuts.csv.gz"
OUTPUTS = [TERTIARY, GDP_PPS]

# NUTS 2 (2021 and 2024 codes) -> CBS provincie. NUTS 2024 renamed Utrecht NL31 -> NL35 and
# Zuid-Holland NL33 -> NL36 (Vijfheerenlanden moved from Zuid-Holland to Utrecht in 2019).
NUTS2_TO_PV = {
    **{nuts: pv for pv, nuts in PV_TO_NUTS2.items()},
    "NL35": "PV26",
    "NL36": "PV28",
}
TERTIARY_YEARS = range(2013, 2025)
GDP_PPS_YEARS = range(2000, 2024)
GERD_NL_ROWS = 12 * 11  # 12 provincies x 2013-2023


def read_sdmx(path: Path, table: str) -> pd.DataFrame:
    """A Eurostat SDMX-CSV export ("labels = both"), every field text; empty stays empty."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    required = {"geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"}
    require(required <= set(raw.columns), f"{table}: missing columns {required - set(raw.columns)}")
    return raw


def single(raw: pd.DataFrame, column: str, value: str, table: str) -> None:
    """The file holds one value of a dimension (the subset stated in SOURCE.md)."""
    found = sorted(set(raw[column]))
    require(found == [value], f"{table}: {column} is {found}, expected only {value}")


def tertiary(raw: pd.DataFrame) -> pd.DataFrame:
    """tgs00109 for the Dutch provincies: provincie, nuts2 (as Eurostat gives it), year,
    tertiary_pct_25_64 (%), flag (Eurostat's, e.g. ``b`` break in series; else empty)."""
    for column, value in (("unit", "PC"), ("isced11", "ED5-8"), ("age", "Y25-64"), ("sex", "T")):
        single(raw, column, value, "tgs00109")
    nl = raw[raw["geo"].str.fullmatch(r"NL[1-4][0-9]")].copy()
    unknown = sorted(set(nl["geo"]) - set(NUTS2_TO_PV))
    require(not unknown, f"tgs00109: Dutch NUTS 2 codes without a provincie: {unknown}")
    out = pd.DataFrame(
        {
            "provincie": nl["geo"].map(NUTS2_TO_PV),
            "nuts2": nl["geo"],
            "year": nl["TIME_PERIOD"].astype(int),
            "tertiary_pct_25_64": pd.to_numeric(nl["OBS_VALUE"].replace("", None)),
            "flag": nl["OBS_FLAG"].replace("", None),
        }
    )
    out = out.dropna(subset=["tertiary_pct_25_64"])
    require(
        not out.duplicated(["provincie", "year"]).any(),
        "tgs00109: a provincie has values under two NUTS codes in one year",
    )
    per_year = out.groupby("year")["provincie"].nunique()
    require(
        set(per_year.index) == set(TERTIARY_YEARS) and per_year.eq(12).all(),
        "tgs00109: not 12 provincies in every year 2013-2024",
    )
    for nuts, years in (("NL31", range(2013, 2019)), ("NL35", range(2019, 2025))):
        require(
            set(out.loc[out["nuts2"] == nuts, "year"]) == set(years),
            f"tgs00109: {nuts} expected in {years.start}-{years.stop - 1}",
        )
    out = out.sort_values(["provincie", "year"], ignore_index=True)
    for code, year, expected in (("NL35", 2024, 56.5), ("NL41", 2024, 43.1), ("NL41", 2013, 32.2)):
        got = out.loc[(out["nuts2"] == code) & (out["year"] == year), "tertiary_pct_25_64"]
        require(
            len(got) == 1 and abs(float(got.iloc[0]) - expected) < 1e-9,
            f"tgs00109 {code} {year}: {got.tolist()}, expected {expected}",
        )
    return out


def gdp_pps(raw: pd.DataFrame) -> pd.DataFrame:
    """GDP per inhabitant in PPS, EU27_2020 = 100, for every region of the file: nuts (NUTS
    code as the file gives it, NUTS 2024 for the Netherlands; ``EU27_2020``), nuts_level (0-2;
    empty for the EU), country, year, gdp_pps_eu100."""
    require(
        list(raw.columns) == ["freq", "unit", "geo", "time", "obs_value"],
        f"gdp_pps_eu100: unexpected columns {list(raw.columns)}",
    )
    single(raw, "unit", "PPS_HAB_EU27_2020", "gdp_pps_eu100")
    single(raw, "freq", "A", "gdp_pps_eu100")
    is_eu = raw["geo"] == "EU27_2020"
    require(
        raw.loc[~is_eu, "geo"].str.fullmatch(r"[A-Z]{2}[0-9A-Z]{0,2}").all(),
        "gdp_pps_eu100: codes that are not NUTS 0-2",
    )
    out = pd.DataFrame(
        {
            "nuts": raw["geo"],
            "nuts_level": (raw["geo"].str.len() - 2).where(~is_eu).astype("Int64"),
            "country": raw["geo"].str[:2],
            "year": raw["time"].astype(int),
            "gdp_pps_eu100": pd.to_numeric(raw["obs_value"].replace("", None)).astype("Int64"),
        }
    ).dropna(subset=["gdp_pps_eu100"])
    require(not out.duplicated(["nuts", "year"]).any(), "gdp_pps_eu100: a region twice a year")
    require(set(out["year"]) == set(GDP_PPS_YEARS), "gdp_pps_eu100: years are not 2000-2023")
    eu = out[out["nuts"] == "EU27_2020"]
    require(
        len(eu) == len(GDP_PPS_YEARS) and eu["gdp_pps_eu100"].eq(100).all(),
        "gdp_pps_eu100: EU27_2020 is not 100 in every year",
    )
    dutch = set(out.loc[(out["country"] == "NL") & (out["nuts_level"] == 2), "nuts"])
    require(
        dutch == set(NUTS2_TO_PV) - {"NL31", "NL33"},
        f"gdp_pps_eu100: Dutch NUTS 2 regions are {sorted(dutch)}, expected NUTS 2024",
    )
    for code, year, expected in (("NL41", 2023, 137), ("NL35", 2023, 159)):
        got = out.loc[(out["nuts"] == code) & (out["year"] == year), "gdp_pps_eu100"]
        require(
            len(got) == 1 and int(got.iloc[0]) == expected,
            f"gdp_pps_eu100 {code} {year}: {got.tolist()}, expected {expected}",
        )
    return out.sort_values(["nuts", "year"], ignore_index=True)


def check_gerd_confidential(raw: pd.DataFrame) -> None:
    """tgs00042: every Dutch NUTS 2 value 2013-2023 is confidential (``CONF_STATUS`` ``C``,
    no value). Fails when that changes: then Eurostat publishes Dutch regional R&D intensity
    and it should be processed."""
    single(raw, "unit", "PC_GDP", "tgs00042")
    single(raw, "sectperf", "TOTAL", "tgs00042")
    nl = raw[raw["geo"].str.startswith("NL")]
    require(
        len(nl) == GERD_NL_ROWS
        and nl["CONF_STATUS"].eq("C").all()
        and nl["OBS_VALUE"].eq("").all(),
        "tgs00042: Dutch regional GERD is no longer all confidential "
        f"({int(nl['OBS_VALUE'].ne('').sum())} of {len(nl)} values published): process it",
    )
    others = raw[~raw["geo"].str.startswith("NL")]
    require(others["OBS_VALUE"].ne("").sum() > 2000, "tgs00042: too few published values")


def run(out_dir: Path) -> list[Path]:
    """Load, process, check and save (see the module docstring); returns the written files."""
    check_gerd_confidential(read_sdmx(fetch("eurostat_tgs00042"), "tgs00042"))
    table = tertiary(read_sdmx(fetch("eurostat_tgs00109"), "tgs00109"))
    pps = gdp_pps(pd.read_csv(fetch("eurostat_gdp_pps_eu100"), dtype=str, keep_default_na=False))
    return [write_csv(table, out_dir / TERTIARY), write_csv(pps, out_dir / GDP_PPS)]
