"""Chapter 'Scale-ups': what is known about scale-ups, and the population they come from.

The publication mapped scale-ups per gemeente with the Scale-Up Dashboard (Erasmus Centre for
Entrepreneurship, not open). With the dashboard's counts supplied as ``scaleup_file`` the
chapter maps them; otherwise it shows the publicly stated totals and the establishments with 10
or more persons employed per COROP region and provincie (CBS 81644NED, 2015-2025) in the
dashboard's year and a later one: the population scale-ups come from by definition (a proxy),
not scale-ups. (Eurostat's enterprises with 10+ employees per NUTS 3, used before, end in 2020
and cover the same 40 regions; 81644NED replaces them.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers import config
from helpers.chapters import firms
from helpers.data.checks import check_year, require
from helpers.geography import nl, userfiles, years

STATED_PREFIX = "Scale-ups (ScaleUp Dashboard"  # rows of stated_figures.csv on the dashboard
TOTAL_2016 = "Scale-ups (ScaleUp Dashboard 2016), total"
TOTAL_2017 = "Scale-ups (ScaleUp Dashboard 2017), total"
RANDSTAD_2016 = "Scale-ups (ScaleUp Dashboard 2016), share in Randstad"
IN_DUTCH = {"more than half": "meer dan de helft"}  # stated wordings, as the narrative says them
STATUS_SUPPLIED = "origineel: Scale-Up Dashboard, aangeleverd door de gebruiker"
STATUS_STATED = (
    "gepubliceerde totalen en de open populatie waaruit scale-ups komen; geen kaart van scale-ups"
)


def stated_figures() -> pd.DataFrame:
    """Publicly stated figures on R&D, innovative firms, startups and scale-ups, as text
    (``data/processed/firms/stated_figures.csv``: indicator, geography, year,
    value_as_stated, unit, from_rathenau_2018_report, source_url, note)."""
    return pd.read_csv(config.data_file("processed", "firms", "stated_figures.csv"), dtype=str)


def stated_scaleups() -> pd.DataFrame:
    """The rows of :func:`stated_figures` about the Scale-Up Dashboard."""
    stated = stated_figures()
    return stated[stated["indicator"].str.startswith(STATED_PREFIX)]


@dataclass
class StatedTotals:
    """The dashboard's totals as stated (result of :func:`stated_totals`)."""

    total_2016: float  # scale-ups, dashboard 2016
    total_2017: float  # scale-ups, dashboard 2017
    randstad: str  # share of the 2016 scale-ups in the Randstad, in Dutch words

    @property
    def growth(self) -> float:
        """Change from the 2016 to the 2017 dashboard, percent."""
        return (self.total_2017 / self.total_2016 - 1) * 100


def stated_value(table: pd.DataFrame, indicator: str) -> pd.Series:
    """The one row of ``table`` (:func:`stated_figures` rows) for ``indicator``. Raises
    :class:`helpers.data.checks.DataCheckError` when there is not exactly one."""
    rows = table[table["indicator"] == indicator]
    require(len(rows) == 1, f"stated figure {indicator!r} not found once in stated_figures.csv")
    return rows.iloc[0]


def stated_totals(table: pd.DataFrame | None = None) -> StatedTotals:
    """The dashboard totals of 2016 and 2017 and the Randstad share of 2016 from
    :func:`stated_scaleups` (or ``table``); English wordings are put in Dutch (:data:`IN_DUTCH`)."""
    table = stated_scaleups() if table is None else table
    randstad = stated_value(table, RANDSTAD_2016)["value_as_stated"]
    return StatedTotals(
        total_2016=float(stated_value(table, TOTAL_2016)["value_as_stated"]),
        total_2017=float(stated_value(table, TOTAL_2017)["value_as_stated"]),
        randstad=IN_DUTCH.get(randstad, randstad),
    )


# --- the population: establishments with 10 or more persons (CBS 81644NED) ----------------

REFERENCE_YEAR = 2016  # the publication's Scale-Up Dashboard 2016
LEVELS = ("corop", "provincie")
RANDSTAD_PROVINCES = ("PV26", "PV27", "PV28")  # Utrecht, Noord-Holland, Zuid-Holland


