"""Chapter 'Topsectoren': where research collaborates, as maps and networks between places.

Open substitute for the restricted RVO data: Horizon 2020 and Horizon Europe participations
of Dutch organisations (CORDIS), placed in CBS gemeenten (2016) by their address (Horizon 2020:
the FP7 organisation register, else the Horizon Europe address of the same PIC; the postcode
through the PC4 table, else the city, :func:`place`), grouped into themes close to the
topsectors (``data/topsectors/themes.csv``, one table for both programmes). An analyst with the RVO data supplies it in the documented
schema (:func:`load_rvo`); the same functions then draw the maps and networks.

Network: nodes are gemeenten; two gemeenten are linked once per project in which both have a
participant (a project with n distinct Dutch places gives n(n-1)/2 links; a place is never
linked to itself); the weight of a link is its number of projects. A *collaboration* is one
pair of places in one project: a theme's collaborations are its summed link weight, and a
place's strength is the number of collaborations it takes part in (so the strengths add up
to twice the collaborations, once per end of a link).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import config
from helpers.geography import nl, userfiles

PLACE_YEAR = nl.PLACE_YEAR  # gemeente boundaries and names places are matched to


def themes() -> pd.DataFrame:
    """Programme part -> theme (``data/topsectors/themes.csv``, kept by hand): one row per H2020
    programme part (LEIT, SC1..SC7, ERC, ...), columns programme_part, thema (theme in the
    book), nabij_topsector (the nearest topsector), toelichting; all text. Raises
    FileNotFoundError naming the file when it is missing."""
    return pd.read_csv(config.data_file("topsectors", "themes.csv"), dtype=str)


LAST_YEAR = 2025  # last start year drawn: Horizon Europe projects starting later are few
PROGRAMMES = {"H2020": "Horizon 2020", "HE": "Horizon Europe"}


def _read(name: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(config.data_file("processed", "topsectors", name), **kwargs)


def _participations() -> pd.DataFrame:
    """Dutch participations of both programmes (column ``programma``: H2020 or HE), start years
    up to :data:`LAST_YEAR`. A Horizon 2020 organisation not in the FP7 register gets the
    address it has in Horizon Europe (same PIC); the postcodes of both get their woonplaats and
    gemeente from the PC4 table."""
    text = {"pic": str, "postcode": str}
    h2020 = _read("h2020_nl_participations.csv.gz", dtype=text)
    he = _read("he_nl_participations.csv.gz", dtype=text)
    addresses = _read("he_nl_addresses.csv", dtype=str).set_index("pic")
    missing = h2020["plaats"].isna()
    for column in ("plaats", "postcode", "plaats_pc4", "gemeente_pc4"):
        if column not in h2020:
            h2020[column] = pd.NA
        h2020.loc[missing, column] = h2020.loc[missing, "pic"].map(addresses[column])
    pc4 = _read("pc4_plaats_gemeente_2021.csv", dtype=str).set_index("pc4")
    digits = h2020["postcode"].str.extract(r"^\s*(\d{4})", expand=False)
    for column in ("plaats_pc4", "gemeente_pc4"):
        h2020[column] = h2020[column].fillna(digits.map(pc4[column]))
    out = pd.concat([h2020.assign(programma="H2020"), he.assign(programma="HE")])
    out = out[out["start_year"] <= LAST_YEAR]
    return out.astype({"start_year": int}).reset_index(drop=True)


def _programme_parts() -> pd.DataFrame:
    return pd.concat(
        [_read("h2020_programme_parts_nl.csv"), _read("he_programme_parts_nl.csv")]
    ).drop_duplicates()


def place(data: pd.DataFrame) -> pd.Series:
    """Gemeente (of :data:`PLACE_YEAR`) of each participation: the woonplaats of its postcode
    (``plaats_pc4``, PC4 table 2021), else the 2021 gemeente of its postcode
    (``gemeente_pc4``, when it is also a gemeente of :data:`PLACE_YEAR`), else the city as
    written (``plaats``), each matched to a gemeente name or alias
    (:func:`helpers.geography.nl.place_to_gemeente`); what is still unplaced then goes through
    the full place matcher, woonplaatsen included
    (:func:`helpers.geography.userfiles.place_name`): a woonplaats such as Sneek or Heeze
    (postbus postcodes are not in the PC4 table, so only the city name says where they are)
    gets its gemeente. NA when none is known, or when the place lies in a gemeente that was
    later divided over several (the woonplaats table knows only the gemeenten of 2021)."""
    out = pd.Series(pd.NA, index=data.index, dtype="string")
    for column in ("plaats_pc4", "gemeente_pc4", "plaats"):
        if column in data:
            out = out.fillna(nl.place_to_gemeente(data[column]))
    for column in ("plaats_pc4", "plaats"):
        if column in data:
            names = data.loc[out.isna(), column].dropna()
            found = {n: userfiles.place_name(n, PLACE_YEAR)[0] for n in names.unique()}
            out = out.fillna(names.map(found).astype("string"))
    return out


def start_years(parts: pd.DataFrame | None = None) -> list[int]:
    """Start years of the Dutch H2020 and Horizon Europe projects in the data."""
    parts = _participations() if parts is None else parts
    return sorted(int(y) for y in parts["start_year"].dropna().unique())


def h2020(start_year: int, end_year: int) -> pd.DataFrame:
    """Dutch Horizon 2020 and Horizon Europe participations starting in [start_year,
    end_year], one row per participation and theme, with gemeente code (NA when the place is
    unknown, :func:`place`) and ``programma`` (H2020, HE)."""
    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    parts = _participations()
    years = start_years(parts)
    if not any(start_year <= y <= end_year for y in years):
        raise ValueError(
            f"No H2020 or Horizon Europe projects starting in {start_year}-{end_year}; start "
            f"years: {years[0]}-{years[-1]}"
        )
    parts = parts[parts["start_year"].between(start_year, end_year)].copy()
    parts["gemeente"] = place(parts)
    programmes = _programme_parts()
    mapping = themes().set_index("programme_part")["thema"]
    programmes["thema"] = programmes["programme_part"].map(mapping).fillna("Overig")
    per_project = programmes[["rcn", "thema"]].drop_duplicates()
    out = parts.merge(per_project, on="rcn", how="left")
    out["thema"] = out["thema"].fillna("Overig")
    out = out.rename(columns={"rcn": "project", "contribution": "bedrag"})
    out["project"] = out["project"].astype(str)
    return out.reset_index(drop=True)


@dataclass
class MatchRate:
    """How many participations got a gemeente (:func:`match_rate`): ``participations`` and
    ``amount`` in % (of the participations, of their ``bedrag``), ``n`` the number of
    participations counted, ``unmatched_places`` place -> participations without a gemeente,
    most frequent first; ``without_place`` the participations without gemeente that have no
    place name at all (for Horizon 2020: organisations not in the FP7 register)."""

    participations: float  # percent of participations placed in a gemeente
    amount: float  # percent of the amount (EC contribution)
    n: int
    unmatched_places: pd.Series  # place -> participations, most frequent first
    without_place: int = 0  # participations without any place (not in the address source)

    @property
    def unplaced(self) -> int:
        """Participations without a gemeente."""
        return round(self.n * (100 - self.participations) / 100)


def match_rate(data: pd.DataFrame) -> MatchRate:
    """Share of participations (and of the amount) that got a gemeente, counted once per
    participation (not per theme)."""
    once = data.drop_duplicates(subset=["project", "pic"]) if "pic" in data else data
    placed = once["gemeente"].notna()
    amount = once["bedrag"].fillna(0)
    total = amount.sum()
    unmatched = once.loc[~placed & once["plaats"].notna(), "plaats"].map(nl.clean_place)
    return MatchRate(
        participations=float(placed.mean() * 100),
        amount=float(amount[placed].sum() / total * 100) if total else float("nan"),
        n=len(once),
        unmatched_places=unmatched.value_counts(),
        without_place=int((~placed & once["plaats"].isna()).sum()),
    )


def pairs(data: pd.DataFrame) -> pd.DataFrame:
    """Links between places: for each project, every pair of distinct places with a
    participant; columns ``a``, ``b`` (a < b) and ``projecten`` (weight)."""
    rows = []
    placed = data.dropna(subset=["gemeente"])
    for _, places in placed.groupby("project")["gemeente"]:
        unique = sorted(set(places))
        rows.extend(itertools.combinations(unique, 2))
    links = pd.DataFrame(rows, columns=["a", "b"])
    if links.empty:
        return pd.DataFrame(columns=["a", "b", "projecten"])
    return (
        links.value_counts()
        .rename("projecten")
        .reset_index()
        .sort_values(["projecten", "a", "b"], ascending=[False, True, True], ignore_index=True)
    )


@dataclass
class Network:
    """One theme's collaboration network (:func:`network`). ``nodes``: one row per gemeente with a
    placed participant, columns gemeente, naam, projecten (distinct projects), bedrag (summed
    amount, euro), degree (linked places), strength (summed link weight); ``edges``: a, b,
    projecten (all links, before any threshold); ``cross_province_share``: % of link weight
    between different provinces (NaN without links); ``n_projects``: projects with a placed
    participant."""

    nodes: pd.DataFrame  # gemeente, naam, projecten, bedrag, degree, strength
    edges: pd.DataFrame  # a, b, projecten (all links, before any threshold)
    cross_province_share: float  # percent of link weight between different provinces
    n_projects: int


def network(data: pd.DataFrame) -> Network:
    """Places, links and measures of one theme."""
    placed = data.dropna(subset=["gemeente"])
    edges = pairs(placed)
    names = nl.boundaries("gemeente", PLACE_YEAR).set_index("code")["name"]
    nodes = placed.groupby("gemeente").agg(
        projecten=("project", "nunique"), bedrag=("bedrag", "sum")
    )
    degree = pd.concat([edges["a"], edges["b"]]).value_counts()
    strength = (
        pd.concat([edges.groupby("a")["projecten"].sum(), edges.groupby("b")["projecten"].sum()])
        .groupby(level=0)
        .sum()
    )
    nodes["degree"] = degree.reindex(nodes.index).fillna(0).astype(int)
    nodes["strength"] = strength.reindex(nodes.index).fillna(0).astype(int)
    nodes["naam"] = names.reindex(nodes.index)
    nodes = nodes.reset_index().sort_values(
        ["strength", "projecten"], ascending=False, ignore_index=True
    )
    province = nl.crosswalk().set_index("gemeente")["provincie"]
    if edges.empty:
        cross = float("nan")
    else:
        crossing = edges["a"].map(province) != edges["b"].map(province)
        cross = float(edges.loc[crossing, "projecten"].sum() / edges["projecten"].sum() * 100)
    return Network(nodes, edges, cross, int(placed["project"].nunique()))


# --- RVO user file --------------------------------------------------------------------------


def load_rvo(path: str | Path) -> pd.DataFrame:
    """A user-supplied RVO file (schema ``rvo`` in :mod:`helpers.geography.userfiles`) in the shape of
    :func:`h2020`: project, gemeente (of :data:`PLACE_YEAR`), plaats, thema, start_year,
    bedrag. Codes of other years are followed to :data:`PLACE_YEAR`
    (:func:`helpers.geography.userfiles.placement`); a code or place that gets no gemeente
    keeps ``gemeente`` NA and is shown in ``plaats`` (the code when there is no place name),
    so that :func:`match_rate` names it. ``attrs``: ``unplaced`` (list of
    :class:`~helpers.geography.userfiles.Unplaced`, with rows and reasons) and ``notes``
    (how the file was read, Dutch). Raises :class:`~helpers.geography.userfiles.UserFileError`
    naming the file, column and rows."""
    data = userfiles.load_user_file(path, "rvo")
    placed = userfiles.placement(data, PLACE_YEAR)
    places = data["plaats"] if "plaats" in data else pd.Series("", index=data.index)
    codes = data["gemeente"] if "gemeente" in data else pd.Series("", index=data.index)
    shown = places.where(places != "", codes).replace("", pd.NA)
    out = pd.DataFrame(
        {
            "project": data["project"].astype(str),
            "gemeente": placed.codes,
            "plaats": shown,
            "thema": data["topsector"].str.strip(),
            "start_year": data["jaar"],
            "bedrag": data["bedrag"].astype(float),
        }
    )
    out.attrs.update(unplaced=placed.unplaced, notes=userfiles.file_notes(data, key="project"))
    return out


# --- the chapter: data, themes and their comparison -----------------------------------------

H2020_SOURCE = (
    "Europese Commissie, CORDIS (Horizon 2020-deelnames, stand december 2020, adressen uit het "
    "FP7-organisatieregister en Horizon Europe; Horizon Europe-deelnames met adressen, stand "
    "december 2025; postcodes via de PC4-tabel van CBS, 2021); bewerking Regionale innovatie "
    "in Nederland"
)


@dataclass
class ChapterData:
    """The participations the chapter maps (result of :func:`chapter_data`)."""

    data: pd.DataFrame  # one row per participation and theme (shape of h2020 / load_rvo)
    themes: list[str]  # the four themes with maps, in the order chosen
    available: list[str]  # every theme in the data, sorted
    period: str  # start years covered, "2014-2020" (or one year)
    match: MatchRate  # participations and amount placed in a gemeente
    supplied: bool  # True: the user's RVO file; False: Horizon 2020 (proxy)
    status: str  # the reader's wording of the source, for the narrative
    status_key: str  # key of helpers.presentation.status.STATUSES
    source: str  # source line of the figures and tables
    amount_label: str  # what the amount is, with its unit (million euro)
    # the user's file: every code or place of the file not placed in a gemeente, how it was read
    unplaced: list[userfiles.Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def n_projects(self) -> int:
        """Distinct projects in :attr:`data`."""
        return int(self.data["project"].nunique())

    @property
    def match_by_programme(self) -> dict[str, tuple[str, MatchRate]]:
        """Per programme in the data (Horizon 2020, Horizon Europe; none for an RVO file):
        the start years it covers in the period (``"2014-2020"``) and its :func:`match_rate`."""
        if "programma" not in self.data:
            return {}
        out = {}
        for key, label in PROGRAMMES.items():
            rows = self.data[self.data["programma"] == key]
            if len(rows):
                first, last = int(rows["start_year"].min()), int(rows["start_year"].max())
                years = f"{first}-{last}" if first != last else str(first)
                out[label] = (years, match_rate(rows))
        return out

    @property
    def other_themes(self) -> list[str]:
        """The available themes without a map, sorted."""
        return [t for t in self.available if t not in self.themes]


def _period(rvo_file: str, start_year: int, end_year: int) -> tuple[pd.DataFrame, dict]:
    """The participations of projects starting in [``start_year``, ``end_year``] (the user's
    RVO file or the open data) and the labels of :class:`ChapterData` for their source."""
    if rvo_file:
        data = load_rvo(rvo_file)
        file_attrs = {"unplaced": data.attrs["unplaced"], "notes": data.attrs["notes"]}
        data = data[data["start_year"].between(start_year, end_year)]
        return data, {
            **file_attrs,
            "supplied": True,
            "status": "origineel: RVO-gegevens, aangeleverd door de gebruiker",
            "status_key": "aangeleverd",
            "source": f"RVO, topsectorgegevens (aangeleverd: {Path(rvo_file).name}); bewerking Regionale "
            "innovatie in Nederland",
            "amount_label": "Bedrag (mln euro)",
        }
    return h2020(start_year, end_year), {
        "supplied": False,
        "status": "benadering: Horizon 2020- en Horizon Europe-projecten (CORDIS) in plaats "
        "van RVO-topsectorgegevens",
        "status_key": "benadering",
        "source": H2020_SOURCE,
        "amount_label": "EU-bijdrage (mln euro)",
    }


def _chapter_data(
    data: pd.DataFrame, labels: dict, period: tuple[int, int], themes: list[str]
) -> ChapterData:
    start_year, end_year = period
    return ChapterData(
        data=data,
        themes=list(themes),
        available=sorted(data["thema"].unique()),
        period=f"{start_year}-{end_year}" if start_year != end_year else str(start_year),
        match=match_rate(data),
        **labels,
    )


def chapter_data(rvo_file: str, start_year: int, end_year: int, themes: list[str]) -> ChapterData:
    """Participations of projects starting in [``start_year``, ``end_year``]: from the user's
    RVO file (:func:`load_rvo`) when ``rvo_file`` is given, else Dutch Horizon 2020
    participations (:func:`h2020`, proxy); with the share placed in a gemeente
    (:func:`match_rate`). With a file, ``unplaced`` names every code or place of the file
    that got no gemeente and ``notes`` say how the file was read.

    Raises ``ValueError`` when ``themes`` does not name four themes of the data (listing the
    available ones) or no project starts in the period, and the errors of :func:`load_rvo`."""
    data, labels = _period(rvo_file, start_year, end_year)
    available = sorted(data["thema"].unique())
    if len(themes) != 4 or any(t not in available for t in themes):
        raise ValueError(f"themes must name four themes; available themes: {', '.join(available)}")
    return _chapter_data(data, labels, (start_year, end_year), themes)


def period_data(
    rvo_file: str, start_year: int, end_year: int, themes: list[str]
) -> ChapterData | None:
    """Participations of projects starting in [``start_year``, ``end_year``] as
    :func:`chapter_data` gives them, for a second period next to the chapter's reference
    period (by default the newest: Horizon Europe), with its own placement rate. ``themes``
    need not all occur in the period (a theme without participations has none); ``None``
    when no project starts in the period. Raises ``ValueError`` when ``start_year`` is after
    ``end_year``."""
    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    if not rvo_file and not any(start_year <= y <= end_year for y in start_years()):
        return None
    data, labels = _period(rvo_file, start_year, end_year)
    if data.empty:
        return None
    return _chapter_data(data, labels, (start_year, end_year), themes)


def nearest_topsector(theme: str) -> str:
    """The topsector a Horizon 2020 theme is closest to (``data/topsectors/themes.csv``);
    ``"–"`` for a theme not in that file."""
    nearest = themes().drop_duplicates("thema").set_index("thema")["nabij_topsector"]
    return str(nearest.get(theme, "–"))


@dataclass
class Theme:
    """One theme's participations and collaboration network (result of :func:`theme`)."""

    name: str
    slot: int  # 1-based position among the chosen themes (figure names, glue keys)
    rows: pd.DataFrame  # the theme's participations (placed or not)
    net: Network
    min_edge_weight: int  # links with fewer joint projects are not drawn
    nearest_topsector: str  # the topsector the theme is closest to (the theme, for RVO data)

    @property
    def amount(self) -> float:
        """Amount of all the theme's participations, euro (placed or not)."""
        return float(self.rows["bedrag"].sum())

    @property
    def placed(self) -> pd.DataFrame:
        """The theme's participations placed in a gemeente (what the maps and networks show)."""
        return self.rows.dropna(subset=["gemeente"])

    @property
    def placed_amount(self) -> float:
        """Amount of the theme's participations placed in a gemeente, euro."""
        return float(self.placed["bedrag"].sum())

    @property
    def placed_amount_share(self) -> float:
        """Percent of :attr:`amount` that is placed in a gemeente (NaN when the amount is 0)."""
        return self.placed_amount / self.amount * 100 if self.amount else float("nan")

    @property
    def n_participations(self) -> int:
        """All the theme's participations (placed or not)."""
        return len(self.rows)

    @property
    def n_placed(self) -> int:
        """The theme's participations placed in a gemeente."""
        return len(self.placed)

    @property
    def placed_share(self) -> float:
        """Percent of :attr:`n_participations` placed in a gemeente (NaN without any)."""
        return (
            self.n_placed / self.n_participations * 100 if self.n_participations else float("nan")
        )

    @property
    def n_projects(self) -> int:
        """All the theme's projects (with a placed participant or not); ``net.n_projects``
        counts only those with a placed participant."""
        return int(self.rows["project"].nunique())

    @property
    def collaborations(self) -> int:
        """Collaborations: summed link weight (a pair of places in one project counts once)."""
        return int(self.net.edges["projecten"].sum())

    @property
    def links_shown(self) -> int:
        """Links with at least :attr:`min_edge_weight` joint projects (drawn on the map)."""
        return int((self.net.edges["projecten"] >= self.min_edge_weight).sum())

    @property
    def places(self) -> pd.DataFrame:
        """Places (``net.nodes``) with their amount in million euro (``mln``)."""
        return self.net.nodes.assign(mln=self.net.nodes["bedrag"] / 1e6)

    def top_places(self, n: int = 3) -> pd.DataFrame:
        """The ``n`` places with the largest amount (rows of :attr:`places`), largest first."""
        return self.places.sort_values("mln", ascending=False).head(n)

    @property
    def top_place_share(self) -> float:
        """Percent of the *placed* amount (:attr:`placed_amount`) that goes to the first of
        :meth:`top_places` (NaN without places)."""
        top = self.top_places(1)
        if top.empty or not self.placed_amount:
            return float("nan")
        return float(top.iloc[0]["bedrag"] / self.placed_amount * 100)

    @property
    def top_place_share_all(self) -> float:
        """Percent of the amount of *all* the theme's participations (:attr:`amount`, placed or
        not) that goes to the first of :meth:`top_places` (NaN without places)."""
        top = self.top_places(1)
        if top.empty or not self.amount:
            return float("nan")
        return float(top.iloc[0]["bedrag"] / self.amount * 100)

    @property
    def top_hub_share(self) -> float:
        """Percent of the theme's collaborations (:attr:`collaborations`, summed link weight)
        in which its strongest place takes part (its strength over the summed link weight; a
        link counts once, not once per end). 0 without links."""
        nodes = self.net.nodes
        if nodes.empty or not self.collaborations:
            return 0.0
        return float(nodes.iloc[0]["strength"] / self.collaborations * 100)


