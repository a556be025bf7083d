"""Shared logic of the three firm chapters (innovative firms, startups, scale-ups).

The publication's sources (CBS Community Innovation Survey per gemeente, a startup database,
the Scale-Up Dashboard) are not open. Each chapter accepts the real file when an analyst
supplies it (validated by :func:`helpers.geography.userfiles.load_user_file`) and otherwise
shows open data that measure something close, labelled as such. Each chapter's own logic is
in the module of the same name (:mod:`~helpers.chapters.innovatieve_bedrijven`,
:mod:`~helpers.chapters.startups`, :mod:`~helpers.chapters.scale_ups`); what they share is
here:

- :func:`concentration`, the analysis of the publication (how many gemeenten hold half of the
  total, the top-4 share, size classes, Lorenz curve), generic over any count per region;
- the open proxies more than one chapter reads (business establishments 2015, Eurostat
  business demography) and the years they cover (the runner checks parameters against them);
- counts per gemeente from a user file of one year, on the gemeente map of that year;
- a count per region in two years and its change (:func:`region_change`, "then and now").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from helpers import config
from helpers.data.checks import check_year, require
from helpers.geography import nl, years


def cbs_regional_table(*parts: str) -> pd.DataFrame:
    """A processed CBS table per region (``data/processed/<parts>``: columns ``level``,
    ``code``, ``name``, ``year`` and values), with the provinces named as everywhere in the
    book (:data:`helpers.geography.nl.PROVINCES`: "Friesland", where newer CBS tables write
    "Fryslân"; one spelling for readers). Raises ``FileNotFoundError`` naming a missing file."""
    table = pd.read_csv(config.data_file(*parts), dtype={"level": str, "code": str, "name": str})
    names = nl.PROVINCES.set_index("provincie")["name"]
    province = table["level"] == "provincie"
    table.loc[province, "name"] = (
        table.loc[province, "code"].map(names).fillna(table.loc[province, "name"])
    )
    return table


def fmt_number(value: float) -> str:
    """Dutch notation of a class bound (``1.000``), for class labels."""
    return format_decimal(value, format="#,##0.###", locale="nl_NL")


# Class bounds of the publication (innovative firms per gemeente): >=500, 200-500, 100-200, <100
PUBLICATION_BOUNDS = (500, 200, 100)


def size_classes(bounds: tuple[float, ...] | list[float]) -> list[tuple[str, float, float]]:
    """(label, low, high) classes from descending bounds, largest first."""
    b = sorted((float(x) for x in bounds), reverse=True)
    classes = [(f"{fmt_number(b[0])} of meer", b[0], np.inf)]
    classes += [
        (f"{fmt_number(lo)} tot {fmt_number(hi)}", lo, hi) for hi, lo in itertools.pairwise(b)
    ]
    classes.append((f"minder dan {fmt_number(b[-1])}", 0.0, b[-1]))
    return classes


G4 = {"GM0363": "Amsterdam", "GM0599": "Rotterdam", "GM0518": "'s-Gravenhage", "GM0344": "Utrecht"}
KNOWLEDGE_INTENSIVE = [
    "vestigingen_hj_vervoer_ict",
    "vestigingen_kl_financieel_vastgoed",
    "vestigingen_mn_zakelijke_diensten",
]


@dataclass
class Concentration:
    """Result of :func:`concentration`."""

    total: float
    n_regions: int
    n_half: int  # fewest regions that together hold at least half of the total
    top4: list[str]
    top4_share: float  # percent
    classes: pd.DataFrame  # klasse, aantal_gemeenten, aandeel_pct
    lorenz: pd.DataFrame  # share of regions (ascending) vs cumulative share of the total
    gini: float

    @property
    def half_share_of_regions(self) -> float:
        """The regions holding half of the total, as a percentage of all regions (0-100)."""
        return self.n_half / self.n_regions * 100

    @property
    def smallest_class(self) -> pd.Series:
        """The row of :attr:`classes` with the smallest size class (``klasse``,
        ``aantal_gemeenten``, ``aandeel_pct``)."""
        return self.classes.iloc[-1]


def concentration(
    counts: pd.Series,
    names: pd.Series | None = None,
    bounds: tuple[float, ...] | list[float] = PUBLICATION_BOUNDS,
) -> Concentration:
    """Concentration of a count over regions.

    ``counts``: one non-negative number per region (index = region code; NaN rows are
    dropped). ``names``: region code -> name, used for :attr:`Concentration.top4` (codes
    where missing). ``bounds``: size-class limits in the unit of ``counts`` (default: the
    publication's 500, 200 and 100). Shares are percentages (0-100); the Lorenz curve has
    n + 1 points from (0, 0) to (1, 1); the Gini coefficient is between 0 and 1.
    Raises ``ValueError`` on negative counts.
    """
    counts = counts.astype(float).dropna()
    if (counts < 0).any():
        raise ValueError("concentration: negative counts")
    ordered = counts.sort_values(ascending=False)
    total = float(ordered.sum())
    cumulative = ordered.cumsum() / total
    n_half = int((cumulative < 0.5).sum() + 1)
    labels = names if names is not None else pd.Series(ordered.index, index=ordered.index)
    top4 = [str(labels.get(code, code)) for code in ordered.index[:4]]
    rows = []
    for label, low, high in size_classes(bounds):
        inside = ordered[(ordered >= low) & (ordered < high)]
        rows.append((label, len(inside), inside.sum() / total * 100 if total else 0.0))
    classes = pd.DataFrame(rows, columns=["klasse", "aantal_gemeenten", "aandeel_pct"])
    ascending = np.sort(counts.to_numpy())
    n = len(ascending)
    lorenz = pd.DataFrame(
        {
            "aandeel_regios": np.arange(0, n + 1) / n,
            "aandeel_totaal": np.concatenate([[0.0], np.cumsum(ascending) / total]),
        }
    )
    area = np.trapezoid(lorenz["aandeel_totaal"], lorenz["aandeel_regios"])
    return Concentration(
        total=total,
        n_regions=n,
        n_half=n_half,
        top4=top4,
        top4_share=float(ordered.iloc[:4].sum() / total * 100),
        classes=classes,
        lorenz=lorenz,
        gini=float(1 - 2 * area),
    )


# --- user files: counts per gemeente ---------------------------------------------------------


def gemeente_map_year(year: int) -> int:
    """The gemeente map a user file's codes of ``year`` are drawn on: the first year from
    ``year`` on with gemeente boundaries in ``data/processed/geo``; for 2024 and 2025, which
    have none of their own, the last earlier year with the same gemeenten (2023); else 2016."""
    available = sorted(y for level, y in nl.available_boundaries() if level == "gemeente")
    later = [y for y in available if y >= year]
    if later:
        return later[0]
    if year in years.YEARS:
        codes = set(years.crosswalk(year)["gemeente"])
        same = [
            y
            for y in available
            if y in years.YEARS and set(years.crosswalk(y)["gemeente"]) == codes
        ]
        if same:
            return same[-1]
    return 2016


def code_year(codes: pd.Series, year: int) -> int:
    """The year whose gemeenten ``codes`` (of data of ``year``) are: ``year`` itself when
    the codes are gemeenten of that year (or fit it as well as any other year), else the
    earliest year 2014-2025 they fit best (:func:`helpers.geography.years.matching_years`:
    data of 2016 with the codes of 2021 are drawn on the 2021 map). ``year`` outside
    2014-2025, or codes of no year 2014-2025, give ``year``."""
    if year not in years.YEARS:
        return year
    present = {c for c in codes if isinstance(c, str) and c}
    if present <= set(years.crosswalk(year)["gemeente"]):
        return year
    try:
        matching = years.matching_years(present)
    except ValueError:
        return year
    return year if year in matching else matching[0]


def counts_per_gemeente(
    data: pd.DataFrame, year: int, column: str, what: str
) -> tuple[pd.Series, int]:
    """Counts of ``year`` per gemeente from a validated user file, on the gemeente map of the
    year its codes are.

    ``data`` has columns ``gemeente`` (codes), ``jaar`` and ``column`` (a count; missing
    values, StatLine's ``.`` and ``x``, are left out: those gemeenten have no value on the
    map). Returns (``column`` summed per gemeente code, index ``gemeente``; the map year):
    the codes' year is :func:`code_year`, the map year :func:`gemeente_map_year` of it; codes
    of years before the map year are recoded through the municipal mergers. The result's
    ``attrs``: ``code_year`` and ``missing`` (codes whose count is missing, sorted). Raises
    :class:`helpers.data.checks.UnknownParameterError` (a ``ValueError``) naming ``what``
    (the file) and the years it has when ``year`` is not there, and
    :class:`helpers.data.checks.DataCheckError` naming ``what`` when no gemeente of ``year``
    has a value (nothing to map: never a map or a sentence without data).
    """
    year = check_year(year, sorted(int(y) for y in data["jaar"].unique()), what)
    rows = data[data["jaar"] == year]
    codes_of = code_year(rows["gemeente"], year)
    map_year = gemeente_map_year(codes_of)
    codes = (
        nl.recode_gemeenten(rows["gemeente"], codes_of, map_year)
        if codes_of < map_year
        else rows["gemeente"]
    )
    rows = rows.assign(gemeente=codes)
    missing = sorted(set(rows.loc[rows[column].isna(), "gemeente"]))
    counts = rows.dropna(subset=[column]).groupby("gemeente")[column].sum()
    require(
        len(counts) > 0,
        f"{what}: no gemeente has a value in column {column!r} for {year} (every value of "
        f"that year is empty, '.' or 'x'); nothing to map or count",
    )
    counts.attrs.update(code_year=codes_of, missing=missing)
    return counts, map_year


# --- open proxies ---------------------------------------------------------------------------


def establishments_2015() -> pd.DataFrame:
    """Business establishments per gemeente in 2015 (CBS StatLine 70072ned, Regionale
    kerncijfers; ``data/processed/nl/kerncijfers_gemeente_2015.csv``, 2015 gemeente codes).

    One row per gemeente: ``gemeente``, ``bevolking`` (inhabitants), ``vestigingen_totaal``
    and establishments per sector group (``vestigingen_*``, counts), plus
    ``vestigingen_kennisintensief``: the knowledge-intensive service groups together (H-J,
    K-L, M-N)."""
    data = pd.read_csv(config.data_file("processed", "nl", "kerncijfers_gemeente_2015.csv"))
    data["vestigingen_kennisintensief"] = data[KNOWLEDGE_INTENSIVE].sum(axis=1)
    return data


def starters_corop() -> pd.DataFrame:
    """New business establishments per COROP region and year (CBS StatLine 83631NED;
    ``data/processed/firms/starters_corop.csv``): ``corop``, ``year``, counts per sector
    group and ``totaal``."""
    return pd.read_csv(config.data_file("processed", "firms", "starters_corop.csv"))


def starter_years() -> list[int]:
    """Years of CBS 83631NED that are comparable (from 2015: series break in 2014)."""
    return sorted(int(y) for y in starters_corop()["year"].unique() if y >= 2015)


def eurostat_demography() -> pd.DataFrame:
    """Eurostat business demography per Dutch NUTS 3 region and year (bd_size_r3;
    ``data/processed/firms/eurostat_bd_nuts3_nl.csv``): active enterprises and births (total
    and with 10+ employees, counts) and birth rates (percent of active enterprises)."""
    return pd.read_csv(config.data_file("processed", "firms", "eurostat_bd_nuts3_nl.csv"))


def demography_years(column: str) -> list[int]:
    """Years in which ``column`` of :func:`eurostat_demography` is known for all 40 NUTS 3
    regions."""
    data = eurostat_demography().dropna(subset=[column])
    return sorted(int(y) for y in data["year"].unique() if (data["year"] == y).sum() == 40)


def demography_for_year(year: int, column: str) -> pd.DataFrame:
    """The 40 NUTS 3 regions of :func:`eurostat_demography` in ``year``, largest ``column``
    first (``attrs["year"]``: the year). Raises
    :class:`helpers.data.checks.UnknownParameterError` listing :func:`demography_years`."""
    data = eurostat_demography()
    year = check_year(year, demography_years(column), f"Eurostat bd_size_r3 ({column})")
    table = data[data["year"] == year].copy()
    table.attrs["year"] = year
    return table.sort_values(column, ascending=False, ignore_index=True)


# --- a count per region in two years ----------------------------------------------------------


@dataclass
class RegionChange:
    """A count per region in two years (result of :func:`region_change`)."""

    earlier: int
    later: int
    table: pd.DataFrame  # <key>, name, earlier, later, change_pct; fastest growth first
    key: str  # the code column of ``table`` (e.g. ``corop``)

    @property
    def totals(self) -> tuple[float, float]:
        """The sums of all regions, earlier and later."""
        return float(self.table["earlier"].sum()), float(self.table["later"].sum())

    @property
    def total_change_pct(self) -> float:
        """Change of the sum of all regions (%)."""
        before, after = self.totals
        return (after - before) / before * 100

    @property
    def n_up(self) -> int:
        """Regions with a larger count in the later year."""
        return int((self.table["later"] > self.table["earlier"]).sum())

    @property
    def fastest(self) -> tuple[str, float]:
        """The region whose count grew most (relatively): (name, %)."""
        row = self.table.iloc[0]
        return str(row["name"]), float(row["change_pct"])

    @property
    def slowest(self) -> tuple[str, float]:
        """The region whose count grew least (or fell most): (name, %)."""
        row = self.table.iloc[-1]
        return str(row["name"]), float(row["change_pct"])

    def of(self, code: str) -> tuple[float, float]:
        """(earlier, later) count of region ``code`` (``KeyError`` for another code)."""
        row = self.table.set_index(self.key).loc[code]
        return float(row["earlier"]), float(row["later"])


def region_change(
    first: pd.DataFrame, second: pd.DataFrame, key: str, column: str, years: tuple[int, int]
) -> RegionChange:
    """``column`` per region (by code ``key``) in two tables of the years ``years`` (in either
    order; the tables in the same order), with names of the later year and the change in
    percent, fastest growth first. Raises ``ValueError`` when the regions differ."""
    (y1, t1), (y2, t2) = sorted(zip(years, (first, second), strict=True), key=lambda p: p[0])
    if set(t1[key]) != set(t2[key]):
        raise ValueError(f"region_change: the {key} regions of {y1} and {y2} differ")
    both = t2[[key, "name", column]].rename(columns={column: "later"})
    both = both.merge(t1[[key, column]].rename(columns={column: "earlier"}), on=key)
    both["change_pct"] = (both["later"] - both["earlier"]) / both["earlier"] * 100
    both = both[[key, "name", "earlier", "later", "change_pct"]]
    both = both.sort_values(["change_pct", key], ascending=[False, True], ignore_index=True)
    return RegionChange(earlier=int(y1), later=int(y2), table=both, key=key)
