"""Chapter 'R&D-uitgaven': R&D per province (CBS 82352NED), R&D intensity against regional
GDP (Eurostat), the public/private relation (published values; what open data allow) and
private R&D per COROP region (restricted: a user-supplied file, else a patent proxy).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers import config
from helpers.chapters import firms
from helpers.data.checks import UnknownParameterError, check_year, require
from helpers.data.published import load_published
from helpers.data.tables import dutch_province_indicators, eurostat_panel
from helpers.geography import nl, userfiles

RIS_RD_INDICATORS = {
    "publiek": "2.1.1 R&D expenditure in the public sector (Regional)",
    "privaat": "2.2.1 R&D expenditure in the business sector (Regional)",
}


PUBLICATION_YEAR = 2015  # the year of R&D per province in the publication (the reference)

# The CBS export (82352NED) carries no status column. When the table was transcribed, CBS
# marked 2016 'nader voorlopig' (further provisional); the table stopped in 2016 and was not
# revised, so that mark stands and is kept here, for the years it concerns.
CBS_PROVISIONAL = {2016: "nader voorlopig"}


def load_rd() -> pd.DataFrame:
    """CBS R&D expenditure (own personnel, all sectors) per province and year: columns
    ``provincie``, ``provincie_naam``, ``nuts2``, ``year``, ``status`` (``definitief``, or
    :data:`CBS_PROVISIONAL`: the export has no status), ``rd_mln_euro`` (mln euro) and
    ``rd_arbeidsjaren`` (labour years), 2011-2016 (Groningen and Drenthe 2011 are secret:
    empty). Source: CBS StatLine 82352NED (the real export),
    ``data/processed/cbs/rd_82352ned.csv``."""
    raw = pd.read_csv(config.data_file("processed", "cbs", "rd_82352ned.csv"))
    rows = raw[raw["level"] == "provincie"].rename(columns={"code": "provincie"})
    table = nl.PROVINCES.rename(columns={"name": "provincie_naam"}).merge(
        rows[["provincie", "year", "rd_mln_euro", "rd_arbeidsjaren"]], on="provincie"
    )
    table["status"] = table["year"].map(CBS_PROVISIONAL).fillna("definitief")
    columns = ["provincie", "provincie_naam", "nuts2", "year", "status"]
    table = table[[*columns, "rd_mln_euro", "rd_arbeidsjaren"]]
    return table.sort_values(["year", "provincie"], ignore_index=True)


def available_years() -> list[int]:
    """The years (ascending) of CBS 82352NED in :func:`load_rd` with a value for all 12
    provinces (2011 has none for Groningen and Drenthe: secret)."""
    rd = load_rd().dropna(subset=["rd_mln_euro"])
    counts = rd.groupby("year")["provincie"].nunique()
    return sorted(int(y) for y, n in counts.items() if n == 12)


def all_years() -> list[int]:
    """Every year (ascending) of CBS 82352NED, complete or not; the table ends in 2016."""
    return sorted(int(y) for y in load_rd()["year"].unique())


def cbs_gdp() -> pd.DataFrame:
    """CBS regional GDP (85924NED, market prices, current prices, mln euro) per province:
    columns ``provincie``, ``year``, ``bbp_mln_euro``; 1995-2023
    (``data/processed/cbs/gdp_85924ned.csv``)."""
    raw = pd.read_csv(config.data_file("processed", "cbs", "gdp_85924ned.csv"))
    rows = raw[raw["level"] == "provincie"].rename(columns={"code": "provincie"})
    return rows[["provincie", "year", "bbp_mln_euro"]].reset_index(drop=True)


def rd_for_year(year: int) -> pd.DataFrame:
    """The 12 provinces in ``year``, largest first: :func:`load_rd` columns plus
    ``aandeel_pct`` (% of the national total) and ``rang`` (1 = largest); ``attrs`` has
    ``year`` and ``total`` (mln euro). Raises
    :class:`~helpers.data.checks.UnknownParameterError` (listing the years) for a year
    without data for all 12 provinces (:func:`available_years`)."""
    rd = load_rd()
    year = check_year(year, available_years(), "CBS 82352NED (R&D per province)")
    table = rd[rd["year"] == year].copy()
    require(len(table) == 12, f"CBS 82352NED: expected 12 provinces in {year}, got {len(table)}")
    table["aandeel_pct"] = table["rd_mln_euro"] / table["rd_mln_euro"].sum() * 100
    table = table.sort_values("rd_mln_euro", ascending=False, kind="stable", ignore_index=True)
    table["rang"] = range(1, len(table) + 1)
    table.attrs.update(year=year, total=float(table["rd_mln_euro"].sum()))
    return table


@dataclass(frozen=True)
class RdChange:
    """R&D per province in two years (see :func:`rd_change`)."""

    regions: firms.RegionChange  # per province (key ``provincie``), fastest growth first
    ranks: pd.DataFrame  # provincie, name, rang_earlier, rang_later (1 = most R&D)
    top3_shares: tuple[float, float]  # % of the total in the three largest, earlier and later
    statuses: dict[int, str]  # CBS status of each year: 'definitief' or e.g. 'nader voorlopig'

    @property
    def rank_moves(self) -> list[tuple[str, int, int]]:
        """Provinces whose rank changed: (name, earlier rank, later rank), by later rank."""
        moved = self.ranks[self.ranks["rang_earlier"] != self.ranks["rang_later"]]
        moved = moved.sort_values("rang_later")
        return [(str(r.name), int(r.rang_earlier), int(r.rang_later)) for r in moved.itertuples()]

    @property
    def n_down(self) -> int:
        """Provinces with less R&D in the later year."""
        table = self.regions.table
        return int((table["later"] < table["earlier"]).sum())


def rd_change(year: int, new_year: int) -> RdChange:
    """R&D per province (mln euro) in ``year`` and ``new_year`` (either order, both of
    :func:`available_years`; errors as :func:`rd_for_year`): the change per province
    (:func:`helpers.chapters.firms.region_change`, in %), the ranks in both years, the share of
    the three largest provinces and the CBS status of each year. The provinces are the same in
    every year of 82352NED (Vijfheerenlanden's move of 2019 lies after the table)."""
    tables = {int(y): rd_for_year(y) for y in (year, new_year)}
    earlier, later = sorted(tables)
    first, second = (tables[y].rename(columns={"provincie_naam": "name"}) for y in (earlier, later))
    regions = firms.region_change(first, second, "provincie", "rd_mln_euro", (earlier, later))
    ranks = second[["provincie", "name", "rang"]].rename(columns={"rang": "rang_later"})
    ranks = ranks.merge(
        first[["provincie", "rang"]].rename(columns={"rang": "rang_earlier"}), on="provincie"
    )
    return RdChange(
        regions=regions,
        ranks=ranks[["provincie", "name", "rang_earlier", "rang_later"]],
        top3_shares=(
            float(first.head(3)["aandeel_pct"].sum()),
            float(second.head(3)["aandeel_pct"].sum()),
        ),
        statuses={y: str(tables[y]["status"].iloc[0]) for y in (earlier, later)},
    )


def gdp() -> pd.DataFrame:
    """Regional GDP per province (``nuts2``), ``year`` and Eurostat ``vintage`` (the edition
    of nama_10r_3gdp, a string), in mln euro (``gdp_mln_euro``); from
    ``data/processed/rd/gdp_nl.csv``."""
    return pd.read_csv(config.data_file("processed", "rd", "gdp_nl.csv"), dtype={"vintage": str})


def gdp_last_years() -> dict[str, int]:
    """The last year each Eurostat GDP vintage covers, oldest vintage first."""
    last = gdp().groupby("vintage")["year"].max()
    return {str(vintage): int(year) for vintage, year in last.sort_index().items()}


def intensity(rd_year: pd.DataFrame) -> pd.DataFrame:
    """R&D intensity per province: CBS R&D over Eurostat GDP of each vintage that has the
    year (``pct_bbp_<vintage>``) and over CBS regional GDP (85924NED: ``bbp_cbs``, mln euro,
    and ``pct_bbp_cbs``), next to Eurostat's own regional GERD as % of GDP
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
    cbs = cbs_gdp()
    cbs = cbs[cbs["year"] == year].set_index("provincie")["bbp_mln_euro"]
    out["bbp_cbs"] = out["provincie"].map(cbs)
    out["pct_bbp_cbs"] = out["rd_mln_euro"] / out["bbp_cbs"] * 100
    panel = eurostat_panel()
    eurostat = panel[panel["year"] == year].set_index("nuts2")["rd_pct_gdp_total"]
    out["pct_bbp_eurostat"] = out["nuts2"].map(eurostat)
    main = f"pct_bbp_{max(vintages)}"
    out["verschil_eurostat"] = out[main] - out["pct_bbp_eurostat"]
    out = out.sort_values(main, ascending=False, kind="stable", ignore_index=True)
    out.attrs.update(year=year, vintages=vintages, main_vintage=max(vintages))
    return out


def published() -> pd.DataFrame:
    """Published statements on public/private R&D in 2015, one row per statement: columns
    ``kenmerk``, ``provincie``, ``nuts2``, ``waarde``, ``eenheid``, ``bron``, ``plaats``
    (``data/published/rd2015_gepubliceerd.csv``; see data/published/README.md)."""
    return load_published("rd2015_gepubliceerd")


def ris_rd_variation() -> pd.DataFrame:
    """For the RIS public- and business-sector R&D indicators: per year, how many different
    values the 12 Dutch provinces have (1 = the national value repeated: no regional data)."""
    rows = dutch_province_indicators(list(RIS_RD_INDICATORS.values()))
    out = rows.groupby(["indicator", "year"], as_index=False).agg(
        provincies=("region", "nunique"), verschillende_waarden=("value", "nunique")
    )
    return out


def eurostat_gerd_years() -> list[int]:
    """The years (ascending) in which Eurostat's own R&D intensity (GERD as % of GDP,
    rd_e_gerdreg, as taken over in the compilation of Honti e.a., 2020) has a value for all
    12 provinces (2011-2016). Eurostat's current table marks every Dutch NUTS 2 value of
    2013-2023 confidential (tgs00042, checked in processing), so these are the only ones."""
    panel = eurostat_panel().dropna(subset=["rd_pct_gdp_total"])
    counts = panel.groupby("year")["nuts2"].nunique()
    return sorted(int(y) for y, n in counts.items() if n == 12)


def business_rd_eurostat() -> pd.DataFrame:
    """Eurostat business-sector R&D as % of GDP per province, where the panel has it."""
    panel = eurostat_panel().dropna(subset=["rd_pct_gdp_business"])
    return panel[["nuts2", "year", "rd_pct_gdp_business"]].reset_index(drop=True)


# --- COROP: user file or patent proxy ------------------------------------------------------


def load_corop_rd(path: str | Path, year: int) -> pd.DataFrame:
    """A user-supplied file of private R&D per COROP (kind ``corop_rd`` of
    :mod:`helpers.geography.userfiles`, documented in ``data/README-user-files.md``): the rows
    of ``year`` with ``corop`` (``CR01``..``CR40``), ``jaar`` and ``rd_bedrijven_mln_euro``
    (million euro). Raises :class:`~helpers.geography.userfiles.UserFileError` naming the file,
    column and rows, or :class:`~helpers.data.checks.UnknownParameterError` listing the file's
    years when ``year`` is not among them. ``attrs["notes"]``: how the file was read and
    which regions have no value, in Dutch (:func:`helpers.geography.userfiles.file_notes`)."""
    table = userfiles.load_user_file(path, "corop_rd")
    name = Path(table.attrs["path"]).name
    year = check_year(year, sorted(table["jaar"].unique().tolist()), name)
    rows = table[table["jaar"] == year]
    notes = tuple(userfiles.file_notes(rows, key="corop"))  # before the rows are renumbered
    rows = rows.reset_index(drop=True)
    rows.attrs["notes"] = notes
    return rows


def patents_years() -> list[int]:
    """Priority years (ascending) of the EPO patent applications per NUTS 3 region (Eurostat
    pat_ep_rtot, ``data/processed/rd/patents_nuts3_nl.csv``)."""
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


# --- numbers for the narrative and the maps -------------------------------------------------

NORTH = ("PV20", "PV21", "PV22")  # Groningen, Friesland, Drenthe: 'de drie noordelijke provincies'
FOCUS_NUTS2 = (
    "NL32"  # Noord-Holland: the province the narrative follows from publication to Eurostat
)
MAP_YEAR = 2016  # boundaries of the maps (provinces and COROP regions as on 1 January 2016)


@dataclass(frozen=True)
class ProvinceAmount:
    """One province's R&D in a year (see :func:`overview`)."""

    code: str  # CBS province code (``PV27``)
    name: str
    mln_euro: float
    share_pct: float  # % of the national total


