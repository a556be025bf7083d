"""Chapter 'Startups': where new firms start.

The publication counted startups in a commercial startup database (mid 2017, not open). With
such a list supplied as ``startup_file`` the chapter counts the startups per gemeente and the
share in the large cities; otherwise it shows open data on new business activity: new
establishments per COROP region and provincie (CBS 83631NED, 2015-2023) against the
establishments on 1 January of the year (CBS 81644NED), for a reference year and a later one
with the change in between (:func:`starter_change`), and new enterprises per NUTS 3 region
(Eurostat bd_size_r3). Concentration measures are
:func:`helpers.chapters.firms.concentration`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.chapters import firms
from helpers.data.checks import check_year, require
from helpers.data.published import load_published
from helpers.geography import nl, userfiles, years

PUBLISHED = "startups2017_gepubliceerd"  # data/published/<name>.csv: the publication's findings
PLACE_YEAR = nl.PLACE_YEAR  # the publication's gemeenten (2016): the map of a startup list
BIG_CITY = 100_000  # inhabitants (2015) from which a gemeente counts as a large city


@dataclass
class PublishedFindings:
    """The publication's findings on startups (mid 2017), as printed."""

    n_startups: float  # startups with a known location ("bijna" this many)
    share_big_cities: str  # percent in (the centres of) the large cities, as printed
    cities: list[str]  # cities with the most startups, most first


def published() -> PublishedFindings:
    """The publication's findings on startups (``data/published/startups2017_gepubliceerd.csv``)."""
    values = load_published(PUBLISHED, text_columns=("waarde",))["waarde"]
    return PublishedFindings(
        n_startups=float(values["aantal_startups"]),
        share_big_cities=values["aandeel_grote_steden"],
        cities=[c.strip() for c in values["volgorde_steden"].split(",")],
    )


# --- new establishments per COROP and provincie (CBS) ----------------------------------------

PUBLICATION_YEAR = 2017  # the publication counted startups in mid 2017
LEVELS = ("corop", "provincie")


def _cbs_table(name: str) -> pd.DataFrame:
    return firms.cbs_regional_table("processed", "cbs", name)


def starters_table() -> pd.DataFrame:
    """CBS 83631NED as processed (``data/processed/cbs/new_establishments_83631ned.csv``): new
    establishments (``oprichtingen``, all sectors) per region and year, 2015-2023; columns
    ``level``, ``code``, ``name``, ``year``, ``oprichtingen``. COROP and provincie figures are
    those of each year's composition."""
    return _cbs_table("new_establishments_83631ned.csv")


def stock_table() -> pd.DataFrame:
    """CBS 81644NED as processed (``data/processed/cbs/establishments_by_size_81644ned.csv``):
    all establishments on 1 January (``vestigingen``) and those with 10 or more persons
    employed per region and year, 2015-2025."""
    return _cbs_table("establishments_by_size_81644ned.csv")


def starter_years() -> list[int]:
    """Years with new establishments for all 40 COROP regions (83631NED) and the stock of
    establishments on 1 January of the year (81644NED), ascending (2015-2023)."""
    starters, stock = starters_table(), stock_table()

    def complete(table: pd.DataFrame, column: str) -> set[int]:
        rows = table[(table["level"] == "corop") & table[column].notna()]
        counts = rows.groupby("year")["code"].nunique()
        return {int(y) for y in counts[counts == 40].index}

    return sorted(complete(starters, "oprichtingen") & complete(stock, "vestigingen"))


