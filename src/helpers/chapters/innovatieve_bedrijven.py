"""Chapter 'Innovatieve bedrijven': how concentrated innovative firms are over the gemeenten.

The publication counted innovative firms per gemeente in the CBS Community Innovation Survey
(CIS, a custom table, not open). With that table supplied as ``cis_file`` the chapter
repeats the analysis; otherwise it uses all business establishments of 2015 (CBS 70072ned)
as a proxy, with size classes ten times larger and, for comparison, the knowledge-intensive
services. Then and now: all establishments per COROP region and provincie (CBS 81575NED,
2015-2025) in a reference year and the newest, with the change in between; the gemeenten of
81575NED are incomplete in every year and are not used (:func:`complete_years`). At province
level it shows the CIS-based indicators of the Regional Innovation Scoreboard (RIS 2023). The concentration measures are :func:`helpers.chapters.firms.concentration`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers import config
from helpers.chapters import firms
from helpers.data.checks import check_year, require
from helpers.data.published import load_published
from helpers.data.tables import dutch_province_indicators
from helpers.geography import nl, userfiles, years

PUBLISHED = "cis2014_gepubliceerd"  # data/published/<name>.csv: the publication's findings

RIS_CIS_INDICATORS = [
    "3.1.1 SMEs introducing product innovations (Regional)",
    "3.1.2 SMEs introducing business process innovations (Regional)",
    "3.2.1 Innovative SMEs collaborating with others (Regional)",
]
KNOWLEDGE_INTENSIVE_LABEL = "Kennisintensieve diensten (H-J, K-L, M-N)"
ESTABLISHMENTS_SOURCE = (
    "CBS, StatLine 70072ned (Regionale kerncijfers 2015, bedrijfsvestigingen); benadering van "
    "de niet-openbare CIS-tabel; bewerking Regionale innovatie in Nederland"
)


@dataclass
class FirmCounts:
    """What the chapter counts per gemeente: the user's CIS file or the open proxy."""

    counts: pd.Series  # count per gemeente code (index ``gemeente``, codes of ``map_year``)
    year: int  # year of the counts
    map_year: int  # gemeente boundaries the codes belong to
    bounds: list[float]  # size-class limits, in the unit of the counts
    measure: str  # what is counted, with the year (Dutch, for captions and narrative)
    unit: str  # plural noun of the unit counted
    status: str  # the reader's wording of the source, for the narrative
    status_key: str  # key of helpers.presentation.status.STATUSES
    source: str  # source line of the figures and tables
    knowledge_intensive: pd.Series | None = None  # proxy only: establishments in H-J, K-L, M-N
    missing: list[str] = field(default_factory=list)  # CIS file: codes whose count is '.'/'x'
    notes: list[str] = field(default_factory=list)  # CIS file: how it was read (Dutch)
    coverage: userfiles.Coverage | None = None  # CIS file: gemeenten of map_year with a count


#: The open proxy counts all establishments, far more than innovative firms: its size classes
#: are the ``class_bounds`` for innovative firms times this factor (500 -> 5.000
#: establishments), as the book says beside the table and in "Zelf opnieuw uitrekenen".
PROXY_BOUND_FACTOR = 10


