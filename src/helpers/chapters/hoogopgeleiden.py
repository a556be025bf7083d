"""Chapter 'Hoogopgeleiden': where the highly educated live.

Province level (offline): Eurostat tertiary attainment 25-64 per NUTS 2 (via the regional
panel) over the years, and the RIS indicator for comparison. Gemeente level: CBS StatLine
(online, cached) via :mod:`helpers.data.cbs`; offline, hbo/wo *students* by place of residence per
gemeente from CBS 70072ned 2015 (a different concept, labelled as such).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from helpers import config
from helpers.data import cbs
from helpers.data.checks import check_year, require
from helpers.data.tables import dutch_province_indicators, eurostat_panel
from helpers.geography import nl

# The online source for the gemeente map: CBS 85525NED 'Bevolking; hoogstbehaald
# onderwijsniveau en regio'. Categories and topics are given by their StatLine titles and
# resolved to keys from the table's metadata, so a renamed category fails with the titles.
GEMEENTE_SOURCE = {
    "table": "85525NED",
    "dimensions": {"Geslacht": "Totaal mannen en vrouwen", "Leeftijd": "15 tot 75 jaar"},
    "topics": ["Hbo-, wo-bachelor", "Hbo-, wo-master, doctor"],
}
RIS_TERTIARY = "1.1.2 Population with tertiary education (Regional)"


def tertiary_panel() -> pd.DataFrame:
    """Share of 25-64 year olds with tertiary education (ISCED 5-8), % per province and year:
    columns ``nuts2``, ``year``, ``tertiary_pct_25_64``, ``name``, sorted by province and year.
    Source: Eurostat edat_lfse_04 via the regional Eurostat panel
    (``data/processed/rd/eurostat_panel_nl.csv``)."""
    panel = eurostat_panel().dropna(subset=["tertiary_pct_25_64"])
    out = panel[["nuts2", "year", "tertiary_pct_25_64"]].merge(
        nl.PROVINCES[["nuts2", "name"]], on="nuts2"
    )
    return out.sort_values(["nuts2", "year"], ignore_index=True)


def tertiary_years() -> list[int]:
    """The years (ascending) of :func:`tertiary_panel`."""
    return sorted(int(y) for y in tertiary_panel()["year"].unique())


def tertiary_for_year(year: int) -> pd.DataFrame:
    """The 12 provinces of :func:`tertiary_panel` in ``year``, highest share first
    (``attrs['year']``). Raises :class:`~helpers.data.checks.UnknownParameterError` (listing
    the years) for a year without data."""
    panel = tertiary_panel()
    year = check_year(year, tertiary_years(), "the Eurostat panel (tertiary attainment)")
    table = panel[panel["year"] == year]
    require(len(table) == 12, f"Eurostat panel: expected 12 provinces in {year}")
    table = table.sort_values("tertiary_pct_25_64", ascending=False, ignore_index=True)
    table.attrs["year"] = year
    return table


def ris_tertiary(year: int) -> pd.DataFrame:
    """RIS 2023 indicator 'Population with tertiary education' (normalised score) per
    province for ``year`` and the number of distinct values over the RIS years."""
    rows = dutch_province_indicators([RIS_TERTIARY])
    years = sorted(int(y) for y in rows["year"].unique())
    ris_year = year if year in years else min(years, key=lambda y: abs(y - year))
    table = rows[rows["year"] == ris_year][["region", "value"]].rename(
        columns={"region": "nuts2", "value": "ris_score"}
    )
    table.attrs.update(
        ris_year=ris_year, distinct_over_years=int(rows.groupby("region")["value"].nunique().max())
    )
    return table.reset_index(drop=True)


def gemeente_online(year: int, *, use_cache: bool = True, timeout: float = 20.0) -> pd.DataFrame:
    """Share of 15-74 year olds with hbo/wo per gemeente in ``year`` from CBS StatLine.

    Raises :class:`helpers.data.cbs.CbsUnavailable` offline (without a cached copy) and
    :class:`helpers.data.cbs.CbsError` when the table lacks the year or a category.
    """
    spec = GEMEENTE_SOURCE
    table = cbs.fetch_table(
        spec["table"],
        dimensions=spec["dimensions"],
        period=f"{int(year)}JJ00",
        topics=spec["topics"],
        use_cache=use_cache,
        timeout=timeout,
    )
    keys = [cbs.topic_key(table, title) for title in spec["topics"]]
    data = table.data
    region = next(k for k in table.dimensions if k.startswith("Regio"))
    gm = data[data[region].str.startswith("GM")].copy()
    if gm.empty:
        raise cbs.CbsError(f"CBS {spec['table']}: no gemeente rows for {year}")
    gm["pct_hoog"] = gm[keys].astype(float).sum(axis=1, min_count=len(keys))
    out = gm.rename(columns={region: "gemeente", f"{region}_titel": "naam"})
    out = out[["gemeente", "naam", "pct_hoog"]].reset_index(drop=True)
    out.attrs.update(table=spec["table"], title=table.title, from_cache=table.from_cache)
    return out


STUDENTS_YEAR = 2015  # the year of the offline substitute (CBS 70072ned, gemeenten of 2015)


def students_2015() -> pd.DataFrame:
    """hbo and wo students by place of residence per 1,000 inhabitants (``per_1000``) per
    gemeente (codes of 2015), with ``bevolking`` and the student counts. Source: CBS 70072ned
    (Regionale kerncijfers 2015), ``data/processed/nl/kerncijfers_gemeente_2015.csv``."""
    path = config.data_file("processed", "nl", "kerncijfers_gemeente_2015.csv")
    data = pd.read_csv(path)
    data["studenten"] = data["studenten_hbo"] + data["studenten_wo"]
    data["per_1000"] = data["studenten"] / data["bevolking"] * 1000
    return data[["gemeente", "bevolking", "studenten_hbo", "studenten_wo", "studenten", "per_1000"]]


# --- numbers for the narrative and the maps -------------------------------------------------

MAP_YEAR = 2016  # province boundaries of the province map (1 January 2016)


@dataclass(frozen=True)
class ProvinceSummary:
    """Provinces in one year and their growth over the panel (see :func:`province_summary`)."""

    year: int
    first: str  # highest share of 25-64 year olds with tertiary education
    first_pct: float  # %
    last: str
    last_pct: float
    top3: list[str]  # the three highest, highest first
    start_year: int  # first and last year of the panel
    end_year: int
    growth: pd.Series  # percentage points end - start per province name, largest first

    @property
    def gap(self) -> float:
        """Highest minus lowest share (percentage points)."""
        return self.first_pct - self.last_pct

    @property
    def n_up(self) -> int:
        """Provinces whose share rose between the first and last year of the panel."""
        return int((self.growth > 0).sum())

    @property
    def all_up(self) -> bool:
        """Whether the share rose in every province."""
        return bool((self.growth > 0).all())

    @property
    def fastest(self) -> tuple[str, float]:
        """The province whose share grew most, and its growth (percentage points)."""
        return str(self.growth.index[0]), float(self.growth.iloc[0])

    @property
    def slowest(self) -> tuple[str, float]:
        """The province whose share grew least, and its growth (percentage points)."""
        return str(self.growth.index[-1]), float(self.growth.iloc[-1])


def province_summary(prov: pd.DataFrame, panel: pd.DataFrame) -> ProvinceSummary:
    """Highest, lowest and top three in ``prov`` (:func:`tertiary_for_year`: highest first)
    and the growth per province between the first and last year of ``panel``
    (:func:`tertiary_panel`), in percentage points. Raises
    :class:`~helpers.data.checks.DataCheckError` for fewer than three provinces."""
    require(len(prov) >= 3, f"province_summary: {len(prov)} provinces, need at least 3")
    start, end = int(panel["year"].min()), int(panel["year"].max())
    wide = panel.pivot(index="name", columns="year", values="tertiary_pct_25_64")
    first, last = prov.iloc[0], prov.iloc[-1]
    return ProvinceSummary(
        year=int(prov.attrs["year"]),
        first=str(first["name"]),
        first_pct=float(first["tertiary_pct_25_64"]),
        last=str(last["name"]),
        last_pct=float(last["tertiary_pct_25_64"]),
        top3=prov.head(3)["name"].tolist(),
        start_year=start,
        end_year=end,
        growth=(wide[end] - wide[start]).sort_values(ascending=False),
    )


def provinces_on_map(prov: pd.DataFrame) -> gpd.GeoDataFrame:
    """The provinces of :data:`MAP_YEAR` (``code``, ``name``, ``geometry``) with the columns
    of ``prov`` (one row per province, ``nuts2`` code; its ``name`` is taken from the map).
    Raises :class:`~helpers.data.checks.DataCheckError` when a province does not join or has no
    data."""
    data = prov.merge(nl.PROVINCES[["nuts2", "provincie"]], on="nuts2")
    return nl.join_complete(data, "provincie", MAP_YEAR, code="provincie")


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
    of the nearest year. Raises
    :class:`~helpers.data.checks.DataCheckError` when the two do not share the 12 provinces."""
    ris = ris_tertiary(int(prov.attrs["year"]))
    both = prov.merge(ris, on="nuts2")
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