@dataclass(frozen=True)
class RdOverview:
    """R&D per province in one year, for the narrative (see :func:`overview`)."""

    year: int
    total: float  # mln euro, all provinces
    labour_years: float  # R&D labour years (arbeidsjaren), all provinces
    ranking: list[ProvinceAmount]  # the 12 provinces, largest first
    top3_share_pct: float  # % of the total in the three largest provinces
    north_share_pct: float  # % of the total in the three northern provinces (:data:`NORTH`)
    provisional: list[str]  # CBS statuses other than 'definitief' (e.g. 'nader voorlopig')


def overview(table: pd.DataFrame) -> RdOverview:
    """Totals, ranking and shares of ``table`` (:func:`rd_for_year`: 12 provinces, largest
    first, ``attrs['year']``). Shares are % of the national total; CBS marks of provisional
    figures (``' (**)'``) are dropped from the statuses. Raises
    :class:`~helpers.data.checks.DataCheckError` for a table without the 12 provinces."""
    require(len(table) == 12, f"overview: expected 12 provinces, got {len(table)}")
    ranking = [
        ProvinceAmount(r.provincie, r.provincie_naam, float(r.rd_mln_euro), float(r.aandeel_pct))
        for r in table.itertuples(index=False)
    ]
    statuses = sorted(set(table["status"]) - {"definitief"})
    return RdOverview(
        year=int(table.attrs["year"]),
        total=float(table.attrs["total"]),
        labour_years=float(table["rd_arbeidsjaren"].sum()),
        ranking=ranking,
        top3_share_pct=float(table.head(3)["aandeel_pct"].sum()),
        north_share_pct=float(table.loc[table["provincie"].isin(NORTH), "aandeel_pct"].sum()),
        provisional=[s.replace(" (**)", "") for s in statuses],
    )