def firm_counts(cis_file: str, year: int, class_bounds: list[float]) -> FirmCounts:
    """Counts per gemeente from ``cis_file`` (year ``year``, schema ``cis`` of
    ``data/README-user-files.md``) when given, else business establishments 2015 (proxy).

    ``class_bounds`` are the size-class limits for innovative firms (the publication's
    ``[500, 200, 100]``); the proxy uses :data:`PROXY_BOUND_FACTOR` times these
    (establishments are about ten times as many). Raises :class:`helpers.geography.userfiles.UserFileError` on an invalid file
    and :class:`helpers.data.checks.UnknownParameterError` when ``year`` is not in it
    (:class:`helpers.data.checks.DataCheckError` when no count of that year has a value).
    With a file, ``coverage`` says which gemeenten of the map year have a count.
    """
    if cis_file:
        cis = userfiles.load_user_file(cis_file, "cis")
        what = f"{Path(cis.attrs['path']).name} (parameter cis_file)"
        counts, map_year = firms.counts_per_gemeente(cis, year, "aantal_innovatief", what)
        return FirmCounts(
            counts=counts,
            year=int(year),
            map_year=map_year,
            bounds=list(class_bounds),
            measure=f"innovatieve bedrijven (CIS, {year})",
            unit="innovatieve bedrijven",
            status="origineel: CBS CIS, aangeleverd door de gebruiker",
            status_key="aangeleverd",
            source=f"CBS, Community Innovation Survey (maatwerktabel, aangeleverd: {Path(cis_file).name}); "
            "bewerking Regionale innovatie in Nederland",
            missing=list(counts.attrs.get("missing", [])),
            notes=userfiles.file_notes(cis[cis["jaar"] == int(year)], key="gemeente"),
            coverage=userfiles.coverage(counts.index, "gemeente", map_year),
        )
    establishments = firms.establishments_2015().set_index("gemeente")
    return FirmCounts(
        counts=establishments["vestigingen_totaal"],
        year=2015,
        map_year=2015,
        bounds=[b * PROXY_BOUND_FACTOR for b in class_bounds],
        measure="bedrijfsvestigingen (2015)",
        unit="vestigingen",
        status="benadering: alle bedrijfsvestigingen (CBS 70072ned, 2015), niet de innovatieve "
        "bedrijven",
        status_key="benadering",
        source=ESTABLISHMENTS_SOURCE,
        knowledge_intensive=establishments["vestigingen_kennisintensief"],
    )


@dataclass
class Analysis:
    """Result of :func:`analyse`."""

    found: FirmCounts
    concentration: firms.Concentration
    knowledge_intensive: firms.Concentration | None  # proxy only
    map_data: gpd.GeoDataFrame  # every gemeente of the map year: code, name, geometry, aantal
    join: nl.JoinReport  # codes without a map region, regions without a count

    @property
    def knowledge_intensive_more_concentrated(self) -> bool | None:
        """Whether knowledge-intensive services are more concentrated (higher Gini) than all
        establishments; ``None`` with a CIS file."""
        if self.knowledge_intensive is None:
            return None
        return self.knowledge_intensive.gini > self.concentration.gini

    @property
    def lorenz_curves(self) -> dict[str, pd.DataFrame]:
        """Lorenz curves by series label: the counts, and with the proxy also the
        knowledge-intensive services (columns ``aandeel_regios``, ``aandeel_totaal``, 0-1)."""
        measure = self.found.measure
        curves = {measure[:1].upper() + measure[1:]: self.concentration.lorenz}
        if self.knowledge_intensive is not None:
            curves[KNOWLEDGE_INTENSIVE_LABEL] = self.knowledge_intensive.lorenz
        return curves

    @property
    def lorenz_table(self) -> pd.DataFrame:
        """:attr:`lorenz_curves` in one long table with the series label in ``reeks``."""
        return pd.concat([c.assign(reeks=k) for k, c in self.lorenz_curves.items()])


def analyse(cis_file: str, year: int, class_bounds: list[float]) -> Analysis:
    """The chapter's analysis: :func:`firm_counts`, their concentration over the gemeenten
    (size classes from ``class_bounds``; top 4 by gemeente name), the concentration of
    knowledge-intensive services (proxy only) and the counts joined to the gemeente map of
    their year. Errors as in :func:`firm_counts`."""
    found = firm_counts(cis_file, year, class_bounds)
    regions = nl.boundaries("gemeente", found.map_year)
    names = regions.set_index("code")["name"]
    ki = found.knowledge_intensive
    counts = found.counts.rename("aantal").reset_index().rename(columns={"index": "gemeente"})
    map_data, join = nl.join_to_boundaries(counts, regions, code="gemeente")
    return Analysis(
        found=found,
        concentration=firms.concentration(found.counts, names, found.bounds),
        knowledge_intensive=None if ki is None else firms.concentration(ki, names, found.bounds),
        map_data=map_data,
        join=join,
    )