def stock_table() -> pd.DataFrame:
    """CBS 81644NED as processed (``data/processed/cbs/establishments_by_size_81644ned.csv``):
    all establishments on 1 January (``vestigingen``) and those with 10 or more persons
    employed (``vestigingen_10_plus``) per region (``level``, ``code``, ``name``) and year."""
    return firms.cbs_regional_table("processed", "cbs", "establishments_by_size_81644ned.csv")


def population_years() -> list[int]:
    """Years with establishments of 10+ persons for all 40 COROP regions, ascending."""
    table = stock_table()
    rows = table[(table["level"] == "corop") & table["vestigingen_10_plus"].notna()]
    counts = rows.groupby("year")["code"].nunique()
    return sorted(int(y) for y in counts[counts == 40].index)


def larger_establishments(year: int, level: str = "corop") -> pd.DataFrame:
    """Establishments with 10 or more persons per region of ``level`` (``corop``: 40 rows,
    ``provincie``: 12) on 1 January ``year``: ``vestigingen_10_plus``, all establishments
    (``vestigingen``), the share of the Dutch total (``aandeel_pct``) and the share of the
    region's establishments with 10+ persons (``pct_10_plus``); code column named after the
    level, most first, ``attrs["year"]``. Raises
    :class:`helpers.data.checks.UnknownParameterError` listing :func:`population_years` and
    ``ValueError`` for another level."""
    if level not in LEVELS:
        raise ValueError(f"Unknown level {level!r}; levels: {', '.join(LEVELS)}")
    year = check_year(year, population_years(), "CBS 81644NED (COROP)")
    table = stock_table()
    rows = table[(table["level"] == level) & (table["year"] == year)]
    rows = rows[["code", "name", "vestigingen_10_plus", "vestigingen"]].rename(
        columns={"code": level}
    )
    rows["aandeel_pct"] = rows["vestigingen_10_plus"] / rows["vestigingen_10_plus"].sum() * 100
    rows["pct_10_plus"] = rows["vestigingen_10_plus"] / rows["vestigingen"] * 100
    rows = rows.sort_values(["vestigingen_10_plus", level], ascending=[False, True])
    rows = rows.reset_index(drop=True)
    rows.attrs["year"] = year
    return rows


@dataclass
class Population:
    """Result of :func:`population`: the establishments with 10+ persons in one year."""

    year: int
    table: pd.DataFrame  # per COROP (see larger_establishments)
    provinces: pd.DataFrame  # the same per provincie
    map_data: gpd.GeoDataFrame  # the 40 COROP regions of ``year`` with the columns of ``table``

    @property
    def total(self) -> float:
        """Establishments with 10+ persons in the Netherlands (the sum of the COROP regions)."""
        return float(self.table["vestigingen_10_plus"].sum())

    @property
    def randstad_share(self) -> float:
        """Percent of them in the Randstad provinces (:data:`RANDSTAD_PROVINCES`)."""
        rows = self.provinces
        in_randstad = rows["provincie"].isin(RANDSTAD_PROVINCES)
        return float(
            rows.loc[in_randstad, "vestigingen_10_plus"].sum()
            / rows["vestigingen_10_plus"].sum()
            * 100
        )

    def top(self, n: int) -> list[tuple[str, float]]:
        """The ``n`` COROP regions with the most establishments with 10+ persons."""
        head = self.table.head(n)
        return [
            (str(k), float(v))
            for k, v in zip(head["name"], head["vestigingen_10_plus"], strict=True)
        ]

    @property
    def scaleups_more_in_randstad(self) -> bool:
        """Whether scale-ups lean more to the Randstad than this population: less than half
        of the population is there, while the dashboard put more than half of the scale-ups
        there."""
        return self.randstad_share < 50


def population(year: int) -> Population:
    """Establishments with 10 or more persons per COROP region and provincie on 1 January
    ``year`` (:func:`larger_establishments`), the COROP table joined to the map of the COROP
    regions of that year. Errors as in :func:`larger_establishments`; a
    :class:`helpers.data.checks.DataCheckError` when a region is not on the map."""
    table = larger_establishments(year)
    year = table.attrs["year"]
    map_data, join = nl.join_to_boundaries(table, years.boundaries("corop", year), code="corop")
    require(not join.unjoined and not join.without_data, join.summary())
    return Population(
        year=year,
        table=table,
        provinces=larger_establishments(year, "provincie"),
        map_data=map_data,
    )