def provinces_on_map(table: pd.DataFrame) -> gpd.GeoDataFrame:
    """The provinces of :data:`MAP_YEAR` (columns ``code``, ``name``, ``geometry``) with the
    columns of ``table`` (one row per province, CBS code in ``provincie``). Raises
    :class:`~helpers.data.checks.DataCheckError` when a code does not join or a province has
    no data."""
    return nl.join_complete(table, "provincie", MAP_YEAR, code="provincie")


@dataclass(frozen=True)
class IntensitySummary:
    """R&D intensity per province, for the narrative (see :func:`intensity_summary`)."""

    table: pd.DataFrame  # :func:`intensity`
    vintages: list[str]  # GDP vintages that have the year, oldest first
    main_vintage: str  # the GDP vintage of the main figures (the latest that has the year)
    older_vintages: dict[str, int]  # other GDP vintages -> last year they cover
    first: str  # most R&D-intensive province
    first_pct: float  # its R&D as % of GDP (main vintage)
    last: str
    last_pct: float
    national_pct: float  # R&D of all provinces as % of their GDP (main vintage)
    largest_rank: int  # rank by intensity (1 = highest) of the province with most R&D
    largest_pct: float  # ... and its intensity (% of GDP)
    eurostat_complete: bool  # Eurostat's own GERD/GDP exists for every province
    eurostat_max_diff: float  # largest |our intensity - Eurostat's| (percentage points; NaN: none)
    eurostat_max_diff_province: str | None
    vintage_max_diff: float | None  # largest |main - oldest vintage| (points); None: one vintage
    vintage_max_diff_province: str | None
    cbs_national_pct: float = float("nan")  # R&D of all provinces as % of CBS GDP (85924NED)
    cbs_first: str = ""  # most R&D-intensive province with CBS GDP
    cbs_max_diff: float = float("nan")  # largest |CBS-GDP intensity - main vintage| (points)
    cbs_max_diff_province: str = ""


