"""R&D and human capital, Dutch provinces and COROP regions.

Load inputs: CBS 82352NED R&D per province (``cbs_82352ned_rd_provincie``), Eurostat regional
GDP in two vintages (``eurostat_gdp_nuts2_2017v``, ``eurostat_gdp_nuts3_2023v``), the Eurostat
regional panel (``eurostat_i40_panel``: R&D as % of GDP by sector, tertiary attainment) and EPO
patent applications by NUTS 3 (``eurostat_patents_nl``).
Process: tidy long tables for the Dutch NUTS 2 / NUTS 3 regions; flags and ':' become missing.
Save outputs: ``rd/cbs_rd_provincie.csv``, ``rd/gdp_nl.csv``, ``rd/eurostat_panel_nl.csv``,
``rd/patents_nuts3_nl.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.data.checks import require
from helpers.data.processing.eurostat import eurostat_number
from helpers.data.processing.outputs import write_csv
from helpers.data.registry import fetch, validate

SOURCES = [
    "cbs_82352ned_rd_provincie",
    "eurostat_gdp_nuts2_2017v",
    "eurostat_gdp_nuts3_2023v",
    "eurostat_i40_panel",
    "eurostat_patents_nl",
]
OUTPUTS = [
    "rd/cbs_rd_provincie.csv",
    "rd/gdp_nl.csv",
    "rd/eurostat_panel_nl.csv",
    "rd/patents_nuts3_nl.csv",
]

# CBS province code (PV) -> NUTS 2 (2013-2021 codes)
PV_TO_NUTS2 = {
    "PV20": "NL11", "PV21": "NL12", "PV22": "NL13", "PV23": "NL21", "PV24": "NL23",
    "PV25": "NL22", "PV26": "NL31", "PV27": "NL32", "PV28": "NL33", "PV29": "NL34",
    "PV30": "NL41", "PV31": "NL42",
}  # fmt: skip
NL_NUTS2 = sorted(PV_TO_NUTS2.values())

CBS_RD_SCHEMA = pa.DataFrameSchema(
    {
        "statcode": pa.Column(str, pa.Check.isin(list(PV_TO_NUTS2))),
        "statnaam": pa.Column(str),
        "jaar": pa.Column(int, pa.Check.in_range(2000, 2100)),
        "status": pa.Column(str, nullable=True),
        "rd_uitgaven_eigen_personeel_mln_euro": pa.Column(float, pa.Check.ge(0)),
        "rd_arbeidsjaren_eigen_personeel": pa.Column(float, pa.Check.ge(0)),
    },
    unique=["statcode", "jaar"],
    coerce=True,
    name="CBS 82352NED (transcribed)",
)

# Eurostat panel columns kept: name in the output -> column in the panel
PANEL_COLUMNS = {
    "rd_pct_gdp_total": "rd_e_gerdreg_SECTPERF_TOTAL__UNIT_PC_GDP",
    "rd_pct_gdp_business": "rd_e_gerdreg_SECTPERF_BES__UNIT_PC_GDP",
    "rd_pct_gdp_government": "rd_e_gerdreg_SECTPERF_GOV__UNIT_PC_GDP",
    "rd_pct_gdp_higher_education": "rd_e_gerdreg_SECTPERF_HES__UNIT_PC_GDP",
    "tertiary_pct_25_64": "edat_lfse_04_SEX_T__ISCED11_ED5-8__AGE_Y25-64__UNIT_PC",
}


def cbs_rd(path: Path) -> pd.DataFrame:
    """CBS 82352NED R&D per province (raw ``cbs_82352ned_rd_provincie``, transcribed), all sectors
    together: one row per province and year, columns provincie (PV code), provincie_naam, nuts2,
    year, status (as marked by CBS; ``definitief`` when unmarked), rd_mln_euro (R&D expenditure
    by own personnel, mln euro), rd_arbeidsjaren (person-years of own personnel). Raises
    SchemaError naming the file when it does not match :data:`CBS_RD_SCHEMA`, DataCheckError
    naming the file when a year does not have all 12 provinces."""
    raw = validate(CBS_RD_SCHEMA, pd.read_csv(path, dtype={"status": str}), path.name)
    require(len(raw) == 12 * raw["jaar"].nunique(), f"{path.name}: not 12 provinces per year")
    return pd.DataFrame(
        {
            "provincie": raw["statcode"],
            "provincie_naam": raw["statnaam"],
            "nuts2": raw["statcode"].map(PV_TO_NUTS2),
            "year": raw["jaar"],
            "status": raw["status"].fillna("definitief"),
            "rd_mln_euro": raw["rd_uitgaven_eigen_personeel_mln_euro"],
            "rd_arbeidsjaren": raw["rd_arbeidsjaren_eigen_personeel"],
        }
    ).sort_values(["year", "provincie"], ignore_index=True)


def gdp_2017_vintage(path: Path) -> pd.DataFrame:
    """Eurostat nama_10r_2gdp, 2017 vintage (raw ``eurostat_gdp_nuts2_2017v``, TSV): GDP at current
    market prices of the 12 Dutch NUTS 2 regions, one row per region and year, columns geo,
    year, gdp_mln_euro (mln euro; flags dropped, ':' -> missing), vintage ``"2017"``. Raises
    DataCheckError naming the file when its first column is not the expected key column."""
    raw = pd.read_csv(path, sep="\t", dtype=str)
    key = raw.columns[0]
    require(key == "unit,geo\\time", f"{path.name}: unexpected first column {key!r}")
    raw[["unit", "geo"]] = raw[key].str.split(",", expand=True)
    raw = raw[(raw["unit"] == "MIO_EUR") & raw["geo"].isin(NL_NUTS2)].drop(columns=[key, "unit"])
    long = raw.melt(id_vars="geo", var_name="year", value_name="value")
    long["year"] = long["year"].str.strip().astype(int)
    long["gdp_mln_euro"] = long["value"].map(eurostat_number)
    long["vintage"] = "2017"
    return long.drop(columns="value")


def gdp_2023_vintage(path: Path) -> pd.DataFrame:
    """Eurostat nama_10r_3gdp, 2023 vintage (raw ``eurostat_gdp_nuts3_2023v``, CSV), rows of the 12
    Dutch NUTS 2 regions: one row per region and year, columns geo, year, gdp_mln_euro (mln
    euro; flags dropped, ':' -> missing), vintage ``"2023"``. Raises DataCheckError naming the
    file when the columns unit, geo or 2015 are missing."""
    raw = pd.read_csv(path, dtype=str)
    require({"unit", "geo", "2015"} <= set(raw.columns), f"{path.name}: unexpected columns")
    raw = raw[(raw["unit"] == "MIO_EUR") & raw["geo"].isin(NL_NUTS2)]
    long = raw.drop(columns=["freq", "unit"]).melt(
        id_vars="geo", var_name="year", value_name="value"
    )
    long["year"] = long["year"].astype(int)
    long["gdp_mln_euro"] = long["value"].map(eurostat_number)
    long["vintage"] = "2023"
    return long.drop(columns="value")


def gdp(path_2017: Path, path_2023: Path) -> pd.DataFrame:
    """Both GDP vintages in one table (``path_2017``: raw ``eurostat_gdp_nuts2_2017v``,
    ``path_2023``: raw ``eurostat_gdp_nuts3_2023v``): one row per vintage, NUTS 2 region and year
    with a value, columns nuts2, year, vintage (``"2017"``/``"2023"``), gdp_mln_euro (mln euro).
    Raises DataCheckError when a vintage lacks one of the 12 provinces or the 2023 vintage's
    NL41 2015 value is not 101,630.4."""
    table = pd.concat([gdp_2017_vintage(path_2017), gdp_2023_vintage(path_2023)])
    table = table.dropna(subset=["gdp_mln_euro"]).rename(columns={"geo": "nuts2"})
    for vintage, part in table.groupby("vintage"):
        require(set(part["nuts2"]) == set(NL_NUTS2), f"GDP {vintage}: not all 12 provinces")
    check = table.query("vintage == '2023' and nuts2 == 'NL41' and year == 2015")
    require(abs(float(check["gdp_mln_euro"].iloc[0]) - 101630.4) < 0.1, "GDP NL41 2015 changed")
    return table[["nuts2", "year", "vintage", "gdp_mln_euro"]].sort_values(
        ["vintage", "nuts2", "year"], ignore_index=True
    )


def panel(path: Path) -> pd.DataFrame:
    """Eurostat regional panel (raw ``eurostat_i40_panel``, compiled from Eurostat tables by Honti
    et al. 2020) for the 12 Dutch NUTS 2 regions: one row per region and year with a value,
    columns nuts2, year, rd_pct_gdp_total/_business/_government/_higher_education (R&D
    expenditure as % of GDP by sector, rd_e_gerdreg) and tertiary_pct_25_64 (% of 25-64 year
    olds with tertiary education, edat_lfse_04). Raises DataCheckError when a province is
    missing (ValueError from pandas when a column is missing)."""
    raw = pd.read_csv(path, sep="\t", usecols=["NUTS2", "YEAR", *PANEL_COLUMNS.values()])
    nl = raw[raw["NUTS2"].isin(NL_NUTS2)].rename(
        columns={"NUTS2": "nuts2", "YEAR": "year", **{v: k for k, v in PANEL_COLUMNS.items()}}
    )
    nl = nl.dropna(subset=list(PANEL_COLUMNS), how="all")
    require(set(nl["nuts2"]) == set(NL_NUTS2), "panel: not all 12 Dutch provinces")
    return nl[["nuts2", "year", *PANEL_COLUMNS]].sort_values(["nuts2", "year"], ignore_index=True)


def patents(path: Path) -> pd.DataFrame:
    """EPO patent applications by priority year per Dutch NUTS 3 region (raw
    ``eurostat_patents_nl``: Eurostat pat_ep_rtot, to 2012, NUTS 2013 codes): one row per region
    and year, columns nuts3, year, applications (number, fractional counts). Raises
    DataCheckError naming the file when its columns differ; DataCheckError when there are not
    40 regions or NL414 2011 is not 1,430.93."""
    raw = pd.read_csv(path)
    require(list(raw.columns) == ["unit", "geo", "time", "values"], f"{path.name}: columns")
    nuts3 = raw[(raw["unit"] == "NR") & raw["geo"].str.fullmatch(r"NL[1-4][0-9A-Z]{2}")]
    out = nuts3.rename(columns={"geo": "nuts3", "time": "year", "values": "applications"})
    require(out["nuts3"].nunique() == 40, "patents: expected 40 Dutch NUTS 3 regions")
    check = out.query("nuts3 == 'NL414' and year == 2011")["applications"]
    require(abs(float(check.iloc[0]) - 1430.93) < 0.01, "patents: NL414 2011 changed")
    return out[["nuts3", "year", "applications"]].sort_values(["nuts3", "year"], ignore_index=True)


def run(out_dir: Path) -> list[Path]:
    """Load ``cbs_82352ned_rd_provincie``, ``eurostat_gdp_nuts2_2017v``,
    ``eurostat_gdp_nuts3_2023v``, ``eurostat_i40_panel`` and ``eurostat_patents_nl`` (registry)
    -> process -> save ``rd/cbs_rd_provincie.csv``, ``rd/gdp_nl.csv``,
    ``rd/eurostat_panel_nl.csv`` and ``rd/patents_nuts3_nl.csv`` under ``out_dir``; returns the
    written paths.
    Raises DataSourceError (naming the source id and path) when a raw file is missing,
    cannot be downloaded or fails its checksum; DataCheckError when a check fails.
    (One of the checks: the CBS R&D total of 2015 is 13,695 mln euro.)"""
    rd = cbs_rd(fetch("cbs_82352ned_rd_provincie"))
    require(rd.query("year == 2015")["rd_mln_euro"].sum() == 13695, "CBS R&D 2015 total changed")
    return [
        write_csv(rd, out_dir / OUTPUTS[0]),
        write_csv(
            gdp(fetch("eurostat_gdp_nuts2_2017v"), fetch("eurostat_gdp_nuts3_2023v")),
            out_dir / OUTPUTS[1],
        ),
        write_csv(panel(fetch("eurostat_i40_panel")), out_dir / OUTPUTS[2]),
        write_csv(patents(fetch("eurostat_patents_nl")), out_dir / OUTPUTS[3]),
    ]