@dataclass
class PopulationChange:
    """Establishments with 10+ persons in two years (result of :func:`population_change`)."""

    corop: firms.RegionChange
    provinces: firms.RegionChange
    randstad_shares: tuple[float, float]  # earlier, later (percent)


def population_change(a: Population, b: Population) -> PopulationChange:
    """The change per COROP region and provincie between ``a`` and ``b`` (either order)."""
    first, second = sorted((a, b), key=lambda p: p.year)
    pair = (first.year, second.year)
    column = "vestigingen_10_plus"
    return PopulationChange(
        corop=firms.region_change(first.table, second.table, "corop", column, pair),
        provinces=firms.region_change(first.provinces, second.provinces, "provincie", column, pair),
        randstad_shares=(first.randstad_share, second.randstad_share),
    )


@dataclass
class ScaleupCounts:
    """Result of :func:`scaleup_counts`."""

    year: int
    counts: pd.Series  # scale-ups per gemeente code (codes of map_year)
    map_year: int
    names: pd.Series  # gemeente code -> name (map_year)
    map_data: gpd.GeoDataFrame  # every gemeente of map_year with ``scaleups`` (NaN: none)
    join: nl.JoinReport | None = None  # codes not on the map (named), gemeenten without data
    missing: list[str] = field(default_factory=list)  # codes whose count is '.', 'x' or empty
    notes: list[str] = field(default_factory=list)  # how the file was read (Dutch sentences)
    coverage: userfiles.Coverage | None = None  # gemeenten of map_year with a count
    file: str = ""  # the file's name

    @property
    def total(self) -> int:
        """Scale-ups in the Netherlands."""
        return int(self.counts.sum())

    def top(self, n: int) -> list[tuple[str, int]]:
        """The ``n`` gemeenten with the most scale-ups: (name, scale-ups), most first."""
        ranked = self.counts.sort_values(ascending=False).head(n)
        return [(str(self.names.get(code, code)), int(k)) for code, k in ranked.items()]


def scaleup_counts(scaleup_file: str, year: int) -> ScaleupCounts | None:
    """Scale-ups per gemeente in ``year`` from the user's Scale-Up Dashboard file (schema
    ``scaleups`` of ``data/README-user-files.md``), on the gemeente map of that year; ``None``
    without a file; codes that are not on that map are in ``join.unjoined``, gemeenten whose
    count is missing (StatLine ``.``/``x``) in ``missing``, how the file was read in ``notes``,
    which gemeenten of the map have a count in ``coverage``.
    Raises :class:`helpers.geography.userfiles.UserFileError` on an invalid file and
    :class:`helpers.data.checks.UnknownParameterError` when ``year`` is not in it, and
    :class:`helpers.data.checks.DataCheckError` naming the file when no count of ``year``
    has a value."""
    if not scaleup_file:
        return None
    data = userfiles.load_user_file(scaleup_file, "scaleups")
    what = f"{Path(data.attrs['path']).name} (parameter scaleup_file)"
    counts, map_year = firms.counts_per_gemeente(data, year, "aantal", what)
    regions = nl.boundaries("gemeente", map_year)
    map_data, join = nl.join_to_boundaries(
        counts.rename("scaleups").reset_index(), regions, code="gemeente"
    )
    return ScaleupCounts(
        year=int(year),
        counts=counts,
        map_year=map_year,
        names=regions.set_index("code")["name"],
        map_data=map_data,
        join=join,
        missing=list(counts.attrs.get("missing", [])),
        notes=userfiles.file_notes(data[data["jaar"] == int(year)], key="gemeente"),
        coverage=userfiles.coverage(counts.index, "gemeente", map_year),
        file=Path(data.attrs["path"]).name,
    )


def status(scaleups: ScaleupCounts | None) -> str:
    """The reader's wording of what the chapter shows: the user's dashboard counts, or the
    stated totals and the population."""
    return STATUS_STATED if scaleups is None else STATUS_SUPPLIED


# --- two dashboard files compared (then and now, on the later year's gemeenten) ---------------


