"""Chapters on innovative firms, startups and scale-ups.

The publication's sources (CBS Community Innovation Survey per gemeente, a startup database,
the Scale-Up Dashboard) are not open. Each chapter accepts the real file when an analyst
supplies it (schemas in ``data/README-user-files.md``; validated by :func:`load_user_file`) and
otherwise shows open data that measure something close, labelled as such.

:func:`concentration` is the analysis of the publication (how many gemeenten hold half of the
total, the top-4 share, size classes, Lorenz curve), generic over any count per region.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config, nl
from helpers.rd import check_year

# Class bounds of the publication (innovative firms per gemeente): >=500, 200-500, 100-200, <100
PUBLICATION_BOUNDS = (500, 200, 100)


def size_classes(bounds: tuple[float, ...] | list[float]) -> list[tuple[str, float, float]]:
    """(label, low, high) classes from descending bounds, largest first."""
    from helpers.formatting import fmt_number

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


class UserFileError(ValueError):
    """A user-supplied file does not match its documented schema (names file and problem)."""


@dataclass
class Concentration:
    total: float
    n_regions: int
    n_half: int  # fewest regions that together hold at least half of the total
    top4: list[str]
    top4_share: float  # percent
    classes: pd.DataFrame  # klasse, aantal_gemeenten, aandeel_pct
    lorenz: pd.DataFrame  # share of regions (ascending) vs cumulative share of the total
    gini: float


def concentration(
    counts: pd.Series,
    names: pd.Series | None = None,
    bounds: tuple[float, ...] | list[float] = PUBLICATION_BOUNDS,
) -> Concentration:
    """Concentration of a count over regions (index = region code); ``bounds`` are the size
    class limits (default: the publication's 500, 200 and 100)."""
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


# --- user files -----------------------------------------------------------------------------

USER_SCHEMAS: dict[str, dict[str, str]] = {
    "cis": {"gemeente": "code", "jaar": "int", "aantal_innovatief": "count"},
    "startups": {"naam": "text", "gemeente": "code?", "plaats": "text?", "oprichtingsjaar": "int"},
    "scaleups": {"gemeente": "code", "jaar": "int", "aantal": "count"},
}


def known_gemeente_codes() -> set[str]:
    """Every gemeente code on a map here, or in the list of municipal changes."""
    codes: set[str] = set()
    for level, year in nl.available_boundaries():
        if level == "gemeente":
            codes |= set(nl.boundaries(level, year)["code"])
    changes = nl.gemeente_changes()
    return codes | set(changes["old"]) | set(changes["new"])


def load_user_file(path: str | Path, kind: str) -> pd.DataFrame:
    """Read and validate a user-supplied file of ``kind`` (``cis``, ``startups``,
    ``scaleups``). Errors name the file and the column, row or code."""
    schema = USER_SCHEMAS[kind]
    path = config.user_file(path, f"{kind} file")
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    required = [c for c, t in schema.items() if not t.endswith("?")]
    missing = [c for c in required if c not in data.columns]
    if kind == "startups" and not {"gemeente", "plaats"} & set(data.columns):
        missing.append("gemeente of plaats")
    if missing:
        raise UserFileError(f"{path.name}: missing column(s) {missing}")
    errors: list[str] = []
    for column, kind_of in schema.items():
        if column not in data.columns:
            continue
        values = data[column].str.strip()
        rows = lambda mask: ", ".join(str(i + 2) for i in np.flatnonzero(mask)[:10])  # noqa: E731
        if kind_of.startswith("code"):
            data[column] = values.map(lambda v: nl.clean_code(v) if v else "")
            unknown = (data[column] != "") & ~data[column].isin(known_gemeente_codes())
            if unknown.any():
                codes = sorted(set(data.loc[unknown, column]))
                errors.append(f"unknown gemeente code(s) {codes[:10]} (rows {rows(unknown)})")
        elif kind_of in {"int", "count"}:
            numbers = pd.to_numeric(values, errors="coerce")
            bad = numbers.isna() | (numbers % 1 != 0)
            if bad.any():
                errors.append(f"column {column!r}: not a whole number in rows {rows(bad)}")
            if kind_of == "count" and (numbers < 0).any():
                errors.append(f"column {column!r}: negative counts in rows {rows(numbers < 0)}")
            data[column] = numbers
    keys = {"cis": ["gemeente", "jaar"], "scaleups": ["gemeente", "jaar"], "startups": ["naam"]}
    duplicated = data.duplicated(subset=keys[kind], keep=False)
    if duplicated.any():
        shown = data.loc[duplicated, keys[kind]].drop_duplicates().head(5)
        errors.append(
            f"duplicate rows for {keys[kind]}: {shown.to_dict(orient='records')} "
            f"(rows {', '.join(str(i + 2) for i in np.flatnonzero(duplicated)[:10])})"
        )
    if errors:
        raise UserFileError(f"{path.name}: " + "; ".join(errors))
    for column, kind_of in schema.items():
        if kind_of in {"int", "count"} and column in data.columns:
            data[column] = data[column].astype("int64")
    data.attrs["path"] = str(path)
    return data


def place_to_gemeente(places: pd.Series, year: int = 2016) -> pd.Series:
    """Gemeente code for place names (the gemeente of that name; case and spacing ignored,
    'Den Haag' = "'s-Gravenhage", 'Den Bosch' = "'s-Hertogenbosch")."""
    aliases = {"den haag": "'s-gravenhage", "the hague": "'s-gravenhage",
               "den bosch": "'s-hertogenbosch"}  # fmt: skip
    regions = nl.boundaries("gemeente", year)
    lookup = dict(zip(regions["name"].str.casefold().str.strip(), regions["code"], strict=True))
    keys = places.fillna("").str.casefold().str.strip().map(lambda p: aliases.get(p, p))
    return keys.map(lookup)


# --- open proxies ---------------------------------------------------------------------------


def establishments_2015() -> pd.DataFrame:
    """CBS 70072ned 2015 per gemeente (2015 codes): establishments total and by sector group,
    plus the knowledge-intensive service groups together (H-J, K-L, M-N)."""
    data = pd.read_csv(config.data_file("processed", "nl", "kerncijfers_gemeente_2015.csv"))
    data["vestigingen_kennisintensief"] = data[KNOWLEDGE_INTENSIVE].sum(axis=1)
    return data


def starters_corop() -> pd.DataFrame:
    return pd.read_csv(config.data_file("processed", "firms", "starters_corop.csv"))


def starter_years() -> list[int]:
    """Years of CBS 83631NED that are comparable (from 2015: series break in 2014)."""
    return sorted(int(y) for y in starters_corop()["year"].unique() if y >= 2015)


def starters_for_year(year: int) -> pd.DataFrame:
    """New establishments per COROP in ``year`` with the stock of establishments (2015, from
    70072ned, gemeenten recoded to 2016 and summed per COROP) and the rate per 1,000."""
    year = check_year(year, starter_years(), "CBS 83631NED (comparable years from 2015)")
    starters = starters_corop()
    rows = starters[starters["year"] == year][["corop", "totaal"]]
    stock = establishments_2015()
    stock["gemeente"] = nl.recode_gemeenten(stock["gemeente"], 2015, 2016)
    per_corop = nl.aggregate(stock, ["vestigingen_totaal"], to="corop")
    table = rows.merge(per_corop, on="corop", how="left")
    assert table["vestigingen_totaal"].notna().all(), "COROP without establishments"
    table["per_1000"] = table["totaal"] / table["vestigingen_totaal"] * 1000
    table = table.sort_values("totaal", ascending=False, ignore_index=True)
    table.attrs["year"] = year
    return table


def eurostat_demography() -> pd.DataFrame:
    return pd.read_csv(config.data_file("processed", "firms", "eurostat_bd_nuts3_nl.csv"))


def demography_years(column: str) -> list[int]:
    data = eurostat_demography().dropna(subset=[column])
    return sorted(int(y) for y in data["year"].unique() if (data["year"] == y).sum() == 40)


def demography_for_year(year: int, column: str) -> pd.DataFrame:
    data = eurostat_demography()
    year = check_year(year, demography_years(column), f"Eurostat bd_size_r3 ({column})")
    table = data[data["year"] == year].copy()
    table.attrs["year"] = year
    return table.sort_values(column, ascending=False, ignore_index=True)


def stated_figures() -> pd.DataFrame:
    return pd.read_csv(config.data_file("processed", "firms", "stated_figures.csv"), dtype=str)


def ris_cis_indicators() -> pd.DataFrame:
    """RIS 2023 CIS-based indicators for the 12 provinces, long, with per indicator and year
    the number of distinct provincial values (1 = national value repeated)."""
    names = [
        "3.1.1 SMEs introducing product innovations (Regional)",
        "3.1.2 SMEs introducing business process innovations (Regional)",
        "3.2.1 Innovative SMEs collaborating with others (Regional)",
    ]
    path = config.data_file("processed", "ris", "ris2023_indicators.csv.gz")
    ris = pd.read_csv(path, usecols=["indicator", "year", "region", "country", "value"])
    rows = ris[ris["indicator"].isin(names) & (ris["country"] == "NL")]
    rows = rows[rows["region"].str.len() == 4].copy()
    rows["verschillende_waarden"] = rows.groupby(["indicator", "year"])["value"].transform(
        "nunique"
    )
    return rows.reset_index(drop=True)


def published_cis() -> pd.DataFrame:
    """Published statements on innovative firms per gemeente (see data/published/README.md)."""
    path = config.data_file("published", "cis2014_gepubliceerd.csv")
    return pd.read_csv(path, dtype=str).set_index("kenmerk")