def intensity_summary(inten: pd.DataFrame) -> IntensitySummary:
    """Highest and lowest intensity, the national figure, the differences with Eurostat's
    own series and between GDP vintages, from ``inten`` (:func:`intensity`: 12 provinces,
    most intensive first, ``attrs`` ``vintages`` and ``main_vintage``). Intensities are R&D as
    % of regional GDP (Eurostat nama_10r_3gdp; GERD from rd_e_gerdreg)."""
    main = inten.attrs["main_vintage"]
    col = f"pct_bbp_{main}"
    top, low = inten.iloc[0], inten.iloc[-1]
    largest = inten["rd_mln_euro"].idxmax()
    diff = inten["verschil_eurostat"].abs()
    vintage_diff = vintage_prov = None
    if len(inten.attrs["vintages"]) > 1:
        gap = (inten[col] - inten[f"pct_bbp_{min(inten.attrs['vintages'])}"]).abs()
        vintage_diff, vintage_prov = (
            float(gap.max()),
            str(inten.loc[gap.idxmax(), "provincie_naam"]),
        )
    return IntensitySummary(
        table=inten,
        vintages=list(inten.attrs["vintages"]),
        main_vintage=main,
        older_vintages={v: last for v, last in gdp_last_years().items() if v != main},
        first=str(top["provincie_naam"]),
        first_pct=float(top[col]),
        last=str(low["provincie_naam"]),
        last_pct=float(low[col]),
        national_pct=float(inten["rd_mln_euro"].sum() / inten[f"bbp_{main}"].sum() * 100),
        largest_rank=int(largest) + 1,
        largest_pct=float(inten.loc[largest, col]),
        eurostat_complete=bool(inten["pct_bbp_eurostat"].notna().all()),
        eurostat_max_diff=float(diff.max()),
        eurostat_max_diff_province=(
            str(inten.loc[diff.idxmax(), "provincie_naam"]) if diff.notna().any() else None
        ),
        vintage_max_diff=vintage_diff,
        vintage_max_diff_province=vintage_prov,
        **_cbs_gdp_fields(inten, col),
    )