def map_year_for(year: int, available: list[int]) -> int:
    """The gemeente boundaries to draw data of ``year`` on: ``year`` itself if ``available``
    has it, else the latest earlier year, else (data older than every map) the earliest.
    Raises ``ValueError`` when ``available`` is empty."""
    if not available:
        raise ValueError("map_year_for: no gemeente boundaries available")
    if year in available:
        return year
    earlier = [y for y in available if y <= year]
    return max(earlier) if earlier else min(available)


@dataclass(frozen=True)
class GemeenteLevel:
    """What the gemeente map shows (see :func:`gemeente_level`)."""

    online: bool  # True: CBS StatLine (share of hbo/wo); False: the offline substitute
    reason: str  # why StatLine was not used: "" (used), "disabled", "unavailable", "error"
    error: str  # the CBS error message ("" when used or disabled)
    year: int  # year of the data
    value: str  # column shown: "pct_hoog" (% of 15-74 year olds) or "per_1000" (students)
    data: pd.DataFrame  # one row per gemeente (``gemeente`` code) with ``value``
    title: str  # the StatLine table title ("" offline)
    map_year: int  # gemeente boundaries drawn
    n_regions: int  # gemeenten on that map
    regions: gpd.GeoDataFrame  # all gemeenten of ``map_year`` with the data (left join)
    join: nl.JoinReport

    def top(self, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` gemeenten on the map with the highest value: (name on the map, value)."""
        ranked = self.regions.dropna(subset=[self.value])
        ranked = ranked.sort_values(self.value, ascending=False).head(n)
        return list(zip(ranked["name"].astype(str), ranked[self.value].astype(float), strict=True))


def gemeente_level(year: int, *, online: bool = True, timeout: float = 10.0) -> GemeenteLevel:
    """The share of hbo/wo per gemeente in ``year`` from CBS StatLine
    (:func:`gemeente_online`, cached) when ``online`` and reachable, drawn on the gemeente
    boundaries of that year (or the nearest earlier one, :func:`map_year_for`); otherwise hbo/wo
    students per 1,000 inhabitants in :data:`STUDENTS_YEAR` (:func:`students_2015`, another
    concept) on the boundaries of that year. CBS errors (unreachable, a missing year or
    category) do not raise: they are returned in ``reason`` and ``error``."""
    data, reason, error, title = None, "disabled", "", ""
    if online:
        try:
            data = gemeente_online(year, timeout=timeout)
            reason, title = "", data.attrs["title"]
        except cbs.CbsUnavailable as exc:
            reason, error = "unavailable", str(exc)
        except cbs.CbsError as exc:
            reason, error = "error", str(exc)
    if data is not None:
        value, data_year = "pct_hoog", int(year)
        maps = sorted({y for level, y in nl.available_boundaries() if level == "gemeente"})
        map_year = map_year_for(data_year, maps)
    else:
        data, value, data_year = students_2015(), "per_1000", STUDENTS_YEAR
        map_year = STUDENTS_YEAR
    boundaries = nl.boundaries("gemeente", map_year)
    regions, report = nl.join_to_boundaries(data, boundaries, code="gemeente")
    return GemeenteLevel(
        online=reason == "",
        reason=reason,
        error=error,
        year=data_year,
        value=value,
        data=data,
        title=title,
        map_year=map_year,
        n_regions=len(boundaries),
        regions=regions,
        join=report,
    )