def starters_for_year(year: int, level: str = "corop") -> pd.DataFrame:
    """New establishments per region of ``level`` (``corop``: 40 rows, ``provincie``: 12) in
    ``year`` (CBS 83631NED: ``totaal``), the establishments on 1 January of that year (CBS
    81644NED: ``vestigingen_totaal``) and new establishments per 1,000 existing ones
    (``per_1000``); regions in the composition of ``year`` (``code`` column named after the
    level, ``name``), most new establishments first, ``attrs["year"]``.

    Raises :class:`helpers.data.checks.UnknownParameterError` listing :func:`starter_years`,
    ``ValueError`` for another level, and :class:`helpers.data.checks.DataCheckError` when a
    region lacks its stock."""
    if level not in LEVELS:
        raise ValueError(f"Unknown level {level!r}; levels: {', '.join(LEVELS)}")
    year = check_year(year, starter_years(), "CBS 83631NED and 81644NED (COROP)")
    starters, stock = starters_table(), stock_table()
    rows = starters[(starters["level"] == level) & (starters["year"] == year)]
    existing = stock[(stock["level"] == level) & (stock["year"] == year)]
    table = rows[["code", "name", "oprichtingen"]].merge(
        existing[["code", "vestigingen"]], on="code", how="left", validate="one_to_one"
    )
    require(table["vestigingen"].notna().all(), f"81644NED: {level} without establishments {year}")
    table = table.rename(
        columns={"code": level, "oprichtingen": "totaal", "vestigingen": "vestigingen_totaal"}
    )
    table["per_1000"] = table["totaal"] / table["vestigingen_totaal"] * 1000
    table = table.sort_values(["totaal", level], ascending=[False, True], ignore_index=True)
    table.attrs["year"] = year
    return table


@dataclass
class NewEstablishments:
    """Result of :func:`new_establishments`."""

    year: int
    table: pd.DataFrame  # per COROP: corop, name, totaal, vestigingen_totaal, per_1000
    provinces: pd.DataFrame  # the same per provincie
    concentration: firms.Concentration  # of the new establishments over the COROP regions
    stock_concentration: firms.Concentration  # of the existing establishments (1 January)
    map_data: gpd.GeoDataFrame  # the 40 COROP regions of ``year`` with the columns of ``table``

    @property
    def total(self) -> float:
        """New establishments in the Netherlands (count; the sum of the COROP regions)."""
        return float(self.table["totaal"].sum())

    @property
    def rate(self) -> float:
        """New establishments per 1,000 existing ones, the Netherlands."""
        return self.total / float(self.table["vestigingen_totaal"].sum()) * 1000

    @property
    def more_concentrated(self) -> bool:
        """Whether new establishments are more concentrated (higher Gini) than existing ones."""
        return self.concentration.gini > self.stock_concentration.gini

    @property
    def by_rate(self) -> pd.DataFrame:
        """:attr:`table` with the highest rate per 1,000 existing establishments first."""
        return self.table.sort_values("per_1000", ascending=False)

    def top(self, n: int) -> list[tuple[str, float]]:
        """The ``n`` regions with the most new establishments: (name, count), most first."""
        return _pairs(self.table.head(n), "totaal")

    def top_rates(self, n: int) -> list[tuple[str, float]]:
        """The ``n`` regions with the highest rate: (name, per 1,000 existing), highest first."""
        return _pairs(self.by_rate.head(n), "per_1000")

    @property
    def lowest_rate(self) -> tuple[str, float]:
        """The region with the lowest rate: (name, per 1,000 existing establishments)."""
        return _pairs(self.by_rate.tail(1), "per_1000")[0]

    def count(self, corop: str) -> float:
        """New establishments in COROP region ``corop`` (``KeyError`` for another code)."""
        return float(self.table.set_index("corop").loc[corop, "totaal"])


def _pairs(table: pd.DataFrame, column: str) -> list[tuple[str, float]]:
    return [
        (str(name), float(value)) for name, value in zip(table["name"], table[column], strict=True)
    ]


