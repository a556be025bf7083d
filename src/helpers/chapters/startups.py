"""Chapter 'Startups': where new firms start.

The publication counted startups in a commercial startup database (mid 2017, not open). With
such a list supplied as ``startup_file`` the chapter counts the startups per gemeente and the
share in the large cities; otherwise it shows open data on new business activity: new
establishments per COROP region (CBS 83631NED) against the existing establishments (CBS
70072ned, 2015), and new enterprises per NUTS 3 region (Eurostat bd_size_r3). Concentration
measures are :func:`helpers.chapters.firms.concentration`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from helpers.chapters import firms
from helpers.data.checks import check_year, require
from helpers.data.published import load_published
from helpers.geography import nl, userfiles

PUBLISHED = "startups2017_gepubliceerd"  # data/published/<name>.csv: the publication's findings
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


# --- new establishments per COROP (CBS) -----------------------------------------------------


def starters_for_year(year: int) -> pd.DataFrame:
    """New establishments per COROP region in ``year`` (CBS 83631NED, ``totaal``) with the
    stock of establishments (2015, CBS 70072ned, gemeenten recoded to 2016 and summed per
    COROP: ``vestigingen_totaal``) and new establishments per 1,000 existing ones
    (``per_1000``); 40 rows, most new establishments first, ``attrs["year"]``.

    Raises :class:`helpers.data.checks.UnknownParameterError` listing the comparable years
    (:func:`helpers.chapters.firms.starter_years`), and
    :class:`helpers.data.checks.DataCheckError` when a COROP region has no establishments."""
    year = check_year(year, firms.starter_years(), "CBS 83631NED (comparable years from 2015)")
    starters = firms.starters_corop()
    rows = starters[starters["year"] == year][["corop", "totaal"]]
    stock = firms.establishments_2015()
    stock["gemeente"] = nl.recode_gemeenten(stock["gemeente"], 2015, 2016)
    per_corop = nl.aggregate(stock, ["vestigingen_totaal"], to="corop")
    table = rows.merge(per_corop, on="corop", how="left")
    require(table["vestigingen_totaal"].notna().all(), "COROP region without establishments (2015)")
    table["per_1000"] = table["totaal"] / table["vestigingen_totaal"] * 1000
    table = table.sort_values("totaal", ascending=False, ignore_index=True)
    table.attrs["year"] = year
    return table


@dataclass
class NewEstablishments:
    """Result of :func:`new_establishments`."""

    year: int
    table: pd.DataFrame  # per COROP: corop, totaal, vestigingen_totaal, per_1000, name
    concentration: firms.Concentration  # of the new establishments over the COROP regions
    stock_concentration: firms.Concentration  # of the existing establishments (2015)
    map_data: gpd.GeoDataFrame  # the 40 COROP regions (2016) with the columns of ``table``

    @property
    def total(self) -> float:
        """New establishments in the Netherlands (count)."""
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


def _pairs(table: pd.DataFrame, column: str) -> list[tuple[str, float]]:
    return [
        (str(name), float(value)) for name, value in zip(table["name"], table[column], strict=True)
    ]


def new_establishments(year: int) -> NewEstablishments:
    """New establishments per COROP region in ``year`` (:func:`starters_for_year`), with COROP
    names (2016), their concentration against that of the existing establishments, and the
    table joined to the COROP map. Errors as in :func:`starters_for_year`; a
    :class:`helpers.data.checks.DataCheckError` when a COROP code has no region on the map."""
    table = starters_for_year(year)
    year = table.attrs["year"]
    corops = nl.boundaries("corop", 2016)
    table = table.merge(corops[["code", "name"]], left_on="corop", right_on="code")
    table = table.drop(columns="code")
    by_corop = table.set_index("corop")
    map_data, join = nl.join_to_boundaries(table.drop(columns="name"), corops, code="corop")
    require(not join.unjoined and not join.without_data, join.summary())
    return NewEstablishments(
        year=year,
        table=table,
        concentration=firms.concentration(by_corop["totaal"], by_corop["name"]),
        stock_concentration=firms.concentration(by_corop["vestigingen_totaal"], by_corop["name"]),
        map_data=map_data,
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
    unplaced: int  # startups whose gemeente or place matches no gemeente
    counts: pd.Series  # startups per gemeente code (2016)
    names: pd.Series  # gemeente code -> name (2016)
    share_big: float  # percent of the placed startups in gemeenten of BIG_CITY+ inhabitants
    n_big: int  # number of such gemeenten
    map_data: gpd.GeoDataFrame  # every gemeente (2016) with ``startups`` (NaN: none)

    def top(self, n: int) -> list[tuple[str, int]]:
        """The ``n`` gemeenten with the most startups: (name, startups), most first."""
        ranked = self.counts.sort_values(ascending=False).head(n)
        return [(str(self.names.get(code, code)), int(k)) for code, k in ranked.items()]


def startup_list(startup_file: str) -> StartupList | None:
    """Startups per gemeente from a user's list (schema ``startups`` of
    ``data/README-user-files.md``: gemeente code, else place name), or ``None`` without a file.

    Large cities are the gemeenten with at least :data:`BIG_CITY` inhabitants in 2015 (CBS
    70072ned), recoded to 2016. Raises :class:`helpers.geography.userfiles.UserFileError` on
    an invalid file."""
    if not startup_file:
        return None
    startups = userfiles.load_user_file(startup_file, "startups")
    startups["gm"] = userfiles.gemeente_of(startups)  # code, else the place name
    counts = startups.dropna(subset=["gm"]).groupby("gm").size()
    regions = nl.boundaries("gemeente", 2016)
    stock = firms.establishments_2015()
    big = set(nl.recode_gemeenten(stock[stock["bevolking"] >= BIG_CITY]["gemeente"], 2015, 2016))
    map_data, _ = nl.join_to_boundaries(
        counts.rename("startups").reset_index().rename(columns={"gm": "gemeente"}),
        regions,
        code="gemeente",
    )
    return StartupList(
        n=len(startups),
        unplaced=int(startups["gm"].isna().sum()),
        counts=counts,
        names=regions.set_index("code")["name"],
        share_big=float(counts[counts.index.isin(big)].sum() / counts.sum() * 100),
        n_big=len(big),
        map_data=map_data,
    )


def status(startups: StartupList | None) -> str:
    """The reader's wording of what the chapter shows: the user's list, or the proxies."""
    return STATUS_PROXY if startups is None else STATUS_SUPPLIED