def published() -> pd.Series:
    """The publication's findings on innovative firms per gemeente (CIS 2014), as printed:
    ``kenmerk`` -> text (``gemeenten_met_helft``, ``top4``, ``aandeel_top4`` in percent,
    ``klasse_200_500``, ``klasse_100_200``); ``data/published/cis2014_gepubliceerd.csv``."""
    return load_published(PUBLISHED, text_columns=("waarde",))["waarde"]


# --- then and now: establishments per COROP and provincie, 2015-2025 (CBS 81575NED) -------

PUBLICATION_YEAR = 2014  # the publication's CIS counts per gemeente (figure 5)
COMPLETE_LEVELS = ("corop", "provincie")  # levels used for a concentration measure when complete


def establishments_table() -> pd.DataFrame:
    """CBS 81575NED as processed (``data/processed/cbs/establishments_81575ned.csv.gz``):
    establishments on 1 January (``vestigingen``, all sectors) per ``level``, ``code``,
    ``name`` and ``year``; rows only for regions with a value."""
    return firms.cbs_regional_table("processed", "cbs", "establishments_81575ned.csv.gz")


def completeness() -> pd.DataFrame:
    """Per ``level`` and ``year`` of 81575NED: ``regions`` (that year's indeling),
    ``with_values``, ``missing`` and ``complete``
    (``data/processed/cbs/establishments_81575ned_completeness.csv``)."""
    path = config.data_file("processed", "cbs", "establishments_81575ned_completeness.csv")
    return pd.read_csv(path, dtype={"level": str})


def complete_years(level: str, table: pd.DataFrame | None = None) -> list[int]:
    """The years in which every region of ``level`` has a value in 81575NED (from
    :func:`completeness`, or ``table`` in its form), ascending; ``[]`` when none."""
    table = completeness() if table is None else table
    rows = table[(table["level"] == level) & table["complete"].astype(bool)]
    return sorted(int(y) for y in rows["year"])


def regional_establishments(year: int, level: str = "corop") -> pd.DataFrame:
    """Establishments per region of ``level`` (``corop``: 40 rows, ``provincie``: 12) on 1
    January ``year`` (81575NED): code column named after the level, ``name``, ``vestigingen``
    and the share of the Netherlands (``aandeel_pct``), most first, ``attrs["year"]``.

    Only a level and year without missing regions is used (a concentration measure over an
    incomplete set of regions would be wrong): raises ``ValueError`` for another level (the
    gemeenten of 81575NED are incomplete) and
    :class:`helpers.data.checks.UnknownParameterError` listing :func:`complete_years`."""
    if level not in COMPLETE_LEVELS:
        raise ValueError(
            f"Level {level!r} of 81575NED is not used: levels {', '.join(COMPLETE_LEVELS)}"
        )
    year = check_year(year, complete_years(level), f"CBS 81575NED ({level}, complete years)")
    table = establishments_table()
    rows = table[(table["level"] == level) & (table["year"] == year)]
    rows = rows[["code", "name", "vestigingen"]].rename(columns={"code": level})
    require(rows[level].is_unique, f"81575NED: a {level} twice in {year}")
    rows["aandeel_pct"] = rows["vestigingen"] / rows["vestigingen"].sum() * 100
    rows = rows.sort_values(["vestigingen", level], ascending=[False, True], ignore_index=True)
    rows.attrs["year"] = year
    return rows


@dataclass
class RegionalCounts:
    """Result of :func:`corop_establishments`: establishments per COROP and provincie."""

    year: int
    table: pd.DataFrame  # per COROP (see regional_establishments)
    provinces: pd.DataFrame  # the same per provincie
    concentration: firms.Concentration  # over the 40 COROP regions
    map_data: gpd.GeoDataFrame  # the COROP regions of ``year`` with the columns of ``table``

    @property
    def total(self) -> float:
        """Establishments in the Netherlands (the sum of the COROP regions)."""
        return float(self.table["vestigingen"].sum())

    def top(self, n: int) -> list[tuple[str, float]]:
        """The ``n`` COROP regions with the most establishments: (name, count), most first."""
        head = self.table.head(n)
        return [(str(k), float(v)) for k, v in zip(head["name"], head["vestigingen"], strict=True)]