def _cbs_gdp_fields(inten: pd.DataFrame, col: str) -> dict[str, float | str]:
    """The intensity with CBS GDP (``pct_bbp_cbs``) against that with Eurostat's (``col``)."""
    gap = (inten["pct_bbp_cbs"] - inten[col]).abs()
    return {
        "cbs_national_pct": float(inten["rd_mln_euro"].sum() / inten["bbp_cbs"].sum() * 100),
        "cbs_first": str(inten.loc[inten["pct_bbp_cbs"].idxmax(), "provincie_naam"]),
        "cbs_max_diff": float(gap.max()),
        "cbs_max_diff_province": str(inten.loc[gap.idxmax(), "provincie_naam"]),
    }


@dataclass(frozen=True)
class PublicPrivate:
    """The published public/private split next to what open data give (see
    :func:`public_private`)."""

    published: pd.DataFrame  # :func:`published`
    ratio_province: str  # where private R&D was the largest multiple of public R&D
    ratio: float  # that multiple
    public_larger: list[str]  # provinces where public R&D exceeded private R&D
    private_top: str  # highest private R&D as % of GDP (published)
    private_top_pct: float
    ris_flat: bool  # the RIS R&D indicators repeat one value for all provinces in every year
    ris_years: tuple[int, int]  # first and last RIS year
    business_regions: list[str]  # provinces (names, sorted) with Eurostat business R&D
    business_years: tuple[int, int]  # first and last year of that series
    focus_business_pct: float  # :data:`FOCUS_NUTS2`: Eurostat business R&D, % of GDP, last year
    focus_business_year: int
    focus_published_pct: float  # ... and as published (private R&D, % of GDP)


def public_private() -> PublicPrivate:
    """The publication's statements on public and private R&D in 2015 (:func:`published`),
    the variation of the RIS R&D indicators over the provinces (:func:`ris_rd_variation`) and
    Eurostat business R&D per province (:func:`business_rd_eurostat`; % of GDP). Raises
    ``IndexError`` when a published statement or the focus province is missing."""
    pub = published()
    ratio = pub[pub["kenmerk"] == "prive_publiek_verhouding"].iloc[0]
    private = pub[pub["kenmerk"] == "prive_rd_pct_bbp"].sort_values("waarde", ascending=False)
    variation = ris_rd_variation()
    business = business_rd_eurostat()
    names = nl.PROVINCES.set_index("nuts2")["name"]
    focus = business[business["nuts2"] == FOCUS_NUTS2].sort_values("year").iloc[-1]
    return PublicPrivate(
        published=pub,
        ratio_province=str(ratio["provincie"]),
        ratio=float(ratio["waarde"]),
        public_larger=pub.loc[pub["kenmerk"] == "publiek_groter_dan_prive", "provincie"].tolist(),
        private_top=str(private.iloc[0]["provincie"]),
        private_top_pct=float(private.iloc[0]["waarde"]),
        ris_flat=bool((variation["verschillende_waarden"] == 1).all()),
        ris_years=(int(variation["year"].min()), int(variation["year"].max())),
        business_regions=sorted(names.loc[business["nuts2"].unique()]),
        business_years=(int(business["year"].min()), int(business["year"].max())),
        focus_business_pct=float(focus["rd_pct_gdp_business"]),
        focus_business_year=int(focus["year"]),
        focus_published_pct=float(private.loc[private["nuts2"] == FOCUS_NUTS2, "waarde"].iloc[0]),
    )