def new_establishments(year: int) -> NewEstablishments:
    """New establishments per COROP region and provincie in ``year``
    (:func:`starters_for_year`), their concentration over the COROP regions against that of
    the existing establishments, and the COROP table joined to the map of the COROP regions
    of 1 January ``year`` (:func:`helpers.geography.years.boundaries`). Errors as in
    :func:`starters_for_year`; a :class:`helpers.data.checks.DataCheckError` when a COROP code
    has no region on the map or a region no data."""
    table = starters_for_year(year)
    year = table.attrs["year"]
    corops = years.boundaries("corop", year)
    by_corop = table.set_index("corop")
    map_data, join = nl.join_to_boundaries(table, corops, code="corop")
    require(not join.unjoined and not join.without_data, join.summary())
    return NewEstablishments(
        year=year,
        table=table,
        provinces=starters_for_year(year, "provincie"),
        concentration=firms.concentration(by_corop["totaal"], by_corop["name"]),
        stock_concentration=firms.concentration(by_corop["vestigingen_totaal"], by_corop["name"]),
        map_data=map_data,
    )


def corop_moves(year_a: int, year_b: int) -> list[tuple[str, str, str]]:
    """Gemeenten (or parts of them) that lay in another COROP region in the later of the two
    years than in the earlier: (name in the earlier year, COROP region then, COROP region
    later), in the order of the gemeente codes; ``[]`` when the COROP regions were the same.
    From :func:`helpers.geography.years.change_table` and the crosswalks of both years."""
    earlier, later = sorted((int(year_a), int(year_b)))
    changes = years.change_table(earlier, later)
    before = years.crosswalk(earlier).set_index("gemeente")["corop_name"]
    after = years.crosswalk(later).set_index("gemeente")["corop_name"]
    changes = changes.assign(
        corop_a=changes["code_a"].map(before), corop_b=changes["code_b"].map(after)
    )
    moved = changes[changes["corop_a"] != changes["corop_b"]]
    return [
        (str(r.name_a), str(r.corop_a), str(r.corop_b))
        for r in moved.drop_duplicates(["code_a", "corop_b"]).itertuples(index=False)
    ]


@dataclass
class StarterChange:
    """New establishments in two years per COROP region and provincie (see
    :func:`starter_change`)."""

    earlier: int
    later: int
    table: pd.DataFrame  # corop, name, totaal_earlier, totaal_later, change_pct; fastest first
    provinces: pd.DataFrame  # the same per provincie
    totals: tuple[float, float]  # the Netherlands (sum of the COROP regions), earlier and later
    top4_shares: tuple[float, float]  # share (%) of the four largest COROP regions
    moves: list[tuple[str, str, str]]  # :func:`corop_moves` between the two years

    @property
    def total_change_pct(self) -> float:
        """Change of the Netherlands' new establishments (%)."""
        return (self.totals[1] - self.totals[0]) / self.totals[0] * 100

    @property
    def n_up(self) -> int:
        """COROP regions with more new establishments in the later year."""
        return int((self.table["totaal_later"] > self.table["totaal_earlier"]).sum())

    @property
    def fastest(self) -> tuple[str, float]:
        """The COROP region whose count grew most (relatively): (name, %)."""
        return _pairs(self.table.head(1), "change_pct")[0]

    @property
    def slowest(self) -> tuple[str, float]:
        """The COROP region whose count grew least (or fell most): (name, %)."""
        return _pairs(self.table.tail(1), "change_pct")[0]

    def of(self, corop: str) -> tuple[float, float]:
        """(earlier, later) new establishments of COROP region ``corop``."""
        row = self.table.set_index("corop").loc[corop]
        return float(row["totaal_earlier"]), float(row["totaal_later"])


def _two_years(first: pd.DataFrame, second: pd.DataFrame, key: str) -> pd.DataFrame:
    """New establishments (``totaal``) per region of two years through
    :func:`helpers.chapters.firms.region_change`, with this chapter's column names."""
    change = firms.region_change(first, second, key, "totaal", (0, 1))
    return change.table.rename(columns={"earlier": "totaal_earlier", "later": "totaal_later"})


