"""Chapter 'R&D-uitgaven': R&D per province (CBS 82352NED), R&D intensity against regional
GDP (Eurostat), the public/private relation (published values; what open data allow) and
private R&D per COROP region (restricted: a user-supplied file, else a patent proxy).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers import config
from helpers.data.checks import UnknownParameterError, check_year
from helpers.data.registry import validate
from helpers.data.tables import dutch_province_indicators, eurostat_panel
from helpers.geography import nl

RIS_RD_INDICATORS = {
    "publiek": "2.1.1 R&D expenditure in the public sector (Regional)",
    "privaat": "2.2.1 R&D expenditure in the business sector (Regional)",
}

# Schema of the restricted CBS table 'private R&D per COROP region' that a user may supply.
COROP_RD_SCHEMA = pa.DataFrameSchema(
    {
        "corop": pa.Column(str, pa.Check.str_matches(r"^CR\d{2}$")),
        "jaar": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "rd_bedrijven_mln_euro": pa.Column(float, pa.Check.ge(0)),
    },
    unique=["corop", "jaar"],
    strict=False,
    coerce=True,
    name="private R&D per COROP (user file)",
)


def load_rd() -> pd.DataFrame:
    """CBS R&D expenditure (own personnel, all sectors) per province and year."""
    return pd.read_csv(config.data_file("processed", "rd", "cbs_rd_provincie.csv"))


def available_years() -> list[int]:
    return sorted(int(y) for y in load_rd()["year"].unique())


def rd_for_year(year: int) -> pd.DataFrame:
    """The 12 provinces in ``year``, largest first, with their share of the national total."""
    rd = load_rd()
    year = check_year(year, available_years(), "CBS 82352NED (R&D per province)")
    table = rd[rd["year"] == year].copy()
    assert len(table) == 12, f"expected 12 provinces in {year}, got {len(table)}"
    table["aandeel_pct"] = table["rd_mln_euro"] / table["rd_mln_euro"].sum() * 100
    table = table.sort_values("rd_mln_euro", ascending=False, kind="stable", ignore_index=True)
    table["rang"] = range(1, len(table) + 1)
    table.attrs.update(year=year, total=float(table["rd_mln_euro"].sum()))
    return table


def gdp() -> pd.DataFrame:
    return pd.read_csv(config.data_file("processed", "rd", "gdp_nl.csv"), dtype={"vintage": str})


def gdp_last_years() -> dict[str, int]:
    """The last year each Eurostat GDP vintage covers, oldest vintage first."""
    last = gdp().groupby("vintage")["year"].max()
    return {str(vintage): int(year) for vintage, year in last.sort_index().items()}


def intensity(rd_year: pd.DataFrame) -> pd.DataFrame:
    """R&D intensity per province: CBS R&D over Eurostat GDP of each vintage that has the
    year (``pct_bbp_<vintage>``), next to Eurostat's own regional GERD as % of GDP
    (``pct_bbp_eurostat``, a different survey total) and the difference with it."""
    year = rd_year.attrs["year"]
    out = rd_year[["provincie", "provincie_naam", "nuts2", "rd_mln_euro"]].copy()
    vintages = []
    for vintage, part in gdp().groupby("vintage"):
        rows = part[part["year"] == year].set_index("nuts2")["gdp_mln_euro"]
        if len(rows) == 12:
            out[f"bbp_{vintage}"] = out["nuts2"].map(rows)
            out[f"pct_bbp_{vintage}"] = out["rd_mln_euro"] / out[f"bbp_{vintage}"] * 100
            vintages.append(vintage)
    if not vintages:
        raise UnknownParameterError(f"No Eurostat GDP for {year} in any vintage")
    panel = eurostat_panel()
    eurostat = panel[panel["year"] == year].set_index("nuts2")["rd_pct_gdp_total"]
    out["pct_bbp_eurostat"] = out["nuts2"].map(eurostat)
    main = f"pct_bbp_{max(vintages)}"
    out["verschil_eurostat"] = out[main] - out["pct_bbp_eurostat"]
    out = out.sort_values(main, ascending=False, kind="stable", ignore_index=True)
    out.attrs.update(year=year, vintages=vintages, main_vintage=max(vintages))
    return out


def published() -> pd.DataFrame:
    """Published statements on public/private R&D in 2015 (see data/published/README.md)."""
    return pd.read_csv(config.data_file("published", "rd2015_gepubliceerd.csv"))


def ris_rd_variation() -> pd.DataFrame:
    """For the RIS public- and business-sector R&D indicators: per year, how many different
    values the 12 Dutch provinces have (1 = the national value repeated: no regional data)."""
    rows = dutch_province_indicators(list(RIS_RD_INDICATORS.values()))
    out = rows.groupby(["indicator", "year"], as_index=False).agg(
        provincies=("region", "nunique"), verschillende_waarden=("value", "nunique")
    )
    return out


def business_rd_eurostat() -> pd.DataFrame:
    """Eurostat business-sector R&D as % of GDP per province, where the panel has it."""
    panel = eurostat_panel().dropna(subset=["rd_pct_gdp_business"])
    return panel[["nuts2", "year", "rd_pct_gdp_business"]].reset_index(drop=True)


# --- COROP: user file or patent proxy ------------------------------------------------------


def load_corop_rd(path: str | Path, year: int) -> pd.DataFrame:
    """A user-supplied file of private R&D per COROP (schema :data:`COROP_RD_SCHEMA`,
    documented in ``data/README-user-files.md``) for ``year``; errors name the file."""
    path = config.user_file(path, "COROP R&D file")
    raw = pd.read_csv(path, dtype={"corop": str})
    missing = {"corop", "jaar", "rd_bedrijven_mln_euro"} - set(raw.columns)
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {sorted(missing)}")
    raw["corop"] = raw["corop"].map(nl.clean_code)
    table = validate(COROP_RD_SCHEMA, raw, path.name)
    known = set(nl.corop_to_nuts3()["corop"])
    unknown = sorted(set(table["corop"]) - known)
    if unknown:
        raise ValueError(f"{path.name}: unknown COROP codes {unknown}")
    year = check_year(year, sorted(table["jaar"].unique().tolist()), path.name)
    return table[table["jaar"] == year].reset_index(drop=True)


def patents_years() -> list[int]:
    patents = pd.read_csv(config.data_file("processed", "rd", "patents_nuts3_nl.csv"))
    return sorted(int(y) for y in patents["year"].unique())


def patents_per_corop(year: int) -> pd.DataFrame:
    """EPO patent applications (priority year) per COROP region via NUTS 3 = COROP."""
    patents = pd.read_csv(config.data_file("processed", "rd", "patents_nuts3_nl.csv"))
    year = check_year(year, patents_years(), "Eurostat pat_ep_rtot (EPO patents by NUTS 3)")
    rows = patents[patents["year"] == year]
    table = nl.corop_to_nuts3().merge(rows, on="nuts3", how="left")
    table["applications"] = table["applications"].fillna(0.0)
    table = table.sort_values("applications", ascending=False, kind="stable", ignore_index=True)
    table["aandeel_pct"] = table["applications"] / table["applications"].sum() * 100
    table.attrs["year"] = year
    return table
