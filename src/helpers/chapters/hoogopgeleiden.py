"""Chapter 'Hoogopgeleiden': where the highly educated live, then and now.

Gemeenten: the share of persons aged 15-75 whose highest education is hbo or wo, CBS
85525NED (``data/processed/cbs/education_85525ned.csv.gz``, 2013-2023), drawn for any year on
that year's gemeenten (:func:`gemeente_shares`): figure 8 of the publication (2016) for every
year. The publication mapped the labour force aged 15-74, a comparable concept of the same
publisher. The change between two years is shown on the later year's gemeenten
(:func:`gemeente_change`): the earlier year's counts (share x population) are recoded with
:func:`helpers.geography.years.recode` and the shares recomputed from them, never averaged.

Provinces: Eurostat tertiary attainment of 25-64 year olds per NUTS 2 region
(``data/processed/eurostat/tertiary_25_64_nl.csv``, 2013-2024) and the RIS indicator for
comparison.

Earlier versions read 85525NED online from CBS StatLine (falling back to hbo/wo students of
2015 offline); the processed dump of the same table replaces that: complete, offline and
tracked by the build like every other data file.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from helpers import config
from helpers.data.checks import check_year, require
from helpers.data.tables import dutch_province_indicators
from helpers.geography import nl, years

PUBLICATION_YEAR = 2016  # figure 8 of the publication: the share per gemeente in 2016
CBS_TABLE = "85525NED"
AMSTERDAM = "GM0363"
# Largest rises and falls are named among gemeenten with at least this many inhabitants of
# 15-75 in the later year: in small gemeenten CBS's estimate moves by chance from year to year.
MIN_POPULATION = 20_000
RIS_TERTIARY = "1.1.2 Population with tertiary education (Regional)"


# --- gemeenten: CBS 85525NED ------------------------------------------------------------------


def education() -> pd.DataFrame:
    """CBS 85525NED as processed: one row per region and year with ``level``, ``code``,
    ``name``, ``year``, ``bevolking_15_75`` (persons aged 15-75, rounded to 100; Int64) and
    ``hbo_wo_pct`` (% of them with hbo or wo; missing where CBS suppresses it)."""
    path = config.data_file("processed", "cbs", "education_85525ned.csv.gz")
    data = pd.read_csv(path, dtype={"code": str, "name": str, "level": str})
    data["bevolking_15_75"] = data["bevolking_15_75"].astype("Int64")
    return data


def gemeente_years() -> list[int]:
    """Years with gemeente shares in 85525NED and gemeente boundaries to draw them on
    (2014-2023: 2013 has no boundaries), ascending."""
    data = education()
    found = data.loc[(data["level"] == "gemeente") & data["hbo_wo_pct"].notna(), "year"]
    return sorted(int(y) for y in set(found) if int(y) in years.YEARS)


@dataclass(frozen=True)
class GemeenteShares:
    """The share of hbo/wo per gemeente in one year (see :func:`gemeente_shares`)."""

    year: int
    table: pd.DataFrame  # gemeente, name, bevolking_15_75, hbo_wo_pct, hoogopgeleiden (count)
    nederland_pct: float  # the Netherlands (CBS's own total)
    regions: gpd.GeoDataFrame  # every gemeente of ``year`` (code, name, geometry) + the table

    @property
    def n_regions(self) -> int:
        """Gemeenten of ``year``."""
        return len(self.regions)

    @property
    def n_mapped(self) -> int:
        """Gemeenten with a share."""
        return int(self.regions["hbo_wo_pct"].notna().sum())

    @property
    def suppressed(self) -> list[str]:
        """Names of the gemeenten whose share CBS suppresses, alphabetically."""
        missing = self.regions[self.regions["hbo_wo_pct"].isna()]
        return sorted(missing["name"].astype(str))

    def pct(self, code: str) -> float:
        """The share of gemeente ``code`` (NaN when suppressed); ``KeyError`` when the code is
        no gemeente of ``year``."""
        return float(self.regions.set_index("code").loc[code, "hbo_wo_pct"])

    def top(self, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` gemeenten with the highest share: (name, %), highest first."""
        ranked = self.regions.dropna(subset=["hbo_wo_pct"])
        ranked = ranked.sort_values(["hbo_wo_pct", "name"], ascending=[False, True]).head(n)
        return list(
            zip(ranked["name"].astype(str), ranked["hbo_wo_pct"].astype(float), strict=True)
        )