def corop_establishments(year: int) -> RegionalCounts:
    """Establishments per COROP region and provincie on 1 January ``year``
    (:func:`regional_establishments`), their concentration over the COROP regions and the
    COROP table on the map of that year's COROP regions. Errors as in
    :func:`regional_establishments`; a :class:`helpers.data.checks.DataCheckError` when a
    region is not on the map."""
    table = regional_establishments(year)
    year = table.attrs["year"]
    map_data, join = nl.join_to_boundaries(table, years.boundaries("corop", year), code="corop")
    require(not join.unjoined and not join.without_data, join.summary())
    by_corop = table.set_index("corop")
    return RegionalCounts(
        year=year,
        table=table,
        provinces=regional_establishments(year, "provincie"),
        concentration=firms.concentration(by_corop["vestigingen"], by_corop["name"]),
        map_data=map_data,
    )


@dataclass
class EstablishmentChange:
    """Establishments per COROP region and provincie in two years (:func:`establishment_change`)."""

    corop: firms.RegionChange
    provinces: firms.RegionChange
    top4_shares: tuple[float, float]  # share (%) of the four largest COROP regions
    ginis: tuple[float, float]  # Gini over the COROP regions, earlier and later


def establishment_change(a: RegionalCounts, b: RegionalCounts) -> EstablishmentChange:
    """The change between ``a`` and ``b`` (either order) per COROP region and provincie and of
    the concentration over the COROP regions."""
    first, second = sorted((a, b), key=lambda r: r.year)
    pair = (first.year, second.year)
    return EstablishmentChange(
        corop=firms.region_change(first.table, second.table, "corop", "vestigingen", pair),
        provinces=firms.region_change(
            first.provinces, second.provinces, "provincie", "vestigingen", pair
        ),
        top4_shares=(first.concentration.top4_share, second.concentration.top4_share),
        ginis=(first.concentration.gini, second.concentration.gini),
    )


# --- provinces: RIS ---------------------------------------------------------------------------


def ris_cis_indicators() -> pd.DataFrame:
    """RIS 2023 CIS-based indicators (:data:`RIS_CIS_INDICATORS`) for the 12 provinces, long
    (indicator, year, region, value: EU = 100), with per indicator and year the number of
    distinct provincial values (``verschillende_waarden``; 1 = national value repeated)."""
    return dutch_province_indicators(RIS_CIS_INDICATORS)


@dataclass
class RisCis:
    """Result of :func:`ris_cis`."""

    year: int
    rows: pd.DataFrame  # the RIS rows of the year (see ris_cis_indicators)
    n_indicators: int
    flat: bool  # every indicator has one value for all provinces: the national one
    ranges: pd.DataFrame  # indicator, laagste, hoogste: lowest and highest provincial value


def ris_cis(year: int) -> RisCis:
    """The CIS-based RIS indicators of the provinces in ``year``: whether they differ between
    provinces, and their lowest and highest provincial value (EU = 100) per indicator (sorted
    by indicator). Raises :class:`helpers.data.checks.UnknownParameterError` listing the
    years the RIS 2023 database has."""
    ris = ris_cis_indicators()
    years = sorted(int(y) for y in ris["year"].unique())
    year = check_year(year, years, "the RIS 2023 database (CIS indicators)")
    rows = ris[ris["year"] == year]
    wide = rows.pivot(index="indicator", columns="region", values="value")
    ranges = pd.DataFrame(
        {
            "indicator": wide.index,
            "laagste": wide.min(axis=1).to_numpy(),
            "hoogste": wide.max(axis=1).to_numpy(),
        }
    )
    return RisCis(
        year=year,
        rows=rows,
        n_indicators=int(rows["indicator"].nunique()),
        flat=bool(rows.groupby("indicator")["verschillende_waarden"].max().eq(1).all()),
        ranges=ranges,
    )
