"""The newest open CBS regional data ("then and now"): six StatLine tables of the OData dump
of 22 April 2025, as tidy tables with CBS region codes, one row per region and year.

Load inputs: CBS 85525NED education level of the population 15-75 (``cbs_85525ned``), 83631NED
new establishments (``cbs_83631ned``), 81644NED establishments by size class
(``cbs_81644ned``), 81575NED establishments per gemeente (``cbs_81575ned``), 82352NED R&D per
provincie (``cbs_82352ned``; compared with the transcribed ``cbs_82352ned_rd_provincie``),
85924NED regional GDP (``cbs_85924ned``) and 70739ned, the titles, codes, begin and end dates
of every region (``cbs_70739ned``).

Process: the dump carries region *titles* (``Amsterdam``, ``Utrecht (gemeente)``,
``Groot-Amsterdam (CR)``, ``Fryslân (PV)``), not codes. Each title is given its code by
70739ned (see :func:`region_titles`); a gemeente row belongs to year Y when the gemeente
existed on 1 January Y (begin <= Y0101 < end), so every year has its own indeling, 2013 too
(408 gemeenten, 6 of which ended on 1 January 2014). Rows of other classifications
(arbeidsmarktregio's ``(AM)``, stadsgewesten ``(SG)``, agglomeraties ``(GA)``, COROP-plus
``(CP)``) and of no region (``Buitenland``, ``Niet in te delen``, ``Extra-Regio``) are left
out; any other title is an error. Only the complete slice of each truncated dump is read (see
the raw folder's SOURCE.md). Empty fields (CBS ``.`` or ``x``: missing or secret) stay missing,
never 0. Counts (rounded by CBS to 5 or 100) are integers.

Save outputs: ``cbs/education_85525ned.csv.gz``, ``cbs/new_establishments_83631ned.csv``,
``cbs/establishments_by_size_81644ned.csv``, ``cbs/establishments_81575ned.csv.gz``,
``cbs/establishments_81575ned_completeness.csv``, ``cbs/rd_82352ned.csv``,
``cbs/gdp_85924ned.csv`` (columns in ``data/processed/README.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.data.checks import require
from helpers.data.codes import clean_codes
from helpers.data.processing import rd
from helpers.data.processing.gebieden import EXPECTED_GEMEENTEN, read_statline
from helpers.data.processing.outputs import write_csv
from helpers.data.registry import fetch

SOURCES = [
    "cbs_70739ned",
    "cbs_85525ned",
    "cbs_83631ned",
    "cbs_81644ned",
    "cbs_81575ned",
    "cbs_82352ned",
    "cbs_82352ned_rd_provincie",
    "cbs_85924ned",
]
EDUCATION = "cbs/education_85525ned.csv.gz"
NEW_ESTABLISHMENTS = "cbs/new_establishments_83631ned.csv"
BY_SIZE = "cbs/establishments_by_size_81644ned.csv"
ESTABLISHMENTS = "cbs/establishments_81575ned.csv.gz"
COMPLETENESS = "cbs/establishments_81575ned_completeness.csv"
RD = "cbs/rd_82352ned.csv"
GDP = "cbs/gdp_85924ned.csv"
OUTPUTS = [EDUCATION, NEW_ESTABLISHMENTS, BY_SIZE, ESTABLISHMENTS, COMPLETENESS, RD, GDP]

LEVELS = ("nederland", "landsdeel", "provincie", "corop", "gemeente")
PREFIX_LEVEL = {"NL": "nederland", "LD": "landsdeel", "PV": "provincie", "CR": "corop",
                "GM": "gemeente"}  # fmt: skip
KEYS = ["level", "code", "name", "year"]
NEDERLAND = "NL01"
# 70739ned lists GM0998 "Buitenland" among the gemeenten: no gemeente.
NOT_A_GEMEENTE = {"GM0998"}
# Titles that 70739ned gives otherwise: 82352NED writes the older "Friesland (PV)".
TITLE_ALIASES = {"Friesland (PV)": "PV21"}
# Titles of other classifications or of no region: left out on purpose.
OTHER_TITLES = re.compile(
    r"\((?:AM|SG|GA|CP)\)$|^(?:Buitenland|Niet in te delen|Extra-Regio)\b|^Nederland[,;]"
    r"|^West-Nederland, exclusief G4 \(LD\)$"
)
# Name of a region: its title without the level CBS adds to tell same-named regions apart.
TITLE_SUFFIX = re.compile(r" \((CR|PV|LD|gemeente)\)$")
# Regions per level in every year (gemeenten: each year's indeling).
REGIONS_PER_YEAR = {"nederland": 1, "landsdeel": 4, "provincie": 12, "corop": 40}
GEMEENTEN = {2013: 408, **EXPECTED_GEMEENTEN}
SBI_TOTAL = "A-U Alle economische activiteiten"

# 85525NED: the complete slice; gemeenten with a share hbo/wo per year (the others are
# suppressed: Schiermonnikoog every year, Vlieland to 2019).
EDUCATION_SLICE = {"Geslacht": "Totaal mannen en vrouwen", "Leeftijd": "15 tot 75 jaar"}
EDUCATION_YEARS = range(2013, 2024)
EDUCATION_GEMEENTEN_WITH_SHARE = {
    2013: 406, 2014: 401, 2015: 391, 2016: 388, 2017: 386, 2018: 378, 2019: 353, 2020: 354,
    2021: 351, 2022: 344, 2023: 341,
}  # fmt: skip
# 81575NED: the dump stops at Veere (CBS order), so these gemeenten per year have values.
ESTABLISHMENT_GEMEENTEN_WITH_VALUES = {
    2015: 334, 2016: 332, 2017: 331, 2018: 322, 2019: 300, 2020: 300, 2021: 297, 2022: 290,
    2023: 288, 2024: 288, 2025: 288,
}  # fmt: skip
ESTABLISHMENT_YEARS = range(2015, 2026)
NEW_ESTABLISHMENT_YEARS = range(2015, 2024)
RD_YEARS = range(2011, 2017)
GDP_YEARS = range(1995, 2024)


# --- load -----------------------------------------------------------------------------------


def region_titles(raw: pd.DataFrame) -> pd.DataFrame:
    """Every region title of CBS 70739ned (``raw``, as :func:`read_statline` reads it) with its
    code, level, name, begin and end (``YYYYMMDD``; end missing while the region exists, else
    the first day it no longer exists); plus ``Nederland`` (NL01) and the aliases of
    :data:`TITLE_ALIASES`. Titles are unique."""
    table = pd.DataFrame(
        {
            "title": raw["RegioS"],
            "code": clean_codes(raw["GebiedsOfGemeentecode_3"]),
            "begin": raw["BegindatumSorteerveld_6"],
            "end": raw["EinddatumSorteerveld_7"],
        }
    )
    table = table[~table["code"].isin(NOT_A_GEMEENTE)]
    table = pd.concat(
        [table, pd.DataFrame({"title": ["Nederland"], "code": [NEDERLAND], "begin": ["18300101"]})],
        ignore_index=True,
    )
    table["level"] = table["code"].str[:2].map(PREFIX_LEVEL)
    require(table["level"].notna().all(), "70739ned: codes of an unknown level")
    require(table["title"].is_unique and table["code"].is_unique, "70739ned: a title twice")
    table["name"] = table["title"].str.replace(TITLE_SUFFIX, "", regex=True)
    aliases = [
        table[table["code"] == code].assign(title=alias) for alias, code in TITLE_ALIASES.items()
    ]
    require(all(len(a) == 1 for a in aliases), "70739ned: an alias names an unknown code")
    return pd.concat([table, *aliases], ignore_index=True)


def exists_on(regions: pd.DataFrame, years: pd.Series) -> pd.Series:
    """Whether each region existed on 1 January of its year (rows aligned)."""
    first = years.astype(str) + "0101"
    return (regions["begin"] <= first) & (regions["end"].isna() | (regions["end"] > first))


def indeling(regions: pd.DataFrame, year: int) -> pd.DataFrame:
    """The regions of 1 January ``year`` (one title per code): code, level, name."""
    table = regions[~regions["title"].isin(TITLE_ALIASES)]
    table = table[exists_on(table, pd.Series(year, index=table.index))]
    return table[["code", "level", "name"]].reset_index(drop=True)


def number(values: pd.Series, what: str, integer: bool = False) -> pd.Series:
    """StatLine text -> number; empty (missing or secret) stays missing, never 0. With
    ``integer``: checked whole and returned as ``Int64``."""
    out = pd.to_numeric(values).astype("Float64")
    if integer:
        whole = (out.dropna() % 1 == 0).all()
        require(whole, f"{what}: expected whole numbers")
        out = out.astype("Int64")
    return out


def resolve(
    raw: pd.DataFrame, regions: pd.DataFrame, values: dict[str, str], table: str
) -> pd.DataFrame:
    """Rows of a dump slice (``RegioS``, ``Perioden`` and the value columns) as level, code,
    name, year and the values (renamed by ``values``: dump column -> output column).

    Titles of other classifications or of no region (:data:`OTHER_TITLES`) are left out; any
    other title that 70739ned does not know is an error. A region's row belongs to a year when
    the region existed on 1 January of that year; rows of other years must be empty (they are
    left out). Raises :class:`~helpers.data.checks.DataCheckError`."""
    titles = raw["RegioS"]
    known = titles.isin(regions["title"])
    other = titles.str.contains(OTHER_TITLES)
    unknown = sorted(set(titles[~known & ~other]))
    require(not unknown, f"{table}: region titles not in 70739ned: {unknown[:10]}")
    rows = raw[known].rename(columns=values)
    rows = rows.merge(regions, left_on="RegioS", right_on="title", how="left", validate="m:1")
    rows["year"] = rows["Perioden"].astype(int)
    existed = exists_on(rows, rows["year"])
    outside = rows.loc[~existed & rows[list(values.values())].notna().any(axis=1)]
    require(
        outside.empty,
        f"{table}: values for regions in years they did not exist: "
        f"{outside[['RegioS', 'year']].values.tolist()[:10]}",
    )
    rows = rows[existed]
    require(
        not rows.duplicated(["code", "year"]).any(), f"{table}: a region twice in the same year"
    )
    out = rows[[*KEYS, *values.values()]].copy()
    out["level"] = pd.Categorical(out["level"], categories=LEVELS, ordered=True)
    out = out.sort_values(["level", "code", "year"], ignore_index=True)
    out["level"] = out["level"].astype(str)
    return out


def dump_slice(path: Path, table: str, **dimensions: str) -> pd.DataFrame:
    """The rows of the dump at ``path`` (``table``: its name in messages) whose dimension
    columns have the given values (e.g. ``BedrijfstakkenBranchesSBI2008="A-U ..."``), every
    field text (see :func:`read_statline`). Whether the slice is complete is checked by
    :func:`complete_grid` (81575NED's gemeenten are not: see :func:`completeness`). Raises
    DataCheckError when a dimension column is absent or no row matches."""
    raw = read_statline(path)
    for column, value in dimensions.items():
        require(column in raw.columns, f"{table}: no column {column}")
        raw = raw[raw[column] == value]
    require(not raw.empty, f"{table}: no rows for {dimensions}")
    return raw.reset_index(drop=True)


def complete_grid(raw: pd.DataFrame, table: str) -> None:
    """Check that the slice ``raw`` has every region title in every period, once (it was not
    cut off by the dump's 10,000-row limit); raises DataCheckError naming ``table``."""
    titles, periods = raw["RegioS"].nunique(), raw["Perioden"].nunique()
    require(
        len(raw) == titles * periods and not raw.duplicated(["RegioS", "Perioden"]).any(),
        f"{table}: the slice is not complete ({len(raw)} rows for {titles} regions x {periods} "
        "periods): the dump may be cut off",
    )


# --- process --------------------------------------------------------------------------------


def value_at(table: pd.DataFrame, code: str, year: int, column: str) -> float:
    """The value of ``column`` for region ``code`` in ``year`` (missing: NaN)."""
    found = table.loc[(table["code"] == code) & (table["year"] == year), column]
    require(len(found) == 1, f"no row for {code} {year}")
    value = found.iloc[0]
    return float("nan") if pd.isna(value) else float(value)


def check_value(table: pd.DataFrame, code: str, year: int, column: str, expected: float) -> None:
    """Named spot check: ``column`` of ``code`` in ``year`` equals ``expected``."""
    got = value_at(table, code, year, column)
    require(abs(got - expected) < 1e-6, f"{column} {code} {year}: {got}, expected {expected}")


def check_levels_complete(
    table: pd.DataFrame, columns: list[str], years: range, table_name: str
) -> None:
    """Nederland, landsdelen, provincies and COROP regions: all of them, every year, every
    column filled."""
    for level, count in REGIONS_PER_YEAR.items():
        part = table[table["level"] == level]
        per_year = part.dropna(subset=columns).groupby("year")["code"].nunique()
        require(
            set(part["year"]) == set(years) and per_year.reindex(list(years)).eq(count).all(),
            f"{table_name}: not every {level} region has values in every year {years.start}-"
            f"{years.stop - 1}",
        )


def check_national_total(
    table: pd.DataFrame, column: str, level: str, tolerance: float, table_name: str
) -> None:
    """Nederland equals the sum of the ``level`` regions within ``tolerance`` each year
    (CBS rounds every cell)."""
    national = table[table["level"] == "nederland"].set_index("year")[column]
    summed = table[table["level"] == level].groupby("year")[column].sum()
    gap = (national - summed.reindex(national.index)).abs()
    require(
        (gap <= tolerance).all(),
        f"{table_name}: {column} of Nederland differs from the sum of the {level} regions by "
        f"up to {gap.max()}",
    )


def education(raw: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """85525NED: population 15-75 and its share with hbo/wo per region and year 2013-2023."""
    complete_grid(raw, "85525NED")
    table = resolve(
        raw,
        regions,
        {"Bevolking_1": "bevolking_15_75", "k_3HboWo_4": "hbo_wo_pct"},
        "85525NED",
    )
    table["bevolking_15_75"] = number(table["bevolking_15_75"], "85525NED Bevolking_1", True)
    table["hbo_wo_pct"] = number(table["hbo_wo_pct"], "85525NED k_3HboWo_4")
    require(set(table["year"]) == set(EDUCATION_YEARS), "85525NED: years are not 2013-2023")
    check_levels_complete(table, ["bevolking_15_75", "hbo_wo_pct"], EDUCATION_YEARS, "85525NED")
    gemeenten = table[table["level"] == "gemeente"]
    for year in EDUCATION_YEARS:
        part = gemeenten[gemeenten["year"] == year]
        expected = indeling(regions, year).query("level == 'gemeente'")["code"]
        require(
            set(part["code"]) == set(expected) and len(expected) == GEMEENTEN[year],
            f"85525NED {year}: gemeenten differ from the indeling of 1 January {year}",
        )
        require(
            part["bevolking_15_75"].notna().all(),
            f"85525NED {year}: a gemeente without population",
        )
        with_share = int(part["hbo_wo_pct"].notna().sum())
        require(
            with_share == EDUCATION_GEMEENTEN_WITH_SHARE[year],
            f"85525NED {year}: {with_share} gemeenten with a share hbo/wo, expected "
            f"{EDUCATION_GEMEENTEN_WITH_SHARE[year]} of {len(part)}",
        )
    check_value(table, "GM0363", 2023, "hbo_wo_pct", 48.5)
    check_value(table, "GM0363", 2016, "hbo_wo_pct", 45.1)
    check_value(table, "GM0344", 2023, "hbo_wo_pct", 54.0)
    check_value(table, NEDERLAND, 2022, "hbo_wo_pct", 32.0)
    check_value(table, NEDERLAND, 2022, "bevolking_15_75", 13_419_100)
    check_value(table, "GM0363", 2023, "bevolking_15_75", 754_100)
    check_national_total(table, "bevolking_15_75", "corop", 40 * 50, "85525NED")
    check_national_total(table, "bevolking_15_75", "gemeente", 408 * 50, "85525NED")
    return table


def firm_counts(
    raw: pd.DataFrame,
    regions: pd.DataFrame,
    columns: dict[str, str],
    years: range,
    table_name: str,
) -> pd.DataFrame:
    """Counts of establishments (all sectors) per region in ``years``; the years before are
    empty in the dump (checked) and left out."""
    table = resolve(raw, regions, columns, table_name)
    for column in columns.values():
        table[column] = number(table[column], f"{table_name} {column}", integer=True)
    earlier = table[table["year"] < years.start]
    require(
        earlier[list(columns.values())].isna().all().all(),
        f"{table_name}: values before {years.start}",
    )
    table = table[table["year"].isin(years)].reset_index(drop=True)
    require(set(table["year"]) == set(years), f"{table_name}: years are not {years}")
    check_levels_complete(table, list(columns.values()), years, table_name)
    for column in columns.values():
        check_national_total(table, column, "corop", 40 * 2.5, table_name)
        check_national_total(table, column, "provincie", 12 * 2.5, table_name)
    return table


def new_establishments(raw: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """83631NED: new establishments (all sectors) per COROP, provincie, landsdeel and
    Nederland, 2015-2023."""
    complete_grid(raw, "83631NED")
    table = firm_counts(
        raw,
        regions,
        {"OprichtingenVanVestigingen_1": "oprichtingen"},
        NEW_ESTABLISHMENT_YEARS,
        "83631NED",
    )
    require(not (table["level"] == "gemeente").any(), "83631NED: unexpected gemeenten")
    check_value(table, "CR23", 2015, "oprichtingen", 21_365)
    check_value(table, "CR23", 2023, "oprichtingen", 34_230)
    check_value(table, NEDERLAND, 2023, "oprichtingen", 257_955)
    return table


def establishments_by_size(raw: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """81644NED: establishments (all sectors) in total and with 10 or more persons employed
    per COROP, provincie, landsdeel and Nederland, 2015-2025."""
    complete_grid(raw, "81644NED")
    table = firm_counts(
        raw,
        regions,
        {"Vestigingen_1": "vestigingen", "k_10OfMeerWerkzamePersonen_5": "vestigingen_10_plus"},
        ESTABLISHMENT_YEARS,
        "81644NED",
    )
    require(not (table["level"] == "gemeente").any(), "81644NED: unexpected gemeenten")
    check_value(table, NEDERLAND, 2023, "vestigingen", 2_358_600)
    check_value(table, NEDERLAND, 2023, "vestigingen_10_plus", 109_095)
    check_value(table, "CR23", 2023, "vestigingen", 268_420)
    check_value(table, "CR23", 2023, "vestigingen_10_plus", 11_205)
    return table


def completeness(table: pd.DataFrame, regions: pd.DataFrame, years: range) -> pd.DataFrame:
    """Per level and year: the regions of that year's indeling (``regions``), how many of them
    have a value (``with_values``), how many not (``missing``) and whether the level is
    ``complete``. ``table``: level, code, year and one value column ``vestigingen``."""
    rows = []
    for year in years:
        existing = indeling(regions, year)
        filled = table[(table["year"] == year) & table["vestigingen"].notna()]
        for level in LEVELS:
            codes = set(existing.loc[existing["level"] == level, "code"])
            with_values = len(codes & set(filled.loc[filled["level"] == level, "code"]))
            rows.append((level, year, len(codes), with_values, len(codes) - with_values))
    out = pd.DataFrame(rows, columns=["level", "year", "regions", "with_values", "missing"])
    out["complete"] = out["missing"] == 0
    return out


def establishments(
    raw: pd.DataFrame, regions: pd.DataFrame, by_size: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """81575NED: establishments (all sectors) per gemeente (those before the cut-off),
    COROP, provincie, landsdeel and Nederland, 2015-2025, and its completeness per level and
    year. The totals of the regions above the gemeenten equal those of 81644NED (checked)."""
    table = firm_counts(
        raw, regions, {"Vestigingen_1": "vestigingen"}, ESTABLISHMENT_YEARS, "81575NED"
    )
    gemeenten = table[table["level"] == "gemeente"]
    require(gemeenten["vestigingen"].notna().all(), "81575NED: a gemeente row without a value")
    complete = completeness(table, regions, ESTABLISHMENT_YEARS)
    for row in complete.itertuples():
        if row.level == "gemeente":
            require(
                row.regions == GEMEENTEN[row.year]
                and row.with_values == ESTABLISHMENT_GEMEENTEN_WITH_VALUES[row.year],
                f"81575NED {row.year}: {row.with_values} of {row.regions} gemeenten with values,"
                f" expected {ESTABLISHMENT_GEMEENTEN_WITH_VALUES[row.year]}",
            )
        else:
            require(row.complete, f"81575NED {row.year}: {row.level} incomplete")
    above = table[table["level"] != "gemeente"].merge(
        by_size, on=["level", "code", "year"], suffixes=("", "_81644"), validate="1:1"
    )
    require(
        len(above) == len(by_size) and above["vestigingen"].eq(above["vestigingen_81644"]).all(),
        "81575NED: totals differ from 81644NED",
    )
    check_value(table, "GM0363", 2017, "vestigingen", 135_630)
    check_value(table, "GM0363", 2023, "vestigingen", 191_605)
    check_value(table, NEDERLAND, 2015, "vestigingen", 1_637_345)
    return table, complete


def rd_expenditure(
    raw: pd.DataFrame, regions: pd.DataFrame, transcribed: pd.DataFrame
) -> pd.DataFrame:
    """82352NED: R&D expenditure with own personnel (mln euro) and R&D person-years per
    provincie, landsdeel and Nederland, 2011-2016; the 2014-2016 provincie values must equal
    the transcribed file's (``transcribed``: :func:`helpers.data.processing.rd.cbs_rd`)."""
    complete_grid(raw, "82352NED")
    table = resolve(
        raw,
        regions,
        {
            "VerrichteRDUitgavenEigenPersoneel_1": "rd_mln_euro",
            "ArbeidsjarenEigenRDPersoneel_2": "rd_arbeidsjaren",
        },
        "82352NED",
    )
    for column in ("rd_mln_euro", "rd_arbeidsjaren"):
        table[column] = number(table[column], f"82352NED {column}", integer=True)
    require(
        set(table["year"]) == set(RD_YEARS) and len(table) == 17 * len(RD_YEARS),
        "82352NED: expected Nederland, 4 landsdelen and 12 provincies in 2011-2016",
    )
    provinces = table[table["level"] == "provincie"]
    require(provinces.groupby("year")["code"].nunique().eq(12).all(), "82352NED: not 12 provincies")
    require(
        int(provinces.query("year == 2015")["rd_mln_euro"].sum()) == 13_695,
        "82352NED: the 12 provincies do not add up to 13,695 mln euro in 2015",
    )
    check_value(table, "PV28", 2015, "rd_mln_euro", 3_168)
    check_value(table, "PV30", 2015, "rd_mln_euro", 2_837)
    check_value(table, NEDERLAND, 2015, "rd_mln_euro", 13_696)
    check_value(table, NEDERLAND, 2015, "rd_arbeidsjaren", 129_060)
    compared = transcribed.merge(
        provinces,
        left_on=["provincie", "year"],
        right_on=["code", "year"],
        suffixes=("_transcribed", ""),
        validate="1:1",
    )
    differ = compared[
        (compared["rd_mln_euro"] != compared["rd_mln_euro_transcribed"])
        | (compared["rd_arbeidsjaren"] != compared["rd_arbeidsjaren_transcribed"])
    ]
    require(
        len(compared) == len(transcribed) and differ.empty,
        f"82352NED differs from the transcribed file: {differ[['code', 'year']].values.tolist()}",
    )
    return table


def gdp(raw: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """85924NED: GDP at market prices (mln euro, current prices) per COROP, provincie,
    landsdeel and Nederland, 1995-2023."""
    complete_grid(raw, "85924NED")
    table = resolve(raw, regions, {"BbpMarktprijzen_1": "bbp_mln_euro"}, "85924NED")
    table["bbp_mln_euro"] = number(table["bbp_mln_euro"], "85924NED BbpMarktprijzen_1", True)
    require(set(table["year"]) == set(GDP_YEARS), "85924NED: years are not 1995-2023")
    check_levels_complete(table, ["bbp_mln_euro"], GDP_YEARS, "85924NED")
    require(not (table["level"] == "gemeente").any(), "85924NED: unexpected gemeenten")
    by_province = table[table["level"] == "provincie"].groupby("year")["bbp_mln_euro"].sum()
    by_corop = table[table["level"] == "corop"].groupby("year")["bbp_mln_euro"].sum()
    require(
        (by_province - by_corop).abs().le(40).all(),
        "85924NED: COROP regions do not add up to the provincies",
    )
    check_value(table, "CR23", 2015, "bbp_mln_euro", 103_071)
    check_value(table, "CR23", 2023, "bbp_mln_euro", 166_827)
    check_value(table, "PV30", 2023, "bbp_mln_euro", 161_942)
    return table


# --- run ------------------------------------------------------------------------------------


def run(out_dir: Path) -> list[Path]:
    """Load, process, check and save (see the module docstring); returns the written files."""
    regions = region_titles(read_statline(fetch("cbs_70739ned")))
    sbi = {"BedrijfstakkenBranchesSBI2008": SBI_TOTAL}

    educ = education(dump_slice(fetch("cbs_85525ned"), "85525NED", **EDUCATION_SLICE), regions)
    new = new_establishments(dump_slice(fetch("cbs_83631ned"), "83631NED", **sbi), regions)
    size = establishments_by_size(dump_slice(fetch("cbs_81644ned"), "81644NED", **sbi), regions)
    vest, complete = establishments(
        dump_slice(fetch("cbs_81575ned"), "81575NED", **sbi), regions, size
    )
    research = rd_expenditure(
        dump_slice(fetch("cbs_82352ned"), "82352NED"),
        regions,
        rd.cbs_rd(fetch("cbs_82352ned_rd_provincie")),
    )
    product = gdp(dump_slice(fetch("cbs_85924ned"), "85924NED"), regions)
    return [
        write_csv(educ, out_dir / EDUCATION),
        write_csv(new, out_dir / NEW_ESTABLISHMENTS),
        write_csv(size, out_dir / BY_SIZE),
        write_csv(vest, out_dir / ESTABLISHMENTS),
        write_csv(complete, out_dir / COMPLETENESS),
        write_csv(research, out_dir / RD),
        write_csv(product, out_dir / GDP),
    ]