def starter_change(a: NewEstablishments, b: NewEstablishments) -> StarterChange:
    """New establishments per COROP region and provincie in the earlier and the later of
    ``a`` and ``b`` (in either order), by code, with names and order of the later year and the
    change in percent (fastest growth first). Regions keep their code when gemeenten move
    between them; :attr:`StarterChange.moves` lists such moves (CBS counts each year in that
    year's composition, so they are part of the change)."""
    first, second = sorted((a, b), key=lambda n: n.year)
    return StarterChange(
        earlier=first.year,
        later=second.year,
        table=_two_years(first.table, second.table, "corop"),
        provinces=_two_years(first.provinces, second.provinces, "provincie"),
        totals=(first.total, second.total),
        top4_shares=(first.concentration.top4_share, second.concentration.top4_share),
        moves=corop_moves(first.year, second.year),
    )


# --- new enterprises per NUTS 3 (Eurostat) --------------------------------------------------


@dataclass
class Births:
    """Result of :func:`births`."""

    year: int
    table: pd.DataFrame  # 40 NUTS 3 regions, most births first: bd_size_r3 columns + name

    @property
    def total(self) -> float:
        """New enterprises in the Netherlands (count)."""
        return float(self.table["oprichtingen_totaal"].sum())

    @property
    def most(self) -> tuple[str, float]:
        """The region with the most new enterprises: (name, new enterprises)."""
        return _pairs(self.table.head(1), "oprichtingen_totaal")[0]

    @property
    def highest_rate(self) -> tuple[str, float]:
        """The region with the highest birth rate: (name, percent of active enterprises)."""
        by_rate = self.table.sort_values("oprichtingsgraad_pct_totaal", ascending=False)
        return _pairs(by_rate.head(1), "oprichtingsgraad_pct_totaal")[0]


def births(year: int) -> Births:
    """New enterprises per NUTS 3 region in ``year`` (Eurostat bd_size_r3, B-S without
    holdings), with region names (NUTS 2021). Raises
    :class:`helpers.data.checks.UnknownParameterError` listing the years all 40 regions have."""
    table = firms.demography_for_year(year, "oprichtingen_totaal")
    year = table.attrs["year"]
    nuts3 = nl.boundaries("nuts3", 2021)
    table = table.merge(nuts3[["code", "name"]], left_on="nuts3", right_on="code")
    return Births(year=year, table=table.drop(columns="code"))


# --- a user's startup list ----------------------------------------------------------------

STATUS_SUPPLIED = "origineel: startuplijst, aangeleverd door de gebruiker"
STATUS_PROXY = (
    "benadering: nieuwe bedrijfsvestigingen (CBS) en nieuwe ondernemingen (Eurostat), niet de "
    "startups zelf"
)


@dataclass
class StartupList:
    """Result of :func:`startup_list`."""

    n: int  # startups in the file
    unplaced: int  # startups whose gemeente or place matches no gemeente of map_year
    counts: pd.Series  # startups per gemeente code (of map_year)
    names: pd.Series  # gemeente code -> name (map_year)
    share_big: float  # percent of the placed startups in gemeenten of BIG_CITY+ inhabitants
    n_big: int  # number of such gemeenten (in the gemeenten of map_year)
    map_data: gpd.GeoDataFrame  # every gemeente of map_year with ``startups`` (NaN: none)
    map_year: int = PLACE_YEAR  # the gemeenten (1 January) the startups are placed in
    placement: userfiles.Placement | None = None  # per row; names every place not placed
    notes: list[str] = field(default_factory=list)  # how the file was read (Dutch sentences)

    def top(self, n: int) -> list[tuple[str, int]]:
        """The ``n`` gemeenten with the most startups: (name, startups), most first."""
        ranked = self.counts.sort_values(ascending=False).head(n)
        return [(str(self.names.get(code, code)), int(k)) for code, k in ranked.items()]