def gemeente_shares(year: int) -> GemeenteShares:
    """The share of hbo/wo among persons aged 15-75 per gemeente in ``year`` (CBS 85525NED), on
    the gemeenten of 1 January ``year`` (:func:`helpers.geography.years.boundaries`), with the
    count ``hoogopgeleiden`` = share x population (persons; missing where the share is).

    Raises :class:`~helpers.data.checks.UnknownParameterError` listing
    :func:`gemeente_years`, and :class:`~helpers.data.checks.DataCheckError` when the table's
    gemeenten are not exactly those of the year's map."""
    year = check_year(year, gemeente_years(), f"CBS {CBS_TABLE} per gemeente (with boundaries)")
    data = education()
    rows = data[(data["level"] == "gemeente") & (data["year"] == year)]
    table = rows[["code", "name", "bevolking_15_75", "hbo_wo_pct"]].rename(
        columns={"code": "gemeente"}
    )
    require(
        table["bevolking_15_75"].notna().all(), f"{CBS_TABLE} {year}: gemeente without population"
    )
    population = table["bevolking_15_75"].astype("int64")
    table = table.assign(
        bevolking_15_75=population,
        hoogopgeleiden=table["hbo_wo_pct"].astype(float) / 100 * population,
    )
    regions, join = nl.join_to_boundaries(
        table, years.boundaries("gemeente", year), code="gemeente"
    )
    require(
        not join.unjoined and not join.without_data,
        f"{CBS_TABLE} {year}: gemeenten differ from the map of {year}: {join.summary()}",
    )
    country = data[(data["level"] == "nederland") & (data["year"] == year)]["hbo_wo_pct"]
    require(len(country) == 1, f"{CBS_TABLE}: no value for the Netherlands in {year}")
    return GemeenteShares(
        year=year,
        table=table.reset_index(drop=True),
        nederland_pct=float(country.iloc[0]),
        regions=regions,
    )


@dataclass(frozen=True)
class GemeenteChange:
    """The share per gemeente in two years on the later year's gemeenten (see
    :func:`gemeente_change`)."""

    earlier: int
    later: int
    table: pd.DataFrame  # gemeente, name, pct_earlier, pct_later, change_pp, bevolking_later
    nederland: tuple[float, float]  # the Netherlands, earlier and later (%)
    report: years.RecodeReport  # how the earlier gemeenten became the later ones
    regions: gpd.GeoDataFrame  # every gemeente of ``later`` with the table's columns

    @property
    def nederland_change(self) -> float:
        """Change of the Netherlands' share (percentage points)."""
        return self.nederland[1] - self.nederland[0]

    @property
    def compared(self) -> pd.DataFrame:
        """The rows with a share in both years."""
        return self.table.dropna(subset=["change_pp"])

    @property
    def n_up(self) -> int:
        """Gemeenten whose share rose (by at least 0.05 percentage point)."""
        return int((self.compared["change_pp"].round(1) > 0).sum())

    @property
    def n_down(self) -> int:
        """Gemeenten whose share fell (by at least 0.05 percentage point)."""
        return int((self.compared["change_pp"].round(1) < 0).sum())

    @property
    def n_merged(self) -> int:
        """Gemeenten of ``later`` formed from more than one gemeente of ``earlier``."""
        return len(self.report.merged)

    def largest(
        self, n: int = 3, *, rising: bool = True, min_population: int = MIN_POPULATION
    ) -> list[tuple[str, float]]:
        """The ``n`` largest rises (or falls) among gemeenten with at least ``min_population``
        inhabitants of 15-75 in ``later``: (name, percentage points), largest first. Only
        changes in that direction count (a list of falls holds no rise)."""
        rows = self.compared[self.compared["bevolking_later"] >= min_population]
        rows = rows[rows["change_pp"] > 0] if rising else rows[rows["change_pp"] < 0]
        rows = rows.sort_values(["change_pp", "name"], ascending=[not rising, True]).head(n)
        return list(zip(rows["name"].astype(str), rows["change_pp"].astype(float), strict=True))

    def formed_from(self, code: str) -> list[str]:
        """Names (of ``earlier``) of the other gemeenten merged into gemeente ``code`` of
        ``later`` (``[]`` when none was)."""
        merged = [c for c in self.report.merged.get(code, []) if c != code]
        return sorted(years.names(self.earlier).set_index("code").loc[merged, "name"])

    def of(self, code: str) -> tuple[float, float, float]:
        """(share earlier, share later, change) of gemeente ``code`` of ``later`` (the earlier
        share of the gemeenten it was formed from). ``KeyError`` for other codes."""
        row = self.table.set_index("gemeente").loc[code]
        return float(row["pct_earlier"]), float(row["pct_later"]), float(row["change_pp"])