def theme(found: ChapterData, name: str, slot: int, min_edge_weight: int) -> Theme:
    """Network and measures of theme ``name`` (the ``slot``-th chosen theme) in the chapter
    data; links below ``min_edge_weight`` joint projects are counted but not drawn."""
    rows = found.data[found.data["thema"] == name]
    return Theme(
        name=name,
        slot=slot,
        rows=rows,
        net=network(rows),
        min_edge_weight=min_edge_weight,
        nearest_topsector=name if found.supplied else nearest_topsector(name),
    )


@dataclass
class Comparison:
    """The themes compared (result of :func:`compare`)."""

    # thema, projecten, plaatsen, samenwerkingen, grensoverschrijdend_pct, top_hub,
    # top_hub_samenwerkingen, top_hub_aandeel_pct
    table: pd.DataFrame
    # None when no theme has a collaboration (no project with participants in two places)
    most_cross: pd.Series | None  # row with the largest share of links across a province border
    least_cross: pd.Series | None  # row with the smallest such share
    most_central: pd.Series | None  # row whose strongest place takes part in the largest share

    @property
    def linked(self) -> bool:
        """Whether any theme has a collaboration between places (else there is no network
        to compare)."""
        return bool((self.table["samenwerkingen"] > 0).any())

    @property
    def shared_hubs(self) -> dict[str, list[str]]:
        """Strongest places that are the strongest of more than one theme: place -> themes."""
        themes = self.table.groupby("top_hub", sort=True)["thema"].agg(list)
        return {hub: names for hub, names in themes.items() if len(names) > 1 and hub != "–"}