def startup_map_year(startups: pd.DataFrame) -> tuple[int, userfiles.Placement]:
    """The gemeenten a startup list is placed in, and its placement
    (:func:`helpers.geography.userfiles.placement`): those of :data:`PLACE_YEAR`
    (2016, the publication's map) unless the gemeenten of the newest founding year (on the
    gemeente map of that year, :func:`helpers.chapters.firms.gemeente_map_year`) place more
    startups: a list of gemeenten created after 2016 (Het Hogeland, Land van Cuijk) is drawn
    on the map of their year, while names of older gemeenten are followed forward."""
    first = userfiles.placement(startups, PLACE_YEAR)
    founded = pd.to_numeric(startups["oprichtingsjaar"], errors="coerce").dropna()
    newest = int(founded.max()) if len(founded) else PLACE_YEAR
    newest = min(max(newest, PLACE_YEAR), max(years.YEARS))
    later = firms.gemeente_map_year(newest)
    if later == PLACE_YEAR or first.n_unplaced == 0:
        return PLACE_YEAR, first
    second = userfiles.placement(startups, later)
    return (later, second) if second.n_unplaced < first.n_unplaced else (PLACE_YEAR, first)


def big_cities(map_year: int) -> set[str]:
    """Gemeenten of ``map_year`` holding a gemeente of 2015 with at least :data:`BIG_CITY`
    inhabitants (CBS 70072ned), followed through the changes between the years
    (:func:`helpers.geography.years.change_table`; merges map whole)."""
    stock = firms.establishments_2015()
    big = set(stock.loc[stock["bevolking"] >= BIG_CITY, "gemeente"])
    if map_year <= 2015:
        return big
    changes = years.change_table(2015, map_year)
    main = changes.sort_values("weight", ascending=False).drop_duplicates("code_a")
    return set(main.loc[main["code_a"].isin(big), "code_b"])


def startup_list(startup_file: str) -> StartupList | None:
    """Startups per gemeente from a user's list (schema ``startups`` of
    ``data/README-user-files.md``: gemeente code, else place name), or ``None`` without a file.

    The startups are placed in the gemeenten of :func:`startup_map_year`; every place or code
    that could not be placed is named in ``placement.unplaced``. Large cities are the gemeenten
    with at least :data:`BIG_CITY` inhabitants in 2015 (CBS 70072ned), followed to the map
    year (:func:`big_cities`). Raises :class:`helpers.geography.userfiles.UserFileError` on
    an invalid file and :class:`helpers.data.checks.DataCheckError` naming the file, the
    parameter ``startup_file`` and the places when no startup could be placed."""
    if not startup_file:
        return None
    startups = userfiles.load_user_file(startup_file, "startups")
    map_year, placed = startup_map_year(startups)
    name = Path(startups.attrs["path"]).name
    require(
        placed.n_unplaced < len(startups),
        f"startup_file {name}: none of the {len(startups)} startups could be placed in a "
        f"gemeente of {map_year} (parameter startup_file); not placed: {placed.text()}",
    )
    startups["gm"] = placed.codes
    counts = startups.dropna(subset=["gm"]).groupby("gm").size()
    regions = years.boundaries("gemeente", map_year)
    big = big_cities(map_year)
    map_data, _ = nl.join_to_boundaries(
        counts.rename("startups").reset_index().rename(columns={"gm": "gemeente"}),
        regions,
        code="gemeente",
    )
    return StartupList(
        n=len(startups),
        unplaced=placed.n_unplaced,
        counts=counts,
        names=years.names(map_year).set_index("code")["name"],
        share_big=float(counts[counts.index.isin(big)].sum() / counts.sum() * 100),
        n_big=len(big),
        map_data=map_data,
        map_year=map_year,
        placement=placed,
        notes=userfiles.file_notes(startups, key="naam"),
    )


def status(startups: StartupList | None) -> str:
    """The reader's wording of what the chapter shows: the user's list, or the proxies."""
    return STATUS_PROXY if startups is None else STATUS_SUPPLIED