def gemeente_change(a: GemeenteShares, b: GemeenteShares) -> GemeenteChange:
    """The share per gemeente in the earlier and the later of ``a`` and ``b`` (in either
    order), on the later year's gemeenten: the earlier year's population and count of
    hoogopgeleiden are recoded (:func:`helpers.geography.years.recode`: summed over merged
    gemeenten, divided over split ones) and its share recomputed from them; ``change_pp`` is
    later minus earlier (percentage points). A gemeente that was formed from one whose share
    CBS suppresses has no earlier share (and no change). The same year twice gives no change."""
    first, second = sorted((a, b), key=lambda s: s.year)
    counts = first.table[["gemeente", "bevolking_15_75", "hoogopgeleiden"]]
    recoded, report = years.recode(
        counts,
        "gemeente",
        ["bevolking_15_75", "hoogopgeleiden"],
        first.year,
        second.year,
        shares={"pct_earlier": ("hoogopgeleiden", "bevolking_15_75")},
    )
    later = second.table[["gemeente", "name", "hbo_wo_pct", "bevolking_15_75"]].rename(
        columns={"hbo_wo_pct": "pct_later", "bevolking_15_75": "bevolking_later"}
    )
    table = later.merge(recoded[["gemeente", "pct_earlier"]], on="gemeente", how="left")
    table["change_pp"] = table["pct_later"] - table["pct_earlier"]
    table = table[["gemeente", "name", "pct_earlier", "pct_later", "change_pp", "bevolking_later"]]
    regions, _ = nl.join_to_boundaries(
        table, years.boundaries("gemeente", second.year), code="gemeente"
    )
    return GemeenteChange(
        earlier=first.year,
        later=second.year,
        table=table,
        nederland=(first.nederland_pct, second.nederland_pct),
        report=report,
        regions=regions,
    )


# --- provinces: Eurostat tertiary attainment ---------------------------------------------------


def tertiary_panel() -> pd.DataFrame:
    """Share of 25-64 year olds with tertiary education (ISCED 5-8), % per province and year
    (Eurostat tgs00109, ``data/processed/eurostat/tertiary_25_64_nl.csv``): columns
    ``provincie`` (CBS code), ``nuts2`` (as Eurostat gives it that year: NL31/NL33 to 2018,
    NL35/NL36 from 2019), ``year``, ``tertiary_pct_25_64``, ``flag`` (``b``: break in series)
    and ``name``, sorted by province and year."""
    path = config.data_file("processed", "eurostat", "tertiary_25_64_nl.csv")
    data = pd.read_csv(path, dtype={"provincie": str, "nuts2": str, "flag": str})
    out = data.merge(nl.PROVINCES[["provincie", "name"]], on="provincie", validate="many_to_one")
    return out.sort_values(["provincie", "year"], ignore_index=True)


def tertiary_years() -> list[int]:
    """The years (ascending) of :func:`tertiary_panel`."""
    return sorted(int(y) for y in tertiary_panel()["year"].unique())


