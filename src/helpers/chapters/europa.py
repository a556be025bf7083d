"""Chapter 'Nederlandse regio's in Europa': Regional Innovation Scoreboard (RIS) logic.

The RIS database gives a Summary Innovation Index per region and year, indexed to the EU in
the first year of the edition (RIS 2023: EU 2016 = 100). The scoreboard compares a region
with the EU *in the same year*; performance groups follow from that relative score with the
thresholds of the edition's method (:data:`GROUP_THRESHOLDS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from helpers import config
from helpers.data import checks
from helpers.data.checks import UnknownParameterError, require
from helpers.data.published import load_published
from helpers.geography import nl as geo_nl
from helpers.geography.nl import JoinReport

# RIS performance groups (RIS 2023 names) with Dutch labels, ordered best to worst.
PERFORMANCE_GROUPS: dict[str, str] = {
    "Leader": "Innovatieleider",
    "Strong": "Sterke innovator",
    "Moderate": "Gemiddelde innovator",
    "Emerging": "Opkomende innovator",
}

# Performance-group thresholds (relative to the EU in the same year, EU = 100), per edition.
# RIS 2023 method: Leader > 125, Strong 100-125, Moderate 70-100, Emerging < 70. The RIS 2023
# database repeats its 2023 group on every year; recomputing it for 2023 reproduces it (tested).
GROUP_THRESHOLDS: dict[int, list[tuple[float, str]]] = {
    2023: [(125.0, "Leader"), (100.0, "Strong"), (70.0, "Moderate"), (0.0, "Emerging")],
}


def available_editions() -> list[int]:
    """RIS editions (e.g. ``[2023]``) with a processed summary table
    ``data/processed/ris/ris<edition>_summary.csv`` (made by ``make data`` from the RIS
    database of the European Commission)."""
    files = config.data_glob("processed/ris", "ris*_summary.csv")
    return sorted(int(p.name[3:7]) for p in files)


def load_summary(edition: int = 2023) -> pd.DataFrame:
    """Summary Innovation Index per region and year for an RIS edition: one row per region
    (mixed NUTS levels 0-2, plus ``EU``) and year, columns ``region``, ``region_name``,
    ``country``, ``nuts_level``, ``year``, ``index`` (EU in the edition's base year = 100) and
    the edition's own group. Source: ``data/processed/ris/ris<edition>_summary.csv``.

    Raises :class:`UnknownParameterError` (listing the editions) for an edition without data.
    """
    editions = available_editions()
    if edition not in editions:
        raise UnknownParameterError(
            f"RIS edition {edition} is not available; available editions: "
            f"{', '.join(map(str, editions))}"
        )
    path = config.data_file("processed", "ris", f"ris{edition}_summary.csv")
    summary = pd.read_csv(
        path, dtype={"nuts_level": "Int64"}, keep_default_na=False, na_values=[""]
    )
    summary.attrs["edition"] = edition
    return summary


def available_years(summary: pd.DataFrame) -> list[int]:
    """The years (ascending) an edition's summary table (:func:`load_summary`) covers."""
    return sorted(int(y) for y in summary["year"].unique())


def index_base_year(summary: pd.DataFrame) -> int:
    """The year in which the edition's index is fixed at EU = 100 (RIS 2023: 2016)."""
    eu = summary[summary["region"] == "EU"]
    base = eu.loc[eu["index"].round(2) == 100, "year"]
    if len(base) != 1:
        raise ValueError(f"RIS {summary.attrs.get('edition', '?')}: no single year with EU = 100")
    return int(base.iloc[0])


def check_year(summary: pd.DataFrame, year: int) -> int:
    """``year`` as int if the edition covers it; otherwise an error listing the years."""
    edition = summary.attrs.get("edition", "?")
    return checks.check_year(year, available_years(summary), f"the RIS {edition} database")


def performance_group(relative: float, edition: int = 2023) -> str:
    """RIS performance group (English RIS name) for a score relative to the EU (EU = 100)."""
    for threshold, group in GROUP_THRESHOLDS[edition]:
        if relative > threshold or threshold == 0.0:
            return group
    raise AssertionError("unreachable")


def scores_for_year(summary: pd.DataFrame, year: int) -> pd.DataFrame:
    """All regions in ``year`` with the index, the score relative to the EU in that year,
    and the performance group (RIS name and Dutch label) recomputed for that year."""
    year = check_year(summary, year)
    edition = summary.attrs.get("edition", 2023)
    rows = summary[summary["year"] == year]
    eu_index = float(rows.loc[rows["region"] == "EU", "index"].iloc[0])
    regions = rows[rows["region"] != "EU"].copy()
    regions["score_eu"] = regions["index"] / eu_index * 100
    regions["group"] = regions["score_eu"].map(lambda v: performance_group(v, edition))
    regions["group_nl"] = regions["group"].map(PERFORMANCE_GROUPS)
    regions.attrs.update(eu_index=eu_index, year=year, edition=edition)
    return regions.reset_index(drop=True)


def province_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The 12 Dutch provinces, best first: index, score vs EU, score vs the provincial mean
    (the RIS database has no value for the Netherlands as a whole), performance group."""
    nl = scores[scores["country"] == "NL"].copy()
    require(len(nl) == 12, f"expected 12 Dutch provinces, found {len(nl)}")
    nl["provincie"] = nl["region"].map(geo_nl.PROVINCES.set_index("nuts2")["name"])
    nl["score_nl_gem"] = nl["score_eu"] / nl["score_eu"].mean() * 100
    nl = nl.sort_values("score_eu", ascending=False, kind="stable").reset_index(drop=True)
    nl.attrs.update(scores.attrs)
    return nl[["provincie", "region", "index", "score_eu", "score_nl_gem", "group", "group_nl"]]


def published_table() -> pd.DataFrame:
    """Table 1 of the publication as printed (RIS 2017), see ``data/published/README.md``."""
    table = load_published("ris2017_tabel1", text_columns=("subgroep",))
    require(
        len(table) == 12 and table["nuts_code"].is_unique,
        "ris2017_tabel1.csv: expected the 12 provinces, each once",
    )
    return table


def published_method() -> pd.DataFrame:
    """The RIS 2017 method as published (indicators, thresholds), by ``kenmerk``."""
    return load_published("ris2017_methode", text_columns=("waarde", "eenheid", "plaats"))


def regions_with_geometry(scores: pd.DataFrame) -> tuple[gpd.GeoDataFrame, JoinReport]:
    """Join each RIS region (mixed NUTS levels 0-2) to its NUTS 2021 geometry."""
    geo = gpd.read_file(config.data_file("processed", "geo", "nuts2021_l0-2.geojson"))
    merged = scores.merge(geo[["code", "geometry"]], left_on="region", right_on="code", how="left")
    missing = merged["geometry"].isna()
    report = JoinReport(
        joined=sorted(merged.loc[~missing, "region"]),
        unjoined=sorted(merged.loc[missing, "region"]),
    )
    gdf = gpd.GeoDataFrame(merged[~missing].drop(columns="code"), geometry="geometry", crs=4326)
    return gdf, report


def regional_indicator_count(edition: int = 2023) -> int:
    """How many indicators the RIS database labels as regional ('(Regional)')."""
    path = config.data_file("processed", "ris", f"ris{edition}_indicators.csv.gz")
    indicators = pd.read_csv(path, usecols=["indicator"])["indicator"].unique()
    return sum("(Regional)" in name for name in indicators)


# --- numbers for the narrative --------------------------------------------------------------


@dataclass(frozen=True)
class EuropeOverview:
    """Europe in one year of the scoreboard (see :func:`europe_overview`)."""

    year: int
    n_regions: int  # regions in the scoreboard (the EU itself not counted)
    n_countries: int
    eu_index: float  # the EU's index in ``year`` (EU in the edition's base year = 100)
    group_counts: dict[str, int]  # RIS group (English name, best first) -> regions; all four
    leader_countries: dict[str, int]  # country code -> leading regions, most first (top ``top``)
    best_region: str  # name of the region with the highest score
    best_country: str  # its country code
    best_score: float  # its score relative to the EU in ``year`` (EU = 100)


def europe_overview(scores: pd.DataFrame, top: int = 4) -> EuropeOverview:
    """Counts for the narrative on Europe: regions, countries, regions per performance group,
    the countries with most leading regions and the best region.

    ``scores`` is :func:`scores_for_year` (one row per region, columns ``region_name``,
    ``country``, ``score_eu``, ``group``; ``attrs['eu_index']`` and ``attrs['year']``).
    Source: the RIS database (:func:`load_summary`). Raises
    :class:`~helpers.data.checks.DataCheckError` for no regions.
    """
    require(not scores.empty, "europe_overview: no regions in the scores")
    counts = scores["group"].value_counts()
    leaders = scores[scores["group"] == "Leader"]["country"].value_counts().head(top)
    best = scores.loc[scores["score_eu"].idxmax()]
    return EuropeOverview(
        year=int(scores.attrs["year"]),
        n_regions=len(scores),
        n_countries=int(scores["country"].nunique()),
        eu_index=float(scores.attrs["eu_index"]),
        group_counts={group: int(counts.get(group, 0)) for group in PERFORMANCE_GROUPS},
        leader_countries={str(c): int(n) for c, n in leaders.items()},
        best_region=str(best["region_name"]),
        best_country=str(best["country"]),
        best_score=float(best["score_eu"]),
    )


@dataclass(frozen=True)
class ProvinceRanking:
    """The Dutch provinces ranked by their score relative to the EU (see :func:`ranking`)."""

    best: str
    best_score: float  # relative to the EU (EU = 100)
    worst: str
    worst_score: float
    leaders: list[str]  # provinces in the group 'Innovatieleider', best first
    below_eu: list[str]  # provinces scoring under the EU (score < 100), best first

    @property
    def spread(self) -> float:
        """Best minus worst score (points, EU = 100)."""
        return self.best_score - self.worst_score


def ranking(
    table: pd.DataFrame, *, score: str = "score_eu", group: str = "group_nl"
) -> ProvinceRanking:
    """Best and worst province, the leaders and the provinces below the EU average.

    ``table`` has one row per province with ``provincie``, a ``score`` column (relative to the
    EU, EU = 100) and a ``group`` column with the Dutch group label: :func:`province_table`
    (defaults) or the published Table 1, :func:`published_table`
    (``group="prestatiegroep"``). Ties keep the table's order. Raises ``ValueError`` for an
    empty table or a missing column.
    """
    missing = {"provincie", score, group} - set(table.columns)
    if missing or table.empty:
        raise ValueError(f"ranking: need provinces with columns {sorted(missing) or [score]}")
    ordered = table.sort_values(score, ascending=False, kind="stable")
    best, worst = ordered.iloc[0], ordered.iloc[-1]
    return ProvinceRanking(
        best=str(best["provincie"]),
        best_score=float(best[score]),
        worst=str(worst["provincie"]),
        worst_score=float(worst[score]),
        leaders=ordered.loc[ordered[group] == PERFORMANCE_GROUPS["Leader"], "provincie"].tolist(),
        below_eu=ordered.loc[ordered[score] < 100, "provincie"].tolist(),
    )


# The province the narrative follows from the published table into the current database.
FOCUS_REGION = "NL31"  # Utrecht: the highest score in the publication


@dataclass(frozen=True)
class MethodComparison:
    """The publication's Table 1 (RIS 2017, as printed) next to the same year in the current
    database (see :func:`method_comparison`)."""

    edition: int
    year: int  # the year looked up in the database: 2017 if covered, else its first year
    table: pd.DataFrame  # 12 provinces: province_table columns, published columns, ``diff``
    focus_index: float  # :data:`FOCUS_REGION`: index in the database (edition scale)
    focus_score: float  # ... relative to the EU in ``year`` (EU = 100)
    focus_published: float  # ... as published in 2017 (EU = 100)
    mean_abs_diff: float  # mean absolute difference database - published (points)
    max_abs_diff: float
    max_diff_province: str
    changed_group: list[str]  # provinces whose group differs from the published group
    rank_correlation: float  # Spearman, database scores vs published scores

    def long(self) -> pd.DataFrame:
        """Both scores per province in long form for a grouped bar chart: columns
        ``provincie``, ``bron`` (``"gepubliceerd"`` or ``"database"``) and ``score`` (EU =
        100); published rows first, each part from the highest score down."""
        long = self.table[["provincie", "score_eu_pub", "score_eu"]].melt(
            id_vars="provincie", var_name="bron", value_name="score"
        )
        long["bron"] = long["bron"].map({"score_eu_pub": "gepubliceerd", "score_eu": "database"})
        long["_order"] = (long["bron"] == "database").astype(int)
        long = long.sort_values(["_order", "score"], ascending=[True, False])
        return long.drop(columns="_order")


PUBLICATION_YEAR = 2017  # the RIS edition (and year) of the publication's Table 1


def method_comparison(summary: pd.DataFrame, published: pd.DataFrame) -> MethodComparison:
    """Recompute the publication's year from ``summary`` (:func:`load_summary`) and compare
    it with ``published`` (:func:`published_table`, RIS 2017 as printed), province by
    province: score difference (points, EU = 100), group changes, rank correlation.

    Uses :data:`PUBLICATION_YEAR` if the edition covers it, else the edition's first year.
    Raises :class:`~helpers.data.checks.DataCheckError` when the database and the table do
    not share the 12 provinces.
    """
    years = available_years(summary)
    year = PUBLICATION_YEAR if PUBLICATION_YEAR in years else years[0]
    then = province_table(scores_for_year(summary, year)).merge(
        published, left_on="region", right_on="nuts_code", suffixes=("", "_pub")
    )
    require(len(then) == 12, f"method_comparison: {len(then)} provinces in both tables, not 12")
    then["diff"] = then["score_eu"] - then["score_eu_pub"]
    focus = then[then["region"] == FOCUS_REGION].iloc[0]
    changed = then[then["group_nl"] != then["prestatiegroep"]]
    by_name = then.set_index("provincie")
    rank_then = by_name["score_eu"].rank(ascending=False)
    rank_pub = by_name["score_eu_pub"].rank(ascending=False)
    return MethodComparison(
        edition=int(summary.attrs.get("edition", 2023)),
        year=year,
        table=then,
        focus_index=float(focus["index"]),
        focus_score=float(focus["score_eu"]),
        focus_published=float(focus["score_eu_pub"]),
        mean_abs_diff=float(then["diff"].abs().mean()),
        max_abs_diff=float(then["diff"].abs().max()),
        max_diff_province=str(then.loc[then["diff"].abs().idxmax(), "provincie"]),
        changed_group=changed["provincie"].tolist(),
        rank_correlation=float(rank_then.corr(rank_pub, method="spearman")),
    )


@dataclass(frozen=True)
class MethodChanges:
    """What changed in the RIS method since 2017 (see :func:`method_changes`)."""

    n_indicators: int  # indicators with regional data in the current edition's database
    cut_leader: float  # current thresholds, % of the EU: leaders above
    cut_strong: float  # strong innovators above
    cut_moderate: float  # moderate innovators above
    published_n_indicators: int  # RIS 2017, as published
    published_cut_leader: int  # % of the EU, as published
    published_cut_strong: int


def method_changes(edition: int = 2023) -> MethodChanges:
    """Indicators and group thresholds of ``edition`` (:data:`GROUP_THRESHOLDS`, the
    indicator file ``data/processed/ris/ris<edition>_indicators.csv.gz``) next to those of
    the RIS 2017 as published (``data/published/ris2017_methode.csv``).

    Raises ``KeyError`` for an edition without thresholds and ``ValueError`` when a published
    value is not a whole number.
    """
    leader, strong, moderate = (t for t, _ in GROUP_THRESHOLDS[edition][:3])
    published = published_method()["waarde"]
    return MethodChanges(
        n_indicators=regional_indicator_count(edition),
        cut_leader=leader,
        cut_strong=strong,
        cut_moderate=moderate,
        published_n_indicators=int(published["indicatoren"]),
        published_cut_leader=int(published["grens_leider"]),
        published_cut_strong=int(published["grens_sterk"]),
    )


# --- GDP per inhabitant in PPS (EU = 100) beside the RIS index ------------------------------

# Eurostat's GDP per inhabitant in PPS comes in NUTS 2024 codes. Two Dutch regions changed
# code: Utrecht NL31 -> NL35 and Zuid-Holland NL33 -> NL36 (the gemeente Vijfheerenlanden,
# formed in 2019 partly from Zuid-Holland, lies in Utrecht; Eurostat gives the whole series on
# the new boundaries). The RIS database uses NL31/NL33; the other ten codes are unchanged.
PPS_NUTS2024_TO_RIS = {"NL35": "NL31", "NL36": "NL33"}
# A province counts as 'richer than innovative' (or the reverse) when its rank by GDP per
# inhabitant is this many places better (worse) than its rank by RIS score.
RANK_GAP = 3


def load_gdp_pps() -> pd.DataFrame:
    """Eurostat GDP per inhabitant in PPS (EU27_2020 = 100, whole numbers) for the 12 Dutch
    provinces: columns ``region`` (the RIS code: NUTS 2024 NL35/NL36 mapped to NL31/NL33 by
    :data:`PPS_NUTS2024_TO_RIS`), ``nuts2024``, ``year`` and ``gdp_pps_eu100``
    (``data/processed/eurostat/gdp_pps_eu100_nuts.csv.gz``; 2000-2023, complete from 2010)."""
    raw = pd.read_csv(config.data_file("processed", "eurostat", "gdp_pps_eu100_nuts.csv.gz"))
    rows = raw[(raw["country"] == "NL") & (raw["nuts_level"] == 2)].dropna(subset=["gdp_pps_eu100"])
    rows = rows.rename(columns={"nuts": "nuts2024"})
    rows["region"] = rows["nuts2024"].replace(PPS_NUTS2024_TO_RIS)
    columns = ["region", "nuts2024", "year", "gdp_pps_eu100"]
    return rows[columns].sort_values(["year", "region"], ignore_index=True)


def gdp_pps_years() -> list[int]:
    """Years (ascending) with GDP per inhabitant in PPS for all 12 provinces."""
    counts = load_gdp_pps().groupby("year")["region"].nunique()
    return sorted(int(y) for y, n in counts.items() if n == 12)


@dataclass(frozen=True)
class WealthInnovation:
    """The RIS score of the provinces beside their GDP per inhabitant in PPS (see
    :func:`wealth_and_innovation`)."""

    year: int  # the RIS year (also the GDP year of the comparison)
    gdp_year: int  # the second GDP year (default: the newest)
    table: pd.DataFrame  # 12 provinces, highest RIS score first (columns: see the function)
    rank_correlation: float  # Spearman, RIS score vs GDP per inhabitant in ``year``
    richer: list[str]  # provinces whose GDP rank beats their RIS rank by >= RANK_GAP places
    more_innovative: list[str]  # the reverse
    richest: str  # highest GDP per inhabitant in ``gdp_year``
    richest_pps: float
    poorest: str
    poorest_pps: float


def wealth_and_innovation(
    provinces: pd.DataFrame, year: int, gdp_year: int, gap: int = RANK_GAP
) -> WealthInnovation:
    """``provinces`` (:func:`province_table` of the RIS ``year``) with GDP per inhabitant in
    PPS (EU = 100) in ``year`` (``pps_jaar``) and ``gdp_year`` (``pps_gdp_jaar``), the ranks
    (1 = highest) by RIS score (``rang_ris``) and by GDP in ``year`` (``rang_pps``) and
    ``rang_verschil`` (RIS rank - GDP rank: positive = richer than innovative). Raises
    :class:`~helpers.data.checks.UnknownParameterError` (listing the years) for a year
    without GDP for all 12 provinces, :class:`~helpers.data.checks.DataCheckError` when a
    province does not join."""
    years = gdp_pps_years()
    year = checks.check_year(year, years, "Eurostat GDP per inhabitant in PPS (NUTS 2)")
    gdp_year = checks.check_year(gdp_year, years, "Eurostat GDP per inhabitant in PPS (NUTS 2)")
    pps = load_gdp_pps().set_index(["year", "region"])["gdp_pps_eu100"]
    table = provinces[["provincie", "region", "score_eu", "group_nl"]].copy()
    table["pps_jaar"] = table["region"].map(pps.loc[year])
    table["pps_gdp_jaar"] = table["region"].map(pps.loc[gdp_year])
    require(table[["pps_jaar", "pps_gdp_jaar"]].notna().all().all(), "GDP PPS: provinces missing")
    table = table.sort_values("score_eu", ascending=False, ignore_index=True)
    table["rang_ris"] = table["score_eu"].rank(ascending=False, method="min").astype(int)
    table["rang_pps"] = table["pps_jaar"].rank(ascending=False, method="min").astype(int)
    table["rang_verschil"] = table["rang_ris"] - table["rang_pps"]
    rich = table.sort_values("pps_gdp_jaar", ascending=False, kind="stable")
    return WealthInnovation(
        year=int(year),
        gdp_year=int(gdp_year),
        table=table,
        rank_correlation=float(table["score_eu"].corr(table["pps_jaar"], method="spearman")),
        richer=table.loc[table["rang_verschil"] >= gap, "provincie"].tolist(),
        more_innovative=table.loc[table["rang_verschil"] <= -gap, "provincie"].tolist(),
        richest=str(rich.iloc[0]["provincie"]),
        richest_pps=float(rich.iloc[0]["pps_gdp_jaar"]),
        poorest=str(rich.iloc[-1]["provincie"]),
        poorest_pps=float(rich.iloc[-1]["pps_gdp_jaar"]),
    )


@dataclass(frozen=True)
class RankShift:
    """A province whose place in the recomputed publication year differs from the published
    table (see :func:`rank_shifts`)."""

    provincie: str
    published_rank: int
    database_rank: int


def rank_shifts(comparison: MethodComparison, min_shift: int = 2) -> list[RankShift]:
    """Provinces whose rank by score (1 = highest) in ``comparison.table`` (the publication's
    year in the current database) differs at least ``min_shift`` places from their rank in
    the published Table 1, largest shift first."""
    table = comparison.table
    now = table["score_eu"].rank(ascending=False, method="min").astype(int)
    then = table["score_eu_pub"].rank(ascending=False, method="min").astype(int)
    shifts = [
        RankShift(str(p), int(a), int(b))
        for p, a, b in zip(table["provincie"], then, now, strict=True)
        if abs(a - b) >= min_shift
    ]
    return sorted(shifts, key=lambda s: -abs(s.published_rank - s.database_rank))


def top_of_table(comparison: MethodComparison, level: float = 0.5) -> tuple[str, str, float]:
    """The first and second province by score in the publication's year in the current
    database and their difference (points, EU = 100); the two count as level when it is
    below ``level``."""
    ordered = comparison.table.sort_values("score_eu", ascending=False, ignore_index=True)
    first, second = ordered.iloc[0], ordered.iloc[1]
    return (
        str(first["provincie"]),
        str(second["provincie"]),
        float(first["score_eu"] - second["score_eu"]),
    )