def compare(chosen: list[Theme]) -> Comparison:
    """Per theme: projects, places, collaborations (summed link weight), percent of them across
    province borders, the strongest place, the collaborations it takes part in and their
    percent of all the theme's collaborations; and the extremes (``None`` when no theme has a
    collaboration: an RVO file of single-place projects has no network to compare)."""
    table = pd.DataFrame(
        [
            {
                "thema": t.name,
                "projecten": t.net.n_projects,
                "plaatsen": len(t.net.nodes),
                "samenwerkingen": t.collaborations,
                "grensoverschrijdend_pct": t.net.cross_province_share,
                "top_hub": t.net.nodes.iloc[0]["naam"] if len(t.net.nodes) else "–",
                "top_hub_samenwerkingen": int(t.net.nodes.iloc[0]["strength"])
                if len(t.net.nodes)
                else 0,
                "top_hub_aandeel_pct": t.top_hub_share,
            }
            for t in chosen
        ]
    )
    if not (table["samenwerkingen"] > 0).any():
        return Comparison(table=table, most_cross=None, least_cross=None, most_central=None)
    return Comparison(
        table=table,
        most_cross=table.loc[table["grensoverschrijdend_pct"].idxmax()],
        least_cross=table.loc[table["grensoverschrijdend_pct"].idxmin()],
        most_central=table.loc[table["top_hub_aandeel_pct"].idxmax()],
    )