def tertiary_for_year(year: int) -> pd.DataFrame:
    """The 12 provinces of :func:`tertiary_panel` in ``year``, highest share first
    (``attrs['year']``). Raises :class:`~helpers.data.checks.UnknownParameterError` (listing
    the years) for a year without data."""
    panel = tertiary_panel()
    year = check_year(year, tertiary_years(), "Eurostat tertiary attainment (tgs00109)")
    table = panel[panel["year"] == year]
    require(len(table) == 12, f"Eurostat tertiary attainment: expected 12 provinces in {year}")
    table = table.sort_values("tertiary_pct_25_64", ascending=False, ignore_index=True)
    table.attrs["year"] = year
    return table


@dataclass(frozen=True)
class ProvinceSummary:
    """Provinces in one year (see :func:`province_summary`)."""

    year: int
    first: str  # highest share of 25-64 year olds with tertiary education
    first_pct: float  # %
    last: str
    last_pct: float
    top3: list[str]  # the three highest, highest first

    @property
    def gap(self) -> float:
        """Highest minus lowest share (percentage points)."""
        return self.first_pct - self.last_pct


def province_summary(prov: pd.DataFrame) -> ProvinceSummary:
    """Highest, lowest and top three in ``prov`` (:func:`tertiary_for_year`: highest first).
    Raises :class:`~helpers.data.checks.DataCheckError` for fewer than three provinces."""
    require(len(prov) >= 3, f"province_summary: {len(prov)} provinces, need at least 3")
    first, last = prov.iloc[0], prov.iloc[-1]
    return ProvinceSummary(
        year=int(prov.attrs["year"]),
        first=str(first["name"]),
        first_pct=float(first["tertiary_pct_25_64"]),
        last=str(last["name"]),
        last_pct=float(last["tertiary_pct_25_64"]),
        top3=prov.head(3)["name"].tolist(),
    )


@dataclass(frozen=True)
class ProvinceChange:
    """The provinces in two years (see :func:`province_change`)."""

    earlier: int
    later: int
    table: pd.DataFrame  # provincie, name, pct_earlier, pct_later, change_pp; largest rise first
    breaks: list[int]  # years after ``earlier`` up to ``later`` Eurostat marks as a break
    recoded: list[str]  # provinces whose NUTS 2 code (and area) differs between the years

    @property
    def growth(self) -> pd.Series:
        """Change per province name (percentage points), largest first."""
        return self.table.set_index("name")["change_pp"]

    @property
    def n_up(self) -> int:
        """Provinces whose share rose."""
        return int((self.table["change_pp"] > 0).sum())

    @property
    def all_up(self) -> bool:
        """Whether the share rose in every province."""
        return self.n_up == len(self.table)

    @property
    def fastest(self) -> tuple[str, float]:
        """The province whose share grew most, and its growth (percentage points)."""
        return str(self.growth.index[0]), float(self.growth.iloc[0])

    @property
    def slowest(self) -> tuple[str, float]:
        """The province whose share grew least, and its growth (percentage points)."""
        return str(self.growth.index[-1]), float(self.growth.iloc[-1])


def province_change(panel: pd.DataFrame, year_a: int, year_b: int) -> ProvinceChange:
    """Each province's share in the earlier and the later of ``year_a`` and ``year_b`` (in
    either order) in ``panel`` (:func:`tertiary_panel`) and the change (percentage points).
    ``breaks``: the years in (earlier, later] with Eurostat's flag ``b``; ``recoded``: the
    provinces whose NUTS 2 code differs (Utrecht and Zuid-Holland around 2019, when
    Vijfheerenlanden moved). Raises ``UnknownParameterError`` for a year not in the panel."""
    known = sorted(int(y) for y in panel["year"].unique())
    earlier, later = sorted(
        check_year(y, known, "Eurostat tertiary attainment (tgs00109)") for y in (year_a, year_b)
    )
    wide = panel.pivot(index=["provincie", "name"], columns="year", values="tertiary_pct_25_64")
    codes = panel.pivot(index="provincie", columns="year", values="nuts2")
    table = pd.DataFrame({"pct_earlier": wide[earlier], "pct_later": wide[later]}).reset_index()
    table["change_pp"] = table["pct_later"] - table["pct_earlier"]
    table = table.sort_values(["change_pp", "name"], ascending=[False, True], ignore_index=True)
    flagged = panel[(panel["flag"].fillna("").str.contains("b")) & (panel["year"] > earlier)]
    moved = codes.index[codes[earlier] != codes[later]]
    return ProvinceChange(
        earlier=earlier,
        later=later,
        table=table,
        breaks=sorted(int(y) for y in set(flagged.loc[flagged["year"] <= later, "year"])),
        recoded=sorted(nl.PROVINCES.set_index("provincie").loc[list(moved), "name"]),
    )