@dataclass
class ScaleupChange:
    """Two of the user's dashboard files compared (result of :func:`scaleup_change`): the
    earlier file's counts recoded to the gemeenten of the later one."""

    earlier: ScaleupCounts
    later: ScaleupCounts
    recoded: pd.DataFrame  # gemeente (codes of later.map_year), name, aantal: earlier counts
    report: years.RecodeReport  # merged, split (with weights) and renamed gemeenten
    change: firms.RegionChange  # gemeenten with scale-ups in both files; fastest growth first
    only_earlier: list[str] = field(default_factory=list)  # names: scale-ups then, none later
    only_later: list[str] = field(default_factory=list)  # names: none then, scale-ups later
    not_recoded: list[str] = field(default_factory=list)  # codes of the earlier file left out

    @property
    def totals(self) -> tuple[int, int]:
        """Scale-ups in the earlier and the later file (the earlier total is the same before
        and after recoding: checked)."""
        return self.earlier.total, self.later.total

    @property
    def recoded_total(self) -> int:
        """Scale-ups of the earlier file after recoding (equals its total)."""
        return int(self.recoded["aantal"].sum())


def scaleup_change(a: ScaleupCounts, b: ScaleupCounts) -> ScaleupChange:
    """Compare two dashboard files (:func:`scaleup_counts`, in either order) on the gemeenten
    of the later one: the earlier counts are recoded from the gemeenten of their map year to
    those of the later map year through the change table
    (:func:`helpers.geography.years.recode`: merged gemeenten go whole to their new gemeente,
    a divided gemeente is shared by weight, integer counts stay whole and the total is kept).
    Gemeenten with scale-ups in both files are compared (:func:`helpers.chapters.firms.
    region_change`); those with scale-ups in one file only are named.

    Raises :class:`helpers.data.checks.DataCheckError` when the recoded total differs from
    the earlier file's total (it never should) or both files have the same year."""
    first, second = sorted((a, b), key=lambda s: (s.year, s.map_year))
    require(
        first.year != second.year,
        f"scale-up files to compare have the same year ({first.year}); give files of two years",
    )
    valid = set(years.crosswalk(first.map_year)["gemeente"])
    counts = first.counts.rename("aantal").rename_axis("gemeente").reset_index()
    not_recoded = sorted(set(counts["gemeente"]) - valid)
    counts = counts[counts["gemeente"].isin(valid)]
    counts["aantal"] = counts["aantal"].astype("int64")
    to_year = max(first.map_year, second.map_year)
    recoded, report = years.recode(counts, "gemeente", ["aantal"], first.map_year, to_year)
    require(
        int(recoded["aantal"].sum()) == int(counts["aantal"].sum()),
        f"recoding {first.map_year} -> {to_year} changed the total of the scale-up file",
    )
    names = years.names(to_year).set_index("code")["name"]
    then = recoded.set_index("gemeente")["aantal"]
    now = second.counts[second.counts.index.isin(set(names.index))]
    both = sorted(set(then[then > 0].index) & set(now[now > 0].index))
    tables = [
        pd.DataFrame({"gemeente": both, "name": [names[c] for c in both], "aantal": s[both].values})
        for s in (then, now)
    ]
    change = firms.region_change(*tables, "gemeente", "aantal", (first.year, second.year))
    return ScaleupChange(
        earlier=first,
        later=second,
        recoded=recoded[["gemeente", "name", "aantal"]],
        report=report,
        change=change,
        only_earlier=sorted(names[c] for c in set(then[then > 0].index) - set(both)),
        only_later=sorted(names[c] for c in set(now[now > 0].index) - set(both)),
        not_recoded=not_recoded,
    )


def compare_files(
    scaleups: ScaleupCounts | None, scaleup_file_compare: str, compare_year: int
) -> ScaleupChange | None:
    """The chapter's file (``scaleups``, from ``scaleup_file``) compared with a second
    dashboard file of another year (:func:`scaleup_counts` of ``scaleup_file_compare`` and
    ``compare_year``, then :func:`scaleup_change`); ``None`` without a second file. Raises
    :class:`helpers.data.checks.DataCheckError` naming both parameters when the second file
    is given without the first, and the errors of those functions."""
    if not scaleup_file_compare:
        return None
    require(
        scaleups is not None,
        "parameter scaleup_file_compare is set but scaleup_file is not: give the dashboard file "
        "to compare it with as scaleup_file (and its year as year)",
    )
    other = scaleup_counts(scaleup_file_compare, compare_year)
    return scaleup_change(scaleups, other)