def overview(data: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """One row per theme in ``names``: ``thema``, ``projecten``, ``plaatsen``,
    ``verbindingen`` (links), ``knooppunten`` (names of the three strongest places, a list)
    and ``grensoverschrijdend_pct`` (percent of link weight across province borders; NaN
    without links)."""
    rows = []
    for name in names:
        net = network(data[data["thema"] == name])
        rows.append(
            {
                "thema": name,
                "projecten": net.n_projects,
                "plaatsen": len(net.nodes),
                "verbindingen": len(net.edges),
                "knooppunten": net.nodes.head(3)["naam"].astype(str).tolist(),
                "grensoverschrijdend_pct": net.cross_province_share,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["thema", "projecten", "plaatsen", "verbindingen", "knooppunten",
                 "grensoverschrijdend_pct"],
    )  # fmt: skip


def period_comparison(
    reference: ChapterData, other: ChapterData, themes: list[str]
) -> pd.DataFrame:
    """The chosen ``themes`` in two periods (the chapter's reference and another, e.g. the
    newest): one row per theme with ``thema``, ``deelnames_ref`` / ``deelnames_new`` (all
    participations), ``bedrag_ref`` / ``bedrag_new`` (EU contribution or amount of all
    participations, euro), ``top_ref`` / ``top_new`` (the place with the largest placed
    amount; ``"–"`` without one) and ``top_ref_pct`` / ``top_new_pct`` (its % of the theme's
    placed amount; NaN without one)."""
    rows = []
    for slot, name in enumerate(themes, start=1):
        row: dict[str, object] = {"thema": name}
        for suffix, found in (("ref", reference), ("new", other)):
            part = theme(found, name, slot, 1)
            top = part.top_places(1)
            row[f"deelnames_{suffix}"] = part.n_participations
            row[f"bedrag_{suffix}"] = part.amount
            row[f"top_{suffix}"] = str(top.iloc[0]["naam"]) if len(top) else "–"
            row[f"top_{suffix}_pct"] = part.top_place_share
        rows.append(row)
    return pd.DataFrame(rows)