def provinces_on_map(prov: pd.DataFrame) -> gpd.GeoDataFrame:
    """The provinces of 1 January of ``prov``'s year (``code``, ``name``, ``geometry``;
    :func:`helpers.geography.years.boundaries`) with the columns of ``prov`` (one row per
    province, CBS code ``provincie``; its ``name`` is taken from the map). Raises
    :class:`~helpers.data.checks.DataCheckError` when a province does not join or has no
    data."""
    year = int(prov.attrs["year"])
    # Eurostat's years reach beyond the boundary years (2014-2025): the nearest one draws them
    # (the provinces of 2013 are those of 2014).
    drawn = min(max(year, min(years.YEARS)), max(years.YEARS))
    gdf, report = nl.join_to_boundaries(
        prov, years.boundaries("provincie", drawn), code="provincie"
    )
    require(
        not report.unjoined and not report.without_data,
        f"provincie {year}: data codes without region {report.unjoined}; "
        f"regions without data {report.without_data}",
    )
    return gdf


def ris_tertiary(year: int) -> pd.DataFrame:
    """RIS 2023 indicator 'Population with tertiary education' (normalised score) per
    province (``provincie``, ``ris_score``) for ``year`` or, when the RIS lacks it, the nearest
    RIS year (``attrs['ris_year']``), and the number of distinct values over the RIS years
    (``attrs['distinct_over_years']``). The RIS uses NUTS 2021 codes (NL31 Utrecht, NL33
    Zuid-Holland)."""
    rows = dutch_province_indicators([RIS_TERTIARY])
    ris_years = sorted(int(y) for y in rows["year"].unique())
    ris_year = year if year in ris_years else min(ris_years, key=lambda y: abs(y - year))
    table = rows[rows["year"] == ris_year][["region", "value"]].rename(
        columns={"region": "nuts2", "value": "ris_score"}
    )
    table = table.merge(nl.PROVINCES[["nuts2", "provincie"]], on="nuts2")
    table.attrs.update(
        ris_year=ris_year, distinct_over_years=int(rows.groupby("region")["value"].nunique().max())
    )
    return table[["provincie", "ris_score"]].reset_index(drop=True)


@dataclass(frozen=True)
class RisComparison:
    """Eurostat's share next to the RIS indicator (see :func:`ris_comparison`)."""

    table: pd.DataFrame  # 12 provinces: tertiary_for_year columns and ``ris_score``
    year: int  # the Eurostat year
    ris_year: int  # the RIS year used (the nearest to the Eurostat year)
    rank_correlation: float  # Spearman, Eurostat share vs RIS score
    constant_over_years: bool  # the RIS repeats one value per province in every year
    best: str  # province with the highest RIS score


def ris_comparison(prov: pd.DataFrame) -> RisComparison:
    """Compare ``prov`` (:func:`tertiary_for_year`) with the RIS 2023 indicator
    'Population with tertiary education' (:func:`ris_tertiary`, normalised score, EU = 100)
    of the nearest year. Raises :class:`~helpers.data.checks.DataCheckError` when the two do
    not share the 12 provinces."""
    ris = ris_tertiary(int(prov.attrs["year"]))
    both = prov.merge(ris, on="provincie")
    require(len(both) == 12, f"ris_comparison: {len(both)} provinces in both, expected 12")
    return RisComparison(
        table=both,
        year=int(prov.attrs["year"]),
        ris_year=int(ris.attrs["ris_year"]),
        rank_correlation=float(
            both["tertiary_pct_25_64"].corr(both["ris_score"], method="spearman")
        ),
        constant_over_years=ris.attrs["distinct_over_years"] == 1,
        best=str(both.sort_values("ris_score", ascending=False).iloc[0]["name"]),
    )