@dataclass(frozen=True)
class CoropMeasure:
    """The COROP level (see :func:`corop_measure`)."""

    table: pd.DataFrame  # one row per COROP region, largest first: corop, name, waarde, aandeel_pct
    supplied: bool  # True: the user's CBS table (mln euro); False: the patent proxy (applications)
    year: int  # year of the user's table, or the patents' priority year
    north_share_pct: float | None  # % in the northern provinces; None without a province column
    coverage: userfiles.Coverage | None = None  # user's file: COROP regions covered (of MAP_YEAR)
    notes: tuple[str, ...] = ()  # user's file: how it was read (Dutch sentences)

    def top(self, n: int = 3) -> list[tuple[str, float]]:
        """The ``n`` largest regions: (name, % of the total), largest first."""
        head = self.table.head(n)
        return list(zip(head["name"].astype(str), head["aandeel_pct"].astype(float), strict=True))


def corop_measure(corop_rd_file: str | Path, year: int, patent_year: int) -> CoropMeasure:
    """Private R&D per COROP region in ``year`` from the user's file
    (:func:`load_corop_rd`: its schema and year are checked, errors name the file) or, when
    ``corop_rd_file`` is empty, EPO patent applications in ``patent_year``
    (:func:`patents_per_corop`, a proxy). ``waarde`` is mln euro or applications,
    ``aandeel_pct`` its % of the total; names are those of the COROP regions of
    :data:`MAP_YEAR`. With a file, ``coverage`` says which COROP regions it covers (the
    shares are of the regions covered: a file of 20 of the 40 regions is flagged by
    ``coverage.text()``). Raises :class:`~helpers.data.checks.UnknownParameterError` for a
    year the data do not cover."""
    if corop_rd_file:
        table = load_corop_rd(corop_rd_file, year).rename(
            columns={"rd_bedrijven_mln_euro": "waarde"}
        )
        data_year = int(year)  # checked against the file's years by load_corop_rd
        notes = table.attrs.get("notes", ())
    else:
        table = patents_per_corop(patent_year).rename(columns={"applications": "waarde"})
        data_year = int(table.attrs["year"])
        notes = ()
    names = nl.boundaries("corop", MAP_YEAR)[["code", "name"]]
    table = table.merge(names, left_on="corop", right_on="code", how="left").drop(columns="code")
    table = table.sort_values("waarde", ascending=False, ignore_index=True)
    table["aandeel_pct"] = table["waarde"] / table["waarde"].sum() * 100
    north = None
    if "provincie" in table:
        north = float(table.loc[table["provincie"].isin(NORTH), "aandeel_pct"].sum())
    supplied = bool(corop_rd_file)
    with_value = table.dropna(subset=["waarde"])["corop"]
    covered = userfiles.coverage(with_value, "corop", MAP_YEAR) if supplied else None
    return CoropMeasure(
        table=table,
        supplied=supplied,
        year=data_year,
        north_share_pct=north,
        coverage=covered,
        notes=tuple(notes),
    )


def corop_on_map(table: pd.DataFrame) -> tuple[gpd.GeoDataFrame, nl.JoinReport]:
    """The COROP regions of :data:`MAP_YEAR` with the columns of ``table`` (code in
    ``corop``; a ``name`` column is taken from the map) and the join report. Regions without
    data stay on the map (a user's file may cover part of the country); raises
    :class:`~helpers.data.checks.DataCheckError` when a code is not a COROP region of the map."""
    gdf, report = nl.join_to_boundaries(table, nl.boundaries("corop", MAP_YEAR), code="corop")
    require(not report.unjoined, f"COROP regions: {report.summary()}")
    return gdf, report
